//! The disposal certificate: what one retention run destroyed, by record type, under which
//! schedule and register version, signed with the audit signing key. Counts only: a
//! certificate never holds personal data.

use crate::audit::{CheckpointKey, signature_valid};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The format tag, signed with the rest so that a future format cannot be passed off as this one.
pub const FORMAT: &str = "hearth-disposal-certificate/1";

/// What a run did to one record type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisposalLine {
    pub record_type: String,
    pub record_type_name: String,
    /// "3 months after created".
    pub schedule: String,
    /// delete, anonymise, or review (destroyed after approval).
    pub action: String,
    pub trigger: String,
    pub destroyed: u64,
    pub anonymised: u64,
    /// Media objects removed from object storage.
    pub media_removed: u64,
    /// Data keys destroyed because nothing else about the person remained.
    pub keys_destroyed: u64,
}

/// The signed body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    pub format: String,
    pub run_id: Uuid,
    pub controller: String,
    /// Who ran it: `system:retention`, `cli:<user>`.
    pub actor: String,
    /// The day the run judged periods against.
    #[schema(value_type = String, format = Date)]
    pub as_of: Date,
    #[schema(value_type = String, format = DateTime)]
    pub started_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub finished_at: Timestamp,
    /// `completed`, or `interrupted` for a run that stopped part-way (its committed batches
    /// are counted; the next run finished the rest).
    pub status: String,
    pub register_version: String,
    pub register_hash: String,
    pub lines: Vec<DisposalLine>,
}

/// A certificate with its signature, as written to a file and served by the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignedCertificate {
    pub certificate: Certificate,
    /// The audit signing key's public half, hex.
    pub public_key: String,
    /// Ed25519 over the certificate's canonical JSON, prefixed with [`FORMAT`], hex.
    pub signature: String,
}

/// Why a certificate does not verify.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    #[error("the certificate is not in the format {FORMAT}")]
    Format,
    #[error(
        "the signature does not match the certificate: it was altered or not signed by this key"
    )]
    Signature,
    #[error("the certificate was signed by key {found}, not this installation's key {expected}")]
    WrongKey { found: String, expected: String },
}

impl Certificate {
    /// The exact bytes signed: the format tag and the body's JSON (fields in declaration order).
    fn message(&self) -> Vec<u8> {
        let body = serde_json::to_string(self).unwrap_or_default();
        format!("{FORMAT}\n{body}").into_bytes()
    }

    pub fn sign(self, key: &CheckpointKey) -> SignedCertificate {
        let signature = key.sign_message(&self.message());
        SignedCertificate {
            certificate: self,
            public_key: key.public_key(),
            signature,
        }
    }

    pub fn total_destroyed(&self) -> u64 {
        self.lines.iter().map(|l| l.destroyed).sum()
    }

    pub fn total_anonymised(&self) -> u64 {
        self.lines.iter().map(|l| l.anonymised).sum()
    }
}

impl SignedCertificate {
    /// Checks the signature, and that it was made by `expected_key` (hex) when one is given:
    /// a certificate re-signed with someone else's key is refused.
    pub fn verify(&self, expected_key: Option<&str>) -> Result<(), CertificateError> {
        if self.certificate.format != FORMAT {
            return Err(CertificateError::Format);
        }
        if let Some(expected) = expected_key
            && !expected.eq_ignore_ascii_case(&self.public_key)
        {
            return Err(CertificateError::WrongKey {
                found: self.public_key.clone(),
                expected: expected.to_string(),
            });
        }
        if signature_valid(
            &self.public_key,
            &self.certificate.message(),
            &self.signature,
        ) {
            Ok(())
        } else {
            Err(CertificateError::Signature)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn certificate() -> Certificate {
        Certificate {
            format: FORMAT.to_string(),
            run_id: Uuid::nil(),
            controller: "Kirklees Council".into(),
            actor: "system:retention".into(),
            as_of: jiff::civil::date(2026, 11, 22),
            started_at: Timestamp::UNIX_EPOCH,
            finished_at: Timestamp::UNIX_EPOCH,
            status: "completed".into(),
            register_version: "1".into(),
            register_hash: "ab".into(),
            lines: vec![DisposalLine {
                record_type: "cctv_footage".into(),
                record_type_name: "CCTV Footage".into(),
                schedule: "30 days after created".into(),
                action: "delete".into(),
                trigger: "created".into(),
                destroyed: 41,
                anonymised: 0,
                media_removed: 41,
                keys_destroyed: 0,
            }],
        }
    }

    #[test]
    fn verifies_and_refuses_tampering_and_other_keys() {
        let key = CheckpointKey::from_seed([3; 32]);
        let signed = certificate().sign(&key);
        assert_eq!(signed.verify(Some(&key.public_key())), Ok(()));

        let json = serde_json::to_string(&signed).unwrap_or_default();
        let tampered = json.replace("\"destroyed\":41", "\"destroyed\":40");
        assert_ne!(json, tampered);
        let parsed: Result<SignedCertificate, _> = serde_json::from_str(&tampered);
        assert_eq!(
            parsed.map(|c| c.verify(None)).ok(),
            Some(Err(CertificateError::Signature))
        );

        let other = CheckpointKey::from_seed([4; 32]);
        let forged = certificate().sign(&other);
        assert_eq!(forged.verify(None), Ok(()));
        assert!(matches!(
            forged.verify(Some(&key.public_key())),
            Err(CertificateError::WrongKey { .. })
        ));
    }
}
