//! Saving and loading the fake account as one JSON file, atomically.

use std::fs;
use std::path::Path;

use super::{Account, FakeAws};
use crate::{Error, Result};

/// The version of the file format.
pub(crate) const FORMAT: u32 = 1;

fn io_error(action: &str, path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        message: format!("cannot {action} {}: {e}", path.display()),
    }
}

impl FakeAws {
    /// Writes the whole account (APIs, resources, definitions, deployments, functions with their
    /// zips in base64, policies) to `path` as JSON.
    ///
    /// The file is replaced atomically ([`lambda_sync_spec::write_atomic`]): the JSON goes to a
    /// temporary file in the same directory, which is flushed to disk and then renamed over
    /// `path`, so a crash leaves either the old or the new file, never a torn one. The call
    /// log, faults and limits are not saved.
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
        let json = self.to_json()?;
        lambda_sync_spec::write_atomic(path, &json).map_err(|e| match e {
            lambda_sync_spec::Error::Io { source, .. } => io_error("write", path, source),
            other => Error::Io {
                message: format!("cannot write {}: {other}", path.display()),
            },
        })
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

    /// Writes the account as [`FakeAws::to_json`] makes it (the same bytes) to `out`, without
    /// building the whole text in memory first (the account holds every function's zip and
    /// every API's definition: megabytes for a large API). `out` is written through a buffer.
    pub fn write_json(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        use std::io::Write as _;
        let inner = self.lock();
        let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
        serde_json::to_writer_pretty(&mut out, &inner.account)?;
        out.write_all(b"\n")?;
        out.flush()
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
