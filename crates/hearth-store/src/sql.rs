//! Table layouts and the SQL generated from them, in PostgreSQL's dialect. Every column has a
//! PostgreSQL type; SQLite stores the same values as text or integers.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex, OnceLock};

/// A multi-row INSERT for `rows` rows of `table` in SQLite's dialect, built once: the
/// statements of a bulk load are large and identical, batch after batch.
pub fn cached_sqlite_insert(table: &Table, rows: usize) -> Arc<String> {
    /// Statements by table name and row count.
    type Statements = HashMap<(&'static str, usize), Arc<String>>;
    static CACHE: OnceLock<Mutex<Statements>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .entry((table.name, rows))
        .or_insert_with(|| Arc::new(crate::dialect::for_sqlite(&table.insert(rows))))
        .clone()
}

/// A table: its name and columns with their PostgreSQL types, in insert order. The first
/// column is the id.
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, &'static str)],
}

/// Columns read back as text on PostgreSQL, so one row type decodes on both backends.
fn needs_text_cast(pg_type: &str) -> bool {
    matches!(pg_type, "uuid" | "date" | "timestamptz" | "jsonb")
}

impl Table {
    /// `a::text AS a, b, ...` for a SELECT, prefixed by `alias.` when given.
    pub fn select_list(&self, alias: &str) -> String {
        let prefix = if alias.is_empty() {
            String::new()
        } else {
            format!("{alias}.")
        };
        self.columns
            .iter()
            .map(|(name, ty)| {
                if needs_text_cast(ty) {
                    format!("{prefix}{name}::text AS {name}")
                } else {
                    format!("{prefix}{name}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn column_names(&self) -> String {
        self.columns
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// An INSERT of `rows` rows, with typed placeholders numbered from 1.
    pub fn insert(&self, rows: usize) -> String {
        let mut sql = format!(
            "INSERT INTO {} ({}) VALUES ",
            self.name,
            self.column_names()
        );
        let width = self.columns.len();
        for row in 0..rows {
            sql.push_str(if row == 0 { "(" } else { ", (" });
            for (i, (_, ty)) in self.columns.iter().enumerate() {
                let sep = if i == 0 { "" } else { ", " };
                let _ = write!(sql, "{sep}${}::{ty}", row * width + i + 1);
            }
            sql.push(')');
        }
        sql
    }

    fn is_updatable(name: &str) -> bool {
        !matches!(name, "id" | "created_at" | "version")
    }

    /// An UPDATE of every column but the id, `created_at` and `version`, bumping `version`,
    /// guarded by the expected version. Parameters: the id, the updated columns in order, then
    /// the expected version, as [`Table::update_params`] arranges them.
    pub fn update(&self) -> String {
        let sets: Vec<String> = self
            .columns
            .iter()
            .filter(|(name, _)| Self::is_updatable(name))
            .enumerate()
            .map(|(i, (name, ty))| format!("{name} = ${}::{ty}", i + 2))
            .collect();
        format!(
            "UPDATE {} SET {}, version = version + 1 WHERE id = $1::uuid AND version = ${}",
            self.name,
            sets.join(", "),
            sets.len() + 2
        )
    }

    /// Arranges a row's insert parameters for [`Table::update`].
    pub fn update_params(
        &self,
        row: Vec<crate::rows::Param>,
        expected_version: i64,
    ) -> Vec<crate::rows::Param> {
        let mut out: Vec<crate::rows::Param> = self
            .columns
            .iter()
            .zip(row)
            .filter(|((name, _), _)| *name == "id" || Self::is_updatable(name))
            .map(|(_, param)| param)
            .collect();
        out.push(crate::rows::Param::Int(Some(expected_version)));
        out
    }

    /// Rows a single multi-row INSERT can carry within SQLite's 32,766-parameter limit.
    pub fn rows_per_insert(&self) -> usize {
        (32_000 / self.columns.len()).min(1_000)
    }
}

pub const PEOPLE: Table = Table {
    name: "people",
    columns: &[
        ("id", "uuid"),
        ("external_ref", "text"),
        ("title", "text"),
        ("given_name", "text"),
        ("middle_names", "text"),
        ("family_name", "text"),
        ("preferred_name", "text"),
        ("name_search", "text"),
        ("family_lower", "text"),
        ("date_of_birth", "date"),
        ("roles", "jsonb"),
        ("ni_number", "text"),
        ("nhs_number", "text"),
        ("ni_index", "text"),
        ("phones", "jsonb"),
        ("emails", "jsonb"),
        ("postal_address", "jsonb"),
        ("postcode", "text"),
        ("preferred_channel", "text"),
        ("accessible_formats", "jsonb"),
        ("language", "text"),
        ("equality", "text"),
        ("source", "jsonb"),
        ("created_at", "timestamptz"),
        ("updated_at", "timestamptz"),
        ("version", "int8"),
    ],
};

pub const PROPERTIES: Table = Table {
    name: "properties",
    columns: &[
        ("id", "uuid"),
        ("uprn", "text"),
        ("address", "jsonb"),
        ("address_search", "text"),
        ("postcode", "text"),
        ("property_type", "text"),
        ("bedrooms", "int4"),
        ("source", "jsonb"),
        ("created_at", "timestamptz"),
        ("updated_at", "timestamptz"),
        ("version", "int8"),
    ],
};

pub const HOUSEHOLDS: Table = Table {
    name: "households",
    columns: &[
        ("id", "uuid"),
        ("external_ref", "text"),
        ("name", "text"),
        ("name_search", "text"),
        ("created_at", "timestamptz"),
        ("updated_at", "timestamptz"),
        ("version", "int8"),
    ],
};

pub const MEMBERS: Table = Table {
    name: "household_members",
    columns: &[
        ("id", "uuid"),
        ("household_id", "uuid"),
        ("person_id", "uuid"),
        ("relationship", "text"),
        ("start_date", "date"),
        ("end_date", "date"),
    ],
};

pub const TENANCIES: Table = Table {
    name: "tenancies",
    columns: &[
        ("id", "uuid"),
        ("external_ref", "text"),
        ("household_id", "uuid"),
        ("property_id", "uuid"),
        ("tenancy_type", "text"),
        ("start_date", "date"),
        ("end_date", "date"),
        ("end_reason", "text"),
        ("created_at", "timestamptz"),
        ("updated_at", "timestamptz"),
        ("version", "int8"),
    ],
};

pub const PERSON_KEYS: Table = Table {
    name: "person_keys",
    columns: &[
        ("person_id", "uuid"),
        ("key_id", "uuid"),
        ("kek_id", "text"),
        ("wrapped", "text"),
        ("created_at", "timestamptz"),
    ],
};

pub const CONTACTS: Table = Table {
    name: "contact_log",
    columns: &[
        ("id", "uuid"),
        ("person_id", "uuid"),
        ("channel", "text"),
        ("occurred_at", "timestamptz"),
        ("staff_member", "text"),
        ("reason", "text"),
        ("summary", "text"),
        ("created_at", "timestamptz"),
        ("updated_at", "timestamptz"),
        ("version", "int8"),
    ],
};

pub const REGISTER_VERSIONS: Table = Table {
    name: "register_versions",
    columns: &[
        ("id", "uuid"),
        ("sha256", "text"),
        ("version_label", "text"),
        ("loaded_at", "timestamptz"),
        ("loaded_by", "text"),
        ("content", "text"),
    ],
};

/// Filed records as the bulk insert writes them (records without a person: nothing to seal).
pub const FILED_RECORDS: Table = Table {
    name: "filed_records",
    columns: &[
        ("id", "uuid"),
        ("record_type", "text"),
        ("person_id", "uuid"),
        ("tenancy_id", "uuid"),
        ("case_ref", "text"),
        ("title", "text"),
        ("details", "text"),
        ("stats", "text"),
        ("created_at", "timestamptz"),
        ("last_activity_at", "timestamptz"),
        ("closed_at", "timestamptz"),
        ("anonymised_at", "timestamptz"),
    ],
};

pub const FILED_RECORD_EVENTS: Table = Table {
    name: "filed_record_events",
    columns: &[("record_id", "uuid"), ("name", "text"), ("on_date", "date")],
};

pub const RECORD_MEDIA: Table = Table {
    name: "record_media",
    columns: &[
        ("id", "uuid"),
        ("record_id", "uuid"),
        ("object_key", "text"),
        ("content_type", "text"),
        ("size", "bigint"),
        ("sha256", "text"),
        ("created_at", "timestamptz"),
    ],
};

/// Consents as the bulk insert writes them (the rights benchmark's load).
pub const CONSENTS: Table = Table {
    name: "consents",
    columns: &[
        ("id", "uuid"),
        ("person_id", "uuid"),
        ("purpose", "text"),
        ("granted", "boolean"),
        ("wording", "text"),
        ("wording_version", "text"),
        ("recorded_by", "text"),
        ("at", "timestamptz"),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_typed_inserts_and_guarded_updates() {
        assert_eq!(
            HOUSEHOLDS.insert(2),
            "INSERT INTO households (id, external_ref, name, name_search, created_at, updated_at, version) VALUES \
             ($1::uuid, $2::text, $3::text, $4::text, $5::timestamptz, $6::timestamptz, $7::int8), \
             ($8::uuid, $9::text, $10::text, $11::text, $12::timestamptz, $13::timestamptz, $14::int8)"
        );
        assert_eq!(
            HOUSEHOLDS.update(),
            "UPDATE households SET external_ref = $2::text, name = $3::text, name_search = $4::text, \
             updated_at = $5::timestamptz, version = version + 1 WHERE id = $1::uuid AND version = $6"
        );
    }
}
