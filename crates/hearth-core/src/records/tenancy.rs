//! Tenancies and leases: a household's right to occupy a property, from a start to an end.

use super::{TenancyType, parse_date};
use crate::FieldErrors;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenancyInput {
    pub external_ref: Option<String>,
    pub household_id: Uuid,
    pub property_id: Uuid,
    /// `secure`, `introductory`, `flexible`, `demoted`, `assured`, `assured_shorthold`, `starter`,
    /// `leasehold`, `licence` or `temporary_accommodation`.
    pub tenancy_type: String,
    pub start_date: String,
    pub end_date: Option<String>,
    pub end_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TenancyFields {
    pub external_ref: Option<String>,
    pub household_id: Uuid,
    pub property_id: Uuid,
    pub tenancy_type: TenancyType,
    #[schema(value_type = String, format = Date)]
    pub start_date: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub end_date: Option<Date>,
    pub end_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Tenancy {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: TenancyFields,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    pub version: i64,
}

impl TenancyInput {
    pub fn validate(&self) -> Result<TenancyFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let external_ref = errors.optional_text("external_ref", self.external_ref.as_deref(), 64);
        let tenancy_type = errors.check("tenancy_type", self.tenancy_type.parse::<TenancyType>());
        let start_date = errors.check("start_date", parse_date(&self.start_date));
        let end_date = errors.optional("end_date", self.end_date.as_deref(), parse_date);
        if let (Some(start), Some(end)) = (start_date, end_date)
            && end < start
        {
            errors.add("end_date", "cannot be before start_date");
        }
        let end_reason = errors.optional_text("end_reason", self.end_reason.as_deref(), 200);
        if end_reason.is_some() && end_date.is_none() {
            errors.add("end_reason", "is given but the tenancy has no end_date");
        }
        match (tenancy_type, start_date) {
            (Some(tenancy_type), Some(start_date)) if errors.is_empty() => Ok(TenancyFields {
                external_ref,
                household_id: self.household_id,
                property_id: self.property_id,
                tenancy_type,
                start_date,
                end_date,
                end_reason,
            }),
            _ => Err(errors),
        }
    }
}
