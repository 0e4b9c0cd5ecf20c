//! Staff accounts and browser sessions: argon2id passwords, sign-in with rate-limited and
//! audited failures, sessions kept only as hashes, each with its CSRF token.

use super::Caller;
use super::tokens::{random_secret, token_hash};
use crate::{Hearth, Result, ServiceError};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use hearth_core::access::{StaffAccount, StaffSession};
use hearth_policy::AdminAction;
use jiff::{SignedDuration, Timestamp};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use uuid::Uuid;

/// A new account as asked for by an administrator.
#[derive(Debug, Clone)]
pub struct StaffInput {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub roles: Vec<String>,
    pub teams: Vec<String>,
}

/// A signed-in session as handed to the browser: the secret goes in the cookie, the CSRF token
/// in the page, and the store keeps neither in the clear.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub secret: String,
    pub csrf_token: String,
    pub expires_at: Timestamp,
    pub staff: StaffAccount,
}

/// How long a browser session lasts: one working day.
pub const SESSION_HOURS: i64 = 9;
/// Passwords are long rather than complex (NCSC guidance): at least this many characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Failed sign-ins allowed per account within `FAILURE_WINDOW` before sign-in is refused.
pub const MAX_FAILURES: usize = 5;
pub const FAILURE_WINDOW: SignedDuration = SignedDuration::from_mins(15);

/// Recent failed sign-ins by account name, to slow down password guessing.
#[derive(Debug, Default)]
pub struct SignInLimiter {
    failures: Mutex<HashMap<String, VecDeque<Timestamp>>>,
}

impl SignInLimiter {
    /// Seconds to wait before this account may try again, if it is locked out now.
    pub(crate) fn wait(&self, key: &str, now: Timestamp) -> Option<u64> {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let recent = failures.get_mut(key)?;
        while recent
            .front()
            .is_some_and(|at| now.duration_since(*at) >= FAILURE_WINDOW)
        {
            recent.pop_front();
        }
        if recent.len() < MAX_FAILURES {
            return None;
        }
        let oldest = recent.front().copied()?;
        let left = FAILURE_WINDOW - now.duration_since(oldest);
        Some(left.as_secs().max(1).unsigned_abs())
    }

    pub(crate) fn failed(&self, key: &str, now: Timestamp) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let recent = failures.entry(key.to_string()).or_default();
        recent.push_back(now);
        if recent.len() > MAX_FAILURES {
            recent.pop_front();
        }
    }

    pub(crate) fn succeeded(&self, key: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures.remove(key);
    }
}

fn hash_password(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Policy(format!("hashing a password failed: {e}")))
}

/// Checks a password against a stored hash; an unreadable hash counts as a mismatch.
fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of a password nobody has, checked when the account does not exist so that an
/// unknown name takes as long to refuse as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password(&random_secret()).unwrap_or_default())
}

fn normalise_username(raw: &str) -> String {
    raw.trim().to_lowercase()
}

impl Hearth {
    fn check_staff_input(&self, input: &StaffInput) -> Result<()> {
        let mut errors = hearth_core::FieldErrors::new();
        let username = normalise_username(&input.username);
        if !(3..=64).contains(&username.chars().count())
            || !username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            errors.add(
                "username",
                "must be 3 to 64 letters, digits, '.', '_' or '-'",
            );
        }
        if input.display_name.trim().is_empty() {
            errors.add("display_name", "is required");
        }
        if input.password.chars().count() < MIN_PASSWORD_CHARS {
            errors.add(
                "password",
                format!("must be at least {MIN_PASSWORD_CHARS} characters: three random words make a good one"),
            );
        }
        if input.roles.is_empty() {
            errors.add("roles", "name at least one role");
        }
        for role in &input.roles {
            if !self.register.roles.iter().any(|r| &r.id == role) {
                errors.add(
                    "roles",
                    format!("unknown role '{role}': it is not in the register"),
                );
            }
        }
        for team in &input.teams {
            if team.trim().is_empty() {
                errors.add("teams", "a team name cannot be blank");
            }
        }
        errors.finish(()).map_err(ServiceError::Invalid)
    }

    /// Creates a staff account; the password is kept only as an argon2id hash.
    pub async fn create_staff(&self, caller: &Caller, input: &StaffInput) -> Result<StaffAccount> {
        self.require_admin(caller, AdminAction::ManageAccounts)
            .await?;
        self.check_staff_input(input)?;
        let username = normalise_username(&input.username);
        if self.store.staff_by_username(&username).await?.is_some() {
            return Err(ServiceError::Conflict(format!(
                "an account named '{username}' already exists"
            )));
        }
        let password = input.password.clone();
        let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| ServiceError::Policy(format!("hashing a password stopped: {e}")))??;
        let now = self.now();
        let staff = StaffAccount {
            id: Uuid::now_v7(),
            username,
            display_name: input.display_name.trim().to_string(),
            password_hash,
            roles: input.roles.clone(),
            teams: input.teams.iter().map(|t| t.trim().to_string()).collect(),
            disabled: false,
            created_at: now,
            updated_at: now,
        };
        let mut event = self.event(caller, "admin.staff_created".to_string());
        event.record_ids = vec![staff.id.to_string()];
        event.fields = vec!["roles".into(), "teams".into()];
        event.reason = Some(format!("roles {}", staff.roles.join(", ")));
        self.store.insert_staff(&staff, &event).await?;
        Ok(staff)
    }

    /// Staff accounts, for administrators (never their password hashes: callers get them, and
    /// adapters leave them out).
    pub async fn list_staff(&self, caller: &Caller) -> Result<Vec<StaffAccount>> {
        self.require_admin(caller, AdminAction::ManageAccounts)
            .await?;
        Ok(self.store.list_staff().await?)
    }

    /// Checks a name and password and opens a session. Failures are audited and, after
    /// `MAX_FAILURES` within `FAILURE_WINDOW`, the account's sign-in is refused until the
    /// window has passed. Every failure says the same thing, so a guess learns nothing.
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<SignedIn> {
        let key = normalise_username(username);
        let now = self.now();
        if let Some(wait) = self.sign_ins.wait(&key, now) {
            self.audit_sign_in_failure(None, "rate limited").await?;
            return Err(ServiceError::RateLimited(wait));
        }
        let account = self.store.staff_by_username(&key).await?;
        let stored = account
            .as_ref()
            .map_or_else(|| decoy_hash().to_string(), |a| a.password_hash.clone());
        let attempt = password.to_string();
        let matches = tokio::task::spawn_blocking(move || password_matches(&attempt, &stored))
            .await
            .unwrap_or(false);
        let account = match account {
            Some(a) if matches && !a.disabled => a,
            other => {
                self.sign_ins.failed(&key, now);
                let reason = match &other {
                    None => "unknown account",
                    Some(a) if a.disabled => "account disabled",
                    Some(_) => "wrong password",
                };
                self.audit_sign_in_failure(other.as_ref().map(|a| a.id), reason)
                    .await?;
                return Err(ServiceError::Unauthenticated(
                    "the name or password is not right".to_string(),
                ));
            }
        };
        self.sign_ins.succeeded(&key);
        let secret = random_secret();
        let session = StaffSession {
            token_hash: token_hash(&secret),
            staff_id: account.id,
            csrf_token: random_secret(),
            created_at: now,
            expires_at: now
                .checked_add(SignedDuration::from_hours(SESSION_HOURS))
                .map_err(|e| ServiceError::Policy(e.to_string()))?,
        };
        let caller = Caller::staff(&account);
        let mut event = self.event(&caller, "auth.signed_in".to_string());
        event.record_ids = vec![account.id.to_string()];
        self.store.insert_session(&session, &event).await?;
        Ok(SignedIn {
            secret,
            csrf_token: session.csrf_token,
            expires_at: session.expires_at,
            staff: account,
        })
    }

    /// A refused sign-in, by account id when the account exists; the name typed is not kept.
    async fn audit_sign_in_failure(&self, account: Option<Uuid>, reason: &str) -> Result<()> {
        let mut event = self.event(&Caller::system("sign-in"), "auth.sign_in".to_string());
        event.decision = "denied".to_string();
        event.record_ids = account.iter().map(Uuid::to_string).collect();
        event.reason = Some(reason.to_string());
        Ok(self.store.append_audit_events(&[event]).await?)
    }

    /// The account and session a session cookie stands for; expired sessions and disabled
    /// accounts are refused.
    pub async fn session_of(&self, secret: &str) -> Result<(StaffAccount, StaffSession)> {
        let refused = || ServiceError::Unauthenticated("sign in again".to_string());
        let session = self
            .store
            .session_by_hash(&token_hash(secret))
            .await?
            .ok_or_else(refused)?;
        if self.now() >= session.expires_at {
            return Err(refused());
        }
        let staff = self
            .store
            .get_staff(session.staff_id)
            .await?
            .filter(|s| !s.disabled)
            .ok_or_else(refused)?;
        Ok((staff, session))
    }

    /// The caller a session cookie stands for, and the session's CSRF token.
    pub async fn authenticate_session(&self, secret: &str) -> Result<(Caller, String)> {
        let (staff, session) = self.session_of(secret).await?;
        Ok((Caller::staff(&staff), session.csrf_token))
    }

    /// Ends a session at once.
    pub async fn sign_out(&self, secret: &str) -> Result<()> {
        let (caller, _) = self.authenticate_session(secret).await?;
        let event = self.event(&caller, "auth.signed_out".to_string());
        self.store
            .delete_session(&token_hash(secret), &event)
            .await?;
        Ok(())
    }
}
