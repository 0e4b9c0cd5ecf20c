//! Builds a note piece by piece, recording each labelled piece's code-point offsets.

use hearth_redact::{Label, Party, Relation};

#[derive(Debug, Clone)]
pub struct Gold {
    pub start: usize,
    pub end: usize,
    pub label: Label,
    pub party: Party,
    pub relation: Option<Relation>,
}

#[derive(Debug, Clone)]
pub struct Note {
    pub id: usize,
    pub kind: &'static str,
    pub text: String,
    pub gold: Vec<Gold>,
    pub subject: hearth_redact::Subject,
}

pub struct Builder {
    pub text: String,
    chars: usize,
    pub gold: Vec<Gold>,
    /// Rushed notes are typed all in lower case.
    pub lower: bool,
}

impl Builder {
    pub fn new(lower: bool) -> Self {
        Self {
            text: String::new(),
            chars: 0,
            gold: Vec::new(),
            lower,
        }
    }

    pub fn put(&mut self, s: &str) -> &mut Self {
        let s = if self.lower {
            s.to_lowercase()
        } else {
            s.to_string()
        };
        self.chars += s.chars().count();
        self.text.push_str(&s);
        self
    }

    pub fn ent(
        &mut self,
        label: Label,
        s: &str,
        party: Party,
        relation: Option<Relation>,
    ) -> &mut Self {
        let start = self.chars;
        self.put(s);
        self.gold.push(Gold {
            start,
            end: self.chars,
            label,
            party,
            relation: if party == Party::Other {
                relation
            } else {
                None
            },
        });
        self
    }
}
