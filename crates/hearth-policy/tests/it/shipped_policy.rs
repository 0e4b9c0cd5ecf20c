//! The shipped policy validates against the shipped register, and edited policies that name
//! things the register does not hold are refused with the line they are on.

use hearth_core::register::default_register;
use hearth_policy::{DEFAULT_POLICY, Gate};

#[test]
fn shipped_policy_validates_against_the_shipped_register() {
    let register = default_register().expect("shipped register");
    let gate = Gate::new(&register, DEFAULT_POLICY, "policy/hearth.cedar");
    assert!(
        gate.is_ok(),
        "{}",
        gate.err().map(|e| e.to_string()).unwrap_or_default()
    );
}

#[test]
fn a_policy_naming_an_unknown_purpose_is_refused_with_its_line() {
    let register = default_register().expect("shipped register");
    let text = format!(
        "{DEFAULT_POLICY}\n@id(\"typo\")\npermit (principal, action == Action::\"read\", resource)\nwhen {{ context.purpose == Purpose::\"tenancy_managment\" }};\n"
    );
    let line = text
        .lines()
        .position(|l| l.contains("tenancy_managment"))
        .expect("line")
        + 1;
    let err = match Gate::new(&register, &text, "edited.cedar") {
        Ok(_) => panic!("a misspelt purpose must be refused"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("tenancy_managment"), "{err}");
    assert!(err.contains(&format!("edited.cedar:{line}:")), "{err}");
}

#[test]
fn a_policy_without_an_id_is_refused() {
    let register = default_register().expect("shipped register");
    let text =
        format!("{DEFAULT_POLICY}\npermit (principal, action == Action::\"read\", resource);\n");
    let err = match Gate::new(&register, &text, "edited.cedar") {
        Ok(_) => panic!("a policy without @id must be refused"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("@id"), "{err}");
}

#[test]
fn a_syntax_error_is_refused_with_its_line() {
    let register = default_register().expect("shipped register");
    let text =
        "@id(\"broken\")\npermit (principal, action, resource)\nwhen { context.purpose == };\n";
    let err = match Gate::new(&register, text, "broken.cedar") {
        Ok(_) => panic!("a syntax error must be refused"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("broken.cedar:3:"), "{err}");
}
