//! Optional equality monitoring answers, where "prefer not to say" and "not asked" differ.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One equality question's answer. A person may always decline.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(tag = "status", content = "value", rename_all = "snake_case")]
pub enum EqualityAnswer {
    /// The question was never put to the person.
    #[default]
    NotAsked,
    /// The person was asked and chose not to answer.
    PreferNotToSay,
    /// The person's own answer, in their words or a census category.
    Answered(String),
}

impl EqualityAnswer {
    pub fn is_not_asked(&self) -> bool {
        matches!(self, Self::NotAsked)
    }

    /// Parses the CSV form: blank or `not_asked`, `prefer_not_to_say`, or the answer itself.
    pub fn parse_compact(raw: &str) -> Self {
        match raw.trim() {
            "" | "not_asked" => Self::NotAsked,
            "prefer_not_to_say" => Self::PreferNotToSay,
            answer => Self::Answered(answer.to_string()),
        }
    }
}

/// The equality monitoring questions Hearth can record. All optional, all declinable.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Equality {
    #[serde(default, skip_serializing_if = "EqualityAnswer::is_not_asked")]
    pub ethnicity: EqualityAnswer,
    #[serde(default, skip_serializing_if = "EqualityAnswer::is_not_asked")]
    pub disability: EqualityAnswer,
    #[serde(default, skip_serializing_if = "EqualityAnswer::is_not_asked")]
    pub sex: EqualityAnswer,
    #[serde(default, skip_serializing_if = "EqualityAnswer::is_not_asked")]
    pub gender_identity: EqualityAnswer,
    #[serde(default, skip_serializing_if = "EqualityAnswer::is_not_asked")]
    pub sexual_orientation: EqualityAnswer,
    #[serde(default, skip_serializing_if = "EqualityAnswer::is_not_asked")]
    pub religion: EqualityAnswer,
    #[serde(default, skip_serializing_if = "EqualityAnswer::is_not_asked")]
    pub carer: EqualityAnswer,
}

impl Equality {
    fn answers(&self) -> [(&'static str, &EqualityAnswer); 7] {
        [
            ("ethnicity", &self.ethnicity),
            ("disability", &self.disability),
            ("sex", &self.sex),
            ("gender_identity", &self.gender_identity),
            ("sexual_orientation", &self.sexual_orientation),
            ("religion", &self.religion),
            ("carer", &self.carer),
        ]
    }

    pub fn validate(&self, errors: &mut crate::FieldErrors) {
        for (name, answer) in self.answers() {
            if let EqualityAnswer::Answered(text) = answer {
                if text.trim().is_empty() {
                    errors.add(
                        format!("equality.{name}"),
                        "an answer must not be blank: use prefer_not_to_say or not_asked",
                    );
                } else if text.chars().count() > 100 {
                    errors.add(format!("equality.{name}"), "must be at most 100 characters");
                }
            }
        }
    }
}
