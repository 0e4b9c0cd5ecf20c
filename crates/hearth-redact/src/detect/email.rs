//! Email addresses, validated by the core's `Email`; shared team mailboxes are not personal.

use super::{Cand, Ctx};
use crate::cues::is_role_mailbox_word;
use crate::span::Label;
use hearth_core::identifiers::Email;

fn local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-' | b'\'')
}

fn domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

pub(super) fn detect(ctx: &Ctx, out: &mut Vec<Cand>) {
    let text = ctx.toks.text;
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = text[from..].find('@') {
        let at = from + found;
        from = at + 1;
        let mut start = at;
        while start > 0 && local_byte(bytes[start - 1]) {
            start -= 1;
        }
        while start < at && matches!(bytes[start], b'.' | b'\'' | b'-') {
            start += 1;
        }
        let mut end = at + 1;
        while end < bytes.len() && domain_byte(bytes[end]) {
            end += 1;
        }
        while end > at + 1 && matches!(bytes[end - 1], b'.' | b'-') {
            end -= 1;
        }
        if start == at || end <= at + 1 || text[start..end].parse::<Email>().is_err() {
            continue;
        }
        if is_role_mailbox(&text[start..at]) {
            continue;
        }
        let t0 = ctx.toks.at_byte(start);
        let t1 = ctx.toks.at_byte(end);
        if t0 < t1 {
            out.push(Cand {
                start,
                end,
                label: Label::Email,
                t0,
                t1,
            });
        }
    }
}

/// `repairs@`, `housing.options@`, `asb-team2@`: every part of the local name is a team word.
fn is_role_mailbox(local: &str) -> bool {
    let lower = local.to_ascii_lowercase();
    let mut parts = lower
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|p| !p.is_empty())
        .peekable();
    parts.peek().is_some() && parts.all(is_role_mailbox_word)
}
