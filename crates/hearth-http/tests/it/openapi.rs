//! The OpenAPI document is the API: the committed copy is current, every documented route is
//! served, no route is registered without documentation, and the served copy is OpenAPI 3.1.

use hearth_core::clock::SystemClock;
use hearth_service::Hearth;
use reqwest::Method;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Starts the application on a fresh SQLite database; returns its base URL and the database.
async fn spawn_sqlite() -> (String, hearth_testkit::TestDb) {
    let (base, db, _) = spawn_with_token().await;
    (base, db)
}

/// As `spawn_sqlite`, with the secret of an API token for a housing officer.
async fn spawn_with_token() -> (String, hearth_testkit::TestDb, String) {
    let db = hearth_testkit::sqlite().await;
    let register = hearth_core::register::default_register()
        .unwrap_or_else(|p| panic!("shipped register: {p:?}"));
    let hearth = Hearth::new(db.store.clone(), Arc::new(register), Arc::new(SystemClock))
        .unwrap_or_else(|e| panic!("policy fits the register: {e}"));
    let (_, secret) = hearth
        .create_api_token(
            &hearth_service::Caller::operator("tester"),
            &hearth_service::access::TokenRequest {
                name: "document tests".into(),
                roles: vec!["housing_officer".into()],
                purposes: vec!["tenancy_management".into()],
                valid_days: 1,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("token: {e}"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("local address: {e}"));
    tokio::spawn(async move { axum::serve(listener, hearth_http::app(hearth)).await });
    (format!("http://{addr}"), db, secret)
}

fn document() -> Value {
    serde_json::to_value(hearth_http::openapi_document())
        .unwrap_or_else(|e| panic!("document as JSON: {e}"))
}

#[test]
fn committed_document_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    let committed =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let current = hearth_http::openapi_document()
        .to_pretty_json()
        .unwrap_or_else(|e| panic!("render: {e}"));
    if committed.trim_end() != current.trim_end() {
        let first_difference = committed
            .lines()
            .zip(current.lines())
            .enumerate()
            .find(|(_, (old, new))| old != new)
            .map(|(i, (old, new))| format!("line {}: committed {old:?}, current {new:?}", i + 1))
            .unwrap_or_else(|| "one is a prefix of the other".into());
        panic!(
            "docs/openapi.json is out of date with the API ({first_difference}).\n\
             Run `cargo run -p hearth -- openapi > docs/openapi.json` and commit the result."
        );
    }
}

/// A documented path with each `{parameter}` replaced by a fresh id.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|part| {
            if part.starts_with('{') {
                uuid::Uuid::new_v4().to_string()
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Every documented operation: path, method and its description.
fn operations(doc: &Value) -> Vec<(String, Method, Value)> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().cloned().unwrap_or_default() {
        for (method, operation) in item.as_object().cloned().unwrap_or_default() {
            if let Ok(verb) = Method::from_bytes(method.to_ascii_uppercase().as_bytes()) {
                found.push((path.clone(), verb, operation));
            }
        }
    }
    found
}

/// Routes outside the gate: health and the register hold no personal data, the session
/// routes are how staff obtain credentials (they check their own), and a resident's download
/// link is its own single-use credential (tested in `rights.rs`), as is a video-call link and
/// the call session it starts (tested in `call_pages.rs`); the page assets hold no data; staff
/// pages check the browser session themselves and fetch their data through the gated API
/// (tested in `staff_pages.rs` and the browser test).
/// Routes for any signed-in caller, with no purpose: they hold no resident's data, but say
/// who changed what.
const SIGNED_IN_ROUTES: &[&str] = &["/api/register/history"];

const OPEN_ROUTES: &[&str] = &[
    "/health",
    "/api/register",
    "/api/session",
    "/api/rights/downloads",
    "/call/",
    "/assets/",
    "/staff/",
    // Residents' pages: their session cookie, checked by the services they call.
    "/resident",
];

#[tokio::test]
async fn every_route_with_personal_data_needs_a_token_and_a_purpose() {
    let (base, _db, secret) = spawn_with_token().await;
    let http = reqwest::Client::new();
    let doc = document();
    let mut problems = Vec::new();
    let mut gated = 0;
    for (path, verb, operation) in operations(&doc) {
        let secured = operation["security"]
            .as_array()
            .is_some_and(|s| !s.is_empty());
        if SIGNED_IN_ROUTES.contains(&path.as_str()) {
            // No personal data by purpose, but not for everyone: a token, no purpose.
            let status = http
                .request(verb.clone(), format!("{base}{path}"))
                .send()
                .await
                .unwrap_or_else(|e| panic!("{verb} {path}: {e}"))
                .status();
            if !secured || status != reqwest::StatusCode::UNAUTHORIZED {
                problems.push(format!(
                    "{verb} {path}: a signed-in route must document its token and refuse without one (got {status})"
                ));
            }
            continue;
        }
        let open = OPEN_ROUTES.iter().any(|p| path.starts_with(p));
        let names_purpose = operation["parameters"].as_array().is_some_and(|ps| {
            ps.iter()
                .any(|p| p["name"] == "X-Hearth-Purpose" && p["required"] == true)
        });
        if open {
            if secured {
                problems.push(format!(
                    "{verb} {path}: an open route documented as needing a token"
                ));
            }
            continue;
        }
        gated += 1;
        if !secured || !names_purpose {
            problems.push(format!(
                "{verb} {path}: token or purpose header not documented"
            ));
        }
        let url = format!("{base}{}", concrete(&path));
        let body = serde_json::json!({});
        let send = |request: reqwest::RequestBuilder| async {
            let request = if verb == Method::POST || verb == Method::PUT {
                request.json(&body)
            } else {
                request
            };
            request
                .send()
                .await
                .unwrap_or_else(|e| panic!("{verb} {path}: {e}"))
                .status()
                .as_u16()
        };
        let without_token = send(http.request(verb.clone(), &url)).await;
        let wrong_token = send(http.request(verb.clone(), &url).bearer_auth("not-a-token")).await;
        let without_purpose = send(http.request(verb.clone(), &url).bearer_auth(&secret)).await;
        let unknown_purpose = send(
            http.request(verb.clone(), &url)
                .bearer_auth(&secret)
                .header("X-Hearth-Purpose", "gossip"),
        )
        .await;
        if (without_token, wrong_token, without_purpose, unknown_purpose) != (401, 401, 400, 400) {
            problems.push(format!(
                "{verb} {path}: no token {without_token}, bad token {wrong_token}, \
                 no purpose {without_purpose}, unknown purpose {unknown_purpose}"
            ));
        }
    }
    assert!(gated >= 15, "expected the record routes, found {gated}");
    assert!(
        problems.is_empty(),
        "routes not behind the gate:\n  {}",
        problems.join("\n  ")
    );
}

#[tokio::test]
async fn every_documented_route_is_served() {
    let (base, _db) = spawn_sqlite().await;
    let http = reqwest::Client::new();
    let doc = document();
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    let mut problems = Vec::new();
    let mut checked = 0;
    for (path, operations) in &paths {
        let has_params = path.contains('{');
        let concrete = path
            .split('/')
            .map(|part| {
                if part.starts_with('{') {
                    uuid::Uuid::new_v4().to_string()
                } else {
                    part.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in operations
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let Ok(verb) = Method::from_bytes(method.to_ascii_uppercase().as_bytes()) else {
                continue;
            };
            let mut request = http.request(verb.clone(), format!("{base}{concrete}"));
            if verb == Method::POST || verb == Method::PUT {
                request = request.json(&serde_json::json!({}));
            }
            let status = request
                .send()
                .await
                .unwrap_or_else(|e| panic!("{verb} {concrete}: {e}"))
                .status();
            checked += 1;
            if status == reqwest::StatusCode::METHOD_NOT_ALLOWED
                || (!has_params && status == reqwest::StatusCode::NOT_FOUND)
            {
                problems.push(format!("{verb} {path} (sent {concrete}): {status}"));
            }
        }
    }
    assert!(
        checked >= 20,
        "expected the document to list the API's operations, found {checked}"
    );
    assert!(
        problems.is_empty(),
        "documented but not served:\n  {}",
        problems.join("\n  ")
    );
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    let mut files = Vec::new();
    for path in entries.filter_map(|e| e.ok()).map(|e| e.path()) {
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|x| x == "rs") {
            files.push(path);
        }
    }
    files
}

#[test]
fn no_route_bypasses_the_document() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = rust_files(&src);
    assert!(
        files.iter().any(|f| f.ends_with("lib.rs")),
        "no sources found under {}",
        src.display()
    );
    let mut offences = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
        for (n, line) in text.lines().enumerate() {
            // `OpenApiRouter::new()` is the documented way; a bare or `axum::` `Router::new()` is not.
            let bare_router = line.match_indices("Router::new()").any(|(at, _)| {
                !line[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            if line.contains(".route(") || line.contains(".route_service(") || bare_router {
                offences.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        offences.is_empty(),
        "routes must be registered with utoipa-axum's `routes!` (which needs #[utoipa::path] docs), not plain axum:\n  {}",
        offences.join("\n  ")
    );
}

#[tokio::test]
async fn served_document_is_openapi_3_1() {
    let (base, _db) = spawn_sqlite().await;
    let response = reqwest::get(format!("{base}/api/openapi.json"))
        .await
        .unwrap_or_else(|e| panic!("GET: {e}"));
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    let served: Value = response
        .json()
        .await
        .unwrap_or_else(|e| panic!("not JSON: {e}"));
    let version = served["openapi"].as_str().unwrap_or("");
    assert!(
        version.starts_with("3.1"),
        "served document is OpenAPI {version:?}, not 3.1"
    );
    assert_eq!(
        served,
        document(),
        "the served document is the one `openapi_document()` builds"
    );
}
