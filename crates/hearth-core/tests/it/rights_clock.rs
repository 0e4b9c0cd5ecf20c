//! Property tests for the statutory clock's date arithmetic, on every nation's calendar.

use hearth_core::rights::clock::{limit_before_working_day, months_after};
use hearth_core::rights::{
    BankHolidays, ClockFacts, ClockState, Division, Pause, Prerequisite, clock_state,
};
use jiff::ToSpan;
use jiff::civil::Date;
use proptest::prelude::*;

/// A receipt date the shipped calendar covers with room for a three-month limit.
fn received() -> impl Strategy<Value = Date> {
    (0i32..(365 * 8 - 120)).prop_map(|offset| {
        jiff::civil::date(2019, 1, 1)
            .checked_add(offset.days())
            .unwrap_or_else(|e| panic!("{e}"))
    })
}

fn division() -> impl Strategy<Value = Division> {
    prop::sample::select(Division::ALL.to_vec())
}

fn facts(on: Date, pauses: &[Pause], extended: bool) -> ClockFacts<'_> {
    ClockFacts {
        received_on: on,
        identity: Prerequisite::NotNeeded,
        authority: Prerequisite::NotNeeded,
        pauses,
        extended,
    }
}

fn due(facts: &ClockFacts<'_>, calendar: &BankHolidays) -> Date {
    match clock_state(facts, calendar) {
        ClockState::Running { due_on, .. } => due_on,
        other => panic!("the clock should run: {other:?}"),
    }
}

proptest! {
    #[test]
    fn the_limit_is_the_same_date_next_month_or_its_last_day(on in received()) {
        let limit = months_after(on, 1);
        let next_month = on.first_of_month().checked_add(1.month()).unwrap_or_else(|e| panic!("{e}"));
        prop_assert_eq!((limit.year(), limit.month()), (next_month.year(), next_month.month()));
        if on.day() <= next_month.days_in_month() {
            prop_assert_eq!(limit.day(), on.day());
        } else {
            prop_assert_eq!(limit.day(), next_month.days_in_month());
        }
    }

    #[test]
    fn due_is_the_first_working_day_on_or_after_the_limit(on in received(), division in division()) {
        let calendar = BankHolidays::shipped(division);
        let limit = months_after(on, 1);
        let due = due(&facts(on, &[], false), &calendar);
        prop_assert!(due >= limit);
        prop_assert!(calendar.is_working_day(due));
        let mut day = limit;
        while day < due {
            prop_assert!(!calendar.is_working_day(day), "{} is a working day before {}", day, due);
            day = day.tomorrow().unwrap_or_else(|e| panic!("{e}"));
        }
        // A month is 28 to 31 days; the longest run of days off (Christmas and a weekend) is
        // under a week.
        let days = (due - on).get_days();
        prop_assert!((28..=31 + 6).contains(&days), "{} days from {} to {}", days, on, due);
    }

    #[test]
    fn a_later_receipt_is_never_due_earlier(a in received(), b in received(), division in division()) {
        let calendar = BankHolidays::shipped(division);
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(due(&facts(early, &[], false), &calendar) <= due(&facts(late, &[], false), &calendar));
    }

    #[test]
    fn an_extension_is_three_months_from_the_start(on in received(), division in division()) {
        let calendar = BankHolidays::shipped(division);
        let extended = due(&facts(on, &[], true), &calendar);
        prop_assert_eq!(extended, calendar.on_or_next_working_day(months_after(on, 3)));
        prop_assert!(extended > due(&facts(on, &[], false), &calendar));
    }

    #[test]
    fn each_day_awaiting_clarification_moves_the_limit_a_day(
        on in received(), asked_after in 0i32..20, waited in 0i32..40, division in division()
    ) {
        let calendar = BankHolidays::shipped(division);
        let asked_on = on.checked_add(asked_after.days()).unwrap_or_else(|e| panic!("{e}"));
        let answered_on = asked_on.checked_add(waited.days()).unwrap_or_else(|e| panic!("{e}"));
        let pauses = [Pause { asked_on, answered_on: Some(answered_on) }];
        let stopped_days = i64::from(waited) + 1;
        prop_assert_eq!(
            due(&facts(on, &pauses, false), &calendar),
            calendar.on_or_next_working_day(limit_before_working_day(on, 1, stopped_days))
        );
        let open = [Pause { asked_on, answered_on: None }];
        prop_assert!(matches!(clock_state(&facts(on, &open, false), &calendar), ClockState::Stopped { .. }), "unanswered clarification should stop the clock");
    }

    #[test]
    fn the_clock_starts_on_the_day_identity_arrives(on in received(), later in 0i32..60, division in division()) {
        let calendar = BankHolidays::shipped(division);
        let arrived = on.checked_add(later.days()).unwrap_or_else(|e| panic!("{e}"));
        let waiting = ClockFacts { identity: Prerequisite::Arrived(arrived), ..facts(on, &[], false) };
        prop_assert_eq!(due(&waiting, &calendar), due(&facts(arrived, &[], false), &calendar));
    }
}
