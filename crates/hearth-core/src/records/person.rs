//! People: their names, roles, identifiers, contact details, needs and equality answers.

use super::enums::parse_list;
use super::{
    AccessibleFormat, Address, AddressInput, Equality, PreferredChannel, Source, SubjectRole,
    parse_date,
};
use crate::FieldErrors;
use crate::identifiers::{Email, NhsNumber, NiNumber, Phone};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A phone number or email address with its label and source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ContactPoint {
    /// The number or address; normalised when stored.
    pub value: String,
    /// `home`, `mobile`, `work`, or any short label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Where this item came from, when not the record's own source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// A person as supplied by a user, a partner or an import: raw text, validated by [`PersonInput::validate`].
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    /// A key from the system the person came from; makes imports repeatable.
    pub external_ref: Option<String>,
    pub title: Option<String>,
    pub given_name: String,
    pub middle_names: Option<String>,
    pub family_name: String,
    pub preferred_name: Option<String>,
    /// ISO date, `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    /// Data-subject roles: `tenant`, `joint_tenant`, `leaseholder`, `housing_applicant`, ...
    #[serde(default)]
    pub roles: Vec<String>,
    pub ni_number: Option<String>,
    pub nhs_number: Option<String>,
    #[serde(default)]
    pub phones: Vec<ContactPoint>,
    #[serde(default)]
    pub emails: Vec<ContactPoint>,
    pub postal_address: Option<AddressInput>,
    pub preferred_channel: Option<String>,
    #[serde(default)]
    pub accessible_formats: Vec<String>,
    /// Preferred language when not English.
    pub language: Option<String>,
    #[serde(default)]
    pub equality: Equality,
    /// Defaults to the person themselves.
    pub source: Option<Source>,
}

/// A person's validated fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PersonFields {
    pub external_ref: Option<String>,
    pub title: Option<String>,
    pub given_name: String,
    pub middle_names: Option<String>,
    pub family_name: String,
    pub preferred_name: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_birth: Option<Date>,
    pub roles: Vec<SubjectRole>,
    pub ni_number: Option<NiNumber>,
    pub nhs_number: Option<NhsNumber>,
    pub phones: Vec<ContactPoint>,
    pub emails: Vec<ContactPoint>,
    pub postal_address: Option<Address>,
    pub preferred_channel: Option<PreferredChannel>,
    pub accessible_formats: Vec<AccessibleFormat>,
    pub language: Option<String>,
    pub equality: Equality,
    pub source: Source,
}

/// A stored person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Person {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: PersonFields,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// Increases by one on every update; send it back to detect concurrent edits.
    pub version: i64,
}

impl Person {
    /// The name staff see: preferred given name if any, then family name.
    pub fn display_name(&self) -> String {
        let given = self
            .fields
            .preferred_name
            .as_deref()
            .unwrap_or(&self.fields.given_name);
        format!("{given} {}", self.fields.family_name)
    }
}

fn check_points<T: std::str::FromStr<Err = crate::identifiers::InvalidIdentifier> + ToString>(
    field: &str,
    points: &[ContactPoint],
    errors: &mut FieldErrors,
) -> Vec<ContactPoint> {
    if points.len() > 10 {
        errors.add(field, "at most 10 entries");
    }
    points
        .iter()
        .enumerate()
        .filter_map(|(i, point)| {
            let at = format!("{field}[{i}]");
            let value = errors.check(&format!("{at}.value"), point.value.parse::<T>())?;
            let label = errors.optional_text(&format!("{at}.label"), point.label.as_deref(), 30);
            if let Some(source) = &point.source {
                source.validate(&format!("{at}.source"), errors);
            }
            Some(ContactPoint {
                value: value.to_string(),
                label,
                source: point.source.clone(),
            })
        })
        .collect()
}

impl PersonInput {
    /// Validates every field against `today` (a date of birth cannot be in the future) and
    /// returns the typed fields, or every problem found.
    pub fn validate(&self, today: Date) -> Result<PersonFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let external_ref = errors.optional_text("external_ref", self.external_ref.as_deref(), 64);
        let title = errors.optional_text("title", self.title.as_deref(), 20);
        let given_name = errors.required_text("given_name", &self.given_name, 100);
        let middle_names = errors.optional_text("middle_names", self.middle_names.as_deref(), 100);
        let family_name = errors.required_text("family_name", &self.family_name, 100);
        let preferred_name =
            errors.optional_text("preferred_name", self.preferred_name.as_deref(), 100);
        let date_of_birth =
            errors.optional("date_of_birth", self.date_of_birth.as_deref(), parse_date);
        if let Some(dob) = date_of_birth {
            if dob > today {
                errors.add("date_of_birth", "cannot be in the future");
            } else if dob.year() < 1900 {
                errors.add("date_of_birth", "must be in 1900 or later");
            }
        }
        let roles = errors
            .check("roles", parse_list::<SubjectRole>(&self.roles.join(";")))
            .unwrap_or_default();
        let ni_number = errors.optional(
            "ni_number",
            self.ni_number.as_deref(),
            str::parse::<NiNumber>,
        );
        let nhs_number = errors.optional(
            "nhs_number",
            self.nhs_number.as_deref(),
            str::parse::<NhsNumber>,
        );
        let phones = check_points::<Phone>("phones", &self.phones, &mut errors);
        let emails = check_points::<Email>("emails", &self.emails, &mut errors);
        let postal_address = self
            .postal_address
            .as_ref()
            .and_then(|a| a.validate("postal_address", &mut errors));
        let preferred_channel = errors.optional(
            "preferred_channel",
            self.preferred_channel.as_deref(),
            str::parse::<PreferredChannel>,
        );
        match preferred_channel {
            Some(PreferredChannel::Email) if self.emails.is_empty() => errors.add(
                "preferred_channel",
                "is email but no email address is given",
            ),
            Some(PreferredChannel::Sms) if !phones.iter().any(|p| p.value.starts_with("07")) => {
                errors.add("preferred_channel", "is sms but no mobile number is given")
            }
            Some(PreferredChannel::Letter) if self.postal_address.is_none() => errors.add(
                "preferred_channel",
                "is letter but no postal address is given",
            ),
            _ => {}
        }
        let accessible_formats = errors
            .check(
                "accessible_formats",
                parse_list::<AccessibleFormat>(&self.accessible_formats.join(";")),
            )
            .unwrap_or_default();
        let language = errors.optional_text("language", self.language.as_deref(), 50);
        self.equality.validate(&mut errors);
        let source = self.source.clone().unwrap_or_else(Source::person);
        source.validate("source", &mut errors);
        let fields = PersonFields {
            external_ref,
            title,
            given_name,
            middle_names,
            family_name,
            preferred_name,
            date_of_birth,
            roles,
            ni_number: ni_number.clone(),
            nhs_number,
            phones,
            emails,
            postal_address,
            preferred_channel,
            accessible_formats,
            language,
            equality: self.equality.clone(),
            source,
        };
        errors.finish(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        jiff::civil::date(2026, 11, 22)
    }

    #[test]
    fn reports_every_bad_field_at_once() {
        let input = PersonInput {
            given_name: " ".into(),
            family_name: "Okafor".into(),
            date_of_birth: Some("2030-01-01".into()),
            ni_number: Some("QQ 12 34 56 C".into()),
            phones: vec![ContactPoint {
                value: "123".into(),
                label: None,
                source: None,
            }],
            roles: vec!["tenant".into(), "landlord".into()],
            ..Default::default()
        };
        let errors = input
            .validate(today())
            .err()
            .map(|e| e.0)
            .unwrap_or_default();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "given_name",
                "date_of_birth",
                "roles",
                "ni_number",
                "phones[0].value"
            ]
        );
    }

    #[test]
    fn normalises_identifiers_and_defaults_the_source() {
        let input = PersonInput {
            given_name: "Aisha".into(),
            family_name: "Rahman".into(),
            ni_number: Some("ab 12 34 56 c".into()),
            phones: vec![ContactPoint {
                value: "+44 7700 900123".into(),
                label: Some("mobile".into()),
                source: None,
            }],
            preferred_channel: Some("sms".into()),
            ..Default::default()
        };
        let fields = input.validate(today());
        assert_eq!(
            fields
                .as_ref()
                .ok()
                .and_then(|f| f.ni_number.as_ref())
                .map(|n| n.as_str()),
            Some("AB123456C")
        );
        assert_eq!(
            fields.as_ref().ok().map(|f| f.phones[0].value.as_str()),
            Some("07700900123")
        );
        assert_eq!(fields.ok().map(|f| f.source), Some(Source::person()));
    }
}
