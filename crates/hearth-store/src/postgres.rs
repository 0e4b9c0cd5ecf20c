//! The PostgreSQL store: sessions in UTC, bulk loads through COPY, imports serialised by an
//! advisory lock.

use crate::backend::{bind_params, impl_store};
use crate::rows::Param;
use crate::{Backend, Result, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};
use std::str::FromStr;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Hearth on PostgreSQL.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    /// Seals and opens the encrypted columns.
    sealer: std::sync::Arc<crate::sealer::Sealer>,
}

impl PgStore {
    /// Connects to the database a `postgres://` URL names and migrates it.
    pub async fn open(url: &str, sealer: std::sync::Arc<crate::sealer::Sealer>) -> Result<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("bad PostgreSQL URL: {e}")))?
            .options([("TimeZone", "UTC"), ("DateStyle", "ISO")])
            .application_name("hearth");
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect_with(options)
            .await?;
        let (binary, database) = Self::schema_versions_of(&pool).await?;
        if database > binary {
            return Err(StoreError::SchemaTooNew { database, binary });
        }
        MIGRATOR.run(&pool).await?;
        let store = Self { pool, sealer };
        let sealed = store.seal_backlog().await?;
        if sealed > 0 {
            tracing::info!(
                values = sealed,
                "sealed values written before encryption at rest"
            );
        }
        Ok(store)
    }

    /// A subquery of the ids in a JSON array bound as text at placeholder `param`, in the
    /// dialect of `sql` (the cast after the placeholder lets searches renumber it).
    fn json_ids(&self, param: usize) -> String {
        format!("(SELECT value::uuid FROM json_array_elements_text(${param}::json) AS value)")
    }

    fn sql(&self, pg: &str) -> String {
        pg.to_string()
    }

    async fn schema_versions_of(pool: &PgPool) -> Result<(i64, i64)> {
        let binary = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        let has_table: bool =
            sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
                .fetch_one(pool)
                .await?;
        let database: Option<i64> = if has_table {
            sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations")
                .fetch_one(pool)
                .await?
        } else {
            None
        };
        Ok((binary, database.unwrap_or(0)))
    }

    /// A transaction holding a transaction-scoped advisory lock named after its purpose.
    /// Takes a named write lock inside a transaction that already holds another.
    async fn lock_in(tx: &mut Transaction<'static, Postgres>, name: &str) -> Result<()> {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind(format!("hearth:{name}"))
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    async fn begin_write(&self, purpose: &str) -> Result<Transaction<'static, Postgres>> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind(format!("hearth:{purpose}"))
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }

    /// COPY in text format: the fastest way into PostgreSQL, and still inside the transaction.
    async fn bulk_insert(
        tx: &mut Transaction<'static, Postgres>,
        _store: &Self,
        table: &crate::sql::Table,
        rows: Vec<Vec<Param>>,
    ) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut copy = tx
            .copy_in_raw(&format!(
                "COPY {} ({}) FROM STDIN",
                table.name,
                table.column_names()
            ))
            .await?;
        let mut buffer = String::with_capacity(1 << 20);
        for row in rows {
            for (i, param) in row.iter().enumerate() {
                if i > 0 {
                    buffer.push('\t');
                }
                param.copy_text(&mut buffer);
            }
            buffer.push('\n');
            if buffer.len() > (1 << 20) {
                copy.send(std::mem::take(&mut buffer).into_bytes()).await?;
            }
        }
        if !buffer.is_empty() {
            copy.send(buffer.into_bytes()).await?;
        }
        copy.finish().await?;
        Ok(())
    }

    /// Loads rows with the bare bulk insert in one transaction: the benchmark's lower bound.
    pub async fn raw_load(&self, people: crate::RawPeople) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        Self::bulk_insert(&mut tx, self, &crate::sql::PERSON_KEYS, people.keys).await?;
        Self::bulk_insert(&mut tx, self, &crate::sql::PEOPLE, people.rows).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The pool, for tests and benchmarks that measure the raw lower bound.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

impl_store!(PgStore, Postgres, PgImport, Backend::Postgres);
crate::access::impl_access_store!(PgStore, Postgres);
crate::retention_body::impl_retention_store!(PgStore, Postgres);
crate::rights::impl_rights_store!(PgStore, Postgres);
crate::erasure::impl_erasure_store!(PgStore, Postgres);
crate::release::impl_release_store!(PgStore);
crate::rectification::impl_rectification_store!(PgStore);
crate::disclosure::impl_disclosure_store!(PgStore, Postgres);
crate::repairs::impl_repair_store!(PgStore, Postgres);
crate::video::impl_video_store!(PgStore, Postgres);
crate::recordings::impl_recording_store!(PgStore);
crate::residents::impl_resident_store!(PgStore);
crate::raw_filed::impl_raw_filed!(PgStore);
crate::raw_holdings::impl_raw_holdings!(PgStore);
