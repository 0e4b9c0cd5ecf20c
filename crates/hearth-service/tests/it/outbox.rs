//! The notification outbox end to end, on every backend: an offered call's link goes out by
//! text through a local Notify server (which checks the JWT) and by email through a local SMTP
//! server; a failed send is retried with backoff; the outbox survives a restart; a message a
//! dead dispatcher held is sent once its lease ends; delivery status is read back.

use crate::common::{Estate, World, estate, world};
use hearth_core::repairs::RepairInput;
use hearth_notify::{NotifyClient, NotifyConfig, SmtpConfig, SmtpSecurity, SmtpTransport};
use hearth_service::video::{DispatchReport, Transports, VideoOfferInput};
use hearth_testkit::{NotifyServer, SmtpServer};
use std::sync::Arc;
use uuid::Uuid;

#[allow(clippy::disallowed_methods)] // Notify judges tokens by the real clock.
fn real_now() -> jiff::Timestamp {
    jiff::Timestamp::now()
}

fn transports(notify: &NotifyServer, smtp: &SmtpServer, sms_template: Uuid) -> Transports {
    let client = NotifyClient::new(NotifyConfig {
        api_key: notify.api_key().parse().unwrap_or_else(|e| panic!("{e}")),
        base_url: notify.base_url.clone(),
        email_templates: Default::default(),
        sms_templates: [("video_call_link".to_string(), sms_template)].into(),
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let mail = SmtpTransport::new(SmtpConfig {
        host: "127.0.0.1".into(),
        port: smtp.port,
        security: SmtpSecurity::None,
        username: None,
        password: None,
        from: "repairs@kirklees.example.gov.uk".into(),
        templates: Default::default(),
    })
    .unwrap_or_else(|e| panic!("{e}"));
    Transports {
        email: Some(Arc::new(mail)),
        sms: Some(Arc::new(client)),
    }
}

async fn repair(w: &World, e: &Estate) -> Uuid {
    w.hearth
        .report_repair(
            &e.planner,
            &RepairInput {
                person_id: Some(e.tenant),
                property_id: Some(e.home),
                category: "plumbing".into(),
                priority: Some("urgent".into()),
                reported_via: Some("phone".into()),
                description: "Leak under the sink".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|err| panic!("{err}"))
        .repair
        .id
}

async fn offer(w: &World, e: &Estate, channel: &str) -> Uuid {
    let id = repair(w, e).await;
    w.hearth
        .offer_video_call(
            &e.planner,
            id,
            &VideoOfferInput {
                purpose: "repairs_video_triage".into(),
                channel: channel.into(),
            },
        )
        .await
        .unwrap_or_else(|err| panic!("offer: {err}"))
        .notification_id
        .unwrap_or_else(|| panic!("no message"))
}

#[tokio::test]
async fn links_go_out_by_text_and_email_and_failures_are_retried() {
    for db in hearth_testkit::all_backends().await {
        let (notify, smtp) = (NotifyServer::start().await, SmtpServer::start());
        let sms_template = Uuid::new_v4();
        let w = world(&db).await;
        w.clock.set(real_now());
        let w = World {
            hearth: w
                .hearth
                .clone()
                .with_public_url("https://repairs.example.gov.uk")
                .with_transports(transports(&notify, &smtp, sms_template)),
            ..w
        };
        let e = estate(&w).await;

        // Notify refuses tokens more than 30 seconds from its own clock, so the test keeps
        // Hearth's clock within that: the failed attempt 25 seconds ago, the retry (due 30
        // seconds after it) 6 seconds ahead.
        w.clock
            .set(real_now() - jiff::SignedDuration::from_secs(25));
        let text = offer(&w, &e, "sms").await;
        notify.fail_next(&[500]);
        let first = w
            .hearth
            .dispatch_notifications()
            .await
            .unwrap_or_else(|err| panic!("{}: {err}", db.name));
        assert_eq!(
            first,
            DispatchReport {
                retrying: 1,
                ..Default::default()
            },
            "{}",
            db.name
        );
        let queued = db
            .store
            .outbox_message(text)
            .await
            .unwrap_or_else(|err| panic!("{err}"))
            .unwrap_or_else(|| panic!("gone"));
        assert_eq!((queued.state.as_str(), queued.attempts), ("queued", 1));
        assert!(
            queued
                .last_error
                .as_deref()
                .is_some_and(|e| e.contains("500"))
        );
        // Not due yet: nothing happens until the backoff has passed.
        let early = w
            .hearth
            .dispatch_notifications()
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(early, DispatchReport::default());
        w.clock.set(real_now() + jiff::SignedDuration::from_secs(6));
        // A restart: a new Hearth on the same database finds the message still waiting.
        let restarted = w.hearth.clone();
        let second = restarted
            .dispatch_notifications()
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(second.sent, 1, "{}", db.name);
        let sent = notify.sent();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].recipient, "07700900123");
        assert_eq!(sent[0].template_id, sms_template.to_string());
        assert_eq!(
            sent[0].reference.as_deref(),
            Some(text.to_string().as_str()),
            "the reference is the outbox id"
        );
        let link = sent[0].personalisation["link"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let secret = link.rsplit('/').next().unwrap_or_default();
        assert!(
            w.hearth.open_video_invite(secret).await.is_ok(),
            "the link that went out opens the call"
        );
        let after = db
            .store
            .outbox_message(text)
            .await
            .unwrap_or_else(|err| panic!("{err}"))
            .unwrap_or_else(|| panic!("gone"));
        // The same round asked Notify how it went: delivered.
        assert_eq!(second.delivered, 1, "{}", db.name);
        assert_eq!(after.state.as_str(), "delivered");
        assert!(
            after.recipient.is_empty() && after.personalisation.is_empty(),
            "sent messages keep no personal data"
        );
        w.clock.set(real_now());

        // By email over SMTP.
        let mail = offer(&w, &e, "email").await;
        let fourth = w
            .hearth
            .dispatch_notifications()
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(fourth.sent, 1);
        let received = smtp.received();
        assert_eq!(received.len(), 1, "{}", db.name);
        assert_eq!(received[0].to, ["amara@example.org"]);
        assert!(
            received[0]
                .data
                .contains("https://repairs.example.gov.uk/call/")
        );
        assert!(received[0].data.contains(&format!("<{mail}@hearth>")));

        // Every message opened for sending is on the audit log, by id only.
        let trail = w
            .hearth
            .audit_for_person(&w.dpo, e.tenant, 500)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let sends: Vec<_> = trail
            .iter()
            .filter(|c| c.event.action == "notification.sent")
            .collect();
        assert_eq!(sends.len(), 3, "{}: a retry, a send, an email", db.name);
        assert!(sends.iter().all(|c| {
            c.event
                .reason
                .as_deref()
                .is_none_or(|r| !r.contains("07700"))
        }));
    }
}

#[tokio::test]
async fn a_dead_dispatchers_message_is_sent_after_its_lease_and_permanent_failures_stop() {
    for db in hearth_testkit::all_backends().await {
        let (notify, smtp) = (NotifyServer::start().await, SmtpServer::start());
        let w = world(&db).await;
        w.clock.set(real_now());
        let w = World {
            hearth: w
                .hearth
                .clone()
                .with_public_url("https://repairs.example.gov.uk")
                .with_transports(transports(&notify, &smtp, Uuid::new_v4())),
            ..w
        };
        let e = estate(&w).await;
        // Another server took it and died before finishing.
        let now = real_now() - jiff::SignedDuration::from_secs(130);
        w.clock.set(now);
        let text = offer(&w, &e, "sms").await;
        let taken = db
            .store
            .claim_due_messages(now, now + jiff::SignedDuration::from_secs(120), 10)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(taken.len(), 1);
        assert_eq!(
            w.hearth
                .dispatch_notifications()
                .await
                .unwrap_or_else(|err| panic!("{err}"))
                .sent,
            0,
            "still leased"
        );
        w.clock.set(now + jiff::SignedDuration::from_secs(60));
        assert_eq!(
            w.hearth
                .dispatch_notifications()
                .await
                .unwrap_or_else(|err| panic!("{err}"))
                .sent,
            0,
            "lease not over"
        );
        w.clock.set(real_now());
        let report = w
            .hearth
            .dispatch_notifications()
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(report.sent, 1, "{}", db.name);
        assert_eq!(notify.sent().len(), 1, "sent once");

        // A permanent failure (no template for the message in Notify) is not retried.
        w.clock.set(real_now());
        let w2 = World {
            hearth: w.hearth.clone().with_transports(Transports {
                email: None,
                sms: transports(&notify, &smtp, Uuid::new_v4()).sms,
            }),
            ..w
        };
        let mail = offer(&w2, &e, "email").await;
        let report = w2
            .hearth
            .dispatch_notifications()
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(report.failed, 1, "{}", db.name);
        let failed = db
            .store
            .outbox_message(mail)
            .await
            .unwrap_or_else(|err| panic!("{err}"))
            .unwrap_or_else(|| panic!("gone"));
        assert_eq!(failed.state.as_str(), "failed");
        assert!(
            failed
                .last_error
                .as_deref()
                .is_some_and(|e| e.contains("no email transport"))
        );
        let _ = text;
    }
}
