//! Readable, valid, non-reserved, unique identifiers for event fields.

use std::collections::HashSet;

use crate::runtime::Family;

/// JavaScript reserved words (ES2024, strict mode and module code), literals, and the globals
/// and parameters a handler uses (`event`, `context`, `JSON`, `Error`, ...), which a `const`
/// of the same name would shadow.
const JS_RESERVED: &[&str] = &[
    // Keywords and future reserved words (strict mode and modules included).
    "arguments",
    "as",
    "async",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "eval",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "from",
    "function",
    "get",
    "if",
    "implements",
    "import",
    "in",
    "instanceof",
    "interface",
    "let",
    "new",
    "null",
    "of",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "set",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
    // Global values and objects a stub (or its user) relies on.
    "Array",
    "Boolean",
    "Buffer",
    "Date",
    "Error",
    "Infinity",
    "JSON",
    "Map",
    "Math",
    "NaN",
    "Number",
    "Object",
    "Promise",
    "Reflect",
    "RegExp",
    "Set",
    "String",
    "Symbol",
    "TypeError",
    "URL",
    "console",
    "exports",
    "globalThis",
    "module",
    "process",
    "require",
    "undefined",
    "__dirname",
    "__filename",
    // The handler's own names.
    "context",
    "event",
    "handler",
];

/// Python keywords, soft keywords and builtins (3.6–3.14), and the names a handler uses.
const PY_RESERVED: &[&str] = &[
    // Keywords.
    "False",
    "None",
    "True",
    "and",
    "as",
    "assert",
    "async",
    "await",
    "break",
    "class",
    "continue",
    "def",
    "del",
    "elif",
    "else",
    "except",
    "finally",
    "for",
    "from",
    "global",
    "if",
    "import",
    "in",
    "is",
    "lambda",
    "nonlocal",
    "not",
    "or",
    "pass",
    "raise",
    "return",
    "try",
    "while",
    "with",
    "yield",
    // Soft keywords.
    "_",
    "case",
    "match",
    "type",
    // Builtins (lower-case ones: generated names are lower-case).
    "abs",
    "aiter",
    "all",
    "anext",
    "any",
    "ascii",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "copyright",
    "credits",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "exit",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "license",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "quit",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "vars",
    "zip",
    "__build_class__",
    "__debug__",
    "__doc__",
    "__import__",
    "__loader__",
    "__name__",
    "__package__",
    "__spec__",
    "__file__",
    "__builtins__",
    // Modules and names the handler uses.
    "context",
    "event",
    "json",
    "lambda_handler",
];

/// Whether `name` may not be used as a variable name in `family`'s handler.
pub fn is_reserved(family: Family, name: &str) -> bool {
    match family {
        Family::Node => JS_RESERVED.contains(&name),
        Family::Python => PY_RESERVED.contains(&name),
    }
}

/// Whether `key` can follow a `.` in JavaScript (`event.key`): an ASCII identifier name.
pub fn is_js_property_name(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// Splits a name into words at non-alphanumeric characters and at case changes
/// (`X-Request-ID` → `X`, `Request`, `ID`; `HTTPMethod` → `HTTP`, `Method`;
/// `petId` → `pet`, `Id`). Only ASCII letters and digits are kept.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    for run in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = run.chars().collect();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let boundary = c.is_ascii_uppercase()
                && prev.is_some_and(|p| {
                    p.is_ascii_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
                });
            if boundary && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            word.push(c);
        }
        if !word.is_empty() {
            words.push(word);
        }
    }
    words
}

/// The readable identifier for `name` in `family`'s conventions (camelCase for JavaScript,
/// snake_case for Python), before reserved-word and uniqueness adjustments. Always a valid
/// ASCII identifier; `"param"` when nothing usable is left.
pub fn base_identifier(family: Family, name: &str) -> String {
    let words = words(name);
    let mut ident = match family {
        Family::Node => {
            let mut s = String::new();
            for (i, w) in words.iter().enumerate() {
                let lower = w.to_ascii_lowercase();
                if i == 0 {
                    s.push_str(&lower);
                } else {
                    let mut cs = lower.chars();
                    if let Some(f) = cs.next() {
                        s.push(f.to_ascii_uppercase());
                        s.push_str(cs.as_str());
                    }
                }
            }
            s
        }
        Family::Python => words
            .iter()
            .map(|w| w.to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join("_"),
    };
    if ident.is_empty() {
        ident.push_str("param");
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    ident
}

/// Hands out identifiers that are unique within one handler.
#[derive(Debug)]
pub struct Namer {
    family: Family,
    used: HashSet<String>,
}

impl Namer {
    /// A namer for one handler in `family`.
    pub fn new(family: Family) -> Namer {
        Namer {
            family,
            used: HashSet::new(),
        }
    }

    /// A fresh identifier for `name`: readable, valid, not reserved, not handed out before
    /// (`class` → `class_`; a second `petId` → `petId2`).
    pub fn name(&mut self, name: &str) -> String {
        let mut base = base_identifier(self.family, name);
        if is_reserved(self.family, &base) {
            base.push('_');
        }
        let mut candidate = base.clone();
        let mut n = 2u32;
        while self.used.contains(&candidate) || is_reserved(self.family, &candidate) {
            candidate = format!("{base}{n}");
            n += 1;
        }
        self.used.insert(candidate.clone());
        candidate
    }
}
