//! The requester's identity as their record holds it, and the normalised forms matched
//! against what the notes say.

use serde::{Deserialize, Serialize};

/// What the access request knows about its subject; every field may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    #[serde(default)]
    pub names: Vec<String>,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub addresses: Vec<String>,
    #[serde(default)]
    pub date_of_birth: Option<String>,
}

/// Lower-case letter-and-digit words of a text (`O'Brien-Smith` gives `obrien`, `smith`).
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| {
        c.is_whitespace() || c == '-' || c == ',' || c == '.' || c == '(' || c == ')'
    })
    .map(|w| {
        w.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    })
    .filter(|w| !w.is_empty())
    .collect()
}

/// Digits only: phone numbers compare on these, after `+44` becomes `0`.
pub(crate) fn phone_digits(text: &str) -> String {
    let d: String = text.chars().filter(char::is_ascii_digit).collect();
    if let Some(rest) = d.strip_prefix("440") {
        format!("0{rest}")
    } else if let Some(rest) = d.strip_prefix("44") {
        format!("0{rest}")
    } else {
        d
    }
}

/// A date as (day, month, year), reading UK order and month names; two-digit years are
/// compared on their last two digits.
pub(crate) fn date_parts(text: &str) -> Option<(u32, u32, u32)> {
    let lower = text.to_lowercase();
    let mut nums = Vec::new();
    let mut month = None;
    for w in lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            nums.push(digits.parse::<u32>().ok()?);
        } else if month.is_none() && w.len() >= 3 {
            const MONTHS: [&str; 12] = [
                "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
            ];
            month = MONTHS
                .iter()
                .position(|m| w.starts_with(m))
                .and_then(|p| u32::try_from(p + 1).ok());
        }
    }
    // ISO `1985-03-12` from a record.
    let (d, m, y) = match (month, nums.as_slice()) {
        (Some(m), [d, y]) => (*d, m, *y),
        (None, [y, m, d]) if *y > 31 => (*d, *m, *y),
        (None, [d, m, y]) => (*d, *m, *y),
        _ => return None,
    };
    Some((d, m, y % 100))
}

/// The subject, normalised once per note.
pub(crate) struct Known {
    pub name_words: Vec<Vec<String>>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub addresses: Vec<Vec<String>>,
    pub dob: Option<(u32, u32, u32)>,
}

impl Known {
    pub fn new(s: &Subject) -> Self {
        Self {
            name_words: s
                .names
                .iter()
                .map(|n| words(n))
                .filter(|w| !w.is_empty())
                .collect(),
            phones: s
                .phones
                .iter()
                .map(|p| phone_digits(p))
                .filter(|p| p.len() >= 10)
                .collect(),
            emails: s.emails.iter().map(|e| e.trim().to_lowercase()).collect(),
            addresses: s
                .addresses
                .iter()
                .map(|a| words(a))
                .filter(|w| !w.is_empty())
                .collect(),
            dob: s.date_of_birth.as_deref().and_then(date_parts),
        }
    }
}
