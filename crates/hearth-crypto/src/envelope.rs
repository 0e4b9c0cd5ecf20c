//! Sealing and opening values under a person's data key, bound to where the value is stored.
//!
//! Sealed values are bytes (`version || nonce || ciphertext || tag`) because the store keeps them
//! in BLOB/bytea columns; there is no text encoding to agree on.

use crate::{Aad, CryptoError, DataKey, sealing};
use zeroize::{Zeroize, Zeroizing};

/// The layout of sealed data values. A new layout gets a new number and `open` learns both.
const DATA_FORMAT_V1: u8 = 1;

/// Encrypts `plaintext` under `key`, bound to `aad`. The output is 41 bytes longer than the input
/// (version byte, 24-byte nonce, 16-byte tag). Sealing the same value twice gives different
/// bytes, so equal ciphertexts reveal nothing; use a [`crate::BlindIndex`] for lookups.
pub fn seal(key: &DataKey, aad: &Aad<'_>, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
    sealing::seal(DATA_FORMAT_V1, key.bytes(), &aad.to_bytes(), plaintext)
}

/// Decrypts what [`seal`] produced with the same key and the same place. The plaintext comes back
/// in a buffer that is wiped when dropped.
pub fn open(
    key: &DataKey,
    aad: &Aad<'_>,
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    sealing::open(DATA_FORMAT_V1, key.bytes(), &aad.to_bytes(), sealed)
}

/// [`seal`] for text fields (identifiers, notes). Same format as bytes: the UTF-8 is sealed as is.
pub fn seal_str(key: &DataKey, aad: &Aad<'_>, plaintext: &str) -> Result<Vec<u8>, CryptoError> {
    seal(key, aad, plaintext.as_bytes())
}

/// [`open`] for text fields; fails with [`CryptoError::NotText`] if the value is not UTF-8.
pub fn open_str(
    key: &DataKey,
    aad: &Aad<'_>,
    sealed: &[u8],
) -> Result<Zeroizing<String>, CryptoError> {
    let mut bytes = open(key, aad, sealed)?;
    // Moved, not copied, into the String so only one buffer ever holds the plaintext.
    match String::from_utf8(std::mem::take(&mut *bytes)) {
        Ok(text) => Ok(Zeroizing::new(text)),
        Err(not_text) => {
            not_text.into_bytes().zeroize();
            Err(CryptoError::NotText)
        }
    }
}
