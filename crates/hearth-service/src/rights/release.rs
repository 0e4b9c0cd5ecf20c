//! Answering an access or portability request: the bundle is reviewed (with free text that names other members
//! of the household flagged), the data protection officer approves its release with any
//! redactions, the archive is built, sealed under the person's key and stored, and the person
//! downloads it once, by a link that expires. Every step is audited.

use super::archive::{MediaFile, build_archive, extension};
use super::{AccessBundle, Withheld};
use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::rights::{AccessRelease, RequestKind, RightsRequest, is_portable};
use hearth_policy::AdminAction;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use uuid::Uuid;

/// The longest a download link lives.
pub const MAX_LINK_DAYS: i64 = 30;

/// Free text in the bundle that the data protection officer should look at before release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReviewFlag {
    /// `contacts` or `records`.
    pub section: String,
    pub record_id: Uuid,
    /// Which field: `summary`, `reason`, `title`, `details`.
    pub field: String,
    pub concern: String,
}

/// An access request ready for the data protection officer's review: the bundle as it would
/// go out, what to look at, and any earlier releases.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccessReview {
    pub request_id: Uuid,
    pub bundle: AccessBundle,
    pub flags: Vec<ReviewFlag>,
    /// Every passage of the free text that the redaction engine found about someone other than
    /// the requester: names, addresses, phones, emails, dates of birth, identifiers.
    pub proposed: Vec<super::ProposedRedaction>,
    pub releases: Vec<AccessRelease>,
}

/// Free text to leave out of a release, and why.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Redaction {
    /// A contact or filed record in the bundle.
    pub record_id: Uuid,
    /// Why (kept in the release's list of what was withheld).
    pub reason: String,
}

/// The data protection officer's approval of a release.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseApproval {
    /// Whole notes or records to leave out, each with the reason.
    #[serde(default)]
    pub redactions: Vec<Redaction>,
    /// Redact every passage the engine proposes (as the review listed them, found afresh on
    /// the bundle as released).
    #[serde(default)]
    pub accept_proposed: bool,
    /// How long the link lives, 1 to 30 days (default 14).
    #[serde(default = "default_link_days")]
    pub valid_days: i64,
}

fn default_link_days() -> i64 {
    14
}

/// A release with its link. The link's secret is shown once, here, and never stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReleasedAccess {
    pub release: AccessRelease,
    /// The download path, relative to Hearth's address: send it to the person.
    pub download_path: String,
}

/// Why passages the engine proposed were redacted, as the release lists it.
const PROPOSED_REASON: &str = "About other people (UK GDPR Art 15(4), DPA 2018 Sch 2 para 16): found by Hearth's redaction engine and accepted by the data protection officer";

/// What the text redacted from a release is replaced by.
const REDACTED: &str = "[redacted: about another person]";

impl Hearth {
    /// The bundle for an open access request, for review; flags free text that names another
    /// member of the person's household. Audited.
    pub async fn review_access(&self, caller: &Caller, request_id: Uuid) -> Result<AccessReview> {
        self.require_admin(caller, AdminAction::HandleRightsRequests)
            .await?;
        let request = self.access_request(request_id).await?;
        let (bundle, others) = self.response_bundle(&request).await?;
        let flags = self.flags(&bundle, &others).await?;
        let proposed = super::proposals::propose(&bundle);
        let releases = self.store.releases_of(request_id).await?;
        let mut event = self.event(caller, "rights.access_reviewed".into());
        event.person_ids = vec![request.person_id];
        event.record_type = Some("rights_request".into());
        event.record_ids = vec![request_id.to_string()];
        event.reason = Some(format!(
            "{} flag(s), {} proposed redaction(s)",
            flags.len(),
            proposed.len()
        ));
        self.store.append_audit_events(&[event]).await?;
        Ok(AccessReview {
            request_id,
            bundle,
            flags,
            proposed,
            releases,
        })
    }

    /// The data protection officer approves the release: the bundle is compiled afresh, the
    /// redactions applied, and the archive sealed and stored for one download by the link
    /// returned.
    pub async fn release_access(
        &self,
        caller: &Caller,
        request_id: Uuid,
        approval: &ReleaseApproval,
    ) -> Result<ReleasedAccess> {
        self.require_admin(caller, AdminAction::ApproveRightsResponses)
            .await?;
        let request = self.access_request(request_id).await?;
        if !(1..=MAX_LINK_DAYS).contains(&approval.valid_days) {
            return Err(ServiceError::field(
                "valid_days",
                format!("a link lives 1 to {MAX_LINK_DAYS} days"),
            ));
        }
        let (mut bundle, _) = self.response_bundle(&request).await?;
        let mut redactions = approval.redactions.len();
        if approval.accept_proposed {
            let proposed = super::proposals::propose(&bundle);
            redactions += proposed.len();
            for (section, record_id, labels) in
                super::proposals::apply_proposals(&mut bundle, &proposed)
            {
                bundle.withheld.push(Withheld {
                    section,
                    record_id,
                    what: format!("passages about other people ({})", labels.join(", ")),
                    reason: PROPOSED_REASON.to_string(),
                });
            }
        }
        redact(&mut bundle, &approval.redactions)?;
        let media = self.media_files(&bundle).await?;
        let archive = build_archive(&bundle, &self.register.controller.name, &request, &media)
            .map_err(ServiceError::Storage)?;
        let id = Uuid::now_v7();
        let object_key = format!("releases/{id}");
        let sha256 = crate::sha256_hex(&archive);
        let size = i64::try_from(archive.len()).unwrap_or(i64::MAX);
        let sealed = self
            .store
            .seal_media(request.person_id, &object_key, &archive)
            .await?;
        self.media()?
            .put(&object_key, sealed)
            .await
            .map_err(|e| ServiceError::Storage(e.to_string()))?;
        let secret = crate::access::random_secret();
        let now = self.now();
        let release = AccessRelease {
            id,
            request_id,
            person_id: request.person_id,
            object_key,
            sha256,
            size,
            token_hash: crate::access::token_hash(&secret),
            redactions: i64::try_from(redactions).unwrap_or(i64::MAX),
            approved_by: caller.actor().to_string(),
            approved_at: now,
            expires_at: now
                .checked_add(jiff::SignedDuration::from_hours(24 * approval.valid_days))
                .map_err(|e| ServiceError::field("valid_days", e.to_string()))?,
            downloaded_at: None,
        };
        let mut event = self.event(caller, "rights.access_approved".into());
        event.person_ids = vec![request.person_id];
        event.record_type = Some("rights_request".into());
        event.record_ids = vec![request_id.to_string(), id.to_string()];
        event.reason = Some(format!(
            "{} redaction(s), {} media file(s), {} bytes",
            redactions,
            media.len(),
            size
        ));
        if let Err(e) = self.store.insert_release(&release, &event).await {
            let _ = self.media()?.remove(&release.object_key).await;
            return Err(e.into());
        }
        tracing::info!(request = %request_id, release = %id, "access response approved for release");
        Ok(ReleasedAccess {
            release,
            download_path: format!("/api/rights/downloads/{secret}"),
        })
    }

    /// The archive behind a download link, once: the link is used up as it is claimed, the
    /// stored copy removed, and the release audited. Refused when unknown, used or expired.
    pub async fn download_access(&self, secret: &str) -> Result<(AccessRelease, Vec<u8>)> {
        let hash = crate::access::token_hash(secret.trim());
        let mut event = self.event(
            &Caller::system("download_link"),
            "rights.access_released".into(),
        );
        event.record_type = Some("rights_request".into());
        let release = self
            .store
            .claim_release(&hash, self.now(), &event)
            .await?
            .ok_or_else(|| {
                ServiceError::Gone(
                    "this download link has been used or has expired: ask us for a new one".into(),
                )
            })?;
        let media = self.media()?;
        if self.store.get_person(release.person_id).await?.is_none() {
            // The person was erased after the release: the archive went with their key.
            media
                .remove(&release.object_key)
                .await
                .map_err(|e| ServiceError::Storage(e.to_string()))?;
            return Err(ServiceError::Gone(
                "the information behind this link has since been erased at the person's request"
                    .into(),
            ));
        }
        let sealed = media
            .get(&release.object_key)
            .await
            .map_err(|e| ServiceError::Storage(e.to_string()))?;
        let archive = self
            .store
            .open_media(release.person_id, &release.object_key, &sealed)
            .await?;
        if crate::sha256_hex(&archive) != release.sha256 {
            return Err(ServiceError::Storage(format!(
                "release {} does not match the archive approved",
                release.id
            )));
        }
        media
            .remove(&release.object_key)
            .await
            .map_err(|e| ServiceError::Storage(e.to_string()))?;
        tracing::info!(release = %release.id, "access response downloaded");
        Ok((release, archive))
    }

    /// An open access request, or a portability request (answered the same way with the part of
    /// the bundle it covers).
    async fn access_request(&self, request_id: Uuid) -> Result<RightsRequest> {
        let kind = match self.store.get_rights_request(request_id).await? {
            Some(r) if r.kind == RequestKind::Portability => RequestKind::Portability,
            _ => RequestKind::Access,
        };
        self.open_request_of(request_id, kind).await
    }

    /// What a request's response holds: everything, for access; for portability, what the
    /// person provided under consent or contract (their record, tenancies and memberships,
    /// consents, and records of portable types), without the council's own notes and logs.
    async fn response_bundle(
        &self,
        request: &RightsRequest,
    ) -> Result<(AccessBundle, BTreeSet<Uuid>)> {
        let (mut bundle, others) = self.gather_bundle(request.person_id).await?;
        if request.kind == RequestKind::Portability {
            bundle.contacts.clear();
            bundle.requests.clear();
            bundle.access_log.clear();
            bundle.disclosures.clear();
            bundle
                .records
                .retain(|r| is_portable(&self.register, &r.record.fields.record_type));
        }
        Ok((bundle, others))
    }

    /// Contact and record text that names another member of the household.
    async fn flags(
        &self,
        bundle: &AccessBundle,
        others: &BTreeSet<Uuid>,
    ) -> Result<Vec<ReviewFlag>> {
        let mut names = BTreeSet::new();
        for id in others {
            if let Some(other) = self.store.get_person(*id).await? {
                let f = &other.fields;
                for name in [
                    Some(&f.given_name),
                    Some(&f.family_name),
                    f.preferred_name.as_ref(),
                ]
                .into_iter()
                .flatten()
                {
                    if name.chars().count() >= 3 {
                        names.insert(name.to_lowercase());
                    }
                }
            }
        }
        let mut flags = Vec::new();
        let mut check = |section: &str, record_id: Uuid, field: &str, text: Option<&str>| {
            let Some(text) = text else { return };
            let words: BTreeSet<String> = text
                .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
                .map(str::to_lowercase)
                .collect();
            if let Some(name) = names.iter().find(|n| words.contains(*n)) {
                flags.push(ReviewFlag {
                    section: section.into(),
                    record_id,
                    field: field.into(),
                    concern: format!("names '{name}', as another member of the household is named: redact it unless disclosure is reasonable"),
                });
            }
        };
        for c in &bundle.contacts {
            check("contacts", c.id, "reason", Some(&c.fields.reason));
            check("contacts", c.id, "summary", c.fields.summary.as_deref());
        }
        for r in &bundle.records {
            let f = &r.record.fields;
            check("records", r.record.id, "title", Some(&f.title));
            check("records", r.record.id, "details", f.details.as_deref());
        }
        Ok(flags)
    }

    /// The media of the bundle's records, opened, checked against their recorded hashes.
    async fn media_files(&self, bundle: &AccessBundle) -> Result<Vec<MediaFile>> {
        let mut files = Vec::new();
        for part in &bundle.records {
            for m in &part.media {
                let stored = self
                    .media()?
                    .get(&m.object_key)
                    .await
                    .map_err(|e| ServiceError::Storage(e.to_string()))?;
                let bytes = match part.record.fields.person_id {
                    Some(person) => {
                        self.store
                            .open_media(person, &m.object_key, &stored)
                            .await?
                    }
                    None => stored,
                };
                if crate::sha256_hex(&bytes) != m.sha256 {
                    return Err(ServiceError::Storage(format!(
                        "media object {} does not match its recorded hash",
                        m.id
                    )));
                }
                files.push(MediaFile {
                    path: format!(
                        "media/{}/{}.{}",
                        part.record.id,
                        m.id,
                        extension(&m.content_type)
                    ),
                    bytes,
                });
            }
        }
        Ok(files)
    }
}

/// Applies redactions: the free text of each named contact or record is replaced, and the
/// redaction listed with its reason. Unknown ids and missing reasons are refused by field.
fn redact(bundle: &mut AccessBundle, redactions: &[Redaction]) -> Result<()> {
    let mut errors = hearth_core::FieldErrors::new();
    for (n, r) in redactions.iter().enumerate() {
        let field = format!("redactions[{n}]");
        if r.reason.trim().chars().count() < 10 {
            errors.add(&field, "give the reason (at least 10 characters)");
            continue;
        }
        let section = if let Some(c) = bundle.contacts.iter_mut().find(|c| c.id == r.record_id) {
            c.fields.summary = c.fields.summary.as_ref().map(|_| REDACTED.to_string());
            c.fields.reason = REDACTED.to_string();
            "contacts"
        } else if let Some(p) = bundle
            .records
            .iter_mut()
            .find(|p| p.record.id == r.record_id)
        {
            p.record.fields.title = REDACTED.to_string();
            p.record.fields.details = p
                .record
                .fields
                .details
                .as_ref()
                .map(|_| REDACTED.to_string());
            "records"
        } else {
            errors.add(
                &field,
                format!("{} is not a contact or record in this bundle", r.record_id),
            );
            continue;
        };
        bundle.withheld.push(Withheld {
            section: section.into(),
            record_id: r.record_id,
            what: "free text (redacted)".into(),
            reason: r.reason.trim().to_string(),
        });
    }
    errors.finish(()).map_err(ServiceError::Invalid)
}
