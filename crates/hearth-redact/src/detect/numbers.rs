//! Phone numbers (UK formats with spaces, hyphens, brackets, +44) and NHS numbers (valid
//! check digit only), told apart from references, accounts, prices and times.

use super::{Cand, Ctx};
use crate::cues::is_reference_cue;
use crate::span::Label;
use hearth_core::identifiers::{NhsNumber, Phone};

/// A run of digits with the separators people type between groups.
struct Run {
    start: usize,
    /// Byte ends after each group of digits, with the digit count so far.
    ends: Vec<(usize, usize)>,
    /// Whether the groups are 3, 3 and 4 long (the NHS display form).
    nhs_shape: bool,
}

fn scan(bytes: &[u8], start: usize) -> Run {
    let mut ends = Vec::new();
    let mut groups = Vec::new();
    let (mut i, mut digits, mut group) = (start, 0usize, 0usize);
    if bytes[i] == b'+' {
        i += 1;
    }
    while i < bytes.len() && digits <= 13 {
        let b = bytes[i];
        if b.is_ascii_digit() {
            digits += 1;
            group += 1;
            i += 1;
            if i == bytes.len() || !bytes[i].is_ascii_digit() {
                ends.push((i, digits));
                groups.push(group);
                group = 0;
            }
        } else if matches!(b, b'(' | b')') {
            i += 1;
        } else if matches!(b, b' ' | b'-') {
            // One separator between groups; a second one or a line break ends the number.
            let next = bytes.get(i + 1).copied().unwrap_or(b'x');
            if next.is_ascii_digit() || next == b'(' {
                i += 1;
            } else {
                break;
            }
        } else {
            break;
        }
    }
    let nhs_shape = groups.len() >= 3 && groups[..3] == [3, 3, 4];
    Run {
        start,
        ends,
        nhs_shape,
    }
}

fn boundary_before(bytes: &[u8], i: usize) -> bool {
    i == 0
        || !(bytes[i - 1].is_ascii_alphanumeric()
            || matches!(
                bytes[i - 1],
                b'-' | b'/' | b'.' | b',' | b'\xa3' | b'$' | b'+' | b'#'
            ))
}

fn nhs_number(text: &str, run: &Run) -> Option<usize> {
    run.ends
        .iter()
        .find(|(_, d)| *d == 10)
        .filter(|(end, _)| text[run.start..*end].parse::<NhsNumber>().is_ok())
        .map(|(end, _)| *end)
}

fn phone_number(text: &str, run: &Run) -> Option<usize> {
    run.ends
        .iter()
        .rev()
        .filter(|(_, d)| (10..=13).contains(d))
        .find(|(end, _)| {
            text[run.start..*end].parse::<Phone>().is_ok_and(|p| {
                // 03 and 08 numbers are organisations' switchboards, never a person's.
                matches!(p.as_str().as_bytes().get(1), Some(b'1' | b'2' | b'7'))
            })
        })
        .map(|(end, _)| *end)
}

/// What the words just before the number say it is.
#[derive(PartialEq)]
enum Cue {
    Nhs,
    Phone,
    Reference,
    None,
}

fn cue_before(ctx: &Ctx, start: usize) -> Cue {
    let toks = ctx.toks;
    let i = toks.at_byte(start);
    for j in (i.saturating_sub(4)..i).rev() {
        let lo = toks.lo(j);
        if lo == "nhs" || lo == "chi" {
            return Cue::Nhs;
        }
        if matches!(
            lo,
            "tel"
                | "phone"
                | "telephone"
                | "mobile"
                | "mob"
                | "landline"
                | "call"
                | "ring"
                | "text"
                | "t"
                | "m"
                | "contact"
                | "whatsapp"
                | "phoned"
                | "on"
        ) {
            return Cue::Phone;
        }
        if is_reference_cue(lo) {
            return Cue::Reference;
        }
    }
    Cue::None
}

pub(super) fn detect(ctx: &Ctx, out: &mut Vec<Cand>) {
    let text = ctx.toks.text;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let starts = (b.is_ascii_digit()
            || (b == b'+' && bytes.get(i + 1) == Some(&b'4'))
            || (b == b'(' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
            && boundary_before(bytes, i);
        if !starts {
            i += 1;
            continue;
        }
        let run = scan(bytes, i);
        let phone = phone_number(text, &run);
        let nhs = nhs_number(text, &run);
        let cue = cue_before(ctx, i);
        let label_end = match (phone, nhs) {
            _ if cue == Cue::Reference => None,
            (_, Some(end)) if cue == Cue::Nhs => Some((Label::NhsNumber, end)),
            (Some(end), _) if cue == Cue::Phone => Some((Label::Phone, end)),
            (_, Some(end)) if run.nhs_shape || !bytes[i..].starts_with(b"0") => {
                Some((Label::NhsNumber, end))
            }
            (Some(end), _) => Some((Label::Phone, end)),
            (None, Some(end)) => Some((Label::NhsNumber, end)),
            (None, None) => None,
        };
        let last = run.ends.last().map_or(i + 1, |(e, _)| *e);
        if let Some((label, mut end)) = label_end {
            // A closing bracket typed around the area code belongs to the number.
            while end < bytes.len() && bytes[end] == b')' {
                end += 1;
            }
            let (t0, t1) = (ctx.toks.at_byte(i), ctx.toks.at_byte(end));
            if t0 < t1 {
                let start = ctx.toks.toks[t0].start as usize;
                out.push(Cand {
                    start,
                    end: ctx.toks.toks[t1 - 1].end as usize,
                    label,
                    t0,
                    t1,
                });
            }
            i = end.max(i + 1);
        } else {
            i = last.max(i + 1);
        }
    }
}
