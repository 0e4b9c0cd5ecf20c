//! The errors this crate returns. None of them carries key bytes or plaintext.

use std::io;

/// Why sealing, opening, wrapping or unwrapping failed.
///
/// The variants keep apart the cases an operator handles differently: data that cannot be
/// decrypted (wrong key, wrong place or tampered, which the AEAD cannot tell apart), a KEK that
/// is missing from the key file, and a format this build does not understand.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// Authentication failed. The AEAD deliberately does not say which of these it was.
    #[error(
        "cannot decrypt: wrong key, sealed for a different place (table, column, row or key id), or altered"
    )]
    CannotDecrypt,

    /// A wrapped key names a KEK that is not in the key ring.
    #[error("unknown key-encryption key id {kek_id}: it is not in the key file")]
    UnknownKek { kek_id: String },

    /// The first byte of a sealed value is a format version this build does not know.
    #[error("unsupported encrypted-data format version {found}")]
    UnsupportedVersion { found: u8 },

    /// Too short to hold a version byte, nonce and tag, so it was never a sealed value.
    #[error("encrypted value is too short to be valid ({len} bytes)")]
    Malformed { len: usize },

    /// Too long for XChaCha20-Poly1305 (about 256 GiB); split it before sealing.
    #[error("value is too long to encrypt ({len} bytes)")]
    TooLong { len: usize },

    /// [`crate::open_str`] decrypted something that is not UTF-8, so it was sealed as bytes.
    #[error("decrypted value is not UTF-8 text; it was sealed as bytes, not as a string")]
    NotText,

    /// The key ring has no index key, so blind-index tokens cannot be made.
    #[error(
        "the key file has no index_key, so blind indexes cannot be computed; `hearth keys rotate` adds one"
    )]
    NoIndexKey,

    /// A KEK id that cannot be written safely into the key file or a database column.
    #[error("key-encryption key id {kek_id:?} is not allowed: {reason}")]
    InvalidKekId {
        kek_id: String,
        reason: &'static str,
    },

    /// Two KEKs with the same id in one ring.
    #[error("key-encryption key id {kek_id} is already in the key ring")]
    DuplicateKek { kek_id: String },

    /// The operating system could not provide random bytes for a key or nonce.
    #[error("the operating system's random number source failed: {reason}")]
    Randomness { reason: String },

    /// HKDF or HMAC refused a key length; cannot happen with the fixed 32-byte keys used here.
    #[error("key derivation failed")]
    KeyDerivation,
}

/// Why the key file could not be read, parsed or written. Each variant names the file (as given
/// by the caller) and, where there is one, the entry at fault; none repeats a key's value.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("cannot read key file {origin}: {source}")]
    Read {
        origin: String,
        #[source]
        source: io::Error,
    },

    #[error("cannot write key file {origin}: {source}")]
    Write {
        origin: String,
        #[source]
        source: io::Error,
    },

    #[error("key file {origin} already exists; refusing to overwrite it")]
    AlreadyExists { origin: String },

    /// Not valid TOML. Only the parser's message and the position are kept, never the line's
    /// text, because that line may hold a key.
    #[error("key file {origin} is not valid TOML at line {line}, column {column}: {message}")]
    Syntax {
        origin: String,
        line: usize,
        column: usize,
        message: String,
    },

    /// The same entry twice, usually a key id under `[keys]`.
    #[error("key file {origin}: `{entry}` appears more than once (again at line {line})")]
    DuplicateEntry {
        origin: String,
        entry: String,
        line: usize,
    },

    #[error(
        "key file {origin}: unexpected entry `{entry}` (expected `active`, `index_key` and a `[keys]` table)"
    )]
    UnknownEntry { origin: String, entry: String },

    #[error("key file {origin}: `{entry}` must be {expected}")]
    WrongType {
        origin: String,
        entry: String,
        expected: &'static str,
    },

    #[error(
        "key file {origin}: no `active = \"<key id>\"` entry says which key wraps new data keys"
    )]
    NoActive { origin: String },

    #[error("key file {origin}: the `[keys]` table is missing or empty")]
    NoKeys { origin: String },

    #[error("key file {origin}: the active key {kek_id} is not listed under `[keys]`")]
    ActiveKeyMissing { origin: String, kek_id: String },

    #[error("key file {origin}: key id {kek_id:?} is not allowed: {reason}")]
    BadKeyId {
        origin: String,
        kek_id: String,
        reason: &'static str,
    },

    /// `entry` is `key <id>` or `index_key`.
    #[error("key file {origin}: {entry} is not hex: {reason}")]
    BadHex {
        origin: String,
        entry: String,
        reason: String,
    },

    #[error(
        "key file {origin}: {entry} must be 64 hex characters (32 bytes), found {found} characters"
    )]
    WrongLength {
        origin: String,
        entry: String,
        found: usize,
    },

    /// Two entries hold the same bytes: a copy-paste slip that would make "rotation" a no-op or
    /// tie the blind index to a KEK.
    #[error(
        "key file {origin}: {first} and {second} hold the same key; every key must be generated separately"
    )]
    DuplicateKey {
        origin: String,
        first: String,
        second: String,
    },

    /// Generating a new key failed (no randomness, or an id that cannot be used).
    #[error("key file {origin}: cannot make a new key: {source}")]
    NewKey {
        origin: String,
        #[source]
        source: CryptoError,
    },
}
