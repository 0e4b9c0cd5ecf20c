//! Properties over arbitrary and mutated input: no panic, no overlapping spans, nothing of
//! a redacted span left behind, placeholders never detected, and redaction is idempotent
//! for any string (arbitrary Unicode, gazetteer names mixed with digits and punctuation,
//! generated notes, and all of these with placeholders put in anywhere).

use crate::generator;
use hearth_redact::{Label, Party, Span, Subject, apply};
use proptest::prelude::*;
use std::sync::OnceLock;

fn subject() -> Subject {
    serde_json::from_value(serde_json::json!({"names": ["Aisha Khan"], "phones": ["07700900123"], "date_of_birth": "1985-03-12"}))
        .expect("a valid subject")
}

fn realistic() -> &'static Vec<String> {
    static NOTES: OnceLock<Vec<String>> = OnceLock::new();
    NOTES.get_or_init(|| {
        generator::generate(99, 64)
            .into_iter()
            .map(|n| n.text)
            .collect()
    })
}

/// A generated note with some characters replaced, deleted or duplicated.
fn mutated() -> impl Strategy<Value = String> {
    (
        0..64usize,
        prop::collection::vec((any::<u16>(), 0..3u8, any::<char>()), 0..12),
    )
        .prop_map(|(i, edits)| {
            let mut chars: Vec<char> = realistic()[i].chars().collect();
            for (at, op, c) in edits {
                if chars.is_empty() {
                    break;
                }
                let at = usize::from(at) % chars.len();
                match op {
                    0 => chars[at] = c,
                    1 => {
                        chars.remove(at);
                    }
                    _ => chars.insert(at, chars[at]),
                }
            }
            chars.into_iter().collect()
        })
}

fn realistic_note() -> impl Strategy<Value = String> {
    (0..64usize).prop_map(|i| realistic()[i].clone())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ a-zA-Z0-9,.'()/@+:\\n-]{0,200}",
        mutated()
    ]
}

/// The engine's own first-name, surname and town gazetteers.
fn gazetteers() -> &'static [Vec<&'static str>; 3] {
    static LISTS: OnceLock<[Vec<&'static str>; 3]> = OnceLock::new();
    LISTS.get_or_init(|| {
        [
            include_str!("../../data/first_names.txt"),
            include_str!("../../data/surnames.txt"),
            include_str!("../../data/towns.txt"),
        ]
        .map(|list| list.lines().filter(|l| !l.is_empty()).collect())
    })
}

/// A name or town from the engine's own gazetteers, written in lower case, capitalised or
/// in capitals: the words most likely to be detected in one case style and not another.
fn gazetteer_word() -> impl Strategy<Value = String> {
    (0..3usize, any::<u16>(), 0..3u8).prop_map(|(list, i, style)| {
        let list = &gazetteers()[list];
        let word = list
            .get(usize::from(i) % list.len().max(1))
            .copied()
            .unwrap_or("smith");
        match style {
            0 => word.to_owned(),
            1 => word
                .split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default()
                })
                .collect::<Vec<String>>()
                .join(" "),
            _ => word.to_uppercase(),
        }
    })
}

const CUES: &[&str] = &[
    "Mr",
    "mrs",
    "Dr",
    "her son",
    "my neighbour",
    "spoke to",
    "said",
    "Flat",
    "no.",
    "Road",
    "close",
    "Court",
    "DOB",
    "born",
    "tel",
    "mob",
    "NHS no",
    "NI",
    "Kind regards,",
    "Hi",
    "from",
    "Surgery",
    "Ltd",
    "st",
    "on",
    "at",
    "and",
];

fn placeholder() -> impl Strategy<Value = String> {
    (0..Label::ALL.len()).prop_map(|i| format!("[redacted: {}]", Label::ALL[i].as_str()))
}

/// Text built from pieces that set the detectors off: gazetteer names and towns in any case,
/// cue words, letters, digits, punctuation, line breaks and placeholders, joined by spaces,
/// line breaks, punctuation or nothing.
fn mixed() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => gazetteer_word(),
        2 => prop::sample::select(CUES).prop_map(str::to_owned),
        2 => "[a-zA-Z]{1,8}",
        2 => "[0-9]{1,11}",
        1 => "[,.'()/@+:;!?&\\[\\]-]",
        1 => Just("\n".to_owned()),
        1 => placeholder(),
        1 => any::<char>().prop_map(String::from),
    ];
    let sep = prop::sample::select(&[" ", " ", " ", "", "\n", ", ", ". ", "\n\n"][..]);
    prop::collection::vec((piece, sep), 0..40).prop_map(|parts| {
        parts
            .into_iter()
            .flat_map(|(p, s)| [p, s.to_owned()])
            .collect()
    })
}

/// `text` with `[redacted: LABEL]` placeholders inserted at arbitrary points (inside words
/// too).
fn with_placeholders(text: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    (
        text,
        prop::collection::vec((any::<u16>(), placeholder()), 0..4),
    )
        .prop_map(|(text, marks)| {
            let mut chars: Vec<char> = text.chars().collect();
            for (at, mark) in marks {
                let at = usize::from(at) % (chars.len() + 1);
                chars.splice(at..at, mark.chars());
            }
            chars.into_iter().collect()
        })
}

/// Everything idempotency is checked over: arbitrary strings, mixed pieces and notes, with
/// and without placeholders put in.
fn idempotency_input() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        6 => mixed(),
        2 => realistic_note(),
        3 => mutated(),
        3 => with_placeholders(prop_oneof![any::<String>(), mixed(), realistic_note(), mutated()]),
    ]
}

fn check_spans(text: &str, spans: &[Span]) -> Result<(), TestCaseError> {
    let len = text.chars().count();
    for (k, s) in spans.iter().enumerate() {
        prop_assert!(
            s.start < s.end && s.end <= len,
            "bad span {s:?} in {len} chars"
        );
        for t in &spans[k + 1..] {
            prop_assert!(
                s.label != t.label || s.end <= t.start || t.end <= s.start,
                "{s:?} crosses {t:?}"
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_and_spans_are_sound(text in any_text()) {
        let spans = crate::engine().detect(&text, None);
        check_spans(&text, &spans)?;
        let line = serde_json::json!({"id": 1, "text": text, "subject": {"names": ["Aisha Khan"], "phones": ["07700900123"], "date_of_birth": "1985-03-12"}}).to_string();
        prop_assert!(hearth_redact::detect_line(&line).is_ok());
        prop_assert!(hearth_redact::apply_line(&line).is_ok());
    }

    #[test]
    fn placeholders_are_never_part_of_a_span(text in with_placeholders(prop_oneof![any::<String>(), mixed(), realistic_note()])) {
        let spans = crate::engine().detect(&text, Some(&subject()));
        for (byte, _) in text.match_indices("[redacted: ") {
            let at = text[..byte].chars().count();
            let Some(len) = Label::ALL.iter().map(|l| format!("[redacted: {}]", l.as_str())).find(|m| text[byte..].starts_with(m.as_str())).map(|m| m.len()) else { continue };
            for s in &spans {
                prop_assert!(s.end <= at || at + len <= s.start, "{s:?} touches the placeholder at {at}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    /// For any string: redacting what a redaction left changes nothing, with or without a
    /// subject (all spans applied, whoever's they are).
    #[test]
    fn redaction_is_idempotent(text in idempotency_input(), with_subject in any::<bool>()) {
        let subject = subject();
        let subject = with_subject.then_some(&subject);
        let once = apply(&text, &crate::engine().detect(&text, subject));
        let again = crate::engine().detect(&once, subject);
        prop_assert!(again.is_empty(), "second pass over {once:?} found {again:?}");
        prop_assert_eq!(apply(&once, &again), once);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn nothing_of_a_redacted_span_is_left(text in any_text(), raw in prop::collection::vec((0..300usize, 0..40usize), 0..6)) {
        // Detected spans and arbitrary (even overlapping) ones alike.
        let chars: Vec<char> = text.chars().collect();
        let mut spans = crate::engine().detect(&text, None);
        spans.extend(raw.into_iter().filter(|(s, _)| *s < chars.len()).map(|(s, l)| Span { start: s, end: (s + l + 1).min(chars.len()), label: Label::Person, party: Party::Other, relation: None }));
        let out = apply(&text, &spans);
        let kept: String = chars.iter().enumerate().filter(|(i, _)| !spans.iter().any(|s| s.start <= *i && *i < s.end)).map(|(_, c)| *c).collect();
        let mut stripped = out.clone();
        for label in Label::ALL {
            stripped = stripped.replace(&format!("[redacted: {}]", label.as_str()), "");
        }
        // Markers already in the input are not the engine's to keep.
        let mut kept_stripped = kept.clone();
        for label in Label::ALL {
            kept_stripped = kept_stripped.replace(&format!("[redacted: {}]", label.as_str()), "");
        }
        prop_assert_eq!(stripped, kept_stripped);
    }
}
