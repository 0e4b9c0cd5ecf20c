//! Repairs over HTTP, on every backend: a planner reports a repair taken by phone, triages it,
//! gives a job to a contractor, books a visit and closes it with the resident's satisfaction,
//! each change from the version in the ETag; bad input is refused by field and changes nothing.

use hearth_core::clock::SystemClock;
use hearth_service::{Caller, Hearth};
use hearth_testkit::all_backends;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;

use crate::common::{serve, tenant_and_home};

async fn send(request: reqwest::RequestBuilder, what: &str) -> (StatusCode, Value, Option<String>) {
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let status = response.status();
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body, etag)
}

#[tokio::test]
async fn a_repair_is_reported_worked_and_closed_through_the_api() {
    for db in all_backends().await {
        let register =
            hearth_core::register::default_register().unwrap_or_else(|p| panic!("{p:?}"));
        let hearth = Hearth::new(db.store.clone(), Arc::new(register), Arc::new(SystemClock))
            .unwrap_or_else(|e| panic!("{e}"));
        let (person, home) = tenant_and_home(&hearth).await;
        let (_, secret) = hearth
            .create_api_token(
                &Caller::operator("tester"),
                &hearth_service::access::TokenRequest {
                    name: "repairs desk".into(),
                    roles: vec!["repairs_planner".into()],
                    purposes: vec!["repairs_and_maintenance".into()],
                    valid_days: 1,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("token: {e}"));
        let base = serve(hearth).await;
        let http = reqwest::Client::new();
        let call = |method: reqwest::Method, path: &str, version: Option<&str>| {
            let mut r = http
                .request(method, format!("{base}{path}"))
                .bearer_auth(&secret)
                .header("x-hearth-purpose", "repairs_and_maintenance");
            if let Some(v) = version {
                r = r.header("if-match", v);
            }
            r
        };
        let post = |path: &str, version: Option<&str>, body: Value| {
            call(reqwest::Method::POST, path, version).json(&body)
        };

        // Bad input: every problem by field, nothing created.
        let (status, body, _) = send(
            post(
                "/api/repairs",
                None,
                json!({"person_id": person, "category": "plumbin", "description": " "}),
            ),
            "bad",
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {body}",
            db.name
        );
        let fields: Vec<&str> = body["fields"]
            .as_array()
            .map(|a| a.iter().filter_map(|f| f["field"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(
            fields,
            ["property_id", "category", "description"],
            "{}",
            db.name
        );
        let (_, listed, _) = send(call(reqwest::Method::GET, "/api/repairs", None), "list").await;
        assert_eq!(listed.as_array().map(Vec::len), Some(0));

        let (status, file, etag) = send(post("/api/repairs", None, json!({
            "person_id": person, "property_id": home, "category": "heating", "priority": "routine",
            "reported_via": "phone", "description": "No heating since Sunday; two children at home"
        })), "report").await;
        assert_eq!(status, StatusCode::CREATED, "{}: {file}", db.name);
        assert_eq!(etag.as_deref(), Some("\"1\""));
        let id = file["repair"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let reference = file["repair"]["reference"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let (_, found, _) = send(
            call(
                reqwest::Method::GET,
                &format!("/api/repairs?reference={reference}"),
                None,
            ),
            "by reference",
        )
        .await;
        assert_eq!(found[0]["id"].as_str(), Some(id.as_str()));

        // Changes need the version: none is 428, a stale one 409.
        let triage = json!({"priority": "urgent", "note": "Vulnerable household"});
        let (status, _, _) = send(
            post(&format!("/api/repairs/{id}/triage"), None, triage.clone()),
            "no version",
        )
        .await;
        assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);
        let (status, _, _) = send(
            post(
                &format!("/api/repairs/{id}/triage"),
                Some("\"7\""),
                triage.clone(),
            ),
            "stale",
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, triaged, etag) = send(
            post(&format!("/api/repairs/{id}/triage"), Some("\"1\""), triage),
            "triage",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}: {triaged}", db.name);
        assert_eq!(triaged["repair"]["priority"], "urgent");

        let (status, jobbed, etag) = send(
            post(
                &format!("/api/repairs/{id}/jobs"),
                etag.as_deref(),
                json!({"contractor": "Calder Heating Ltd", "instructions": "Boiler not firing"}),
            ),
            "job",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}: {jobbed}", db.name);
        let job = jobbed["jobs"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let (status, booked, etag) = send(post(&format!("/api/repairs/{id}/appointments"), etag.as_deref(), json!({
            "kind": "home_visit", "job_id": job, "starts_at": "2099-01-05T08:00:00Z", "ends_at": "2099-01-05T12:00:00Z"
        })), "book").await;
        assert_eq!(status, StatusCode::OK, "{}: {booked}", db.name);
        assert_eq!(booked["repair"]["status"], "scheduled");
        let visit = booked["appointments"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let (status, _, etag) = send(
            post(
                &format!("/api/repairs/{id}/appointments/{visit}/outcome"),
                etag.as_deref(),
                json!({"outcome": "attended"}),
            ),
            "attended",
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _, etag) = send(
            post(
                &format!("/api/repairs/{id}/jobs/{job}/outcome"),
                etag.as_deref(),
                json!({"outcome": "completed"}),
            ),
            "job done",
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, body, _) = send(
            post(
                &format!("/api/repairs/{id}/status"),
                etag.as_deref(),
                json!({"status": "completed"}),
            ),
            "no resolution",
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, done, etag) = send(
            post(
                &format!("/api/repairs/{id}/status"),
                etag.as_deref(),
                json!({"status": "completed", "resolution": "visit"}),
            ),
            "complete",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}: {done}", db.name);
        let (status, rated, _) = send(
            post(
                &format!("/api/repairs/{id}/satisfaction"),
                etag.as_deref(),
                json!({"score": 4, "comment": "Warm again"}),
            ),
            "rate",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}: {rated}", db.name);
        assert_eq!(rated["repair"]["satisfaction"]["score"], 4);

        let (_, closed, _) = send(
            call(reqwest::Method::GET, "/api/repairs?status=completed", None),
            "completed",
        )
        .await;
        assert_eq!(closed.as_array().map(Vec::len), Some(1));
        let statuses: Vec<&str> = rated["history"]
            .as_array()
            .map(|h| h.iter().filter_map(|c| c["status"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(
            statuses,
            [
                "reported",
                "reported",
                "scheduled",
                "in_progress",
                "completed"
            ]
        );
        // An API client is not an operative: job sheets are refused.
        let (status, _, _) = send(call(reqwest::Method::GET, "/api/jobs/mine", None), "jobs").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}
