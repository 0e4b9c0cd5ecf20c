//! Rectification (Art 16): each field corrected on a person's record, with the value it had
//! before, kept as the record's history of corrections.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One field corrected in answer to a rectification request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Correction {
    pub id: Uuid,
    pub request_id: Uuid,
    pub person_id: Uuid,
    /// The field of the person record, as named in the API (`family_name`, `phones`, ...).
    pub field: String,
    /// The value before, as JSON.
    #[schema(value_type = Object)]
    pub previous: serde_json::Value,
    /// The value after, as JSON.
    #[schema(value_type = Object)]
    pub corrected: serde_json::Value,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// Who made it (an actor id).
    pub made_by: String,
}

/// The fields whose values differ between two JSON objects (a record before and after), with
/// both values, in field order. Fields only one side has count as changed.
pub fn changed_fields(
    before: &serde_json::Value,
    after: &serde_json::Value,
) -> Vec<(String, serde_json::Value, serde_json::Value)> {
    let empty = serde_json::Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let old = b.get(k).cloned().unwrap_or(serde_json::Value::Null);
            let new = a.get(k).cloned().unwrap_or(serde_json::Value::Null);
            (old != new).then(|| (k.clone(), old, new))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_changed_fields_are_listed_with_both_values() {
        let changed = changed_fields(
            &json!({"family_name": "Smyth", "given_name": "Ann", "language": "en"}),
            &json!({"family_name": "Smith", "given_name": "Ann", "title": "Ms"}),
        );
        assert_eq!(
            changed,
            vec![
                ("family_name".into(), json!("Smyth"), json!("Smith")),
                ("language".into(), json!("en"), serde_json::Value::Null),
                ("title".into(), serde_json::Value::Null, json!("Ms")),
            ]
        );
    }
}
