//! The per-person data key.

use crate::{CryptoError, random};
use std::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A person's data key: 32 random bytes that seal all of that person's protected values.
///
/// It is wiped from memory when dropped, is deliberately not `Clone` (fewer copies to wipe) and
/// its `Debug` never shows the bytes. Its id is kept by the caller, beside the wrapped form.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct DataKey {
    bytes: [u8; 32],
}

impl DataKey {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<Self, CryptoError> {
        let mut key = Self { bytes: [0u8; 32] };
        random::fill(&mut key.bytes)?;
        Ok(key)
    }

    /// Rebuilds a key from unwrapped bytes; only unwrapping may do this, so keys cannot be made
    /// from guessable material elsewhere.
    pub(crate) fn from_bytes(bytes: &[u8; 32]) -> Self {
        Self { bytes: *bytes }
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.bytes
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(..)")
    }
}
