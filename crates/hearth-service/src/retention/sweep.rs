//! The retention run: for each record type the register schedules, find what has passed its
//! period, keep what is held or restricted, queue what needs review, destroy or anonymise the
//! rest in batches (each one transaction with its counts and audit event), remove media, and
//! close with a signed certificate. A run killed part-way leaves whole batches done; the next
//! run closes it as interrupted (with a certificate of what it did) and finishes the work.

use super::{ReportLine, RunOptions, RunReport};
use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::register::{DisposalAction, RecordType};
use hearth_core::retention::{
    Certificate, DisposalLine, DisposalReview, ReviewStatus, ScheduleView, SignedCertificate,
    expired_through,
};
use hearth_policy::{AdminAction, RecordAction, RecordView, RelatedControls, SubjectControls};
use hearth_store::{Candidate, DisposalBatch, RecordTable, RunRecord, Selection, Sweep};
use std::collections::HashMap;
use uuid::Uuid;

/// The purpose every disposal is made for.
pub const PURPOSE: &str = "records_management";
/// How many records one batch (one transaction) handles. Each commit rewrites every index page
/// the batch touched, and indexes on scattered keys (person, case) put a batch's records on
/// thousands of different pages: at 2,500 a run of a million records spent a third of its time
/// committing the same pages again. 10,000 ids stay a few hundred kilobytes, and a batch holds
/// the write lock for about half a second.
pub const BATCH: i64 = 10_000;

/// This process, as a run's holder: `host:pid`.
fn holder() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "unknown".into());
    format!("{host}:{}", std::process::id())
}

/// Whether the process holding a run is gone: same host and no such process.
fn holder_is_dead(other: &str) -> bool {
    let Some((host, pid)) = other.rsplit_once(':') else {
        return false;
    };
    let here = holder();
    let Some((this_host, this_pid)) = here.rsplit_once(':') else {
        return false;
    };
    host == this_host
        && pid != this_pid
        && std::path::Path::new("/proc/self").exists()
        && !std::path::Path::new(&format!("/proc/{pid}")).exists()
}

impl Hearth {
    /// Runs retention as of a day. A dry run changes nothing and reports what would go.
    pub async fn run_retention(&self, caller: &Caller, options: &RunOptions) -> Result<RunReport> {
        self.require_admin(caller, AdminAction::ManageRetention)
            .await?;
        // Whoever asks for the run, the disposal itself is done by the retention job: the one
        // actor the policy lets destroy records, and only for records management.
        let requester = caller.clone().for_purpose(PURPOSE);
        let mut caller = Caller::system("retention").for_purpose(PURPOSE);
        if let Some(id) = requester.correlation_id() {
            caller = caller.with_correlation_id(id.to_string());
        }
        let actor = if requester.actor() == caller.actor() {
            caller.actor().to_string()
        } else {
            format!("{}, started by {}", caller.actor(), requester.actor())
        };
        let mut report = RunReport {
            run_id: None,
            as_of: options.as_of,
            dry_run: options.dry_run,
            lines: vec![],
            problems: vec![],
            certificate: None,
            interrupted_runs: vec![],
        };
        let signing_key = self.signing_key.clone();
        if !options.dry_run {
            let Some(key) = signing_key.as_deref() else {
                return Err(ServiceError::Storage(
                    "no audit signing key: a run needs one to sign its certificate".into(),
                ));
            };
            report.interrupted_runs = self.close_dead_runs(&caller, key).await?;
            self.remove_tombstoned_media().await?;
            let run = RunRecord {
                id: Uuid::now_v7(),
                actor,
                holder: holder(),
                as_of: options.as_of,
                started_at: self.now(),
                heartbeat_at: self.now(),
                finished_at: None,
                status: "running".into(),
                register_hash: self.register.hash.clone(),
                register_version: self.register.meta.version_label.clone(),
                certificate: None,
            };
            let mut event = self.event(&requester, "retention.run_started".into());
            event.record_type = Some("retention_run".into());
            event.record_ids = vec![run.id.to_string()];
            event.reason = Some(format!("as of {}", options.as_of));
            self.store.start_run(&run, &event).await.map_err(|e| match e {
                hearth_store::StoreError::Duplicate(what) => ServiceError::Conflict(format!(
                    "{what} has not finished: wait for it (a run whose process died is closed by the next run on its host)"
                )),
                other => other.into(),
            })?;
            report.run_id = Some(run.id);
        }
        let mut types: Vec<&RecordType> = self.register.record_types.iter().collect();
        types.sort_by(|a, b| a.id.cmp(&b.id));
        for record_type in types {
            if options
                .only
                .as_deref()
                .is_some_and(|only| only != record_type.id)
            {
                continue;
            }
            match self
                .sweep_type(&caller, options, record_type, report.run_id)
                .await
            {
                Ok(Some(line)) => report.lines.push(line),
                Ok(None) => {}
                Err(SweepProblem(problem)) => report.problems.push(problem),
            }
        }
        if let (Some(run_id), Some(key)) = (report.run_id, signing_key.as_deref()) {
            self.remove_tombstoned_media().await?;
            let run = self
                .store
                .get_run(run_id)
                .await?
                .ok_or(ServiceError::NotFound("retention run"))?;
            let signed = self.close_run(&caller, key, &run, "completed").await?;
            report.certificate = Some(signed);
        }
        Ok(report)
    }

    /// Closes runs whose process died as interrupted, each with a certificate of what it did.
    async fn close_dead_runs(
        &self,
        caller: &Caller,
        key: &hearth_core::audit::CheckpointKey,
    ) -> Result<Vec<Uuid>> {
        let mut closed = Vec::new();
        for run in self.store.running_runs().await? {
            if holder_is_dead(&run.holder) {
                self.close_run(caller, key, &run, "interrupted").await?;
                tracing::warn!(run = %run.id, "closed a retention run whose process died");
                closed.push(run.id);
            }
        }
        Ok(closed)
    }

    /// Writes a run's certificate from its destruction log, signs it and closes the run.
    async fn close_run(
        &self,
        caller: &Caller,
        key: &hearth_core::audit::CheckpointKey,
        run: &RunRecord,
        status: &str,
    ) -> Result<SignedCertificate> {
        let mut lines = self.store.destruction_lines(run.id).await?;
        for line in &mut lines {
            if let Some(rt) = self.register.record_type(&line.record_type) {
                line.record_type_name = rt.name.clone();
            }
        }
        let finished_at = self.now();
        let certificate = Certificate {
            format: hearth_core::retention::certificate::FORMAT.to_string(),
            run_id: run.id,
            controller: self.register.controller.name.clone(),
            actor: run.actor.clone(),
            as_of: run.as_of,
            started_at: run.started_at,
            finished_at,
            status: status.to_string(),
            register_version: run.register_version.clone(),
            register_hash: run.register_hash.clone(),
            lines,
        };
        let signed = certificate.sign(key);
        let json = serde_json::to_string(&signed)
            .map_err(|e| ServiceError::Storage(format!("certificate: {e}")))?;
        let mut event = self.event(caller, "retention.run_finished".into());
        event.record_type = Some("retention_run".into());
        event.record_ids = vec![run.id.to_string()];
        event.reason = Some(format!(
            "{status}: {} destroyed, {} anonymised",
            signed.certificate.total_destroyed(),
            signed.certificate.total_anonymised()
        ));
        self.store
            .finish_run(run.id, status, finished_at, &json, &event)
            .await?;
        Ok(signed)
    }

    /// Removes objects whose records were destroyed, and forgets them once gone.
    pub(crate) async fn remove_tombstoned_media(&self) -> Result<u64> {
        let mut removed = 0;
        loop {
            let batch = self.store.tombstones(500).await?;
            if batch.is_empty() {
                return Ok(removed);
            }
            let media = self
                .media
                .as_ref()
                .ok_or_else(|| ServiceError::Storage("no media storage is configured".into()))?;
            for t in &batch {
                media
                    .remove(&t.object_key)
                    .await
                    .map_err(|e| ServiceError::Storage(e.to_string()))?;
            }
            self.store.clear_tombstones(&batch).await?;
            removed += batch.len() as u64;
        }
    }

    /// One record type's part of a run.
    async fn sweep_type(
        &self,
        caller: &Caller,
        options: &RunOptions,
        record_type: &RecordType,
        run_id: Option<Uuid>,
    ) -> std::result::Result<Option<ReportLine>, SweepProblem> {
        let retention = &record_type.retention;
        let Some(through) = expired_through(retention.period, options.as_of) else {
            return Ok(None);
        };
        let table = RecordTable::of(&record_type.id);
        let problem = |message: String| SweepProblem(format!("{}: {message}", record_type.id));
        if let Some(why) = hearth_store::unsupported_trigger(table, &retention.trigger) {
            return Err(problem(why));
        }
        if retention.action == DisposalAction::Anonymise && !table.can_anonymise() {
            return Err(problem(format!(
                "{} records cannot be anonymised: change the action in the register",
                record_type.name
            )));
        }
        let sweep = Sweep {
            record_type: record_type.id.clone(),
            table,
            trigger: retention.trigger.clone(),
            expired_through: through,
            as_of: options.as_of,
        };
        let view = ScheduleView::of(record_type);
        let mut line = ReportLine {
            record_type: record_type.id.clone(),
            name: record_type.name.clone(),
            rule: view.rule.clone(),
            action: retention.action.as_str().to_string(),
            destroyed: 0,
            anonymised: 0,
            queued_for_review: 0,
            held: self
                .store
                .count_held(&sweep)
                .await
                .map_err(|e| problem(e.to_string()))?,
            kept_by_policy: 0,
        };
        let log_line = DisposalLine {
            record_type: record_type.id.clone(),
            record_type_name: record_type.name.clone(),
            schedule: view.rule.clone(),
            action: retention.action.as_str().to_string(),
            trigger: retention.trigger.to_string(),
            destroyed: 0,
            anonymised: 0,
            media_removed: 0,
            keys_destroyed: 0,
        };
        let fail = |e: ServiceError| problem(e.to_string());
        match retention.action {
            DisposalAction::Delete | DisposalAction::Anonymise => {
                self.dispose_selection(
                    caller,
                    options,
                    record_type,
                    &sweep,
                    Selection::Expired,
                    run_id,
                    &log_line,
                    &mut line,
                )
                .await
                .map_err(fail)?;
            }
            DisposalAction::Review => {
                self.queue_due_reviews(caller, options, record_type, &sweep, &mut line)
                    .await
                    .map_err(fail)?;
                self.dispose_selection(
                    caller,
                    options,
                    record_type,
                    &sweep,
                    Selection::Approved,
                    run_id,
                    &log_line,
                    &mut line,
                )
                .await
                .map_err(fail)?;
            }
        }
        Ok(Some(line))
    }

    /// Walks a selection in batches, lets the gate decide, and destroys what it allows.
    #[allow(clippy::too_many_arguments)]
    async fn dispose_selection(
        &self,
        caller: &Caller,
        options: &RunOptions,
        record_type: &RecordType,
        sweep: &Sweep,
        selection: Selection,
        run_id: Option<Uuid>,
        log_line: &DisposalLine,
        line: &mut ReportLine,
    ) -> Result<()> {
        let anonymise = record_type.retention.action == DisposalAction::Anonymise;
        let action = if anonymise {
            RecordAction::Update
        } else {
            RecordAction::Delete
        };
        let mut after = None;
        loop {
            let batch = self
                .store
                .sweep_candidates(sweep, selection, after, BATCH)
                .await?;
            let Some(last) = batch.last() else {
                return Ok(());
            };
            after = Some(last.id);
            let (allowed, refused) = self
                .gate_disposal(caller, record_type, action, &batch)
                .await?;
            line.kept_by_policy += refused.len() as u64;
            if let Some(reason) = refused.first() {
                let mut event = self.event(caller, "retention.disposal".into());
                event.decision = "denied".into();
                event.record_type = Some(record_type.id.clone());
                event.reason = Some(format!("{} record(s) kept: {reason}", refused.len()));
                if !options.dry_run {
                    self.store.append_audit_events(&[event]).await?;
                }
            }
            if options.dry_run {
                if anonymise {
                    line.anonymised += allowed.len() as u64;
                } else {
                    line.destroyed += allowed.len() as u64;
                }
                continue;
            }
            let Some(run_id) = run_id else {
                return Ok(());
            };
            let mut event = self.event(caller, "retention.disposal".into());
            event.record_type = Some(record_type.id.clone());
            let outcome = self
                .store
                .dispose_batch(&DisposalBatch {
                    sweep,
                    ids: &allowed,
                    run_id,
                    line: log_line,
                    keep_fields: anonymise.then_some(record_type.retention.keep_fields.as_slice()),
                    at: self.now(),
                    audit: &event,
                })
                .await?;
            line.destroyed += outcome.destroyed;
            line.anonymised += outcome.anonymised;
            if !outcome.tombstones.is_empty() {
                self.remove_tombstoned_media().await?;
            }
        }
    }

    /// Queues records whose review is due for the register's reviewer role.
    async fn queue_due_reviews(
        &self,
        caller: &Caller,
        options: &RunOptions,
        record_type: &RecordType,
        sweep: &Sweep,
        line: &mut ReportLine,
    ) -> Result<()> {
        let role = record_type
            .retention
            .review_role
            .clone()
            .unwrap_or_else(|| record_type.responsible_role.clone());
        let decide_by = options
            .as_of
            .checked_add(jiff::Span::new().months(1))
            .unwrap_or(options.as_of);
        let mut after = None;
        loop {
            let batch = self
                .store
                .sweep_candidates(sweep, Selection::DueForReview, after, BATCH)
                .await?;
            let Some(last) = batch.last() else {
                return Ok(());
            };
            after = Some(last.id);
            if options.dry_run {
                line.queued_for_review += batch.len() as u64;
                continue;
            }
            let now = self.now();
            let reviews: Vec<DisposalReview> = batch
                .iter()
                .map(|c| DisposalReview {
                    id: Uuid::now_v7(),
                    record_type: record_type.id.clone(),
                    record_id: c.id,
                    review_role: role.clone(),
                    due_on: options.as_of,
                    decide_by,
                    status: ReviewStatus::Pending,
                    queued_at: now,
                    decided_by: None,
                    decided_at: None,
                    reason: None,
                    keep_until: None,
                    reclassified_to: None,
                })
                .collect();
            let mut event = self.event(caller, "retention.review_queued".into());
            event.record_type = Some(record_type.id.clone());
            line.queued_for_review += self.store.queue_reviews(&reviews, &event).await?;
        }
    }

    /// The gate's decision on disposing of each candidate, made once per distinct set of
    /// controls (a batch of unrestricted records needs one decision, not a thousand).
    async fn gate_disposal(
        &self,
        caller: &Caller,
        record_type: &RecordType,
        action: RecordAction,
        batch: &[Candidate],
    ) -> Result<(Vec<Uuid>, Vec<String>)> {
        let households: Vec<Uuid> = batch.iter().filter_map(|c| c.household_id).collect();
        let members = if households.is_empty() {
            HashMap::new()
        } else {
            self.store.household_people(&households).await?
        };
        let mut people: Vec<Uuid> = batch.iter().filter_map(|c| c.person_id).collect();
        people.extend(members.values().flatten().copied());
        people.sort();
        people.dedup();
        let controls = if people.is_empty() {
            HashMap::new()
        } else {
            self.store.person_controls(&people).await?
        };
        let mut decided: HashMap<(bool, bool, bool, bool, bool), hearth_policy::Decision> =
            HashMap::new();
        let (mut allowed, mut refused) = (Vec::new(), Vec::new());
        for candidate in batch {
            let own = candidate.person_id.and_then(|p| controls.get(&p));
            let related_people = candidate
                .household_id
                .and_then(|h| members.get(&h))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let related = RelatedControls {
                restricted: related_people
                    .iter()
                    .any(|p| controls.get(p).is_some_and(|c| c.restricted)),
                objected: related_people
                    .iter()
                    .any(|p| controls.get(p).is_some_and(|c| c.objected)),
            };
            let key = (
                candidate.person_id.is_some(),
                own.is_some_and(|c| c.restricted),
                own.is_some_and(|c| c.objected),
                related.restricted,
                related.objected,
            );
            if let std::collections::hash_map::Entry::Vacant(slot) = decided.entry(key) {
                let subject = candidate.person_id.map(|p| SubjectControls {
                    person_id: p.to_string(),
                    restricted: key.1,
                    objected: key.2,
                    ..Default::default()
                });
                let view = RecordView {
                    record_type: record_type.id.clone(),
                    record_id: candidate.id.to_string(),
                    field_group: "record".into(),
                    categories: record_type.data_categories.clone(),
                    subject,
                    related,
                };
                let decision = self
                    .gate
                    .decide_record(caller.principal(), action, PURPOSE, &view)
                    .map_err(|e| ServiceError::Policy(e.to_string()))?;
                slot.insert(decision);
            }
            match decided.get(&key) {
                Some(d) if d.allowed => allowed.push(candidate.id),
                Some(d) => refused.push(d.explain()),
                None => {}
            }
        }
        Ok((allowed, refused))
    }
}

/// Why one record type could not be swept; the run goes on with the others and reports it.
struct SweepProblem(String);
