//! The records a housing provider keeps: people, households, properties, tenancies, contact logs.
//!
//! Each record has an input type (what a user or file supplies, as raw text) whose `validate`
//! returns the typed fields or every field error at once, and a stored type with id and times.

mod address;
mod contact;
mod enums;
mod equality;
mod filed;
mod household;
mod person;
mod property;
mod source;
mod tenancy;

pub use address::{Address, AddressInput};
pub use contact::{ContactEntry, ContactEntryFields, ContactEntryInput};
pub use enums::{
    AccessibleFormat, ContactChannel, MemberRelationship, PreferredChannel, PropertyType,
    SubjectRole, TenancyType,
};
pub use equality::{Equality, EqualityAnswer};
pub use filed::{FiledRecord, FiledRecordFields, FiledRecordInput, MediaObject};
pub use household::{
    Household, HouseholdFields, HouseholdInput, Membership, MembershipFields, MembershipInput,
};
pub use person::{ContactPoint, Person, PersonFields, PersonInput};
pub use property::{Property, PropertyFields, PropertyInput};
pub use source::{Source, SourceKind};
pub use tenancy::{Tenancy, TenancyFields, TenancyInput};

/// Parses an ISO date (`2024-03-31`) with a message a person can act on.
pub fn parse_date(raw: &str) -> Result<jiff::civil::Date, String> {
    raw.trim()
        .parse::<jiff::civil::Date>()
        .map_err(|_| format!("'{raw}' is not a date: expected YYYY-MM-DD"))
}

/// Implements `as_str`, `FromStr` (with the allowed values in the message) and `ALL` for a
/// snake_case enum, so the API, CSV files and the database all use one spelling.
macro_rules! text_enum {
    ($ty:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            pub fn as_str(&self) -> &'static str {
                match self { $($ty::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $ty {
            type Err = String;

            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                let wanted = raw.trim().to_ascii_lowercase().replace([' ', '-'], "_");
                match wanted.as_str() {
                    $($text => Ok($ty::$variant),)+
                    _ => Err(format!(
                        "'{}' is not one of: {}",
                        raw.trim(),
                        [$($text),+].join(", ")
                    )),
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;
