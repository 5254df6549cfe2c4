//! The handlebars templates: built in, or overridden from a directory.

use std::collections::BTreeMap;
use std::path::Path;

use handlebars::Handlebars;
use serde::Serialize;

use crate::error::{Error, Result};

/// The built-in templates: `(file name, source)`. A template's name is its file name without
/// `.hbs`; the handler templates are named after the file they produce.
const BUILTIN: &[(&str, &str)] = &[
    ("index.js.hbs", include_str!("../templates/index.js.hbs")),
    ("index.mjs.hbs", include_str!("../templates/index.mjs.hbs")),
    (
        "lambda_function.py.hbs",
        include_str!("../templates/lambda_function.py.hbs"),
    ),
    ("node_body.hbs", include_str!("../templates/node_body.hbs")),
    (
        "node_router.hbs",
        include_str!("../templates/node_router.hbs"),
    ),
    (
        "router_index.js.hbs",
        include_str!("../templates/router_index.js.hbs"),
    ),
    (
        "router_index.mjs.hbs",
        include_str!("../templates/router_index.mjs.hbs"),
    ),
    (
        "router_lambda_function.py.hbs",
        include_str!("../templates/router_lambda_function.py.hbs"),
    ),
    (
        "node_header.hbs",
        include_str!("../templates/node_header.hbs"),
    ),
];

/// A set of stub templates: the built-in ones, some of which a user may have overridden.
///
/// Every template is rendered with HTML escaping off and strict mode on (a variable the view
/// model does not have is an error, not an empty string).
///
/// | file | renders |
/// |---|---|
/// | `index.js.hbs` | CommonJS handler (Node.js 12–16) |
/// | `index.mjs.hbs` | ES module handler (Node.js 18 and later) |
/// | `lambda_function.py.hbs` | Python handler |
/// | `node_header.hbs`, `node_body.hbs` | partials shared by both Node.js templates |
/// | `router_index.js.hbs`, `router_index.mjs.hbs`, `router_lambda_function.py.hbs` | the router of a grouped function (one handler per operation) |
/// | `node_router.hbs` | the partial both Node.js routers render |
#[derive(Debug)]
pub struct Templates {
    registry: Handlebars<'static>,
    /// Template name → where it came from (for error messages).
    origin: BTreeMap<String, String>,
}

fn name_of(file: &str) -> &str {
    file.strip_suffix(".hbs").unwrap_or(file)
}

fn template_error(file: String, e: &handlebars::TemplateError) -> Error {
    let (line, column) = e.pos().map_or((None, None), |(l, c)| (Some(l), Some(c)));
    Error::Template {
        file,
        line,
        column,
        message: e.reason().to_string(),
    }
}

impl Templates {
    fn empty() -> Templates {
        let mut registry = Handlebars::new();
        registry.register_escape_fn(handlebars::no_escape);
        registry.set_strict_mode(true);
        registry.set_prevent_indent(true);
        Templates {
            registry,
            origin: BTreeMap::new(),
        }
    }

    fn add(&mut self, file: &str, origin: String, source: &str) -> Result<()> {
        let name = name_of(file);
        self.registry
            .register_template_string(name, source)
            .map_err(|e| template_error(origin.clone(), &e))?;
        self.origin.insert(name.to_string(), origin);
        Ok(())
    }

    /// The built-in templates.
    pub fn builtin() -> Templates {
        let mut t = Templates::empty();
        for (file, source) in BUILTIN {
            t.add(file, format!("{file} (built-in)"), source)
                .expect("built-in templates parse");
        }
        t
    }

    /// The built-in templates, each overridden by the file of the same name in `dir`.
    ///
    /// Only `*.hbs` files are read (others are ignored); one whose name is not a built-in
    /// template's is an error, so a misspelt override does not go unnoticed. A template that
    /// does not parse is an error naming its file and line.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Templates> {
        let dir = dir.as_ref();
        let io = |path: &Path, source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
            let entry = entry.map_err(|e| io(dir, e))?;
            let file = entry.file_name().to_string_lossy().into_owned();
            if file.ends_with(".hbs") && entry.path().is_file() {
                files.push((file, entry.path()));
            }
        }
        files.sort();
        let mut t = Templates::builtin();
        for (file, path) in files {
            if !BUILTIN.iter().any(|(f, _)| *f == file) {
                return Err(Error::UnknownTemplate {
                    dir: dir.to_path_buf(),
                    file,
                    known: Templates::file_names().map(str::to_string).collect(),
                });
            }
            let source = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
            t.add(&file, path.display().to_string(), &source)?;
        }
        Ok(t)
    }

    /// The file names of the templates that can be overridden.
    pub fn file_names() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(f, _)| *f)
    }

    /// The built-in source of a template file (`"index.mjs.hbs"`), to start an override from.
    pub fn builtin_source(file: &str) -> Option<&'static str> {
        BUILTIN.iter().find(|(f, _)| *f == file).map(|(_, s)| *s)
    }

    /// Renders the template that produces `handler_file` with `data`.
    pub(crate) fn render<T: Serialize>(&self, handler_file: &str, data: &T) -> Result<String> {
        let origin = |name: &str| {
            self.origin
                .get(name)
                .cloned()
                .unwrap_or_else(|| format!("{name}.hbs"))
        };
        self.registry
            .render(handler_file, data)
            .map_err(|e| Error::Render {
                file: origin(e.template_name.as_deref().unwrap_or(handler_file)),
                line: e.line_no,
                column: e.column_no,
                message: e.reason().to_string(),
            })
    }
}

impl Default for Templates {
    fn default() -> Templates {
        Templates::builtin()
    }
}
