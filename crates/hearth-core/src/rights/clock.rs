//! The statutory clock for rights requests (UK GDPR Art 12, as amended by the Data (Use and
//! Access) Act 2025, and the ICO's right-of-access guidance): one month from the start, the
//! day of receipt counting; the start waits for identity or authority; clarification stops the
//! clock; an extension makes it three months from the start.

use super::calendar::BankHolidays;
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

/// Something the clock may wait for before it starts: proof of identity, or of a
/// representative's authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "status", content = "on", rename_all = "snake_case")]
pub enum Prerequisite {
    /// Not needed: the person is known, or the request came through a verified account.
    NotNeeded,
    /// Asked for and not yet arrived: the clock has not started.
    Awaited,
    /// Arrived on this date.
    #[schema(value_type = String, format = Date)]
    Arrived(Date),
}

impl Prerequisite {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotNeeded => "not_needed",
            Self::Awaited => "awaited",
            Self::Arrived(_) => "arrived",
        }
    }

    pub fn arrived_on(self) -> Option<Date> {
        match self {
            Self::Arrived(on) => Some(on),
            _ => None,
        }
    }
}

/// A request for clarification (Art 12A): the clock stops from the day it is asked until the
/// day the answer arrives, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub asked_on: Date,
    pub answered_on: Option<Date>,
}

/// What the clock knows about a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockFacts<'a> {
    pub received_on: Date,
    pub identity: Prerequisite,
    pub authority: Prerequisite,
    pub pauses: &'a [Pause],
    pub extended: bool,
}

/// Where the clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ClockState {
    /// Waiting for identity or authority: nothing is due yet.
    NotStarted,
    /// Stopped since the day clarification was asked for, until the answer arrives.
    Stopped {
        #[schema(value_type = String, format = Date)]
        started_on: Date,
        #[schema(value_type = String, format = Date)]
        since: Date,
    },
    /// Running: the response is due by the end of `due_on`.
    Running {
        #[schema(value_type = String, format = Date)]
        started_on: Date,
        #[schema(value_type = String, format = Date)]
        due_on: Date,
        /// The last day to tell the person of an extension (the one-month due date).
        #[schema(value_type = String, format = Date)]
        extension_notice_by: Date,
        /// False when the bank-holiday calendar does not reach the due date's year, so only
        /// weekends were skipped: update the calendar.
        calendar_covers: bool,
    },
}

impl ClockState {
    pub fn due_on(&self) -> Option<Date> {
        match self {
            Self::Running { due_on, .. } => Some(*due_on),
            _ => None,
        }
    }
}

/// The day the clock starts: the day of receipt, or the later day identity or authority arrived.
/// `None` while either is awaited.
pub fn start_date(facts: &ClockFacts<'_>) -> Option<Date> {
    let mut start = facts.received_on;
    for prerequisite in [facts.identity, facts.authority] {
        match prerequisite {
            Prerequisite::NotNeeded => {}
            Prerequisite::Awaited => return None,
            Prerequisite::Arrived(on) => start = start.max(on),
        }
    }
    Some(start)
}

/// Days of `pause` that fall on or after `start`, both ends included; `None` while unanswered.
fn paused_days(pause: &Pause, start: Date) -> Option<i64> {
    let answered = pause.answered_on?;
    let from = pause.asked_on.max(start);
    if answered < from {
        return Some(0);
    }
    Some(i64::from((answered - from).get_days()) + 1)
}

/// `start` plus `months` calendar months: the same date, or that month's last day when the
/// date does not exist (31 January -> 28 or 29 February).
pub fn months_after(start: Date, months: i32) -> Date {
    // jiff clamps the day to the month's end, which is the ICO's rule. Dates this far from
    // the range jiff supports (year 9999) cannot be received, so saturate rather than fail.
    start.checked_add(months.months()).unwrap_or(Date::MAX)
}

/// The one-month (or, extended, three-month) limit before the working-day rule: a pure
/// calendar date, moved on by every day the clock was stopped.
pub fn limit_before_working_day(start: Date, months: i32, days_stopped: i64) -> Date {
    months_after(start, months)
        .checked_add(days_stopped.days())
        .unwrap_or(Date::MAX)
}

/// Where the clock stands for these facts, on this calendar.
pub fn clock_state(facts: &ClockFacts<'_>, calendar: &BankHolidays) -> ClockState {
    let Some(started_on) = start_date(facts) else {
        return ClockState::NotStarted;
    };
    let mut days_stopped = 0;
    for pause in facts.pauses {
        match paused_days(pause, started_on) {
            Some(days) => days_stopped += days,
            None => {
                return ClockState::Stopped {
                    started_on,
                    since: pause.asked_on.max(started_on),
                };
            }
        }
    }
    let one_month =
        calendar.on_or_next_working_day(limit_before_working_day(started_on, 1, days_stopped));
    let months = if facts.extended { 3 } else { 1 };
    let due_on =
        calendar.on_or_next_working_day(limit_before_working_day(started_on, months, days_stopped));
    ClockState::Running {
        started_on,
        due_on,
        extension_notice_by: one_month,
        calendar_covers: calendar.covers(due_on),
    }
}

#[cfg(test)]
mod tests {
    use super::super::calendar::Division;
    use super::*;
    use jiff::civil::date;

    fn ew() -> BankHolidays {
        BankHolidays::shipped(Division::EnglandAndWales)
    }

    fn due(facts: &ClockFacts<'_>, calendar: &BankHolidays) -> Option<Date> {
        clock_state(facts, calendar).due_on()
    }

    fn received(on: Date) -> ClockFacts<'static> {
        ClockFacts {
            received_on: on,
            identity: Prerequisite::NotNeeded,
            authority: Prerequisite::NotNeeded,
            pauses: &[],
            extended: false,
        }
    }

    // The ICO's worked examples (right of access guidance, "How long do we have to comply?").

    #[test]
    fn ico_request_on_3_september_is_due_3_october() {
        // 3 October 2024 is a Thursday, so no working-day adjustment hides the rule.
        assert_eq!(
            due(&received(date(2024, 9, 3)), &ew()),
            Some(date(2024, 10, 3))
        );
    }

    #[test]
    fn ico_no_corresponding_date_means_the_last_day_of_the_month() {
        // Received 31 March: there is no 31 April, so 30 April (a Wednesday in 2025).
        assert_eq!(
            due(&received(date(2025, 3, 31)), &ew()),
            Some(date(2025, 4, 30))
        );
        // 31 January -> 28 February, and 29 February in a leap year.
        assert_eq!(
            due(&received(date(2025, 1, 31)), &ew()),
            Some(date(2025, 2, 28))
        );
        assert_eq!(
            due(&received(date(2024, 1, 31)), &ew()),
            Some(date(2024, 2, 29))
        );
    }

    #[test]
    fn ico_weekend_or_bank_holiday_moves_to_the_next_working_day() {
        // 30 April 2022 was a Saturday and Monday 2 May the early May bank holiday: Tuesday.
        assert_eq!(
            due(&received(date(2022, 3, 31)), &ew()),
            Some(date(2022, 5, 3))
        );
    }

    #[test]
    fn ico_the_clock_starts_when_identity_arrives() {
        let facts = ClockFacts {
            identity: Prerequisite::Arrived(date(2024, 9, 10)),
            ..received(date(2024, 9, 3))
        };
        assert_eq!(due(&facts, &ew()), Some(date(2024, 10, 10)));
        let waiting = ClockFacts {
            authority: Prerequisite::Awaited,
            ..received(date(2024, 9, 3))
        };
        assert_eq!(clock_state(&waiting, &ew()), ClockState::NotStarted);
    }

    #[test]
    fn ico_an_extension_is_three_months_from_the_start() {
        let facts = ClockFacts {
            extended: true,
            ..received(date(2024, 9, 3))
        };
        // 3 December 2024 is a Tuesday; the notice was due by 3 October.
        assert_eq!(
            clock_state(&facts, &ew()),
            ClockState::Running {
                started_on: date(2024, 9, 3),
                due_on: date(2024, 12, 3),
                extension_notice_by: date(2024, 10, 3),
                calendar_covers: true,
            }
        );
    }

    #[test]
    fn clarification_stops_the_clock_for_the_days_it_was_awaited() {
        // Received 3 September 2024; clarification asked on 10 September and answered on the
        // 16th: seven days (10th to 16th) do not count, so 3 October becomes 10 October.
        let pauses = [Pause {
            asked_on: date(2024, 9, 10),
            answered_on: Some(date(2024, 9, 16)),
        }];
        let facts = ClockFacts {
            pauses: &pauses,
            ..received(date(2024, 9, 3))
        };
        assert_eq!(due(&facts, &ew()), Some(date(2024, 10, 10)));
        let open = [Pause {
            asked_on: date(2024, 9, 10),
            answered_on: None,
        }];
        let facts = ClockFacts {
            pauses: &open,
            ..received(date(2024, 9, 3))
        };
        assert_eq!(
            clock_state(&facts, &ew()),
            ClockState::Stopped {
                started_on: date(2024, 9, 3),
                since: date(2024, 9, 10)
            }
        );
    }

    #[test]
    fn scotland_keeps_2_january() {
        // Received 2 December 2025: 2 January 2026 is a Friday, a holiday in Scotland only.
        let facts = received(date(2025, 12, 2));
        assert_eq!(due(&facts, &ew()), Some(date(2026, 1, 2)));
        let scotland = BankHolidays::shipped(Division::Scotland);
        assert_eq!(due(&facts, &scotland), Some(date(2026, 1, 5)));
    }

    #[test]
    fn beyond_the_calendar_the_state_says_so() {
        let ClockState::Running {
            calendar_covers, ..
        } = clock_state(&received(date(2040, 3, 1)), &ew())
        else {
            panic!("the clock should run");
        };
        assert!(!calendar_covers);
    }
}
