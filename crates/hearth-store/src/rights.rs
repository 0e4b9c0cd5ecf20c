//! The rights part of the store: the requests register and its clarifications. The free text
//! (who asked, what they asked, the questions and answers, the response letter) is sealed under
//! the person's data key; the dates, statuses and due date stay in the clear for the due-soon
//! and overdue views.

use crate::access::parse_uuid;
use crate::rows::parse_ts;
use crate::sealer::{PersonKey, Sealer};
use crate::{Result, StoreError};
use async_trait::async_trait;
use hearth_core::access::ConsentRecord;
use hearth_core::audit::AuditEvent;
use hearth_core::rights::{Clarification, Extension, Prerequisite, Requester, RightsRequest};
use jiff::civil::Date;
use uuid::Uuid;

/// Which requests to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestQuery {
    pub person_id: Option<Uuid>,
    pub open_only: bool,
    /// Open requests due on or before this date (due soon, or overdue when before today).
    pub due_by: Option<Date>,
    /// Open requests whose clock has not started or is stopped (no due date).
    pub waiting_only: bool,
}

/// A request saved with what answering it changes: the person's restriction and objection
/// flags, consents withdrawn. All of it is committed, or none.
pub struct RightsResponse<'a> {
    pub request: &'a RightsRequest,
    /// The version the request was read at; `None` for a request being logged.
    pub expected_version: Option<i64>,
    /// The person's restriction and objection flags afterwards, when they change.
    pub flags: Option<PersonFlags>,
    /// Grants or withdrawals of consent recorded with it.
    pub consents: &'a [ConsentRecord],
    pub audit: &'a [AuditEvent],
}

/// A person's Art 18 and Art 21 flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonFlags {
    pub restricted: bool,
    pub objected: bool,
}

#[async_trait]
pub trait RightsStore: Send + Sync {
    async fn insert_rights_request(
        &self,
        request: &RightsRequest,
        audit: &AuditEvent,
    ) -> Result<()>;
    /// Saves a changed request and its clarifications; false when the version moved on.
    async fn update_rights_request(
        &self,
        request: &RightsRequest,
        expected_version: i64,
        audit: &AuditEvent,
    ) -> Result<bool>;
    /// Saves a request (logged, or changed from `expected_version`) together with the changes
    /// to the person's controls it brings, in one transaction; false when the version moved on.
    async fn save_rights_response(&self, response: &RightsResponse<'_>) -> Result<bool>;
    async fn get_rights_request(&self, id: Uuid) -> Result<Option<RightsRequest>>;
    /// Requests matching the query, the soonest due first, then the oldest received.
    async fn list_rights_requests(
        &self,
        query: &RequestQuery,
        limit: i64,
    ) -> Result<Vec<RightsRequest>>;
}

pub(crate) const REQUEST_COLUMNS: &str = "id::text AS id, person_id::text AS person_id, kind, channel, received_on::text AS received_on, requester_kind, requester_details, summary, identity_status, identity_on::text AS identity_on, authority_status, authority_on::text AS authority_on, extension_reason, extension_told_on::text AS extension_told_on, status, outcome, outcome_reason, response_letter, closed_on::text AS closed_on, due_on::text AS due_on, created_at::text AS created_at, created_by, version";

#[derive(sqlx::FromRow)]
pub(crate) struct RequestRow {
    id: String,
    person_id: String,
    kind: String,
    channel: String,
    received_on: String,
    requester_kind: String,
    requester_details: Option<String>,
    summary: String,
    identity_status: String,
    identity_on: Option<String>,
    authority_status: String,
    authority_on: Option<String>,
    extension_reason: Option<String>,
    extension_told_on: Option<String>,
    status: String,
    outcome: Option<String>,
    outcome_reason: Option<String>,
    response_letter: Option<String>,
    closed_on: Option<String>,
    due_on: Option<String>,
    created_at: String,
    created_by: String,
    version: i64,
}

pub(crate) type ClarificationRow = (String, String, String, Option<String>, Option<String>);
pub(crate) const CLARIFICATION_COLUMNS: &str =
    "id::text, asked_on::text, question, answered_on::text, answer";

use crate::rows::parse_date as date;

fn opt_date(raw: Option<&str>) -> Result<Option<Date>> {
    raw.map(date).transpose()
}

fn parsed<T: std::str::FromStr<Err = String>>(what: &str, raw: &str) -> Result<T> {
    raw.parse()
        .map_err(|e| StoreError::Corrupt(format!("bad {what}: {e}")))
}

fn prerequisite(status: &str, on: Option<&str>) -> Result<Prerequisite> {
    Ok(match (status, opt_date(on)?) {
        ("not_needed", _) => Prerequisite::NotNeeded,
        ("awaited", _) => Prerequisite::Awaited,
        ("arrived", Some(on)) => Prerequisite::Arrived(on),
        _ => {
            return Err(StoreError::Corrupt(format!(
                "bad prerequisite status '{status}'"
            )));
        }
    })
}

/// The sealed columns of a request, ready to bind.
pub(crate) struct SealedRequest {
    pub requester_details: Option<String>,
    pub summary: String,
    pub response_letter: Option<String>,
    /// (id, question, answer) per clarification.
    pub clarifications: Vec<(Uuid, String, Option<String>)>,
}

pub(crate) fn seal_request(
    sealer: &Sealer,
    key: &PersonKey,
    request: &RightsRequest,
) -> Result<SealedRequest> {
    let id = request.id;
    let requester_details = match &request.requester {
        Some(r @ Requester::Representative { .. }) => {
            let json = serde_json::to_string(r)
                .map_err(|e| StoreError::Corrupt(format!("requester of request {id}: {e}")))?;
            Some(sealer.seal(key, "rights_requests", "requester_details", id, &json)?)
        }
        _ => None,
    };
    let summary = request.summary.as_deref().ok_or_else(|| {
        StoreError::Corrupt(format!(
            "request {id} has no summary to save (the person's key was destroyed)"
        ))
    })?;
    let mut clarifications = Vec::new();
    for c in &request.clarifications {
        let question = c.question.as_deref().ok_or_else(|| {
            StoreError::Corrupt(format!("clarification {} has no question to save", c.id))
        })?;
        clarifications.push((
            c.id,
            sealer.seal(key, "rights_clarifications", "question", c.id, question)?,
            sealer.seal_opt(
                key,
                "rights_clarifications",
                "answer",
                c.id,
                c.answer.as_deref(),
            )?,
        ));
    }
    Ok(SealedRequest {
        requester_details,
        summary: sealer.seal(key, "rights_requests", "summary", id, summary)?,
        response_letter: sealer.seal_opt(
            key,
            "rights_requests",
            "response_letter",
            id,
            request.response_letter.as_deref(),
        )?,
        clarifications,
    })
}

/// A request from its row and clarifications, opened with the person's key; without the key
/// (destroyed on erasure) the sealed text reads as absent.
pub(crate) fn open_request(
    sealer: &Sealer,
    key: Option<&PersonKey>,
    row: RequestRow,
    clarifications: Vec<ClarificationRow>,
) -> Result<RightsRequest> {
    let id = parse_uuid(&row.id)?;
    let open = |table: &str, column: &str, row_id: Uuid, v: &str| -> Result<Option<String>> {
        key.map(|k| sealer.open(k, table, column, row_id, v))
            .transpose()
    };
    let requester = match (row.requester_kind.as_str(), &row.requester_details) {
        ("subject", _) => Some(Requester::Subject),
        ("representative", Some(sealed)) => {
            open("rights_requests", "requester_details", id, sealed)?
                .map(|json| {
                    serde_json::from_str(&json)
                        .map_err(|e| StoreError::Corrupt(format!("requester of request {id}: {e}")))
                })
                .transpose()?
        }
        (kind, _) => {
            return Err(StoreError::Corrupt(format!(
                "request {id}: bad requester '{kind}'"
            )));
        }
    };
    let mut opened = Vec::new();
    for (cid, asked, question, answered, answer) in clarifications {
        let cid = parse_uuid(&cid)?;
        opened.push(Clarification {
            id: cid,
            asked_on: date(&asked)?,
            question: open("rights_clarifications", "question", cid, &question)?,
            answered_on: opt_date(answered.as_deref())?,
            answer: match answer {
                Some(a) => open("rights_clarifications", "answer", cid, &a)?,
                None => None,
            },
        });
    }
    let extension = match (row.extension_reason, row.extension_told_on) {
        (Some(reason), Some(told)) => Some(Extension {
            reason,
            told_on: date(&told)?,
        }),
        _ => None,
    };
    Ok(RightsRequest {
        id,
        person_id: parse_uuid(&row.person_id)?,
        kind: parsed("request kind", &row.kind)?,
        channel: parsed("channel", &row.channel)?,
        received_on: date(&row.received_on)?,
        requester,
        summary: open("rights_requests", "summary", id, &row.summary)?,
        identity: prerequisite(&row.identity_status, row.identity_on.as_deref())?,
        authority: prerequisite(&row.authority_status, row.authority_on.as_deref())?,
        clarifications: opened,
        extension,
        status: parsed("request status", &row.status)?,
        outcome: row
            .outcome
            .as_deref()
            .map(|o| parsed("outcome", o))
            .transpose()?,
        outcome_reason: row.outcome_reason,
        response_letter: match row.response_letter {
            Some(l) => open("rights_requests", "response_letter", id, &l)?,
            None => None,
        },
        closed_on: opt_date(row.closed_on.as_deref())?,
        due_on: opt_date(row.due_on.as_deref())?,
        created_at: parse_ts(&row.created_at)?,
        created_by: row.created_by,
        version: row.version,
    })
}

/// The columns an insert or update writes, in order from `$2` (`$1` is the id).
pub(crate) fn request_params(r: &RightsRequest, sealed: &SealedRequest) -> Vec<Option<String>> {
    let requester_kind = match r.requester {
        Some(Requester::Representative { .. }) => "representative",
        _ => "subject",
    };
    vec![
        Some(r.person_id.to_string()),
        Some(r.kind.as_str().to_string()),
        Some(r.channel.as_str().to_string()),
        Some(r.received_on.to_string()),
        Some(requester_kind.to_string()),
        sealed.requester_details.clone(),
        Some(sealed.summary.clone()),
        Some(r.identity.as_str().to_string()),
        r.identity.arrived_on().map(|d| d.to_string()),
        Some(r.authority.as_str().to_string()),
        r.authority.arrived_on().map(|d| d.to_string()),
        r.extension.as_ref().map(|e| e.reason.clone()),
        r.extension.as_ref().map(|e| e.told_on.to_string()),
        Some(r.status.as_str().to_string()),
        r.outcome.map(|o| o.as_str().to_string()),
        r.outcome_reason.clone(),
        sealed.response_letter.clone(),
        r.closed_on.map(|d| d.to_string()),
        r.due_on.map(|d| d.to_string()),
    ]
}

/// `$2 ... $20` with their casts, matching [`request_params`].
pub(crate) const REQUEST_VALUE_SLOTS: &str = "$2::uuid, $3, $4, $5::date, $6, $7, $8, $9, $10::date, $11, $12::date, $13, $14::date, $15, $16, $17, $18, $19::date, $20::date";
pub(crate) const REQUEST_SET_COLUMNS: &str = "person_id, kind, channel, received_on, requester_kind, requester_details, summary, identity_status, identity_on, authority_status, authority_on, extension_reason, extension_told_on, status, outcome, outcome_reason, response_letter, closed_on, due_on";

macro_rules! impl_rights_store {
    ($store:ident, $db:ident) => {
        impl $store {
            async fn write_clarifications(
                &self,
                tx: &mut sqlx::Transaction<'static, $db>,
                request_id: uuid::Uuid,
                request: &hearth_core::rights::RightsRequest,
                sealed: &crate::rights::SealedRequest,
            ) -> crate::Result<()> {
                let sql = self.sql(
                    "INSERT INTO rights_clarifications (id, request_id, asked_on, question, answered_on, answer) \
                     VALUES ($1::uuid, $2::uuid, $3::date, $4, $5::date, $6) \
                     ON CONFLICT (id) DO UPDATE SET answered_on = excluded.answered_on, answer = excluded.answer",
                );
                for (c, (id, question, answer)) in request.clarifications.iter().zip(&sealed.clarifications) {
                    sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                        .bind(id.to_string())
                        .bind(request_id.to_string())
                        .bind(c.asked_on.to_string())
                        .bind(question)
                        .bind(c.answered_on.map(|d| d.to_string()))
                        .bind(answer)
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(())
            }

            /// Saves a changed request and its clarifications inside a transaction; false when
            /// the version moved on.
            async fn write_request_update(
                &self,
                tx: &mut sqlx::Transaction<'static, $db>,
                request: &hearth_core::rights::RightsRequest,
                sealed: &crate::rights::SealedRequest,
                expected_version: i64,
            ) -> crate::Result<bool> {
                let sets: Vec<String> = crate::rights::REQUEST_SET_COLUMNS
                    .split(", ")
                    .zip(crate::rights::REQUEST_VALUE_SLOTS.split(", "))
                    .map(|(column, slot)| format!("{column} = {slot}"))
                    .collect();
                let sql = self.sql(&format!(
                    "UPDATE rights_requests SET {}, version = version + 1 WHERE id = $1::uuid AND version = $21",
                    sets.join(", ")
                ));
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(request.id.to_string());
                for p in crate::rights::request_params(request, &sealed) {
                    q = q.bind(p);
                }
                let done = q.bind(expected_version).execute(&mut **tx).await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                self.write_clarifications(tx, request.id, request, sealed).await?;
                Ok(true)
            }

            /// Opens the listed requests with their clarifications, fetched in one query.
            async fn load_requests(&self, rows: Vec<crate::rights::RequestRow>) -> crate::Result<Vec<hearth_core::rights::RightsRequest>> {
                if rows.is_empty() {
                    return Ok(Vec::new());
                }
                let people: Vec<uuid::Uuid> = rows.iter().filter_map(|r| crate::access::parse_uuid(r.person_id()).ok()).collect();
                let keys = self.keys_of(&people).await?;
                let sql = self.sql(&format!(
                    "SELECT request_id::text, {} FROM rights_clarifications WHERE request_id IN ({}) ORDER BY asked_on, id",
                    crate::rights::CLARIFICATION_COLUMNS,
                    crate::access::placeholders(rows.len())
                ));
                let mut q = sqlx::query_as::<_, (String, String, String, String, Option<String>, Option<String>)>(sqlx::AssertSqlSafe(sql.as_str()));
                for row in &rows {
                    q = q.bind(row.id().to_string());
                }
                let mut by_request: std::collections::HashMap<String, Vec<crate::rights::ClarificationRow>> = std::collections::HashMap::new();
                for (request_id, id, asked, question, answered, answer) in q.fetch_all(&self.pool).await? {
                    by_request.entry(request_id).or_default().push((id, asked, question, answered, answer));
                }
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    let person = crate::access::parse_uuid(row.person_id())?;
                    let clarifications = by_request.remove(row.id()).unwrap_or_default();
                    out.push(crate::rights::open_request(&self.sealer, keys.get(&person), row, clarifications)?);
                }
                Ok(out)
            }
        }

        #[async_trait::async_trait]
        impl crate::rights::RightsStore for $store {
            async fn insert_rights_request(&self, request: &hearth_core::rights::RightsRequest, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                self.save_rights_response(&crate::rights::RightsResponse {
                    request,
                    expected_version: None,
                    flags: None,
                    consents: &[],
                    audit: std::slice::from_ref(audit),
                })
                .await?;
                Ok(())
            }

            async fn update_rights_request(&self, request: &hearth_core::rights::RightsRequest, expected_version: i64, audit: &hearth_core::audit::AuditEvent) -> crate::Result<bool> {
                self.save_rights_response(&crate::rights::RightsResponse {
                    request,
                    expected_version: Some(expected_version),
                    flags: None,
                    consents: &[],
                    audit: std::slice::from_ref(audit),
                })
                .await
            }

            async fn save_rights_response(&self, r: &crate::rights::RightsResponse<'_>) -> crate::Result<bool> {
                let request = r.request;
                let key = self.key_for_write(request.person_id).await?;
                let sealed = crate::rights::seal_request(&self.sealer, &key, request)?;
                let mut tx = self.begin_write("audit").await?;
                match r.expected_version {
                    Some(expected) => {
                        if !self.write_request_update(&mut tx, request, &sealed, expected).await? {
                            return Ok(false);
                        }
                    }
                    None => {
                        let sql = self.sql(&format!(
                            "INSERT INTO rights_requests (id, {}, created_at, created_by, version) VALUES ($1::uuid, {}, $21::timestamptz, $22, 1)",
                            crate::rights::REQUEST_SET_COLUMNS,
                            crate::rights::REQUEST_VALUE_SLOTS
                        ));
                        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(request.id.to_string());
                        for p in crate::rights::request_params(request, &sealed) {
                            q = q.bind(p);
                        }
                        q.bind(crate::rows::ts(request.created_at)).bind(&request.created_by).execute(&mut *tx).await?;
                        self.write_clarifications(&mut tx, request.id, request, &sealed).await?;
                    }
                }
                if let Some(flags) = r.flags {
                    let at = r.audit.first().map_or(request.created_at, |e| e.at);
                    self.write_flags(&mut tx, request.person_id, flags.restricted, flags.objected, at).await?;
                }
                for consent in r.consents {
                    if consent.person_id != request.person_id {
                        return Err(crate::StoreError::Config("a consent saved with a request must be the requester's".into()));
                    }
                    self.write_consent(&mut tx, consent).await?;
                }
                self.append_audit(&mut tx, r.audit).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn get_rights_request(&self, id: uuid::Uuid) -> crate::Result<Option<hearth_core::rights::RightsRequest>> {
                let sql = self.sql(&format!("SELECT {} FROM rights_requests WHERE id = $1::uuid", crate::rights::REQUEST_COLUMNS));
                let row: Option<crate::rights::RequestRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id.to_string()).fetch_optional(&self.pool).await?;
                match row {
                    Some(row) => Ok(self.load_requests(vec![row]).await?.pop()),
                    None => Ok(None),
                }
            }

            async fn list_rights_requests(&self, query: &crate::rights::RequestQuery, limit: i64) -> crate::Result<Vec<hearth_core::rights::RightsRequest>> {
                use crate::rows::Param;
                let flag = |on: bool| Param::Text(on.then(|| "yes".to_string()));
                let (filter, params) = crate::backend::where_given(
                    &[
                        "person_id = $1::uuid",
                        "status = 'open' AND $2::text = 'yes'",
                        "status = 'open' AND due_on <= $3::date",
                        "status = 'open' AND due_on IS NULL AND $4::text = 'yes'",
                    ],
                    vec![
                        Param::Text(query.person_id.map(|p| p.to_string())),
                        flag(query.open_only),
                        Param::Text(query.due_by.map(|d| d.to_string())),
                        flag(query.waiting_only),
                    ],
                );
                let sql = self.sql(&format!(
                    "SELECT {} FROM rights_requests WHERE {filter} \
                     ORDER BY due_on IS NULL, due_on, received_on, id LIMIT ${}",
                    crate::rights::REQUEST_COLUMNS,
                    params.len() + 1
                ));
                let rows: Vec<crate::rights::RequestRow> = crate::backend::bind_params!(sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())), params)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?;
                self.load_requests(rows).await
            }
        }
    };
}

pub(crate) use impl_rights_store;

impl RequestRow {
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn person_id(&self) -> &str {
        &self.person_id
    }
}
