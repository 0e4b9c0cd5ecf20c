//! How each kind of record meets the gate: its register record type, the groups its fields fall
//! into (each described by register data categories), and the person it is about.

use hearth_core::records::{ContactEntry, Household, Person, Property, Tenancy};
use serde::Serialize;
use uuid::Uuid;

/// A set of fields that the gate lets through or withholds together.
#[derive(Debug, Clone, Copy)]
pub struct FieldGroup {
    pub name: &'static str,
    /// Register data category ids describing these fields.
    pub categories: &'static [&'static str],
    /// JSON field names; empty means "the whole record".
    pub fields: &'static [&'static str],
    /// The purpose a bulk load from a source system writes these fields under, when it is not
    /// the load's own: equality answers are collected for equality monitoring (Art 9(2)(g)),
    /// whichever record they arrive with.
    pub loaded_for: Option<&'static str>,
}

/// A record kind the gate guards.
pub trait Guarded: Serialize + Clone + Send + Sync + 'static {
    /// Used in audit action names (`person.read`).
    const KIND: &'static str;
    /// The register record type.
    const RECORD_TYPE: &'static str;
    const GROUPS: &'static [FieldGroup];
    fn id(&self) -> Uuid;
    fn version(&self) -> i64;
    /// The person this record is about, whose controls (restriction, consent...) apply.
    fn subject(&self) -> Option<Uuid>;
    /// Other people this record concerns, as the record itself names them.
    fn related_people(&self) -> Vec<Uuid> {
        Vec::new()
    }
    /// A household whose people this record concerns, to be looked up.
    fn via_household(&self) -> Option<Uuid> {
        None
    }
    /// Groups holding data, for writes: only what is being written is decided on.
    fn groups_present(&self) -> Vec<&'static FieldGroup> {
        Self::GROUPS.iter().collect()
    }
    /// Groups holding any of the named fields (a whole-record group holds every field): a
    /// change is decided on the groups it names, before any value in it is looked at, so naming
    /// a field one may not write is refused whatever its value, and fields left out are kept.
    fn groups_named<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<&'static FieldGroup> {
        let names: Vec<&str> = names.into_iter().collect();
        Self::GROUPS
            .iter()
            .filter(|group| {
                (group.fields.is_empty() && !names.is_empty())
                    || group.fields.iter().any(|field| names.contains(field))
            })
            .collect()
    }
}

const WHOLE: &[&str] = &[];

pub const PERSON_GROUPS: &[FieldGroup] = &[
    FieldGroup {
        name: "identity",
        categories: &["identity"],
        fields: &[
            "external_ref",
            "title",
            "given_name",
            "middle_names",
            "family_name",
            "preferred_name",
            "roles",
            "language",
            "source",
        ],
        loaded_for: None,
    },
    FieldGroup {
        name: "contact",
        categories: &["contact"],
        fields: &[
            "phones",
            "emails",
            "postal_address",
            "preferred_channel",
            "accessible_formats",
        ],
        loaded_for: None,
    },
    FieldGroup {
        name: "date_of_birth",
        categories: &["date_of_birth"],
        fields: &["date_of_birth"],
        loaded_for: None,
    },
    FieldGroup {
        name: "identifiers",
        categories: &["identifiers"],
        fields: &["ni_number", "nhs_number"],
        loaded_for: None,
    },
    FieldGroup {
        name: "equality",
        categories: &["equality"],
        fields: &["equality"],
        loaded_for: Some("equality_monitoring"),
    },
];

impl Guarded for Person {
    const KIND: &'static str = "person";
    const RECORD_TYPE: &'static str = "person_record";
    const GROUPS: &'static [FieldGroup] = PERSON_GROUPS;
    fn id(&self) -> Uuid {
        self.id
    }
    fn version(&self) -> i64 {
        self.version
    }
    fn subject(&self) -> Option<Uuid> {
        Some(self.id)
    }
    fn groups_present(&self) -> Vec<&'static FieldGroup> {
        let f = &self.fields;
        let present = |name: &str| match name {
            "contact" => {
                !f.phones.is_empty()
                    || !f.emails.is_empty()
                    || f.postal_address.is_some()
                    || f.preferred_channel.is_some()
                    || !f.accessible_formats.is_empty()
            }
            "date_of_birth" => f.date_of_birth.is_some(),
            "identifiers" => f.ni_number.is_some() || f.nhs_number.is_some(),
            "equality" => f.equality != Default::default(),
            _ => true,
        };
        PERSON_GROUPS.iter().filter(|g| present(g.name)).collect()
    }
}

impl Guarded for Property {
    const KIND: &'static str = "property";
    const RECORD_TYPE: &'static str = "property";
    const GROUPS: &'static [FieldGroup] = &[FieldGroup {
        name: "property",
        categories: &["property"],
        fields: WHOLE,
        loaded_for: None,
    }];
    fn id(&self) -> Uuid {
        self.id
    }
    fn version(&self) -> i64 {
        self.version
    }
    fn subject(&self) -> Option<Uuid> {
        None
    }
}

impl Guarded for Household {
    fn related_people(&self) -> Vec<Uuid> {
        self.members.iter().map(|m| m.fields.person_id).collect()
    }
    const KIND: &'static str = "household";
    const RECORD_TYPE: &'static str = "household";
    const GROUPS: &'static [FieldGroup] = &[FieldGroup {
        name: "household",
        categories: &["household"],
        fields: WHOLE,
        loaded_for: None,
    }];
    fn id(&self) -> Uuid {
        self.id
    }
    fn version(&self) -> i64 {
        self.version
    }
    fn subject(&self) -> Option<Uuid> {
        None
    }
}

impl Guarded for Tenancy {
    fn via_household(&self) -> Option<Uuid> {
        Some(self.fields.household_id)
    }
    const KIND: &'static str = "tenancy";
    const RECORD_TYPE: &'static str = "tenancy_file";
    const GROUPS: &'static [FieldGroup] = &[FieldGroup {
        name: "tenancy",
        categories: &["tenancy"],
        fields: WHOLE,
        loaded_for: None,
    }];
    fn id(&self) -> Uuid {
        self.id
    }
    fn version(&self) -> i64 {
        self.version
    }
    fn subject(&self) -> Option<Uuid> {
        None
    }
}

impl Guarded for ContactEntry {
    const KIND: &'static str = "contact";
    const RECORD_TYPE: &'static str = "contact_log";
    const GROUPS: &'static [FieldGroup] = &[FieldGroup {
        name: "contact_log",
        categories: &["contact_history"],
        fields: WHOLE,
        loaded_for: None,
    }];
    fn id(&self) -> Uuid {
        self.id
    }
    fn version(&self) -> i64 {
        self.version
    }
    fn subject(&self) -> Option<Uuid> {
        Some(self.fields.person_id)
    }
}

/// Every guarded kind's record type and groups, to check against the register at start-up.
pub fn all_kinds() -> [(&'static str, &'static [FieldGroup]); 5] {
    [
        (Person::RECORD_TYPE, Person::GROUPS),
        (Property::RECORD_TYPE, Property::GROUPS),
        (Household::RECORD_TYPE, Household::GROUPS),
        (Tenancy::RECORD_TYPE, Tenancy::GROUPS),
        (ContactEntry::RECORD_TYPE, ContactEntry::GROUPS),
    ]
}
