//! SQL for retention sweeps, in PostgreSQL dialect (converted for SQLite like every query):
//! which records of a type have passed their period, which are held, and what must go before
//! a record can. Text comes from constants and the fixed table names; values are parameters.

use crate::retention::{RecordTable, Selection, Sweep};
use crate::rows::Param;
use hearth_core::register::Trigger;

/// A statement under construction: text plus its parameters, numbered as they are added.
#[derive(Default)]
pub(crate) struct Built {
    pub text: String,
    pub params: Vec<Param>,
}

impl Built {
    /// Adds a text parameter and returns its placeholder with a cast (`$3::uuid`).
    pub fn param(&mut self, value: Option<String>, cast: &str) -> String {
        self.params.push(Param::Text(value));
        format!("${}::{cast}", self.params.len())
    }

    pub fn int(&mut self, value: i64) -> String {
        self.params.push(Param::Int(Some(value)));
        format!("${}", self.params.len())
    }
}

/// The first instant after the sweep's cut-off day, for comparing stored times.
fn cut_ts(sweep: &Sweep) -> Option<String> {
    let next = sweep.expired_through.tomorrow().ok()?;
    hearth_core::retention::uk_day_start(next).map(crate::rows::ts)
}

fn cut_date(sweep: &Sweep) -> String {
    sweep.expired_through.to_string()
}

/// "Has passed its period" for records aliased `r`.
fn expired_clause(b: &mut Built, sweep: &Sweep) -> String {
    let table = sweep.table;
    match (&sweep.trigger, table) {
        (Trigger::Created, _) => {
            format!("r.created_at < {}", b.param(cut_ts(sweep), "timestamptz"))
        }
        (Trigger::LastActivity, RecordTable::Filed) => {
            format!(
                "r.last_activity_at < {}",
                b.param(cut_ts(sweep), "timestamptz")
            )
        }
        (Trigger::LastActivity, RecordTable::People) => {
            // A person's last activity is the latest on their record or on any linked record.
            let ts = cut_ts(sweep);
            let a = b.param(ts.clone(), "timestamptz");
            let c = b.param(ts.clone(), "timestamptz");
            let f = b.param(ts, "timestamptz");
            format!(
                "r.updated_at < {a} \
                 AND NOT EXISTS (SELECT 1 FROM contact_log c WHERE c.person_id = r.id AND c.updated_at >= {c}) \
                 AND NOT EXISTS (SELECT 1 FROM filed_records f WHERE f.person_id = r.id AND f.last_activity_at >= {f})"
            )
        }
        (Trigger::LastActivity, _) => {
            format!("r.updated_at < {}", b.param(cut_ts(sweep), "timestamptz"))
        }
        (Trigger::CaseClosed, _) => {
            format!("r.closed_at < {}", b.param(cut_ts(sweep), "timestamptz"))
        }
        (Trigger::TenancyEnded, RecordTable::Tenancies) => {
            format!("r.end_date <= {}", b.param(Some(cut_date(sweep)), "date"))
        }
        (Trigger::TenancyEnded, _) => format!(
            "EXISTS (SELECT 1 FROM tenancies t WHERE t.id = r.tenancy_id AND t.end_date <= {})",
            b.param(Some(cut_date(sweep)), "date")
        ),
        (Trigger::Event(name), _) => {
            let name = b.param(Some(name.clone()), "text");
            let date = b.param(Some(cut_date(sweep)), "date");
            format!(
                "EXISTS (SELECT 1 FROM filed_record_events e WHERE e.record_id = r.id AND e.name = {name} AND e.on_date <= {date})"
            )
        }
    }
}

/// The people a record concerns, as SQL producing their ids as text, for person holds.
fn people_of(table: RecordTable) -> Option<&'static str> {
    match table {
        RecordTable::People => Some("SELECT r.id::text"),
        RecordTable::Contacts | RecordTable::Filed => Some("SELECT r.person_id::text"),
        RecordTable::Households => {
            Some("SELECT m.person_id::text FROM household_members m WHERE m.household_id = r.id")
        }
        RecordTable::Tenancies => Some(
            "SELECT m.person_id::text FROM household_members m WHERE m.household_id = r.household_id",
        ),
        RecordTable::Properties => None,
    }
}

/// "Covered by an active legal hold" for records aliased `r` of this sweep's type.
pub(crate) fn held_clause(b: &mut Built, table: RecordTable, record_type: &str) -> String {
    let rt = b.param(Some(record_type.to_string()), "text");
    let mut scopes = vec![
        "(h.scope_kind = 'record' AND h.target = r.id::text)".to_string(),
        format!("(h.scope_kind = 'record_type' AND h.target = {rt})"),
    ];
    if let Some(people) = people_of(table) {
        scopes.push(format!(
            "(h.scope_kind = 'person' AND h.target IN ({people}))"
        ));
    }
    match table {
        RecordTable::Filed => {
            scopes.push("(h.scope_kind = 'case' AND h.target = r.case_ref)".into())
        }
        RecordTable::Tenancies => {
            scopes.push("(h.scope_kind = 'case' AND h.target = r.external_ref)".into())
        }
        _ => {}
    }
    format!(
        "EXISTS (SELECT 1 FROM legal_holds h WHERE h.lifted_at IS NULL AND ({}))",
        scopes.join(" OR ")
    )
}

/// Records that others still point at are kept until those go first.
fn free_of_dependants(table: RecordTable) -> &'static str {
    match table {
        RecordTable::People => {
            "NOT EXISTS (SELECT 1 FROM contact_log c WHERE c.person_id = r.id) \
             AND NOT EXISTS (SELECT 1 FROM household_members m WHERE m.person_id = r.id) \
             AND NOT EXISTS (SELECT 1 FROM filed_records f WHERE f.person_id = r.id)"
        }
        RecordTable::Households | RecordTable::Properties => {
            "NOT EXISTS (SELECT 1 FROM tenancies t WHERE t.household_id = r.id OR t.property_id = r.id)"
        }
        RecordTable::Tenancies => {
            "NOT EXISTS (SELECT 1 FROM filed_records f WHERE f.tenancy_id = r.id)"
        }
        RecordTable::Contacts => "TRUE",
        RecordTable::Filed => "r.anonymised_at IS NULL",
    }
}

/// Reviews that keep a record out of a selection: still open, done, or extended past today.
fn review_state(b: &mut Built, sweep: &Sweep, selection: Selection) -> String {
    match selection {
        Selection::Expired => "TRUE".to_string(),
        Selection::DueForReview => {
            let today = b.param(Some(cut_date_today(sweep)), "date");
            format!(
                "NOT EXISTS (SELECT 1 FROM disposal_reviews v WHERE v.record_id = r.id \
                 AND (v.status IN ('pending', 'approved', 'done') \
                      OR (v.status = 'extended' AND v.keep_until >= {today})))"
            )
        }
        Selection::Approved => "EXISTS (SELECT 1 FROM disposal_reviews v WHERE v.record_id = r.id AND v.status = 'approved')".to_string(),
    }
}

/// An extension runs to its day inclusive; the run's own day is the day after the cut-off of a
/// one-day schedule, so it is carried separately.
fn cut_date_today(sweep: &Sweep) -> String {
    sweep.as_of.to_string()
}

/// The columns a candidate needs: id, person, household.
fn candidate_columns(table: RecordTable) -> &'static str {
    match table {
        RecordTable::People => "r.id::text, r.id::text, NULL",
        RecordTable::Contacts | RecordTable::Filed => "r.id::text, r.person_id::text, NULL",
        RecordTable::Households => "r.id::text, NULL, r.id::text",
        RecordTable::Tenancies => "r.id::text, NULL, r.household_id::text",
        RecordTable::Properties => "r.id::text, NULL, NULL",
    }
}

/// `WHERE` for the records of a sweep's type in its table.
fn of_type(b: &mut Built, sweep: &Sweep) -> String {
    if sweep.table == RecordTable::Filed {
        format!(
            "r.record_type = {}",
            b.param(Some(sweep.record_type.clone()), "text")
        )
    } else {
        "TRUE".to_string()
    }
}

/// The next candidates of a sweep after `after`, in id order.
pub(crate) fn candidates(
    sweep: &Sweep,
    selection: Selection,
    after: Option<String>,
    limit: i64,
) -> Built {
    let mut b = Built::default();
    let of_type = of_type(&mut b, sweep);
    let expired = match selection {
        Selection::Approved => "TRUE".to_string(),
        _ => expired_clause(&mut b, sweep),
    };
    let held = held_clause(&mut b, sweep.table, &sweep.record_type);
    let reviews = review_state(&mut b, sweep, selection);
    // Always a lower bound, even for the first batch: with `id > ?` and `ORDER BY id` the
    // database walks the id index and stops after `limit` rows, rather than finding every
    // expired record by date and sorting them all, batch after batch.
    let after = after.unwrap_or_else(|| uuid::Uuid::nil().to_string());
    let after = format!("r.id > {}", b.param(Some(after), "uuid"));
    let limit = b.int(limit);
    let dependants = match selection {
        // A review is queued whatever still points at the record; destruction waits for them.
        Selection::DueForReview => "TRUE",
        _ => free_of_dependants(sweep.table),
    };
    b.text = format!(
        "SELECT {} FROM {} r WHERE {of_type} AND {expired} AND NOT {held} AND {reviews} AND {dependants} AND {after} ORDER BY r.id LIMIT {limit}",
        candidate_columns(sweep.table),
        sweep.table.name(),
    );
    b
}

/// How many expired records of a sweep are held.
pub(crate) fn count_held(sweep: &Sweep) -> Built {
    let mut b = Built::default();
    let of_type = of_type(&mut b, sweep);
    let expired = expired_clause(&mut b, sweep);
    let held = held_clause(&mut b, sweep.table, &sweep.record_type);
    b.text = format!(
        "SELECT count(*) FROM {} r WHERE {of_type} AND {expired} AND {held}",
        sweep.table.name()
    );
    b
}

/// Of these ids, the ones that may still go: not held (when any hold is in force), nothing
/// pointing at them. Run inside the disposal transaction, after the write lock is taken.
pub(crate) fn still_disposable(sweep: &Sweep, ids: &[String], any_hold: bool) -> Built {
    let mut b = Built::default();
    let list: Vec<String> = ids
        .iter()
        .map(|id| b.param(Some(id.clone()), "uuid"))
        .collect();
    let held = if any_hold {
        held_clause(&mut b, sweep.table, &sweep.record_type)
    } else {
        "FALSE".to_string()
    };
    b.text = format!(
        "SELECT r.id::text FROM {} r WHERE r.id IN ({}) AND NOT {held} AND {}",
        sweep.table.name(),
        list.join(", "),
        free_of_dependants(sweep.table)
    );
    b
}

/// The deletions, in order, that destroy records of this table with their related rows;
/// each takes the id list as `{ids}`.
pub(crate) fn deletions(table: RecordTable) -> &'static [&'static str] {
    match table {
        RecordTable::Filed => &[
            "DELETE FROM filed_record_events WHERE record_id IN ({ids})",
            "DELETE FROM record_media WHERE record_id IN ({ids})",
            "DELETE FROM filed_records WHERE id IN ({ids})",
        ],
        RecordTable::Contacts => &["DELETE FROM contact_log WHERE id IN ({ids})"],
        RecordTable::Tenancies => &["DELETE FROM tenancies WHERE id IN ({ids})"],
        RecordTable::Households => &[
            "DELETE FROM household_members WHERE household_id IN ({ids})",
            "DELETE FROM households WHERE id IN ({ids})",
        ],
        RecordTable::Properties => &["DELETE FROM properties WHERE id IN ({ids})"],
        RecordTable::People => &[
            "DELETE FROM consents WHERE person_id IN ({ids})",
            "DELETE FROM person_flags WHERE person_id IN ({ids})",
            "DELETE FROM assignments WHERE person_id IN ({ids})",
            "DELETE FROM people WHERE id IN ({ids})",
        ],
    }
}
