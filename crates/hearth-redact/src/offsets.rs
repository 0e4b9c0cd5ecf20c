//! Byte offsets (how the engine works) to code-point offsets (what users get) and back.

/// Maps byte offsets of one text to code-point offsets; free for ASCII text.
pub(crate) struct CharIndex {
    /// Code-point offset at each byte index, or empty when the text is ASCII.
    table: Vec<u32>,
}

impl CharIndex {
    pub(crate) fn new(text: &str) -> Self {
        if text.is_ascii() {
            return Self { table: Vec::new() };
        }
        let mut table = vec![0u32; text.len() + 1];
        let mut count = 0u32;
        for (b, ch) in text.char_indices() {
            for slot in &mut table[b..b + ch.len_utf8()] {
                *slot = count;
            }
            count += 1;
        }
        table[text.len()] = count;
        Self { table }
    }

    pub(crate) fn char_at(&self, byte: usize) -> usize {
        if self.table.is_empty() {
            byte
        } else {
            self.table.get(byte).map_or(0, |c| *c as usize)
        }
    }
}

/// The byte offset of each code-point offset in `text` (one more entry for the end).
pub(crate) fn char_to_byte_table(text: &str) -> Vec<usize> {
    let mut table: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    table.push(text.len());
    table
}
