//! Addresses: from the flat or house number to the postcode, over commas and line breaks,
//! built from segments (unit, building, street, locality, town, postcode). A street alone
//! counts; a town alone does not.

use super::{Cand, Ctx, postcode};
use crate::cues::{is_building_word, is_street_suffix, is_unit_word, is_weak_street_suffix};
use crate::span::Label;
use crate::tokens::{CAP, Kind, NL_BEFORE, SENT_START, UPPER};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seg {
    Unit,
    Building,
    Street,
    Locality,
    Town,
    Postcode,
}

/// Words that cannot be part of a street's name in lower-case notes.
fn is_stop(lo: &str) -> bool {
    matches!(
        lo,
        "the"
            | "a"
            | "an"
            | "this"
            | "that"
            | "these"
            | "those"
            | "our"
            | "their"
            | "his"
            | "her"
            | "my"
            | "your"
            | "its"
            | "same"
            | "busy"
            | "whole"
            | "next"
            | "end"
            | "back"
            | "front"
            | "side"
            | "other"
            | "each"
            | "every"
            | "any"
            | "some"
            | "no"
            | "on"
            | "at"
            | "in"
            | "of"
            | "to"
            | "from"
            | "for"
            | "with"
            | "by"
            | "near"
            | "off"
            | "along"
            | "down"
            | "up"
            | "over"
            | "under"
            | "and"
            | "or"
            | "but"
            | "is"
            | "was"
            | "are"
            | "were"
            | "be"
            | "been"
            | "lives"
            | "live"
            | "living"
            | "lived"
            | "moved"
            | "walk"
            | "walked"
            | "drive"
            | "drove"
            | "which"
            | "who"
            | "where"
            | "when"
            | "there"
            | "here"
            | "across"
            | "into"
            | "onto"
            | "outside"
            | "opposite"
            | "past"
            | "round"
            | "around"
            | "private"
            | "car"
            | "access"
            | "slip"
            | "dirt"
            | "ring"
            | "via"
            | "crossed"
            | "cross"
            | "left"
            | "right"
            | "turn"
            | "corner"
            | "top"
            | "bottom"
            | "far"
            | "quiet"
            | "main"
            | "very"
            | "too"
            | "so"
            | "not"
            | "out"
            | "about"
            | "said"
            | "says"
            | "told"
            | "reported"
            | "he"
            | "she"
            | "they"
            | "we"
            | "i"
            | "you"
            | "it"
            | "him"
            | "them"
            | "us"
            | "me"
            | "has"
            | "have"
            | "had"
            | "postcode"
            | "post"
            | "code"
            | "address"
            | "given"
            | "gave"
            | "new"
    )
}

/// A token that can be a word of a street's or place's name.
fn name_word(ctx: &Ctx, i: usize) -> bool {
    let toks = ctx.toks;
    let ordinal_word = toks.kind(i) == Some(Kind::Alnum) && ordinal(toks.lo(i));
    if !(toks.is_word(i) || ordinal_word) {
        return false;
    }
    if ctx.cased {
        toks.has(i, CAP)
    } else {
        !is_stop(toks.lo(i))
    }
}

fn ordinal(lo: &str) -> bool {
    let d = lo.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    !d.is_empty() && matches!(&lo[d.len()..], "st" | "nd" | "rd" | "th")
}

/// A house number: `12`, `12a`, `12-14`, with `No.` or `number` before it.
fn house_number(ctx: &Ctx, i: usize) -> Option<usize> {
    let toks = ctx.toks;
    let mut j = i;
    if matches!(toks.lo(j), "no" | "number") {
        j += 1;
        if toks.is_punct(j, b'.') {
            j += 1;
        }
    }
    let raw = toks.raw(j);
    let ok = match toks.kind(j) {
        Some(Kind::Num) => raw.len() <= 4,
        Some(Kind::Alnum) => {
            let d = raw.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            !d.is_empty()
                && d.len() <= 4
                && raw.len() - d.len() == 1
                && d.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    };
    if !ok {
        return None;
    }
    if toks.is_punct(j + 1, b'-') && toks.kind(j + 2) == Some(Kind::Num) && toks.tight(j + 2) {
        return Some(j + 3);
    }
    Some(j + 1)
}

/// `Flat 3`, `flat 3b`, `Apartment 12`, `Block C`: a unit and its number or letter.
fn unit(ctx: &Ctx, i: usize) -> Option<usize> {
    let toks = ctx.toks;
    // `from no. 12`, `at number 7`: a neighbour's home by its number alone.
    if matches!(toks.lo(i), "no" | "number")
        && matches!(
            toks.lo(i.wrapping_sub(1)),
            "at" | "from" | "to" | "outside" | "opposite" | "of" | "in"
        )
    {
        let j = if toks.is_punct(i + 1, b'.') {
            i + 2
        } else {
            i + 1
        };
        if toks.kind(j) == Some(Kind::Num) && toks.raw(j).len() <= 3 {
            return house_number(ctx, i);
        }
    }
    if !is_unit_word(toks.lo(i)) || !toks.is_word(i) {
        return None;
    }
    let j = if toks.is_punct(i + 1, b'.') {
        i + 2
    } else {
        i + 1
    };
    let raw = toks.raw(j);
    let ok = match toks.kind(j) {
        Some(Kind::Num) => raw.len() <= 4,
        Some(Kind::Alnum) => raw.len() <= 4,
        Some(Kind::Word) => {
            raw.len() == 1
                && (toks.has(j, CAP) || !ctx.cased)
                && !matches!(raw, "a" | "i" | "I" | "A" if !toks.has(j + 1, NL_BEFORE) && toks.is_word(j + 1) && !toks.has(j + 1, CAP))
        }
        _ => false,
    };
    ok.then_some(j + 1)
}

/// A street: [house number] name words and a street word (`14 Mill Lane`, `St Mary's Rd`).
fn street(ctx: &Ctx, taken: &[bool], i: usize) -> Option<usize> {
    let toks = ctx.toks;
    let names_from = house_number(ctx, i);
    let first = names_from.unwrap_or(i);
    let has_number = names_from.is_some();
    let first = if has_number && toks.is_punct(first, b',') {
        first + 1
    } else {
        first
    };
    let mut best = None;
    let mut j = first;
    while j < toks.len() && j < first + 5 && !taken[j] {
        let lo = toks.lo(j);
        if j > first
            && (is_street_suffix(lo) || lo == "broadway")
            && toks.is_word(j)
            && suffix_ok(ctx, j, has_number)
        {
            best = Some(j + 1);
        }
        if lo == "broadway" && j == first {
            best = Some(j + 1);
        }
        if !name_word(ctx, j) || (j > first && toks.has(j, NL_BEFORE)) {
            break;
        }
        if toks.is_punct(j + 1, b'.')
            && toks.tight(j + 1)
            && matches!(
                lo,
                "st" | "rd" | "ave" | "dr" | "ln" | "cres" | "gdns" | "pl" | "ct" | "sq" | "terr"
            )
        {
            // `Rd.`: keep the stop with the abbreviation.
            if best == Some(j + 1) {
                best = Some(j + 2);
            }
            j += 1;
        }
        j += 1;
    }
    let end = match best {
        Some(end) => end,
        None if has_number => unsuffixed(ctx, taken, first)?,
        None => return None,
    };
    // `Visited Mill Lane`: a sentence's first word, if ordinary, is no part of the name.
    if !has_number
        && ctx.cased
        && end - first >= 3
        && toks.has(first, SENT_START)
        && ctx.lex.common.contains(toks.lo(first))
    {
        return None;
    }
    if !has_number && !ctx.cased {
        // In lower-case notes a street without a number needs a preposition before it.
        let prev = toks.lo(first.wrapping_sub(1));
        let two = end - first >= 2;
        if !(two
            && matches!(
                prev,
                "on" | "at"
                    | "in"
                    | "off"
                    | "along"
                    | "from"
                    | "of"
                    | "to"
                    | "near"
                    | "opposite"
                    | "down"
                    | "up"
                    | "into"
                    | "onto"
                    | "moved"
                    | "address"
            ))
        {
            return None;
        }
    }
    Some(end)
}

/// A house number then a name with no street word (`The Willows`, `Woodside`): a street
/// only when a town, a locality or a postcode follows.
fn unsuffixed(ctx: &Ctx, taken: &[bool], first: usize) -> Option<usize> {
    let toks = ctx.toks;
    let mut j = first;
    let the = toks.lo(j) == "the";
    if the {
        j += 1;
    }
    let start = j;
    while j < start + 3
        && j < toks.len()
        && !taken[j]
        && name_word(ctx, j)
        && (j == first || !toks.has(j, NL_BEFORE))
    {
        j += 1;
    }
    if j == start {
        return None;
    }
    if the
        && (toks.is_punct(j, b',')
            || toks.has(j, NL_BEFORE)
            || toks.is_punct(j, b'.')
            || j >= toks.len())
    {
        return Some(j);
    }
    let next = separator(ctx, j)?;
    let follows = town(ctx, next).is_some()
        || postcode::at(ctx, next).is_some()
        || (toks.is_punct(j, b',')
            && locality(ctx, next).is_some_and(|e| {
                locality_closes(ctx, taken, e)
                    && separator(ctx, e)
                        .is_some_and(|n| town(ctx, n).is_some() || postcode::at(ctx, n).is_some())
            }));
    follows.then_some(j)
}

fn suffix_ok(ctx: &Ctx, j: usize, has_number: bool) -> bool {
    let toks = ctx.toks;
    let lo = toks.lo(j);
    if ctx.cased && !toks.has(j, CAP) {
        return false;
    }
    // `St Mary's`, `Dr Patel`: a title before a capitalised name is no street word.
    if matches!(lo, "st" | "dr")
        && toks.is_word(j + 1)
        && toks.has(j + 1, CAP)
        && !toks.has(j + 1, NL_BEFORE)
    {
        return false;
    }
    if is_weak_street_suffix(lo) && !has_number && !ctx.cased {
        return !ctx.lex.common.contains(toks.lo(j - 1)) && !is_stop(toks.lo(j - 1));
    }
    true
}

/// A building's name: `Jubilee Court`, `Elm House`.
fn building(ctx: &Ctx, i: usize) -> Option<usize> {
    let toks = ctx.toks;
    let mut j = i;
    while j < i + 4 && name_word(ctx, j) {
        if j > i && is_building_word(toks.lo(j)) && (!ctx.cased || toks.has(j, CAP)) {
            return Some(j + 1);
        }
        j += 1;
    }
    None
}

fn town(ctx: &Ctx, i: usize) -> Option<usize> {
    let toks = ctx.toks;
    if !toks.is_word(i) || (ctx.cased && !toks.has(i, CAP)) {
        return None;
    }
    let mut key = String::new();
    let mut best = None;
    for j in i..(i + 4).min(toks.len()) {
        if !toks.is_word(j) || (j > i && (toks.tight(j) || toks.has(j, NL_BEFORE))) {
            break;
        }
        if j > i {
            key.push(' ');
        }
        key.push_str(toks.lo(j));
        if ctx.lex.town.contains(key.as_str()) {
            best = Some(j + 1);
        }
    }
    best
}

/// Place words of a locality (`Armley`, `Moss Side`) that no gazetteer need know.
fn locality(ctx: &Ctx, i: usize) -> Option<usize> {
    let toks = ctx.toks;
    let mut j = i;
    while j < i + 3 && toks.is_word(j) && (j == i || !toks.has(j, NL_BEFORE)) {
        let lo = toks.lo(j);
        let ok = if ctx.cased {
            toks.has(j, CAP)
        } else {
            !is_stop(lo)
        };
        if !ok {
            break;
        }
        j += 1;
    }
    (j > i).then_some(j)
}

fn segment(ctx: &Ctx, taken: &[bool], i: usize, first: bool) -> Option<(usize, Seg)> {
    if i >= ctx.toks.len() || taken[i] {
        return None;
    }
    if let Some(end) = postcode::at(ctx, i) {
        return (!first).then_some((end, Seg::Postcode));
    }
    if let Some(end) = street(ctx, taken, i) {
        return Some((end, Seg::Street));
    }
    if let Some(end) = unit(ctx, i) {
        return Some((end, Seg::Unit));
    }
    if let Some(end) = building(ctx, i) {
        return Some((end, Seg::Building));
    }
    if first {
        return None;
    }
    if let Some(end) = town(ctx, i) {
        return Some((end, Seg::Town));
    }
    None
}

/// Skips the separator after a segment: a comma, a line break, or a space.
fn separator(ctx: &Ctx, e: usize) -> Option<usize> {
    let toks = ctx.toks;
    if toks.is_punct(e, b',') {
        return Some(e + 1);
    }
    (e < toks.len() && !toks.tight(e)).then_some(e)
}

/// Whether the locality at `i..end` ends the line or is followed by a town or postcode.
fn locality_closes(ctx: &Ctx, taken: &[bool], end: usize) -> bool {
    let toks = ctx.toks;
    let next = separator(ctx, end).unwrap_or(end);
    if town(ctx, next).is_some() || postcode::at(ctx, next).is_some() {
        return true;
    }
    if end >= toks.len() || toks.has(end, NL_BEFORE) {
        return ctx.cased;
    }
    ctx.cased
        && (toks.is_punct(end, b',') || toks.is_punct(end, b'.') || toks.is_punct(end, b')'))
        && !taken.get(next).copied().unwrap_or(false)
}

fn forward(ctx: &Ctx, taken: &[bool], i: usize) -> Option<(usize, bool)> {
    let (mut end, kind) = segment(ctx, taken, i, true)?;
    let mut kinds = vec![kind];
    while kinds.len() < 8 {
        let Some(next) = separator(ctx, end) else {
            break;
        };
        let seg = segment(ctx, taken, next, false).or_else(|| {
            let loc = locality(ctx, next)?;
            let after_street = kinds
                .iter()
                .any(|k| matches!(k, Seg::Street | Seg::Building | Seg::Unit));
            (after_street && !kinds.contains(&Seg::Town) && locality_closes(ctx, taken, loc))
                .then_some((loc, Seg::Locality))
        });
        let Some((e, k)) = seg else { break };
        // A new street straight after a postcode starts another address.
        if kinds.contains(&Seg::Postcode) {
            break;
        }
        kinds.push(k);
        end = e;
        if k == Seg::Postcode {
            break;
        }
    }
    let has = |k| kinds.contains(&k);
    let valid = has(Seg::Street) || has(Seg::Unit) || (has(Seg::Building) && kinds.len() > 1);
    valid.then_some((end, has(Seg::Postcode)))
}

/// Walks back from a postcode over a town and place words (`Bron y Graig, Tregaron SY25 6AA`).
fn backward(ctx: &Ctx, taken: &[bool], p: usize) -> usize {
    let toks = ctx.toks;
    let mut start = p;
    let mut segments = 0;
    while segments < 3 && start > 0 {
        let mut j = start;
        if toks.is_punct(j - 1, b',') {
            j -= 1;
        }
        let mut k = j;
        while k > 0 && k + 4 > j && !taken[k - 1] {
            let ok_word = toks.is_word(k - 1)
                && (if ctx.cased {
                    toks.has(k - 1, CAP) && !toks.has(k - 1, UPPER)
                } else {
                    !is_stop(toks.lo(k - 1)) && !ctx.lex.common.contains(toks.lo(k - 1))
                });
            let ok_num = k < j && house_number(ctx, k - 1).is_some_and(|e| e == k);
            if !(ok_word || ok_num) || (k < j && toks.has(k, NL_BEFORE) && !ok_word) {
                break;
            }
            k -= 1;
            if ok_num || toks.has(k, NL_BEFORE) {
                break;
            }
        }
        if k == j {
            break;
        }
        start = k;
        segments += 1;
        if house_number(ctx, k).is_some() {
            break;
        }
    }
    start
}

pub(super) fn detect(ctx: &Ctx, taken: &[bool], out: &mut Vec<Cand>) {
    let toks = ctx.toks;
    let mut covered_to = 0;
    let mut i = 0;
    while i < toks.len() {
        if taken[i] {
            i += 1;
            continue;
        }
        if let Some((end, _)) = forward(ctx, taken, i) {
            out.push(ctx.cand(i, end, Label::Address));
            covered_to = end;
            i = end;
            continue;
        }
        if let Some(end) = postcode::at(ctx, i) {
            let start = backward(ctx, taken, i);
            if start < i && start >= covered_to {
                out.push(ctx.cand(start, end, Label::Address));
            }
            i = end;
            continue;
        }
        i += 1;
    }
}
