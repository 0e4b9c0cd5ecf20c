//! hearth-service's integration tests, in one binary (one link, one process start per run).
// A test states why it expects something to hold: `.expect("why")` is the idiom here.
#![allow(clippy::expect_used)]

mod access_controls;
mod access_matrix;
mod common;
mod gate_promise;
mod import;
mod outbox;
mod recordings;
mod repairs;
mod residents;
mod retention;
mod rights_access;
mod rights_controls;
mod rights_erasure;
mod rights_portability;
mod rights_release;
mod rights_requests;
mod video;
