//! `hearth bench rights`: the access bundle and the erasure of one person in a database of N
//! people (each with 3 repairs, 5 contacts and 2 consents), median and p99 over a sample of
//! random people, beside the plain indexed SELECTs and DELETEs of the same rows in the same
//! database and run, on each backend.

use anyhow::{Context, Result};
use hearth_core::access::ConsentRecord;
use hearth_core::audit::CheckpointKey;
use hearth_core::clock::{Clock, SystemClock};
use hearth_core::records::{
    ContactChannel, ContactEntry, ContactEntryFields, FiledRecord, FiledRecordFields, Person,
};
use hearth_core::rights::{Channel, NewRightsRequest, RequestKind, Requester};
use hearth_service::rights::ErasureApproval;
use hearth_service::{Caller, Hearth};
use hearth_store::sealer::Sealer;
use hearth_store::{PgStore, RawHoldings, SqliteStore};
use jiff::{SignedDuration, Timestamp};
use rand::SeedableRng;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// People generated, sealed and loaded at a time, so seeding stays small in memory.
const SEED_CHUNK: u64 = 20_000;
const REPAIRS: usize = 3;
const CONTACTS: usize = 5;
const CONSENTS: usize = 2;

/// Durations of one operation over the sample.
struct Sample(Vec<Duration>);

impl Sample {
    fn quantile(&self, q: f64) -> Duration {
        let mut sorted = self.0.clone();
        sorted.sort();
        let at = ((sorted.len() as f64 - 1.0) * q).round() as usize;
        sorted.get(at).copied().unwrap_or_default()
    }

    fn median(&self) -> Duration {
        self.quantile(0.5)
    }

    fn p99(&self) -> Duration {
        self.quantile(0.99)
    }

    fn cell(&self) -> String {
        format!("{:.2} / {:.2} ms", ms(self.median()), ms(self.p99()))
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Measure {
    backend: &'static str,
    bundle: Sample,
    raw_select: Sample,
    plan: Sample,
    execute: Sample,
    raw_delete: Sample,
}

/// The raw side of one backend: the store type's own bulk load, SELECTs and DELETEs.
enum Raw {
    Sqlite(SqliteStore),
    Pg(PgStore),
}

impl Raw {
    async fn open(url: &str, sealer: Arc<Sealer>) -> Result<Self> {
        Ok(if url.starts_with("sqlite:") {
            Self::Sqlite(SqliteStore::open(url, sealer).await?)
        } else {
            Self::Pg(PgStore::open(url, sealer).await?)
        })
    }

    async fn load(&self, rows: RawHoldings) -> Result<()> {
        match self {
            Self::Sqlite(s) => s.raw_load_holdings(rows).await?,
            Self::Pg(s) => s.raw_load_holdings(rows).await?,
        }
        Ok(())
    }

    async fn analyze(&self) -> Result<()> {
        match self {
            Self::Sqlite(s) => s.raw_analyze().await?,
            Self::Pg(s) => s.raw_analyze().await?,
        }
        Ok(())
    }

    async fn gather(&self, person: Uuid) -> Result<u64> {
        Ok(match self {
            Self::Sqlite(s) => s.raw_gather_person(person).await?,
            Self::Pg(s) => s.raw_gather_person(person).await?,
        })
    }

    async fn erase(&self, person: Uuid) -> Result<u64> {
        Ok(match self {
            Self::Sqlite(s) => s.raw_erase_person(person).await?,
            Self::Pg(s) => s.raw_erase_person(person).await?,
        })
    }
}

pub async fn run(people: u64, sample: usize, postgres: Option<String>) -> Result<ExitCode> {
    anyhow::ensure!(
        sample > 0 && (sample as u64).saturating_mul(3) <= people,
        "--sample must be at least 1, and --people at least three times the sample (one sample each for the bundle, the erasure and the raw DELETEs)"
    );
    let dir = tempfile::tempdir()?;
    println!(
        "Median / p99 over {sample} random people of {people}, each with {REPAIRS} repairs, {CONTACTS} contacts and {CONSENTS} consents.\n"
    );
    println!(
        "| backend | access bundle | raw SELECTs (lower bound) | ratio | erasure plan | erasure execution | raw DELETEs (lower bound) | ratio |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    // Each backend's row as soon as it is measured: a run takes a while.
    print_row(&bench_backend("sqlite", people, sample, None, dir.path()).await?);
    if let Some(admin) = postgres {
        print_row(&bench_backend("postgres", people, sample, Some(&admin), dir.path()).await?);
    } else {
        eprintln!("no PostgreSQL given (--postgres or HEARTH_TEST_POSTGRES_URL): SQLite only");
    }
    Ok(ExitCode::SUCCESS)
}

fn print_row(m: &Measure) {
    println!(
        "| {} | {} | {} | {:.1}x | {} | {} | {} | {:.1}x |",
        m.backend,
        m.bundle.cell(),
        m.raw_select.cell(),
        ms(m.bundle.median()) / ms(m.raw_select.median()),
        m.plan.cell(),
        m.execute.cell(),
        m.raw_delete.cell(),
        ms(m.execute.median()) / ms(m.raw_delete.median()),
    );
}

/// Everything held about one generated person: repairs closed seven years ago and contacts
/// and consents from three years ago, all past their retention, so an erasure removes it all
/// and the person with it (the heaviest erasure there is).
fn holdings_of(
    person: &Person,
    n: u64,
    now: Timestamp,
) -> Result<(Vec<ContactEntry>, Vec<FiledRecord>, Vec<ConsentRecord>)> {
    let years_ago = |years: i64| {
        now.checked_sub(SignedDuration::from_hours(24 * 365 * years))
            .context("time arithmetic")
    };
    let (three, seven, eight) = (years_ago(3)?, years_ago(7)?, years_ago(8)?);
    let contacts = (0..CONTACTS)
        .map(|i| ContactEntry {
            id: Uuid::now_v7(),
            fields: ContactEntryFields {
                person_id: person.id,
                channel: [ContactChannel::Phone, ContactChannel::Email][i % 2],
                occurred_at: three,
                staff_member: format!("staff-{}", (n + i as u64) % 300),
                reason: ["repair", "rent", "complaint", "general", "adaptation"][i].into(),
                summary: Some(format!(
                    "Called about the {} at the property; advised and logged for follow-up.",
                    [
                        "boiler",
                        "window",
                        "rent statement",
                        "neighbour",
                        "bathroom rail"
                    ][i]
                )),
            },
            created_at: three,
            updated_at: three,
            version: 1,
        })
        .collect();
    let repairs = (0..REPAIRS)
        .map(|i| FiledRecord {
            id: Uuid::now_v7(),
            fields: FiledRecordFields {
                record_type: "repairs_request".into(),
                person_id: Some(person.id),
                tenancy_id: None,
                case_ref: Some(format!("REP-{n}-{i}")),
                title: ["Leaking kitchen tap", "Broken window latch", "No hot water"][i].into(),
                details: Some("Reported by the tenant; operative attended and completed.".into()),
                stats: serde_json::Map::new(),
                events: Default::default(),
            },
            created_at: eight,
            last_activity_at: seven,
            closed_at: Some(seven),
            anonymised_at: None,
            version: 1,
        })
        .collect();
    let consents = ["repairs_video_triage", "equality_monitoring"]
        .iter()
        .take(CONSENTS)
        .map(|purpose| ConsentRecord {
            id: Uuid::now_v7(),
            person_id: person.id,
            purpose: (*purpose).into(),
            granted: true,
            special_category: false,
            wording: "I agree to the use described to me.".into(),
            wording_version: "2023-1".into(),
            recorded_by: "staff-1".into(),
            at: three,
            evidence: None,
        })
        .collect();
    Ok((contacts, repairs, consents))
}

/// Generates and loads `people` people with their holdings; returns their ids.
async fn seed(raw: &Raw, sealer: &Sealer, people: u64, dir: &std::path::Path) -> Result<Vec<Uuid>> {
    let now = SystemClock.now();
    let today = hearth_core::retention::uk_date(now);
    let mut ids = Vec::with_capacity(usize::try_from(people).unwrap_or(0));
    let mut done = 0u64;
    while done < people {
        let n = SEED_CHUNK.min(people - done);
        let chunk_dir = tempfile::tempdir_in(dir)?;
        let csv = hearth_service::demo::write_demo_csv(chunk_dir.path(), n, done, today)?;
        let generated =
            hearth_service::import::people_from_csv(std::fs::File::open(&csv.people)?, today, now)
                .map_err(|e| anyhow::anyhow!("generated people: {e}"))?;
        let mut rows = RawHoldings::default();
        for (i, mut person) in generated.into_iter().enumerate() {
            let index = done + i as u64;
            // Chunks are generated independently; their references must not collide.
            person.fields.external_ref = Some(format!("BENCH{index:08}"));
            let (contacts, repairs, consents) = holdings_of(&person, index, now)?;
            rows.push(sealer, &person, &contacts, &repairs, &consents)?;
            ids.push(person.id);
        }
        anyhow::ensure!(
            rows.len() as u64 == n,
            "generated {} of {n} people",
            rows.len()
        );
        raw.load(rows).await?;
        done += n;
        if done.is_multiple_of(200_000) || done == people {
            eprintln!("  {done} people loaded");
        }
    }
    Ok(ids)
}

/// Opens an erasure request for a person, identity already confirmed.
async fn erasure_request(hearth: &Hearth, caller: &Caller, person: Uuid) -> Result<Uuid> {
    Ok(hearth
        .log_rights_request(
            caller,
            &NewRightsRequest {
                person_id: person,
                kind: RequestKind::Erasure,
                channel: Channel::Email,
                received_on: hearth.today(),
                requester: Requester::Subject,
                summary: "Please erase everything you hold about me".into(),
                identity_needed: false,
            },
        )
        .await?
        .request
        .id)
}

async fn bench_backend(
    backend: &'static str,
    people: u64,
    sample: usize,
    admin: Option<&str>,
    dir: &std::path::Path,
) -> Result<Measure> {
    let register =
        Arc::new(hearth_core::register::default_register().map_err(|p| anyhow::anyhow!("{p:?}"))?);
    // Throwaway databases, so a throwaway key ring: the work of sealing and opening is the same.
    let sealer = Arc::new(Sealer::new(hearth_crypto::KeyRing::generate("kek-bench")?)?);
    let url = super::fresh_url(backend, admin, dir, "rights").await?;
    let raw = Raw::open(&url, sealer.clone()).await?;
    eprintln!("{backend}: loading {people} people with their repairs, contacts and consents...");
    let loaded = Instant::now();
    let ids = seed(&raw, &sealer, people, dir).await?;
    raw.analyze().await?;
    eprintln!(
        "{backend}: loaded in {:.1} s",
        loaded.elapsed().as_secs_f64()
    );
    let opened = Instant::now();
    let store = hearth_store::open(&url, sealer.clone()).await?;
    eprintln!(
        "{backend}: store opened (migrations and backlog checks) in {:.1} s",
        opened.elapsed().as_secs_f64()
    );
    let hearth = Hearth::new(store, register, Arc::new(SystemClock))?
        .with_signing_key(CheckpointKey::from_seed(rand::random()));
    // The console operator may do every step, the data protection officer's approval included.
    let caller = Caller::operator("bench");

    let mut rng = rand::rngs::StdRng::seed_from_u64(20_261_122);
    let picked: Vec<Uuid> = rand::seq::index::sample(&mut rng, ids.len(), sample * 3)
        .into_iter()
        .map(|i| ids[i])
        .collect();
    drop(ids);
    let (bundled, rest) = picked.split_at(sample);
    let (erased, raw_erased) = rest.split_at(sample);

    // Access: the bundle and the raw SELECTs of the same person, alternating which goes first
    // so that neither always finds the other's pages cached.
    let (mut bundle, mut raw_select) = (Vec::new(), Vec::new());
    for (i, &person) in bundled.iter().enumerate() {
        for turn in 0..2 {
            if (i + turn) % 2 == 0 {
                let started = Instant::now();
                let b = hearth.compile_access_bundle(&caller, person).await?;
                bundle.push(started.elapsed());
                anyhow::ensure!(
                    (b.records.len(), b.contacts.len(), b.consents.len())
                        == (REPAIRS, CONTACTS, CONSENTS),
                    "the bundle of {person} is incomplete"
                );
            } else {
                let started = Instant::now();
                let rows = raw.gather(person).await?;
                raw_select.push(started.elapsed());
                anyhow::ensure!(
                    rows >= (2 + REPAIRS + CONTACTS + CONSENTS) as u64,
                    "the raw SELECTs found {rows} rows for {person}"
                );
            }
        }
    }
    eprintln!("{backend}: access bundles done");

    // Erasure: requests logged beforehand for both samples (the raw DELETEs close theirs).
    let mut requests = Vec::with_capacity(sample);
    for &person in erased {
        requests.push(erasure_request(&hearth, &caller, person).await?);
    }
    for &person in raw_erased {
        erasure_request(&hearth, &caller, person).await?;
    }
    let (mut plan, mut execute, mut raw_delete) = (Vec::new(), Vec::new(), Vec::new());
    for (i, (&request, &raw_person)) in requests.iter().zip(raw_erased).enumerate() {
        for turn in 0..2 {
            if (i + turn) % 2 == 0 {
                let started = Instant::now();
                let proposed = hearth.prepare_erasure(&caller, request).await?;
                plan.push(started.elapsed());
                hearth
                    .approve_erasure(
                        &caller,
                        request,
                        &ErasureApproval {
                            version: proposed.version,
                            overrides: vec![],
                        },
                    )
                    .await?;
                let started = Instant::now();
                let done = hearth.execute_erasure(&caller, request).await?;
                execute.push(started.elapsed());
                anyhow::ensure!(
                    done.removed.person_erased
                        && done.removed.filed_records == REPAIRS as u64
                        && done.removed.contacts == CONTACTS as u64,
                    "the erasure of request {request} left data behind: {:?}",
                    done.removed
                );
            } else {
                let started = Instant::now();
                let rows = raw.erase(raw_person).await?;
                raw_delete.push(started.elapsed());
                anyhow::ensure!(
                    rows >= (2 + REPAIRS + CONTACTS + CONSENTS) as u64,
                    "the raw DELETEs removed {rows} rows for {raw_person}"
                );
            }
        }
    }
    eprintln!("{backend}: erasures done");
    Ok(Measure {
        backend,
        bundle: Sample(bundle),
        raw_select: Sample(raw_select),
        plan: Sample(plan),
        execute: Sample(execute),
        raw_delete: Sample(raw_delete),
    })
}
