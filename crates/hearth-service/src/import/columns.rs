//! CSV headers: every required column present, no unknown column, any order.

use std::collections::HashMap;

pub struct Columns {
    index: HashMap<String, usize>,
    key: &'static str,
}

impl Columns {
    /// Checks a header against the kind's columns. The first required column is the key.
    pub fn new(
        header: &csv::StringRecord,
        required: &[&'static str],
        optional: &[&str],
    ) -> Result<Self, String> {
        let mut index = HashMap::new();
        let mut problems = Vec::new();
        for (i, name) in header.iter().enumerate() {
            let name = name
                .trim()
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase();
            if !required.contains(&name.as_str()) && !optional.contains(&name.as_str()) {
                problems.push(format!("unknown column '{name}'"));
            } else if index.insert(name.clone(), i).is_some() {
                problems.push(format!("column '{name}' appears twice"));
            }
        }
        for name in required {
            if !index.contains_key(*name) {
                problems.push(format!("required column '{name}' is missing"));
            }
        }
        if problems.is_empty() {
            Ok(Self {
                index,
                key: required.first().copied().unwrap_or(""),
            })
        } else {
            Err(format!(
                "{}; the columns are: {} (required) and {}",
                problems.join("; "),
                required.join(", "),
                optional.join(", ")
            ))
        }
    }

    /// The value of a column in a record; blank is `None`.
    pub fn get<'r>(&self, record: &'r csv::StringRecord, name: &str) -> Option<&'r str> {
        self.index
            .get(name)
            .and_then(|i| record.get(*i))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }

    pub fn text(&self, record: &csv::StringRecord, name: &str) -> String {
        self.get(record, name).unwrap_or("").to_string()
    }

    pub fn opt(&self, record: &csv::StringRecord, name: &str) -> Option<String> {
        self.get(record, name).map(String::from)
    }

    pub fn key_column(&self) -> &'static str {
        self.key
    }
}
