//! The register file exactly as written: every field optional and spanned, so that validation,
//! not parsing, reports what is missing, and every report can name its line.

use serde::Deserialize;
use toml::Spanned;

pub type S = Spanned<String>;
pub type List = Spanned<Vec<S>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRegister {
    pub register: Option<Spanned<RawMeta>>,
    pub controller: Option<Spanned<RawController>>,
    #[serde(default)]
    pub notices: Vec<Spanned<RawNotice>>,
    #[serde(default)]
    pub roles: Vec<Spanned<RawNamed>>,
    #[serde(default)]
    pub data_subjects: Vec<Spanned<RawNamed>>,
    #[serde(default)]
    pub data_categories: Vec<Spanned<RawCategory>>,
    #[serde(default)]
    pub recipients: Vec<Spanned<RawRecipient>>,
    #[serde(default)]
    pub purposes: Vec<Spanned<RawPurpose>>,
    #[serde(default)]
    pub record_types: Vec<Spanned<RawRecordType>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    pub title: Option<S>,
    pub version_label: Option<S>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawController {
    pub name: Option<S>,
    pub address: Option<S>,
    pub dpo_email: Option<S>,
    pub dpo_phone: Option<S>,
    pub ico_registration: Option<S>,
    pub complaints: Option<S>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNotice {
    pub id: Option<S>,
    pub organisation: Option<S>,
    pub service: Option<S>,
    pub document: Option<S>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNamed {
    pub id: Option<S>,
    pub name: Option<S>,
    pub description: Option<S>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCategory {
    pub id: Option<S>,
    pub name: Option<S>,
    pub description: Option<S>,
    pub special: Option<bool>,
    pub criminal: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecipient {
    pub id: Option<S>,
    pub name: Option<S>,
    pub kind: Option<S>,
    pub description: Option<S>,
    pub transfers_abroad: Option<bool>,
    pub safeguards: Option<S>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPurpose {
    pub id: Option<S>,
    pub name: Option<S>,
    pub description: Option<S>,
    pub notices: Option<List>,
    pub lawful_basis: Option<List>,
    pub basis_detail: Option<S>,
    pub special_condition: Option<List>,
    pub schedule1: Option<List>,
    pub criminal_authority: Option<S>,
    pub legislation: Option<List>,
    pub data_subjects: Option<List>,
    pub data_categories: Option<List>,
    pub recipients: Option<List>,
    pub sources: Option<List>,
    pub consent_withdrawal: Option<S>,
    pub automated_decisions: Option<S>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecordType {
    pub id: Option<S>,
    pub name: Option<S>,
    pub activity: Option<S>,
    pub system: Option<S>,
    pub purposes: Option<List>,
    pub data_categories: Option<List>,
    pub retention: Option<S>,
    pub retention_minimum: Option<S>,
    pub trigger: Option<S>,
    pub action: Option<S>,
    pub keep_fields: Option<List>,
    pub review_role: Option<S>,
    pub responsible_role: Option<S>,
    pub disposal: Option<S>,
    pub schedule_text: Option<S>,
    pub notice: Option<S>,
    pub note: Option<S>,
}
