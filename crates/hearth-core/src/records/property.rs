//! Properties, keyed by UPRN.

use super::{Address, AddressInput, PropertyType, Source};
use crate::FieldErrors;
use crate::identifiers::Uprn;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A property as supplied.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PropertyInput {
    pub uprn: String,
    pub address: AddressInput,
    /// `house`, `flat`, `maisonette`, `bungalow`, `bedsit` or `other`.
    pub property_type: Option<String>,
    pub bedrooms: Option<i32>,
    pub source: Option<Source>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PropertyFields {
    pub uprn: Uprn,
    pub address: Address,
    pub property_type: Option<PropertyType>,
    pub bedrooms: Option<i32>,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Property {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: PropertyFields,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    pub version: i64,
}

impl PropertyInput {
    pub fn validate(&self) -> Result<PropertyFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let uprn = errors.check("uprn", self.uprn.parse::<Uprn>());
        let address = self.address.validate("address", &mut errors);
        let property_type = errors.optional(
            "property_type",
            self.property_type.as_deref(),
            str::parse::<PropertyType>,
        );
        if let Some(bedrooms) = self.bedrooms
            && !(0..=20).contains(&bedrooms)
        {
            errors.add("bedrooms", "must be between 0 and 20");
        }
        let source = self.source.clone().unwrap_or(Source {
            kind: super::SourceKind::Staff,
            detail: None,
        });
        source.validate("source", &mut errors);
        match (uprn, address) {
            (Some(uprn), Some(address)) if errors.is_empty() => Ok(PropertyFields {
                uprn,
                address,
                property_type,
                bedrooms: self.bedrooms,
                source,
            }),
            _ => Err(errors),
        }
    }
}
