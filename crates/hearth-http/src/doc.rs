//! What the OpenAPI document says about calling the record routes: a bearer token, and the
//! register purpose of each request in `X-Hearth-Purpose`, with the refusals both can bring.

use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ObjectBuilder, OpenApi, Ref, Required, Type};

/// The tags of routes that read or write personal data and so pass the policy gate.
const GATED_TAGS: &[&str] = &[
    "people",
    "households",
    "properties",
    "tenancies",
    "contacts",
    "records",
    "repairs",
    "video",
    "retention",
    "rights",
];

const SCHEME: &str = "api_token";

/// The answers the gate itself can give, by status, name in `components/responses`, meaning.
const REFUSALS: &[(&str, &str, &str)] = &[
    (
        "400",
        "PurposeMissing",
        "No purpose was sent, or the register has no such purpose.",
    ),
    (
        "401",
        "Unauthenticated",
        "No token, or one that is unknown, expired or revoked.",
    ),
    (
        "403",
        "Forbidden",
        "The policy refused this purpose, role or record; the reason is given.",
    ),
    (
        "429",
        "TooManyAttempts",
        "Too many failed attempts; wait and try again.",
    ),
];

/// Adds the token scheme and, to every gated operation, the purpose header, the security
/// requirement and the 400/401/403/429 answers.
pub fn describe_gate(doc: &mut OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    let mut scheme = Http::new(HttpAuthScheme::Bearer);
    scheme.description = Some(
        "An API token from `hearth token create`, sent as `Authorization: Bearer <token>`. \
         It carries its roles and the purposes it may be used for."
            .to_string(),
    );
    components.add_security_scheme(SCHEME, SecurityScheme::Http(scheme));
    for (_, name, meaning) in REFUSALS {
        let response = utoipa::openapi::ResponseBuilder::new()
            .description(*meaning)
            .content(
                "application/json",
                utoipa::openapi::ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build();
        components
            .responses
            .insert(name.to_string(), response.into());
    }
    for item in doc.paths.paths.values_mut() {
        for operation in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            if is_gated(operation) {
                require_token_and_purpose(operation);
            }
        }
    }
}

fn is_gated(operation: &Operation) -> bool {
    operation
        .tags
        .iter()
        .flatten()
        .any(|tag| GATED_TAGS.contains(&tag.as_str()))
}

fn require_token_and_purpose(operation: &mut Operation) {
    let purpose = ParameterBuilder::new()
        .name("X-Hearth-Purpose")
        .parameter_in(ParameterIn::Header)
        .required(Required::True)
        .description(Some(
            "The register purpose this request serves (for example `customer_contact`). \
             The policy decides, field group by field group, what that purpose allows.",
        ))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build();
    operation
        .parameters
        .get_or_insert_with(Vec::new)
        .push(purpose.into());
    operation
        .security
        .get_or_insert_with(Vec::new)
        .push(SecurityRequirement::new(SCHEME, Vec::<String>::new()));
    for (status, name, _) in REFUSALS {
        let reference = Ref::new(format!("#/components/responses/{name}"));
        operation
            .responses
            .responses
            .entry(status.to_string())
            .or_insert(reference.into());
    }
}
