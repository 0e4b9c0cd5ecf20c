//! A readable plain-text rendering of the register, for `hearth register show`.

use super::Register;
use std::fmt::Write;

/// Renders purposes with their lawful bases, recipients, and the retention schedule.
pub fn render_text(register: &Register) -> String {
    let mut out = String::new();
    let c = &register.controller;
    let _ = writeln!(
        out,
        "{} (version {}, sha256 {})",
        register.meta.title,
        register.meta.version_label,
        register.short_hash()
    );
    let _ = writeln!(out, "Controller: {}, {}", c.name, c.address);
    let _ = writeln!(
        out,
        "Data protection officer: {}{}",
        c.dpo_email,
        c.dpo_phone
            .as_deref()
            .map(|p| format!(", {p}"))
            .unwrap_or_default()
    );
    let _ = writeln!(out, "\nPURPOSES ({})", register.purposes.len());
    for p in &register.purposes {
        let _ = writeln!(out, "\n  {} [{}]", p.name, p.id);
        let bases: Vec<String> = p
            .lawful_basis
            .iter()
            .map(|b| format!("6(1)({}) {}", b.letter(), b.title()))
            .collect();
        let _ = writeln!(out, "    Lawful basis: Art {}", bases.join("; Art "));
        if !p.special_condition.is_empty() {
            let conds: Vec<String> = p
                .special_condition
                .iter()
                .map(|c| format!("9(2)({}) {}", c.letter(), c.title()))
                .collect();
            let _ = writeln!(
                out,
                "    Special category condition: Art {}",
                conds.join("; Art ")
            );
        }
        if !p.schedule1.is_empty() {
            let conds: Vec<String> = p
                .schedule1
                .iter()
                .map(|s| {
                    format!(
                        "Part {} para {} {}",
                        s.part,
                        s.paragraph,
                        s.title().unwrap_or("")
                    )
                })
                .collect();
            let _ = writeln!(out, "    DPA 2018 Schedule 1: {}", conds.join("; "));
        }
        if let Some(authority) = &p.criminal_authority {
            let _ = writeln!(out, "    Art 10 authority: {authority}");
        }
        if !p.legislation.is_empty() {
            let _ = writeln!(out, "    Legislation: {}", p.legislation.join("; "));
        }
        let _ = writeln!(out, "    Data: {}", p.data_categories.join(", "));
        let _ = writeln!(out, "    About: {}", p.data_subjects.join(", "));
        if !p.recipients.is_empty() {
            let _ = writeln!(out, "    Shared with: {}", p.recipients.join(", "));
        }
        if let Some(withdraw) = &p.consent_withdrawal {
            let _ = writeln!(out, "    Withdrawing consent: {withdraw}");
        }
    }
    let _ = writeln!(
        out,
        "\nRETENTION SCHEDULE ({} record types)\n",
        register.record_types.len()
    );
    let _ = writeln!(
        out,
        "  {:<34} {:<14} {:<16} {:<10} SYSTEM",
        "RECORD TYPE", "KEPT FOR", "FROM", "THEN"
    );
    for r in &register.record_types {
        let _ = writeln!(
            out,
            "  {:<34} {:<14} {:<16} {:<10} {}",
            r.id,
            r.retention.period.to_string(),
            r.retention.trigger.to_string(),
            format!("{:?}", r.retention.action).to_lowercase(),
            r.system.as_deref().unwrap_or("-")
        );
    }
    let _ = writeln!(out, "\nRECIPIENTS ({})", register.recipients.len());
    for r in &register.recipients {
        let _ = writeln!(out, "  {:<30} {:?}  {}", r.id, r.kind, r.name);
    }
    out
}
