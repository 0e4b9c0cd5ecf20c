//! The processing register: purposes, lawful bases, data categories, recipients and retention,
//! declared in one TOML file, validated with every problem located, and hashed as its version.

mod law;
mod model;
mod parse;
mod period;
mod raw;
mod render;

pub use law::{Art6Basis, Art9Condition, Schedule1Condition};
pub use model::{
    Controller, DataCategory, DataSubject, DisposalAction, Notice, Purpose, Recipient,
    RecipientKind, RecordType, Register, RegisterMeta, Retention, Role, Trigger,
};
pub use parse::{RegisterProblem, is_snake_id, parse_register};
pub use period::Period;
pub use render::render_text;

/// The register shipped with Hearth, reproducing the five privacy notices it implements.
pub const DEFAULT_REGISTER: &str = include_str!("../../../../register/default.toml");

/// Parses and validates the shipped register.
pub fn default_register() -> Result<Register, Vec<RegisterProblem>> {
    parse_register(DEFAULT_REGISTER)
}
