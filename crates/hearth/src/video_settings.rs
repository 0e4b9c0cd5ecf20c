//! The `[video]` settings: the STUN and TURN servers the call pages connect through. Without
//! any, two browsers connect only where they can reach each other directly (the same network);
//! a council's deployment names its TURN server, whose secret comes from the environment or a
//! `*_FILE`, never the config file.

use anyhow::{Result, bail};
use hearth_service::video::{IceConfig, TurnAuth};
use serde::Deserialize;
use std::path::PathBuf;

/// `[video]` in the config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VideoSettings {
    /// `stun:host:port` addresses.
    #[serde(default)]
    pub stun_urls: Vec<String>,
    /// `turn:` or `turns:` addresses of one TURN service.
    #[serde(default)]
    pub turn_urls: Vec<String>,
    /// A fixed TURN user name; its password from HEARTH_TURN_CREDENTIAL(_FILE).
    pub turn_username: Option<String>,
    /// A file holding the secret shared with the TURN server (coturn `use-auth-secret`); also
    /// HEARTH_TURN_SECRET or HEARTH_TURN_SECRET_FILE. Each call then gets its own credentials.
    pub turn_secret_file: Option<PathBuf>,
}

/// The ICE servers from `[video]` and the environment, checked.
pub fn ice_config(
    settings: Option<&VideoSettings>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<IceConfig> {
    let settings = settings.cloned().unwrap_or_default();
    for url in &settings.stun_urls {
        if !(url.starts_with("stun:") || url.starts_with("stuns:"))
            || url.contains(char::is_whitespace)
        {
            bail!(
                "video.stun_urls: '{url}' is not a stun: address like stun:stun.example.gov.uk:3478"
            );
        }
    }
    for url in &settings.turn_urls {
        if !(url.starts_with("turn:") || url.starts_with("turns:"))
            || url.contains(char::is_whitespace)
        {
            bail!(
                "video.turn_urls: '{url}' is not a turn: or turns: address like turns:turn.example.gov.uk:5349"
            );
        }
    }
    let secret = crate::messaging::secret(
        env,
        "HEARTH_TURN_SECRET",
        settings.turn_secret_file.as_ref(),
    )?;
    let credential = crate::messaging::secret(env, "HEARTH_TURN_CREDENTIAL", None)?;
    let turn_auth = match (secret, settings.turn_username.clone(), credential) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            bail!("video: use a TURN shared secret or a fixed user name and password, not both")
        }
        (Some(secret), None, None) if secret.len() >= 16 => Some(TurnAuth::SharedSecret { secret }),
        (Some(_), None, None) => {
            bail!("video: the TURN shared secret is too short (at least 16 characters)")
        }
        (None, Some(username), Some(credential)) => Some(TurnAuth::Static {
            username,
            credential,
        }),
        (None, Some(_), None) => {
            bail!("video.turn_username is set but HEARTH_TURN_CREDENTIAL (or _FILE) is not")
        }
        (None, None, Some(_)) => {
            bail!("HEARTH_TURN_CREDENTIAL is set but video.turn_username is not")
        }
        (None, None, None) => None,
    };
    if !settings.turn_urls.is_empty() && turn_auth.is_none() {
        bail!(
            "video.turn_urls needs credentials: HEARTH_TURN_SECRET(_FILE), or video.turn_username with HEARTH_TURN_CREDENTIAL(_FILE)"
        );
    }
    if settings.turn_urls.is_empty() && turn_auth.is_some() {
        bail!("TURN credentials are set but video.turn_urls is empty");
    }
    Ok(IceConfig {
        stun_urls: settings.stun_urls,
        turn_urls: settings.turn_urls,
        turn_auth,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn settings(stun: &[&str], turn: &[&str], username: Option<&str>) -> VideoSettings {
        VideoSettings {
            stun_urls: stun.iter().map(|s| s.to_string()).collect(),
            turn_urls: turn.iter().map(|s| s.to_string()).collect(),
            turn_username: username.map(str::to_string),
            turn_secret_file: None,
        }
    }

    #[test]
    fn turn_needs_exactly_one_kind_of_credential_and_addresses_are_checked() {
        let turn = ["turns:turn.example.gov.uk:5349"];
        let shared = ice_config(
            Some(&settings(&[], &turn, None)),
            &env(&[("HEARTH_TURN_SECRET", "a-long-shared-secret")]),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            shared.turn_auth,
            Some(TurnAuth::SharedSecret { .. })
        ));
        let fixed = ice_config(
            Some(&settings(&[], &turn, Some("hearth"))),
            &env(&[("HEARTH_TURN_CREDENTIAL", "pw")]),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(fixed.turn_auth, Some(TurnAuth::Static { .. })));
        for (bad, vars, says) in [
            (settings(&[], &turn, None), &[][..], "needs credentials"),
            (
                settings(&[], &turn, Some("hearth")),
                &[][..],
                "HEARTH_TURN_CREDENTIAL",
            ),
            (
                settings(&["http://stun"], &[], None),
                &[][..],
                "video.stun_urls",
            ),
            (settings(&[], &["stun:x"], None), &[][..], "video.turn_urls"),
            (
                settings(&[], &turn, None),
                &[("HEARTH_TURN_SECRET", "short")][..],
                "too short",
            ),
        ] {
            let vars: &'static [(&'static str, &'static str)] =
                Box::leak(vars.to_vec().into_boxed_slice());
            let err = ice_config(Some(&bad), &env(vars))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains(says), "{err} should say {says}");
            assert!(!err.contains("a-long-shared-secret"));
        }
        assert!(
            ice_config(None, &env(&[]))
                .is_ok_and(|c| c.stun_urls.is_empty() && c.turn_auth.is_none())
        );
    }
}
