//! The resident's video-call pages over HTTP, on every backend: the link shows both questions
//! in GOV.UK markup, refuses a form with no answer with an error summary, starts a call session
//! on yes (the link then no longer works), books a visit on no, and lets the resident withdraw.

use hearth_core::clock::SystemClock;
use hearth_service::{Caller, Hearth};
use hearth_testkit::all_backends;
use reqwest::StatusCode;
use std::sync::Arc;

use crate::common::{serve, tenant_and_home};

/// Reports a repair and offers a triage call by text; returns the link's path.
async fn offer(
    db: &hearth_testkit::TestDb,
    hearth: &Hearth,
    planner: &Caller,
    person: uuid::Uuid,
    home: uuid::Uuid,
) -> String {
    crate::common::offer_call(db, hearth, planner, (person, home), "repairs_video_triage")
        .await
        .1
}

#[tokio::test]
async fn a_resident_answers_joins_and_withdraws_through_the_pages() {
    for db in all_backends().await {
        let register =
            hearth_core::register::default_register().unwrap_or_else(|p| panic!("{p:?}"));
        let hearth = Hearth::new(db.store.clone(), Arc::new(register), Arc::new(SystemClock))
            .unwrap_or_else(|e| panic!("{e}"))
            .with_public_url("https://repairs.example.gov.uk");
        let (person, home) = tenant_and_home(&hearth).await;
        let planner_account = hearth
            .create_staff(
                &Caller::operator("tester"),
                &hearth_service::access::StaffInput {
                    username: "ravi".into(),
                    display_name: "Ravi".into(),
                    password: "ravi correct horse battery".into(),
                    roles: vec!["repairs_planner".into()],
                    teams: vec![],
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let planner = Caller::staff(&planner_account).for_purpose("repairs_and_maintenance");
        let first = offer(&db, &hearth, &planner, person, home).await;
        let base = serve(hearth.clone()).await;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let get = |path: String| http.get(format!("{base}{path}"));

        let page = get(first.clone())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page.status(), StatusCode::OK, "{}", db.name);
        let html = page.text().await.unwrap_or_default();
        assert!(
            html.contains("Do you agree to a video call?") && html.contains("explicit consent"),
            "{html}"
        );
        assert!(
            html.contains("We keep recordings for up to four weeks.")
                && html.contains("Wording version total-assist-")
        );
        assert!(!html.contains("<title>Error:"));

        // No answer: the form comes back with an error summary and nothing is recorded.
        let empty = http
            .post(format!("{base}{first}"))
            .form(&[("call", "")])
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = empty.text().await.unwrap_or_default();
        assert!(
            html.contains("<title>Error: ")
                && html.contains("govuk-error-summary")
                && html.contains("Select yes if you agree to a video call"),
            "{html}"
        );
        let yes_only = http
            .post(format!("{base}{first}"))
            .form(&[("call", "yes")])
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            yes_only
                .text()
                .await
                .unwrap_or_default()
                .contains("Select yes if you give your explicit consent")
        );

        let joined = http
            .post(format!("{base}{first}"))
            .form(&[("call", "yes"), ("special_category", "yes")])
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(joined.status(), StatusCode::SEE_OTHER, "{}", db.name);
        assert_eq!(
            joined
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok()),
            Some("/call/room")
        );
        let cookie = joined
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert!(
            cookie.starts_with("hearth_call=")
                && cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        let session = cookie.split(';').next().unwrap_or_default().to_string();

        let room = get("/call/room".into())
            .header("cookie", &session)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(room.status(), StatusCode::OK);
        assert!(
            room.text()
                .await
                .unwrap_or_default()
                .contains("Stop the call and withdraw my consent")
        );
        let again = get(first.clone())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.status(), StatusCode::GONE, "the link works once");
        let no_session = get("/call/room".into())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(no_session.status(), StatusCode::FORBIDDEN);

        let withdrawn = http
            .post(format!("{base}/call/room/withdraw"))
            .header("cookie", &session)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(withdrawn.status(), StatusCode::OK);
        let html = withdrawn.text().await.unwrap_or_default();
        assert!(
            html.contains("You have withdrawn your consent")
                && html.contains("An engineer will visit you instead"),
            "{html}"
        );
        let after = get("/call/room".into())
            .header("cookie", &session)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(after.status(), StatusCode::GONE);

        // A no books a visit. (The resident withdrew, so staff record their new consent first.)
        hearth
            .record_consent(
                &planner,
                person,
                &hearth_service::access::ConsentInput {
                    purpose: "repairs_video_triage".into(),
                    granted: true,
                    special_category: false,
                    wording: "Resident asked for a video call".into(),
                    wording_version: "phone-request".into(),
                    channel: Some(hearth_core::rights::Channel::Phone),
                    given_by: Some(hearth_core::access::ConsentGiver::ThePerson),
                    given_at: Some("2020-01-01T09:00:00Z".parse().expect("a time")),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let second = offer(&db, &hearth, &planner, person, home).await;
        let declined = http
            .post(format!("{base}{second}"))
            .form(&[("call", "no")])
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(declined.status(), StatusCode::OK);
        let html = declined.text().await.unwrap_or_default();
        assert!(
            html.contains("An engineer will visit you")
                && html.contains("We have booked a visit between"),
            "{html}"
        );

        let css = get("/assets/govuk/govuk-frontend.min.css".into())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            css.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("text/css")
        );
    }
}

#[tokio::test]
async fn staff_offer_answer_by_phone_and_end_a_call_through_the_api() {
    for db in all_backends().await {
        let register =
            hearth_core::register::default_register().unwrap_or_else(|p| panic!("{p:?}"));
        let hearth = Hearth::new(db.store.clone(), Arc::new(register), Arc::new(SystemClock))
            .unwrap_or_else(|e| panic!("{e}"))
            .with_public_url("https://repairs.example.gov.uk");
        let (person, home) = tenant_and_home(&hearth).await;
        let (_, secret) = hearth
            .create_api_token(
                &Caller::operator("tester"),
                &hearth_service::access::TokenRequest {
                    name: "repairs desk".into(),
                    roles: vec!["repairs_planner".into()],
                    purposes: vec!["repairs_and_maintenance".into()],
                    valid_days: 1,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let base = serve(hearth).await;
        let http = reqwest::Client::new();
        let post = |path: String, body: serde_json::Value| {
            http.post(format!("{base}{path}"))
                .bearer_auth(&secret)
                .header("x-hearth-purpose", "repairs_and_maintenance")
                .json(&body)
        };
        let repair: serde_json::Value = post("/api/repairs".into(), serde_json::json!({
            "person_id": person, "property_id": home, "category": "gas", "priority": "emergency",
            "reported_via": "phone", "description": "Smell of gas in the hall"
        }))
        .send().await.unwrap_or_else(|e| panic!("{e}"))
        .json().await.unwrap_or_else(|e| panic!("{e}"));
        let id = repair["repair"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();

        let bad = post(
            format!("/api/repairs/{id}/video-calls"),
            serde_json::json!({"purpose": "repairs_video_triage", "channel": "pigeon"}),
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            bad.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            db.name
        );
        let offered = post(
            format!("/api/repairs/{id}/video-calls"),
            serde_json::json!({"purpose": "repairs_video_triage", "channel": "sms"}),
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(offered.status(), StatusCode::CREATED, "{}", db.name);
        let call: serde_json::Value = offered.json().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(call["status"], "offered");
        assert!(
            call.get("invite_hash").is_none() && !call.to_string().contains("/call/"),
            "no link in the staff view"
        );
        let call_id = call["id"].as_str().unwrap_or_default().to_string();

        // The resident says no on the phone: an emergency visit is booked within hours.
        let declined: serde_json::Value = post(
            format!("/api/video-calls/{call_id}/answer"),
            serde_json::json!({"call": false, "special_category": false}),
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (declined["status"].as_str(), declined["end_reason"].as_str()),
            (Some("declined"), Some("declined")),
            "{}: {declined}",
            db.name
        );
        let listed: serde_json::Value = http
            .get(format!("{base}/api/repairs/{id}/video-calls"))
            .bearer_auth(&secret)
            .header("x-hearth-purpose", "repairs_and_maintenance")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(listed.as_array().map(Vec::len), Some(1));
        let file: serde_json::Value = http
            .get(format!("{base}/api/repairs/{id}"))
            .bearer_auth(&secret)
            .header("x-hearth-purpose", "repairs_and_maintenance")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(file["repair"]["status"], "scheduled");
        assert_eq!(file["appointments"][0]["kind"], "home_visit");
        let ended = post(
            format!("/api/video-calls/{call_id}/end"),
            serde_json::json!({}),
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            ended.status(),
            StatusCode::OK,
            "ending a call that is over changes nothing"
        );
    }
}
