//! `hearth redact detect` and `apply` as a DPO would run them over exported notes: a
//! neighbour's name, phone and address found and marked someone else's, the requester's own
//! kept; offsets in code points; a bad line named by number with nothing written.

use crate::common::hearth;
use serde_json::Value;

const NOTE: &str = r#"{"id": "n1", "text": "Mrs Nowak rang on 07700 900461. Her neighbour Derek Whitfield at 14 Larch Close, Huddersfield HD2 1QT, called her on 07700 900982 about the noise.", "subject": {"names": ["Zofia Nowak"], "phones": ["07700900461"]}}"#;

fn lines_in(dir: &tempfile::TempDir, name: &str, body: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, body).expect("writing the input file");
    path.display().to_string()
}

#[test]
fn detect_marks_each_span_as_the_requesters_or_someone_elses() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let input = lines_in(&dir, "notes.jsonl", &format!("{NOTE}\n"));
    let (ok, out, err) = hearth(&["redact", "detect", &input], &[]);
    assert!(ok, "{err}");
    let line: Value = serde_json::from_str(out.trim()).expect("one JSON line");
    assert_eq!(line["id"], "n1");
    let text: Vec<char> = serde_json::from_str::<Value>(NOTE).expect("note")["text"]
        .as_str()
        .expect("text")
        .chars()
        .collect();
    let found: Vec<(String, String, String)> = line["spans"]
        .as_array()
        .expect("spans")
        .iter()
        .map(|s| {
            let start = s["start"].as_u64().expect("start") as usize;
            let end = s["end"].as_u64().expect("end") as usize;
            (
                text[start..end].iter().collect(),
                s["label"].as_str().unwrap_or_default().to_string(),
                s["party"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let has = |what: &str, label: &str, party: &str| {
        found
            .iter()
            .any(|(t, l, p)| t.contains(what) && l == label && p == party)
    };
    assert!(has("Nowak", "PERSON", "subject"), "{found:?}");
    assert!(has("07700 900461", "PHONE", "subject"), "{found:?}");
    assert!(has("Derek Whitfield", "PERSON", "other"), "{found:?}");
    assert!(has("07700 900982", "PHONE", "other"), "{found:?}");
    assert!(has("14 Larch Close", "ADDRESS", "other"), "{found:?}");
}

#[test]
fn apply_redacts_someone_elses_data_and_keeps_the_requesters() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let input = lines_in(&dir, "notes.jsonl", &format!("{NOTE}\n"));
    let (ok, out, err) = hearth(&["redact", "apply", &input], &[]);
    assert!(ok, "{err}");
    let line: Value = serde_json::from_str(out.trim()).expect("one JSON line");
    let text = line["text"].as_str().expect("text");
    assert!(
        text.contains("Mrs Nowak") && text.contains("07700 900461"),
        "{text}"
    );
    for gone in ["Derek", "Whitfield", "900982", "Larch Close", "HD2 1QT"] {
        assert!(!text.contains(gone), "{gone} left in: {text}");
    }
    assert!(
        text.contains("[redacted: PERSON]") && text.contains("[redacted: PHONE]"),
        "{text}"
    );
}

#[test]
fn a_bad_line_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let input = lines_in(
        &dir,
        "notes.jsonl",
        &format!("{NOTE}\n{{\"id\": 2, \"txt\": \"x\"}}\nnot json\n"),
    );
    let (ok, out, err) = hearth(&["redact", "apply", &input], &[]);
    assert!(!ok, "bad lines fail the command");
    assert!(out.is_empty(), "nothing written: {out}");
    assert!(err.contains("line 2") && err.contains("line 3"), "{err}");
}
