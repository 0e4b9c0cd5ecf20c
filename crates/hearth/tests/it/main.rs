//! hearth's integration tests, in one binary (one link, one process start per run).
// A test states why it expects something to hold: `.expect("why")` is the idiom here.
#![allow(clippy::expect_used)]

mod cli;
mod common;
mod redact;
mod retention;
mod rights;
