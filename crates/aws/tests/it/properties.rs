//! Properties of the fake's import: it never panics, and the tree it builds is well formed.

use lambda_sync_aws::{ApiGateway, BasePathMode, Error, FakeAws, ImportRestApi};
use proptest::prelude::*;

use crate::block;

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_string()),
        Just("b".to_string()),
        Just("{id}".to_string()),
        Just("{name}".to_string()),
        Just("{proxy+}".to_string()),
        Just("v1.2".to_string()),
        Just("bad seg".to_string()),
        "[a-z]{1,3}",
    ]
}

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec(segment(), 0..4).prop_map(|s| format!("/{}", s.join("/")))
}

fn mode() -> impl Strategy<Value = BasePathMode> {
    prop_oneof![
        Just(BasePathMode::Ignore),
        Just(BasePathMode::Prepend),
        Just(BasePathMode::Split),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bodies_never_panic(body in prop::collection::vec(any::<u8>(), 0..200)) {
        let aws = FakeAws::default();
        let result = block(aws.import_rest_api(ImportRestApi::new(body)));
        prop_assert!(matches!(result, Err(Error::InvalidInput { .. })), "{result:?}");
    }

    #[test]
    fn trees_are_well_formed(paths in prop::collection::vec(path(), 0..6), base in path(), mode in mode()) {
        let paths_json: serde_json::Map<String, serde_json::Value> = paths
            .iter()
            .map(|p| (p.clone(), serde_json::json!({"get": {"responses": {"200": {"description": "ok"}}}})))
            .collect();
        let body = serde_json::json!({
            "swagger": "2.0", "info": {"title": "p"}, "basePath": base, "paths": paths_json,
        });
        let aws = FakeAws::default();
        match block(aws.import_rest_api(ImportRestApi::new(body.to_string()).with_basepath(mode))) {
            Err(Error::InvalidInput { .. }) => {
                prop_assert!(block(aws.list_rest_apis()).unwrap().is_empty());
            }
            Err(e) => prop_assert!(false, "unexpected {e:?}"),
            Ok(api) => {
                let resources = block(aws.get_resources(&api.id)).unwrap();
                prop_assert_eq!(resources.iter().filter(|r| r.parent_id.is_none()).count(), 1);
                prop_assert_eq!(&resources[0].path, "/");
                for r in &resources[1..] {
                    let parent = resources.iter().find(|p| Some(&p.id) == r.parent_id.as_ref());
                    prop_assert!(parent.is_some(), "{} has no parent", r.path);
                    let parent = parent.unwrap();
                    let joined = format!("{}/{}", parent.path.trim_end_matches('/'), r.path_part.clone().unwrap());
                    prop_assert_eq!(&r.path, &joined);
                }
                // Every definition path is a resource with its GET, under the base path as the
                // mode says.
                let base: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
                let prefix: &[&str] = match mode {
                    BasePathMode::Ignore => &[],
                    BasePathMode::Prepend => &base,
                    BasePathMode::Split => base.get(1..).unwrap_or(&[]),
                };
                for p in &paths {
                    let mut segments: Vec<&str> = prefix.to_vec();
                    segments.extend(p.split('/').filter(|s| !s.is_empty()));
                    let full = format!("/{}", segments.join("/"));
                    let r = resources.iter().find(|r| r.path == full);
                    prop_assert!(r.is_some_and(|r| r.methods.contains_key("GET")), "{full} missing");
                }
            }
        }
    }
}
