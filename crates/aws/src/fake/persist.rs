//! Saving and loading the fake account as one JSON file, atomically.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::{Account, FakeAws};
use crate::{Error, Result};

/// The version of the file format.
pub(crate) const FORMAT: u32 = 1;

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

fn io_error(action: &str, path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        message: format!("cannot {action} {}: {e}", path.display()),
    }
}

fn temp_path(path: &Path) -> PathBuf {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "account.json".to_string());
    let unique = format!(
        ".{file_name}.tmp-{}-{}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    path.with_file_name(unique)
}

impl FakeAws {
    /// Writes the whole account (APIs, resources, definitions, deployments, functions with their
    /// zips in base64, policies) to `path` as JSON.
    ///
    /// The file is replaced atomically: the JSON goes to a temporary file in the same directory,
    /// which is flushed to disk and then renamed over `path`, so a crash leaves either the old
    /// or the new file, never a torn one. The call log, faults and limits are not saved.
    ///
    /// ```
    /// # fn main() -> lambda_sync_aws::Result<()> {
    /// use lambda_sync_aws::FakeAws;
    /// let dir = std::env::temp_dir().join(format!("lambda-sync-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let path = dir.join("account.json");
    /// FakeAws::new("eu-west-1", "111122223333").save(&path)?;
    /// assert_eq!(FakeAws::load(&path)?.region(), "eu-west-1");
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let mut json = self.to_json()?;
        json.pop();
        let temp = temp_path(path);
        let write = || -> std::io::Result<()> {
            let mut file = fs::File::create(&temp)?;
            file.write_all(&json)?;
            file.write_all(b"\n")?;
            file.sync_all()?;
            drop(file);
            fs::rename(&temp, path)
        };
        if let Err(e) = write() {
            let _ = fs::remove_file(&temp);
            return Err(io_error("write", path, e));
        }
        // Make the rename itself durable; not every platform can open a directory.
        if let Some(dir) = path.parent() {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            if let Ok(d) = fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }

    /// The account as [`FakeAws::save`] writes it (with its final line break), for a caller
    /// that writes it together with other files.
    pub fn to_json(&self) -> Result<Vec<u8>> {
        let inner = self.lock();
        let mut json = serde_json::to_vec_pretty(&inner.account).map_err(|e| Error::Io {
            message: format!("cannot serialise the fake account: {e}"),
        })?;
        json.push(b'\n');
        Ok(json)
    }

    /// Reads an account written by [`FakeAws::save`]. A missing file is
    /// [`Error::NotFound`]; a file that is not a saved account is [`Error::InvalidInput`]
    /// naming the file.
    pub fn load(path: impl AsRef<Path>) -> Result<FakeAws> {
        let path = path.as_ref();
        let text = match fs::read(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::not_found(format!(
                    "fake account file {}",
                    path.display()
                )));
            }
            Err(e) => return Err(io_error("read", path, e)),
        };
        let account: Account = serde_json::from_slice(&text).map_err(|e| {
            Error::invalid(format!("corrupt fake account file {}: {e}", path.display()))
        })?;
        if account.format != FORMAT {
            return Err(Error::invalid(format!(
                "fake account file {} has format {}, this version reads format {FORMAT}",
                path.display(),
                account.format
            )));
        }
        Ok(FakeAws::from_account(account))
    }

    /// [`FakeAws::load`], or a fresh account in `region` / `account_id` when the file does not
    /// exist yet. Other errors (a corrupt file) are returned.
    pub fn load_or_default(
        path: impl AsRef<Path>,
        region: impl Into<String>,
        account_id: impl Into<String>,
    ) -> Result<FakeAws> {
        match FakeAws::load(path) {
            Err(Error::NotFound { .. }) => Ok(FakeAws::new(region, account_id)),
            other => other,
        }
    }
}
