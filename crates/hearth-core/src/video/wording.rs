//! The words a resident is shown before a video call, built from the register (the purpose,
//! how to withdraw, how long recordings are kept), and their version: a change to those words in
//! the register is a new version, so every consent names exactly what was agreed to.

use crate::register::{Purpose, RecordType};
use sha2::{Digest, Sha256};

/// The two questions, and the version of their words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ConsentWording {
    /// Consent to the video call itself (Art 6(1)(a)).
    pub call: String,
    /// Explicit consent to special category data the camera may capture (Art 9(2)(a)).
    pub special_category: String,
    /// `total-assist-` and the first 12 hex digits of the SHA-256 of both texts.
    pub version: String,
}

/// Whether a purpose is one of the video-call purposes a call can be made for: those of the
/// recording's record type that rest on consent.
pub fn is_video_purpose(purpose: &Purpose, recording: &RecordType) -> bool {
    recording.purposes.iter().any(|p| p == &purpose.id) && purpose.relies_on_consent()
}

/// The words for a call made for `purpose`, whose recordings are kept as `recording` says.
pub fn consent_wording(purpose: &Purpose, recording: &RecordType) -> ConsentWording {
    let keeping = recording
        .schedule_text
        .clone()
        .unwrap_or_else(|| format!("We keep recordings for {}.", recording.retention.period));
    let withdraw = purpose
        .consent_withdrawal
        .clone()
        .unwrap_or_else(|| "You can withdraw your consent at any time.".into());
    let call = format!(
        "We would like to talk to you on a live video call with an engineer, to {}. \
         You will get a link by email or text message. The engineer may be able to find the \
         fault and help you put it right without a visit. The engineer may record the call. {keeping} \
         Recordings may be shared with contractors doing the repair for us, and with safeguarding \
         bodies if a recording shows a safeguarding concern. If you would rather not have a video \
         call, an engineer will visit you instead. {withdraw} \
         Do you agree to a video call?",
        lowercase_first(
            purpose
                .description
                .split(" (")
                .next()
                .unwrap_or(&purpose.name)
        )
    );
    let special_category = "The camera and microphone may pick up sensitive information we do \
         not intend to collect: the health of people in your home, their religion, ethnicity, \
         appearance and private conversations, and the people and things in your home. We use \
         it only where it is needed for the repair. Do you give your explicit consent to this?"
        .to_string();
    let digest = Sha256::digest(format!("{call}\n{special_category}").as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    ConsentWording {
        call,
        special_category,
        version: format!("total-assist-{hex}"),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.trim().trim_end_matches('.').chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::register::default_register;

    #[test]
    fn wording_comes_from_the_register_and_its_version_follows_it() {
        let register = default_register().unwrap_or_else(|e| panic!("{e:?}"));
        let recording = register
            .record_type("video_recording")
            .unwrap_or_else(|| panic!("video_recording"));
        let triage = register
            .purpose("repairs_video_triage")
            .unwrap_or_else(|| panic!("triage"));
        let words = consent_wording(triage, recording);
        assert!(
            words.call.contains("triage emergency repair requests"),
            "{}",
            words.call
        );
        assert!(
            words
                .call
                .contains("We keep recordings for up to four weeks.")
        );
        assert!(words.call.contains("gas.flint@kirklees.gov.uk"));
        assert!(words.special_category.contains("explicit consent"));
        assert!(words.version.starts_with("total-assist-") && words.version.len() == 25);

        let advice = register
            .purpose("repairs_video_advice")
            .unwrap_or_else(|| panic!("advice"));
        assert_ne!(consent_wording(advice, recording).version, words.version);
        let mut edited = triage.clone();
        edited.consent_withdrawal = Some("Phone 01484 221000 to withdraw.".into());
        assert_ne!(consent_wording(&edited, recording).version, words.version);

        assert!(is_video_purpose(triage, recording));
        let safeguarding = register
            .purpose("safeguarding")
            .unwrap_or_else(|| panic!("safeguarding"));
        assert!(
            !is_video_purpose(safeguarding, recording),
            "no consent there"
        );
    }
}
