//! CSV import through the service, on every backend: all-or-nothing with every bad row
//! reported, --skip-invalid with rejects, idempotent re-runs, tenancies linking people and
//! properties.

use hearth_core::clock::ManualClock;
use hearth_service::import::{ImportKind, ImportOptions, ImportReport, Silent, write_rejects};
use hearth_service::{Caller, Hearth};
use hearth_store::{HouseholdQuery, Page, PersonQuery, PropertyQuery, TenancyQuery};
use hearth_testkit::{TestDb, all_backends, now};
use std::sync::Arc;

fn app(db: &TestDb) -> Hearth {
    let register = hearth_core::register::default_register().unwrap_or_else(|p| panic!("{p:?}"));
    Hearth::new(
        db.store.clone(),
        Arc::new(register),
        Arc::new(ManualClock::new(now())),
    )
    .unwrap_or_else(|e| panic!("shipped policy fits the shipped register: {e}"))
}

/// A data protection officer answering a rights request: the one caller who may read every
/// field, so these tests see exactly what was imported.
fn reader() -> Caller {
    let account = hearth_core::access::StaffAccount {
        id: uuid::Uuid::now_v7(),
        username: "dpo".into(),
        display_name: "DPO".into(),
        password_hash: String::new(),
        roles: vec!["data_protection_officer".into()],
        teams: vec![],
        disabled: false,
        created_at: now(),
        updated_at: now(),
    };
    Caller::staff(&account).for_purpose("information_rights")
}

async fn import(hearth: &Hearth, kind: ImportKind, csv: &str, skip_invalid: bool) -> ImportReport {
    let options = ImportOptions {
        skip_invalid,
        source_name: "test.csv".into(),
    };
    hearth
        .import_csv(
            &Caller::operator("tester").for_purpose(kind.default_purpose()),
            kind,
            std::io::Cursor::new(csv.to_string().into_bytes()),
            &options,
            &Silent,
        )
        .await
        .unwrap_or_else(|e| panic!("import failed: {e}"))
}

async fn people_count(hearth: &Hearth) -> i64 {
    hearth
        .list_people(&reader(), &PersonQuery::default(), Page::new(1, 1))
        .await
        .map(|p| p.total)
        .unwrap_or(-1)
}

const PEOPLE: &str = "\
external_ref,given_name,family_name,date_of_birth,ni_number,nhs_number,mobile,email,address_line1,town,postcode,roles,preferred_channel,ethnicity,religion
P1,Aisha,Rahman,1984-02-29,ab 12 34 56 c,943 476 5919,07700 900123,aisha@example.org,1 Railway Street,Huddersfield,hd1 1jf,tenant,sms,Asian or Asian British: Pakistani,prefer_not_to_say
P2,Tomasz,Nowak,1979-06-01,,,,,,,,tenant;joint_tenant,,,
P3,Niamh,Byrne,2012-09-14,,,,,,,,household_member,,,
";

const BAD_PEOPLE: &str = "\
external_ref,given_name,family_name,date_of_birth,ni_number,postcode,address_line1,roles
G1,Grace,Okafor,1990-01-01,,,,tenant
B1,,Blank,1990-01-01,,,,tenant
B2,Future,Born,2099-01-01,QQ 12 34 56 C,,,tenant
G2,Kwame,Mensah,1970-03-03,,,,tenant
B3,Bad,Postcode,1970-03-03,,HD1 2TC,1 High Street,landlord
G1,Grace,Again,1990-01-01,,,,tenant
B4,Too,Many,fields,,,,tenant,extra
";

#[tokio::test]
async fn a_file_with_bad_rows_reports_every_one_and_changes_nothing() {
    for db in all_backends().await {
        let hearth = app(&db);
        let report = import(&hearth, ImportKind::People, BAD_PEOPLE, false).await;
        let lines: Vec<(u64, String)> = report
            .errors
            .iter()
            .map(|e| (e.line, e.field.clone()))
            .collect();
        assert_eq!(
            lines,
            [
                (3, "given_name".to_string()),
                (4, "date_of_birth".to_string()),
                (4, "ni_number".to_string()),
                (6, "roles".to_string()),
                (6, "postcode".to_string()),
                (7, "external_ref".to_string()),
                (8, String::new()),
            ],
            "{}: {:#?}",
            db.name,
            report.errors
        );
        assert!(
            report.errors[5]
                .reason
                .contains("already appears on line 2"),
            "{}",
            db.name
        );
        assert!(!report.committed, "{}", db.name);
        assert_eq!(
            people_count(&hearth).await,
            0,
            "{}: nothing imported",
            db.name
        );
    }
}

#[tokio::test]
async fn skip_invalid_imports_the_good_rows_and_returns_the_rejects_with_reasons() {
    for db in all_backends().await {
        let hearth = app(&db);
        let report = import(&hearth, ImportKind::People, BAD_PEOPLE, true).await;
        assert!(report.committed, "{}", db.name);
        assert_eq!(
            (report.imported, report.rejects.len()),
            (2, 5),
            "{}",
            db.name
        );
        assert_eq!(people_count(&hearth).await, 2, "{}", db.name);
        let mut out = Vec::new();
        write_rejects(&report, &mut out).unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8(out).unwrap_or_default();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(
                "line,reasons,external_ref,given_name,family_name,date_of_birth,ni_number,postcode,address_line1,roles"
            )
        );
        assert!(text.contains("4,date_of_birth: cannot be in the future; ni_number: is not a National Insurance number"), "{text}");
        assert!(
            text.contains("8,has 9 fields but the header has 8"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn rerunning_the_same_files_changes_nothing() {
    for db in all_backends().await {
        let hearth = app(&db);
        let first = import(&hearth, ImportKind::People, PEOPLE, false).await;
        assert_eq!(
            (first.imported, first.already_present),
            (3, 0),
            "{}",
            db.name
        );
        let before = hearth
            .list_people(&reader(), &PersonQuery::default(), Page::default())
            .await
            .map(|p| p.items)
            .unwrap_or_default();
        let again = import(&hearth, ImportKind::People, PEOPLE, false).await;
        assert_eq!(
            (again.imported, again.already_present, again.errors.len()),
            (0, 3, 0),
            "{}",
            db.name
        );
        let after = hearth
            .list_people(&reader(), &PersonQuery::default(), Page::default())
            .await
            .map(|p| p.items)
            .unwrap_or_default();
        assert_eq!(before, after, "{}: records untouched", db.name);
        let aisha = after
            .iter()
            .filter_map(|p| p.full())
            .find(|p| p.fields.external_ref.as_deref() == Some("P1"))
            .map(|p| p.fields.clone());
        assert_eq!(
            aisha
                .as_ref()
                .and_then(|f| f.ni_number.as_ref())
                .map(|n| n.as_str()),
            Some("AB123456C"),
            "{}",
            db.name
        );
        assert_eq!(
            aisha
                .as_ref()
                .and_then(|f| f.postal_address.as_ref())
                .map(|a| a.postcode.as_str()),
            Some("HD1 1JF")
        );
        assert_eq!(
            aisha.map(|f| f.source.detail),
            Some(Some("test.csv".into())),
            "{}: the import is the source",
            db.name
        );
        // Every imported person's access log names the load that wrote them.
        for person in &after {
            let log = hearth
                .audit_for_person(&reader(), person.id(), 50)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(
                log.iter()
                    .any(|e| e.event.action == "person.import" && e.event.actor == "cli:tester"),
                "{}: the import is in {}'s access log",
                db.name,
                person.id()
            );
        }
    }
}

#[tokio::test]
async fn tenancies_link_households_people_and_properties_and_check_references() {
    for db in all_backends().await {
        let hearth = app(&db);
        import(&hearth, ImportKind::People, PEOPLE, false).await;
        let properties = "uprn,address_line1,town,postcode,property_type,bedrooms\n100023336956,10 Beech Avenue,Huddersfield,HD2 1AB,house,3\n";
        assert_eq!(
            import(&hearth, ImportKind::Properties, properties, false)
                .await
                .imported,
            1,
            "{}",
            db.name
        );
        let tenancies = "\
external_ref,uprn,tenancy_type,start_date,end_date,household_ref,lead_tenant_ref,joint_tenant_refs,member_refs
T1,100023336956,secure,2020-04-01,,H1,P1,P2,P3:child
T2,999,secure,2020-04-01,,H2,P9,,
T3,100023336956,secure,2021-04-01,2020-01-01,H1,P1,,P4:cousin
";
        let bad = import(&hearth, ImportKind::Tenancies, tenancies, false).await;
        let found: Vec<(u64, &str)> = bad
            .errors
            .iter()
            .map(|e| (e.line, e.field.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (4, "end_date"),
                (4, "member_refs"),
                (3, "uprn"),
                (3, "tenants")
            ],
            "{}: {:#?}",
            db.name,
            bad.errors
        );
        assert_eq!(
            hearth
                .list_tenancies(&reader(), &TenancyQuery::default(), Page::default())
                .await
                .map(|p| p.total)
                .ok(),
            Some(0),
            "{}",
            db.name
        );

        let good = import(
            &hearth,
            ImportKind::Tenancies,
            &tenancies.lines().take(2).collect::<Vec<_>>().join("\n"),
            false,
        )
        .await;
        assert_eq!(
            (good.imported, good.errors.len()),
            (1, 0),
            "{}: {:?}",
            db.name,
            good.errors
        );
        let household = hearth
            .list_households(
                &reader(),
                &HouseholdQuery {
                    external_ref: Some("H1".into()),
                    ..Default::default()
                },
                Page::default(),
            )
            .await
            .ok()
            .and_then(|p| p.items.into_iter().next());
        let relationships: Vec<String> = household
            .map(|h| {
                h.full()
                    .map(|h| h.members.clone())
                    .unwrap_or_default()
                    .iter()
                    .map(|m| m.fields.relationship.to_string())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            relationships,
            ["lead_tenant", "joint_tenant", "child"],
            "{}",
            db.name
        );
        let at_home = hearth
            .list_people(
                &reader(),
                &PersonQuery {
                    uprn: Some("100023336956".into()),
                    ..Default::default()
                },
                Page::default(),
            )
            .await
            .map(|p| p.total)
            .ok();
        assert_eq!(at_home, Some(3), "{}", db.name);
        let by_postcode = hearth
            .list_properties(
                &reader(),
                &PropertyQuery {
                    postcode: Some("hd21ab".into()),
                    ..Default::default()
                },
                Page::default(),
            )
            .await
            .map(|p| p.total)
            .ok();
        assert_eq!(by_postcode, Some(1), "{}", db.name);
    }
}

#[tokio::test]
async fn a_header_with_unknown_or_missing_columns_is_refused_before_anything_happens() {
    for db in all_backends().await {
        let hearth = app(&db);
        let options = ImportOptions {
            skip_invalid: true,
            source_name: "x.csv".into(),
        };
        let err = hearth
            .import_csv(
                &Caller::operator("tester").for_purpose("customer_record"),
                ImportKind::People,
                std::io::Cursor::new("external_ref,given_name,surname\nA,B,C\n"),
                &options,
                &Silent,
            )
            .await
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("line 1")
                && err.contains("unknown column 'surname'")
                && err.contains("required column 'family_name' is missing"),
            "{}: {err}",
            db.name
        );
        assert_eq!(people_count(&hearth).await, 0, "{}", db.name);
    }
}

#[tokio::test]
async fn demo_data_is_deterministic_valid_and_loads_once() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let today = jiff::civil::date(2026, 11, 22);
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap_or_default();
    hearth_service::demo::write_demo_csv(dir.path(), 300, 42, today)
        .unwrap_or_else(|e| panic!("{e}"));
    let first = (read("people.csv"), read("tenancies.csv"));
    hearth_service::demo::write_demo_csv(dir.path(), 300, 42, today)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        first,
        (read("people.csv"), read("tenancies.csv")),
        "same seed, same data"
    );
    hearth_service::demo::write_demo_csv(dir.path(), 300, 43, today)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(first.0, read("people.csv"), "another seed, other data");
    assert_eq!(first.0.lines().count(), 301, "exactly the people asked for");

    for db in all_backends().await {
        let hearth = app(&db);
        let report = hearth
            .load_demo(300, 42, &Silent)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", db.name));
        assert_eq!(report.people, 300, "{}", db.name);
        assert!(
            report.tenancies > 50 && report.contacts > 0,
            "{}: {report:?}",
            db.name
        );
        let again = hearth
            .load_demo(300, 42, &Silent)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (again.people, again.tenancies, again.contacts),
            (0, 0, 0),
            "{}",
            db.name
        );
        let with_children = hearth
            .list_households(&reader(), &HouseholdQuery::default(), Page::new(1, 200))
            .await
            .map(|p| {
                p.items
                    .iter()
                    .filter_map(|h| h.full().cloned())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        assert!(
            with_children.iter().any(|h| h
                .members
                .iter()
                .any(|m| m.fields.relationship.as_str() == "child")),
            "{}: households with children",
            db.name
        );
        assert!(
            with_children.iter().any(|h| h
                .members
                .iter()
                .any(|m| m.fields.relationship.as_str() == "joint_tenant")),
            "{}: joint tenants",
            db.name
        );
    }
}
