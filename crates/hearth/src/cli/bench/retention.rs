//! `hearth bench retention`: a retention run disposing of N expired records with their event
//! dates and media, beside the bare bulk DELETE of the same rows in a twin database, measured
//! in the same run on each backend, with the run's memory sampled throughout.

use anyhow::{Context, Result};
use hearth_core::audit::CheckpointKey;
use hearth_core::clock::{Clock, SystemClock};
use hearth_core::records::{FiledRecord, FiledRecordFields, MediaObject};
use hearth_service::retention::{MediaStore, RunOptions};
use hearth_service::{Caller, Hearth};
use hearth_store::sealer::Sealer;
use hearth_store::{PgStore, RawFiled, SqliteStore};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The record type disposed of: CCTV footage, 30 days from creation.
const RECORD_TYPE: &str = "cctv_footage";
/// How many records are generated and loaded at a time, so seeding stays small in memory.
const SEED_CHUNK: u64 = 50_000;

struct Measure {
    backend: &'static str,
    run: Duration,
    raw: Duration,
    media_removed: u64,
    rss_before: u64,
    rss_peak: u64,
}

pub async fn run(records: u64, media_every: u64, postgres: Option<String>) -> Result<ExitCode> {
    anyhow::ensure!(records > 0, "--records must be at least 1");
    let dir = tempfile::tempdir()?;
    let mut results = vec![bench_backend("sqlite", records, media_every, None, dir.path()).await?];
    if let Some(admin) = postgres {
        results
            .push(bench_backend("postgres", records, media_every, Some(&admin), dir.path()).await?);
    } else {
        eprintln!("no PostgreSQL given (--postgres or HEARTH_TEST_POSTGRES_URL): SQLite only");
    }
    println!(
        "\n| backend | records | media objects | retention run | raw bulk DELETE (lower bound) | ratio | resident memory before / peak during run |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for m in &results {
        println!(
            "| {} | {records} | {} | {:.2} s ({:.0} records/s) | {:.2} s ({:.0} records/s) | {:.2}x | {} / {} MiB |",
            m.backend,
            m.media_removed,
            m.run.as_secs_f64(),
            records as f64 / m.run.as_secs_f64(),
            m.raw.as_secs_f64(),
            records as f64 / m.raw.as_secs_f64(),
            m.run.as_secs_f64() / m.raw.as_secs_f64(),
            m.rss_before / (1024 * 1024),
            m.rss_peak / (1024 * 1024),
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads `records` expired CCTV records (one event date each, media on every `media_every`th)
/// into a store, writing their media objects into `media_dir` when given.
async fn seed<F, Fut>(
    records: u64,
    media_every: u64,
    media_dir: Option<&std::path::Path>,
    load: F,
) -> Result<()>
where
    F: Fn(RawFiled) -> Fut,
    Fut: std::future::Future<Output = hearth_store::Result<()>>,
{
    let now = SystemClock.now();
    let created = now
        .checked_sub(jiff::SignedDuration::from_hours(24 * 60))
        .context("time arithmetic")?;
    let day = hearth_core::retention::uk_date(created);
    let media = media_dir
        .map(MediaStore::local)
        .transpose()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut done = 0;
    while done < records {
        let mut raw = RawFiled::default();
        for i in done..(done + SEED_CHUNK).min(records) {
            let record = FiledRecord {
                id: uuid::Uuid::now_v7(),
                fields: FiledRecordFields {
                    record_type: RECORD_TYPE.into(),
                    person_id: None,
                    tenancy_id: None,
                    case_ref: Some(format!("INC-{}", i % 5000)),
                    title: format!("Camera {} footage", i % 40),
                    details: Some("Clip retained after an incident report".into()),
                    stats: serde_json::Map::new(),
                    events: [("incident".to_string(), day)].into_iter().collect(),
                },
                created_at: created,
                last_activity_at: created,
                closed_at: None,
                anonymised_at: None,
                version: 1,
            };
            let mut objects = vec![];
            if media_every > 0 && i % media_every == 0 {
                let id = uuid::Uuid::now_v7();
                let object = MediaObject {
                    id,
                    record_id: record.id,
                    object_key: format!("records/{}/{id}", record.id),
                    content_type: "video/webm".into(),
                    size: 64,
                    sha256: "0".repeat(64),
                    created_at: created,
                };
                if let Some(store) = &media {
                    store
                        .put(&object.object_key, vec![0u8; 64])
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                }
                objects.push(object);
            }
            raw.push(&record, &objects)?;
        }
        done += raw.len() as u64;
        load(raw).await?;
    }
    Ok(())
}

/// Flushes the load to disk before a measurement, so neither side pays for the other's
/// writeback.
fn settle() -> Result<()> {
    let status = std::process::Command::new("sync").status()?;
    anyhow::ensure!(status.success(), "sync failed: {status}");
    Ok(())
}

/// Resident memory of this process, from `/proc/self/statm`.
fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map(|pages| pages * 4096)
        .unwrap_or(0)
}

/// Samples resident memory every 20 ms until stopped; returns the peak.
fn sample_memory(stop: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
    let peak = AtomicU64::new(rss_bytes());
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            peak.fetch_max(rss_bytes(), Ordering::Relaxed);
            std::thread::sleep(Duration::from_millis(20));
        }
        peak.load(Ordering::Relaxed)
    })
}

async fn bench_backend(
    backend: &'static str,
    records: u64,
    media_every: u64,
    admin: Option<&str>,
    dir: &std::path::Path,
) -> Result<Measure> {
    let register =
        Arc::new(hearth_core::register::default_register().map_err(|p| anyhow::anyhow!("{p:?}"))?);
    let sealer = Arc::new(Sealer::new(hearth_crypto::KeyRing::generate("kek-bench")?)?);
    let media_dir = dir.join(format!("media-{backend}"));
    std::fs::create_dir_all(&media_dir)?;

    // The retention run, as `hearth retention run` does it.
    let url = super::fresh_url(backend, admin, dir, "retention").await?;
    eprintln!("{backend}: loading {records} expired records...");
    let loaded = Instant::now();
    if backend == "sqlite" {
        let raw = SqliteStore::open(&url, sealer.clone()).await?;
        seed(records, media_every, Some(&media_dir), |rows| {
            raw.raw_load_filed(rows)
        })
        .await?;
    } else {
        let raw = PgStore::open(&url, sealer.clone()).await?;
        seed(records, media_every, Some(&media_dir), |rows| {
            raw.raw_load_filed(rows)
        })
        .await?;
    }
    eprintln!(
        "{backend}: loaded in {:.1} s",
        loaded.elapsed().as_secs_f64()
    );
    settle()?;
    let store = hearth_store::open(&url, sealer.clone()).await?;
    // A throwaway database, so a throwaway signing key.
    let hearth = Hearth::new(store, register.clone(), Arc::new(SystemClock))?
        .with_media(MediaStore::local(&media_dir).map_err(|e| anyhow::anyhow!("{e}"))?)
        .with_signing_key(CheckpointKey::from_seed(rand::random()));
    let options = RunOptions {
        as_of: hearth.today(),
        dry_run: false,
        only: Some(RECORD_TYPE.into()),
    };
    let rss_before = rss_bytes();
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = sample_memory(stop.clone());
    let started = Instant::now();
    let report = hearth
        .run_retention(&Caller::system("retention"), &options)
        .await?;
    let run = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let rss_peak = sampler.join().unwrap_or(0);
    let line = report
        .lines
        .iter()
        .find(|l| l.record_type == RECORD_TYPE)
        .context("the run reported nothing for the record type")?;
    anyhow::ensure!(
        line.destroyed == records,
        "the run destroyed {} of {records} records",
        line.destroyed
    );
    let media_removed = report
        .certificate
        .as_ref()
        .map(|c| c.certificate.lines.iter().map(|l| l.media_removed).sum())
        .unwrap_or(0);
    eprintln!("{backend}: retention run took {:.2} s", run.as_secs_f64());

    // The lower bound: the same rows in a twin database, deleted by one statement per table.
    let url = super::fresh_url(backend, admin, dir, "raw").await?;
    let cut = SystemClock.now();
    let started;
    // Loaded through one pool and deleted through another, as the run is: neither side starts
    // with the load's pages in its connection's cache.
    let deleted = if backend == "sqlite" {
        let loader = SqliteStore::open(&url, sealer.clone()).await?;
        seed(records, media_every, None, |rows| {
            loader.raw_load_filed(rows)
        })
        .await?;
        drop(loader);
        settle()?;
        let raw = SqliteStore::open(&url, sealer.clone()).await?;
        started = Instant::now();
        raw.raw_delete_filed(RECORD_TYPE, cut).await?
    } else {
        let loader = PgStore::open(&url, sealer.clone()).await?;
        seed(records, media_every, None, |rows| {
            loader.raw_load_filed(rows)
        })
        .await?;
        drop(loader);
        settle()?;
        let raw = PgStore::open(&url, sealer.clone()).await?;
        started = Instant::now();
        raw.raw_delete_filed(RECORD_TYPE, cut).await?
    };
    let raw = started.elapsed();
    anyhow::ensure!(
        deleted == records,
        "the raw delete removed {deleted} of {records}"
    );
    eprintln!("{backend}: raw bulk DELETE took {:.2} s", raw.as_secs_f64());
    Ok(Measure {
        backend,
        run,
        raw,
        media_removed,
        rss_before,
        rss_peak,
    })
}
