//! Converts a query written for PostgreSQL to SQLite: `::type` casts dropped, ILIKE as LIKE.
//! Both accept `$n` placeholders: sqlx binds SQLite's `$n` by its number, as PostgreSQL does;
//! where they run in order, SQLite gets plain `?`, which it parses far faster.

/// Rewrites PostgreSQL-dialect SQL for SQLite.
pub fn for_sqlite(pg: &str) -> String {
    let mut out = String::with_capacity(pg.len());
    let mut rest = pg;
    while let Some(at) = rest.find("::") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    sequential_to_positional(&out.replace(" ILIKE ", " LIKE "))
}

/// SQLite looks numbered parameters up by a linear scan while parsing, which makes a bulk
/// INSERT with tens of thousands of them take seconds to prepare; plain `?` costs nothing. When
/// the placeholders run `$1, $2, ...` in order, each once, `?` binds identically, so use it.
fn sequential_to_positional(sql: &str) -> String {
    let bytes = sql.as_bytes();
    let mut numbers = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let start = i + 1;
            let mut end = start;
            while end < bytes.len() && bytes[end].is_ascii_digit() {
                end += 1;
            }
            if end > start {
                numbers.push(sql[start..end].parse::<usize>().unwrap_or(0));
                i = end;
                continue;
            }
        }
        i += 1;
    }
    if numbers.iter().enumerate().any(|(i, n)| *n != i + 1) {
        return sql.to_string();
    }
    let mut out = String::with_capacity(sql.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            out.push('?');
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            continue;
        }
        let next = sql[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&sql[i..i + next]);
        i += next;
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn strips_casts_and_ilike() {
        assert_eq!(
            super::for_sqlite("SELECT id::text FROM t WHERE a = $1::uuid AND b ILIKE $2"),
            "SELECT id FROM t WHERE a = ? AND b LIKE ?"
        );
    }

    #[test]
    fn keeps_numbers_when_placeholders_repeat_or_run_out_of_order() {
        assert_eq!(
            super::for_sqlite("WHERE ($1::text IS NULL OR a = $1::text)"),
            "WHERE ($1 IS NULL OR a = $1)"
        );
        assert_eq!(
            super::for_sqlite("SET a = $2 WHERE id = $1"),
            "SET a = $2 WHERE id = $1"
        );
        assert_eq!(
            super::for_sqlite("VALUES ($1, $2), ($3, $4)"),
            "VALUES (?, ?), (?, ?)"
        );
    }
}
