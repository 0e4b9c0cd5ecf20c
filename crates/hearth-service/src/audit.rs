//! The audit log's integrity: verifying the whole chain page by page, and signing checkpoints
//! of its head so that even a rewrite of the entire chain is caught.

use crate::{Hearth, Result};
use hearth_core::audit::{ChainBreak, Checkpoint, CheckpointKey, GENESIS, verify};
use std::collections::HashMap;

/// Events read per page while verifying, so memory stays flat however long the log.
const PAGE: i64 = 10_000;

/// The outcome of verifying the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerification {
    /// Events that verified before the end or the first break.
    pub verified: i64,
    /// Checkpoints whose signature and hash matched.
    pub checkpoints: usize,
    /// The first problem found, if any.
    pub broken: Option<ChainBreak>,
}

/// The searchable columns stored beside each event (its id, actor, action, and the people the
/// access log files it under) must say what the hashed event says: they are not hashed, so an
/// edit of them alone (hiding a read from a person's access log) would otherwise go unnoticed.
fn index_matches(
    page: &[hearth_core::audit::ChainedEvent],
    index: &[hearth_store::AuditIndexRow],
) -> std::result::Result<(), ChainBreak> {
    for (event, row) in page.iter().zip(index) {
        let e = &event.event;
        let mut people = e.person_ids.clone();
        people.sort();
        people.dedup();
        let mut filed = row.person_ids.clone();
        filed.sort();
        let differs = if row.seq != event.seq {
            Some("the searchable columns are missing for this event")
        } else if row.id != e.id.to_string() || row.actor != e.actor || row.action != e.action {
            Some("its id, actor or action column differs from the hashed event")
        } else if filed != people {
            Some(
                "the people it is filed under differ from the hashed event: an access log was edited",
            )
        } else {
            None
        };
        if let Some(reason) = differs {
            return Err(ChainBreak {
                seq: event.seq,
                reason: reason.into(),
            });
        }
    }
    if index.len() != page.len() {
        return Err(ChainBreak {
            seq: page.last().map_or(0, |e| e.seq),
            reason: "the searchable columns do not cover every event".into(),
        });
    }
    Ok(())
}

impl Hearth {
    /// Signs the chain's head, unless it is empty or already signed.
    pub async fn checkpoint_audit_log(&self, key: &CheckpointKey) -> Result<Option<Checkpoint>> {
        Ok(self.store.checkpoint_audit_log(key, self.now()).await?)
    }

    /// Walks the audit chain from the start and names the first edited, deleted, inserted or
    /// reordered event; then checks every checkpoint's signature under `trusted_key` (hex; when
    /// `None`, under the key each checkpoint names) and that the chain still has the hash the
    /// checkpoint signed, which also catches events removed from the end.
    pub async fn verify_audit_log(&self, trusted_key: Option<&str>) -> Result<AuditVerification> {
        let checkpoints = self.store.audit_checkpoints().await?;
        let signed: HashMap<i64, &Checkpoint> = checkpoints.iter().map(|c| (c.seq, c)).collect();
        let mut outcome = AuditVerification {
            verified: 0,
            checkpoints: 0,
            broken: None,
        };
        for checkpoint in &checkpoints {
            let key = trusted_key.unwrap_or(&checkpoint.public_key);
            if checkpoint.public_key != key || !checkpoint.signature_valid(key) {
                outcome.broken = Some(ChainBreak {
                    seq: checkpoint.seq,
                    reason: "the checkpoint's signature is not valid under the trusted audit key"
                        .into(),
                });
                return Ok(outcome);
            }
        }
        let (mut prev, mut next_seq) = (GENESIS.to_string(), 1);
        loop {
            let page = self.store.audit_log(next_seq - 1, PAGE).await?;
            let Some(last) = page.last().cloned() else {
                break;
            };
            let index = self.store.audit_index(next_seq - 1, PAGE).await?;
            if let Err(broken) =
                verify(&page, prev, next_seq).and_then(|_| index_matches(&page, &index))
            {
                outcome.verified += page.iter().take_while(|e| e.seq != broken.seq).count() as i64;
                outcome.broken = Some(broken);
                return Ok(outcome);
            }
            for event in &page {
                if let Some(checkpoint) = signed.get(&event.seq) {
                    if checkpoint.hash != event.hash {
                        outcome.broken = Some(ChainBreak {
                            seq: event.seq,
                            reason: "differs from the signed checkpoint: the chain was rewritten"
                                .into(),
                        });
                        return Ok(outcome);
                    }
                    outcome.checkpoints += 1;
                }
                outcome.verified += 1;
            }
            prev = last.hash;
            next_seq = last.seq + 1;
        }
        if let Some(beyond) = checkpoints.iter().find(|c| c.seq >= next_seq) {
            outcome.broken = Some(ChainBreak {
                seq: beyond.seq,
                reason: format!(
                    "was signed, but the log now ends at event {}: events were removed from the end",
                    next_seq - 1
                ),
            });
        }
        Ok(outcome)
    }
}
