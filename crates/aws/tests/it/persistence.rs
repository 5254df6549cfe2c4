//! Saving and loading the fake account.

use lambda_sync_aws::{
    AddPermission, ApiGateway, CreateFunction, Error, FakeAws, ImportRestApi, Lambda, minimal_zip,
};

use crate::{PETS3, ROLE, block};

fn populated() -> (FakeAws, String) {
    let aws = FakeAws::new("eu-west-1", "111122223333");
    let api = block(aws.import_rest_api(ImportRestApi::new(PETS3))).unwrap();
    let zip = minimal_zip("index.js", &[0u8, 1, 2, 255, 254]);
    block(
        aws.create_function(
            CreateFunction::new("listPets", ROLE, "nodejs22.x", "index.handler", zip)
                .with_tag("k", "v"),
        ),
    )
    .unwrap();
    block(aws.add_permission(AddPermission::new("listPets", "s1"))).unwrap();
    (aws, api.id)
}

#[test]
fn round_trip_keeps_the_whole_account() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("account.json");
    let (aws, api_id) = populated();
    aws.save(&path).unwrap();

    let loaded = FakeAws::load(&path).unwrap();
    assert_eq!(loaded.region(), "eu-west-1");
    assert_eq!(loaded.account_id(), "111122223333");
    assert_eq!(
        block(loaded.get_rest_api(&api_id)),
        block(aws.get_rest_api(&api_id))
    );
    assert_eq!(
        block(loaded.get_resources(&api_id)),
        block(aws.get_resources(&api_id))
    );
    assert_eq!(
        loaded.stored_definition(&api_id),
        aws.stored_definition(&api_id)
    );
    assert_eq!(
        loaded.function_code("listPets"),
        aws.function_code("listPets")
    );
    assert_eq!(
        block(loaded.get_function("listPets")),
        block(aws.get_function("listPets"))
    );
    assert_eq!(
        block(loaded.get_policy("listPets")),
        block(aws.get_policy("listPets"))
    );
    // Ids keep counting: the next import gets the id the original would have given.
    let next_loaded = block(loaded.import_rest_api(ImportRestApi::new(PETS3))).unwrap();
    let next_original = block(aws.import_rest_api(ImportRestApi::new(PETS3))).unwrap();
    assert_eq!(next_loaded.id, next_original.id);
    // The zip is stored as base64 text.
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"zip\": \"UEsDB"), "zip stored as base64");
}

#[test]
fn save_is_atomic_and_leaves_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("account.json");
    let (aws, _) = populated();
    aws.save(&path).unwrap();
    // Saving over an existing file replaces it.
    block(aws.create_function(CreateFunction::new(
        "second",
        ROLE,
        "nodejs22.x",
        "index.handler",
        minimal_zip("index.js", b""),
    )))
    .unwrap();
    aws.save(&path).unwrap();
    let entries: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries, ["account.json"]);
    assert!(
        FakeAws::load(&path)
            .unwrap()
            .function_code("second")
            .is_some()
    );
    // A directory that does not exist is an Io error naming the file, and leaves nothing.
    let bad = dir.path().join("missing-dir").join("account.json");
    let err = aws.save(&bad).unwrap_err();
    assert!(
        matches!(&err, Error::Io { message } if message.contains("missing-dir")),
        "{err:?}"
    );
}

#[test]
fn missing_and_corrupt_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("account.json");
    assert!(matches!(FakeAws::load(&path), Err(Error::NotFound { .. })));
    let fresh = FakeAws::load_or_default(&path, "ap-south-1", "999988887777").unwrap();
    assert_eq!(fresh.region(), "ap-south-1");
    assert!(!path.exists(), "load_or_default does not write");

    for garbage in ["", "{", "[]", r#"{"format": 1}"#] {
        std::fs::write(&path, garbage).unwrap();
        let err = FakeAws::load(&path).unwrap_err();
        let Error::InvalidInput { message } = &err else {
            panic!("{err:?}")
        };
        assert!(
            message.contains("corrupt") && message.contains("account.json"),
            "{message}"
        );
        assert!(FakeAws::load_or_default(&path, "r", "1").is_err());
    }
    let (aws, _) = populated();
    aws.save(&path).unwrap();
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"format\": 1", "\"format\": 99");
    std::fs::write(&path, text).unwrap();
    assert!(matches!(
        FakeAws::load(&path),
        Err(Error::InvalidInput { .. })
    ));
}
