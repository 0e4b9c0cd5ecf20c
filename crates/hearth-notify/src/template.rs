//! Message templates in Notify's syntax, `((name))` for a personalised field, rendered for
//! SMTP (Notify renders its own). A template that names a field the message lacks is refused
//! before anything is sent.

use std::collections::BTreeMap;

/// A subject (email only) and a body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub subject: Option<String>,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("template '{template}' needs personalisation the message lacks: {missing}")]
    Missing { template: String, missing: String },
    #[error("no email template named '{0}'")]
    Unknown(String),
}

impl Template {
    pub fn render(
        &self,
        name: &str,
        personalisation: &BTreeMap<String, String>,
    ) -> Result<Rendered, TemplateError> {
        let mut missing = Vec::new();
        let subject = fill(
            self.subject.as_deref().unwrap_or(""),
            personalisation,
            &mut missing,
        );
        let body = fill(&self.body, personalisation, &mut missing);
        if !missing.is_empty() {
            missing.sort();
            missing.dedup();
            return Err(TemplateError::Missing {
                template: name.into(),
                missing: missing.join(", "),
            });
        }
        Ok(Rendered { subject, body })
    }
}

fn fill(text: &str, values: &BTreeMap<String, String>, missing: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("((") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("))") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = after[..end].trim();
        match values.get(name) {
            Some(value) => out.push_str(value),
            None => missing.push(name.to_string()),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Hearth's own wording for the emails it sends over SMTP; a council may replace any of them
/// in its configuration.
pub fn builtin_email_template(name: &str) -> Option<Template> {
    let (subject, body) = match name {
        "video_call_link" => (
            "Your video call about repair ((repair_reference))",
            "Dear ((name)),\n\nYou agreed to talk to one of our engineers on a video call about your repair \
             (reference ((repair_reference))).\n\nOpen this link on a phone, tablet or computer with a camera:\n\n((link))\n\n\
             The link works once, until ((expires)). Before the call starts you will be asked to confirm \
             that you agree. If you would rather an engineer visited, just do not use the link and we will \
             arrange a visit.\n\nDo not share this link: anyone with it can join the call.\n",
        ),
        "resident_link_code" => (
            "Your code to see your repairs online",
            "Dear ((name)),\n\nYou asked to see and report your repairs online. Sign in with GOV.UK One Login \
             on our repairs pages, and when asked, give this code:\n\n((code))\n\nIt works once, until ((expires)). \
             If you did not ask for it, please tell us: nobody from the council will ask you for this code.\n",
        ),
        "repair_satisfaction" => (
            "How did we do with repair ((repair_reference))?",
            "Dear ((name)),\n\nWe have finished repair ((repair_reference)). Please tell us how we did: \
             reply to this email or call us, and give us a score from 1 (very dissatisfied) to 5 (very satisfied).\n",
        ),
        _ => return None,
    };
    Some(Template {
        subject: Some(subject.into()),
        body: body.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn fills_fields_and_names_every_missing_one() {
        let t = Template {
            subject: Some("Repair ((ref))".into()),
            body: "Hello (( name )), see ((link)) and ((link)).".into(),
        };
        let done = t
            .render(
                "t",
                &values(&[("ref", "RP-1"), ("name", "Amara"), ("link", "L")]),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(done.subject, "Repair RP-1");
        assert_eq!(done.body, "Hello Amara, see L and L.");
        let err = t.render("t", &values(&[("name", "A")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "template 't' needs personalisation the message lacks: link, ref"
        );
    }

    #[test]
    fn the_builtin_link_email_renders_from_what_an_offer_sends() {
        let t = builtin_email_template("video_call_link").unwrap_or_else(|| panic!("missing"));
        let done = t.render(
            "video_call_link",
            &values(&[
                ("name", "Amara"),
                ("link", "https://x/call/s"),
                ("repair_reference", "RP-1"),
                ("expires", "10:00 on 24 November 2026"),
            ]),
        );
        assert!(done.is_ok_and(|d| d.body.contains("https://x/call/s")));
        assert!(builtin_email_template("nope").is_none());
    }
}
