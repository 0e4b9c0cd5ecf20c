//! Hex encoding for keys in the key file and for blind-index tokens.

use std::fmt::Write as _;
use zeroize::Zeroizing;

/// Why a hex key could not be read. Positions only: the offending character may be key material.
#[derive(Debug)]
pub(crate) enum HexError {
    WrongLength { found: usize },
    NotHex { position: usize },
}

/// Appends lowercase hex to `out`. Callers size `out` beforehand so that no reallocation leaves
/// a stray copy of key hex in freed memory.
pub(crate) fn encode_into(bytes: &[u8], out: &mut String) {
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
    }
}

pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    encode_into(bytes, &mut out);
    out
}

/// Reads exactly 32 bytes from 64 hex digits (either case).
pub(crate) fn decode_32(text: &str) -> Result<Zeroizing<[u8; 32]>, HexError> {
    let found = text.chars().count();
    if found != 64 {
        return Err(HexError::WrongLength { found });
    }
    let mut out = Zeroizing::new([0u8; 32]);
    // Counted in characters, so a stray non-ASCII character is reported where an operator sees it.
    for (position, c) in text.chars().enumerate() {
        let digit = u8::try_from(c)
            .ok()
            .and_then(nibble)
            .ok_or(HexError::NotHex {
                position: position + 1,
            })?;
        let byte = &mut out[position / 2];
        *byte = if position % 2 == 0 {
            digit << 4
        } else {
            *byte | digit
        };
    }
    Ok(out)
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_it_encodes() {
        let bytes: Vec<u8> = (0..32).map(|i| i * 7).collect();
        let text = encode(&bytes);
        assert_eq!(text.len(), 64);
        assert_eq!(&decode_32(&text).unwrap()[..], &bytes[..]);
        assert_eq!(
            &decode_32(&text.to_uppercase()).unwrap()[..],
            &bytes[..],
            "upper case is accepted"
        );
    }

    #[test]
    fn reports_position_of_bad_digit_and_wrong_length() {
        let mut text = "0".repeat(64);
        text.replace_range(9..10, "g");
        assert!(matches!(
            decode_32(&text),
            Err(HexError::NotHex { position: 10 })
        ));
        assert!(matches!(
            decode_32("abcd"),
            Err(HexError::WrongLength { found: 4 })
        ));
        // Multi-byte characters count as characters, not bytes.
        let text = format!("{}é", "0".repeat(62));
        assert!(matches!(
            decode_32(&text),
            Err(HexError::WrongLength { found: 63 })
        ));
        let text = format!("{}é", "0".repeat(63));
        assert!(matches!(
            decode_32(&text),
            Err(HexError::NotHex { position: 64 })
        ));
    }
}
