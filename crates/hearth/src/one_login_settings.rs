//! The `[one_login]` settings: Hearth's registration with GOV.UK One Login, for residents'
//! sign-in. The private key comes from HEARTH_ONE_LOGIN_PRIVATE_KEY(_FILE) or `private_key_file`,
//! never the config file itself. The addresses One Login returns residents to follow from
//! `public_url`, and must be registered with One Login exactly so.

use anyhow::{Result, bail};
use hearth_service::residents::{OneLogin, OneLoginSettings};
use serde::Deserialize;
use std::path::PathBuf;

/// `[one_login]` in the config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneLoginFile {
    /// `https://oidc.integration.account.gov.uk/` while testing, `https://oidc.account.gov.uk/`
    /// in production.
    pub issuer: String,
    pub client_id: String,
    /// `ES256` (default) or `RS256`: the kind of key registered with One Login.
    #[serde(default = "default_algorithm")]
    pub key_algorithm: String,
    /// `Cl.Cm` (default: two-factor, One Login's medium level) or `Cl`.
    #[serde(default = "default_vtr")]
    pub vtr: String,
    /// A file holding the private key in PEM; also HEARTH_ONE_LOGIN_PRIVATE_KEY(_FILE).
    pub private_key_file: Option<PathBuf>,
}

fn default_algorithm() -> String {
    "ES256".into()
}

fn default_vtr() -> String {
    "Cl.Cm".into()
}

/// The One Login registration from `[one_login]`, checked (its key too), or none.
pub fn one_login_settings(
    file: Option<&OneLoginFile>,
    public_url: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<OneLoginSettings>> {
    let key = crate::messaging::secret(
        env,
        "HEARTH_ONE_LOGIN_PRIVATE_KEY",
        file.and_then(|f| f.private_key_file.as_ref()),
    )?;
    let Some(file) = file else {
        if key.is_some() {
            bail!("HEARTH_ONE_LOGIN_PRIVATE_KEY is set but there is no [one_login] section");
        }
        return Ok(None);
    };
    let Some(private_key_pem) = key else {
        bail!(
            "one_login: the private key is missing: set HEARTH_ONE_LOGIN_PRIVATE_KEY(_FILE) or one_login.private_key_file"
        );
    };
    let settings = OneLoginSettings {
        issuer: file.issuer.trim().to_string(),
        client_id: file.client_id.trim().to_string(),
        redirect_uri: format!("{public_url}/resident/signed-in"),
        post_logout_redirect_uri: format!("{public_url}/resident/signed-out"),
        private_key_pem,
        key_algorithm: file.key_algorithm.trim().to_string(),
        vtr: file.vtr.trim().to_string(),
    };
    if let Err(problems) = OneLogin::new(settings.clone()) {
        let named: Vec<String> = problems.iter().map(|p| format!("one_login: {p}")).collect();
        bail!("{}", named.join("\n"));
    }
    Ok(Some(settings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(issuer: &str) -> OneLoginFile {
        OneLoginFile {
            issuer: issuer.into(),
            client_id: "hearth-client".into(),
            key_algorithm: default_algorithm(),
            vtr: default_vtr(),
            private_key_file: None,
        }
    }

    #[test]
    fn a_registration_needs_its_key_and_a_checked_issuer() {
        let none = |_: &str| None;
        assert!(
            one_login_settings(None, "https://hearth.example", &none)
                .map(|s| s.is_none())
                .unwrap_or(false)
        );
        let missing = one_login_settings(
            Some(&file("https://oidc.integration.account.gov.uk/")),
            "https://hearth.example",
            &none,
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(
            missing.contains("HEARTH_ONE_LOGIN_PRIVATE_KEY"),
            "{missing}"
        );
        let key_only =
            |name: &str| (name == "HEARTH_ONE_LOGIN_PRIVATE_KEY").then(|| "not a key".to_string());
        let stray = one_login_settings(None, "https://hearth.example", &key_only)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(stray.contains("no [one_login] section"), "{stray}");
        let bad = one_login_settings(
            Some(&file("ftp://one-login.example/")),
            "https://hearth.example",
            &key_only,
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(
            bad.contains("one_login: issuer must be an https address"),
            "{bad}"
        );
        assert!(
            bad.contains("one_login: the private key is not a ES256 key"),
            "{bad}"
        );
    }
}
