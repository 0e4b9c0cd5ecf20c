//! The world the rights tests share: a Hearth on a test database with a data protection
//! officer, an information governance officer, local media storage, and helpers that add
//! people, records, consents, requests and holds. Each test binary uses part of it.
#![allow(dead_code)]

use hearth_core::access::ConsentRecord;
use hearth_core::clock::ManualClock;
use hearth_core::records::{
    AddressInput, Equality, FiledRecordInput, HouseholdInput, MembershipInput, PersonInput,
    PropertyInput, TenancyInput,
};
use hearth_core::retention::{HoldScope, NewHold};
use hearth_core::rights::{Channel, NewRightsRequest, RequestKind, Requester};
use hearth_service::access::{ConsentInput, StaffInput};
use hearth_service::retention::MediaStore;
use hearth_service::{Caller, Hearth};
use hearth_testkit::TestDb;
use jiff::civil::{Date, date};
use std::sync::Arc;
use uuid::Uuid;

pub struct World {
    pub hearth: Hearth,
    pub dpo: Caller,
    /// Information governance: prepares and carries out, cannot approve.
    pub igo: Caller,
    pub media: MediaStore,
    pub clock: Arc<ManualClock>,
    pub _dir: tempfile::TempDir,
}

pub fn at(day: Date) -> jiff::Timestamp {
    day.at(10, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A staff account with one role, acting with no purpose declared yet.
pub async fn staff_account(hearth: &Hearth, username: &str, role: &str) -> Caller {
    let account = hearth
        .create_staff(
            &Caller::operator("tester"),
            &StaffInput {
                username: username.into(),
                display_name: username.into(),
                password: format!("{username} correct horse battery"),
                roles: vec![role.into()],
                teams: vec![],
            },
        )
        .await
        .unwrap_or_else(|e| panic!("staff {username}: {e}"));
    Caller::staff(&account)
}

/// A staff account with one role, working rights requests.
pub async fn staff(hearth: &Hearth, username: &str, role: &str) -> Caller {
    staff_account(hearth, username, role)
        .await
        .for_purpose("information_rights")
}

pub async fn world(db: &TestDb) -> World {
    let register = hearth_core::register::default_register().unwrap_or_else(|p| panic!("{p:?}"));
    let clock = Arc::new(ManualClock::new(at(date(2026, 11, 20))));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let media = MediaStore::local(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let hearth = Hearth::new(db.store.clone(), Arc::new(register), clock.clone())
        .unwrap_or_else(|e| panic!("{e}"))
        .with_media(media.clone())
        .with_signing_key(hearth_core::audit::CheckpointKey::from_seed([7; 32]));
    let dpo = staff(&hearth, "the.dpo", "data_protection_officer").await;
    let igo = staff(&hearth, "the.igo", "information_governance_officer").await;
    World {
        hearth,
        dpo,
        igo,
        media,
        clock,
        _dir: dir,
    }
}

impl World {
    pub async fn person(&self, given: &str, equality: Equality) -> Uuid {
        let input = PersonInput {
            given_name: given.into(),
            family_name: "Okafor".into(),
            equality,
            ..Default::default()
        };
        self.hearth
            .create_person(&self.dpo, &input)
            .await
            .unwrap_or_else(|e| panic!("{given}: {e}"))
            .id()
    }

    pub async fn file(&self, record_type: &str, person: Uuid, close: bool) -> Uuid {
        let record = self
            .hearth
            .file_record(
                &self.dpo,
                &FiledRecordInput {
                    record_type: record_type.into(),
                    person_id: Some(person),
                    title: format!("a {record_type}"),
                    details: Some("details".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap_or_else(|e| panic!("filing {record_type}: {e}"));
        if close {
            self.hearth
                .touch_filed_record(&self.dpo, record.id, true, record.version)
                .await
                .unwrap_or_else(|e| panic!("closing: {e}"));
        }
        record.id
    }

    pub async fn consent(&self, person: Uuid) -> ConsentRecord {
        self.hearth
            .record_consent(
                &self.dpo,
                person,
                &ConsentInput {
                    purpose: "repairs_video_triage".into(),
                    granted: true,
                    special_category: false,
                    wording: "May we record the video call?".into(),
                    wording_version: "v1".into(),
                    channel: Some(hearth_core::rights::Channel::Phone),
                    given_by: Some(hearth_core::access::ConsentGiver::ThePerson),
                    given_at: Some("2020-01-01T09:00:00Z".parse().expect("a time")),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("consent: {e}"))
            .consent
    }

    /// The data protection officer approves the plan as proposed, unchanged.
    pub async fn approve_as_proposed(&self, request: Uuid, version: i64) {
        self.hearth
            .approve_erasure(
                &self.dpo,
                request,
                &hearth_service::rights::ErasureApproval {
                    version,
                    overrides: vec![],
                },
            )
            .await
            .unwrap_or_else(|e| panic!("approval: {e}"));
    }

    /// Prepares an erasure request's plan and approves it as proposed.
    pub async fn prepare_and_approve(&self, request: Uuid) {
        let plan = self
            .hearth
            .prepare_erasure(&self.igo, request)
            .await
            .unwrap_or_else(|e| panic!("plan: {e}"));
        self.approve_as_proposed(request, plan.version).await;
    }

    pub async fn erasure_request(&self, person: Uuid) -> Uuid {
        self.request(person, RequestKind::Erasure, false).await
    }

    /// Logs a request of this kind, received on 18 November, by email from the person.
    pub async fn request(&self, person: Uuid, kind: RequestKind, identity_needed: bool) -> Uuid {
        self.hearth
            .log_rights_request(
                &self.igo,
                &NewRightsRequest {
                    person_id: person,
                    kind,
                    channel: Channel::Email,
                    received_on: date(2026, 11, 18),
                    requester: Requester::Subject,
                    summary: format!("My {kind} request"),
                    identity_needed,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("logging: {e}"))
            .request
            .id
    }

    pub async fn hold_on(&self, scope: HoldScope) {
        let owner = self
            .hearth
            .list_staff(&Caller::operator("tester"))
            .await
            .unwrap_or_else(|e| panic!("{e}"))[0]
            .id;
        self.hearth
            .place_hold(
                &self.dpo,
                &NewHold {
                    scope,
                    reason: "Disrepair claim ref LC/2026/114 needs the evidence".into(),
                    requester: "Legal services".into(),
                    owner,
                    review_on: date(2027, 2, 1),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("hold: {e}"));
    }
}

/// The archive's files by name.
pub fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap_or_else(|e| panic!("zip: {e}"));
    let mut files = std::collections::BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap_or_else(|e| panic!("{e}"));
        let name = file
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|e| panic!("{e}"));
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut content).unwrap_or_else(|e| panic!("{e}"));
        files.insert(name, content);
    }
    files
}

/// A tenant of a home, and the planner and operative who work on it.
pub struct Estate {
    pub tenant: Uuid,
    pub home: Uuid,
    pub household: Uuid,
    pub planner: Caller,
    pub operative: Caller,
    pub operative_id: Uuid,
}

pub async fn estate(w: &World) -> Estate {
    let dpo = &w.dpo;
    let tenant = w
        .hearth
        .create_person(
            dpo,
            &PersonInput {
                given_name: "Amara".into(),
                family_name: "Okafor".into(),
                phones: vec![hearth_core::records::ContactPoint {
                    value: "07700 900123".into(),
                    label: Some("mobile".into()),
                    source: None,
                }],
                emails: vec![hearth_core::records::ContactPoint {
                    value: "amara@example.org".into(),
                    label: None,
                    source: None,
                }],
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("tenant: {e}"))
        .id();
    let home = w
        .hearth
        .create_property(
            dpo,
            &PropertyInput {
                uprn: "83012345".into(),
                address: AddressInput {
                    line1: "12 Fenton Road".into(),
                    town: Some("Huddersfield".into()),
                    postcode: "HD1 3AB".into(),
                    ..Default::default()
                },
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("property: {e}"))
        .id();
    let household = w
        .hearth
        .create_household(dpo, &HouseholdInput::default())
        .await
        .unwrap_or_else(|e| panic!("household: {e}"))
        .id();
    w.hearth
        .add_member(
            dpo,
            household,
            &MembershipInput {
                person_id: tenant,
                relationship: "lead_tenant".into(),
                start_date: "2020-01-06".into(),
                end_date: None,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("member: {e}"));
    w.hearth
        .create_tenancy(
            dpo,
            &TenancyInput {
                household_id: household,
                property_id: home,
                tenancy_type: "secure".into(),
                start_date: "2020-01-06".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("tenancy: {e}"));
    let planner = staff_account(&w.hearth, "ravi", "repairs_planner")
        .await
        .for_purpose("repairs_and_maintenance");
    let operative = staff_account(&w.hearth, "olu", "repairs_operative")
        .await
        .for_purpose("repairs_and_maintenance");
    let operative_id = match operative.actor() {
        hearth_core::actor::Actor::Staff(id) => id.parse().unwrap_or_else(|e| panic!("{e}")),
        other => panic!("{other:?}"),
    };
    Estate {
        tenant,
        home,
        household,
        planner,
        operative,
        operative_id,
    }
}

// ------------------------------------------------------------------ video calls

use hearth_core::repairs::RepairInput;
use hearth_core::video::VideoCall;
use hearth_service::video::{CallAnswer, VideoOfferInput};

pub const BASE: &str = "https://repairs.example.gov.uk";

pub async fn repair(w: &World, e: &Estate, priority: &str) -> Uuid {
    w.hearth
        .report_repair(
            &e.planner,
            &RepairInput {
                person_id: Some(e.tenant),
                property_id: Some(e.home),
                category: "heating".into(),
                priority: Some(priority.into()),
                reported_via: Some("phone".into()),
                description: "Boiler shows fault F28".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|err| panic!("report: {err}"))
        .repair
        .id
}

pub fn offer(channel: &str) -> VideoOfferInput {
    VideoOfferInput {
        purpose: "repairs_video_triage".into(),
        channel: channel.into(),
    }
}

/// Offers a call and returns it with the link's secret, read from the queued message.
pub async fn offered(
    db: &hearth_testkit::TestDb,
    w: &World,
    e: &Estate,
    repair: Uuid,
    channel: &str,
) -> (VideoCall, String) {
    offered_for(db, w, e, repair, channel, "repairs_video_triage").await
}

/// As [`offered`], for a call with this purpose.
pub async fn offered_for(
    db: &hearth_testkit::TestDb,
    w: &World,
    e: &Estate,
    repair: Uuid,
    channel: &str,
    purpose: &str,
) -> (VideoCall, String) {
    let input = VideoOfferInput {
        purpose: purpose.into(),
        channel: channel.into(),
    };
    let call = w
        .hearth
        .offer_video_call(&e.planner, repair, &input)
        .await
        .unwrap_or_else(|err| panic!("{}: offer: {err}", db.name));
    let message = db
        .store
        .outbox_message(call.notification_id.unwrap_or_else(|| panic!("no message")))
        .await
        .unwrap_or_else(|err| panic!("{err}"))
        .unwrap_or_else(|| panic!("message not queued"));
    let link = message.personalisation["link"].clone();
    assert!(link.starts_with(&format!("{BASE}/call/")), "{link}");
    let secret = link.rsplit('/').next().unwrap_or_default().to_string();
    (call, secret)
}

pub const YES: CallAnswer = CallAnswer {
    call: true,
    special_category: true,
};

/// A call for this purpose that the resident agreed to and that is live; with its session.
pub async fn live_call(
    db: &hearth_testkit::TestDb,
    w: &World,
    e: &Estate,
    purpose: &str,
) -> (VideoCall, String) {
    let id = repair(w, e, "urgent").await;
    let (call, secret) = offered_for(db, w, e, id, "email", purpose).await;
    let (_, session) = w
        .hearth
        .answer_video_invite(&secret, Some(YES))
        .await
        .unwrap_or_else(|err| panic!("{}: answer: {err}", db.name));
    let live = w
        .hearth
        .mark_call_live(call.id)
        .await
        .unwrap_or_else(|err| panic!("{}: live: {err}", db.name));
    (live, session.unwrap_or_else(|| panic!("no session")))
}
