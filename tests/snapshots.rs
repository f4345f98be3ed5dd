//! Golden files: the whole JSON document of every fixture, reviewed like
//! code (`cargo insta review`). An input that must fail snapshots its
//! error message instead.

mod common;

#[test]
fn every_fixture_matches_its_snapshot() {
    insta::glob!("../fixtures", "**/*.{txt,pdf}", |path| {
        let rel = path
            .strip_prefix(common::root())
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        match common::extract(&rel) {
            Ok(report) => insta::assert_json_snapshot!(report),
            Err(message) => insta::assert_snapshot!(message),
        }
    });
}
