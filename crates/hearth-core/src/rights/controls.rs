//! Answers to restriction (Art 18), objection (Art 21) and consent withdrawal (Art 7(3))
//! requests: what a withdrawal leaves without a ground for keeping, and the letters that tell
//! the person what was done.

use super::request::string_enum;
use crate::access::ConsentRecord;
use crate::register::{Purpose, RecordType, Register};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

string_enum!(
    /// Why processing is restricted (Art 18(1)).
    RestrictionGround {
        /// (a) The person contests the accuracy, while it is checked.
        AccuracyContested => "accuracy_contested",
        /// (b) The processing is unlawful and the person asks for restriction, not erasure.
        UnlawfulProcessing => "unlawful_processing",
        /// (c) The council no longer needs it but the person needs it for a legal claim.
        NeededForLegalClaims => "needed_for_legal_claims",
        /// (d) The person has objected, while the council weighs its grounds.
        ObjectionPending => "objection_pending",
    }
);

impl RestrictionGround {
    fn explained(self) -> &'static str {
        match self {
            Self::AccuracyContested => {
                "you told us your information is not accurate, and we are checking it (UK GDPR Art 18(1)(a))"
            }
            Self::UnlawfulProcessing => {
                "you asked us to restrict rather than erase information we should not have been using (Art 18(1)(b))"
            }
            Self::NeededForLegalClaims => {
                "you need the information for a legal claim although we no longer do (Art 18(1)(c))"
            }
            Self::ObjectionPending => {
                "you have objected, and we are deciding whether our grounds override yours (Art 18(1)(d))"
            }
        }
    }
}

/// The consents a person has given and withdrawn, by purpose, as the history stands now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsentScope {
    withdrawn: BTreeSet<String>,
    in_force: BTreeSet<String>,
}

impl ConsentScope {
    /// From a person's consent history, oldest first: the latest record per purpose counts.
    /// Consent to the processing decides; explicit consent to special category data is asked
    /// on top of it and withdrawn with it.
    pub fn from_history<'a>(history: impl IntoIterator<Item = &'a ConsentRecord>) -> Self {
        let mut latest: BTreeMap<&str, bool> = BTreeMap::new();
        for record in history.into_iter().filter(|r| !r.special_category) {
            latest.insert(&record.purpose, record.granted);
        }
        let mut scope = Self::default();
        for (purpose, granted) in latest {
            if granted {
                scope.in_force.insert(purpose.to_string());
            } else {
                scope.withdrawn.insert(purpose.to_string());
            }
        }
        scope
    }

    /// Purposes whose latest record is a withdrawal.
    pub fn withdrawn(&self) -> &BTreeSet<String> {
        &self.withdrawn
    }

    pub fn is_in_force(&self, purpose: &str) -> bool {
        self.in_force.contains(purpose)
    }

    /// True when records of this type are held only on consent that has been withdrawn: none
    /// of its purposes gives another ground for keeping them (the rule erasure applies), at
    /// least one consent it rests on is withdrawn, and none it rests on is still given.
    pub fn held_only_on_withdrawn(&self, register: &Register, record_type: &RecordType) -> bool {
        let purposes: Vec<&Purpose> = record_type
            .purposes
            .iter()
            .filter_map(|id| register.purpose(id))
            .collect();
        let on_consent: Vec<&&Purpose> =
            purposes.iter().filter(|p| p.relies_on_consent()).collect();
        super::erasure::keeping_ground(&purposes).is_none()
            && on_consent.iter().any(|p| self.withdrawn.contains(&p.id))
            && !on_consent.iter().any(|p| self.in_force.contains(&p.id))
    }
}

/// The letter confirming a restriction.
pub fn restriction_letter(
    received_on: Date,
    request_id: Uuid,
    ground: RestrictionGround,
) -> String {
    format!(
        "Your request to restrict the use of your personal information\n\n\
         We received your request on {received_on} (our reference {request_id}).\n\n\
         We have restricted the use of your information because {}. From now on we only store \
         it: we will not otherwise use it without your consent, except to establish, exercise or \
         defend legal claims, to protect another person's rights, or for reasons of important \
         public interest (UK GDPR Art 18(2)).\n\n\
         We will tell you before we lift the restriction (Art 18(3)).\n\n{}",
        ground.explained(),
        super::supplementary::complaint_paragraph()
    )
}

/// The letter answering an objection: upheld, or refused on compelling grounds.
pub fn objection_letter(
    received_on: Date,
    request_id: Uuid,
    compelling_grounds: Option<&str>,
) -> String {
    let decision = match compelling_grounds {
        None => "We have stopped using your information for the tasks we carry out in the public \
                 interest, as you asked (UK GDPR Art 21(1)). We keep what the law requires us to keep, \
                 and we may still use it to establish, exercise or defend legal claims."
            .to_string(),
        Some(grounds) => format!(
            "We have considered your objection. We will continue to use your information because \
             we have compelling legitimate grounds which override your interests, rights and \
             freedoms (UK GDPR Art 21(1)):\n\n{grounds}"
        ),
    };
    format!(
        "Your objection to how we use your personal information\n\n\
         We received your objection on {received_on} (our reference {request_id}).\n\n{decision}\n\n{}",
        super::supplementary::complaint_paragraph()
    )
}

/// The letter confirming a withdrawal of consent, with what is erased because of it.
pub fn withdrawal_letter(
    received_on: Date,
    request_id: Uuid,
    purposes: &[&Purpose],
    scheduled_for_erasure: usize,
) -> String {
    let names: Vec<String> = purposes.iter().map(|p| format!("- {}", p.name)).collect();
    let erasure = if scheduled_for_erasure == 0 {
        "We hold nothing about you on that consent alone, so nothing needs to be erased."
            .to_string()
    } else {
        format!(
            "We held {scheduled_for_erasure} record(s) about you on that consent alone. We are \
             erasing them and will write to you when it is done."
        )
    };
    format!(
        "Your withdrawal of consent\n\n\
         We received your request on {received_on} (our reference {request_id}). You have \
         withdrawn your consent for:\n{}\n\n\
         The withdrawal took effect at once: we no longer use your information for these \
         purposes. It does not affect what we did with your consent before (UK GDPR Art 7(3)).\n\n\
         {erasure}\n\n{}",
        names.join("\n"),
        super::supplementary::complaint_paragraph()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::register::default_register;

    fn consent(purpose: &str, granted: bool, minute: i64) -> ConsentRecord {
        ConsentRecord {
            id: Uuid::now_v7(),
            person_id: Uuid::nil(),
            purpose: purpose.into(),
            granted,
            special_category: false,
            wording: "words".into(),
            wording_version: "1".into(),
            recorded_by: "staff".into(),
            at: jiff::Timestamp::from_second(1_700_000_000 + minute * 60)
                .unwrap_or_else(|e| panic!("{e}")),
            evidence: None,
        }
    }

    #[test]
    fn the_latest_record_per_purpose_counts() {
        let scope = ConsentScope::from_history(&[
            consent("a", true, 1),
            consent("b", true, 2),
            consent("a", false, 3),
            consent("b", false, 4),
            consent("b", true, 5),
        ]);
        assert_eq!(scope.withdrawn().iter().collect::<Vec<_>>(), vec!["a"]);
        assert!(scope.is_in_force("b"));
        assert!(!scope.is_in_force("a"));
    }

    #[test]
    fn only_records_held_on_consent_alone_fall_in_scope() {
        let register = default_register().unwrap_or_else(|p| panic!("{p:?}"));
        let on_consent_only = register
            .record_types
            .iter()
            .find(|t| {
                let purposes: Vec<&Purpose> = t
                    .purposes
                    .iter()
                    .filter_map(|id| register.purpose(id))
                    .collect();
                super::super::erasure::keeping_ground(&purposes).is_none()
                    && purposes.iter().any(|p| p.relies_on_consent())
            })
            .unwrap_or_else(|| panic!("the default register has a record type held on consent"));
        let consent_purpose = on_consent_only
            .purposes
            .iter()
            .find(|id| register.purpose(id).is_some_and(Purpose::relies_on_consent))
            .unwrap_or_else(|| panic!("a consent purpose"));
        let withdrawn = ConsentScope::from_history(&[
            consent(consent_purpose, true, 1),
            consent(consent_purpose, false, 2),
        ]);
        assert!(withdrawn.held_only_on_withdrawn(&register, on_consent_only));
        // Still given: not in scope.
        let given = ConsentScope::from_history(&[consent(consent_purpose, true, 1)]);
        assert!(!given.held_only_on_withdrawn(&register, on_consent_only));
        // A record type kept on a legal obligation or public task never is.
        let contact_log = register
            .record_type("contact_log")
            .unwrap_or_else(|| panic!("contact_log"));
        let everything: Vec<ConsentRecord> = register
            .purposes
            .iter()
            .map(|p| consent(&p.id, false, 1))
            .collect();
        assert!(
            !ConsentScope::from_history(&everything).held_only_on_withdrawn(&register, contact_log)
        );
    }

    #[test]
    fn letters_say_what_was_done_and_how_to_complain() {
        let id = Uuid::nil();
        let day = jiff::civil::date(2026, 11, 2);
        let letter = restriction_letter(day, id, RestrictionGround::AccuracyContested);
        assert!(letter.contains("only store"));
        assert!(letter.contains("before we lift"));
        assert!(letter.contains("Information Commissioner"));
        let refused = objection_letter(day, id, Some("Rent arrears recovery under the tenancy"));
        assert!(refused.contains("compelling legitimate grounds"));
        assert!(refused.contains("Rent arrears recovery"));
        assert!(objection_letter(day, id, None).contains("stopped using"));
    }
}
