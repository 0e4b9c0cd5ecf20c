//! What the engine reports: a typed span of the text, whose data it is, and how they relate.

use serde::{Deserialize, Serialize};

/// The kind of personal data a span holds; serialised as the upper-case names users see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Label {
    Person,
    Address,
    Postcode,
    DateOfBirth,
    Phone,
    Email,
    UkNiNumber,
    NhsNumber,
}

impl Label {
    pub const ALL: [Label; 8] = [
        Label::Person,
        Label::Address,
        Label::Postcode,
        Label::DateOfBirth,
        Label::Phone,
        Label::Email,
        Label::UkNiNumber,
        Label::NhsNumber,
    ];

    /// The serialised name (`DATE_OF_BIRTH`), also used in `[redacted: ...]`.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Person => "PERSON",
            Label::Address => "ADDRESS",
            Label::Postcode => "POSTCODE",
            Label::DateOfBirth => "DATE_OF_BIRTH",
            Label::Phone => "PHONE",
            Label::Email => "EMAIL",
            Label::UkNiNumber => "UK_NI_NUMBER",
            Label::NhsNumber => "NHS_NUMBER",
        }
    }
}

/// Whose data a span is: the requester's own (kept in an access response) or anyone else's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Party {
    Subject,
    Other,
}

/// How another person named in a note stands to the subject, when the text says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    Family,
    Neighbour,
    Professional,
    Staff,
    Operative,
}

/// A detected span; `start` and `end` count Unicode code points (end exclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub label: Label,
    pub party: Party,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<Relation>,
}
