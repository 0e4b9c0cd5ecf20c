//! Store errors: expected outcomes (not found, conflict) apart from failures.

/// What can go wrong in the store. Messages carry ids, never personal data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Config(String),
    #[error(
        "the database schema is at migration {database}, newer than this binary's {binary}: upgrade Hearth before starting it on this database"
    )]
    SchemaTooNew { database: i64, binary: i64 },
    #[error("{0} already exists")]
    Duplicate(String),
    #[error("{0} refers to a record that does not exist")]
    MissingReference(String),
    #[error(
        "the record was changed by someone else (version {expected} expected); reload and try again"
    )]
    VersionConflict { expected: i64 },
    /// The state changed under the operation (a hold placed, records added): nothing was done.
    #[error("{0}")]
    Conflict(String),
    #[error("record not found")]
    NotFound,
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
    /// The key ring could not wrap, unwrap or seal: a missing or wrong key-encryption key.
    #[error("encryption failed: {0}")]
    Crypto(String),
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &err {
            if db.is_unique_violation() {
                let what = db
                    .constraint()
                    .or(db.table())
                    .unwrap_or("a record with this key")
                    .to_string();
                return Self::Duplicate(what);
            }
            if db.is_foreign_key_violation() {
                return Self::MissingReference(db.table().unwrap_or("the record").to_string());
            }
        }
        Self::Database(err)
    }
}
