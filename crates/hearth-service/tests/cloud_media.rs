//! Media in the cloud (a build with the `cloud` feature): a call recording is uploaded in
//! chunks, filed, played back and deleted by retention with its objects in an S3 bucket and in
//! an Azure Blob container, and what the provider holds is sealed. The providers are real local
//! servers speaking their protocols: moto's S3 server (`pip install 'moto[server]'`) and Azurite
//! (`npm install azurite`). Without them the test says so loudly and passes, unless
//! HEARTH_REQUIRE_CLOUD is set (as in CI), when their absence fails it. Point at them with
//! HEARTH_TEST_MOTO_SERVER (default `moto_server`) and HEARTH_TEST_AZURITE_BLOB (default
//! `azurite-blob`).
#![cfg(feature = "cloud")]
// A test states why it expects something to hold: `.expect("why")` is the idiom here.
#![allow(clippy::expect_used)]

#[path = "it/common.rs"]
mod common;

use base64::Engine;
use common::{BASE, World, at, estate, live_call, world};
use hearth_core::video::RecordingState;
use hearth_service::retention::{AzureLocation, MediaStore, RunOptions, S3Location};
use hearth_service::{Caller, ServiceError};
use hmac::{KeyInit, Mac};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Azurite's well-known development account.
const AZURITE_ACCOUNT: &str = "devstoreaccount1";
const AZURITE_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// A local server, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("a free port: {e}"))
}

/// Starts `program` with `args`, waiting for `port`; `None` (loudly) when it is not installed.
async fn start(program: &str, args: &[String], port: u16) -> Option<Server> {
    let child = match Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            assert!(
                std::env::var_os("HEARTH_REQUIRE_CLOUD").is_none(),
                "HEARTH_REQUIRE_CLOUD is set but {program} cannot run: {e}"
            );
            eprintln!("\n*** SKIPPED: {program} is not installed ({e}) ***\n");
            return None;
        }
    };
    let server = Server(child);
    for _ in 0..300 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Some(server);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{program} did not listen on {port}");
}

/// Creates an Azure container, signed with Shared Key as the Blob service requires.
async fn create_container(endpoint: &str, container: &str) {
    #[allow(clippy::disallowed_methods)] // the server checks the request's date against its clock
    let now = jiff::Timestamp::now();
    let date = jiff::fmt::rfc2822::DateTimePrinter::new()
        .timestamp_to_rfc9110_string(&now)
        .unwrap_or_else(|e| panic!("{e}"));
    let version = "2021-08-06";
    let to_sign = format!(
        "PUT\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:{date}\nx-ms-version:{version}\n/{AZURITE_ACCOUNT}/{AZURITE_ACCOUNT}/{container}\nrestype:container"
    );
    let key = base64::engine::general_purpose::STANDARD
        .decode(AZURITE_KEY)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap_or_else(|e| panic!("{e}"));
    mac.update(to_sign.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let response = reqwest::Client::new()
        .put(format!("{endpoint}/{container}?restype=container"))
        .header("x-ms-date", date)
        .header("x-ms-version", version)
        // An empty body, sent with `Content-Length: 0`, as the signature assumes.
        .body(Vec::<u8>::new())
        .header("content-length", "0")
        .header(
            "authorization",
            format!("SharedKey {AZURITE_ACCOUNT}:{signature}"),
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        response.status().is_success(),
        "creating the container: {} {}",
        response.status(),
        response.text().await.unwrap_or_default()
    );
}

/// The recording's whole life with `media` as the object store.
async fn recording_lives_in(db: &hearth_testkit::TestDb, media: MediaStore, provider: &str) {
    let w = world(db).await;
    let w = World {
        hearth: w
            .hearth
            .clone()
            .with_public_url(BASE)
            .with_media(media.clone()),
        media,
        ..w
    };
    let e = estate(&w).await;
    let (call, _) = live_call(db, &w, &e, "repairs_video_triage").await;
    let engineer = e.planner.clone().for_purpose("repairs_video_triage");
    let recording = w
        .hearth
        .start_recording(&engineer, call.id, "video/webm")
        .await
        .unwrap_or_else(|err| panic!("{provider}: start: {err}"));
    let chunks: Vec<Vec<u8>> = (0..3)
        .map(|n| format!("webm-cluster-{n}-").repeat(3000).into_bytes())
        .collect();
    for (seq, chunk) in chunks.iter().enumerate() {
        w.hearth
            .upload_recording_chunk(&engineer, recording.id, seq as i64, chunk.clone())
            .await
            .unwrap_or_else(|err| panic!("{provider}: chunk {seq}: {err}"));
    }
    let held = w
        .media
        .get(&recording.chunk_key(1))
        .await
        .unwrap_or_else(|err| panic!("{provider}: {err}"));
    assert_ne!(held, chunks[1], "{provider} holds sealed chunks");
    let filed = w
        .hearth
        .finish_recording(&engineer, recording.id)
        .await
        .unwrap_or_else(|err| panic!("{provider}: finish: {err}"));
    assert_eq!(filed.state, RecordingState::Filed);
    let (_, media, bytes) = w
        .hearth
        .watch_recording(&engineer, recording.id)
        .await
        .unwrap_or_else(|err| panic!("{provider}: watch: {err}"));
    assert_eq!(bytes, chunks.concat(), "{provider}");
    assert!(
        !w.hearth
            .media_object_exists(&recording.chunk_key(0))
            .await
            .unwrap_or(true)
    );
    let stored = w.media.get(&media.object_key).await.unwrap_or_default();
    assert!(
        !stored.windows(14).any(|w| w == b"webm-cluster-0"),
        "{provider} holds it sealed"
    );

    let day = w.hearth.today().saturating_add(jiff::Span::new().days(29));
    w.clock.set(at(day));
    w.hearth
        .run_retention(
            &Caller::system("retention"),
            &RunOptions {
                as_of: day,
                dry_run: false,
                only: Some("video_recording".into()),
            },
        )
        .await
        .unwrap_or_else(|err| panic!("{provider}: retention: {err}"));
    assert!(
        !w.hearth
            .media_object_exists(&media.object_key)
            .await
            .unwrap_or(true),
        "{provider}: deleted after four weeks"
    );
    assert!(matches!(
        w.hearth.watch_recording(&engineer, recording.id).await,
        Err(ServiceError::NotFound(_))
    ));
}

#[tokio::test]
async fn recordings_live_and_die_in_s3_and_azure_blob_storage() {
    let db = hearth_testkit::sqlite().await;

    let moto = std::env::var("HEARTH_TEST_MOTO_SERVER").unwrap_or_else(|_| "moto_server".into());
    let port = free_port();
    let Some(_s3) = start(
        &moto,
        &[
            "-H".into(),
            "127.0.0.1".into(),
            "-p".into(),
            port.to_string(),
        ],
        port,
    )
    .await
    else {
        return;
    };
    let endpoint = format!("http://127.0.0.1:{port}");
    let bucket = "hearth-media";
    let made = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        made.status().is_success(),
        "creating the bucket: {}",
        made.status()
    );
    let s3 = MediaStore::s3(&S3Location {
        bucket: bucket.into(),
        region: "eu-west-2".into(),
        endpoint: Some(endpoint),
        access_key_id: Some("hearth-test".into()),
        secret_access_key: Some("hearth-test-secret".into()),
    })
    .unwrap_or_else(|e| panic!("{e}"));
    recording_lives_in(&db, s3, "S3").await;

    let azurite =
        std::env::var("HEARTH_TEST_AZURITE_BLOB").unwrap_or_else(|_| "azurite-blob".into());
    let port = free_port();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let args = [
        "--blobHost".to_string(),
        "127.0.0.1".into(),
        "--blobPort".into(),
        port.to_string(),
        "--location".into(),
        dir.path().display().to_string(),
        "--silent".into(),
        "--skipApiVersionCheck".into(),
        // No telemetry to Microsoft from a test.
        "--disableTelemetry".into(),
    ];
    let Some(_azure) = start(&azurite, &args, port).await else {
        return;
    };
    let endpoint = format!("http://127.0.0.1:{port}/{AZURITE_ACCOUNT}");
    create_container(&endpoint, "hearth-media").await;
    let azure = MediaStore::azure(&AzureLocation {
        account: AZURITE_ACCOUNT.into(),
        container: "hearth-media".into(),
        endpoint: Some(endpoint),
        access_key: Some(AZURITE_KEY.into()),
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let db = hearth_testkit::sqlite().await;
    recording_lives_in(&db, azure, "Azure").await;
}
