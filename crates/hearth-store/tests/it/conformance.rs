//! The backend-conformance suite: every test runs against SQLite and, when configured,
//! PostgreSQL, through the `Store` trait only, and expects identical behaviour.

use hearth_core::records::*;
use hearth_store::{
    ContactQuery, HouseholdQuery, Page, PersonQuery, PropertyQuery, RefKind, RegisterVersion,
    StoreError, TenancyQuery,
};
use hearth_testkit::{all_backends, now, person, person_input, property};
use jiff::civil::date;
use uuid::Uuid;

fn audit(actor: &str) -> hearth_core::audit::AuditEvent {
    hearth_core::audit::AuditEvent {
        id: Uuid::now_v7(),
        at: now(),
        actor: actor.into(),
        purpose: None,
        action: "register.changed".into(),
        decision: "allowed".into(),
        person_ids: vec![],
        record_type: Some("register".into()),
        record_ids: vec![],
        fields: vec![],
        correlation_id: None,
        reason: None,
    }
}

fn household(external_ref: &str) -> Household {
    Household {
        id: Uuid::now_v7(),
        fields: HouseholdFields {
            external_ref: Some(external_ref.into()),
            name: Some(format!("{external_ref} household")),
        },
        members: vec![],
        created_at: now(),
        updated_at: now(),
        version: 1,
    }
}

fn membership(
    household_id: Uuid,
    person_id: Uuid,
    relationship: MemberRelationship,
    start: jiff::civil::Date,
) -> Membership {
    Membership {
        id: Uuid::now_v7(),
        household_id,
        fields: MembershipFields {
            person_id,
            relationship,
            start_date: start,
            end_date: None,
        },
    }
}

#[tokio::test]
async fn people_round_trip_with_every_field_and_detect_concurrent_updates() {
    for db in all_backends().await {
        let mut input = person_input("Aisha", "Rahman");
        input.ni_number = Some("ab123456c".into());
        input.nhs_number = Some("943 476 5919".into());
        input.date_of_birth = Some("1984-02-29".into());
        input.roles = vec!["tenant".into(), "housing_applicant".into()];
        input.phones = vec![ContactPoint {
            value: "07700 900123".into(),
            label: Some("mobile".into()),
            source: None,
        }];
        input.emails = vec![ContactPoint {
            value: "aisha@Example.ORG".into(),
            label: None,
            source: None,
        }];
        input.postal_address = Some(AddressInput {
            line1: "1 Railway Street".into(),
            postcode: "hd1 1jf".into(),
            ..Default::default()
        });
        input.accessible_formats = vec!["large_print".into()];
        input.language = Some("Urdu".into());
        input.equality.ethnicity =
            EqualityAnswer::Answered("Asian or Asian British: Pakistani".into());
        input.equality.religion = EqualityAnswer::PreferNotToSay;
        input.source = Some(Source {
            kind: SourceKind::Referrer,
            detail: Some("Huddersfield GP surgery".into()),
        });
        let original = person(input);
        db.store
            .insert_person(&original, &audit("test"))
            .await
            .unwrap_or_else(|e| panic!("{}: insert: {e}", db.name));
        let loaded = db.store.get_person(original.id).await.ok().flatten();
        assert_eq!(loaded.as_ref(), Some(&original), "{}: round trip", db.name);
        assert_eq!(
            loaded.map(|p| p.fields.equality.sexual_orientation),
            Some(EqualityAnswer::NotAsked),
            "{}",
            db.name
        );

        let mut changed = original.clone();
        changed.fields.family_name = "Rahman-Shah".into();
        changed.version = 2;
        assert!(
            db.store
                .update_person(&changed, 1, &audit("test"))
                .await
                .is_ok(),
            "{}: first update",
            db.name
        );
        let stale = db.store.update_person(&changed, 1, &audit("test")).await;
        assert!(
            matches!(stale, Err(StoreError::VersionConflict { expected: 1 })),
            "{}: stale update {stale:?}",
            db.name
        );
        let missing = person(person_input("No", "One"));
        assert!(
            matches!(
                db.store.update_person(&missing, 1, &audit("test")).await,
                Err(StoreError::NotFound)
            ),
            "{}",
            db.name
        );
        assert_eq!(
            db.store
                .get_person(original.id)
                .await
                .ok()
                .flatten()
                .map(|p| p.version),
            Some(2),
            "{}",
            db.name
        );
        assert_eq!(
            db.store.get_person(Uuid::now_v7()).await.ok().flatten(),
            None,
            "{}",
            db.name
        );
    }
}

#[tokio::test]
async fn people_search_by_name_postcode_ni_number_and_uprn_with_pages() {
    for db in all_backends().await {
        let s = &db.store;
        let mut with_ni = person_input("John", "Smith");
        with_ni.ni_number = Some("JS123456A".into());
        with_ni.postal_address = Some(AddressInput {
            line1: "2 Low Road".into(),
            postcode: "DE1 2FS".into(),
            ..Default::default()
        });
        let john = person(with_ni);
        let joan = person(person_input("Joan", "Smithson"));
        let kemi = person(person_input("Oluwakemi", "Adeyemi"));
        for p in [&john, &joan, &kemi] {
            s.insert_person(p, &audit("test"))
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", db.name));
        }
        let names = |page: hearth_store::Paged<Person>| {
            page.items
                .into_iter()
                .map(|p| p.fields.given_name)
                .collect::<Vec<_>>()
        };
        let by = |q: PersonQuery| async move {
            s.list_people(&q, Page::default())
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        };
        assert_eq!(
            names(
                by(PersonQuery {
                    name: Some("smith".into()),
                    ..Default::default()
                })
                .await
            ),
            ["John", "Joan"],
            "{}",
            db.name
        );
        assert_eq!(
            names(
                by(PersonQuery {
                    name: Some("SMITH john".into()),
                    ..Default::default()
                })
                .await
            ),
            ["John"],
            "{}",
            db.name
        );
        assert_eq!(
            names(
                by(PersonQuery {
                    ni_number: Some("JS123456A".into()),
                    ..Default::default()
                })
                .await
            ),
            ["John"],
            "{}",
            db.name
        );
        assert_eq!(
            names(
                by(PersonQuery {
                    postcode: Some("DE1 2FS".into()),
                    ..Default::default()
                })
                .await
            ),
            ["John"],
            "{}",
            db.name
        );

        // UPRN: people in a household with a tenancy of that property.
        let home = property("100023336956", "10 Beech Avenue", "HD2 1AB");
        s.insert_property(&home, &audit("test"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let hh = household("HH-1");
        s.insert_household(&hh, &audit("test"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        s.insert_membership(
            &membership(
                hh.id,
                kemi.id,
                MemberRelationship::LeadTenant,
                date(2020, 4, 1),
            ),
            &audit("test"),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let tenancy = Tenancy {
            id: Uuid::now_v7(),
            fields: TenancyFields {
                external_ref: Some("T-1".into()),
                household_id: hh.id,
                property_id: home.id,
                tenancy_type: TenancyType::Secure,
                start_date: date(2020, 4, 1),
                end_date: None,
                end_reason: None,
            },
            created_at: now(),
            updated_at: now(),
            version: 1,
        };
        s.insert_tenancy(&tenancy, &audit("test"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            names(
                by(PersonQuery {
                    uprn: Some("100023336956".into()),
                    ..Default::default()
                })
                .await
            ),
            ["Oluwakemi"],
            "{}",
            db.name
        );

        let first = s
            .list_people(&PersonQuery::default(), Page::new(1, 2))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let second = s
            .list_people(&PersonQuery::default(), Page::new(2, 2))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (first.total, first.items.len(), second.items.len()),
            (3, 2, 1),
            "{}",
            db.name
        );
        assert_eq!(
            names(first),
            ["Oluwakemi", "John"],
            "{}: ordered by family name",
            db.name
        );
    }
}

#[tokio::test]
async fn households_keep_membership_history_and_tenancies_know_when_they_are_current() {
    for db in all_backends().await {
        let s = &db.store;
        let (lead, joint, child) = (
            person(person_input("Mary", "Byrne")),
            person(person_input("Sean", "Byrne")),
            person(person_input("Niamh", "Byrne")),
        );
        for p in [&lead, &joint, &child] {
            s.insert_person(p, &audit("test"))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let hh = household("HH-BYRNE");
        s.insert_household(&hh, &audit("test"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut left = membership(
            hh.id,
            joint.id,
            MemberRelationship::JointTenant,
            date(2015, 1, 5),
        );
        for m in [
            membership(
                hh.id,
                lead.id,
                MemberRelationship::LeadTenant,
                date(2015, 1, 5),
            ),
            left.clone(),
            membership(hh.id, child.id, MemberRelationship::Child, date(2016, 7, 1)),
        ] {
            s.insert_membership(&m, &audit("test"))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        left.fields.end_date = Some(date(2023, 3, 31));
        s.update_membership(&left, &audit("test"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let loaded = s
            .get_household(hh.id)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("{}: household missing", db.name));
        assert_eq!(
            loaded.members.len(),
            3,
            "{}: history keeps past members",
            db.name
        );
        assert_eq!(
            loaded
                .members
                .iter()
                .find(|m| m.id == left.id)
                .and_then(|m| m.fields.end_date),
            Some(date(2023, 3, 31))
        );
        let of_child = s
            .list_households(
                &HouseholdQuery {
                    person_id: Some(child.id),
                    ..Default::default()
                },
                Page::default(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            of_child.items.iter().map(|h| h.id).collect::<Vec<_>>(),
            [hh.id],
            "{}",
            db.name
        );

        let home = property("10090012345", "3 Mill Lane", "WF13 1AA");
        s.insert_property(&home, &audit("test"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let ended = Tenancy {
            id: Uuid::now_v7(),
            fields: TenancyFields {
                external_ref: Some("T-OLD".into()),
                household_id: hh.id,
                property_id: home.id,
                tenancy_type: TenancyType::Introductory,
                start_date: date(2015, 1, 5),
                end_date: Some(date(2016, 1, 4)),
                end_reason: Some("converted to secure".into()),
            },
            created_at: now(),
            updated_at: now(),
            version: 1,
        };
        let current = Tenancy {
            id: Uuid::now_v7(),
            fields: TenancyFields {
                external_ref: Some("T-NEW".into()),
                tenancy_type: TenancyType::Secure,
                start_date: date(2016, 1, 5),
                end_date: None,
                end_reason: None,
                ..ended.fields.clone()
            },
            ..ended.clone()
        };
        s.insert_tenancy(&ended, &audit("test"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        s.insert_tenancy(&current, &audit("test"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let on = |d| TenancyQuery {
            household_id: Some(hh.id),
            current_on: Some(d),
            ..Default::default()
        };
        let ids =
            |p: hearth_store::Paged<Tenancy>| p.items.into_iter().map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(
            ids(s
                .list_tenancies(&on(date(2015, 6, 1)), Page::default())
                .await
                .unwrap_or_else(|e| panic!("{e}"))),
            [ended.id],
            "{}",
            db.name
        );
        assert_eq!(
            ids(s
                .list_tenancies(&on(date(2026, 11, 22)), Page::default())
                .await
                .unwrap_or_else(|e| panic!("{e}"))),
            [current.id],
            "{}",
            db.name
        );
        let by_uprn = TenancyQuery {
            uprn: Some("10090012345".into()),
            ..Default::default()
        };
        assert_eq!(
            s.list_tenancies(&by_uprn, Page::default())
                .await
                .map(|p| p.total)
                .ok(),
            Some(2),
            "{}",
            db.name
        );
    }
}

#[tokio::test]
async fn keys_are_unique_and_references_must_exist() {
    for db in all_backends().await {
        let s = &db.store;
        let home = property("1234", "1 Test Row", "HD1 1AA");
        s.insert_property(&home, &audit("test"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let same_uprn = property("1234", "Elsewhere", "HD1 1AB");
        assert!(
            matches!(
                s.insert_property(&same_uprn, &audit("test")).await,
                Err(StoreError::Duplicate(_))
            ),
            "{}: UPRN unique",
            db.name
        );
        let mut a = person_input("A", "One");
        a.external_ref = Some("EXT-1".into());
        s.insert_person(&person(a.clone()), &audit("test"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            matches!(
                s.insert_person(&person(a), &audit("test")).await,
                Err(StoreError::Duplicate(_))
            ),
            "{}: external_ref unique",
            db.name
        );
        let orphan = ContactEntry {
            id: Uuid::now_v7(),
            fields: ContactEntryFields {
                person_id: Uuid::now_v7(),
                channel: ContactChannel::Phone,
                occurred_at: now(),
                staff_member: "u123".into(),
                reason: "Repair".into(),
                summary: None,
            },
            created_at: now(),
            updated_at: now(),
            version: 1,
        };
        assert!(
            matches!(
                s.insert_contact(&orphan, &audit("test")).await,
                Err(StoreError::MissingReference(_))
            ),
            "{}: contact needs a person",
            db.name
        );
        let props = s
            .list_properties(
                &PropertyQuery {
                    address: Some("test row".into()),
                    ..Default::default()
                },
                Page::default(),
            )
            .await
            .map(|p| p.total)
            .ok();
        assert_eq!(props, Some(1), "{}: address search", db.name);
    }
}

#[tokio::test]
async fn contact_log_lists_newest_first_per_person() {
    for db in all_backends().await {
        let s = &db.store;
        let p = person(person_input("Tomasz", "Nowak"));
        s.insert_person(&p, &audit("test"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let entry = |hours: i64, channel| ContactEntry {
            id: Uuid::now_v7(),
            fields: ContactEntryFields {
                person_id: p.id,
                channel,
                occurred_at: now() - jiff::SignedDuration::from_hours(hours),
                staff_member: "u42".into(),
                reason: "Rent query".into(),
                summary: Some("Called about arrears letter".into()),
            },
            created_at: now(),
            updated_at: now(),
            version: 1,
        };
        let (old, new) = (
            entry(48, ContactChannel::Letter),
            entry(1, ContactChannel::Webchat),
        );
        s.insert_contact(&old, &audit("test"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        s.insert_contact(&new, &audit("test"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let listed = s
            .list_contacts(
                &ContactQuery {
                    person_id: Some(p.id),
                    ..Default::default()
                },
                Page::default(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            listed.items.iter().map(|c| c.id).collect::<Vec<_>>(),
            [new.id, old.id],
            "{}",
            db.name
        );
        let webchat = s
            .list_contacts(
                &ContactQuery {
                    channel: Some("webchat".into()),
                    ..Default::default()
                },
                Page::default(),
            )
            .await
            .map(|p| p.total)
            .ok();
        assert_eq!(webchat, Some(1), "{}", db.name);
        assert_eq!(
            s.get_contact(old.id).await.ok().flatten(),
            Some(old),
            "{}",
            db.name
        );
    }
}

#[tokio::test]
async fn an_import_session_is_all_or_nothing() {
    for db in all_backends().await {
        let s = &db.store;
        let mut input = person_input("Ada", "Import");
        input.external_ref = Some("IMP-1".into());
        let ada = person(input);
        {
            let mut session = s.begin_import().await.unwrap_or_else(|e| panic!("{e}"));
            session
                .insert_people(std::slice::from_ref(&ada))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let seen = session
                .existing_refs(RefKind::Person, &["IMP-1".into(), "IMP-2".into()])
                .await
                .unwrap_or_default();
            assert_eq!(
                seen.get("IMP-1"),
                Some(&ada.id),
                "{}: the session sees its own rows",
                db.name
            );
            // Dropped without commit: rolled back.
        }
        assert_eq!(
            s.get_person(ada.id).await.ok().flatten(),
            None,
            "{}: uncommitted import left nothing",
            db.name
        );
        let mut session = s.begin_import().await.unwrap_or_else(|e| panic!("{e}"));
        let many: Vec<Person> = (0..2500)
            .map(|i| {
                let mut p = person_input("Bulk", &format!("Person{i:04}"));
                p.external_ref = Some(format!("B-{i}"));
                person(p)
            })
            .collect();
        session
            .insert_people(&many)
            .await
            .unwrap_or_else(|e| panic!("{}: bulk insert: {e}", db.name));
        session.commit().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            s.get_person(many[2499].id).await.ok().flatten().as_ref(),
            Some(&many[2499]),
            "{}: bulk rows round trip",
            db.name
        );
        assert_eq!(
            s.list_people(&PersonQuery::default(), Page::new(1, 1))
                .await
                .map(|p| p.total)
                .ok(),
            Some(2500),
            "{}",
            db.name
        );
    }
}

#[tokio::test]
async fn register_versions_are_recorded_once_per_change() {
    for db in all_backends().await {
        let version = |sha: &str, by: &str| RegisterVersion {
            id: Uuid::now_v7(),
            sha256: sha.into(),
            version_label: "test".into(),
            loaded_at: now(),
            loaded_by: by.into(),
            content: "[register]".into(),
        };
        assert_eq!(
            db.store
                .record_register_version(&version("aaa", "cli:alice"), &audit("cli:alice"))
                .await
                .ok(),
            Some(true),
            "{}",
            db.name
        );
        assert_eq!(
            db.store
                .record_register_version(&version("aaa", "cli:bob"), &audit("cli:bob"))
                .await
                .ok(),
            Some(false),
            "{}: same version not recorded again",
            db.name
        );
        assert_eq!(
            db.store
                .record_register_version(&version("bbb", "cli:bob"), &audit("cli:bob"))
                .await
                .ok(),
            Some(true),
            "{}",
            db.name
        );
        let history = db.store.register_history().await.unwrap_or_default();
        assert_eq!(
            history
                .iter()
                .map(|v| (v.sha256.as_str(), v.loaded_by.as_str()))
                .collect::<Vec<_>>(),
            [("aaa", "cli:alice"), ("bbb", "cli:bob")],
            "{}",
            db.name
        );
        let log = db.store.audit_log(0, 100).await.unwrap_or_default();
        let actors: Vec<(i64, &str)> = log
            .iter()
            .map(|e| (e.seq, e.event.actor.as_str()))
            .collect();
        assert_eq!(
            actors,
            [(1, "cli:alice"), (2, "cli:bob")],
            "{}: one audit event per change, in the same transaction",
            db.name
        );
        assert_eq!(
            hearth_core::audit::verify(&log, hearth_core::audit::GENESIS.into(), 1),
            Ok(2),
            "{}",
            db.name
        );
    }
}

/// Runs one SQL statement on a test database directly, bypassing the store.
async fn raw_sql(db: &hearth_testkit::TestDb, sql: &str) -> Result<(), String> {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    if db.name == "sqlite" {
        let pool = sqlx::SqlitePool::connect(&db.url)
            .await
            .map_err(|e| e.to_string())?;
        sqlx::query(sql)
            .execute(&pool)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    } else {
        let pool = sqlx::PgPool::connect(&db.url)
            .await
            .map_err(|e| e.to_string())?;
        sqlx::query(sql)
            .execute(&pool)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

#[tokio::test]
async fn the_audit_log_refuses_updates_and_deletes_and_tampering_breaks_the_chain() {
    for db in all_backends().await {
        let version = |sha: &str| RegisterVersion {
            id: Uuid::now_v7(),
            sha256: sha.into(),
            version_label: "t".into(),
            loaded_at: now(),
            loaded_by: "cli:opal".into(),
            content: String::new(),
        };
        for sha in ["a", "b", "c"] {
            // Each event concerns someone, so it is filed in their access log too.
            let mut event = audit("cli:opal");
            event.person_ids = vec![Uuid::now_v7()];
            db.store
                .record_register_version(&version(sha), &event)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let update = raw_sql(
            &db,
            "UPDATE audit_events SET actor = 'cli:mallory' WHERE seq = 2",
        )
        .await;
        assert!(
            update.is_err_and(|e| e.contains("append-only")),
            "{}: UPDATE must be refused",
            db.name
        );
        let delete = raw_sql(&db, "DELETE FROM audit_events WHERE seq = 2").await;
        assert!(
            delete.is_err_and(|e| e.contains("append-only")),
            "{}: DELETE must be refused",
            db.name
        );
        // The rows filing events under people (the access log) are guarded the same way.
        for change in [
            "DELETE FROM audit_event_people",
            "UPDATE audit_event_people SET seq = seq",
        ] {
            let refused = raw_sql(&db, change).await;
            assert!(
                refused.is_err_and(|e| e.contains("append-only")),
                "{}: {change} must be refused",
                db.name
            );
        }

        // Someone with the database's owner rights removes the guard and edits an event.
        let (disable, enable) = if db.name == "sqlite" {
            ("DROP TRIGGER audit_events_no_update", "SELECT 1")
        } else {
            (
                "ALTER TABLE audit_events DISABLE TRIGGER USER",
                "ALTER TABLE audit_events ENABLE TRIGGER USER",
            )
        };
        raw_sql(&db, disable)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        raw_sql(&db, "UPDATE audit_events SET event = replace(event, 'cli:opal', 'cli:mallory') WHERE seq = 2").await.unwrap_or_else(|e| panic!("{e}"));
        raw_sql(&db, enable).await.unwrap_or_else(|e| panic!("{e}"));
        let log = db.store.audit_log(0, 100).await.unwrap_or_default();
        let broken = hearth_core::audit::verify(&log, hearth_core::audit::GENESIS.into(), 1)
            .map_err(|b| b.seq);
        assert_eq!(broken, Err(2), "{}: the edited event is named", db.name);
    }
}

#[tokio::test]
async fn refuses_a_schema_newer_than_the_binary() {
    for db in all_backends().await {
        let (binary, applied) = db.store.schema_versions().await.unwrap_or((0, 0));
        assert_eq!(binary, applied, "{}: fully migrated", db.name);
        let future = binary + 1;
        let sql = format!(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES ({future}, 'from the future', true, '\\x00', 0)"
        );
        let sql = if db.name == "sqlite" {
            sql.replace("'\\x00'", "x'00'")
        } else {
            sql.replace("'\\x00'", "'\\x00'::bytea")
        };
        match db.name {
            "sqlite" => {
                let pool = sqlx::SqlitePool::connect(&db.url)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&pool)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            _ => {
                let pool = sqlx::PgPool::connect(&db.url)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&pool)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        }
        let reopened = hearth_store::open(&db.url, db.sealer.clone()).await;
        assert!(
            matches!(reopened, Err(StoreError::SchemaTooNew { database, binary: b }) if database == future && b == binary),
            "{}: must refuse",
            db.name
        );
    }
}

#[test]
fn both_backends_have_the_same_migrations() {
    let names = |backend: &str| {
        let dir = format!("{}/migrations/{backend}", env!("CARGO_MANIFEST_DIR"));
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .filter_map(|entry| {
                entry
                    .ok()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
            })
            .collect();
        names.sort();
        names
    };
    let sqlite = names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite,
        names("postgres"),
        "every migration exists for both databases, with the same number and name"
    );
}
