//! Recordings and the staff pages over HTTP, on every backend, as the engineer's browser uses
//! them (session cookie, CSRF token, purpose): a recording starts only for the call's purpose
//! and a browser's media type, chunks come in order and within their size, the filed video plays
//! back for the call's purpose and not another, a safeguarding concern is checked and recorded;
//! the sign-in form refuses a post not made from its own page and never sends anyone off-site;
//! the signalling sockets refuse other sites' pages.

use crate::common::{offer_call, serve, staff_member, tenant_and_home};
use hearth_core::clock::SystemClock;
use hearth_service::Hearth;
use hearth_service::retention::MediaStore;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;

const TRIAGE: &str = "repairs_video_triage";

fn cookie_of(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no {name} cookie"))
        .to_string()
}

#[tokio::test]
async fn the_engineers_browser_records_and_plays_back_and_bad_input_changes_nothing() {
    for db in hearth_testkit::all_backends().await {
        let register =
            hearth_core::register::default_register().unwrap_or_else(|p| panic!("{p:?}"));
        let media = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let hearth = Hearth::new(db.store.clone(), Arc::new(register), Arc::new(SystemClock))
            .unwrap_or_else(|e| panic!("{e}"))
            .with_public_url("https://repairs.example.gov.uk")
            .with_media(MediaStore::local(media.path()).unwrap_or_else(|e| panic!("{e}")));
        let home = tenant_and_home(&hearth).await;
        let planner = staff_member(&hearth, "ravi", "repairs_planner")
            .await
            .for_purpose("repairs_and_maintenance");
        let (call_id, link) = offer_call(&db, &hearth, &planner, home, TRIAGE).await;
        let secret = link.trim_start_matches("/call/");
        hearth
            .answer_video_invite(
                secret,
                Some(hearth_service::video::CallAnswer {
                    call: true,
                    special_category: true,
                }),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        hearth
            .mark_call_live(call_id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let base = serve(hearth.clone()).await;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_else(|e| panic!("{e}"));

        // The engineer's page without a session sends them to sign in, and back.
        let page = http
            .get(format!("{base}/staff/video-calls/{call_id}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page.status(), StatusCode::SEE_OTHER, "{}", db.name);
        assert_eq!(
            page.headers().get("location").and_then(|v| v.to_str().ok()),
            Some(format!("/staff/sign-in?next=/staff/video-calls/{call_id}").as_str())
        );
        // The sign-in form: a post without the form's own cookie signs nobody in.
        let form = http
            .get(format!("{base}/staff/sign-in?next=//evil.example/"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let form_cookie = cookie_of(&form, "hearth_sign_in");
        let html = form.text().await.unwrap_or_default();
        assert!(
            html.contains(r#"name="next" value="/staff/sign-in""#),
            "never off-site: {html}"
        );
        let token = form_cookie
            .trim_start_matches("hearth_sign_in=")
            .to_string();
        let credentials = [
            ("username", "ravi"),
            ("password", "ravi correct horse battery"),
        ];
        let forged = http
            .post(format!("{base}/staff/sign-in"))
            .form(&[credentials[0], credentials[1], ("token", token.as_str())])
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        assert!(
            forged
                .headers()
                .get_all("set-cookie")
                .iter()
                .all(|c| !c.to_str().unwrap_or("").starts_with("hearth_session="))
        );
        let wrong = http
            .post(format!("{base}/staff/sign-in"))
            .header("cookie", &form_cookie)
            .form(&[
                ("username", "ravi"),
                ("password", "wrong"),
                ("token", token.as_str()),
            ])
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        assert!(
            wrong
                .text()
                .await
                .unwrap_or_default()
                .contains("<title>Error: Sign in")
        );
        let next = format!("/staff/video-calls/{call_id}");
        let signed_in = http
            .post(format!("{base}/staff/sign-in"))
            .header("cookie", &form_cookie)
            .form(&[
                credentials[0],
                credentials[1],
                ("token", token.as_str()),
                ("next", next.as_str()),
            ])
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            signed_in
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok()),
            Some(next.as_str())
        );
        let session = cookie_of(&signed_in, "hearth_session");
        let page = http
            .get(format!("{base}{next}"))
            .header("cookie", &session)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap_or_default();
        let csrf = html
            .split(r#"data-csrf=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("no CSRF token on the page: {html}"))
            .to_string();

        // The signalling socket refuses another site's page, and a request with no origin.
        for origin in [Some("https://evil.example"), None] {
            let mut request = http
                .get(format!("{base}/staff/video-calls/{call_id}/signal"))
                .header("cookie", &session)
                .header("connection", "upgrade")
                .header("upgrade", "websocket")
                .header("sec-websocket-version", "13")
                .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==");
            if let Some(origin) = origin {
                request = request.header("origin", origin);
            }
            let refused = request.send().await.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{origin:?}");
        }

        let api = |method: reqwest::Method, path: String, purpose: &str| {
            http.request(method, format!("{base}{path}"))
                .header("cookie", &session)
                .header("x-csrf-token", &csrf)
                .header("x-hearth-purpose", purpose)
        };
        let json_of = |response: reqwest::Response| async move {
            let status = response.status();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            (status, body)
        };

        // Starting: the call's purpose, a browser's media type.
        let start = |content_type: Value, purpose: &str| {
            api(
                reqwest::Method::POST,
                format!("/api/video-calls/{call_id}/recordings"),
                purpose,
            )
            .json(&json!({ "content_type": content_type }))
            .send()
        };
        let (status, body) = json_of(
            start(json!("text/html"), TRIAGE)
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.to_string().contains("content_type"), "{body}");
        let (status, body) = json_of(
            start(json!("video/webm"), "repairs_and_maintenance")
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body.to_string().contains(TRIAGE),
            "names the call's purpose: {body}"
        );
        let (status, recording) = json_of(
            start(json!("video/webm"), TRIAGE)
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{recording}");
        let id = recording["id"].as_str().unwrap_or_default().to_string();

        // Chunks: in order, not empty, not too large; a retry is acknowledged.
        let chunk = |seq: &str, body: Vec<u8>| {
            api(
                reqwest::Method::PUT,
                format!("/api/recordings/{id}/chunks/{seq}"),
                TRIAGE,
            )
            .header("content-type", "application/octet-stream")
            .body(body)
            .send()
        };
        let part = b"\x1aE\xdf\xa3 webm header and a cluster".repeat(50);
        let (status, body) = json_of(
            chunk("0", part.clone())
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(
            (status, &body["already_received"]),
            (StatusCode::OK, &json!(false)),
            "{body}"
        );
        let (status, body) = json_of(
            chunk("0", part.clone())
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(
            (status, &body["already_received"]),
            (StatusCode::OK, &json!(true))
        );
        let (status, body) = json_of(
            chunk("5", part.clone())
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(body.to_string().contains("chunk 1 comes next"), "{body}");
        assert_eq!(
            chunk("first", part.clone()).await.map(|r| r.status()).ok(),
            Some(StatusCode::NOT_FOUND)
        );
        assert_eq!(
            chunk("-1", part.clone()).await.map(|r| r.status()).ok(),
            Some(StatusCode::NOT_FOUND)
        );
        assert_eq!(
            chunk("1", vec![]).await.map(|r| r.status()).ok(),
            Some(StatusCode::UNPROCESSABLE_ENTITY)
        );
        assert_eq!(
            chunk("1", vec![0; 9 * 1024 * 1024])
                .await
                .map(|r| r.status())
                .ok(),
            Some(StatusCode::PAYLOAD_TOO_LARGE)
        );
        let (status, _) = json_of(
            chunk("1", part.clone())
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        // Without the CSRF token a browser session changes nothing.
        let no_csrf = http
            .put(format!("{base}/api/recordings/{id}/chunks/2"))
            .header("cookie", &session)
            .header("x-hearth-purpose", TRIAGE)
            .body(part.clone())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(no_csrf.status(), StatusCode::FORBIDDEN);

        let (status, filed) = json_of(
            api(
                reqwest::Method::POST,
                format!("/api/recordings/{id}/finish"),
                TRIAGE,
            )
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(
            (status, &filed["state"]),
            (StatusCode::OK, &json!("filed")),
            "{filed}"
        );
        assert_eq!(filed["chunks"], json!(2));

        // Played back for the call's purpose, whole; refused for another.
        let video = api(
            reqwest::Method::GET,
            format!("/api/recordings/{id}/video"),
            TRIAGE,
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(video.status(), StatusCode::OK);
        assert_eq!(
            video
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("video/webm")
        );
        assert_eq!(
            video
                .headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-store")
        );
        assert_eq!(
            video.bytes().await.map(|b| b.to_vec()).ok(),
            Some([part.clone(), part.clone()].concat())
        );
        let other = api(
            reqwest::Method::GET,
            format!("/api/recordings/{id}/video"),
            "customer_contact",
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(other.status(), StatusCode::FORBIDDEN);

        // A safeguarding concern: the body named, then a hold and a disclosure.
        let concern = |body: Value| {
            api(
                reqwest::Method::POST,
                format!("/api/recordings/{id}/safeguarding"),
                TRIAGE,
            )
            .json(&body)
            .send()
        };
        let (status, body) = json_of(
            concern(json!({"body": "", "concern": "Seen on the call"}))
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, body) = json_of(
            concern(json!({"body": "Adult Social Care", "concern": "x", "extra": 1}))
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, raised) = json_of(
            concern(json!({"body": "Kirklees Adult Social Care", "concern": "Resident without heating and appeared unwell"}))
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{raised}");
        assert_eq!(raised["hold"]["scope"]["kind"], json!("record"));
        assert_eq!(
            raised["disclosure"]["recipient"],
            json!("safeguarding_bodies")
        );

        // The review page for it, and the list of the call's recordings.
        let review = http
            .get(format!("{base}/staff/recordings/{id}"))
            .header("cookie", &session)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(review.status(), StatusCode::OK);
        let html = review.text().await.unwrap_or_default();
        assert!(html.contains("Every viewing is recorded"), "{html}");
        let (status, list) = json_of(
            api(
                reqwest::Method::GET,
                format!("/api/video-calls/{call_id}/recordings"),
                "repairs_and_maintenance",
            )
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    }
}
