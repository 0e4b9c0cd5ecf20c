//! People, properties, households, tenancies and the contact log: create, read, update, list.
//! Updates take the version the caller last saw, when it has one, so edits are never lost.

use crate::{Hearth, Result, ServiceError};
use hearth_core::identifiers::{NiNumber, Postcode, Uprn};
use hearth_core::records::*;
use hearth_store::{
    ContactQuery, HouseholdQuery, Page, Paged, PersonQuery, PropertyQuery, TenancyQuery,
};
use uuid::Uuid;

impl Hearth {
    pub async fn create_person(&self, input: &PersonInput) -> Result<Person> {
        let fields = input.validate(self.today())?;
        let now = self.now();
        let person = Person {
            id: Uuid::now_v7(),
            fields,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        self.store
            .insert_person(&person)
            .await
            .map_err(|e| duplicate_as_field(e, "external_ref"))?;
        Ok(person)
    }

    pub async fn get_person(&self, id: Uuid) -> Result<Person> {
        self.store
            .get_person(id)
            .await?
            .ok_or(ServiceError::NotFound("person"))
    }

    pub async fn update_person(
        &self,
        id: Uuid,
        input: &PersonInput,
        expected_version: Option<i64>,
    ) -> Result<Person> {
        let current = self.get_person(id).await?;
        let fields = input.validate(self.today())?;
        let expected = expected_version.unwrap_or(current.version);
        let person = Person {
            fields,
            updated_at: self.now(),
            version: expected + 1,
            ..current
        };
        self.store
            .update_person(&person, expected)
            .await
            .map_err(|e| duplicate_as_field(e, "external_ref"))?;
        Ok(person)
    }

    pub async fn list_people(&self, query: &PersonQuery, page: Page) -> Result<Paged<Person>> {
        let mut query = query.clone();
        // Searches use the stored forms, so "ab 12 34 56 c" finds AB123456C.
        query.ni_number = stored_form::<NiNumber>("ni_number", &query.ni_number)?;
        query.postcode = stored_form::<Postcode>("postcode", &query.postcode)?;
        query.uprn = stored_form::<Uprn>("uprn", &query.uprn)?;
        Ok(self.store.list_people(&query, page).await?)
    }

    pub async fn create_property(&self, input: &PropertyInput) -> Result<Property> {
        let fields = input.validate()?;
        let now = self.now();
        let property = Property {
            id: Uuid::now_v7(),
            fields,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        self.store
            .insert_property(&property)
            .await
            .map_err(|e| duplicate_as_field(e, "uprn"))?;
        Ok(property)
    }

    pub async fn get_property(&self, id: Uuid) -> Result<Property> {
        self.store
            .get_property(id)
            .await?
            .ok_or(ServiceError::NotFound("property"))
    }

    pub async fn update_property(
        &self,
        id: Uuid,
        input: &PropertyInput,
        expected_version: Option<i64>,
    ) -> Result<Property> {
        let current = self.get_property(id).await?;
        let fields = input.validate()?;
        let expected = expected_version.unwrap_or(current.version);
        let property = Property {
            fields,
            updated_at: self.now(),
            version: expected + 1,
            ..current
        };
        self.store
            .update_property(&property, expected)
            .await
            .map_err(|e| duplicate_as_field(e, "uprn"))?;
        Ok(property)
    }

    pub async fn list_properties(
        &self,
        query: &PropertyQuery,
        page: Page,
    ) -> Result<Paged<Property>> {
        let mut query = query.clone();
        query.postcode = stored_form::<Postcode>("postcode", &query.postcode)?;
        query.uprn = stored_form::<Uprn>("uprn", &query.uprn)?;
        Ok(self.store.list_properties(&query, page).await?)
    }

    pub async fn create_household(&self, input: &HouseholdInput) -> Result<Household> {
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
        self.store
            .insert_household(&household)
            .await
            .map_err(|e| duplicate_as_field(e, "external_ref"))?;
        Ok(household)
    }

    pub async fn get_household(&self, id: Uuid) -> Result<Household> {
        self.store
            .get_household(id)
            .await?
            .ok_or(ServiceError::NotFound("household"))
    }

    pub async fn update_household(
        &self,
        id: Uuid,
        input: &HouseholdInput,
        expected_version: Option<i64>,
    ) -> Result<Household> {
        let current = self.get_household(id).await?;
        let fields = input.validate()?;
        let expected = expected_version.unwrap_or(current.version);
        let household = Household {
            fields,
            updated_at: self.now(),
            version: expected + 1,
            ..current
        };
        self.store
            .update_household(&household, expected)
            .await
            .map_err(|e| duplicate_as_field(e, "external_ref"))?;
        Ok(household)
    }

    pub async fn list_households(
        &self,
        query: &HouseholdQuery,
        page: Page,
    ) -> Result<Paged<Household>> {
        Ok(self.store.list_households(query, page).await?)
    }

    /// Adds a person to a household. A person cannot hold two open memberships of one household.
    pub async fn add_member(
        &self,
        household_id: Uuid,
        input: &MembershipInput,
    ) -> Result<Household> {
        let household = self.get_household(household_id).await?;
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
        self.store.insert_membership(&membership).await?;
        self.touch_household(household).await
    }

    /// A change of membership is a change of the household: its version moves on, so a client
    /// holding the old version learns that the household changed.
    async fn touch_household(&self, household: Household) -> Result<Household> {
        let expected = household.version;
        let touched = Household {
            updated_at: self.now(),
            version: expected + 1,
            ..household
        };
        self.store.update_household(&touched, expected).await?;
        self.get_household(touched.id).await
    }

    /// Changes a membership, typically to record when the person left; history is kept.
    pub async fn update_member(
        &self,
        household_id: Uuid,
        membership_id: Uuid,
        input: &MembershipInput,
    ) -> Result<Household> {
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
        let household = self.get_household(household_id).await?;
        let membership = Membership { fields, ..existing };
        check_one_open_membership(&household, &membership)?;
        self.store.update_membership(&membership).await?;
        self.touch_household(household).await
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

    pub async fn create_tenancy(&self, input: &TenancyInput) -> Result<Tenancy> {
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
        self.store
            .insert_tenancy(&tenancy)
            .await
            .map_err(|e| duplicate_as_field(e, "external_ref"))?;
        Ok(tenancy)
    }

    pub async fn get_tenancy(&self, id: Uuid) -> Result<Tenancy> {
        self.store
            .get_tenancy(id)
            .await?
            .ok_or(ServiceError::NotFound("tenancy"))
    }

    pub async fn update_tenancy(
        &self,
        id: Uuid,
        input: &TenancyInput,
        expected_version: Option<i64>,
    ) -> Result<Tenancy> {
        let current = self.get_tenancy(id).await?;
        let fields = input.validate()?;
        self.check_tenancy_refs(&fields).await?;
        let expected = expected_version.unwrap_or(current.version);
        let tenancy = Tenancy {
            fields,
            updated_at: self.now(),
            version: expected + 1,
            ..current
        };
        self.store
            .update_tenancy(&tenancy, expected)
            .await
            .map_err(|e| duplicate_as_field(e, "external_ref"))?;
        Ok(tenancy)
    }

    pub async fn list_tenancies(&self, query: &TenancyQuery, page: Page) -> Result<Paged<Tenancy>> {
        Ok(self.store.list_tenancies(query, page).await?)
    }

    pub async fn create_contact(&self, input: &ContactEntryInput) -> Result<ContactEntry> {
        let now = self.now();
        let fields = input.validate(now)?;
        if self.store.get_person(fields.person_id).await?.is_none() {
            return Err(ServiceError::field("person_id", "no person has this id"));
        }
        let entry = ContactEntry {
            id: Uuid::now_v7(),
            fields,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        self.store.insert_contact(&entry).await?;
        Ok(entry)
    }

    pub async fn get_contact(&self, id: Uuid) -> Result<ContactEntry> {
        self.store
            .get_contact(id)
            .await?
            .ok_or(ServiceError::NotFound("contact"))
    }

    pub async fn update_contact(
        &self,
        id: Uuid,
        input: &ContactEntryInput,
        expected_version: Option<i64>,
    ) -> Result<ContactEntry> {
        let current = self.get_contact(id).await?;
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
        self.store.update_contact(&entry, expected).await?;
        Ok(entry)
    }

    pub async fn list_contacts(
        &self,
        query: &ContactQuery,
        page: Page,
    ) -> Result<Paged<ContactEntry>> {
        if let Some(channel) = &query.channel {
            channel
                .parse::<ContactChannel>()
                .map_err(|e| ServiceError::field("channel", e))?;
        }
        Ok(self.store.list_contacts(query, page).await?)
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
