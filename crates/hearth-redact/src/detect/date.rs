//! Dates of birth: any written date, kept only when a cue (`DOB`, `born`, `date of birth`,
//! `birthday`) stands before it in the same sentence with no event word (`appointment`,
//! `visit`) between, or it sits in brackets after a name. Appointment dates are left alone.

use super::{Cand, Ctx};
use crate::cues::{is_dob_cue, is_event_word};
use crate::span::Label;
use crate::tokens::{Kind, NL_BEFORE};

fn month(lo: &str) -> Option<u32> {
    Some(match lo {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

/// A day of the month: `3`, `03`, `3rd`, `21st`.
fn day(lo: &str) -> Option<u32> {
    let digits = lo.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &lo[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year(toks: &crate::tokens::Tokens, i: usize) -> Option<(u32, usize)> {
    // `'85` is a year too.
    let (j, apostrophe) = if toks.is_punct(i, b'\'') || toks.raw(i) == "\u{2019}" {
        (i + 1, true)
    } else {
        (i, false)
    };
    if toks.kind(j) != Some(Kind::Num) || (apostrophe && !toks.tight(j)) {
        return None;
    }
    let raw = toks.raw(j);
    let y: u32 = raw.parse().ok()?;
    let ok = match raw.len() {
        2 => true,
        4 => (1880..=2100).contains(&y),
        _ => false,
    };
    ok.then_some((y, j + 1))
}

/// A date starting at token `i`: its end and whether it has a year.
fn date_at(ctx: &Ctx, i: usize) -> Option<(usize, bool)> {
    let toks = ctx.toks;
    // 12/03/1985, 12.3.85, 12-03-1985
    if toks.kind(i) == Some(Kind::Num) && toks.raw(i).len() <= 2 {
        let sep = toks.raw(i + 1);
        if matches!(sep, "/" | "." | "-")
            && toks.tight(i + 1)
            && toks.tight(i + 2)
            && toks.kind(i + 2) == Some(Kind::Num)
            && toks.raw(i + 2).len() <= 2
            && toks.raw(i + 3) == sep
            && toks.tight(i + 3)
            && toks.tight(i + 4)
        {
            let d: u32 = toks.raw(i).parse().ok()?;
            let m: u32 = toks.raw(i + 2).parse().ok()?;
            let (_, end) = year(ctx.toks, i + 4)?;
            if (1..=31).contains(&d) && (1..=12).contains(&m) {
                return Some((end, true));
            }
        }
    }
    // [the] 3rd [of] March[,] 1985
    let mut j = i;
    if toks.lo(j) == "the" {
        j += 1;
    }
    if day(toks.lo(j)).is_some() && matches!(toks.kind(j), Some(Kind::Num | Kind::Alnum)) {
        let mut k = j + 1;
        if toks.lo(k) == "of" {
            k += 1;
        }
        if month(toks.lo(k)).is_some() {
            k += 1;
            if toks.is_punct(k, b'.') && toks.tight(k) {
                k += 1;
            }
            let after_comma = if toks.is_punct(k, b',') { k + 1 } else { k };
            return Some(match year(toks, after_comma) {
                Some((_, end)) => (end, true),
                None => (k, false),
            });
        }
    }
    // March 3rd, 1985
    let day_next =
        day(toks.lo(i + 1)).is_some() && matches!(toks.kind(i + 1), Some(Kind::Num | Kind::Alnum));
    if month(toks.lo(i)).is_some() && toks.is_word(i) && day_next {
        let k = if toks.is_punct(i + 2, b',') {
            i + 3
        } else {
            i + 2
        };
        if let Some((_, end)) = year(toks, k) {
            return Some((end, true));
        }
    }
    None
}

/// Whether a birth cue stands shortly before token `i` in the same sentence.
fn cue_before(ctx: &Ctx, i: usize) -> bool {
    let toks = ctx.toks;
    let lo = i.saturating_sub(8);
    for j in (lo..i).rev() {
        let w = toks.lo(j);
        if is_event_word(w) {
            return false;
        }
        if toks.is_punct(j, b';')
            || toks.is_punct(j, b'?')
            || (toks.is_punct(j, b'.') && !toks.tight(j + 1) && j + 1 < i)
        {
            return false;
        }
        if is_dob_cue(w) {
            if w == "b" {
                let dotted = toks.is_punct(j.wrapping_sub(1), b'.')
                    || toks.is_punct(j.wrapping_sub(1), b'/');
                let close = toks.is_punct(j + 1, b'.') && j + 2 == i || toks.is_punct(j + 1, b':');
                if !(dotted || close) {
                    continue;
                }
            }
            if w == "birth" && toks.lo(j + 1) == "certificate" {
                continue;
            }
            return true;
        }
        if j < i - 1 && toks.has(j + 1, NL_BEFORE) && !toks.is_punct(j, b':') {
            return false;
        }
    }
    false
}

fn cue_after(ctx: &Ctx, end: usize) -> bool {
    let toks = ctx.toks;
    (end..(end + 3).min(toks.len())).any(|j| matches!(toks.lo(j), "dob" | "d.o.b" | "born"))
        && !(end..(end + 3).min(toks.len())).any(|j| toks.has(j, NL_BEFORE))
}

/// `Amir Khan (03/04/1991)`: a full date in brackets straight after a word of a name.
fn bracketed_after_name(ctx: &Ctx, i: usize, end: usize) -> bool {
    let toks = ctx.toks;
    i >= 2
        && toks.is_punct(i - 1, b'(')
        && toks.is_punct(end, b')')
        && toks.is_word(i - 2)
        && (ctx.lex.is_name(toks.lo(i - 2)) || toks.has(i - 2, crate::tokens::CAP))
        && toks.raw(end - 1).len() == 4
        && toks.raw(end - 1) < "2014"
}

pub(super) fn detect(ctx: &Ctx, out: &mut Vec<Cand>) {
    let toks = ctx.toks;
    let mut i = 0;
    while i < toks.len() {
        let Some((end, has_year)) = date_at(ctx, i) else {
            i += 1;
            continue;
        };
        let start = if toks.lo(i) == "the" { i + 1 } else { i };
        let is_dob = cue_before(ctx, i)
            || (has_year && cue_after(ctx, end))
            || (has_year && bracketed_after_name(ctx, i, end));
        if is_dob {
            out.push(ctx.cand(start, end, Label::DateOfBirth));
        }
        i = end;
    }
}
