//! Erasure (Art 17): for each thing held about a person, whether it is erased or kept, on what
//! ground and until when. The decision is drawn from the register (the record type's purposes
//! and their lawful bases, its retention period), the legal holds in force and the person's
//! objection; the data protection officer approves the plan, and may change an item's
//! decision with a recorded reason, before anything is erased.

use super::request::string_enum;
use crate::register::{Art6Basis, Purpose, RecordType, Register};
use crate::retention::rule_text;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

string_enum!(
    /// What kind of thing an erasure item is.
    ItemKind {
        /// The person record itself: name, contact details, identifiers.
        PersonRecord => "person_record",
        /// The optional equality answers on the person record, given on consent.
        EqualityAnswers => "equality_answers",
        /// Membership of a household.
        Membership => "membership",
        /// An entry in the contact log.
        Contact => "contact",
        /// A filed record (a repair, a case, a recording) with its media.
        FiledRecord => "filed_record",
        /// The history of consents given and withdrawn.
        ConsentHistory => "consent_history",
        /// The person's rights requests and the responses to them.
        RightsRequests => "rights_requests",
        /// The log of who accessed the person's record.
        AccessLog => "access_log",
    }
);

string_enum!(
    /// Erase or keep.
    Decision {
        Erase => "erase",
        Keep => "keep",
    }
);

string_enum!(
    /// Why an item is erased or kept (UK GDPR Art 17(1) and 17(3)).
    Ground {
        /// Kept: a legal hold is in force (Art 17(3)(e), legal claims).
        LegalHold => "legal_hold",
        /// Kept: a legal obligation requires it (Art 17(3)(b)).
        LegalObligation => "legal_obligation",
        /// Kept: needed for a public task (Art 17(3)(b)).
        PublicTask => "public_task",
        /// Kept: needed for a contract with the person.
        Contract => "contract",
        /// Kept: the person record, needed while other records about them are kept.
        LinkedRecords => "linked_records",
        /// Kept: evidence that the council complied (Art 5(2), Art 7(1)).
        Accountability => "accountability",
        /// Kept or erased by the data protection officer's decision, with the reason recorded.
        DpoDecision => "dpo_decision",
        /// Erased: held on the person's consent, which the request withdraws (Art 17(1)(b)).
        ConsentBased => "consent_based",
        /// Erased: its retention period has ended (Art 17(1)(a)).
        NoLongerNeeded => "no_longer_needed",
        /// Erased: the person's objection to public-task processing stands (Art 17(1)(c)).
        ObjectionUpheld => "objection_upheld",
        /// Erased: no ground to keep it outweighs the request (Art 17(1)(c)).
        NoOverridingGround => "no_overriding_ground",
        /// Erased with the person record, which nothing kept needs any more.
        WithPersonRecord => "with_person_record",
    }
);

impl Ground {
    /// The sentence a letter gives for this ground.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::LegalHold => {
                "a legal hold is in force: the information is needed for legal claims or an investigation (UK GDPR Art 17(3)(e))"
            }
            Self::LegalObligation => {
                "the law requires us to keep it (UK GDPR Art 17(3)(b), legal obligation)"
            }
            Self::PublicTask => {
                "we need it to carry out our public task as your landlord or housing authority (UK GDPR Art 17(3)(b))"
            }
            Self::Contract => "we need it for the contract we have with you (UK GDPR Art 6(1)(b))",
            Self::LinkedRecords => {
                "your record is kept while other records about you are kept, so that they stay accurate"
            }
            Self::Accountability => {
                "we keep evidence of what we did with your information and your requests (UK GDPR Art 5(2) and Art 7(1))"
            }
            Self::DpoDecision => "our data protection officer decided this; the reason is given",
            Self::ConsentBased => {
                "we held it only with your consent, which your request withdraws (UK GDPR Art 17(1)(b))"
            }
            Self::NoLongerNeeded => {
                "its retention period has ended, so we no longer need it (UK GDPR Art 17(1)(a))"
            }
            Self::ObjectionUpheld => {
                "you objected to our processing for a public task and no compelling grounds were recorded (UK GDPR Art 17(1)(c))"
            }
            Self::NoOverridingGround => {
                "no ground for keeping it outweighs your request (UK GDPR Art 17(1))"
            }
            Self::WithPersonRecord => {
                "it is erased with your record, which we no longer need to keep"
            }
        }
    }
}

/// One thing held about the person, and what the erasure does with it. Describes the item by
/// its type, reference and dates: never by its content, so the plan itself holds nothing
/// about the person but references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ErasureItem {
    pub kind: ItemKind,
    /// The register's record type (`repairs_request`, `contact_log`, ...).
    pub record_type: String,
    /// The record's id (the person's id for person-wide items).
    pub record_id: Uuid,
    /// The record type's name and a date: "Repairs request, opened 3 May 2026".
    pub description: String,
    pub decision: Decision,
    pub ground: Ground,
    /// Kept until this day, when it is known.
    #[schema(value_type = Option<String>, format = Date)]
    pub until: Option<Date>,
    /// The rule it is kept by: "6 years after case closed", "until the hold is lifted".
    pub until_text: Option<String>,
    /// Media objects erased with it.
    #[serde(default)]
    pub media: u32,
    /// The data protection officer's reason, when they changed the proposed decision.
    #[serde(default)]
    pub dpo_reason: Option<String>,
}

string_enum!(
    /// Where an erasure stands: proposed (a preview), approved by the data protection officer,
    /// or carried out.
    ErasureStatus {
        Proposed => "proposed",
        Approved => "approved",
        Executed => "executed",
    }
);

/// An erasure for one request: the plan, who prepared and approved it, and, once carried out,
/// the letter. Holds references and grounds only, so it stays readable after the person's data
/// key is destroyed, as evidence of what was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Erasure {
    pub request_id: Uuid,
    pub person_id: Uuid,
    pub status: ErasureStatus,
    pub items: Vec<ErasureItem>,
    #[schema(value_type = String, format = DateTime)]
    pub prepared_at: jiff::Timestamp,
    pub prepared_by: String,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub approved_at: Option<jiff::Timestamp>,
    pub approved_by: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub executed_at: Option<jiff::Timestamp>,
    pub executed_by: Option<String>,
    /// The letter sent to the person (it names no one).
    pub letter: Option<String>,
    pub version: i64,
}

impl Erasure {
    /// The items the plan erases.
    pub fn erased(&self) -> impl Iterator<Item = &ErasureItem> {
        self.items.iter().filter(|i| i.decision == Decision::Erase)
    }

    /// True when the person record itself goes.
    pub fn erases_person(&self) -> bool {
        self.erased().any(|i| i.kind == ItemKind::PersonRecord)
    }
}

/// What is known about a record when deciding its fate.
#[derive(Debug, Clone)]
pub struct RecordFacts<'a> {
    pub record_type: &'a RecordType,
    /// The day its retention period starts from; `None` while its trigger (a case closing, a
    /// tenancy ending) has not happened.
    pub trigger_date: Option<Date>,
    /// The review date of an active legal hold covering it.
    pub held_until_review: Option<Date>,
}

/// The proposed decision for one record: decision, ground, until, until text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub decision: Decision,
    pub ground: Ground,
    pub until: Option<Date>,
    pub until_text: Option<String>,
}

/// The strongest ground the record type's purposes give for keeping it, if any. A purpose that
/// lists consent rests on the person's agreement for them, so only its other bases count when
/// the person has not consented; vital interests is a ground for acting in an emergency, not
/// for keeping, so a record kept for safeguarding needs a legal hold.
pub(crate) fn keeping_ground(purposes: &[&Purpose]) -> Option<Ground> {
    let has = |basis: Art6Basis| {
        purposes
            .iter()
            .any(|p| p.lawful_basis.contains(&basis) && !p.lawful_basis.contains(&Art6Basis::D))
    };
    let public_task = purposes.iter().any(|p| {
        p.lawful_basis.contains(&Art6Basis::E)
            && !p.lawful_basis.contains(&Art6Basis::A)
            && !p.lawful_basis.contains(&Art6Basis::D)
    });
    if has(Art6Basis::C) {
        Some(Ground::LegalObligation)
    } else if public_task {
        Some(Ground::PublicTask)
    } else if has(Art6Basis::B) {
        Some(Ground::Contract)
    } else {
        None
    }
}

/// Decides one record: a hold keeps it; an ended retention period erases it; otherwise its
/// purposes' strongest lawful basis keeps it until its period ends, unless the person's
/// objection stands against a public task; what rests on consent alone is erased.
pub fn propose(
    register: &Register,
    facts: &RecordFacts<'_>,
    objected: bool,
    today: Date,
) -> Proposal {
    let retention = &facts.record_type.retention;
    let rule = rule_text(retention.period, &retention.trigger);
    if let Some(review_on) = facts.held_until_review {
        return Proposal {
            decision: Decision::Keep,
            ground: Ground::LegalHold,
            until: None,
            until_text: Some(format!(
                "until the legal hold is lifted (next reviewed on {review_on})"
            )),
        };
    }
    let until = facts
        .trigger_date
        .and_then(|d| retention.period.keep_until(d));
    if until.is_some_and(|u| u < today) {
        return Proposal {
            decision: Decision::Erase,
            ground: Ground::NoLongerNeeded,
            until: None,
            until_text: None,
        };
    }
    let purposes: Vec<&Purpose> = facts
        .record_type
        .purposes
        .iter()
        .filter_map(|id| register.purpose(id))
        .collect();
    let keep = |ground| Proposal {
        decision: Decision::Keep,
        ground,
        until,
        until_text: Some(rule.clone()),
    };
    match keeping_ground(&purposes) {
        Some(Ground::PublicTask) if objected => Proposal {
            decision: Decision::Erase,
            ground: Ground::ObjectionUpheld,
            until: None,
            until_text: None,
        },
        Some(ground) => keep(ground),
        None => Proposal {
            decision: Decision::Erase,
            ground: if purposes.iter().any(|p| p.relies_on_consent()) {
                Ground::ConsentBased
            } else {
                Ground::NoOverridingGround
            },
            until: None,
            until_text: None,
        },
    }
}

/// Settles the person-wide items once the records are decided: the person record (and with it
/// the consent history) is kept while anything else is, until the latest of their dates, and
/// erased with everything else otherwise. Decisions the data protection officer made stay.
pub fn settle_person_items(items: &mut [ErasureItem]) {
    let depends_on_person = |i: &ErasureItem| {
        matches!(
            i.kind,
            ItemKind::Membership | ItemKind::Contact | ItemKind::FiledRecord
        )
    };
    let kept: Vec<&ErasureItem> = items
        .iter()
        .filter(|i| depends_on_person(i) && i.decision == Decision::Keep)
        .collect();
    let any_kept = !kept.is_empty();
    let open_ended = kept.iter().any(|i| i.until.is_none());
    let latest = kept.iter().filter_map(|i| i.until).max();
    for item in items.iter_mut() {
        if !matches!(item.kind, ItemKind::PersonRecord | ItemKind::ConsentHistory) {
            continue;
        }
        item.dpo_reason = None;
        if any_kept {
            item.decision = Decision::Keep;
            item.ground = if item.kind == ItemKind::PersonRecord {
                Ground::LinkedRecords
            } else {
                Ground::Accountability
            };
            item.until = if open_ended { None } else { latest };
            item.until_text = Some("while other records about you are kept".into());
        } else {
            item.decision = Decision::Erase;
            item.ground = Ground::WithPersonRecord;
            item.until = None;
            item.until_text = None;
        }
    }
}

/// A change the data protection officer makes to one item at approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Override {
    pub record_id: Uuid,
    pub decision: Decision,
    /// Why: kept in the plan and given in the letter.
    pub reason: String,
}

/// Applies the data protection officer's changes. Refused: an unknown item, a reason under
/// ten characters, erasing something under a legal hold (lift the hold first), and changing the
/// person-wide items, which follow from the rest.
pub fn apply_overrides(
    items: &mut [ErasureItem],
    overrides: &[Override],
) -> Result<(), crate::validation::FieldErrors> {
    let mut errors = crate::validation::FieldErrors::new();
    for (n, o) in overrides.iter().enumerate() {
        let field = format!("overrides[{n}]");
        if o.reason.trim().chars().count() < 10 {
            errors.add(
                &field,
                "give the reason for the change (at least 10 characters)",
            );
            continue;
        }
        let Some(item) = items.iter_mut().find(|i| {
            i.record_id == o.record_id
                && !matches!(i.kind, ItemKind::PersonRecord | ItemKind::ConsentHistory)
        }) else {
            errors.add(
                &field,
                format!(
                    "{} is not a record in this plan that can be changed (the person record follows from the rest)",
                    o.record_id
                ),
            );
            continue;
        };
        if item.ground == Ground::LegalHold && o.decision == Decision::Erase {
            errors.add(
                &field,
                "a legal hold covers this record: lift the hold before erasing it",
            );
            continue;
        }
        if matches!(item.kind, ItemKind::RightsRequests | ItemKind::AccessLog)
            && o.decision == Decision::Erase
        {
            errors.add(
                &field,
                "the requests register and the access log are kept as evidence; their text becomes unreadable when the person record is erased",
            );
            continue;
        }
        if item.decision != o.decision {
            item.decision = o.decision;
            item.ground = Ground::DpoDecision;
            item.until = None;
            item.until_text = (o.decision == Decision::Keep).then(|| o.reason.trim().to_string());
        }
        item.dpo_reason = Some(o.reason.trim().to_string());
    }
    errors.finish(())?;
    settle_person_items(items);
    Ok(())
}

/// The letter to the person: what was erased, what was kept, why, and until when, and who
/// received any of it earlier and is being told. Names no one: the council adds the address
/// when it sends it.
/// For a consent withdrawal, it answers the withdrawal: what was held on that consent alone.
pub fn erasure_letter(
    kind: super::RequestKind,
    received_on: Date,
    request_id: Uuid,
    items: &[ErasureItem],
    notified: &[String],
) -> String {
    let subject = if kind == super::RequestKind::ConsentWithdrawal {
        "Your withdrawal of consent: the information we held on that consent alone"
    } else {
        "Your request to erase your personal information"
    };
    let mut out = format!(
        "{subject}\n\nWe received your request on {received_on} (our reference {request_id}). This letter says what we have erased, what we have kept, why, and until when.\n"
    );
    let (erased, kept): (Vec<&ErasureItem>, Vec<&ErasureItem>) =
        items.iter().partition(|i| i.decision == Decision::Erase);
    out.push_str("\nWhat we have erased\n");
    if erased.is_empty() {
        out.push_str("- Nothing: everything we hold is kept for the reasons below.\n");
    }
    for item in &erased {
        out.push_str(&format!("- {}: {}.\n", item.description, item_reason(item)));
    }
    out.push_str("\nWhat we have kept\n");
    if kept.is_empty() {
        out.push_str("- Nothing.\n");
    }
    for item in &kept {
        let until = match (&item.until, &item.until_text) {
            (Some(date), Some(rule)) => format!(" Kept until {date} ({rule})."),
            (None, Some(rule)) => format!(" Kept {rule}."),
            (Some(date), None) => format!(" Kept until {date}."),
            (None, None) => String::new(),
        };
        out.push_str(&format!(
            "- {}: {}.{until}\n",
            item.description,
            item_reason(item)
        ));
    }
    out.push_str("\nWho we have told\n");
    if notified.is_empty() {
        out.push_str(
            "- We have no record of giving the erased information to anyone outside the council.\n",
        );
    } else {
        out.push_str("We gave some of the erased information to the organisations below earlier; we are telling each of them that it has been erased (UK GDPR Art 19):\n");
        for name in notified {
            out.push_str(&format!("- {name}\n"));
        }
    }
    out.push_str(&format!(
        "\n{}\n",
        super::supplementary::complaint_paragraph()
    ));
    out
}

fn item_reason(item: &ErasureItem) -> String {
    match (&item.ground, &item.dpo_reason) {
        (Ground::DpoDecision, Some(reason)) => {
            format!("{} ({reason})", Ground::DpoDecision.explanation())
        }
        (ground, _) => ground.explanation().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::register::parse_register;

    fn register() -> Register {
        parse_register(include_str!("../../../../register/default.toml"))
            .unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn facts<'a>(
        register: &'a Register,
        record_type: &str,
        trigger: Option<Date>,
    ) -> RecordFacts<'a> {
        RecordFacts {
            record_type: register
                .record_type(record_type)
                .unwrap_or_else(|| panic!("{record_type}")),
            trigger_date: trigger,
            held_until_review: None,
        }
    }

    fn day(y: i16, m: i8, d: i8) -> Date {
        jiff::civil::date(y, m, d)
    }

    #[test]
    fn public_task_records_are_kept_until_their_period_ends() {
        let r = register();
        let p = propose(
            &r,
            &facts(&r, "repairs_request", Some(day(2025, 3, 1))),
            false,
            day(2026, 11, 22),
        );
        assert_eq!(p.decision, Decision::Keep);
        assert_eq!(p.ground, Ground::PublicTask);
        assert_eq!(p.until, Some(day(2031, 3, 1)));
        assert_eq!(p.until_text.as_deref(), Some("6 years after case closed"));
    }

    #[test]
    fn an_open_case_is_kept_by_its_rule_with_no_date_yet() {
        let r = register();
        let p = propose(
            &r,
            &facts(&r, "repairs_request", None),
            false,
            day(2026, 11, 22),
        );
        assert_eq!((p.decision, p.until), (Decision::Keep, None));
    }

    #[test]
    fn consent_based_recordings_are_erased_and_expired_records_too() {
        let r = register();
        let video = propose(
            &r,
            &facts(&r, "video_recording", Some(day(2026, 11, 10))),
            false,
            day(2026, 11, 22),
        );
        assert_eq!(
            (video.decision, video.ground),
            (Decision::Erase, Ground::ConsentBased)
        );
        let old = propose(
            &r,
            &facts(&r, "contact_log", Some(day(2024, 1, 1))),
            false,
            day(2026, 11, 22),
        );
        assert_eq!(
            (old.decision, old.ground),
            (Decision::Erase, Ground::NoLongerNeeded)
        );
    }

    #[test]
    fn a_hold_wins_over_everything_and_an_objection_over_public_task() {
        let r = register();
        let mut held = facts(&r, "video_recording", Some(day(2026, 11, 10)));
        held.held_until_review = Some(day(2027, 1, 5));
        let p = propose(&r, &held, true, day(2026, 11, 22));
        assert_eq!((p.decision, p.ground), (Decision::Keep, Ground::LegalHold));
        let objected = propose(
            &r,
            &facts(&r, "contact_log", Some(day(2026, 1, 1))),
            true,
            day(2026, 11, 22),
        );
        assert_eq!(
            (objected.decision, objected.ground),
            (Decision::Erase, Ground::ObjectionUpheld)
        );
        let legal = propose(
            &r,
            &facts(&r, "rent_record", Some(day(2026, 1, 1))),
            true,
            day(2026, 11, 22),
        );
        assert_eq!(
            (legal.decision, legal.ground),
            (Decision::Keep, Ground::LegalObligation)
        );
    }

    fn item(kind: ItemKind, decision: Decision, until: Option<Date>) -> ErasureItem {
        ErasureItem {
            kind,
            record_type: "x".into(),
            record_id: Uuid::now_v7(),
            description: "x".into(),
            decision,
            ground: Ground::PublicTask,
            until,
            until_text: None,
            media: 0,
            dpo_reason: None,
        }
    }

    #[test]
    fn the_person_record_follows_the_rest() {
        let mut items = vec![
            item(ItemKind::PersonRecord, Decision::Erase, None),
            item(ItemKind::ConsentHistory, Decision::Erase, None),
            item(ItemKind::Contact, Decision::Keep, Some(day(2028, 1, 1))),
            item(ItemKind::FiledRecord, Decision::Keep, Some(day(2030, 1, 1))),
        ];
        settle_person_items(&mut items);
        assert_eq!(items[0].decision, Decision::Keep);
        assert_eq!(items[0].until, Some(day(2030, 1, 1)));
        let filed = items[3].record_id;
        let contact = items[2].record_id;
        apply_overrides(
            &mut items,
            &[
                Override {
                    record_id: filed,
                    decision: Decision::Erase,
                    reason: "no longer needed for the repair".into(),
                },
                Override {
                    record_id: contact,
                    decision: Decision::Erase,
                    reason: "duplicate of an earlier entry".into(),
                },
            ],
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(items[0].decision, Decision::Erase);
        assert_eq!(items[0].ground, Ground::WithPersonRecord);
        assert_eq!(items[3].ground, Ground::DpoDecision);
    }

    #[test]
    fn overrides_need_reasons_and_respect_holds() {
        let mut items = vec![item(ItemKind::FiledRecord, Decision::Keep, None)];
        items[0].ground = Ground::LegalHold;
        let id = items[0].record_id;
        let short = apply_overrides(
            &mut items,
            &[Override {
                record_id: id,
                decision: Decision::Erase,
                reason: "no".into(),
            }],
        );
        assert!(short.is_err());
        let held = apply_overrides(
            &mut items,
            &[Override {
                record_id: id,
                decision: Decision::Erase,
                reason: "the person asked twice".into(),
            }],
        );
        assert!(format!("{held:?}").contains("legal hold"));
        assert_eq!(items[0].decision, Decision::Keep);
    }

    #[test]
    fn the_letter_says_what_was_erased_and_kept_and_why() {
        let mut kept = item(ItemKind::FiledRecord, Decision::Keep, Some(day(2031, 3, 1)));
        kept.description = "Repairs request, opened 1 March 2025".into();
        kept.until_text = Some("6 years after case closed".into());
        let mut erased = item(ItemKind::FiledRecord, Decision::Erase, None);
        erased.description = "Remote video assistance recording, made 10 November 2026".into();
        erased.ground = Ground::ConsentBased;
        let letter = erasure_letter(
            crate::rights::RequestKind::Erasure,
            day(2026, 11, 1),
            Uuid::nil(),
            &[kept, erased],
            &["Safeguarding Board".into()],
        );
        assert!(letter.contains("- Remote video assistance recording, made 10 November 2026: we held it only with your consent"));
        assert!(letter.contains("Kept until 2031-03-01 (6 years after case closed)"));
        assert!(letter.contains("- Safeguarding Board"));
        assert!(letter.starts_with("Your request to erase"));
        let withdrawal = erasure_letter(
            crate::rights::RequestKind::ConsentWithdrawal,
            day(2026, 11, 1),
            Uuid::nil(),
            &[],
            &[],
        );
        assert!(withdrawal.starts_with("Your withdrawal of consent"));
    }
}
