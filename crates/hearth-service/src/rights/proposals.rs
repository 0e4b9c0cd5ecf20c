//! Redactions proposed by the free-text engine (`hearth-redact`) for an access response: in
//! every note and record text of the bundle, each name, address, phone, email, date of birth
//! or identifier that is not the requester's own. The data protection officer accepts them (or
//! redacts by hand); accepted spans are replaced by `[redacted: LABEL]` in the release.

use super::access::AccessBundle;
use hearth_core::records::Person;
use hearth_redact::{Label, Party, Relation, Span, Subject};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A passage the engine found about someone other than the requester.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProposedRedaction {
    /// `contacts` or `records`.
    pub section: String,
    pub record_id: Uuid,
    /// `reason`, `summary`, `title` or `details`.
    pub field: String,
    /// Where, in Unicode code points of that field's text (end exclusive).
    pub start: usize,
    pub end: usize,
    /// PERSON, ADDRESS, POSTCODE, DATE_OF_BIRTH, PHONE, EMAIL, UK_NI_NUMBER or NHS_NUMBER.
    pub label: String,
    /// How the person named stands to the requester, when the text says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    /// The passage itself, for the reviewer.
    pub text: String,
}

/// The requester as the engine matches them: their names and name variants, phones, emails,
/// address and date of birth, from their own record.
pub(crate) fn subject_of(person: &Person) -> Subject {
    let f = &person.fields;
    let mut names = vec![
        format!("{} {}", f.given_name, f.family_name),
        f.given_name.clone(),
        f.family_name.clone(),
    ];
    if let Some(preferred) = &f.preferred_name {
        names.push(format!("{preferred} {}", f.family_name));
        names.push(preferred.clone());
    }
    if let Some(middle) = &f.middle_names {
        names.push(format!("{} {middle} {}", f.given_name, f.family_name));
    }
    let addresses = f
        .postal_address
        .iter()
        .map(|a| {
            [
                Some(a.line1.as_str()),
                a.line2.as_deref(),
                a.line3.as_deref(),
                a.line4.as_deref(),
                a.town.as_deref(),
                Some(a.postcode.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
        })
        .collect();
    Subject {
        names,
        phones: f.phones.iter().map(|p| p.value.clone()).collect(),
        emails: f.emails.iter().map(|e| e.value.clone()).collect(),
        addresses,
        date_of_birth: f.date_of_birth.map(|d| d.to_string()),
    }
}

/// What a contact note's reason and summary say about anyone other than `person`.
pub fn others_named(
    person: &Person,
    entry: &hearth_core::records::ContactEntry,
) -> Vec<ProposedRedaction> {
    let mut texts = vec![("contacts", entry.id, "reason", entry.fields.reason.as_str())];
    if let Some(summary) = &entry.fields.summary {
        texts.push(("contacts", entry.id, "summary", summary.as_str()));
    }
    find_others(person, texts)
}

/// The free text of a bundle, by where it is: (section, record, field, text).
fn texts(bundle: &AccessBundle) -> Vec<(&'static str, Uuid, &'static str, &str)> {
    let mut out = Vec::new();
    for c in &bundle.contacts {
        out.push(("contacts", c.id, "reason", c.fields.reason.as_str()));
        if let Some(summary) = &c.fields.summary {
            out.push(("contacts", c.id, "summary", summary.as_str()));
        }
    }
    for r in &bundle.records {
        let f = &r.record.fields;
        out.push(("records", r.record.id, "title", f.title.as_str()));
        if let Some(details) = &f.details {
            out.push(("records", r.record.id, "details", details.as_str()));
        }
    }
    out
}

/// Every passage of the bundle's free text about someone other than the requester.
pub(crate) fn propose(bundle: &AccessBundle) -> Vec<ProposedRedaction> {
    find_others(&bundle.person, texts(bundle))
}

/// Every passage of these texts about someone other than `person`.
fn find_others(
    person: &Person,
    texts: Vec<(&'static str, Uuid, &'static str, &str)>,
) -> Vec<ProposedRedaction> {
    let subject = subject_of(person);
    let engine = hearth_redact::shared();
    let mut proposals = Vec::new();
    for (section, record_id, field, text) in texts {
        let chars: Vec<char> = text.chars().collect();
        for span in engine.detect(text, Some(&subject)) {
            if span.party != Party::Other {
                continue;
            }
            proposals.push(ProposedRedaction {
                section: section.to_string(),
                record_id,
                field: field.to_string(),
                start: span.start,
                end: span.end,
                label: span.label.as_str().to_string(),
                relation: span.relation.map(relation_name),
                text: chars
                    .get(span.start..span.end)
                    .map(|c| c.iter().collect())
                    .unwrap_or_default(),
            });
        }
    }
    proposals
}

fn relation_name(relation: Relation) -> String {
    match relation {
        Relation::Family => "family",
        Relation::Neighbour => "neighbour",
        Relation::Professional => "professional",
        Relation::Staff => "staff",
        Relation::Operative => "operative",
    }
    .to_string()
}

/// Replaces the proposed passages of one field's text by `[redacted: LABEL]`.
fn redact_text(text: &str, passages: &[&ProposedRedaction]) -> String {
    let spans: Vec<Span> = passages
        .iter()
        .filter_map(|p| {
            let label = Label::ALL.into_iter().find(|l| l.as_str() == p.label)?;
            Some(Span {
                start: p.start,
                end: p.end,
                label,
                party: Party::Other,
                relation: None,
            })
        })
        .collect();
    hearth_redact::apply(text, &spans)
}

/// Applies accepted proposals to the bundle's free text, field by field; returns the
/// (section, record) pairs changed, each with the labels redacted there.
pub(crate) fn apply_proposals(
    bundle: &mut AccessBundle,
    accepted: &[ProposedRedaction],
) -> Vec<(String, Uuid, Vec<String>)> {
    let mut changed: Vec<(String, Uuid, Vec<String>)> = Vec::new();
    let mut note = |section: &str, id: Uuid, passages: &[&ProposedRedaction]| {
        if passages.is_empty() {
            return;
        }
        let mut labels: Vec<String> = passages.iter().map(|p| p.label.clone()).collect();
        match changed
            .iter_mut()
            .find(|(s, i, _)| s == section && *i == id)
        {
            Some((_, _, existing)) => existing.append(&mut labels),
            None => changed.push((section.to_string(), id, labels)),
        }
    };
    let of = |section: &str, id: Uuid, field: &str| -> Vec<&ProposedRedaction> {
        accepted
            .iter()
            .filter(|p| p.section == section && p.record_id == id && p.field == field)
            .collect()
    };
    for c in &mut bundle.contacts {
        let reason = of("contacts", c.id, "reason");
        c.fields.reason = redact_text(&c.fields.reason, &reason);
        note("contacts", c.id, &reason);
        let summary = of("contacts", c.id, "summary");
        if let Some(text) = &mut c.fields.summary {
            *text = redact_text(text, &summary);
            note("contacts", c.id, &summary);
        }
    }
    for r in &mut bundle.records {
        let id = r.record.id;
        let title = of("records", id, "title");
        r.record.fields.title = redact_text(&r.record.fields.title, &title);
        note("records", id, &title);
        let details = of("records", id, "details");
        if let Some(text) = &mut r.record.fields.details {
            *text = redact_text(text, &details);
            note("records", id, &details);
        }
    }
    for (_, _, labels) in &mut changed {
        labels.sort();
        labels.dedup();
    }
    changed
}
