//! `uppfoljning batch` as a user runs it: good and bad inputs mixed, reruns
//! that skip, `--force`, and outputs that do not depend on `--jobs`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_uppfoljning"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("uppf-batch-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A folder with two good reports (one in a subfolder, both named
/// `ioff.*` to test name collisions) and three bad files.
fn mixed_inputs(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    std::fs::create_dir_all(input.join("sub")).unwrap();
    let root = common::root();
    std::fs::copy(
        root.join("fixtures/sample/000_a41603a7fe181f4b.txt"),
        input.join("ioff.txt"),
    )
    .unwrap();
    std::fs::copy(
        root.join("fixtures/pdf/sample-digital.pdf"),
        input.join("sub/ioff.txt"),
    )
    .unwrap();
    std::fs::write(input.join("empty.pdf"), b"").unwrap();
    std::fs::write(input.join("image.pdf"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    std::fs::write(
        input.join("letter.txt"),
        "Hej, vi ses på mötet.\n".as_bytes(),
    )
    .unwrap();
    std::fs::write(input.join("notes.md"), b"ignored: not .pdf or .txt").unwrap();
    input
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn json_outputs(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
}

#[test]
fn good_files_convert_bad_files_are_listed_and_the_exit_code_says_so() {
    let dir = scratch("mixed");
    let input = mixed_inputs(&dir);
    let out = dir.join("out");
    let o = run(&[
        "batch",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--jobs",
        "2",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("2 converted, 0 skipped (up to date), 3 failed"),
        "{stderr}"
    );
    let outputs = json_outputs(&out);
    assert_eq!(outputs.len(), 2, "{outputs:?}");
    assert!(
        outputs.iter().all(|n| n.starts_with("ioff.txt-")),
        "{outputs:?}"
    );
    let errors = std::fs::read_to_string(out.join("errors.jsonl")).unwrap();
    let kinds: Vec<String> = errors
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        kinds,
        ["empty", "unsupported-format", "not-a-report"],
        "{errors}"
    );
    for name in outputs {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(name)).unwrap()).unwrap();
        assert_eq!(v["items"].as_array().unwrap().len(), 21);
    }
    // The aggregate covers every item of every converted report.
    let csv = std::fs::read_to_string(out.join("aggregate.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 2 * 21, "header + one row per item");
    let jsonl = std::fs::read_to_string(out.join("aggregate.jsonl")).unwrap();
    assert_eq!(jsonl.lines().count(), 2 * 21);
    assert!(out.join("aggregate.xlsx").is_file() && out.join("overview.html").is_file());
    // No temporary files are left behind.
    assert!(std::fs::read_dir(&out).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .starts_with('.')));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_rerun_skips_what_is_done_and_force_redoes_it() {
    let dir = scratch("rerun");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(
        common::root().join("fixtures/sample/000_a41603a7fe181f4b.txt"),
        input.join("ioff.txt"),
    )
    .unwrap();
    let out = dir.join("out");
    let args = [
        "batch",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let first = run(&args);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let again = run(&args);
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 converted, 1 skipped"));
    // A changed input is converted again.
    std::fs::write(
        input.join("ioff.txt"),
        [
            std::fs::read(input.join("ioff.txt")).unwrap(),
            b"\n".to_vec(),
        ]
        .concat(),
    )
    .unwrap();
    let changed = run(&args);
    assert!(String::from_utf8_lossy(&changed.stderr).contains("1 converted, 0 skipped"));
    let forced = run(&[&args[..], &["--force"]].concat());
    assert!(String::from_utf8_lossy(&forced.stderr).contains("1 converted, 0 skipped"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn outputs_are_byte_identical_whatever_the_number_of_jobs() {
    let dir = scratch("jobs");
    let input = mixed_inputs(&dir);
    let (one, two) = (dir.join("one"), dir.join("two"));
    run(&[
        "batch",
        input.to_str().unwrap(),
        "--out",
        one.to_str().unwrap(),
        "--jobs",
        "1",
    ]);
    run(&[
        "batch",
        input.to_str().unwrap(),
        "--out",
        two.to_str().unwrap(),
        "--jobs",
        "2",
    ]);
    let names = json_outputs(&one);
    assert_eq!(names, json_outputs(&two));
    for n in names
        .iter()
        .chain(std::iter::once(&"errors.jsonl".to_string()))
    {
        assert_eq!(
            std::fs::read(one.join(n)).unwrap(),
            std::fs::read(two.join(n)).unwrap(),
            "{n} differs"
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}
