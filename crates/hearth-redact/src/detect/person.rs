//! People's names: title + name, initials + surname, first + last, `SURNAME, First`, and a
//! first name alone when the words around it show a person. Capitals count as evidence only
//! where the writer uses them; otherwise gazetteers and cue words carry the decision.

use super::{Cand, Ctx};
use crate::cues::{
    is_non_name_capital, is_org_word, is_person_cue_before, is_person_verb_after, is_street_suffix,
    is_title, is_weak_title, relation_of,
};
use crate::span::Label;
use crate::tokens::{CAP, Kind, NL_BEFORE, SENT_START, UPPER};

/// How strongly a word looks like part of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    None,
    /// Not in any list and no English word: maybe a name the gazetteers lack.
    Unknown,
    /// In a name list but also an English word (`Grace`, `Baker`).
    Weak,
    /// In a name list and no English word (`Sarah`, `Khan`).
    Strong,
}

/// The word without a possessive `'s`.
fn stem(lo: &str) -> &str {
    lo.strip_suffix("'s").unwrap_or(lo)
}

/// Abbreviations of rushed notes that are no names.
fn is_abbreviation(lo: &str) -> bool {
    matches!(
        lo,
        "pls"
            | "appt"
            | "appts"
            | "tnt"
            | "tt"
            | "asap"
            | "nfa"
            | "rtb"
            | "bthrm"
            | "kitch"
            | "ll"
            | "wc"
            | "w/c"
            | "eta"
            | "hrs"
            | "mins"
            | "approx"
            | "tbc"
            | "aka"
            | "info"
            | "re"
            | "fyi"
            | "lol"
            | "ok"
            | "thx"
            | "pcm"
            | "pw"
            | "asb"
            | "dv"
            | "hb"
            | "uc"
            | "pip"
            | "esa"
            | "ta"
            | "ot"
            | "sw"
            | "hv"
            | "gp"
            | "sms"
            | "txt"
            | "msg"
            | "tel"
            | "mob"
            | "vm"
            | "em"
            | "etc"
            | "cctv"
            | "nb"
            | "ps"
            | "dob"
            | "ni"
            | "nhs"
            | "vs"
            | "att"
            | "tho"
            | "cos"
            | "coz"
            | "u"
            | "ur"
            | "yr"
            | "yrs"
            | "wks"
            | "wk"
            | "hse"
            | "prop"
            | "insp"
            | "maint"
            | "ext"
            | "int"
            | "rad"
            | "rads"
            | "gf"
            | "ff"
            | "sf"
            | "reqd"
            | "req"
            | "poss"
            | "prob"
            | "def"
            | "xmas"
            | "mum's"
    )
}

fn strength(ctx: &Ctx, i: usize) -> Strength {
    let toks = ctx.toks;
    if !toks.is_word(i) {
        return Strength::None;
    }
    let lo = stem(toks.lo(i));
    if lo.chars().count() < 2
        || is_non_name_capital(lo)
        || is_abbreviation(lo)
        || is_pronoun(lo)
        || is_org_word(lo)
        || is_housing_word(lo)
    {
        return Strength::None;
    }
    let name = ctx.lex.is_name(lo);
    let word = ctx.lex.is_word(lo) || ctx.lex.town.contains(lo);
    if ctx.cased && !toks.has(i, CAP) {
        // Lower case in a cased text: a name only if it is no word at all (`de`, `bin`
        // are handled as particles).
        return Strength::None;
    }
    match (name, word) {
        (true, false) => Strength::Strong,
        (true, true) => Strength::Weak,
        (false, false) => Strength::Unknown,
        (false, true) => Strength::None,
    }
}

fn is_pronoun(lo: &str) -> bool {
    matches!(
        lo,
        "he" | "she"
            | "they"
            | "him"
            | "her"
            | "his"
            | "hers"
            | "them"
            | "their"
            | "it"
            | "its"
            | "we"
            | "us"
            | "our"
            | "me"
            | "my"
            | "you"
            | "your"
            | "i"
            | "who"
            | "whom"
            | "whose"
            | "this"
            | "that"
            | "these"
            | "those"
            | "there"
            | "here"
            | "the"
            | "an"
            | "and"
            | "or"
            | "but"
            | "if"
            | "so"
            | "not"
            | "no"
            | "yes"
            | "new"
            | "old"
            | "all"
            | "one"
            | "two"
    )
}

/// Words of housing work that no word list of general English need hold.
fn is_housing_word(lo: &str) -> bool {
    matches!(
        lo,
        "referral"
            | "referrals"
            | "tenancy"
            | "tenancies"
            | "arrears"
            | "extractor"
            | "mould"
            | "mouldy"
            | "damp"
            | "boiler"
            | "leak"
            | "leaking"
            | "repairs"
            | "voids"
            | "void"
            | "antisocial"
            | "safeguarding"
            | "signposted"
            | "signpost"
            | "ombudsman"
            | "s21"
            | "universal"
            | "landlord"
            | "councillor"
            | "housing"
            | "estate"
            | "estates"
            | "tenant"
            | "tenants"
            | "leaseholder"
            | "leaseholders"
            | "homeless"
            | "homelessness"
            | "decant"
            | "aids"
            | "adaptations"
            | "adaptation"
            | "dehumidifier"
            | "condensation"
            | "vulnerability"
            | "vulnerable"
            | "callback"
            | "voicemail"
            | "hallway"
            | "loft"
            | "bedsit"
            | "maisonette"
            | "bungalow"
            | "kitchen"
            | "bathroom"
            | "bedroom"
    )
}

fn is_month_or_day_name(lo: &str) -> bool {
    matches!(
        lo,
        "jan" | "may" | "june" | "april" | "august" | "julia" | "christmas"
    )
}

fn is_particle(lo: &str) -> bool {
    matches!(
        lo,
        "bin"
            | "binti"
            | "bint"
            | "ibn"
            | "al"
            | "el"
            | "ul"
            | "ur"
            | "de"
            | "da"
            | "van"
            | "von"
            | "der"
            | "den"
            | "le"
            | "la"
            | "di"
            | "du"
            | "dos"
            | "das"
            | "del"
            | "ben"
            | "abu"
    )
}

fn initial(ctx: &Ctx, i: usize) -> Option<usize> {
    let toks = ctx.toks;
    let raw = toks.raw(i);
    if !toks.is_word(i) || raw.chars().count() != 1 {
        return None;
    }
    let dot = toks.is_punct(i + 1, b'.') && toks.tight(i + 1);
    if ctx.cased && !toks.has(i, CAP) {
        return None;
    }
    if !dot && matches!(raw, "a" | "A" | "i" | "I") {
        return None;
    }
    Some(if dot { i + 2 } else { i + 1 })
}

/// A run of name words from `i`: (end, strongest word, count of words).
fn names(ctx: &Ctx, i: usize, taken: &[bool], titled: bool) -> (usize, Strength, usize, Strength) {
    let toks = ctx.toks;
    let (mut j, mut best, mut n, mut weakest) = (i, Strength::None, 0, Strength::Strong);
    while j < toks.len() && n < 4 && !taken[j] {
        if j > i && (toks.has(j, NL_BEFORE) || toks.tight(j)) {
            break;
        }
        let mut s = strength(ctx, j);
        if titled
            && s == Strength::None
            && toks.is_word(j)
            && !is_pronoun(stem(toks.lo(j)))
            && !is_non_name_capital(stem(toks.lo(j)))
        {
            // `Dr Witting`, `Mrs Rose`: after a title an English word is a surname when it
            // is capitalised, or rare enough.
            let lo = stem(toks.lo(j));
            let long = lo.chars().count() > 1;
            if long
                && ((ctx.cased && toks.has(j, CAP))
                    || (!ctx.cased && !ctx.lex.common.contains(lo) && lo.chars().count() > 2))
            {
                s = Strength::Weak;
            }
        }
        if n == 0
            && s == Strength::None
            && is_month_or_day_name(stem(toks.lo(j)))
            && (!ctx.cased || toks.has(j, CAP))
            && !toks.has(j + 1, NL_BEFORE)
            && !toks.tight(j + 1)
            && matches!(strength(ctx, j + 1), Strength::Strong | Strength::Unknown)
        {
            // `Jan Nowak`, `June Okafor`: a month's name before a surname is a first name.
            s = Strength::Weak;
        }
        if n == 0 && relation_of(stem(toks.lo(j))).is_some() {
            // `Joiner Dave Smith`: a job before a name is no part of it.
            s = Strength::None;
        }
        if s == Strength::None {
            // `Abdul bin Hamid`: a particle joins two name words.
            if n > 0
                && is_particle(toks.lo(j))
                && strength(ctx, j + 1) >= Strength::Unknown
                && !toks.has(j + 1, NL_BEFORE)
            {
                j += 1;
                continue;
            }
            break;
        }
        best = best.max(s);
        weakest = weakest.min(s);
        n += 1;
        let lo = toks.lo(j);
        j += 1;
        if lo.ends_with("'s") {
            break;
        }
    }
    (j, best, n, weakest)
}

/// Words before `i` that show the next words name a person.
fn cue_before(ctx: &Ctx, i: usize) -> bool {
    let toks = ctx.toks;
    if i == 0 {
        return false;
    }
    let mut p = i - 1;
    if toks.is_punct(p, b',') || toks.is_punct(p, b':') || toks.is_punct(p, b'(') {
        if p == 0 {
            return false;
        }
        p -= 1;
    }
    let prev = stem(toks.lo(p));
    let before = toks.lo(p.wrapping_sub(1));
    match prev {
        "to" | "with" => matches!(
            before,
            "left"
                | "staying"
                | "living"
                | "lives"
                | "stays"
                | "sharing"
                | "shares"
                | "argued"
                | "arguing"
                | "fell"
                | "dispute"
                | "spoke"
                | "speak"
                | "speaking"
                | "spoken"
                | "talked"
                | "talk"
                | "talking"
                | "chatted"
                | "wrote"
                | "write"
                | "sent"
                | "passed"
                | "referred"
                | "explained"
                | "introduced"
                | "met"
                | "meeting"
                | "visit"
                | "emailed"
                | "apologised"
                | "letter"
                | "email"
                | "reply"
                | "replied"
                | "message"
                | "text"
                | "call"
                | "handed"
                | "forwarded"
        ),
        "by" => matches!(
            before,
            "reported"
                | "raised"
                | "made"
                | "witnessed"
                | "seen"
                | "caused"
                | "attended"
                | "completed"
                | "signed"
                | "carried"
                | "visited"
                | "inspected"
                | "sent"
                | "done"
        ),
        "and" | "&" => false,
        _ => is_person_cue_before(prev) && !matches!(prev, "to" | "with" | "by"),
    }
}

fn verb_after(ctx: &Ctx, end: usize) -> bool {
    let toks = ctx.toks;
    let j = if toks.is_punct(end, b',') {
        end + 1
    } else {
        end
    };
    let lo = toks.lo(j);
    !toks.has(j, NL_BEFORE)
        && (is_person_verb_after(lo)
            && !matches!(
                lo,
                "is" | "was" | "has" | "had" | "will" | "would" | "can" | "could" | "and" | "who"
            )
            || (toks.lo(end.wrapping_sub(1)).ends_with("'s") && relation_of(lo).is_some()))
        || (toks.is_punct(end, b'(') && relation_of(toks.lo(end + 1)).is_some())
        || (lo == "next" && toks.lo(j + 1) == "door")
        || (toks.is_punct(end, b',')
            && matches!(
                toks.lo(end + 1),
                "her" | "his" | "their" | "the" | "my" | "our"
            )
            && relation_of(toks.lo(end + 2)).is_some())
}

/// After a sign-off (`Kind regards,`) or a header (`From:`), the next line names a person.
fn signature_line(ctx: &Ctx, i: usize) -> bool {
    let toks = ctx.toks;
    if !toks.has(i, NL_BEFORE) || i == 0 {
        return false;
    }
    let mut p = i - 1;
    if toks.is_punct(p, b',') || toks.is_punct(p, b'!') || toks.is_punct(p, b'.') {
        p = p.saturating_sub(1);
    }
    matches!(
        toks.lo(p),
        "regards" | "thanks" | "wishes" | "sincerely" | "faithfully" | "cheers" | "you" | "best"
    )
}

fn followed_by_org(ctx: &Ctx, end: usize) -> bool {
    let toks = ctx.toks;
    if end >= toks.len() || toks.has(end, NL_BEFORE) {
        return false;
    }
    let lo = toks.lo(end);
    if toks.is_punct(end, b'&') || lo == "and" && is_org_word(toks.lo(end + 1)) {
        return true;
    }
    if is_org_word(lo) || is_street_suffix(lo) && (!ctx.cased || toks.has(end, CAP)) {
        return !ctx.cased || toks.has(end, CAP);
    }
    // `Yorkshire Water`, `British Gas`: a capitalised ordinary word after makes a name of a
    // company or a place.
    ctx.cased
        && toks.is_word(end)
        && toks.has(end, CAP)
        && !toks.has(end, SENT_START)
        && ctx.lex.is_word(toks.lo(end))
        && !ctx.lex.is_name(toks.lo(end))
}

fn preceded_by_place_word(ctx: &Ctx, i: usize) -> bool {
    let lo = ctx.toks.lo(i.wrapping_sub(1));
    matches!(
        lo,
        "st" | "saint" | "st." | "at" | "in" | "near" | "of" | "the"
    )
}

/// `KHAN, Aisha`: an upper-case surname, a comma, then a first name.
fn surname_comma_first(ctx: &Ctx, i: usize, taken: &[bool]) -> Option<usize> {
    let toks = ctx.toks;
    if !toks.is_word(i) || !toks.has(i, UPPER) || !toks.is_punct(i + 1, b',') || taken[i] {
        return None;
    }
    let lo = toks.lo(i);
    if is_non_name_capital(lo)
        || is_abbreviation(lo)
        || (!ctx.lex.surname.contains(lo) && ctx.lex.is_word(lo))
    {
        return None;
    }
    let f = i + 2;
    if f >= toks.len() || taken[f] || !toks.is_word(f) || !toks.has(f, CAP) || toks.has(f, UPPER) {
        return None;
    }
    let first = stem(toks.lo(f));
    (ctx.lex.first.contains(first) || !ctx.lex.is_word(first)).then_some(f + 1)
}

pub(super) fn detect(ctx: &Ctx, taken: &[bool], out: &mut Vec<Cand>) {
    let toks = ctx.toks;
    let mut i = 0;
    while i < toks.len() {
        if taken[i] || toks.kind(i) != Some(Kind::Word) {
            i += 1;
            continue;
        }
        if let Some(end) = surname_comma_first(ctx, i, taken) {
            push(ctx, i, end, out);
            i = end;
            continue;
        }
        let lo = toks.lo(i);
        let mut j = i;
        let mut titled = false;
        if is_title(lo) && (!ctx.cased || toks.has(i, CAP) || !is_weak_title(lo)) {
            j = i + 1;
            if toks.is_punct(j, b'.') && toks.tight(j) {
                j += 1;
            }
            titled = true;
        }
        let mut initials = 0;
        while let Some(e) = initial(ctx, j).filter(|_| j < toks.len() && !taken[j]) {
            // `l macinnes` in a lower-case note: a bare letter counts only before a name.
            let name_next = matches!(strength(ctx, e), Strength::Strong | Strength::Unknown);
            if e - j == 1 && !titled && initials == 0 && !ctx.cased && !name_next {
                break;
            }
            initials += 1;
            j = e;
        }
        let (end, best, n, weakest) = names(ctx, j, taken, titled || initials > 0);
        let decided = if titled {
            n > 0 && best >= Strength::Unknown
        } else if initials > 0 {
            n > 0
                && (best == Strength::Strong
                    || best == Strength::Unknown
                    || ctx.cased && best == Strength::Weak)
        } else if n == 0 {
            false
        } else {
            let town = ctx.lex.town.contains(toks.lo(j)) && n == 1;
            let org = followed_by_org(ctx, end);
            let cue = cue_before(ctx, j) || verb_after(ctx, end) || signature_line(ctx, j);
            let first_lo = stem(toks.lo(j));
            let strong_first =
                ctx.lex.first.contains(first_lo) && strength(ctx, j) == Strength::Strong;
            let place = preceded_by_place_word(ctx, j) && !cue;
            if org || town && !cue {
                false
            } else if n >= 2 {
                (best == Strength::Strong
                    || cue
                    || weakest >= Strength::Unknown && weakest != Strength::Weak
                    || ctx.cased && best >= Strength::Unknown)
                    && !place
            } else if ctx.cased {
                let mid = !toks.has(j, SENT_START);
                !place
                    && match best {
                        // `Khan is...` opening a sentence: a surname alone there needs a cue.
                        Strength::Strong => mid || cue || strong_first,
                        Strength::Weak => cue || mid && !ctx.lex.common.contains(first_lo),
                        Strength::Unknown => cue,
                        Strength::None => false,
                    }
            } else {
                !place
                    && (strong_first || cue && matches!(best, Strength::Unknown | Strength::Strong))
            }
        };
        if decided && end > i {
            push(ctx, i, end, out);
            i = end;
        } else {
            i += 1;
        }
    }
}

fn push(ctx: &Ctx, t0: usize, t1: usize, out: &mut Vec<Cand>) {
    let mut c = ctx.cand(t0, t1, Label::Person);
    // `Sarah's`: the possessive is no part of the name.
    let raw = ctx.toks.raw(t1 - 1);
    if let Some(stripped) = raw
        .strip_suffix("'s")
        .or_else(|| raw.strip_suffix("\u{2019}s"))
    {
        c.end -= raw.len() - stripped.len();
    }
    out.push(c);
}
