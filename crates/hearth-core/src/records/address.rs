//! Postal addresses: up to four lines, a town and a postcode.

use crate::FieldErrors;
use crate::identifiers::Postcode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An address as supplied.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    pub line1: String,
    pub line2: Option<String>,
    pub line3: Option<String>,
    pub line4: Option<String>,
    pub town: Option<String>,
    pub postcode: String,
}

/// A validated address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Address {
    pub line1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line3: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line4: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub town: Option<String>,
    pub postcode: Postcode,
}

impl AddressInput {
    pub fn validate(&self, prefix: &str, errors: &mut FieldErrors) -> Option<Address> {
        let field = |name: &str| {
            if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}.{name}")
            }
        };
        let line1 = errors.required_text(&field("line1"), &self.line1, 100);
        let line2 = errors.optional_text(&field("line2"), self.line2.as_deref(), 100);
        let line3 = errors.optional_text(&field("line3"), self.line3.as_deref(), 100);
        let line4 = errors.optional_text(&field("line4"), self.line4.as_deref(), 100);
        let town = errors.optional_text(&field("town"), self.town.as_deref(), 60);
        let postcode = if self.postcode.trim().is_empty() {
            errors.add(field("postcode"), "is required");
            None
        } else {
            errors.check(&field("postcode"), self.postcode.parse::<Postcode>())
        };
        Some(Address {
            line1,
            line2,
            line3,
            line4,
            town,
            postcode: postcode?,
        })
    }
}
