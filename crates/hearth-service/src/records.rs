//! People, properties, households, tenancies and the contact log: create, read, update, list.
//! Updates take the version the caller last saw, when it has one, so edits are never lost.
//! Every call goes through the policy gate and leaves an audit event.

use crate::access::{Caller, Guarded, Visible};
use crate::{Hearth, RecordChange, Result, ServiceError};
use hearth_core::audit::AuditEvent;
use hearth_core::identifiers::{NiNumber, Postcode, Uprn};
use hearth_core::records::*;
use hearth_policy::RecordAction;
use hearth_store::{
    ContactQuery, HouseholdQuery, Page, Paged, PersonQuery, PropertyQuery, TenancyQuery,
};
use uuid::Uuid;

/// A contact as logged, with what its text says about other people.
#[derive(Debug, Clone)]
pub struct LoggedContact {
    pub entry: Visible<ContactEntry>,
    /// Passages of the reason or summary about someone other than the person (their label and
    /// place; the officer sees the note itself).
    pub others_named: Vec<crate::rights::ProposedRedaction>,
}

impl Hearth {
    /// Admits a new or changed record for writing: the audit event goes into the store with it.
    async fn admit_write<T: Guarded>(
        &self,
        caller: &Caller,
        action: RecordAction,
        record: T,
    ) -> Result<(Visible<T>, AuditEvent)> {
        let mut admission = self.admit(caller, action, vec![record]).await?;
        let visible = admission
            .visible
            .pop()
            .ok_or_else(|| ServiceError::Forbidden("nothing to write".to_string()))?;
        Ok((visible, admission.event))
    }

    /// Reads one record through the gate.
    async fn read_one<T: Guarded>(&self, caller: &Caller, record: T) -> Result<Visible<T>> {
        self.admit_read(caller, RecordAction::Read, vec![record])
            .await?
            .pop()
            .ok_or_else(|| ServiceError::Forbidden("no policy allows this".to_string()))
    }

    /// Reads a page through the gate: records the caller may see nothing of are left out.
    async fn search<T: Guarded>(
        &self,
        caller: &Caller,
        page: Paged<T>,
    ) -> Result<Paged<Visible<T>>> {
        self.purpose_of(caller)?;
        let items = self
            .admit_read(caller, RecordAction::Search, page.items)
            .await?;
        Ok(Paged {
            items,
            page: page.page,
            per_page: page.per_page,
            total: page.total,
        })
    }

    pub async fn create_person(
        &self,
        caller: &Caller,
        input: &PersonInput,
    ) -> Result<Visible<Person>> {
        let fields = input.validate(self.today())?;
        let now = self.now();
        let person = Person {
            id: Uuid::now_v7(),
            fields,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let (_, event) = self
            .admit_write(caller, RecordAction::Create, person.clone())
            .await?;
        self.store
            .insert_person(&person, &event)
            .await
            .map_err(|e| duplicate_as_field(e, "external_ref"))?;
        self.read_one(caller, person).await
    }

    async fn person_record(&self, id: Uuid) -> Result<Person> {
        self.store
            .get_person(id)
            .await?
            .ok_or(ServiceError::NotFound("person"))
    }

    pub async fn get_person(&self, caller: &Caller, id: Uuid) -> Result<Visible<Person>> {
        self.purpose_of(caller)?;
        let person = self.person_record(id).await?;
        self.read_one(caller, person).await
    }

    /// Changes the fields `change` names and keeps the rest. Only the field groups the change
    /// names are put to the gate, before any value is looked at, so a caller who may not see
    /// or write a group (the equality answers, say) changes the others without touching it,
    /// and naming a group they may not write is refused whole.
    pub async fn update_person(
        &self,
        caller: &Caller,
        id: Uuid,
        change: &RecordChange,
        expected_version: Option<i64>,
    ) -> Result<Visible<Person>> {
        self.purpose_of(caller)?;
        let current = self.person_record(id).await?;
        let expected = expected_version.unwrap_or(current.version);
        if expected != current.version {
            return Err(hearth_store::StoreError::VersionConflict { expected }.into());
        }
        let admission = self.admit_change(caller, &current, change.names()).await?;
        let input: PersonInput = change.apply(&current.fields)?;
        let fields = input.validate(self.today())?;
        let person = Person {
            fields,
            updated_at: self.now(),
            version: expected + 1,
            ..current
        };
        self.store
            .update_person(&person, expected, &admission.event)
            .await
            .map_err(|e| duplicate_as_field(e, "external_ref"))?;
        self.read_one(caller, person).await
    }

    pub async fn list_people(
        &self,
        caller: &Caller,
        query: &PersonQuery,
        page: Page,
    ) -> Result<Paged<Visible<Person>>> {
        self.purpose_of(caller)?;
        let mut query = query.clone();
        // Searches use the stored forms, so "ab 12 34 56 c" finds AB123456C.
        query.ni_number = stored_form::<NiNumber>("ni_number", &query.ni_number)?;
        query.postcode = stored_form::<Postcode>("postcode", &query.postcode)?;
        query.uprn = stored_form::<Uprn>("uprn", &query.uprn)?;
        query.visible = self.admit_person_search(caller, &query).await?;
        let found = self.store.list_people(&query, page).await?;
        self.search(caller, found).await
    }

    pub async fn create_property(
        &self,
        caller: &Caller,
        input: &PropertyInput,
    ) -> Result<Visible<Property>> {
        let fields = input.validate()?;
        let now = self.now();
        let property = Property {
            id: Uuid::now_v7(),
            fields,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let (visible, event) = self
            .admit_write(caller, RecordAction::Create, property.clone())
            .await?;
        self.store
            .insert_property(&property, &event)
            .await
            .map_err(|e| duplicate_as_field(e, "uprn"))?;
        Ok(visible)
    }

    async fn property_record(&self, id: Uuid) -> Result<Property> {
        self.store
            .get_property(id)
            .await?
            .ok_or(ServiceError::NotFound("property"))
    }

    pub async fn get_property(&self, caller: &Caller, id: Uuid) -> Result<Visible<Property>> {
        self.purpose_of(caller)?;
        let property = self.property_record(id).await?;
        self.read_one(caller, property).await
    }

    pub async fn update_property(
        &self,
        caller: &Caller,
        id: Uuid,
        input: &PropertyInput,
        expected_version: Option<i64>,
    ) -> Result<Visible<Property>> {
        self.purpose_of(caller)?;
        let current = self.property_record(id).await?;
        let fields = input.validate()?;
        let expected = expected_version.unwrap_or(current.version);
        let property = Property {
            fields,
            updated_at: self.now(),
            version: expected + 1,
            ..current
        };
        let (visible, event) = self
            .admit_write(caller, RecordAction::Update, property.clone())
            .await?;
        self.store
            .update_property(&property, expected, &event)
            .await
            .map_err(|e| duplicate_as_field(e, "uprn"))?;
        Ok(visible)
    }

    pub async fn list_properties(
        &self,
        caller: &Caller,
        query: &PropertyQuery,
        page: Page,
    ) -> Result<Paged<Visible<Property>>> {
        self.purpose_of(caller)?;
        let mut query = query.clone();
        query.postcode = stored_form::<Postcode>("postcode", &query.postcode)?;
        query.uprn = stored_form::<Uprn>("uprn", &query.uprn)?;
        let found = self.store.list_properties(&query, page).await?;
        self.search(caller, found).await
    }

    pub async fn create_household(
        &self,
        caller: &Caller,
        input: &HouseholdInput,
    ) -> Result<Visible<Household>> {
        let fields = input.validate()?;
        let now = self.now();
        let household = Household {
            id: Uuid::now_v7(),
            fields,
            members: vec![],
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let (visible, event) = self
            .admit_write(caller, RecordAction::Create, household.clone())
            .await?;
        self.store
            .insert_household(&household, &event)
            .await
            .map_err(|e| duplicate_as_field(e, "external_ref"))?;
        Ok(visible)
    }

    async fn household_record(&self, id: Uuid) -> Result<Household> {
        self.store
            .get_household(id)
            .await?
            .ok_or(ServiceError::NotFound("household"))
    }

    pub async fn get_household(&self, caller: &Caller, id: Uuid) -> Result<Visible<Household>> {
        self.purpose_of(caller)?;
        let household = self.household_record(id).await?;
        self.read_one(caller, household).await
    }

    pub async fn update_household(
        &self,
        caller: &Caller,
        id: Uuid,
        input: &HouseholdInput,
        expected_version: Option<i64>,
    ) -> Result<Visible<Household>> {
        self.purpose_of(caller)?;
        let current = self.household_record(id).await?;
        let fields = input.validate()?;
        let expected = expected_version.unwrap_or(current.version);
        let household = Household {
            fields,
            updated_at: self.now(),
            version: expected + 1,
            ..current
        };
        let (visible, event) = self
            .admit_write(caller, RecordAction::Update, household.clone())
            .await?;
        self.store
            .update_household(&household, expected, &event)
            .await
            .map_err(|e| duplicate_as_field(e, "external_ref"))?;
        Ok(visible)
    }

    pub async fn list_households(
        &self,
        caller: &Caller,
        query: &HouseholdQuery,
        page: Page,
    ) -> Result<Paged<Visible<Household>>> {
        self.purpose_of(caller)?;
        let found = self.store.list_households(query, page).await?;
        self.search(caller, found).await
    }

    /// Adds a person to a household. A person cannot hold two open memberships of one household.
    pub async fn add_member(
        &self,
        caller: &Caller,
        household_id: Uuid,
        input: &MembershipInput,
    ) -> Result<Visible<Household>> {
        self.purpose_of(caller)?;
        let household = self.household_record(household_id).await?;
        let fields = input.validate()?;
        if self.store.get_person(fields.person_id).await?.is_none() {
            return Err(ServiceError::field("person_id", "no person has this id"));
        }
        let membership = Membership {
            id: Uuid::now_v7(),
            household_id,
            fields,
        };
        check_one_open_membership(&household, &membership)?;
        let (_, mut event) = self
            .admit_write(caller, RecordAction::Update, household.clone())
            .await?;
        event.action = "household.member_added".to_string();
        event.person_ids = vec![membership.fields.person_id];
        self.store.insert_membership(&membership, &event).await?;
        self.touch_household(caller, household).await
    }

    /// A change of membership is a change of the household: its version moves on, so a client
    /// holding the old version learns that the household changed.
    async fn touch_household(
        &self,
        caller: &Caller,
        household: Household,
    ) -> Result<Visible<Household>> {
        let expected = household.version;
        let touched = Household {
            updated_at: self.now(),
            version: expected + 1,
            ..household
        };
        let (_, event) = self
            .admit_write(caller, RecordAction::Update, touched.clone())
            .await?;
        self.store
            .update_household(&touched, expected, &event)
            .await?;
        let reread = self.household_record(touched.id).await?;
        self.read_one(caller, reread).await
    }

    /// Changes a membership, typically to record when the person left; history is kept.
    pub async fn update_member(
        &self,
        caller: &Caller,
        household_id: Uuid,
        membership_id: Uuid,
        input: &MembershipInput,
    ) -> Result<Visible<Household>> {
        self.purpose_of(caller)?;
        let existing = self
            .store
            .get_membership(membership_id)
            .await?
            .filter(|m| m.household_id == household_id)
            .ok_or(ServiceError::NotFound("membership"))?;
        let fields = input.validate()?;
        if fields.person_id != existing.fields.person_id {
            return Err(ServiceError::field(
                "person_id",
                "cannot change: end this membership and add a new one",
            ));
        }
        let household = self.household_record(household_id).await?;
        let membership = Membership { fields, ..existing };
        check_one_open_membership(&household, &membership)?;
        let (_, mut event) = self
            .admit_write(caller, RecordAction::Update, household.clone())
            .await?;
        event.action = "household.member_changed".to_string();
        event.person_ids = vec![membership.fields.person_id];
        self.store.update_membership(&membership, &event).await?;
        self.touch_household(caller, household).await
    }

    async fn check_tenancy_refs(&self, fields: &TenancyFields) -> Result<()> {
        let mut errors = hearth_core::FieldErrors::new();
        if self
            .store
            .get_household(fields.household_id)
            .await?
            .is_none()
        {
            errors.add("household_id", "no household has this id");
        }
        if self.store.get_property(fields.property_id).await?.is_none() {
            errors.add("property_id", "no property has this id");
        }
        errors.finish(()).map_err(ServiceError::Invalid)
    }

    pub async fn create_tenancy(
        &self,
        caller: &Caller,
        input: &TenancyInput,
    ) -> Result<Visible<Tenancy>> {
        self.purpose_of(caller)?;
        let fields = input.validate()?;
        self.check_tenancy_refs(&fields).await?;
        let now = self.now();
        let tenancy = Tenancy {
            id: Uuid::now_v7(),
            fields,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let (visible, event) = self
            .admit_write(caller, RecordAction::Create, tenancy.clone())
            .await?;
        self.store
            .insert_tenancy(&tenancy, &event)
            .await
            .map_err(|e| duplicate_as_field(e, "external_ref"))?;
        Ok(visible)
    }

    async fn tenancy_record(&self, id: Uuid) -> Result<Tenancy> {
        self.store
            .get_tenancy(id)
            .await?
            .ok_or(ServiceError::NotFound("tenancy"))
    }

    pub async fn get_tenancy(&self, caller: &Caller, id: Uuid) -> Result<Visible<Tenancy>> {
        self.purpose_of(caller)?;
        let tenancy = self.tenancy_record(id).await?;
        self.read_one(caller, tenancy).await
    }

    pub async fn update_tenancy(
        &self,
        caller: &Caller,
        id: Uuid,
        input: &TenancyInput,
        expected_version: Option<i64>,
    ) -> Result<Visible<Tenancy>> {
        self.purpose_of(caller)?;
        let current = self.tenancy_record(id).await?;
        let fields = input.validate()?;
        self.check_tenancy_refs(&fields).await?;
        let expected = expected_version.unwrap_or(current.version);
        let moving = current.fields.household_id != fields.household_id;
        let tenancy = Tenancy {
            fields,
            updated_at: self.now(),
            version: expected + 1,
            ..current.clone()
        };
        // Moving a tenancy to another household changes both households' records: the caller
        // must be allowed to change the tenancy as it is (its household's controls, such as a
        // member's restriction) as well as the tenancy as it will be.
        let records = if moving {
            vec![current, tenancy.clone()]
        } else {
            vec![tenancy.clone()]
        };
        let mut admission = self.admit(caller, RecordAction::Update, records).await?;
        let visible = admission
            .visible
            .pop()
            .ok_or_else(|| ServiceError::Forbidden("nothing to write".to_string()))?;
        let event = admission.event;
        self.store
            .update_tenancy(&tenancy, expected, &event)
            .await
            .map_err(|e| duplicate_as_field(e, "external_ref"))?;
        Ok(visible)
    }

    pub async fn list_tenancies(
        &self,
        caller: &Caller,
        query: &TenancyQuery,
        page: Page,
    ) -> Result<Paged<Visible<Tenancy>>> {
        self.purpose_of(caller)?;
        let found = self.store.list_tenancies(query, page).await?;
        self.search(caller, found).await
    }

    pub async fn create_contact(
        &self,
        caller: &Caller,
        input: &ContactEntryInput,
    ) -> Result<Visible<ContactEntry>> {
        Ok(self.log_contact(caller, input).await?.entry)
    }

    /// Logs a contact and flags what its reason and summary say about anyone other than the
    /// person it is logged against (a neighbour's name, a relative's phone number), found by
    /// the redaction engine as it is saved: the officer is told at once, the audit event
    /// records which kinds of data (never the text), and an access response will propose
    /// redacting them.
    pub async fn log_contact(
        &self,
        caller: &Caller,
        input: &ContactEntryInput,
    ) -> Result<LoggedContact> {
        self.purpose_of(caller)?;
        let now = self.now();
        let fields = input.validate(now)?;
        let Some(person) = self.store.get_person(fields.person_id).await? else {
            return Err(ServiceError::field("person_id", "no person has this id"));
        };
        let entry = ContactEntry {
            id: Uuid::now_v7(),
            fields,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let (visible, mut event) = self
            .admit_write(caller, RecordAction::Create, entry.clone())
            .await?;
        let others = crate::rights::others_named(&person, &entry);
        if !others.is_empty() {
            let mut labels: Vec<&str> = others.iter().map(|o| o.label.as_str()).collect();
            labels.sort();
            labels.dedup();
            event.reason = Some(format!("names others: {}", labels.join(", ")));
        }
        self.store.insert_contact(&entry, &event).await?;
        Ok(LoggedContact {
            entry: visible,
            others_named: others,
        })
    }

    async fn contact_record(&self, id: Uuid) -> Result<ContactEntry> {
        self.store
            .get_contact(id)
            .await?
            .ok_or(ServiceError::NotFound("contact"))
    }

    pub async fn get_contact(&self, caller: &Caller, id: Uuid) -> Result<Visible<ContactEntry>> {
        self.purpose_of(caller)?;
        let entry = self.contact_record(id).await?;
        self.read_one(caller, entry).await
    }

    pub async fn update_contact(
        &self,
        caller: &Caller,
        id: Uuid,
        input: &ContactEntryInput,
        expected_version: Option<i64>,
    ) -> Result<Visible<ContactEntry>> {
        self.purpose_of(caller)?;
        let current = self.contact_record(id).await?;
        let now = self.now();
        // A correction that leaves out the time keeps when the contact happened.
        let mut input = input.clone();
        if input
            .occurred_at
            .as_deref()
            .is_none_or(|t| t.trim().is_empty())
        {
            input.occurred_at = Some(current.fields.occurred_at.to_string());
        }
        let fields = input.validate(now)?;
        if fields.person_id != current.fields.person_id {
            return Err(ServiceError::field(
                "person_id",
                "cannot move a contact to another person",
            ));
        }
        let expected = expected_version.unwrap_or(current.version);
        let entry = ContactEntry {
            fields,
            updated_at: now,
            version: expected + 1,
            ..current
        };
        let (visible, event) = self
            .admit_write(caller, RecordAction::Update, entry.clone())
            .await?;
        self.store.update_contact(&entry, expected, &event).await?;
        Ok(visible)
    }

    pub async fn list_contacts(
        &self,
        caller: &Caller,
        query: &ContactQuery,
        page: Page,
    ) -> Result<Paged<Visible<ContactEntry>>> {
        self.purpose_of(caller)?;
        if let Some(channel) = &query.channel {
            channel
                .parse::<ContactChannel>()
                .map_err(|e| ServiceError::field("channel", e))?;
        }
        let found = self.store.list_contacts(query, page).await?;
        self.search(caller, found).await
    }
}

/// A search value in the form identifiers are stored in, so that "ab 12 34 56 c" finds
/// AB123456C; an impossible value is the caller's to fix.
fn stored_form<T>(field: &str, raw: &Option<String>) -> Result<Option<String>>
where
    T: std::str::FromStr + ToString,
    T::Err: std::fmt::Display,
{
    raw.as_deref()
        .map(|value| {
            value
                .parse::<T>()
                .map(|v| v.to_string())
                .map_err(|e| ServiceError::field(field, e.to_string()))
        })
        .transpose()
}

/// A person holds at most one open membership of a household at a time.
fn check_one_open_membership(household: &Household, membership: &Membership) -> Result<()> {
    let other_open = household.members.iter().any(|m| {
        m.id != membership.id
            && m.fields.person_id == membership.fields.person_id
            && m.fields.end_date.is_none()
    });
    if other_open && membership.fields.end_date.is_none() {
        return Err(ServiceError::field(
            "person_id",
            "is already a current member of this household",
        ));
    }
    Ok(())
}

/// A unique-key clash on create or update is the caller's to fix: report it on the key field.
fn duplicate_as_field(err: hearth_store::StoreError, field: &str) -> ServiceError {
    match err {
        hearth_store::StoreError::Duplicate(_) => {
            ServiceError::field(field, "another record already has this value")
        }
        other => other.into(),
    }
}
