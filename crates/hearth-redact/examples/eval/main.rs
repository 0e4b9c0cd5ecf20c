//! Accuracy and speed of the engine on the synthetic evaluation set.
//!
//! `cargo run --release -p hearth-redact --example eval -- [--notes N] [--seed S]
//!  [--write-test FILE] [--show-errors K] [--tuning]`
//!
//! The first quarter of the notes is the tuning part (the only part whose errors
//! `--show-errors` prints); every number reported is on the test part unless `--tuning`.

#[path = "../../eval/generator/mod.rs"]
mod generator;
mod metrics;
mod speed;

use generator::Note;
use hearth_redact::{Engine, Label};
use std::collections::HashSet;

struct Args {
    notes: usize,
    seed: u64,
    write_test: Option<String>,
    show_errors: usize,
    tuning: bool,
}

fn args() -> Args {
    let mut a = Args {
        notes: 2400,
        seed: 20261205,
        write_test: None,
        show_errors: 0,
        tuning: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--notes" => a.notes = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.notes),
            "--seed" => a.seed = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.seed),
            "--write-test" => a.write_test = it.next(),
            "--show-errors" => a.show_errors = it.next().and_then(|v| v.parse().ok()).unwrap_or(0),
            "--tuning" => a.tuning = true,
            other => eprintln!("ignoring unknown argument {other}"),
        }
    }
    a
}

fn engine_names() -> HashSet<&'static str> {
    include_str!("../../data/first_names.txt")
        .lines()
        .chain(include_str!("../../data/surnames.txt").lines())
        .collect()
}

fn main() {
    let a = args();
    let notes = generator::generate(a.seed, a.notes);
    let split = notes.len() / 4;
    let (tuning, test) = notes.split_at(split);
    let part: &[Note] = if a.tuning { tuning } else { test };
    let engine = Engine::new();
    let names = engine_names();
    let titles = ["mr", "mrs", "ms", "miss", "dr", "pc"];
    let is_unseen = |name: &str| {
        name.split(|c: char| !c.is_alphabetic() && c != '\'' && c != '-')
            .map(str::to_lowercase)
            .filter(|w| w.chars().count() > 1 && !titles.contains(&w.as_str()))
            .all(|w| !names.contains(w.as_str()))
    };
    let mut report = metrics::Report::default();
    let mut shown = 0;
    for note in part {
        let pred = engine.detect(&note.text, Some(&note.subject));
        metrics::score(&mut report, note, &pred, &is_unseen);
    }
    for note in tuning
        .iter()
        .take(if a.show_errors > 0 { tuning.len() } else { 0 })
    {
        let pred = engine.detect(&note.text, Some(&note.subject));
        shown += show_errors(note, &pred);
        if shown >= a.show_errors {
            break;
        }
    }
    let origin_count = generator::lists::Lists::load().origins.len();
    println!(
        "## hearth-redact evaluation: {} {} notes (seed {}, name origins {})",
        part.len(),
        if a.tuning { "tuning" } else { "test" },
        a.seed,
        origin_count
    );
    metrics::print(&report, "Accuracy (typed span overlap)");
    let gold_addresses = report.by_label.get(&Label::Address).map_or(0, |c| c.gold);
    println!(
        "- addresses fully covered: {:.1}% of {gold_addresses}",
        100.0
            * metrics::ratio(
                report
                    .by_label
                    .get(&Label::Address)
                    .map_or(0, |c| c.covered),
                gold_addresses
            )
    );
    speed::report(&engine, part);
    if let Some(path) = a.write_test {
        let mut out = String::new();
        for n in part {
            let gold: Vec<_> = n.gold.iter().map(|g| serde_json::json!({"start": g.start, "end": g.end, "label": g.label, "party": g.party})).collect();
            out.push_str(&serde_json::json!({"id": n.id, "kind": n.kind, "text": n.text, "subject": n.subject, "gold": gold}).to_string());
            out.push('\n');
        }
        if let Err(e) = std::fs::write(&path, out) {
            eprintln!("could not write {path}: {e}");
        }
    }
}

fn show_errors(note: &Note, pred: &[hearth_redact::Span]) -> usize {
    let text: Vec<char> = note.text.chars().collect();
    let s = |a: usize, b: usize| text[a..b].iter().collect::<String>();
    let mut lines = Vec::new();
    for g in &note.gold {
        let hit = pred
            .iter()
            .find(|p| p.label == g.label && p.start < g.end && g.start < p.end);
        match hit {
            None => lines.push(format!("  MISS {:?} {:?}", g.label, s(g.start, g.end))),
            Some(p) if p.party != g.party => lines.push(format!(
                "  PARTY {:?} {:?} gold {:?} got {:?}",
                g.label,
                s(g.start, g.end),
                g.party,
                p.party
            )),
            Some(p) if g.relation.is_some() && p.relation != g.relation => lines.push(format!(
                "  RELATION {:?} gold {:?} got {:?}",
                s(g.start, g.end),
                g.relation,
                p.relation
            )),
            Some(p) if p.label == Label::Address && (p.start > g.start || p.end < g.end) => lines
                .push(format!(
                    "  PARTIAL {:?} gold {:?} got {:?}",
                    g.label,
                    s(g.start, g.end),
                    s(p.start, p.end)
                )),
            _ => {}
        }
    }
    for p in pred {
        if !note
            .gold
            .iter()
            .any(|g| g.label == p.label && p.start < g.end && g.start < p.end)
        {
            lines.push(format!("  FALSE {:?} {:?}", p.label, s(p.start, p.end)));
        }
    }
    if !lines.is_empty() {
        println!(
            "--- note {} ({})\n{}\n{}",
            note.id,
            note.kind,
            note.text,
            lines.join("\n")
        );
    }
    usize::from(!lines.is_empty())
}
