//! Rows as both backends store them: ids, dates and times as ISO text, structured parts as JSON
//! text. Converting to and from domain records happens here, once for both backends.

use crate::StoreError;
use crate::sealer::{PersonKey, Sealer};
use hearth_core::records::{
    ContactEntry, ContactEntryFields, Household, HouseholdFields, Membership, MembershipFields,
    Person, PersonFields, Property, PropertyFields, Tenancy, TenancyFields,
};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// One bound parameter.
#[derive(Debug, Clone)]
pub enum Param {
    Text(Option<String>),
    Int(Option<i64>),
}

impl Param {
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Text(None) | Self::Int(None))
    }

    /// The value in PostgreSQL COPY text format: `\N` for NULL, with backslash, tab and line
    /// breaks escaped.
    pub fn copy_text(&self, out: &mut String) {
        match self {
            Self::Text(None) | Self::Int(None) => out.push_str("\\N"),
            Self::Int(Some(n)) => out.push_str(&n.to_string()),
            Self::Text(Some(text)) => {
                for c in text.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\t' => out.push_str("\\t"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        c => out.push(c),
                    }
                }
            }
        }
    }
}

fn text(value: impl ToString) -> Param {
    Param::Text(Some(value.to_string()))
}

fn opt<T: ToString>(value: Option<T>) -> Param {
    Param::Text(value.map(|v| v.to_string()))
}

fn json<T: Serialize>(value: &T) -> Param {
    Param::Text(Some(
        serde_json::to_string(value).unwrap_or_else(|_| "null".into()),
    ))
}

/// Times are stored with six fractional digits so that text order is time order.
pub fn ts(value: Timestamp) -> String {
    format!("{value:.6}")
}

fn time(value: Timestamp) -> Param {
    Param::Text(Some(ts(value)))
}

fn parse_uuid(raw: &str) -> Result<Uuid, StoreError> {
    raw.parse()
        .map_err(|_| StoreError::Corrupt(format!("bad id '{raw}'")))
}

/// Parses a stored time: RFC 3339 from SQLite, `2026-01-02 03:04:05.6+00` from PostgreSQL.
pub fn parse_ts(raw: &str) -> Result<Timestamp, StoreError> {
    raw.parse()
        .map_err(|_| StoreError::Corrupt(format!("bad time '{raw}'")))
}

pub(crate) fn parse_date(raw: &str) -> Result<Date, StoreError> {
    raw.parse()
        .map_err(|_| StoreError::Corrupt(format!("bad date '{raw}'")))
}

fn parse_opt_date(raw: Option<String>) -> Result<Option<Date>, StoreError> {
    raw.as_deref().map(parse_date).transpose()
}

fn parse_json<T: DeserializeOwned>(raw: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(raw).map_err(|e| StoreError::Corrupt(format!("bad {what}: {e}")))
}

fn parse_enum<T: std::str::FromStr<Err = String>>(raw: &str) -> Result<T, StoreError> {
    raw.parse().map_err(StoreError::Corrupt)
}

/// The lower-cased words a name search matches, given names twice so that "smith john" and
/// "john smith" both match with one LIKE pattern.
fn name_search(f: &PersonFields) -> String {
    let given = [
        Some(f.given_name.as_str()),
        f.middle_names.as_deref(),
        f.preferred_name.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    format!("{given} {} {given}", f.family_name).to_lowercase()
}

/// The LIKE pattern for a name or address search: `%word1%word2%`.
pub fn like_pattern(words: &str) -> String {
    let words: Vec<String> = words
        .split_whitespace()
        .map(|w| w.to_lowercase().replace(['%', '_', '\\'], ""))
        .filter(|w| !w.is_empty())
        .collect();
    format!("%{}%", words.join("%"))
}

/// A person's sealed columns as written: NI and NHS numbers and equality answers sealed under
/// the person's data key, and the NI number's blind index for search.
pub struct SealedPerson {
    pub ni_number: Option<String>,
    pub nhs_number: Option<String>,
    pub equality: String,
    pub ni_index: Option<String>,
}

impl SealedPerson {
    pub fn of(sealer: &Sealer, key: &PersonKey, p: &Person) -> Result<Self, StoreError> {
        let f = &p.fields;
        let ni = f.ni_number.as_ref().map(|n| n.to_string());
        let nhs = f.nhs_number.as_ref().map(|n| n.to_string());
        let equality = serde_json::to_string(&f.equality)
            .map_err(|e| StoreError::Corrupt(format!("equality answers: {e}")))?;
        Ok(Self {
            ni_number: sealer.seal_opt(key, "people", "ni_number", p.id, ni.as_deref())?,
            nhs_number: sealer.seal_opt(key, "people", "nhs_number", p.id, nhs.as_deref())?,
            equality: sealer.seal(key, "people", "equality", p.id, &equality)?,
            ni_index: ni.as_deref().map(|n| sealer.ni_index(n)),
        })
    }
}

pub fn person_params(p: &Person, sealed: SealedPerson) -> Vec<Param> {
    let f = &p.fields;
    vec![
        text(p.id),
        opt(f.external_ref.as_ref()),
        opt(f.title.as_ref()),
        text(&f.given_name),
        opt(f.middle_names.as_ref()),
        text(&f.family_name),
        opt(f.preferred_name.as_ref()),
        text(name_search(f)),
        text(f.family_name.to_lowercase()),
        opt(f.date_of_birth),
        json(&f.roles),
        Param::Text(sealed.ni_number),
        Param::Text(sealed.nhs_number),
        Param::Text(sealed.ni_index),
        json(&f.phones),
        json(&f.emails),
        f.postal_address.as_ref().map_or(Param::Text(None), json),
        opt(f.postal_address.as_ref().map(|a| &a.postcode)),
        opt(f.preferred_channel),
        json(&f.accessible_formats),
        opt(f.language.as_ref()),
        Param::Text(Some(sealed.equality)),
        json(&f.source),
        time(p.created_at),
        time(p.updated_at),
        Param::Int(Some(p.version)),
    ]
}

#[derive(sqlx::FromRow)]
pub struct PersonRow {
    id: String,
    external_ref: Option<String>,
    title: Option<String>,
    given_name: String,
    middle_names: Option<String>,
    family_name: String,
    preferred_name: Option<String>,
    date_of_birth: Option<String>,
    roles: String,
    ni_number: Option<String>,
    nhs_number: Option<String>,
    phones: String,
    emails: String,
    postal_address: Option<String>,
    preferred_channel: Option<String>,
    accessible_formats: String,
    language: Option<String>,
    equality: String,
    source: String,
    created_at: String,
    updated_at: String,
    version: i64,
}

impl PersonRow {
    pub fn person_id(&self) -> Result<Uuid, StoreError> {
        parse_uuid(&self.id)
    }

    /// Opens the sealed columns with the person's key. Without a key (destroyed when the
    /// person was erased) they read as absent: nothing can recover them.
    pub fn open(mut self, sealer: &Sealer, key: Option<&PersonKey>) -> Result<Person, StoreError> {
        let id = self.person_id()?;
        match key {
            Some(key) => {
                let open = |column: &str, v: Option<String>| {
                    v.map(|v| sealer.open(key, "people", column, id, &v))
                        .transpose()
                };
                self.ni_number = open("ni_number", self.ni_number.take())?;
                self.nhs_number = open("nhs_number", self.nhs_number.take())?;
                self.equality = sealer.open(key, "people", "equality", id, &self.equality)?;
            }
            None => {
                self.ni_number = None;
                self.nhs_number = None;
                self.equality = "{}".to_string();
            }
        }
        self.try_into()
    }
}

impl TryFrom<PersonRow> for Person {
    type Error = StoreError;

    fn try_from(r: PersonRow) -> Result<Self, StoreError> {
        Ok(Person {
            id: parse_uuid(&r.id)?,
            fields: PersonFields {
                external_ref: r.external_ref,
                title: r.title,
                given_name: r.given_name,
                middle_names: r.middle_names,
                family_name: r.family_name,
                preferred_name: r.preferred_name,
                date_of_birth: parse_opt_date(r.date_of_birth)?,
                roles: parse_json(&r.roles, "roles")?,
                ni_number: r
                    .ni_number
                    .map(|n| n.parse())
                    .transpose()
                    .map_err(|_| StoreError::Corrupt("bad NI number".into()))?,
                nhs_number: r
                    .nhs_number
                    .map(|n| n.parse())
                    .transpose()
                    .map_err(|_| StoreError::Corrupt("bad NHS number".into()))?,
                phones: parse_json(&r.phones, "phones")?,
                emails: parse_json(&r.emails, "emails")?,
                postal_address: r
                    .postal_address
                    .as_deref()
                    .map(|a| parse_json(a, "address"))
                    .transpose()?,
                preferred_channel: r.preferred_channel.as_deref().map(parse_enum).transpose()?,
                accessible_formats: parse_json(&r.accessible_formats, "accessible formats")?,
                language: r.language,
                equality: parse_json(&r.equality, "equality")?,
                source: parse_json(&r.source, "source")?,
            },
            created_at: parse_ts(&r.created_at)?,
            updated_at: parse_ts(&r.updated_at)?,
            version: r.version,
        })
    }
}

pub fn property_params(p: &Property) -> Vec<Param> {
    let f = &p.fields;
    let a = &f.address;
    let search = [
        Some(a.line1.as_str()),
        a.line2.as_deref(),
        a.line3.as_deref(),
        a.line4.as_deref(),
        a.town.as_deref(),
        Some(a.postcode.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
    .to_lowercase();
    vec![
        text(p.id),
        text(&f.uprn),
        json(&f.address),
        text(search),
        text(&a.postcode),
        opt(f.property_type),
        Param::Int(f.bedrooms.map(i64::from)),
        json(&f.source),
        time(p.created_at),
        time(p.updated_at),
        Param::Int(Some(p.version)),
    ]
}

#[derive(sqlx::FromRow)]
pub struct PropertyRow {
    id: String,
    uprn: String,
    address: String,
    property_type: Option<String>,
    bedrooms: Option<i32>,
    source: String,
    created_at: String,
    updated_at: String,
    version: i64,
}

impl TryFrom<PropertyRow> for Property {
    type Error = StoreError;

    fn try_from(r: PropertyRow) -> Result<Self, StoreError> {
        Ok(Property {
            id: parse_uuid(&r.id)?,
            fields: PropertyFields {
                uprn: r
                    .uprn
                    .parse()
                    .map_err(|_| StoreError::Corrupt("bad UPRN".into()))?,
                address: parse_json(&r.address, "address")?,
                property_type: r.property_type.as_deref().map(parse_enum).transpose()?,
                bedrooms: r.bedrooms,
                source: parse_json(&r.source, "source")?,
            },
            created_at: parse_ts(&r.created_at)?,
            updated_at: parse_ts(&r.updated_at)?,
            version: r.version,
        })
    }
}

pub fn household_params(h: &Household) -> Vec<Param> {
    vec![
        text(h.id),
        opt(h.fields.external_ref.as_ref()),
        opt(h.fields.name.as_ref()),
        // Lower-cased here, not by SQL: SQLite's lower() folds ASCII only.
        opt(h.fields.name.as_ref().map(|n| n.to_lowercase())),
        time(h.created_at),
        time(h.updated_at),
        Param::Int(Some(h.version)),
    ]
}

#[derive(sqlx::FromRow)]
pub struct HouseholdRow {
    id: String,
    external_ref: Option<String>,
    name: Option<String>,
    created_at: String,
    updated_at: String,
    version: i64,
}

impl HouseholdRow {
    pub fn into_household(self, members: Vec<Membership>) -> Result<Household, StoreError> {
        Ok(Household {
            id: parse_uuid(&self.id)?,
            fields: HouseholdFields {
                external_ref: self.external_ref,
                name: self.name,
            },
            members,
            created_at: parse_ts(&self.created_at)?,
            updated_at: parse_ts(&self.updated_at)?,
            version: self.version,
        })
    }

    pub fn id(&self) -> Result<Uuid, StoreError> {
        parse_uuid(&self.id)
    }
}

pub fn membership_params(m: &Membership) -> Vec<Param> {
    vec![
        text(m.id),
        text(m.household_id),
        text(m.fields.person_id),
        text(m.fields.relationship),
        text(m.fields.start_date),
        opt(m.fields.end_date),
    ]
}

#[derive(sqlx::FromRow)]
pub struct MembershipRow {
    id: String,
    household_id: String,
    person_id: String,
    relationship: String,
    start_date: String,
    end_date: Option<String>,
}

impl TryFrom<MembershipRow> for Membership {
    type Error = StoreError;

    fn try_from(r: MembershipRow) -> Result<Self, StoreError> {
        Ok(Membership {
            id: parse_uuid(&r.id)?,
            household_id: parse_uuid(&r.household_id)?,
            fields: MembershipFields {
                person_id: parse_uuid(&r.person_id)?,
                relationship: parse_enum(&r.relationship)?,
                start_date: parse_date(&r.start_date)?,
                end_date: parse_opt_date(r.end_date)?,
            },
        })
    }
}

pub fn tenancy_params(t: &Tenancy) -> Vec<Param> {
    let f = &t.fields;
    vec![
        text(t.id),
        opt(f.external_ref.as_ref()),
        text(f.household_id),
        text(f.property_id),
        text(f.tenancy_type),
        text(f.start_date),
        opt(f.end_date),
        opt(f.end_reason.as_ref()),
        time(t.created_at),
        time(t.updated_at),
        Param::Int(Some(t.version)),
    ]
}

#[derive(sqlx::FromRow)]
pub struct TenancyRow {
    id: String,
    external_ref: Option<String>,
    household_id: String,
    property_id: String,
    tenancy_type: String,
    start_date: String,
    end_date: Option<String>,
    end_reason: Option<String>,
    created_at: String,
    updated_at: String,
    version: i64,
}

impl TryFrom<TenancyRow> for Tenancy {
    type Error = StoreError;

    fn try_from(r: TenancyRow) -> Result<Self, StoreError> {
        Ok(Tenancy {
            id: parse_uuid(&r.id)?,
            fields: TenancyFields {
                external_ref: r.external_ref,
                household_id: parse_uuid(&r.household_id)?,
                property_id: parse_uuid(&r.property_id)?,
                tenancy_type: parse_enum(&r.tenancy_type)?,
                start_date: parse_date(&r.start_date)?,
                end_date: parse_opt_date(r.end_date)?,
                end_reason: r.end_reason,
            },
            created_at: parse_ts(&r.created_at)?,
            updated_at: parse_ts(&r.updated_at)?,
            version: r.version,
        })
    }
}

/// A person's wrapped data key as a row of `person_keys`.
pub fn person_key_params(row: &crate::sealer::PersonKeyRow, at: Timestamp) -> Vec<Param> {
    vec![
        text(row.person_id),
        text(row.key_id),
        text(&row.kek_id),
        text(&row.wrapped_hex),
        time(at),
    ]
}

/// A contact entry's notes, sealed under the key of the person it is about.
pub fn sealed_summary(
    sealer: &Sealer,
    key: &PersonKey,
    c: &ContactEntry,
) -> Result<Option<String>, StoreError> {
    sealer.seal_opt(
        key,
        "contact_log",
        "summary",
        c.id,
        c.fields.summary.as_deref(),
    )
}

pub fn contact_params(c: &ContactEntry, summary: Option<String>) -> Vec<Param> {
    let f = &c.fields;
    vec![
        text(c.id),
        text(f.person_id),
        text(f.channel),
        time(f.occurred_at),
        text(&f.staff_member),
        text(&f.reason),
        Param::Text(summary),
        time(c.created_at),
        time(c.updated_at),
        Param::Int(Some(c.version)),
    ]
}

#[derive(sqlx::FromRow)]
pub struct ContactRow {
    id: String,
    person_id: String,
    channel: String,
    occurred_at: String,
    staff_member: String,
    reason: String,
    summary: Option<String>,
    created_at: String,
    updated_at: String,
    version: i64,
}

impl ContactRow {
    pub fn person_id(&self) -> Result<Uuid, StoreError> {
        parse_uuid(&self.person_id)
    }

    /// Opens the notes with the person's key; without one (erased) they read as absent.
    pub fn open(
        mut self,
        sealer: &Sealer,
        key: Option<&PersonKey>,
    ) -> Result<ContactEntry, StoreError> {
        let id = parse_uuid(&self.id)?;
        self.summary = match (key, self.summary.take()) {
            (Some(key), Some(sealed)) => {
                Some(sealer.open(key, "contact_log", "summary", id, &sealed)?)
            }
            _ => None,
        };
        self.try_into()
    }
}

impl TryFrom<ContactRow> for ContactEntry {
    type Error = StoreError;

    fn try_from(r: ContactRow) -> Result<Self, StoreError> {
        Ok(ContactEntry {
            id: parse_uuid(&r.id)?,
            fields: ContactEntryFields {
                person_id: parse_uuid(&r.person_id)?,
                channel: parse_enum(&r.channel)?,
                occurred_at: parse_ts(&r.occurred_at)?,
                staff_member: r.staff_member,
                reason: r.reason,
                summary: r.summary,
            },
            created_at: parse_ts(&r.created_at)?,
            updated_at: parse_ts(&r.updated_at)?,
            version: r.version,
        })
    }
}

pub fn register_version_params(v: &crate::RegisterVersion) -> Vec<Param> {
    vec![
        text(v.id),
        text(&v.sha256),
        text(&v.version_label),
        time(v.loaded_at),
        text(&v.loaded_by),
        text(&v.content),
    ]
}

#[derive(sqlx::FromRow)]
pub struct RegisterVersionRow {
    id: String,
    sha256: String,
    version_label: String,
    loaded_at: String,
    loaded_by: String,
    content: String,
}

impl TryFrom<RegisterVersionRow> for crate::RegisterVersion {
    type Error = StoreError;

    fn try_from(r: RegisterVersionRow) -> Result<Self, StoreError> {
        Ok(crate::RegisterVersion {
            id: parse_uuid(&r.id)?,
            sha256: r.sha256,
            version_label: r.version_label,
            loaded_at: parse_ts(&r.loaded_at)?,
            loaded_by: r.loaded_by,
            content: r.content,
        })
    }
}

/// An audit row as read back: its place in the chain and the event it holds.
pub fn chained_event(
    (seq, event, prev_hash, hash): (i64, String, String, String),
) -> Result<hearth_core::audit::ChainedEvent, StoreError> {
    let event = serde_json::from_str(&event)
        .map_err(|e| StoreError::Corrupt(format!("audit event {seq}: {e}")))?;
    Ok(hearth_core::audit::ChainedEvent {
        seq,
        event,
        prev_hash,
        hash,
    })
}

/// A filed record's column values, in `FILED_RECORDS` order, with its title and details as
/// stored (sealed when the record is about a person).
pub fn filed_params(
    record: &hearth_core::records::FiledRecord,
    title: String,
    details: Option<String>,
) -> Vec<Param> {
    let f = &record.fields;
    vec![
        Param::Text(Some(record.id.to_string())),
        Param::Text(Some(f.record_type.clone())),
        Param::Text(f.person_id.map(|p| p.to_string())),
        Param::Text(f.tenancy_id.map(|p| p.to_string())),
        Param::Text(f.case_ref.clone()),
        Param::Text(Some(title)),
        Param::Text(details),
        Param::Text(Some(serde_json::Value::Object(f.stats.clone()).to_string())),
        Param::Text(Some(crate::rows::ts(record.created_at))),
        Param::Text(Some(crate::rows::ts(record.last_activity_at))),
        Param::Text(record.closed_at.map(crate::rows::ts)),
        Param::Text(record.anonymised_at.map(crate::rows::ts)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_times_from_both_backends() {
        let sqlite = parse_ts("2026-11-22T06:38:47.123456Z").ok();
        let pg = parse_ts("2026-11-22 06:38:47.123456+00").ok();
        assert!(sqlite.is_some());
        assert_eq!(sqlite, pg);
        assert_eq!(
            sqlite.map(ts),
            Some("2026-11-22T06:38:47.123456Z".to_string())
        );
    }

    #[test]
    fn copy_text_escapes_separators() {
        let mut out = String::new();
        Param::Text(Some("a\tb\\c\nd".into())).copy_text(&mut out);
        assert_eq!(out, "a\\tb\\\\c\\nd");
    }
}
