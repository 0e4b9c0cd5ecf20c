//! Hearth's pure core: domain types, UK identifiers, the processing register and its rules.
//!
//! Nothing here does I/O or reads the system clock: time comes in through [`clock::Clock`].

pub mod access;
pub mod actor;
pub mod audit;
pub mod clock;
mod csv_cell;
pub mod identifiers;
pub mod records;
pub mod register;
pub mod repairs;
pub mod residents;
pub mod retention;
pub mod rights;
pub mod validation;
pub mod video;

pub use csv_cell::csv_cell;
pub use validation::{FieldError, FieldErrors};
