//! The base path API Gateway reads from a definition for its `prepend` and `split` modes.

use serde_json::Value;

/// The definition's base path as segments: `basePath` (2.0) or the path of `servers[0].url`
/// with its variables replaced by their defaults (3.0), as API Gateway reads it for the
/// `prepend` and `split` basepath modes.
pub fn base_path_segments(document: &Value) -> Vec<String> {
    let raw = if document.get("swagger").is_some() {
        document
            .get("basePath")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    } else {
        let Some(server) = document.pointer("/servers/0") else {
            return Vec::new();
        };
        let mut url = server
            .get("url")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if let Some(vars) = server.get("variables").and_then(Value::as_object) {
            for (name, var) in vars {
                let default = match var.get("default") {
                    Some(Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                    None => String::new(),
                };
                url = url.replace(&format!("{{{name}}}"), &default);
            }
        }
        match url.find("://") {
            Some(i) => {
                let rest = &url[i + 3..];
                rest.find('/')
                    .map(|j| rest[j..].to_string())
                    .unwrap_or_default()
            }
            None => url,
        }
    };
    raw.split(['?', '#'])
        .next()
        .unwrap_or_default()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::base_path_segments;
    use serde_json::json;

    #[test]
    fn from_base_path_or_the_first_server() {
        let v2 = json!({"swagger": "2.0", "basePath": "/v2/pets/"});
        assert_eq!(base_path_segments(&v2), ["v2", "pets"]);
        let v3 = json!({"openapi": "3.0.3", "servers": [{"url": "https://{host}/{v}/x?q=1",
            "variables": {"host": {"default": "h"}, "v": {"default": "v2"}}}]});
        assert_eq!(base_path_segments(&v3), ["v2", "x"]);
        assert!(base_path_segments(&json!({"openapi": "3.0.3"})).is_empty());
    }
}
