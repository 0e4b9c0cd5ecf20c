//! Prints what the engine finds in each argument: `cargo run --example probe -- "text" ...`

fn main() {
    let engine = hearth_redact::Engine::new();
    for text in std::env::args().skip(1) {
        let text = text.replace("\\n", "\n");
        println!("{text:?}");
        for s in engine.detect(&text, None) {
            let piece: String = text.chars().skip(s.start).take(s.end - s.start).collect();
            println!("  {:<14} {piece:?} {:?}", s.label.as_str(), s.relation);
        }
    }
}
