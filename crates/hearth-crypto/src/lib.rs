//! Envelope encryption for per-person data: data keys, key-encryption keys, the key file and blind indexes.
//!
//! # The scheme
//!
//! - **One data key per person.** Identifiers (NI and NHS numbers), special-category and equality
//!   fields, free-text notes and media about a person are sealed with XChaCha20-Poly1305 under
//!   that person's [`DataKey`]: 32 random bytes with a caller-chosen id ([`uuid::Uuid`]).
//! - **Bound to where it lives.** Every sealed value carries associated data ([`Aad`]) naming
//!   the table, column and row it is stored in and the id of the data key, so a value copied to
//!   another row, column, table or person does not decrypt: it fails instead of leaking one
//!   person's data into another's record.
//! - **Data keys are stored wrapped.** A data key is never stored in clear: it is sealed
//!   ("wrapped") under a key-encryption key ([`Kek`]) from the operator's key file, and the
//!   [`WrappedKey`] records which KEK by id. The wrap is bound to the data key's id and the KEK's
//!   id, so a wrapped key cannot be swapped between people.
//! - **Crypto-shredding.** Deleting a person's wrapped data key makes everything sealed under it
//!   unreadable, including copies in backups, without finding and overwriting each value.
//! - **Rotation re-wraps.** [`key_file::add_active`] adds a new KEK and makes it the one used for
//!   new wraps while keeping the old ones for unwrapping; [`KeyRing::rewrap_key`] then moves each
//!   wrapped data key to the new KEK. Sealed data is not touched, because its data key is unchanged.
//! - **Searching without clear text.** A [`BlindIndex`] gives a keyed, deterministic token for
//!   exact-match lookups (for example "which person has this NI number?"). Its key is separate
//!   from the KEKs so that rotation does not change any stored token.
//!
//! # Formats (stored; changing any of them strands existing data)
//!
//! - Sealed value and wrapped key: `version (1 byte, = 1) || nonce (24) || ciphertext || tag (16)`.
//! - AEAD associated data: the version byte, then fields each preceded by its length as a
//!   big-endian u64. Data values: `"hearth/field"`, table, column, row, data key id (16 bytes).
//!   Wrapped keys: `"hearth/wrap"`, data key id (16 bytes), KEK id.
//! - Blind-index token: lowercase hex of HMAC-SHA256 keyed by HKDF-SHA256(no salt, index key,
//!   info `"hearth/blind-index/v1"`, 32 bytes), over the length-prefixed domain and value.
//!
//! Values are sealed whole in memory; very large media would need a streaming format (not here).
//!
//! Nothing here does I/O except [`KeyRing::load`] and the [`key_file`] functions, which read and
//! write the key file.

mod aad;
mod blind_index;
mod data_key;
mod envelope;
mod error;
mod hex;
mod kek;
pub mod key_file;
mod random;
mod sealing;

pub use aad::Aad;
pub use blind_index::{BlindIndex, IndexKey};
pub use data_key::DataKey;
pub use envelope::{open, open_str, seal, seal_str};
pub use error::{CryptoError, KeyFileError};
pub use kek::{Kek, KeyRing, WrappedKey};
