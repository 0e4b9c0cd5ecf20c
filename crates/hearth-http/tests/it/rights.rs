//! The requests register over HTTP, on every backend: a request logged through the API is due on
//! the statutory date, waits while identity is awaited, shows in the views, takes its steps,
//! and refuses bad input by field without changing anything.

use crate::common::serve;

use hearth_core::clock::SystemClock;
use hearth_service::Hearth;
use hearth_testkit::all_backends;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;

/// Sends a request and returns the status and the JSON body.
async fn send(request: reqwest::RequestBuilder, what: &str) -> (StatusCode, Value) {
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

fn fields(body: &Value) -> Vec<String> {
    body["fields"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|e| e["field"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// An API token for one role, for rights work.
async fn token(hearth: &Hearth, role: &str) -> String {
    hearth
        .create_api_token(
            &hearth_service::Caller::operator("tester"),
            &hearth_service::access::TokenRequest {
                name: format!("{role} desk"),
                roles: vec![role.into()],
                purposes: vec!["information_rights".into()],
                valid_days: 1,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("token: {e}"))
        .1
}

/// Serves Hearth on a free local port; returns its base address.
fn app(db: &hearth_testkit::TestDb) -> Hearth {
    let register = hearth_core::register::default_register()
        .unwrap_or_else(|p| panic!("shipped register: {p:?}"));
    Hearth::new(db.store.clone(), Arc::new(register), Arc::new(SystemClock))
        .unwrap_or_else(|e| panic!("policy fits the register: {e}"))
}

#[tokio::test]
async fn a_request_is_logged_worked_and_listed_through_the_api() {
    for db in all_backends().await {
        let hearth = app(&db);
        let secret = token(&hearth, "data_protection_officer").await;
        let today = hearth.today();
        let base = serve(hearth).await;
        let http = reqwest::Client::new();
        let post = |path: &str, body: Value| {
            http.post(format!("{base}{path}"))
                .bearer_auth(&secret)
                .header("x-hearth-purpose", "information_rights")
                .json(&body)
        };
        let get = |path: &str| {
            http.get(format!("{base}{path}"))
                .bearer_auth(&secret)
                .header("x-hearth-purpose", "information_rights")
        };
        let name = db.name;

        let (status, person) = send(
            post(
                "/api/people",
                json!({ "given_name": "Grace", "family_name": "Mensah" }),
            ),
            "create person",
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{name}] {person}");
        let person_id = person["id"].as_str().unwrap_or_default().to_string();

        let request = json!({
            "person_id": person_id,
            "kind": "access",
            "channel": "letter",
            "received_on": today.to_string(),
            "requester": { "kind": "subject" },
            "summary": "Copies of my repair reports and call recordings",
            "identity_needed": true,
        });
        let (status, logged) = send(post("/api/rights/requests", request.clone()), "log").await;
        assert_eq!(status, StatusCode::CREATED, "[{name}] {logged}");
        assert_eq!(logged["clock"]["state"], "not_started", "[{name}] {logged}");
        let id = logged["request"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();

        let (status, waiting) = send(get("/api/rights/requests?view=waiting"), "waiting").await;
        assert_eq!(status, StatusCode::OK, "[{name}] {waiting}");
        assert!(
            waiting
                .as_array()
                .is_some_and(|l| l.iter().any(|v| v["request"]["id"] == id.as_str())),
            "[{name}] {waiting}"
        );

        let (status, running) = send(
            post(
                &format!("/api/rights/requests/{id}/steps"),
                json!({ "step": "identity_verified", "on": today.to_string() }),
            ),
            "identity",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{name}] {running}");
        assert_eq!(running["clock"]["state"], "running", "[{name}] {running}");
        let due = running["clock"]["due_on"].as_str().unwrap_or_default();
        let month_on = hearth_core::rights::clock::months_after(today, 1);
        assert!(
            due >= month_on.to_string().as_str(),
            "[{name}] due {due} is at least a month on"
        );

        // Bad input: named by field, and nothing changes.
        let (status, bad) = send(
            post(
                "/api/rights/requests",
                json!({ "person_id": person_id, "kind": "subject_access", "channel": "pigeon",
                        "received_on": today.to_string(), "requester": { "kind": "subject" },
                        "summary": "x" }),
            ),
            "bad kind",
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{name}] {bad}");
        let (status, bad) = send(
            post(
                &format!("/api/rights/requests/{id}/steps"),
                json!({ "step": "closed", "outcome": "refused", "closed_on": today.to_string() }),
            ),
            "refusal without grounds",
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{name}] {bad}");
        let mut named = fields(&bad);
        named.sort();
        assert_eq!(named, ["reason", "response_letter"], "[{name}] {bad}");
        let (status, bad) = send(get("/api/rights/requests?view=someday"), "bad view").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{name}] {bad}");
        assert_eq!(fields(&bad), ["view"], "[{name}] {bad}");

        let (status, read) = send(get(&format!("/api/rights/requests/{id}")), "read").await;
        assert_eq!(status, StatusCode::OK, "[{name}] {read}");
        assert_eq!(read["request"]["status"], "open", "[{name}] {read}");
        assert_eq!(read["request"]["version"], 2, "[{name}] {read}");
        assert_eq!(
            read["request"]["summary"], "Copies of my repair reports and call recordings",
            "[{name}] {read}"
        );

        let (status, closed) = send(
            post(
                &format!("/api/rights/requests/{id}/steps"),
                json!({ "step": "closed", "outcome": "fulfilled", "closed_on": today.to_string(),
                        "response_letter": "Dear Grace Mensah, your records are enclosed." }),
            ),
            "close",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{name}] {closed}");
        assert_eq!(
            closed["request"]["status"], "completed",
            "[{name}] {closed}"
        );
        let (status, open) = send(get("/api/rights/requests"), "open").await;
        assert_eq!(status, StatusCode::OK, "[{name}] {open}");
        assert_eq!(open.as_array().map(Vec::len), Some(0), "[{name}] {open}");
        let (status, missing) = send(
            get(&format!("/api/rights/requests/{}", uuid::Uuid::now_v7())),
            "missing",
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{name}] {missing}");
    }
}

#[tokio::test]
async fn an_erasure_is_prepared_approved_by_the_dpo_and_carried_out_through_the_api() {
    for db in all_backends().await {
        let hearth = app(&db);
        let dpo = token(&hearth, "data_protection_officer").await;
        let igo = token(&hearth, "information_governance_officer").await;
        let today = hearth.today();
        let base = serve(hearth).await;
        let http = reqwest::Client::new();
        let post = |secret: &str, path: &str, body: Value| {
            http.post(format!("{base}{path}"))
                .bearer_auth(secret)
                .header("x-hearth-purpose", "information_rights")
                .json(&body)
        };
        let name = db.name;
        let (status, person) = send(
            post(
                &dpo,
                "/api/people",
                json!({ "given_name": "Femi", "family_name": "Adeyemi" }),
            ),
            "person",
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{name}] {person}");
        let person_id = person["id"].as_str().unwrap_or_default().to_string();
        let (status, logged) = send(
            post(
                &igo,
                "/api/rights/requests",
                json!({
                    "person_id": person_id, "kind": "erasure", "channel": "email",
                    "received_on": today.to_string(), "requester": { "kind": "subject" },
                    "summary": "Delete my record", "identity_needed": false,
                }),
            ),
            "log",
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{name}] {logged}");
        let id = logged["request"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let erasure = format!("/api/rights/requests/{id}/erasure");

        let (status, plan) = send(post(&igo, &erasure, json!({})), "prepare").await;
        assert_eq!(status, StatusCode::OK, "[{name}] {plan}");
        assert_eq!(plan["status"], "proposed", "[{name}] {plan}");
        let version = plan["version"].clone();
        let (status, shown) = send(
            http.get(format!("{base}{erasure}"))
                .bearer_auth(&igo)
                .header("x-hearth-purpose", "information_rights"),
            "show",
        )
        .await;
        assert_eq!(
            (status, &shown["version"]),
            (StatusCode::OK, &version),
            "[{name}] {shown}"
        );

        // Only the DPO approves; a change without a reason is refused by field.
        let approval = format!("{erasure}/approval");
        let (status, refused) = send(
            post(&igo, &approval, json!({ "version": version })),
            "igo approves",
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{name}] {refused}");
        let person_record = plan["items"][0]["record_id"].clone();
        let (status, bad) = send(
            post(
                &dpo,
                &approval,
                json!({ "version": version, "overrides": [{ "record_id": person_record, "decision": "keep", "reason": "x" }] }),
            ),
            "bad approval",
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{name}] {bad}");
        assert_eq!(
            fields(&bad),
            vec!["overrides[0]".to_string()],
            "[{name}] {bad}"
        );
        let (status, approved) = send(
            post(&dpo, &approval, json!({ "version": version })),
            "approve",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{name}] {approved}");
        assert_eq!(approved["status"], "approved", "[{name}] {approved}");

        let (status, done) = send(
            post(&igo, &format!("{erasure}/execution"), json!({})),
            "execute",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{name}] {done}");
        assert_eq!(done["removed"]["person_erased"], true, "[{name}] {done}");
        assert!(
            done["erasure"]["letter"]
                .as_str()
                .is_some_and(|l| l.contains("What we have erased")),
            "[{name}] {done}"
        );
        let (status, gone) = send(
            http.get(format!("{base}/api/people/{person_id}"))
                .bearer_auth(&dpo)
                .header("x-hearth-purpose", "information_rights"),
            "person after",
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{name}] {gone}");
        let (status, again) = send(
            post(&igo, &format!("{erasure}/execution"), json!({})),
            "again",
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "[{name}] {again}");
    }
}

#[tokio::test]
async fn an_access_response_is_reviewed_released_and_downloaded_once_through_the_api() {
    for db in all_backends().await {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let media = hearth_service::retention::MediaStore::local(dir.path())
            .unwrap_or_else(|e| panic!("{e}"));
        let hearth = app(&db).with_media(media);
        let dpo = token(&hearth, "data_protection_officer").await;
        let igo = token(&hearth, "information_governance_officer").await;
        let today = hearth.today();
        let base = serve(hearth).await;
        let http = reqwest::Client::new();
        let call = |method: reqwest::Method, secret: &str, path: &str| {
            http.request(method, format!("{base}{path}"))
                .bearer_auth(secret)
                .header("x-hearth-purpose", "information_rights")
        };
        let name = db.name;
        let (_, person) = send(
            call(reqwest::Method::POST, &dpo, "/api/people")
                .json(&json!({ "given_name": "Ngozi", "family_name": "Eze" })),
            "person",
        )
        .await;
        let person_id = person["id"].as_str().unwrap_or_default().to_string();
        let (status, logged) = send(
            call(reqwest::Method::POST, &igo, "/api/rights/requests").json(&json!({
                "person_id": person_id, "kind": "access", "channel": "web",
                "received_on": today.to_string(), "requester": { "kind": "subject" },
                "summary": "A copy of my data", "identity_needed": false,
            })),
            "log",
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{name}] {logged}");
        let id = logged["request"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();

        let (status, review) = send(
            call(
                reqwest::Method::GET,
                &igo,
                &format!("/api/rights/requests/{id}/access"),
            ),
            "review",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{name}] {review}");
        assert_eq!(
            review["bundle"]["person"]["given_name"], "Ngozi",
            "[{name}] {review}"
        );

        let release = format!("/api/rights/requests/{id}/access/release");
        let (status, refused) = send(
            call(reqwest::Method::POST, &igo, &release).json(&json!({})),
            "igo releases",
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{name}] {refused}");
        let (status, bad) = send(
            call(reqwest::Method::POST, &dpo, &release).json(&json!({ "valid_days": 90 })),
            "too long",
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{name}] {bad}");
        assert_eq!(
            fields(&bad),
            vec!["valid_days".to_string()],
            "[{name}] {bad}"
        );
        let (status, released) = send(
            call(reqwest::Method::POST, &dpo, &release).json(&json!({ "valid_days": 7 })),
            "release",
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{name}] {released}");
        let path = released["download_path"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            released["release"].get("token_hash").is_none(),
            "[{name}] {released}"
        );

        // The person downloads with the link alone: no token, no purpose.
        let response = http
            .get(format!("{base}{path}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("download: {e}"));
        assert_eq!(response.status(), StatusCode::OK, "[{name}]");
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/zip")
        );
        let bytes = response.bytes().await.unwrap_or_default();
        assert!(bytes.starts_with(b"PK"), "[{name}] a ZIP archive");
        let (status, again) = send(http.get(format!("{base}{path}")), "again").await;
        assert_eq!(status, StatusCode::GONE, "[{name}] {again}");
    }
}

/// Hearth served for one backend, with an information governance officer's and the data
/// protection officer's tokens, for calls made for rights work.
struct Desk {
    base: String,
    http: reqwest::Client,
    igo: String,
    dpo: String,
    today: jiff::civil::Date,
}

impl Desk {
    async fn open(db: &hearth_testkit::TestDb) -> Self {
        let hearth = app(db);
        let igo = token(&hearth, "information_governance_officer").await;
        let dpo = token(&hearth, "data_protection_officer").await;
        let today = hearth.today();
        Self {
            base: serve(hearth).await,
            http: reqwest::Client::new(),
            igo,
            dpo,
            today,
        }
    }

    fn post(&self, secret: &str, path: &str, body: Value) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}{path}", self.base))
            .bearer_auth(secret)
            .header("x-hearth-purpose", "information_rights")
            .json(&body)
    }

    fn get(&self, secret: &str, path: &str) -> reqwest::RequestBuilder {
        self.http
            .get(format!("{}{path}", self.base))
            .bearer_auth(secret)
            .header("x-hearth-purpose", "information_rights")
    }

    /// A person created by the data protection officer; returns their id.
    async fn person(&self, given: &str, family: &str) -> String {
        let (status, person) = send(
            self.post(
                &self.dpo,
                "/api/people",
                json!({ "given_name": given, "family_name": family }),
            ),
            "person",
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{person}");
        person["id"].as_str().unwrap_or_default().to_string()
    }
}

#[tokio::test]
async fn a_rectification_is_made_and_its_history_read_through_the_api() {
    for db in all_backends().await {
        let desk = Desk::open(&db).await;
        let (igo, today, name) = (desk.igo.clone(), desk.today, db.name);
        let post = |secret: &str, path: &str, body: Value| desk.post(secret, path, body);
        let person_id = desk.person("Olu", "Ade").await;
        let (_, logged) = send(
            post(
                &igo,
                "/api/rights/requests",
                json!({
                    "person_id": person_id, "kind": "rectification", "channel": "phone",
                    "received_on": today.to_string(), "requester": { "kind": "subject" },
                    "summary": "My name is Olusegun", "identity_needed": false,
                }),
            ),
            "log",
        )
        .await;
        let id = logged["request"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        // A disclosure to the regulator, recorded through the gate; a recipient the register
        // does not name for the purpose is refused by field.
        let disclosure = |recipient: &str| {
            json!({
                "person_id": person_id, "recipient": recipient, "disclosed_on": today.to_string(),
                "what": "The complaint file", "reason": "ICO investigation of a complaint",
            })
        };
        let (status, bad) = send(post(&igo, "/api/disclosures", disclosure("police")), "bad").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{name}] {bad}");
        assert_eq!(
            fields(&bad),
            vec!["recipient".to_string()],
            "[{name}] {bad}"
        );
        let (status, made) = send(
            post(&igo, "/api/disclosures", disclosure("regulators")),
            "disclose",
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{name}] {made}");
        let (status, listed) = send(
            desk.get(&igo, &format!("/api/rights/people/{person_id}/disclosures")),
            "list",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{name}] {listed}");
        assert_eq!(listed[0]["recipient"], "regulators", "[{name}] {listed}");

        let path = format!("/api/rights/requests/{id}/rectification");
        let (status, bad) = send(
            post(
                &igo,
                &path,
                json!({ "version": 1, "person": { "given_name": "", "family_name": "Ade" } }),
            ),
            "blank name",
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{name}] {bad}");
        assert!(
            fields(&bad).iter().any(|f| f.contains("given_name")),
            "[{name}] {bad}"
        );
        let (status, done) = send(
            post(&igo, &path, json!({ "version": 1, "person": { "given_name": "Olusegun", "family_name": "Ade" } })),
            "rectify",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{name}] {done}");
        assert_eq!(
            done["corrections"][0]["field"], "given_name",
            "[{name}] {done}"
        );
        assert_eq!(
            done["notify"].as_array().map(Vec::len),
            Some(1),
            "[{name}] {done}"
        );
        let (status, history) = send(
            desk.get(&igo, &format!("/api/rights/people/{person_id}/corrections")),
            "history",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{name}] {history}");
        assert_eq!(history[0]["previous"], "Olu", "[{name}] {history}");
        assert_eq!(history[0]["corrected"], "Olusegun", "[{name}] {history}");
    }
}

#[tokio::test]
async fn restriction_objection_and_consent_withdrawal_are_answered_through_the_api() {
    for db in all_backends().await {
        let desk = Desk::open(&db).await;
        let (igo, dpo, today, name) = (desk.igo.clone(), desk.dpo.clone(), desk.today, db.name);
        let post = |secret: &str, path: &str, body: Value| desk.post(secret, path, body);
        let person_id = desk.person("Ife", "Bello").await;
        let log = |kind: &str| {
            post(
                &igo,
                "/api/rights/requests",
                json!({
                    "person_id": person_id, "kind": kind, "channel": "letter",
                    "received_on": today.to_string(), "requester": { "kind": "subject" },
                    "summary": "As my letter says", "identity_needed": false,
                }),
            )
        };
        let id_of = |logged: &Value| {
            logged["request"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        };

        // Restriction: a ground that is not one of Art 18(1)'s is refused, then it is applied.
        let (_, logged) = send(log("restriction"), "log restriction").await;
        let path = format!("/api/rights/requests/{}/restriction", id_of(&logged));
        let (status, bad) = send(post(&igo, &path, json!({ "ground": "dislike" })), "bad").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{name}] {bad}");
        let (status, done) = send(
            post(&igo, &path, json!({ "ground": "accuracy_contested" })),
            "restrict",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{name}] {done}");
        assert_eq!(done["request"]["status"], "completed", "[{name}] {done}");

        // Objection: refusing needs the DPO; the officer is forbidden.
        let (_, logged) = send(log("objection"), "log objection").await;
        let path = format!("/api/rights/requests/{}/objection", id_of(&logged));
        let refusal = json!({ "upheld": false, "compelling_grounds": "Arrears recovery is owed to every other tenant" });
        let (status, body) = send(post(&igo, &path, refusal.clone()), "igo refuses").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{name}] {body}");
        let (status, done) = send(post(&dpo, &path, refusal), "dpo refuses").await;
        assert_eq!(status, StatusCode::OK, "[{name}] {done}");
        assert_eq!(done["request"]["outcome"], "refused", "[{name}] {done}");

        // Consent withdrawal: a purpose without consent in force is refused by field.
        let (_, logged) = send(log("consent_withdrawal"), "log withdrawal").await;
        let path = format!("/api/rights/requests/{}/consent-withdrawal", id_of(&logged));
        let (status, bad) = send(
            post(&igo, &path, json!({ "purposes": ["repairs_video_triage"] })),
            "no consent",
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{name}] {bad}");
        assert_eq!(
            fields(&bad),
            vec!["purposes[0]".to_string()],
            "[{name}] {bad}"
        );

        // Consent given through the API, then withdrawn by the request: the request closes
        // with the letter, as nothing is held on that consent alone.
        let (status, granted) = send(
            post(
                &dpo,
                &format!("/api/people/{person_id}/consents"),
                json!({ "purpose": "repairs_video_triage", "granted": true,
                        "wording": "May we record the video call?", "wording_version": "v1",
                        "channel": "phone", "given_by": "the_person",
                        "given_at": "2020-01-01T09:00:00Z" }),
            ),
            "grant",
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{name}] {granted}");
        let (status, done) = send(
            post(&igo, &path, json!({ "purposes": ["repairs_video_triage"] })),
            "withdraw",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{name}] {done}");
        assert_eq!(
            done["request"]["request"]["status"], "completed",
            "[{name}] {done}"
        );
        assert_eq!(done["withdrawals"][0]["granted"], false, "[{name}] {done}");
        assert!(done["erasure"].is_null(), "[{name}] {done}");

        // Portability: reviewed at the access endpoint, without the council's own logs.
        let (_, logged) = send(log("portability"), "log portability").await;
        let (status, review) = send(
            desk.get(
                &igo,
                &format!("/api/rights/requests/{}/access", id_of(&logged)),
            ),
            "portability review",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{name}] {review}");
        assert_eq!(
            review["bundle"]["person"]["given_name"], "Ife",
            "[{name}] {review}"
        );
        assert_eq!(
            review["bundle"]["access_log"],
            json!([]),
            "[{name}] {review}"
        );
        assert_eq!(
            review["bundle"]["consents"].as_array().map(Vec::len),
            Some(2),
            "[{name}] {review}"
        );

        let (status, controls) = send(
            desk.get(&dpo, &format!("/api/people/{person_id}/controls")),
            "controls",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{name}] {controls}");
        assert_eq!(controls["restricted"], true, "[{name}] {controls}");
        assert_eq!(controls["objected"], false, "[{name}] {controls}");
    }
}
