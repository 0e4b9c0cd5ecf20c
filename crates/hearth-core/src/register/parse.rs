//! Parsing and validating a register file: every problem is reported with its line, the entry
//! and field it concerns, and the reason, so a DPO can fix them all in one pass.

use super::model::*;
use super::raw::*;
use super::{Art6Basis, Art9Condition, Period, Schedule1Condition};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use toml::Spanned;

/// One problem in a register file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisterProblem {
    /// 1-based line number in the file.
    pub line: usize,
    /// The entry and field, such as `purposes[3] (repairs_video_triage).lawful_basis`.
    pub field: String,
    pub reason: String,
}

impl std::fmt::Display for RegisterProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.field, self.reason)
    }
}

/// True for ids like `repairs_video_triage`: lower case letters, digits and underscores.
pub fn is_snake_id(raw: &str) -> bool {
    !raw.is_empty()
        && raw.starts_with(|c: char| c.is_ascii_lowercase())
        && raw
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Parses and validates a register; returns it, or every problem found.
pub fn parse_register(source: &str) -> Result<Register, Vec<RegisterProblem>> {
    let raw: RawRegister = toml::from_str(source).map_err(|err| {
        let line = err.span().map(|s| line_of(source, s.start)).unwrap_or(1);
        vec![RegisterProblem {
            line,
            field: "(file)".into(),
            reason: err.message().trim().to_string(),
        }]
    })?;
    let mut checker = Checker {
        source,
        problems: Vec::new(),
    };
    let register = checker.register(raw, hex(Sha256::digest(source.as_bytes()).as_slice()));
    if checker.problems.is_empty() {
        Ok(register)
    } else {
        checker.problems.sort_by_key(|p| p.line);
        Err(checker.problems)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn line_of(source: &str, offset: usize) -> usize {
    source.as_bytes()[..offset.min(source.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Where an entry is: its line and a readable path.
struct Loc {
    line: usize,
    path: String,
}

struct Checker<'a> {
    source: &'a str,
    problems: Vec<RegisterProblem>,
}

impl Checker<'_> {
    fn at<T>(&self, section: &str, index: usize, entry: &Spanned<T>, id: Option<&S>) -> Loc {
        let path = match id {
            Some(id) => format!("{section}[{index}] ({})", id.get_ref()),
            None => format!("{section}[{index}]"),
        };
        Loc {
            line: line_of(self.source, entry.span().start),
            path,
        }
    }

    fn report(&mut self, line: usize, loc: &Loc, field: &str, reason: impl Into<String>) {
        let field = if field.is_empty() {
            loc.path.clone()
        } else {
            format!("{}.{field}", loc.path)
        };
        self.problems.push(RegisterProblem {
            line,
            field,
            reason: reason.into(),
        });
    }

    fn span_line(&self, span: std::ops::Range<usize>) -> usize {
        line_of(self.source, span.start)
    }

    fn required(&mut self, loc: &Loc, field: &str, value: &Option<S>) -> String {
        match value {
            Some(v) if !v.get_ref().trim().is_empty() => v.get_ref().trim().to_string(),
            Some(v) => {
                let line = self.span_line(v.span());
                self.report(line, loc, field, "must not be empty");
                String::new()
            }
            None => {
                self.report(loc.line, loc, field, "is required");
                String::new()
            }
        }
    }

    fn optional(value: &Option<S>) -> Option<String> {
        value
            .as_ref()
            .map(|v| v.get_ref().trim().to_string())
            .filter(|v| !v.is_empty())
    }

    fn list(value: &Option<List>) -> Vec<String> {
        value
            .as_ref()
            .map(|l| {
                l.get_ref()
                    .iter()
                    .map(|s| s.get_ref().trim().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Checks that a list is present and not empty when `required`.
    fn nonempty(&mut self, loc: &Loc, field: &str, value: &Option<List>) {
        match value {
            None => self.report(loc.line, loc, field, "is required"),
            Some(l) if l.get_ref().is_empty() => {
                let line = self.span_line(l.span());
                self.report(line, loc, field, "must list at least one entry");
            }
            Some(_) => {}
        }
    }

    /// Checks each entry of a list refers to a declared id of `what`.
    fn refs(
        &mut self,
        loc: &Loc,
        field: &str,
        value: &Option<List>,
        known: &HashSet<String>,
        what: &str,
    ) {
        for item in value.iter().flat_map(|l| l.get_ref()) {
            if !known.contains(item.get_ref().trim()) {
                let line = self.span_line(item.span());
                self.report(
                    line,
                    loc,
                    field,
                    format!("unknown {what} '{}'", item.get_ref()),
                );
            }
        }
    }

    fn one_ref(
        &mut self,
        loc: &Loc,
        field: &str,
        value: &Option<S>,
        known: &HashSet<String>,
        what: &str,
    ) {
        if let Some(item) = value
            && !known.contains(item.get_ref().trim())
        {
            let line = self.span_line(item.span());
            self.report(
                line,
                loc,
                field,
                format!("unknown {what} '{}'", item.get_ref()),
            );
        }
    }

    /// Checks ids in one section: present, snake_case, unique. Returns the set of ids.
    fn ids<T>(
        &mut self,
        section: &str,
        entries: &[Spanned<T>],
        id_of: impl Fn(&T) -> &Option<S>,
    ) -> HashSet<String> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (index, entry) in entries.iter().enumerate() {
            let id = id_of(entry.get_ref());
            let loc = self.at(section, index, entry, id.as_ref());
            let Some(id) = id else {
                self.report(loc.line, &loc, "id", "is required");
                continue;
            };
            let line = self.span_line(id.span());
            let value = id.get_ref().trim().to_string();
            if !is_snake_id(&value) {
                self.report(
                    line,
                    &loc,
                    "id",
                    "must be snake_case: lower-case letters, digits and underscores",
                );
            }
            if let Some(first) = seen.get(&value) {
                self.report(
                    line,
                    &loc,
                    "id",
                    format!("duplicate id '{value}': first declared on line {first}"),
                );
            } else {
                seen.insert(value, line);
            }
        }
        seen.into_keys().collect()
    }

    fn register(&mut self, raw: RawRegister, hash: String) -> Register {
        let notice_ids = self.ids("notices", &raw.notices, |n| &n.id);
        let role_ids = self.ids("roles", &raw.roles, |r| &r.id);
        let subject_ids = self.ids("data_subjects", &raw.data_subjects, |r| &r.id);
        let category_ids = self.ids("data_categories", &raw.data_categories, |c| &c.id);
        let recipient_ids = self.ids("recipients", &raw.recipients, |r| &r.id);
        let purpose_ids = self.ids("purposes", &raw.purposes, |p| &p.id);
        self.ids("record_types", &raw.record_types, |r| &r.id);

        let meta = self.meta(raw.register.as_ref());
        let controller = self.controller(raw.controller.as_ref());
        let notices = raw
            .notices
            .iter()
            .enumerate()
            .map(|(i, n)| self.notice(i, n))
            .collect();
        let roles = raw
            .roles
            .iter()
            .enumerate()
            .map(|(i, r)| self.role(i, r))
            .collect();
        let data_subjects = raw
            .data_subjects
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let loc = self.at("data_subjects", i, s, s.get_ref().id.as_ref());
                let name = self.required(&loc, "name", &s.get_ref().name);
                DataSubject {
                    id: Self::optional(&s.get_ref().id).unwrap_or_default(),
                    name,
                }
            })
            .collect();
        let data_categories: Vec<DataCategory> = raw
            .data_categories
            .iter()
            .enumerate()
            .map(|(i, c)| self.category(i, c))
            .collect();
        let recipients = raw
            .recipients
            .iter()
            .enumerate()
            .map(|(i, r)| self.recipient(i, r))
            .collect();
        let known = Known {
            notices: notice_ids,
            roles: role_ids,
            subjects: subject_ids,
            categories: category_ids,
            recipients: recipient_ids,
            purposes: purpose_ids,
            special: data_categories
                .iter()
                .filter(|c| c.special)
                .map(|c| c.id.clone())
                .collect(),
            criminal: data_categories
                .iter()
                .filter(|c| c.criminal)
                .map(|c| c.id.clone())
                .collect(),
        };
        let purposes: Vec<Purpose> = raw
            .purposes
            .iter()
            .enumerate()
            .map(|(i, p)| self.purpose(i, p, &known))
            .collect();
        let record_types = raw
            .record_types
            .iter()
            .enumerate()
            .map(|(i, r)| self.record_type(i, r, &known, &purposes))
            .collect();
        Register {
            meta,
            controller,
            notices,
            roles,
            data_subjects,
            data_categories,
            recipients,
            purposes,
            record_types,
            hash,
        }
    }

    fn meta(&mut self, raw: Option<&Spanned<RawMeta>>) -> RegisterMeta {
        let Some(raw) = raw else {
            self.problems.push(RegisterProblem {
                line: 1,
                field: "register".into(),
                reason: "the [register] table is required".into(),
            });
            return RegisterMeta {
                title: String::new(),
                version_label: String::new(),
            };
        };
        let loc = Loc {
            line: line_of(self.source, raw.span().start),
            path: "register".into(),
        };
        RegisterMeta {
            title: self.required(&loc, "title", &raw.get_ref().title),
            version_label: self.required(&loc, "version_label", &raw.get_ref().version_label),
        }
    }

    fn controller(&mut self, raw: Option<&Spanned<RawController>>) -> Controller {
        let Some(raw) = raw else {
            self.problems.push(RegisterProblem {
                line: 1,
                field: "controller".into(),
                reason: "the [controller] table is required".into(),
            });
            return Controller {
                name: String::new(),
                address: String::new(),
                dpo_email: String::new(),
                dpo_phone: None,
                ico_registration: None,
                complaints: None,
            };
        };
        let loc = Loc {
            line: line_of(self.source, raw.span().start),
            path: "controller".into(),
        };
        let c = raw.get_ref();
        Controller {
            name: self.required(&loc, "name", &c.name),
            address: self.required(&loc, "address", &c.address),
            dpo_email: self.required(&loc, "dpo_email", &c.dpo_email),
            dpo_phone: Self::optional(&c.dpo_phone),
            ico_registration: Self::optional(&c.ico_registration),
            complaints: Self::optional(&c.complaints),
        }
    }

    fn notice(&mut self, index: usize, raw: &Spanned<RawNotice>) -> Notice {
        let n = raw.get_ref();
        let loc = self.at("notices", index, raw, n.id.as_ref());
        Notice {
            id: Self::optional(&n.id).unwrap_or_default(),
            organisation: self.required(&loc, "organisation", &n.organisation),
            service: self.required(&loc, "service", &n.service),
            document: Self::optional(&n.document),
        }
    }

    fn role(&mut self, index: usize, raw: &Spanned<RawNamed>) -> Role {
        let r = raw.get_ref();
        let loc = self.at("roles", index, raw, r.id.as_ref());
        Role {
            id: Self::optional(&r.id).unwrap_or_default(),
            name: self.required(&loc, "name", &r.name),
            description: Self::optional(&r.description),
        }
    }

    fn category(&mut self, index: usize, raw: &Spanned<RawCategory>) -> DataCategory {
        let c = raw.get_ref();
        let loc = self.at("data_categories", index, raw, c.id.as_ref());
        DataCategory {
            id: Self::optional(&c.id).unwrap_or_default(),
            name: self.required(&loc, "name", &c.name),
            description: Self::optional(&c.description),
            special: c.special.unwrap_or(false),
            criminal: c.criminal.unwrap_or(false),
        }
    }

    fn recipient(&mut self, index: usize, raw: &Spanned<RawRecipient>) -> Recipient {
        let r = raw.get_ref();
        let loc = self.at("recipients", index, raw, r.id.as_ref());
        let name = self.required(&loc, "name", &r.name);
        let kind_text = self.required(&loc, "kind", &r.kind);
        let kind = RecipientKind::parse(&kind_text).unwrap_or_else(|| {
            if !kind_text.is_empty() {
                let line = r.kind.as_ref().map(|k| self.span_line(k.span())).unwrap_or(loc.line);
                self.report(line, &loc, "kind", format!("unknown recipient kind '{kind_text}': expected internal, public_authority, processor, controller, partner or regulator"));
            }
            RecipientKind::Partner
        });
        let transfers_abroad = r.transfers_abroad.unwrap_or(false);
        let safeguards = Self::optional(&r.safeguards);
        if transfers_abroad && safeguards.is_none() {
            self.report(
                loc.line,
                &loc,
                "safeguards",
                "is required when transfers_abroad is true (UK GDPR Art 46)",
            );
        }
        Recipient {
            id: Self::optional(&r.id).unwrap_or_default(),
            name,
            kind,
            description: Self::optional(&r.description),
            transfers_abroad,
            safeguards,
        }
    }

    fn purpose(&mut self, index: usize, raw: &Spanned<RawPurpose>, known: &Known) -> Purpose {
        let p = raw.get_ref();
        let loc = self.at("purposes", index, raw, p.id.as_ref());
        let name = self.required(&loc, "name", &p.name);
        let description = self.required(&loc, "description", &p.description);
        self.nonempty(&loc, "notices", &p.notices);
        self.refs(&loc, "notices", &p.notices, &known.notices, "notice");
        self.nonempty(&loc, "lawful_basis", &p.lawful_basis);
        let lawful_basis = self.parse_each(
            &loc,
            "lawful_basis",
            &p.lawful_basis,
            Art6Basis::parse,
            "unknown Art 6(1) basis '{}': expected a, b, c, d, e, ea or f",
        );
        let special_condition = self.parse_each(
            &loc,
            "special_condition",
            &p.special_condition,
            Art9Condition::parse,
            "unknown Art 9(2) condition '{}': expected a letter from a to j",
        );
        let schedule1 = self.parse_each(&loc, "schedule1", &p.schedule1, Schedule1Condition::parse, "unknown DPA 2018 Schedule 1 condition '{}': expected part1_para1..4 or part2_para6..28");
        self.nonempty(&loc, "data_subjects", &p.data_subjects);
        self.refs(
            &loc,
            "data_subjects",
            &p.data_subjects,
            &known.subjects,
            "data subject",
        );
        self.nonempty(&loc, "data_categories", &p.data_categories);
        self.refs(
            &loc,
            "data_categories",
            &p.data_categories,
            &known.categories,
            "data category",
        );
        self.refs(
            &loc,
            "recipients",
            &p.recipients,
            &known.recipients,
            "recipient",
        );
        let data_categories = Self::list(&p.data_categories);
        let special: Vec<&String> = data_categories
            .iter()
            .filter(|c| known.special.contains(*c))
            .collect();
        if !special.is_empty() && special_condition.is_empty() {
            let names: Vec<&str> = special.iter().map(|s| s.as_str()).collect();
            self.report(loc.line, &loc, "special_condition", format!("is required: the purpose processes special category data ({}) and needs an Art 9(2) condition", names.join(", ")));
        }
        for condition in &special_condition {
            if let Some(para) = condition.required_part1_para()
                && !schedule1.iter().any(|s| s.part == 1 && s.paragraph == para)
            {
                self.report(
                    loc.line,
                    &loc,
                    "schedule1",
                    format!(
                        "Art 9(2)({}) needs DPA 2018 Schedule 1 part1_para{para}",
                        condition.letter()
                    ),
                );
            }
            if *condition == Art9Condition::G && !schedule1.iter().any(|s| s.part == 2) {
                self.report(
                    loc.line,
                    &loc,
                    "schedule1",
                    "Art 9(2)(g) needs a DPA 2018 Schedule 1 Part 2 condition (part2_para6..28)",
                );
            }
        }
        let criminal_authority = Self::optional(&p.criminal_authority);
        if data_categories.iter().any(|c| known.criminal.contains(c))
            && criminal_authority.is_none()
        {
            self.report(loc.line, &loc, "criminal_authority", "is required: the purpose processes criminal offence data and needs an Art 10 authority");
        }
        let consent_withdrawal = Self::optional(&p.consent_withdrawal);
        let purpose = Purpose {
            id: Self::optional(&p.id).unwrap_or_default(),
            name,
            description,
            notices: Self::list(&p.notices),
            lawful_basis,
            basis_detail: Self::optional(&p.basis_detail),
            special_condition,
            schedule1,
            criminal_authority,
            legislation: Self::list(&p.legislation),
            data_subjects: Self::list(&p.data_subjects),
            data_categories,
            recipients: Self::list(&p.recipients),
            sources: Self::list(&p.sources),
            consent_withdrawal,
            automated_decisions: Self::optional(&p.automated_decisions),
        };
        if purpose.relies_on_consent() && purpose.consent_withdrawal.is_none() {
            self.report(
                loc.line,
                &loc,
                "consent_withdrawal",
                "is required: the purpose relies on consent, so people need a route to withdraw it",
            );
        }
        purpose
    }

    fn parse_each<T>(
        &mut self,
        loc: &Loc,
        field: &str,
        value: &Option<List>,
        parse: impl Fn(&str) -> Option<T>,
        message: &str,
    ) -> Vec<T> {
        let mut out = Vec::new();
        for item in value.iter().flat_map(|l| l.get_ref()) {
            match parse(item.get_ref().trim()) {
                Some(v) => out.push(v),
                None => {
                    let line = self.span_line(item.span());
                    self.report(line, loc, field, message.replace("{}", item.get_ref()));
                }
            }
        }
        out
    }

    fn record_type(
        &mut self,
        index: usize,
        raw: &Spanned<RawRecordType>,
        known: &Known,
        purposes: &[Purpose],
    ) -> RecordType {
        let r = raw.get_ref();
        let loc = self.at("record_types", index, raw, r.id.as_ref());
        let name = self.required(&loc, "name", &r.name);
        self.nonempty(&loc, "purposes", &r.purposes);
        self.refs(&loc, "purposes", &r.purposes, &known.purposes, "purpose");
        self.nonempty(&loc, "data_categories", &r.data_categories);
        self.refs(
            &loc,
            "data_categories",
            &r.data_categories,
            &known.categories,
            "data category",
        );
        let own_purposes = Self::list(&r.purposes);
        let covered: HashSet<&String> = purposes
            .iter()
            .filter(|p| own_purposes.contains(&p.id))
            .flat_map(|p| &p.data_categories)
            .collect();
        for item in r.data_categories.iter().flat_map(|l| l.get_ref()) {
            let category = item.get_ref().trim().to_string();
            if known.categories.contains(&category)
                && !covered.contains(&category)
                && own_purposes.iter().all(|p| known.purposes.contains(p))
            {
                let line = self.span_line(item.span());
                self.report(
                    line,
                    &loc,
                    "data_categories",
                    format!("'{category}' is not processed by any of the record type's purposes"),
                );
            }
        }
        let period = match &r.retention {
            None => {
                self.report(loc.line, &loc, "retention", "is required: every record type needs a retention period ('<n> days|weeks|months|years' or 'indefinite')");
                Period::Indefinite
            }
            Some(text) => Period::parse(text.get_ref()).unwrap_or_else(|reason| {
                let line = self.span_line(text.span());
                self.report(line, &loc, "retention", reason);
                Period::Indefinite
            }),
        };
        let minimum =
            r.retention_minimum
                .as_ref()
                .and_then(|text| match Period::parse(text.get_ref()) {
                    Ok(min) if min.approx_days() > period.approx_days() => {
                        let line = self.span_line(text.span());
                        self.report(
                            line,
                            &loc,
                            "retention_minimum",
                            format!("{min} is longer than the retention period {period}"),
                        );
                        None
                    }
                    Ok(min) => Some(min),
                    Err(reason) => {
                        let line = self.span_line(text.span());
                        self.report(line, &loc, "retention_minimum", reason);
                        None
                    }
                });
        let trigger_text = self.required(&loc, "trigger", &r.trigger);
        let trigger = Trigger::parse(&trigger_text).unwrap_or_else(|| {
            if !trigger_text.is_empty() {
                let line = r.trigger.as_ref().map(|t| self.span_line(t.span())).unwrap_or(loc.line);
                self.report(line, &loc, "trigger", format!("unknown trigger '{trigger_text}': expected created, last_activity, case_closed, tenancy_ended or event:<name>"));
            }
            Trigger::Created
        });
        let action_text = self.required(&loc, "action", &r.action);
        let action = DisposalAction::parse(&action_text).unwrap_or_else(|| {
            if !action_text.is_empty() {
                let line = r
                    .action
                    .as_ref()
                    .map(|t| self.span_line(t.span()))
                    .unwrap_or(loc.line);
                self.report(
                    line,
                    &loc,
                    "action",
                    format!("unknown action '{action_text}': expected delete, anonymise or review"),
                );
            }
            DisposalAction::Delete
        });
        let keep_fields = Self::list(&r.keep_fields);
        match action {
            DisposalAction::Anonymise if keep_fields.is_empty() => self.report(
                loc.line,
                &loc,
                "keep_fields",
                "is required with action 'anonymise': name the statistical fields kept",
            ),
            DisposalAction::Delete | DisposalAction::Review if !keep_fields.is_empty() => self
                .report(
                    loc.line,
                    &loc,
                    "keep_fields",
                    "is only allowed with action 'anonymise'",
                ),
            _ => {}
        }
        let review_role = Self::optional(&r.review_role);
        if action == DisposalAction::Review && review_role.is_none() {
            self.report(
                loc.line,
                &loc,
                "review_role",
                "is required with action 'review': name the role that reviews",
            );
        }
        self.one_ref(&loc, "review_role", &r.review_role, &known.roles, "role");
        let responsible_role = self.required(&loc, "responsible_role", &r.responsible_role);
        self.one_ref(
            &loc,
            "responsible_role",
            &r.responsible_role,
            &known.roles,
            "role",
        );
        self.one_ref(&loc, "notice", &r.notice, &known.notices, "notice");
        RecordType {
            id: Self::optional(&r.id).unwrap_or_default(),
            name,
            activity: Self::optional(&r.activity),
            system: Self::optional(&r.system),
            purposes: own_purposes,
            data_categories: Self::list(&r.data_categories),
            retention: Retention {
                period,
                minimum,
                trigger,
                action,
                keep_fields,
                review_role,
            },
            responsible_role,
            disposal: Self::optional(&r.disposal),
            schedule_text: Self::optional(&r.schedule_text),
            notice: Self::optional(&r.notice),
            note: Self::optional(&r.note),
        }
    }
}

struct Known {
    notices: HashSet<String>,
    roles: HashSet<String>,
    subjects: HashSet<String>,
    categories: HashSet<String>,
    recipients: HashSet<String>,
    purposes: HashSet<String>,
    special: HashSet<String>,
    criminal: HashSet<String>,
}
