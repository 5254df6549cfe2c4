//! One-file zip packages for tests and the conformance suite, written by the `zip` crate.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// A valid zip archive holding one file, stored uncompressed with a fixed timestamp, so the same
/// input always gives the same bytes. Handy for tests and for the conformance suite; real
/// packages come from the stubs crate, whose `package` writes the same bytes for the same file
/// (one entry, stored, dated 1980-01-01 00:00, mode 0644, Unix "made by", no extra fields).
///
/// ```
/// let zip = lambda_sync_aws::minimal_zip("index.js", b"exports.handler = async () => ({});");
/// assert!(zip.starts_with(b"PK\x03\x04"));
/// ```
///
/// # Panics
///
/// When the name or the contents do not fit a classic (non-zip64) archive.
pub fn minimal_zip(file_name: &str, contents: &[u8]) -> Vec<u8> {
    assert!(
        u16::try_from(file_name.len()).is_ok(),
        "file name too long for a zip"
    );
    assert!(
        u32::try_from(contents.len()).is_ok_and(|n| n < u32::MAX),
        "contents too large for a zip"
    );
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::DEFAULT)
        .unix_permissions(0o644)
        .system(zip::System::Unix)
        .large_file(false);
    let mut zip = ZipWriter::new(Cursor::new(Vec::with_capacity(
        contents.len() + 2 * file_name.len() + 100,
    )));
    // Writing to memory cannot fail once the sizes fit (checked above).
    zip.start_file(file_name, options)
        .expect("a stored zip entry in memory");
    zip.write_all(contents)
        .expect("a stored zip entry in memory");
    zip.finish()
        .expect("a stored zip archive in memory")
        .into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn deterministic() {
        assert_eq!(minimal_zip("a", b"x"), minimal_zip("a", b"x"));
        assert!(minimal_zip("a", b"x").ends_with(&[0, 0]));
    }

    #[test]
    fn reads_back_with_its_name_contents_and_mode() {
        let cases: [(&str, &[u8]); 3] = [
            ("index.js", b"exports.handler = async () => ({});"),
            ("lambda_function.py", b""),
            ("dir/\u{e9}.txt", &[0, 255, 10, 13]),
        ];
        for (name, contents) in cases {
            let bytes = minimal_zip(name, contents);
            let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
            assert_eq!(archive.len(), 1);
            let mut entry = archive.by_index(0).unwrap();
            assert_eq!(entry.name().unwrap(), name);
            assert_eq!(entry.compression(), CompressionMethod::Stored);
            assert_eq!(entry.unix_mode(), Some(0o100644));
            assert_eq!(entry.last_modified(), Some(DateTime::DEFAULT));
            let mut read = Vec::new();
            entry.read_to_end(&mut read).unwrap();
            assert_eq!(read, contents);
        }
    }
}
