//! A granularity change on an existing API: the plan lists the new functions and those no
//! longer used; the push creates the new ones and never modifies or deletes an existing one.

use super::*;
use lambda_sync::integration::Granularity;

#[tokio::test]
async fn a_granularity_change_lists_new_and_unused_functions_and_changes_nothing_existing() {
    let account = FakeAws::default();
    let d = doc(PETS);
    let first = push(&account, Config::default(), &d, None).await;
    let api_id = first.api_id.clone().unwrap();
    let mut before = BTreeMap::new();
    for name in ["listPets", "createPet", "showPetById"] {
        let info = account.get_function(name).await.unwrap();
        let policy = account.get_policy(name).await.unwrap();
        before.insert(name, (info, account.function_code(name).unwrap(), policy));
    }

    // Per operation → per tag (one tag, `default`: no operation has tags) → one for the API.
    for (granularity, new, unused) in [
        (
            Granularity::Tag,
            vec!["default"],
            vec!["createPet", "listPets", "showPetById"],
        ),
        (Granularity::Api, vec!["Pets"], vec!["default"]),
    ] {
        let config = Config {
            granularity,
            ..Config::default()
        };
        let outcome = engine(&account, config.clone())
            .plan(&d, Some(&api_id))
            .await
            .unwrap();
        let created: Vec<&str> = outcome
            .plan
            .create_functions
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(created, new, "{granularity:?}");
        assert_eq!(outcome.plan.unused_functions, unused, "{granularity:?}");
        let text = outcome.plan.to_string();
        assert!(
            text.contains(&format!(
                "{} function(s) no longer used by this API (kept as they are;",
                unused.len()
            )),
            "{text}"
        );
        for name in &unused {
            assert!(text.contains(&format!("  ? {name}\n")), "{text}");
        }
        // Nothing is removed from the functions no longer used; the group gets one statement.
        assert!(outcome.plan.remove_permissions.is_empty(), "{text}");
        assert_eq!(outcome.plan.add_permissions.len(), 1, "{text}");
        assert!(
            outcome.plan.add_permissions[0]
                .source_arn
                .as_str()
                .ends_with(&format!("{api_id}/*/*/*")),
            "{text}"
        );

        let report = push(&account, config, &d, Some(&api_id)).await;
        assert_eq!(report.functions_created, new);
        for (name, (info, code, policy)) in &before {
            assert_eq!(&account.get_function(name).await.unwrap(), info, "{name}");
            assert_eq!(&account.function_code(name).unwrap(), code, "{name}");
            assert_eq!(&account.get_policy(name).await.unwrap(), policy, "{name}");
        }
    }
}
