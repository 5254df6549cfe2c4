//! The loaded document: an order-preserving JSON value plus what is known about its source.

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::pointer;
use serde_json::Value;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The text format of a definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// JSON.
    Json,
    /// YAML.
    Yaml,
}

impl Format {
    /// The format a file name implies: `.json` → JSON, `.yaml`/`.yml` → YAML.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Format::Json),
            "yaml" | "yml" => Some(Format::Yaml),
            _ => None,
        }
    }

    /// `"JSON"` or `"YAML"`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Yaml => "YAML",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The OpenAPI version of a definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum SpecVersion {
    /// Swagger 2.0.
    #[serde(rename = "2.0")]
    Swagger2,
    /// OpenAPI 3.0.x.
    #[serde(rename = "3.0")]
    OpenApi30,
    /// OpenAPI 3.1.x.
    #[serde(rename = "3.1")]
    OpenApi31,
}

impl SpecVersion {
    /// Whether this is Swagger 2.0.
    pub fn is_v2(self) -> bool {
        self == SpecVersion::Swagger2
    }

    /// Whether this is OpenAPI 3.0 or 3.1.
    pub fn is_v3(self) -> bool {
        !self.is_v2()
    }

    /// `"2.0"`, `"3.0"` or `"3.1"`.
    pub fn label(self) -> &'static str {
        match self {
            SpecVersion::Swagger2 => "2.0",
            SpecVersion::OpenApi30 => "3.0",
            SpecVersion::OpenApi31 => "3.1",
        }
    }

    /// Where named schemas live: `/definitions` or `/components/schemas`.
    pub fn schemas_pointer(self) -> &'static str {
        if self.is_v2() {
            "/definitions"
        } else {
            "/components/schemas"
        }
    }

    /// Detects the version of a parsed definition.
    ///
    /// Accepts `swagger: "2.0"` and `openapi: "3.0.x"`/`"3.1.x"`, also when YAML read the value
    /// as a number (`swagger: 2.0`, `openapi: 3.0`). Anything else is an error naming what was
    /// found.
    pub fn detect(root: &Value) -> Result<(SpecVersion, String)> {
        let obj = match root {
            Value::Object(o) => o,
            other => {
                return Err(Error::Version(format!(
                    "not an OpenAPI definition: the top level is {}, expected an object with a `swagger: \"2.0\"` or `openapi: \"3.x.y\"` key",
                    describe(other)
                )));
            }
        };
        let text = |v: &Value| -> String {
            match v {
                Value::String(s) => s.trim().to_string(),
                Value::Number(n) => {
                    let s = n.to_string();
                    if s.contains('.') { s } else { format!("{s}.0") }
                }
                other => describe(other).to_string(),
            }
        };
        if let Some(v) = obj.get("openapi") {
            let found = text(v);
            let mut parts = found.split('.');
            let (major, minor) = (parts.next(), parts.next());
            let rest_ok = parts.all(|p| !p.is_empty());
            return match (major, minor) {
                (Some("3"), Some("0")) if rest_ok => Ok((SpecVersion::OpenApi30, found)),
                (Some("3"), Some("1")) if rest_ok => Ok((SpecVersion::OpenApi31, found)),
                _ => Err(Error::Version(format!(
                    "unsupported OpenAPI version `openapi: {found}`; lambda-sync reads Swagger 2.0, OpenAPI 3.0.x and 3.1.x"
                ))),
            };
        }
        if let Some(v) = obj.get("swagger") {
            let found = text(v);
            return if found == "2.0" || found == "2" {
                Ok((SpecVersion::Swagger2, found))
            } else {
                Err(Error::Version(format!(
                    "unsupported Swagger version `swagger: {found}`; lambda-sync reads Swagger 2.0, OpenAPI 3.0.x and 3.1.x"
                )))
            };
        }
        if let Some(v) = obj.get("swaggerVersion") {
            return Err(Error::Version(format!(
                "Swagger {} (`swaggerVersion`) is not supported; convert it to OpenAPI 3.0 or Swagger 2.0 first",
                text(v)
            )));
        }
        let keys: Vec<&str> = obj.keys().take(5).map(String::as_str).collect();
        Err(Error::Version(if keys.is_empty() {
            "not an OpenAPI definition: the document is an empty object; it needs a `swagger: \"2.0\"` or `openapi: \"3.x.y\"` key".to_string()
        } else {
            format!(
                "not an OpenAPI definition: no `swagger` or `openapi` key at the top level (found {}); add `openapi: 3.0.3` or `swagger: \"2.0\"`",
                keys.iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }))
    }
}

impl fmt::Display for SpecVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecVersion::Swagger2 => f.write_str("Swagger 2.0"),
            SpecVersion::OpenApi30 => f.write_str("OpenAPI 3.0"),
            SpecVersion::OpenApi31 => f.write_str("OpenAPI 3.1"),
        }
    }
}

pub(crate) fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "empty (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A loaded OpenAPI definition.
///
/// The tree is a [`serde_json::Value`] whose objects keep their keys in document order, so a
/// definition that is loaded and written back keeps every key, in place, with its value.
#[derive(Clone)]
pub struct Document {
    root: Value,
    version: SpecVersion,
    declared_version: String,
    format: Format,
    path: Option<PathBuf>,
    source: Option<Arc<String>>,
    digest: Option<u64>,
}

/// A fingerprint of the bytes a document was read from (to notice that its file changed before
/// writing it back; it lives only as long as the process). FxHash reads 16 bytes a step, a
/// tenth of SipHash's cost on a large file; telling an edited file from the loaded one needs no
/// resistance to deliberate collisions.
pub(crate) fn digest(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    bytes.hash(&mut h);
    h.finish()
}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("version", &self.version)
            .field("format", &self.format)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Document {
    /// Builds a document from a value, detecting its version.
    pub fn from_value(root: Value, format: Format) -> Result<Document> {
        let (version, declared_version) = SpecVersion::detect(&root)?;
        Ok(Document {
            root,
            version,
            declared_version,
            format,
            path: None,
            source: None,
            digest: None,
        })
    }

    pub(crate) fn with_source(
        mut self,
        path: Option<PathBuf>,
        source: Option<Arc<String>>,
    ) -> Self {
        self.path = path;
        self.source = source;
        self
    }

    pub(crate) fn with_digest(mut self, digest: u64) -> Self {
        self.digest = Some(digest);
        self
    }

    /// A fingerprint of the bytes the document was loaded from, when it was loaded from bytes,
    /// text or a file ([`write_back`](crate::write_back) refuses to write when the file no
    /// longer has it).
    pub fn source_digest(&self) -> Option<u64> {
        self.digest
    }

    /// The whole tree.
    pub fn value(&self) -> &Value {
        &self.root
    }

    /// The whole tree, mutably. Changing the version key does not change [`Document::version`].
    pub fn value_mut(&mut self) -> &mut Value {
        &mut self.root
    }

    /// Takes the tree out.
    pub fn into_value(self) -> Value {
        self.root
    }

    /// The detected version.
    pub fn version(&self) -> SpecVersion {
        self.version
    }

    /// The version as written in the document (`"2.0"`, `"3.0.3"`).
    pub fn declared_version(&self) -> &str {
        &self.declared_version
    }

    /// Re-reads the version key (after a transform such as lowering 3.1 to 3.0).
    pub fn refresh_version(&mut self) -> Result<SpecVersion> {
        let (version, declared) = SpecVersion::detect(&self.root)?;
        self.version = version;
        self.declared_version = declared;
        Ok(version)
    }

    /// The format the document was read in (and is written back in).
    pub fn format(&self) -> Format {
        self.format
    }

    /// Changes the format used by [`Document::to_text`].
    pub fn set_format(&mut self, format: Format) {
        self.format = format;
    }

    /// The file the document came from, when it was loaded from one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The source text, when the document was loaded from text.
    pub fn source_text(&self) -> Option<&str> {
        self.source.as_deref().map(String::as_str)
    }

    /// The value at a JSON Pointer.
    pub fn get(&self, pointer: &str) -> Option<&Value> {
        pointer::get(&self.root, pointer)
    }

    /// Resolves a local `$ref` (`#/components/schemas/Pet`, percent-encoded or `~`-escaped).
    pub fn resolve_ref(&self, reference: &str) -> Option<&Value> {
        pointer::get(&self.root, &local_pointer(reference)?)
    }

    /// Follows `$ref`s from `value` until a value without `$ref` is reached.
    ///
    /// Returns the final value and the pointer it was found at (`None` when `value` itself had no
    /// `$ref`). A chain that loops or does not resolve returns `None`.
    pub fn deref<'a>(&'a self, value: &'a Value) -> Option<(&'a Value, Option<String>)> {
        self.deref_with(value, |p| pointer::get(&self.root, p))
    }

    /// [`Document::deref`] with the target of each local pointer found by `resolve` (the views
    /// of set-aside path items resolve `#/paths/...` among those items).
    pub(crate) fn deref_with<'a>(
        &'a self,
        value: &'a Value,
        resolve: impl Fn(&str) -> Option<&'a Value>,
    ) -> Option<(&'a Value, Option<String>)> {
        let mut current = value;
        let mut at = None;
        for _ in 0..64 {
            match current.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    let p = local_pointer(r)?;
                    current = resolve(&p)?;
                    at = Some(p.into_owned());
                }
                None => return Some((current, at)),
            }
        }
        None
    }

    /// The info title (`info.title`), used as the API name.
    pub fn title(&self) -> Option<&str> {
        self.root.pointer("/info/title").and_then(Value::as_str)
    }

    /// The info version (`info.version`).
    pub fn info_version(&self) -> Option<&str> {
        self.root.pointer("/info/version").and_then(Value::as_str)
    }

    /// Fills in `line` and `column` of each diagnostic whose pointer can be found in the source
    /// text. Diagnostics that already have a line, or whose pointer is not in the source (for
    /// example, a key a transform added), are left as they are.
    pub fn locate(&self, diagnostics: &mut [Diagnostic]) {
        let Some(source) = self.source_text() else {
            return;
        };
        let wanted: Vec<&str> = diagnostics
            .iter()
            .filter(|d| d.line.is_none())
            .map(|d| d.pointer.as_str())
            .collect();
        if wanted.is_empty() {
            return;
        }
        let found = crate::position::locate(source, self.format, &wanted);
        for (d, at) in diagnostics
            .iter_mut()
            .filter(|d| d.line.is_none())
            .zip(found)
        {
            if let Some((line, column)) = at {
                d.line = Some(line);
                d.column = Some(column);
            }
        }
    }

    /// Writes the document as text in its own format: JSON with a 2-space indent, or YAML.
    /// Keys keep their order. The text ends with a newline.
    pub fn to_text(&self) -> Result<String> {
        to_text(&self.root, self.format)
    }

    /// Writes the document to `path` atomically in its own format: the text goes to a temporary
    /// file next to `path`, which then replaces `path`, so a crash never leaves half a file.
    pub fn write_to(&self, path: &Path) -> Result<()> {
        write_atomic(path, self.to_text()?.as_bytes())
    }
}

/// The pointer of a local `$ref`; the common case, `#/a/b` without percent-encoding, without
/// allocating.
fn local_pointer(reference: &str) -> Option<std::borrow::Cow<'_, str>> {
    if let Some(p) = reference.strip_prefix('#')
        && (p.is_empty() || p.starts_with('/'))
        && !p.contains('%')
    {
        return Some(std::borrow::Cow::Borrowed(p));
    }
    match pointer::parse_ref(reference)? {
        pointer::Reference::Local(p) => Some(std::borrow::Cow::Owned(p)),
        _ => None,
    }
}

/// Serialises a value as JSON (2-space indent) or YAML, ending with a newline.
pub fn to_text(value: &Value, format: Format) -> Result<String> {
    match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(value).map_err(|e| Error::Write {
                format: "JSON",
                message: e.to_string(),
            })?;
            s.push('\n');
            Ok(s)
        }
        Format::Yaml => serde_yaml::to_string(value).map_err(|e| Error::Write {
            format: "YAML",
            message: e.to_string(),
        }),
    }
}

/// Replaces `path` with `contents` atomically: a temporary file in the same folder
/// (`.NAME.XXXXXX.tmp`, from `tempfile`), flushed to disk, then renamed over `path` with
/// `NamedTempFile::persist`, and the folder flushed so the rename itself is durable. A crash
/// leaves either the old or the new file, never a torn one; the temporary file is removed if
/// anything fails. An existing file keeps its permissions; a new one gets the usual ones (0666
/// less the umask on Unix).
///
/// This is the one atomic write of the workspace: the engine's state, the fake account's file,
/// the local runner's code cache and the CLI's outputs all go through it.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("pets.yaml");
/// lambda_sync_spec::write_atomic(&path, b"openapi: 3.0.3\n")?;
/// lambda_sync_spec::write_atomic(&path, b"openapi: 3.1.0\n")?;
/// assert_eq!(std::fs::read(&path).unwrap(), b"openapi: 3.1.0\n");
/// assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
/// # Ok::<(), lambda_sync_spec::Error>(())
/// ```
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    write_atomic_io(path, contents).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn write_atomic_io(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "definition".into());
    let existing = std::fs::metadata(path).ok().map(|m| m.permissions());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    if existing.is_none() {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    // Dropped (and so removed) on any error below.
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(contents)?;
    if let Some(permissions) = existing {
        file.as_file().set_permissions(permissions)?;
    }
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    // Make the rename durable; not every platform can open a folder.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
