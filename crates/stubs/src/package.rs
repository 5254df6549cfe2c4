//! Deterministic zip packages and Lambda's `CodeSha256`.

use std::io::{Cursor, Write};

use base64::Engine;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::{Error, Result};
use crate::render::Stub;

/// The permissions of the handler file in the archive (`rw-r--r--`; Lambda needs it readable).
pub const FILE_MODE: u32 = 0o644;

/// Packages `stub` as a zip archive holding exactly its handler file.
///
/// The archive is deterministic: one entry, stored (no compression), dated 1980-01-01 00:00,
/// mode 0644, Unix "made by", no extra fields — so the same stub always gives the same bytes
/// and the same [`code_sha256`].
pub fn package(stub: &Stub) -> Result<Vec<u8>> {
    let err = |e: &dyn std::fmt::Display| Error::Zip {
        file: stub.file_name.clone(),
        message: e.to_string(),
    };
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::DEFAULT)
        .unix_permissions(FILE_MODE)
        .system(zip::System::Unix)
        .large_file(false);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file(stub.file_name.as_str(), options)
        .map_err(|e| err(&e))?;
    zip.write_all(stub.source.as_bytes()).map_err(|e| err(&e))?;
    let cursor = zip.finish().map_err(|e| err(&e))?;
    Ok(cursor.into_inner())
}

/// The base64 of the SHA-256 of `zip`: what Lambda reports as the function's `CodeSha256`.
pub fn code_sha256(zip: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(zip))
}
