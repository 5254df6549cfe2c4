//! `write_atomic`: the one atomic write of the workspace.

use lambda_sync_spec::{Error, write_atomic};

fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn replaces_the_file_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    for contents in [&b"{}\n"[..], b"", b"{\"a\": 1}\n"] {
        write_atomic(&path, contents).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), contents);
        assert_eq!(names(dir.path()), ["state.json"]);
    }
}

#[test]
fn a_failed_write_leaves_the_target_and_the_folder_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    // A folder where the file should go: the rename fails.
    let path = dir.path().join("taken");
    std::fs::create_dir(&path).unwrap();
    std::fs::write(path.join("inside"), "kept").unwrap();
    let err = write_atomic(&path, b"new").unwrap_err();
    assert!(
        matches!(&err, Error::Io { path: p, .. } if p == &path),
        "{err:?}"
    );
    assert_eq!(names(dir.path()), ["taken"]);
    assert_eq!(
        std::fs::read_to_string(path.join("inside")).unwrap(),
        "kept"
    );
    // A folder that does not exist: nothing is created.
    let missing = dir.path().join("no/such/folder/file.yaml");
    assert!(matches!(
        write_atomic(&missing, b"x"),
        Err(Error::Io { .. })
    ));
    assert_eq!(names(dir.path()), ["taken"]);
}

#[cfg(unix)]
#[test]
fn an_existing_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.sh");
    for mode in [0o755, 0o600, 0o640] {
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        write_atomic(&path, b"new").unwrap();
        let got = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(got, mode);
    }
    // A new file is readable by others unless the umask says otherwise, as `File::create`
    // makes it (never the 0600 of a bare temporary file).
    let fresh = dir.path().join("fresh.yaml");
    write_atomic(&fresh, b"x").unwrap();
    std::fs::write(dir.path().join("plain"), "x").unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&fresh), mode(&dir.path().join("plain")));
}
