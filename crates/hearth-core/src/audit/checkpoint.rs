//! Signed checkpoints of the audit chain: the head's sequence number and hash, signed with an
//! Ed25519 key kept apart from the database. Someone able to rewrite the whole chain, hashes and
//! all, still cannot forge the signature on a checkpoint they did not make.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use jiff::Timestamp;
use serde::Serialize;

/// A signed statement that the chain's event `seq` had hash `hash` at `signed_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    pub signed_at: Timestamp,
    /// The signing key's public half, hex.
    pub public_key: String,
    /// The Ed25519 signature of [`Checkpoint::message`], hex.
    pub signature: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SigningKeyError {
    #[error("the signing key must be 64 hexadecimal characters (a 32-byte Ed25519 seed)")]
    Malformed,
}

/// The audit signing key.
pub struct CheckpointKey(SigningKey);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

impl CheckpointKey {
    /// A key from its 32-byte seed, as written by [`CheckpointKey::to_hex`].
    pub fn from_hex(text: &str) -> Result<Self, SigningKeyError> {
        let bytes: [u8; 32] = unhex(text)
            .and_then(|b| b.try_into().ok())
            .ok_or(SigningKeyError::Malformed)?;
        Ok(Self(SigningKey::from_bytes(&bytes)))
    }

    /// A key from 32 random bytes the caller supplies (from the operating system's generator).
    pub fn from_seed(seed: [u8; 32]) -> Self {
        Self(SigningKey::from_bytes(&seed))
    }

    pub fn to_hex(&self) -> String {
        hex(&self.0.to_bytes())
    }

    pub fn public_key(&self) -> String {
        hex(self.0.verifying_key().as_bytes())
    }

    /// Signs any message; the signature is hex. Callers version their messages, as
    /// [`Checkpoint::message`] does, so that one kind of signed statement cannot pass for another.
    pub fn sign_message(&self, message: &[u8]) -> String {
        hex(&self.0.sign(message).to_bytes())
    }

    /// Signs the chain head.
    pub fn sign(&self, seq: i64, hash: &str, signed_at: Timestamp) -> Checkpoint {
        let signature = self
            .0
            .sign(Checkpoint::message(seq, hash, signed_at).as_bytes());
        Checkpoint {
            seq,
            hash: hash.to_string(),
            signed_at,
            public_key: self.public_key(),
            signature: hex(&signature.to_bytes()),
        }
    }
}

impl Checkpoint {
    /// What is signed: versioned, so the format can change without ambiguity.
    pub fn message(seq: i64, hash: &str, signed_at: Timestamp) -> String {
        format!("hearth-audit-checkpoint:v1:{seq}:{hash}:{signed_at}")
    }

    /// Whether the signature is valid for this checkpoint under `public_key` (hex).
    pub fn signature_valid(&self, public_key: &str) -> bool {
        signature_valid(
            public_key,
            Checkpoint::message(self.seq, &self.hash, self.signed_at).as_bytes(),
            &self.signature,
        )
    }
}

/// Whether `signature` (hex) is a valid Ed25519 signature of `message` under `public_key` (hex).
pub fn signature_valid(public_key: &str, message: &[u8], signature: &str) -> bool {
    let Some(key) = unhex(public_key)
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
    else {
        return false;
    };
    let Some(signature) = unhex(signature).and_then(|b| <[u8; 64]>::try_from(b).ok()) else {
        return false;
    };
    key.verify(message, &Signature::from_bytes(&signature))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_verifies_under_its_key_and_not_when_altered_or_under_another() {
        let key = CheckpointKey::from_seed([7; 32]);
        let at = Timestamp::UNIX_EPOCH;
        let checkpoint = key.sign(12, "abc", at);
        assert!(checkpoint.signature_valid(&key.public_key()));
        assert!(
            !Checkpoint {
                hash: "abd".into(),
                ..checkpoint.clone()
            }
            .signature_valid(&key.public_key())
        );
        assert!(
            !Checkpoint {
                seq: 13,
                ..checkpoint.clone()
            }
            .signature_valid(&key.public_key())
        );
        assert!(!checkpoint.signature_valid(&CheckpointKey::from_seed([8; 32]).public_key()));
        let again = CheckpointKey::from_hex(&key.to_hex())
            .map(|k| k.public_key())
            .ok();
        assert_eq!(again, Some(key.public_key()));
        assert!(CheckpointKey::from_hex("xyz").is_err());
    }
}
