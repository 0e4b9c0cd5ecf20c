//! The one AEAD construction both data values and wrapped keys use: version byte, random
//! 24-byte nonce, XChaCha20-Poly1305 ciphertext and tag.

use crate::{CryptoError, random};
use chacha20poly1305::{AeadInOut, KeyInit, Tag, XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

pub(crate) const NONCE_LEN: usize = 24;
pub(crate) const TAG_LEN: usize = 16;
const HEADER_LEN: usize = 1 + NONCE_LEN;
/// The smallest sealed value: header and tag around an empty plaintext.
pub(crate) const MIN_SEALED_LEN: usize = HEADER_LEN + TAG_LEN;

/// Seals `plaintext` as `version || nonce || ciphertext || tag`.
///
/// The version byte is also fed into the associated data, so it cannot be changed to make a
/// future decoder read the value another way. Nonces are random: XChaCha20's 192-bit nonce makes
/// collisions negligible without keeping a counter per key.
pub(crate) fn seal(
    version: u8,
    key: &[u8; 32],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let mut nonce = [0u8; NONCE_LEN];
    random::fill(&mut nonce)?;

    // Sized up front so the plaintext copied in is encrypted where it sits and never left
    // behind in a buffer freed by reallocation.
    let mut out = Vec::with_capacity(MIN_SEALED_LEN + plaintext.len());
    out.push(version);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(plaintext);

    let cipher = XChaCha20Poly1305::new(key.into());
    let tag = cipher
        .encrypt_inout_detached(
            &XNonce::from(nonce),
            &full_aad(version, aad),
            (&mut out[HEADER_LEN..]).into(),
        )
        .map_err(|_| CryptoError::TooLong {
            len: plaintext.len(),
        })?;
    out.extend_from_slice(&tag);
    Ok(out)
}

/// Opens what [`seal`] produced with the same version, key and associated data.
pub(crate) fn open(
    version: u8,
    key: &[u8; 32],
    aad: &[u8],
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    // The version is checked before the length so that a value from a newer format is reported
    // as such rather than as damaged.
    let Some(&found) = sealed.first() else {
        return Err(CryptoError::Malformed { len: 0 });
    };
    if found != version {
        return Err(CryptoError::UnsupportedVersion { found });
    }
    if sealed.len() < MIN_SEALED_LEN {
        return Err(CryptoError::Malformed { len: sealed.len() });
    }
    let (nonce, rest) = sealed[1..].split_at(NONCE_LEN);
    let (ciphertext, tag) = rest.split_at(rest.len() - TAG_LEN);
    let nonce =
        XNonce::try_from(nonce).map_err(|_| CryptoError::Malformed { len: sealed.len() })?;
    let tag = Tag::try_from(tag).map_err(|_| CryptoError::Malformed { len: sealed.len() })?;

    // Decrypted in a zeroizing buffer so the plaintext is wiped however the caller drops it.
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    let cipher = XChaCha20Poly1305::new(key.into());
    cipher
        .decrypt_inout_detached(
            &nonce,
            &full_aad(version, aad),
            buf.as_mut_slice().into(),
            &tag,
        )
        .map_err(|_| CryptoError::CannotDecrypt)?;
    Ok(buf)
}

fn full_aad(version: u8, aad: &[u8]) -> Vec<u8> {
    let mut full = Vec::with_capacity(1 + aad.len());
    full.push(version);
    full.extend_from_slice(aad);
    full
}

/// Appends `bytes` with a big-endian u64 length in front, so that a sequence of fields has
/// exactly one reading: ("ab", "c") and ("a", "bc") encode differently.
pub(crate) fn put_field(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
    out.extend_from_slice(bytes);
}
