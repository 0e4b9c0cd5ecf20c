//! A local server implementing GOV.UK One Login's OpenID Connect provider endpoints, for tests
//! of resident sign-in (Hearth is the relying party): discovery, JWKS, `/authorize`, `/token`
//! (authorisation code with PKCE and `private_key_jwt` client authentication), `/userinfo` and
//! `/logout`.
//!
//! It checks every request by One Login's rules with its own code (aws-lc-rs for ES256, no JWT
//! library), so a mistake in the relying party's JWT library or its use of it shows up here. It
//! remembers why it refused requests, and can be told to answer the next token request wrongly
//! (wrong nonce, audience, issuer, expired, signed by a foreign key, lower confidence) so the
//! relying party's checks of the ID token can be tested.

use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair,
    UnparsedPublicKey,
};
use axum::Json;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Authentication levels this provider can give (identity levels, `P1`/`P2`, are not offered).
const LEVELS: [&str; 2] = ["Cl", "Cl.Cm"];
const SCOPES: [&str; 4] = ["openid", "email", "phone", "offline_access"];
const CODE_LIFETIME: Duration = Duration::from_secs(300);
const ACCESS_TOKEN_SECONDS: u64 = 180;
const ID_TOKEN_SECONDS: i64 = 120;

/// The One Login user who signs in at `/authorize`.
#[derive(Clone, Debug)]
pub struct OneLoginUser {
    /// The pairwise subject identifier (`sub`), e.g. `urn:fdc:gov.uk:2022:...`.
    pub subject: String,
    pub email: String,
    pub phone: Option<String>,
}

/// A way to get the next token response wrong, for testing the relying party's checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Misbehaviour {
    /// The ID token's `nonce` is not the one sent to `/authorize`.
    WrongNonce,
    /// The ID token's `aud` is another client.
    WrongAudience,
    /// The ID token's `iss` is another issuer.
    WrongIssuer,
    /// The ID token expired a minute ago.
    Expired,
    /// The ID token is signed by a key not in the JWKS, under the JWKS key's `kid`.
    ForeignKey,
    /// `vot` is `Cl` (low) whatever was asked for.
    LowConfidence,
}

/// A relying party's ES256 key pair, as registered with One Login.
#[derive(Clone)]
pub struct ClientKey {
    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), loadable by `jsonwebtoken::EncodingKey::from_ec_pem`.
    pub private_pem: String,
    /// The public key as a JWK, with `kid`, `use` and `alg`.
    pub public_jwk: Value,
    key: Arc<EcdsaKeyPair>,
}

impl std::fmt::Debug for ClientKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The private key stays out of test output.
        f.debug_struct("ClientKey")
            .field("public_jwk", &self.public_jwk)
            .finish_non_exhaustive()
    }
}

impl ClientKey {
    /// A fresh EC P-256 key pair.
    pub fn generate() -> ClientKey {
        let key = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING)
            .unwrap_or_else(|e| panic!("generating a client key: {e}"));
        let der = key
            .to_pkcs8v1()
            .unwrap_or_else(|e| panic!("encoding the client key as PKCS#8: {e}"));
        let body = base64::engine::general_purpose::STANDARD.encode(der.as_ref());
        let mut private_pem = String::from("-----BEGIN PRIVATE KEY-----\n");
        for line in body.as_bytes().chunks(64) {
            private_pem.push_str(&String::from_utf8_lossy(line));
            private_pem.push('\n');
        }
        private_pem.push_str("-----END PRIVATE KEY-----\n");
        let public_jwk = public_jwk(&key);
        ClientKey {
            private_pem,
            public_jwk,
            key: Arc::new(key),
        }
    }

    /// The JWK's `kid`.
    pub fn kid(&self) -> String {
        self.public_jwk["kid"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// A compact JWS of `claims`, ES256 with this key, header `{alg, typ: "JWT", kid}`: e.g. a
    /// client assertion built by hand.
    pub fn sign_jwt(&self, claims: &Value) -> String {
        let header = json!({"alg": "ES256", "typ": "JWT", "kid": self.kid()});
        sign_jws(&self.key, &header, claims).unwrap_or_else(|e| panic!("signing a JWT: {e}"))
    }
}

/// `{"kty":"EC","crv":"P-256",x,y,use,alg,kid}` for a key pair; the kid is the RFC 7638 thumbprint.
fn public_jwk(key: &EcdsaKeyPair) -> Value {
    // The public key is the uncompressed point 0x04 || x || y.
    let point = key.public_key().as_ref();
    let (x, y) = (B64.encode(&point[1..33]), B64.encode(&point[33..65]));
    let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
    let kid = B64.encode(aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        canonical.as_bytes(),
    ));
    json!({"kty": "EC", "crv": "P-256", "x": x, "y": y, "use": "sig", "alg": "ES256", "kid": kid})
}

/// The uncompressed point of a P-256 JWK, or why it is not one.
fn jwk_point(jwk: &Value) -> Result<Vec<u8>, String> {
    if jwk["kty"] != "EC" || jwk["crv"] != "P-256" {
        return Err("not an EC P-256 JWK".into());
    }
    let coordinate = |name: &str| -> Result<Vec<u8>, String> {
        let bytes = B64
            .decode(jwk[name].as_str().ok_or(format!("no {name}"))?)
            .map_err(|e| format!("{name}: {e}"))?;
        if bytes.len() != 32 {
            return Err(format!("{name} is not 32 bytes"));
        }
        Ok(bytes)
    };
    let mut point = vec![4];
    point.extend(coordinate("x")?);
    point.extend(coordinate("y")?);
    Ok(point)
}

fn sign_jws(key: &EcdsaKeyPair, header: &Value, claims: &Value) -> Result<String, String> {
    let input = format!(
        "{}.{}",
        B64.encode(header.to_string()),
        B64.encode(claims.to_string())
    );
    let signature = key
        .sign(&aws_lc_rs::rand::SystemRandom::new(), input.as_bytes())
        .map_err(|e| format!("signing: {e}"))?;
    Ok(format!("{input}.{}", B64.encode(signature.as_ref())))
}

/// Checks a compact JWS's ES256 signature against a public point, and gives its header and claims.
fn verify_jws(token: &str, point: &[u8]) -> Result<(Value, Value), String> {
    let parts: Vec<&str> = token.split('.').collect();
    let [header, claims, signature] = parts[..] else {
        return Err("is not a compact JWS (three dot-separated parts)".into());
    };
    let decode = |part: &str, what: &str| -> Result<Value, String> {
        let bytes = B64
            .decode(part)
            .map_err(|_| format!("{what} is not base64url without padding"))?;
        serde_json::from_slice(&bytes).map_err(|_| format!("{what} is not JSON"))
    };
    let header_json = decode(header, "header")?;
    if header_json["alg"] != "ES256" {
        return Err(format!("alg is {}, not ES256", header_json["alg"]));
    }
    let signature = B64
        .decode(signature)
        .map_err(|_| "signature is not base64url without padding".to_string())?;
    if signature.len() != 64 {
        // A DER-encoded ECDSA signature is the usual mistake: JWS wants fixed-width r || s.
        return Err(format!(
            "signature is {} bytes, not the 64-byte r||s form JWS uses",
            signature.len()
        ));
    }
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point)
        .verify(format!("{header}.{claims}").as_bytes(), &signature)
        .map_err(|_| "signature does not verify".to_string())?;
    Ok((header_json, decode(claims, "claims")?))
}

/// Seconds since the epoch.
fn unix_now() -> i64 {
    // A test provider keeps real time, as One Login does: the relying party judges its tokens by
    // the wall clock, not by an injected one.
    #[allow(clippy::disallowed_methods)]
    let now = std::time::SystemTime::now();
    now.duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn random() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// Percent-encodes a query value (everything but RFC 3986's unreserved characters).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `uri` with query parameters appended (after any it already has).
fn with_query(uri: &str, params: &[(&str, &str)]) -> String {
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    let separator = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{separator}{}", query.join("&"))
}

fn redirect(location: &str) -> Response {
    (
        StatusCode::FOUND,
        [(header::LOCATION, location.to_string())],
    )
        .into_response()
}

/// What an authorisation code stands for, until it is exchanged.
struct Grant {
    client_id: String,
    redirect_uri: String,
    nonce: String,
    code_challenge: String,
    vot: String,
    scopes: Vec<String>,
    user: OneLoginUser,
    auth_time: i64,
    expires: Instant,
}

struct Session {
    user: OneLoginUser,
    scopes: Vec<String>,
    expires: Instant,
}

#[derive(Default)]
struct Inner {
    user: Option<OneLoginUser>,
    misbehaviour: Option<Misbehaviour>,
    codes: HashMap<String, Grant>,
    access_tokens: HashMap<String, Session>,
    /// Client assertion `jti`s seen, so none is accepted twice.
    jtis: HashSet<String>,
    refusals: Vec<String>,
    tokens_issued: usize,
    logouts: Vec<String>,
}

/// The running server.
#[derive(Clone)]
pub struct OneLoginServer {
    /// The issuer without its trailing slash; endpoints hang off it.
    base: String,
    client_id: String,
    client_point: Vec<u8>,
    redirect_uris: Vec<String>,
    post_logout_redirect_uris: Vec<String>,
    key: Arc<EcdsaKeyPair>,
    jwk: Value,
    /// Signs ID tokens under [`Misbehaviour::ForeignKey`].
    foreign_key: Arc<EcdsaKeyPair>,
    inner: Arc<Mutex<Inner>>,
}

impl OneLoginServer {
    /// Starts on a free local port; the issuer is `http://127.0.0.1:PORT/` (One Login's issuer ends
    /// with a slash). The client (`client_id`, its registered public key, its redirect URIs) is
    /// registered as with One Login's self-service.
    pub async fn start(
        client_id: &str,
        client_public_jwk: Value,
        redirect_uris: &[String],
        post_logout_redirect_uris: &[String],
    ) -> Self {
        let client_point = jwk_point(&client_public_jwk)
            .unwrap_or_else(|e| panic!("the client's public JWK: {e}"));
        let generate = || {
            EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING)
                .unwrap_or_else(|e| panic!("generating the provider's key: {e}"))
        };
        let key = generate();
        let jwk = public_jwk(&key);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let base = format!(
            "http://{}",
            listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
        );
        let server = Self {
            base,
            client_id: client_id.into(),
            client_point,
            redirect_uris: redirect_uris.to_vec(),
            post_logout_redirect_uris: post_logout_redirect_uris.to_vec(),
            key: Arc::new(key),
            jwk,
            foreign_key: Arc::new(generate()),
            inner: Arc::default(),
        };
        let app = axum::Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/.well-known/jwks.json", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/userinfo", get(userinfo))
            .route("/logout", get(logout))
            .with_state(server.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        server
    }

    /// `http://127.0.0.1:PORT/`, with the trailing slash, exactly as the ID token's `iss`.
    pub fn issuer(&self) -> String {
        format!("{}/", self.base)
    }

    /// The user who signs in at every `/authorize` from now on. Until this is called,
    /// `/authorize` answers the redirect URI with `error=access_denied`.
    pub fn sign_in_as(&self, user: OneLoginUser) {
        if let Ok(mut i) = self.inner.lock() {
            i.user = Some(user);
        }
    }

    /// The next successful token response (once) is wrong in this way.
    pub fn misbehave(&self, how: Misbehaviour) {
        if let Ok(mut i) = self.inner.lock() {
            i.misbehaviour = Some(how);
        }
    }

    /// Why the server refused requests so far, one line each, e.g.
    /// `token: client_assertion aud is not the token endpoint`.
    pub fn refusals(&self) -> Vec<String> {
        self.inner
            .lock()
            .map(|i| i.refusals.clone())
            .unwrap_or_default()
    }

    /// How many authorisation codes were exchanged successfully.
    pub fn tokens_issued(&self) -> usize {
        self.inner.lock().map(|i| i.tokens_issued).unwrap_or(0)
    }

    /// The `sub` of each `id_token_hint` accepted at the logout endpoint, in order.
    pub fn logouts(&self) -> Vec<String> {
        self.inner
            .lock()
            .map(|i| i.logouts.clone())
            .unwrap_or_default()
    }

    fn endpoint(&self, path: &str) -> String {
        format!("{}/{path}", self.base)
    }

    fn refuse(&self, endpoint: &str, why: &str) {
        if let Ok(mut i) = self.inner.lock() {
            i.refusals.push(format!("{endpoint}: {why}"));
        }
    }

    /// A refusal as plain text, for requests that must not be redirected.
    fn refuse_text(&self, endpoint: &str, status: StatusCode, why: &str) -> Response {
        self.refuse(endpoint, why);
        (status, why.to_string()).into_response()
    }

    /// A refusal at the token endpoint, as OAuth's JSON error.
    fn refuse_token(&self, error: &str, why: &str) -> Response {
        self.refuse("token", why);
        (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": error, "error_description": why})),
        )
            .into_response()
    }

    /// Checks a client assertion by RFC 7523 and One Login's rules.
    fn check_client_assertion(&self, assertion: &str) -> Result<(), String> {
        let (_, claims) = verify_jws(assertion, &self.client_point)
            .map_err(|e| format!("client_assertion {e} (with the registered key)"))?;
        for claim in ["iss", "sub"] {
            if claims[claim] != self.client_id.as_str() {
                return Err(format!("client_assertion {claim} is not the client_id"));
            }
        }
        let token_endpoint = self.endpoint("token");
        let aud_ok = match &claims["aud"] {
            Value::String(aud) => *aud == token_endpoint,
            Value::Array(auds) => auds.iter().any(|a| *a == token_endpoint.as_str()),
            _ => false,
        };
        if !aud_ok {
            return Err("client_assertion aud is not the token endpoint".into());
        }
        let exp = claims["exp"]
            .as_i64()
            .ok_or("client_assertion has no numeric exp")?;
        if exp <= unix_now() {
            return Err("client_assertion has expired".into());
        }
        if !claims["iat"].is_number() {
            return Err("client_assertion has no numeric iat".into());
        }
        let jti = claims["jti"]
            .as_str()
            .filter(|j| !j.is_empty())
            .ok_or("client_assertion has no jti")?;
        let fresh = self
            .inner
            .lock()
            .map(|mut i| i.jtis.insert(jti.to_string()))
            .unwrap_or(false);
        if !fresh {
            return Err("client_assertion jti was used before".into());
        }
        Ok(())
    }
}

async fn discovery(State(server): State<OneLoginServer>) -> Json<Value> {
    Json(json!({
        "issuer": server.issuer(),
        "authorization_endpoint": server.endpoint("authorize"),
        "token_endpoint": server.endpoint("token"),
        "userinfo_endpoint": server.endpoint("userinfo"),
        "jwks_uri": server.endpoint(".well-known/jwks.json"),
        "end_session_endpoint": server.endpoint("logout"),
        "scopes_supported": SCOPES,
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["ES256"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "code_challenge_methods_supported": ["S256"],
        "subject_types_supported": ["pairwise"],
        "claims_supported": ["sub", "email", "email_verified", "phone_number", "phone_number_verified"],
        "vtr_values_supported": LEVELS,
        "trustmarks": server.endpoint("trustmark"),
    }))
}

async fn jwks(State(server): State<OneLoginServer>) -> Json<Value> {
    Json(json!({"keys": [server.jwk]}))
}

async fn authorize(
    State(server): State<OneLoginServer>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let Ok(Query(q)) = query else {
        return server.refuse_text(
            "authorize",
            StatusCode::BAD_REQUEST,
            "the query string does not parse",
        );
    };
    let param = |name: &str| q.get(name).map(String::as_str).filter(|v| !v.is_empty());
    // Until the client and redirect URI are known good, errors go to the browser, never to a
    // redirect (RFC 6749 4.1.2.1).
    if param("client_id") != Some(server.client_id.as_str()) {
        return server.refuse_text(
            "authorize",
            StatusCode::BAD_REQUEST,
            "client_id is not a registered client",
        );
    }
    let Some(redirect_uri) = param("redirect_uri").filter(|r| {
        server
            .redirect_uris
            .iter()
            .any(|registered| registered == r)
    }) else {
        return server.refuse_text(
            "authorize",
            StatusCode::BAD_REQUEST,
            "redirect_uri is not registered for the client",
        );
    };
    let state = param("state");
    let error = |code: &str, why: &str| {
        server.refuse("authorize", why);
        let mut params = vec![("error", code), ("error_description", why)];
        params.extend(state.map(|s| ("state", s)));
        redirect(&with_query(redirect_uri, &params))
    };
    if param("response_type") != Some("code") {
        return error("unsupported_response_type", "response_type must be code");
    }
    let scopes: Vec<String> = param("scope")
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if !scopes.iter().any(|s| s == "openid") {
        return error("invalid_scope", "scope must include openid");
    }
    if let Some(unknown) = scopes.iter().find(|s| !SCOPES.contains(&s.as_str())) {
        return error(
            "invalid_scope",
            &format!("scope {unknown} is not supported"),
        );
    }
    if state.is_none() {
        return error("invalid_request", "state is missing");
    }
    let Some(nonce) = param("nonce") else {
        return error("invalid_request", "nonce is missing");
    };
    if param("request").is_some() || param("request_uri").is_some() {
        return error(
            "request_not_supported",
            "this test provider takes plain query parameters, not request objects",
        );
    }
    let vot = match param("vtr") {
        None => "Cl.Cm".to_string(),
        Some(vtr) => match serde_json::from_str::<Vec<String>>(vtr) {
            Ok(levels) if !levels.is_empty() => {
                if let Some(bad) = levels.iter().find(|l| !LEVELS.contains(&l.as_str())) {
                    return error(
                        "invalid_request",
                        &format!("vtr level {bad} is not supported (Cl or Cl.Cm)"),
                    );
                }
                levels[0].clone()
            }
            _ => {
                return error(
                    "invalid_request",
                    r#"vtr must be a JSON array such as ["Cl.Cm"]"#,
                );
            }
        },
    };
    let Some(code_challenge) = param("code_challenge") else {
        return error("invalid_request", "code_challenge is missing");
    };
    if param("code_challenge_method") != Some("S256") {
        return error("invalid_request", "code_challenge_method must be S256");
    }
    let user = server.inner.lock().ok().and_then(|i| i.user.clone());
    let Some(user) = user else {
        return error(
            "access_denied",
            "no user signs in (the test has not called sign_in_as)",
        );
    };
    let code = random();
    let grant = Grant {
        client_id: server.client_id.clone(),
        redirect_uri: redirect_uri.to_string(),
        nonce: nonce.to_string(),
        code_challenge: code_challenge.to_string(),
        vot,
        scopes,
        user,
        auth_time: unix_now(),
        expires: Instant::now() + CODE_LIFETIME,
    };
    if let Ok(mut i) = server.inner.lock() {
        i.codes.insert(code.clone(), grant);
    }
    let mut params = vec![("code", code.as_str())];
    params.extend(state.map(|s| ("state", s)));
    redirect(&with_query(redirect_uri, &params))
}

async fn token(
    State(server): State<OneLoginServer>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else {
        return server.refuse_token(
            "invalid_request",
            "the body is not application/x-www-form-urlencoded",
        );
    };
    let param = |name: &str| f.get(name).map(String::as_str).filter(|v| !v.is_empty());
    // A code presented is spent, whatever else is wrong with the request (RFC 6749 4.1.2).
    let grant = param("code").and_then(|code| {
        server
            .inner
            .lock()
            .ok()
            .and_then(|mut i| i.codes.remove(code))
    });
    if param("grant_type") != Some("authorization_code") {
        return server.refuse_token(
            "unsupported_grant_type",
            "grant_type must be authorization_code",
        );
    }
    let (Some(_), Some(redirect_uri), Some(verifier)) =
        (param("code"), param("redirect_uri"), param("code_verifier"))
    else {
        return server.refuse_token(
            "invalid_request",
            "code, redirect_uri and code_verifier are all required",
        );
    };
    if param("client_assertion_type") != Some(JWT_BEARER) {
        return server.refuse_token(
            "invalid_client",
            &format!("client_assertion_type must be {JWT_BEARER}"),
        );
    }
    let Some(assertion) = param("client_assertion") else {
        return server.refuse_token("invalid_client", "client_assertion is missing");
    };
    if param("client_id").is_some_and(|c| c != server.client_id) {
        return server.refuse_token("invalid_client", "client_id is not the asserted client");
    }
    if let Err(why) = server.check_client_assertion(assertion) {
        return server.refuse_token("invalid_client", &why);
    }
    let Some(grant) = grant else {
        return server.refuse_token("invalid_grant", "code is unknown or was already exchanged");
    };
    if grant.expires < Instant::now() {
        return server.refuse_token("invalid_grant", "code has expired");
    }
    if grant.client_id != server.client_id {
        return server.refuse_token("invalid_grant", "code was issued to another client");
    }
    if grant.redirect_uri != redirect_uri {
        return server.refuse_token(
            "invalid_grant",
            "redirect_uri is not the one sent to /authorize",
        );
    }
    let challenge = B64.encode(aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        verifier.as_bytes(),
    ));
    if challenge != grant.code_challenge {
        return server.refuse_token(
            "invalid_grant",
            "code_verifier does not match the code_challenge (S256)",
        );
    }

    let misbehaviour = server
        .inner
        .lock()
        .ok()
        .and_then(|mut i| i.misbehaviour.take());
    let now = unix_now();
    let mut claims = json!({
        "iss": server.issuer(),
        "sub": grant.user.subject,
        "aud": server.client_id,
        "exp": now + ID_TOKEN_SECONDS,
        "iat": now,
        "nonce": grant.nonce,
        "vot": grant.vot,
        "vtm": server.endpoint("trustmark"),
        "sid": random(),
        "auth_time": grant.auth_time,
    });
    let mut key = &server.key;
    match misbehaviour {
        None => {}
        Some(Misbehaviour::WrongNonce) => claims["nonce"] = json!(random()),
        Some(Misbehaviour::WrongAudience) => claims["aud"] = json!("another-client"),
        Some(Misbehaviour::WrongIssuer) => claims["iss"] = json!("https://issuer.invalid/"),
        Some(Misbehaviour::Expired) => {
            // Well past any clock-skew leeway a relying party allows.
            claims["iat"] = json!(now - 900);
            claims["exp"] = json!(now - 600);
        }
        Some(Misbehaviour::ForeignKey) => key = &server.foreign_key,
        Some(Misbehaviour::LowConfidence) => claims["vot"] = json!("Cl"),
    }
    let header = json!({"alg": "ES256", "kid": server.jwk["kid"], "typ": "JWT"});
    let id_token = match sign_jws(key, &header, &claims) {
        Ok(t) => t,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e).into_response(),
    };
    let access_token = random();
    if let Ok(mut i) = server.inner.lock() {
        i.access_tokens.insert(
            access_token.clone(),
            Session {
                user: grant.user,
                scopes: grant.scopes,
                expires: Instant::now() + Duration::from_secs(ACCESS_TOKEN_SECONDS),
            },
        );
        i.tokens_issued += 1;
    }
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": ACCESS_TOKEN_SECONDS,
            "id_token": id_token,
        })),
    )
        .into_response()
}

async fn userinfo(State(server): State<OneLoginServer>, headers: HeaderMap) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let session = token.and_then(|t| {
        server.inner.lock().ok().and_then(|i| {
            i.access_tokens
                .get(t)
                .filter(|s| s.expires > Instant::now())
                .map(|s| (s.user.clone(), s.scopes.clone()))
        })
    });
    let Some((user, scopes)) = session else {
        server.refuse(
            "userinfo",
            "no bearer access token, or one unknown or expired",
        );
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, r#"Bearer error="invalid_token""#)],
        )
            .into_response();
    };
    // As One Login, the claims given are those the scopes asked for.
    let mut info = json!({"sub": user.subject});
    if scopes.iter().any(|s| s == "email") {
        info["email"] = json!(user.email);
        info["email_verified"] = json!(true);
    }
    if let Some(phone) = user.phone.filter(|_| scopes.iter().any(|s| s == "phone")) {
        info["phone_number"] = json!(phone);
        info["phone_number_verified"] = json!(true);
    }
    Json(info).into_response()
}

async fn logout(
    State(server): State<OneLoginServer>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let bad = |why: &str| server.refuse_text("logout", StatusCode::BAD_REQUEST, why);
    let Ok(Query(q)) = query else {
        return bad("the query string does not parse");
    };
    let param = |name: &str| q.get(name).map(String::as_str).filter(|v| !v.is_empty());
    let target = param("post_logout_redirect_uri");
    let Some(hint) = param("id_token_hint") else {
        if target.is_some() {
            return bad("post_logout_redirect_uri needs an id_token_hint");
        }
        return (StatusCode::OK, "You have signed out of GOV.UK One Login").into_response();
    };
    let own_point = server.key.public_key().as_ref().to_vec();
    // An expired hint is still a good hint (OpenID RP-Initiated Logout 2): only its origin matters.
    let claims = match verify_jws(hint, &own_point) {
        Ok((_, claims)) => claims,
        Err(e) => return bad(&format!("id_token_hint {e}")),
    };
    if claims["iss"] != server.issuer().as_str() || claims["aud"] != server.client_id.as_str() {
        return bad("id_token_hint was not issued by this provider to the client");
    }
    let Some(sub) = claims["sub"].as_str() else {
        return bad("id_token_hint has no sub");
    };
    if let Some(target) = target
        && !server.post_logout_redirect_uris.iter().any(|r| r == target)
    {
        return bad("post_logout_redirect_uri is not registered for the client");
    }
    if let Ok(mut i) = server.inner.lock() {
        i.logouts.push(sub.to_string());
    }
    match target {
        Some(target) => match param("state") {
            Some(state) => redirect(&with_query(target, &[("state", state)])),
            None => redirect(target),
        },
        None => (StatusCode::OK, "You have signed out of GOV.UK One Login").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT_ID: &str = "hearth-test-client";
    const CALLBACK: &str = "http://127.0.0.1:9/auth/callback";
    const SIGNED_OUT: &str = "http://127.0.0.1:9/signed-out";

    async fn server(key: &ClientKey) -> OneLoginServer {
        OneLoginServer::start(
            CLIENT_ID,
            key.public_jwk.clone(),
            &[CALLBACK.to_string()],
            &[SIGNED_OUT.to_string()],
        )
        .await
    }

    fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    fn resident() -> OneLoginUser {
        OneLoginUser {
            subject: "urn:fdc:gov.uk:2022:resident-1".into(),
            email: "resident@example.org".into(),
            phone: Some("+447700900123".into()),
        }
    }

    /// The query parameters of a redirect's Location.
    fn location_query(response: &reqwest::Response) -> HashMap<String, String> {
        let location = response.headers()[header::LOCATION].to_str().unwrap();
        let url = reqwest::Url::parse(location).unwrap();
        url.query_pairs().into_owned().collect()
    }

    /// Runs `/authorize` as a browser would; gives the code and the PKCE verifier.
    async fn authorize(server: &OneLoginServer, nonce: &str) -> (String, String) {
        let verifier = random();
        let challenge = B64.encode(aws_lc_rs::digest::digest(
            &aws_lc_rs::digest::SHA256,
            verifier.as_bytes(),
        ));
        let response = client()
            .get(server.endpoint("authorize"))
            .query(&[
                ("response_type", "code"),
                ("scope", "openid email phone"),
                ("client_id", CLIENT_ID),
                ("redirect_uri", CALLBACK),
                ("state", "state 1/2"),
                ("nonce", nonce),
                ("vtr", r#"["Cl.Cm"]"#),
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FOUND);
        let query = location_query(&response);
        assert_eq!(query["state"], "state 1/2");
        (query["code"].clone(), verifier)
    }

    fn assertion_claims(server: &OneLoginServer) -> Value {
        let now = unix_now();
        json!({
            "iss": CLIENT_ID, "sub": CLIENT_ID, "aud": server.endpoint("token"),
            "exp": now + 60, "iat": now, "jti": random(),
        })
    }

    async fn exchange(
        server: &OneLoginServer,
        code: &str,
        verifier: &str,
        assertion: &str,
    ) -> (StatusCode, Value) {
        let response = client()
            .post(server.endpoint("token"))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", CALLBACK),
                ("client_assertion_type", JWT_BEARER),
                ("client_assertion", assertion),
                ("code_verifier", verifier),
            ])
            .send()
            .await
            .unwrap();
        (response.status(), response.json().await.unwrap())
    }

    #[tokio::test]
    async fn one_login_discovery_and_jwks() {
        let key = ClientKey::generate();
        let server = server(&key).await;
        let issuer = server.issuer();
        assert!(issuer.starts_with("http://127.0.0.1:") && issuer.ends_with('/'));
        let config: Value = client()
            .get(format!("{issuer}.well-known/openid-configuration"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(config["issuer"], issuer.as_str());
        let base = issuer.trim_end_matches('/');
        assert_eq!(config["token_endpoint"], format!("{base}/token").as_str());
        assert_eq!(config["end_session_endpoint"], format!("{base}/logout"));
        assert_eq!(
            config["token_endpoint_auth_methods_supported"],
            json!(["private_key_jwt"])
        );
        assert_eq!(
            config["id_token_signing_alg_values_supported"],
            json!(["ES256"])
        );
        let jwks: Value = client()
            .get(config["jwks_uri"].as_str().unwrap())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let jwk = &jwks["keys"][0];
        assert_eq!(
            (&jwk["kty"], &jwk["crv"], &jwk["alg"]),
            (&json!("EC"), &json!("P-256"), &json!("ES256"))
        );
        assert_eq!(jwk_point(jwk).unwrap().len(), 65);
        assert!(jwk["kid"].as_str().is_some_and(|k| !k.is_empty()));
        // The client key's PEM is the PKCS#8 aws-lc-rs reads back.
        let pem_body: String = key
            .private_pem
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        assert!(key.private_pem.lines().all(|l| l.len() <= 64));
        let der = base64::engine::general_purpose::STANDARD
            .decode(pem_body)
            .unwrap();
        EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &der).unwrap();
    }

    #[tokio::test]
    async fn one_login_authorize_refusals() {
        let key = ClientKey::generate();
        let server = server(&key).await;
        let get = |params: Vec<(&'static str, &'static str)>| {
            client()
                .get(server.endpoint("authorize"))
                .query(&params)
                .send()
        };
        let good = vec![
            ("response_type", "code"),
            ("scope", "openid email"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", CALLBACK),
            ("state", "s1"),
            ("nonce", "n1"),
            (
                "code_challenge",
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            ),
            ("code_challenge_method", "S256"),
        ];
        // No user signed in: access denied, back at the relying party.
        let response = get(good.clone()).await.unwrap();
        assert_eq!(response.status(), StatusCode::FOUND);
        let query = location_query(&response);
        assert_eq!(
            (query["error"].as_str(), query["state"].as_str()),
            ("access_denied", "s1")
        );

        // An unregistered redirect URI is never redirected to.
        let mut bad = good.clone();
        bad[3] = ("redirect_uri", "https://attacker.example/callback");
        let response = get(bad).await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(response.headers().get(header::LOCATION).is_none());

        // A malformed vtr goes back as invalid_request.
        server.sign_in_as(resident());
        let mut bad = good.clone();
        bad.push(("vtr", "Cl.Cm"));
        let query = location_query(&get(bad).await.unwrap());
        assert_eq!(query["error"], "invalid_request");

        let refusals = server.refusals();
        assert_eq!(refusals.len(), 3, "{refusals:?}");
        assert!(
            refusals[1].starts_with("authorize: redirect_uri"),
            "{refusals:?}"
        );
    }

    #[tokio::test]
    async fn one_login_code_flow_and_logout() {
        let key = ClientKey::generate();
        let server = server(&key).await;
        server.sign_in_as(resident());

        // An assertion for the wrong audience is refused, and spends the code.
        let (code, verifier) = authorize(&server, "nonce-1").await;
        let mut claims = assertion_claims(&server);
        claims["aud"] = json!(server.issuer());
        let (status, body) = exchange(&server, &code, &verifier, &key.sign_jwt(&claims)).await;
        assert_eq!(
            (status, &body["error"]),
            (StatusCode::BAD_REQUEST, &json!("invalid_client"))
        );
        assert_eq!(
            server.refusals(),
            ["token: client_assertion aud is not the token endpoint"]
        );
        let assertion = key.sign_jwt(&assertion_claims(&server));
        let (status, body) = exchange(&server, &code, &verifier, &assertion).await;
        assert_eq!(
            (status, &body["error"]),
            (StatusCode::BAD_REQUEST, &json!("invalid_grant"))
        );
        // The same assertion (same jti) is not accepted twice.
        let (code, verifier) = authorize(&server, "nonce-2").await;
        let (_, body) = exchange(&server, &code, &verifier, &assertion).await;
        assert_eq!(body["error"], "invalid_client");

        let (code, verifier) = authorize(&server, "nonce-3").await;
        let assertion = key.sign_jwt(&assertion_claims(&server));
        let (status, body) = exchange(&server, &code, &verifier, &assertion).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(server.tokens_issued(), 1);
        let id_token = body["id_token"].as_str().unwrap();
        let (header, claims) = verify_jws(id_token, &jwk_point(&server.jwk).unwrap()).unwrap();
        assert_eq!(header["kid"], server.jwk["kid"]);
        assert_eq!(claims["iss"], server.issuer().as_str());
        assert_eq!(claims["aud"], CLIENT_ID);
        assert_eq!(claims["nonce"], "nonce-3");
        assert_eq!(claims["vot"], "Cl.Cm");
        assert_eq!(claims["sub"], "urn:fdc:gov.uk:2022:resident-1");

        let info: Value = client()
            .get(server.endpoint("userinfo"))
            .bearer_auth(body["access_token"].as_str().unwrap())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(info["email"], "resident@example.org");
        assert_eq!(info["phone_number"], "+447700900123");

        let response = client()
            .get(server.endpoint("logout"))
            .query(&[
                ("id_token_hint", id_token),
                ("post_logout_redirect_uri", SIGNED_OUT),
                ("state", "bye"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FOUND);
        assert_eq!(location_query(&response)["state"], "bye");
        assert_eq!(server.logouts(), ["urn:fdc:gov.uk:2022:resident-1"]);

        // Misbehaving once: signed by a key not in the JWKS, then back to normal.
        server.misbehave(Misbehaviour::ForeignKey);
        for expect_valid in [false, true] {
            let (code, verifier) = authorize(&server, "nonce-4").await;
            let assertion = key.sign_jwt(&assertion_claims(&server));
            let (_, body) = exchange(&server, &code, &verifier, &assertion).await;
            let id_token = body["id_token"].as_str().unwrap();
            let verified = verify_jws(id_token, &jwk_point(&server.jwk).unwrap());
            assert_eq!(verified.is_ok(), expect_valid);
        }
    }

    /// What the relying party will likely use: jsonwebtoken loads the PEM and signs assertions
    /// the server accepts, and verifies the ID token with the published JWK.
    #[tokio::test]
    async fn one_login_interoperates_with_jsonwebtoken() {
        use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
        let key = ClientKey::generate();
        let server = server(&key).await;
        server.sign_in_as(resident());
        let (code, verifier) = authorize(&server, "nonce-jwt").await;
        let encoding = EncodingKey::from_ec_pem(key.private_pem.as_bytes()).unwrap();
        let assertion = jsonwebtoken::encode(
            &Header::new(Algorithm::ES256),
            &assertion_claims(&server),
            &encoding,
        )
        .unwrap();
        let (status, body) = exchange(&server, &code, &verifier, &assertion).await;
        assert_eq!(status, StatusCode::OK, "{body} {:?}", server.refusals());

        let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(server.jwk.clone()).unwrap();
        let mut validation = Validation::new(Algorithm::ES256);
        validation.set_issuer(&[server.issuer()]);
        validation.set_audience(&[CLIENT_ID]);
        let decoded = jsonwebtoken::decode::<Value>(
            body["id_token"].as_str().unwrap(),
            &DecodingKey::from_jwk(&jwk).unwrap(),
            &validation,
        )
        .unwrap();
        assert_eq!(decoded.claims["nonce"], "nonce-jwt");
    }
}
