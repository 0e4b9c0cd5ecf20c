//! `people.csv`: one person per row, keyed by `external_ref`.

use super::{Columns, RowError, RowKind};
use crate::Result;
use crate::access::Guarded;
use async_trait::async_trait;
use hearth_core::FieldErrors;
use hearth_core::records::{
    AddressInput, ContactPoint, Equality, EqualityAnswer, Person, PersonInput, Source,
};
use hearth_store::{ImportSession, RefKind};
use jiff::Timestamp;
use jiff::civil::Date;

#[derive(Clone)]
pub struct PeopleRows {
    today: Date,
    now: Timestamp,
    source: Source,
}

impl PeopleRows {
    pub fn new(today: Date, now: Timestamp, source_name: &str) -> Self {
        Self {
            today,
            now,
            source: Source::import(source_name),
        }
    }
}

/// Turns field errors from validation into row errors.
pub(super) fn row_errors(line: u64, errors: FieldErrors) -> Vec<RowError> {
    errors
        .0
        .into_iter()
        .map(|e| RowError {
            line,
            field: e.field,
            reason: e.message,
        })
        .collect()
}

pub(super) fn address(cols: &Columns, r: &csv::StringRecord) -> Option<AddressInput> {
    let any = [
        "address_line1",
        "address_line2",
        "address_line3",
        "address_line4",
        "town",
        "postcode",
    ]
    .iter()
    .any(|c| cols.get(r, c).is_some());
    any.then(|| AddressInput {
        line1: cols.text(r, "address_line1"),
        line2: cols.opt(r, "address_line2"),
        line3: cols.opt(r, "address_line3"),
        line4: cols.opt(r, "address_line4"),
        town: cols.opt(r, "town"),
        postcode: cols.text(r, "postcode"),
    })
}

fn list(cols: &Columns, r: &csv::StringRecord, name: &str) -> Vec<String> {
    cols.get(r, name)
        .map(|v| {
            v.split(';')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn point(value: Option<String>, label: &str) -> Option<ContactPoint> {
    value.map(|value| ContactPoint {
        value,
        label: Some(label.into()),
        source: None,
    })
}

fn equality(cols: &Columns, r: &csv::StringRecord) -> Equality {
    let answer = |name: &str| EqualityAnswer::parse_compact(cols.get(r, name).unwrap_or(""));
    Equality {
        ethnicity: answer("ethnicity"),
        disability: answer("disability"),
        sex: answer("sex"),
        gender_identity: answer("gender_identity"),
        sexual_orientation: answer("sexual_orientation"),
        religion: answer("religion"),
        carer: answer("carer"),
    }
}

/// Names a validation error by the CSV column the value came from.
fn csv_column(field: &str, has_phone: bool) -> String {
    let column = match field {
        "postal_address.line1"
        | "postal_address.line2"
        | "postal_address.line3"
        | "postal_address.line4" => {
            return field.replace("postal_address.line", "address_line");
        }
        "postal_address.town" => "town",
        "postal_address.postcode" => "postcode",
        "phones[0].value" if has_phone => "phone",
        "phones[0].value" | "phones[1].value" => "mobile",
        "emails[0].value" => "email",
        other => return other.replace("equality.", ""),
    };
    column.to_string()
}

#[async_trait]
impl RowKind for PeopleRows {
    type Row = Person;
    const REQUIRED: &'static [&'static str] = &["external_ref", "given_name", "family_name"];
    const OPTIONAL: &'static [&'static str] = &[
        "title",
        "middle_names",
        "preferred_name",
        "date_of_birth",
        "roles",
        "ni_number",
        "nhs_number",
        "phone",
        "mobile",
        "email",
        "address_line1",
        "address_line2",
        "address_line3",
        "address_line4",
        "town",
        "postcode",
        "preferred_channel",
        "accessible_formats",
        "language",
        "source",
        "ethnicity",
        "disability",
        "sex",
        "gender_identity",
        "sexual_orientation",
        "religion",
        "carer",
    ];

    fn key(row: &Person) -> &str {
        row.fields.external_ref.as_deref().unwrap_or("")
    }

    fn ref_kind() -> RefKind {
        RefKind::Person
    }

    fn parse(
        &self,
        cols: &Columns,
        r: &csv::StringRecord,
        line: u64,
    ) -> std::result::Result<Person, Vec<RowError>> {
        let source = match cols.get(r, "source") {
            None => Ok(self.source.clone()),
            Some(raw) => Source::parse_compact(raw).map_err(|reason| {
                vec![RowError {
                    line,
                    field: "source".into(),
                    reason,
                }]
            }),
        }?;
        let input = PersonInput {
            external_ref: cols.opt(r, "external_ref"),
            title: cols.opt(r, "title"),
            given_name: cols.text(r, "given_name"),
            middle_names: cols.opt(r, "middle_names"),
            family_name: cols.text(r, "family_name"),
            preferred_name: cols.opt(r, "preferred_name"),
            date_of_birth: cols.opt(r, "date_of_birth"),
            roles: list(cols, r, "roles"),
            ni_number: cols.opt(r, "ni_number"),
            nhs_number: cols.opt(r, "nhs_number"),
            phones: [
                point(cols.opt(r, "phone"), "home"),
                point(cols.opt(r, "mobile"), "mobile"),
            ]
            .into_iter()
            .flatten()
            .collect(),
            emails: point(cols.opt(r, "email"), "email").into_iter().collect(),
            postal_address: address(cols, r),
            preferred_channel: cols.opt(r, "preferred_channel"),
            accessible_formats: list(cols, r, "accessible_formats"),
            language: cols.opt(r, "language"),
            equality: equality(cols, r),
            source: Some(source),
        };
        if input.external_ref.is_none() {
            return Err(vec![RowError {
                line,
                field: "external_ref".into(),
                reason: "is required: it makes the import repeatable".into(),
            }]);
        }
        let has_phone = cols.get(r, "phone").is_some();
        let fields = input.validate(self.today).map_err(|e| {
            let mut errors = row_errors(line, e);
            for error in &mut errors {
                error.field = csv_column(&error.field, has_phone);
            }
            errors
        })?;
        Ok(Person {
            id: uuid::Uuid::now_v7(),
            fields,
            created_at: self.now,
            updated_at: self.now,
            version: 1,
        })
    }

    const ACTION: &'static str = "person.import";

    fn writes(row: &Person) -> crate::access::BulkWrite {
        let groups = row
            .groups_present()
            .into_iter()
            .map(|g| (Person::RECORD_TYPE, g))
            .collect();
        (groups, Some(row.id))
    }

    async fn insert(&mut self, session: &mut dyn ImportSession, rows: Vec<Person>) -> Result<()> {
        Ok(session.insert_people(&rows).await?)
    }
}

/// Reads and validates a whole people file into memory, without touching a database: the
/// import benchmark uses it to prepare the rows its raw lower bound loads.
pub fn people_from_csv(
    reader: impl std::io::Read,
    today: Date,
    now: Timestamp,
) -> std::result::Result<Vec<Person>, String> {
    let mut csv = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(reader);
    let header = csv.headers().map_err(|e| e.to_string())?.clone();
    let cols = Columns::new(&header, PeopleRows::REQUIRED, PeopleRows::OPTIONAL)?;
    let rows = PeopleRows::new(today, now, "benchmark");
    let mut people = Vec::new();
    for (i, record) in csv.records().enumerate() {
        let record = record.map_err(|e| e.to_string())?;
        let line = record.position().map_or(i as u64 + 2, |p| p.line());
        let person = rows.parse(&cols, &record, line).map_err(|errors| {
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        })?;
        people.push(person);
    }
    Ok(people)
}
