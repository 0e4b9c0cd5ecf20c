//! Object storage for media (photos, footage, recordings): the local filesystem by default.
//! Objects are named by random ids, never by anything about the person, and an object about a
//! person is sealed under their data key before it leaves Hearth.

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
