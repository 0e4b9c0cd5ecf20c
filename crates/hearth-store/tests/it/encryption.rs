//! Encryption at rest, on every backend: a planted NI number, NHS number, equality answer and a
//! phrase from a contact note are nowhere in the raw SQLite files or a PostgreSQL dump, yet
//! read back and search correctly; destroying a person's key makes them unreadable for good;
//! key rotation re-wraps every data key while readers keep reading.

use hearth_core::records::{
    ContactChannel, ContactEntry, ContactEntryFields, Equality, EqualityAnswer,
};
use hearth_store::sealer::Sealer;
use hearth_store::{Page, PersonQuery, Store};
use hearth_testkit::{TestDb, all_backends, now, person, person_input};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use uuid::Uuid;

const PLANTED_NI: &str = "WP816247D";
const PLANTED_NHS: &str = "9434765919";
const PLANTED_ANSWER: &str = "Kurdish heritage";
const PLANTED_PHRASE: &str = "the blue heron sings at midnight";

fn audit(action: &str) -> hearth_core::audit::AuditEvent {
    hearth_core::audit::AuditEvent {
        id: Uuid::now_v7(),
        at: now(),
        actor: "cli:tester".into(),
        purpose: None,
        action: action.into(),
        decision: "allowed".into(),
        person_ids: vec![],
        record_type: None,
        record_ids: vec![],
        fields: vec![],
        correlation_id: None,
        reason: None,
    }
}

/// Writes a person carrying every planted value, and a contact note with the phrase.
async fn plant(store: &Arc<dyn Store>) -> Uuid {
    let mut input = person_input("Rojda", "Aziz");
    input.ni_number = Some("wp 81 62 47 d".into());
    input.nhs_number = Some(PLANTED_NHS.into());
    input.equality = Equality {
        ethnicity: EqualityAnswer::Answered(PLANTED_ANSWER.into()),
        ..Default::default()
    };
    let p = person(input);
    store
        .insert_person(&p, &audit("person.create"))
        .await
        .unwrap_or_else(|e| panic!("insert: {e}"));
    let note = ContactEntry {
        id: Uuid::now_v7(),
        fields: ContactEntryFields {
            person_id: p.id,
            channel: ContactChannel::Phone,
            occurred_at: now(),
            staff_member: "u7".into(),
            reason: "Repair follow-up".into(),
            summary: Some(format!("Said {PLANTED_PHRASE}.")),
        },
        created_at: now(),
        updated_at: now(),
        version: 1,
    };
    store
        .insert_contact(&note, &audit("contact.create"))
        .await
        .unwrap_or_else(|e| panic!("note: {e}"));
    p.id
}

/// Every byte the database holds: the SQLite file and its journal, or a full `pg_dump`.
fn raw_bytes(db: &TestDb) -> Vec<u8> {
    if let Some(path) = db.url.strip_prefix("sqlite://") {
        let dir = Path::new(path).parent().unwrap_or(Path::new("."));
        let mut bytes = Vec::new();
        for entry in std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
        {
            bytes.extend(std::fs::read(entry.path()).unwrap_or_default());
        }
        assert!(bytes.len() > 4096, "read the database files");
        return bytes;
    }
    let pg_dump = ["pg_dump", "/usr/lib/postgresql/15/bin/pg_dump"]
        .into_iter()
        .find(|p| {
            std::process::Command::new(p)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .unwrap_or_else(|| panic!("pg_dump is needed to check the PostgreSQL dump"));
    let out = std::process::Command::new(pg_dump)
        .args(["--no-owner", "--dbname", &db.url])
        .output()
        .unwrap_or_else(|e| panic!("pg_dump: {e}"));
    assert!(
        out.status.success(),
        "pg_dump failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[tokio::test]
async fn planted_secrets_are_not_in_the_files_or_the_dump_yet_read_and_search_back() {
    for db in all_backends().await {
        let id = plant(&db.store).await;

        let read = db
            .store
            .get_person(id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("{}: the person is there", db.name));
        assert_eq!(
            read.fields.ni_number.map(|n| n.to_string()).as_deref(),
            Some(PLANTED_NI)
        );
        assert_eq!(
            read.fields.nhs_number.map(|n| n.to_string()).as_deref(),
            Some(PLANTED_NHS)
        );
        assert_eq!(
            read.fields.equality.ethnicity,
            EqualityAnswer::Answered(PLANTED_ANSWER.into())
        );
        let found = db
            .store
            .list_people(
                &PersonQuery {
                    ni_number: Some(PLANTED_NI.into()),
                    ..Default::default()
                },
                Page::default(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            found.items.iter().map(|p| p.id).collect::<Vec<_>>(),
            [id],
            "{}: NI search finds the person through the blind index",
            db.name
        );
        let notes = db
            .store
            .list_contacts(
                &hearth_store::ContactQuery {
                    person_id: Some(id),
                    ..Default::default()
                },
                Page::default(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            notes.items[0]
                .fields
                .summary
                .as_deref()
                .is_some_and(|s| s.contains(PLANTED_PHRASE))
        );

        let raw = raw_bytes(&db);
        for (what, secret) in [
            ("NI number", PLANTED_NI),
            ("NHS number", PLANTED_NHS),
            ("equality answer", PLANTED_ANSWER),
            ("note", PLANTED_PHRASE),
            ("part of the note", "blue heron"),
        ] {
            assert!(
                !contains(&raw, secret),
                "{}: the planted {what} is readable in the raw database",
                db.name
            );
        }
        assert!(
            contains(&raw, "Rojda"),
            "{}: the check can find what is stored in the clear",
            db.name
        );

        // Destroying the key: the rows remain, their sealed values can never be read again.
        assert!(
            db.store
                .destroy_person_key(id, &audit("person.key_destroyed"))
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        );
        let after = db
            .store
            .get_person(id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("the row is still there"));
        assert_eq!(after.fields.ni_number, None, "{}", db.name);
        assert_eq!(after.fields.nhs_number, None);
        assert_eq!(after.fields.equality, Equality::default());
        let notes = db
            .store
            .list_contacts(
                &hearth_store::ContactQuery {
                    person_id: Some(id),
                    ..Default::default()
                },
                Page::default(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(notes.items[0].fields.summary, None);
        assert!(
            !contains(&raw_bytes(&db), PLANTED_NI),
            "{}: still nothing in the clear",
            db.name
        );
    }
}

#[tokio::test]
async fn a_value_moved_to_another_row_does_not_open() {
    for db in all_backends().await {
        let victim = plant(&db.store).await;
        let other = person(person_input("Ola", "Berg"));
        db.store
            .insert_person(&other, &audit("person.create"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        // Copy the victim's sealed NI number onto the other row, past the store.
        let copy = "UPDATE people SET ni_number = (SELECT ni_number FROM people WHERE id = $1) WHERE id = $2";
        if db.name == "sqlite" {
            let pool = sqlx::SqlitePool::connect(&db.url)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            sqlx::query(sqlx::AssertSqlSafe(copy.replace('$', "?")))
                .bind(victim.to_string())
                .bind(other.id.to_string())
                .execute(&pool)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        } else {
            let pool = sqlx::PgPool::connect(&db.url)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            sqlx::query(sqlx::AssertSqlSafe(
                copy.replace("$1", "$1::uuid").replace("$2", "$2::uuid"),
            ))
            .bind(victim.to_string())
            .bind(other.id.to_string())
            .execute(&pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        }
        let read = db.store.get_person(other.id).await;
        assert!(
            matches!(read, Err(hearth_store::StoreError::Corrupt(_))),
            "{}: a sealed value is bound to its row and key: {read:?}",
            db.name
        );
    }
}

#[tokio::test]
async fn rotation_rewraps_every_key_while_readers_keep_reading() {
    for db in all_backends().await {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let key_file = dir.path().join("hearth.keys");
        let first =
            hearth_crypto::key_file::create(&key_file, now()).unwrap_or_else(|e| panic!("{e}"));
        let serving = hearth_store::open(
            &db.url,
            Arc::new(Sealer::from_file(key_file.clone()).unwrap_or_else(|e| panic!("{e}"))),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let mut ids = Vec::new();
        for n in 0..40 {
            let mut input = person_input("Reader", &format!("Subject{n}"));
            input.ni_number = Some(PLANTED_NI.into());
            let p = person(input);
            serving
                .insert_person(&p, &audit("person.create"))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            ids.push(p.id);
        }

        // Readers on the serving store, which holds only the first key when rotation starts.
        let stop = Arc::new(AtomicBool::new(false));
        let reads = Arc::new(AtomicU64::new(0));
        let mut readers = Vec::new();
        for _ in 0..3 {
            let (store, ids, stop, reads) =
                (serving.clone(), ids.clone(), stop.clone(), reads.clone());
            readers.push(tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    for id in &ids {
                        let p = store.get_person(*id).await.map_err(|e| e.to_string())?;
                        let ni = p.and_then(|p| p.fields.ni_number).map(|n| n.to_string());
                        if ni.as_deref() != Some(PLANTED_NI) {
                            return Err(format!("person {id} read {ni:?}"));
                        }
                        reads.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Ok::<(), String>(())
            }));
        }

        let second =
            hearth_crypto::key_file::add_active(&key_file, now()).unwrap_or_else(|e| panic!("{e}"));
        let rotating = hearth_store::open(
            &db.url,
            Arc::new(Sealer::from_file(key_file.clone()).unwrap_or_else(|e| panic!("{e}"))),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let mut rewrapped = 0;
        loop {
            let done = rotating
                .rewrap_person_keys(7, &audit("keys.rewrapped"))
                .await
                .unwrap_or_else(|e| panic!("{}: rewrap: {e}", db.name));
            if done == 0 {
                break;
            }
            rewrapped += done;
            tokio::task::yield_now().await;
        }
        let before_stop = reads.load(Ordering::Relaxed);
        while reads.load(Ordering::Relaxed) < before_stop + 80 {
            tokio::task::yield_now().await;
        }
        stop.store(true, Ordering::Relaxed);
        for reader in readers {
            let outcome = reader.await.unwrap_or_else(|e| panic!("{e}"));
            assert!(
                outcome.is_ok(),
                "{}: a reader failed during rotation: {outcome:?}",
                db.name
            );
        }
        assert_eq!(rewrapped, 40, "{}", db.name);
        assert_eq!(
            serving
                .keys_by_kek()
                .await
                .unwrap_or_else(|e| panic!("{e}")),
            [(second.clone(), 40)],
            "{}: every key is now under {second}, none under {first}",
            db.name
        );
        // New people from the serving store are still readable by a fresh one.
        let fresh = hearth_store::open(
            &db.url,
            Arc::new(Sealer::from_file(key_file.clone()).unwrap_or_else(|e| panic!("{e}"))),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(fresh.get_person(ids[0]).await.is_ok_and(|p| p.is_some()));
    }
}

#[tokio::test]
async fn values_written_before_encryption_are_sealed_when_the_database_opens() {
    for db in all_backends().await {
        let id = plant(&db.store).await;
        // Put the database back as a release without encryption left it: values in the clear,
        // no data keys, and no record of the backlog having been sealed.
        let statements = [
            "DELETE FROM store_markers".to_string(),
            "DELETE FROM person_keys".to_string(),
            format!(
                "UPDATE people SET ni_number = '{PLANTED_NI}', nhs_number = NULL, ni_index = NULL, \
                 equality = '{{\"ethnicity\":{{\"status\":\"answered\",\"value\":\"{PLANTED_ANSWER}\"}}}}'"
            ),
            format!("UPDATE contact_log SET summary = '{PLANTED_PHRASE}'"),
        ];
        if db.name == "sqlite" {
            let pool = sqlx::SqlitePool::connect(&db.url)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            for s in &statements {
                sqlx::query(sqlx::AssertSqlSafe(s.as_str()))
                    .execute(&pool)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        } else {
            let pool = sqlx::PgPool::connect(&db.url)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            for s in &statements {
                sqlx::query(sqlx::AssertSqlSafe(s.as_str()))
                    .execute(&pool)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        }
        let reopened = hearth_store::open(&db.url, db.sealer.clone())
            .await
            .unwrap_or_else(|e| panic!("{}: reopening seals the backlog: {e}", db.name));
        let read = reopened
            .get_person(id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("the person is there"));
        assert_eq!(
            read.fields.ni_number.map(|n| n.to_string()).as_deref(),
            Some(PLANTED_NI),
            "{}",
            db.name
        );
        assert_eq!(
            read.fields.equality.ethnicity,
            EqualityAnswer::Answered(PLANTED_ANSWER.into()),
            "{}",
            db.name
        );
        let by_ni = reopened
            .list_people(
                &PersonQuery {
                    ni_number: Some(PLANTED_NI.into()),
                    ..Default::default()
                },
                Page::default(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(by_ni.total, 1, "{}: the blind index was filled in", db.name);
        let notes = reopened
            .list_contacts(
                &hearth_store::ContactQuery {
                    person_id: Some(id),
                    ..Default::default()
                },
                Page::default(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            notes.items[0].fields.summary.as_deref(),
            Some(PLANTED_PHRASE)
        );
        assert_eq!(
            reopened
                .keys_by_kek()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .iter()
                .map(|(_, n)| n)
                .sum::<i64>(),
            1
        );
    }
}
