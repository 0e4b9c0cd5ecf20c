//! The evaluation set: synthetic UK housing notes with labelled spans, made from name,
//! street and town lists that the engine does not ship (see `data/derive.py`) and from
//! templates written apart from the detection rules. Deterministic for a given seed.

pub mod builder;
pub mod identity;
pub mod lists;
pub mod notes;
pub mod rng;

pub use builder::Note;

/// `count` notes from `seed`.
pub fn generate(seed: u64, count: usize) -> Vec<Note> {
    let lists = lists::Lists::load();
    let mut rng = rng::Rng::new(seed);
    (0..count)
        .map(|i| notes::note(&lists, &mut rng, i))
        .collect()
}
