//! Unpacking a function's deployment package into its code folder.

use anyhow::Context as _;
use std::io::Read as _;
use std::path::Path;

/// Unpacks `zip` into the folder `dir`, which must not exist: the files are written into a
/// sibling folder first, which is renamed into place, so that a failure leaves nothing half
/// written. Entries whose names leave the folder (`../x`, absolute paths) are refused.
pub fn unzip_into(zip: &[u8], dir: &Path) -> anyhow::Result<()> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(zip)).context("the package is not a zip")?;
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("function");
    let tmp = parent.join(format!(".{name}.unzipping-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = (|| -> anyhow::Result<()> {
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
        std::fs::rename(&tmp, dir)
            .with_context(|| format!("moving {} to {}", tmp.display(), dir.display()))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}
