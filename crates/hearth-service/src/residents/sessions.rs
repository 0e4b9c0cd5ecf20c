//! Resident sign-in through One Login and the browser session it opens: started with a state,
//! a nonce and a PKCE verifier kept server-side, finished once, kept only as hashes.

use super::one_login::OneLogin;
use crate::access::tokens::{random_secret, token_hash};
use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::residents::{PendingSignIn, ResidentSession};
use jiff::SignedDuration;
use uuid::Uuid;

/// How long a resident stays signed in: an hour, as GOV.UK services do.
pub const RESIDENT_SESSION_MINUTES: i64 = 60;
/// How long a sign-in may take at One Login before its answer is refused.
pub const SIGN_IN_MINUTES: i64 = 10;

/// A sign-in on its way: send the browser to `url`, and keep `state` in a cookie so the answer
/// can be matched to this browser.
#[derive(Debug, Clone)]
pub struct SignInStart {
    pub url: String,
    pub state: String,
}

/// A finished sign-in: the session secret for the cookie, and whether the account is linked
/// to a person yet (if not, the resident must give their code first).
#[derive(Debug, Clone)]
pub struct ResidentSignedIn {
    pub secret: String,
    pub linked: bool,
}

/// What a resident's session cookie stands for.
#[derive(Debug, Clone)]
pub struct ResidentSessionState {
    /// The resident, acting for repairs, once the account is linked.
    pub person_id: Option<Uuid>,
    pub csrf_token: String,
    pub(crate) token_hash: String,
    pub(crate) subject: String,
    pub(crate) issuer: String,
}

impl ResidentSessionState {
    /// The resident as a caller of services, for a purpose; refused until the account is linked.
    pub fn caller(&self, purpose: &str) -> Result<Caller> {
        self.person_id
            .map(|person| Caller::resident(person).for_purpose(purpose))
            .ok_or_else(|| ServiceError::Forbidden("link your account to your record first".into()))
    }
}

fn minutes(n: i64) -> SignedDuration {
    SignedDuration::from_mins(n)
}

impl Hearth {
    /// Lets residents sign in with this One Login registration.
    pub fn with_one_login(mut self, client: OneLogin) -> Self {
        self.one_login = Some(std::sync::Arc::new(client));
        self
    }

    /// Whether residents can sign in here.
    pub fn resident_sign_in_enabled(&self) -> bool {
        self.one_login.is_some()
    }

    fn one_login(&self) -> Result<&OneLogin> {
        self.one_login.as_deref().ok_or_else(|| {
            ServiceError::Upstream("signing in with GOV.UK One Login is not set up here".into())
        })
    }

    /// Starts a sign-in: the One Login address to send the browser to, and the state that
    /// browser must bring back.
    pub async fn begin_resident_sign_in(&self) -> Result<SignInStart> {
        let one_login = self.one_login()?;
        let now = self.now();
        let state = random_secret();
        let pending = PendingSignIn {
            state_hash: token_hash(&state),
            nonce: random_secret(),
            code_verifier: random_secret(),
            created_at: now,
            expires_at: now
                .checked_add(minutes(SIGN_IN_MINUTES))
                .map_err(|e| ServiceError::Policy(e.to_string()))?,
        };
        let url = one_login
            .authorize_url(now, &state, &pending.nonce, &pending.code_verifier)
            .await?;
        self.store.insert_pending_sign_in(&pending).await?;
        Ok(SignInStart { url, state })
    }

    /// Finishes a sign-in with One Login's answer. `cookie_state` is the state this browser
    /// kept: an answer meant for another browser is refused. Opens a session, linked to the
    /// person when the account has been linked before.
    pub async fn finish_resident_sign_in(
        &self,
        state: &str,
        cookie_state: Option<&str>,
        code: &str,
    ) -> Result<ResidentSignedIn> {
        let one_login = self.one_login()?;
        let now = self.now();
        if state.is_empty() || cookie_state != Some(state) {
            return Err(self
                .sign_in_refused("the answer is not for this browser")
                .await);
        }
        let Some(pending) = self.store.take_pending_sign_in(&token_hash(state)).await? else {
            return Err(self
                .sign_in_refused("no such sign-in, or it was used")
                .await);
        };
        if now >= pending.expires_at {
            return Err(self.sign_in_refused("the sign-in took too long").await);
        }
        let identity = match one_login
            .sign_in(now, code, &pending.code_verifier, &pending.nonce)
            .await
        {
            Ok(identity) => identity,
            Err(ServiceError::Unauthenticated(why)) => {
                return Err(self.sign_in_refused(&why).await);
            }
            Err(other) => return Err(other),
        };
        let account = self
            .store
            .resident_account(&identity.issuer, &identity.subject)
            .await?;
        let secret = random_secret();
        let session = ResidentSession {
            token_hash: token_hash(&secret),
            issuer: identity.issuer,
            subject: identity.subject,
            person_id: account.as_ref().map(|a| a.person_id),
            csrf_token: random_secret(),
            id_token: identity.id_token,
            created_at: now,
            expires_at: now
                .checked_add(minutes(RESIDENT_SESSION_MINUTES))
                .map_err(|e| ServiceError::Policy(e.to_string()))?,
        };
        let event = match &account {
            Some(account) => {
                let mut event = self.event(
                    &Caller::resident(account.person_id),
                    "resident.signed_in".into(),
                );
                event.person_ids = vec![account.person_id];
                event.record_ids = vec![account.id.to_string()];
                event
            }
            None => {
                let mut event = self.event(
                    &Caller::system("resident-sign-in"),
                    "resident.signed_in".into(),
                );
                event.reason = Some("a One Login account not yet linked to a record".into());
                event
            }
        };
        self.store.insert_resident_session(&session, &event).await?;
        self.store.purge_resident_sessions(now).await?;
        Ok(ResidentSignedIn {
            secret,
            linked: account.is_some(),
        })
    }

    /// A refused sign-in, audited with why; the resident is told only that it failed.
    async fn sign_in_refused(&self, why: &str) -> ServiceError {
        let mut event = self.event(
            &Caller::system("resident-sign-in"),
            "resident.sign_in".into(),
        );
        event.decision = "denied".into();
        event.reason = Some(why.to_string());
        if let Err(e) = self.store.append_audit_events(&[event]).await {
            return e.into();
        }
        ServiceError::Unauthenticated(format!("the sign-in did not work: {why}"))
    }

    /// What a resident's session cookie stands for; an unknown or expired session is refused.
    pub async fn resident_session(&self, secret: &str) -> Result<ResidentSessionState> {
        let refused = || ServiceError::Unauthenticated("sign in again".to_string());
        let session = self
            .store
            .resident_session(&token_hash(secret))
            .await?
            .ok_or_else(refused)?;
        if self.now() >= session.expires_at {
            return Err(refused());
        }
        Ok(ResidentSessionState {
            person_id: session.person_id,
            csrf_token: session.csrf_token,
            token_hash: session.token_hash,
            subject: session.subject,
            issuer: session.issuer,
        })
    }

    /// Ends a resident's session here, and returns where to send them so One Login ends
    /// theirs too (none if the session had already ended).
    pub async fn resident_sign_out(&self, secret: &str) -> Result<Option<String>> {
        let hash = token_hash(secret);
        let Some(session) = self.store.resident_session(&hash).await? else {
            return Ok(None);
        };
        let caller = session
            .person_id
            .map_or_else(|| Caller::system("resident-sign-in"), Caller::resident);
        let mut event = self.event(&caller, "resident.signed_out".into());
        event.person_ids = session.person_id.into_iter().collect();
        if !self.store.delete_resident_session(&hash, &event).await? {
            return Ok(None);
        }
        let one_login = self.one_login()?;
        one_login
            .logout_url(self.now(), &session.id_token, &random_secret())
            .await
    }
}
