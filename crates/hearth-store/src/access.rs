//! The access part of the store: accounts, tokens, sessions, person controls and the audit
//! index by person. Written once for both backends, like the record store.

use async_trait::async_trait;
use hearth_core::access::{ApiToken, ConsentRecord, PersonControls, StaffAccount, StaffSession};
use hearth_core::audit::{AuditEvent, ChainedEvent};
use std::collections::HashMap;
use uuid::Uuid;

use crate::Result;

#[async_trait]
pub trait AccessStore: Send + Sync {
    /// Appends events that accompany no change of data (reads, denials, sign-ins).
    async fn append_audit_events(&self, events: &[AuditEvent]) -> Result<()>;
    /// The newest events that name this person, newest first.
    async fn audit_for_person(&self, person_id: Uuid, limit: i64) -> Result<Vec<ChainedEvent>>;
    /// The people who are or were members of each of these households.
    async fn household_people(&self, household_ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<Uuid>>>;
    /// The newest event with this action, if any.
    async fn latest_audit_of(&self, action: &str) -> Result<Option<ChainedEvent>>;

    async fn insert_staff(&self, staff: &StaffAccount, audit: &AuditEvent) -> Result<()>;
    async fn update_staff(&self, staff: &StaffAccount, audit: &AuditEvent) -> Result<()>;
    async fn get_staff(&self, id: Uuid) -> Result<Option<StaffAccount>>;
    async fn staff_by_username(&self, username: &str) -> Result<Option<StaffAccount>>;
    async fn list_staff(&self) -> Result<Vec<StaffAccount>>;

    async fn insert_api_token(&self, token: &ApiToken, audit: &AuditEvent) -> Result<()>;
    async fn api_token_by_hash(&self, token_hash: &str) -> Result<Option<ApiToken>>;
    async fn list_api_tokens(&self) -> Result<Vec<ApiToken>>;
    /// Marks a token revoked; false when no such token.
    async fn revoke_api_token(
        &self,
        id: Uuid,
        at: jiff::Timestamp,
        audit: &AuditEvent,
    ) -> Result<bool>;

    async fn insert_session(&self, session: &StaffSession, audit: &AuditEvent) -> Result<()>;
    async fn session_by_hash(&self, token_hash: &str) -> Result<Option<StaffSession>>;
    async fn delete_session(&self, token_hash: &str, audit: &AuditEvent) -> Result<()>;

    /// The controls on each of these people (missing people get the defaults).
    async fn person_controls(&self, person_ids: &[Uuid]) -> Result<HashMap<Uuid, PersonControls>>;
    async fn set_person_flags(
        &self,
        person_id: Uuid,
        restricted: bool,
        objected: bool,
        at: jiff::Timestamp,
        audit: &AuditEvent,
    ) -> Result<()>;
    async fn insert_consent(&self, consent: &ConsentRecord, audit: &AuditEvent) -> Result<()>;
    async fn consent_history(&self, person_id: Uuid) -> Result<Vec<ConsentRecord>>;
    /// Destroys a person's data key, with its audit event: every sealed value about them, in
    /// this database and in every backup of it, can no longer be read. Returns false when
    /// there was no key.
    async fn destroy_person_key(&self, person_id: Uuid, audit: &AuditEvent) -> Result<bool>;
    /// Re-wraps up to `limit` data keys wrapped under an older key-encryption key with the
    /// active one, each batch in one transaction with its audit event. Returns how many.
    async fn rewrap_person_keys(&self, limit: i64, audit: &AuditEvent) -> Result<u64>;
    /// How many data keys each key-encryption key wraps.
    async fn keys_by_kek(&self) -> Result<Vec<(String, i64)>>;
    async fn insert_assignment(
        &self,
        person_id: Uuid,
        staff_id: Uuid,
        reason: &str,
        at: jiff::Timestamp,
        audit: &AuditEvent,
    ) -> Result<()>;
}

pub(crate) fn json_list(raw: &str) -> Result<Vec<String>> {
    serde_json::from_str(raw).map_err(|e| crate::StoreError::Corrupt(format!("bad list: {e}")))
}

pub(crate) fn json_of(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".to_string())
}

pub(crate) fn parse_uuid(raw: &str) -> Result<Uuid> {
    raw.parse()
        .map_err(|_| crate::StoreError::Corrupt(format!("bad id '{raw}'")))
}

pub(crate) type StaffRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    bool,
    String,
    String,
);
pub(crate) const STAFF_COLUMNS: &str = "id::text, username, display_name, password_hash, roles::text, teams::text, disabled, created_at::text, updated_at::text";

pub(crate) fn staff_from(row: StaffRow) -> Result<StaffAccount> {
    let (id, username, display_name, password_hash, roles, teams, disabled, created, updated) = row;
    Ok(StaffAccount {
        id: parse_uuid(&id)?,
        username,
        display_name,
        password_hash,
        roles: json_list(&roles)?,
        teams: json_list(&teams)?,
        disabled,
        created_at: crate::rows::parse_ts(&created)?,
        updated_at: crate::rows::parse_ts(&updated)?,
    })
}

pub(crate) type TokenRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
);
pub(crate) const TOKEN_COLUMNS: &str = "id::text, name, token_hash, roles::text, purposes::text, created_by, created_at::text, expires_at::text, revoked_at::text";

pub(crate) fn token_from(row: TokenRow) -> Result<ApiToken> {
    let (id, name, token_hash, roles, purposes, created_by, created, expires, revoked) = row;
    Ok(ApiToken {
        id: parse_uuid(&id)?,
        name,
        token_hash,
        roles: json_list(&roles)?,
        purposes: json_list(&purposes)?,
        created_by,
        created_at: crate::rows::parse_ts(&created)?,
        expires_at: crate::rows::parse_ts(&expires)?,
        revoked_at: revoked.as_deref().map(crate::rows::parse_ts).transpose()?,
    })
}

/// A consent as stored.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ConsentRow {
    id: String,
    person_id: String,
    purpose: String,
    granted: bool,
    special_category: bool,
    wording: String,
    wording_version: String,
    recorded_by: String,
    at: String,
    evidence_channel: Option<String>,
    evidence_given_by: Option<String>,
    evidence_given_at: Option<String>,
}

pub(crate) const CONSENT_COLUMNS: &str = "id::text AS id, person_id::text AS person_id, purpose, granted, special_category, wording, wording_version, recorded_by, at::text AS at, evidence_channel, evidence_given_by, evidence_given_at::text AS evidence_given_at";

pub(crate) fn consent_from(row: ConsentRow) -> Result<ConsentRecord> {
    let corrupt =
        |what: &str| crate::StoreError::Corrupt(format!("consent {}: bad {what}", row.id));
    let evidence = match (
        &row.evidence_channel,
        &row.evidence_given_by,
        &row.evidence_given_at,
    ) {
        (Some(channel), Some(given_by), Some(given_at)) => {
            Some(hearth_core::access::ConsentEvidence {
                channel: channel.parse().map_err(|_| corrupt("evidence channel"))?,
                given_by: hearth_core::access::ConsentGiver::parse(given_by)
                    .ok_or_else(|| corrupt("evidence giver"))?,
                given_at: crate::rows::parse_ts(given_at)?,
            })
        }
        _ => None,
    };
    Ok(ConsentRecord {
        id: parse_uuid(&row.id)?,
        person_id: parse_uuid(&row.person_id)?,
        purpose: row.purpose,
        granted: row.granted,
        special_category: row.special_category,
        wording: row.wording,
        wording_version: row.wording_version,
        recorded_by: row.recorded_by,
        at: crate::rows::parse_ts(&row.at)?,
        evidence,
    })
}

pub(crate) fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}::uuid"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Implements [`AccessStore`] for one backend (same contract as `impl_store!`).
macro_rules! impl_access_store {
    ($store:ident, $db:ident) => {
        impl $store {
            /// Sets a person's restriction and objection flags inside a transaction.
            async fn write_flags(&self, tx: &mut sqlx::Transaction<'static, $db>, person_id: uuid::Uuid, restricted: bool, objected: bool, at: jiff::Timestamp) -> crate::Result<()> {
                let sql = self.sql(
                    "INSERT INTO person_flags (person_id, restricted, objected, updated_at) VALUES ($1::uuid, $2, $3, $4::timestamptz) \
                     ON CONFLICT (person_id) DO UPDATE SET restricted = excluded.restricted, objected = excluded.objected, updated_at = excluded.updated_at",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(person_id.to_string()).bind(restricted).bind(objected).bind(crate::rows::ts(at)).execute(&mut **tx).await?;
                Ok(())
            }

            /// Records a grant or withdrawal of consent inside a transaction.
            async fn write_consent(&self, tx: &mut sqlx::Transaction<'static, $db>, consent: &hearth_core::access::ConsentRecord) -> crate::Result<()> {
                let sql = self.sql(
                    "INSERT INTO consents (id, person_id, purpose, granted, special_category, wording, wording_version, recorded_by, at, \
                     evidence_channel, evidence_given_by, evidence_given_at) \
                     VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7, $8, $9::timestamptz, $10, $11, $12::timestamptz)",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(consent.id.to_string())
                    .bind(consent.person_id.to_string())
                    .bind(&consent.purpose)
                    .bind(consent.granted)
                    .bind(consent.special_category)
                    .bind(&consent.wording)
                    .bind(&consent.wording_version)
                    .bind(&consent.recorded_by)
                    .bind(crate::rows::ts(consent.at))
                    .bind(consent.evidence.as_ref().map(|e| e.channel.as_str()))
                    .bind(consent.evidence.as_ref().map(|e| e.given_by.as_str()))
                    .bind(consent.evidence.as_ref().map(|e| crate::rows::ts(e.given_at)))
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl crate::access::AccessStore for $store {
            async fn append_audit_events(&self, events: &[hearth_core::audit::AuditEvent]) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                self.append_audit(&mut tx, events).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn household_people(&self, household_ids: &[uuid::Uuid]) -> crate::Result<std::collections::HashMap<uuid::Uuid, Vec<uuid::Uuid>>> {
                let mut out: std::collections::HashMap<uuid::Uuid, Vec<uuid::Uuid>> = std::collections::HashMap::new();
                for chunk in household_ids.chunks(500) {
                    let sql = self.sql(&format!(
                        "SELECT household_id::text, person_id::text FROM household_members WHERE household_id IN ({})",
                        crate::access::placeholders(chunk.len())
                    ));
                    let mut query = sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(sql.as_str()));
                    for id in chunk {
                        query = query.bind(id.to_string());
                    }
                    for (household, person) in query.fetch_all(&self.pool).await? {
                        let parse = |id: &str| id.parse::<uuid::Uuid>().map_err(|_| crate::StoreError::Corrupt(format!("bad id '{id}'")));
                        out.entry(parse(&household)?).or_default().push(parse(&person)?);
                    }
                }
                Ok(out)
            }

            async fn latest_audit_of(&self, action: &str) -> crate::Result<Option<hearth_core::audit::ChainedEvent>> {
                let sql = self.sql("SELECT seq, event, prev_hash, hash FROM audit_events WHERE action = $1 ORDER BY seq DESC LIMIT 1");
                let row: Option<(i64, String, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(action)
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(crate::rows::chained_event).transpose()
            }

            async fn audit_for_person(&self, person_id: uuid::Uuid, limit: i64) -> crate::Result<Vec<hearth_core::audit::ChainedEvent>> {
                let sql = self.sql(
                    "SELECT e.seq, e.event, e.prev_hash, e.hash FROM audit_event_people p \
                     JOIN audit_events e ON e.seq = p.seq WHERE p.person_id = $1::uuid \
                     ORDER BY e.seq DESC LIMIT $2",
                );
                let rows: Vec<(i64, String, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(person_id.to_string())
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter().map(crate::rows::chained_event).collect()
            }

            async fn insert_staff(&self, staff: &hearth_core::access::StaffAccount, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql(
                    "INSERT INTO staff_accounts (id, username, display_name, password_hash, roles, teams, disabled, created_at, updated_at) \
                     VALUES ($1::uuid, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8::timestamptz, $9::timestamptz)",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(staff.id.to_string())
                    .bind(&staff.username)
                    .bind(&staff.display_name)
                    .bind(&staff.password_hash)
                    .bind(crate::access::json_of(&staff.roles))
                    .bind(crate::access::json_of(&staff.teams))
                    .bind(staff.disabled)
                    .bind(crate::rows::ts(staff.created_at))
                    .bind(crate::rows::ts(staff.updated_at))
                    .execute(&mut *tx)
                    .await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn update_staff(&self, staff: &hearth_core::access::StaffAccount, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql(
                    "UPDATE staff_accounts SET display_name = $2, password_hash = $3, roles = $4::jsonb, \
                     teams = $5::jsonb, disabled = $6, updated_at = $7::timestamptz WHERE id = $1::uuid",
                );
                let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(staff.id.to_string())
                    .bind(&staff.display_name)
                    .bind(&staff.password_hash)
                    .bind(crate::access::json_of(&staff.roles))
                    .bind(crate::access::json_of(&staff.teams))
                    .bind(staff.disabled)
                    .bind(crate::rows::ts(staff.updated_at))
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() != 1 {
                    return Err(crate::StoreError::NotFound);
                }
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn get_staff(&self, id: uuid::Uuid) -> crate::Result<Option<hearth_core::access::StaffAccount>> {
                let sql = self.sql(&format!("SELECT {} FROM staff_accounts WHERE id = $1::uuid", crate::access::STAFF_COLUMNS));
                let row: Option<crate::access::StaffRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id.to_string()).fetch_optional(&self.pool).await?;
                row.map(crate::access::staff_from).transpose()
            }

            async fn staff_by_username(&self, username: &str) -> crate::Result<Option<hearth_core::access::StaffAccount>> {
                let sql = self.sql(&format!("SELECT {} FROM staff_accounts WHERE username = $1", crate::access::STAFF_COLUMNS));
                let row: Option<crate::access::StaffRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(username).fetch_optional(&self.pool).await?;
                row.map(crate::access::staff_from).transpose()
            }

            async fn list_staff(&self) -> crate::Result<Vec<hearth_core::access::StaffAccount>> {
                let sql = self.sql(&format!("SELECT {} FROM staff_accounts ORDER BY username", crate::access::STAFF_COLUMNS));
                let rows: Vec<crate::access::StaffRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).fetch_all(&self.pool).await?;
                rows.into_iter().map(crate::access::staff_from).collect()
            }

            async fn insert_api_token(&self, token: &hearth_core::access::ApiToken, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql(
                    "INSERT INTO api_tokens (id, name, token_hash, roles, purposes, created_by, created_at, expires_at, revoked_at) \
                     VALUES ($1::uuid, $2, $3, $4::jsonb, $5::jsonb, $6, $7::timestamptz, $8::timestamptz, NULL)",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(token.id.to_string())
                    .bind(&token.name)
                    .bind(&token.token_hash)
                    .bind(crate::access::json_of(&token.roles))
                    .bind(crate::access::json_of(&token.purposes))
                    .bind(&token.created_by)
                    .bind(crate::rows::ts(token.created_at))
                    .bind(crate::rows::ts(token.expires_at))
                    .execute(&mut *tx)
                    .await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn api_token_by_hash(&self, token_hash: &str) -> crate::Result<Option<hearth_core::access::ApiToken>> {
                let sql = self.sql(&format!("SELECT {} FROM api_tokens WHERE token_hash = $1", crate::access::TOKEN_COLUMNS));
                let row: Option<crate::access::TokenRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(token_hash).fetch_optional(&self.pool).await?;
                row.map(crate::access::token_from).transpose()
            }

            async fn list_api_tokens(&self) -> crate::Result<Vec<hearth_core::access::ApiToken>> {
                let sql = self.sql(&format!("SELECT {} FROM api_tokens ORDER BY created_at", crate::access::TOKEN_COLUMNS));
                let rows: Vec<crate::access::TokenRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).fetch_all(&self.pool).await?;
                rows.into_iter().map(crate::access::token_from).collect()
            }

            async fn revoke_api_token(&self, id: uuid::Uuid, at: jiff::Timestamp, audit: &hearth_core::audit::AuditEvent) -> crate::Result<bool> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql("UPDATE api_tokens SET revoked_at = $2::timestamptz WHERE id = $1::uuid AND revoked_at IS NULL");
                let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(id.to_string()).bind(crate::rows::ts(at)).execute(&mut *tx).await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn insert_session(&self, session: &hearth_core::access::StaffSession, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql(
                    "INSERT INTO staff_sessions (token_hash, staff_id, csrf_token, created_at, expires_at) \
                     VALUES ($1, $2::uuid, $3, $4::timestamptz, $5::timestamptz)",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(&session.token_hash)
                    .bind(session.staff_id.to_string())
                    .bind(&session.csrf_token)
                    .bind(crate::rows::ts(session.created_at))
                    .bind(crate::rows::ts(session.expires_at))
                    .execute(&mut *tx)
                    .await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn session_by_hash(&self, token_hash: &str) -> crate::Result<Option<hearth_core::access::StaffSession>> {
                let sql = self.sql(
                    "SELECT token_hash, staff_id::text, csrf_token, created_at::text, expires_at::text \
                     FROM staff_sessions WHERE token_hash = $1",
                );
                let row: Option<(String, String, String, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(token_hash).fetch_optional(&self.pool).await?;
                row.map(|(token_hash, staff_id, csrf_token, created, expires)| {
                    Ok(hearth_core::access::StaffSession {
                        token_hash,
                        staff_id: crate::access::parse_uuid(&staff_id)?,
                        csrf_token,
                        created_at: crate::rows::parse_ts(&created)?,
                        expires_at: crate::rows::parse_ts(&expires)?,
                    })
                })
                .transpose()
            }

            async fn delete_session(&self, token_hash: &str, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql("DELETE FROM staff_sessions WHERE token_hash = $1");
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(token_hash).execute(&mut *tx).await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn person_controls(&self, person_ids: &[uuid::Uuid]) -> crate::Result<std::collections::HashMap<uuid::Uuid, hearth_core::access::PersonControls>> {
                let mut out: std::collections::HashMap<uuid::Uuid, hearth_core::access::PersonControls> =
                    person_ids.iter().map(|id| (*id, Default::default())).collect();
                for chunk in person_ids.chunks(500) {
                    let ids = crate::access::placeholders(chunk.len());
                    let flags_sql = self.sql(&format!("SELECT person_id::text, restricted, objected FROM person_flags WHERE person_id IN ({ids})"));
                    let mut q = sqlx::query_as::<_, (String, bool, bool)>(sqlx::AssertSqlSafe(flags_sql.as_str()));
                    for id in chunk { q = q.bind(id.to_string()); }
                    for (id, restricted, objected) in q.fetch_all(&self.pool).await? {
                        let entry = out.entry(crate::access::parse_uuid(&id)?).or_default();
                        entry.restricted = restricted;
                        entry.objected = objected;
                    }
                    // The latest record per person and purpose decides; earlier ones are history.
                    let consent_sql = self.sql(&format!(
                        "SELECT person_id::text, purpose, granted, special_category FROM consents WHERE person_id IN ({ids}) ORDER BY at, id"
                    ));
                    let mut q = sqlx::query_as::<_, (String, String, bool, bool)>(sqlx::AssertSqlSafe(consent_sql.as_str()));
                    for id in chunk { q = q.bind(id.to_string()); }
                    let mut latest: std::collections::HashMap<(String, String, bool), bool> = std::collections::HashMap::new();
                    for (id, purpose, granted, special) in q.fetch_all(&self.pool).await? {
                        latest.insert((id, purpose, special), granted);
                    }
                    for ((id, purpose, special), granted) in latest {
                        if granted {
                            let entry = out.entry(crate::access::parse_uuid(&id)?).or_default();
                            if special { entry.explicit_consents.push(purpose) } else { entry.consents.push(purpose) }
                        }
                    }
                    let assign_sql = self.sql(&format!("SELECT person_id::text, staff_id::text FROM assignments WHERE person_id IN ({ids})"));
                    let mut q = sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(assign_sql.as_str()));
                    for id in chunk { q = q.bind(id.to_string()); }
                    for (id, staff) in q.fetch_all(&self.pool).await? {
                        out.entry(crate::access::parse_uuid(&id)?).or_default().assignees.push(crate::access::parse_uuid(&staff)?);
                    }
                }
                for controls in out.values_mut() {
                    controls.consents.sort();
                    controls.explicit_consents.sort();
                }
                Ok(out)
            }

            async fn set_person_flags(&self, person_id: uuid::Uuid, restricted: bool, objected: bool, at: jiff::Timestamp, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                self.write_flags(&mut tx, person_id, restricted, objected, at).await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn insert_consent(&self, consent: &hearth_core::access::ConsentRecord, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                self.write_consent(&mut tx, consent).await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn consent_history(&self, person_id: uuid::Uuid) -> crate::Result<Vec<hearth_core::access::ConsentRecord>> {
                let sql = self.sql(&format!("SELECT {} FROM consents WHERE person_id = $1::uuid ORDER BY at, id", crate::access::CONSENT_COLUMNS));
                let rows: Vec<crate::access::ConsentRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(person_id.to_string()).fetch_all(&self.pool).await?;
                rows.into_iter().map(crate::access::consent_from).collect()
            }

            async fn destroy_person_key(&self, person_id: uuid::Uuid, audit: &hearth_core::audit::AuditEvent) -> crate::Result<bool> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql("DELETE FROM person_keys WHERE person_id = $1::uuid");
                let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(person_id.to_string()).execute(&mut *tx).await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn rewrap_person_keys(&self, limit: i64, audit: &hearth_core::audit::AuditEvent) -> crate::Result<u64> {
                let mut tx = self.begin_write("audit").await?;
                let select = self.sql(
                    "SELECT person_id::text, key_id::text, kek_id, wrapped FROM person_keys WHERE kek_id <> $1 ORDER BY person_id LIMIT $2",
                );
                let rows: Vec<(String, String, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(select.as_str()))
                    .bind(self.sealer.active_kek_id())
                    .bind(limit)
                    .fetch_all(&mut *tx)
                    .await?;
                if rows.is_empty() {
                    return Ok(0);
                }
                // Only the wrapping changes: the data key, and so every sealed value, stays as it is.
                let update = self.sql("UPDATE person_keys SET kek_id = $2, wrapped = $3 WHERE person_id = $1::uuid AND kek_id = $4");
                let mut done = 0;
                for (person_id, key_id, kek_id, wrapped_hex) in rows {
                    let parse = |id: &str| id.parse().map_err(|_| crate::StoreError::Corrupt(format!("bad key id '{id}'")));
                    let row = crate::sealer::PersonKeyRow { person_id: parse(&person_id)?, key_id: parse(&key_id)?, kek_id: kek_id.clone(), wrapped_hex };
                    if let Some(new) = self.sealer.rewrapped(&row)? {
                        sqlx::query(sqlx::AssertSqlSafe(update.as_str()))
                            .bind(&person_id)
                            .bind(&new.kek_id)
                            .bind(&new.wrapped_hex)
                            .bind(&kek_id)
                            .execute(&mut *tx)
                            .await?;
                        done += 1;
                    }
                }
                let mut event = audit.clone();
                event.id = uuid::Uuid::now_v7();
                event.reason = Some(format!("{done} data keys re-wrapped under {}", self.sealer.active_kek_id()));
                self.append_audit(&mut tx, std::slice::from_ref(&event)).await?;
                tx.commit().await?;
                Ok(done)
            }

            async fn keys_by_kek(&self) -> crate::Result<Vec<(String, i64)>> {
                let sql = self.sql("SELECT kek_id, count(*) FROM person_keys GROUP BY kek_id ORDER BY kek_id");
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).fetch_all(&self.pool).await?)
            }

            async fn insert_assignment(&self, person_id: uuid::Uuid, staff_id: uuid::Uuid, reason: &str, at: jiff::Timestamp, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql(
                    "INSERT INTO assignments (person_id, staff_id, reason, created_at) VALUES ($1::uuid, $2::uuid, $3, $4::timestamptz) \
                     ON CONFLICT (person_id, staff_id) DO UPDATE SET reason = excluded.reason",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(person_id.to_string()).bind(staff_id.to_string()).bind(reason).bind(crate::rows::ts(at)).execute(&mut *tx).await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}
pub(crate) use impl_access_store;
