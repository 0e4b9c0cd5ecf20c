//! API tokens for machine clients, and the administrative checks around them: issuing,
//! revoking, authenticating, and reading who accessed a person's record.

use super::Caller;
use crate::{Hearth, Result, ServiceError};
use hearth_core::access::ApiToken;
use hearth_core::audit::ChainedEvent;
use hearth_policy::AdminAction;
use rand::RngCore;
use uuid::Uuid;

/// What a token is for, as asked for by an administrator.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    pub name: String,
    pub roles: Vec<String>,
    pub purposes: Vec<String>,
    pub valid_days: i64,
}

/// The longest a token may live: a year, so forgotten tokens expire.
pub const MAX_TOKEN_DAYS: i64 = 366;

/// A fresh 256-bit secret, hex-encoded with Hearth's prefix so it is recognisable if leaked.
pub(crate) fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "hearth_{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

pub(crate) fn token_hash(secret: &str) -> String {
    crate::sha256_hex(secret.as_bytes())
}

impl Hearth {
    /// Refuses unless the policy allows this administrative action; the refusal is audited.
    pub(crate) async fn require_admin(&self, caller: &Caller, action: AdminAction) -> Result<()> {
        let decision = self
            .gate
            .decide_admin(caller.principal(), action)
            .map_err(|e| ServiceError::Policy(e.to_string()))?;
        if decision.allowed {
            return Ok(());
        }
        let mut event = self.event(caller, format!("admin.{}", action.as_str()));
        event.decision = "denied".to_string();
        event.reason = Some(decision.explain());
        self.store.append_audit_events(&[event]).await?;
        Err(ServiceError::Forbidden(decision.explain()))
    }

    /// Issues a token; the secret is returned once and only its hash is kept.
    pub async fn create_api_token(
        &self,
        caller: &Caller,
        request: &TokenRequest,
    ) -> Result<(ApiToken, String)> {
        self.require_admin(caller, AdminAction::ManageAccounts)
            .await?;
        let mut errors = hearth_core::FieldErrors::new();
        if request.name.trim().is_empty() {
            errors.add("name", "is required: say which system uses this token");
        }
        if request.roles.is_empty() {
            errors.add("roles", "name at least one role");
        }
        for role in &request.roles {
            if !self.register.roles.iter().any(|r| &r.id == role) {
                errors.add(
                    "roles",
                    format!("unknown role '{role}': it is not in the register"),
                );
            }
        }
        if request.purposes.is_empty() {
            errors.add(
                "purposes",
                "name at least one purpose the token may be used for",
            );
        }
        for purpose in &request.purposes {
            if self.register.purpose(purpose).is_none() {
                errors.add(
                    "purposes",
                    format!("unknown purpose '{purpose}': it is not in the register"),
                );
            }
        }
        if !(1..=MAX_TOKEN_DAYS).contains(&request.valid_days) {
            errors.add(
                "valid_days",
                format!("must be between 1 and {MAX_TOKEN_DAYS} days"),
            );
        }
        errors.finish(()).map_err(ServiceError::Invalid)?;
        let secret = random_secret();
        let now = self.now();
        let expires_at = now
            .checked_add(jiff::SignedDuration::from_hours(24 * request.valid_days))
            .map_err(|e| ServiceError::field("valid_days", e.to_string()))?;
        let token = ApiToken {
            id: Uuid::now_v7(),
            name: request.name.trim().to_string(),
            token_hash: token_hash(&secret),
            roles: request.roles.clone(),
            purposes: request.purposes.clone(),
            created_by: caller.actor().to_string(),
            created_at: now,
            expires_at,
            revoked_at: None,
        };
        let mut event = self.event(caller, "admin.token_created".to_string());
        event.record_ids = vec![token.id.to_string()];
        event.fields = vec!["roles".into(), "purposes".into(), "expires_at".into()];
        self.store.insert_api_token(&token, &event).await?;
        Ok((token, secret))
    }

    pub async fn list_api_tokens(&self, caller: &Caller) -> Result<Vec<ApiToken>> {
        self.require_admin(caller, AdminAction::ManageAccounts)
            .await?;
        Ok(self.store.list_api_tokens().await?)
    }

    pub async fn revoke_api_token(&self, caller: &Caller, id: Uuid) -> Result<()> {
        self.require_admin(caller, AdminAction::ManageAccounts)
            .await?;
        let mut event = self.event(caller, "admin.token_revoked".to_string());
        event.record_ids = vec![id.to_string()];
        if self.store.revoke_api_token(id, self.now(), &event).await? {
            Ok(())
        } else {
            Err(ServiceError::NotFound("token"))
        }
    }

    /// The caller a bearer token stands for; unknown, expired and revoked tokens are refused
    /// alike, so a probe learns nothing about which tokens exist.
    pub async fn authenticate_token(&self, secret: &str) -> Result<Caller> {
        let refused = || ServiceError::Unauthenticated("the token is not valid".to_string());
        let token = self
            .store
            .api_token_by_hash(&token_hash(secret))
            .await?
            .ok_or_else(refused)?;
        if !token.usable_at(self.now()) {
            return Err(refused());
        }
        Ok(Caller::api_client(&token))
    }

    /// Who accessed this person's record, when, and why: newest first. The lookup is itself
    /// audited, as a read of the person's audit trail.
    pub async fn audit_for_person(
        &self,
        caller: &Caller,
        person_id: Uuid,
        limit: i64,
    ) -> Result<Vec<ChainedEvent>> {
        let own_record = matches!(caller.actor(), hearth_core::actor::Actor::Resident(id) if *id == person_id.to_string());
        if !own_record {
            self.require_admin(caller, AdminAction::ReadAudit).await?;
        }
        let events = self
            .store
            .audit_for_person(person_id, limit.clamp(1, 10_000))
            .await?;
        let mut event = self.event(caller, "audit.person_trail_read".to_string());
        event.person_ids = vec![person_id];
        self.store.append_audit_events(&[event]).await?;
        Ok(events)
    }
}
