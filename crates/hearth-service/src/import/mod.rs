//! CSV import of people, properties and tenancies: all or nothing by default, every bad row
//! reported with its line and reason; `skip_invalid` imports the good rows and returns the
//! rejects. Rows whose external key already exists are left alone, so re-running a file
//! changes nothing. One transaction: a crash leaves the database as it was before.

mod columns;
mod people;
pub use people::people_from_csv;
mod properties;
mod tenancies;

use crate::access::Caller;
use crate::{Hearth, Result, ServiceError};
use async_trait::async_trait;
use columns::Columns;
use hearth_store::ImportSession;
use std::collections::HashMap;

/// Rows validated and written per round trip.
const BATCH: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    People,
    Properties,
    Tenancies,
}

impl ImportKind {
    /// The register purpose a file of this kind is loaded under when the operator names none:
    /// the purpose the records are first kept for.
    pub fn default_purpose(self) -> &'static str {
        match self {
            Self::People => "customer_record",
            Self::Properties => "estate_management",
            Self::Tenancies => "tenancy_management",
        }
    }
}

impl std::str::FromStr for ImportKind {
    type Err = String;

    fn from_str(raw: &str) -> std::result::Result<Self, String> {
        match raw {
            "people" => Ok(Self::People),
            "properties" => Ok(Self::Properties),
            "tenancies" => Ok(Self::Tenancies),
            other => Err(format!(
                "'{other}' is not an import kind: expected people, properties or tenancies"
            )),
        }
    }
}

/// One problem with one row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub field: String,
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            write!(f, "line {}: {}", self.line, self.reason)
        } else {
            write!(f, "line {}: {}: {}", self.line, self.field, self.reason)
        }
    }
}

/// A row that was not imported: its original fields and why.
#[derive(Debug, Clone)]
pub struct Reject {
    pub line: u64,
    pub fields: Vec<String>,
    pub errors: Vec<RowError>,
}

#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub rows_read: u64,
    pub imported: u64,
    /// Rows whose external key was already in the database: left unchanged.
    pub already_present: u64,
    pub errors: Vec<RowError>,
    pub rejects: Vec<Reject>,
    /// The header of the file, for writing rejects.
    pub header: Vec<String>,
    /// Whether anything was written. False when any row was bad and `skip_invalid` was off.
    pub committed: bool,
}

/// Told about progress as rows are read.
pub trait ImportProgress: Send + Sync {
    fn rows_done(&self, rows: u64);
}

/// No progress reporting.
pub struct Silent;

impl ImportProgress for Silent {
    fn rows_done(&self, _rows: u64) {}
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Import the good rows and return the bad ones instead of importing nothing.
    pub skip_invalid: bool,
    /// Names the source of imported items (the file name, usually).
    pub source_name: String,
}

/// What each kind of file does with its rows.
#[async_trait]
trait RowKind: Clone + Send + 'static {
    type Row: Send + 'static;
    const REQUIRED: &'static [&'static str];
    const OPTIONAL: &'static [&'static str];

    /// The row's external key, unique within a file and the database.
    fn key(row: &Self::Row) -> &str;
    /// Parses and validates one row on its own.
    fn parse(
        &self,
        cols: &Columns,
        record: &csv::StringRecord,
        line: u64,
    ) -> std::result::Result<Self::Row, Vec<RowError>>;
    /// Resolves references for a batch of new rows; returns errors for rows that cannot be
    /// imported. Rows left in `rows` are ready to insert. Kinds without references to other
    /// records have nothing to resolve.
    async fn resolve(
        &mut self,
        _session: &mut dyn ImportSession,
        _rows: &mut Vec<(u64, Self::Row)>,
    ) -> Result<Vec<RowError>> {
        Ok(Vec::new())
    }
    async fn insert(&mut self, session: &mut dyn ImportSession, rows: Vec<Self::Row>)
    -> Result<()>;
    fn ref_kind() -> hearth_store::RefKind;
    /// What each row writes, for the gate: record types with the field groups filled, and
    /// the person the row is about. New rows carry no person controls yet.
    fn writes(row: &Self::Row) -> crate::access::BulkWrite;
    /// The audit action for a batch (`person.import`).
    const ACTION: &'static str;
}

impl Hearth {
    /// Imports a CSV file of the given kind.
    pub async fn import_csv(
        &self,
        caller: &Caller,
        kind: ImportKind,
        reader: impl std::io::Read + Send + 'static,
        options: &ImportOptions,
        progress: &dyn ImportProgress,
    ) -> Result<ImportReport> {
        let now = self.now();
        let today = self.today();
        match kind {
            ImportKind::People => {
                self.run_import(
                    caller,
                    people::PeopleRows::new(today, now, &options.source_name),
                    reader,
                    options,
                    progress,
                )
                .await
            }
            ImportKind::Properties => {
                self.run_import(
                    caller,
                    properties::PropertyRows::new(now, &options.source_name),
                    reader,
                    options,
                    progress,
                )
                .await
            }
            ImportKind::Tenancies => {
                self.run_import(
                    caller,
                    tenancies::TenancyRows::new(now),
                    reader,
                    options,
                    progress,
                )
                .await
            }
        }
    }

    async fn run_import<K: RowKind>(
        &self,
        caller: &Caller,
        mut kind: K,
        reader: impl std::io::Read + Send + 'static,
        options: &ImportOptions,
        progress: &dyn ImportProgress,
    ) -> Result<ImportReport> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .trim(csv::Trim::All)
            .from_reader(reader);
        let header = csv
            .headers()
            .map_err(|e| {
                ServiceError::field("(file)", format!("line 1: cannot read the header: {e}"))
            })?
            .clone();
        let cols = Columns::new(&header, K::REQUIRED, K::OPTIONAL)
            .map_err(|reason| ServiceError::field("(header)", format!("line 1: {reason}")))?;
        let mut report = ImportReport {
            header: header.iter().map(String::from).collect(),
            ..Default::default()
        };
        // Refuse a missing or unknown purpose before reading a line.
        self.purpose_of(caller)?;
        let mut decided = crate::access::BulkDecisions::default();
        let mut session = self.store.begin_import().await?;
        let mut load = Load {
            caller,
            options,
            report: &mut report,
            decided: &mut decided,
        };
        let loaded = self
            .load_batches(&mut load, &mut kind, csv, cols, progress, session.as_mut())
            .await;
        if let Err(error) = loaded {
            return Err(self.abandon_bulk(session, &mut decided, error).await);
        }
        if report.errors.is_empty() || options.skip_invalid {
            session.commit().await?;
            report.committed = true;
        } else {
            // Nothing from this file remains.
            session.rollback().await?;
        }
        Ok(report)
    }

    /// Reads, validates and writes the file batch by batch inside the load's transaction.
    async fn load_batches<K: RowKind, R: std::io::Read + Send + 'static>(
        &self,
        load: &mut Load<'_>,
        kind: &mut K,
        csv: csv::Reader<R>,
        cols: Columns,
        progress: &dyn ImportProgress,
        session: &mut dyn ImportSession,
    ) -> Result<()> {
        // Reading and validating run on their own thread, a batch or two ahead of the
        // database, so the two overlap; batches still arrive and are written in file order.
        let (sender, mut batches) = tokio::sync::mpsc::channel(2);
        let parser = kind.clone();
        let reading = tokio::task::spawn_blocking(move || read_batches(parser, csv, cols, sender));
        while let Some(parsed) = batches.recv().await {
            let parsed: Parsed<K::Row> = parsed?;
            load.report.rows_read += parsed.rows_read;
            for rejected in parsed.rejects {
                load.report.errors.extend(rejected.errors.iter().cloned());
                load.report.rejects.push(rejected);
            }
            if !parsed.rows.is_empty() {
                self.import_batch(load, kind, session, parsed.rows).await?;
            }
            progress.rows_done(load.report.rows_read);
        }
        reading
            .await
            .map_err(|e| ServiceError::field("(file)", format!("reading stopped: {e}")))?;
        Ok(())
    }

    async fn import_batch<K: RowKind>(
        &self,
        load: &mut Load<'_>,
        kind: &mut K,
        session: &mut dyn ImportSession,
        batch: Vec<(u64, K::Row, csv::StringRecord)>,
    ) -> Result<()> {
        let keys: Vec<String> = batch
            .iter()
            .map(|(_, row, _)| K::key(row).to_string())
            .collect();
        let existing = session.existing_refs(K::ref_kind(), &keys).await?;
        let mut records: HashMap<u64, csv::StringRecord> = HashMap::new();
        let mut fresh: Vec<(u64, K::Row)> = Vec::with_capacity(batch.len());
        for (line, row, record) in batch {
            if existing.contains_key(K::key(&row)) {
                load.report.already_present += 1;
            } else {
                records.insert(line, record);
                fresh.push((line, row));
            }
        }
        let errors = kind.resolve(session, &mut fresh).await?;
        let mut by_line: HashMap<u64, Vec<RowError>> = HashMap::new();
        for error in errors {
            by_line.entry(error.line).or_default().push(error);
        }
        let mut lines: Vec<u64> = by_line.keys().copied().collect();
        lines.sort_unstable();
        for line in lines {
            let record = records.remove(&line).unwrap_or_default();
            reject(
                load.report,
                line,
                &record,
                by_line.remove(&line).unwrap_or_default(),
            );
        }
        // After the first bad row, an all-or-nothing import only validates.
        if load.report.errors.is_empty() || load.options.skip_invalid {
            let writes: Vec<_> = fresh.iter().map(|(_, row)| K::writes(row)).collect();
            let event = self
                .admit_bulk(load.caller, K::ACTION, &writes, load.decided)
                .await?;
            session.append_audit(std::slice::from_ref(&event)).await?;
            load.report.imported += fresh.len() as u64;
            kind.insert(session, fresh.into_iter().map(|(_, row)| row).collect())
                .await?;
        }
        Ok(())
    }
}

/// What one load carries from batch to batch.
struct Load<'a> {
    caller: &'a Caller,
    options: &'a ImportOptions,
    report: &'a mut ImportReport,
    decided: &'a mut crate::access::BulkDecisions,
}

/// One batch as read and validated: the rows to write and the rows already refused.
struct Parsed<R> {
    rows: Vec<(u64, R, csv::StringRecord)>,
    rejects: Vec<Reject>,
    rows_read: u64,
}

/// Reads the file in batches, parsing and validating each row on its own and refusing
/// repeated keys, and sends each batch on. Stops early when the receiver has gone.
fn read_batches<K: RowKind, R: std::io::Read>(
    parser: K,
    mut csv: csv::Reader<R>,
    cols: Columns,
    sender: tokio::sync::mpsc::Sender<Result<Parsed<K::Row>>>,
) {
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        let mut batch = Parsed {
            rows: Vec::with_capacity(BATCH),
            rejects: Vec::new(),
            rows_read: 0,
        };
        let mut more = true;
        while more && batch.rows.len() < BATCH {
            let line = csv.position().line() + 1;
            match csv.read_record(&mut record) {
                Ok(false) => more = false,
                Ok(true) => {
                    let line = record.position().map_or(line, |p| p.line());
                    batch.rows_read += 1;
                    match parser.parse(&cols, &record, line) {
                        Err(errors) => batch.rejects.push(rejected(line, &record, errors)),
                        Ok(row) => {
                            let key = K::key(&row).to_string();
                            if let Some(first) = seen.get(&key) {
                                let error = RowError {
                                    line,
                                    field: cols.key_column().into(),
                                    reason: format!("'{key}' already appears on line {first}"),
                                };
                                batch.rejects.push(rejected(line, &record, vec![error]));
                            } else {
                                seen.insert(key, line);
                                batch.rows.push((line, row, record.clone()));
                            }
                        }
                    }
                }
                Err(err) if matches!(err.kind(), csv::ErrorKind::Io(_)) => {
                    let _ =
                        sender.blocking_send(Err(ServiceError::field("(file)", csv_reason(&err))));
                    return;
                }
                Err(err) => {
                    let line = err.position().map_or(line, |p| p.line());
                    batch.rows_read += 1;
                    let error = RowError {
                        line,
                        field: String::new(),
                        reason: csv_reason(&err),
                    };
                    batch.rejects.push(rejected(line, &record, vec![error]));
                }
            }
        }
        if sender.blocking_send(Ok(batch)).is_err() || !more {
            return;
        }
    }
}

fn rejected(line: u64, record: &csv::StringRecord, errors: Vec<RowError>) -> Reject {
    Reject {
        line,
        fields: record.iter().map(String::from).collect(),
        errors,
    }
}

fn reject(report: &mut ImportReport, line: u64, record: &csv::StringRecord, errors: Vec<RowError>) {
    report.errors.extend(errors.iter().cloned());
    report.rejects.push(rejected(line, record, errors));
}

fn csv_reason(err: &csv::Error) -> String {
    match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("has {len} fields but the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8 text".into(),
        _ => err.to_string(),
    }
}

/// Writes rejected rows with their line numbers and reasons as CSV.
pub fn write_rejects(report: &ImportReport, out: impl std::io::Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    let mut header = vec!["line".to_string(), "reasons".to_string()];
    header.extend(report.header.iter().cloned());
    writer.write_record(&header)?;
    for reject in &report.rejects {
        let reasons: Vec<String> = reject
            .errors
            .iter()
            .map(|e| {
                if e.field.is_empty() {
                    e.reason.clone()
                } else {
                    format!("{}: {}", e.field, e.reason)
                }
            })
            .collect();
        let mut row = vec![reject.line.to_string(), reasons.join("; ")];
        row.extend(reject.fields.iter().cloned());
        row.resize(header.len(), String::new());
        writer.write_record(&row)?;
    }
    writer.flush()
}
