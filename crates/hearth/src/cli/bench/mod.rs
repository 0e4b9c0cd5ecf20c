//! `hearth bench import`, `hearth bench retention` and `hearth bench rights`: each measures
//! Hearth on each backend beside its raw lower bound in the same run. Import: N people from CSV
//! beside the bare bulk insert of the same rows.

mod retention;
mod rights;

use anyhow::{Context, Result};
use hearth_core::clock::SystemClock;
use hearth_service::Hearth;
use hearth_service::import::{ImportKind, ImportOptions, Silent, people_from_csv};
use hearth_store::RawPeople;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, clap::Subcommand)]
pub enum BenchCommand {
    /// Import people from CSV and compare with the bare bulk load of the same rows.
    Import {
        #[arg(long, default_value_t = 1_000_000)]
        people: u64,
        /// A PostgreSQL server where the benchmark may create databases (else SQLite only;
        /// HEARTH_TEST_POSTGRES_URL is used when set).
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Dispose of expired records with their related rows and media, beside one bare bulk
    /// DELETE per table of the same rows.
    Retention {
        #[arg(long, default_value_t = 1_000_000)]
        records: u64,
        /// One record in this many has a media object (0: none).
        #[arg(long, default_value_t = 100)]
        media_every: u64,
        /// As for `bench import`.
        #[arg(long)]
        postgres: Option<String>,
    },
    /// The access bundle and the erasure of one person among many, beside the plain indexed
    /// SELECTs and DELETEs of the same rows.
    Rights {
        #[arg(long, default_value_t = 1_000_000)]
        people: u64,
        /// How many random people are measured for each operation.
        #[arg(long, default_value_t = 100)]
        sample: usize,
        /// As for `bench import`.
        #[arg(long)]
        postgres: Option<String>,
    },
}

struct Measure {
    backend: &'static str,
    import: Duration,
    raw: Duration,
}

pub async fn run(command: BenchCommand) -> Result<ExitCode> {
    // Warnings only, unless RUST_LOG asks for more (`sqlx::query=debug` times each statement).
    super::init_logging(crate::config::LogFormat::Text, "warn,sqlx::query=error");
    let (people, postgres) = match command {
        BenchCommand::Import { people, postgres } => (people, postgres),
        BenchCommand::Retention {
            records,
            media_every,
            postgres,
        } => {
            let postgres = postgres.or_else(|| std::env::var("HEARTH_TEST_POSTGRES_URL").ok());
            return retention::run(records, media_every, postgres).await;
        }
        BenchCommand::Rights {
            people,
            sample,
            postgres,
        } => {
            let postgres = postgres.or_else(|| std::env::var("HEARTH_TEST_POSTGRES_URL").ok());
            return rights::run(people, sample, postgres).await;
        }
    };
    let postgres = postgres.or_else(|| std::env::var("HEARTH_TEST_POSTGRES_URL").ok());
    let dir = tempfile::tempdir()?;
    let now = hearth_core::clock::Clock::now(&SystemClock);
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    eprintln!("generating {people} people...");
    let csv = hearth_service::demo::write_demo_csv(dir.path(), people, 7, today)?;
    let mut results = vec![bench_backend("sqlite", &csv.people, None, dir.path()).await?];
    if let Some(admin) = postgres {
        results.push(bench_backend("postgres", &csv.people, Some(&admin), dir.path()).await?);
    } else {
        eprintln!("no PostgreSQL given (--postgres or HEARTH_TEST_POSTGRES_URL): SQLite only");
    }
    println!(
        "\n| backend | rows | import (validated, idempotent) | raw bulk load (lower bound) | ratio |"
    );
    println!("|---|---:|---:|---:|---:|");
    for m in &results {
        println!(
            "| {} | {people} | {:.2} s ({:.0} rows/s) | {:.2} s ({:.0} rows/s) | {:.2}x |",
            m.backend,
            m.import.as_secs_f64(),
            people as f64 / m.import.as_secs_f64(),
            m.raw.as_secs_f64(),
            people as f64 / m.raw.as_secs_f64(),
            m.import.as_secs_f64() / m.raw.as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn fresh_url(
    backend: &str,
    admin: Option<&str>,
    dir: &std::path::Path,
    name: &str,
) -> Result<String> {
    match (backend, admin) {
        ("sqlite", _) => Ok(format!(
            "sqlite://{}",
            dir.join(format!("{name}.sqlite")).display()
        )),
        (_, Some(admin)) => {
            let db = format!("hearth_bench_{name}_{}", uuid::Uuid::new_v4().simple());
            let pool = sqlx::PgPool::connect(admin)
                .await
                .context("connecting to PostgreSQL")?;
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
                .execute(&pool)
                .await?;
            pool.close().await;
            let (base, _) = admin.rsplit_once('/').unwrap_or((admin, ""));
            Ok(format!("{base}/{db}"))
        }
        _ => anyhow::bail!("PostgreSQL needs a server URL"),
    }
}

async fn bench_backend(
    backend: &'static str,
    people_csv: &std::path::Path,
    admin: Option<&str>,
    dir: &std::path::Path,
) -> Result<Measure> {
    let register =
        Arc::new(hearth_core::register::default_register().map_err(|p| anyhow::anyhow!("{p:?}"))?);

    // Throwaway databases, so a throwaway key ring: the work of sealing is the same.
    let sealer = Arc::new(hearth_store::sealer::Sealer::new(
        hearth_crypto::KeyRing::generate("kek-bench")?,
    )?);
    // The full import: read, validate, check keys, seal, write, in one transaction.
    let url = fresh_url(backend, admin, dir, "import").await?;
    let hearth = Hearth::new(
        hearth_store::open(&url, sealer.clone()).await?,
        register,
        Arc::new(SystemClock),
    )?;
    let caller = hearth_service::Caller::operator("bench").for_purpose("customer_record");
    let file = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(people_csv)?);
    let started = Instant::now();
    let report = hearth
        .import_csv(
            &caller,
            ImportKind::People,
            file,
            &ImportOptions {
                skip_invalid: false,
                source_name: "bench".into(),
            },
            &Silent,
        )
        .await?;
    let import = started.elapsed();
    anyhow::ensure!(
        report.committed && report.errors.is_empty(),
        "benchmark data failed validation: {:?}",
        report.errors.first()
    );
    eprintln!(
        "{backend}: import of {} rows took {:.2} s",
        report.imported,
        import.as_secs_f64()
    );

    // The lower bound: the same rows, prepared beforehand, loaded by the bare bulk insert.
    let now = hearth_core::clock::Clock::now(&SystemClock);
    let prepared = Instant::now();
    let rows = people_from_csv(
        std::fs::File::open(people_csv)?,
        now.to_zoned(jiff::tz::TimeZone::UTC).date(),
        now,
    )
    .map_err(|e| anyhow::anyhow!(e))?;
    let raw_rows = RawPeople::from_people(&rows, &sealer)?;
    drop(rows);
    eprintln!(
        "{backend}: reading, validating and sealing alone (no database) took {:.2} s",
        prepared.elapsed().as_secs_f64()
    );
    let url = fresh_url(backend, admin, dir, "raw").await?;
    let started;
    if backend == "sqlite" {
        let store = hearth_store::SqliteStore::open(&url, sealer.clone()).await?;
        started = Instant::now();
        store.raw_load(raw_rows).await?;
    } else {
        let store = hearth_store::PgStore::open(&url, sealer.clone()).await?;
        started = Instant::now();
        store.raw_load(raw_rows).await?;
    }
    let raw = started.elapsed();
    eprintln!("{backend}: raw bulk load took {:.2} s", raw.as_secs_f64());
    Ok(Measure {
        backend,
        import,
        raw,
    })
}
