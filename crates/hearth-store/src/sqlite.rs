//! The embedded SQLite store: WAL journal, foreign keys on, writes in IMMEDIATE transactions.

use crate::backend::{bind_params, impl_store};
use crate::rows::Param;
use crate::{Backend, Result, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// Hearth on SQLite.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// Seals and opens the encrypted columns.
    sealer: std::sync::Arc<crate::sealer::Sealer>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file a `sqlite:` URL names and migrates it.
    pub async fn open(url: &str, sealer: std::sync::Arc<crate::sealer::Sealer>) -> Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("bad SQLite URL: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // 32 MiB of page cache per connection rather than SQLite's 2 MiB: bulk work on a
            // million rows (retention batches, imports) otherwise re-reads the same index pages.
            .pragma("cache_size", "-32768");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
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
        format!("(SELECT value FROM json_each(${param}::text))")
    }

    fn sql(&self, pg: &str) -> String {
        crate::dialect::for_sqlite(pg)
    }

    async fn schema_versions_of(pool: &SqlitePool) -> Result<(i64, i64)> {
        let binary = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        let has_table: Option<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_optional(pool)
        .await?;
        let database: Option<i64> = match has_table {
            Some(_) => {
                sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations")
                    .fetch_one(pool)
                    .await?
            }
            None => None,
        };
        Ok((binary, database.unwrap_or(0)))
    }

    /// SQLite has one writer: taking the lock at BEGIN avoids a failed upgrade later.
    /// Takes a named write lock inside a transaction. SQLite's BEGIN IMMEDIATE already holds
    /// the only write lock there is.
    async fn lock_in(_tx: &mut Transaction<'static, Sqlite>, _name: &str) -> Result<()> {
        Ok(())
    }

    async fn begin_write(&self, _purpose: &str) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Batched multi-row INSERTs within SQLite's parameter limit.
    async fn bulk_insert(
        tx: &mut Transaction<'static, Sqlite>,
        _store: &Self,
        table: &crate::sql::Table,
        rows: Vec<Vec<Param>>,
    ) -> Result<()> {
        let per_insert = table.rows_per_insert();
        for chunk in rows.chunks(per_insert) {
            let sql = crate::sql::cached_sqlite_insert(table, chunk.len());
            bind_params!(
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str())),
                chunk.iter().flatten().cloned()
            )
            .execute(&mut **tx)
            .await?;
        }
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
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

impl_store!(SqliteStore, Sqlite, SqliteImport, Backend::Sqlite);
crate::access::impl_access_store!(SqliteStore, Sqlite);
crate::retention_body::impl_retention_store!(SqliteStore, Sqlite);
crate::rights::impl_rights_store!(SqliteStore, Sqlite);
crate::erasure::impl_erasure_store!(SqliteStore, Sqlite);
crate::release::impl_release_store!(SqliteStore);
crate::rectification::impl_rectification_store!(SqliteStore);
crate::disclosure::impl_disclosure_store!(SqliteStore, Sqlite);
crate::repairs::impl_repair_store!(SqliteStore, Sqlite);
crate::video::impl_video_store!(SqliteStore, Sqlite);
crate::recordings::impl_recording_store!(SqliteStore);
crate::residents::impl_resident_store!(SqliteStore);
crate::raw_filed::impl_raw_filed!(SqliteStore);
crate::raw_holdings::impl_raw_holdings!(SqliteStore);
