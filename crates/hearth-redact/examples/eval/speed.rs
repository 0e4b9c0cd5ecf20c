//! Throughput in notes per CPU-second on one thread, and a check that time grows linearly
//! with text length.

use crate::generator::Note;
use hearth_redact::Engine;
use std::time::Instant;

/// This thread's CPU time in seconds, from the kernel's scheduler statistics; wall time
/// where those are not available.
fn cpu_seconds(wall: Instant) -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|n| n.parse::<f64>().ok())
        })
        .map_or_else(|| wall.elapsed().as_secs_f64(), |ns| ns / 1e9)
}

fn run(engine: &Engine, texts: &[&str], rounds: usize) -> f64 {
    let wall = Instant::now();
    let before = cpu_seconds(wall);
    let mut spans = 0usize;
    for _ in 0..rounds {
        for t in texts {
            spans += engine.detect(t, None).len();
        }
    }
    std::hint::black_box(spans);
    cpu_seconds(wall) - before
}

pub fn report(engine: &Engine, notes: &[Note]) {
    let texts: Vec<&str> = notes.iter().map(|n| n.text.as_str()).collect();
    let chars: usize = texts.iter().map(|t| t.chars().count()).sum();
    run(engine, &texts, 1);
    let rounds = 5;
    let secs = run(engine, &texts, rounds);
    let per_sec = (texts.len() * rounds) as f64 / secs;
    println!("\n### Speed (one thread, release build)\n");
    println!(
        "- {} notes, mean {:.0} characters: {:.0} notes per CPU-second ({:.1} MB of text per CPU-second)",
        texts.len(),
        chars as f64 / texts.len() as f64,
        per_sec,
        (chars * rounds) as f64 / secs / 1e6
    );
    let start = Instant::now();
    let _engine = Engine::new();
    println!(
        "- building the engine (gazetteers): {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    println!("\n| text length (characters) | µs per 1,000 characters |\n|---:|---:|");
    for n in [10usize, 100, 1000] {
        let long: String = texts
            .iter()
            .cycle()
            .take(n)
            .copied()
            .collect::<Vec<_>>()
            .join("\n\n");
        let len = long.chars().count();
        let reps = (200_000 / len).max(1);
        let secs = run(engine, &vec![long.as_str(); reps], 1);
        println!(
            "| {len} | {:.1} |",
            secs * 1e6 / (len * reps) as f64 * 1000.0
        );
    }
}
