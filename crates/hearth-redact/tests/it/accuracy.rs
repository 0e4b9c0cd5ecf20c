//! A guard on accuracy: the engine on a slice of the synthetic evaluation set (a different
//! seed from the reported run) keeps a micro-F1 above 0.95.

use crate::generator;
use hearth_redact::Label;

#[test]
fn micro_f1_on_generated_notes_stays_high() {
    let notes = generator::generate(7, 300);
    let engine = crate::engine();
    let (mut pred, mut pred_hit, mut gold, mut gold_hit) = (0usize, 0usize, 0usize, 0usize);
    let mut dob = (0usize, 0usize);
    for n in &notes {
        let spans = engine.detect(&n.text, Some(&n.subject));
        pred += spans.len();
        pred_hit += spans
            .iter()
            .filter(|p| {
                n.gold
                    .iter()
                    .any(|g| g.label == p.label && p.start < g.end && g.start < p.end)
            })
            .count();
        gold += n.gold.len();
        for g in &n.gold {
            let hit = spans
                .iter()
                .any(|p| g.label == p.label && p.start < g.end && g.start < p.end);
            gold_hit += usize::from(hit);
            if g.label == Label::DateOfBirth {
                dob.0 += usize::from(hit);
                dob.1 += 1;
            }
        }
    }
    let (p, r) = (pred_hit as f64 / pred as f64, gold_hit as f64 / gold as f64);
    let f1 = 2.0 * p * r / (p + r);
    assert!(
        f1 > 0.95,
        "micro-F1 {f1:.3} (precision {p:.3}, recall {r:.3})"
    );
    assert!(dob.0 * 100 >= dob.1 * 95, "DOB recall {}/{}", dob.0, dob.1);
}
