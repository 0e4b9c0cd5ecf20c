//! Staff in the browser and the person controls over HTTP, on every backend: signing in sets a
//! Secure, HttpOnly, SameSite=Strict cookie; changes need the CSRF token; failures are limited;
//! signing out ends the session; the access log, consent and restriction endpoints work.

use hearth_core::clock::SystemClock;
use hearth_service::access::StaffInput;
use hearth_service::{Caller, Hearth};
use hearth_testkit::{TestDb, all_backends};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;

struct Server {
    name: &'static str,
    base: String,
    http: reqwest::Client,
    hearth: Hearth,
    _db: TestDb,
}

async fn spawn(db: TestDb) -> Server {
    let register = hearth_core::register::default_register()
        .unwrap_or_else(|p| panic!("shipped register: {p:?}"));
    let hearth = Hearth::new(db.store.clone(), Arc::new(register), Arc::new(SystemClock))
        .unwrap_or_else(|e| panic!("policy fits the register: {e}"));
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
        _db: db,
    }
}

async fn create_staff(hearth: &Hearth, username: &str, role: &str) -> String {
    let password = format!("{username} staple battery horse");
    hearth
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
    password
}

async fn status_and_body(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// Signs in; returns the cookie to send back and the CSRF token.
async fn sign_in(s: &Server, username: &str, password: &str) -> (String, String) {
    let response = s
        .http
        .post(format!("{}/api/session", s.base))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let set_cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let (status, body) = status_and_body(response).await;
    assert_eq!(status, StatusCode::CREATED, "[{}] sign in: {body}", s.name);
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(
            set_cookie.contains(attribute),
            "[{}] the session cookie lacks {attribute}: {set_cookie}",
            s.name
        );
    }
    let cookie = set_cookie.split(';').next().unwrap_or_default().to_string();
    let csrf = body["csrf_token"].as_str().unwrap_or_default().to_string();
    assert!(!csrf.is_empty() && cookie.starts_with("hearth_session="));
    assert!(
        !set_cookie.contains(&csrf),
        "the CSRF token is not in the cookie"
    );
    (cookie, csrf)
}

#[tokio::test]
async fn a_browser_session_needs_its_csrf_token_for_changes_and_ends_on_sign_out() {
    for db in all_backends().await {
        let s = spawn(db).await;
        let password = create_staff(&s.hearth, "hana", "housing_officer").await;
        let (cookie, csrf) = sign_in(&s, "hana", &password).await;
        let people = format!("{}/api/people", s.base);

        let (status, body) = status_and_body(
            s.http
                .get(&people)
                .header("cookie", &cookie)
                .header("x-hearth-purpose", "tenancy_management")
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::OK,
            "[{}] read with the cookie: {body}",
            s.name
        );

        let person = json!({"given_name": "Ada", "family_name": "Byrne"});
        let (status, body) = status_and_body(
            s.http
                .post(&people)
                .header("cookie", &cookie)
                .header("x-hearth-purpose", "tenancy_management")
                .json(&person)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "[{}] no CSRF token: {body}",
            s.name
        );
        assert_eq!(body["code"], "csrf");
        let (status, body) = status_and_body(
            s.http
                .post(&people)
                .header("cookie", &cookie)
                .header("x-hearth-purpose", "tenancy_management")
                .header("x-csrf-token", &csrf)
                .json(&person)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::CREATED,
            "[{}] with CSRF: {body}",
            s.name
        );

        let (status, body) = status_and_body(
            s.http
                .get(format!("{}/api/session", s.base))
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["roles"], json!(["housing_officer"]));
        assert_eq!(body["csrf_token"], csrf.as_str());

        let sign_out = |with_csrf: bool| {
            let mut request = s
                .http
                .delete(format!("{}/api/session", s.base))
                .header("cookie", &cookie);
            if with_csrf {
                request = request.header("x-csrf-token", &csrf);
            }
            request.send()
        };
        let refused = sign_out(false).await.map(|r| r.status()).ok();
        assert_eq!(
            refused,
            Some(StatusCode::FORBIDDEN),
            "[{}] sign-out needs CSRF",
            s.name
        );
        let done = sign_out(true).await.map(|r| r.status()).ok();
        assert_eq!(done, Some(StatusCode::NO_CONTENT), "[{}]", s.name);
        let after = s
            .http
            .get(&people)
            .header("cookie", &cookie)
            .header("x-hearth-purpose", "tenancy_management")
            .send()
            .await
            .map(|r| r.status())
            .ok();
        assert_eq!(
            after,
            Some(StatusCode::UNAUTHORIZED),
            "[{}] after sign-out",
            s.name
        );
    }
}

#[tokio::test]
async fn failed_sign_ins_are_refused_alike_then_limited() {
    for db in all_backends().await {
        let s = spawn(db).await;
        let password = create_staff(&s.hearth, "olu", "repairs_operative").await;
        let attempt = |username: &str, password: &str| {
            s.http
                .post(format!("{}/api/session", s.base))
                .json(&json!({"username": username, "password": password}))
                .send()
        };
        let mut statuses = Vec::new();
        for _ in 0..hearth_service::access::MAX_FAILURES {
            let (status, body) = status_and_body(
                attempt("olu", "wrong")
                    .await
                    .unwrap_or_else(|e| panic!("{e}")),
            )
            .await;
            assert_eq!(body["message"], "the name or password is not right");
            statuses.push(status);
        }
        assert!(statuses.iter().all(|s| *s == StatusCode::UNAUTHORIZED));
        let (status, body) = status_and_body(
            attempt("nobody", "wrong")
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(
            (status, body["message"].clone()),
            (
                StatusCode::UNAUTHORIZED,
                json!("the name or password is not right")
            ),
            "[{}] an unknown name is refused like a wrong password",
            s.name
        );
        let (status, body) = status_and_body(
            attempt("olu", &password)
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "[{}] {body}", s.name);
        assert_eq!(body["code"], "rate_limited");
    }
}

#[tokio::test]
async fn the_access_log_consent_and_restriction_endpoints_work_over_http() {
    for db in all_backends().await {
        let s = spawn(db).await;
        let operator = Caller::operator("tester");
        let token = |roles: &[&str], purposes: &[&str]| {
            let hearth = s.hearth.clone();
            let operator = operator.clone();
            let request = hearth_service::access::TokenRequest {
                name: "tests".into(),
                roles: roles.iter().map(|r| r.to_string()).collect(),
                purposes: purposes.iter().map(|p| p.to_string()).collect(),
                valid_days: 1,
            };
            async move {
                hearth
                    .create_api_token(&operator, &request)
                    .await
                    .map(|(_, secret)| secret)
                    .unwrap_or_else(|e| panic!("token: {e}"))
            }
        };
        let dpo = token(&["data_protection_officer"], &["information_rights"]).await;
        let cso = token(&["customer_service_officer"], &["customer_contact"]).await;
        let call = |method: reqwest::Method, path: String, secret: &str, purpose: &str| {
            s.http
                .request(method, format!("{}{path}", s.base))
                .bearer_auth(secret)
                .header("x-hearth-purpose", purpose)
        };

        let (status, person) = status_and_body(
            call(
                reqwest::Method::POST,
                "/api/people".into(),
                &cso,
                "customer_contact",
            )
            .json(&json!({"given_name": "Kwame", "family_name": "Asante"}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{}] {person}", s.name);
        let id = person["id"].as_str().unwrap_or_default().to_string();

        let restrict = |active: bool, reason: &str, secret: &str| {
            call(
                reqwest::Method::PUT,
                format!("/api/people/{id}/restriction"),
                secret,
                if secret == dpo {
                    "information_rights"
                } else {
                    "customer_contact"
                },
            )
            .json(&json!({"active": active, "reason": reason}))
            .send()
        };
        let (status, _) = status_and_body(
            restrict(true, "asked", &cso)
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "[{}] only the DPO restricts",
            s.name
        );
        let (status, body) = status_and_body(
            restrict(true, "accuracy contested", &dpo)
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(
            (status, body["restricted"].clone()),
            (StatusCode::OK, json!(true))
        );
        let (status, body) = status_and_body(
            call(
                reqwest::Method::GET,
                format!("/api/people/{id}"),
                &cso,
                "customer_contact",
            )
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "[{}] restricted: {body}",
            s.name
        );
        // The officer may not read the person's controls, so the refusal does not say that
        // the person restricted processing (the audit log keeps the policy that refused).
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| !m.contains("restriction") && m.contains("no policy allows")),
            "the refusal does not name the control: {body}"
        );

        // Lifting needs the day the person was told; with it, the restriction goes.
        let lift = |body: Value| {
            call(
                reqwest::Method::PUT,
                format!("/api/people/{id}/restriction"),
                &dpo,
                "information_rights",
            )
            .json(&body)
            .send()
        };
        let (status, body) = status_and_body(
            lift(json!({"active": false, "reason": "address verified"}))
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{}] {body}",
            s.name
        );
        assert_eq!(body["fields"][0]["field"], "told_on", "[{}] {body}", s.name);
        let today = hearth_core::retention::uk_date(hearth_core::clock::Clock::now(
            &hearth_core::clock::SystemClock,
        ));
        let (status, body) = status_and_body(
            lift(json!({"active": false, "reason": "address verified", "told_on": today.to_string()}))
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(
            (status, body["restricted"].clone()),
            (StatusCode::OK, json!(false)),
            "[{}] {body}",
            s.name
        );
        restrict(true, "accuracy contested again", &dpo)
            .await
            .unwrap_or_else(|e| panic!("{e}"));

        let (status, body) = status_and_body(
            call(
                reqwest::Method::POST,
                format!("/api/people/{id}/consents"),
                &cso,
                "customer_contact",
            )
            .json(&json!({"purpose": "customer_contact", "granted": true,
                          "wording": "ok?", "wording_version": "1"}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{}] consent is not asked for a public-task purpose: {body}",
            s.name
        );

        let (status, log) = status_and_body(
            call(
                reqwest::Method::GET,
                format!("/api/people/{id}/access-log?limit=50"),
                &dpo,
                "information_rights",
            )
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{}] {log}", s.name);
        let entries = log.as_array().cloned().unwrap_or_default();
        let denied_read = entries
            .iter()
            .find(|e| e["action"] == "person.read" && e["decision"] == "denied");
        assert!(
            denied_read.is_some_and(|e| e["purpose"] == "customer_contact"
                && e["actor"].as_str().is_some_and(|a| a.starts_with("api:"))),
            "[{}] the refused read is in the log with its purpose: {log}",
            s.name
        );
        assert!(
            entries
                .iter()
                .any(|e| e["action"] == "rights.restricted" && e["reason"] == "accuracy contested")
        );
        let (status, _) = status_and_body(
            call(
                reqwest::Method::GET,
                format!("/api/people/{id}/access-log"),
                &cso,
                "customer_contact",
            )
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "[{}] a CSO cannot read the log",
            s.name
        );
    }
}
