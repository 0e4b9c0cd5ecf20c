//! Retention periods: days, weeks, calendar months or years, or kept indefinitely.

use jiff::civil::Date;
use jiff::{Span, ToSpan};
use serde::Serialize;

/// How long a record is kept after its trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "unit", content = "count")]
pub enum Period {
    Days(u32),
    Weeks(u32),
    Months(u32),
    Years(u32),
    Indefinite,
}

impl Period {
    /// Parses `1 day`, `4 weeks`, `3 months`, `6 years` or `indefinite`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw == "indefinite" {
            return Ok(Self::Indefinite);
        }
        let bad = || {
            format!(
                "'{raw}' is not a period: expected '<n> days|weeks|months|years' or 'indefinite'"
            )
        };
        let (count, unit) = raw.split_once(' ').ok_or_else(bad)?;
        let count: u32 = count.parse().map_err(|_| bad())?;
        if count == 0 || count > 1200 {
            return Err(format!("'{raw}': the number must be between 1 and 1200"));
        }
        match unit.trim() {
            "day" | "days" => Ok(Self::Days(count)),
            "week" | "weeks" => Ok(Self::Weeks(count)),
            "month" | "months" => Ok(Self::Months(count)),
            "year" | "years" => Ok(Self::Years(count)),
            _ => Err(bad()),
        }
    }

    fn span(self) -> Option<Span> {
        Some(match self {
            Self::Days(n) => i64::from(n).days(),
            Self::Weeks(n) => i64::from(n).weeks(),
            Self::Months(n) => i64::from(n).months(),
            Self::Years(n) => i64::from(n).years(),
            Self::Indefinite => return None,
        })
    }

    /// The last day a record triggered on `from` may be kept; `None` when kept indefinitely.
    /// Months and years are calendar units, clamped to the month's end (31 Jan + 1 month = 28/29 Feb).
    pub fn keep_until(self, from: Date) -> Option<Date> {
        from.checked_add(self.span()?).ok()
    }

    /// An approximate length in days, for comparing a minimum with a maximum.
    pub fn approx_days(self) -> u64 {
        match self {
            Self::Days(n) => u64::from(n),
            Self::Weeks(n) => u64::from(n) * 7,
            Self::Months(n) => u64::from(n) * 30,
            Self::Years(n) => u64::from(n) * 365,
            Self::Indefinite => u64::MAX,
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (n, unit) = match self {
            Self::Days(n) => (n, "day"),
            Self::Weeks(n) => (n, "week"),
            Self::Months(n) => (n, "month"),
            Self::Years(n) => (n, "year"),
            Self::Indefinite => return f.write_str("indefinite"),
        };
        write!(f, "{n} {unit}{}", if *n == 1 { "" } else { "s" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn months_clamp_to_the_end_of_the_month() {
        assert_eq!(
            Period::Months(1).keep_until(date(2026, 1, 31)),
            Some(date(2026, 2, 28))
        );
        assert_eq!(
            Period::Months(1).keep_until(date(2028, 1, 31)),
            Some(date(2028, 2, 29))
        );
        assert_eq!(
            Period::Weeks(4).keep_until(date(2026, 11, 1)),
            Some(date(2026, 11, 29))
        );
        assert_eq!(
            Period::Years(6).keep_until(date(2020, 2, 29)),
            Some(date(2026, 2, 28))
        );
        assert_eq!(Period::Indefinite.keep_until(date(2020, 1, 1)), None);
    }

    #[test]
    fn parses_and_prints() {
        for raw in ["1 day", "4 weeks", "3 months", "6 years", "indefinite"] {
            assert_eq!(
                Period::parse(raw).map(|p| p.to_string()),
                Ok(raw.to_string())
            );
        }
        assert!(Period::parse("3 fortnights").is_err());
        assert!(Period::parse("0 days").is_err());
        assert!(Period::parse("soon").is_err());
    }
}
