//! Linking a One Login account to a person: staff issue a single-use code (by letter or on the
//! phone), and the signed-in resident gives it back with their date of birth when the record
//! holds one. Wrong attempts are audited and slowed like staff sign-ins.

use crate::access::tokens::token_hash;
use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::residents::{LinkCode, ResidentAccount};
use hearth_policy::RecordAction;
use jiff::{SignedDuration, Timestamp};
use rand::Rng;
use uuid::Uuid;

/// How long a link code can be used: long enough for a letter to arrive and be acted on.
pub const LINK_CODE_DAYS: i64 = 30;
/// Letters and digits nobody confuses on paper or the phone (no 0/O, 1/I/L, 5/S, 2/Z).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRTUVWXY346789";
const CODE_CHARS: usize = 12;

/// The purpose link codes are issued under: keeping the customer's record, which is what
/// roles that verify and serve residents work for. An operative or planner cannot issue one.
pub const LINK_CODE_PURPOSE: &str = "customer_record";
/// The outbox template that carries a code to the person.
pub const LINK_CODE_TEMPLATE: &str = "resident_link_code";

/// A code as issued. It goes to the person's own email address or mobile number through the
/// outbox, so no member of staff sees it; only where the record holds neither is it handed to
/// the member of staff, to print in a letter to the person's address.
#[derive(Debug, Clone)]
pub struct IssuedLinkCode {
    pub person_id: Uuid,
    pub expires_at: Timestamp,
    pub delivery: LinkCodeDelivery,
}

/// How a code reaches the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkCodeDelivery {
    /// Queued in the outbox to the person's own email or mobile.
    Sent {
        message_id: Uuid,
        channel: hearth_core::video::InviteChannel,
    },
    /// No email or mobile on the record: the code, to print in a letter.
    Letter { code: String },
}

fn new_code() -> String {
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..CODE_CHARS)
        .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as typed: case, spaces and dashes do not matter.
fn normalise_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn code_hash(typed: &str) -> String {
    token_hash(&format!("link:{}", normalise_code(typed)))
}

impl Hearth {
    /// Issues a code for a person to link their One Login account, revoking any older code
    /// still unused. Only under the customer record purpose, by a member of staff the policy
    /// lets read the person for it; the code goes to the person's own email or mobile through
    /// the outbox (or, with neither on record, back for a letter). Audited with the issue.
    pub async fn issue_link_code(
        &self,
        caller: &Caller,
        person_id: Uuid,
    ) -> Result<IssuedLinkCode> {
        if matches!(caller.actor(), hearth_core::actor::Actor::Resident(_)) {
            return Err(ServiceError::Forbidden(
                "residents are given their code by the council".into(),
            ));
        }
        if self.purpose_of(caller)? != LINK_CODE_PURPOSE {
            return Err(ServiceError::Forbidden(format!(
                "link codes are issued under the purpose {LINK_CODE_PURPOSE}, by those who keep the customer's record"
            )));
        }
        let person = self
            .store
            .get_person(person_id)
            .await?
            .ok_or(ServiceError::NotFound("person"))?;
        self.admit_read(caller, RecordAction::Read, vec![person.clone()])
            .await?;
        let now = self.now();
        let code = new_code();
        let issued = LinkCode {
            code_hash: code_hash(&code),
            person_id,
            issued_by: caller.actor().to_string(),
            issued_at: now,
            expires_at: now
                .checked_add(SignedDuration::from_hours(24 * LINK_CODE_DAYS))
                .map_err(|e| ServiceError::Policy(e.to_string()))?,
            used_at: None,
        };
        let message = self.link_code_message(&person, &code, issued.expires_at);
        let mut event = self.event(caller, "resident.link_code_issued".into());
        event.person_ids = vec![person_id];
        event.record_ids = vec![person_id.to_string()];
        event
            .record_ids
            .extend(message.iter().map(|m| m.id.to_string()));
        event.reason = Some(match &message {
            Some(m) => format!("sent by {}", m.channel.as_str()),
            None => "for a letter: no email or mobile on record".into(),
        });
        self.store
            .insert_link_code(&issued, message.as_ref(), &event)
            .await?;
        let delivery = match message {
            Some(m) => LinkCodeDelivery::Sent {
                message_id: m.id,
                channel: m.channel,
            },
            None => LinkCodeDelivery::Letter { code },
        };
        Ok(IssuedLinkCode {
            person_id,
            expires_at: issued.expires_at,
            delivery,
        })
    }

    /// The message carrying a code to the person's own email address, else mobile number.
    fn link_code_message(
        &self,
        person: &hearth_core::records::Person,
        code: &str,
        expires_at: Timestamp,
    ) -> Option<hearth_core::video::OutboxMessage> {
        let (channel, recipient) = crate::video::own_channel(person)?;
        let now = self.now();
        let mut personalisation = std::collections::BTreeMap::new();
        personalisation.insert(
            "name".to_string(),
            person
                .fields
                .preferred_name
                .clone()
                .unwrap_or_else(|| person.fields.given_name.clone()),
        );
        personalisation.insert("code".to_string(), code.to_string());
        personalisation.insert("expires".to_string(), crate::video::uk_time(expires_at));
        Some(hearth_core::video::OutboxMessage {
            id: Uuid::now_v7(),
            person_id: person.id,
            channel,
            template: LINK_CODE_TEMPLATE.into(),
            recipient,
            personalisation,
            state: hearth_core::video::DeliveryState::Queued,
            attempts: 0,
            next_attempt_at: now,
            provider_ref: None,
            last_error: None,
            created_at: now,
            updated_at: now,
        })
    }

    /// Links the session's One Login account to the person the code was issued for. The date
    /// of birth must match when the record holds one. Every failure says the same thing.
    pub async fn link_resident_account(
        &self,
        secret: &str,
        code: &str,
        date_of_birth: Option<jiff::civil::Date>,
    ) -> Result<Uuid> {
        let session = self.resident_session(secret).await?;
        if session.person_id.is_some() {
            return Err(ServiceError::Conflict(
                "this account is linked to a record already".into(),
            ));
        }
        let limit_key = format!("one-login:{}", session.subject);
        let now = self.now();
        if let Some(wait) = self.sign_ins.wait(&limit_key, now) {
            self.link_refused(None, "rate limited").await?;
            return Err(ServiceError::RateLimited(wait));
        }
        let found = match normalise_code(code).len() {
            CODE_CHARS => self.store.link_code(&code_hash(code)).await?,
            _ => None,
        };
        let why = match &found {
            None => Some("no such code"),
            Some(c) if !c.usable_at(now) => Some("code used or expired"),
            Some(c) => {
                let held = self
                    .store
                    .get_person(c.person_id)
                    .await?
                    .and_then(|p| p.fields.date_of_birth);
                match held {
                    Some(held) if Some(held) != date_of_birth => Some("date of birth differs"),
                    _ => None,
                }
            }
        };
        let Some(found) = found.filter(|_| why.is_none()) else {
            self.sign_ins.failed(&limit_key, now);
            self.link_refused(None, why.unwrap_or("refused")).await?;
            return Err(ServiceError::Unauthenticated(
                "the code or date of birth is not right".into(),
            ));
        };
        let account = ResidentAccount {
            id: Uuid::now_v7(),
            issuer: session.issuer.clone(),
            subject: session.subject.clone(),
            person_id: found.person_id,
            linked_at: now,
        };
        let mut event = self.event(
            &Caller::resident(found.person_id),
            "resident.account_linked".into(),
        );
        event.person_ids = vec![found.person_id];
        event.record_ids = vec![account.id.to_string()];
        if !self
            .store
            .link_resident(&found.code_hash, &account, &session.token_hash, &event)
            .await?
        {
            self.link_refused(Some(found.person_id), "code used meanwhile")
                .await?;
            return Err(ServiceError::Unauthenticated(
                "the code or date of birth is not right".into(),
            ));
        }
        self.sign_ins.succeeded(&limit_key);
        Ok(found.person_id)
    }

    async fn link_refused(&self, person: Option<Uuid>, why: &str) -> Result<()> {
        let mut event = self.event(&Caller::system("resident-sign-in"), "resident.link".into());
        event.decision = "denied".into();
        event.person_ids = person.into_iter().collect();
        event.reason = Some(why.into());
        Ok(self.store.append_audit_events(&[event]).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_from_the_plain_alphabet_and_typed_loosely() {
        let code = new_code();
        assert_eq!(code.len(), 14, "{code}");
        assert_eq!(code.matches('-').count(), 2, "{code}");
        assert!(
            normalise_code(&code)
                .bytes()
                .all(|b| CODE_ALPHABET.contains(&b)),
            "{code}"
        );
        let typed = format!(" {} ", code.to_lowercase().replace('-', " "));
        assert_eq!(code_hash(&typed), code_hash(&code));
        assert_ne!(code_hash(&code), code_hash(&new_code()));
    }
}
