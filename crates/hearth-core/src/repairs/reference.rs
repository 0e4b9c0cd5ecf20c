//! A repair's reference for residents and staff ("RP-7KQ2M9XD"): read over the phone, so it
//! avoids letters that look alike, and it says nothing about the person or the home.

use uuid::Uuid;

/// Crockford's base32 alphabet: no I, L, O or U.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The reference of the repair with this id: 40 of the id's random bits, so two repairs
/// share one only by chance (about one in a trillion); the store keeps it unique.
pub fn repair_reference(id: Uuid) -> String {
    let bytes = id.as_bytes();
    // A v7 id starts with 48 bits of time; its last bytes are random.
    let mut bits: u64 = 0;
    for b in &bytes[11..16] {
        bits = (bits << 8) | u64::from(*b);
    }
    let mut out = String::from("RP-");
    for i in (0..8).rev() {
        let index = usize::try_from((bits >> (i * 5)) & 31).unwrap_or(0);
        out.push(char::from(ALPHABET[index]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_short_readable_and_follow_the_random_part() {
        let a = repair_reference(Uuid::from_u128(0x0192_0000_0000_7000_8000_00ff_ffff_ffff));
        assert_eq!(a, "RP-ZZZZZZZZ");
        let b = repair_reference(Uuid::from_u128(0x0192_0000_0000_7000_8000_0000_0000_0000));
        assert_eq!(b, "RP-00000000");
        let c = repair_reference(Uuid::now_v7());
        assert_eq!(c.len(), 11);
        assert!(c[3..].chars().all(|ch| ALPHABET.contains(&(ch as u8))));
    }
}
