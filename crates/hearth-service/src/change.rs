//! Changes to a record as JSON Merge Patch (RFC 7396): the fields a change names are set
//! (`null` clears one), the fields it does not name are kept. Both `PATCH` and `PUT` arrive
//! here, so a client that sends back only what it was shown never erases what it was not.

use crate::{Result, ServiceError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The fields a change sets, by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordChange(Map<String, Value>);

impl RecordChange {
    /// A change from a request body, which must be a JSON object.
    pub fn from_json(body: Value) -> Result<Self> {
        match body {
            Value::Object(fields) => Ok(Self(fields)),
            _ => Err(ServiceError::field(
                "(body)",
                "a change is a JSON object naming the fields to set",
            )),
        }
    }

    /// A change that sets every field of `input`, as a whole replacement does.
    pub fn replacing(input: &impl Serialize) -> Result<Self> {
        let value = serde_json::to_value(input)
            .map_err(|e| ServiceError::field("(body)", e.to_string()))?;
        Self::from_json(value)
    }

    /// The names of the fields this change sets.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// The input that results from applying this change to `current` (a record's fields, whose
    /// JSON has the shape of the input): unknown fields and bad values are refused by name.
    /// The message names the field but never quotes a value: the merged record holds values
    /// the caller may not have been shown.
    pub fn apply<I: DeserializeOwned>(&self, current: &impl Serialize) -> Result<I> {
        let mut merged = serde_json::to_value(current)
            .map_err(|e| ServiceError::Storage(format!("record as JSON: {e}")))?;
        json_patch::merge(&mut merged, &Value::Object(self.0.clone()));
        serde_path_to_error::deserialize(merged).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.inner().to_string();
            let message =
                if inner.starts_with("unknown field") || inner.starts_with("missing field") {
                    inner
                } else {
                    "is not a valid value for this field".to_string()
                };
            let field = if path == "." {
                "(body)".to_string()
            } else {
                path
            };
            ServiceError::field(&field, message)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Fields {
        name: String,
        phone: Option<String>,
        tags: Vec<String>,
    }

    fn current() -> Fields {
        Fields {
            name: "Ada".into(),
            phone: Some("07700900123".into()),
            tags: vec!["a".into()],
        }
    }

    #[test]
    fn fields_not_named_are_kept_and_null_clears_one() {
        let change = RecordChange::from_json(json!({"name": "Ada B", "phone": null})).unwrap();
        let after: Fields = change.apply(&current()).unwrap();
        assert_eq!(
            after,
            Fields {
                name: "Ada B".into(),
                phone: None,
                tags: vec!["a".into()],
            }
        );
    }

    #[test]
    fn a_bad_value_is_refused_by_field_without_quoting_any_value() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Strict {
            name: String,
            phone: Option<u32>,
            tags: Vec<String>,
        }
        let change = RecordChange::from_json(json!({"name": "Ada"})).unwrap();
        let err = change.apply::<Strict>(&current()).unwrap_err().to_string();
        assert!(err.contains("phone"), "{err}");
        assert!(!err.contains("07700900123"), "a held value leaked: {err}");
    }

    #[test]
    fn an_unknown_field_or_a_non_object_is_refused() {
        let change = RecordChange::from_json(json!({"nmae": "x"})).unwrap();
        let err = change.apply::<Fields>(&current()).unwrap_err();
        assert!(err.to_string().contains("nmae"), "{err}");
        assert!(RecordChange::from_json(json!(["name"])).is_err());
    }
}
