//! The whole Total Assist call in real browsers: Debian's Chromium, headless, with fake camera
//! and microphone, driven through chromedriver. A resident opens the link and agrees; an
//! engineer signs in and joins; the two pages connect peer to peer with Hearth signalling; the
//! engineer records, the recording is uploaded in chunks and filed, and played back; a manager
//! is refused it for a purpose the resident never agreed to; a retention run four weeks later
//! (injected time) deletes it. Then a resident withdraws in the middle of a live call and the
//! engineer's page hangs up; and a resident who says no gets a home visit.
//!
//! Needs `chromium` and `chromedriver` (Debian's `chromium` and `chromium-driver`). Without
//! them the test says so loudly and passes, unless HEARTH_REQUIRE_BROWSER is set (as in CI),
//! when their absence fails it.

use crate::common::{offer_call, staff_member, tenant_and_home};
use fantoccini::{Client, ClientBuilder, Locator};
use hearth_core::clock::ManualClock;
use hearth_core::video::{CallEnd, CallStatus, RecordingState};
use hearth_service::retention::{MediaStore, RunOptions};
use hearth_service::{Caller, Hearth};
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const TRIAGE: &str = "repairs_video_triage";

/// chromedriver, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn browsers_present() -> bool {
    let present =
        std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists();
    if !present {
        assert!(
            std::env::var_os("HEARTH_REQUIRE_BROWSER").is_none(),
            "HEARTH_REQUIRE_BROWSER is set but {CHROMIUM} or {CHROMEDRIVER} is missing: install Debian's chromium and chromium-driver"
        );
        eprintln!(
            "\n*** SKIPPED: the browser test needs {CHROMIUM} and {CHROMEDRIVER} (apt install chromium chromium-driver) ***\n"
        );
    }
    present
}

async fn start_driver() -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("a free port: {e}"));
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("starting chromedriver: {e}"));
    // Owned at once, so a failure below still stops it.
    let driver = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return driver;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start on port {port}");
}

/// A headless Chromium whose camera and microphone are Chromium's test pattern and tone.
async fn browser(driver: &Driver) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                // Host candidates as addresses, not mDNS names nobody here answers for.
                "--disable-features=WebRtcHideLocalIpsWithMdns",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--window-size=1024,900"
            ]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .unwrap_or_else(|e| panic!("a browser session: {e}"))
}

/// Waits until `expression` is true in the page, failing with what the page shows.
async fn until(page: &Client, what: &str, expression: &str) {
    let script = format!("return Boolean({expression});");
    for _ in 0..300 {
        if page
            .execute(&script, vec![])
            .await
            .ok()
            .and_then(|v| v.as_bool())
            == Some(true)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let shown = page
        .execute(
            "return document.body ? document.body.innerText : ''",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    panic!("timed out waiting for {what} ({expression}); the page shows:\n{shown}");
}

async fn click(page: &Client, css: &str) {
    page.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("clicking {css}: {e}"));
}

async fn type_into(page: &Client, css: &str, text: &str) {
    page.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("typing into {css}: {e}"));
}

/// The resident opens their link and says yes to both questions.
async fn resident_agrees(page: &Client, base: &str, link: &str) {
    page.goto(&format!("{base}{link}"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    click(page, "#call").await;
    click(page, "#special").await;
    click(page, "form button[type=submit]").await;
    until(
        page,
        "the call page",
        "document.getElementById('call') !== null",
    )
    .await;
}

/// Signs a member of staff in through the form, landing on `path`.
async fn sign_in(page: &Client, base: &str, path: &str, username: &str) {
    page.goto(&format!("{base}{path}"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    until(
        page,
        "the sign-in form",
        "document.getElementById('username') !== null",
    )
    .await;
    type_into(page, "#username", username).await;
    type_into(
        page,
        "#password",
        &format!("{username} correct horse battery"),
    )
    .await;
    click(page, "#sign-in").await;
}

const CONNECTED: &str = "document.getElementById('call').dataset.state === 'connected' && document.getElementById('remote-video').videoWidth > 0";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_in_two_browsers_records_plays_back_expires_and_ends_on_withdrawal() {
    if !browsers_present() {
        return;
    }
    for db in hearth_testkit::all_backends().await {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("{e}"))
            .port();
        // `localhost` is a secure context: the camera and the Secure session cookie work.
        let base = format!("http://localhost:{port}");
        #[allow(clippy::disallowed_methods)] // the browsers' clocks are real: start from now
        let clock = Arc::new(ManualClock::new(jiff::Timestamp::now()));
        let media_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let register =
            hearth_core::register::default_register().unwrap_or_else(|p| panic!("{p:?}"));
        let hearth = Hearth::new(db.store.clone(), Arc::new(register), clock.clone())
            .unwrap_or_else(|e| panic!("{e}"))
            .with_public_url(&base)
            .with_signing_key(hearth_core::audit::CheckpointKey::from_seed([7; 32]))
            .with_media(MediaStore::local(media_dir.path()).unwrap_or_else(|e| panic!("{e}")));
        let home = tenant_and_home(&hearth).await;
        let planner = staff_member(&hearth, "ravi", "repairs_planner")
            .await
            .for_purpose("repairs_and_maintenance");
        staff_member(&hearth, "mo.manager", "manager").await;
        let server = hearth.clone();
        tokio::spawn(async move { axum::serve(listener, hearth_http::app(server)).await });

        let driver = start_driver().await;
        let resident = browser(&driver).await;
        let engineer = browser(&driver).await;

        // 1. A call: the resident agrees, the engineer signs in and joins, video flows both ways.
        let (call_id, link) = offer_call(&db, &hearth, &planner, home, TRIAGE).await;
        resident_agrees(&resident, &base, &link).await;
        sign_in(
            &engineer,
            &base,
            &format!("/staff/video-calls/{call_id}"),
            "ravi",
        )
        .await;
        until(
            &engineer,
            "the engineer's page",
            "document.getElementById('record-start') !== null",
        )
        .await;
        until(&engineer, "video from the resident", CONNECTED).await;
        until(&resident, "video from the engineer", CONNECTED).await;
        let call = db.store.get_video_call(call_id).await.ok().flatten();
        assert_eq!(
            call.map(|c| c.status),
            Some(CallStatus::Live),
            "{}",
            db.name
        );

        // 2. The engineer records for a few seconds; the resident sees they are recorded.
        until(
            &engineer,
            "recording to be possible",
            "!document.getElementById('record-start').disabled",
        )
        .await;
        click(&engineer, "#record-start").await;
        until(
            &resident,
            "the recording light",
            "!document.getElementById('recording').hidden",
        )
        .await;
        until(
            &engineer,
            "two chunks uploaded",
            "/[2-9] part/.test(document.getElementById('recording-status').textContent)",
        )
        .await;
        click(&engineer, "#record-stop").await;
        until(
            &engineer,
            "the recording filed",
            "document.getElementById('call').dataset.recording === 'filed'",
        )
        .await;
        until(
            &resident,
            "the recording light off",
            "document.getElementById('recording').hidden",
        )
        .await;
        let recordings = db
            .store
            .recordings_of_call(call_id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(recordings.len(), 1, "{}", db.name);
        let recording = recordings[0].clone();
        assert_eq!(recording.state, RecordingState::Filed);
        assert!(
            recording.chunks >= 2 && recording.bytes > 10_000,
            "{recording:?}"
        );

        // 3. The engineer ends the call: both pages hang up.
        click(&engineer, "#end-call").await;
        until(
            &engineer,
            "the call ended",
            "document.getElementById('call').dataset.state === 'ended'",
        )
        .await;
        until(
            &resident,
            "the call ended",
            "document.getElementById('call').dataset.state === 'ended'",
        )
        .await;

        // 4. Playback, for the call's purpose: a real video the browser can play.
        engineer
            .goto(&format!("{base}/staff/recordings/{}", recording.id))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        engineer
            .execute(
                &format!("document.querySelector('input[value={TRIAGE}]').click()"),
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        click(&engineer, "#watch").await;
        until(&engineer, "the video playing back", "document.getElementById('review').dataset.state === 'playing' && document.getElementById('playback').readyState >= 1 && document.getElementById('playback').videoWidth > 0").await;

        // A manager asking to watch it to assess work is refused: the resident agreed to triage.
        sign_in(
            &resident,
            &base,
            &format!("/staff/recordings/{}", recording.id),
            "mo.manager",
        )
        .await;
        until(
            &resident,
            "the review page",
            "document.getElementById('watch') !== null",
        )
        .await;
        click(&resident, "#watch").await;
        until(
            &resident,
            "the refusal",
            "document.getElementById('review').dataset.state === 'refused'",
        )
        .await;
        assert!(
            resident
                .find(Locator::Id("playback"))
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .attr("hidden")
                .await
                .ok()
                .flatten()
                .is_some(),
            "nothing plays"
        );

        // 5. Four weeks of injected time later the retention run deletes it.
        let record_id = recording.record_id.unwrap_or_else(|| panic!("not filed"));
        let media = db
            .store
            .media_of(record_id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let later = hearth.now() + jiff::SignedDuration::from_hours(24 * 29);
        clock.set(later);
        hearth
            .run_retention(
                &Caller::system("retention"),
                &RunOptions {
                    as_of: hearth.today(),
                    dry_run: false,
                    only: Some("video_recording".into()),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("retention: {e}"));
        assert!(
            db.store
                .get_filed_record(record_id)
                .await
                .ok()
                .flatten()
                .is_none(),
            "{}: record gone",
            db.name
        );
        assert!(
            !hearth
                .media_object_exists(&media[0].object_key)
                .await
                .unwrap_or(true),
            "video gone"
        );
        #[allow(clippy::disallowed_methods)] // back to real time for the browsers' sessions
        clock.set(jiff::Timestamp::now());

        // 6. A resident withdraws in the middle of a live call: the engineer's page hangs up.
        let (call_id, link) = offer_call(&db, &hearth, &planner, home, TRIAGE).await;
        resident_agrees(&resident, &base, &link).await;
        engineer
            .goto(&format!("{base}/staff/video-calls/{call_id}"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        until(&engineer, "video from the resident", CONNECTED).await;
        until(&resident, "video from the engineer", CONNECTED).await;
        click(&resident, "#withdraw").await;
        until(
            &resident,
            "the withdrawal confirmed",
            "document.body.innerText.includes('You have withdrawn your consent')",
        )
        .await;
        until(
            &engineer,
            "the hang-up",
            "document.getElementById('call').dataset.state === 'ended'",
        )
        .await;
        let status = engineer
            .find(Locator::Id("call-status"))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .text()
            .await
            .unwrap_or_default();
        assert!(status.contains("withdrew their consent"), "{status}");
        let call = db
            .store
            .get_video_call(call_id)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no call"));
        assert_eq!(
            (call.status, call.end_reason),
            (CallStatus::Ended, Some(CallEnd::ConsentWithdrawn))
        );
        assert!(call.visit_id.is_some(), "a visit is booked instead");

        // 7. Saying no books a visit (consent was withdrawn, so it is recorded again first).
        hearth
            .record_consent(
                &planner,
                home.0,
                &hearth_service::access::ConsentInput {
                    purpose: TRIAGE.into(),
                    granted: true,
                    wording: "Resident asked on the phone for another video call".into(),
                    wording_version: "phone-2026".into(),
                    special_category: false,
                    channel: Some(hearth_core::rights::Channel::Phone),
                    given_by: Some(hearth_core::access::ConsentGiver::ThePerson),
                    given_at: Some("2020-01-01T09:00:00Z".parse().expect("a time")),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let (call_id, link) = offer_call(&db, &hearth, &planner, home, TRIAGE).await;
        resident
            .goto(&format!("{base}{link}"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        click(&resident, "#call-no").await;
        click(&resident, "form button[type=submit]").await;
        until(
            &resident,
            "the visit confirmed",
            "document.body.innerText.includes('An engineer will visit you')",
        )
        .await;
        let call = db
            .store
            .get_video_call(call_id)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no call"));
        assert_eq!(call.status, CallStatus::Declined);
        assert!(call.visit_id.is_some());

        let _ = resident.close().await;
        let _ = engineer.close().await;
        drop(driver);
    }
}

/// A resident, in a real browser: signs in at One Login (a local server on another site,
/// `127.0.0.1` against Hearth's `localhost`, so the cookies cross sites as they will in
/// production), links their account with the council's code, reports a repair with the form,
/// sees it listed, and signs out of both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resident_signs_in_with_one_login_and_reports_a_repair_in_the_browser() {
    if !browsers_present() {
        return;
    }
    for db in hearth_testkit::all_backends().await {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("{e}"))
            .port();
        let base = format!("http://localhost:{port}");
        let (provider, client) = crate::common::one_login_for(&base, "hearth-browser-test").await;
        provider.sign_in_as(hearth_testkit::OneLoginUser {
            subject: "urn:fdc:gov.uk:2022:amara-browser".into(),
            email: "amara@example.org".into(),
            phone: None,
        });
        let register =
            hearth_core::register::default_register().unwrap_or_else(|p| panic!("{p:?}"));
        let hearth = Hearth::new(
            db.store.clone(),
            Arc::new(register),
            Arc::new(hearth_core::clock::SystemClock),
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .with_public_url(&base)
        .with_one_login(client);
        let (person, _) = tenant_and_home(&hearth).await;
        let officer = staff_member(&hearth, "cara", "customer_service_officer")
            .await
            .for_purpose("customer_record");
        let issued = hearth
            .issue_link_code(&officer, person)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let code = crate::common::link_code_received(db.store.as_ref(), &issued).await;
        let server = hearth.clone();
        tokio::spawn(async move { axum::serve(listener, hearth_http::app(server)).await });

        let driver = start_driver().await;
        let page = browser(&driver).await;
        page.goto(&format!("{base}/resident"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        click(&page, "#start").await;
        until(
            &page,
            "the linking form",
            "document.getElementById('code') !== null",
        )
        .await;
        type_into(&page, "#code", &code).await;
        click(&page, "#link").await;
        until(
            &page,
            "the repairs page",
            "document.getElementById('report') !== null",
        )
        .await;
        click(&page, "#report").await;
        until(
            &page,
            "the report form",
            "document.getElementById('description') !== null",
        )
        .await;
        page.find(Locator::Css("#category"))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .select_by_value("damp_mould")
            .await
            .unwrap_or_else(|e| panic!("choosing a category: {e}"));
        type_into(
            &page,
            "#description",
            "Black mould spreading on the bedroom wall",
        )
        .await;
        click(&page, "#send").await;
        until(
            &page,
            "the confirmation",
            "document.body.innerText.includes('Repair reported')",
        )
        .await;
        let repairs = crate::common::repairs_of(&db, person).await;
        assert_eq!(repairs.len(), 1, "{}", db.name);
        assert_eq!(repairs[0].reported_via.as_str(), "web");
        assert_eq!(repairs[0].category.as_str(), "damp_mould");
        page.goto(&format!("{base}/resident"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        until(
            &page,
            "the repair listed",
            &format!(
                "document.getElementById('repairs') && document.getElementById('repairs').innerText.includes('{}')",
                repairs[0].reference
            ),
        )
        .await;
        click(&page, "#sign-out").await;
        until(
            &page,
            "the signed-out page",
            "document.body.innerText.includes('You have signed out')",
        )
        .await;
        assert_eq!(
            provider.logouts(),
            vec!["urn:fdc:gov.uk:2022:amara-browser".to_string()]
        );
        page.goto(&format!("{base}/resident"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        until(
            &page,
            "the start page",
            "document.getElementById('start') !== null",
        )
        .await;
        let _ = page.close().await;
    }
}
