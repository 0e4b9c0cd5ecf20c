//! The homes a signed-in resident may report a repair for: those of their households'
//! current tenancies.

use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::actor::Actor;
use hearth_policy::RecordAction;
use uuid::Uuid;

/// A home, as the resident's report form lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentHome {
    pub property_id: Uuid,
    /// The address on one line: `12 Fenton Road, Huddersfield, HD1 3AB`.
    pub address: String,
}

impl Hearth {
    /// The calling resident's current homes. Reading them is reading the resident's own record
    /// for the caller's purpose, so it passes the gate and is audited.
    pub async fn resident_homes(&self, caller: &Caller) -> Result<Vec<ResidentHome>> {
        let Actor::Resident(person) = caller.actor() else {
            return Err(ServiceError::Forbidden(
                "only a resident has homes here".into(),
            ));
        };
        let person_id: Uuid = person
            .parse()
            .map_err(|_| ServiceError::Forbidden("not a resident".into()))?;
        let person = self
            .store
            .get_person(person_id)
            .await?
            .ok_or(ServiceError::NotFound("person"))?;
        self.admit_read(caller, RecordAction::Read, vec![person])
            .await?;
        let mut homes: Vec<ResidentHome> = Vec::new();
        for property_id in self.current_homes(person_id).await? {
            let Some(property) = self.store.get_property(property_id).await? else {
                continue;
            };
            let a = &property.fields.address;
            let address = [
                Some(a.line1.clone()),
                a.line2.clone(),
                a.line3.clone(),
                a.line4.clone(),
                a.town.clone(),
                Some(a.postcode.to_string()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            homes.push(ResidentHome {
                property_id,
                address,
            });
        }
        Ok(homes)
    }

    /// A person's homes today: the properties of the current tenancies of the households the
    /// person currently belongs to, each once. A former member of a household (their
    /// membership ended) no longer has its homes, though the household still does.
    pub(crate) async fn current_homes(&self, person_id: Uuid) -> Result<Vec<Uuid>> {
        let today = self.today();
        let households = self
            .store
            .list_households(
                &hearth_store::HouseholdQuery {
                    person_id: Some(person_id),
                    ..Default::default()
                },
                hearth_store::Page::new(1, 50),
            )
            .await?;
        let mut properties = Vec::new();
        for household in households.items {
            let belongs_today = household.members.iter().any(|m| {
                m.fields.person_id == person_id
                    && m.fields.start_date <= today
                    && m.fields.end_date.is_none_or(|end| end >= today)
            });
            if !belongs_today {
                continue;
            }
            let tenancies = self
                .store
                .list_tenancies(
                    &hearth_store::TenancyQuery {
                        household_id: Some(household.id),
                        current_on: Some(today),
                        ..Default::default()
                    },
                    hearth_store::Page::new(1, 50),
                )
                .await?;
            for tenancy in tenancies.items {
                if !properties.contains(&tenancy.fields.property_id) {
                    properties.push(tenancy.fields.property_id);
                }
            }
        }
        Ok(properties)
    }
}
