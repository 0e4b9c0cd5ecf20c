//! UK bank holidays by nation, in the format GOV.UK publishes at
//! <https://www.gov.uk/bank-holidays.json>: a council points Hearth at a newer copy of that file
//! when the government announces a holiday, and the statutory clock follows it.

use jiff::civil::{Date, Weekday};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// The calendar shipped with Hearth: GOV.UK's published list (Open Government Licence v3.0).
pub const SHIPPED_BANK_HOLIDAYS: &str = include_str!("../../data/bank-holidays.json");

/// The three bank-holiday calendars of the UK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Division {
    EnglandAndWales,
    Scotland,
    NorthernIreland,
}

impl Division {
    pub const ALL: [Division; 3] = [Self::EnglandAndWales, Self::Scotland, Self::NorthernIreland];

    /// The name GOV.UK gives the division, which is also the configuration value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EnglandAndWales => "england-and-wales",
            Self::Scotland => "scotland",
            Self::NorthernIreland => "northern-ireland",
        }
    }
}

impl std::str::FromStr for Division {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "'{s}' is not a bank-holiday division: use england-and-wales, scotland or northern-ireland"
                )
            })
    }
}

/// One nation's bank holidays, and the years the list is known to cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankHolidays {
    division: Division,
    dates: BTreeSet<Date>,
    first_year: i16,
    last_year: i16,
}

#[derive(Deserialize)]
struct GovUkDivision {
    events: Vec<GovUkEvent>,
}

#[derive(Deserialize)]
struct GovUkEvent {
    date: String,
}

impl BankHolidays {
    /// Reads one division from a GOV.UK `bank-holidays.json`. Errors say what is wrong and where.
    pub fn from_govuk_json(json: &str, division: Division) -> Result<Self, String> {
        let all: BTreeMap<String, GovUkDivision> = serde_json::from_str(json)
            .map_err(|e| format!("not a GOV.UK bank-holidays file: {e}"))?;
        let events = &all
            .get(division.as_str())
            .ok_or_else(|| format!("the file has no '{}' division", division.as_str()))?
            .events;
        let mut dates = BTreeSet::new();
        for (i, event) in events.iter().enumerate() {
            let date: Date = event.date.parse().map_err(|_| {
                format!(
                    "{}: event {}: '{}' is not a date (YYYY-MM-DD)",
                    division.as_str(),
                    i + 1,
                    event.date
                )
            })?;
            dates.insert(date);
        }
        let (Some(first), Some(last)) = (dates.first(), dates.last()) else {
            return Err(format!(
                "the '{}' division lists no dates",
                division.as_str()
            ));
        };
        Ok(Self {
            division,
            first_year: first.year(),
            last_year: last.year(),
            dates,
        })
    }

    /// The shipped calendar for a division.
    pub fn shipped(division: Division) -> Self {
        // The shipped file is checked by a test; an error here means the binary was built
        // from a broken file, and an empty calendar (weekends only) is the honest fallback.
        Self::from_govuk_json(SHIPPED_BANK_HOLIDAYS, division).unwrap_or(Self {
            division,
            dates: BTreeSet::new(),
            first_year: 0,
            last_year: -1,
        })
    }

    pub fn division(&self) -> Division {
        self.division
    }

    pub fn is_bank_holiday(&self, date: Date) -> bool {
        self.dates.contains(&date)
    }

    pub fn is_working_day(&self, date: Date) -> bool {
        !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
            && !self.is_bank_holiday(date)
    }

    /// The date itself if it is a working day, else the next one.
    pub fn on_or_next_working_day(&self, mut date: Date) -> Date {
        while !self.is_working_day(date) {
            match date.tomorrow() {
                Ok(next) => date = next,
                Err(_) => break,
            }
        }
        date
    }

    /// Whether the list covers this date's year: beyond it, only weekends are known.
    pub fn covers(&self, date: Date) -> bool {
        (self.first_year..=self.last_year).contains(&date.year())
    }

    /// The years the list covers, as "2019-2027".
    pub fn coverage(&self) -> String {
        format!("{}-{}", self.first_year, self.last_year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_shipped_file_reads_for_every_division() {
        for division in Division::ALL {
            let calendar = BankHolidays::from_govuk_json(SHIPPED_BANK_HOLIDAYS, division)
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(calendar.covers(date(2026, 6, 1)), "{division:?}");
        }
    }

    #[test]
    fn nations_differ() {
        let ew = BankHolidays::shipped(Division::EnglandAndWales);
        let scotland = BankHolidays::shipped(Division::Scotland);
        let ni = BankHolidays::shipped(Division::NorthernIreland);
        // 2 January is a holiday in Scotland only; St Patrick's Day in Northern Ireland only;
        // Easter Monday everywhere but Scotland.
        assert!(scotland.is_bank_holiday(date(2026, 1, 2)));
        assert!(!ew.is_bank_holiday(date(2026, 1, 2)));
        assert!(ni.is_bank_holiday(date(2026, 3, 17)));
        assert!(!ew.is_bank_holiday(date(2026, 3, 17)));
        assert!(ew.is_bank_holiday(date(2026, 4, 6)));
        assert!(!scotland.is_bank_holiday(date(2026, 4, 6)));
        // Summer bank holiday: first Monday of August in Scotland, last elsewhere.
        assert!(scotland.is_bank_holiday(date(2026, 8, 3)));
        assert!(ew.is_bank_holiday(date(2026, 8, 31)));
    }

    #[test]
    fn christmas_substitutes_roll_past_the_weekend() {
        let ew = BankHolidays::shipped(Division::EnglandAndWales);
        // 25 December 2027 is a Saturday: Monday 27 and Tuesday 28 are the substitutes.
        assert_eq!(
            ew.on_or_next_working_day(date(2027, 12, 25)),
            date(2027, 12, 29)
        );
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let err = BankHolidays::from_govuk_json("[]", Division::Scotland).err();
        assert!(err.is_some_and(|e| e.contains("not a GOV.UK")));
        let err = BankHolidays::from_govuk_json(
            r#"{"scotland": {"events": [{"date": "2026-13-01"}]}}"#,
            Division::Scotland,
        )
        .err();
        assert!(err.is_some_and(|e| e.contains("event 1") && e.contains("2026-13-01")));
        let err = BankHolidays::from_govuk_json(
            r#"{"scotland": {"events": []}}"#,
            Division::NorthernIreland,
        )
        .err();
        assert!(err.is_some_and(|e| e.contains("northern-ireland")));
    }
}
