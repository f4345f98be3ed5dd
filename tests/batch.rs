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

/// A folder `in` in `dir` holding the sample report as `ioff.txt`.
fn sample_input(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(
        common::root().join("fixtures/sample/000_a41603a7fe181f4b.txt"),
        input.join("ioff.txt"),
    )
    .unwrap();
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
    assert_eq!(o.status.code(), Some(1), "{stderr}");
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
    let input = sample_input(&dir);
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
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing to do: 1 up to date"));
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

/// A batch killed with SIGKILL part-way leaves only complete JSON
/// documents; the rerun skips them and converts the rest.
#[cfg(unix)]
#[test]
fn a_batch_killed_part_way_leaves_whole_files_and_a_rerun_finishes() {
    let dir = scratch("kill");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    // 48 reports: enough that the kill lands in the middle.
    let mut n = 0;
    for set in ["corpus/digital", "corpus/scan-eng-txt"] {
        for e in std::fs::read_dir(common::root().join(set)).unwrap() {
            let p = e.unwrap().path();
            let name =
                format!("{set}-{}", p.file_name().unwrap().to_string_lossy()).replace('/', "-");
            std::fs::copy(&p, input.join(name)).unwrap();
            n += 1;
        }
    }
    assert!(n >= 40, "{n} inputs");
    let out = dir.join("out");
    let args = [
        "batch",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--jobs",
        "1",
    ];
    let mut child = bin()
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let done = out.exists() && json_outputs(&out).len() >= 3;
        assert!(
            child.try_wait().unwrap().is_none(),
            "the batch finished before it could be killed"
        );
        if done {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no outputs appeared");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let written = json_outputs(&out);
    assert!(written.len() < n, "all {n} were written before the kill");
    for name in &written {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        let doc: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} is not whole: {e}"));
        assert!(!doc["items"].as_array().unwrap().is_empty(), "{name}");
    }

    let rerun = run(&args);
    let stderr = String::from_utf8_lossy(&rerun.stderr);
    assert!(rerun.status.success(), "{stderr}");
    let converted = n - written.len();
    assert!(
        stderr.contains(&format!("{converted} converted, {} skipped", written.len())),
        "{stderr}"
    );
    let reports: Vec<String> = json_outputs(&out)
        .into_iter()
        .filter(|f| !f.starts_with("aggregate"))
        .collect();
    assert_eq!(reports.len(), n);
    let leftovers: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// Inputs named with `..`, given by absolute path or reached through a
/// link, and a link planted in the output folder: every write lands inside
/// `--out`, nothing is written next to the inputs, nothing outside.
#[cfg(unix)]
#[test]
fn outputs_never_escape_the_output_folder() {
    let dir = scratch("escape");
    let input = dir.join("in");
    let deep = input.join("a/b");
    std::fs::create_dir_all(&deep).unwrap();
    let sample = common::root().join("fixtures/sample/000_a41603a7fe181f4b.txt");
    std::fs::copy(&sample, input.join("ioff.txt")).unwrap();
    std::fs::copy(&sample, dir.join("outside.txt")).unwrap();
    std::os::unix::fs::symlink(dir.join("outside.txt"), deep.join("link.txt")).unwrap();
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    // A link in the output folder where an output will go, pointing out.
    let victim = dir.join("victim.json");
    std::fs::write(&victim, b"keep me").unwrap();
    std::os::unix::fs::symlink(&victim, out.join("ioff.txt.json")).unwrap();

    let before_in = tree(&dir.join("in"));
    let dotted = format!("{}/a/b/../../ioff.txt", input.display());
    let absolute = dir.join("outside.txt");
    let run = bin()
        .arg("batch")
        .arg(&dotted)
        .arg(&absolute)
        .arg(deep.join("link.txt"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        std::fs::read(&victim).unwrap(),
        b"keep me",
        "wrote through a link"
    );
    assert_eq!(tree(&dir.join("in")), before_in, "wrote next to the inputs");
    let mut top: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["in", "out", "outside.txt", "victim.json"]);
    let written = tree(&out);
    assert!(written.iter().all(|p| !p.contains("..")), "{written:?}");
    assert!(
        ["ioff.txt.json", "outside.txt.json", "link.txt.json"]
            .iter()
            .all(|n| written.iter().any(|w| w == n)),
        "{written:?}"
    );
    // The planted link was replaced by a real file.
    assert!(!std::fs::symlink_metadata(out.join("ioff.txt.json"))
        .unwrap()
        .file_type()
        .is_symlink());
    std::fs::remove_dir_all(dir).unwrap();
}

/// Every path under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            out.push(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            if p.is_dir() && !p.is_symlink() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The stderr of a run that must succeed.
fn stderr_of(args: &[&str]) -> String {
    let o = run(args);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{stderr}");
    stderr
}

#[test]
fn a_changed_catalogue_tool_or_option_converts_again_and_says_why() {
    let dir = scratch("stale");
    let input = sample_input(&dir);
    let out = dir.join("out");
    let output = out.join("ioff.txt.json");
    let args = [
        "batch",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    assert!(stderr_of(&args).contains("1 converted, 0 skipped"));
    let same = stderr_of(&args);
    assert!(same.contains("nothing to do: 1 up to date"), "{same}");
    assert!(!same.contains("re-converted"), "{same}");

    // Next year's questionnaire: one question reworded.
    let embedded =
        std::fs::read_to_string(common::root().join("src/catalog/catalog.toml")).unwrap();
    let reworded = embedded.replacen(
        "Är ert arbete kunskapsbaserat?",
        "Är ert arbete kunskapsbaserat och uppföljt?",
        1,
    );
    assert_ne!(
        reworded, embedded,
        "the catalogue no longer has the question"
    );
    let catalog = dir.join("next.toml");
    std::fs::write(&catalog, &reworded).unwrap();
    let with_catalog = [&args[..], &["--catalog", catalog.to_str().unwrap()]].concat();
    let changed = stderr_of(&with_catalog);
    assert!(
        changed.contains("1 re-converted: catalogue changed"),
        "{changed}"
    );
    assert!(changed.contains("1 converted, 0 skipped"), "{changed}");
    let report = common::json_at(&output);
    assert_eq!(
        report["provenance"]["catalog"]["sha256"],
        uppfoljning::pipeline::hex_sha256(reworded.as_bytes()).as_str()
    );
    assert!(
        report.to_string().contains("kunskapsbaserat och uppföljt"),
        "the new question is nowhere in the output"
    );
    // The same catalogue again: up to date.
    assert!(stderr_of(&with_catalog).contains("nothing to do: 1 up to date"));

    // Back to the built-in catalogue, and --one-report: two reasons.
    let one = stderr_of(&[&args[..], &["--one-report"]].concat());
    assert!(
        one.contains("1 re-converted: catalogue changed (1), options changed (1)"),
        "{one}"
    );
    assert_eq!(
        common::json_at(&output)["provenance"]["options"]["one_report"],
        true
    );
    let options = stderr_of(&args);
    assert!(
        options.contains("1 re-converted: options changed"),
        "{options}"
    );

    // Made by another version of the tool, or by one from before
    // provenance (schema version 1).
    let mut report = common::json_at(&output);
    report["provenance"]["tool"]["version"] = "0.0.1".into();
    std::fs::write(&output, report.to_string()).unwrap();
    let tool = stderr_of(&args);
    assert!(
        tool.contains("1 re-converted: tool version changed"),
        "{tool}"
    );
    let mut report = common::json_at(&output);
    report["schema_version"] = 1.into();
    report.as_object_mut().unwrap().remove("provenance");
    std::fs::write(&output, report.to_string()).unwrap();
    let old = stderr_of(&args);
    assert!(
        old.contains("1 re-converted: tool version changed"),
        "{old}"
    );
    assert!(stderr_of(&args).contains("nothing to do: 1 up to date"));

    // --force converts whatever the provenance, and says nothing of it.
    let forced = stderr_of(&[&args[..], &["--force"]].concat());
    assert!(forced.contains("1 converted, 0 skipped"), "{forced}");
    assert!(!forced.contains("re-converted"), "{forced}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn item_keys_are_unique_per_report_and_the_aggregate_carries_them() {
    let dir = scratch("keys");
    let out = dir.join("out");
    let root = common::root();
    let o = bin()
        .current_dir(&root)
        .args([
            "batch",
            "fixtures/hostile/bundle-3.txt",
            "fixtures/sample",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let key_form =
        regex::Regex::new(r"^(-|[a-z0-9]+)/(-|\d{4})/[a-z0-9-]+/\d+:\d+(#[2-9]|#\d\d+)?$").unwrap();
    let mut from_reports = Vec::new();
    for name in json_outputs(&out) {
        let report = common::json_at(&out.join(&name));
        let admin = report["administration"]["id"].as_str().unwrap_or("-");
        let year = report["period"]["year"]
            .as_u64()
            .map_or("-".to_string(), |y| y.to_string());
        let mut seen = std::collections::HashSet::new();
        let source = match report["source"]["part"]["index"].as_u64() {
            Some(n) => format!("{}#{n}", report["source"]["path"].as_str().unwrap()),
            None => report["source"]["path"].as_str().unwrap().to_string(),
        };
        for item in report["items"].as_array().unwrap() {
            let key = item["item_key"].as_str().unwrap();
            assert!(key_form.is_match(key), "{name}: {key}");
            let plain = format!(
                "{admin}/{year}/{}/{}",
                item["program"].as_str().unwrap(),
                item["code"].as_str().unwrap()
            );
            assert!(
                key == plain || key.starts_with(&format!("{plain}#")),
                "{name}: {key}"
            );
            assert!(seen.insert(key.to_string()), "{name}: {key} twice");
            from_reports.push((source.clone(), key.to_string()));
        }
    }
    assert!(from_reports.len() > 30, "{}", from_reports.len());
    // The aggregate's rows carry the same keys, report by report.
    let jsonl = std::fs::read_to_string(out.join("aggregate.jsonl")).unwrap();
    let mut from_rows: Vec<(String, String)> = jsonl
        .lines()
        .map(|l| {
            let row: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                row["source_path"].as_str().unwrap().to_string(),
                row["item_key"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    from_rows.sort();
    from_reports.sort();
    assert_eq!(from_rows, from_reports);
    std::fs::remove_dir_all(dir).unwrap();
}
