//! Writing a function's code folder all or nothing: from its stub, or unpacked from the
//! deployment package the account stores.

use anyhow::Context as _;
use std::collections::HashSet;
use std::ffi::OsString;
use std::io::Read as _;
use std::path::Path;

/// What marks a folder being written (`.NAME.partial-PID`): never a function's name (those
/// have no dots).
const PARTIAL: &str = ".partial-";

/// Removes the folders a killed run left half written in `root` (the caller holds the state
/// folder's lock, so no other run is writing there), and returns the names of the other
/// entries (empty when `root` does not exist).
pub fn remove_partial_folders(root: &Path) -> HashSet<OsString> {
    let mut names = HashSet::new();
    for entry in std::fs::read_dir(root).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let text = name.to_string_lossy();
        if text.starts_with('.') && text.contains(PARTIAL) {
            let _ = std::fs::remove_dir_all(entry.path());
        } else {
            names.insert(name);
        }
    }
    names
}

fn write_files(dir: &Path, files: &[(&str, &[u8])]) -> anyhow::Result<()> {
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// Writes many function folders into one `root`, each all or nothing (as [`unzip_into`]
/// writes one), with the fewest file system calls: `root` is created once (not once per folder),
/// and no leftover partial folder is looked for (the caller removed them all with
/// [`remove_partial_folders`] under the state folder's lock). A folder is then a `mkdir`, a
/// create and write per file, and a `rename`.
pub struct FolderWriter<'a> {
    root: &'a Path,
    /// Whether `root` is known to exist.
    ready: bool,
    /// The partial folders' suffix (`.partial-PID`).
    suffix: String,
}

impl<'a> FolderWriter<'a> {
    /// A writer of folders in `root` (created when the first folder is written).
    pub fn new(root: &'a Path) -> FolderWriter<'a> {
        FolderWriter {
            root,
            ready: false,
            suffix: format!("{PARTIAL}{}", std::process::id()),
        }
    }

    /// Writes the folder `root/name` (which must not exist) with `files`: into a partial
    /// folder beside it, renamed into place when complete, so that a run killed half way
    /// leaves no `name` folder (which a later run would trust), never a half-written one.
    pub fn write_folder(&mut self, name: &str, files: &[(&str, &[u8])]) -> anyhow::Result<()> {
        if !self.ready {
            std::fs::create_dir_all(self.root)
                .with_context(|| format!("creating {}", self.root.display()))?;
            self.ready = true;
        }
        let dir = self.root.join(name);
        let tmp = self.root.join(format!(".{name}{}", self.suffix));
        let result = std::fs::create_dir(&tmp)
            .with_context(|| format!("creating {}", tmp.display()))
            .and_then(|()| write_files(&tmp, files))
            .and_then(|()| {
                std::fs::rename(&tmp, &dir)
                    .with_context(|| format!("moving {} to {}", tmp.display(), dir.display()))
            });
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        result
    }
}

/// Fills a sibling folder of `dir` with `fill`, then renames it to `dir`: a run killed half way
/// leaves no `dir` (and a partial folder [`remove_partial_folders`] removes), never a half one.
fn in_place(dir: &Path, fill: impl FnOnce(&Path) -> anyhow::Result<()>) -> anyhow::Result<()> {
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("function");
    let tmp = parent.join(format!(".{name}{PARTIAL}{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = std::fs::create_dir(&tmp)
        .with_context(|| format!("creating {}", tmp.display()))
        .and_then(|()| fill(&tmp))
        .and_then(|()| {
            std::fs::rename(&tmp, dir)
                .with_context(|| format!("moving {} to {}", tmp.display(), dir.display()))
        });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

/// Unpacks `zip` into the folder `dir`, which must not exist: the files are written into a
/// sibling folder first, which is renamed into place, so that a failure leaves nothing half
/// written. Entries whose names leave the folder (`../x`, absolute paths) are refused.
pub fn unzip_into(zip: &[u8], dir: &Path) -> anyhow::Result<()> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(zip)).context("the package is not a zip")?;
    in_place(dir, |tmp| {
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i)?;
            let Some(rel) = entry.enclosed_name() else {
                anyhow::bail!("entry {:?} leaves the folder", entry.name());
            };
            let path = tmp.join(rel);
            if entry.is_dir() {
                std::fs::create_dir_all(&path)?;
                continue;
            }
            if let Some(p) = path.parent() {
                std::fs::create_dir_all(p)?;
            }
            let mut bytes = Vec::with_capacity(entry.size() as usize);
            entry.read_to_end(&mut bytes)?;
            std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_written_whole_and_partial_ones_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("functions/us-east-1/123456789012");
        // Nothing there yet: no names, and the root is not created by looking.
        assert!(remove_partial_folders(&root).is_empty());
        assert!(!root.exists());
        let mut writer = FolderWriter::new(&root);
        writer
            .write_folder("getUser", &[("index.mjs", b"export {}\n")])
            .unwrap();
        writer
            .write_folder("listUsers", &[("index.mjs", b"a"), ("README", b"b")])
            .unwrap();
        assert_eq!(
            std::fs::read(root.join("getUser/index.mjs")).unwrap(),
            b"export {}\n"
        );
        assert_eq!(std::fs::read(root.join("listUsers/README")).unwrap(), b"b");
        // A folder that cannot be written completely leaves nothing behind.
        let failed = writer.write_folder("broken", &[("index.mjs", b"a"), ("no/such/dir", b"b")]);
        assert!(failed.is_err());
        assert!(!root.join("broken").exists());
        // A folder an earlier run left half written is removed; the others are named.
        std::fs::create_dir(root.join(".deleteUser.partial-1")).unwrap();
        std::fs::write(root.join(".deleteUser.partial-1/index.mjs"), b"half").unwrap();
        let names = remove_partial_folders(&root);
        let mut names: Vec<_> = names
            .into_iter()
            .map(|n| n.into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["getUser", "listUsers"]);
        assert!(!root.join(".deleteUser.partial-1").exists());
    }
}
