//! Residents' pages over HTTP, on every backend, with a local server implementing GOV.UK One
//! Login's endpoints: the start page, sign-in and One Login's answer (tied to the browser by a
//! cookie), linking with the code staff issue through the API, the resident's repairs, reporting
//! one with the form's errors, forms without their CSRF token, and signing out of both.

use hearth_core::clock::SystemClock;
use hearth_service::Hearth;
use hearth_testkit::{OneLoginUser, all_backends};
use reqwest::StatusCode;
use std::collections::HashMap;
use std::sync::Arc;

use crate::common::tenant_and_home;

const CLIENT_ID: &str = "hearth-pages-test";

/// A browser's cookies for Hearth, kept by hand: name to value.
#[derive(Default)]
struct Jar(HashMap<String, String>);

impl Jar {
    fn keep(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all("set-cookie") {
            let Ok(text) = value.to_str() else { continue };
            let Ok(cookie) = cookie::Cookie::parse(text.to_string()) else {
                continue;
            };
            if cookie.max_age().is_some_and(|age| age.is_zero()) || cookie.value().is_empty() {
                self.0.remove(cookie.name());
            } else {
                self.0.insert(cookie.name().into(), cookie.value().into());
            }
        }
    }

    fn header(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The value of the hidden `csrf` field on a page.
fn csrf_of(page: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = page
        .find(marker)
        .map(|i| i + marker.len())
        .unwrap_or_else(|| panic!("no csrf field in {page}"));
    page[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn a_resident_signs_in_links_reports_a_repair_and_signs_out_through_the_pages() {
    for db in all_backends().await {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let base = format!(
            "http://{}",
            listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
        );
        let (provider, client) = crate::common::one_login_for(&base, CLIENT_ID).await;
        let register =
            hearth_core::register::default_register().unwrap_or_else(|p| panic!("{p:?}"));
        let hearth = Hearth::new(db.store.clone(), Arc::new(register), Arc::new(SystemClock))
            .unwrap_or_else(|e| panic!("{e}"))
            .with_public_url(&base)
            .with_one_login(client);
        let (person, _home) = tenant_and_home(&hearth).await;
        let (_, token) = hearth
            .create_api_token(
                &hearth_service::Caller::operator("tester"),
                &hearth_service::access::TokenRequest {
                    name: "customer records".into(),
                    roles: vec!["customer_service_officer".into()],
                    purposes: vec!["customer_record".into()],
                    valid_days: 1,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("token: {e}"));
        let served = hearth.clone();
        tokio::spawn(async move { axum::serve(listener, hearth_http::app(served)).await });
        provider.sign_in_as(OneLoginUser {
            subject: "urn:fdc:gov.uk:2022:amara-pages".into(),
            email: "amara@example.org".into(),
            phone: None,
        });
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let mut jar = Jar::default();
        macro_rules! get {
            ($url:expr) => {{
                let r = http
                    .get($url)
                    .header("cookie", jar.header())
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                jar.keep(&r);
                r
            }};
        }
        macro_rules! post {
            ($path:expr, $form:expr) => {{
                let r = http
                    .post(format!("{base}{}", $path))
                    .header("cookie", jar.header())
                    .form($form)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                jar.keep(&r);
                r
            }};
        }

        // The start page, then off to One Login with the state kept in a cookie.
        let start = get!(format!("{base}/resident"));
        assert_eq!(start.status(), StatusCode::OK);
        let start = start.text().await.unwrap_or_default();
        assert!(
            start.contains("href=\"/resident/sign-in\"") && start.contains("0800 111 999"),
            "{start}"
        );
        let to_one_login = get!(format!("{base}/resident/sign-in"));
        assert_eq!(to_one_login.status(), StatusCode::SEE_OTHER);
        assert!(
            location(&to_one_login).starts_with(&provider.issuer()),
            "{}",
            location(&to_one_login)
        );
        assert!(jar.0.contains_key("hearth_one_login"));
        let answer = get!(location(&to_one_login));
        assert_eq!(
            answer.status(),
            StatusCode::FOUND,
            "{:?}",
            provider.refusals()
        );
        let back = location(&answer);
        assert!(
            back.starts_with(&format!("{base}/resident/signed-in?")),
            "{back}"
        );

        // An answer arriving in another browser (without the cookie) signs nobody in.
        let elsewhere = http
            .get(&back)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(elsewhere.status(), StatusCode::UNAUTHORIZED, "{}", db.name);
        assert!(
            elsewhere
                .text()
                .await
                .unwrap_or_default()
                .contains("You could not be signed in")
        );

        let signed_in = get!(back);
        assert_eq!(
            signed_in.status(),
            StatusCode::SEE_OTHER,
            "{}: {:?}",
            db.name,
            provider.refusals()
        );
        assert_eq!(location(&signed_in), "/resident/link");
        assert!(jar.0.contains_key("hearth_resident"));
        assert!(
            !jar.0.contains_key("hearth_one_login"),
            "the state cookie is spent"
        );
        let set = signed_in
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Secure"),
            "{set}"
        );

        // Not linked yet: the repairs page sends the resident to link.
        let not_yet = get!(format!("{base}/resident"));
        assert_eq!(location(&not_yet), "/resident/link");
        let link_page = get!(format!("{base}/resident/link"))
            .text()
            .await
            .unwrap_or_default();
        let csrf = csrf_of(&link_page);

        // A customer service officer issues the code through the API; it goes to the tenant's
        // mobile through the outbox, and the answer does not show it.
        let issued: serde_json::Value = http
            .post(format!("{base}/api/people/{person}/link-codes"))
            .header("authorization", format!("Bearer {token}"))
            .header("x-hearth-purpose", "customer_record")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(issued["delivery"], "sms", "{issued}");
        assert!(
            issued.get("code").is_none(),
            "the code is not shown: {issued}"
        );
        let message_id: uuid::Uuid = issued["message_id"]
            .as_str()
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("{issued}"));
        let code = crate::common::sent_code(db.store.as_ref(), message_id).await;

        let forged = post!("/resident/link", &[("code", code.as_str()), ("csrf", "")]);
        assert_eq!(
            forged.status(),
            StatusCode::FORBIDDEN,
            "a form without the CSRF token"
        );
        let empty = post!("/resident/link", &[("code", ""), ("csrf", csrf.as_str())]);
        assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            empty
                .text()
                .await
                .unwrap_or_default()
                .contains("Enter the code from your letter")
        );
        let bad_date = post!(
            "/resident/link",
            &[
                ("code", code.as_str()),
                ("csrf", csrf.as_str()),
                ("day", "31"),
                ("month", "2"),
                ("year", "1980")
            ]
        );
        assert_eq!(bad_date.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad_date
                .text()
                .await
                .unwrap_or_default()
                .contains("must be a real date")
        );
        let wrong = post!(
            "/resident/link",
            &[("code", "AAAA-BBBB-CCCC"), ("csrf", csrf.as_str())]
        );
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        assert!(
            wrong
                .text()
                .await
                .unwrap_or_default()
                .contains("The code or date of birth is not right")
        );
        let linked = post!(
            "/resident/link",
            &[("code", code.as_str()), ("csrf", csrf.as_str())]
        );
        assert_eq!(linked.status(), StatusCode::SEE_OTHER, "{}", db.name);
        assert_eq!(location(&linked), "/resident");

        let home = get!(format!("{base}/resident"));
        assert_eq!(home.status(), StatusCode::OK);
        let home = home.text().await.unwrap_or_default();
        assert!(
            home.contains("Your repairs") && home.contains("You have not reported any repairs"),
            "{home}"
        );

        // The form lists the resident's one home, already chosen; mistakes are named.
        let form = get!(format!("{base}/resident/repairs/new"))
            .text()
            .await
            .unwrap_or_default();
        assert!(form.contains("12 Fenton Road, HD1 3AB"), "{form}");
        assert!(
            form.contains(" checked>"),
            "a single home is chosen already"
        );
        let csrf = csrf_of(&form);
        let home_id = {
            let marker = "name=\"home\" type=\"radio\" value=\"";
            let at = form
                .find(marker)
                .map(|i| i + marker.len())
                .unwrap_or_default();
            form[at..].split('"').next().unwrap_or_default().to_string()
        };
        let incomplete = post!(
            "/resident/repairs",
            &[
                ("csrf", csrf.as_str()),
                ("home", home_id.as_str()),
                ("category", ""),
                ("description", " ")
            ]
        );
        assert_eq!(incomplete.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let incomplete = incomplete.text().await.unwrap_or_default();
        assert!(
            incomplete.contains("Select what the problem is with")
                && incomplete.contains("Describe the problem"),
            "{incomplete}"
        );
        let someone_elses = uuid::Uuid::now_v7().to_string();
        let refused = post!(
            "/resident/repairs",
            &[
                ("csrf", csrf.as_str()),
                ("home", someone_elses.as_str()),
                ("category", "heating"),
                ("description", "No heating")
            ]
        );
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            db.name
        );
        let forged = post!(
            "/resident/repairs",
            &[
                ("csrf", "forged"),
                ("home", home_id.as_str()),
                ("category", "heating"),
                ("description", "No heating")
            ]
        );
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        let reported = post!(
            "/resident/repairs",
            &[
                ("csrf", csrf.as_str()),
                ("home", home_id.as_str()),
                ("category", "heating"),
                ("description", "No heating or hot water since Sunday")
            ]
        );
        assert_eq!(reported.status(), StatusCode::OK, "{}", db.name);
        let reported = reported.text().await.unwrap_or_default();
        assert!(reported.contains("Repair reported"), "{reported}");
        let reference = reported
            .split("Your reference is ")
            .nth(1)
            .and_then(|rest| rest.split('.').next())
            .unwrap_or_else(|| panic!("no reference in {reported}"))
            .to_string();

        // Exactly one repair was made, by the resident online, and their page lists it.
        let page = get!(format!("{base}/resident"))
            .text()
            .await
            .unwrap_or_default();
        assert!(
            page.contains(&reference) && page.contains("Heating and hot water"),
            "{page}"
        );
        let repairs = crate::common::repairs_of(&db, person).await;
        assert_eq!(repairs.len(), 1, "{}", db.name);
        assert_eq!(repairs[0].reference, reference);
        assert_eq!(repairs[0].reported_via.as_str(), "web");

        // Signing out: Hearth's session ends, One Login's too, and the resident lands back here.
        let csrf = csrf_of(&page);
        let out = post!("/resident/sign-out", &[("csrf", csrf.as_str())]);
        assert_eq!(out.status(), StatusCode::SEE_OTHER);
        assert!(!jar.0.contains_key("hearth_resident"));
        let from_one_login = get!(location(&out));
        assert_eq!(
            from_one_login.status(),
            StatusCode::FOUND,
            "{:?}",
            provider.refusals()
        );
        assert!(location(&from_one_login).starts_with(&format!("{base}/resident/signed-out")));
        assert_eq!(
            provider.logouts(),
            vec!["urn:fdc:gov.uk:2022:amara-pages".to_string()]
        );
        let after = get!(format!("{base}/resident/repairs/new"));
        assert_eq!(
            location(&after),
            "/resident",
            "signed out: back to the start"
        );
    }
}

#[tokio::test]
async fn without_one_login_the_start_page_says_to_phone() {
    let db = hearth_testkit::sqlite().await;
    let register = hearth_core::register::default_register().unwrap_or_else(|p| panic!("{p:?}"));
    let hearth = Hearth::new(db.store.clone(), Arc::new(register), Arc::new(SystemClock))
        .unwrap_or_else(|e| panic!("{e}"));
    let base = crate::common::serve(hearth).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let page = http
        .get(format!("{base}/resident"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap_or_default();
    assert!(
        page.contains("Signing in is not available yet") && !page.contains("/resident/sign-in"),
        "{page}"
    );
    let sign_in = http
        .get(format!("{base}/resident/sign-in"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sign_in.status(), StatusCode::BAD_GATEWAY);
}
