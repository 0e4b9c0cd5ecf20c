//! The transports against real protocol peers: a local server implementing Notify's endpoints
//! (which checks every JWT independently), and a local SMTP server. Each test asserts on what
//! the peer received, so a client that signed, addressed or rendered wrongly would fail.

use hearth_core::video::{DeliveryState, InviteChannel, OutboxMessage};
use hearth_notify::{
    DeliveryStatus, NotifyClient, NotifyConfig, SmtpConfig, SmtpSecurity, SmtpTransport, Template,
    Transport,
};
use hearth_testkit::{NotifyServer, SmtpServer};
use std::collections::BTreeMap;
use uuid::Uuid;

#[allow(clippy::disallowed_methods)] // The Notify server checks tokens against the real clock.
fn now() -> jiff::Timestamp {
    jiff::Timestamp::now()
}

fn message(channel: InviteChannel, recipient: &str) -> OutboxMessage {
    let mut personalisation = BTreeMap::new();
    personalisation.insert("name".to_string(), "Amara".to_string());
    personalisation.insert(
        "link".to_string(),
        "https://repairs.example.gov.uk/call/s3cret".to_string(),
    );
    personalisation.insert("repair_reference".to_string(), "RP-7KQ2M9XD".to_string());
    personalisation.insert(
        "expires".to_string(),
        "10:00 on 24 November 2026".to_string(),
    );
    OutboxMessage {
        id: Uuid::now_v7(),
        person_id: Uuid::now_v7(),
        channel,
        template: "video_call_link".into(),
        recipient: recipient.into(),
        personalisation,
        state: DeliveryState::Queued,
        attempts: 0,
        next_attempt_at: now(),
        provider_ref: None,
        last_error: None,
        created_at: now(),
        updated_at: now(),
    }
}

fn notify(server: &NotifyServer, key: &str) -> (NotifyClient, Uuid, Uuid) {
    let (email_template, sms_template) = (Uuid::new_v4(), Uuid::new_v4());
    let config = NotifyConfig {
        api_key: key.parse().unwrap_or_else(|e| panic!("{e}")),
        base_url: server.base_url.clone(),
        email_templates: [("video_call_link".to_string(), email_template)].into(),
        sms_templates: [("video_call_link".to_string(), sms_template)].into(),
    };
    (
        NotifyClient::new(config).unwrap_or_else(|e| panic!("{e}")),
        email_template,
        sms_template,
    )
}

#[tokio::test]
async fn notify_gets_the_template_personalisation_and_a_reference_without_personal_data() {
    let server = NotifyServer::start().await;
    let (client, email_template, sms_template) = notify(&server, &server.api_key());
    let text = message(InviteChannel::Sms, "07700900123");
    let sent = client
        .send(&text, now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mail = message(InviteChannel::Email, "amara@example.org");
    client
        .send(&mail, now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let received = server.sent();
    assert_eq!(received.len(), 2);
    assert_eq!(
        (received[0].kind.as_str(), received[0].recipient.as_str()),
        ("sms", "07700900123")
    );
    assert_eq!(received[0].template_id, sms_template.to_string());
    assert_eq!(
        received[0].personalisation["link"],
        "https://repairs.example.gov.uk/call/s3cret"
    );
    assert_eq!(
        received[0].reference.as_deref(),
        Some(text.id.to_string().as_str())
    );
    assert_eq!(
        (received[1].kind.as_str(), received[1].template_id.clone()),
        ("email", email_template.to_string())
    );
    assert_eq!(sent.provider_ref.as_deref(), Some(received[0].id.as_str()));

    // Delivery status, as Notify reports it.
    let status = client
        .status(&received[0].id, now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status, Some(DeliveryStatus::Delivered));
    server.report_status("permanent-failure");
    let status = client
        .status(&received[0].id, now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status, Some(DeliveryStatus::PermanentFailure));
}

#[tokio::test]
async fn notify_failures_say_whether_to_retry_and_never_name_the_recipient() {
    let server = NotifyServer::start().await;
    let (wrong, _, _) = notify(&server, &server.wrong_key());
    let refused = wrong
        .send(&message(InviteChannel::Sms, "07700900123"), now())
        .await
        .unwrap_err();
    assert!(!refused.retryable, "a bad key will not get better");
    assert!(
        refused.message.contains("403") && refused.message.contains("signature"),
        "{}",
        refused.message
    );
    // A token from a clock an hour out is refused like Notify refuses it.
    let (client, _, _) = notify(&server, &server.api_key());
    let skewed = client
        .send(
            &message(InviteChannel::Sms, "07700900123"),
            now() - jiff::SignedDuration::from_hours(1),
        )
        .await
        .unwrap_err();
    assert!(skewed.message.contains("30 seconds"), "{}", skewed.message);

    server.fail_next(&[500, 429]);
    for _ in 0..2 {
        let busy = client
            .send(&message(InviteChannel::Sms, "07700900123"), now())
            .await
            .unwrap_err();
        assert!(busy.retryable, "{}", busy.message);
        assert!(!busy.message.contains("07700900123"));
    }
    let invalid = client
        .send(&message(InviteChannel::Sms, ""), now())
        .await
        .unwrap_err();
    assert!(
        !invalid.retryable && invalid.message.contains("ValidationError"),
        "{}",
        invalid.message
    );
    let mut unknown = message(InviteChannel::Email, "amara@example.org");
    unknown.template = "no_such_template".into();
    assert!(!client.send(&unknown, now()).await.unwrap_err().retryable);
    assert_eq!(server.sent().len(), 0, "nothing was accepted");

    let gone = NotifyClient::new(NotifyConfig {
        api_key: server.api_key().parse().unwrap_or_else(|e| panic!("{e}")),
        base_url: "http://127.0.0.1:9".into(),
        email_templates: BTreeMap::new(),
        sms_templates: [("video_call_link".to_string(), Uuid::new_v4())].into(),
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        gone.send(&message(InviteChannel::Sms, "07700900123"), now())
            .await
            .unwrap_err()
            .retryable
    );
}

fn smtp(port: u16, templates: BTreeMap<String, Template>) -> SmtpTransport {
    SmtpTransport::new(SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::None,
        username: None,
        password: None,
        from: "Kirklees Repairs <repairs@kirklees.example.gov.uk>".into(),
        templates,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn smtp_delivers_the_rendered_email_to_a_real_server() {
    let server = SmtpServer::start();
    let transport = smtp(server.port, BTreeMap::new());
    let mail = message(InviteChannel::Email, "amara@example.org");
    let sent = transport
        .send(&mail, now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sent.provider_ref, None);
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].to, ["amara@example.org"]);
    assert_eq!(received[0].from, "repairs@kirklees.example.gov.uk");
    let data = &received[0].data;
    assert!(
        data.contains("Subject: Your video call about repair RP-7KQ2M9XD"),
        "{data}"
    );
    assert!(data.contains("https://repairs.example.gov.uk/call/s3cret"));
    assert!(data.contains(&format!("<{}@hearth>", mail.id)));

    // A council's own wording replaces Hearth's; a field it names must be there.
    let custom = [(
        "video_call_link".to_string(),
        Template {
            subject: Some("Video call ((repair_reference))".into()),
            body: "Hello ((name)): ((link)) ((room))".into(),
        },
    )]
    .into();
    let strict = smtp(server.port, custom);
    let refused = strict.send(&mail, now()).await.unwrap_err();
    assert!(
        !refused.retryable && refused.message.contains("room"),
        "{}",
        refused.message
    );
    assert_eq!(server.received().len(), 1, "nothing sent");
}

#[tokio::test]
async fn smtp_refuses_texts_and_retries_an_unreachable_relay() {
    let server = SmtpServer::start();
    let transport = smtp(server.port, BTreeMap::new());
    let text = transport
        .send(&message(InviteChannel::Sms, "07700900123"), now())
        .await
        .unwrap_err();
    assert!(!text.retryable && text.message.contains("Notify"));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let closed = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("{e}"))
        .port();
    drop(listener);
    let down = smtp(closed, BTreeMap::new());
    let failed = down
        .send(&message(InviteChannel::Email, "amara@example.org"), now())
        .await
        .unwrap_err();
    assert!(failed.retryable, "{}", failed.message);
    assert!(!failed.message.contains("amara"));
    assert!(
        SmtpTransport::new(SmtpConfig {
            host: "127.0.0.1".into(),
            port: 25,
            security: SmtpSecurity::None,
            username: Some("u".into()),
            password: None,
            from: "not an address".into(),
            templates: BTreeMap::new(),
        })
        .is_err()
    );
}
