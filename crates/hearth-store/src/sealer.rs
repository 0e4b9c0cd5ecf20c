//! Encryption at rest for the most sensitive columns: NI and NHS numbers, equality answers and
//! contact-log notes are sealed under a data key per person, wrapped by the key-encryption key
//! ring. The associated data binds each value to its table, column, row and data key, so a
//! value copied to another row or column does not open. Destroying a person's key row leaves
//! every copy of these values unreadable, backups included.

use crate::{Result, StoreError};
use hearth_crypto::{Aad, BlindIndex, DataKey, KeyRing, WrappedKey};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use uuid::Uuid;

/// Every sealed value starts with this, so a value is known to be sealed by looking at it.
pub const SEALED_PREFIX: &str = "hse1:";

/// A person's data key as stored: its id (bound into every value's associated data) and the key
/// wrapped under a key-encryption key.
#[derive(Debug, Clone)]
pub struct PersonKeyRow {
    pub person_id: Uuid,
    pub key_id: Uuid,
    pub kek_id: String,
    pub wrapped_hex: String,
}

/// A person's data key, unwrapped for one operation.
pub struct PersonKey {
    pub key_id: Uuid,
    key: DataKey,
}

/// The key ring and the blind index, shared by every store operation. A ring read from a key
/// file is read again when a data key turns out to be wrapped under a key-encryption key it
/// does not hold yet: that is how a running server follows `hearth keys rotate` without a
/// restart.
pub struct Sealer {
    ring: RwLock<Arc<KeyRing>>,
    index: BlindIndex,
    source: Option<PathBuf>,
}

fn crypto(e: impl std::fmt::Display) -> StoreError {
    StoreError::Crypto(e.to_string())
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Result<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return Err(StoreError::Corrupt("sealed value of odd length".into()));
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(text.get(i..i + 2).unwrap_or(""), 16)
                .map_err(|_| StoreError::Corrupt("sealed value is not hex".into()))
        })
        .collect()
}

impl Sealer {
    /// A sealer over a key ring, which must hold the blind-index key.
    pub fn new(ring: KeyRing) -> Result<Self> {
        let index = ring.blind_index().map_err(crypto)?;
        Ok(Self {
            ring: RwLock::new(Arc::new(ring)),
            index,
            source: None,
        })
    }

    /// A sealer over the key file at `path`, read again when it gains a key.
    pub fn from_file(path: PathBuf) -> Result<Self> {
        let ring = KeyRing::load(&path).map_err(crypto)?;
        let mut sealer = Self::new(ring)?;
        sealer.source = Some(path);
        Ok(sealer)
    }

    fn ring(&self) -> Arc<KeyRing> {
        self.ring
            .read()
            .map(|r| Arc::clone(&r))
            .unwrap_or_else(|poisoned| Arc::clone(&poisoned.into_inner()))
    }

    /// The ring, read again from its file first if it lacks `kek_id`.
    fn ring_with(&self, kek_id: &str) -> Result<Arc<KeyRing>> {
        let ring = self.ring();
        if ring.contains(kek_id) {
            return Ok(ring);
        }
        let Some(path) = &self.source else {
            return Ok(ring);
        };
        let fresh = Arc::new(KeyRing::load(path).map_err(crypto)?);
        if let Ok(mut slot) = self.ring.write() {
            *slot = Arc::clone(&fresh);
        }
        Ok(fresh)
    }

    /// The KEK that wraps new data keys.
    pub fn active_kek_id(&self) -> String {
        self.ring().active_kek_id().to_string()
    }

    /// A fresh data key for a new person, with the row that keeps it wrapped.
    pub fn new_person_key(&self, person_id: Uuid) -> Result<(PersonKey, PersonKeyRow)> {
        let key = DataKey::generate().map_err(crypto)?;
        let key_id = Uuid::now_v7();
        let wrapped = self.ring().wrap_key(key_id, &key).map_err(crypto)?;
        let row = PersonKeyRow {
            person_id,
            key_id,
            kek_id: wrapped.kek_id.clone(),
            wrapped_hex: to_hex(&wrapped.bytes),
        };
        Ok((PersonKey { key_id, key }, row))
    }

    /// Unwraps a stored data key.
    pub fn unwrap(&self, row: &PersonKeyRow) -> Result<PersonKey> {
        let wrapped = WrappedKey {
            kek_id: row.kek_id.clone(),
            bytes: from_hex(&row.wrapped_hex)?,
        };
        let key = self
            .ring_with(&row.kek_id)?
            .unwrap_key(row.key_id, &wrapped)
            .map_err(crypto)?;
        Ok(PersonKey {
            key_id: row.key_id,
            key,
        })
    }

    /// Unwraps the keys of many people at once, by person id.
    pub fn unwrap_all(&self, rows: &[PersonKeyRow]) -> Result<HashMap<Uuid, PersonKey>> {
        rows.iter()
            .map(|row| Ok((row.person_id, self.unwrap(row)?)))
            .collect()
    }

    /// The same key wrapped under the active KEK, if it is wrapped under another.
    pub fn rewrapped(&self, row: &PersonKeyRow) -> Result<Option<PersonKeyRow>> {
        let ring = self.ring();
        if row.kek_id == ring.active_kek_id() {
            return Ok(None);
        }
        let key = self.unwrap(row)?;
        let wrapped = ring.wrap_key(row.key_id, &key.key).map_err(crypto)?;
        Ok(Some(PersonKeyRow {
            kek_id: wrapped.kek_id.clone(),
            wrapped_hex: to_hex(&wrapped.bytes),
            ..row.clone()
        }))
    }

    /// Seals one value of one row and column.
    pub fn seal(
        &self,
        key: &PersonKey,
        table: &str,
        column: &str,
        row: Uuid,
        value: &str,
    ) -> Result<String> {
        let row = row.to_string();
        let aad = Aad::new(table, column, &row, key.key_id);
        let sealed = hearth_crypto::seal_str(&key.key, &aad, value).map_err(crypto)?;
        Ok(format!("{SEALED_PREFIX}{}", to_hex(&sealed)))
    }

    pub fn seal_opt(
        &self,
        key: &PersonKey,
        table: &str,
        column: &str,
        row: Uuid,
        value: Option<&str>,
    ) -> Result<Option<String>> {
        value
            .map(|v| self.seal(key, table, column, row, v))
            .transpose()
    }

    /// Opens a sealed value; a value that fails to open is reported, never guessed at.
    pub fn open(
        &self,
        key: &PersonKey,
        table: &str,
        column: &str,
        row: Uuid,
        sealed: &str,
    ) -> Result<String> {
        let hex = sealed.strip_prefix(SEALED_PREFIX).ok_or_else(|| {
            StoreError::Corrupt(format!("{table}.{column} of {row} is not sealed"))
        })?;
        let row_text = row.to_string();
        let aad = Aad::new(table, column, &row_text, key.key_id);
        let opened = hearth_crypto::open_str(&key.key, &aad, &from_hex(hex)?)
            .map_err(|e| StoreError::Corrupt(format!("{table}.{column} of {row}: {e}")))?;
        Ok(opened.to_string())
    }

    /// Seals bytes (a media object) under a person's key, bound to where they are stored.
    pub fn seal_bytes(&self, key: &PersonKey, place: &str, bytes: &[u8]) -> Result<Vec<u8>> {
        let aad = Aad::new("media", "object", place, key.key_id);
        hearth_crypto::seal(&key.key, &aad, bytes).map_err(crypto)
    }

    /// Opens bytes sealed by [`Sealer::seal_bytes`] for the same place.
    pub fn open_bytes(&self, key: &PersonKey, place: &str, sealed: &[u8]) -> Result<Vec<u8>> {
        let aad = Aad::new("media", "object", place, key.key_id);
        hearth_crypto::open(&key.key, &aad, sealed)
            .map(|b| b.to_vec())
            .map_err(|e| StoreError::Corrupt(format!("media object {place}: {e}")))
    }

    /// The blind index of an NI number (in its stored form), for exact-match search.
    pub fn ni_index(&self, ni: &str) -> String {
        self.index.token("people.ni_number", ni)
    }
}
