//! The engine: tokenise once, run each detector, keep the best of overlapping candidates,
//! then mark whose data each span is.

mod address;
mod date;
mod email;
mod ni;
mod numbers;
mod person;
mod postcode;

use crate::apply::apply_mapped;
use crate::lexicon::Lexicon;
use crate::offsets::CharIndex;
use crate::party;
use crate::span::{Label, Span};
use crate::subject::Subject;
use crate::tokens::{CAP, Kind, SENT_START, Tokens, UPPER};

/// A detected span before whose-data is decided, in byte offsets and token indices.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cand {
    pub start: usize,
    pub end: usize,
    pub label: Label,
    /// First token and one past the last token the span covers.
    pub t0: usize,
    pub t1: usize,
}

/// What every detector reads: the tokens, the gazetteers and how far capitals can be trusted.
pub(crate) struct Ctx<'a, 't> {
    pub toks: &'a Tokens<'t>,
    pub lex: &'a Lexicon,
    /// Whether the writer used capitals for names; rushed notes in lower (or upper) case
    /// carry no such signal, and then the engine leans on gazetteers and cue words.
    pub cased: bool,
}

impl Ctx<'_, '_> {
    pub fn cand(&self, t0: usize, t1: usize, label: Label) -> Cand {
        let toks = &self.toks.toks;
        Cand {
            start: toks[t0].start as usize,
            end: toks[t1 - 1].end as usize,
            label,
            t0,
            t1,
        }
    }
}

/// The detection engine. Building it loads the gazetteers (a few milliseconds); reuse it.
pub struct Engine {
    lex: Lexicon,
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

impl Engine {
    pub fn new() -> Self {
        Self {
            lex: Lexicon::new(),
        }
    }

    /// Finds personal data in `text`; with a subject, marks each span `subject` or `other`
    /// (without one, everything is `other`). Offsets are in code points, sorted by start.
    ///
    /// `[redacted: LABEL]` placeholders are never part of a span, and redaction is
    /// idempotent: with `spans` from here and `redacted = apply(text, &spans)`,
    /// `detect(&redacted, subject)` finds nothing. To make that hold for any text, the
    /// spans are closed under a second look: whatever a pass over the redacted text still
    /// finds (words outside the spans read differently once the spans are gone, most of
    /// all when the only capitals were in them) is added, until a pass finds nothing.
    pub fn detect(&self, text: &str, subject: Option<&Subject>) -> Vec<Span> {
        let mut spans = self.detect_once(text, subject);
        let mut kept = Vec::new();
        while !spans.is_empty() {
            kept.clear();
            let redacted = apply_mapped(text, &spans, |k| kept.push(k));
            let more = self.detect_once(&redacted, subject);
            if more.is_empty() {
                break;
            }
            let before = spans.len();
            // Placeholders are never inside a span, so each new span lies in one stretch
            // that the redaction kept, and covers text no span covers yet.
            spans.extend(more.into_iter().filter_map(|s| {
                let k = kept[kept.partition_point(|k| k.out + k.len < s.end)..]
                    .first()
                    .filter(|k| k.out <= s.start && s.end <= k.out + k.len)?;
                Some(Span {
                    start: s.start - k.out + k.from,
                    end: s.end - k.out + k.from,
                    ..s
                })
            }));
            if spans.len() == before {
                break;
            }
            spans.sort_by_key(|s| s.start);
        }
        spans
    }

    /// One pass of detection over `text`.
    fn detect_once(&self, text: &str, subject: Option<&Subject>) -> Vec<Span> {
        let toks = Tokens::new(text);
        let ctx = Ctx {
            toks: &toks,
            lex: &self.lex,
            cased: is_cased(&toks),
        };
        let cands = self.candidates(&ctx);
        let owners = party::assign(&ctx, &cands, subject);
        let index = CharIndex::new(text);
        cands
            .iter()
            .zip(owners)
            .map(|(c, (party, relation))| Span {
                start: index.char_at(c.start),
                end: index.char_at(c.end),
                label: c.label,
                party,
                relation,
            })
            .collect()
    }

    pub(crate) fn candidates(&self, ctx: &Ctx) -> Vec<Cand> {
        let masks: Vec<(usize, usize)> = ctx
            .toks
            .toks
            .iter()
            .filter(|t| t.kind == Kind::Mask)
            .map(|t| (t.start as usize, t.end as usize))
            .collect();
        let mut found = Vec::new();
        email::detect(ctx, &mut found);
        ni::detect(ctx, &mut found);
        numbers::detect(ctx, &mut found);
        date::detect(ctx, &mut found);
        clear_of(&masks, &mut found);
        let mut taken = vec![false; ctx.toks.len()];
        mark(&found, &mut taken);
        postcode::detect(ctx, &mut found);
        address::detect(ctx, &taken, &mut found);
        clear_of(&masks, &mut found);
        mark(&found, &mut taken);
        person::detect(ctx, &taken, &mut found);
        clear_of(&masks, &mut found);
        resolve(found)
    }
}

/// Drops candidates that touch a placeholder (byte ranges of `masks`, in order): what an
/// earlier redaction hid is never part of a span, so a second redaction leaves it as it is.
fn clear_of(masks: &[(usize, usize)], found: &mut Vec<Cand>) {
    if masks.is_empty() {
        return;
    }
    found.retain(|c| {
        // The first placeholder ending after the candidate starts is the only one to check.
        let k = masks.partition_point(|(_, end)| *end <= c.start);
        masks.get(k).is_none_or(|(start, _)| *start >= c.end)
    });
}

fn mark(found: &[Cand], taken: &mut [bool]) {
    for c in found {
        for t in &mut taken[c.t0..c.t1] {
            *t = true;
        }
    }
}

fn priority(label: Label) -> u8 {
    match label {
        Label::Email => 0,
        Label::UkNiNumber | Label::NhsNumber | Label::Phone => 1,
        Label::DateOfBirth => 2,
        Label::Address => 3,
        Label::Postcode => 4,
        Label::Person => 5,
    }
}

/// Keeps the strongest of overlapping candidates: typed identifiers first, then the longer.
fn resolve(mut found: Vec<Cand>) -> Vec<Cand> {
    found.sort_by_key(|c| {
        (
            priority(c.label),
            std::cmp::Reverse(c.end - c.start),
            c.start,
        )
    });
    // Kept spans never overlap, so the one starting last before a candidate's end is the
    // only one that can overlap it.
    let mut kept: std::collections::BTreeMap<usize, Cand> = std::collections::BTreeMap::new();
    for c in found {
        let clash = kept
            .range(..c.end)
            .next_back()
            .is_some_and(|(_, k)| k.end > c.start);
        if c.end > c.start && !clash {
            kept.insert(c.start, c);
        }
    }
    kept.into_values().collect()
}

/// Whether capitals mean something here: some capitalised word away from a sentence start,
/// and the text is not shouted in upper case throughout. Only words count: placeholders
/// left by an earlier redaction (tokens of their own) play no part.
fn is_cased(toks: &Tokens) -> bool {
    let (mut words, mut inner_caps, mut upper) = (0usize, 0usize, 0usize);
    for t in &toks.toks {
        if t.kind != Kind::Word || t.len() < 2 {
            continue;
        }
        words += 1;
        if t.has(UPPER) {
            upper += 1;
        } else if t.has(CAP) && !t.has(SENT_START) {
            inner_caps += 1;
        }
    }
    inner_caps > 0 && upper * 2 < words.max(1)
}
