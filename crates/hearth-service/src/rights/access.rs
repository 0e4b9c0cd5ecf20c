//! Compiling an access bundle (Art 15): everything held about one person across every record
//! type, with the supplementary information from the register. Other people's data is withheld
//! and each withholding is listed with its reason, so the data protection officer can review
//! what goes out and the person can see what was kept back and why.

use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::access::ConsentRecord;
use hearth_core::records::{ContactEntry, FiledRecord, MediaObject, Membership, Person, Tenancy};
use hearth_core::rights::{RightsRequest, SupplementaryInformation, supplementary_information};
use hearth_policy::AdminAction;
use hearth_store::{ContactQuery, HouseholdQuery, Page, TenancyQuery};
use serde::Serialize;
use std::collections::BTreeSet;
use uuid::Uuid;

/// A household the person belongs to: only their own memberships; the other members are
/// withheld (counted in [`AccessBundle::withheld`]).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HouseholdPart {
    pub id: Uuid,
    pub name: Option<String>,
    pub memberships: Vec<Membership>,
}

/// A filed record about the person, with its media objects (described; the files go in the
/// bundle's archive).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecordPart {
    pub record: FiledRecord,
    pub media: Vec<MediaObject>,
}

/// One access to or disclosure of the person's record, from the audit log: who (an actor id,
/// never a name), when, why, what, and whether it was allowed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccessLogEntry {
    #[schema(value_type = String, format = DateTime)]
    pub at: jiff::Timestamp,
    pub actor: String,
    pub purpose: Option<String>,
    pub action: String,
    pub decision: String,
    pub record_type: Option<String>,
}

/// Something held that concerns the person but is not given to them, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Withheld {
    /// Which part of the bundle: `households`, ...
    pub section: String,
    /// The record it was withheld from.
    pub record_id: Uuid,
    /// What was withheld, without revealing it: "2 other members of the household".
    pub what: String,
    pub reason: String,
}

/// How the person signs in to the council's online services: a GOV.UK One Login account linked
/// to their record, or a code issued to link one (never the code itself).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SignInPart {
    /// `one_login_account` or `link_code`.
    pub kind: String,
    /// For an account, the One Login service and the identifier it gives this council for the
    /// account; for a code, who issued it.
    pub detail: String,
    /// When the account was linked, or the code issued.
    #[schema(value_type = String, format = DateTime)]
    pub at: jiff::Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<jiff::Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub used_at: Option<jiff::Timestamp>,
}

/// Everything held about a person, ready for review and release.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccessBundle {
    pub person: Person,
    pub households: Vec<HouseholdPart>,
    pub tenancies: Vec<Tenancy>,
    pub contacts: Vec<ContactEntry>,
    pub records: Vec<RecordPart>,
    pub consents: Vec<ConsentRecord>,
    pub requests: Vec<RightsRequest>,
    pub access_log: Vec<AccessLogEntry>,
    /// Each disclosure of the person's data outside the council: to whom, when, what, why.
    pub disclosures: Vec<hearth_core::rights::Disclosure>,
    /// One Login accounts linked to the record and codes issued for linking.
    pub sign_in: Vec<SignInPart>,
    pub supplementary: SupplementaryInformation,
    pub withheld: Vec<Withheld>,
    #[schema(value_type = String, format = DateTime)]
    pub compiled_at: jiff::Timestamp,
}

/// Why another member's details stay out of a person's bundle.
const THIRD_PARTY: &str = "Other people's data: withheld unless they consent or disclosure is reasonable (UK GDPR Art 15(4), DPA 2018 Sch 2 para 16; the ICO's three-step test)";

/// The most audit events a bundle lists; older ones are summarised by the count.
const ACCESS_LOG_LIMIT: i64 = 10_000;

impl Hearth {
    /// Compiles everything held about a person for an access request. For those who work
    /// rights requests; the compilation is audited.
    pub async fn compile_access_bundle(
        &self,
        caller: &Caller,
        person_id: Uuid,
    ) -> Result<AccessBundle> {
        self.require_admin(caller, AdminAction::HandleRightsRequests)
            .await?;
        let (bundle, _) = self.gather_bundle(person_id).await?;
        let mut event = self.event(caller, "rights.access_compiled".into());
        event.person_ids = vec![person_id];
        event.record_type = Some("person_record".into());
        event.record_ids = vec![person_id.to_string()];
        event.reason = Some(format!(
            "{} contacts, {} records, {} withheld",
            bundle.contacts.len(),
            bundle.records.len(),
            bundle.withheld.len()
        ));
        self.store.append_audit_events(&[event]).await?;
        tracing::info!(person = %person_id, withheld = bundle.withheld.len(), "access bundle compiled");
        Ok(bundle)
    }

    /// Everything held about a person, and the other people whose data was withheld from it
    /// (for the review's checks); not audited: callers audit the use they make of it.
    pub(super) async fn gather_bundle(
        &self,
        person_id: Uuid,
    ) -> Result<(AccessBundle, BTreeSet<Uuid>)> {
        let person = self
            .store
            .get_person(person_id)
            .await?
            .ok_or(ServiceError::NotFound("person"))?;
        let mut withheld = Vec::new();
        let mut others = BTreeSet::new();
        let mut record_types: Vec<String> = vec!["person_record".into()];

        let mut households = Vec::new();
        let mut tenancies = Vec::new();
        let query = HouseholdQuery {
            person_id: Some(person_id),
            ..HouseholdQuery::default()
        };
        for household in all_pages(|page| self.store.list_households(&query, page)).await? {
            let (own, theirs): (Vec<Membership>, Vec<Membership>) = household
                .members
                .iter()
                .cloned()
                .partition(|m| m.fields.person_id == person_id);
            let other_people: BTreeSet<Uuid> = theirs.iter().map(|m| m.fields.person_id).collect();
            others.extend(other_people.iter().copied());
            if !other_people.is_empty() {
                withheld.push(Withheld {
                    section: "households".into(),
                    record_id: household.id,
                    what: format!(
                        "{} other member(s) of the household and their memberships",
                        other_people.len()
                    ),
                    reason: THIRD_PARTY.into(),
                });
            }
            let tenancy_query = TenancyQuery {
                household_id: Some(household.id),
                ..TenancyQuery::default()
            };
            tenancies
                .extend(all_pages(|page| self.store.list_tenancies(&tenancy_query, page)).await?);
            households.push(HouseholdPart {
                id: household.id,
                name: household.fields.name.clone(),
                memberships: own,
            });
        }
        if !households.is_empty() {
            record_types.push("household".into());
        }
        if !tenancies.is_empty() {
            record_types.push("tenancy_file".into());
        }

        let contact_query = ContactQuery {
            person_id: Some(person_id),
            ..ContactQuery::default()
        };
        let contacts = all_pages(|page| self.store.list_contacts(&contact_query, page)).await?;
        if !contacts.is_empty() {
            record_types.push("contact_log".into());
        }

        let filed = self
            .store
            .list_filed_records(None, Some(person_id), 100_000)
            .await?;
        let ids: Vec<Uuid> = filed.iter().map(|r| r.id).collect();
        let mut media = self.store.media_of_records(&ids).await?;
        let mut records = Vec::with_capacity(filed.len());
        for record in filed {
            record_types.push(record.fields.record_type.clone());
            let media = media.remove(&record.id).unwrap_or_default();
            records.push(RecordPart { record, media });
        }

        let consents = self.store.consent_history(person_id).await?;
        let requests = self
            .store
            .list_rights_requests(
                &hearth_store::RequestQuery {
                    person_id: Some(person_id),
                    ..Default::default()
                },
                10_000,
            )
            .await?;
        let access_log: Vec<AccessLogEntry> = self
            .store
            .audit_for_person(person_id, ACCESS_LOG_LIMIT)
            .await?
            .into_iter()
            .map(|e| AccessLogEntry {
                at: e.event.at,
                actor: e.event.actor,
                purpose: e.event.purpose,
                action: e.event.action,
                decision: e.event.decision,
                record_type: e.event.record_type,
            })
            .collect();
        let disclosures = self.store.disclosures_of(person_id).await?;
        let mut sign_in: Vec<SignInPart> = self
            .store
            .resident_accounts_of(person_id)
            .await?
            .into_iter()
            .map(|a| SignInPart {
                kind: "one_login_account".into(),
                detail: format!("{} {}", a.issuer, a.subject),
                at: a.linked_at,
                expires_at: None,
                used_at: None,
            })
            .collect();
        sign_in.extend(
            self.store
                .link_codes_of(person_id)
                .await?
                .into_iter()
                .map(|c| SignInPart {
                    kind: "link_code".into(),
                    detail: format!("issued by {}", c.issued_by),
                    at: c.issued_at,
                    expires_at: Some(c.expires_at),
                    used_at: c.used_at,
                }),
        );
        let disclosed: Vec<String> = disclosures.iter().map(|d| d.recipient.clone()).collect();
        let supplementary = supplementary_information(&self.register, &record_types, &disclosed);

        let bundle = AccessBundle {
            person,
            households,
            tenancies,
            contacts,
            records,
            consents,
            requests,
            access_log,
            disclosures,
            sign_in,
            supplementary,
            withheld,
            compiled_at: self.now(),
        };
        Ok((bundle, others))
    }
}

/// Every item of a paged listing, page by page.
pub(super) async fn all_pages<T, F, Fut>(mut fetch: F) -> Result<Vec<T>>
where
    F: FnMut(Page) -> Fut,
    Fut: std::future::Future<Output = hearth_store::Result<hearth_store::Paged<T>>>,
{
    let mut out = Vec::new();
    let mut number = 1;
    loop {
        let page = fetch(Page::new(number, Page::MAX_SIZE)).await?;
        let done = page.items.len() < Page::MAX_SIZE as usize;
        out.extend(page.items);
        if done {
            return Ok(out);
        }
        number += 1;
    }
}
