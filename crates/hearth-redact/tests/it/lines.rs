//! The JSON-lines functions behind `hearth redact detect` and `hearth redact apply`.

use hearth_redact::{LineError, apply_line, detect_line};
use serde_json::{Value, json};

#[test]
fn detect_line_reports_spans_in_code_points() {
    let text = "Zoë Brontë rang on 07700 900123.";
    let out = detect_line(&json!({"id": 7, "text": text}).to_string()).unwrap();
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["id"], 7);
    let spans = v["spans"].as_array().unwrap();
    let phone = spans.iter().find(|s| s["label"] == "PHONE").unwrap();
    let start = phone["start"].as_u64().unwrap() as usize;
    let end = phone["end"].as_u64().unwrap() as usize;
    let piece: String = text.chars().skip(start).take(end - start).collect();
    assert_eq!(piece, "07700 900123");
    assert_eq!(phone["party"], "other");
}

#[test]
fn apply_line_keeps_the_subject_and_redacts_others() {
    let line = json!({
        "id": "n1",
        "text": "Aisha Khan says her son Tariq rang from 07911 123456.",
        "subject": {"names": ["Aisha Khan"], "phones": [], "emails": [], "addresses": []}
    });
    let out: Value = serde_json::from_str(&apply_line(&line.to_string()).unwrap()).unwrap();
    assert_eq!(out["id"], "n1");
    assert_eq!(
        out["text"],
        "Aisha Khan says her son [redacted: PERSON] rang from [redacted: PHONE]."
    );
}

#[test]
fn apply_line_uses_given_spans() {
    let line = json!({"id": 1, "text": "abc def", "spans": [{"start": 4, "end": 7, "label": "PERSON", "party": "other"}]});
    let out: Value = serde_json::from_str(&apply_line(&line.to_string()).unwrap()).unwrap();
    assert_eq!(out["text"], "abc [redacted: PERSON]");
}

#[test]
fn errors_name_the_field_at_fault() {
    let field = |line: Value| match detect_line(&line.to_string()) {
        Err(LineError::Field { field, .. }) => field,
        other => panic!("expected a field error, got {other:?}"),
    };
    assert_eq!(field(json!({"text": "x"})), "id");
    assert_eq!(field(json!({"id": 1})), "text");
    assert_eq!(field(json!({"id": 1, "text": 5})), "text");
    assert_eq!(
        field(json!({"id": 1, "text": "x", "subject": {"phones": ["1", 2]}})),
        "subject.phones[1]"
    );
    assert_eq!(
        field(json!({"id": 1, "text": "x", "subject": {"nmes": []}})),
        "subject.nmes"
    );
    assert_eq!(
        field(
            json!({"id": 1, "text": "xy", "spans": [{"start": 0, "end": 9, "label": "PERSON", "party": "other"}]})
        ),
        "spans[0]"
    );
    assert!(matches!(
        detect_line("{not json"),
        Err(LineError::NotJson(_))
    ));
    assert!(matches!(detect_line("[1]"), Err(LineError::NotObject)));
}
