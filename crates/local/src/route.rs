//! Matching a request path to a resource the way API Gateway does.

use std::collections::BTreeMap;

use crate::http::percent_decode;

/// The resource tree of an API.
#[derive(Debug, Default)]
pub(crate) struct Router {
    root: Node,
}

#[derive(Debug, Default)]
struct Node {
    /// The index of the resource at this node, if one exists here.
    resource: Option<usize>,
    literal: BTreeMap<String, Node>,
    /// `{name}` child.
    param: Option<(String, Box<Node>)>,
    /// `{name+}` child (always a leaf).
    greedy: Option<(String, Box<Node>)>,
}

/// A matched resource and its path parameters (decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Match {
    pub resource: usize,
    pub params: BTreeMap<String, String>,
}

impl Router {
    /// Builds the tree from resource paths (`/`, `/pets`, `/pets/{id}`, `/{proxy+}`); the
    /// index of each path in `paths` is what a match returns.
    pub fn new<'a>(paths: impl IntoIterator<Item = &'a str>) -> Router {
        let mut root = Node::default();
        for (index, path) in paths.into_iter().enumerate() {
            let mut node = &mut root;
            for part in path.split('/').filter(|p| !p.is_empty()) {
                node = match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                    Some(name) => match name.strip_suffix('+') {
                        Some(name) => {
                            &mut *node
                                .greedy
                                .get_or_insert_with(|| (name.to_string(), Box::default()))
                                .1
                        }
                        None => {
                            &mut *node
                                .param
                                .get_or_insert_with(|| (name.to_string(), Box::default()))
                                .1
                        }
                    },
                    None => node.literal.entry(part.to_string()).or_default(),
                };
            }
            node.resource = Some(index);
        }
        Router { root }
    }

    /// The resource for `path`: literal segments win over `{param}`, which wins over a greedy
    /// `{proxy+}` (which takes one or more segments); when a more specific branch leads
    /// nowhere, the next one is tried. Empty segments (`//`, a trailing `/`) are ignored.
    pub fn find(&self, path: &str) -> Option<Match> {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut params = BTreeMap::new();
        let resource = walk(&self.root, &segments, &mut params)?;
        Some(Match { resource, params })
    }
}

fn walk(node: &Node, segments: &[&str], params: &mut BTreeMap<String, String>) -> Option<usize> {
    let Some((first, rest)) = segments.split_first() else {
        return node.resource;
    };
    let decoded = percent_decode(first);
    if let Some(child) = node.literal.get(&decoded)
        && let Some(found) = walk(child, rest, params)
    {
        return Some(found);
    }
    if let Some((name, child)) = &node.param
        && let Some(found) = walk(child, rest, params)
    {
        params.insert(name.clone(), decoded);
        return Some(found);
    }
    if let Some((name, child)) = &node.greedy
        && let Some(found) = child.resource
    {
        let value: Vec<String> = segments.iter().map(|s| percent_decode(s)).collect();
        params.insert(name.clone(), value.join("/"));
        return Some(found);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_and_literal() {
        let router = Router::new(["/", "/pets"]);
        assert_eq!(router.find("/").unwrap().resource, 0);
        assert_eq!(router.find("").unwrap().resource, 0);
        assert_eq!(router.find("/pets/").unwrap().resource, 1);
        assert!(router.find("/cats").is_none());
    }
}
