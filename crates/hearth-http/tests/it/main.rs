//! hearth-http's integration tests, in one binary (one link, one process start per run).
// A test states why it expects something to hold: `.expect("why")` is the idiom here.
#![allow(clippy::expect_used)]

mod api;
mod browser_call;
mod call_pages;
mod common;
mod gate_promise;
mod openapi;
mod recordings;
mod repairs;
mod resident_pages;
mod retention;
mod rights;
mod session;
