//! Residents' pages, in the GOV.UK Design System's markup and without scripts: signing in with
//! GOV.UK One Login, linking the account to their record with the code the council gave them,
//! seeing their repairs and reporting a new one, and signing out of both Hearth and One Login.
//! Every form carries the session's CSRF token; every reading goes through the services.

use crate::call_pages::{Frame, message_page, render};
use crate::extract::cookie_value;
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use hearth_service::residents::{RESIDENT_SESSION_MINUTES, ResidentSessionState, SIGN_IN_MINUTES};
use hearth_service::{Hearth, ServiceError};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The resident's session cookie. `SameSite=Lax`: the resident arrives from One Login by a
/// cross-site redirect and must be signed in on that first page; forms carry a CSRF token.
pub const RESIDENT_COOKIE: &str = "hearth_resident";
/// The cookie that ties One Login's answer to the browser that asked (its `state`).
const STATE_COOKIE: &str = "hearth_one_login";
/// The purpose a resident's repair pages act for.
const REPAIRS: &str = hearth_service::repairs::REPAIRS_PURPOSE;
const SERVICE_NAME: &str = "Your repairs";

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(home))
        .routes(routes!(sign_in))
        .routes(routes!(signed_in))
        .routes(routes!(link_page, link))
        .routes(routes!(report_page))
        .routes(routes!(report))
        .routes(routes!(sign_out))
        .routes(routes!(signed_out))
}

/// What a fault may be, as residents are asked it.
const CATEGORIES: &[(&str, &str)] = &[
    ("plumbing", "Taps, pipes and leaks"),
    ("heating", "Heating and hot water"),
    ("gas", "Gas appliances"),
    ("electrical", "Electrics, lights and sockets"),
    ("doors_windows", "Doors, windows and locks"),
    ("damp_mould", "Damp, condensation and mould"),
    ("roofing", "Roof and gutters"),
    ("drainage", "Drains, toilets and blockages"),
    ("structural", "Walls, floors, ceilings and stairs"),
    ("kitchen", "Kitchen units and worktops"),
    ("bathroom", "Bath, shower and basin"),
    ("other", "Something else"),
];

fn category_name(id: &str) -> String {
    CATEGORIES
        .iter()
        .find(|(value, _)| *value == id)
        .map_or_else(|| id.to_string(), |(_, name)| (*name).to_string())
}

#[derive(Template)]
#[template(path = "resident_start.html")]
struct StartPage {
    organisation: String,
    service: String,
    error: bool,
    available: bool,
}

/// A repair as the resident's list shows it.
struct RepairLine {
    reference: String,
    what: String,
    status: String,
    reported: String,
    target: String,
}

#[derive(Template)]
#[template(path = "resident_home.html")]
struct HomePage {
    organisation: String,
    service: String,
    error: bool,
    csrf: String,
    repairs: Vec<RepairLine>,
}

#[derive(Template)]
#[template(path = "resident_link.html")]
struct LinkPage {
    organisation: String,
    service: String,
    error: bool,
    message: String,
    csrf: String,
    code: String,
    day: String,
    month: String,
    year: String,
}

#[derive(Template)]
#[template(path = "resident_report.html")]
struct ReportPage {
    organisation: String,
    service: String,
    error: bool,
    problems: Vec<(String, String)>,
    csrf: String,
    homes: Vec<(String, String)>,
    home: String,
    categories: Vec<(String, String)>,
    category: String,
    description: String,
}

fn frame(hearth: &Hearth) -> Frame {
    let mut frame = Frame::of(hearth);
    frame.service = SERVICE_NAME.into();
    frame
}

fn page_message(
    hearth: &Hearth,
    status: StatusCode,
    heading: &str,
    lines: Vec<String>,
    panel: bool,
) -> Response {
    message_page(&frame(hearth), status, heading, lines, panel)
}

/// The page for an error the resident cannot fix by changing what they typed.
fn trouble(hearth: &Hearth, err: ServiceError) -> Response {
    match err {
        ServiceError::Unauthenticated(_) => page_message(
            hearth,
            StatusCode::UNAUTHORIZED,
            "You could not be signed in",
            vec![
                "Your sign-in may have taken too long, or been started in another browser.".into(),
                "Go back to the start and sign in again.".into(),
            ],
            false,
        ),
        ServiceError::Forbidden(why) => page_message(
            hearth,
            StatusCode::FORBIDDEN,
            "You cannot do this",
            vec![why],
            false,
        ),
        ServiceError::Upstream(_) => {
            tracing::error!(error = %err, "GOV.UK One Login failed");
            page_message(
                hearth,
                StatusCode::BAD_GATEWAY,
                "Sorry, signing in is not working",
                vec!["Try again later. To report an emergency repair, phone us.".into()],
                false,
            )
        }
        other => {
            tracing::error!(error = %other, "a resident page failed");
            page_message(
                hearth,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service",
                vec!["Try again later. To report an emergency repair, phone us.".into()],
                false,
            )
        }
    }
}

fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

fn session_cookie(secret: &str, max_age: i64) -> String {
    cookie::Cookie::build((RESIDENT_COOKIE, secret.to_string()))
        .path("/resident")
        .secure(true)
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(max_age))
        .build()
        .to_string()
}

/// The signed-in resident's session, if the request carries a live one.
async fn session_of(hearth: &Hearth, parts: &Parts) -> Option<ResidentSessionState> {
    let secret = cookie_value(&parts.headers, RESIDENT_COOKIE)?;
    hearth.resident_session(&secret).await.ok()
}

/// A linked resident's session, or where to send them instead.
async fn linked_session(hearth: &Hearth, parts: &Parts) -> Result<ResidentSessionState, Response> {
    match session_of(hearth, parts).await {
        Some(session) if session.person_id.is_some() => Ok(session),
        Some(_) => Err(Redirect::to("/resident/link").into_response()),
        None => Err(Redirect::to("/resident").into_response()),
    }
}

/// Whether a form carries the session's CSRF token.
fn csrf_matches(sent: &str, session: &ResidentSessionState) -> bool {
    crate::extract::same_secret(sent, &session.csrf_token)
}

fn expired_form(hearth: &Hearth) -> Response {
    page_message(
        hearth,
        StatusCode::FORBIDDEN,
        "This form has expired",
        vec!["Go back, reload the page and try again.".into()],
        false,
    )
}

/// The resident's start page, or their repairs once signed in.
#[utoipa::path(get, path = "/resident", tag = "resident pages",
    responses((status = 200, description = "The start page, or the resident's repairs", content_type = "text/html"),
        (status = 303, description = "Signed in but not linked: to the linking page")))]
async fn home(State(hearth): State<Hearth>, parts: Parts) -> Response {
    let frame = frame(&hearth);
    let Some(session) = session_of(&hearth, &parts).await else {
        return render(
            StatusCode::OK,
            StartPage {
                organisation: frame.organisation,
                service: frame.service,
                error: false,
                available: hearth.resident_sign_in_enabled(),
            },
        );
    };
    let caller = match session.caller(REPAIRS) {
        Ok(caller) => caller,
        Err(_) => return Redirect::to("/resident/link").into_response(),
    };
    let found = hearth
        .repairs(&caller, hearth_store::RepairQuery::default(), 100)
        .await;
    match found {
        Ok(repairs) => {
            let day = |t: jiff::Timestamp| {
                t.to_zoned(jiff::tz::TimeZone::UTC)
                    .strftime("%-d %B %Y")
                    .to_string()
            };
            let repairs = repairs
                .into_iter()
                .map(|r| RepairLine {
                    reference: r.reference,
                    what: category_name(r.category.as_str()),
                    status: r.status.as_str().replace('_', " "),
                    reported: day(r.reported_at),
                    target: day(r.target_at),
                })
                .collect();
            render(
                StatusCode::OK,
                HomePage {
                    organisation: frame.organisation,
                    service: frame.service,
                    error: false,
                    csrf: session.csrf_token,
                    repairs,
                },
            )
        }
        Err(e) => trouble(&hearth, e),
    }
}

/// Sends the resident to GOV.UK One Login to sign in.
#[utoipa::path(get, path = "/resident/sign-in", tag = "resident pages",
    responses((status = 303, description = "To GOV.UK One Login"),
        (status = 502, description = "One Login is not set up or cannot be reached", content_type = "text/html")))]
async fn sign_in(State(hearth): State<Hearth>) -> Response {
    match hearth.begin_resident_sign_in().await {
        Ok(start) => {
            let state = cookie::Cookie::build((STATE_COOKIE, start.state))
                .path("/resident/signed-in")
                .secure(true)
                .http_only(true)
                // One Login's answer is a cross-site redirect: a Strict cookie would not come back.
                .same_site(cookie::SameSite::Lax)
                .max_age(cookie::time::Duration::minutes(SIGN_IN_MINUTES))
                .build()
                .to_string();
            with_cookie(Redirect::to(&start.url).into_response(), &state)
        }
        Err(e) => trouble(&hearth, e),
    }
}

#[derive(Debug, Default, Deserialize)]
struct Answer {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// Where One Login sends the resident back (the registered redirect URI).
#[utoipa::path(get, path = "/resident/signed-in", tag = "resident pages",
    params(("code" = Option<String>, Query), ("state" = Option<String>, Query), ("error" = Option<String>, Query)),
    responses((status = 303, description = "Signed in: to the repairs, or to linking"),
        (status = 401, description = "The answer could not be used", content_type = "text/html")))]
async fn signed_in(
    State(hearth): State<Hearth>,
    parts: Parts,
    Query(answer): Query<Answer>,
) -> Response {
    let cookie_state = cookie_value(&parts.headers, STATE_COOKIE);
    let clear_state = format!(
        "{STATE_COOKIE}=; Path=/resident/signed-in; Max-Age=0; HttpOnly; Secure; SameSite=Lax"
    );
    if let Some(error) = answer.error {
        // The resident stopped at One Login, or One Login refused: nothing to keep.
        tracing::info!(error = %error.chars().take(40).collect::<String>(), "One Login answered with an error");
        return with_cookie(
            page_message(
                &hearth,
                StatusCode::UNAUTHORIZED,
                "You have not been signed in",
                vec!["Go back to the start to try again.".into()],
                false,
            ),
            &clear_state,
        );
    }
    let finished = hearth
        .finish_resident_sign_in(
            answer.state.as_deref().unwrap_or_default(),
            cookie_state.as_deref(),
            answer.code.as_deref().unwrap_or_default(),
        )
        .await;
    let response = match finished {
        Ok(signed_in) => {
            let next = if signed_in.linked {
                "/resident"
            } else {
                "/resident/link"
            };
            with_cookie(
                Redirect::to(next).into_response(),
                &session_cookie(&signed_in.secret, RESIDENT_SESSION_MINUTES * 60),
            )
        }
        Err(e) => trouble(&hearth, e),
    };
    with_cookie(response, &clear_state)
}

fn link_form(
    hearth: &Hearth,
    status: StatusCode,
    csrf: &str,
    message: &str,
    form: &LinkForm,
) -> Response {
    let frame = frame(hearth);
    render(
        status,
        LinkPage {
            organisation: frame.organisation,
            service: frame.service,
            error: !message.is_empty(),
            message: message.into(),
            csrf: csrf.into(),
            code: form.code.clone(),
            day: form.day.clone(),
            month: form.month.clone(),
            year: form.year.clone(),
        },
    )
}

/// The page where a signed-in resident gives the code the council sent them.
#[utoipa::path(get, path = "/resident/link", tag = "resident pages",
    responses((status = 200, description = "The form", content_type = "text/html"),
        (status = 303, description = "Not signed in, or linked already")))]
async fn link_page(State(hearth): State<Hearth>, parts: Parts) -> Response {
    match session_of(&hearth, &parts).await {
        Some(session) if session.person_id.is_none() => link_form(
            &hearth,
            StatusCode::OK,
            &session.csrf_token,
            "",
            &LinkForm::default(),
        ),
        _ => Redirect::to("/resident").into_response(),
    }
}

#[derive(Debug, Default, Deserialize)]
struct LinkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    month: String,
    #[serde(default)]
    year: String,
}

impl LinkForm {
    /// The date of birth typed, if any; `Err` names what is wrong with it.
    fn date_of_birth(&self) -> Result<Option<jiff::civil::Date>, &'static str> {
        let parts = [self.day.trim(), self.month.trim(), self.year.trim()];
        if parts.iter().all(|p| p.is_empty()) {
            return Ok(None);
        }
        let number = |p: &str| {
            p.parse::<i16>()
                .map_err(|_| "Date of birth must be a real date")
        };
        let (day, month, year) = (number(parts[0])?, number(parts[1])?, number(parts[2])?);
        if !(1900..=9999).contains(&year) {
            return Err("Year of birth must include 4 numbers, like 1970");
        }
        jiff::civil::Date::new(year, month as i8, day as i8)
            .map(Some)
            .map_err(|_| "Date of birth must be a real date")
    }
}

/// Links the signed-in One Login account to the resident's record.
#[utoipa::path(post, path = "/resident/link", tag = "resident pages",
    request_body(content = String, content_type = "application/x-www-form-urlencoded"),
    responses((status = 303, description = "Linked: to the repairs"),
        (status = 401, description = "The code or date of birth is not right", content_type = "text/html"),
        (status = 422, description = "The form again, with what to correct", content_type = "text/html"),
        (status = 429, description = "Too many attempts", content_type = "text/html")))]
async fn link(State(hearth): State<Hearth>, parts: Parts, Form(form): Form<LinkForm>) -> Response {
    let Some(secret) = cookie_value(&parts.headers, RESIDENT_COOKIE) else {
        return Redirect::to("/resident").into_response();
    };
    let Ok(session) = hearth.resident_session(&secret).await else {
        return Redirect::to("/resident").into_response();
    };
    if session.person_id.is_some() {
        return Redirect::to("/resident").into_response();
    }
    if !csrf_matches(&form.csrf, &session) {
        return expired_form(&hearth);
    }
    if form.code.trim().is_empty() {
        return link_form(
            &hearth,
            StatusCode::UNPROCESSABLE_ENTITY,
            &session.csrf_token,
            "Enter the code from your letter",
            &form,
        );
    }
    let date_of_birth = match form.date_of_birth() {
        Ok(date) => date,
        Err(why) => {
            return link_form(
                &hearth,
                StatusCode::UNPROCESSABLE_ENTITY,
                &session.csrf_token,
                why,
                &form,
            );
        }
    };
    match hearth
        .link_resident_account(&secret, &form.code, date_of_birth)
        .await
    {
        Ok(_) => Redirect::to("/resident").into_response(),
        Err(ServiceError::RateLimited(_)) => link_form(
            &hearth,
            StatusCode::TOO_MANY_REQUESTS,
            &session.csrf_token,
            "Too many attempts: wait 15 minutes and try again",
            &form,
        ),
        Err(ServiceError::Unauthenticated(_)) => link_form(
            &hearth,
            StatusCode::UNAUTHORIZED,
            &session.csrf_token,
            "The code or date of birth is not right: check your letter, or phone us for a new code",
            &form,
        ),
        Err(e) => trouble(&hearth, e),
    }
}

#[derive(Debug, Default, Deserialize)]
struct ReportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    home: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    description: String,
}

async fn report_form(
    hearth: &Hearth,
    session: &ResidentSessionState,
    status: StatusCode,
    problems: Vec<(String, String)>,
    form: &ReportForm,
) -> Response {
    let homes = match session.caller(REPAIRS) {
        Ok(caller) => hearth.resident_homes(&caller).await,
        Err(e) => Err(e),
    };
    let homes = match homes {
        Ok(homes) => homes,
        Err(e) => return trouble(hearth, e),
    };
    if homes.is_empty() {
        return page_message(
            hearth,
            StatusCode::OK,
            "We cannot find a home for you",
            vec![
                "Our records show no current tenancy for you. Phone us to report a repair.".into(),
            ],
            false,
        );
    }
    let home = match (form.home.is_empty(), homes.as_slice()) {
        (true, [only]) => only.property_id.to_string(),
        _ => form.home.clone(),
    };
    let frame = frame(hearth);
    render(
        status,
        ReportPage {
            organisation: frame.organisation,
            service: frame.service,
            error: !problems.is_empty(),
            problems,
            csrf: session.csrf_token.clone(),
            homes: homes
                .into_iter()
                .map(|h| (h.property_id.to_string(), h.address))
                .collect(),
            home,
            categories: CATEGORIES
                .iter()
                .map(|(v, n)| ((*v).to_string(), (*n).to_string()))
                .collect(),
            category: form.category.clone(),
            description: form.description.clone(),
        },
    )
}

/// The form for reporting a repair.
#[utoipa::path(get, path = "/resident/repairs/new", tag = "resident pages",
    responses((status = 200, description = "The form", content_type = "text/html"),
        (status = 303, description = "Not signed in, or not linked")))]
async fn report_page(State(hearth): State<Hearth>, parts: Parts) -> Response {
    match linked_session(&hearth, &parts).await {
        Ok(session) => {
            report_form(
                &hearth,
                &session,
                StatusCode::OK,
                vec![],
                &ReportForm::default(),
            )
            .await
        }
        Err(response) => response,
    }
}

/// What a field's problem says to a resident, by the form's field names.
fn problem(field: &str, message: &str) -> (String, String) {
    match field {
        "property_id" => ("home".into(), "Select the home the repair is for".into()),
        "category" => ("category".into(), "Select what the problem is with".into()),
        "description" if message.contains("required") => {
            ("description".into(), "Describe the problem".into())
        }
        "description" => ("description".into(), format!("The description {message}")),
        other => (other.into(), message.into()),
    }
}

/// Reports a repair for the resident's own home (online reports are routine until triaged).
#[utoipa::path(post, path = "/resident/repairs", tag = "resident pages",
    request_body(content = String, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "Reported: the reference", content_type = "text/html"),
        (status = 303, description = "Not signed in, or not linked"),
        (status = 403, description = "The form had expired, or the home is not the resident's", content_type = "text/html"),
        (status = 422, description = "The form again, with what to correct", content_type = "text/html")))]
async fn report(
    State(hearth): State<Hearth>,
    parts: Parts,
    Form(form): Form<ReportForm>,
) -> Response {
    let session = match linked_session(&hearth, &parts).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    if !csrf_matches(&form.csrf, &session) {
        return expired_form(&hearth);
    }
    // The repair service checks every field; a home that is not an id is no home at all.
    let property_id = form.home.parse::<uuid::Uuid>().ok();
    let reported = match session.caller(REPAIRS) {
        Ok(caller) => {
            hearth
                .report_repair(
                    &caller,
                    &hearth_core::repairs::RepairInput {
                        person_id: session.person_id,
                        property_id,
                        category: form.category.clone(),
                        description: form.description.clone(),
                        ..Default::default()
                    },
                )
                .await
        }
        Err(e) => Err(e),
    };
    match reported {
        Ok(file) => page_message(
            &hearth,
            StatusCode::OK,
            "Repair reported",
            vec![
                format!("Your reference is {}.", file.repair.reference),
                "We will look at what you told us and contact you to arrange the work. We may offer you a video call with an engineer, who might fix it with you without a visit.".into(),
            ],
            true,
        ),
        Err(ServiceError::Invalid(errors)) => {
            let problems = errors.0.iter().map(|e| problem(&e.field, &e.message)).collect();
            report_form(&hearth, &session, StatusCode::UNPROCESSABLE_ENTITY, problems, &form).await
        }
        Err(e) => trouble(&hearth, e),
    }
}

#[derive(Debug, Default, Deserialize)]
struct SignOutForm {
    #[serde(default)]
    csrf: String,
}

/// Signs the resident out here, then at One Login.
#[utoipa::path(post, path = "/resident/sign-out", tag = "resident pages",
    request_body(content = String, content_type = "application/x-www-form-urlencoded"),
    responses((status = 303, description = "To One Login's sign-out, which returns to the signed-out page")))]
async fn sign_out(
    State(hearth): State<Hearth>,
    parts: Parts,
    Form(form): Form<SignOutForm>,
) -> Response {
    let Some(secret) = cookie_value(&parts.headers, RESIDENT_COOKIE) else {
        return Redirect::to("/resident/signed-out").into_response();
    };
    match hearth.resident_session(&secret).await {
        Ok(session) if !csrf_matches(&form.csrf, &session) => return expired_form(&hearth),
        _ => {}
    }
    let forget = session_cookie("", 0);
    match hearth.resident_sign_out(&secret).await {
        Ok(Some(url)) => with_cookie(Redirect::to(&url).into_response(), &forget),
        Ok(None) => with_cookie(
            Redirect::to("/resident/signed-out").into_response(),
            &forget,
        ),
        Err(e) => with_cookie(trouble(&hearth, e), &forget),
    }
}

/// Where One Login returns the resident after signing out.
#[utoipa::path(get, path = "/resident/signed-out", tag = "resident pages",
    responses((status = 200, description = "Signed out", content_type = "text/html")))]
async fn signed_out(State(hearth): State<Hearth>) -> Response {
    page_message(
        &hearth,
        StatusCode::OK,
        "You have signed out",
        vec!["You have been signed out of your repairs and of GOV.UK One Login.".into()],
        false,
    )
}
