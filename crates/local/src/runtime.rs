//! Running a function's code in a node or python3 child process.

use std::io::{Cursor, Read as _};
use std::path::{Component, Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt as _;

use crate::{Error, Result};

const NODE_SHIM: &str = include_str!("shims/node.cjs");
const PYTHON_SHIM: &str = include_str!("shims/python.py");

/// The most log text kept per invocation.
const MAX_LOG: u64 = 1 << 20;

/// Which interpreter runs a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Language {
    Node,
    Python,
}

impl Language {
    pub fn of_runtime(runtime: &str) -> Option<Language> {
        if runtime.starts_with("nodejs") {
            Some(Language::Node)
        } else if runtime.starts_with("python3") {
            Some(Language::Python)
        } else {
            None
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
    /// The process ran past the timeout and was killed.
    Timeout,
    /// The process ended without a result (exit code, if any).
    Crash(Option<i32>),
}

/// The outcome and the log of one invocation.
#[derive(Debug, Clone)]
pub(crate) struct Invocation {
    pub outcome: Outcome,
    pub logs: String,
}

/// Everything needed to run one function once.
#[derive(Debug)]
pub(crate) struct Job<'a> {
    pub language: Language,
    pub program: &'a Path,
    pub code_dir: &'a Path,
    pub handler: &'a str,
    pub function_name: &'a str,
    pub function_arn: &'a str,
    pub request_id: &'a str,
    pub event: &'a [u8],
    pub timeout: Duration,
}

/// Writes `contents` to `path` unless it is already there, atomically (temp file + rename),
/// so concurrent writers never expose a torn file.
fn write_once(path: &Path, contents: &[u8]) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    let dir = path.parent().expect("a file in a directory");
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    let temp = dir.join(format!(".tmp-{}-{}", std::process::id(), fastrand::u64(..)));
    std::fs::write(&temp, contents).map_err(|e| Error::io("write", &temp, e))?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        Error::io("write", path, e)
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

fn read_log(path: &Path) -> String {
    let Ok(file) = std::fs::File::open(path) else {
        return String::new();
    };
    let mut data = Vec::new();
    let _ = file.take(MAX_LOG).read_to_end(&mut data);
    let mut text = String::from_utf8_lossy(&data).into_owned();
    if data.len() as u64 >= MAX_LOG {
        text.push_str("\n[lambda-sync: log truncated]\n");
    }
    text
}

struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs one invocation in a fresh working directory under `cache_dir/invocations`.
pub(crate) async fn run(cache_dir: &Path, job: Job<'_>) -> Result<Invocation> {
    let shim = shim_path(cache_dir, job.language)?;
    let work = cache_dir.join("invocations").join(job.request_id);
    std::fs::create_dir_all(&work).map_err(|e| Error::io("create", &work, e))?;
    // Removes the scratch files however the invocation ends (also when it is cancelled).
    let _cleanup = RemoveOnDrop(work.clone());
    let outcome = run_in(&work, &shim, &job).await;
    let logs = read_log(&work.join("log"));
    Ok(Invocation {
        outcome: outcome?,
        logs,
    })
}

async fn run_in(work: &Path, shim: &Path, job: &Job<'_>) -> Result<Outcome> {
    let log_path = work.join("log");
    let result_path = work.join("result.json");
    let error_path = work.join("error.json");
    let log = std::fs::File::create(&log_path).map_err(|e| Error::io("create", &log_path, e))?;
    let log_err = log
        .try_clone()
        .map_err(|e| Error::io("create", &log_path, e))?;
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis();
    let context = serde_json::json!({
        "requestId": job.request_id,
        "functionName": job.function_name,
        "invokedFunctionArn": job.function_arn,
        "memoryLimitInMB": 128,
        "deadlineMs": (now_ms + job.timeout.as_millis()).to_string(),
    });
    let mut command = tokio::process::Command::new(job.program);
    command
        .arg(shim)
        .arg(job.code_dir)
        .arg(job.handler)
        .arg(&result_path)
        .arg(&error_path)
        .arg(context.to_string())
        .current_dir(job.code_dir)
        .env("AWS_LAMBDA_FUNCTION_NAME", job.function_name)
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("LAMBDA_TASK_ROOT", job.code_dir)
        .env("_HANDLER", job.handler)
        .env("PYTHONUNBUFFERED", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(log_err))
        .kill_on_drop(true);
    let mut child = command.spawn().map_err(|source| Error::Spawn {
        program: job.program.to_path_buf(),
        source,
    })?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let event = job.event.to_vec();
    // Written concurrently: an event larger than the pipe buffer must not block the wait.
    let writer = tokio::spawn(async move {
        let _ = stdin.write_all(&event).await;
        let _ = stdin.shutdown().await;
    });
    let status = match tokio::time::timeout(job.timeout, child.wait()).await {
        Ok(status) => status.map_err(|e| Error::io("wait for", job.program, e))?,
        Err(_) => {
            let _ = child.start_kill();
            let _ = child.wait().await;
            writer.abort();
            return Ok(Outcome::Timeout);
        }
    };
    writer.abort();
    if let Ok(text) = std::fs::read_to_string(&error_path) {
        let value = serde_json::from_str(&text).unwrap_or_else(
            |_| serde_json::json!({ "errorMessage": text, "errorType": "Runtime.Unknown" }),
        );
        return Ok(Outcome::Error(value));
    }
    if status.success()
        && let Ok(text) = std::fs::read_to_string(&result_path)
    {
        return Ok(Outcome::Success(text));
    }
    Ok(Outcome::Crash(status.code()))
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
