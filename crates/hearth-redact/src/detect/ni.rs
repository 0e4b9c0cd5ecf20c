//! National Insurance numbers in any spacing, validated by the core's `NiNumber` (issued
//! prefixes and suffixes A to D only).

use super::{Cand, Ctx};
use crate::span::Label;
use crate::tokens::{Kind, NL_BEFORE};
use hearth_core::identifiers::NiNumber;

pub(super) fn detect(ctx: &Ctx, out: &mut Vec<Cand>) {
    let toks = ctx.toks;
    let mut i = 0;
    while i < toks.len() {
        let starts_with_two_letters = matches!(toks.kind(i), Some(Kind::Word | Kind::Alnum))
            && toks
                .raw(i)
                .bytes()
                .take(2)
                .filter(u8::is_ascii_alphabetic)
                .count()
                == 2
            && toks.raw(i).is_ascii();
        if !starts_with_two_letters || (i > 0 && toks.tight(i) && !toks.is_punct(i - 1, b':')) {
            i += 1;
            continue;
        }
        let mut compact = 0usize;
        let mut j = i;
        while j < toks.len() && compact < 9 {
            let kind_ok = matches!(toks.kind(j), Some(Kind::Word | Kind::Alnum | Kind::Num));
            if !kind_ok || (j > i && (toks.tight(j) || toks.has(j, NL_BEFORE))) {
                break;
            }
            compact += toks.raw(j).len();
            j += 1;
        }
        let next_tight =
            j < toks.len() && toks.tight(j) && !matches!(toks.kind(j), Some(Kind::Punct));
        if compact == 9 && !next_tight {
            let start = toks.toks[i].start as usize;
            let end = toks.toks[j - 1].end as usize;
            if toks.text[start..end].parse::<NiNumber>().is_ok() {
                out.push(ctx.cand(i, j, Label::UkNiNumber));
                i = j;
                continue;
            }
        }
        i += 1;
    }
}
