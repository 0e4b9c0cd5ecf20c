//! Who is acting: every service call names its actor, so that every change can say who made it.

use serde::Serialize;

/// The one doing something in Hearth. Ids only: never names or contact details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Actor {
    /// A member of staff, by user id.
    Staff(String),
    /// A machine client, by API client id.
    ApiClient(String),
    /// A resident acting on their own record, by person id.
    Resident(String),
    /// A scheduled job, by job name.
    System(String),
    /// An operator at the command line, by operating-system user name.
    Cli(String),
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Staff(id) => write!(f, "staff:{id}"),
            Self::ApiClient(id) => write!(f, "api:{id}"),
            Self::Resident(id) => write!(f, "resident:{id}"),
            Self::System(job) => write!(f, "system:{job}"),
            Self::Cli(user) => write!(f, "cli:{user}"),
        }
    }
}
