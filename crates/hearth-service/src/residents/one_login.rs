//! The OpenID Connect relying party for GOV.UK One Login: the authorisation request (state,
//! nonce, PKCE S256, vector of trust), the token request authenticated by `private_key_jwt`,
//! the ID token's checks (signature by a key One Login publishes, issuer, audience, expiry,
//! nonce, level of confidence), and the link that signs the resident out of One Login too.

use crate::{Result, ServiceError};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::{SignedDuration, Timestamp};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use reqwest::Url;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::RwLock;

/// How Hearth is registered with One Login, as the configuration gives it.
#[derive(Clone)]
pub struct OneLoginSettings {
    /// `https://oidc.integration.account.gov.uk/` or `https://oidc.account.gov.uk/`.
    pub issuer: String,
    pub client_id: String,
    /// Where One Login sends the resident back: `<public url>/resident/signed-in`.
    pub redirect_uri: String,
    /// Where One Login sends the resident after signing out: `<public url>/resident/signed-out`.
    pub post_logout_redirect_uri: String,
    /// The private key whose public half was registered with One Login, in PEM.
    pub private_key_pem: String,
    /// `ES256` (an EC P-256 key) or `RS256` (an RSA key).
    pub key_algorithm: String,
    /// The vector of trust asked for: `Cl.Cm` (two factors, One Login's default) or `Cl`.
    pub vtr: String,
}

impl std::fmt::Debug for OneLoginSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The private key never reaches a log or an error message.
        f.debug_struct("OneLoginSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("redirect_uri", &self.redirect_uri)
            .field("key_algorithm", &self.key_algorithm)
            .field("vtr", &self.vtr)
            .finish_non_exhaustive()
    }
}

/// The levels of authentication Hearth accepts, weakest first.
const VECTORS: &[&str] = &["Cl", "Cl.Cm"];
/// Clock difference allowed between One Login and Hearth when checking times.
const LEEWAY: SignedDuration = SignedDuration::from_secs(60);
/// How long One Login's published keys are trusted before being fetched again.
const KEYS_FOR: SignedDuration = SignedDuration::from_hours(1);

/// What the provider publishes at `/.well-known/openid-configuration`.
#[derive(Debug, Clone, Deserialize)]
struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
    end_session_endpoint: Option<String>,
}

struct Provider {
    endpoints: Discovery,
    keys: JwkSet,
    keys_fetched_at: Timestamp,
}

/// The client for one One Login registration.
pub struct OneLogin {
    settings: OneLoginSettings,
    key: EncodingKey,
    algorithm: Algorithm,
    http: reqwest::Client,
    provider: RwLock<Option<Provider>>,
}

impl std::fmt::Debug for OneLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OneLogin")
            .field("issuer", &self.settings.issuer)
            .field("client_id", &self.settings.client_id)
            .finish_non_exhaustive()
    }
}

/// The claims Hearth signs to prove it is the client (`private_key_jwt`).
#[derive(Serialize)]
struct ClientAssertion<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
    jti: String,
}

/// The ID token's claims Hearth reads.
#[derive(Debug, Deserialize)]
struct IdClaims {
    sub: String,
    nonce: Option<String>,
    iat: Option<i64>,
    exp: i64,
    vot: Option<String>,
}

#[derive(Deserialize)]
struct TokenResponse {
    id_token: Option<String>,
}

#[derive(Deserialize)]
struct OAuthError {
    error: Option<String>,
    error_description: Option<String>,
}

/// Who One Login says signed in, once every check has passed.
#[derive(Debug, Clone)]
pub struct OneLoginIdentity {
    pub issuer: String,
    pub subject: String,
    pub id_token: String,
}

fn upstream(what: impl std::fmt::Display) -> ServiceError {
    ServiceError::Upstream(format!("GOV.UK One Login: {what}"))
}

fn refused(what: impl std::fmt::Display) -> ServiceError {
    ServiceError::Unauthenticated(format!("the sign-in could not be checked: {what}"))
}

/// An address One Login or the browser will be sent to: https, or http on loopback for tests
/// and local development.
fn check_url(field: &str, raw: &str, problems: &mut Vec<String>) {
    match Url::parse(raw) {
        Ok(url) if url.scheme() == "https" => {}
        Ok(url)
            if url.scheme() == "http"
                && matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]")) => {}
        Ok(_) => problems.push(format!("{field} must be an https address")),
        Err(e) => problems.push(format!("{field} is not an address: {e}")),
    }
}

/// The PKCE challenge for a verifier (S256).
pub(crate) fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

impl OneLogin {
    /// Checks the settings and the key; every problem is named by its setting.
    pub fn new(settings: OneLoginSettings) -> std::result::Result<Self, Vec<String>> {
        let mut problems = Vec::new();
        check_url("issuer", &settings.issuer, &mut problems);
        check_url("redirect_uri", &settings.redirect_uri, &mut problems);
        check_url(
            "post_logout_redirect_uri",
            &settings.post_logout_redirect_uri,
            &mut problems,
        );
        if settings.client_id.trim().is_empty() {
            problems.push("client_id is required".into());
        }
        if !VECTORS.contains(&settings.vtr.as_str()) {
            problems.push(format!(
                "vtr must be one of {}, not '{}'",
                VECTORS.join(", "),
                settings.vtr
            ));
        }
        let pem = settings.private_key_pem.as_bytes();
        let loaded = match settings.key_algorithm.as_str() {
            "ES256" => EncodingKey::from_ec_pem(pem).map(|k| (k, Algorithm::ES256)),
            "RS256" => EncodingKey::from_rsa_pem(pem).map(|k| (k, Algorithm::RS256)),
            other => {
                problems.push(format!(
                    "key_algorithm must be ES256 or RS256, not '{other}'"
                ));
                return Err(problems);
            }
        };
        let (key, algorithm) = match loaded {
            Ok(found) => found,
            Err(e) => {
                problems.push(format!(
                    "the private key is not a {} key in PEM: {e}",
                    settings.key_algorithm
                ));
                return Err(problems);
            }
        };
        // Sign once now, so a key that parses but cannot sign is found at start-up.
        if let Err(e) = jsonwebtoken::encode(&Header::new(algorithm), &serde_json::json!({}), &key)
        {
            problems.push(format!(
                "the private key cannot sign {}: {e}",
                settings.key_algorithm
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| vec![format!("the HTTP client could not be built: {e}")])?;
        Ok(Self {
            settings,
            key,
            algorithm,
            http,
            provider: RwLock::new(None),
        })
    }

    pub fn issuer(&self) -> &str {
        &self.settings.issuer
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T> {
        let response = self.http.get(url).send().await.map_err(upstream)?;
        if !response.status().is_success() {
            return Err(upstream(format!("{url} answered {}", response.status())));
        }
        response.json().await.map_err(upstream)
    }

    /// The provider's endpoints and keys, fetched when first needed and the keys again when
    /// they are old or `refresh` is asked (an ID token names a key Hearth has not seen).
    async fn provider(&self, now: Timestamp, refresh: bool) -> Result<(Discovery, JwkSet)> {
        if let Some(p) = self.provider.read().await.as_ref()
            && !refresh
            && now.duration_since(p.keys_fetched_at) < KEYS_FOR
        {
            return Ok((p.endpoints.clone(), p.keys.clone()));
        }
        let mut slot = self.provider.write().await;
        let endpoints = match slot.as_ref() {
            Some(p) => p.endpoints.clone(),
            None => {
                let url = format!(
                    "{}/.well-known/openid-configuration",
                    self.settings.issuer.trim_end_matches('/')
                );
                let found: Discovery = self.get_json(&url).await?;
                if found.issuer != self.settings.issuer {
                    return Err(upstream(format!(
                        "the discovery document names issuer '{}', not the configured '{}'",
                        found.issuer, self.settings.issuer
                    )));
                }
                found
            }
        };
        let keys: JwkSet = self.get_json(&endpoints.jwks_uri).await?;
        *slot = Some(Provider {
            endpoints: endpoints.clone(),
            keys: keys.clone(),
            keys_fetched_at: now,
        });
        Ok((endpoints, keys))
    }

    /// Where to send the resident to sign in.
    pub(crate) async fn authorize_url(
        &self,
        now: Timestamp,
        state: &str,
        nonce: &str,
        code_verifier: &str,
    ) -> Result<String> {
        let (endpoints, _) = self.provider(now, false).await?;
        let mut url = Url::parse(&endpoints.authorization_endpoint).map_err(upstream)?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("scope", "openid")
            .append_pair("client_id", &self.settings.client_id)
            .append_pair("redirect_uri", &self.settings.redirect_uri)
            .append_pair("state", state)
            .append_pair("nonce", nonce)
            .append_pair("vtr", &format!("[\"{}\"]", self.settings.vtr))
            .append_pair("ui_locales", "en")
            .append_pair("code_challenge", &pkce_challenge(code_verifier))
            .append_pair("code_challenge_method", "S256");
        Ok(url.into())
    }

    /// Exchanges an authorisation code for the ID token and checks it.
    pub(crate) async fn sign_in(
        &self,
        now: Timestamp,
        code: &str,
        code_verifier: &str,
        nonce: &str,
    ) -> Result<OneLoginIdentity> {
        let (endpoints, _) = self.provider(now, false).await?;
        let assertion = ClientAssertion {
            iss: &self.settings.client_id,
            sub: &self.settings.client_id,
            aud: &endpoints.token_endpoint,
            iat: now.as_second(),
            exp: now.as_second() + 300,
            jti: uuid::Uuid::new_v4().to_string(),
        };
        let assertion =
            jsonwebtoken::encode(&Header::new(self.algorithm), &assertion, &self.key)
                .map_err(|e| upstream(format!("signing the client assertion failed: {e}")))?;
        let response = self
            .http
            .post(&endpoints.token_endpoint)
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", &self.settings.redirect_uri),
                (
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ),
                ("client_assertion", &assertion),
                ("code_verifier", code_verifier),
            ])
            .send()
            .await
            .map_err(upstream)?;
        let status = response.status();
        if !status.is_success() {
            let why = response.json::<OAuthError>().await.ok();
            let error = why
                .as_ref()
                .and_then(|w| w.error.clone())
                .unwrap_or_default();
            let description = why.and_then(|w| w.error_description).unwrap_or_default();
            // A code refused is the resident's to retry; anything else is the service's fault.
            if status.is_client_error() && error == "invalid_grant" {
                return Err(refused(format!("the code was refused ({description})")));
            }
            return Err(upstream(format!(
                "the token request was refused: {status} {error} {description}"
            )));
        }
        let tokens: TokenResponse = response.json().await.map_err(upstream)?;
        let id_token = tokens
            .id_token
            .ok_or_else(|| upstream("the token response has no id_token"))?;
        let claims = self.check_id_token(now, &id_token).await?;
        if claims.nonce.as_deref() != Some(nonce) {
            return Err(refused("the ID token's nonce is not this sign-in's"));
        }
        let asked = VECTORS
            .iter()
            .position(|v| *v == self.settings.vtr)
            .unwrap_or(VECTORS.len());
        let given = claims
            .vot
            .as_deref()
            .and_then(|vot| VECTORS.iter().position(|v| *v == vot));
        if given.is_none_or(|given| given < asked) {
            return Err(refused(format!(
                "the sign-in's level of confidence ({}) is below {}",
                claims.vot.as_deref().unwrap_or("none"),
                self.settings.vtr
            )));
        }
        Ok(OneLoginIdentity {
            issuer: self.settings.issuer.clone(),
            subject: claims.sub,
            id_token,
        })
    }

    /// Checks an ID token's signature against One Login's published keys, its issuer,
    /// audience and times.
    async fn check_id_token(&self, now: Timestamp, token: &str) -> Result<IdClaims> {
        let header = jsonwebtoken::decode_header(token).map_err(refused)?;
        if !matches!(header.alg, Algorithm::ES256 | Algorithm::RS256) {
            return Err(refused(format!(
                "ID tokens signed {:?} are not accepted",
                header.alg
            )));
        }
        let kid = header
            .kid
            .ok_or_else(|| refused("the ID token names no signing key"))?;
        let (_, mut keys) = self.provider(now, false).await?;
        if keys.find(&kid).is_none() {
            // One Login has rotated its keys since Hearth last looked.
            keys = self.provider(now, true).await?.1;
        }
        let jwk = keys
            .find(&kid)
            .ok_or_else(|| refused("the ID token is signed by a key One Login does not publish"))?;
        let key = DecodingKey::from_jwk(jwk).map_err(refused)?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&self.settings.issuer]);
        validation.set_audience(&[&self.settings.client_id]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Times are checked below against Hearth's clock, not the library's.
        validation.validate_exp = false;
        let claims = jsonwebtoken::decode::<IdClaims>(token, &key, &validation)
            .map_err(refused)?
            .claims;
        let now_s = now.as_second();
        if claims.exp + LEEWAY.as_secs() < now_s {
            return Err(refused("the ID token has expired"));
        }
        if claims.iat.is_some_and(|iat| iat - LEEWAY.as_secs() > now_s) {
            return Err(refused("the ID token was issued in the future"));
        }
        Ok(claims)
    }

    /// Where to send the resident so One Login signs them out too, then back to Hearth.
    pub(crate) async fn logout_url(
        &self,
        now: Timestamp,
        id_token: &str,
        state: &str,
    ) -> Result<Option<String>> {
        let (endpoints, _) = self.provider(now, false).await?;
        let Some(end) = endpoints.end_session_endpoint else {
            return Ok(None);
        };
        let mut url = Url::parse(&end).map_err(upstream)?;
        url.query_pairs_mut()
            .append_pair("id_token_hint", id_token)
            .append_pair(
                "post_logout_redirect_uri",
                &self.settings.post_logout_redirect_uri,
            )
            .append_pair("state", state);
        Ok(Some(url.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_challenge_is_rfc_7636s_example() {
        // RFC 7636, appendix B.
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn settings_are_checked_and_each_problem_named() {
        let problems = OneLogin::new(OneLoginSettings {
            issuer: "http://one-login.example/".into(),
            client_id: " ".into(),
            redirect_uri: "not a url".into(),
            post_logout_redirect_uri: "https://hearth.example/resident/signed-out".into(),
            private_key_pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
                .into(),
            key_algorithm: "ES256".into(),
            vtr: "P2.Cl.Cm".into(),
        })
        .err()
        .unwrap_or_default();
        let all = problems.join("\n");
        assert!(all.contains("issuer must be an https address"), "{all}");
        assert!(all.contains("redirect_uri is not an address"), "{all}");
        assert!(all.contains("client_id is required"), "{all}");
        assert!(all.contains("vtr must be one of"), "{all}");
        assert!(all.contains("private key"), "{all}");
    }
}
