//! Golden files: the whole JSON document of every fixture, reviewed like
//! code (`cargo insta review`). An input that must fail snapshots its
//! error message instead. The tool's version and git revision are masked
//! (`common::masked`): a commit does not change every golden file.

mod common;

/// `fixtures/hostile/` is left out: its outcomes are stated in
/// `outcomes.toml` and checked by `tests/hostile.rs`, through the binary's
/// worker process (a flate bomb must not be read in the test process).
#[test]
fn every_fixture_matches_its_snapshot() {
    insta::glob!("../fixtures", "{sample,pdf,ocr}/**/*.{txt,pdf}", |path| {
        let rel = path
            .strip_prefix(common::root())
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        match common::extract(&rel) {
            Ok(report) => insta::assert_json_snapshot!(common::masked(&report)),
            Err(message) => insta::assert_snapshot!(message),
        }
    });
}
