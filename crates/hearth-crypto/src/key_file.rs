//! The operator's key file: reading it into a [`KeyRing`], creating it, and adding a new active KEK.
//!
//! The file is TOML so operators can read and check it by eye:
//!
//! ```toml
//! # Hearth key-encryption keys. Keep this file secret (mode 0600).
//! active = "kek-2026-11-22-1a2b"
//! index_key = "<64 hex characters>"
//!
//! [keys]
//! "kek-2026-01-10-9f3c" = "<64 hex characters>"
//! "kek-2026-11-22-1a2b" = "<64 hex characters>"
//! ```
//!
//! `active` names the KEK that wraps new data keys; every KEK under `[keys]` can still unwrap.
//! `index_key` keys the blind indexes and never changes. Hearth rewrites the whole file when it
//! adds a key, so comments added by hand are not kept.

use crate::hex::{self, HexError};
use crate::kek::check_kek_id;
use crate::{CryptoError, IndexKey, Kek, KeyFileError, KeyRing, random};
use jiff::Timestamp;
use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::Path;
use zeroize::{Zeroize, Zeroizing};

const HEADER: &str = "\
# Hearth key-encryption keys. Keep this file secret (mode 0600).
# `active` wraps new data keys; every key under [keys] can still unwrap older ones.
# `index_key` keys the blind indexes used to search encrypted identifiers; it never rotates.
# Losing this file makes all encrypted data unreadable: keep a secret, offline backup.
# Hearth rewrites this file on `hearth keys rotate`; comments added by hand are not kept.
";

/// Tries at finding an unused random id suffix before giving up; each try collides with
/// probability (keys made that day) / 65536.
const ID_ATTEMPTS: usize = 32;

impl KeyRing {
    /// Parses key-file text. `origin` names the file in error messages.
    pub fn from_key_file_text(text: &str, origin: &str) -> Result<KeyRing, KeyFileError> {
        let mut table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| syntax_error(text, origin, &e))?;
        let ring = ring_from_table(&table, origin);
        // The parsed strings hold key hex; wipe them rather than leave them in freed memory.
        wipe_table(&mut table);
        ring
    }

    /// Reads and parses the key file at `path`.
    pub fn load(path: &Path) -> Result<KeyRing, KeyFileError> {
        let origin = path.display().to_string();
        let text = read(path, &origin)?;
        Self::from_key_file_text(&text, &origin)
    }
}

/// Writes a new key file at `path` holding one fresh active KEK and a fresh index key, readable
/// only by its owner (mode 0600 on Unix). Refuses to overwrite an existing file, because that
/// would destroy the keys to existing data. Returns the new KEK's id.
///
/// `now` dates the KEK id (`kek-YYYY-MM-DD-xxxx`, UTC) so operators can tell keys apart by age.
pub fn create(path: &Path, now: Timestamp) -> Result<String, KeyFileError> {
    let origin = path.display().to_string();
    let kek_id = new_kek_id(now, |_| false).map_err(|source| new_key_error(&origin, source))?;
    let ring = KeyRing::generate(&kek_id).map_err(|source| new_key_error(&origin, source))?;
    let text = render(&ring);

    let mut file = match open_new_private(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(KeyFileError::AlreadyExists { origin });
        }
        Err(source) => return Err(KeyFileError::Write { origin, source }),
    };
    let written = write_and_sync(&mut file, text.as_bytes()).and_then(|()| sync_parent(path));
    if let Err(source) = written {
        // A half-written key file would make the next `create` refuse and `load` fail.
        drop(file);
        let _ = fs::remove_file(path);
        return Err(KeyFileError::Write { origin, source });
    }
    Ok(kek_id)
}

/// Adds a fresh KEK to the key file at `path` and makes it active, keeping every older KEK (they
/// are still needed to unwrap until everything is re-wrapped) and the index key (tokens must not
/// change). If the file has no index key yet, one is added: no tokens can exist without it.
///
/// The file is replaced atomically: the new text goes to a temporary file (mode 0600) in the same
/// directory, is synced, then renamed over the old one, so a crash leaves either the old file or
/// the new one, never a mix. Returns the new KEK's id, to re-wrap data keys under.
///
/// Two runs at once on the same file would each keep only their own new key; rotation is a
/// one-operator action, so this is not locked against.
pub fn add_active(path: &Path, now: Timestamp) -> Result<String, KeyFileError> {
    let origin = path.display().to_string();
    let text = read(path, &origin)?;
    let mut ring = KeyRing::from_key_file_text(&text, &origin)?;
    drop(text);

    let kek_id =
        new_kek_id(now, |id| ring.contains(id)).map_err(|source| new_key_error(&origin, source))?;
    let add = |ring: &mut KeyRing| -> Result<(), CryptoError> {
        ring.insert(Kek::generate(&kek_id)?)?;
        ring.set_active(&kek_id)?;
        if !ring.has_index_key() {
            ring.set_index_key(IndexKey::generate()?);
        }
        Ok(())
    };
    add(&mut ring).map_err(|source| new_key_error(&origin, source))?;

    replace(path, render(&ring).as_bytes())
        .map_err(|source| KeyFileError::Write { origin, source })?;
    Ok(kek_id)
}

fn new_key_error(origin: &str, source: CryptoError) -> KeyFileError {
    KeyFileError::NewKey {
        origin: origin.to_owned(),
        source,
    }
}

/// `kek-YYYY-MM-DD-xxxx`: the UTC date says how old a key is; the random suffix keeps two keys
/// made on one day apart.
fn new_kek_id(now: Timestamp, taken: impl Fn(&str) -> bool) -> Result<String, CryptoError> {
    let date = now.strftime("%Y-%m-%d").to_string();
    let mut last = String::new();
    for _ in 0..ID_ATTEMPTS {
        let mut suffix = [0u8; 2];
        random::fill(&mut suffix)?;
        let id = format!("kek-{date}-{}", hex::encode(&suffix));
        if !taken(&id) {
            return Ok(id);
        }
        last = id;
    }
    Err(CryptoError::DuplicateKek { kek_id: last })
}

fn read(path: &Path, origin: &str) -> Result<Zeroizing<String>, KeyFileError> {
    fs::read_to_string(path)
        .map(Zeroizing::new)
        .map_err(|source| KeyFileError::Read {
            origin: origin.to_owned(),
            source,
        })
}

/// The file's text for `ring`, in a buffer sized up front and wiped on drop.
fn render(ring: &KeyRing) -> Zeroizing<String> {
    let keks: Vec<&Kek> = ring.keks().collect();
    let per_key = 2 * 64 + 16 + 64;
    let mut out = Zeroizing::new(String::with_capacity(
        HEADER.len() + per_key * (keks.len() + 2),
    ));
    out.push_str(HEADER);
    // Writing to a String cannot fail; ids were checked to need no escaping.
    let _ = writeln!(out, "active = \"{}\"", ring.active_kek_id());
    if let Some(index_key) = ring.index_key() {
        out.push_str("index_key = \"");
        hex::encode_into(index_key.bytes(), &mut out);
        out.push_str("\"\n");
    }
    out.push_str("\n[keys]\n");
    for kek in keks {
        let _ = write!(out, "\"{}\" = \"", kek.id());
        hex::encode_into(kek.bytes(), &mut out);
        out.push_str("\"\n");
    }
    out
}

fn ring_from_table(table: &toml::Table, origin: &str) -> Result<KeyRing, KeyFileError> {
    let origin_owned = || origin.to_owned();
    for entry in table.keys() {
        if !matches!(entry.as_str(), "active" | "index_key" | "keys") {
            return Err(KeyFileError::UnknownEntry {
                origin: origin_owned(),
                entry: entry.clone(),
            });
        }
    }

    let keys = match table.get("keys") {
        None => {
            return Err(KeyFileError::NoKeys {
                origin: origin_owned(),
            });
        }
        Some(toml::Value::Table(keys)) => keys,
        Some(_) => {
            return Err(KeyFileError::WrongType {
                origin: origin_owned(),
                entry: "keys".to_owned(),
                expected: "a [keys] table of \"<key id>\" = \"<64 hex characters>\"",
            });
        }
    };
    if keys.is_empty() {
        return Err(KeyFileError::NoKeys {
            origin: origin_owned(),
        });
    }

    let mut keks = Vec::with_capacity(keys.len());
    for (kek_id, value) in keys {
        check_kek_id(kek_id).map_err(|reason| KeyFileError::BadKeyId {
            origin: origin_owned(),
            kek_id: kek_id.clone(),
            reason,
        })?;
        let bytes = key_bytes(value, &format!("key {kek_id}"), origin)?;
        let kek = Kek::from_bytes(kek_id, &bytes).map_err(|_| KeyFileError::BadKeyId {
            origin: origin_owned(),
            kek_id: kek_id.clone(),
            reason: "it cannot be used as a key id",
        })?;
        keks.push(kek);
    }

    let index_key = match table.get("index_key") {
        None => None,
        Some(value) => Some(IndexKey::from_bytes(&*key_bytes(
            value,
            "index_key",
            origin,
        )?)),
    };

    // Same bytes under two names means one was pasted over another: "rotating" to it protects
    // nothing, and a blind index keyed by a KEK would leak through whoever holds that KEK.
    for (i, a) in keks.iter().enumerate() {
        for b in &keks[i + 1..] {
            if a.bytes() == b.bytes() {
                return Err(KeyFileError::DuplicateKey {
                    origin: origin_owned(),
                    first: format!("key {}", a.id()),
                    second: format!("key {}", b.id()),
                });
            }
        }
        if index_key.as_ref().is_some_and(|ik| ik.bytes() == a.bytes()) {
            return Err(KeyFileError::DuplicateKey {
                origin: origin_owned(),
                first: format!("key {}", a.id()),
                second: "index_key".to_owned(),
            });
        }
    }

    let active = match table.get("active") {
        None => {
            return Err(KeyFileError::NoActive {
                origin: origin_owned(),
            });
        }
        Some(toml::Value::String(active)) => active,
        Some(_) => {
            return Err(KeyFileError::WrongType {
                origin: origin_owned(),
                entry: "active".to_owned(),
                expected: "a key id in quotes, one of those under [keys]",
            });
        }
    };
    let Some(position) = keks.iter().position(|k| k.id() == active) else {
        return Err(KeyFileError::ActiveKeyMissing {
            origin: origin_owned(),
            kek_id: active.clone(),
        });
    };

    let mut ring = KeyRing::new(keks.swap_remove(position));
    for kek in keks {
        let kek_id = kek.id().to_owned();
        // The TOML parser already rejects repeated ids; this only keeps the ring's rule explicit.
        ring.insert(kek).map_err(|_| KeyFileError::BadKeyId {
            origin: origin_owned(),
            kek_id,
            reason: "it is listed more than once",
        })?;
    }
    if let Some(index_key) = index_key {
        ring.set_index_key(index_key);
    }
    Ok(ring)
}

fn key_bytes(
    value: &toml::Value,
    entry: &str,
    origin: &str,
) -> Result<Zeroizing<[u8; 32]>, KeyFileError> {
    let toml::Value::String(text) = value else {
        return Err(KeyFileError::WrongType {
            origin: origin.to_owned(),
            entry: entry.to_owned(),
            expected: "a string of 64 hex characters in quotes",
        });
    };
    hex::decode_32(text.trim()).map_err(|e| match e {
        HexError::WrongLength { found } => KeyFileError::WrongLength {
            origin: origin.to_owned(),
            entry: entry.to_owned(),
            found,
        },
        HexError::NotHex { position } => KeyFileError::BadHex {
            origin: origin.to_owned(),
            entry: entry.to_owned(),
            reason: format!("character {position} is not 0-9 or a-f"),
        },
    })
}

/// Turns a TOML error into one that gives the position and the parser's message but never the
/// offending line, which the parser's own `Display` quotes and which may hold a key.
fn syntax_error(text: &str, origin: &str, error: &toml::de::Error) -> KeyFileError {
    let start = error.span().map_or(0, |span| span.start).min(text.len());
    let before = text.get(..start).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |tail| tail.chars().count())
        + 1;

    if error.message() == "duplicate key" {
        let name = error
            .span()
            .and_then(|span| text.get(span))
            .map(|raw| raw.trim().trim_matches(|c| c == '"' || c == '\''))
            .unwrap_or("");
        // Echo the name only if it is plainly an id, not something that could be key hex.
        if check_kek_id(name).is_ok() && hex::decode_32(name).is_err() {
            return KeyFileError::DuplicateEntry {
                origin: origin.to_owned(),
                entry: name.to_owned(),
                line,
            };
        }
    }
    KeyFileError::Syntax {
        origin: origin.to_owned(),
        line,
        column,
        message: error.message().to_owned(),
    }
}

fn wipe_table(table: &mut toml::Table) {
    for (_, value) in table.iter_mut() {
        wipe_value(value);
    }
}

fn wipe_value(value: &mut toml::Value) {
    match value {
        toml::Value::String(s) => s.zeroize(),
        toml::Value::Table(t) => wipe_table(t),
        toml::Value::Array(items) => items.iter_mut().for_each(wipe_value),
        _ => {}
    }
}

/// Creates `path`, failing if it exists, readable and writable by its owner only.
fn open_new_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        // The mode at creation is reduced by the umask; set it outright so it is exactly 0600.
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    {
        options.open(path)
    }
}

fn write_and_sync(file: &mut File, bytes: &[u8]) -> io::Result<()> {
    file.write_all(bytes)?;
    file.sync_all()
}

/// Replaces `path` with `bytes` via a synced temporary file and a rename in the same directory.
fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "the key file path has no file name",
        )
    })?;
    let mut suffix = [0u8; 8];
    random::fill(&mut suffix).map_err(io::Error::other)?;
    let temp = path.with_file_name(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        hex::encode(&suffix)
    ));

    let mut file = open_new_private(&temp)?;
    let result = write_and_sync(&mut file, bytes).and_then(|()| {
        drop(file);
        fs::rename(&temp, path)
    });
    if let Err(e) = result {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    sync_parent(path)
}

/// Syncs the directory holding `path`, so the new or renamed entry itself survives a crash.
fn sync_parent(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        File::open(parent)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}
