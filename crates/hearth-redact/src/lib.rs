//! Hearth's free-text personal-data engine: finds names, addresses, postcodes, dates of birth,
//! phone numbers, email addresses, NI and NHS numbers in UK housing notes, and says whether
//! each belongs to the person asking for their data (the subject) or to someone else.
//!
//! Pure and fast: no I/O; the gazetteers are compiled in. Build one [`Engine`] and reuse it.

mod apply;
mod cues;
mod detect;
mod lexicon;
mod line;
mod offsets;
mod party;
mod span;
mod subject;
mod tokens;

pub use apply::apply;
pub use detect::Engine;
pub use line::{LineError, apply_line, apply_line_with, detect_line, detect_line_with, shared};
pub use span::{Label, Party, Relation, Span};
pub use subject::Subject;
