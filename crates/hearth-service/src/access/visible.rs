//! What the gate hands back: a record with the fields the caller may not see taken out. The
//! full record never leaves the service layer; adapters get only this.

use super::guarded::Guarded;
use serde_json::Value;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
pub struct Visible<T: Guarded> {
    record: T,
    /// Names of the field groups withheld from this caller.
    withheld: Vec<&'static str>,
}

impl<T: Guarded> Visible<T> {
    pub(crate) fn new(record: T, withheld: Vec<&'static str>) -> Self {
        Self { record, withheld }
    }

    pub fn id(&self) -> Uuid {
        self.record.id()
    }

    pub fn version(&self) -> i64 {
        self.record.version()
    }

    /// The whole record, only when nothing was withheld from this caller.
    pub fn full(&self) -> Option<&T> {
        self.withheld.is_empty().then_some(&self.record)
    }

    pub fn withheld(&self) -> &[&'static str] {
        &self.withheld
    }

    /// The record as JSON with withheld fields removed and a `withheld` list naming the groups.
    pub fn to_json(&self) -> Value {
        let mut value = serde_json::to_value(&self.record).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut value {
            for group in T::GROUPS.iter().filter(|g| self.withheld.contains(&g.name)) {
                for field in group.fields {
                    map.remove(*field);
                }
            }
            map.insert("withheld".to_string(), serde_json::json!(self.withheld));
        }
        value
    }
}
