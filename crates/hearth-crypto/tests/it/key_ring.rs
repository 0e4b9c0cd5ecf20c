//! Wrapping data keys under KEKs, unknown KEKs, and re-wrapping after a rotation.

use hearth_crypto::{Aad, CryptoError, DataKey, Kek, KeyRing, WrappedKey, key_file, open, seal};
use jiff::Timestamp;
use uuid::Uuid;

const OLD_HEX: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const NEW_HEX: &str = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
const INDEX_HEX: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

fn ring_with(active: &str, keys: &[(&str, &str)]) -> KeyRing {
    let mut text = format!("active = \"{active}\"\nindex_key = \"{INDEX_HEX}\"\n[keys]\n");
    for (id, hex) in keys {
        text.push_str(&format!("\"{id}\" = \"{hex}\"\n"));
    }
    KeyRing::from_key_file_text(&text, "test.toml").unwrap_or_else(|e| panic!("test ring: {e}"))
}

#[test]
fn a_wrapped_key_unwraps_to_a_key_that_opens_the_data() {
    let ring = ring_with("kek-old", &[("kek-old", OLD_HEX)]);
    let key_id = Uuid::now_v7();
    let key = DataKey::generate().unwrap();
    let aad = Aad::new("person", "notes", "row-1", key_id);
    let sealed = seal(&key, &aad, b"note").unwrap();

    let wrapped = ring.wrap_key(key_id, &key).unwrap();
    assert_eq!(wrapped.kek_id, "kek-old");
    assert_eq!(wrapped.bytes.len(), 1 + 24 + 32 + 16);
    let unwrapped = ring.unwrap_key(key_id, &wrapped).unwrap();
    assert_eq!(open(&unwrapped, &aad, &sealed).unwrap().as_slice(), b"note");
}

#[test]
fn a_wrapped_key_is_bound_to_its_data_key_id_and_kek_id() {
    let ring = ring_with("kek-old", &[("kek-old", OLD_HEX), ("kek-new", NEW_HEX)]);
    let key_id = Uuid::now_v7();
    let wrapped = ring
        .wrap_key(key_id, &DataKey::generate().unwrap())
        .unwrap();

    // Copied onto another person's row.
    assert!(matches!(
        ring.unwrap_key(Uuid::now_v7(), &wrapped),
        Err(CryptoError::CannotDecrypt)
    ));
    // Relabelled as wrapped by another KEK in the ring.
    let relabelled = WrappedKey {
        kek_id: "kek-new".to_owned(),
        ..wrapped.clone()
    };
    assert!(matches!(
        ring.unwrap_key(key_id, &relabelled),
        Err(CryptoError::CannotDecrypt)
    ));
    // Tampered.
    let mut tampered = wrapped;
    tampered.bytes[30] ^= 0x80;
    assert!(matches!(
        ring.unwrap_key(key_id, &tampered),
        Err(CryptoError::CannotDecrypt)
    ));
}

#[test]
fn a_kek_missing_from_the_ring_is_named() {
    let full = ring_with("kek-2026-01-10-9f3c", &[("kek-2026-01-10-9f3c", OLD_HEX)]);
    let key_id = Uuid::now_v7();
    let wrapped = full
        .wrap_key(key_id, &DataKey::generate().unwrap())
        .unwrap();

    let other = ring_with("kek-2026-11-22-1a2b", &[("kek-2026-11-22-1a2b", NEW_HEX)]);
    let err = other.unwrap_key(key_id, &wrapped).unwrap_err();
    assert_eq!(
        err,
        CryptoError::UnknownKek {
            kek_id: "kek-2026-01-10-9f3c".to_owned()
        }
    );
    assert!(err.to_string().contains("kek-2026-01-10-9f3c"), "{err}");
}

#[test]
fn rotation_rewraps_keys_and_leaves_sealed_data_readable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.toml");
    let created_at: Timestamp = "2026-01-10T09:00:00Z".parse().unwrap();
    let old_id = key_file::create(&path, created_at).unwrap();
    assert!(old_id.starts_with("kek-2026-01-10-"), "{old_id}");

    // Before rotation: a person's key is wrapped and their data sealed.
    let before = KeyRing::load(&path).unwrap();
    let key_id = Uuid::now_v7();
    let key = DataKey::generate().unwrap();
    let aad = Aad::new("person", "nhs_number", "row-9", key_id);
    let sealed = seal(&key, &aad, b"943 476 5919").unwrap();
    let wrapped = before.wrap_key(key_id, &key).unwrap();
    drop(key);

    let rotated_at: Timestamp = "2026-11-22T15:30:00Z".parse().unwrap();
    let new_id = key_file::add_active(&path, rotated_at).unwrap();
    assert!(new_id.starts_with("kek-2026-11-22-"), "{new_id}");
    let after = KeyRing::load(&path).unwrap();
    assert_eq!(after.active_kek_id(), new_id);
    assert!(after.contains(&old_id), "old KEK kept for unwrapping");
    assert!(after.needs_rewrap(&wrapped));

    let rewrapped = after.rewrap_key(key_id, &wrapped).unwrap();
    assert_eq!(rewrapped.kek_id, new_id);
    assert!(!after.needs_rewrap(&rewrapped));
    let unwrapped = after.unwrap_key(key_id, &rewrapped).unwrap();
    assert_eq!(
        open(&unwrapped, &aad, &sealed).unwrap().as_slice(),
        b"943 476 5919",
        "data sealed before rotation still opens with the re-wrapped key"
    );
    // Re-wrapping again is a no-op: nothing new to store.
    assert_eq!(after.rewrap_key(key_id, &rewrapped).unwrap(), rewrapped);

    // Once everything is re-wrapped the old KEK can be retired: a ring without it still works.
    let text = std::fs::read_to_string(&path).unwrap();
    let retired: String = text
        .lines()
        .filter(|line| !line.starts_with(&format!("\"{old_id}\"")))
        .map(|line| format!("{line}\n"))
        .collect();
    let without_old = KeyRing::from_key_file_text(&retired, "retired.toml").unwrap();
    assert!(!without_old.contains(&old_id));
    let unwrapped = without_old.unwrap_key(key_id, &rewrapped).unwrap();
    assert_eq!(
        open(&unwrapped, &aad, &sealed).unwrap().as_slice(),
        b"943 476 5919"
    );
    assert!(matches!(
        without_old.unwrap_key(key_id, &wrapped),
        Err(CryptoError::UnknownKek { kek_id }) if kek_id == old_id
    ));
}

#[test]
fn rings_built_in_code_follow_the_same_rules() {
    let mut ring = KeyRing::new(Kek::generate("kek-a").unwrap());
    assert_eq!(
        ring.insert(Kek::generate("kek-a").unwrap()),
        Err(CryptoError::DuplicateKek {
            kek_id: "kek-a".to_owned()
        })
    );
    assert!(matches!(
        ring.set_active("kek-b"),
        Err(CryptoError::UnknownKek { .. })
    ));
    ring.insert(Kek::generate("kek-b").unwrap()).unwrap();
    ring.set_active("kek-b").unwrap();
    assert_eq!(ring.active_kek_id(), "kek-b");
    assert_eq!(ring.kek_ids().collect::<Vec<_>>(), ["kek-a", "kek-b"]);
    assert_eq!(ring.blind_index().unwrap_err(), CryptoError::NoIndexKey);

    for bad in ["", "kek a", "kek\"a", &"k".repeat(65)] {
        assert!(
            matches!(Kek::generate(bad), Err(CryptoError::InvalidKekId { .. })),
            "{bad:?} must be refused"
        );
    }
}

#[test]
fn debug_output_never_shows_key_material() {
    let kek = Kek::from_bytes("kek-old", &[0xab; 32]).unwrap();
    let kek_debug = format!("{kek:?}");
    assert!(kek_debug.contains("kek-old"));
    assert!(!kek_debug.to_lowercase().contains("abab"), "{kek_debug}");
    assert!(
        !kek_debug.contains("171"),
        "no decimal bytes either: {kek_debug}"
    );

    let ring = ring_with("kek-old", &[("kek-old", OLD_HEX), ("kek-new", NEW_HEX)]);
    let ring_debug = format!("{ring:?} {ring:#?}");
    for secret in [OLD_HEX, NEW_HEX, INDEX_HEX] {
        assert!(!ring_debug.contains(&secret[..16]), "{ring_debug}");
    }
    assert!(ring_debug.contains("kek-new") && ring_debug.contains("kek-old"));

    let index = ring.blind_index().unwrap();
    assert_eq!(format!("{index:?}"), "BlindIndex(..)");
}

/// Values written by this version, fixed here so that any change to the wrap or data format,
/// the associated-data encoding or the blind-index derivation (each of which would strand every
/// stored value) fails a test. The expected bytes were also checked against an independent
/// implementation (Python: HChaCha20 + `cryptography`'s ChaCha20Poly1305, `hmac`/`hashlib`).
#[test]
fn values_stored_by_this_version_keep_opening() {
    let ring = ring_with("kek-2026-01-10-9f3c", &[("kek-2026-01-10-9f3c", OLD_HEX)]);
    let key_id = Uuid::from_u128(0x0196_d2a0_0000_7000_8000_0000_0000_00aa);
    let wrapped = WrappedKey {
        kek_id: "kek-2026-01-10-9f3c".to_owned(),
        bytes: from_hex(
            "0199e69329f6e15a59cc9003720b5151921d6111045e9993078522b1dae57199\
             6935244eb44d3734c930e4e680541dfc32e990334a4d293f48aa07ffc037ddf7\
             11db90414921613eaa",
        ),
    };
    let sealed = from_hex(
        "01b8f75ce047460902cdd9216c5203b15e3dca77d5db583cae0adc193c4667eb\
         972fa5f6cf8b81e46de0d42528767a161b2a",
    );
    let key = ring.unwrap_key(key_id, &wrapped).unwrap();
    let aad = Aad::new("person", "ni_number", "row-1", key_id);
    assert_eq!(
        hearth_crypto::open_str(&key, &aad, &sealed)
            .unwrap()
            .as_str(),
        "QQ123456C"
    );
    assert_eq!(
        ring.blind_index().unwrap().token("ni_number", "QQ123456C"),
        "5f517782c2d972ba7389dc6953dbc6f71097d76d696c361f5bdf1592c9b0fca7"
    );
}

fn from_hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(&text[i..i + 2], 16).unwrap_or_else(|e| panic!("test hex: {e}"))
        })
        .collect()
}
