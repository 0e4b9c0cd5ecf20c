//! Whose data: each span against the subject's known identity, with a guess at how another
//! person relates to the subject when the words around the name say so.

use crate::cues::{is_org_word, is_title, relation_of};
use crate::detect::{Cand, Ctx};
use crate::span::{Label, Party, Relation};
use crate::subject::{Known, Subject, date_parts, phone_digits, words};
use crate::tokens::NL_BEFORE;

pub(crate) fn assign(
    ctx: &Ctx,
    cands: &[Cand],
    subject: Option<&Subject>,
) -> Vec<(Party, Option<Relation>)> {
    let known = subject.map(Known::new);
    let mut out: Vec<(Party, Option<Relation>)> = Vec::with_capacity(cands.len());
    // People first: other spans may borrow the party of the person named next to them.
    let mut person_party = vec![None; cands.len()];
    for (k, c) in cands.iter().enumerate() {
        if c.label == Label::Person {
            let relation = relation_near(ctx, c);
            let party = match &known {
                Some(known) if is_subject_name(ctx, c, known, relation) => Party::Subject,
                _ => Party::Other,
            };
            person_party[k] = Some((party, relation));
        }
    }
    for (k, c) in cands.iter().enumerate() {
        if let Some((party, relation)) = person_party[k] {
            out.push((party, (party == Party::Other).then_some(relation).flatten()));
            continue;
        }
        let Some(known) = &known else {
            out.push((Party::Other, None));
            continue;
        };
        let text = &ctx.toks.text[c.start..c.end];
        let direct = match c.label {
            Label::Phone => Some(known.phones.contains(&phone_digits(text))),
            Label::Email => Some(known.emails.contains(&text.to_lowercase())),
            Label::Address => Some(address_matches(known, text)),
            Label::Postcode => Some(postcode_matches(known, text)),
            Label::DateOfBirth => known.dob.map(|d| date_parts(text) == Some(d)),
            _ => None,
        };
        let party = match direct {
            Some(true) => Party::Subject,
            // The record has this kind of data and it does not match: someone else's,
            // unless it sits right by the subject's name or role (a new number, a move).
            Some(false) => nearby_party(ctx, cands, &person_party, k).unwrap_or(Party::Other),
            // The record cannot say (NI and NHS numbers): on the subject's own file, a
            // number with no one else named beside it is taken as the subject's.
            None => nearby_party(ctx, cands, &person_party, k).unwrap_or(Party::Subject),
        };
        out.push((party, None));
    }
    out
}

fn is_subject_name(ctx: &Ctx, c: &Cand, known: &Known, relation: Option<Relation>) -> bool {
    let toks = ctx.toks;
    let mut names = Vec::new();
    let mut initials = Vec::new();
    for i in c.t0..c.t1 {
        if !toks.is_word(i) {
            continue;
        }
        let lo = toks.lo(i);
        if is_title(lo) && i == c.t0 {
            continue;
        }
        for w in words(lo.strip_suffix("'s").unwrap_or(lo)) {
            if w.chars().count() == 1 {
                initials.push(w);
            } else {
                names.push(w);
            }
        }
    }
    if names.is_empty() {
        return false;
    }
    known.name_words.iter().any(|variant| {
        let all_in = names.iter().all(|n| variant.contains(n));
        let first_initials: Vec<char> = variant
            .iter()
            .take(variant.len().saturating_sub(1))
            .filter_map(|w| w.chars().next())
            .collect();
        let initials_ok = initials.iter().all(|i| {
            i.chars()
                .next()
                .is_some_and(|ch| first_initials.contains(&ch))
        });
        let surname_only = names.len() == 1 && variant.len() > 1 && variant.last() == names.first();
        // `her husband Mr Khan`: the subject's surname, but the text says it is a relative.
        all_in && initials_ok && !(surname_only && initials.is_empty() && relation.is_some())
    })
}

fn address_matches(known: &Known, text: &str) -> bool {
    let w = words(text);
    let compact: String = w.concat();
    known.addresses.iter().any(|a| {
        let numbers_ok = w
            .iter()
            .filter(|x| x.chars().next().is_some_and(|c| c.is_ascii_digit()))
            .all(|x| a.contains(x));
        let matched = w.iter().filter(|x| a.contains(x)).count();
        let postcode_hit = a.len() >= 2
            && compact.contains(&format!("{}{}", a[a.len() - 2], a[a.len() - 1]))
            && looks_like_postcode(&a[a.len() - 2..]);
        numbers_ok
            && (matched * 10 >= w.len() * 6
                || postcode_hit
                    && w.iter().any(|x| {
                        x.chars().next().is_some_and(|c| c.is_ascii_digit()) && a.contains(x)
                    }))
    })
}

fn looks_like_postcode(pair: &[String]) -> bool {
    pair.len() == 2 && pair[1].len() == 3 && pair[1].starts_with(|c: char| c.is_ascii_digit())
}

fn postcode_matches(known: &Known, text: &str) -> bool {
    let compact: String = words(text).concat();
    known
        .addresses
        .iter()
        .any(|a| a.concat().ends_with(&compact) || a.windows(2).any(|p| p.concat() == compact))
}

/// The party of the person named just before this span on the same line, or a possessive
/// cue (`her son's number`).
fn nearby_party(
    ctx: &Ctx,
    cands: &[Cand],
    person_party: &[Option<(Party, Option<Relation>)>],
    k: usize,
) -> Option<Party> {
    let toks = ctx.toks;
    let c = &cands[k];
    let lo = c.t0.saturating_sub(6);
    for j in (lo..c.t0).rev() {
        if relation_of(toks.lo(j).trim_end_matches("'s")).is_some() {
            return Some(Party::Other);
        }
        if matches!(
            toks.lo(j),
            "tenant's"
                | "tenant"
                | "customer"
                | "customer's"
                | "resident"
                | "resident's"
                | "caller"
                | "caller's"
                | "applicant"
                | "applicant's"
                | "my"
                | "your"
                | "own"
        ) {
            return Some(Party::Subject);
        }
        if toks.has(j + 1, NL_BEFORE) || toks.is_punct(j, b'.') {
            break;
        }
    }
    (0..k).rev().take(3).find_map(|p| {
        let (party, _) = person_party[p]?;
        let near = c.t0.saturating_sub(cands[p].t1) <= 8
            && !(cands[p].t1..c.t0).any(|j| toks.has(j, NL_BEFORE) || toks.is_punct(j, b'.'));
        near.then_some(party)
    })
}

/// The relation the words around a name state: `her son Ali`, `Dave (plumber)`,
/// `Sarah from Citizens Advice`, `PC Jones`.
/// Whether the text is an email whose `To:` line names an address (staff read those).
fn addressed_to_mailbox(text: &str) -> bool {
    text.lines()
        .take(6)
        .any(|l| l.trim_start().to_ascii_lowercase().starts_with("to:") && l.contains('@'))
}

fn relation_near(ctx: &Ctx, c: &Cand) -> Option<Relation> {
    let toks = ctx.toks;
    let title = toks.lo(c.t0);
    match title {
        "dr" | "prof" | "pc" | "dc" | "sgt" | "cllr" | "councillor" | "insp" | "rev" | "revd"
        | "imam" | "pastor" | "nurse" => {
            return Some(Relation::Professional);
        }
        _ => {}
    }
    // `Hi Sam,` in a message sent to the landlord's mailbox: a member of staff.
    if matches!(toks.lo(c.t0.wrapping_sub(1)), "hi" | "dear" | "hello")
        && addressed_to_mailbox(toks.text)
    {
        return Some(Relation::Staff);
    }
    // `Ali (income team)`, `left with Jan next door`.
    if toks.is_punct(c.t1, b'(') {
        let close = (c.t1 + 1..(c.t1 + 6).min(toks.len())).find(|&j| toks.is_punct(j, b')'));
        if let Some(r) = close.and_then(|e| (c.t1 + 1..e).find_map(|j| relation_of(toks.lo(j)))) {
            return Some(r);
        }
    }
    if toks.lo(c.t1) == "next" && toks.lo(c.t1 + 1) == "door" {
        return Some(Relation::Neighbour);
    }
    let before = c.t0.saturating_sub(4);
    for j in (before..c.t0).rev() {
        let lo = toks.lo(j);
        if let Some(r) = relation_of(lo.trim_end_matches("'s")) {
            return Some(r);
        }
        if matches!(lo, "our" | "colleague") {
            return Some(Relation::Staff);
        }
        if toks.is_punct(j, b'.') || toks.has(j, NL_BEFORE) && j < c.t0 - 1 {
            break;
        }
    }
    // After the name: `(neighbour)`, `, the plumber,`, `from Acme Plumbing`, a signature's
    // job title on the next line.
    let after_end = (c.t1 + 6).min(toks.len());
    let mut saw_from = false;
    for j in c.t1..after_end {
        let lo = toks.lo(j);
        if toks.has(j, NL_BEFORE) && j > c.t1 && !saw_from {
            // Signature blocks: a job title line right under the name.
            if toks.has(c.t1, NL_BEFORE) || j == c.t1 {
                continue;
            }
            break;
        }
        if lo == "from" || lo == "at" {
            saw_from = true;
            continue;
        }
        if saw_from && is_org_word(lo) {
            return Some(
                if matches!(
                    lo,
                    "plumbing"
                        | "electrical"
                        | "electrics"
                        | "roofing"
                        | "builders"
                        | "construction"
                        | "scaffolding"
                        | "contractors"
                        | "maintenance"
                        | "heating"
                        | "gas"
                        | "glazing"
                        | "windows"
                        | "joinery"
                        | "decorators"
                        | "cleaning"
                ) {
                    Relation::Operative
                } else if matches!(lo, "housing" | "team") {
                    Relation::Staff
                } else {
                    Relation::Professional
                },
            );
        }
        // Only right after the name: `Ali (son)`, `Ali, her son,`, a signature's title line.
        let gap = j - c.t1;
        let filler = (c.t1..j).all(|g| {
            toks.is_punct(g, b'(')
                || toks.is_punct(g, b',')
                || matches!(
                    toks.lo(g),
                    "the" | "her" | "his" | "their" | "our" | "a" | "my"
                )
                || toks.has(g, NL_BEFORE) && g == c.t1
        });
        if let Some(r) = relation_of(lo) {
            if gap <= 3 && filler {
                return Some(r);
            }
            break;
        }
        if !filler && !toks.is_word(j) {
            break;
        }
        if matches!(lo, "said" | "says" | "reported" | "called" | "who" | "and") {
            break;
        }
    }
    None
}
