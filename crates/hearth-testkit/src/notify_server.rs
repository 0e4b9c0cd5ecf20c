//! A local server implementing GOV.UK Notify's v2 endpoints, for tests: it checks every request's
//! JWT as Notify does (HS256, `iss` the service id, `iat` within 30 seconds, signed with the
//! secret), validates the body, remembers what it was sent, and can be told to fail.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use base64::Engine;
use hmac::{KeyInit, Mac};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

/// One message the server accepted.
#[derive(Debug, Clone)]
pub struct NotifySent {
    pub id: String,
    /// `email` or `sms`.
    pub kind: String,
    pub recipient: String,
    pub template_id: String,
    pub personalisation: serde_json::Map<String, Value>,
    pub reference: Option<String>,
}

#[derive(Default)]
struct Inner {
    sent: Vec<NotifySent>,
    /// Statuses to answer with for the next sends (429, 500...), first first.
    failures: Vec<u16>,
    /// The delivery status reported for every message.
    status: String,
}

/// The running server.
#[derive(Clone)]
pub struct NotifyServer {
    pub base_url: String,
    pub service_id: String,
    secret: String,
    inner: Arc<Mutex<Inner>>,
}

impl NotifyServer {
    /// Starts on a free local port. `api_key` is a key for this service, as Hearth's config holds.
    pub async fn start() -> Self {
        let service_id = uuid::Uuid::new_v4().to_string();
        let secret = uuid::Uuid::new_v4().to_string();
        let inner = Arc::new(Mutex::new(Inner {
            status: "delivered".into(),
            ..Inner::default()
        }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let base_url = format!(
            "http://{}",
            listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
        );
        let server = Self {
            base_url,
            service_id,
            secret,
            inner,
        };
        let app = axum::Router::new()
            .route(
                "/v2/notifications/email",
                post(|s, h, b| send(s, h, b, "email")),
            )
            .route(
                "/v2/notifications/sms",
                post(|s, h, b| send(s, h, b, "sms")),
            )
            .route("/v2/notifications/{id}", get(status))
            .with_state(server.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        server
    }

    /// An API key for this service (`name-service-secret`).
    pub fn api_key(&self) -> String {
        format!("hearth_test-{}-{}", self.service_id, self.secret)
    }

    /// A key with the right service and a wrong secret.
    pub fn wrong_key(&self) -> String {
        format!("hearth_test-{}-{}", self.service_id, uuid::Uuid::new_v4())
    }

    pub fn sent(&self) -> Vec<NotifySent> {
        self.inner
            .lock()
            .map(|i| i.sent.clone())
            .unwrap_or_default()
    }

    /// The next sends answer with these statuses, in order, before any succeeds.
    pub fn fail_next(&self, statuses: &[u16]) {
        if let Ok(mut i) = self.inner.lock() {
            i.failures.extend_from_slice(statuses);
        }
    }

    /// The delivery status reported from now on (`delivered`, `permanent-failure`, ...).
    pub fn report_status(&self, status: &str) {
        if let Ok(mut i) = self.inner.lock() {
            i.status = status.into();
        }
    }

    /// Checks a bearer token independently of any client: Notify's rules.
    fn authorised(&self, headers: &HeaderMap) -> Result<(), String> {
        let token = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or("Unauthorized: authentication token must be provided")?;
        let parts: Vec<&str> = token.split('.').collect();
        let [header, claims, signature] = parts[..] else {
            return Err("Invalid token: not a JWT".into());
        };
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let decode = |part: &str| -> Result<Value, String> {
            let bytes = b64
                .decode(part)
                .map_err(|_| "Invalid token: bad base64".to_string())?;
            serde_json::from_slice(&bytes).map_err(|_| "Invalid token: bad JSON".to_string())
        };
        if decode(header)?["alg"] != "HS256" {
            return Err("Invalid token: algorithm must be HS256".into());
        }
        let claims = decode(claims)?;
        if claims["iss"] != self.service_id.as_str() {
            return Err("Invalid token: service not found".into());
        }
        let iat = claims["iat"].as_i64().ok_or("Invalid token: no iat")?;
        // Like Notify, the server judges tokens by its own clock, not an injected one.
        #[allow(clippy::disallowed_methods)]
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        if (now - iat).abs() > 30 {
            return Err("Error: Your system clock must be accurate to within 30 seconds".into());
        }
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(self.secret.as_bytes())
            .map_err(|_| "Invalid token: key".to_string())?;
        mac.update(format!("{header}.{claims_part}", claims_part = parts[1]).as_bytes());
        let expected = b64.encode(mac.finalize().into_bytes());
        if expected != signature {
            return Err("Invalid token: signature, api token not found".into());
        }
        Ok(())
    }
}

fn error(status: StatusCode, kind: &str, message: &str) -> (StatusCode, Json<Value>) {
    (
        status,
        Json(
            json!({"status_code": status.as_u16(), "errors": [{"error": kind, "message": message}]}),
        ),
    )
}

async fn send(
    State(server): State<NotifyServer>,
    headers: HeaderMap,
    Json(body): Json<Value>,
    kind: &'static str,
) -> (StatusCode, Json<Value>) {
    if let Err(message) = server.authorised(&headers) {
        return error(StatusCode::FORBIDDEN, "AuthError", &message);
    }
    let failure = server
        .inner
        .lock()
        .ok()
        .and_then(|mut i| (!i.failures.is_empty()).then(|| i.failures.remove(0)));
    if let Some(code) = failure {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return error(status, "Exception", "Internal server error");
    }
    let field = if kind == "email" {
        "email_address"
    } else {
        "phone_number"
    };
    let recipient = body[field].as_str().unwrap_or_default().to_string();
    let template_id = body["template_id"].as_str().unwrap_or_default().to_string();
    if recipient.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "ValidationError",
            &format!("{field} is a required property"),
        );
    }
    if uuid::Uuid::parse_str(&template_id).is_err() {
        return error(
            StatusCode::BAD_REQUEST,
            "ValidationError",
            "template_id is not a valid UUID",
        );
    }
    let id = uuid::Uuid::new_v4().to_string();
    let sent = NotifySent {
        id: id.clone(),
        kind: kind.into(),
        recipient,
        template_id: template_id.clone(),
        personalisation: body["personalisation"]
            .as_object()
            .cloned()
            .unwrap_or_default(),
        reference: body["reference"].as_str().map(str::to_string),
    };
    if let Ok(mut i) = server.inner.lock() {
        i.sent.push(sent.clone());
    }
    (
        StatusCode::CREATED,
        Json(json!({
            "id": id,
            "reference": sent.reference,
            "content": {"body": "rendered by Notify", "from_number": "GOVUK"},
            "uri": format!("{}/v2/notifications/{id}", server.base_url),
            "template": {"id": template_id, "version": 1, "uri": ""},
        })),
    )
}

async fn status(
    State(server): State<NotifyServer>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> (StatusCode, Json<Value>) {
    if let Err(message) = server.authorised(&headers) {
        return error(StatusCode::FORBIDDEN, "AuthError", &message);
    }
    let (known, status) = server
        .inner
        .lock()
        .map(|i| (i.sent.iter().any(|s| s.id == id), i.status.clone()))
        .unwrap_or_default();
    if !known {
        return error(StatusCode::NOT_FOUND, "NoResultFound", "No result found");
    }
    (StatusCode::OK, Json(json!({"id": id, "status": status})))
}
