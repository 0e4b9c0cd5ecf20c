//! Typed span-overlap scoring: per-label and micro precision, recall and F1, the share of
//! gold spans fully covered, and how often whose-data and relation are right.

use crate::generator::Note;
use crate::generator::builder::Gold;
use hearth_redact::{Label, Party, Span};
use std::collections::BTreeMap;

#[derive(Default, Clone, Copy)]
pub struct Counts {
    pub pred: usize,
    pub pred_hit: usize,
    pub gold: usize,
    pub gold_hit: usize,
    pub covered: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.pred_hit, self.pred)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.gold_hit, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: &Counts) {
        self.pred += o.pred;
        self.pred_hit += o.pred_hit;
        self.gold += o.gold;
        self.gold_hit += o.gold_hit;
        self.covered += o.covered;
    }
}

pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

#[derive(Default)]
pub struct Report {
    pub by_label: BTreeMap<Label, Counts>,
    pub person_party: (usize, usize),
    pub all_party: (usize, usize),
    pub relation: (usize, usize),
    /// Gold PERSON spans with no word in the engine's name lists: (found, total).
    pub unseen_names: (usize, usize),
}

impl Report {
    pub fn micro(&self) -> Counts {
        let mut c = Counts::default();
        for v in self.by_label.values() {
            c.add(v);
        }
        c
    }
}

fn overlap(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// Scores one note's predictions; `is_unseen` says whether a gold name is unknown to the
/// engine's lists.
pub fn score(report: &mut Report, note: &Note, pred: &[Span], is_unseen: &dyn Fn(&str) -> bool) {
    let chars: Vec<char> = note.text.chars().collect();
    for p in pred {
        let c = report.by_label.entry(p.label).or_default();
        c.pred += 1;
        if note
            .gold
            .iter()
            .any(|g| g.label == p.label && overlap((g.start, g.end), (p.start, p.end)) > 0)
        {
            c.pred_hit += 1;
        }
    }
    for g in &note.gold {
        let best = pred
            .iter()
            .filter(|p| p.label == g.label)
            .max_by_key(|p| overlap((g.start, g.end), (p.start, p.end)))
            .filter(|p| overlap((g.start, g.end), (p.start, p.end)) > 0);
        let covered = (g.start..g.end).all(|i| {
            chars[i].is_whitespace()
                || chars[i] == ','
                || pred.iter().any(|p| p.start <= i && i < p.end)
        });
        let c = report.by_label.entry(g.label).or_default();
        c.gold += 1;
        c.gold_hit += usize::from(best.is_some());
        c.covered += usize::from(covered);
        if let Some(p) = best {
            let right = p.party == g.party;
            report.all_party.0 += usize::from(right);
            report.all_party.1 += 1;
            if g.label == Label::Person {
                report.person_party.0 += usize::from(right);
                report.person_party.1 += 1;
                if g.party == Party::Other && g.relation.is_some() {
                    report.relation.0 += usize::from(p.relation == g.relation);
                    report.relation.1 += 1;
                }
            }
        }
        if g.label == Label::Person && is_unseen(&gold_text(note, g)) {
            report.unseen_names.1 += 1;
            report.unseen_names.0 += usize::from(best.is_some());
        }
    }
}

pub fn gold_text(note: &Note, g: &Gold) -> String {
    note.text
        .chars()
        .skip(g.start)
        .take(g.end - g.start)
        .collect()
}

pub fn print(report: &Report, title: &str) {
    println!("\n### {title}\n");
    println!("| label | gold | precision | recall | F1 | fully covered |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (label, c) in &report.by_label {
        println!(
            "| {} | {} | {:.3} | {:.3} | {:.3} | {:.1}% |",
            label.as_str(),
            c.gold,
            c.precision(),
            c.recall(),
            c.f1(),
            100.0 * ratio(c.covered, c.gold)
        );
    }
    let m = report.micro();
    println!(
        "| **micro** | {} | {:.3} | {:.3} | **{:.3}** | {:.1}% |",
        m.gold,
        m.precision(),
        m.recall(),
        m.f1(),
        100.0 * ratio(m.covered, m.gold)
    );
    println!();
    println!(
        "- subject/other right for PERSON spans found: {:.1}% ({}/{})",
        100.0 * ratio(report.person_party.0, report.person_party.1),
        report.person_party.0,
        report.person_party.1
    );
    println!(
        "- subject/other right for all spans found: {:.1}% ({}/{})",
        100.0 * ratio(report.all_party.0, report.all_party.1),
        report.all_party.0,
        report.all_party.1
    );
    println!(
        "- relation right for other people whose relation the note states: {:.1}% ({}/{})",
        100.0 * ratio(report.relation.0, report.relation.1),
        report.relation.0,
        report.relation.1
    );
    println!(
        "- PERSON spans with no word in the engine's name lists: {} of {}; found {:.1}%",
        report.unseen_names.1,
        report.by_label.get(&Label::Person).map_or(0, |c| c.gold),
        100.0 * ratio(report.unseen_names.0, report.unseen_names.1)
    );
}
