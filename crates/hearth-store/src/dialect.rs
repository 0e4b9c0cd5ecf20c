//! Converts a query written for PostgreSQL to SQLite: `::type` casts dropped, ILIKE as LIKE.
//! Both accept `$n` placeholders: sqlx binds SQLite's `$n` by its number, as PostgreSQL does.

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
    out.replace(" ILIKE ", " LIKE ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn strips_casts_and_ilike() {
        assert_eq!(
            super::for_sqlite("SELECT id::text FROM t WHERE a = $1::uuid AND b ILIKE $2"),
            "SELECT id FROM t WHERE a = $1 AND b LIKE $2"
        );
    }
}
