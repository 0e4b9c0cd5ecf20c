//! The signalling server for video calls: each call is a room with two places, the resident
//! (by their call session) and the engineer (by a staff session admitted for the call's
//! purpose). Hearth passes WebRTC offers, answers and ICE candidates between them over a
//! WebSocket and never sees the media, which flows peer to peer (or through the council's TURN
//! server). When a call ends for any reason (the engineer hangs up, the resident withdraws
//! consent, on this page or anywhere else) both pages are told at once and the sockets close.
//!
//! Messages are JSON text frames with a `type`. From the server: `welcome` (role, ICE servers,
//! whether the other side is there, whether the call is being recorded), `peer` (the other side
//! came or went), `start` (to the engineer: both are here, make the offer), `signal` (the other
//! side's `sdp` or `candidate`), `recording` (on or off), `ended` (with the reason), `error`.
//! From a page: `signal` only.

use axum::extract::ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use futures::{SinkExt, StreamExt};
use hearth_core::video::CallEnd;
use hearth_service::Hearth;
use hearth_service::video::CallEvent;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;
use uuid::Uuid;

/// The largest signalling message a page may send (an SDP with many candidates is ~10 KiB).
pub const MAX_SIGNAL_BYTES: usize = 64 * 1024;

/// How often a connected page's call is checked, in case it ended in another process.
const STATUS_CHECK: std::time::Duration = std::time::Duration::from_secs(5);

/// Which side of the call a socket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Resident,
    Engineer,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Self::Resident => "resident",
            Self::Engineer => "engineer",
        }
    }

    fn other(self) -> Self {
        match self {
            Self::Resident => Self::Engineer,
            Self::Engineer => Self::Resident,
        }
    }
}

struct Place {
    connection: u64,
    outbox: mpsc::UnboundedSender<String>,
}

#[derive(Default)]
struct Room {
    resident: Option<Place>,
    engineer: Option<Place>,
    recording: bool,
}

impl Room {
    fn place(&mut self, role: Role) -> &mut Option<Place> {
        match role {
            Role::Resident => &mut self.resident,
            Role::Engineer => &mut self.engineer,
        }
    }

    fn send(&mut self, role: Role, message: &Value) {
        if let Some(place) = self.place(role) {
            // A closed outbox means that page is leaving; it takes itself out.
            let _ = place.outbox.send(message.to_string());
        }
    }
}

/// The rooms of the calls in progress on this server.
#[derive(Default)]
pub struct SignalHub {
    rooms: Mutex<HashMap<Uuid, Room>>,
    connections: AtomicU64,
}

impl SignalHub {
    fn with_room<T>(&self, call: Uuid, f: impl FnOnce(&mut Room) -> T) -> T {
        let mut rooms = self
            .rooms
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let room = rooms.entry(call).or_default();
        let out = f(room);
        if room.resident.is_none() && room.engineer.is_none() {
            rooms.remove(&call);
        }
        out
    }

    /// Takes a place in a call's room (a page opened again takes over from the old one);
    /// returns the connection's number, whether the other side is there, and whether the call
    /// is being recorded.
    fn join(
        &self,
        call: Uuid,
        role: Role,
        outbox: mpsc::UnboundedSender<String>,
    ) -> (u64, bool, bool) {
        let connection = self.connections.fetch_add(1, Ordering::Relaxed);
        self.with_room(call, |room| {
            *room.place(role) = Some(Place { connection, outbox });
            let other_here = room.place(role.other()).is_some();
            if other_here {
                room.send(role.other(), &json!({"type": "peer", "present": true}));
                room.send(Role::Engineer, &json!({"type": "start"}));
            }
            (connection, other_here, room.recording)
        })
    }

    fn leave(&self, call: Uuid, role: Role, connection: u64) {
        self.with_room(call, |room| {
            if room
                .place(role)
                .as_ref()
                .is_some_and(|p| p.connection == connection)
            {
                *room.place(role) = None;
                room.send(role.other(), &json!({"type": "peer", "present": false}));
            }
        });
    }

    fn relay(&self, call: Uuid, from: Role, data: Value) {
        self.with_room(call, |room| {
            room.send(from.other(), &json!({"type": "signal", "data": data}));
        });
    }

    fn recording(&self, call: Uuid, on: bool) {
        self.with_room(call, |room| {
            room.recording = on;
            room.send(Role::Resident, &json!({"type": "recording", "on": on}));
            room.send(Role::Engineer, &json!({"type": "recording", "on": on}));
        });
    }
}

/// What a page said, if it is a signal Hearth passes on: an object holding an `sdp` (offer or
/// answer) or a `candidate`, and nothing else.
fn signal_data(text: &str) -> Result<Value, &'static str> {
    let message: Value = serde_json::from_str(text).map_err(|_| "not JSON")?;
    if message["type"] != "signal" {
        return Err("a page sends only signal messages");
    }
    let data = &message["data"];
    let Some(fields) = data.as_object() else {
        return Err("a signal carries a data object");
    };
    let sdp_ok =
        |v: &Value| matches!(v["type"].as_str(), Some("offer" | "answer")) && v["sdp"].is_string();
    let ok = fields.len() == 1
        && match (fields.get("sdp"), fields.get("candidate")) {
            (Some(sdp), None) => sdp_ok(sdp),
            (None, Some(candidate)) => candidate.is_object() || candidate.is_null(),
            _ => false,
        };
    if ok {
        Ok(data.clone())
    } else {
        Err("a signal carries one sdp or one candidate")
    }
}

/// What the pages say when a call ends.
fn end_text(reason: CallEnd) -> &'static str {
    match reason {
        CallEnd::Completed => "The engineer has ended the call.",
        CallEnd::ConsentWithdrawn => {
            "The resident withdrew their consent, so the call has ended. An engineer will visit instead."
        }
        CallEnd::Declined => "The resident said no to a video call.",
        CallEnd::Expired => "The call link expired.",
        CallEnd::Cancelled => "The call was cancelled.",
    }
}

/// Whether the upgrade request comes from a page of this server: browsers always send
/// `Origin` with a WebSocket handshake, and cookies alone must not open a call for another
/// site's page.
pub fn same_origin(headers: &axum::http::HeaderMap) -> bool {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok());
    let origin = headers
        .get(axum::http::header::ORIGIN)
        .and_then(|h| h.to_str().ok());
    match (host, origin) {
        (Some(host), Some(origin)) => origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest.trim_end_matches('/') == host),
        _ => false,
    }
}

/// Upgrades to a signalling socket in this call's room.
pub fn upgrade(
    upgrade: WebSocketUpgrade,
    hearth: Hearth,
    hub: Arc<SignalHub>,
    call: Uuid,
    role: Role,
) -> axum::response::Response {
    upgrade
        .max_message_size(MAX_SIGNAL_BYTES)
        .max_frame_size(MAX_SIGNAL_BYTES)
        .on_upgrade(move |socket| run(socket, hearth, hub, call, role))
}

async fn run(socket: WebSocket, hearth: Hearth, hub: Arc<SignalHub>, call: Uuid, role: Role) {
    let (mut sink, mut stream) = socket.split();
    let (outbox, mut inbox) = mpsc::unbounded_channel::<String>();
    let mut events = hearth.call_events();
    let (connection, other_here, recording) = hub.join(call, role, outbox);
    tracing::info!(call = %call, role = role.as_str(), "joined the call's signalling");
    if other_here {
        // Both sides are here: the call is live (a no-op if it was already).
        if let Err(e) = hearth.mark_call_live(call).await {
            tracing::warn!(call = %call, error = %e, "the call could not be marked live");
        }
    }
    let welcome = json!({
        "type": "welcome",
        "role": role.as_str(),
        "ice_servers": hearth.ice_servers(call),
        "peer_present": other_here,
        "recording": recording,
    });
    let mut ended: Option<CallEnd> = None;
    if sink
        .send(Message::Text(Utf8Bytes::from(welcome.to_string())))
        .await
        .is_ok()
    {
        let mut check = tokio::time::interval(STATUS_CHECK);
        loop {
            tokio::select! {
                incoming = stream.next() => match incoming {
                    Some(Ok(Message::Text(text))) => match signal_data(text.as_str()) {
                        Ok(data) => hub.relay(call, role, data),
                        Err(why) => {
                            let error = json!({"type": "error", "message": why});
                            if sink.send(Message::Text(Utf8Bytes::from(error.to_string()))).await.is_err() {
                                break;
                            }
                        }
                    },
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => {}
                },
                outgoing = inbox.recv() => match outgoing {
                    Some(text) => {
                        if sink.send(Message::Text(Utf8Bytes::from(text))).await.is_err() {
                            break;
                        }
                    }
                    // Another page of the same side took over.
                    None => break,
                },
                event = events.recv() => match event {
                    Ok(CallEvent::Ended(id)) if id == call => {
                        ended = hearth.call_ended(call).await.ok().flatten().or(Some(CallEnd::Completed));
                        break;
                    }
                    Ok(CallEvent::RecordingStarted(id)) if id == call => hub.recording(call, true),
                    Ok(CallEvent::RecordingStopped(id)) if id == call => hub.recording(call, false),
                    Ok(_) => {}
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        check.reset_immediately();
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                },
                _ = check.tick() => match hearth.call_ended(call).await {
                    Ok(Some(reason)) => {
                        ended = Some(reason);
                        break;
                    }
                    Ok(None) => {}
                    Err(e) => {
                        tracing::warn!(call = %call, error = %e, "the call's state could not be read");
                    }
                },
            }
        }
    }
    if let Some(reason) = ended {
        let message =
            json!({"type": "ended", "reason": reason.as_str(), "message": end_text(reason)});
        let _ = sink
            .send(Message::Text(Utf8Bytes::from(message.to_string())))
            .await;
    }
    let _ = sink.close().await;
    hub.leave(call, role, connection);
    tracing::info!(call = %call, role = role.as_str(), "left the call's signalling");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_offers_answers_and_candidates_are_passed_on() {
        let offer = r#"{"type":"signal","data":{"sdp":{"type":"offer","sdp":"v=0"}}}"#;
        assert!(signal_data(offer).is_ok());
        let candidate = r#"{"type":"signal","data":{"candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host","sdpMid":"0"}}}"#;
        assert!(signal_data(candidate).is_ok());
        for bad in [
            "not json",
            r#"{"type":"ended"}"#,
            r#"{"type":"signal","data":"x"}"#,
            r#"{"type":"signal","data":{"sdp":{"type":"offer","sdp":"v=0"},"candidate":{}}}"#,
            r#"{"type":"signal","data":{"sdp":{"type":"rollback","sdp":"v=0"}}}"#,
            r#"{"type":"signal","data":{"script":"alert(1)"}}"#,
        ] {
            assert!(signal_data(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sockets_must_come_from_this_servers_pages() {
        let headers = |host: &str, origin: Option<&str>| {
            let mut h = axum::http::HeaderMap::new();
            h.insert(
                axum::http::header::HOST,
                host.parse().unwrap_or_else(|e| panic!("{e}")),
            );
            if let Some(origin) = origin {
                h.insert(
                    axum::http::header::ORIGIN,
                    origin.parse().unwrap_or_else(|e| panic!("{e}")),
                );
            }
            h
        };
        assert!(same_origin(&headers(
            "repairs.example.gov.uk",
            Some("https://repairs.example.gov.uk")
        )));
        assert!(same_origin(&headers(
            "localhost:8080",
            Some("http://localhost:8080")
        )));
        assert!(!same_origin(&headers(
            "repairs.example.gov.uk",
            Some("https://evil.example")
        )));
        assert!(!same_origin(&headers("repairs.example.gov.uk", None)));
    }

    #[test]
    fn a_page_opened_again_takes_the_place_and_the_engineer_is_told_to_start() {
        let hub = SignalHub::default();
        let call = Uuid::now_v7();
        let (engineer_tx, mut engineer_rx) = mpsc::unbounded_channel();
        let (first, here, _) = hub.join(call, Role::Engineer, engineer_tx);
        assert!(!here);
        let (resident_tx, mut resident_rx) = mpsc::unbounded_channel();
        let (resident, here, _) = hub.join(call, Role::Resident, resident_tx);
        assert!(here);
        // Compared as JSON: key order depends on serde_json's features.
        let next = |rx: &mut mpsc::UnboundedReceiver<String>| {
            rx.try_recv()
                .ok()
                .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        };
        assert_eq!(
            next(&mut engineer_rx),
            Some(json!({"type": "peer", "present": true}))
        );
        assert_eq!(next(&mut engineer_rx), Some(json!({"type": "start"})));
        hub.relay(call, Role::Engineer, json!({"candidate": null}));
        assert_eq!(
            next(&mut resident_rx),
            Some(json!({"type": "signal", "data": {"candidate": null}}))
        );
        // The engineer reloads: the new page takes the place; the old one's leaving is ignored.
        let (again_tx, _again_rx) = mpsc::unbounded_channel();
        let (second, _, _) = hub.join(call, Role::Engineer, again_tx);
        assert_eq!(
            next(&mut resident_rx),
            Some(json!({"type": "peer", "present": true})),
            "the resident's page is told to expect a new offer"
        );
        hub.leave(call, Role::Engineer, first);
        assert!(
            resident_rx.try_recv().is_err(),
            "the resident is not told the engineer left"
        );
        hub.leave(call, Role::Engineer, second);
        assert_eq!(
            next(&mut resident_rx),
            Some(json!({"type": "peer", "present": false}))
        );
        hub.leave(call, Role::Resident, resident);
        assert!(hub.rooms.lock().map(|r| r.is_empty()).unwrap_or(false));
    }
}
