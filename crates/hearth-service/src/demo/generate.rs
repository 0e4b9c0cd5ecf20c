//! The generator: households of one to six people, each with a property and a tenancy, written
//! as the three import files, plus contact-log entries.

use super::names::*;
use hearth_core::identifiers::NhsNumber;
use hearth_core::records::{ContactChannel, ContactEntryFields};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::{Path, PathBuf};

/// The files written and the contacts generated (keyed by person reference).
pub struct DemoCsv {
    pub people: PathBuf,
    pub properties: PathBuf,
    pub tenancies: PathBuf,
    pub contacts: Vec<(String, ContactEntryFields)>,
}

pub const PEOPLE_HEADER: &[&str] = &[
    "external_ref",
    "title",
    "given_name",
    "middle_names",
    "family_name",
    "date_of_birth",
    "roles",
    "ni_number",
    "nhs_number",
    "phone",
    "mobile",
    "email",
    "address_line1",
    "town",
    "postcode",
    "preferred_channel",
    "accessible_formats",
    "language",
    "ethnicity",
    "disability",
    "religion",
    "carer",
];
const PROPERTY_HEADER: &[&str] = &[
    "uprn",
    "address_line1",
    "town",
    "postcode",
    "property_type",
    "bedrooms",
];
const TENANCY_HEADER: &[&str] = &[
    "external_ref",
    "uprn",
    "tenancy_type",
    "start_date",
    "end_date",
    "end_reason",
    "household_ref",
    "lead_tenant_ref",
    "joint_tenant_refs",
    "member_refs",
];

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn ni_number(rng: &mut ChaCha8Rng) -> String {
    const FIRST: &[u8] = b"ABCEGHJKLMNOPRSTWXYZ";
    const SECOND: &[u8] = b"ABCEGHJKLMNPRSTWXYZ";
    loop {
        let prefix = format!(
            "{}{}",
            *pick(rng, FIRST) as char,
            *pick(rng, SECOND) as char
        );
        if ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(&prefix.as_str()) {
            continue;
        }
        return format!(
            "{prefix}{:06}{}",
            rng.random_range(0..1_000_000),
            *pick(rng, b"ABCD") as char
        );
    }
}

fn nhs_number(rng: &mut ChaCha8Rng) -> String {
    loop {
        let mut first_nine = [0u8; 9];
        for d in &mut first_nine {
            *d = rng.random_range(0..10);
        }
        if let Some(check) = NhsNumber::check_digit(&first_nine) {
            return first_nine
                .iter()
                .chain(std::iter::once(&check))
                .map(|d| char::from(b'0' + d))
                .collect();
        }
    }
}

fn postcode(rng: &mut ChaCha8Rng, outward: &str) -> String {
    format!(
        "{outward} {}{}{}",
        rng.random_range(1..10),
        *pick(rng, INWARD_LETTERS) as char,
        *pick(rng, INWARD_LETTERS) as char
    )
}

fn birth_date(rng: &mut ChaCha8Rng, today: Date, min_age: i64, max_age: i64) -> Date {
    let days = rng.random_range(min_age * 365..max_age * 365 + 364);
    today.checked_sub(days.days()).unwrap_or(today)
}

fn answer(rng: &mut ChaCha8Rng, value: &str) -> String {
    match rng.random_range(0..10) {
        0..=3 => String::new(),
        4 => "prefer_not_to_say".into(),
        _ => value.into(),
    }
}

/// Writes `people.csv`, `properties.csv` and `tenancies.csv` for `people` residents into `dir`.
pub fn write_demo_csv(dir: &Path, people: u64, seed: u64, today: Date) -> std::io::Result<DemoCsv> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let paths = DemoCsv {
        people: dir.join("people.csv"),
        properties: dir.join("properties.csv"),
        tenancies: dir.join("tenancies.csv"),
        contacts: Vec::new(),
    };
    let mut people_csv = csv::Writer::from_path(&paths.people)?;
    let mut property_csv = csv::Writer::from_path(&paths.properties)?;
    let mut tenancy_csv = csv::Writer::from_path(&paths.tenancies)?;
    people_csv.write_record(PEOPLE_HEADER)?;
    property_csv.write_record(PROPERTY_HEADER)?;
    tenancy_csv.write_record(TENANCY_HEADER)?;
    let mut contacts = Vec::new();
    let mut written = 0u64;
    let mut household = 0u64;
    let base_uprn = 83_000_000_000u64 + seed % 1_000 * 1_000_000;
    let now: Timestamp = today
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH);
    while written < people {
        household += 1;
        let (origin, givens, families) = *pick(&mut rng, ORIGINS);
        let family = *pick(&mut rng, families);
        let (town, outwards) = *pick(&mut rng, TOWNS);
        let outward = *pick(&mut rng, outwards);
        let uprn = base_uprn + household;
        let street = format!(
            "{} {} {}",
            rng.random_range(1..240),
            pick(&mut rng, STREETS),
            pick(&mut rng, STREET_KINDS)
        );
        let pc = postcode(&mut rng, outward);
        let (kind, bedrooms) = *pick(
            &mut rng,
            &[
                ("flat", 1),
                ("flat", 2),
                ("house", 2),
                ("house", 3),
                ("house", 4),
                ("bungalow", 1),
                ("maisonette", 2),
            ],
        );
        property_csv.write_record([
            uprn.to_string(),
            street.clone(),
            town.into(),
            pc.clone(),
            kind.into(),
            bedrooms.to_string(),
        ])?;

        let adults = if rng.random_bool(0.45) { 2 } else { 1 };
        let children = if rng.random_bool(0.4) {
            rng.random_range(1..4)
        } else {
            0
        };
        let relative = rng.random_bool(0.08);
        let size = (adults + children + u64::from(relative)).min(people - written);
        let mut refs = Vec::new();
        for member in 0..size {
            let person_ref = format!("DEMO{seed}-P{:07}", written + member + 1);
            let is_adult = member < adults || (relative && member == size - 1);
            let dob = if member < adults {
                birth_date(&mut rng, today, 19, 88)
            } else if is_adult {
                birth_date(&mut rng, today, 60, 95)
            } else {
                birth_date(&mut rng, today, 0, 17)
            };
            let given = *pick(&mut rng, givens);
            let roles = match member {
                0 => "tenant",
                1 if adults == 2 => "joint_tenant;tenant",
                _ => "household_member",
            };
            let email_ok = is_adult && rng.random_bool(0.6);
            let mobile = is_adult
                .then(|| format!("07700 900{:03}", rng.random_range(0..1000)))
                .filter(|_| rng.random_bool(0.85));
            let phone = (is_adult && rng.random_bool(0.3))
                .then(|| format!("01632 960{:03}", rng.random_range(0..1000)));
            let channel = if email_ok {
                "email"
            } else if mobile.is_some() {
                "sms"
            } else {
                "letter"
            };
            let formats = if rng.random_bool(0.04) {
                "large_print"
            } else if rng.random_bool(0.02) {
                "audio"
            } else {
                ""
            };
            let language = if is_adult && rng.random_bool(0.3) {
                language_of(origin).unwrap_or("")
            } else {
                ""
            };
            let ethnic_group = *pick(&mut rng, ETHNICITIES);
            let ethnicity = if is_adult {
                answer(&mut rng, ethnic_group)
            } else {
                String::new()
            };
            let disabled = if rng.random_bool(0.2) { "Yes" } else { "No" };
            let disability = if is_adult {
                answer(&mut rng, disabled)
            } else {
                String::new()
            };
            let belief = *pick(
                &mut rng,
                &[
                    "No religion",
                    "Christian",
                    "Muslim",
                    "Sikh",
                    "Hindu",
                    "Buddhist",
                    "Jewish",
                ],
            );
            let religion = if is_adult {
                answer(&mut rng, belief)
            } else {
                String::new()
            };
            let cares = if rng.random_bool(0.1) { "Yes" } else { "No" };
            let carer = if is_adult {
                answer(&mut rng, cares)
            } else {
                String::new()
            };
            // Titles are left blank: a synthetic name's gender is unknown.
            let title = "";
            let middle = if rng.random_bool(0.2) {
                *pick(&mut rng, givens)
            } else {
                ""
            };
            let email = if email_ok {
                format!(
                    "{}.{}{}@example.org",
                    given.to_lowercase(),
                    family.to_lowercase().replace(['\'', ' '], ""),
                    written + member + 1
                )
            } else {
                String::new()
            };
            let ni = if is_adult && rng.random_bool(0.9) {
                ni_number(&mut rng)
            } else {
                String::new()
            };
            let nhs = if rng.random_bool(0.7) {
                nhs_number(&mut rng)
            } else {
                String::new()
            };
            people_csv.write_record([
                person_ref.as_str(),
                title,
                given,
                middle,
                family,
                &dob.to_string(),
                roles,
                &ni,
                &nhs,
                phone.as_deref().unwrap_or(""),
                mobile.as_deref().unwrap_or(""),
                &email,
                &street,
                town,
                &pc,
                channel,
                formats,
                language,
                &ethnicity,
                &disability,
                &religion,
                &carer,
            ])?;
            if is_adult {
                for _ in 0..rng.random_range(0..4) {
                    let hours = rng.random_range(1..24 * 700);
                    contacts.push((
                        person_ref.clone(),
                        ContactEntryFields {
                            person_id: uuid::Uuid::nil(),
                            channel: *pick(&mut rng, ContactChannel::ALL),
                            occurred_at: now
                                .checked_sub(jiff::SignedDuration::from_hours(hours))
                                .unwrap_or(now),
                            staff_member: format!("u{}", rng.random_range(1001..1041)),
                            reason: (*pick(&mut rng, CONTACT_REASONS)).into(),
                            summary: Some("Synthetic demo contact.".into()),
                        },
                    ));
                }
            }
            refs.push((person_ref, member, is_adult));
        }
        written += size;

        let start = today
            .checked_sub(rng.random_range(30..9_000).days())
            .unwrap_or(today);
        let tenancy_type = *pick(
            &mut rng,
            &[
                "secure",
                "secure",
                "secure",
                "introductory",
                "flexible",
                "leasehold",
            ],
        );
        let lead = refs.first().map(|r| r.0.clone()).unwrap_or_default();
        let joint: Vec<String> = refs
            .iter()
            .filter(|(_, m, _)| *m == 1 && adults == 2)
            .map(|r| r.0.clone())
            .collect();
        let members: Vec<String> = refs
            .iter()
            .filter(|(_, m, _)| *m >= adults)
            .map(|(r, _, adult)| format!("{r}:{}", if *adult { "other_relative" } else { "child" }))
            .collect();
        tenancy_csv.write_record([
            format!("DEMO{seed}-T{household:07}"),
            uprn.to_string(),
            tenancy_type.into(),
            start.to_string(),
            String::new(),
            String::new(),
            format!("DEMO{seed}-H{household:07}"),
            lead,
            joint.join(";"),
            members.join(";"),
        ])?;
    }
    people_csv.flush()?;
    property_csv.flush()?;
    tenancy_csv.flush()?;
    Ok(DemoCsv { contacts, ..paths })
}
