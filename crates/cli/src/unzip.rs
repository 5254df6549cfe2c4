//! Writing a function's code folder all or nothing: from its stub, or unpacked from the
//! deployment package the account stores.

use anyhow::Context as _;
use std::io::Read as _;
use std::path::Path;

/// What marks a folder being written (`.NAME.partial-PID`): never a function's name (those
/// have no dots).
const PARTIAL: &str = ".partial-";

/// Removes the folders a killed run left half written in `root` (the caller holds the state
/// folder's lock, so no other run is writing there).
pub fn remove_partial_folders(root: &Path) {
    for entry in std::fs::read_dir(root).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') && name.contains(PARTIAL) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Writes the folder `dir` (which must not exist) with `files`, all or nothing: see
/// [`unzip_into`].
pub fn write_folder(dir: &Path, files: &[(&str, &[u8])]) -> anyhow::Result<()> {
    in_place(dir, |tmp| {
        for (name, bytes) in files {
            let path = tmp.join(name);
            std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    })
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
