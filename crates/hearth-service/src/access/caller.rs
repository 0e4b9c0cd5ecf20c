//! Who is calling a service, for which purpose, under which correlation id.

use hearth_core::access::{ApiToken, StaffAccount};
use hearth_core::actor::Actor;
use hearth_policy::Principal;

/// Every service call that touches personal data carries one of these. It can only be made
/// from an identity Hearth has checked (a session, a token) or one it owns (a job, the console).
#[derive(Debug, Clone)]
pub struct Caller {
    actor: Actor,
    principal: Principal,
    purpose: Option<String>,
    correlation_id: Option<String>,
}

impl Caller {
    pub fn staff(account: &StaffAccount) -> Self {
        Self::of(
            Actor::Staff(account.id.to_string()),
            Principal::Staff {
                id: account.id.to_string(),
                roles: account.roles.clone(),
                teams: account.teams.clone(),
            },
        )
    }

    pub fn api_client(token: &ApiToken) -> Self {
        Self::of(
            Actor::ApiClient(token.id.to_string()),
            Principal::ApiClient {
                id: token.id.to_string(),
                roles: token.roles.clone(),
                purposes: token.purposes.clone(),
            },
        )
    }

    pub fn resident(person_id: uuid::Uuid) -> Self {
        Self::of(
            Actor::Resident(person_id.to_string()),
            Principal::Resident {
                person_id: person_id.to_string(),
            },
        )
    }

    /// A job inside Hearth (`retention`, `demo`).
    pub fn system(job: &str) -> Self {
        Self::of(
            Actor::System(job.to_string()),
            Principal::System {
                job: job.to_string(),
            },
        )
    }

    /// Someone at the server's console, by operating-system user name.
    pub fn operator(user: &str) -> Self {
        Self::of(
            Actor::Cli(user.to_string()),
            Principal::Operator {
                user: user.to_string(),
            },
        )
    }

    fn of(actor: Actor, principal: Principal) -> Self {
        Self {
            actor,
            principal,
            purpose: None,
            correlation_id: None,
        }
    }

    /// The register purpose this call is for.
    pub fn for_purpose(mut self, purpose: impl Into<String>) -> Self {
        self.purpose = Some(purpose.into());
        self
    }

    pub fn with_correlation_id(mut self, id: impl Into<String>) -> Self {
        self.correlation_id = Some(id.into());
        self
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    pub fn purpose(&self) -> Option<&str> {
        self.purpose.as_deref()
    }

    pub fn correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }
}
