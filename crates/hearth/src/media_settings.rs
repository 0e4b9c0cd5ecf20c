//! The `[media]` settings: where media objects (photos, footage, call recordings) are kept. The
//! local directory (`media_dir`) by default; an S3 bucket or an Azure Blob container in a build
//! with the `cloud` feature. Objects are sealed under each person's key before they leave, and
//! the storage key comes from the environment or a `*_FILE`, never the config file.

use anyhow::{Result, bail};
use hearth_service::retention::{AzureLocation, MediaStore, S3Location};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// `[media]` in the config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaSettings {
    /// `local` (default), `s3` or `azure`.
    pub store: Option<String>,
    /// S3: the bucket and its region.
    pub bucket: Option<String>,
    pub region: Option<String>,
    /// S3: the key id (its secret from HEARTH_MEDIA_SECRET_KEY(_FILE)); without both, the
    /// environment's or the instance role's credentials.
    pub access_key_id: Option<String>,
    /// Azure: the storage account and container (the account key from
    /// HEARTH_MEDIA_SECRET_KEY(_FILE)).
    pub account: Option<String>,
    pub container: Option<String>,
    /// An S3-compatible service, or the blob endpoint of an Azure emulator.
    pub endpoint: Option<String>,
    /// A file holding the secret key (also HEARTH_MEDIA_SECRET_KEY or its _FILE).
    pub secret_key_file: Option<PathBuf>,
}

/// Where media is kept, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaPlace {
    Local(PathBuf),
    S3(S3Location),
    Azure(AzureLocation),
}

fn required(value: &Option<String>, name: &str, store: &str) -> Result<String> {
    match value.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Ok(v.to_string()),
        _ => bail!("media.{name} is required when media.store = \"{store}\""),
    }
}

/// The media place from `[media]`, the environment and the local directory.
pub fn media_place(
    settings: Option<&MediaSettings>,
    media_dir: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<MediaPlace> {
    let settings = settings.cloned().unwrap_or_default();
    if let Some(endpoint) = &settings.endpoint
        && !(endpoint.starts_with("https://") || endpoint.starts_with("http://"))
    {
        bail!("media.endpoint: '{endpoint}' is not an http(s) address");
    }
    let secret = crate::messaging::secret(
        env,
        "HEARTH_MEDIA_SECRET_KEY",
        settings.secret_key_file.as_ref(),
    )?;
    match settings.store.as_deref().unwrap_or("local") {
        "local" => {
            if settings.bucket.is_some() || settings.account.is_some() || secret.is_some() {
                bail!("media: a bucket, account or key is set but media.store is local");
            }
            Ok(MediaPlace::Local(media_dir.to_path_buf()))
        }
        "s3" => {
            if settings.access_key_id.is_some() != secret.is_some() {
                bail!(
                    "media: give both media.access_key_id and HEARTH_MEDIA_SECRET_KEY(_FILE), or neither (to use the environment's credentials)"
                );
            }
            Ok(MediaPlace::S3(S3Location {
                bucket: required(&settings.bucket, "bucket", "s3")?,
                region: required(&settings.region, "region", "s3")?,
                endpoint: settings.endpoint,
                access_key_id: settings.access_key_id,
                secret_access_key: secret,
            }))
        }
        "azure" => Ok(MediaPlace::Azure(AzureLocation {
            account: required(&settings.account, "account", "azure")?,
            container: required(&settings.container, "container", "azure")?,
            endpoint: settings.endpoint,
            access_key: secret,
        })),
        other => bail!("media.store: '{other}' is not local, s3 or azure"),
    }
}

impl MediaPlace {
    /// Opens the store. S3 and Azure need a build with the `cloud` feature.
    pub fn open(&self) -> Result<MediaStore> {
        match self {
            Self::Local(dir) => Ok(MediaStore::local(dir)?),
            #[cfg(feature = "cloud")]
            Self::S3(location) => Ok(MediaStore::s3(location)?),
            #[cfg(feature = "cloud")]
            Self::Azure(location) => Ok(MediaStore::azure(location)?),
            #[cfg(not(feature = "cloud"))]
            Self::S3(_) | Self::Azure(_) => bail!(
                "media.store: this build of Hearth keeps media on the local filesystem only; build it with `--features cloud` for S3 or Azure"
            ),
        }
    }
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

    fn parse(text: &str) -> MediaSettings {
        toml::from_str(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn each_store_needs_its_names_and_keys_never_come_from_the_file() {
        let dir = Path::new("/srv/hearth/media");
        assert_eq!(
            media_place(None, dir, &env(&[])).ok(),
            Some(MediaPlace::Local(dir.to_path_buf()))
        );
        let s3 = parse(
            "store = \"s3\"\nbucket = \"kirklees-hearth\"\nregion = \"eu-west-2\"\naccess_key_id = \"AKIAEXAMPLE\"",
        );
        let place = media_place(
            Some(&s3),
            dir,
            &env(&[("HEARTH_MEDIA_SECRET_KEY", "wJalrEXAMPLE")]),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            matches!(&place, MediaPlace::S3(l) if l.bucket == "kirklees-hearth" && l.secret_access_key.as_deref() == Some("wJalrEXAMPLE"))
        );
        for (text, vars, says) in [
            (
                "store = \"s3\"\nregion = \"eu-west-2\"",
                &[][..],
                "media.bucket",
            ),
            (
                "store = \"s3\"\nbucket = \"b\"\nregion = \"r\"\naccess_key_id = \"A\"",
                &[][..],
                "HEARTH_MEDIA_SECRET_KEY",
            ),
            (
                "store = \"azure\"\naccount = \"a\"",
                &[][..],
                "media.container",
            ),
            ("store = \"gcs\"", &[][..], "not local, s3 or azure"),
            (
                "store = \"s3\"\nbucket = \"b\"\nregion = \"r\"\nendpoint = \"ftp://x\"",
                &[][..],
                "media.endpoint",
            ),
            ("bucket = \"b\"", &[][..], "media.store is local"),
        ] {
            let vars: &'static [(&'static str, &'static str)] =
                Box::leak(vars.to_vec().into_boxed_slice());
            let err = media_place(Some(&parse(text)), dir, &env(vars))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains(says), "{text}: {err} should say {says}");
        }
        assert!(toml::from_str::<MediaSettings>("secret_key = \"x\"").is_err());
    }
}
