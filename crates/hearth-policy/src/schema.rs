//! The Cedar schema, derived from the register: roles, purposes, record types and data
//! categories become enumerated entity types, so a policy naming one the register does not hold
//! fails validation at start-up instead of silently never matching.

use hearth_core::register::Register;
use std::fmt::Write;

/// The actions a policy decides on. Reads and writes of personal data name a purpose; the
/// administrative actions concern accounts, roles and keys and carry no resident data.
pub const RECORD_ACTIONS: [&str; 7] = [
    "read", "search", "create", "update", "delete", "export", "disclose",
];
pub const ADMIN_ACTIONS: [&str; 12] = [
    "manage_accounts",
    "manage_keys",
    "read_audit",
    "manage_rights",
    "manage_retention",
    "review_disposal",
    "record_consent",
    "assign_work",
    "log_rights_request",
    "handle_rights_requests",
    "approve_rights_responses",
    "take_over_call",
];

fn enum_list<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = ids.map(|id| format!("{id:?}")).collect();
    quoted.join(", ")
}

/// The schema text for this register, in Cedar's own schema syntax.
pub fn cedar_schema_text(register: &Register) -> String {
    let mut out = String::new();
    let roles = enum_list(register.roles.iter().map(|r| r.id.as_str()));
    let purposes = enum_list(register.purposes.iter().map(|p| p.id.as_str()));
    let record_types = enum_list(register.record_types.iter().map(|r| r.id.as_str()));
    let categories = enum_list(register.data_categories.iter().map(|c| c.id.as_str()));
    let _ = writeln!(
        out,
        "// Generated from register {} ({}). Do not edit: change the register.",
        register.short_hash(),
        register.meta.version_label
    );
    let _ = writeln!(out, "entity Role enum [{roles}];");
    let _ = writeln!(out, "entity Purpose enum [{purposes}];");
    let _ = writeln!(out, "entity RecordType enum [{record_types}];");
    let _ = writeln!(out, "entity DataCategory enum [{categories}];");
    out.push_str(
        r#"entity Team;
// A member of staff, signed in; a member of their roles and teams.
entity Staff in [Role, Team];
// A machine client holding an API token, limited to the token's roles and purposes.
entity ApiClient in [Role] { purposes: Set<Purpose> };
// A resident acting on their own record.
entity Resident { person: String };
// A scheduled job inside Hearth, such as retention.
entity System;
// Someone at the server's command line.
entity Operator;
// A view of one record: the fields asked for, described by their data categories, and the
// controls on the person the record is about.
entity Record {
  record_type: RecordType,
  purposes: Set<Purpose>,
  categories: Set<DataCategory>,
  special: Bool,
  criminal: Bool,
  has_subject: Bool,
  subject: String,
  restricted: Bool,
  objected: Bool,
  consents: Set<Purpose>,
  explicit_consents: Set<Purpose>,
  assignees: Set<Staff>,
};
// Hearth's own administration: accounts, roles, keys, the audit log, and the controls on a
// person (restriction, objection, consent, assignment) that the record policies read.
entity Administration;
type PurposeContext = {
  purpose: Purpose,
  lawful_basis: Set<String>,
  special_condition: Set<String>,
  relies_on_consent: Bool,
  purpose_categories: Set<DataCategory>,
};
"#,
    );
    let principals = "[Staff, ApiClient, Resident, System, Operator]";
    // Two action groups, so policies can speak of all personal-data actions at once.
    out.push_str("action personal_data, administration;\n");
    let _ = writeln!(
        out,
        "action {} in [personal_data] appliesTo {{ principal: {principals}, resource: [Record], context: PurposeContext }};",
        enum_list(RECORD_ACTIONS.iter().copied())
    );
    let _ = writeln!(
        out,
        "action {} in [administration] appliesTo {{ principal: {principals}, resource: [Administration], context: {{}} }};",
        enum_list(ADMIN_ACTIONS.iter().copied())
    );
    out
}
