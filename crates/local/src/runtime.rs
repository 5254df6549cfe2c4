//! Languages, runtime shims and functions' code on disk (packages extracted once, edited
//! folders fingerprinted).

use std::io::{Cursor, Read as _};
use std::path::{Component, Path, PathBuf};
use std::time::UNIX_EPOCH;

use sha2::{Digest, Sha256};

use crate::{Error, Result};

const NODE_SHIM: &str = include_str!("shims/node.cjs");
const PYTHON_SHIM: &str = include_str!("shims/python.py");

/// Which interpreter runs a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Language {
    Node,
    Python,
}

impl Language {
    /// The interpreter of a runtime the catalogue ([`lambda_sync_aws::runtimes`]) knows.
    pub fn of_runtime(runtime: &str) -> Option<Language> {
        use lambda_sync_aws::runtimes::{Family, runtime as find};
        match find(runtime)?.family {
            Family::Node => Some(Language::Node),
            Family::Python => Some(Language::Python),
        }
    }
}

/// How one invocation ended.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    /// The handler returned; the JSON text of its result.
    Success(String),
    /// The handler failed; `{"errorMessage", "errorType", ...}`.
    Error(serde_json::Value),
    /// The call ran past the timeout and its environment was ended.
    Timeout,
    /// The environment ended without a result (exit code, if any).
    Crash(Option<i32>),
}

/// Writes `contents` to `path` unless it is already there, atomically
/// ([`lambda_sync_spec::write_atomic`]), so concurrent writers never expose a torn file.
fn write_once(path: &Path, contents: &[u8]) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    let dir = path.parent().expect("a file in a directory");
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    lambda_sync_spec::write_atomic(path, contents).map_err(|e| match e {
        lambda_sync_spec::Error::Io { source, .. } => Error::io("write", path, source),
        other => Error::io("write", path, std::io::Error::other(other.to_string())),
    })
}

fn short_hash(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The shim of `language`, written to the cache dir (named by its hash, so an upgraded shim
/// never reuses a stale file).
pub(crate) fn shim_path(cache_dir: &Path, language: Language) -> Result<PathBuf> {
    let (source, ext) = match language {
        Language::Node => (NODE_SHIM, "cjs"),
        Language::Python => (PYTHON_SHIM, "py"),
    };
    let path = cache_dir
        .join("runtime")
        .join(format!("shim-{}.{ext}", short_hash(source.as_bytes())));
    write_once(&path, source.as_bytes())?;
    Ok(path)
}

/// A path inside the archive that is safe to extract: relative, no `..`, no root or prefix.
fn safe_entry_path(name: &str) -> Option<PathBuf> {
    if name.contains('\\') || name.contains('\0') {
        return None;
    }
    let path = Path::new(name);
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// Extracts `zip` into `cache_dir/code/KEY` (KEY from the package's SHA-256) unless done
/// before, and returns that directory. Entries with `..`, absolute paths or backslashes are
/// refused; only stored (uncompressed) entries can be read.
pub(crate) fn extract(cache_dir: &Path, function: &str, zip: &[u8]) -> Result<PathBuf> {
    let key: String = Sha256::digest(zip)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let target = cache_dir.join("code").join(&key);
    if target.is_dir() {
        return Ok(target);
    }
    let package = |message: String| Error::Package {
        function: function.to_string(),
        message,
    };
    let mut archive =
        zip::ZipArchive::new(Cursor::new(zip)).map_err(|e| package(format!("not a zip: {e}")))?;
    let parent = cache_dir.join("code");
    let temp = parent.join(format!(
        ".tmp-{key}-{}-{}",
        std::process::id(),
        fastrand::u64(..)
    ));
    std::fs::create_dir_all(&temp).map_err(|e| Error::io("create", &temp, e))?;
    let result = (|| {
        for i in 0..archive.len() {
            let mut entry = archive
                .by_index(i)
                .map_err(|e| package(format!("entry {i}: {e}")))?;
            let name = entry
                .name()
                .map_err(|e| package(format!("entry {i}: {e}")))?
                .into_owned();
            let relative = safe_entry_path(&name)
                .ok_or_else(|| package(format!("unsafe entry path {name:?} refused")))?;
            let out = temp.join(&relative);
            if entry.is_dir() {
                std::fs::create_dir_all(&out).map_err(|e| Error::io("create", &out, e))?;
                continue;
            }
            if let Some(dir) = out.parent() {
                std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
            }
            let mut data = Vec::new();
            entry
                .read_to_end(&mut data)
                .map_err(|e| package(format!("{name}: {e}")))?;
            std::fs::write(&out, data).map_err(|e| Error::io("write", &out, e))?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&temp);
        return Err(e);
    }
    if std::fs::rename(&temp, &target).is_err() {
        // Another invocation extracted the same package first.
        let _ = std::fs::remove_dir_all(&temp);
        if !target.is_dir() {
            return Err(package(format!("cannot extract to {}", target.display())));
        }
    }
    Ok(target)
}

/// A digest of the names, sizes and modification times of every file under `dir` (an edit
/// of any file changes it). Unreadable entries count as absent.
pub(crate) fn fingerprint(dir: &Path) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut hasher = std::hash::DefaultHasher::new();
    let mut stack = vec![dir.to_path_buf()];
    let mut entries = Vec::new();
    while let Some(folder) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in read.flatten() {
            let Ok(meta) = entry.metadata() else {
                continue;
            };
            let path = entry.path();
            if meta.is_dir() {
                stack.push(path);
                continue;
            }
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .unwrap_or_default();
            entries.push((path, meta.len(), modified));
        }
    }
    entries.sort();
    entries.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_paths() {
        assert_eq!(safe_entry_path("index.js"), Some(PathBuf::from("index.js")));
        assert_eq!(safe_entry_path("./a/b.js"), Some(PathBuf::from("a/b.js")));
        for bad in ["../x", "a/../../x", "/etc/passwd", "a\\..\\x", "", "."] {
            assert_eq!(safe_entry_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn runtimes() {
        assert_eq!(Language::of_runtime("nodejs22.x"), Some(Language::Node));
        assert_eq!(Language::of_runtime("python3.13"), Some(Language::Python));
        assert_eq!(Language::of_runtime("java21"), None);
    }
}
