//! The residents part of the store: One Login accounts linked to people, the single-use codes
//! that link them, sign-ins waiting on One Login, and resident browser sessions.

use crate::Result;
use async_trait::async_trait;
use hearth_core::audit::AuditEvent;
use hearth_core::residents::{LinkCode, PendingSignIn, ResidentAccount, ResidentSession};
use jiff::Timestamp;
use uuid::Uuid;

#[async_trait]
pub trait ResidentStore: Send + Sync {
    /// Keeps a sign-in sent to One Login, and forgets those whose time has passed.
    async fn insert_pending_sign_in(&self, pending: &PendingSignIn) -> Result<()>;
    /// Takes a sign-in back by its state's hash: it is removed, so an answer is used once.
    async fn take_pending_sign_in(&self, state_hash: &str) -> Result<Option<PendingSignIn>>;

    async fn resident_account(
        &self,
        issuer: &str,
        subject: &str,
    ) -> Result<Option<ResidentAccount>>;

    async fn insert_resident_session(
        &self,
        session: &ResidentSession,
        audit: &AuditEvent,
    ) -> Result<()>;
    async fn resident_session(&self, token_hash: &str) -> Result<Option<ResidentSession>>;
    /// Ends a session; the audit event is written only when there was one to end.
    async fn delete_resident_session(&self, token_hash: &str, audit: &AuditEvent) -> Result<bool>;
    /// Removes sessions that have expired, returning how many.
    async fn purge_resident_sessions(&self, now: Timestamp) -> Result<u64>;

    /// Issues a code: the person's older unused codes expire at its issue, the code and the
    /// message that carries it to the person (none when it goes by letter) are written with the
    /// audit event, all or nothing.
    async fn insert_link_code(
        &self,
        code: &LinkCode,
        message: Option<&hearth_core::video::OutboxMessage>,
        audit: &AuditEvent,
    ) -> Result<()>;
    async fn link_code(&self, code_hash: &str) -> Result<Option<LinkCode>>;
    /// A person's linked One Login accounts and the codes issued to them, oldest first, for
    /// their access bundle.
    async fn resident_accounts_of(&self, person_id: Uuid) -> Result<Vec<ResidentAccount>>;
    async fn link_codes_of(&self, person_id: Uuid) -> Result<Vec<LinkCode>>;
    /// Links an account: the code is spent, the account made and the session given its person,
    /// together. False, with nothing changed, when the code was spent or expired meanwhile.
    async fn link_resident(
        &self,
        code_hash: &str,
        account: &ResidentAccount,
        session_hash: &str,
        audit: &AuditEvent,
    ) -> Result<bool>;
}

pub(crate) const SESSION_COLUMNS: &str = "token_hash, issuer, subject, person_id::text, csrf_token, id_token, created_at::text, expires_at::text";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SessionRow {
    token_hash: String,
    issuer: String,
    subject: String,
    person_id: Option<String>,
    csrf_token: String,
    id_token: String,
    created_at: String,
    expires_at: String,
}

impl SessionRow {
    pub(crate) fn into_session(self) -> Result<ResidentSession> {
        Ok(ResidentSession {
            token_hash: self.token_hash,
            issuer: self.issuer,
            subject: self.subject,
            person_id: self
                .person_id
                .as_deref()
                .map(crate::access::parse_uuid)
                .transpose()?,
            csrf_token: self.csrf_token,
            id_token: self.id_token,
            created_at: crate::rows::parse_ts(&self.created_at)?,
            expires_at: crate::rows::parse_ts(&self.expires_at)?,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct LinkCodeRow {
    code_hash: String,
    person_id: String,
    issued_by: String,
    issued_at: String,
    expires_at: String,
    used_at: Option<String>,
}

impl LinkCodeRow {
    pub(crate) fn into_code(self) -> Result<LinkCode> {
        Ok(LinkCode {
            code_hash: self.code_hash,
            person_id: crate::access::parse_uuid(&self.person_id)?,
            issued_by: self.issued_by,
            issued_at: crate::rows::parse_ts(&self.issued_at)?,
            expires_at: crate::rows::parse_ts(&self.expires_at)?,
            used_at: self
                .used_at
                .as_deref()
                .map(crate::rows::parse_ts)
                .transpose()?,
        })
    }
}

/// Implements [`ResidentStore`] for one backend.
macro_rules! impl_resident_store {
    ($store:ident) => {
        #[async_trait::async_trait]
        impl crate::residents::ResidentStore for $store {
            async fn insert_pending_sign_in(&self, p: &hearth_core::residents::PendingSignIn) -> crate::Result<()> {
                let purge = self.sql("DELETE FROM resident_sign_ins WHERE expires_at < $1::timestamptz");
                sqlx::query(sqlx::AssertSqlSafe(purge.as_str())).bind(crate::rows::ts(p.created_at)).execute(&self.pool).await?;
                let sql = self.sql(
                    "INSERT INTO resident_sign_ins (state_hash, nonce, code_verifier, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz)",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(&p.state_hash)
                    .bind(&p.nonce)
                    .bind(&p.code_verifier)
                    .bind(crate::rows::ts(p.created_at))
                    .bind(crate::rows::ts(p.expires_at))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn take_pending_sign_in(&self, state_hash: &str) -> crate::Result<Option<hearth_core::residents::PendingSignIn>> {
                let sql = self.sql(
                    "DELETE FROM resident_sign_ins WHERE state_hash = $1 \
                     RETURNING state_hash, nonce, code_verifier, created_at::text, expires_at::text",
                );
                let row: Option<(String, String, String, String, String)> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(state_hash).fetch_optional(&self.pool).await?;
                row.map(|(state_hash, nonce, code_verifier, created_at, expires_at)| {
                    Ok(hearth_core::residents::PendingSignIn {
                        state_hash,
                        nonce,
                        code_verifier,
                        created_at: crate::rows::parse_ts(&created_at)?,
                        expires_at: crate::rows::parse_ts(&expires_at)?,
                    })
                })
                .transpose()
            }

            async fn resident_account(&self, issuer: &str, subject: &str) -> crate::Result<Option<hearth_core::residents::ResidentAccount>> {
                let sql = self.sql(
                    "SELECT id::text, person_id::text, linked_at::text FROM resident_accounts WHERE issuer = $1 AND subject = $2",
                );
                let row: Option<(String, String, String)> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(issuer).bind(subject).fetch_optional(&self.pool).await?;
                row.map(|(id, person_id, linked_at)| {
                    Ok(hearth_core::residents::ResidentAccount {
                        id: crate::access::parse_uuid(&id)?,
                        issuer: issuer.to_string(),
                        subject: subject.to_string(),
                        person_id: crate::access::parse_uuid(&person_id)?,
                        linked_at: crate::rows::parse_ts(&linked_at)?,
                    })
                })
                .transpose()
            }

            async fn insert_resident_session(&self, s: &hearth_core::residents::ResidentSession, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql(
                    "INSERT INTO resident_sessions (token_hash, issuer, subject, person_id, csrf_token, id_token, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4::uuid, $5, $6, $7::timestamptz, $8::timestamptz)",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(&s.token_hash)
                    .bind(&s.issuer)
                    .bind(&s.subject)
                    .bind(s.person_id.map(|p| p.to_string()))
                    .bind(&s.csrf_token)
                    .bind(&s.id_token)
                    .bind(crate::rows::ts(s.created_at))
                    .bind(crate::rows::ts(s.expires_at))
                    .execute(&mut *tx)
                    .await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn resident_session(&self, token_hash: &str) -> crate::Result<Option<hearth_core::residents::ResidentSession>> {
                let sql = self.sql(&format!("SELECT {} FROM resident_sessions WHERE token_hash = $1", crate::residents::SESSION_COLUMNS));
                let row: Option<crate::residents::SessionRow> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(token_hash).fetch_optional(&self.pool).await?;
                row.map(crate::residents::SessionRow::into_session).transpose()
            }

            async fn delete_resident_session(&self, token_hash: &str, audit: &hearth_core::audit::AuditEvent) -> crate::Result<bool> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql("DELETE FROM resident_sessions WHERE token_hash = $1");
                let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(token_hash).execute(&mut *tx).await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn purge_resident_sessions(&self, now: jiff::Timestamp) -> crate::Result<u64> {
                let sql = self.sql("DELETE FROM resident_sessions WHERE expires_at <= $1::timestamptz");
                let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(crate::rows::ts(now)).execute(&self.pool).await?;
                Ok(done.rows_affected())
            }

            async fn insert_link_code(&self, c: &hearth_core::residents::LinkCode, message: Option<&hearth_core::video::OutboxMessage>, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                // A new code revokes the older ones still unused: they expire as it is issued.
                let revoke = self.sql(
                    "UPDATE resident_link_codes SET expires_at = $2::timestamptz \
                     WHERE person_id = $1::uuid AND used_at IS NULL AND expires_at > $2::timestamptz",
                );
                sqlx::query(sqlx::AssertSqlSafe(revoke.as_str()))
                    .bind(c.person_id.to_string())
                    .bind(crate::rows::ts(c.issued_at))
                    .execute(&mut *tx)
                    .await?;
                if let Some(message) = message {
                    self.write_message(&mut tx, message).await?;
                }
                let sql = self.sql(
                    "INSERT INTO resident_link_codes (code_hash, person_id, issued_by, issued_at, expires_at) \
                     VALUES ($1, $2::uuid, $3, $4::timestamptz, $5::timestamptz)",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(&c.code_hash)
                    .bind(c.person_id.to_string())
                    .bind(&c.issued_by)
                    .bind(crate::rows::ts(c.issued_at))
                    .bind(crate::rows::ts(c.expires_at))
                    .execute(&mut *tx)
                    .await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn link_code(&self, code_hash: &str) -> crate::Result<Option<hearth_core::residents::LinkCode>> {
                let sql = self.sql(
                    "SELECT code_hash, person_id::text, issued_by, issued_at::text, expires_at::text, used_at::text \
                     FROM resident_link_codes WHERE code_hash = $1",
                );
                let row: Option<crate::residents::LinkCodeRow> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(code_hash).fetch_optional(&self.pool).await?;
                row.map(crate::residents::LinkCodeRow::into_code).transpose()
            }

            async fn resident_accounts_of(&self, person_id: uuid::Uuid) -> crate::Result<Vec<hearth_core::residents::ResidentAccount>> {
                let sql = self.sql(
                    "SELECT id::text, issuer, subject, linked_at::text FROM resident_accounts WHERE person_id = $1::uuid ORDER BY linked_at, id",
                );
                let rows: Vec<(String, String, String, String)> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(person_id.to_string()).fetch_all(&self.pool).await?;
                rows.into_iter()
                    .map(|(id, issuer, subject, linked_at)| {
                        Ok(hearth_core::residents::ResidentAccount {
                            id: crate::access::parse_uuid(&id)?,
                            issuer,
                            subject,
                            person_id,
                            linked_at: crate::rows::parse_ts(&linked_at)?,
                        })
                    })
                    .collect()
            }

            async fn link_codes_of(&self, person_id: uuid::Uuid) -> crate::Result<Vec<hearth_core::residents::LinkCode>> {
                let sql = self.sql(
                    "SELECT code_hash, person_id::text, issued_by, issued_at::text, expires_at::text, used_at::text \
                     FROM resident_link_codes WHERE person_id = $1::uuid ORDER BY issued_at, code_hash",
                );
                let rows: Vec<crate::residents::LinkCodeRow> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(person_id.to_string()).fetch_all(&self.pool).await?;
                rows.into_iter().map(crate::residents::LinkCodeRow::into_code).collect()
            }

            async fn link_resident(
                &self,
                code_hash: &str,
                account: &hearth_core::residents::ResidentAccount,
                session_hash: &str,
                audit: &hearth_core::audit::AuditEvent,
            ) -> crate::Result<bool> {
                let mut tx = self.begin_write("audit").await?;
                let at = crate::rows::ts(account.linked_at);
                let spend = self.sql(
                    "UPDATE resident_link_codes SET used_at = $2::timestamptz \
                     WHERE code_hash = $1 AND person_id = $3::uuid AND used_at IS NULL AND expires_at > $2::timestamptz",
                );
                let spent = sqlx::query(sqlx::AssertSqlSafe(spend.as_str()))
                    .bind(code_hash)
                    .bind(&at)
                    .bind(account.person_id.to_string())
                    .execute(&mut *tx)
                    .await?;
                if spent.rows_affected() != 1 {
                    return Ok(false);
                }
                let insert = self.sql(
                    "INSERT INTO resident_accounts (id, issuer, subject, person_id, linked_at) \
                     VALUES ($1::uuid, $2, $3, $4::uuid, $5::timestamptz)",
                );
                sqlx::query(sqlx::AssertSqlSafe(insert.as_str()))
                    .bind(account.id.to_string())
                    .bind(&account.issuer)
                    .bind(&account.subject)
                    .bind(account.person_id.to_string())
                    .bind(&at)
                    .execute(&mut *tx)
                    .await?;
                let session = self.sql("UPDATE resident_sessions SET person_id = $2::uuid WHERE token_hash = $1");
                sqlx::query(sqlx::AssertSqlSafe(session.as_str()))
                    .bind(session_hash)
                    .bind(account.person_id.to_string())
                    .execute(&mut *tx)
                    .await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(true)
            }
        }
    };
}
pub(crate) use impl_resident_store;
