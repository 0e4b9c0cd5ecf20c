//! `tenancies.csv`: one tenancy per row, keyed by `external_ref`, naming its property by UPRN
//! and its tenants by their people `external_ref`s. A household is created the first time its
//! `household_ref` is seen, with the tenants and members as its members from the start date.

use super::people::row_errors;
use super::{Columns, RowError, RowKind};
use crate::Result;
use crate::access::Guarded;
use async_trait::async_trait;
use hearth_core::records::{
    Household, HouseholdFields, MemberRelationship, Membership, MembershipFields, Tenancy,
    TenancyFields, TenancyInput,
};
use hearth_store::{ImportSession, RefKind};
use jiff::Timestamp;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

#[derive(Clone)]
pub struct TenancyRows {
    now: Timestamp,
    /// Households created earlier in this import, by reference.
    households: HashMap<String, Uuid>,
    /// People resolved for the current batch, by external reference.
    people_cache: HashMap<String, Uuid>,
}

impl TenancyRows {
    pub fn new(now: Timestamp) -> Self {
        Self {
            now,
            households: HashMap::new(),
            people_cache: HashMap::new(),
        }
    }
}

pub struct TenancyRow {
    external_ref: String,
    uprn: String,
    household_ref: String,
    /// People by external reference, with how they belong to the household.
    members: Vec<(String, MemberRelationship)>,
    fields: TenancyFields,
}

#[async_trait]
impl RowKind for TenancyRows {
    type Row = TenancyRow;
    const REQUIRED: &'static [&'static str] = &[
        "external_ref",
        "uprn",
        "tenancy_type",
        "start_date",
        "lead_tenant_ref",
    ];
    const OPTIONAL: &'static [&'static str] = &[
        "end_date",
        "end_reason",
        "household_ref",
        "joint_tenant_refs",
        "member_refs",
    ];

    fn key(row: &TenancyRow) -> &str {
        &row.external_ref
    }

    fn ref_kind() -> RefKind {
        RefKind::Tenancy
    }

    fn parse(
        &self,
        cols: &Columns,
        r: &csv::StringRecord,
        line: u64,
    ) -> std::result::Result<TenancyRow, Vec<RowError>> {
        let mut errors = Vec::new();
        let error = |field: &str, reason: String| RowError {
            line,
            field: field.into(),
            reason,
        };
        let input = TenancyInput {
            external_ref: cols.opt(r, "external_ref"),
            household_id: Uuid::nil(),
            property_id: Uuid::nil(),
            tenancy_type: cols.text(r, "tenancy_type"),
            start_date: cols.text(r, "start_date"),
            end_date: cols.opt(r, "end_date"),
            end_reason: cols.opt(r, "end_reason"),
        };
        let fields = input.validate().map_err(|e| row_errors(line, e));
        let external_ref = cols.text(r, "external_ref");
        if external_ref.is_empty() {
            errors.push(error(
                "external_ref",
                "is required: it makes the import repeatable".into(),
            ));
        }
        let uprn = match cols
            .text(r, "uprn")
            .parse::<hearth_core::identifiers::Uprn>()
        {
            Ok(u) => u.to_string(),
            Err(e) => {
                errors.push(error("uprn", e.to_string()));
                String::new()
            }
        };
        let mut members = Vec::new();
        match cols.get(r, "lead_tenant_ref") {
            Some(lead) => members.push((lead.to_string(), MemberRelationship::LeadTenant)),
            None => errors.push(error("lead_tenant_ref", "is required".into())),
        }
        for joint in cols
            .get(r, "joint_tenant_refs")
            .unwrap_or("")
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            members.push((joint.to_string(), MemberRelationship::JointTenant));
        }
        for member in cols
            .get(r, "member_refs")
            .unwrap_or("")
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match member
                .split_once(':')
                .map(|(p, rel)| (p.trim(), rel.parse::<MemberRelationship>()))
            {
                Some((person, Ok(rel))) if !person.is_empty() => {
                    members.push((person.to_string(), rel))
                }
                Some((_, Err(reason))) => errors.push(error("member_refs", reason)),
                _ => errors.push(error(
                    "member_refs",
                    format!("'{member}' is not of the form person_ref:relationship"),
                )),
            }
        }
        let mut seen = HashSet::new();
        for (person, _) in &members {
            if !seen.insert(person) {
                errors.push(error("member_refs", format!("'{person}' is listed twice")));
            }
        }
        match fields {
            Ok(fields) if errors.is_empty() => Ok(TenancyRow {
                household_ref: cols
                    .opt(r, "household_ref")
                    .unwrap_or_else(|| format!("HH-{external_ref}")),
                external_ref,
                uprn,
                members,
                fields,
            }),
            Ok(_) => Err(errors),
            Err(mut field_errors) => {
                field_errors.extend(errors);
                Err(field_errors)
            }
        }
    }

    async fn resolve(
        &mut self,
        session: &mut dyn ImportSession,
        rows: &mut Vec<(u64, TenancyRow)>,
    ) -> Result<Vec<RowError>> {
        let uprns: Vec<String> = rows.iter().map(|(_, r)| r.uprn.clone()).collect();
        let properties = session.existing_refs(RefKind::PropertyUprn, &uprns).await?;
        let people_refs: Vec<String> = rows
            .iter()
            .flat_map(|(_, r)| r.members.iter().map(|(p, _)| p.clone()))
            .collect();
        let people = session.existing_refs(RefKind::Person, &people_refs).await?;
        let household_refs: Vec<String> = rows
            .iter()
            .map(|(_, r)| r.household_ref.clone())
            .filter(|h| !self.households.contains_key(h))
            .collect();
        let existing_households = session
            .existing_refs(RefKind::Household, &household_refs)
            .await?;
        self.households.extend(existing_households);
        let mut errors = Vec::new();
        rows.retain_mut(|(line, row)| {
            let mut ok = true;
            match properties.get(&row.uprn) {
                Some(id) => row.fields.property_id = *id,
                None => {
                    errors.push(RowError {
                        line: *line,
                        field: "uprn".into(),
                        reason: format!(
                            "no property has UPRN {}: import properties first",
                            row.uprn
                        ),
                    });
                    ok = false;
                }
            }
            for (person, _) in &row.members {
                if !people.contains_key(person) {
                    errors.push(RowError {
                        line: *line,
                        field: "tenants".into(),
                        reason: format!(
                            "no person has external_ref '{person}': import people first"
                        ),
                    });
                    ok = false;
                }
            }
            ok
        });
        self.people_cache = people;
        Ok(errors)
    }

    const ACTION: &'static str = "tenancy.import";

    /// A tenancy row writes the tenancy and, the first time its household appears, the household.
    fn writes(_row: &TenancyRow) -> crate::access::BulkWrite {
        let groups = Tenancy::GROUPS
            .iter()
            .map(|g| (Tenancy::RECORD_TYPE, g))
            .chain(
                Household::GROUPS
                    .iter()
                    .map(|g| (Household::RECORD_TYPE, g)),
            )
            .collect();
        (groups, None)
    }

    async fn insert(
        &mut self,
        session: &mut dyn ImportSession,
        rows: Vec<TenancyRow>,
    ) -> Result<()> {
        let mut households = Vec::new();
        let mut memberships = Vec::new();
        let mut tenancies = Vec::with_capacity(rows.len());
        for mut row in rows {
            let household_id = match self.households.get(&row.household_ref) {
                Some(id) => *id,
                None => {
                    let id = Uuid::now_v7();
                    self.households.insert(row.household_ref.clone(), id);
                    households.push(Household {
                        id,
                        fields: HouseholdFields {
                            external_ref: Some(row.household_ref.clone()),
                            name: None,
                        },
                        members: vec![],
                        created_at: self.now,
                        updated_at: self.now,
                        version: 1,
                    });
                    for (person, relationship) in &row.members {
                        if let Some(person_id) = self.people_cache.get(person) {
                            memberships.push(Membership {
                                id: Uuid::now_v7(),
                                household_id: id,
                                fields: MembershipFields {
                                    person_id: *person_id,
                                    relationship: *relationship,
                                    start_date: row.fields.start_date,
                                    end_date: row.fields.end_date,
                                },
                            });
                        }
                    }
                    id
                }
            };
            row.fields.household_id = household_id;
            row.fields.external_ref = Some(row.external_ref);
            tenancies.push(Tenancy {
                id: Uuid::now_v7(),
                fields: row.fields,
                created_at: self.now,
                updated_at: self.now,
                version: 1,
            });
        }
        session.insert_households(&households).await?;
        session.insert_memberships(&memberships).await?;
        session.insert_tenancies(&tenancies).await?;
        Ok(())
    }
}
