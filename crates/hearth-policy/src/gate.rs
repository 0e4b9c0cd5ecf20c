//! The policy gate's decision engine: the register-derived schema, the validated policy set, and
//! one Cedar decision per view of a record.

use crate::request::{AdminAction, Principal, RecordAction, RecordView};
use crate::schema::cedar_schema_text;
use cedar_policy::{
    Authorizer, Context, Entities, Entity, EntityUid, PolicyId, PolicySet, Request,
    RestrictedExpression, Schema, ValidationMode, Validator,
};
use hearth_core::register::{Art6Basis, Register};
use miette::Diagnostic;
use std::collections::{HashMap, HashSet};
use std::str::FromStr;

/// The shipped policy file.
pub const DEFAULT_POLICY: &str = include_str!("../../../policy/hearth.cedar");

/// Why a policy file was refused, each problem as `origin:line: message`.
#[derive(Debug, thiserror::Error)]
#[error("{}", problems.join("\n"))]
pub struct PolicyError {
    pub problems: Vec<String>,
}

/// Why the gate could not decide at all (as opposed to deciding "no").
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GateError {
    #[error("unknown purpose '{0}': it is not in the register")]
    UnknownPurpose(String),
    #[error("unknown record type '{0}': it is not in the register")]
    UnknownRecordType(String),
    #[error("the request does not fit the policy schema: {0}")]
    Malformed(String),
}

/// The outcome of one decision, with the policies that decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    /// `@id` of each policy that determined the outcome; empty on a default deny.
    pub policies: Vec<String>,
}

impl Decision {
    /// Words for a person refused: which rule said no, or that nothing allowed it.
    pub fn explain(&self) -> String {
        if self.allowed {
            "allowed".to_string()
        } else if self.policies.is_empty() {
            "no policy allows this".to_string()
        } else {
            format!("refused by policy {}", self.policies.join(", "))
        }
    }
}

/// What the context says about each purpose, computed once from the register.
struct PurposeFacts {
    lawful_basis: Vec<String>,
    special_condition: Vec<String>,
    relies_on_consent: bool,
    categories: Vec<String>,
}

pub struct Gate {
    schema: Schema,
    policies: PolicySet,
    authorizer: Authorizer,
    policy_names: HashMap<PolicyId, String>,
    purposes: HashMap<String, PurposeFacts>,
    record_type_purposes: HashMap<String, Vec<String>>,
    special: HashSet<String>,
    criminal: HashSet<String>,
    schema_text: String,
}

fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

fn located(origin: &str, source: &str, diagnostic: &dyn Diagnostic, message: String) -> String {
    let line = diagnostic
        .labels()
        .and_then(|mut labels| labels.next())
        .map(|label| line_of(source, label.offset()));
    match line {
        Some(line) => format!("{origin}:{line}: {message}"),
        None => format!("{origin}: {message}"),
    }
}

fn uid(type_name: &str, id: &str) -> Result<EntityUid, GateError> {
    let type_name = cedar_policy::EntityTypeName::from_str(type_name)
        .map_err(|e| GateError::Malformed(e.to_string()))?;
    Ok(EntityUid::from_type_name_and_id(
        type_name,
        cedar_policy::EntityId::new(id),
    ))
}

fn string_set(values: &[String]) -> RestrictedExpression {
    RestrictedExpression::new_set(
        values
            .iter()
            .map(|v| RestrictedExpression::new_string(v.clone())),
    )
}

fn entity_set(type_name: &str, ids: &[String]) -> Result<RestrictedExpression, GateError> {
    let uids = ids
        .iter()
        .map(|id| uid(type_name, id).map(RestrictedExpression::new_entity_uid))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RestrictedExpression::new_set(uids))
}

impl Gate {
    /// Builds the schema from the register and validates the policy text against it. Every
    /// problem is reported, each with the line it is on.
    pub fn new(register: &Register, policy_text: &str, origin: &str) -> Result<Self, PolicyError> {
        let schema_text = cedar_schema_text(register);
        let schema = match Schema::from_cedarschema_str(&schema_text) {
            Ok((schema, _warnings)) => schema,
            Err(e) => {
                return Err(PolicyError {
                    problems: vec![format!("the schema derived from the register: {e}")],
                });
            }
        };
        let policies = PolicySet::from_str(policy_text).map_err(|errors| PolicyError {
            problems: errors
                .iter()
                .map(|e| located(origin, policy_text, e, e.to_string()))
                .collect(),
        })?;
        let mut problems = Vec::new();
        let mut policy_names = HashMap::new();
        for policy in policies.policies() {
            match policy.annotation("id") {
                Some(name) => {
                    policy_names.insert(policy.id().clone(), name.to_string());
                }
                None => problems.push(format!(
                    "{origin}: policy {} has no @id(\"...\") annotation: every policy needs a name, for audit events and refusals",
                    policy.id()
                )),
            }
        }
        let validation = Validator::new(schema.clone()).validate(&policies, ValidationMode::Strict);
        for error in validation.validation_errors() {
            problems.push(located(origin, policy_text, error, error.to_string()));
        }
        if !problems.is_empty() {
            return Err(PolicyError { problems });
        }
        let purposes = register
            .purposes
            .iter()
            .map(|p| {
                let facts = PurposeFacts {
                    lawful_basis: p
                        .lawful_basis
                        .iter()
                        .map(|b| b.letter().to_string())
                        .collect(),
                    special_condition: p
                        .special_condition
                        .iter()
                        .map(|c| c.letter().to_string())
                        .collect(),
                    // Art 6(1)(a) only: explicit consent under Art 9(2)(a) is its own policy rule.
                    relies_on_consent: p.lawful_basis.contains(&Art6Basis::A),
                    categories: p.data_categories.clone(),
                };
                (p.id.clone(), facts)
            })
            .collect();
        let record_type_purposes = register
            .record_types
            .iter()
            .map(|r| (r.id.clone(), r.purposes.clone()))
            .collect();
        let special = register
            .data_categories
            .iter()
            .filter(|c| c.special)
            .map(|c| c.id.clone())
            .collect();
        let criminal = register
            .data_categories
            .iter()
            .filter(|c| c.criminal)
            .map(|c| c.id.clone())
            .collect();
        Ok(Self {
            schema,
            policies,
            authorizer: Authorizer::new(),
            policy_names,
            purposes,
            record_type_purposes,
            special,
            criminal,
            schema_text,
        })
    }

    /// The Cedar schema this gate validates against, for `hearth policy schema`.
    /// How many policies the gate holds, for `hearth policy check`.
    pub fn policy_count(&self) -> usize {
        self.policies.policies().count()
    }

    pub fn schema_text(&self) -> &str {
        &self.schema_text
    }

    /// True when the register holds this purpose.
    pub fn knows_purpose(&self, purpose: &str) -> bool {
        self.purposes.contains_key(purpose)
    }

    fn principal_entity(&self, principal: &Principal) -> Result<(EntityUid, Entity), GateError> {
        let (type_name, id) = principal.type_and_id();
        let principal_uid = uid(type_name, id)?;
        let mut attrs = HashMap::new();
        let mut parents = HashSet::new();
        match principal {
            Principal::Staff { roles, teams, .. } => {
                for role in roles {
                    parents.insert(uid("Role", role)?);
                }
                for team in teams {
                    parents.insert(uid("Team", team)?);
                }
            }
            Principal::ApiClient {
                roles, purposes, ..
            } => {
                for role in roles {
                    parents.insert(uid("Role", role)?);
                }
                attrs.insert("purposes".to_string(), entity_set("Purpose", purposes)?);
            }
            Principal::Resident { person_id } => {
                attrs.insert(
                    "person".to_string(),
                    RestrictedExpression::new_string(person_id.clone()),
                );
            }
            Principal::System { .. } | Principal::Operator { .. } => {}
        }
        let entity = Entity::new(principal_uid.clone(), attrs, parents)
            .map_err(|e| GateError::Malformed(e.to_string()))?;
        Ok((principal_uid, entity))
    }

    fn decide(
        &self,
        principal: &Principal,
        action: &str,
        resource: (EntityUid, Option<Entity>),
        context: Context,
    ) -> Result<Decision, GateError> {
        let (principal_uid, principal_entity) = self.principal_entity(principal)?;
        let action_uid = uid("Action", action)?;
        let (resource_uid, resource_entity) = resource;
        let entities = Entities::from_entities(
            std::iter::once(principal_entity).chain(resource_entity),
            Some(&self.schema),
        )
        .map_err(|e| GateError::Malformed(e.to_string()))?;
        let request = Request::new(
            principal_uid,
            action_uid,
            resource_uid,
            context,
            Some(&self.schema),
        )
        .map_err(|e| GateError::Malformed(e.to_string()))?;
        let response = self
            .authorizer
            .is_authorized(&request, &self.policies, &entities);
        let mut policies: Vec<String> = response
            .diagnostics()
            .reason()
            .map(|id| {
                self.policy_names
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| id.to_string())
            })
            .collect();
        policies.sort();
        Ok(Decision {
            allowed: response.decision() == cedar_policy::Decision::Allow,
            policies,
        })
    }

    /// May this principal do this to this view of a record, for this purpose?
    pub fn decide_record(
        &self,
        principal: &Principal,
        action: RecordAction,
        purpose: &str,
        view: &RecordView,
    ) -> Result<Decision, GateError> {
        let facts = self
            .purposes
            .get(purpose)
            .ok_or_else(|| GateError::UnknownPurpose(purpose.to_string()))?;
        let record_purposes = self
            .record_type_purposes
            .get(&view.record_type)
            .ok_or_else(|| GateError::UnknownRecordType(view.record_type.clone()))?;
        let context = Context::from_pairs([
            (
                "purpose".to_string(),
                RestrictedExpression::new_entity_uid(uid("Purpose", purpose)?),
            ),
            ("lawful_basis".to_string(), string_set(&facts.lawful_basis)),
            (
                "special_condition".to_string(),
                string_set(&facts.special_condition),
            ),
            (
                "relies_on_consent".to_string(),
                RestrictedExpression::new_bool(facts.relies_on_consent),
            ),
            (
                "purpose_categories".to_string(),
                entity_set("DataCategory", &facts.categories)?,
            ),
        ])
        .map_err(|e| GateError::Malformed(e.to_string()))?;
        let subject = view.subject.clone().unwrap_or_default();
        let attrs = HashMap::from([
            (
                "record_type".to_string(),
                RestrictedExpression::new_entity_uid(uid("RecordType", &view.record_type)?),
            ),
            (
                "purposes".to_string(),
                entity_set("Purpose", record_purposes)?,
            ),
            (
                "categories".to_string(),
                entity_set("DataCategory", &view.categories)?,
            ),
            (
                "special".to_string(),
                RestrictedExpression::new_bool(
                    view.categories.iter().any(|c| self.special.contains(c)),
                ),
            ),
            (
                "criminal".to_string(),
                RestrictedExpression::new_bool(
                    view.categories.iter().any(|c| self.criminal.contains(c)),
                ),
            ),
            (
                "has_subject".to_string(),
                RestrictedExpression::new_bool(view.subject.is_some()),
            ),
            (
                "subject".to_string(),
                RestrictedExpression::new_string(subject.person_id.clone()),
            ),
            (
                "restricted".to_string(),
                RestrictedExpression::new_bool(subject.restricted || view.related.restricted),
            ),
            (
                "objected".to_string(),
                RestrictedExpression::new_bool(subject.objected || view.related.objected),
            ),
            (
                "consents".to_string(),
                entity_set("Purpose", &subject.consents)?,
            ),
            (
                "explicit_consents".to_string(),
                entity_set("Purpose", &subject.explicit_consents)?,
            ),
            (
                "assignees".to_string(),
                entity_set("Staff", &subject.assignees)?,
            ),
        ]);
        let resource_uid = uid(
            "Record",
            &format!(
                "{}/{}/{}",
                view.record_type, view.record_id, view.field_group
            ),
        )?;
        let resource = Entity::new(resource_uid.clone(), attrs, HashSet::new())
            .map_err(|e| GateError::Malformed(e.to_string()))?;
        self.decide(
            principal,
            action.as_str(),
            (resource_uid, Some(resource)),
            context,
        )
    }

    /// May this principal administer Hearth in this way?
    pub fn decide_admin(
        &self,
        principal: &Principal,
        action: AdminAction,
    ) -> Result<Decision, GateError> {
        let resource_uid = uid("Administration", "hearth")?;
        let resource = Entity::new_no_attrs(resource_uid.clone(), HashSet::new());
        self.decide(
            principal,
            action.as_str(),
            (resource_uid, Some(resource)),
            Context::empty(),
        )
    }
}
