//! Test support: a fresh store on each backend, and fixtures.
//!
//! PostgreSQL tests use the server named by `HEARTH_TEST_POSTGRES_URL` (an account that may
//! create databases), each test in a database of its own. Without it they are skipped loudly;
//! with `HEARTH_REQUIRE_POSTGRES=1` (as CI sets) a skip is a failure.

mod notify_server;
mod one_login_server;
mod smtp_server;

pub use notify_server::{NotifySent, NotifyServer};
pub use one_login_server::{ClientKey, Misbehaviour, OneLoginServer, OneLoginUser};
pub use smtp_server::{Received, SmtpServer};

use hearth_core::records::{AddressInput, Person, PersonInput, Property, PropertyInput};
use hearth_store::Store;
use std::sync::Arc;
use uuid::Uuid;

/// A store on a fresh database, and what keeps that database alive.
pub struct TestDb {
    pub name: &'static str,
    pub url: String,
    pub store: Arc<dyn Store>,
    /// The key ring the store seals with, for reopening the same database.
    pub sealer: Arc<hearth_store::sealer::Sealer>,
    _dir: Option<tempfile::TempDir>,
}

/// A key ring made for one test: a fresh key-encryption key and blind-index key.
pub fn sealer() -> Arc<hearth_store::sealer::Sealer> {
    let ring = hearth_crypto::KeyRing::generate("kek-test")
        .unwrap_or_else(|e| panic!("generating a test key ring: {e}"));
    Arc::new(
        hearth_store::sealer::Sealer::new(ring).unwrap_or_else(|e| panic!("test key ring: {e}")),
    )
}

/// A fresh SQLite database in a temporary directory.
pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
    let url = format!("sqlite://{}", dir.path().join("hearth.sqlite").display());
    let sealer = sealer();
    let store = hearth_store::open(&url, sealer.clone())
        .await
        .unwrap_or_else(|e| panic!("open SQLite: {e}"));
    TestDb {
        name: "sqlite",
        url,
        store,
        sealer,
        _dir: Some(dir),
    }
}

/// The URL of a fresh, empty PostgreSQL database, or `None` (with a loud message) when no
/// server is configured. Panics when one is required but missing.
pub async fn postgres_url() -> Option<String> {
    let Ok(admin_url) = std::env::var("HEARTH_TEST_POSTGRES_URL") else {
        if std::env::var("HEARTH_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
            panic!(
                "HEARTH_REQUIRE_POSTGRES=1 but HEARTH_TEST_POSTGRES_URL is not set: PostgreSQL tests cannot be skipped here"
            );
        }
        eprintln!(
            "\n*** SKIPPING PostgreSQL: set HEARTH_TEST_POSTGRES_URL (scripts/test does) to run this test on PostgreSQL ***\n"
        );
        return None;
    };
    let name = format!("hearth_test_{}", Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("connect to PostgreSQL at HEARTH_TEST_POSTGRES_URL: {e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .unwrap_or_else(|e| panic!("create test database: {e}"));
    admin.close().await;
    let (base, _) = admin_url
        .rsplit_once('/')
        .unwrap_or((admin_url.as_str(), ""));
    Some(format!("{base}/{name}"))
}

/// A fresh PostgreSQL database, or `None` when PostgreSQL is not configured (see [`postgres_url`]).
pub async fn postgres() -> Option<TestDb> {
    let url = postgres_url().await?;
    let sealer = sealer();
    let store = hearth_store::open(&url, sealer.clone())
        .await
        .unwrap_or_else(|e| panic!("open PostgreSQL: {e}"));
    Some(TestDb {
        name: "postgres",
        url,
        store,
        sealer,
        _dir: None,
    })
}

/// A fresh database on every available backend: SQLite always, PostgreSQL when configured.
pub async fn all_backends() -> Vec<TestDb> {
    let mut dbs = vec![sqlite().await];
    dbs.extend(postgres().await);
    dbs
}

/// A fixed "now" for tests: 22 November 2026, 10:00 UTC.
pub fn now() -> jiff::Timestamp {
    "2026-11-22T10:00:00Z"
        .parse()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A valid person input with the given names.
pub fn person_input(given: &str, family: &str) -> PersonInput {
    PersonInput {
        given_name: given.into(),
        family_name: family.into(),
        ..Default::default()
    }
}

/// A stored-form person built from an input, as the service would.
pub fn person(input: PersonInput) -> Person {
    let fields = input
        .validate(now().to_zoned(jiff::tz::TimeZone::UTC).date())
        .unwrap_or_else(|e| panic!("fixture person invalid: {e}"));
    Person {
        id: Uuid::now_v7(),
        fields,
        created_at: now(),
        updated_at: now(),
        version: 1,
    }
}

/// A stored-form property at a UPRN and postcode.
pub fn property(uprn: &str, line1: &str, postcode: &str) -> Property {
    let input = PropertyInput {
        uprn: uprn.into(),
        address: AddressInput {
            line1: line1.into(),
            town: Some("Huddersfield".into()),
            postcode: postcode.into(),
            ..Default::default()
        },
        property_type: Some("house".into()),
        bedrooms: Some(2),
        source: None,
    };
    let fields = input
        .validate()
        .unwrap_or_else(|e| panic!("fixture property invalid: {e}"));
    Property {
        id: Uuid::now_v7(),
        fields,
        created_at: now(),
        updated_at: now(),
        version: 1,
    }
}
