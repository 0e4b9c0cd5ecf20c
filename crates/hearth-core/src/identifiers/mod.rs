//! UK identifiers, validated and normalised per UK_RULES: NI and NHS numbers, postcodes, UPRNs,
//! phone numbers and email addresses. Each parses from what people type and stores one form.

mod email;
mod nhs;
mod ni;
mod phone;
mod postcode;
mod uprn;

pub use email::Email;
pub use nhs::NhsNumber;
pub use ni::NiNumber;
pub use phone::Phone;
pub use postcode::Postcode;
pub use uprn::Uprn;

/// Why an identifier was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidIdentifier(pub String);

/// Implements string serde, `Display` and an OpenAPI string schema for an identifier newtype.
macro_rules! string_identifier {
    ($ty:ident, $example:expr, $description:expr) => {
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl $ty {
            /// The normalised form, as stored.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                raw.parse().map_err(serde::de::Error::custom)
            }
        }

        impl utoipa::PartialSchema for $ty {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some($description))
                    .examples([serde_json::json!($example)])
                    .into()
            }
        }

        impl utoipa::ToSchema for $ty {}
    };
}
pub(crate) use string_identifier;
