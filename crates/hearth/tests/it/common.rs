//! Helpers the CLI tests share: one key file, running `hearth`, and the databases to run on.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// One key file for every command these tests run, made before the first of them, so commands
/// running side by side never race to create it, and the tests can open what they wrote.
pub fn key_file() -> &'static str {
    static KEYS: std::sync::OnceLock<(tempfile::TempDir, String)> = std::sync::OnceLock::new();
    &KEYS
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            let path = dir.path().join("hearth.keys");
            hearth_crypto::key_file::create(&path, hearth_testkit::now())
                .unwrap_or_else(|e| panic!("creating the test key file: {e}"));
            let path = path.display().to_string();
            (dir, path)
        })
        .1
}

/// Opens a database the commands wrote, with their key file.
pub async fn open_store(url: &str) -> std::sync::Arc<dyn hearth_store::Store> {
    let ring = hearth_crypto::KeyRing::load(std::path::Path::new(key_file()))
        .unwrap_or_else(|e| panic!("{e}"));
    let sealer = hearth_store::sealer::Sealer::new(ring).unwrap_or_else(|e| panic!("{e}"));
    hearth_store::open(url, std::sync::Arc::new(sealer))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

pub fn hearth(args: &[&str], env: &[(&str, &str)]) -> (bool, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hearth"));
    command
        .args(args)
        .env("USER", "opal")
        .env("HEARTH_KEY_FILE", key_file());
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("running hearth: {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn workspace(path: &str) -> String {
    format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))
}

/// Database URLs to run against: SQLite in `dir`, and a fresh PostgreSQL database when configured.
pub async fn urls(dir: &Path) -> Vec<String> {
    let mut urls = vec![format!("sqlite://{}", dir.join("hearth.sqlite").display())];
    urls.extend(hearth_testkit::postgres_url().await);
    urls
}
