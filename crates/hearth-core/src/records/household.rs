//! Households and their membership history: who lived in which household, as what, and when.

use super::{MemberRelationship, parse_date};
use crate::FieldErrors;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HouseholdInput {
    pub external_ref: Option<String>,
    /// A short name staff use, such as "Okafor household"; optional.
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HouseholdFields {
    pub external_ref: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Household {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: HouseholdFields,
    /// Every membership, past and present.
    pub members: Vec<Membership>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    pub version: i64,
}

impl HouseholdInput {
    pub fn validate(&self) -> Result<HouseholdFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let external_ref = errors.optional_text("external_ref", self.external_ref.as_deref(), 64);
        let name = errors.optional_text("name", self.name.as_deref(), 100);
        errors.finish(HouseholdFields { external_ref, name })
    }
}

/// Adds a person to a household from a date, or records when they left.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MembershipInput {
    pub person_id: Uuid,
    /// `lead_tenant`, `joint_tenant`, `partner`, `child`, `other_relative`, `carer`, `lodger`, `other`.
    pub relationship: String,
    pub start_date: String,
    pub end_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MembershipFields {
    pub person_id: Uuid,
    pub relationship: MemberRelationship,
    #[schema(value_type = String, format = Date)]
    pub start_date: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub end_date: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Membership {
    pub id: Uuid,
    pub household_id: Uuid,
    #[serde(flatten)]
    pub fields: MembershipFields,
}

impl MembershipInput {
    pub fn validate(&self) -> Result<MembershipFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let relationship = errors.check(
            "relationship",
            self.relationship.parse::<MemberRelationship>(),
        );
        let start_date = errors.check("start_date", parse_date(&self.start_date));
        let end_date = errors.optional("end_date", self.end_date.as_deref(), parse_date);
        if let (Some(start), Some(end)) = (start_date, end_date)
            && end < start
        {
            errors.add("end_date", "cannot be before start_date");
        }
        match (relationship, start_date) {
            (Some(relationship), Some(start_date)) if errors.is_empty() => Ok(MembershipFields {
                person_id: self.person_id,
                relationship,
                start_date,
                end_date,
            }),
            _ => Err(errors),
        }
    }
}
