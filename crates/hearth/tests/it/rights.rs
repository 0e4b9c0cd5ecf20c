//! `hearth rights` as the information governance team uses it at the console, on each backend:
//! log a request, see it waiting for identity, start the clock, close it with the letter sent;
//! bad arguments and a bad bank-holiday setting are refused with what and where.

use crate::common::{hearth, open_store, urls};

#[tokio::test]
async fn a_request_is_logged_worked_and_closed_from_the_console() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let people = dir.path().join("people.csv");
    std::fs::write(
        &people,
        "external_ref,given_name,family_name\nR1,Hana,Begum\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let letter = dir.path().join("letter.txt");
    std::fs::write(&letter, "Dear Hana Begum, your records are enclosed.")
        .unwrap_or_else(|e| panic!("{e}"));
    for url in urls(dir.path()).await {
        let db = ["--database-url", url.as_str()];
        let run = |args: &[&str]| {
            let mut all = db.to_vec();
            all.extend_from_slice(args);
            hearth(&all, &[])
        };
        let (ok, out, err) = run(&["import", "people", people.to_str().unwrap_or("")]);
        assert!(ok, "{url}: {out}{err}");
        let store = open_store(&url).await;
        let person = store
            .list_people(&Default::default(), Default::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .items
            .first()
            .map(|p| p.id.to_string())
            .unwrap_or_else(|| panic!("{url}: the import made nobody"));
        drop(store);

        let (ok, out, err) = run(&[
            "rights",
            "log",
            "--person",
            &person,
            "--kind",
            "access",
            "--channel",
            "letter",
            "--summary",
            "All my repair records",
            "--identity-needed",
        ]);
        assert!(
            ok && out.contains("waiting for identity"),
            "{url}: {out}{err}"
        );
        let id = out
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();

        let (ok, out, err) = run(&["rights", "list", "--view", "waiting", "--json"]);
        assert!(ok && out.contains(&id), "{url}: {out}{err}");
        let today = hearth_core::retention::uk_date(hearth_core::clock::Clock::now(
            &hearth_core::clock::SystemClock,
        ))
        .to_string();
        let (ok, out, err) = run(&["rights", "verify-identity", &id, "--on", &today]);
        assert!(ok && out.contains("days left"), "{url}: {out}{err}");

        let (ok, _, err) = run(&[
            "rights",
            "log",
            "--person",
            &person,
            "--kind",
            "subject_access",
            "--channel",
            "letter",
            "--summary",
            "x",
        ]);
        assert!(
            !ok && err.contains("--kind") && err.contains("'subject_access' is not one of"),
            "{url}: {err}"
        );
        let (ok, _, err) = run(&["rights", "close", &id, "--outcome", "refused"]);
        assert!(
            !ok && err.contains("reason") && err.contains("response_letter"),
            "{url}: {err}"
        );
        let (ok, out, err) = run(&[
            "rights",
            "close",
            &id,
            "--outcome",
            "fulfilled",
            "--letter",
            letter.to_str().unwrap_or(""),
        ]);
        assert!(ok && out.contains("completed"), "{url}: {out}{err}");
        let (ok, out, err) = run(&["rights", "show", &id]);
        assert!(
            ok && out.contains("your records are enclosed")
                && out.contains("\"status\": \"completed\""),
            "{url}: {out}{err}"
        );
    }
}

#[test]
fn a_bad_bank_holiday_setting_is_refused_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let url = format!("sqlite://{}", dir.path().join("hearth.sqlite").display());
    let (ok, _, err) = hearth(
        &["--database-url", &url, "rights", "list"],
        &[("HEARTH_BANK_HOLIDAYS", "wales")],
    );
    assert!(
        !ok && err.contains("bank_holidays: 'wales' is not a bank-holiday division"),
        "{err}"
    );
    let file = dir.path().join("bank-holidays.json");
    std::fs::write(
        &file,
        r#"{"england-and-wales": {"events": [{"date": "2026-02-30"}]}}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (ok, _, err) = hearth(
        &["--database-url", &url, "rights", "list"],
        &[("HEARTH_BANK_HOLIDAYS_FILE", file.to_str().unwrap_or(""))],
    );
    assert!(
        !ok && err.contains("bank-holidays.json") && err.contains("2026-02-30"),
        "{err}"
    );
}

#[tokio::test]
async fn an_erasure_is_prepared_approved_and_carried_out_from_the_console() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let people = dir.path().join("people.csv");
    std::fs::write(
        &people,
        "external_ref,given_name,family_name\nR7,Tomasz,Nowak\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for url in urls(dir.path()).await {
        let db = ["--database-url", url.as_str()];
        let run = |args: &[&str]| {
            let mut all = db.to_vec();
            all.extend_from_slice(args);
            hearth(&all, &[])
        };
        let (ok, out, err) = run(&["import", "people", people.to_str().unwrap_or("")]);
        assert!(ok, "{url}: {out}{err}");
        let store = open_store(&url).await;
        let person = store
            .list_people(&Default::default(), Default::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .items
            .first()
            .map(|p| p.id.to_string())
            .unwrap_or_else(|| panic!("{url}: the import made nobody"));
        drop(store);
        let (ok, out, err) = run(&[
            "rights",
            "log",
            "--person",
            &person,
            "--kind",
            "erasure",
            "--channel",
            "phone",
            "--summary",
            "Remove my details",
        ]);
        assert!(ok, "{url}: {out}{err}");
        let id = out
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();

        // A rectification first: the surname was misspelt.
        let (ok, out, err) = run(&[
            "rights",
            "log",
            "--person",
            &person,
            "--kind",
            "rectification",
            "--channel",
            "phone",
            "--summary",
            "Surname is Nowak-Lis",
        ]);
        assert!(ok, "{url}: {out}{err}");
        let fix = out
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();
        let corrected = dir.path().join("corrected.json");
        std::fs::write(
            &corrected,
            r#"{"given_name":"Tomasz","family_name":"Nowak-Lis","external_ref":"R7"}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let (ok, _, err) = run(&[
            "rights",
            "rectify",
            &fix,
            "--version",
            "1",
            "--person",
            "missing.json",
        ]);
        assert!(
            !ok && err.contains("--person: reading missing.json"),
            "{url}: {err}"
        );
        let (ok, out, err) = run(&[
            "rights",
            "rectify",
            &fix,
            "--version",
            "1",
            "--person",
            corrected.to_str().unwrap_or(""),
        ]);
        assert!(ok && out.contains("Nowak-Lis"), "{url}: {out}{err}");
        assert!(err.contains("corrected family_name"), "{url}: {err}");
        let (ok, out, err) = run(&["rights", "corrections", &person]);
        assert!(
            ok && out.contains("\"previous\": \"Nowak\""),
            "{url}: {out}{err}"
        );

        let (ok, out, err) = run(&["rights", "disclosures", &person]);
        assert!(
            ok && out.trim() == "[]",
            "{url}: no disclosures yet: {out}{err}"
        );

        let (ok, out, err) = run(&["rights", "erasure", "prepare", &id]);
        assert!(
            ok && out.contains("proposed (version 1)"),
            "{url}: {out}{err}"
        );
        assert!(
            out.contains("erase") && out.contains("person_record"),
            "{url}: {out}"
        );
        assert!(
            !out.contains("Nowak"),
            "{url}: the plan names nobody: {out}"
        );

        // A malformed override is refused with the flag and what was expected.
        let (ok, _, err) = run(&[
            "rights",
            "erasure",
            "approve",
            &id,
            "--version",
            "1",
            "--keep",
            "not-an-id",
        ]);
        assert!(
            !ok && err.contains("--keep not-an-id: expected RECORD_ID=REASON"),
            "{url}: {err}"
        );
        let (ok, _, err) = run(&["rights", "erasure", "execute", &id]);
        assert!(!ok && err.contains("approves it before"), "{url}: {err}");

        let (ok, out, err) = run(&["rights", "erasure", "approve", &id, "--version", "1"]);
        assert!(ok && out.contains("approved"), "{url}: {out}{err}");
        let (ok, out, err) = run(&["rights", "erasure", "execute", &id]);
        assert!(
            ok && out.contains("What we have erased"),
            "{url}: {out}{err}"
        );
        assert!(err.contains("erased and its key destroyed"), "{url}: {err}");

        let store = open_store(&url).await;
        let left = store
            .list_people(&Default::default(), Default::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .items;
        assert!(left.is_empty(), "{url}: the person record is gone");
    }
}

#[tokio::test]
async fn an_access_response_is_reviewed_and_released_from_the_console() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let media = dir.path().join("media");
    let media_env = media.to_str().unwrap_or_default().to_string();
    let people = dir.path().join("people.csv");
    std::fs::write(
        &people,
        "external_ref,given_name,family_name\nR9,Priya,Shah\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for url in urls(dir.path()).await {
        let db = ["--database-url", url.as_str()];
        let run = |args: &[&str]| {
            let mut all = db.to_vec();
            all.extend_from_slice(args);
            hearth(&all, &[("HEARTH_MEDIA_DIR", media_env.as_str())])
        };
        let (ok, out, err) = run(&["import", "people", people.to_str().unwrap_or("")]);
        assert!(ok, "{url}: {out}{err}");
        let store = open_store(&url).await;
        let person = store
            .list_people(&Default::default(), Default::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .items
            .first()
            .map(|p| p.id.to_string())
            .unwrap_or_else(|| panic!("{url}: the import made nobody"));
        drop(store);
        let (ok, out, err) = run(&[
            "rights",
            "log",
            "--person",
            &person,
            "--kind",
            "access",
            "--channel",
            "letter",
            "--summary",
            "My records",
        ]);
        assert!(ok, "{url}: {out}{err}");
        let id = out
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();

        let (ok, out, err) = run(&["rights", "access", "review", &id]);
        assert!(
            ok && out.contains("\"given_name\": \"Priya\""),
            "{url}: {out}{err}"
        );
        assert!(err.contains("0 flag(s) to review"), "{url}: {err}");

        let (ok, _, err) = run(&["rights", "access", "release", &id, "--redact", "nonsense"]);
        assert!(
            !ok && err.contains("--redact nonsense: expected RECORD_ID=REASON"),
            "{url}: {err}"
        );
        let (ok, out, err) = run(&[
            "rights",
            "access",
            "release",
            &id,
            "--valid-days",
            "3",
            "--base-url",
            "https://hearth.example.gov.uk/",
        ]);
        assert!(
            ok && out.starts_with("https://hearth.example.gov.uk/api/rights/downloads/hearth_"),
            "{url}: {out}{err}"
        );
        assert!(err.contains("works once"), "{url}: {err}");
        let stored = std::fs::read_dir(media.join("releases"))
            .map(|d| d.count())
            .unwrap_or(0);
        assert!(
            stored >= 1,
            "{url}: the sealed archive is in object storage"
        );
    }
}

#[tokio::test]
async fn restriction_and_objection_requests_are_answered_from_the_console() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let people = dir.path().join("people.csv");
    std::fs::write(
        &people,
        "external_ref,given_name,family_name\nR1,Tariq,Shah\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for url in urls(dir.path()).await {
        let db = ["--database-url", url.as_str()];
        let run = |args: &[&str]| {
            let mut all = db.to_vec();
            all.extend_from_slice(args);
            hearth(&all, &[])
        };
        let (ok, out, err) = run(&["import", "people", people.to_str().unwrap_or("")]);
        assert!(ok, "{url}: {out}{err}");
        let store = open_store(&url).await;
        let person = store
            .list_people(&Default::default(), Default::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .items
            .first()
            .map(|p| p.id)
            .unwrap_or_else(|| panic!("{url}: the import made nobody"));
        drop(store);
        let log = |kind: &str| {
            let (ok, out, err) = run(&[
                "rights",
                "log",
                "--person",
                &person.to_string(),
                "--kind",
                kind,
                "--channel",
                "phone",
                "--summary",
                "Asked on the phone",
            ]);
            assert!(ok, "{url}: {out}{err}");
            out.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string()
        };

        let restriction = log("restriction");
        let (ok, out, err) = run(&["rights", "restrict", &restriction, "--ground", "sometimes"]);
        assert!(!ok && err.contains("--ground"), "{url}: {out}{err}");
        let (ok, out, err) = run(&[
            "rights",
            "restrict",
            &restriction,
            "--ground",
            "needed_for_legal_claims",
        ]);
        assert!(ok && out.contains("\"completed\""), "{url}: {out}{err}");

        let objection = log("objection");
        let (ok, out, err) = run(&["rights", "objection", &objection, "--uphold"]);
        assert!(ok && out.contains("\"fulfilled\""), "{url}: {out}{err}");

        let flags = open_store(&url)
            .await
            .person_controls(&[person])
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .remove(&person)
            .unwrap_or_default();
        assert!(flags.restricted && flags.objected, "{url}: {flags:?}");
    }
}
