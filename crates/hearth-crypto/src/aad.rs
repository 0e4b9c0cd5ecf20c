//! Where a sealed value lives (table, column, row, data key id), bound into it as associated data.

use crate::sealing::put_field;
use uuid::Uuid;

/// Labels the associated data so it can never be confused with that of a wrapped key.
const LABEL: &[u8] = b"hearth/field";

/// The place a sealed value is stored. It is authenticated, not encrypted: opening succeeds only
/// with exactly the same table, column, row and data key id, so a ciphertext copied to another
/// place (by a bug, a bad migration or an attacker with database access) fails to open rather
/// than showing one person's data in another's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Aad<'a> {
    pub table: &'a str,
    pub column: &'a str,
    /// The row's stable identity, usually its primary key as text.
    pub row: &'a str,
    /// The id of the data key the value is sealed under, as stored beside the wrapped key.
    pub key_id: Uuid,
}

impl<'a> Aad<'a> {
    pub fn new(table: &'a str, column: &'a str, row: &'a str, key_id: Uuid) -> Self {
        Self {
            table,
            column,
            row,
            key_id,
        }
    }

    /// The exact bytes given to the AEAD: a label, then each field length-prefixed, so no two
    /// different places encode alike (e.g. table "ab", column "c" versus table "a", column "bc").
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            4 * 8 + LABEL.len() + self.table.len() + self.column.len() + self.row.len() + 16 + 8,
        );
        put_field(&mut out, LABEL);
        put_field(&mut out, self.table.as_bytes());
        put_field(&mut out, self.column.as_bytes());
        put_field(&mut out, self.row.as_bytes());
        put_field(&mut out, self.key_id.as_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_boundaries_are_unambiguous() {
        let id = Uuid::nil();
        let a = Aad::new("ab", "c", "1", id).to_bytes();
        let b = Aad::new("a", "bc", "1", id).to_bytes();
        let c = Aad::new("a", "b", "c1", id).to_bytes();
        assert_ne!(a, b);
        assert_ne!(b, c);
        assert_ne!(a, c);
    }
}
