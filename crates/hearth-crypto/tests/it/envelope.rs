//! Sealing and opening person data: what comes back, and everything that must refuse to open.

use hearth_crypto::{Aad, CryptoError, DataKey, open, open_str, seal, seal_str};
use proptest::prelude::*;
use uuid::Uuid;

fn place(key_id: Uuid) -> Aad<'static> {
    Aad::new(
        "person",
        "ni_number",
        "0196d2a0-0000-7000-8000-000000000001",
        key_id,
    )
}

#[test]
fn what_is_sealed_opens_to_the_same_bytes() {
    let key = DataKey::generate().unwrap();
    let aad = place(Uuid::now_v7());
    let sealed = seal(&key, &aad, b"QQ123456C").unwrap();
    assert_eq!(open(&key, &aad, &sealed).unwrap().as_slice(), b"QQ123456C");
    assert_eq!(
        sealed.len(),
        1 + 24 + 9 + 16,
        "version, nonce, ciphertext, tag"
    );
    assert_eq!(sealed[0], 1, "format version 1");
    assert!(
        !sealed.windows(9).any(|w| w == b"QQ123456C"),
        "the plaintext does not appear in the sealed bytes"
    );
}

#[test]
fn text_round_trips_and_bytes_are_not_taken_for_text() {
    let key = DataKey::generate().unwrap();
    let aad = place(Uuid::now_v7());
    let note = "Prefers contact by text; carer visits Tuesdays — ask for Siân.";
    let sealed = seal_str(&key, &aad, note).unwrap();
    assert_eq!(open_str(&key, &aad, &sealed).unwrap().as_str(), note);

    let not_text = seal(&key, &aad, &[0xff, 0xfe, 0x00]).unwrap();
    assert_eq!(open_str(&key, &aad, &not_text), Err(CryptoError::NotText));
}

#[test]
fn sealing_twice_gives_different_bytes() {
    // Equal ciphertexts would show which people share a value.
    let key = DataKey::generate().unwrap();
    let aad = place(Uuid::now_v7());
    assert_ne!(
        seal(&key, &aad, b"same").unwrap(),
        seal(&key, &aad, b"same").unwrap()
    );
}

#[test]
fn a_value_moved_to_another_place_does_not_open() {
    let key = DataKey::generate().unwrap();
    let key_id = Uuid::now_v7();
    let aad = place(key_id);
    let sealed = seal(&key, &aad, b"QQ123456C").unwrap();

    let moved = [
        (
            "table",
            Aad {
                table: "tenancy",
                ..aad
            },
        ),
        (
            "column",
            Aad {
                column: "nhs_number",
                ..aad
            },
        ),
        (
            "row",
            Aad {
                row: "0196d2a0-0000-7000-8000-000000000002",
                ..aad
            },
        ),
        (
            "key id",
            Aad {
                key_id: Uuid::now_v7(),
                ..aad
            },
        ),
    ];
    for (what, other) in moved {
        assert_eq!(
            open(&key, &other, &sealed),
            Err(CryptoError::CannotDecrypt),
            "a different {what} must not open"
        );
    }
    // Shifting text across the table/column boundary is a different place too.
    let shifted = Aad {
        table: "person_n",
        column: "i_number",
        ..aad
    };
    assert_eq!(
        open(&key, &shifted, &sealed),
        Err(CryptoError::CannotDecrypt)
    );
}

#[test]
fn any_flipped_byte_is_detected() {
    let key = DataKey::generate().unwrap();
    let aad = place(Uuid::now_v7());
    let sealed = seal(&key, &aad, b"Disability: yes").unwrap();
    for i in 0..sealed.len() {
        let mut tampered = sealed.clone();
        tampered[i] ^= 0x01;
        let result = open(&key, &aad, &tampered);
        if i == 0 {
            assert_eq!(result, Err(CryptoError::UnsupportedVersion { found: 0 }));
        } else {
            assert_eq!(result, Err(CryptoError::CannotDecrypt), "flip at byte {i}");
        }
    }
}

#[test]
fn another_persons_key_does_not_open() {
    let aad = place(Uuid::now_v7());
    let sealed = seal(&DataKey::generate().unwrap(), &aad, b"note").unwrap();
    assert_eq!(
        open(&DataKey::generate().unwrap(), &aad, &sealed),
        Err(CryptoError::CannotDecrypt)
    );
}

#[test]
fn unknown_versions_and_short_values_are_reported_as_such() {
    let key = DataKey::generate().unwrap();
    let aad = place(Uuid::now_v7());
    let mut sealed = seal(&key, &aad, b"x").unwrap();
    sealed[0] = 2;
    let err = open(&key, &aad, &sealed).unwrap_err();
    assert_eq!(err, CryptoError::UnsupportedVersion { found: 2 });
    assert!(err.to_string().contains("version 2"), "{err}");

    assert_eq!(
        open(&key, &aad, &[]),
        Err(CryptoError::Malformed { len: 0 })
    );
    assert_eq!(
        open(&key, &aad, &[1; 40]),
        Err(CryptoError::Malformed { len: 40 })
    );
    // The smallest valid value: an empty plaintext.
    let sealed = seal(&key, &aad, b"").unwrap();
    assert_eq!(sealed.len(), 41);
    assert_eq!(
        open(&key, &aad, &sealed).unwrap().len(),
        0,
        "empty values are allowed"
    );
}

#[test]
fn data_key_debug_shows_no_bytes() {
    let key = DataKey::generate().unwrap();
    assert_eq!(format!("{key:?}"), "DataKey(..)");
}

proptest! {
    #[test]
    fn any_bytes_in_any_place_round_trip(
        plaintext in proptest::collection::vec(any::<u8>(), 0..2048),
        table in "[a-z_]{0,20}",
        column in "[a-z_]{0,20}",
        row in ".{0,40}",
        id in any::<u128>(),
    ) {
        let key = DataKey::generate().unwrap();
        let aad = Aad::new(&table, &column, &row, Uuid::from_u128(id));
        let sealed = seal(&key, &aad, &plaintext).unwrap();
        prop_assert_eq!(sealed.len(), plaintext.len() + 41);
        let opened = open(&key, &aad, &sealed).unwrap();
        prop_assert_eq!(opened.as_slice(), plaintext.as_slice());
    }
}
