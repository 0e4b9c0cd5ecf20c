//! Where a repair is in its life, and which moves are allowed: a closed repair stays closed,
//! so its retention clock (six years from closing) cannot be restarted by accident.

use crate::records::text_enum;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RepairStatus {
    /// Reported, not yet planned.
    Reported,
    /// A visit or video call is booked.
    Scheduled,
    /// Work has started (on site or over video).
    InProgress,
    /// Fixed: by a visit, remotely over video, or no fault found.
    Completed,
    /// Withdrawn by the resident or raised in error.
    Cancelled,
}
text_enum!(RepairStatus {
    Reported => "reported", Scheduled => "scheduled", InProgress => "in_progress",
    Completed => "completed", Cancelled => "cancelled",
});

impl RepairStatus {
    /// Completed and cancelled repairs are closed: their retention period is running.
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Completed | Self::Cancelled)
    }

    /// Whether a repair may move from this status to `next`.
    pub fn can_move_to(self, next: Self) -> bool {
        use RepairStatus::*;
        match self {
            Completed | Cancelled => false,
            Reported => matches!(next, Scheduled | InProgress | Completed | Cancelled),
            // Rebooking keeps a repair scheduled.
            Scheduled => matches!(next, Scheduled | InProgress | Completed | Cancelled),
            // A follow-on visit is booked from work in progress.
            InProgress => matches!(next, Scheduled | Completed | Cancelled),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RepairStatus::*;

    #[test]
    fn closed_repairs_never_reopen() {
        for next in super::RepairStatus::ALL {
            assert!(!Completed.can_move_to(*next));
            assert!(!Cancelled.can_move_to(*next));
        }
    }

    #[test]
    fn open_repairs_move_forward_and_may_be_rebooked() {
        assert!(Reported.can_move_to(Scheduled));
        assert!(Scheduled.can_move_to(Scheduled));
        assert!(InProgress.can_move_to(Scheduled));
        assert!(InProgress.can_move_to(Completed));
        assert!(!Scheduled.can_move_to(Reported));
        assert!(!InProgress.can_move_to(InProgress));
        assert!(Completed.is_closed() && Cancelled.is_closed() && !InProgress.is_closed());
    }
}
