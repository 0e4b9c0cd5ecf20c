//! Retention and filed records over HTTP, on every backend, as staff in the browser use them:
//! filing a record with a photo, a legal hold that keeps it past its period, a run started
//! from the API, the signed certificate as JSON and as a page, and a disposal review decided
//! by the named role only.

use hearth_core::audit::CheckpointKey;
use hearth_core::clock::ManualClock;
use hearth_core::retention::SignedCertificate;
use hearth_service::access::StaffInput;
use hearth_service::retention::MediaStore;
use hearth_service::{Caller, Hearth};
use hearth_testkit::{TestDb, all_backends};
use jiff::civil::{Date, date};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;

struct Server {
    name: &'static str,
    base: String,
    http: reqwest::Client,
    hearth: Hearth,
    clock: Arc<ManualClock>,
    public_key: String,
    _media: tempfile::TempDir,
    _db: TestDb,
}

/// A signed-in member of staff: the session cookie and its CSRF token.
struct Staff {
    username: String,
    id: String,
    cookie: String,
    csrf: String,
}

/// A reply: status, content type, and the body as JSON (or as a JSON string when not JSON).
struct Reply {
    status: StatusCode,
    content_type: String,
    bytes: Vec<u8>,
    body: Value,
}

fn at(day: Date) -> jiff::Timestamp {
    day.at(10, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn spawn(db: TestDb, start: Date) -> Server {
    let register = hearth_core::register::default_register()
        .unwrap_or_else(|p| panic!("shipped register: {p:?}"));
    let clock = Arc::new(ManualClock::new(at(start)));
    let media = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let key = CheckpointKey::from_seed([7; 32]);
    let public_key = key.public_key();
    let hearth = Hearth::new(db.store.clone(), Arc::new(register), clock.clone())
        .unwrap_or_else(|e| panic!("policy fits the register: {e}"))
        .with_media(MediaStore::local(media.path()).unwrap_or_else(|e| panic!("{e}")))
        .with_signing_key(key);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("local address: {e}"));
    let app = hearth_http::app(hearth.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Server {
        name: db.name,
        base: format!("http://{addr}"),
        http: reqwest::Client::new(),
        hearth,
        clock,
        public_key,
        _media: media,
        _db: db,
    }
}

impl Server {
    /// Creates a member of staff with one role and signs them in.
    async fn staff(&self, username: &str, role: &str) -> Staff {
        let password = format!("{username} staple battery horse");
        let account = self
            .hearth
            .create_staff(
                &Caller::operator("tester"),
                &StaffInput {
                    username: username.into(),
                    display_name: username.into(),
                    password: password.clone(),
                    roles: vec![role.into()],
                    teams: vec![],
                },
            )
            .await
            .unwrap_or_else(|e| panic!("staff: {e}"));
        let mut staff = Staff {
            username: username.into(),
            id: account.id.to_string(),
            cookie: String::new(),
            csrf: String::new(),
        };
        self.sign_in(&mut staff).await;
        staff
    }

    /// Signs in again (after the clock has moved past the session's life).
    async fn sign_in(&self, staff: &mut Staff) {
        let response = self
            .http
            .post(format!("{}/api/session", self.base))
            .json(&json!({
                "username": staff.username,
                "password": format!("{} staple battery horse", staff.username),
            }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|c| c.split(';').next())
            .unwrap_or_default()
            .to_string();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        staff.cookie = cookie;
        staff.csrf = body["csrf_token"].as_str().unwrap_or_default().to_string();
        assert!(!staff.csrf.is_empty(), "[{}] sign in: {body}", self.name);
    }

    async fn call(
        &self,
        who: &Staff,
        method: Method,
        path: &str,
        purpose: &str,
        body: Option<Value>,
    ) -> Reply {
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .header("cookie", &who.cookie)
            .header("x-csrf-token", &who.csrf)
            .header("x-hearth-purpose", purpose);
        if let Some(body) = body {
            request = request.json(&body);
        }
        reply(request, &format!("[{}] {method} {path}", self.name)).await
    }

    async fn upload(&self, who: &Staff, path: &str, content_type: &str, bytes: Vec<u8>) -> Reply {
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", &who.cookie)
            .header("x-csrf-token", &who.csrf)
            .header("x-hearth-purpose", "blue_badge")
            .header("content-type", content_type)
            .body(bytes);
        reply(request, &format!("[{}] upload {path}", self.name)).await
    }
}

async fn reply(request: reqwest::RequestBuilder, what: &str) -> Reply {
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let bytes = response
        .bytes()
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"))
        .to_vec();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    Reply {
        status,
        content_type,
        bytes,
        body,
    }
}

fn id_of(body: &Value) -> String {
    body["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {body}"))
        .to_string()
}

fn line<'a>(report: &'a Value, record_type: &str) -> &'a Value {
    report["lines"]
        .as_array()
        .and_then(|lines| lines.iter().find(|l| l["record_type"] == record_type))
        .unwrap_or_else(|| panic!("no line for {record_type} in {report}"))
}

#[tokio::test]
async fn a_held_photo_outlives_its_schedule_and_goes_with_a_certificate_after_the_lift() {
    for db in all_backends().await {
        let s = spawn(db, date(2026, 1, 5)).await;
        let name = s.name;

        // The schedules are public, like the register they come from.
        let schedules = reply(
            s.http.get(format!("{}/api/register/schedules", s.base)),
            "schedules",
        )
        .await;
        assert_eq!(
            schedules.status,
            StatusCode::OK,
            "[{name}] {}",
            schedules.body
        );
        let photos = schedules
            .body
            .as_array()
            .and_then(|all| all.iter().find(|v| v["record_type"] == "blue_badge_photos"));
        assert_eq!(
            photos.map(|p| p["action"].clone()),
            Some(json!("delete")),
            "[{name}] {}",
            schedules.body
        );

        let cso = s.staff("cso", "customer_service_officer").await;
        let mut dpo = s.staff("dpo", "data_protection_officer").await;

        // Filing: a record type with a resource of its own, or none in the register, is refused.
        for (record_type, why) in [
            ("person_record", "own API"),
            ("gossip", "not a record type"),
        ] {
            let refused = s
                .call(
                    &cso,
                    Method::POST,
                    "/api/records",
                    "blue_badge",
                    Some(json!({"record_type": record_type, "title": "x"})),
                )
                .await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "[{name}] {why}: {}",
                refused.body
            );
            assert_eq!(
                refused.body["fields"][0]["field"], "record_type",
                "[{name}] {}",
                refused.body
            );
        }
        let filed = s
            .call(
                &cso,
                Method::POST,
                "/api/records",
                "blue_badge",
                Some(
                    json!({"record_type": "blue_badge_photos", "title": "Photo for badge renewal"}),
                ),
            )
            .await;
        assert_eq!(filed.status, StatusCode::CREATED, "[{name}] {}", filed.body);
        let record = id_of(&filed.body);

        let empty = s
            .upload(
                &cso,
                &format!("/api/records/{record}/media"),
                "image/jpeg",
                vec![],
            )
            .await;
        assert_eq!(
            empty.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{name}] {}",
            empty.body
        );
        // Larger than the JSON limit, well within the media limit.
        let photo: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        let stored = s
            .upload(
                &cso,
                &format!("/api/records/{record}/media"),
                "image/jpeg",
                photo.clone(),
            )
            .await;
        assert_eq!(
            stored.status,
            StatusCode::CREATED,
            "[{name}] {}",
            stored.body
        );
        let media = id_of(&stored.body);
        let listed = s
            .call(
                &cso,
                Method::GET,
                &format!("/api/records/{record}/media"),
                "blue_badge",
                None,
            )
            .await;
        assert_eq!(
            listed.body.as_array().map(Vec::len),
            Some(1),
            "[{name}] {}",
            listed.body
        );
        let fetched = s
            .call(
                &cso,
                Method::GET,
                &format!("/api/records/{record}/media/{media}"),
                "blue_badge",
                None,
            )
            .await;
        assert_eq!(fetched.status, StatusCode::OK);
        assert_eq!(fetched.content_type, "image/jpeg");
        assert!(
            fetched.bytes == photo,
            "[{name}] the photo comes back as stored"
        );

        // Activity needs the version.
        let activity = format!("/api/records/{record}/activity");
        let unversioned = s
            .call(&cso, Method::POST, &activity, "blue_badge", Some(json!({})))
            .await;
        assert_eq!(
            unversioned.status,
            StatusCode::PRECONDITION_REQUIRED,
            "[{name}] {}",
            unversioned.body
        );

        // A hold on the record, placed by the data protection officer.
        let hold = s
            .call(
                &dpo,
                Method::POST,
                "/api/retention/holds",
                "records_management",
                Some(json!({
                    "scope": {"kind": "record", "record_type": "blue_badge_photos", "record_id": record},
                    "reason": "Needed for an appeal against a refused badge",
                    "requester": "Tribunal clerk",
                    "owner": dpo.id,
                    "review_on": "2026-12-01",
                })),
            )
            .await;
        assert_eq!(hold.status, StatusCode::CREATED, "[{name}] {}", hold.body);
        let hold_id = id_of(&hold.body);
        let officer_refused = s
            .call(
                &cso,
                Method::GET,
                "/api/retention/holds",
                "records_management",
                None,
            )
            .await;
        assert_eq!(
            officer_refused.status,
            StatusCode::FORBIDDEN,
            "[{name}] {}",
            officer_refused.body
        );

        // Seven months on, past the six-month schedule: the hold keeps the photo.
        s.clock.set(at(date(2026, 8, 10)));
        s.sign_in(&mut dpo).await;
        let not_dry = s
            .call(
                &dpo,
                Method::POST,
                "/api/retention/runs",
                "records_management",
                Some(json!({"as_of": "2027-01-01"})),
            )
            .await;
        assert_eq!(
            not_dry.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{name}] {}",
            not_dry.body
        );
        let held = s
            .call(
                &dpo,
                Method::POST,
                "/api/retention/runs",
                "records_management",
                Some(json!({})),
            )
            .await;
        assert_eq!(held.status, StatusCode::OK, "[{name}] {}", held.body);
        assert_eq!(
            line(&held.body, "blue_badge_photos")["held"],
            1,
            "[{name}] {}",
            held.body
        );
        assert_eq!(line(&held.body, "blue_badge_photos")["destroyed"], 0);

        let lifted = s
            .call(
                &dpo,
                Method::POST,
                &format!("/api/retention/holds/{hold_id}/lift"),
                "records_management",
                Some(json!({"reason": "The appeal was decided"})),
            )
            .await;
        assert_eq!(lifted.status, StatusCode::OK, "[{name}] {}", lifted.body);
        let again = s
            .call(
                &dpo,
                Method::POST,
                &format!("/api/retention/holds/{hold_id}/lift"),
                "records_management",
                Some(json!({"reason": "The appeal was decided"})),
            )
            .await;
        assert_eq!(
            again.status,
            StatusCode::CONFLICT,
            "[{name}] {}",
            again.body
        );

        let gone = s
            .call(
                &dpo,
                Method::POST,
                "/api/retention/runs",
                "records_management",
                Some(json!({})),
            )
            .await;
        assert_eq!(
            line(&gone.body, "blue_badge_photos")["destroyed"],
            1,
            "[{name}] {}",
            gone.body
        );
        let run_id = gone.body["run_id"].as_str().unwrap_or_default().to_string();
        let read = s
            .call(
                &dpo,
                Method::GET,
                &format!("/api/records/{record}"),
                "information_rights",
                None,
            )
            .await;
        assert_eq!(read.status, StatusCode::NOT_FOUND, "[{name}] {}", read.body);

        let runs = s
            .call(
                &dpo,
                Method::GET,
                "/api/retention/runs",
                "records_management",
                None,
            )
            .await;
        assert_eq!(
            runs.body.as_array().map(Vec::len),
            Some(2),
            "[{name}] {}",
            runs.body
        );
        assert_eq!(runs.body[0]["id"], run_id.as_str());
        assert_eq!(runs.body[0]["destroyed"], 1);

        let certificate = s
            .call(
                &dpo,
                Method::GET,
                &format!("/api/retention/runs/{run_id}/certificate"),
                "records_management",
                None,
            )
            .await;
        assert_eq!(
            certificate.status,
            StatusCode::OK,
            "[{name}] {}",
            certificate.body
        );
        let signed: SignedCertificate = serde_json::from_value(certificate.body.clone())
            .unwrap_or_else(|e| panic!("[{name}] certificate: {e}"));
        assert_eq!(signed.verify(Some(&s.public_key)), Ok(()));
        let page = s
            .call(
                &dpo,
                Method::GET,
                &format!("/api/retention/runs/{run_id}/certificate?format=html"),
                "records_management",
                None,
            )
            .await;
        assert!(
            page.content_type.starts_with("text/html"),
            "[{name}] {}",
            page.content_type
        );
        let html = String::from_utf8_lossy(&page.bytes);
        assert!(
            html.contains(&run_id) && html.contains("Blue Badge"),
            "[{name}] {html}"
        );
        let bad_format = s
            .call(
                &dpo,
                Method::GET,
                &format!("/api/retention/runs/{run_id}/certificate?format=pdf"),
                "records_management",
                None,
            )
            .await;
        assert_eq!(bad_format.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn a_review_is_decided_over_http_by_its_role_only() {
    for db in all_backends().await {
        let s = spawn(db, date(2026, 1, 5)).await;
        let name = s.name;
        let mut manager = s.staff("csm", "customer_service_manager").await;
        let mut officer = s.staff("cso", "customer_service_officer").await;
        let mut dpo = s.staff("dpo", "data_protection_officer").await;
        // Contact centre seniors keep the record of incidents; managers read it.
        let senior = s.staff("ccs", "contact_centre_senior").await;
        let filed = s
            .call(
                &senior,
                Method::POST,
                "/api/records",
                "security_incidents",
                Some(json!({"record_type": "security_incidents", "title": "Ban after an assault on staff"})),
            )
            .await;
        assert_eq!(filed.status, StatusCode::CREATED, "[{name}] {}", filed.body);
        let record = id_of(&filed.body);

        s.clock.set(at(date(2026, 7, 6)));
        for who in [&mut manager, &mut officer, &mut dpo] {
            s.sign_in(who).await;
        }
        let dry = s
            .call(
                &dpo,
                Method::POST,
                "/api/retention/runs",
                "records_management",
                Some(json!({"dry_run": true, "only": "security_incidents"})),
            )
            .await;
        assert_eq!(
            line(&dry.body, "security_incidents")["queued_for_review"],
            1,
            "[{name}] {}",
            dry.body
        );
        let queued = s
            .call(
                &dpo,
                Method::POST,
                "/api/retention/runs",
                "records_management",
                Some(json!({})),
            )
            .await;
        assert_eq!(
            line(&queued.body, "security_incidents")["queued_for_review"],
            1,
            "[{name}] {}",
            queued.body
        );

        let pending = s
            .call(
                &manager,
                Method::GET,
                "/api/retention/reviews?status=pending",
                "records_management",
                None,
            )
            .await;
        assert_eq!(pending.status, StatusCode::OK, "[{name}] {}", pending.body);
        let review = pending
            .body
            .as_array()
            .and_then(|all| all.iter().find(|r| r["record_id"] == record.as_str()));
        let review = review
            .map(id_of)
            .unwrap_or_else(|| panic!("[{name}] no review: {}", pending.body));
        let bad_status = s
            .call(
                &manager,
                Method::GET,
                "/api/retention/reviews?status=maybe",
                "records_management",
                None,
            )
            .await;
        assert_eq!(bad_status.status, StatusCode::UNPROCESSABLE_ENTITY);

        let decision = format!("/api/retention/reviews/{review}/decision");
        let refused = s
            .call(
                &officer,
                Method::POST,
                &decision,
                "records_management",
                Some(json!({"decision": "approve"})),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "[{name}] {}",
            refused.body
        );
        let short = s
            .call(
                &manager,
                Method::POST,
                &decision,
                "records_management",
                Some(json!({"decision": "extend", "reason": "no", "until": "2027-01-01"})),
            )
            .await;
        assert_eq!(
            short.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{name}] {}",
            short.body
        );
        let approved = s
            .call(
                &manager,
                Method::POST,
                &decision,
                "records_management",
                Some(json!({"decision": "approve"})),
            )
            .await;
        assert_eq!(
            approved.status,
            StatusCode::OK,
            "[{name}] {}",
            approved.body
        );
        assert_eq!(approved.body["status"], "approved");
        let twice = s
            .call(
                &manager,
                Method::POST,
                &decision,
                "records_management",
                Some(json!({"decision": "approve"})),
            )
            .await;
        assert_eq!(
            twice.status,
            StatusCode::CONFLICT,
            "[{name}] {}",
            twice.body
        );

        let destroyed = s
            .call(
                &dpo,
                Method::POST,
                "/api/retention/runs",
                "records_management",
                Some(json!({})),
            )
            .await;
        assert_eq!(
            line(&destroyed.body, "security_incidents")["destroyed"],
            1,
            "[{name}] {}",
            destroyed.body
        );
    }
}
