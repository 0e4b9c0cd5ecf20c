//! Blind indexes: keyed, deterministic tokens for exact-match search on encrypted identifiers.

use crate::sealing::put_field;
use crate::{CryptoError, hex, random};
use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Ties the derived HMAC key to this one purpose and version, so the index key could later seed
/// other derivations without any two sharing a key.
const HKDF_INFO: &[u8] = b"hearth/blind-index/v1";

/// The secret behind blind indexes: 32 random bytes kept in the key file as `index_key`. It is
/// separate from the KEKs because tokens are stored, and rotating KEKs must not change them.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct IndexKey {
    bytes: [u8; 32],
}

impl IndexKey {
    pub fn generate() -> Result<Self, CryptoError> {
        let mut key = Self { bytes: [0u8; 32] };
        random::fill(&mut key.bytes)?;
        Ok(key)
    }

    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        Self { bytes: *bytes }
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.bytes
    }
}

impl fmt::Debug for IndexKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IndexKey(..)")
    }
}

/// Makes search tokens: HMAC-SHA256 under a key derived (HKDF-SHA256) from the index key, over
/// the length-prefixed domain and the value. Equal inputs give equal tokens, so the store can
/// keep a token column and look up by it; without the key a token cannot be checked against
/// guesses, which matters because identifiers like NI numbers are easy to enumerate.
#[derive(Clone)]
pub struct BlindIndex {
    mac: Hmac<Sha256>,
}

impl BlindIndex {
    pub fn new(key: &IndexKey) -> Result<Self, CryptoError> {
        let mut derived = zeroize::Zeroizing::new([0u8; 32]);
        Hkdf::<Sha256>::new(None, key.bytes())
            .expand(HKDF_INFO, derived.as_mut_slice())
            .map_err(|_| CryptoError::KeyDerivation)?;
        let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(derived.as_slice())
            .map_err(|_| CryptoError::KeyDerivation)?;
        Ok(Self { mac })
    }

    /// The token (64 lowercase hex characters) for `value` in `domain`, e.g. `("ni_number",
    /// "QQ123456C")`. The domain keeps fields apart: the same string as an NI number and as an
    /// NHS number gives unrelated tokens, so tokens reveal nothing across columns.
    ///
    /// The value is used exactly as given; callers must canonicalise it first (case, spaces) in
    /// the same way when storing and when searching.
    pub fn token(&self, domain: &str, value: &str) -> String {
        let mut mac = self.mac.clone();
        let mut message =
            zeroize::Zeroizing::new(Vec::with_capacity(16 + domain.len() + value.len()));
        put_field(&mut message, domain.as_bytes());
        put_field(&mut message, value.as_bytes());
        mac.update(&message);
        hex::encode(&mac.finalize().into_bytes())
    }
}

impl fmt::Debug for BlindIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BlindIndex(..)")
    }
}
