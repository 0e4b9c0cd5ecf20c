//! `hearth retention run` killed with SIGKILL part-way, on each backend: what it committed is
//! whole (no record without its related rows, no related rows without their record, no media
//! object unaccounted for), the next run closes it as interrupted with a certificate that
//! verifies, finishes the work and removes every object, and the two certificates add up to
//! every expired record.

use hearth_core::records::{FiledRecord, FiledRecordFields, MediaObject};
use hearth_service::retention::MediaStore;
use hearth_store::RawFiled;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{hearth, key_file, urls};

/// Enough records that the run is still going when it is killed after its first batches.
const RECORDS: u64 = 30_000;
/// One record in this many has a media object.
const MEDIA_EVERY: u64 = 5;

fn sealer() -> std::sync::Arc<hearth_store::sealer::Sealer> {
    let ring =
        hearth_crypto::KeyRing::load(Path::new(key_file())).unwrap_or_else(|e| panic!("{e}"));
    std::sync::Arc::new(hearth_store::sealer::Sealer::new(ring).unwrap_or_else(|e| panic!("{e}")))
}

/// CCTV footage filed 60 days ago (its schedule is 30 days), each clip with an incident date and
/// every fifth with its video object in `media_dir`.
async fn seed_expired_footage(url: &str, media_dir: &Path) {
    let created = hearth_testkit::now()
        .checked_sub(jiff::SignedDuration::from_hours(24 * 60))
        .unwrap_or_else(|e| panic!("{e}"));
    let media = MediaStore::local(media_dir).unwrap_or_else(|e| panic!("{e}"));
    let mut raw = RawFiled::default();
    for i in 0..RECORDS {
        let record = FiledRecord {
            id: uuid::Uuid::now_v7(),
            fields: FiledRecordFields {
                record_type: "cctv_footage".into(),
                person_id: None,
                tenancy_id: None,
                case_ref: None,
                title: format!("Camera {} footage", i % 40),
                details: None,
                stats: serde_json::Map::new(),
                events: [(
                    "incident".to_string(),
                    hearth_core::retention::uk_date(created),
                )]
                .into_iter()
                .collect(),
            },
            created_at: created,
            last_activity_at: created,
            closed_at: None,
            anonymised_at: None,
            version: 1,
        };
        let mut objects = vec![];
        if i % MEDIA_EVERY == 0 {
            let id = uuid::Uuid::now_v7();
            let object = MediaObject {
                id,
                record_id: record.id,
                object_key: format!("records/{}/{id}", record.id),
                content_type: "video/webm".into(),
                size: 16,
                sha256: "0".repeat(64),
                created_at: created,
            };
            media
                .put(&object.object_key, vec![7; 16])
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            objects.push(object);
        }
        raw.push(&record, &objects)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    if url.starts_with("sqlite") {
        let store = hearth_store::SqliteStore::open(url, sealer())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        store.raw_load_filed(raw).await
    } else {
        let store = hearth_store::PgStore::open(url, sealer())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        store.raw_load_filed(raw).await
    }
    .unwrap_or_else(|e| panic!("seeding: {e}"));
}

/// One number from the database (a count or a sum), read beside the running process.
async fn number(url: &str, sql: &str) -> i64 {
    let value = if url.starts_with("sqlite") {
        let pool = sqlx::SqlitePool::connect(url)
            .await
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        let value = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(&pool)
            .await;
        pool.close().await;
        value
    } else {
        let pool = sqlx::PgPool::connect(url)
            .await
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        let value = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(&pool)
            .await;
        pool.close().await;
        value
    };
    value.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Every object under `dir`, by its key.
fn objects_in(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if let Ok(key) = path.strip_prefix(root) {
                out.insert(key.display().to_string());
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

async fn keys_in(url: &str, sql: &str) -> BTreeSet<String> {
    let keys: Vec<String> = if url.starts_with("sqlite") {
        let pool = sqlx::SqlitePool::connect(url)
            .await
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_all(&pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    } else {
        let pool = sqlx::PgPool::connect(url)
            .await
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_all(&pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    keys.into_iter().collect()
}

const DESTROYED: &str = "SELECT CAST(COALESCE(SUM(destroyed), 0) AS BIGINT) FROM destruction_log WHERE record_type = 'cctv_footage'";

#[tokio::test]
async fn a_run_killed_midway_leaves_whole_records_and_the_next_run_finishes_with_certificates() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (n, url) in urls(dir.path()).await.into_iter().enumerate() {
        let data = dir.path().join(format!("data-{n}"));
        let media_dir = data.join("media");
        std::fs::create_dir_all(&media_dir).unwrap_or_else(|e| panic!("{e}"));
        let env = [
            ("HEARTH_DATABASE_URL", url.as_str()),
            ("HEARTH_DATA_DIR", data.to_str().unwrap_or("")),
            ("HEARTH_MEDIA_DIR", media_dir.to_str().unwrap_or("")),
        ];
        // Migrate with one command first, so the kill lands in the run and not in start-up.
        let (ok, _, err) = hearth(&["retention", "log"], &env);
        assert!(ok, "{url}: {err}");
        seed_expired_footage(&url, &media_dir).await;
        let total = RECORDS as i64;
        let mut command = Command::new(env!("CARGO_BIN_EXE_hearth"));
        command
            .args(["retention", "run"])
            .env("USER", "opal")
            .env("HEARTH_KEY_FILE", key_file())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().unwrap_or_else(|e| panic!("{e}"));
        // Kill it once some batches are committed and while most records remain.
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let destroyed = number(&url, DESTROYED).await;
            if destroyed >= 2000 {
                break;
            }
            assert!(
                matches!(child.try_wait(), Ok(None)),
                "{url}: the run ended before it could be killed"
            );
            assert!(
                Instant::now() < deadline,
                "{url}: the run never committed a batch"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        child.kill().unwrap_or_else(|e| panic!("{e}")); // SIGKILL: no chance to clean up
        let _ = child.wait();

        // What the killed run committed is whole.
        let remaining = number(&url, "SELECT count(*) FROM filed_records").await;
        let destroyed = number(&url, DESTROYED).await;
        assert!(
            remaining > 0,
            "{url}: the run finished before the kill; seed more records"
        );
        assert_eq!(
            remaining + destroyed,
            total,
            "{url}: the destruction log counts exactly what is gone"
        );
        assert_eq!(
            number(&url, "SELECT count(*) FROM filed_record_events e WHERE NOT EXISTS (SELECT 1 FROM filed_records r WHERE r.id = e.record_id)").await,
            0,
            "{url}: no event date outlives its record"
        );
        assert_eq!(
            number(&url, "SELECT count(*) FROM record_media m WHERE NOT EXISTS (SELECT 1 FROM filed_records r WHERE r.id = m.record_id)").await,
            0,
            "{url}: no media row outlives its record"
        );
        assert_eq!(
            number(&url, "SELECT count(*) FROM filed_records r WHERE NOT EXISTS (SELECT 1 FROM filed_record_events e WHERE e.record_id = r.id)").await,
            0,
            "{url}: no record lost its event date without going itself"
        );
        // Every object left in storage belongs to a kept record or is tombstoned for removal.
        let accounted: BTreeSet<String> = keys_in(
            &url,
            "SELECT object_key FROM record_media UNION SELECT object_key FROM media_tombstones",
        )
        .await;
        let on_disk = objects_in(&media_dir);
        let strays: Vec<&String> = on_disk.difference(&accounted).take(3).collect();
        assert!(
            strays.is_empty(),
            "{url}: objects nobody will remove: {strays:?}"
        );
        let kept = keys_in(&url, "SELECT object_key FROM record_media").await;
        assert!(
            kept.is_subset(&on_disk),
            "{url}: a kept record's object was removed"
        );
        assert_eq!(
            number(
                &url,
                "SELECT count(*) FROM retention_runs WHERE status = 'running'"
            )
            .await,
            1,
            "{url}"
        );

        // The next run closes the dead one, finishes the work and clears storage.
        let (ok, out, err) = hearth(&["retention", "run"], &env);
        assert!(ok, "{url}: {out}{err}");
        assert!(out.contains("closed interrupted run"), "{url}: {out}");
        for table in [
            "filed_records",
            "filed_record_events",
            "record_media",
            "media_tombstones",
        ] {
            assert_eq!(
                number(&url, &format!("SELECT count(*) FROM {table}")).await,
                0,
                "{url}: {table} after the second run"
            );
        }
        assert!(
            objects_in(&media_dir).is_empty(),
            "{url}: every object is removed"
        );
        assert_eq!(number(&url, DESTROYED).await, total, "{url}");

        // Both runs have certificates that verify, and together they account for every record.
        let (ok, log, err) = hearth(&["retention", "log"], &env);
        assert!(ok, "{url}: {err}");
        let mut statuses = vec![];
        let mut certified = 0;
        for line in log.lines() {
            let Some(run) = line.split_whitespace().next() else {
                continue;
            };
            let file = data.join(format!("{run}.json"));
            let (ok, _, err) = hearth(
                &[
                    "retention",
                    "certificate",
                    run,
                    "--out",
                    file.to_str().unwrap_or(""),
                ],
                &env,
            );
            assert!(ok, "{url}: {err}");
            let (ok, verified, err) =
                hearth(&["retention", "verify", file.to_str().unwrap_or("")], &env);
            assert!(
                ok && verified.starts_with("valid: "),
                "{url}: {verified}{err}"
            );
            statuses.push(
                verified
                    .split(['(', ')'])
                    .nth(1)
                    .unwrap_or_default()
                    .to_string(),
            );
            certified += verified
                .split(", ")
                .nth(1)
                .and_then(|d| d.split_whitespace().next())
                .and_then(|n| n.parse::<i64>().ok())
                .unwrap_or_else(|| panic!("{url}: no count in {verified}"));
        }
        statuses.sort();
        assert_eq!(statuses, ["completed", "interrupted"], "{url}: {log}");
        assert_eq!(certified, total, "{url}: {log}");
    }
}
