//! The crate's one integration-test binary.
// A test states why it expects something to hold: `.expect("why")` is the idiom here.
#![allow(clippy::expect_used)]

#[path = "../../eval/generator/mod.rs"]
#[allow(dead_code)]
mod generator;

mod accuracy;
mod addresses;
mod dates;
mod lines;
mod numbers;
mod party;
mod people;
mod properties;

use hearth_redact::{Engine, Label, Span, Subject};
use std::sync::OnceLock;

pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::new)
}

/// The (label, text) pairs found in `text`.
pub fn found(text: &str) -> Vec<(Label, String)> {
    found_with(text, None)
        .into_iter()
        .map(|(l, t, _)| (l, t))
        .collect()
}

pub fn found_with(text: &str, subject: Option<&Subject>) -> Vec<(Label, String, Span)> {
    engine()
        .detect(text, subject)
        .into_iter()
        .map(|s| {
            (
                s.label,
                text.chars().skip(s.start).take(s.end - s.start).collect(),
                s,
            )
        })
        .collect()
}

pub fn has(text: &str, label: Label, piece: &str) -> bool {
    found(text).iter().any(|(l, t)| *l == label && t == piece)
}

pub fn labels(text: &str) -> Vec<Label> {
    found(text).into_iter().map(|(l, _)| l).collect()
}
