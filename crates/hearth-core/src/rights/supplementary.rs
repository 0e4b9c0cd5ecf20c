//! The supplementary information an access response carries (Art 15(1)-(2)), drawn from the
//! register for the record types actually held about the person: purposes and their lawful
//! bases, categories of data, recipients (those actually disclosed to, and the categories the
//! register names), retention, sources, automated decisions, transfers abroad, and the rights.

use crate::register::Register;
use crate::retention::rule_text;
use serde::Serialize;
use std::collections::BTreeSet;

/// One purpose the person's data is used for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PurposeInformation {
    pub id: String,
    pub name: String,
    pub description: String,
    /// "Art 6(1)(e) public task", with the detail the register gives.
    pub lawful_bases: Vec<String>,
    pub basis_detail: Option<String>,
    /// Art 9(2) conditions for special category data, when any.
    pub special_conditions: Vec<String>,
    pub legislation: Vec<String>,
    /// Where the data came from, when not from the person.
    pub sources: Vec<String>,
    /// How consent is withdrawn, for consent-based purposes.
    pub consent_withdrawal: Option<String>,
    /// Automated decision-making and its logic, when the register records any.
    pub automated_decisions: Option<String>,
}

/// One record type held, and how long it is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RetentionInformation {
    pub record_type: String,
    pub name: String,
    /// "6 years after the tenancy ends".
    pub kept_for: String,
}

/// A recipient or category of recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RecipientInformation {
    pub id: String,
    pub name: String,
    /// True when Hearth has recorded a disclosure of this person's data to them.
    pub disclosed: bool,
    pub transfers_abroad: bool,
    pub safeguards: Option<String>,
}

/// Everything Art 15 asks for beside the data itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SupplementaryInformation {
    pub controller: String,
    pub controller_address: String,
    pub dpo_email: String,
    pub dpo_phone: Option<String>,
    pub purposes: Vec<PurposeInformation>,
    /// Names of the categories of data held.
    pub categories: Vec<String>,
    pub recipients: Vec<RecipientInformation>,
    pub retention: Vec<RetentionInformation>,
    /// The rights the person has, and how to complain.
    pub rights: Vec<String>,
    /// The register version this was drawn from.
    pub register_version: String,
}

/// How to reach the Information Commissioner's Office.
pub const ICO_CONTACT: &str = "ico.org.uk, 0303 123 1113";

/// The closing paragraph of every response letter: review, complaint, court.
pub fn complaint_paragraph() -> String {
    format!(
        "If you are unhappy with this answer you can ask us to review it, complain to the Information Commissioner's Office ({ICO_CONTACT}), or apply to a court."
    )
}

/// The rights every response names (Arts 16-22, and the right to complain).
pub const RIGHTS_TEXT: [&str; 7] = [
    "You can ask us to correct anything that is wrong or incomplete (rectification).",
    "You can ask us to erase your data where we no longer need it or hold it only on your consent (erasure).",
    "You can ask us to only store your data while a question about it is settled (restriction).",
    "You can object to our using your data for a public task; we then stop unless we have compelling grounds (objection).",
    "You can have the data you gave us, under consent or contract, in a machine-readable form (portability).",
    "You can ask for a person to review any decision made about you by automated means, and contest it.",
    "You can complain to us, and to the Information Commissioner's Office (ico.org.uk, 0303 123 1113), and you can go to court.",
];

/// The supplementary information for the record types held about a person, naming as
/// disclosed the recipients Hearth has recorded disclosures to. Unknown ids are skipped: a
/// record type dropped from the register since the record was filed still gets its data
/// returned, only without register text.
pub fn supplementary_information(
    register: &Register,
    record_types_held: &[String],
    recipients_disclosed: &[String],
) -> SupplementaryInformation {
    let record_types: Vec<_> = record_types_held
        .iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter_map(|id| register.record_type(id))
        .collect();
    let purpose_ids: BTreeSet<&str> = record_types
        .iter()
        .flat_map(|r| r.purposes.iter().map(String::as_str))
        .collect();
    let purposes: Vec<_> = purpose_ids
        .iter()
        .filter_map(|id| register.purpose(id))
        .collect();
    let category_ids: BTreeSet<&str> = record_types
        .iter()
        .flat_map(|r| r.data_categories.iter().map(String::as_str))
        .collect();
    let recipient_ids: BTreeSet<&str> = purposes
        .iter()
        .flat_map(|p| p.recipients.iter().map(String::as_str))
        .chain(recipients_disclosed.iter().map(String::as_str))
        .collect();
    SupplementaryInformation {
        controller: register.controller.name.clone(),
        controller_address: register.controller.address.clone(),
        dpo_email: register.controller.dpo_email.clone(),
        dpo_phone: register.controller.dpo_phone.clone(),
        purposes: purposes
            .iter()
            .map(|p| PurposeInformation {
                id: p.id.clone(),
                name: p.name.clone(),
                description: p.description.clone(),
                lawful_bases: p
                    .lawful_basis
                    .iter()
                    .map(|b| format!("Art 6(1)({}) {}", b.letter(), b.title()))
                    .collect(),
                basis_detail: p.basis_detail.clone(),
                special_conditions: p
                    .special_condition
                    .iter()
                    .map(|c| format!("Art 9(2)({}) {}", c.letter(), c.title()))
                    .collect(),
                legislation: p.legislation.clone(),
                sources: p.sources.clone(),
                consent_withdrawal: p.consent_withdrawal.clone(),
                automated_decisions: p.automated_decisions.clone(),
            })
            .collect(),
        categories: category_ids
            .iter()
            .filter_map(|id| register.data_category(id))
            .map(|c| c.name.clone())
            .collect(),
        recipients: recipient_ids
            .iter()
            .filter_map(|id| register.recipient(id))
            .map(|r| RecipientInformation {
                id: r.id.clone(),
                name: r.name.clone(),
                disclosed: recipients_disclosed.contains(&r.id),
                transfers_abroad: r.transfers_abroad,
                safeguards: r.safeguards.clone(),
            })
            .collect(),
        retention: record_types
            .iter()
            .map(|r| RetentionInformation {
                record_type: r.id.clone(),
                name: r.name.clone(),
                kept_for: r
                    .schedule_text
                    .clone()
                    .unwrap_or_else(|| rule_text(r.retention.period, &r.retention.trigger)),
            })
            .collect(),
        rights: RIGHTS_TEXT.iter().map(|s| s.to_string()).collect(),
        register_version: register.meta.version_label.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn register() -> Register {
        crate::register::default_register().unwrap_or_else(|p| panic!("{p:?}"))
    }

    #[test]
    fn a_tenant_is_told_the_purposes_retention_and_recipients_of_what_is_held() {
        let register = register();
        let info = supplementary_information(
            &register,
            &[
                "tenancy_file".into(),
                "contact_log".into(),
                "tenancy_file".into(),
            ],
            &[],
        );
        let tenancy = register
            .record_type("tenancy_file")
            .unwrap_or_else(|| panic!("tenancy_file"));
        for purpose in &tenancy.purposes {
            assert!(
                info.purposes.iter().any(|p| &p.id == purpose),
                "{purpose} missing"
            );
        }
        assert_eq!(info.retention.len(), 2, "each record type once");
        assert!(info.purposes.iter().all(|p| !p.lawful_bases.is_empty()));
        assert!(
            info.purposes
                .iter()
                .all(|p| p.lawful_bases[0].starts_with("Art 6(1)("))
        );
        assert!(!info.recipients.iter().any(|r| r.disclosed));
        assert!(
            info.rights
                .iter()
                .any(|r| r.contains("Information Commissioner"))
        );
        assert!(!info.dpo_email.is_empty());
    }

    #[test]
    fn a_recorded_disclosure_is_named_and_unknown_ids_are_skipped() {
        let register = register();
        let recipient = register
            .recipients
            .first()
            .map(|r| r.id.clone())
            .unwrap_or_else(|| panic!("the register names recipients"));
        let info = supplementary_information(
            &register,
            &["no_such_type".into()],
            &[recipient.clone(), "no_such_recipient".into()],
        );
        assert!(info.purposes.is_empty() && info.retention.is_empty());
        assert_eq!(info.recipients.len(), 1);
        assert!(info.recipients[0].disclosed && info.recipients[0].id == recipient);
    }
}
