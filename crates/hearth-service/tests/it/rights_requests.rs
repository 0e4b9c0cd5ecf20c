//! The requests register on every backend: a request logged the day it arrives is due on the
//! statutory date, shows as due soon and then overdue as days pass; identity and authority hold
//! the clock, clarification stops it, an extension makes it three months; residents make their
//! own requests online; every step is checked and audited.

use hearth_core::clock::ManualClock;
use hearth_core::records::PersonInput;
use hearth_core::rights::{
    BankHolidays, Channel, ClockState, Closure, Division, Extension, NewRightsRequest, Outcome,
    Prerequisite, RequestKind, RequestStatus, Requester,
};
use hearth_service::access::StaffInput;
use hearth_service::rights::{RequestChange, RequestView, RequestsView};
use hearth_service::{Caller, Hearth, ServiceError};
use hearth_testkit::{TestDb, all_backends};
use jiff::civil::{Date, date};
use std::sync::Arc;
use uuid::Uuid;

/// 09:00 UK time on a day.
fn at(day: Date) -> jiff::Timestamp {
    day.at(9, 0, 0, 0)
        .in_tz("Europe/London")
        .unwrap_or_else(|e| panic!("{e}"))
        .timestamp()
}

fn app(db: &TestDb, clock: Arc<ManualClock>) -> Hearth {
    let register = hearth_core::register::default_register().unwrap_or_else(|p| panic!("{p:?}"));
    Hearth::new(db.store.clone(), Arc::new(register), clock)
        .unwrap_or_else(|e| panic!("shipped policy fits the shipped register: {e}"))
}

fn operator() -> Caller {
    Caller::operator("tester")
}

async fn staff(hearth: &Hearth, username: &str, role: &str) -> Caller {
    let account = hearth
        .create_staff(
            &operator(),
            &StaffInput {
                username: username.into(),
                display_name: username.into(),
                password: format!("{username} correct horse battery"),
                roles: vec![role.into()],
                teams: vec!["north".into()],
            },
        )
        .await
        .unwrap_or_else(|e| panic!("staff {username}: {e}"));
    Caller::staff(&account).for_purpose("information_rights")
}

/// A person, created by the data protection officer (who may, for information rights).
async fn person(hearth: &Hearth, dpo: &Caller, given: &str) -> Uuid {
    let input = PersonInput {
        given_name: given.into(),
        family_name: "Okafor".into(),
        ..Default::default()
    };
    hearth
        .create_person(dpo, &input)
        .await
        .unwrap_or_else(|e| panic!("fixture person: {e}"))
        .id()
}

fn access_request(person_id: Uuid, received_on: Date) -> NewRightsRequest {
    NewRightsRequest {
        person_id,
        kind: RequestKind::Access,
        channel: Channel::Email,
        received_on,
        requester: Requester::Subject,
        summary: "Please send me everything you hold about my repairs and calls".into(),
        identity_needed: false,
    }
}

async fn step(hearth: &Hearth, who: &Caller, id: Uuid, change: RequestChange) -> RequestView {
    hearth
        .change_rights_request(who, id, &change)
        .await
        .unwrap_or_else(|e| panic!("{change:?}: {e}"))
}

async fn listed(hearth: &Hearth, who: &Caller, view: RequestsView) -> Vec<Uuid> {
    hearth
        .rights_requests(who, view, None, 100)
        .await
        .unwrap_or_else(|e| panic!("{view:?}: {e}"))
        .into_iter()
        .map(|v| v.request.id)
        .collect()
}

#[tokio::test]
async fn a_request_is_due_on_the_statutory_date_then_due_soon_then_overdue() {
    for db in all_backends().await {
        let clock = Arc::new(ManualClock::new(at(date(2026, 9, 3))));
        let hearth = app(&db, clock.clone());
        let ig = staff(&hearth, "ig.officer", "information_governance_officer").await;
        let dpo = staff(&hearth, "the.dpo", "data_protection_officer").await;
        let who = person(&hearth, &dpo, "Ada").await;
        let logged = hearth
            .log_rights_request(&ig, &access_request(who, date(2026, 9, 3)))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let id = logged.request.id;
        // 3 October 2026 is a Saturday: due on Monday 5 October.
        assert_eq!(
            logged.clock.due_on(),
            Some(date(2026, 10, 5)),
            "{}",
            db.name
        );
        assert_eq!(logged.days_left, Some(32));
        assert!(listed(&hearth, &ig, RequestsView::Open).await.contains(&id));
        assert!(
            !listed(&hearth, &ig, RequestsView::DueWithin(7))
                .await
                .contains(&id)
        );

        clock.set(at(date(2026, 9, 30)));
        assert!(
            listed(&hearth, &ig, RequestsView::DueWithin(7))
                .await
                .contains(&id)
        );
        assert!(
            !listed(&hearth, &ig, RequestsView::Overdue)
                .await
                .contains(&id)
        );

        clock.set(at(date(2026, 10, 6)));
        let overdue = hearth
            .rights_request(&ig, id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(overdue.overdue);
        assert_eq!(overdue.days_left, Some(-1));
        assert!(
            listed(&hearth, &ig, RequestsView::Overdue)
                .await
                .contains(&id)
        );

        let closed = step(
            &hearth,
            &ig,
            id,
            RequestChange::Closed(Closure {
                outcome: Outcome::Fulfilled,
                reason: None,
                response_letter: Some("Dear Ada, your records are enclosed.".into()),
                closed_on: date(2026, 10, 6),
            }),
        )
        .await;
        assert_eq!(closed.request.status, RequestStatus::Completed);
        assert!(!closed.overdue && closed.days_left.is_none());
        assert!(
            !listed(&hearth, &ig, RequestsView::Overdue)
                .await
                .contains(&id)
        );
        assert!(listed(&hearth, &ig, RequestsView::All).await.contains(&id));
        let again = hearth
            .change_rights_request(
                &ig,
                id,
                &RequestChange::IdentityVerified {
                    on: date(2026, 10, 6),
                },
            )
            .await;
        assert!(matches!(again, Err(ServiceError::Conflict(_))), "{again:?}");
        let read = hearth
            .rights_request(&ig, id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            read.request.response_letter.as_deref(),
            Some("Dear Ada, your records are enclosed.")
        );
        let audited = db
            .store
            .latest_audit_of("rights.request_closed")
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("closing is audited"));
        assert_eq!(audited.event.person_ids, vec![who]);
        assert_eq!(audited.event.reason.as_deref(), Some("fulfilled"));
    }
}

#[tokio::test]
async fn identity_and_authority_hold_the_clock_clarification_stops_it_extension_stretches_it() {
    for db in all_backends().await {
        let clock = Arc::new(ManualClock::new(at(date(2026, 9, 3))));
        let hearth = app(&db, clock.clone());
        let dpo = staff(&hearth, "the.dpo", "data_protection_officer").await;
        let who = person(&hearth, &dpo, "Bea").await;
        let mut input = access_request(who, date(2026, 9, 3));
        input.identity_needed = true;
        input.channel = Channel::Letter;
        input.requester = Requester::Representative {
            name: "Hollis & Co Solicitors".into(),
            relationship: "solicitor".into(),
            contact: "15 Market Street, Huddersfield".into(),
        };
        let logged = hearth
            .log_rights_request(&dpo, &input)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let id = logged.request.id;
        assert_eq!(logged.clock, ClockState::NotStarted, "{}", db.name);
        assert!(
            listed(&hearth, &dpo, RequestsView::Waiting)
                .await
                .contains(&id)
        );

        clock.set(at(date(2026, 9, 10)));
        let v = step(
            &hearth,
            &dpo,
            id,
            RequestChange::AuthorityReceived {
                on: date(2026, 9, 5),
            },
        )
        .await;
        assert_eq!(v.clock, ClockState::NotStarted, "identity is still awaited");
        let v = step(
            &hearth,
            &dpo,
            id,
            RequestChange::IdentityVerified {
                on: date(2026, 9, 8),
            },
        )
        .await;
        assert_eq!(v.request.identity, Prerequisite::Arrived(date(2026, 9, 8)));
        assert_eq!(v.clock.due_on(), Some(date(2026, 10, 8)));

        let v = step(
            &hearth,
            &dpo,
            id,
            RequestChange::ClarificationAsked {
                on: date(2026, 9, 10),
                question: "Which years of repair records do you need?".into(),
            },
        )
        .await;
        assert!(matches!(v.clock, ClockState::Stopped { since, .. } if since == date(2026, 9, 10)));
        assert!(
            listed(&hearth, &dpo, RequestsView::Waiting)
                .await
                .contains(&id)
        );
        let second = hearth
            .change_rights_request(
                &dpo,
                id,
                &RequestChange::ClarificationAsked {
                    on: date(2026, 9, 10),
                    question: "And which estates do you mean?".into(),
                },
            )
            .await;
        assert!(
            matches!(second, Err(ServiceError::Conflict(_))),
            "{second:?}"
        );

        clock.set(at(date(2026, 9, 16)));
        let v = step(
            &hearth,
            &dpo,
            id,
            RequestChange::ClarificationAnswered {
                on: date(2026, 9, 16),
                answer: "2024 to now".into(),
            },
        )
        .await;
        // Seven days stopped (10th to 16th): 8 October becomes 15 October.
        assert_eq!(v.clock.due_on(), Some(date(2026, 10, 15)));

        let v = step(
            &hearth,
            &dpo,
            id,
            RequestChange::Extended(Extension {
                reason: "Records across six services, several thousand pages".into(),
                told_on: date(2026, 9, 16),
            }),
        )
        .await;
        // Three months from the start (8 December) plus the seven days: 15 December.
        assert_eq!(v.clock.due_on(), Some(date(2026, 12, 15)));
        let twice = hearth
            .change_rights_request(
                &dpo,
                id,
                &RequestChange::Extended(Extension {
                    reason: "Still more records turned up".into(),
                    told_on: date(2026, 9, 16),
                }),
            )
            .await;
        assert!(matches!(twice, Err(ServiceError::Conflict(_))), "{twice:?}");

        let read = hearth
            .rights_request(&dpo, id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.request.requester, Some(input.requester.clone()));
        assert_eq!(read.request.clarifications.len(), 1);
        assert_eq!(
            read.request.clarifications[0].answer.as_deref(),
            Some("2024 to now")
        );
        assert_eq!(read.request.due_on, Some(date(2026, 12, 15)));
    }
}

#[tokio::test]
async fn an_extension_must_be_told_within_the_first_month() {
    for db in all_backends().await {
        let clock = Arc::new(ManualClock::new(at(date(2026, 9, 3))));
        let hearth = app(&db, clock.clone());
        let dpo = staff(&hearth, "the.dpo", "data_protection_officer").await;
        let who = person(&hearth, &dpo, "Cal").await;
        let id = hearth
            .log_rights_request(&dpo, &access_request(who, date(2026, 9, 3)))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .request
            .id;
        clock.set(at(date(2026, 10, 7)));
        let late = hearth
            .change_rights_request(
                &dpo,
                id,
                &RequestChange::Extended(Extension {
                    reason: "Records across six services".into(),
                    told_on: date(2026, 10, 6),
                }),
            )
            .await;
        let Err(ServiceError::Invalid(errors)) = late else {
            panic!("{}: a late extension should be refused: {late:?}", db.name);
        };
        assert!(errors.to_string().contains("2026-10-05"), "{errors}");
        let unchanged = hearth
            .rights_request(&dpo, id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(unchanged.request.extension.is_none());
        assert_eq!(unchanged.request.version, 1);
    }
}

#[tokio::test]
async fn residents_make_their_own_requests_online_and_staff_roles_are_checked() {
    for db in all_backends().await {
        let clock = Arc::new(ManualClock::new(at(date(2026, 11, 2))));
        let hearth = app(&db, clock.clone());
        let dpo = staff(&hearth, "the.dpo", "data_protection_officer").await;
        let me = person(&hearth, &dpo, "Dee").await;
        let neighbour = person(&hearth, &dpo, "Eve").await;
        let resident = Caller::resident(me).for_purpose("information_rights");
        let mut mine = access_request(me, date(2026, 11, 2));
        mine.channel = Channel::Web;
        mine.identity_needed = true;
        let logged = hearth
            .log_rights_request(&resident, &mine)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", db.name));
        assert_eq!(
            logged.request.identity,
            Prerequisite::NotNeeded,
            "signed in"
        );
        assert_eq!(logged.clock.due_on(), Some(date(2026, 12, 2)));
        let own = hearth.rights_request(&resident, logged.request.id).await;
        assert!(own.is_ok(), "{own:?}");

        let theirs = hearth
            .log_rights_request(&resident, &access_request(neighbour, date(2026, 11, 2)))
            .await;
        assert!(
            matches!(theirs, Err(ServiceError::Forbidden(_))),
            "{theirs:?}"
        );
        let by_letter = hearth
            .log_rights_request(&resident, &access_request(me, date(2026, 11, 2)))
            .await;
        assert!(
            matches!(by_letter, Err(ServiceError::Invalid(_))),
            "{by_letter:?}"
        );
        let register = hearth
            .rights_requests(&resident, RequestsView::Open, None, 10)
            .await;
        assert!(
            matches!(register, Err(ServiceError::Forbidden(_))),
            "{register:?}"
        );

        let cso = staff(&hearth, "front.desk", "customer_service_officer").await;
        let at_counter = hearth
            .log_rights_request(&cso, &access_request(neighbour, date(2026, 11, 2)))
            .await
            .unwrap_or_else(|e| panic!("a customer service officer logs requests: {e}"));
        let work = hearth
            .change_rights_request(
                &cso,
                at_counter.request.id,
                &RequestChange::IdentityVerified {
                    on: date(2026, 11, 2),
                },
            )
            .await;
        assert!(matches!(work, Err(ServiceError::Forbidden(_))), "{work:?}");
        let peek = hearth.rights_request(&cso, logged.request.id).await;
        assert!(matches!(peek, Err(ServiceError::Forbidden(_))), "{peek:?}");

        let future = hearth
            .log_rights_request(&cso, &access_request(me, date(2026, 11, 3)))
            .await;
        assert!(
            matches!(future, Err(ServiceError::Invalid(_))),
            "{future:?}"
        );
        let nobody = hearth
            .log_rights_request(&cso, &access_request(Uuid::now_v7(), date(2026, 11, 2)))
            .await;
        assert!(
            matches!(nobody, Err(ServiceError::NotFound(_))),
            "{nobody:?}"
        );
        assert!(
            db.store
                .latest_audit_of("rights.request_read")
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .is_some(),
            "reads are audited"
        );
    }
}

#[tokio::test]
async fn the_clock_counts_the_councils_own_bank_holidays() {
    for db in all_backends().await {
        let clock = Arc::new(ManualClock::new(at(date(2025, 12, 2))));
        let hearth =
            app(&db, clock.clone()).with_bank_holidays(BankHolidays::shipped(Division::Scotland));
        let dpo = staff(&hearth, "the.dpo", "data_protection_officer").await;
        let who = person(&hearth, &dpo, "Fin").await;
        let logged = hearth
            .log_rights_request(&dpo, &access_request(who, date(2025, 12, 2)))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        // 2 January 2026 is a bank holiday in Scotland only: due Monday 5 January.
        assert_eq!(logged.clock.due_on(), Some(date(2026, 1, 5)), "{}", db.name);
    }
}
