//! Deterministic zip packages.

use std::io::{Cursor, Read};

use lambda_sync_stubs::{Templates, code_sha256, package, render, runtime};
use sha2::Digest;

#[test]
fn zip_holds_exactly_the_handler_file_and_is_reproducible() {
    let templates = Templates::builtin();
    for rt in ["nodejs16.x", "nodejs24.x", "python3.14"] {
        for contract in crate::petstore().iter().chain(&crate::hostile()) {
            let stub = render(contract, runtime(rt).unwrap(), &templates).unwrap();
            let zip = package(&stub).unwrap();
            assert_eq!(zip, package(&stub).unwrap(), "two builds differ");
            assert_eq!(zip, package(&stub.clone()).unwrap());

            let mut archive = zip::ZipArchive::new(Cursor::new(&zip)).unwrap();
            assert_eq!(archive.len(), 1);
            let mut entry = archive.by_index(0).unwrap();
            assert_eq!(entry.name().unwrap(), stub.file_name);
            assert_eq!(entry.compression(), zip::CompressionMethod::Stored);
            assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o644));
            let modified = entry.last_modified().unwrap();
            assert_eq!(
                (
                    modified.year(),
                    modified.month(),
                    modified.day(),
                    modified.hour(),
                    modified.minute()
                ),
                (1980, 1, 1, 0, 0)
            );
            let mut text = String::new();
            entry.read_to_string(&mut text).unwrap();
            assert_eq!(text, stub.source);

            let sha = code_sha256(&zip);
            use base64::Engine;
            let expected =
                base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(&zip));
            assert_eq!(sha, expected);
            assert_eq!(sha.len(), 44);
        }
    }
}

#[test]
fn code_sha256_is_base64_of_sha256() {
    // SHA-256 of the empty input.
    assert_eq!(
        code_sha256(b""),
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    );
}

#[test]
fn different_sources_give_different_hashes() {
    let templates = Templates::builtin();
    let contracts = crate::petstore();
    let a = package(&render(&contracts[0], runtime("nodejs24.x").unwrap(), &templates).unwrap())
        .unwrap();
    let b = package(&render(&contracts[1], runtime("nodejs24.x").unwrap(), &templates).unwrap())
        .unwrap();
    assert_ne!(code_sha256(&a), code_sha256(&b));
}
