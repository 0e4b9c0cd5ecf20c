//! Postcodes standing alone, validated by the core's `Postcode`; inside an address the
//! address span covers them.

use super::{Cand, Ctx};
use crate::span::Label;
use crate::tokens::Kind;
use hearth_core::identifiers::Postcode;

/// The token range of a postcode starting at token `i`, if there is one.
pub(super) fn at(ctx: &Ctx, i: usize) -> Option<usize> {
    let toks = ctx.toks;
    if toks.kind(i) != Some(Kind::Alnum) || !toks.raw(i).is_ascii() {
        return None;
    }
    if i > 0 && toks.tight(i) && matches!(toks.kind(i - 1), Some(Kind::Punct)) {
        let prev = toks.raw(i - 1);
        if prev == "-" || prev == "/" {
            return None;
        }
    }
    let out = toks.raw(i);
    let next_free =
        |j: usize| j >= toks.len() || !toks.tight(j) || toks.kind(j) == Some(Kind::Punct);
    if (2..=4).contains(&out.len())
        && toks.kind(i + 1) == Some(Kind::Alnum)
        && !toks.tight(i + 1)
        && toks.raw(i + 1).len() == 3
        && next_free(i + 2)
    {
        let joined = &toks.text[toks.toks[i].start as usize..toks.toks[i + 1].end as usize];
        if joined.parse::<Postcode>().is_ok() {
            return Some(i + 2);
        }
    }
    if (5..=7).contains(&out.len()) && next_free(i + 1) && out.parse::<Postcode>().is_ok() {
        return Some(i + 1);
    }
    None
}

pub(super) fn detect(ctx: &Ctx, out: &mut Vec<Cand>) {
    let mut i = 0;
    while i < ctx.toks.len() {
        if let Some(end) = at(ctx, i) {
            out.push(ctx.cand(i, end, Label::Postcode));
            i = end;
        } else {
            i += 1;
        }
    }
}
