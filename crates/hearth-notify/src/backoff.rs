//! When to try a failed message again: 30 seconds, then four times longer each attempt, at most
//! six hours apart, and no more than eight attempts (about 11 hours in all) before giving up.

use jiff::{SignedDuration, Timestamp};

/// Attempts before a message is given up as failed.
pub const MAX_ATTEMPTS: u32 = 8;

/// The wait after the `attempt`-th failed attempt (1 for the first).
pub fn backoff(attempt: u32) -> SignedDuration {
    let step = attempt.saturating_sub(1).min(10);
    let seconds = 30_i64.saturating_mul(4_i64.saturating_pow(step));
    SignedDuration::from_secs(seconds.min(6 * 3600))
}

/// When to try again after the `attempt`-th failure at `now`; `None` when it was the last.
pub fn next_attempt_at(now: Timestamp, attempt: u32) -> Option<Timestamp> {
    (attempt < MAX_ATTEMPTS).then(|| now.checked_add(backoff(attempt)).unwrap_or(now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_fourfold_up_to_six_hours_then_stop() {
        let secs: Vec<i64> = (1..=8).map(|a| backoff(a).as_secs()).collect();
        assert_eq!(secs, [30, 120, 480, 1920, 7680, 21600, 21600, 21600]);
        let now = Timestamp::UNIX_EPOCH;
        assert_eq!(
            next_attempt_at(now, 1),
            Some(now + SignedDuration::from_secs(30))
        );
        assert_eq!(next_attempt_at(now, MAX_ATTEMPTS), None);
        assert_eq!(backoff(u32::MAX).as_secs(), 21600);
    }
}
