//! One pass over the text into word, number and punctuation tokens, with their lower-case
//! forms kept in one buffer so look-ups never allocate per token.

use crate::span::Label;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters, with apostrophes or hyphens inside (`O'Brien`, `Smith-Jones`).
    Word,
    /// ASCII digits only.
    Num,
    /// Letters and digits mixed (`12a`, `LS6`, `AB123456C`).
    Alnum,
    /// One character that is neither a letter, a digit nor white space.
    Punct,
    /// A `[redacted: LABEL]` placeholder left by an earlier redaction, exactly as
    /// [`crate::apply`] writes it: opaque (never inside a detected span, never counted when
    /// judging the text's use of capitals) and a boundary between the tokens either side.
    Mask,
}

pub(crate) const CAP: u8 = 1;
pub(crate) const UPPER: u8 = 2;
pub(crate) const NL_BEFORE: u8 = 4;
pub(crate) const SPACE_BEFORE: u8 = 8;
pub(crate) const SENT_START: u8 = 16;
pub(crate) const BLANK_LINE_BEFORE: u8 = 32;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub start: u32,
    pub end: u32,
    lo_start: u32,
    lo_end: u32,
    pub kind: Kind,
    pub flags: u8,
}

impl Token {
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }
}

/// The tokens of one text.
pub(crate) struct Tokens<'t> {
    pub text: &'t str,
    pub toks: Vec<Token>,
    lower: String,
}

const MASK_OPEN: &str = "[redacted: ";

/// The length in bytes of the `[redacted: LABEL]` placeholder at the start of `rest`, if one
/// is there; only the exact forms [`crate::apply`] writes count, so nothing else is hidden.
fn mask_len(rest: &str) -> Option<usize> {
    let after = rest.strip_prefix(MASK_OPEN)?;
    Label::ALL.iter().find_map(|label| {
        let name = label.as_str();
        (after.starts_with(name) && after.as_bytes().get(name.len()) == Some(&b']'))
            .then(|| MASK_OPEN.len() + name.len() + 1)
    })
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

impl<'t> Tokens<'t> {
    pub fn new(text: &'t str) -> Self {
        let mut toks = Vec::with_capacity(text.len() / 4 + 1);
        let mut lower = String::with_capacity(text.len() + 8);
        let bytes = text.as_bytes();
        let mut gap_flags = SENT_START;
        let mut newlines = 0;
        let mut it = text.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            if c.is_whitespace() {
                gap_flags |= SPACE_BEFORE;
                if c == '\n' {
                    newlines += 1;
                    gap_flags |= NL_BEFORE;
                    if newlines >= 2 {
                        gap_flags |= BLANK_LINE_BEFORE;
                    }
                }
                continue;
            }
            let start = i;
            let mut end = i + c.len_utf8();
            let kind;
            if let Some(n) = (c == '[').then(|| mask_len(&text[i..])).flatten() {
                end = i + n;
                while it.peek().is_some_and(|(j, _)| *j < end) {
                    it.next();
                }
                kind = Kind::Mask;
            } else if c.is_alphanumeric() {
                let (mut letters, mut digits) = (!c.is_ascii_digit(), c.is_ascii_digit());
                while let Some(&(j, d)) = it.peek() {
                    if d.is_alphanumeric() {
                        letters |= !d.is_ascii_digit();
                        digits |= d.is_ascii_digit();
                        end = j + d.len_utf8();
                        it.next();
                    } else if (is_apostrophe(d) || d == '-') && !digits {
                        // Join O'Brien and Smith-Jones, but only letter-to-letter.
                        let next = text[j + d.len_utf8()..].chars().next();
                        let prev_letter = text[..j]
                            .chars()
                            .next_back()
                            .is_some_and(char::is_alphabetic);
                        if prev_letter && next.is_some_and(char::is_alphabetic) {
                            end = j + d.len_utf8();
                            it.next();
                        } else {
                            break;
                        }
                    } else {
                        break;
                    }
                }
                kind = match (letters, digits) {
                    (true, false) => Kind::Word,
                    (false, true) => Kind::Num,
                    _ => Kind::Alnum,
                };
            } else {
                kind = Kind::Punct;
            }
            let slice = &text[start..end];
            let mut flags = gap_flags;
            if kind != Kind::Punct && kind != Kind::Mask {
                let mut letters = slice.chars().filter(|c| c.is_alphabetic());
                if letters.clone().next().is_some_and(char::is_uppercase) {
                    flags |= CAP;
                }
                if letters.clone().count() >= 2 && letters.all(|c| !c.is_lowercase()) {
                    flags |= UPPER;
                }
            }
            let lo_start = lower.len() as u32;
            if slice.is_ascii() {
                lower.push_str(slice);
                let n = lower.len();
                lower[lo_start as usize..n].make_ascii_lowercase();
            } else {
                for ch in slice.chars() {
                    if ch == '\u{2019}' {
                        lower.push('\'');
                    } else {
                        lower.extend(ch.to_lowercase());
                    }
                }
            }
            toks.push(Token {
                start: start as u32,
                end: end as u32,
                lo_start,
                lo_end: lower.len() as u32,
                kind,
                flags,
            });
            let ends_sentence = kind == Kind::Punct && matches!(bytes[start], b'.' | b'!' | b'?');
            gap_flags = if ends_sentence { SENT_START } else { 0 };
            newlines = 0;
        }
        // A line break also starts a sentence for capitalisation purposes.
        for t in &mut toks {
            if t.flags & NL_BEFORE != 0 {
                t.flags |= SENT_START;
            }
        }
        Self { text, toks, lower }
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    /// The lower-case form of token `i`.
    pub fn lo(&self, i: usize) -> &str {
        self.toks
            .get(i)
            .map_or("", |t| &self.lower[t.lo_start as usize..t.lo_end as usize])
    }

    /// The original text of token `i`.
    pub fn raw(&self, i: usize) -> &'t str {
        self.toks
            .get(i)
            .map_or("", |t| &self.text[t.start as usize..t.end as usize])
    }

    /// Whether token `i` is the single punctuation character `c`.
    pub fn is_punct(&self, i: usize, c: u8) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.kind == Kind::Punct && self.text.as_bytes()[t.start as usize] == c)
    }

    /// Whether token `i` follows token `i - 1` with no space between them.
    pub fn tight(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.flags & SPACE_BEFORE == 0)
    }

    pub fn is_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(Token::is_word)
    }

    pub fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    pub fn has(&self, i: usize, flag: u8) -> bool {
        self.toks.get(i).is_some_and(|t| t.has(flag))
    }

    /// The index of the first token starting at or after byte `b`.
    pub fn at_byte(&self, b: usize) -> usize {
        self.toks.partition_point(|t| (t.start as usize) < b)
    }
}
