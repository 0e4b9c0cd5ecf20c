//! When a record's retention period has ended: the register's period and trigger turned into a
//! cut-off date a database can compare against, exactly, calendar months included.

use crate::register::{DisposalAction, Period, RecordType, Trigger};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

/// The civil date a stored time falls on in the United Kingdom (Europe/London).
pub fn uk_date(at: Timestamp) -> Date {
    at.to_zoned(uk_zone()).date()
}

/// The first instant of a UK civil date.
pub fn uk_day_start(date: Date) -> Option<Timestamp> {
    date.to_zoned(uk_zone()).ok().map(|z| z.timestamp())
}

fn uk_zone() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC)
}

/// The latest trigger date whose period has ended by `as_of`: a record triggered on or before
/// it has passed its last day of keeping. `None` when the period is indefinite.
///
/// "Kept 1 month from 31 January" runs to 28 February, so `as_of - period` alone is off by up
/// to three days around month ends; the answer is found from there by stepping day by day with
/// the same calendar arithmetic that [`Period::keep_until`] uses, which is monotonic.
pub fn expired_through(period: Period, as_of: Date) -> Option<Date> {
    let expired = |d: Date| period.keep_until(d).is_some_and(|until| until < as_of);
    let span = match period {
        Period::Days(n) => jiff::Span::new().days(i64::from(n)),
        Period::Weeks(n) => jiff::Span::new().weeks(i64::from(n)),
        Period::Months(n) => jiff::Span::new().months(i64::from(n)),
        Period::Years(n) => jiff::Span::new().years(i64::from(n)),
        Period::Indefinite => return None,
    };
    let mut d = as_of.checked_sub(span).ok()?;
    // At most a few steps either way: month clamping moves a date by three days at most.
    while !expired(d) {
        d = d.yesterday().ok()?;
    }
    while let Ok(next) = d.tomorrow() {
        if !expired(next) {
            break;
        }
        d = next;
    }
    Some(d)
}

/// One record type's schedule as a run applies it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScheduleView {
    pub record_type: String,
    pub name: String,
    /// "3 months after created".
    pub rule: String,
    #[schema(value_type = String)]
    pub action: DisposalAction,
    /// For review schedules, the role that reviews.
    pub review_role: Option<String>,
    /// Fields an anonymised record keeps.
    pub keep_fields: Vec<String>,
    /// How disposal was done before Hearth, as the register records it.
    pub disposal: Option<String>,
}

impl ScheduleView {
    pub fn of(record_type: &RecordType) -> Self {
        let r = &record_type.retention;
        Self {
            record_type: record_type.id.clone(),
            name: record_type.name.clone(),
            rule: rule_text(r.period, &r.trigger),
            action: r.action,
            review_role: r.review_role.clone(),
            keep_fields: r.keep_fields.clone(),
            disposal: record_type.disposal.clone(),
        }
    }
}

/// "3 months after created", "kept indefinitely".
pub fn rule_text(period: Period, trigger: &Trigger) -> String {
    match period {
        Period::Indefinite => "kept indefinitely".to_string(),
        p => format!("{p} after {trigger}"),
    }
}

impl DisposalAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Delete => "delete",
            Self::Anonymise => "anonymise",
            Self::Review => "review",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn month_ends_are_exact() {
        // 28 Feb + 1 month = 28 Mar, so on 31 Mar a record made on 28 Feb has gone past its
        // last day, though 31 Mar - 1 month is 28 Feb.
        assert_eq!(
            expired_through(Period::Months(1), date(2026, 3, 31)),
            Some(date(2026, 2, 28))
        );
        // 29, 30 and 31 January are all kept until 28 February.
        assert_eq!(
            expired_through(Period::Months(1), date(2026, 3, 1)),
            Some(date(2026, 1, 31))
        );
        assert_eq!(
            expired_through(Period::Months(1), date(2026, 2, 28)),
            Some(date(2026, 1, 27))
        );
        assert_eq!(
            expired_through(Period::Days(1), date(2026, 11, 22)),
            Some(date(2026, 11, 20))
        );
        assert_eq!(expired_through(Period::Indefinite, date(2026, 1, 1)), None);
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (2000i16..2100, 1i8..=12, 1i8..=31)
            .prop_filter_map("a real date", |(y, m, d)| Date::new(y, m, d).ok())
    }

    fn any_period() -> impl Strategy<Value = Period> {
        prop_oneof![
            (1u32..400).prop_map(Period::Days),
            (1u32..60).prop_map(Period::Weeks),
            (1u32..40).prop_map(Period::Months),
            (1u32..10).prop_map(Period::Years),
        ]
    }

    proptest! {
        /// The cut-off splits every trigger date exactly: on or before it, the last day of
        /// keeping is before `as_of`; after it, it is not.
        #[test]
        fn the_cut_off_is_exact(period in any_period(), as_of in any_date(), offset in -40i64..40) {
            let cut = expired_through(period, as_of);
            prop_assert!(cut.is_some());
            let cut = cut.unwrap_or(as_of);
            let probe = cut.checked_add(jiff::Span::new().days(offset)).unwrap_or(cut);
            let expired = period.keep_until(probe).is_some_and(|until| until < as_of);
            prop_assert_eq!(expired, probe <= cut);
        }
    }
}
