//! The loader: bytes or files in, a [`Document`] plus diagnostics out.

use crate::diagnostic::Diagnostic;
use crate::document::{Document, Format};
use crate::error::{Error, Result};
use crate::parse;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A loaded definition and what the loader found wrong with it.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The document, external `$ref`s bundled in.
    pub document: Document,
    /// Problems that did not stop loading: unresolvable `$ref`s, duplicate `operationId`s,
    /// undeclared path parameters, parameters declared twice, ...
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Loads definitions. The defaults suit almost everyone; the `with_*` methods change them.
///
/// ```
/// let loaded = lambda_sync_spec::Loader::new()
///     .with_max_size(1 << 20)
///     .load_str("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n")
///     .unwrap();
/// assert!(loaded.diagnostics.is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct Loader {
    max_size: u64,
    external_refs: bool,
    base_dir: Option<PathBuf>,
    max_external_files: usize,
}

impl Default for Loader {
    fn default() -> Self {
        Loader {
            max_size: 512 * 1024 * 1024,
            external_refs: true,
            base_dir: None,
            max_external_files: 10_000,
        }
    }
}

impl Loader {
    /// A loader with the default settings: 512 MiB size limit, external `$ref`s bundled.
    pub fn new() -> Loader {
        Loader::default()
    }

    /// Refuses inputs larger than `bytes`.
    pub fn with_max_size(mut self, bytes: u64) -> Loader {
        self.max_size = bytes;
        self
    }

    /// Whether external file `$ref`s are bundled (default: yes). When off they are reported.
    pub fn with_external_refs(mut self, on: bool) -> Loader {
        self.external_refs = on;
        self
    }

    /// The folder that external `$ref`s of text loaded with [`Loader::load_str`] or
    /// [`Loader::load_bytes`] are relative to (files use their own folder).
    pub fn with_base_dir(mut self, dir: impl Into<PathBuf>) -> Loader {
        self.base_dir = Some(dir.into());
        self
    }

    /// The most external files one definition may pull in (default 10,000).
    pub fn with_max_external_files(mut self, n: usize) -> Loader {
        self.max_external_files = n;
        self
    }

    pub(crate) fn max_size(&self) -> u64 {
        self.max_size
    }

    pub(crate) fn max_external_files(&self) -> usize {
        self.max_external_files
    }

    /// Loads a file. The format is detected from the content.
    pub fn load_path(&self, path: impl AsRef<Path>) -> Result<Loaded> {
        let path = path.as_ref();
        let bytes = read_limited(path, self.max_size)?;
        let base = path
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    p.to_path_buf()
                }
            })
            .unwrap_or_else(|| PathBuf::from("."));
        self.load_inner(bytes, Some(path.to_path_buf()), Some(base))
    }

    /// Loads bytes (UTF-8, with or without a byte-order mark, or UTF-16 with one).
    pub fn load_bytes(&self, bytes: &[u8]) -> Result<Loaded> {
        if bytes.len() as u64 > self.max_size {
            return Err(Error::TooLarge {
                size: bytes.len() as u64,
                limit: self.max_size,
            });
        }
        self.load_inner(bytes.to_vec(), None, self.base_dir.clone())
    }

    /// Loads text.
    pub fn load_str(&self, text: &str) -> Result<Loaded> {
        self.load_bytes(text.as_bytes())
    }

    fn load_inner(
        &self,
        bytes: Vec<u8>,
        path: Option<PathBuf>,
        base: Option<PathBuf>,
    ) -> Result<Loaded> {
        let digest = crate::document::digest(&bytes);
        let text = parse::decode(bytes)?;
        let (value, format) = parse::parse(&text)?;
        let mut document = Document::from_value(value, format)?
            .with_source(path.clone(), Some(Arc::new(text)))
            .with_digest(digest);
        let mut diagnostics = Vec::new();
        let mut sites = crate::refs::collect_refs(document.value());
        if self.external_refs {
            let changed = crate::bundle::bundle(
                &mut document,
                &sites,
                path.as_deref(),
                base.as_deref(),
                self,
                &mut diagnostics,
            );
            if changed {
                sites = crate::refs::collect_refs(document.value());
            }
        } else {
            crate::bundle::report_external(&sites, &mut diagnostics);
        }
        crate::checks::check(&document, &sites, &mut diagnostics);
        document.locate(&mut diagnostics);
        Ok(Loaded {
            document,
            diagnostics,
        })
    }
}

/// Reads a file, refusing it before reading when it is larger than `limit`.
pub(crate) fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other("is a directory, not a definition file"),
        });
    }
    if meta.len() > limit {
        return Err(Error::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    // The size the metadata gives can be wrong (a device such as /dev/zero says 0, a pipe has
    // none, a file can grow): read at most one byte more than the limit.
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Loads a file with the default [`Loader`].
///
/// ```no_run
/// let loaded = lambda_sync_spec::load_path("openapi.yaml")?;
/// for op in loaded.document.operations() {
///     println!("{} {}", op.method, op.path);
/// }
/// # Ok::<(), lambda_sync_spec::Error>(())
/// ```
pub fn load_path(path: impl AsRef<Path>) -> Result<Loaded> {
    Loader::new().load_path(path)
}

/// Loads text with the default [`Loader`].
pub fn load_str(text: &str) -> Result<Loaded> {
    Loader::new().load_str(text)
}

/// Loads bytes with the default [`Loader`].
pub fn load_bytes(bytes: &[u8]) -> Result<Loaded> {
    Loader::new().load_bytes(bytes)
}

/// The format a file would be written back in: its own, as detected when it was loaded.
pub fn output_format(document: &Document, path: Option<&Path>) -> Format {
    path.and_then(Format::from_path)
        .unwrap_or_else(|| document.format())
}
