//! The promise that nothing about a resident is read, found or changed except through the
//! gate, tried over HTTP as a client would try to get around it, on every backend. Each test
//! names the finding it guards against.

use hearth_core::clock::SystemClock;
use hearth_core::records::{ContactPoint, Equality, EqualityAnswer, PersonInput};
use hearth_service::access::TokenRequest;
use hearth_service::{Caller, Hearth};
use hearth_testkit::{TestDb, all_backends};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use uuid::Uuid;

/// A server on one backend, and a way to call it as a token of a given role and purpose.
struct Server {
    backend: &'static str,
    base: String,
    hearth: Hearth,
    http: reqwest::Client,
    _db: TestDb,
}

async fn server(db: TestDb) -> Server {
    let register = hearth_core::register::default_register()
        .unwrap_or_else(|p| panic!("shipped register: {p:?}"));
    let hearth = Hearth::new(db.store.clone(), Arc::new(register), Arc::new(SystemClock))
        .unwrap_or_else(|e| panic!("policy fits the register: {e}"));
    let base = crate::common::serve(hearth.clone()).await;
    Server {
        backend: db.name,
        base,
        hearth,
        http: reqwest::Client::new(),
        _db: db,
    }
}

/// A client holding an API token of one role for one purpose.
struct Client<'a> {
    server: &'a Server,
    secret: String,
    purpose: &'static str,
}

impl Server {
    async fn client(&self, role: &str, purpose: &'static str) -> Client<'_> {
        let (_, secret) = self
            .hearth
            .create_api_token(
                &Caller::operator("tester"),
                &TokenRequest {
                    name: format!("{role} for {purpose}"),
                    roles: vec![role.into()],
                    purposes: vec![purpose.into()],
                    valid_days: 1,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("token for {role}: {e}"));
        Client {
            server: self,
            secret,
            purpose,
        }
    }
}

impl Client<'_> {
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<(&str, Value)>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .server
            .http
            .request(method.clone(), format!("{}{path}", self.server.base))
            .bearer_auth(&self.secret)
            .header("x-hearth-purpose", self.purpose);
        if let Some((content_type, body)) = body {
            request = request
                .header("content-type", content_type)
                .body(body.to_string());
        }
        let what = format!("[{}] {method} {path}", self.server.backend);
        let response = request.send().await.expect(&what);
        let status = response.status();
        let text = response.text().await.expect(&what);
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, None).await
    }

    /// A GET, with the correlation id the response carries.
    async fn get_with_id(&self, path: &str) -> (StatusCode, String) {
        let response = self
            .server
            .http
            .get(format!("{}{path}", self.server.base))
            .bearer_auth(&self.secret)
            .header("x-hearth-purpose", self.purpose)
            .send()
            .await
            .expect("the server answers");
        let id = response
            .headers()
            .get("x-correlation-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (response.status(), id)
    }
}

/// The data protection officer, at the services.
async fn dpo(hearth: &Hearth) -> Caller {
    let account = hearth
        .create_staff(
            &Caller::operator("tester"),
            &hearth_service::access::StaffInput {
                username: "the.dpo".into(),
                display_name: "DPO".into(),
                password: "the.dpo correct horse battery".into(),
                roles: vec!["data_protection_officer".into()],
                teams: vec![],
            },
        )
        .await
        .expect("a DPO account");
    Caller::staff(&account).for_purpose("information_rights")
}

/// A person with every group filled in, made by the data protection officer.
async fn full_person(hearth: &Hearth, dpo: &Caller, given: &str) -> Uuid {
    hearth
        .create_person(
            dpo,
            &PersonInput {
                given_name: given.into(),
                family_name: "Wisniewska".into(),
                date_of_birth: Some("1958-03-02".into()),
                ni_number: Some("JG103759A".into()),
                nhs_number: Some("943 476 5919".into()),
                phones: vec![ContactPoint {
                    value: "07700 900461".into(),
                    label: Some("mobile".into()),
                    source: None,
                }],
                equality: Equality {
                    ethnicity: EqualityAnswer::Answered("White Polish".into()),
                    religion: EqualityAnswer::PreferNotToSay,
                    ..Default::default()
                },
                ..Default::default()
            },
        )
        .await
        .expect("the fixture person")
        .id()
}

/// Finding 2: a customer service officer reads a person (equality withheld) and PUTs back what
/// they saw without the NI number, NHS number and date of birth. Before the fix every one of
/// those and every equality answer was erased; now what the body does not name is kept.
#[tokio::test]
async fn a_write_never_erases_what_the_caller_left_out_or_could_not_see() {
    for db in all_backends().await {
        let server = server(db).await;
        let person = full_person(&server.hearth, &dpo(&server.hearth).await, "Grazyna").await;
        let officer = server
            .client("customer_service_officer", "customer_contact")
            .await;
        let dpo = server
            .client("data_protection_officer", "information_rights")
            .await;
        let path = format!("/api/people/{person}");

        let (status, seen) = officer.get(&path).await;
        assert_eq!(status, StatusCode::OK, "[{}] {seen}", server.backend);
        assert!(
            seen.get("equality").is_none(),
            "equality is withheld: {seen}"
        );
        // What the officer saw, less bookkeeping and the identifiers, with a new phone number.
        let mut back = seen.clone();
        let map = back.as_object_mut().expect("a person is an object");
        for field in [
            "id",
            "version",
            "created_at",
            "updated_at",
            "withheld",
            "ni_number",
            "nhs_number",
            "date_of_birth",
        ] {
            map.remove(field);
        }
        map.insert(
            "phones".into(),
            json!([{ "value": "07700 900999", "label": "mobile" }]),
        );
        let (status, body) = officer
            .send(Method::PUT, &path, Some(("application/json", back)))
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] PUT: {body}", server.backend);

        let (_, held) = dpo.get(&path).await;
        assert_eq!(
            held["ni_number"], "JG103759A",
            "[{}] {held}",
            server.backend
        );
        assert_eq!(
            held["nhs_number"], "9434765919",
            "[{}] {held}",
            server.backend
        );
        assert_eq!(
            held["date_of_birth"], "1958-03-02",
            "[{}] {held}",
            server.backend
        );
        assert_eq!(
            held["equality"]["ethnicity"]["value"], "White Polish",
            "[{}] {held}",
            server.backend
        );
        assert_eq!(
            held["equality"]["religion"]["status"], "prefer_not_to_say",
            "[{}] {held}",
            server.backend
        );
        assert_eq!(
            held["phones"][0]["value"], "07700900999",
            "[{}] {held}",
            server.backend
        );

        // A merge patch changes one field and nothing else.
        let (status, body) = officer
            .send(
                Method::PATCH,
                &path,
                Some((
                    "application/merge-patch+json",
                    json!({ "preferred_name": "Grace" }),
                )),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] PATCH: {body}", server.backend);
        assert_eq!(body["preferred_name"], "Grace");
        let (_, after_patch) = dpo.get(&path).await;
        let mut expected = held.clone();
        expected["preferred_name"] = json!("Grace");
        for bookkeeping in ["version", "updated_at"] {
            expected[bookkeeping] = after_patch[bookkeeping].clone();
        }
        assert_eq!(
            after_patch, expected,
            "[{}] only the named field changed",
            server.backend
        );

        // Writing a group the officer may not write is refused whole, and changes nothing.
        let (status, body) = officer
            .send(
                Method::PATCH,
                &path,
                Some((
                    "application/merge-patch+json",
                    json!({ "preferred_name": "G", "equality": { "ethnicity": { "status": "prefer_not_to_say", "value": null } } }),
                )),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{}] {body}", server.backend);
        let (_, unchanged) = dpo.get(&path).await;
        assert_eq!(
            unchanged, after_patch,
            "[{}] a refused change wrote nothing",
            server.backend
        );
        // Clearing it by null is a change of it too.
        let (status, _) = officer
            .send(
                Method::PATCH,
                &path,
                Some(("application/merge-patch+json", json!({ "equality": null }))),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "[{}] clearing equality",
            server.backend
        );
    }
}

/// Finding 1: searches filtered on fields the caller may not see. An analyst working on
/// equality monitoring searched by name, NI number or postcode and got back the named
/// people's dates of birth and equality answers, with `total` counting them; any role could
/// probe whether an NI number exists. A filter is a read of its field: searching by a group
/// the purpose does not release is refused before the store is asked, the same whether or not
/// anyone matches.
#[tokio::test]
async fn a_search_filter_is_a_read_of_the_field_it_filters_on() {
    for db in all_backends().await {
        let server = server(db).await;
        let b = server.backend;
        let dpo = dpo(&server.hearth).await;
        full_person(&server.hearth, &dpo, "Grazyna").await;
        let analyst = server.client("analyst", "equality_monitoring").await;
        let planner = server
            .client("repairs_planner", "repairs_and_maintenance")
            .await;

        for query in [
            "name=wisniewska",
            "ni_number=JG103759A",
            "postcode=HD1%203AB",
        ] {
            let (status, body) = analyst.get(&format!("/api/people?{query}")).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "[{b}] analyst {query}: {body}"
            );
            assert!(
                body.get("items").is_none() && body.get("total").is_none(),
                "[{b}] {body}"
            );
        }
        // Probing an NI number: the same refusal whether it is held or not.
        let (held, held_body) = planner.get("/api/people?ni_number=JG103759A").await;
        let (absent, absent_body) = planner.get("/api/people?ni_number=AB123456C").await;
        assert_eq!(
            (held, absent),
            (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN),
            "[{b}]"
        );
        assert_eq!(
            held_body["message"], absent_body["message"],
            "[{b}] nothing tells them apart"
        );

        // The analyst's own purpose still works without filters on what it may not see.
        let (status, body) = analyst.get("/api/people").await;
        assert_eq!(status, StatusCode::OK, "[{b}] {body}");
        assert!(
            body["items"][0].get("given_name").is_none(),
            "[{b}] names withheld: {body}"
        );
    }
}

/// Finding 1, continued: totals count only what the caller may see, and a refusal names the
/// policy (restriction, objection, no consent) only to those who may read a person's controls.
#[tokio::test]
async fn totals_count_only_what_the_caller_may_see_and_refusals_do_not_tell_controls_apart() {
    use hearth_service::access::Control;
    for db in all_backends().await {
        let server = server(db).await;
        let b = server.backend;
        let dpo = dpo(&server.hearth).await;
        let open = full_person(&server.hearth, &dpo, "Grazyna").await;
        let restricted = full_person(&server.hearth, &dpo, "Halina").await;
        let objected = full_person(&server.hearth, &dpo, "Irena").await;
        server
            .hearth
            .set_control(
                &dpo,
                restricted,
                Control::Restriction,
                true,
                "accuracy contested",
                None,
            )
            .await
            .expect("restricted");
        server
            .hearth
            .set_control(
                &dpo,
                objected,
                Control::Objection,
                true,
                "objects to contact",
                None,
            )
            .await
            .expect("objected");
        let officer = server
            .client("customer_service_officer", "customer_contact")
            .await;

        let (status, body) = officer.get("/api/people?name=wisniewska").await;
        assert_eq!(status, StatusCode::OK, "[{b}] {body}");
        assert_eq!(
            body["total"], 1,
            "[{b}] only the person the officer may see is counted: {body}"
        );
        assert_eq!(body["items"][0]["id"], open.to_string(), "[{b}] {body}");
        // A page past the visible ones is empty, not short.
        let (_, everyone) = officer.get("/api/people?per_page=200").await;
        assert_eq!(everyone["total"], 1, "[{b}] {everyone}");

        let (s1, restricted_body) = officer.get(&format!("/api/people/{restricted}")).await;
        let (s2, objected_body) = officer.get(&format!("/api/people/{objected}")).await;
        assert_eq!(
            (s1, s2),
            (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN),
            "[{b}]"
        );
        assert_eq!(
            restricted_body["message"], objected_body["message"],
            "[{b}] a restriction and an objection look the same to the officer"
        );
        let message = restricted_body["message"].as_str().unwrap_or_default();
        assert!(
            !message.contains("restriction") && !message.contains("objection"),
            "[{b}] {message}"
        );
        // The DPO, answering rights requests, finds all three.
        let dpo_client = server
            .client("data_protection_officer", "information_rights")
            .await;
        let (_, all) = dpo_client.get("/api/people?name=wisniewska").await;
        assert_eq!(all["total"], 3, "[{b}] {all}");
    }
}

/// A contact note naming someone other than the person is flagged as it is saved, so the
/// officer can reword it; a note about the person alone is not.
#[tokio::test]
async fn a_contact_note_naming_someone_else_is_flagged_when_saved() {
    for db in all_backends().await {
        let server = server(db).await;
        let b = server.backend;
        let dpo = dpo(&server.hearth).await;
        let person = full_person(&server.hearth, &dpo, "Grazyna").await;
        let officer = server
            .client("customer_service_officer", "customer_contact")
            .await;
        let log = |summary: &str| {
            json!({
                "person_id": person,
                "channel": "phone",
                "staff_member": "cso-114",
                "reason": "noise nuisance",
                "summary": summary,
            })
        };
        let (status, body) = officer
            .send(
                Method::POST,
                "/api/contacts",
                Some((
                    "application/json",
                    log("Mrs Wisniewska says her neighbour Derek Whitfield plays music all night; his number is 07700 900982."),
                )),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}] {body}");
        let labels: Vec<&str> = body["others_named"]
            .as_array()
            .expect("others_named")
            .iter()
            .filter_map(|o| o["label"].as_str())
            .collect();
        assert!(
            labels.contains(&"PERSON") && labels.contains(&"PHONE"),
            "[{b}] {body}"
        );
        assert!(
            body["others_named"]
                .as_array()
                .is_some_and(|o| o.iter().all(|o| !o["text"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("Wisniewska"))),
            "[{b}] the person's own name is not flagged: {body}"
        );

        let (status, body) = officer
            .send(
                Method::POST,
                "/api/contacts",
                Some((
                    "application/json",
                    log("Mrs Wisniewska rang from 07700 900461 to chase the repair."),
                )),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}] {body}");
        assert_eq!(body["others_named"], json!([]), "[{b}] {body}");
    }
}

/// The correlation id a user quotes to support is the one on the audit rows: made once per
/// request, sent in the header of every response and in every error body.
#[tokio::test]
async fn a_responses_correlation_id_is_its_audit_rows() {
    use hearth_service::access::Control;
    for db in all_backends().await {
        let server = server(db).await;
        let b = server.backend;
        let dpo = dpo(&server.hearth).await;
        let open = full_person(&server.hearth, &dpo, "Grazyna").await;
        let restricted = full_person(&server.hearth, &dpo, "Halina").await;
        server
            .hearth
            .set_control(
                &dpo,
                restricted,
                Control::Restriction,
                true,
                "accuracy contested",
                None,
            )
            .await
            .expect("restricted");
        let officer = server
            .client("customer_service_officer", "customer_contact")
            .await;

        let (status, read_id) = officer.get_with_id(&format!("/api/people/{open}")).await;
        assert_eq!(status, StatusCode::OK, "[{b}]");
        let (status, body) = officer.get(&format!("/api/people/{restricted}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}]");
        let refused_id = body["correlation_id"]
            .as_str()
            .unwrap_or_default()
            .to_string();

        let ids_for = |person| {
            let hearth = server.hearth.clone();
            let dpo = dpo.clone();
            async move {
                hearth
                    .audit_for_person(&dpo, person, 50)
                    .await
                    .expect("the access log")
                    .into_iter()
                    .filter(|e| e.event.action.starts_with("person.read"))
                    .map(|e| (e.event.decision, e.event.correlation_id.unwrap_or_default()))
                    .collect::<Vec<_>>()
            }
        };
        assert!(
            ids_for(open)
                .await
                .contains(&("allowed".to_string(), read_id.clone())),
            "[{b}] the read's audit row carries {read_id}"
        );
        assert!(
            ids_for(restricted)
                .await
                .contains(&("denied".to_string(), refused_id.clone())),
            "[{b}] the refusal's audit row carries {refused_id}"
        );
        assert_ne!(read_id, refused_id, "[{b}] each request has its own");
    }
}

/// Finding 11 (in part): the register's history names the accounts that changed it, so it is
/// for signed-in callers only; every cookie Hearth sets is `Secure`.
#[tokio::test]
async fn register_history_needs_a_sign_in_and_cookies_are_secure() {
    for db in all_backends().await {
        let server = server(db).await;
        let b = server.backend;
        let anonymous = server
            .http
            .get(format!("{}/api/register/history", server.base))
            .send()
            .await
            .expect("the server answers");
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "[{b}]");
        let officer = server
            .client("customer_service_officer", "customer_contact")
            .await;
        let (status, body) = officer.get("/api/register/history").await;
        assert_eq!(status, StatusCode::OK, "[{b}] {body}");

        // The staff sign-in form sets its cookie; it must not travel over plain HTTP.
        let form = server
            .http
            .get(format!("{}/staff/sign-in", server.base))
            .send()
            .await
            .expect("the sign-in page");
        let cookies: Vec<String> = form
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect();
        assert!(!cookies.is_empty(), "[{b}] the form sets a cookie");
        assert!(
            cookies.iter().all(|c| c.contains("; Secure")),
            "[{b}] {cookies:?}"
        );
    }
}
