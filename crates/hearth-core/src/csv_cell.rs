//! Text for a CSV cell that a spreadsheet will not run: a cell starting with `=`, `+`, `-`,
//! `@`, a tab or a carriage return is read by Excel and LibreOffice as a formula, so a note
//! typed as `=HYPERLINK(...)` could act when a resident or officer opens an export. Such a cell
//! gets a leading apostrophe, which spreadsheets show as text (OWASP's advice for CSV injection).

use std::borrow::Cow;

/// The cell as it is safe to write.
pub fn csv_cell(value: &str) -> Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{value}")),
        _ => Cow::Borrowed(value),
    }
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn formulas_become_text_and_other_cells_are_untouched() {
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(csv_cell("+44 7700 900461"), "'+44 7700 900461");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("Leaking tap"), "Leaking tap");
        assert_eq!(csv_cell(""), "");
    }
}
