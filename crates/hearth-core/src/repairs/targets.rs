//! When a repair should be done by, from its priority. The notices set no targets; these are the
//! council's service standards (set in configuration), counted in hours for emergencies and in
//! working days (England and Wales bank holidays skipped) for the rest.

use super::Priority;
use crate::retention::{uk_date, uk_day_start};
use crate::rights::BankHolidays;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// The council's repair targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepairTargets {
    /// Emergencies (danger to people or serious damage to the home): hours from the report.
    pub emergency_hours: u32,
    /// Urgent repairs: by the end of this many working days after the day of the report.
    pub urgent_working_days: u32,
    /// Routine repairs: likewise.
    pub routine_working_days: u32,
}

impl Default for RepairTargets {
    /// Common social-landlord standards: 24 hours, 5 working days, 20 working days.
    fn default() -> Self {
        Self {
            emergency_hours: 24,
            urgent_working_days: 5,
            routine_working_days: 20,
        }
    }
}

impl RepairTargets {
    /// Refuses targets that make no sense, naming the setting.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=168).contains(&self.emergency_hours) {
            return Err("repair_targets.emergency_hours must be 1 to 168".into());
        }
        if !(1..=60).contains(&self.urgent_working_days) {
            return Err("repair_targets.urgent_working_days must be 1 to 60".into());
        }
        if !(self.urgent_working_days..=250).contains(&self.routine_working_days) {
            return Err(
                "repair_targets.routine_working_days must be at least the urgent target and at most 250"
                    .into(),
            );
        }
        Ok(())
    }

    /// The moment a repair of this priority, reported at `reported_at`, is due.
    pub fn target_at(
        &self,
        priority: Priority,
        reported_at: Timestamp,
        calendar: &BankHolidays,
    ) -> Timestamp {
        let days = match priority {
            Priority::Emergency => {
                let hours = SignedDuration::from_hours(i64::from(self.emergency_hours));
                return reported_at.checked_add(hours).unwrap_or(reported_at);
            }
            Priority::Urgent => self.urgent_working_days,
            Priority::Routine => self.routine_working_days,
        };
        let mut day = uk_date(reported_at);
        let mut counted = 0;
        while counted < days {
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
            if calendar.is_working_day(day) {
                counted += 1;
            }
        }
        // By the end of that working day: the first instant of the next day, UK time.
        day.tomorrow()
            .ok()
            .and_then(uk_day_start)
            .unwrap_or(reported_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rights::Division;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn emergencies_count_hours_and_others_count_working_days() {
        let t = RepairTargets::default();
        let cal = BankHolidays::shipped(Division::EnglandAndWales);
        // Friday 18 December 2026, 4pm UK time (GMT).
        let reported = at("2026-12-18T16:00:00Z");
        assert_eq!(
            t.target_at(Priority::Emergency, reported, &cal),
            at("2026-12-19T16:00:00Z")
        );
        // Five working days skip the weekend, Christmas Day and Boxing Day (substitute Monday
        // 28 December): 21, 22, 23, 24, 29 December; due by the end of the 29th.
        assert_eq!(
            t.target_at(Priority::Urgent, reported, &cal),
            at("2026-12-30T00:00:00Z")
        );
        let routine = t.target_at(Priority::Routine, reported, &cal);
        assert!(routine > at("2027-01-14T00:00:00Z"), "{routine}");
    }

    #[test]
    fn working_day_targets_end_at_uk_midnight_in_summer_time() {
        let t = RepairTargets::default();
        let cal = BankHolidays::shipped(Division::EnglandAndWales);
        // Monday 6 July 2026 10:00 BST: five working days is Monday 13 July; due 23:00 UTC.
        let due = t.target_at(Priority::Urgent, at("2026-07-06T09:00:00Z"), &cal);
        assert_eq!(due, at("2026-07-13T23:00:00Z"));
    }

    #[test]
    fn nonsense_targets_are_refused_by_name() {
        let bad = RepairTargets {
            emergency_hours: 0,
            ..RepairTargets::default()
        };
        assert!(bad.validate().unwrap_err().contains("emergency_hours"));
        let upside_down = RepairTargets {
            urgent_working_days: 30,
            routine_working_days: 10,
            ..RepairTargets::default()
        };
        assert!(
            upside_down
                .validate()
                .unwrap_err()
                .contains("routine_working_days")
        );
        assert!(RepairTargets::default().validate().is_ok());
    }
}
