//! The key file: what a malformed one reports, creating and rotating it safely, and blind indexes.

use hearth_crypto::{KeyFileError, KeyRing, key_file};
use jiff::Timestamp;

const A: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const B: &str = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
const I: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

fn now() -> Timestamp {
    "2026-11-22T10:00:00Z"
        .parse()
        .unwrap_or_else(|e| panic!("test time: {e}"))
}

fn parse(text: &str) -> Result<KeyRing, KeyFileError> {
    KeyRing::from_key_file_text(text, "/etc/hearth/keys.toml")
}

fn parse_err(text: &str) -> (KeyFileError, String) {
    let Err(err) = parse(text) else {
        panic!("expected an error for {text:?}");
    };
    let message = err.to_string();
    assert!(
        message.contains("/etc/hearth/keys.toml"),
        "every error names the file: {message}"
    );
    (err, message)
}

#[test]
fn a_well_formed_file_loads() {
    let ring = parse(&format!(
        "# comment\nactive = \"kek-2026-11-22-1a2b\"\nindex_key = \"{I}\"\n\n[keys]\n\
         \"kek-2026-11-22-1a2b\" = \"{A}\"\n\"kek-2026-01-10-9f3c\" = \"{}\"\n",
        B.to_uppercase()
    ))
    .unwrap();
    assert_eq!(ring.active_kek_id(), "kek-2026-11-22-1a2b");
    assert_eq!(
        ring.kek_ids().collect::<Vec<_>>(),
        ["kek-2026-01-10-9f3c", "kek-2026-11-22-1a2b"]
    );
    assert!(ring.has_index_key());
}

#[test]
fn parse_errors_say_what_is_wrong_and_where() {
    let (err, msg) = parse_err(&format!(
        "active = \"k1\"\n[keys]\n\"k1\" = \"{}g\"\n",
        &A[..63]
    ));
    assert!(
        matches!(err, KeyFileError::BadHex { ref entry, .. } if entry == "key k1"),
        "{msg}"
    );
    assert!(msg.contains("character 64"), "{msg}");

    let (err, msg) = parse_err("active = \"k1\"\n[keys]\n\"k1\" = \"abcd\"\n");
    assert!(
        matches!(err, KeyFileError::WrongLength { ref entry, found: 4, .. } if entry == "key k1"),
        "{msg}"
    );
    assert!(msg.contains("64 hex characters"), "{msg}");

    let (err, msg) = parse_err(&format!("active = \"k2\"\n[keys]\n\"k1\" = \"{A}\"\n"));
    assert!(
        matches!(err, KeyFileError::ActiveKeyMissing { ref kek_id, .. } if kek_id == "k2"),
        "{msg}"
    );

    let (err, msg) = parse_err(&format!("[keys]\n\"k1\" = \"{A}\"\n"));
    assert!(matches!(err, KeyFileError::NoActive { .. }), "{msg}");

    let (err, msg) = parse_err("active = \"k1\"\n[keys]\n");
    assert!(matches!(err, KeyFileError::NoKeys { .. }), "{msg}");
    let (err, _) = parse_err("");
    assert!(matches!(err, KeyFileError::NoKeys { .. }));

    let (err, msg) = parse_err(&format!(
        "active = \"k1\"\n[keys]\n\"k1\" = \"{A}\"\n\"k1\" = \"{B}\"\n"
    ));
    assert!(
        matches!(err, KeyFileError::DuplicateEntry { ref entry, line: 4, .. } if entry == "k1"),
        "{msg}"
    );
    assert!(!msg.contains(A) && !msg.contains(B), "{msg}");

    let (err, msg) = parse_err(&format!(
        "active = \"k1\"\n[keys]\n\"k1\" = \"{A}\"\n\"k2\" = \"{A}\"\n"
    ));
    assert!(matches!(err, KeyFileError::DuplicateKey { .. }), "{msg}");
    assert!(msg.contains("k1") && msg.contains("k2"), "{msg}");

    let (err, msg) = parse_err(&format!(
        "active = \"k1\"\nindex_key = \"{A}\"\n[keys]\n\"k1\" = \"{A}\"\n"
    ));
    assert!(matches!(err, KeyFileError::DuplicateKey { .. }), "{msg}");
    assert!(msg.contains("index_key"), "{msg}");

    let (err, msg) = parse_err(&format!("active = \"k 1\"\n[keys]\n\"k 1\" = \"{A}\"\n"));
    assert!(
        matches!(err, KeyFileError::BadKeyId { ref kek_id, .. } if kek_id == "k 1"),
        "{msg}"
    );

    let (err, msg) = parse_err(&format!("actve = \"k1\"\n[keys]\n\"k1\" = \"{A}\"\n"));
    assert!(
        matches!(err, KeyFileError::UnknownEntry { ref entry, .. } if entry == "actve"),
        "{msg}"
    );

    let (err, msg) = parse_err(&format!(
        "active = \"k1\"\n[keys]\n\"k1\" = 12\nother = \"{A}\"\n"
    ));
    assert!(
        matches!(err, KeyFileError::WrongType { ref entry, .. } if entry == "key k1"),
        "{msg}"
    );
}

#[test]
fn syntax_errors_give_the_position_but_not_the_line() {
    // An unterminated string on a key line: the parser's own message would quote the line.
    let (err, msg) = parse_err(&format!("active = \"k1\"\n[keys]\n\"k1\" = \"{A}\n"));
    assert!(matches!(err, KeyFileError::Syntax { line: 3, .. }), "{msg}");
    assert!(!msg.contains(&A[..16]), "the key must not be echoed: {msg}");
    assert!(!format!("{err:?}").contains(&A[..16]));
}

#[test]
fn create_writes_a_loadable_owner_only_file_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.toml");
    let id = key_file::create(&path, now()).unwrap();
    assert!(
        id.starts_with("kek-2026-11-22-") && id.len() == "kek-2026-11-22-1a2b".len(),
        "{id}"
    );

    let ring = KeyRing::load(&path).unwrap();
    assert_eq!(ring.active_kek_id(), id);
    assert!(ring.has_index_key());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# Hearth key-encryption keys. Keep this file secret (mode 0600)."));

    let err = key_file::create(&path, now()).unwrap_err();
    assert!(matches!(err, KeyFileError::AlreadyExists { .. }), "{err}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "the file is untouched"
    );
}

#[cfg(unix)]
#[test]
fn key_files_are_mode_0600_after_create_and_rotate() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.toml");
    key_file::create(&path, now()).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    key_file::add_active(&path, now()).unwrap();
    assert_eq!(mode(&path), 0o600);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}

#[test]
fn add_active_keeps_old_keys_and_the_index_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.toml");
    let first = key_file::create(&path, now()).unwrap();
    let before = KeyRing::load(&path).unwrap();
    let second = key_file::add_active(&path, now()).unwrap();
    let third = key_file::add_active(&path, now()).unwrap();
    assert_ne!(first, second);
    assert_ne!(second, third);

    let after = KeyRing::load(&path).unwrap();
    assert_eq!(after.active_kek_id(), third);
    let mut ids: Vec<&str> = after.kek_ids().collect();
    ids.sort_unstable();
    let mut expected = [first.as_str(), second.as_str(), third.as_str()];
    expected.sort_unstable();
    assert_eq!(ids, expected);

    // Blind-index tokens already stored must still match after rotation.
    let (b, a) = (before.blind_index().unwrap(), after.blind_index().unwrap());
    assert_eq!(
        b.token("ni_number", "QQ123456C"),
        a.token("ni_number", "QQ123456C")
    );
}

#[test]
fn add_active_gives_an_old_file_an_index_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.toml");
    std::fs::write(
        &path,
        format!("active = \"k1\"\n[keys]\n\"k1\" = \"{A}\"\n"),
    )
    .unwrap();
    assert!(!KeyRing::load(&path).unwrap().has_index_key());
    key_file::add_active(&path, now()).unwrap();
    let ring = KeyRing::load(&path).unwrap();
    assert!(ring.has_index_key());
    assert!(ring.contains("k1"));
}

#[test]
fn add_active_on_a_missing_or_broken_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.toml");
    let err = key_file::add_active(&path, now()).unwrap_err();
    assert!(matches!(err, KeyFileError::Read { .. }), "{err}");
    assert!(err.to_string().contains("keys.toml"), "{err}");

    std::fs::write(&path, "active = \"k1\"\n[keys]\n\"k1\" = \"abcd\"\n").unwrap();
    let err = key_file::add_active(&path, now()).unwrap_err();
    assert!(matches!(err, KeyFileError::WrongLength { .. }), "{err}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "active = \"k1\"\n[keys]\n\"k1\" = \"abcd\"\n"
    );
}

#[test]
fn blind_index_tokens_are_deterministic_keyed_and_domain_separated() {
    let ring = parse(&format!(
        "active = \"k1\"\nindex_key = \"{I}\"\n[keys]\n\"k1\" = \"{A}\"\n"
    ))
    .unwrap();
    let index = ring.blind_index().unwrap();
    let token = index.token("ni_number", "QQ123456C");
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        token,
        ring.blind_index().unwrap().token("ni_number", "QQ123456C")
    );
    assert_ne!(token, index.token("ni_number", "QQ123456D"));
    assert_ne!(
        token,
        index.token("nhs_number", "QQ123456C"),
        "domains are separate"
    );
    // The domain/value boundary is unambiguous.
    assert_ne!(index.token("ab", "c"), index.token("a", "bc"));
    assert!(!token.contains("QQ123456C"));

    // A different index key gives unrelated tokens; the KEKs play no part.
    let other = parse(&format!(
        "active = \"k1\"\nindex_key = \"{B}\"\n[keys]\n\"k1\" = \"{A}\"\n"
    ))
    .unwrap();
    assert_ne!(
        token,
        other.blind_index().unwrap().token("ni_number", "QQ123456C")
    );
    let other_kek = parse(&format!(
        "active = \"k9\"\nindex_key = \"{I}\"\n[keys]\n\"k9\" = \"{B}\"\n"
    ))
    .unwrap();
    assert_eq!(
        token,
        other_kek
            .blind_index()
            .unwrap()
            .token("ni_number", "QQ123456C")
    );
}
