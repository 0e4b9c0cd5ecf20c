//! Loading the register in force and recording every change of its version, with who and when.

use crate::{Hearth, Result, ServiceError};
use hearth_core::actor::Actor;
use hearth_core::audit::AuditEvent;
use hearth_core::register::{DEFAULT_REGISTER, Register, RegisterProblem, parse_register};
use hearth_store::RegisterVersion;
use std::path::Path;

/// Where the register came from, with its text (kept with each recorded version).
#[derive(Debug, Clone)]
pub struct RegisterSource {
    pub register: Register,
    pub text: String,
    pub origin: String,
}

impl RegisterSource {
    /// The register shipped with Hearth.
    pub fn shipped() -> std::result::Result<Self, Vec<RegisterProblem>> {
        Ok(Self {
            register: parse_register(DEFAULT_REGISTER)?,
            text: DEFAULT_REGISTER.to_string(),
            origin: "(shipped default)".into(),
        })
    }
}

/// Reads and validates a register file; the error lists every problem as `file:line: field: reason`.
pub fn load_register_file(path: &Path) -> std::result::Result<RegisterSource, Vec<String>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![format!("{}: cannot read: {e}", path.display())])?;
    let register = parse_register(&text).map_err(|problems| {
        problems
            .iter()
            .map(|p| format!("{}:{}: {}: {}", path.display(), p.line, p.field, p.reason))
            .collect::<Vec<_>>()
    })?;
    Ok(RegisterSource {
        register,
        text,
        origin: path.display().to_string(),
    })
}

impl Hearth {
    /// Records the register version in force if it changed since the last one recorded.
    /// Returns whether it was a change.
    pub async fn record_register_version(
        &self,
        source: &RegisterSource,
        actor: &Actor,
    ) -> Result<bool> {
        if source.register.hash != self.register.hash {
            return Err(ServiceError::Conflict(
                "the register given is not the one in force".into(),
            ));
        }
        let version = RegisterVersion {
            id: uuid::Uuid::now_v7(),
            sha256: source.register.hash.clone(),
            version_label: source.register.meta.version_label.clone(),
            loaded_at: self.now(),
            loaded_by: actor.to_string(),
            content: source.text.clone(),
        };
        let audit = AuditEvent {
            id: uuid::Uuid::now_v7(),
            at: version.loaded_at,
            actor: actor.to_string(),
            purpose: None,
            action: "register.changed".into(),
            decision: "allowed".into(),
            person_ids: vec![],
            record_type: Some("register".into()),
            record_ids: vec![version.sha256.clone()],
            fields: vec![],
            correlation_id: None,
            reason: None,
        };
        let changed = self.store.record_register_version(&version, &audit).await?;
        if changed {
            tracing::info!(sha256 = %version.sha256, actor = %actor, "register version changed");
        }
        Ok(changed)
    }

    pub async fn register_history(&self) -> Result<Vec<RegisterVersion>> {
        Ok(self.store.register_history().await?)
    }
}
