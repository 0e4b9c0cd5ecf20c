//! Searches through the gate. A filter is a read of the field it filters on: a caller may
//! search only by a field group the gate would release to them for their purpose (refused
//! before the store is asked), and a search returns and counts only the people whose every
//! filtered group the caller may see. Which those are is decided here, from the few people
//! whose controls (restriction, objection, consent, assignment) could change the decision; the
//! store then pages and counts within that decision.

use super::guarded::{FieldGroup, Guarded, PERSON_GROUPS};
use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::actor::Actor;
use hearth_core::records::{Person, Tenancy};
use hearth_policy::{RecordAction, RecordView, SubjectControls};
use hearth_store::{PersonQuery, Visibility};
use uuid::Uuid;

/// A filter of a person search and the groups reading it reads, by record type.
struct Filter {
    name: &'static str,
    reads: Vec<(&'static str, &'static FieldGroup)>,
}

fn person_group(name: &str) -> Option<&'static FieldGroup> {
    PERSON_GROUPS.iter().find(|g| g.name == name)
}

/// The filters a person search uses, each with what it reads: names and references read
/// identity, a postcode the contact details, an NI number the identifiers, and a UPRN both
/// identity and the tenancy that ties the person to the property.
fn filters_of(query: &PersonQuery) -> Vec<Filter> {
    let mut filters = Vec::new();
    let mut add =
        |name: &'static str, given: bool, reads: Vec<(&'static str, &'static FieldGroup)>| {
            if given {
                filters.push(Filter { name, reads });
            }
        };
    let person = |group: &str| {
        person_group(group)
            .map(|g| (Person::RECORD_TYPE, g))
            .into_iter()
            .collect::<Vec<_>>()
    };
    add("name", query.name.is_some(), person("identity"));
    add(
        "external_ref",
        query.external_ref.is_some(),
        person("identity"),
    );
    add("postcode", query.postcode.is_some(), person("contact"));
    add(
        "ni_number",
        query.ni_number.is_some(),
        person("identifiers"),
    );
    let mut uprn = person("identity");
    uprn.extend(Tenancy::GROUPS.first().map(|g| (Tenancy::RECORD_TYPE, g)));
    add("uprn", query.uprn.is_some(), uprn);
    filters
}

impl Hearth {
    /// Decides a person search before the store is asked, and returns the people it may
    /// return. A filter on a group the caller may never see for this purpose is refused (and
    /// audited) whatever anyone's controls; the rest is decided person by person for those
    /// whose controls could matter, and for everyone else at once.
    pub(crate) async fn admit_person_search(
        &self,
        caller: &Caller,
        query: &PersonQuery,
    ) -> Result<Visibility> {
        let purpose = self.purpose_of(caller)?.to_string();
        let filters = filters_of(query);
        for filter in &filters {
            for (record_type, group) in &filter.reads {
                let decision = self.decide_view(caller, &purpose, record_type, group, None)?;
                if !decision.allowed {
                    let mut event = self.event(caller, "person.search".to_string());
                    event.decision = "denied".to_string();
                    event.record_type = Some(Person::RECORD_TYPE.to_string());
                    event.fields = vec![group.name.to_string()];
                    event.reason = Some(format!(
                        "search by {} reads {}: {}",
                        filter.name,
                        group.name,
                        decision.explain()
                    ));
                    self.store.append_audit_events(&[event]).await?;
                    return Err(ServiceError::Forbidden(format!(
                        "you may not search by {} for the purpose {purpose}: it reads {} data, which that purpose does not release to you",
                        filter.name, group.name
                    )));
                }
            }
        }
        let assignee = match caller.actor() {
            Actor::Staff(id) => id.parse::<Uuid>().ok(),
            _ => None,
        };
        let mut controlled = self
            .store
            .people_with_controls(query, &purpose, assignee)
            .await?;
        // A resident's own record is decided for them by who they are.
        if let Actor::Resident(id) = caller.actor()
            && let Ok(id) = id.parse::<Uuid>()
            && !controlled.contains(&id)
        {
            controlled.push(id);
        }
        let everyone_else =
            self.may_see_in_search(caller, &purpose, &filters, SubjectControls::default())?;
        let controls = if controlled.is_empty() {
            Default::default()
        } else {
            self.store.person_controls(&controlled).await?
        };
        let mut decided = Vec::new();
        for id in controlled {
            let subject =
                super::subject_controls(id, controls.get(&id).cloned().unwrap_or_default());
            if self.may_see_in_search(caller, &purpose, &filters, subject)? != everyone_else {
                decided.push(id);
            }
        }
        // `decided` holds the people who differ from everyone else.
        Ok(if everyone_else {
            Visibility::AllBut(decided)
        } else {
            Visibility::Only(decided)
        })
    }

    /// Whether a search result about a person with these controls may be shown: the caller
    /// sees at least one group of the person, and every group a filter reads.
    fn may_see_in_search(
        &self,
        caller: &Caller,
        purpose: &str,
        filters: &[Filter],
        subject: SubjectControls,
    ) -> Result<bool> {
        let subject = Some(subject);
        for filter in filters {
            for (record_type, group) in &filter.reads {
                if !self
                    .decide_view(caller, purpose, record_type, group, subject.clone())?
                    .allowed
                {
                    return Ok(false);
                }
            }
        }
        for group in Person::GROUPS {
            if self
                .decide_view(caller, purpose, Person::RECORD_TYPE, group, subject.clone())?
                .allowed
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The gate's decision on a search of one group of a record type, about a person with
    /// these controls (or about nobody in particular).
    fn decide_view(
        &self,
        caller: &Caller,
        purpose: &str,
        record_type: &str,
        group: &FieldGroup,
        subject: Option<SubjectControls>,
    ) -> Result<hearth_policy::Decision> {
        let view = RecordView {
            record_type: record_type.to_string(),
            record_id: "search".to_string(),
            field_group: group.name.to_string(),
            categories: group.categories.iter().map(|c| c.to_string()).collect(),
            subject,
            related: Default::default(),
        };
        self.gate
            .decide_record(caller.principal(), RecordAction::Search, purpose, &view)
            .map_err(|e| ServiceError::Policy(e.to_string()))
    }
}
