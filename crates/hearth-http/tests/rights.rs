//! The requests register over HTTP, on every backend: a request logged through the API is due on
//! the statutory date, waits while identity is awaited, shows in the views, takes its steps,
//! and refuses bad input by field without changing anything.

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

#[tokio::test]
async fn a_request_is_logged_worked_and_listed_through_the_api() {
    for db in all_backends().await {
        let register = hearth_core::register::default_register()
            .unwrap_or_else(|p| panic!("shipped register: {p:?}"));
        let hearth = Hearth::new(db.store.clone(), Arc::new(register), Arc::new(SystemClock))
            .unwrap_or_else(|e| panic!("policy fits the register: {e}"));
        let (_, secret) = hearth
            .create_api_token(
                &hearth_service::Caller::operator("tester"),
                &hearth_service::access::TokenRequest {
                    name: "rights desk".into(),
                    roles: vec!["data_protection_officer".into()],
                    purposes: vec!["information_rights".into()],
                    valid_days: 1,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("token: {e}"));
        let today = hearth.today();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let base = format!(
            "http://{}",
            listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
        );
        tokio::spawn(async move { axum::serve(listener, hearth_http::app(hearth)).await });
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
