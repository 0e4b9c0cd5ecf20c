//! The audit log's events and its hash chain: each event's hash covers its content and the
//! previous event's hash, so an edited, deleted, inserted or reordered event breaks the chain
//! at the first place it touches, and `verify` names that place.

mod checkpoint;
pub use checkpoint::{Checkpoint, CheckpointKey, SigningKeyError, signature_valid};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The hash before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One thing that happened: who, for which purpose, did what to which records, and the outcome.
/// Ids only, never personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: Uuid,
    pub at: Timestamp,
    /// The actor, as `Actor`'s display form (`staff:u123`, `cli:opal`, `system:retention`).
    pub actor: String,
    /// The register purpose the action was taken for, when it touches personal data.
    pub purpose: Option<String>,
    /// What was done: `person.read`, `register.changed`, ...
    pub action: String,
    /// `allowed` or `denied`.
    pub decision: String,
    pub person_ids: Vec<Uuid>,
    pub record_type: Option<String>,
    pub record_ids: Vec<String>,
    /// Field names concerned, never their values.
    pub fields: Vec<String>,
    pub correlation_id: Option<String>,
    /// Why a request was refused or fields withheld: the policies that decided. Absent on
    /// events that need no explanation, so events written before it existed hash the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// An event as stored: its place in the chain and the hashes that bind it there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainedEvent {
    pub seq: i64,
    pub event: AuditEvent,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an event following `prev_hash`: SHA-256 over the previous hash and the event's
/// canonical JSON (fields in declaration order, times to the microsecond).
pub fn chain_hash(prev_hash: &str, seq: i64, event: &AuditEvent) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(seq.to_be_bytes());
    hasher.update(serde_json::to_vec(event).unwrap_or_default());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where the chain breaks, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    /// The sequence number of the first event that does not verify.
    pub seq: i64,
    pub reason: String,
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "event {}: {}", self.seq, self.reason)
    }
}

/// Checks events in sequence order from the start of the log; returns how many verified.
pub fn verify<'a>(
    events: impl IntoIterator<Item = &'a ChainedEvent>,
    mut expected_prev: String,
    mut expected_seq: i64,
) -> Result<i64, ChainBreak> {
    let mut count = 0;
    for stored in events {
        if stored.seq != expected_seq {
            return Err(ChainBreak {
                seq: stored.seq,
                reason: format!(
                    "expected event {expected_seq} here: events are missing or out of order"
                ),
            });
        }
        if stored.prev_hash != expected_prev {
            return Err(ChainBreak {
                seq: stored.seq,
                reason: "does not follow the event before it: an event was deleted, inserted or reordered".into(),
            });
        }
        if chain_hash(&stored.prev_hash, stored.seq, &stored.event) != stored.hash {
            return Err(ChainBreak {
                seq: stored.seq,
                reason: "its content does not match its hash: the event was edited".into(),
            });
        }
        expected_prev = stored.hash.clone();
        expected_seq += 1;
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(action: &str) -> AuditEvent {
        AuditEvent {
            id: Uuid::nil(),
            at: Timestamp::UNIX_EPOCH,
            actor: "cli:opal".into(),
            purpose: None,
            action: action.into(),
            decision: "allowed".into(),
            person_ids: vec![],
            record_type: None,
            record_ids: vec![],
            fields: vec![],
            correlation_id: None,
            reason: None,
        }
    }

    fn chain(actions: &[&str]) -> Vec<ChainedEvent> {
        let mut prev = GENESIS.to_string();
        actions
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let seq = i as i64 + 1;
                let e = event(a);
                let hash = chain_hash(&prev, seq, &e);
                let stored = ChainedEvent {
                    seq,
                    event: e,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                stored
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies_and_each_kind_of_tampering_names_the_first_bad_event() {
        let good = chain(&["a", "b", "c", "d"]);
        assert_eq!(verify(&good, GENESIS.into(), 1), Ok(4));

        let mut edited = good.clone();
        edited[1].event.action = "z".into();
        assert_eq!(
            verify(&edited, GENESIS.into(), 1).map_err(|b| b.seq),
            Err(2)
        );

        let mut deleted = good.clone();
        deleted.remove(2);
        assert_eq!(
            verify(&deleted, GENESIS.into(), 1).map_err(|b| b.seq),
            Err(4)
        );

        let mut reordered = good.clone();
        reordered.swap(1, 2);
        assert_eq!(
            verify(&reordered, GENESIS.into(), 1).map_err(|b| b.seq),
            Err(3)
        );

        let mut renumbered = good.clone();
        renumbered.swap(1, 2);
        renumbered[1].seq = 2;
        renumbered[2].seq = 3;
        assert_eq!(
            verify(&renumbered, GENESIS.into(), 1).map_err(|b| b.seq),
            Err(2)
        );
    }
}
