//! Random bytes for keys and nonces, straight from the operating system.

use crate::CryptoError;

/// Fills `buf` from the OS generator. Failure is returned rather than panicking so that a
/// request which cannot get randomness fails cleanly instead of taking the process down.
pub(crate) fn fill(buf: &mut [u8]) -> Result<(), CryptoError> {
    getrandom::fill(buf).map_err(|e| CryptoError::Randomness {
        reason: e.to_string(),
    })
}
