//! Key-encryption keys, the key ring that holds them, and wrapped data keys.

use crate::sealing::{self, put_field};
use crate::{BlindIndex, CryptoError, DataKey, IndexKey, random};
use std::collections::BTreeMap;
use std::fmt;
use uuid::Uuid;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The layout of wrapped data keys, independent of the data format.
const WRAP_FORMAT_V1: u8 = 1;
/// Labels the wrap's associated data so it can never be confused with a data value's.
const WRAP_LABEL: &[u8] = b"hearth/wrap";
/// KEK ids are stored in a column beside every wrapped key and written unescaped into the key
/// file, so they are kept short and plain.
const MAX_KEK_ID_LEN: usize = 64;

/// A key-encryption key: wraps data keys, never touches data. Wiped on drop; `Debug` shows only
/// the id.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Kek {
    id: String,
    bytes: [u8; 32],
}

impl Kek {
    /// A fresh KEK from the operating system's random source.
    pub fn generate(id: &str) -> Result<Self, CryptoError> {
        check_kek_id(id).map_err(|reason| CryptoError::InvalidKekId {
            kek_id: id.to_owned(),
            reason,
        })?;
        let mut kek = Self {
            id: id.to_owned(),
            bytes: [0u8; 32],
        };
        random::fill(&mut kek.bytes)?;
        Ok(kek)
    }

    /// A KEK from known bytes, as read from a key file (or fixed in a test).
    pub fn from_bytes(id: &str, bytes: &[u8; 32]) -> Result<Self, CryptoError> {
        check_kek_id(id).map_err(|reason| CryptoError::InvalidKekId {
            kek_id: id.to_owned(),
            reason,
        })?;
        Ok(Self {
            id: id.to_owned(),
            bytes: *bytes,
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.bytes
    }
}

impl fmt::Debug for Kek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Kek")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Letters, digits, `-`, `_` and `.`, at most 64 characters: safe unquoted in logs, in a
/// database column and inside a TOML string without escaping.
pub(crate) fn check_kek_id(id: &str) -> Result<(), &'static str> {
    if id.is_empty() {
        return Err("it is empty");
    }
    if id.len() > MAX_KEK_ID_LEN {
        return Err("it is longer than 64 characters");
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return Err("only letters, digits, '-', '_' and '.' are allowed");
    }
    Ok(())
}

/// A data key sealed under a KEK, as the store keeps it (one row per person: person id, data key
/// id, `kek_id`, `bytes`). Deleting it is what crypto-shreds the person's data.
#[derive(Clone, PartialEq, Eq)]
pub struct WrappedKey {
    /// Which KEK sealed it, so the right one is found after rotation.
    pub kek_id: String,
    /// `version || nonce || sealed data key || tag`.
    pub bytes: Vec<u8>,
}

impl fmt::Debug for WrappedKey {
    // The bytes are ciphertext, not secret, but say nothing useful in a log line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WrappedKey")
            .field("kek_id", &self.kek_id)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// The KEKs the process knows: exactly one is *active* and wraps new data keys; all of them can
/// unwrap, so data keys wrapped before a rotation keep working until they are re-wrapped.
/// Optionally also the blind-index key, which is not a KEK and never rotates.
pub struct KeyRing {
    keks: BTreeMap<String, Kek>,
    active: String,
    index_key: Option<IndexKey>,
}

impl KeyRing {
    /// A ring holding just `active`, with no index key.
    pub fn new(active: Kek) -> Self {
        let id = active.id().to_owned();
        let mut keks = BTreeMap::new();
        keks.insert(id.clone(), active);
        Self {
            keks,
            active: id,
            index_key: None,
        }
    }

    /// A ring with a fresh active KEK under `kek_id` and a fresh index key: what a new key file
    /// holds, and what tests that need no file can use.
    pub fn generate(kek_id: &str) -> Result<Self, CryptoError> {
        let mut ring = Self::new(Kek::generate(kek_id)?);
        ring.set_index_key(IndexKey::generate()?);
        Ok(ring)
    }

    /// Adds a KEK for unwrapping; it does not become active.
    pub fn insert(&mut self, kek: Kek) -> Result<(), CryptoError> {
        if self.keks.contains_key(kek.id()) {
            return Err(CryptoError::DuplicateKek {
                kek_id: kek.id().to_owned(),
            });
        }
        self.keks.insert(kek.id().to_owned(), kek);
        Ok(())
    }

    /// Makes an existing KEK the one that wraps new data keys.
    pub fn set_active(&mut self, kek_id: &str) -> Result<(), CryptoError> {
        if !self.keks.contains_key(kek_id) {
            return Err(CryptoError::UnknownKek {
                kek_id: kek_id.to_owned(),
            });
        }
        kek_id.clone_into(&mut self.active);
        Ok(())
    }

    pub fn set_index_key(&mut self, key: IndexKey) {
        self.index_key = Some(key);
    }

    pub fn active_kek_id(&self) -> &str {
        &self.active
    }

    /// All KEK ids, in sorted order (which is date order for generated ids).
    pub fn kek_ids(&self) -> impl Iterator<Item = &str> {
        self.keks.keys().map(String::as_str)
    }

    pub fn contains(&self, kek_id: &str) -> bool {
        self.keks.contains_key(kek_id)
    }

    pub fn has_index_key(&self) -> bool {
        self.index_key.is_some()
    }

    pub(crate) fn keks(&self) -> impl Iterator<Item = &Kek> {
        self.keks.values()
    }

    pub(crate) fn index_key(&self) -> Option<&IndexKey> {
        self.index_key.as_ref()
    }

    fn active_kek(&self) -> Result<&Kek, CryptoError> {
        // The constructors keep `active` in `keks`; a lookup keeps that an error, not a panic.
        self.keks
            .get(&self.active)
            .ok_or_else(|| CryptoError::UnknownKek {
                kek_id: self.active.clone(),
            })
    }

    /// Wraps `key` (whose id is `key_id`) under the active KEK.
    pub fn wrap_key(&self, key_id: Uuid, key: &DataKey) -> Result<WrappedKey, CryptoError> {
        let kek = self.active_kek()?;
        let bytes = sealing::seal(
            WRAP_FORMAT_V1,
            kek.bytes(),
            &wrap_aad(key_id, kek.id()),
            key.bytes(),
        )?;
        Ok(WrappedKey {
            kek_id: kek.id().to_owned(),
            bytes,
        })
    }

    /// Unwraps with whichever KEK `wrapped` names. Fails with [`CryptoError::UnknownKek`] if that
    /// KEK is not in the ring, and [`CryptoError::CannotDecrypt`] if `key_id` is not the id it
    /// was wrapped for or the bytes were altered.
    pub fn unwrap_key(&self, key_id: Uuid, wrapped: &WrappedKey) -> Result<DataKey, CryptoError> {
        let kek = self
            .keks
            .get(&wrapped.kek_id)
            .ok_or_else(|| CryptoError::UnknownKek {
                kek_id: wrapped.kek_id.clone(),
            })?;
        let plain = sealing::open(
            WRAP_FORMAT_V1,
            kek.bytes(),
            &wrap_aad(key_id, kek.id()),
            &wrapped.bytes,
        )?;
        let bytes: &[u8; 32] = plain
            .as_slice()
            .try_into()
            .map_err(|_| CryptoError::Malformed {
                len: wrapped.bytes.len(),
            })?;
        Ok(DataKey::from_bytes(bytes))
    }

    /// Whether `wrapped` is under an older KEK and so should be re-wrapped after a rotation.
    pub fn needs_rewrap(&self, wrapped: &WrappedKey) -> bool {
        wrapped.kek_id != self.active
    }

    /// Moves a wrapped data key to the active KEK, leaving the data key (and so all data sealed
    /// under it) unchanged. It is always unwrapped first, so a damaged wrapped key is reported
    /// rather than carried forward; if it is already under the active KEK an identical copy is
    /// returned, so a store can skip the write.
    pub fn rewrap_key(
        &self,
        key_id: Uuid,
        wrapped: &WrappedKey,
    ) -> Result<WrappedKey, CryptoError> {
        let key = self.unwrap_key(key_id, wrapped)?;
        if !self.needs_rewrap(wrapped) {
            return Ok(wrapped.clone());
        }
        self.wrap_key(key_id, &key)
    }

    /// The blind index keyed by this ring's index key.
    pub fn blind_index(&self) -> Result<BlindIndex, CryptoError> {
        BlindIndex::new(self.index_key.as_ref().ok_or(CryptoError::NoIndexKey)?)
    }
}

impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRing")
            .field("active", &self.active)
            .field("kek_ids", &self.keks.keys().collect::<Vec<_>>())
            .field("has_index_key", &self.index_key.is_some())
            .finish()
    }
}

/// Binds a wrap to the data key's id and the KEK's id: a wrapped key copied onto another person's
/// row, or relabelled with another KEK id, does not unwrap.
fn wrap_aad(key_id: Uuid, kek_id: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(3 * 8 + WRAP_LABEL.len() + 16 + kek_id.len());
    put_field(&mut out, WRAP_LABEL);
    put_field(&mut out, key_id.as_bytes());
    put_field(&mut out, kek_id.as_bytes());
    out
}
