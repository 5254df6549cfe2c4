//! What earlier pushes recorded: the API id created for each definition and target.

use crate::error::{Error, Result};
use lambda_sync_aws::PolicyStatement;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The statements known on each function of one account and region, by function name.
pub type PolicyCache = BTreeMap<String, Vec<PolicyStatement>>;

/// The state file (`.lambda-sync/state.json`): API ids by key (target, region, account and
/// definition), so that a second push of the same definition updates the API the first created;
/// and the statements known on each function, by account key (target, region, account), so
/// that a re-push reads no policy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// API id by key.
    pub apis: BTreeMap<String, String>,
    /// Imports that were about to be made, by key, and not recorded as done yet: a push that
    /// was killed after its import left one (see [`Engine::adopt`](crate::Engine::adopt)).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pending: BTreeMap<String, crate::ImportIntent>,
    /// Known policy statements by [`State::account_key`], then function name. A cache: a push
    /// with `--refresh`, or without an entry for its account and region, reads every policy.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub policies: BTreeMap<String, PolicyCache>,
}

impl State {
    /// The key of one definition on one target.
    pub fn key(target: &str, region: &str, account: &str, definition: &str) -> String {
        format!("{target}:{region}:{account}:{definition}")
    }

    /// The key of one account and region on one target (the policy cache's key).
    pub fn account_key(target: &str, region: &str, account: &str) -> String {
        format!("{target}:{region}:{account}")
    }

    /// Records what a push learnt about policies: for each function the push `used`, its
    /// statements in `known`, or (when `known` does not have it: a call failed, a statement
    /// was found already there) no entry, so that the next push reads it. Other functions'
    /// entries stay. Returns whether anything changed.
    pub fn record_policies<'a>(
        &mut self,
        account_key: &str,
        used: impl IntoIterator<Item = &'a str>,
        known: &PolicyCache,
    ) -> bool {
        let cache = self.policies.entry(account_key.to_string()).or_default();
        let mut changed = false;
        for function in used {
            match known.get(function) {
                Some(statements) if cache.get(function) != Some(statements) => {
                    cache.insert(function.to_string(), statements.clone());
                    changed = true;
                }
                Some(_) => {}
                None => changed |= cache.remove(function).is_some(),
            }
        }
        changed
    }

    /// Loads the state file; a missing file is an empty state, a corrupt one an error.
    pub fn load(path: &Path) -> Result<State> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::State {
                path: path.to_path_buf(),
                message: format!("corrupt state file ({e}); delete it to start afresh"),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
            Err(e) => Err(Error::State {
                path: path.to_path_buf(),
                message: e.to_string(),
            }),
        }
    }

    /// The state as [`State::save`] writes it.
    pub fn to_json(&self) -> Vec<u8> {
        let mut text = serde_json::to_string_pretty(self).expect("state serialises");
        text.push('\n');
        text.into_bytes()
    }

    /// Writes the state as [`State::to_json`] makes it (the same bytes) to `out`, through a
    /// buffer.
    pub fn write_json(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        use std::io::Write as _;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
        serde_json::to_writer_pretty(&mut out, self)?;
        out.write_all(b"\n")?;
        out.flush()
    }

    /// Saves the state atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::State {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
        }
        let mut text = serde_json::to_string_pretty(self).expect("state serialises");
        text.push('\n');
        lambda_sync_spec::write_atomic(path, text.as_bytes()).map_err(|e| Error::State {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    }
}

/// The state folder (`.lambda-sync/`), held under a file lock for as long as this value lives:
/// exclusively by a command that writes it, shared by one that only reads it. The lock is the
/// operating system's (`flock` on Unix), so a killed process releases it.
///
/// Files are written in pairs with [`StateDir::commit`]: the local account and `state.json`
/// change together or not at all, even when the process is killed half way (the next
/// [`StateDir::open`] finishes or drops the half-written pair).
#[derive(Debug)]
pub struct StateDir {
    dir: PathBuf,
    // Held for the lock; closed (and so unlocked) on drop. None: a reader of a folder that
    // does not exist (there is nothing to read, and a reader creates nothing).
    _lock: Option<std::fs::File>,
    /// Held exclusively (the folder may be written).
    writes: bool,
}

/// How [`StateDir::open`] takes the lock when another process holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockMode {
    /// Exclusive, for a command that writes; wait for the other process.
    Write,
    /// Exclusive, for a command that writes; fail at once if another process holds it.
    WriteNoWait,
    /// Shared with other readers, for a command that only reads; waits for a writer.
    Read,
}

/// The folder of the local functions' code inside the state folder.
const FUNCTIONS_DIR: &str = "functions";
/// The marker of the per-account layout of [`FUNCTIONS_DIR`] (a name no function can have).
const FUNCTIONS_LAYOUT: &str = ".layout";
const FUNCTIONS_LAYOUT_TEXT: &str =
    "functions/REGION/ACCOUNT/NAME/: the code of each function of each local account\n";

/// Writes one file of a [`StateDir::commit_with`] to the writer it is given.
pub type FileWriter<'a> = Box<dyn FnOnce(&mut dyn std::io::Write) -> std::io::Result<()> + 'a>;

/// The name of the lock file inside the state folder.
pub const LOCK_FILE: &str = "lock";
/// The marker of a commit in progress: while it exists, the `*.pending` files are the truth.
const COMMIT_MARKER: &str = "commit";
const PENDING: &str = ".pending";

fn state_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::State {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

impl StateDir {
    /// Opens (creating) the state folder `dir` and takes its lock. When another process holds
    /// it, `on_wait` is called once (with a line saying who holds it) before waiting; with
    /// [`LockMode::WriteNoWait`] that is an error instead. A commit that a killed process left
    /// half done is finished (or, if it had not been committed yet, dropped).
    pub fn open(dir: &Path, mode: LockMode, on_wait: impl FnOnce(&str)) -> Result<StateDir> {
        use std::fs::{File, OpenOptions, TryLockError};
        if mode == LockMode::Read && !dir.is_dir() {
            return Ok(StateDir {
                dir: dir.to_path_buf(),
                _lock: None,
                writes: false,
            });
        }
        std::fs::create_dir_all(dir).map_err(|e| state_err(dir, e))?;
        let path = dir.join(LOCK_FILE);
        let file: File = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| state_err(&path, e))?;
        let attempt = match mode {
            LockMode::Read => file.try_lock_shared(),
            LockMode::Write | LockMode::WriteNoWait => file.try_lock(),
        };
        match attempt {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = std::fs::read_to_string(&path).unwrap_or_default();
                let holder = holder.trim();
                let who = if holder.is_empty() {
                    "another lambda-sync".to_string()
                } else {
                    format!("another lambda-sync ({holder})")
                };
                if mode == LockMode::WriteNoWait {
                    return Err(state_err(
                        dir,
                        format!(
                            "the state folder is locked by {who}; wait for it to finish, or run without --no-wait to wait"
                        ),
                    ));
                }
                on_wait(&format!(
                    "waiting for {who}, which holds the lock on {}",
                    dir.display()
                ));
                match mode {
                    LockMode::Read => file.lock_shared(),
                    _ => file.lock(),
                }
                .map_err(|e| state_err(&path, e))?;
            }
            Err(TryLockError::Error(e)) => return Err(state_err(&path, e)),
        }
        if mode != LockMode::Read {
            // Who holds it, for the message of the next one to wait.
            use std::io::{Seek, Write};
            let mut f = &file;
            let _ = f.set_len(0);
            let _ = f.seek(std::io::SeekFrom::Start(0));
            let _ = write!(f, "pid {}", std::process::id());
        }
        let state = StateDir {
            dir: dir.to_path_buf(),
            _lock: Some(file),
            writes: mode != LockMode::Read,
        };
        if mode != LockMode::Read {
            state.recover()?;
        }
        Ok(state)
    }

    /// The folder of the local functions' code of one account, `functions/REGION/ACCOUNT/`
    /// (a `NAME/` folder per function), so that two regions or accounts in one state folder
    /// never share code. A folder of the earlier layout (`functions/NAME/`, shared by every
    /// account) is moved whole under the account of `account.json` (the one it was written
    /// for first) when a writer opens it; each step is a rename, so a killed migration is
    /// finished by the next writer and no code is lost. A reader of an unmigrated folder is
    /// given the old folder for that account.
    pub fn functions_dir(&self, region: &str, account: &str) -> Result<PathBuf> {
        let root = self.dir.join(FUNCTIONS_DIR);
        if self.writes {
            self.migrate_functions()?;
        } else if root.is_dir() && !root.join(FUNCTIONS_LAYOUT).exists() {
            let main = lambda_sync_aws::FakeAws::load(self.dir.join("account.json")).ok();
            if main.is_none_or(|f| f.region() == region && f.account_id() == account) {
                return Ok(root);
            }
        }
        Ok(root.join(region).join(account))
    }

    /// Moves `functions/` of the earlier layout under its account (see
    /// [`StateDir::functions_dir`]), or finishes a move a killed process left half done.
    fn migrate_functions(&self) -> Result<()> {
        let root = self.dir.join(FUNCTIONS_DIR);
        let old = self.dir.join(format!("{FUNCTIONS_DIR}-migrating"));
        let new = self.dir.join(format!("{FUNCTIONS_DIR}.new"));
        let rename = |from: &Path, to: &Path| {
            std::fs::rename(from, to)
                .map_err(|e| state_err(from, format!("moving it to {}: {e}", to.display())))
        };
        if root.is_dir() && !root.join(FUNCTIONS_LAYOUT).exists() {
            // 1. The old folder aside (`functions` no longer exists until step 4).
            rename(&root, &old)?;
        }
        if !old.exists() && !new.exists() {
            if !root.exists() {
                // A new folder: the new layout from the start.
                std::fs::create_dir_all(&root).map_err(|e| state_err(&root, e))?;
                std::fs::write(root.join(FUNCTIONS_LAYOUT), FUNCTIONS_LAYOUT_TEXT)
                    .map_err(|e| state_err(&root, e))?;
            }
            return Ok(());
        }
        let (region, account) = match lambda_sync_aws::FakeAws::load(self.dir.join("account.json"))
        {
            Ok(f) => (f.region(), f.account_id()),
            Err(_) => (
                crate::config::LOCAL_REGION.to_string(),
                crate::config::LOCAL_ACCOUNT_ID.to_string(),
            ),
        };
        let home = new.join(&region);
        if old.exists() {
            // 2. The new layout beside it, marked; 3. the old folder into its account's place.
            std::fs::create_dir_all(&home).map_err(|e| state_err(&home, e))?;
            std::fs::write(new.join(FUNCTIONS_LAYOUT), FUNCTIONS_LAYOUT_TEXT)
                .map_err(|e| state_err(&new, e))?;
            let target = home.join(&account);
            if target.exists() {
                return Err(state_err(
                    &old,
                    format!(
                        "cannot move it to {}: that folder exists; move the function folders by hand",
                        target.display()
                    ),
                ));
            }
            rename(&old, &target)?;
        }
        // 4. The new layout in place.
        rename(&new, &root)
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The `state.json` of this folder.
    pub fn state_path(&self) -> PathBuf {
        self.dir.join("state.json")
    }

    /// Writes files of the folder (names relative to it) together: either all of them change
    /// or none does, whenever the process is killed. Each is first written in full beside its
    /// target (`NAME.pending`), then a commit marker is created, then each pending file is
    /// renamed over its target and the marker removed. [`StateDir::open`] finishes a commit
    /// whose marker exists and drops pending files without one.
    pub fn commit(&self, files: &[(&str, &[u8])]) -> Result<()> {
        let writers: Vec<(&str, FileWriter<'_>)> = files
            .iter()
            .map(|(name, bytes)| {
                let write: FileWriter<'_> = Box::new(move |out| out.write_all(bytes));
                (*name, write)
            })
            .collect();
        self.commit_with(writers)
    }

    /// [`StateDir::commit`] of files each written by a function (given the pending file, behind
    /// a buffer), so that a large file is never built in memory first.
    ///
    /// A pending file is written in place (created or truncated, written, flushed to disk), not
    /// through a temporary file and a rename: it is trusted only once the commit marker exists,
    /// which is written (atomically) after every pending file is complete; a pending file that a
    /// killed process left half written has no marker and is removed by the next
    /// [`StateDir::open`].
    pub fn commit_with(&self, files: Vec<(&str, FileWriter<'_>)>) -> Result<()> {
        let mut names = Vec::with_capacity(files.len());
        for (name, write) in files {
            let pending = self.dir.join(format!("{name}{PENDING}"));
            let written = std::fs::File::create(&pending).and_then(|file| {
                let mut out = &file;
                write(&mut out)?;
                file.sync_all()
            });
            if let Err(e) = written {
                let _ = std::fs::remove_file(&pending);
                return Err(state_err(&pending, e));
            }
            names.push(name);
        }
        let marker = self.dir.join(COMMIT_MARKER);
        lambda_sync_spec::write_atomic(&marker, names.join("\n").as_bytes())
            .map_err(|e| state_err(&marker, e))?;
        crate::fault::point("state-commit-marked");
        self.finish_commit()
    }

    /// Renames the pending files named in the marker into place, then removes the marker.
    fn finish_commit(&self) -> Result<()> {
        let marker = self.dir.join(COMMIT_MARKER);
        let names = std::fs::read_to_string(&marker).map_err(|e| state_err(&marker, e))?;
        for name in names.lines().filter(|n| !n.is_empty()) {
            let pending = self.dir.join(format!("{name}{PENDING}"));
            if pending.exists() {
                std::fs::rename(&pending, self.dir.join(name))
                    .map_err(|e| state_err(&pending, e))?;
            }
        }
        if let Ok(d) = std::fs::File::open(&self.dir) {
            let _ = d.sync_all();
        }
        std::fs::remove_file(&marker).map_err(|e| state_err(&marker, e))
    }

    /// Finishes a commit that a killed process left marked, or drops its pending files if it
    /// had not been marked.
    fn recover(&self) -> Result<()> {
        if self.dir.join(COMMIT_MARKER).exists() {
            self.finish_commit()?;
        }
        let entries = std::fs::read_dir(&self.dir).map_err(|e| state_err(&self.dir, e))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            // Unmarked pending files, and the temporary files of atomic writes that a killed
            // process left (no one else writes here while the lock is held).
            if name.ends_with(PENDING) || (name.starts_with('.') && name.contains(".tmp")) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        Ok(())
    }

    /// The file name of the local account for `region` and `account`: `account.json` when it
    /// is free or holds that region and account, else `account-REGION-ACCOUNT.json`, so that
    /// another region or account never reuses the first one's functions.
    pub fn account_file(&self, region: &str, account: &str) -> Result<String> {
        self.account_file_loaded(region, account)
            .map(|(file, _)| file)
    }

    /// [`StateDir::account_file`], with the account itself when it is the one that had to be
    /// read to tell (`account.json`, holding that region and account), so that the caller does
    /// not read (and parse) the file a second time. `None`: the caller loads the file named
    /// (which may not exist yet).
    pub fn account_file_loaded(
        &self,
        region: &str,
        account: &str,
    ) -> Result<(String, Option<lambda_sync_aws::FakeAws>)> {
        let main = self.dir.join("account.json");
        Ok(match lambda_sync_aws::FakeAws::load(&main) {
            Err(lambda_sync_aws::Error::NotFound { .. }) => ("account.json".into(), None),
            Ok(f) if f.region() == region && f.account_id() == account => {
                ("account.json".into(), Some(f))
            }
            Ok(_) => (format!("account-{region}-{account}.json"), None),
            Err(e) => return Err(state_err(&main, e)),
        })
    }
}

/// The part of a state key that names the definition: its path relative to the state folder
/// (both made absolute), so that a project folder moved with its state keeps its keys.
pub fn definition_key(state_dir: &Path, definition: &Path) -> String {
    let abs = |p: &Path| {
        p.canonicalize().unwrap_or_else(|_| {
            std::env::current_dir()
                .map(|d| d.join(p))
                .unwrap_or_else(|_| p.to_path_buf())
        })
    };
    let (from, to) = (abs(state_dir), abs(definition));
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut rel = PathBuf::new();
    for _ in common..from.len() {
        rel.push("..");
    }
    for c in &to[common..] {
        rel.push(c.as_os_str());
    }
    rel.to_string_lossy().replace('\\', "/")
}
