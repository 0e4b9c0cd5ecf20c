//! Object storage for media (photos, footage, recordings): the local filesystem by default, or
//! (in a build with the `cloud` feature) an S3 bucket or an Azure Blob container. Objects are
//! named by random ids, never by anything about the person, and an object about a person is
//! sealed under their data key before it leaves Hearth, so the provider holds ciphertext only.

use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use std::sync::Arc;

/// Where media objects live.
#[derive(Clone, Debug)]
pub struct MediaStore {
    objects: Arc<dyn ObjectStore>,
    /// For messages: the directory or bucket, never an object's name.
    place: String,
}

/// An S3 bucket (AWS, or an S3-compatible service).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct S3Location {
    pub bucket: String,
    pub region: String,
    /// An S3-compatible service's address; AWS when not set.
    pub endpoint: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

/// An Azure Blob Storage container.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AzureLocation {
    pub account: String,
    pub container: String,
    /// The blob service's address when not the account's public one (an emulator).
    pub endpoint: Option<String>,
    pub access_key: Option<String>,
}

/// Why an object could not be stored, read or removed.
#[derive(Debug, thiserror::Error)]
#[error("object storage ({place}): {message}")]
pub struct MediaError {
    place: String,
    message: String,
}

impl MediaStore {
    /// Objects under a local directory, created if missing.
    pub fn local(dir: &std::path::Path) -> Result<Self, MediaError> {
        let place = dir.display().to_string();
        let fail = |message: String| MediaError {
            place: place.clone(),
            message,
        };
        std::fs::create_dir_all(dir).map_err(|e| fail(format!("cannot create it: {e}")))?;
        let objects = LocalFileSystem::new_with_prefix(dir).map_err(|e| fail(e.to_string()))?;
        Ok(Self {
            objects: Arc::new(objects),
            place,
        })
    }

    /// Objects in an S3 bucket (AWS, or an S3-compatible service at `endpoint`). Credentials
    /// not given here come from the environment or the instance's role, as AWS tools find them.
    #[cfg(feature = "cloud")]
    pub fn s3(location: &S3Location) -> Result<Self, MediaError> {
        let place = format!("s3://{}", location.bucket);
        let mut builder = object_store::aws::AmazonS3Builder::from_env()
            .with_bucket_name(&location.bucket)
            .with_region(&location.region);
        if let Some(endpoint) = &location.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        if let (Some(id), Some(secret)) = (&location.access_key_id, &location.secret_access_key) {
            builder = builder
                .with_access_key_id(id)
                .with_secret_access_key(secret);
        }
        let objects = builder.build().map_err(|e| MediaError {
            place: place.clone(),
            message: e.to_string(),
        })?;
        Ok(Self {
            objects: Arc::new(objects),
            place,
        })
    }

    /// Objects in an Azure Blob Storage container (or an emulator at `endpoint`).
    #[cfg(feature = "cloud")]
    pub fn azure(location: &AzureLocation) -> Result<Self, MediaError> {
        let place = format!("azure://{}/{}", location.account, location.container);
        let mut builder = object_store::azure::MicrosoftAzureBuilder::from_env()
            .with_account(&location.account)
            .with_container_name(&location.container);
        if let Some(endpoint) = &location.endpoint {
            builder = builder
                .with_endpoint(endpoint.clone())
                .with_allow_http(endpoint.starts_with("http://"));
        }
        if let Some(key) = &location.access_key {
            builder = builder.with_access_key(key);
        }
        let objects = builder.build().map_err(|e| MediaError {
            place: place.clone(),
            message: e.to_string(),
        })?;
        Ok(Self {
            objects: Arc::new(objects),
            place,
        })
    }

    /// Where objects are kept, for messages and `config check`: never an object's name.
    pub fn place(&self) -> &str {
        &self.place
    }

    fn fail(&self, message: impl std::fmt::Display) -> MediaError {
        MediaError {
            place: self.place.clone(),
            message: message.to_string(),
        }
    }

    fn path(key: &str) -> Path {
        Path::from(key)
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), MediaError> {
        self.objects
            .put(&Self::path(key), PutPayload::from(bytes))
            .await
            .map(|_| ())
            .map_err(|e| self.fail(e))
    }

    pub async fn get(&self, key: &str) -> Result<Vec<u8>, MediaError> {
        let got = self
            .objects
            .get(&Self::path(key))
            .await
            .map_err(|e| self.fail(e))?;
        Ok(got.bytes().await.map_err(|e| self.fail(e))?.to_vec())
    }

    /// Removes an object; one already gone counts as removed, so a repeated run is harmless.
    pub async fn remove(&self, key: &str) -> Result<(), MediaError> {
        match self.objects.delete(&Self::path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(self.fail(e)),
        }
    }

    /// Whether an object exists (for checks and tests).
    pub async fn exists(&self, key: &str) -> Result<bool, MediaError> {
        match self.objects.head(&Self::path(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(self.fail(e)),
        }
    }
}
