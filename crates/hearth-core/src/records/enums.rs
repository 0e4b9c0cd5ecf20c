//! The closed vocabularies of the records: roles, channels, formats, property and tenancy types.

use super::text_enum;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Why Hearth holds data about a person: their data-subject roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectRole {
    Tenant,
    JointTenant,
    Leaseholder,
    HousingApplicant,
    HouseholdMember,
    Employee,
    Visitor,
    Referrer,
    ContractorStaff,
}
text_enum!(SubjectRole {
    Tenant => "tenant", JointTenant => "joint_tenant", Leaseholder => "leaseholder",
    HousingApplicant => "housing_applicant", HouseholdMember => "household_member", Employee => "employee",
    Visitor => "visitor", Referrer => "referrer", ContractorStaff => "contractor_staff",
});

/// How a contact with a person happened (the contact log).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    Phone,
    Email,
    Webchat,
    FaceToFace,
    Letter,
    Website,
}
text_enum!(ContactChannel {
    Phone => "phone", Email => "email", Webchat => "webchat", FaceToFace => "face_to_face",
    Letter => "letter", Website => "website",
});

/// How a person prefers to be contacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PreferredChannel {
    Phone,
    Sms,
    Email,
    Letter,
    FaceToFace,
}
text_enum!(PreferredChannel {
    Phone => "phone", Sms => "sms", Email => "email", Letter => "letter", FaceToFace => "face_to_face",
});

/// A format a person needs information in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccessibleFormat {
    LargePrint,
    Audio,
    Braille,
    EasyRead,
    BritishSignLanguage,
    Interpreter,
    Translation,
}
text_enum!(AccessibleFormat {
    LargePrint => "large_print", Audio => "audio", Braille => "braille", EasyRead => "easy_read",
    BritishSignLanguage => "british_sign_language", Interpreter => "interpreter", Translation => "translation",
});

/// The kind of dwelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PropertyType {
    House,
    Flat,
    Maisonette,
    Bungalow,
    Bedsit,
    Other,
}
text_enum!(PropertyType {
    House => "house", Flat => "flat", Maisonette => "maisonette", Bungalow => "bungalow",
    Bedsit => "bedsit", Other => "other",
});

/// The legal form of a tenancy or lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TenancyType {
    Secure,
    Introductory,
    Flexible,
    Demoted,
    Assured,
    AssuredShorthold,
    Starter,
    Leasehold,
    Licence,
    TemporaryAccommodation,
}
text_enum!(TenancyType {
    Secure => "secure", Introductory => "introductory", Flexible => "flexible", Demoted => "demoted",
    Assured => "assured", AssuredShorthold => "assured_shorthold", Starter => "starter",
    Leasehold => "leasehold", Licence => "licence", TemporaryAccommodation => "temporary_accommodation",
});

/// How a person belongs to a household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MemberRelationship {
    LeadTenant,
    JointTenant,
    Partner,
    Child,
    OtherRelative,
    Carer,
    Lodger,
    Other,
}
text_enum!(MemberRelationship {
    LeadTenant => "lead_tenant", JointTenant => "joint_tenant", Partner => "partner", Child => "child",
    OtherRelative => "other_relative", Carer => "carer", Lodger => "lodger", Other => "other",
});

/// Parses a `;`-separated list of enum values, naming the first bad one.
pub fn parse_list<T: std::str::FromStr<Err = String>>(raw: &str) -> Result<Vec<T>, String> {
    raw.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect()
}
