//! Search filters, pages and the register-version record.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use uuid::Uuid;

/// Which page of results: 1-based, at most 200 per page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub number: u32,
    pub size: u32,
}

impl Page {
    pub const MAX_SIZE: u32 = 200;

    pub fn new(number: u32, size: u32) -> Self {
        Self {
            number: number.max(1),
            size: size.clamp(1, Self::MAX_SIZE),
        }
    }

    pub(crate) fn offset(self) -> i64 {
        i64::from(self.number - 1) * i64::from(self.size)
    }

    pub(crate) fn limit(self) -> i64 {
        i64::from(self.size)
    }
}

impl Default for Page {
    fn default() -> Self {
        Self::new(1, 50)
    }
}

/// A page of results with the total number matching.
#[derive(Debug, Clone, Serialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

#[derive(Debug, Clone, Default)]
pub struct PersonQuery {
    /// Words that must all appear in the person's names, in any order.
    pub name: Option<String>,
    pub postcode: Option<String>,
    pub ni_number: Option<String>,
    /// People in a household with a tenancy of the property with this UPRN.
    pub uprn: Option<String>,
    pub external_ref: Option<String>,
    /// Which of the matching people the caller may see, as the gate decided: pages and totals
    /// count only these.
    pub visible: Visibility,
}

/// The people a search may return, decided by the gate before the store is asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Visibility {
    /// Everyone who matches.
    #[default]
    All,
    /// Only these of those who match.
    Only(Vec<Uuid>),
    /// Everyone who matches but these.
    AllBut(Vec<Uuid>),
}

impl Visibility {
    /// The ids as a JSON array and whether the search keeps only them, or `None` for everyone.
    pub(crate) fn id_list(&self) -> Option<(bool, String)> {
        let json = |ids: &[Uuid]| {
            let quoted: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
            format!("[{}]", quoted.join(","))
        };
        match self {
            Self::All => None,
            Self::Only(ids) => Some((true, json(ids))),
            Self::AllBut(ids) if ids.is_empty() => None,
            Self::AllBut(ids) => Some((false, json(ids))),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct PropertyQuery {
    pub uprn: Option<String>,
    pub postcode: Option<String>,
    /// Words that must all appear in the address.
    pub address: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct HouseholdQuery {
    pub name: Option<String>,
    pub external_ref: Option<String>,
    pub person_id: Option<Uuid>,
}

#[derive(Debug, Clone, Default)]
pub struct TenancyQuery {
    pub household_id: Option<Uuid>,
    pub property_id: Option<Uuid>,
    pub uprn: Option<String>,
    /// Only tenancies current on this date.
    pub current_on: Option<Date>,
}

#[derive(Debug, Clone, Default)]
pub struct ContactQuery {
    pub person_id: Option<Uuid>,
    pub channel: Option<String>,
}

/// A register version the server ran, who loaded it and when.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterVersion {
    pub id: Uuid,
    pub sha256: String,
    pub version_label: String,
    pub loaded_at: Timestamp,
    pub loaded_by: String,
    #[serde(skip)]
    pub content: String,
}
