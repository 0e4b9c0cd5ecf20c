//! Replacing spans with `[redacted: LABEL]` placeholders.

use crate::offsets::char_to_byte_table;
use crate::span::Span;

/// The text with each given span replaced by `[redacted: LABEL]`. Spans are in code
/// points; overlapping spans merge into one placeholder (the first span's label), and spans
/// past the end of the text are clipped.
pub fn apply(text: &str, spans: &[Span]) -> String {
    apply_mapped(text, spans, |_| {})
}

/// A stretch of text that [`apply`] copied unchanged, in code points.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kept {
    /// Where it starts in the output.
    pub out: usize,
    /// Where it starts in the input.
    pub from: usize,
    pub len: usize,
}

/// [`apply`], telling `kept` each stretch of the input it copies unchanged (empty ones too).
pub(crate) fn apply_mapped(text: &str, spans: &[Span], mut kept: impl FnMut(Kept)) -> String {
    // Code points are bytes in ASCII text (most notes): no table needed then.
    let table = if text.is_ascii() {
        Vec::new()
    } else {
        char_to_byte_table(text)
    };
    let chars = table.len().checked_sub(1).unwrap_or(text.len());
    let byte = |i: usize| table.get(i).copied().unwrap_or(i);
    let mut sorted: Vec<&Span> = spans
        .iter()
        .filter(|s| s.start < s.end.min(chars))
        .collect();
    sorted.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut out = String::with_capacity(text.len());
    let (mut at, mut out_chars) = (0usize, 0usize);
    for s in sorted {
        let end = s.end.min(chars);
        if end <= at {
            continue;
        }
        let start = s.start.max(at);
        if start == s.start || start > at {
            kept(Kept {
                out: out_chars,
                from: at,
                len: start - at,
            });
            out.push_str(&text[byte(at)..byte(start)]);
            let label = s.label.as_str();
            out.push_str("[redacted: ");
            out.push_str(label);
            out.push(']');
            // The placeholder is ASCII: its length in bytes is its length in code points.
            out_chars += start - at + "[redacted: ]".len() + label.len();
        }
        at = end;
    }
    kept(Kept {
        out: out_chars,
        from: at,
        len: chars - at,
    });
    out.push_str(&text[byte(at)..]);
    out
}
