//! Verifying the audit log: the whole chain, page by page, from the first event.

use crate::{Hearth, Result};
use hearth_core::audit::{ChainBreak, GENESIS, verify};

/// Events read per page while verifying, so memory stays flat however long the log.
const PAGE: i64 = 10_000;

/// The outcome of verifying the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerification {
    /// Events that verified before the end or the first break.
    pub verified: i64,
    /// The first event that does not verify, if any.
    pub broken: Option<ChainBreak>,
}

impl Hearth {
    /// Walks the audit chain from the start and names the first edited, deleted, inserted or
    /// reordered event.
    pub async fn verify_audit_log(&self) -> Result<AuditVerification> {
        let (mut prev, mut next_seq, mut verified) = (GENESIS.to_string(), 1, 0);
        loop {
            let page = self.store.audit_log(next_seq - 1, PAGE).await?;
            let Some(last) = page.last().cloned() else {
                return Ok(AuditVerification {
                    verified,
                    broken: None,
                });
            };
            match verify(&page, prev, next_seq) {
                Ok(count) => verified += count,
                Err(broken) => {
                    let before = page.iter().take_while(|e| e.seq != broken.seq).count() as i64;
                    return Ok(AuditVerification {
                        verified: verified + before,
                        broken: Some(broken),
                    });
                }
            }
            prev = last.hash;
            next_seq = last.seq + 1;
        }
    }
}
