//! The `hearth` binary as an operator uses it: register checks, imports, configuration, and
//! the server starting on each backend and refusing a newer schema.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::common::{hearth, open_store, urls, workspace};

#[test]
fn register_check_reports_each_planted_error_with_file_line_and_field() {
    let planted = workspace("crates/hearth-core/tests/registers/planted_errors.toml");
    let (ok, _, err) = hearth(&["register", "check", &planted], &[]);
    assert!(!ok, "a bad register must fail the check");
    for expected in [
        "planted_errors.toml:43: purposes[0] (tenancy_management).lawful_basis: unknown Art 6(1) basis 'z'",
        "(adaptations).special_condition: is required",
        "planted_errors.toml:55: purposes[1] (adaptations).recipients: unknown recipient 'nhs'",
        "(surveys).consent_withdrawal: is required",
        "purposes[3] (surveys).id: duplicate id 'surveys'",
        "(tenancy_file).retention: is required",
        "6 problem(s)",
    ] {
        assert!(err.contains(expected), "missing '{expected}' in:\n{err}");
    }
    let (ok, out, err) = hearth(
        &["register", "check", &workspace("register/default.toml")],
        &[],
    );
    assert!(ok && out.contains("valid"), "{out}{err}");
}

#[test]
fn register_show_prints_purposes_and_the_retention_schedule() {
    let (ok, out, err) = hearth(
        &["register", "show", &workspace("register/default.toml")],
        &[],
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("RETENTION SCHEDULE")
            && out.contains("video_recording")
            && out.contains("4 weeks"),
        "{out}"
    );
    assert!(out.contains("Art 6(1)(e) public task"), "{out}");
}

#[test]
fn config_check_names_the_bad_key_and_its_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("hearth.toml");
    std::fs::write(
        &file,
        "listen = \"127.0.0.1:9000\"\n\ndatabse_url = \"sqlite://x\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (ok, _, err) = hearth(
        &["--config", file.to_str().unwrap_or(""), "config", "check"],
        &[],
    );
    assert!(
        !ok && err.contains("hearth.toml:3") && err.contains("databse_url"),
        "{err}"
    );
    std::fs::write(&file, "listen = \"127.0.0.1:9000\"\n").unwrap_or_else(|e| panic!("{e}"));
    let (ok, out, err) = hearth(
        &["--config", file.to_str().unwrap_or(""), "config", "check"],
        &[("HEARTH_DATA_DIR", "/srv/hearth")],
    );
    assert!(
        ok && out.contains("127.0.0.1:9000") && out.contains("sqlite:///srv/hearth/hearth.sqlite"),
        "{out}{err}"
    );
    assert!(
        out.contains("data_dir      from environment HEARTH_DATA_DIR"),
        "{out}"
    );
}

#[tokio::test]
async fn import_reports_every_bad_row_and_leaves_the_database_unchanged() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let good = dir.path().join("people.csv");
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &good,
        "external_ref,given_name,family_name\nA1,Ada,Lovelace\nA2,Mary,Seacole\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&bad, "external_ref,given_name,family_name,ni_number\nB1,Ok,Row,\nB2,,Nameless,\nB3,Bad,Ni,QQ123456C\n").unwrap_or_else(|e| panic!("{e}"));
    for url in urls(dir.path()).await {
        let (ok, out, err) = hearth(
            &[
                "--database-url",
                &url,
                "import",
                "people",
                good.to_str().unwrap_or(""),
            ],
            &[],
        );
        assert!(
            ok && out.contains("2 rows read, 2 imported, 0 already present"),
            "{url}: {out}{err}"
        );
        let (ok, out, _) = hearth(
            &[
                "--database-url",
                &url,
                "import",
                "people",
                good.to_str().unwrap_or(""),
            ],
            &[],
        );
        assert!(
            ok && out.contains("0 imported, 2 already present"),
            "{url}: re-run must change nothing: {out}"
        );

        let (ok, _, err) = hearth(
            &[
                "--database-url",
                &url,
                "import",
                "people",
                bad.to_str().unwrap_or(""),
            ],
            &[],
        );
        assert!(!ok, "{url}: bad rows must fail the import");
        assert!(
            err.contains("bad.csv:line 3: given_name: is required"),
            "{url}: {err}"
        );
        assert!(
            err.contains("bad.csv:line 4: ni_number: is not a National Insurance number"),
            "{url}: {err}"
        );
        assert!(err.contains("nothing was imported"), "{url}: {err}");
        let store = open_store(&url).await;
        let total = store
            .list_people(
                &hearth_store::PersonQuery::default(),
                hearth_store::Page::default(),
            )
            .await
            .map(|p| p.total)
            .ok();
        assert_eq!(
            total,
            Some(2),
            "{url}: the failed import left nothing behind"
        );

        let rejects = dir.path().join("rejects.csv");
        let (ok, out, err) = hearth(
            &[
                "--database-url",
                &url,
                "import",
                "people",
                bad.to_str().unwrap_or(""),
                "--skip-invalid",
                "--rejects",
                rejects.to_str().unwrap_or(""),
            ],
            &[],
        );
        assert!(
            ok && out.contains("1 imported") && out.contains("2 rejected"),
            "{url}: {out}{err}"
        );
        let written = std::fs::read_to_string(&rejects).unwrap_or_default();
        assert!(
            written.starts_with("line,reasons,external_ref")
                && written.contains("3,given_name: is required,B2,,Nameless,"),
            "{written}"
        );
    }
}

/// Runs statements directly on a test database, bypassing Hearth: the SQLite ones or the
/// PostgreSQL ones, whichever the URL names.
async fn on_database(url: &str, sqlite: &[&str], postgres: &[&str]) {
    if url.starts_with("sqlite") {
        let pool = sqlx::SqlitePool::connect(url)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        for statement in sqlite {
            sqlx::query(sqlx::AssertSqlSafe(*statement))
                .execute(&pool)
                .await
                .unwrap_or_else(|e| panic!("{statement}: {e}"));
        }
    } else {
        let pool = sqlx::PgPool::connect(url)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        for statement in postgres {
            sqlx::query(sqlx::AssertSqlSafe(*statement))
                .execute(&pool)
                .await
                .unwrap_or_else(|e| panic!("{statement}: {e}"));
        }
    }
}

/// Starts `hearth serve` on a free port and returns the child and its base URL.
fn serve(url: &str, register: Option<&str>) -> (std::process::Child, String) {
    let mut args = vec!["--database-url", url, "serve", "--listen", "127.0.0.1:0"];
    if let Some(register) = register {
        args.splice(0..0, ["--register", register]);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(&args)
        .env("USER", "opal")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
    let mut lines = BufReader::new(stderr).lines();
    let base = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(rest) = line.split("Hearth is running at ").nth(1) {
                    break rest
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .trim_end_matches('/')
                        .to_string();
                }
            }
            _ => {
                let _ = child.kill();
                panic!("server did not start");
            }
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

#[tokio::test]
async fn serve_runs_on_each_backend_and_records_register_changes() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let changed = dir.path().join("register.toml");
    let text = std::fs::read_to_string(workspace("register/default.toml")).unwrap_or_default();
    std::fs::write(
        &changed,
        text.replacen("version_label = \"", "version_label = \"local-", 1),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for url in urls(dir.path()).await {
        let (mut child, base) = serve(&url, None);
        let health: serde_json::Value = reqwest::get(format!("{base}/health"))
            .await
            .and_then(|r| r.error_for_status())
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        let _ = child.kill();
        let _ = child.wait();
        let backend = if url.starts_with("sqlite") {
            "sqlite"
        } else {
            "postgres"
        };
        assert_eq!(health["database"], backend, "{health}");

        let (mut child, _) = serve(&url, changed.to_str());
        let _ = child.kill();
        let _ = child.wait();
        let (ok, out, err) = hearth(&["--database-url", &url, "register", "history"], &[]);
        assert!(ok, "{err}");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines.len(),
            2,
            "{url}: one entry per change of version:\n{out}"
        );
        assert!(
            lines[1].contains("local-") && lines[1].ends_with("cli:opal"),
            "{url}: who and which: {out}"
        );
    }
}

#[tokio::test]
async fn serve_refuses_a_schema_newer_than_itself() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for url in urls(dir.path()).await {
        let store = open_store(&url).await;
        drop(store);
        let future = "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99990101000000, 'future', true, x'00', 0)";
        on_database(
            &url,
            &[future],
            &["INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99990101000000, 'future', true, '\\x00'::bytea, 0)"],
        )
        .await;
        let (ok, _, err) = hearth(
            &["--database-url", &url, "serve", "--listen", "127.0.0.1:0"],
            &[],
        );
        assert!(
            !ok && err.contains("newer than this binary"),
            "{url}: {err}"
        );
    }
}

#[tokio::test]
async fn an_import_killed_midway_leaves_nothing_and_the_next_run_completes_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let csv_dir = dir.path().join("csv");
    let (ok, _, err) = hearth(
        &[
            "demo",
            "--people",
            "40000",
            "--seed",
            "3",
            "--csv-dir",
            csv_dir.to_str().unwrap_or(""),
        ],
        &[],
    );
    assert!(ok, "{err}");
    let people = csv_dir.join("people.csv");
    for url in urls(dir.path()).await {
        // Migrate first, so the kill lands in the import and not in start-up.
        drop(open_store(&url).await);
        let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
            .args([
                "--database-url",
                &url,
                "import",
                "people",
                people.to_str().unwrap_or(""),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        std::thread::sleep(std::time::Duration::from_millis(700));
        assert!(
            matches!(child.try_wait(), Ok(None)),
            "{url}: the import finished before it could be killed; use a bigger file"
        );
        child.kill().unwrap_or_else(|e| panic!("{e}")); // SIGKILL: no chance to clean up
        let _ = child.wait();
        let count = |url: String| async move {
            let store = open_store(&url).await;
            store
                .list_people(
                    &hearth_store::PersonQuery::default(),
                    hearth_store::Page::new(1, 1),
                )
                .await
                .map(|p| p.total)
                .unwrap_or(-1)
        };
        assert_eq!(
            count(url.clone()).await,
            0,
            "{url}: a killed import leaves nothing behind"
        );
        let (ok, out, err) = hearth(
            &[
                "--database-url",
                &url,
                "import",
                "people",
                people.to_str().unwrap_or(""),
            ],
            &[],
        );
        assert!(ok && out.contains("40000 imported"), "{url}: {out}{err}");
        assert_eq!(count(url.clone()).await, 40000, "{url}");
    }
}

/// The count in `audit verify`'s "audit log intact: N events verified".
fn events_verified(out: &str) -> Option<u64> {
    let rest = out.split("audit log intact: ").nth(1)?;
    rest.split_whitespace().next()?.parse().ok()
}

#[tokio::test]
async fn audit_verify_passes_an_intact_log_and_names_the_first_tampered_event() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let changed = dir.path().join("register.toml");
    let text = std::fs::read_to_string(workspace("register/default.toml")).unwrap_or_default();
    std::fs::write(
        &changed,
        text.replacen("version_label = \"", "version_label = \"audit-", 1),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for url in urls(dir.path()).await {
        let (ok, _, err) = hearth(&["--database-url", &url, "demo", "--people", "5"], &[]);
        assert!(ok, "{err}");
        let (ok, _, err) = hearth(
            &[
                "--database-url",
                &url,
                "--register",
                changed.to_str().unwrap_or(""),
                "demo",
                "--people",
                "5",
            ],
            &[],
        );
        assert!(ok, "{err}");
        let (ok, out, err) = hearth(&["--database-url", &url, "audit", "verify"], &[]);
        // Two register versions, and each demo load's batches audited beside them.
        assert!(
            ok && events_verified(&out).is_some_and(|n| n > 2),
            "{url}: {out}{err}"
        );

        let tamper = "UPDATE audit_events SET event = replace(event, '\"allowed\"', '\"denied\"') WHERE seq = 2";
        on_database(
            &url,
            &["DROP TRIGGER audit_events_no_update", tamper],
            &["ALTER TABLE audit_events DISABLE TRIGGER USER", tamper],
        )
        .await;
        let (ok, _, err) = hearth(&["--database-url", &url, "audit", "verify"], &[]);
        assert!(
            !ok && err.contains("BROKEN at event 2") && err.contains("edited"),
            "{url}: {err}"
        );
    }
}

/// The columns the access log is searched by are not hashed: an insider who deletes the row
/// filing a read under a person (so it vanishes from "who looked at my record"), or rewrites
/// an event's actor column, is caught by `audit verify` all the same.
#[tokio::test]
async fn audit_verify_catches_edits_of_the_searchable_columns() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for url in urls(dir.path()).await {
        let (ok, _, err) = hearth(&["--database-url", &url, "demo", "--people", "3"], &[]);
        assert!(ok, "{err}");
        let (ok, out, err) = hearth(&["--database-url", &url, "audit", "verify"], &[]);
        assert!(ok, "{url}: intact before: {out}{err}");

        let hide =
            "DELETE FROM audit_event_people WHERE seq = (SELECT MIN(seq) FROM audit_event_people)";
        // The table refuses the change; an insider with the owner's rights removes the guard.
        on_database(
            &url,
            &["DROP TRIGGER audit_event_people_no_delete", hide],
            &["ALTER TABLE audit_event_people DISABLE TRIGGER USER", hide],
        )
        .await;
        let (ok, _, err) = hearth(&["--database-url", &url, "audit", "verify"], &[]);
        assert!(
            !ok && err.contains("BROKEN at event") && err.contains("access log was edited"),
            "{url}: {err}"
        );
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    for url in urls(dir.path()).await {
        let (ok, _, err) = hearth(&["--database-url", &url, "demo", "--people", "3"], &[]);
        assert!(ok, "{err}");
        let blame = "UPDATE audit_events SET actor = 'system:someone-else' WHERE seq = 2";
        on_database(
            &url,
            &["DROP TRIGGER audit_events_no_update", blame],
            &["ALTER TABLE audit_events DISABLE TRIGGER USER", blame],
        )
        .await;
        let (ok, _, err) = hearth(&["--database-url", &url, "audit", "verify"], &[]);
        assert!(
            !ok && err.contains("BROKEN at event 2") && err.contains("actor"),
            "{url}: {err}"
        );
    }
}

#[tokio::test]
async fn signed_checkpoints_catch_events_removed_from_the_end() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let key = dir.path().join("audit.key");
    let (ok, out, err) = hearth(&["audit", "keygen", key.to_str().unwrap_or("")], &[]);
    assert!(ok && out.contains("public key: "), "{out}{err}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0);
        assert_eq!(mode, 0o600, "the key is readable by its owner only");
    }
    let changed = dir.path().join("register.toml");
    let text = std::fs::read_to_string(workspace("register/default.toml")).unwrap_or_default();
    std::fs::write(
        &changed,
        text.replacen("version_label = \"", "version_label = \"tail-", 1),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let with_key = [("HEARTH_SIGNING_KEY_FILE", key.to_str().unwrap_or(""))];
    for url in urls(dir.path()).await {
        assert!(hearth(&["--database-url", &url, "demo", "--people", "3"], &[]).0);
        assert!(
            hearth(
                &[
                    "--database-url",
                    &url,
                    "--register",
                    changed.to_str().unwrap_or(""),
                    "demo",
                    "--people",
                    "3"
                ],
                &[]
            )
            .0
        );
        let (_, out, _) = hearth(&["--database-url", &url, "audit", "verify"], &[]);
        let last = events_verified(&out).unwrap_or_default();
        let (ok, out, err) = hearth(&["--database-url", &url, "audit", "checkpoint"], &with_key);
        assert!(
            last > 2 && ok && out.contains(&format!("checkpoint signed at event {last}")),
            "{url}: {out}{err}"
        );
        let (ok, out, err) = hearth(&["--database-url", &url, "audit", "verify"], &with_key);
        assert!(
            ok && out.contains(&format!("{last} events verified, 1 signed checkpoints")),
            "{url}: {out}{err}"
        );

        // Remove the last event, past the triggers: the chain that remains is consistent, but
        // the signed checkpoint still names the last event.
        let delete = format!("DELETE FROM audit_events WHERE seq = {last}");
        on_database(
            &url,
            &["DROP TRIGGER audit_events_no_delete", &delete],
            &["ALTER TABLE audit_events DISABLE TRIGGER USER", &delete],
        )
        .await;
        let (ok, _, err) = hearth(&["--database-url", &url, "audit", "verify"], &with_key);
        assert!(
            !ok && err.contains(&format!("BROKEN at event {last}"))
                && err.contains("removed from the end"),
            "{url}: {err}"
        );
        let other = "0".repeat(64);
        let (ok, _, err) = hearth(
            &[
                "--database-url",
                &url,
                "audit",
                "verify",
                "--public-key",
                &other,
            ],
            &[],
        );
        assert!(
            !ok && err.contains("signature is not valid"),
            "{url}: a checkpoint under another key is refused: {err}"
        );
    }
}

#[tokio::test]
async fn staff_accounts_and_the_access_policy_are_managed_from_the_console() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let password = dir.path().join("admin.pw");
    std::fs::write(&password, "correct horse battery staple\n").unwrap_or_else(|e| panic!("{e}"));
    let pw = password.to_str().unwrap_or("");
    for url in urls(dir.path()).await {
        let create = [
            "--database-url",
            &url,
            "admin",
            "create",
            "--username",
            "Admin",
            "--display-name",
            "Site Admin",
            "--password-file",
            pw,
        ];
        let (ok, out, err) = hearth(&create, &[]);
        assert!(
            ok && out.contains("admin with roles administrator"),
            "{url}: {out}{err}"
        );
        let (ok, _, err) = hearth(&create, &[]);
        assert!(
            !ok && err.contains("already exists"),
            "{url}: a second 'admin': {err}"
        );
        let (ok, _, err) = hearth(
            &[
                "--database-url",
                &url,
                "staff",
                "create",
                "--username",
                "hana",
                "--display-name",
                "Hana",
                "--role",
                "wizard",
                "--password-file",
                pw,
            ],
            &[],
        );
        assert!(!ok && err.contains("unknown role 'wizard'"), "{url}: {err}");
        let (ok, out, err) = hearth(&["--database-url", &url, "staff", "list"], &[]);
        assert!(
            ok && out.contains("admin  roles=administrator") && !out.contains("argon2"),
            "{url}: {out}{err}"
        );
    }

    let (ok, out, err) = hearth(&["policy", "check"], &[]);
    assert!(ok && out.contains("shipped policy: valid"), "{out}{err}");
    let text = std::fs::read_to_string(workspace("policy/hearth.cedar")).unwrap_or_default();
    let edited = dir.path().join("edited.cedar");
    std::fs::write(
        &edited,
        text.replacen("Purpose::\"blue_badge\"", "Purpose::\"blue_badges\"", 1),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let line = text
        .lines()
        .position(|l| l.contains("Purpose::\"blue_badge\""))
        .map_or(0, |n| n + 1);
    let edited_path = edited.to_str().unwrap_or("");
    let (ok, _, err) = hearth(&["policy", "check", edited_path], &[]);
    assert!(
        !ok && err.contains(&format!("edited.cedar:{line}:")) && err.contains("blue_badges"),
        "the bad purpose is named with its line {line}: {err}"
    );
    // A server configured with that policy refuses to start.
    let sqlite = format!("sqlite://{}", dir.path().join("other.sqlite").display());
    let (ok, _, err) = hearth(
        &["--database-url", &sqlite, "demo", "--people", "1"],
        &[("HEARTH_POLICY", edited_path)],
    );
    assert!(!ok && err.contains("does not fit the register"), "{err}");
    let (ok, out, _) = hearth(&["policy", "schema"], &[]);
    assert!(ok && out.contains("entity Purpose enum") && out.contains("\"blue_badge\""));
}

#[tokio::test]
async fn the_key_file_is_made_on_first_use_and_rotation_rewraps_every_data_key() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let keys = dir.path().join("keys").join("hearth.keys");
    let keys_path = keys.to_str().unwrap_or("");
    let env = [("HEARTH_KEY_FILE", keys_path)];
    for url in urls(dir.path()).await {
        let (ok, _, err) = hearth(&["--database-url", &url, "demo", "--people", "5"], &env);
        assert!(ok, "{url}: {err}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&keys)
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or(0);
            assert_eq!(mode, 0o600, "the key file is readable by its owner only");
        }
        let (ok, before, err) = hearth(&["--database-url", &url, "keys", "status"], &env);
        assert!(ok && before.contains("5 data keys"), "{url}: {before}{err}");
        let (ok, out, err) = hearth(&["--database-url", &url, "keys", "rotate"], &env);
        assert!(
            ok && out.contains("5 data keys re-wrapped under kek-"),
            "{url}: {out}{err}"
        );
        let (ok, after, err) = hearth(&["--database-url", &url, "keys", "status"], &env);
        assert!(
            ok && after.lines().count() == 1 && after.contains("5 data keys") && after != before,
            "{url}: every key under the new KEK: {after}{err}"
        );
        let (ok, out, err) = hearth(&["--database-url", &url, "audit", "verify"], &env);
        assert!(ok, "{url}: {out}{err}");
    }
}

#[tokio::test]
async fn each_change_of_access_policy_is_recorded_once_in_the_audit_log() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let text = std::fs::read_to_string(workspace("policy/hearth.cedar")).unwrap_or_default();
    let edited = dir.path().join("edited.cedar");
    std::fs::write(
        &edited,
        format!("// Local change: reviewed by the DPO.\n{text}"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let edited_path = edited.to_str().unwrap_or("");
    for url in urls(dir.path()).await {
        for env in [&[][..], &[][..], &[("HEARTH_POLICY", edited_path)][..]] {
            let (ok, _, err) = hearth(&["--database-url", &url, "demo", "--people", "1"], env);
            assert!(ok, "{url}: {err}");
        }
        let store = open_store(&url).await;
        let changes: Vec<_> = store
            .audit_log(0, 100_000)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .filter(|e| e.event.action == "policy.changed")
            .collect();
        assert_eq!(
            changes.len(),
            2,
            "{url}: the shipped policy once, then the edit"
        );
        assert!(
            changes[1]
                .event
                .reason
                .as_deref()
                .is_some_and(|r| r.contains("edited.cedar")),
            "{url}: the change names its file"
        );
        assert_ne!(changes[0].event.record_ids, changes[1].event.record_ids);
    }
}
