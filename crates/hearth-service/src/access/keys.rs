//! Key management: re-wrapping every person's data key under the active key-encryption key
//! after a rotation, and reporting which KEK wraps how many keys. Administrators only; each
//! step is audited.

use super::Caller;
use crate::{Hearth, Result};
use hearth_policy::AdminAction;

/// Data keys re-wrapped per transaction: small enough that readers never wait long.
const REWRAP_BATCH: i64 = 500;

impl Hearth {
    /// Records that a new key-encryption key became active.
    pub async fn record_key_rotation(&self, caller: &Caller, kek_id: &str) -> Result<()> {
        self.require_admin(caller, AdminAction::ManageKeys).await?;
        let mut event = self.event(caller, "keys.rotated".to_string());
        event.reason = Some(format!("new active key-encryption key {kek_id}"));
        Ok(self.store.append_audit_events(&[event]).await?)
    }

    /// Re-wraps every data key still wrapped under an older KEK with the active one, batch by
    /// batch, while the service keeps running: the data keys themselves, and so every sealed
    /// value, are unchanged. Returns how many were re-wrapped.
    pub async fn rewrap_keys(&self, caller: &Caller) -> Result<u64> {
        self.require_admin(caller, AdminAction::ManageKeys).await?;
        let mut total = 0;
        loop {
            let event = self.event(caller, "keys.rewrapped".to_string());
            let done = self.store.rewrap_person_keys(REWRAP_BATCH, &event).await?;
            if done == 0 {
                return Ok(total);
            }
            total += done;
        }
    }

    /// How many data keys each key-encryption key wraps.
    pub async fn key_status(&self, caller: &Caller) -> Result<Vec<(String, i64)>> {
        self.require_admin(caller, AdminAction::ManageKeys).await?;
        Ok(self.store.keys_by_kek().await?)
    }
}
