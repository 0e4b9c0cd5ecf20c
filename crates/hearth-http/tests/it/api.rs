//! The JSON API end to end, over real HTTP, on every backend: what a client relies on —
//! status codes, headers, normalised values, versions, validation by field, search and
//! pagination, and one error format with a correlation id.

use hearth_core::clock::SystemClock;
use hearth_service::Hearth;
use hearth_testkit::{TestDb, all_backends};
use reqwest::{Method, RequestBuilder, StatusCode, header::HeaderMap};
use serde_json::{Value, json};
use std::sync::Arc;

/// A server running the whole application on one test database.
struct Api {
    backend: &'static str,
    base: String,
    http: reqwest::Client,
    _db: TestDb,
}

/// Starts the application on `db`, listening on a free local port.
async fn spawn(db: TestDb) -> Api {
    let register = hearth_core::register::default_register()
        .unwrap_or_else(|p| panic!("shipped register: {p:?}"));
    let hearth = Hearth::new(db.store.clone(), Arc::new(register), Arc::new(SystemClock))
        .unwrap_or_else(|e| panic!("policy fits the register: {e}"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("local address: {e}"));
    // These tests exercise records, not access: they act as the data protection officer
    // answering a rights request, the one role every personal-data action is open to.
    let (_, secret) = hearth
        .create_api_token(
            &hearth_service::Caller::operator("tester"),
            &hearth_service::access::TokenRequest {
                name: "api tests".into(),
                roles: vec!["data_protection_officer".into()],
                purposes: vec!["information_rights".into()],
                valid_days: 1,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("token: {e}"));
    tokio::spawn(async move { axum::serve(listener, hearth_http::app(hearth)).await });
    let mut headers = HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {secret}")
            .parse()
            .unwrap_or_else(|e| panic!("{e}")),
    );
    headers.insert(
        "x-hearth-purpose",
        reqwest::header::HeaderValue::from_static("information_rights"),
    );
    Api {
        backend: db.name,
        base: format!("http://{addr}"),
        http: reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .unwrap_or_else(|e| panic!("{e}")),
        _db: db,
    }
}

/// A running server on every available backend.
async fn servers() -> Vec<Api> {
    let mut out = Vec::new();
    for db in all_backends().await {
        out.push(spawn(db).await);
    }
    out
}

/// A response: status, headers, and the body as JSON (or as a JSON string when it is not JSON).
struct Reply {
    what: String,
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl Api {
    /// Sends a request; every response, success or error, must carry the security headers.
    async fn call(&self, what: String, request: RequestBuilder) -> Reply {
        let what = format!("[{}] {what}", self.backend);
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let status = response.status();
        let headers = response.headers().clone();
        let text = response
            .text()
            .await
            .unwrap_or_else(|e| panic!("{what}: body: {e}"));
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        let reply = Reply {
            what,
            status,
            headers,
            body,
        };
        assert_eq!(
            reply.header("x-content-type-options"),
            "nosniff",
            "{}",
            reply.what
        );
        assert_eq!(reply.header("x-frame-options"), "DENY", "{}", reply.what);
        reply
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http.request(method, format!("{}{path}", self.base))
    }

    async fn get(&self, path: &str) -> Reply {
        self.call(format!("GET {path}"), self.request(Method::GET, path))
            .await
    }

    async fn post(&self, path: &str, body: &Value) -> Reply {
        self.call(
            format!("POST {path}"),
            self.request(Method::POST, path).json(body),
        )
        .await
    }

    async fn put(&self, path: &str, body: &Value, if_match: &str) -> Reply {
        let request = self
            .request(Method::PUT, path)
            .header("if-match", if_match)
            .json(body);
        self.call(format!("PUT {path} (If-Match {if_match})"), request)
            .await
    }

    /// POSTs `body` and returns the created record, asserting 201.
    async fn create(&self, path: &str, body: &Value) -> Value {
        self.post(path, body).await.expect(201)
    }

    /// GETs a list with these query parameters, asserting 200.
    async fn list(&self, path: &str, query: &[(&str, &str)]) -> Value {
        let what = format!("GET {path} {query:?}");
        self.call(what, self.request(Method::GET, path).query(query))
            .await
            .expect(200)
    }

    /// How many records a list has in all.
    async fn total(&self, path: &str) -> i64 {
        self.list(path, &[]).await["total"].as_i64().unwrap_or(-1)
    }
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts the status and returns the body.
    fn expect(self, status: u16) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "{}: body {}",
            self.what,
            self.body
        );
        self.body
    }

    /// Asserts an error of this status and code, with the same correlation id in the body and
    /// the `x-correlation-id` header; returns the body.
    fn error(self, status: u16, code: &str) -> Value {
        let what = self.what.clone();
        let header = self.header("x-correlation-id").to_string();
        let body = self.expect(status);
        assert_eq!(body["code"], code, "{what}: {body}");
        assert!(
            uuid::Uuid::parse_str(&header).is_ok(),
            "{what}: x-correlation-id {header:?}"
        );
        assert_eq!(body["correlation_id"], header.as_str(), "{what}: {body}");
        body
    }

    /// Asserts a 422 with exactly one entry for each of these fields.
    fn invalid(self, fields: &[&str]) -> Value {
        let what = self.what.clone();
        let body = self.error(422, "invalid_input");
        let mut got: Vec<&str> = body["fields"]
            .as_array()
            .map(|f| f.iter().filter_map(|e| e["field"].as_str()).collect())
            .unwrap_or_default();
        got.sort_unstable();
        let mut want = fields.to_vec();
        want.sort_unstable();
        assert_eq!(got, want, "{what}: fields of {body}");
        body
    }
}

fn id(record: &Value) -> String {
    record["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {record}"))
        .to_string()
}

/// `base` with the keys of `extra` added or replaced.
fn with(mut base: Value, extra: Value) -> Value {
    if let (Some(base), Value::Object(extra)) = (base.as_object_mut(), extra) {
        base.extend(extra);
    }
    base
}

fn person(given: &str, family: &str) -> Value {
    json!({ "given_name": given, "family_name": family })
}

fn property(uprn: &str, line1: &str, postcode: &str) -> Value {
    json!({
        "uprn": uprn,
        "address": { "line1": line1, "town": "Huddersfield", "postcode": postcode },
        "property_type": "house",
        "bedrooms": 2
    })
}

fn member(person_id: &str, relationship: &str, start: &str) -> Value {
    json!({ "person_id": person_id, "relationship": relationship, "start_date": start })
}

fn tenancy(household_id: &str, property_id: &str, start: &str) -> Value {
    json!({
        "household_id": household_id,
        "property_id": property_id,
        "tenancy_type": "secure",
        "start_date": start
    })
}

fn contact(person_id: &str, channel: &str) -> Value {
    json!({ "person_id": person_id, "channel": channel, "staff_member": "u1042", "reason": "repair" })
}

/// "given family" for each item of a list, in order.
fn names(list: &Value) -> Vec<String> {
    let items = list["items"].as_array().cloned().unwrap_or_default();
    items
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                p["given_name"].as_str().unwrap_or("?"),
                p["family_name"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

/// The ids of a list's items, in order.
fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .map(|items| items.iter().map(id).collect())
        .unwrap_or_default()
}

/// A record with its times (`*_at`) cut to the microseconds the databases keep. Responses
/// to writes currently carry nanoseconds that a read does not return; see
/// `a_write_returns_the_record_as_a_read_will`.
fn stored(record: &Value) -> Value {
    let mut record = record.clone();
    if let Some(fields) = record.as_object_mut() {
        for (_, value) in fields.iter_mut().filter(|(k, _)| k.ends_with("_at")) {
            if let Some(t) = value
                .as_str()
                .and_then(|t| t.parse::<jiff::Timestamp>().ok())
            {
                *value = json!(format!("{t:.6}"));
            }
        }
    }
    record
}

/// An hour from now. The server runs on the system clock, so this is in its future.
#[allow(
    clippy::disallowed_methods,
    reason = "the server under test reads the system clock; only future times are built from it"
)]
fn an_hour_from_now() -> jiff::Timestamp {
    jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1)
}

/// A date next year, which no validation should accept as past.
fn next_year() -> String {
    let year = an_hour_from_now().to_zoned(jiff::tz::TimeZone::UTC).year() + 1;
    format!("{year}-01-01")
}

#[tokio::test]
async fn a_person_is_created_read_and_updated_with_versions() {
    for api in servers().await {
        let b = api.backend;
        let input = with(
            person("Aisha", "Rahman"),
            json!({
                "date_of_birth": "1984-02-29",
                "roles": ["tenant"],
                "ni_number": "ab 12 34 56 c",
                "phones": [{ "value": "+44 7700 900123", "label": "mobile" }],
                "postal_address": { "line1": "1 Railway Street", "town": "Huddersfield", "postcode": "hd1 2tg" },
                "preferred_channel": "sms"
            }),
        );
        let created = api.post("/api/people", &input).await;
        let (location, etag) = (
            created.header("location").to_string(),
            created.header("etag").to_string(),
        );
        let created = created.expect(201);
        let person_id = id(&created);
        assert_eq!(
            location,
            format!("/api/people/{person_id}"),
            "[{b}] Location"
        );
        assert_eq!(etag, "\"1\"", "[{b}] ETag of a new person");
        assert_eq!(created["version"], 1, "[{b}] {created}");
        assert_eq!(
            created["ni_number"], "AB123456C",
            "[{b}] NI number normalised"
        );
        assert_eq!(
            created["postal_address"]["postcode"], "HD1 2TG",
            "[{b}] postcode normalised"
        );
        assert_eq!(
            created["phones"][0]["value"], "07700900123",
            "[{b}] phone normalised"
        );
        assert_eq!(created["date_of_birth"], "1984-02-29", "[{b}]");
        assert_eq!(created["roles"], json!(["tenant"]), "[{b}]");
        assert_eq!(created["preferred_channel"], "sms", "[{b}]");
        assert_eq!(
            created["source"],
            json!({ "kind": "person" }),
            "[{b}] source defaults to the person"
        );

        let fetched = api.get(&location).await;
        assert_eq!(fetched.header("etag"), "\"1\"", "[{b}] ETag on GET");
        let fetched = fetched.expect(200);
        assert_eq!(
            stored(&fetched),
            stored(&created),
            "[{b}] GET returns the person as POST did"
        );

        let changed = with(
            input.clone(),
            json!({ "preferred_name": "Ash", "title": "Ms" }),
        );
        let updated = api.put(&location, &changed, "\"1\"").await;
        assert_eq!(
            updated.header("etag"),
            "\"2\"",
            "[{b}] ETag after an update"
        );
        let updated = updated.expect(200);
        assert_eq!(updated["version"], 2, "[{b}] {updated}");
        assert_eq!(updated["id"], created["id"], "[{b}]");
        assert_eq!(updated["preferred_name"], "Ash", "[{b}]");
        assert_eq!(
            stored(&updated)["created_at"],
            stored(&created)["created_at"],
            "[{b}] created_at is kept"
        );
        let fetched = api.get(&location).await.expect(200);
        assert_eq!(
            (&fetched["version"], &fetched["preferred_name"]),
            (&json!(2), &json!("Ash")),
            "[{b}]"
        );

        let stale = with(input.clone(), json!({ "preferred_name": "Aish" }));
        api.put(&location, &stale, "\"1\"")
            .await
            .error(409, "conflict");
        let fetched = api.get(&location).await.expect(200);
        assert_eq!(
            (&fetched["version"], &fetched["preferred_name"]),
            (&json!(2), &json!("Ash")),
            "[{b}] a stale PUT changes nothing"
        );

        // A weak ETag, as some proxies rewrite it, is the same version.
        let updated = api
            .put(
                &location,
                &with(input, json!({ "language": "Urdu" })),
                "W/\"2\"",
            )
            .await
            .expect(200);
        assert_eq!(
            (&updated["version"], &updated["language"]),
            (&json!(3), &json!("Urdu")),
            "[{b}]"
        );
    }
}

#[tokio::test]
async fn an_unknown_or_malformed_id_is_not_found() {
    for api in servers().await {
        let unknown = uuid::Uuid::new_v4();
        for path in [
            format!("/api/people/{unknown}"),
            "/api/people/not-a-uuid".into(),
        ] {
            api.get(&path).await.error(404, "not_found");
            api.put(&path, &person("Aisha", "Rahman"), "\"1\"")
                .await
                .error(404, "not_found");
        }
        for kind in ["properties", "households", "tenancies", "contacts"] {
            api.get(&format!("/api/{kind}/{unknown}"))
                .await
                .error(404, "not_found");
            api.get(&format!("/api/{kind}/42"))
                .await
                .error(404, "not_found");
        }
    }
}

#[tokio::test]
async fn invalid_input_is_rejected_field_by_field_and_nothing_is_stored() {
    for api in servers().await {
        let b = api.backend;
        let bad = with(
            person(" ", "Okafor"),
            json!({
                "date_of_birth": next_year(),
                "ni_number": "QQ 12 34 56 C",
                "phones": [{ "value": "123" }],
                "roles": ["tenant", "landlord"]
            }),
        );
        let body = api.post("/api/people", &bad).await.invalid(&[
            "given_name",
            "date_of_birth",
            "ni_number",
            "phones[0].value",
            "roles",
        ]);
        let messages: Vec<&str> = body["fields"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["message"].as_str())
            .collect();
        assert!(
            messages.iter().all(|m| !m.is_empty()),
            "[{b}] every field error says why: {body}"
        );

        let bad_address = with(
            person("Grace", "Okafor"),
            json!({ "postal_address": { "line1": "", "postcode": "HD1 2TC" }, "preferred_channel": "carrier pigeon" }),
        );
        api.post("/api/people", &bad_address).await.invalid(&[
            "postal_address.line1",
            "postal_address.postcode",
            "preferred_channel",
        ]);
        assert_eq!(
            api.total("/api/people").await,
            0,
            "[{b}] rejected POSTs stored nothing"
        );

        // An update is validated the same way and leaves the record as it was.
        let created = api.create("/api/people", &person("Grace", "Okafor")).await;
        let path = format!("/api/people/{}", id(&created));
        api.put(&path, &bad, "\"1\"").await.invalid(&[
            "given_name",
            "date_of_birth",
            "ni_number",
            "phones[0].value",
            "roles",
        ]);
        assert_eq!(
            stored(&api.get(&path).await.expect(200)),
            stored(&created),
            "[{b}] a rejected PUT changes nothing"
        );
        assert_eq!(api.total("/api/people").await, 1, "[{b}]");
    }
}

#[tokio::test]
async fn malformed_or_unknown_json_is_rejected() {
    for api in servers().await {
        let b = api.backend;
        let raw = |body: &'static str, content_type: &'static str| {
            let request = api
                .request(Method::POST, "/api/people")
                .header("content-type", content_type)
                .body(body);
            api.call(
                format!("POST /api/people {body:?} as {content_type}"),
                request,
            )
        };
        raw("{\"given_name\": \"Aisha\",", "application/json")
            .await
            .invalid(&["(body)"]);
        raw(
            "{\"given_name\": 5, \"family_name\": \"Rahman\"}",
            "application/json",
        )
        .await
        .invalid(&["(body)"]);
        raw(
            "{\"given_name\": \"Aisha\", \"family_name\": \"Rahman\"}",
            "text/plain",
        )
        .await
        .invalid(&["(body)"]);
        let unknown = api
            .post(
                "/api/people",
                &with(person("Aisha", "Rahman"), json!({ "shoe_size": 6 })),
            )
            .await
            .invalid(&["(body)"]);
        assert!(
            unknown["fields"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("shoe_size")),
            "[{b}] names the unknown field: {unknown}"
        );
        let nested =
            json!({ "line1": "1 High Street", "postcode": "HD1 2TG", "county": "West Yorkshire" });
        api.post(
            "/api/people",
            &with(
                person("Aisha", "Rahman"),
                json!({ "postal_address": nested }),
            ),
        )
        .await
        .invalid(&["(body)"]);
        assert_eq!(api.total("/api/people").await, 0, "[{b}] nothing stored");

        api.get("/api/people?page=first")
            .await
            .invalid(&["(query)"]);
        let created = api.create("/api/people", &person("Aisha", "Rahman")).await;
        api.put(
            &format!("/api/people/{}", id(&created)),
            &person("Aisha", "Rahman"),
            "latest",
        )
        .await
        .invalid(&["If-Match"]);
    }
}

#[tokio::test]
async fn people_are_listed_in_pages() {
    for api in servers().await {
        let b = api.backend;
        for family in ["Dyson", "Ashworth", "Earnshaw", "Booth", "Crowther"] {
            api.create("/api/people", &person("Sam", family)).await;
        }
        let mut seen = Vec::new();
        let pages: [(&str, &[&str]); 4] = [
            ("1", &["Sam Ashworth", "Sam Booth"]),
            ("2", &["Sam Crowther", "Sam Dyson"]),
            ("3", &["Sam Earnshaw"]),
            ("4", &[]),
        ];
        for (page, want) in pages {
            let list = api
                .list("/api/people", &[("page", page), ("per_page", "2")])
                .await;
            assert_eq!(names(&list), want, "[{b}] page {page}");
            assert_eq!(
                (&list["page"], &list["per_page"], &list["total"]),
                (
                    &json!(page.parse::<u32>().unwrap_or(0)),
                    &json!(2),
                    &json!(5)
                ),
                "[{b}] page {page}"
            );
            seen.extend(ids(&list));
        }
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 5, "[{b}] every person on exactly one page");

        let all = api.list("/api/people", &[]).await;
        assert_eq!(
            (&all["page"], &all["per_page"], &all["total"]),
            (&json!(1), &json!(50), &json!(5)),
            "[{b}] defaults"
        );
        assert_eq!(names(&all).len(), 5, "[{b}]");
    }
}

#[tokio::test]
async fn people_are_found_by_name_postcode_and_ni_number() {
    for api in servers().await {
        let b = api.backend;
        let address = |postcode: &str| json!({ "line1": "1 Railway Street", "postcode": postcode });
        let rahman = json!({ "middle_names": "Noor", "ni_number": "AB123456C", "postal_address": address("hd1 2tg") });
        api.create("/api/people", &with(person("Aisha", "Rahman"), rahman))
            .await;
        api.create(
            "/api/people",
            &with(
                person("Aisha", "Begum"),
                json!({ "postal_address": address("HD1 1JF") }),
            ),
        )
        .await;
        api.create(
            "/api/people",
            &with(
                person("Tomasz", "Nowak"),
                json!({ "ni_number": "ce 65 43 21 a" }),
            ),
        )
        .await;

        for (key, value, want) in [
            ("name", "aisha rahman", vec!["Aisha Rahman"]),
            ("name", "Rahman Aisha", vec!["Aisha Rahman"]),
            ("name", "noor", vec!["Aisha Rahman"]),
            ("name", "AISHA", vec!["Aisha Begum", "Aisha Rahman"]),
            ("name", "nowak tomasz", vec!["Tomasz Nowak"]),
            ("name", "smith", vec![]),
            ("postcode", "hd12tg", vec!["Aisha Rahman"]),
            ("postcode", "HD1 2TG", vec!["Aisha Rahman"]),
            ("postcode", "hd1 1jf", vec!["Aisha Begum"]),
            ("postcode", "M1 1AE", vec![]),
            ("ni_number", "AB123456C", vec!["Aisha Rahman"]),
            ("ni_number", "ab 12 34 56 c", vec!["Aisha Rahman"]),
            ("ni_number", " a b1234 56c ", vec!["Aisha Rahman"]),
            ("ni_number", "CE654321A", vec!["Tomasz Nowak"]),
        ] {
            let list = api.list("/api/people", &[(key, value)]).await;
            assert_eq!(names(&list), want, "[{b}] {key}={value:?}");
            assert_eq!(list["total"], want.len(), "[{b}] {key}={value:?}");
        }
        let both = api
            .list("/api/people", &[("name", "aisha"), ("postcode", "HD1 1JF")])
            .await;
        assert_eq!(
            names(&both),
            ["Aisha Begum"],
            "[{b}] all filters must match"
        );

        for (key, value) in [
            ("postcode", "nowhere"),
            ("ni_number", "QQ 12 34 56 C"),
            ("uprn", "12a"),
        ] {
            let what = format!("{key}={value}");
            let request = api
                .request(Method::GET, "/api/people")
                .query(&[(key, value)]);
            api.call(what, request).await.invalid(&[key]);
        }
    }
}

#[tokio::test]
async fn people_are_found_by_the_uprn_of_their_tenancy() {
    for api in servers().await {
        let b = api.backend;
        let aisha = api.create("/api/people", &person("Aisha", "Rahman")).await;
        let zara = api.create("/api/people", &person("Zara", "Rahman")).await;
        let tomasz = api.create("/api/people", &person("Tomasz", "Nowak")).await;
        api.create("/api/people", &person("Grace", "Okafor")).await;

        let home = api
            .create(
                "/api/properties",
                &property("10023336956", "1 Railway Street", "HD1 2TG"),
            )
            .await;
        let other = api
            .create(
                "/api/properties",
                &property("10023336957", "3 Railway Street", "HD1 2TG"),
            )
            .await;
        let rahmans = api
            .create("/api/households", &json!({ "name": "Rahman household" }))
            .await;
        let nowaks = api
            .create("/api/households", &json!({ "name": "Nowak household" }))
            .await;
        let rahman_members = format!("/api/households/{}/members", id(&rahmans));
        api.create(
            &rahman_members,
            &member(&id(&aisha), "lead_tenant", "2020-01-01"),
        )
        .await;
        api.create(&rahman_members, &member(&id(&zara), "child", "2020-01-01"))
            .await;
        let nowak_members = format!("/api/households/{}/members", id(&nowaks));
        api.create(
            &nowak_members,
            &member(&id(&tomasz), "lead_tenant", "2021-05-01"),
        )
        .await;
        api.create(
            "/api/tenancies",
            &tenancy(&id(&rahmans), &id(&home), "2020-01-01"),
        )
        .await;
        api.create(
            "/api/tenancies",
            &tenancy(&id(&nowaks), &id(&other), "2021-05-01"),
        )
        .await;

        for (uprn, want) in [
            ("10023336956", vec!["Aisha Rahman", "Zara Rahman"]),
            ("010023336956", vec!["Aisha Rahman", "Zara Rahman"]),
            ("10023336957", vec!["Tomasz Nowak"]),
            ("99999999", vec![]),
        ] {
            let list = api.list("/api/people", &[("uprn", uprn)]).await;
            assert_eq!(names(&list), want, "[{b}] uprn={uprn}");
        }
        let list = api
            .list("/api/people", &[("uprn", "10023336956"), ("name", "zara")])
            .await;
        assert_eq!(
            names(&list),
            ["Zara Rahman"],
            "[{b}] uprn and name together"
        );
    }
}

#[tokio::test]
async fn properties_are_unique_by_uprn_and_found_by_uprn_and_postcode() {
    for api in servers().await {
        let b = api.backend;
        let created = api
            .post(
                "/api/properties",
                &property("10023336956", "1 Railway Street", "hd1 2tg"),
            )
            .await;
        assert_eq!(created.header("etag"), "\"1\"", "[{b}]");
        let location = created.header("location").to_string();
        let first = created.expect(201);
        assert_eq!(location, format!("/api/properties/{}", id(&first)), "[{b}]");
        assert_eq!(
            (&first["uprn"], &first["address"]["postcode"]),
            (&json!("10023336956"), &json!("HD1 2TG")),
            "[{b}] {first}"
        );
        assert_eq!(
            first["source"],
            json!({ "kind": "staff" }),
            "[{b}] source defaults to staff"
        );
        assert_eq!(
            stored(&api.get(&location).await.expect(200)),
            stored(&first),
            "[{b}] GET returns the property as created"
        );
        let second = api
            .create(
                "/api/properties",
                &property("200003456789", "12 Wakefield Road", "HD5 9AA"),
            )
            .await;

        api.post(
            "/api/properties",
            &property("10023336956", "1 Railway St", "HD1 2TG"),
        )
        .await
        .invalid(&["uprn"]);
        api.post(
            "/api/properties",
            &property("010023336956", "1 Railway St", "HD1 2TG"),
        )
        .await
        .invalid(&["uprn"]);
        api.post("/api/properties", &property("0", "", "HD1"))
            .await
            .invalid(&["uprn", "address.line1", "address.postcode"]);
        assert_eq!(
            api.total("/api/properties").await,
            2,
            "[{b}] rejected properties are not stored"
        );
        let second_path = format!("/api/properties/{}", id(&second));
        api.put(
            &second_path,
            &property("10023336956", "12 Wakefield Road", "HD5 9AA"),
            "\"1\"",
        )
        .await
        .invalid(&["uprn"]);
        assert_eq!(
            stored(&api.get(&second_path).await.expect(200)),
            stored(&second),
            "[{b}] a rejected PUT changes nothing"
        );

        for (key, value, want) in [
            ("uprn", "10023336956", vec![id(&first)]),
            ("uprn", "010023336956", vec![id(&first)]),
            ("uprn", "200003456789", vec![id(&second)]),
            ("uprn", "1", vec![]),
            ("postcode", "hd12tg", vec![id(&first)]),
            ("postcode", "HD5 9AA", vec![id(&second)]),
            ("address", "wakefield road", vec![id(&second)]),
        ] {
            let list = api.list("/api/properties", &[(key, value)]).await;
            assert_eq!(ids(&list), want, "[{b}] {key}={value:?}");
        }
        let request = api
            .request(Method::GET, "/api/properties")
            .query(&[("uprn", "twelve")]);
        api.call("GET /api/properties?uprn=twelve".into(), request)
            .await
            .invalid(&["uprn"]);
    }
}

#[tokio::test]
async fn households_keep_their_membership_history() {
    for api in servers().await {
        let b = api.backend;
        let aisha = id(&api.create("/api/people", &person("Aisha", "Rahman")).await);
        let imran = id(&api.create("/api/people", &person("Imran", "Rahman")).await);
        let created = api
            .post(
                "/api/households",
                &json!({ "name": "Rahman household", "external_ref": "H-1" }),
            )
            .await;
        let location = created.header("location").to_string();
        let household = created.expect(201);
        assert_eq!(
            location,
            format!("/api/households/{}", id(&household)),
            "[{b}]"
        );
        assert_eq!(
            (&household["name"], &household["members"]),
            (&json!("Rahman household"), &json!([])),
            "[{b}]"
        );

        let members = format!("{location}/members");
        let after_one = api
            .create(&members, &member(&aisha, "lead_tenant", "2019-04-01"))
            .await;
        assert_eq!(
            after_one["members"].as_array().map(Vec::len),
            Some(1),
            "[{b}] {after_one}"
        );
        let after_two = api
            .create(&members, &member(&imran, "partner", "2020-06-15"))
            .await;
        let imran_membership = after_two["members"]
            .as_array()
            .and_then(|m| m.iter().find(|m| m["person_id"] == imran.as_str()))
            .map(id)
            .unwrap_or_else(|| panic!("[{b}] Imran is not a member: {after_two}"));

        let ended = with(
            member(&imran, "partner", "2020-06-15"),
            json!({ "end_date": "2024-02-29" }),
        );
        api.put(&format!("{members}/{imran_membership}"), &ended, "\"1\"")
            .await
            .expect(200);

        let household = api.get(&location).await.expect(200);
        let mut history: Vec<(String, String, String, Value)> = household["members"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|m| {
                let text = |k: &str| m[k].as_str().unwrap_or("?").to_string();
                (
                    text("person_id"),
                    text("relationship"),
                    text("start_date"),
                    m["end_date"].clone(),
                )
            })
            .collect();
        history.sort_by(|x, y| x.2.cmp(&y.2));
        assert_eq!(
            history,
            [
                (
                    aisha.clone(),
                    "lead_tenant".to_string(),
                    "2019-04-01".to_string(),
                    Value::Null
                ),
                (
                    imran.clone(),
                    "partner".to_string(),
                    "2020-06-15".to_string(),
                    json!("2024-02-29")
                ),
            ],
            "[{b}] both memberships are kept, one ended: {household}"
        );
        let households = api
            .list("/api/households", &[("person_id", imran.as_str())])
            .await;
        assert_eq!(
            ids(&households),
            [id(&household)],
            "[{b}] a former member's households"
        );

        api.post(
            &members,
            &member(&uuid::Uuid::new_v4().to_string(), "child", "2021-01-01"),
        )
        .await
        .invalid(&["person_id"]);
        api.post(&members, &member(&aisha, "lead_tenant", "2021-01-01"))
            .await
            .invalid(&["person_id"]);
        api.post(&members, &member(&aisha, "landlord", "someday"))
            .await
            .invalid(&["relationship", "start_date"]);
        let household = api.get(&location).await.expect(200);
        assert_eq!(
            household["members"].as_array().map(Vec::len),
            Some(2),
            "[{b}] rejected members are not added"
        );

        let nowhere = format!("/api/households/{}/members", uuid::Uuid::new_v4());
        api.post(&nowhere, &member(&aisha, "child", "2021-01-01"))
            .await
            .error(404, "not_found");
        api.put(
            &format!("{members}/{}", uuid::Uuid::new_v4()),
            &ended,
            "\"1\"",
        )
        .await
        .error(404, "not_found");
    }
}

#[tokio::test]
async fn tenancies_check_their_references_and_dates_and_filter_by_date() {
    for api in servers().await {
        let b = api.backend;
        let home = id(&api
            .create(
                "/api/properties",
                &property("10023336956", "1 Railway Street", "HD1 2TG"),
            )
            .await);
        let household = id(&api
            .create("/api/households", &json!({ "name": "Rahman household" }))
            .await);
        let ended = with(
            tenancy(&household, &home, "2019-04-01"),
            json!({ "end_date": "2022-03-31", "end_reason": "transfer" }),
        );
        let created = api.post("/api/tenancies", &ended).await;
        assert_eq!(created.header("etag"), "\"1\"", "[{b}]");
        let location = created.header("location").to_string();
        let old = created.expect(201);
        assert_eq!(location, format!("/api/tenancies/{}", id(&old)), "[{b}]");
        assert_eq!(
            (&old["start_date"], &old["end_date"], &old["tenancy_type"]),
            (&json!("2019-04-01"), &json!("2022-03-31"), &json!("secure")),
            "[{b}]"
        );
        assert_eq!(
            stored(&api.get(&location).await.expect(200)),
            stored(&old),
            "[{b}] GET returns the tenancy as created"
        );
        let current = api
            .create(
                "/api/tenancies",
                &with(
                    tenancy(&household, &home, "2022-04-01"),
                    json!({ "tenancy_type": "assured" }),
                ),
            )
            .await;

        for (date, want) in [
            ("2019-03-31", vec![]),
            ("2020-06-01", vec![id(&old)]),
            ("2022-03-31", vec![id(&old)]),
            ("2022-04-01", vec![id(&current)]),
            ("2030-01-01", vec![id(&current)]),
        ] {
            let list = api.list("/api/tenancies", &[("current_on", date)]).await;
            assert_eq!(ids(&list), want, "[{b}] current_on={date}");
        }
        let all = api
            .list(
                "/api/tenancies",
                &[
                    ("household_id", household.as_str()),
                    ("uprn", "10023336956"),
                ],
            )
            .await;
        assert_eq!(all["total"], 2, "[{b}] {all}");
        let request = api
            .request(Method::GET, "/api/tenancies")
            .query(&[("current_on", "31/03/2022")]);
        api.call("GET /api/tenancies?current_on=31/03/2022".into(), request)
            .await
            .invalid(&["current_on"]);

        let nobody = uuid::Uuid::new_v4().to_string();
        api.post("/api/tenancies", &tenancy(&nobody, &nobody, "2020-01-01"))
            .await
            .invalid(&["household_id", "property_id"]);
        api.post(
            "/api/tenancies",
            &tenancy(&household, &nobody, "2020-01-01"),
        )
        .await
        .invalid(&["property_id"]);
        let backwards = with(
            tenancy(&household, &home, "2020-01-01"),
            json!({ "end_date": "2019-12-31" }),
        );
        api.post("/api/tenancies", &backwards)
            .await
            .invalid(&["end_date"]);
        let reason_only = with(
            tenancy(&household, &home, "2020-01-01"),
            json!({ "end_reason": "eviction", "tenancy_type": "freehold" }),
        );
        api.post("/api/tenancies", &reason_only)
            .await
            .invalid(&["end_reason", "tenancy_type"]);
        assert_eq!(
            api.total("/api/tenancies").await,
            2,
            "[{b}] rejected tenancies are not stored"
        );
    }
}

#[tokio::test]
async fn contacts_are_logged_and_listed_newest_first() {
    for api in servers().await {
        let b = api.backend;
        let aisha = id(&api.create("/api/people", &person("Aisha", "Rahman")).await);
        let grace = id(&api.create("/api/people", &person("Grace", "Okafor")).await);

        let created = api.post("/api/contacts", &contact(&aisha, "phone")).await;
        let location = created.header("location").to_string();
        let mut now = created.expect(201);
        assert_eq!(location, format!("/api/contacts/{}", id(&now)), "[{b}]");
        // What the note says about others is told when it is saved, not kept on the contact.
        let others = now
            .as_object_mut()
            .and_then(|fields| fields.remove("others_named"));
        assert_eq!(
            others,
            Some(json!([])),
            "[{b}] a note naming no one else: {now}"
        );
        let time = |v: &Value, k: &str| {
            v[k].as_str()
                .and_then(|t| t.parse::<jiff::Timestamp>().ok())
        };
        assert!(
            time(&now, "occurred_at").is_some(),
            "[{b}] occurred_at is a time: {now}"
        );
        assert_eq!(
            time(&now, "occurred_at"),
            time(&now, "created_at"),
            "[{b}] occurred_at defaults to now: {now}"
        );
        assert_eq!(
            stored(&api.get(&location).await.expect(200)),
            stored(&now),
            "[{b}] GET returns the contact as created"
        );

        let at = |channel: &str, when: &str| {
            with(contact(&aisha, channel), json!({ "occurred_at": when }))
        };
        let january = api
            .create("/api/contacts", &at("letter", "2025-01-10T09:00:00Z"))
            .await;
        let march = api
            .create(
                "/api/contacts",
                &at("face_to_face", "2025-03-05T14:30:00+00:00"),
            )
            .await;
        assert_eq!(
            march["occurred_at"], "2025-03-05T14:30:00Z",
            "[{b}] {march}"
        );
        api.create("/api/contacts", &contact(&grace, "email")).await;

        let list = api
            .list("/api/contacts", &[("person_id", aisha.as_str())])
            .await;
        assert_eq!(
            ids(&list),
            [id(&now), id(&march), id(&january)],
            "[{b}] newest first: {list}"
        );
        assert_eq!(list["total"], 3, "[{b}]");
        let letters = api
            .list(
                "/api/contacts",
                &[("person_id", aisha.as_str()), ("channel", "letter")],
            )
            .await;
        assert_eq!(ids(&letters), [id(&january)], "[{b}]");

        let future = an_hour_from_now().to_string();
        api.post("/api/contacts", &at("phone", &future))
            .await
            .invalid(&["occurred_at"]);
        api.post("/api/contacts", &at("phone", "yesterday"))
            .await
            .invalid(&["occurred_at"]);
        api.post("/api/contacts", &contact(&aisha, "carrier_pigeon"))
            .await
            .invalid(&["channel"]);
        let unknown_person = contact(&uuid::Uuid::new_v4().to_string(), "phone");
        api.post("/api/contacts", &unknown_person)
            .await
            .invalid(&["person_id"]);
        let request = api
            .request(Method::GET, "/api/contacts")
            .query(&[("channel", "carrier_pigeon")]);
        api.call("GET /api/contacts?channel=carrier_pigeon".into(), request)
            .await
            .invalid(&["channel"]);
        assert_eq!(
            api.total("/api/contacts").await,
            4,
            "[{b}] rejected contacts are not stored"
        );
    }
}

#[tokio::test]
async fn health_and_register_report_the_backend_and_the_register() {
    let shipped = hearth_core::register::default_register()
        .unwrap_or_else(|p| panic!("shipped register: {p:?}"));
    for api in servers().await {
        let b = api.backend;
        let health = api.get("/health").await.expect(200);
        assert_eq!(health["status"], "ok", "[{b}] {health}");
        assert_eq!(health["database"], b, "[{b}] {health}");
        assert_eq!(health["register"], shipped.hash.as_str(), "[{b}] {health}");
        assert!(
            health["schema_version"].as_i64().is_some_and(|v| v >= 1),
            "[{b}] {health}"
        );

        let register = api.get("/api/register").await.expect(200);
        assert_eq!(register["sha256"], shipped.hash.as_str(), "[{b}]");
        assert_eq!(shipped.hash.len(), 64, "the hash is a SHA-256 in hex");
        assert_eq!(
            (&register["title"], &register["version_label"]),
            (
                &json!(shipped.meta.title),
                &json!(shipped.meta.version_label)
            ),
            "[{b}]"
        );
        assert!(
            register["register"].is_object(),
            "[{b}] the full register is included"
        );
        assert!(
            api.get("/api/register/history")
                .await
                .expect(200)
                .is_array(),
            "[{b}]"
        );
    }
}

#[tokio::test]
async fn every_response_has_the_security_headers() {
    // `Api::call` asserts nosniff and DENY on every reply; here, every kind of response.
    for api in servers().await {
        let b = api.backend;
        let ok = api.get("/health").await;
        assert_eq!(ok.header("referrer-policy"), "no-referrer", "[{b}]");
        api.get("/api/people").await.expect(200);
        api.create("/api/people", &person("Aisha", "Rahman")).await;
        api.get("/api/openapi.json").await.expect(200);
        let docs = api.get("/api/docs/").await;
        assert_eq!(docs.status, StatusCode::OK, "[{b}] Swagger UI");
        api.get(&format!("/api/people/{}", uuid::Uuid::new_v4()))
            .await
            .error(404, "not_found");
        api.post("/api/people", &json!({}))
            .await
            .invalid(&["(body)"]);
    }
}

#[tokio::test]
async fn every_error_has_a_fresh_correlation_id() {
    for api in servers().await {
        let b = api.backend;
        let person_path = format!(
            "/api/people/{}",
            id(&api.create("/api/people", &person("Aisha", "Rahman")).await)
        );
        api.put(&person_path, &person("Aisha", "Rahman"), "\"1\"")
            .await
            .expect(200);
        let errors = [
            api.get(&format!("/api/people/{}", uuid::Uuid::new_v4()))
                .await
                .error(404, "not_found"),
            api.get("/api/tenancies/nope").await.error(404, "not_found"),
            api.put(&person_path, &person("Aisha", "Rahman"), "\"1\"")
                .await
                .error(409, "conflict"),
            api.post("/api/people", &person("", ""))
                .await
                .invalid(&["given_name", "family_name"]),
            api.post("/api/households", &json!([]))
                .await
                .invalid(&["(body)"]),
            api.get("/api/contacts?per_page=-1")
                .await
                .invalid(&["(query)"]),
        ];
        let mut ids: Vec<&str> = errors
            .iter()
            .filter_map(|e| e["correlation_id"].as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(
            ids.len(),
            errors.len(),
            "[{b}] each error has its own correlation id"
        );
        assert!(
            errors
                .iter()
                .all(|e| e["message"].as_str().is_some_and(|m| !m.is_empty())),
            "[{b}] every error has a message"
        );
    }
}

#[tokio::test]

async fn a_write_returns_the_record_as_a_read_will() {
    for api in servers().await {
        let b = api.backend;
        let created = api.post("/api/people", &person("Aisha", "Rahman")).await;
        let location = created.header("location").to_string();
        let created = created.expect(201);
        assert_eq!(
            api.get(&location).await.expect(200),
            created,
            "[{b}] POST response and GET differ"
        );
        let updated = api
            .put(&location, &person("Aisha", "Begum"), "\"1\"")
            .await
            .expect(200);
        assert_eq!(
            api.get(&location).await.expect(200),
            updated,
            "[{b}] PUT response and GET differ"
        );
        let occurred = with(
            contact(&id(&created), "phone"),
            json!({ "occurred_at": "2025-01-10T09:00:00.123456789Z" }),
        );
        let logged = api.post("/api/contacts", &occurred).await.expect(201);
        let read = api
            .get(&format!("/api/contacts/{}", id(&logged)))
            .await
            .expect(200);
        assert_eq!(
            read["occurred_at"], logged["occurred_at"],
            "[{b}] occurred_at as given is not what is kept"
        );
    }
}

#[tokio::test]

async fn households_are_found_by_non_ascii_names_on_every_backend() {
    for api in servers().await {
        let b = api.backend;
        let household = api
            .create(
                "/api/households",
                &json!({ "name": "Łukasz Żak household" }),
            )
            .await;
        for name in ["łukasz", "Łukasz", "żak"] {
            let list = api.list("/api/households", &[("name", name)]).await;
            assert_eq!(ids(&list), [id(&household)], "[{b}] name={name}");
        }
    }
}

#[tokio::test]

async fn a_person_never_holds_two_open_memberships_of_one_household() {
    for api in servers().await {
        let aisha = id(&api.create("/api/people", &person("Aisha", "Rahman")).await);
        let household = api
            .create("/api/households", &json!({ "name": "Rahman household" }))
            .await;
        let members = format!("/api/households/{}/members", id(&household));
        let first = id(&api
            .create(&members, &member(&aisha, "lead_tenant", "2019-01-01"))
            .await["members"][0]);
        let ended = with(
            member(&aisha, "lead_tenant", "2019-01-01"),
            json!({ "end_date": "2020-01-01" }),
        );
        api.put(&format!("{members}/{first}"), &ended, "\"1\"")
            .await
            .expect(200);
        api.create(&members, &member(&aisha, "lead_tenant", "2021-01-01"))
            .await;
        let reopened = member(&aisha, "lead_tenant", "2019-01-01");
        api.put(&format!("{members}/{first}"), &reopened, "\"1\"")
            .await
            .invalid(&["person_id"]);
    }
}

#[tokio::test]

async fn correcting_a_contact_keeps_when_it_happened() {
    for api in servers().await {
        let b = api.backend;
        let aisha = id(&api.create("/api/people", &person("Aisha", "Rahman")).await);
        let logged = with(
            contact(&aisha, "phone"),
            json!({ "occurred_at": "2025-01-10T09:00:00Z" }),
        );
        let entry = api.create("/api/contacts", &logged).await;
        let correction = with(
            contact(&aisha, "phone"),
            json!({ "summary": "boiler fixed" }),
        );
        let corrected = api
            .put(
                &format!("/api/contacts/{}", id(&entry)),
                &correction,
                "\"1\"",
            )
            .await
            .expect(200);
        assert_eq!(
            corrected["occurred_at"], "2025-01-10T09:00:00Z",
            "[{b}] {corrected}"
        );
    }
}

#[tokio::test]

async fn unrouted_requests_get_the_error_format_too() {
    for api in servers().await {
        api.get("/api/nowhere").await.error(404, "not_found");
        let request = api.request(Method::DELETE, "/api/people");
        let reply = api.call("DELETE /api/people".into(), request).await;
        assert!(
            reply.body["correlation_id"].is_string(),
            "{}: {}",
            reply.what,
            reply.body
        );
    }
}

#[tokio::test]
async fn a_body_too_large_is_refused_as_such_and_stores_nothing() {
    for api in servers().await {
        let huge = json!({ "given_name": "A", "family_name": "x".repeat(3 * 1024 * 1024) });
        let reply = api.post("/api/people", &huge).await;
        assert_eq!(
            reply.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{}",
            reply.what
        );
        assert_eq!(reply.body["code"], "too_large", "{}", reply.what);
        assert_eq!(api.total("/api/people").await, 0, "{}", reply.what);
    }
}

#[tokio::test]
async fn a_change_of_membership_is_a_new_version_of_the_household() {
    for api in servers().await {
        let person = api
            .create(
                "/api/people",
                &json!({ "given_name": "Ifrah", "family_name": "Warsame" }),
            )
            .await;
        let household = api
            .create("/api/households", &json!({ "name": "Warsame household" }))
            .await;
        let path = format!("/api/households/{}", household["id"].as_str().unwrap_or(""));
        let member = json!({ "person_id": person["id"], "relationship": "lead_tenant", "start_date": "2024-05-01" });
        let added = api.post(&format!("{path}/members"), &member).await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.what);
        assert_eq!(
            (added.body["version"].as_i64(), added.header("etag")),
            (Some(2), "\"2\""),
            "{}",
            added.what
        );
        let stale = api.put(&path, &json!({ "name": "Renamed" }), "\"1\"").await;
        assert_eq!(
            stale.status,
            StatusCode::CONFLICT,
            "{}: a client holding the old household must reload",
            stale.what
        );
    }
}
