//! `properties.csv`: one property per row, keyed by UPRN.

use super::people::{address, row_errors};
use super::{Columns, RowError, RowKind};
use crate::Result;
use crate::access::Guarded;
use async_trait::async_trait;
use hearth_core::records::{Property, PropertyInput, Source};
use hearth_store::{ImportSession, RefKind};
use jiff::Timestamp;

#[derive(Clone)]
pub struct PropertyRows {
    now: Timestamp,
    source: Source,
}

impl PropertyRows {
    pub fn new(now: Timestamp, source_name: &str) -> Self {
        Self {
            now,
            source: Source::import(source_name),
        }
    }
}

#[async_trait]
impl RowKind for PropertyRows {
    type Row = Property;
    const REQUIRED: &'static [&'static str] = &["uprn", "address_line1", "postcode"];
    const OPTIONAL: &'static [&'static str] = &[
        "address_line2",
        "address_line3",
        "address_line4",
        "town",
        "property_type",
        "bedrooms",
    ];

    fn key(row: &Property) -> &str {
        row.fields.uprn.as_str()
    }

    fn ref_kind() -> RefKind {
        RefKind::PropertyUprn
    }

    fn parse(
        &self,
        cols: &Columns,
        r: &csv::StringRecord,
        line: u64,
    ) -> std::result::Result<Property, Vec<RowError>> {
        let bedrooms = match cols.get(r, "bedrooms") {
            None => None,
            Some(raw) => Some(raw.parse::<i32>().map_err(|_| {
                vec![RowError {
                    line,
                    field: "bedrooms".into(),
                    reason: format!("'{raw}' is not a whole number"),
                }]
            })?),
        };
        let input = PropertyInput {
            uprn: cols.text(r, "uprn"),
            address: address(cols, r).unwrap_or_default(),
            property_type: cols.opt(r, "property_type"),
            bedrooms,
            source: Some(self.source.clone()),
        };
        let fields = input.validate().map_err(|e| {
            // Report address fields by their CSV column names.
            let mut errors = row_errors(line, e);
            for error in &mut errors {
                error.field = match error.field.as_str() {
                    "address.line1" => "address_line1".into(),
                    "address.postcode" => "postcode".into(),
                    other => other
                        .replace("address.line", "address_line")
                        .replace("address.", ""),
                };
            }
            errors
        })?;
        Ok(Property {
            id: uuid::Uuid::now_v7(),
            fields,
            created_at: self.now,
            updated_at: self.now,
            version: 1,
        })
    }

    const ACTION: &'static str = "property.import";

    fn writes(_row: &Property) -> crate::access::BulkWrite {
        let groups = Property::GROUPS
            .iter()
            .map(|g| (Property::RECORD_TYPE, g))
            .collect();
        (groups, None)
    }

    async fn insert(&mut self, session: &mut dyn ImportSession, rows: Vec<Property>) -> Result<()> {
        Ok(session.insert_properties(&rows).await?)
    }
}
