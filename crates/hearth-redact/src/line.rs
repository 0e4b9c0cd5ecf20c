//! The JSON-lines interface: one input line to one output line, with errors that name the
//! field at fault. The CLI reads and writes; these functions only map.

use crate::apply::apply;
use crate::detect::Engine;
use crate::span::{Party, Span};
use crate::subject::Subject;
use serde_json::{Map, Value, json};
use std::sync::OnceLock;

/// Why an input line could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("the line is not JSON: {0}")]
    NotJson(String),
    #[error("the line must be a JSON object")]
    NotObject,
    #[error("field `{field}`: {problem}")]
    Field { field: String, problem: String },
}

fn field(field: &str, problem: &str) -> LineError {
    LineError::Field {
        field: field.to_string(),
        problem: problem.to_string(),
    }
}

/// One engine for the process: the gazetteers are loaded once, on first use.
pub fn shared() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::new)
}

struct Input {
    id: Value,
    text: String,
    subject: Option<Subject>,
    spans: Option<Vec<Span>>,
}

fn strings(v: &Value, name: &str) -> Result<Vec<String>, LineError> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                item.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| field(&format!("{name}[{i}]"), "expected a string"))
            })
            .collect(),
        _ => Err(field(name, "expected an array of strings")),
    }
}

fn subject(v: &Value) -> Result<Option<Subject>, LineError> {
    let obj = match v {
        Value::Null => return Ok(None),
        Value::Object(o) => o,
        _ => return Err(field("subject", "expected an object or null")),
    };
    let known = ["names", "phones", "emails", "addresses", "date_of_birth"];
    if let Some(k) = obj.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(field(
            &format!("subject.{k}"),
            "unknown field; expected names, phones, emails, addresses or date_of_birth",
        ));
    }
    let get = |k: &str| obj.get(k).unwrap_or(&Value::Null);
    let date_of_birth = match get("date_of_birth") {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        _ => return Err(field("subject.date_of_birth", "expected a string")),
    };
    Ok(Some(Subject {
        names: strings(get("names"), "subject.names")?,
        phones: strings(get("phones"), "subject.phones")?,
        emails: strings(get("emails"), "subject.emails")?,
        addresses: strings(get("addresses"), "subject.addresses")?,
        date_of_birth,
    }))
}

fn parse(line: &str) -> Result<Input, LineError> {
    let value: Value = serde_json::from_str(line).map_err(|e| LineError::NotJson(e.to_string()))?;
    let Value::Object(obj) = value else {
        return Err(LineError::NotObject);
    };
    let id = obj
        .get("id")
        .cloned()
        .ok_or_else(|| field("id", "missing"))?;
    if !(id.is_string() || id.is_number()) {
        return Err(field("id", "expected a string or a number"));
    }
    let text = match obj.get("text") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(field("text", "expected a string")),
        None => return Err(field("text", "missing")),
    };
    let subject = subject(obj.get("subject").unwrap_or(&Value::Null))?;
    let spans = match obj.get("spans") {
        None | Some(Value::Null) => None,
        Some(v) => Some(spans(v, text.chars().count())?),
    };
    Ok(Input {
        id,
        text,
        subject,
        spans,
    })
}

fn spans(v: &Value, chars: usize) -> Result<Vec<Span>, LineError> {
    let Value::Array(items) = v else {
        return Err(field("spans", "expected an array"));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let span: Span = serde_json::from_value(item.clone())
                .map_err(|e| field(&format!("spans[{i}]"), &e.to_string()))?;
            if span.start > span.end || span.end > chars {
                return Err(field(
                    &format!("spans[{i}]"),
                    "start and end must satisfy start <= end <= the text's length in code points",
                ));
            }
            Ok(span)
        })
        .collect()
}

/// Maps `{"id", "text", "subject"?}` to `{"id", "spans": [...]}`.
pub fn detect_line(line: &str) -> Result<String, LineError> {
    detect_line_with(shared(), line)
}

/// [`detect_line`] with an engine of the caller's.
pub fn detect_line_with(engine: &Engine, line: &str) -> Result<String, LineError> {
    let input = parse(line)?;
    let spans = engine.detect(&input.text, input.subject.as_ref());
    let mut out = Map::new();
    out.insert("id".into(), input.id);
    out.insert("spans".into(), json!(spans));
    Ok(Value::Object(out).to_string())
}

/// Maps `{"id", "text", "subject"?, "spans"?}` to `{"id", "text"}` with every span that is
/// not the subject's replaced by `[redacted: LABEL]`. Given `spans` (for example reviewed
/// output of `detect`) are applied instead of detecting afresh.
pub fn apply_line(line: &str) -> Result<String, LineError> {
    apply_line_with(shared(), line)
}

/// [`apply_line`] with an engine of the caller's.
pub fn apply_line_with(engine: &Engine, line: &str) -> Result<String, LineError> {
    let input = parse(line)?;
    let spans = match input.spans {
        Some(s) => s,
        None => engine.detect(&input.text, input.subject.as_ref()),
    };
    let others: Vec<Span> = spans
        .into_iter()
        .filter(|s| s.party == Party::Other)
        .collect();
    let mut out = Map::new();
    out.insert("id".into(), input.id);
    out.insert("text".into(), Value::String(apply(&input.text, &others)));
    Ok(Value::Object(out).to_string())
}
