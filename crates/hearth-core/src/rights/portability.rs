//! Which data a portability request (Art 20) covers: what the person provided to the council
//! where the processing rests on their consent or on a contract with them (the tenancy).

use crate::register::{Art6Basis, Register};

/// True when records of this type are held for a purpose resting on consent (Art 6(1)(a)) or
/// contract (Art 6(1)(b)), so the person may take what they provided of them elsewhere.
pub fn is_portable(register: &Register, record_type: &str) -> bool {
    register.record_type(record_type).is_some_and(|t| {
        t.purposes
            .iter()
            .filter_map(|id| register.purpose(id))
            .any(|p| {
                p.lawful_basis
                    .iter()
                    .any(|b| matches!(b, Art6Basis::A | Art6Basis::B))
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::register::default_register;

    #[test]
    fn consent_and_contract_records_are_portable_and_public_task_records_are_not() {
        let register = default_register().unwrap_or_else(|p| panic!("{p:?}"));
        // The tenancy is a contract; video calls rest on consent.
        assert!(is_portable(&register, "tenancy_file"));
        assert!(is_portable(&register, "video_recording"));
        // Repairs and the contact log are the council's public task.
        assert!(!is_portable(&register, "repairs_request"));
        assert!(!is_portable(&register, "contact_log"));
        assert!(!is_portable(&register, "no_such_type"));
    }
}
