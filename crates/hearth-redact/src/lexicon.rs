//! The compiled-in gazetteers (names, towns, English words), held as hash sets of lower-case
//! strings. Where each list came from is written in `data/README.md`.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: the keys are short words, where SipHash's set-up cost dominates.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(crate) type WordSet = HashSet<&'static str, BuildHasherDefault<Fnv>>;

fn set(list: &'static str) -> WordSet {
    list.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

pub(crate) struct Lexicon {
    pub first: WordSet,
    pub surname: WordSet,
    /// Towns and cities, lower case, possibly several words (`newcastle upon tyne`).
    pub town: WordSet,
    /// The most frequent English words (SCOWL sizes 10 and 20).
    pub common: WordSet,
    /// Less frequent but ordinary English words (SCOWL size 35).
    pub dictionary: WordSet,
}

impl Lexicon {
    pub fn new() -> Self {
        Self {
            first: set(include_str!("../data/first_names.txt")),
            surname: set(include_str!("../data/surnames.txt")),
            town: set(include_str!("../data/towns.txt")),
            common: set(include_str!("../data/words_common.txt")),
            dictionary: set(include_str!("../data/words_dictionary.txt")),
        }
    }

    /// An ordinary English word at any frequency this engine knows.
    pub fn is_word(&self, lo: &str) -> bool {
        self.common.contains(lo) || self.dictionary.contains(lo) || is_inflection(self, lo)
    }

    pub fn is_name(&self, lo: &str) -> bool {
        self.first.contains(lo) || self.surname.contains(lo)
    }
}

/// `flats`, `repaired`, `leaking`: SCOWL lists carry most inflections, but not all.
fn is_inflection(lex: &Lexicon, lo: &str) -> bool {
    for suffix in ["s", "es", "ed", "ing", "'s"] {
        if let Some(stem) = lo.strip_suffix(suffix)
            && stem.len() >= 3
            && (lex.common.contains(stem) || lex.dictionary.contains(stem))
        {
            return true;
        }
    }
    false
}
