//! Every hostile input in `fixtures/hostile/` gets the outcome
//! `fixtures/hostile/outcomes.toml` states, alone (`extract`) and inside a
//! batch, where it must not cost the other files anything.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde::Deserialize;
use serde_json::Value;

mod common;

#[derive(Debug, Deserialize)]
struct Outcomes {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
struct Case {
    file: String,
    #[serde(default)]
    args: Vec<String>,
    exit: i32,
    kind: Option<String>,
    message: Option<String>,
    items: Option<usize>,
    pages: Option<usize>,
    #[serde(default)]
    warnings: Vec<String>,
    admin: Option<String>,
}

fn hostile_dir() -> PathBuf {
    common::root().join("fixtures/hostile")
}

fn outcomes() -> Vec<Case> {
    let text = std::fs::read_to_string(hostile_dir().join("outcomes.toml")).unwrap();
    toml::from_str::<Outcomes>(&text).unwrap().case
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_uppfoljning"))
}

fn extract(case: &Case) -> Output {
    bin()
        .arg("extract")
        .arg(hostile_dir().join(&case.file))
        .args(&case.args)
        .args(["--ocr", "never"])
        .output()
        .unwrap()
}

/// Checks one case's `extract` run; returns what is wrong, if anything.
fn check(case: &Case, out: &Output) -> Vec<String> {
    let mut wrong = Vec::new();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(case.exit) {
        wrong.push(format!("exit {:?}, want {}", out.status.code(), case.exit));
    }
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
        wrong.push(format!("panicked: {stderr}"));
    }
    if let Some(m) = &case.message {
        if !stderr.contains(m.as_str()) {
            wrong.push(format!("stderr lacks {m:?}: {stderr}"));
        }
    }
    let wants_doc = case.items.is_some()
        || case.pages.is_some()
        || !case.warnings.is_empty()
        || case.admin.is_some();
    if !wants_doc {
        if !out.stdout.is_empty() {
            wrong.push("wrote a document for a failed read".to_string());
        }
        return wrong;
    }
    let doc: Value = match serde_json::from_slice(&out.stdout) {
        Ok(v) => v,
        Err(e) => {
            wrong.push(format!(
                "no JSON document on stdout ({e}); stderr: {stderr}"
            ));
            return wrong;
        }
    };
    let items = doc["items"].as_array().cloned().unwrap_or_default();
    if let Some(n) = case.items {
        if items.len() != n {
            wrong.push(format!("{} items, want {n}", items.len()));
        }
    }
    if let Some(n) = case.pages {
        if doc["source"]["pages"].as_u64() != Some(n as u64) {
            wrong.push(format!("{} pages, want {n}", doc["source"]["pages"]));
        }
    }
    let kinds: Vec<&str> = doc["warnings"]
        .as_array()
        .map(|ws| ws.iter().filter_map(|w| w["kind"].as_str()).collect())
        .unwrap_or_default();
    for w in &case.warnings {
        if !kinds.contains(&w.as_str()) {
            wrong.push(format!("no {w:?} warning among {kinds:?}"));
        }
    }
    if let Some(admin) = &case.admin {
        let got = doc["administration"]["id"].as_str().unwrap_or("none");
        if got != admin {
            wrong.push(format!("administration {got}, want {admin}"));
        }
    }
    if case.warnings.iter().any(|w| w == "unknown-template") {
        for item in &items {
            if !item["answer"].is_null() || item["confidence"].as_f64().unwrap_or(1.0) >= 0.5 {
                wrong.push(format!(
                    "a row of a foreign template looks confident: {item}"
                ));
            }
        }
    }
    wrong
}

#[test]
fn every_hostile_input_gets_its_stated_outcome() {
    let cases = outcomes();
    assert!(cases.len() >= 15, "only {} cases", cases.len());
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = cases
            .iter()
            .map(|case| s.spawn(move || (case, extract(case))))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                let (case, out) = h.join().unwrap();
                check(case, &out)
                    .into_iter()
                    .map(move |w| format!("{} {:?}: {w}", case.file, case.args))
            })
            .collect()
    });
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// All hostile inputs in one batch: each fails (or succeeds) alone with its
/// own error kind, and the good reports are written.
#[test]
fn a_batch_of_hostile_inputs_reports_each_and_keeps_the_rest() {
    let tmp = scratch16("hostile-batch");
    let inputs = tmp.join("in");
    let out = tmp.join("out");
    std::fs::create_dir_all(&inputs).unwrap();
    let mut want: BTreeMap<String, Option<String>> = BTreeMap::new();
    for case in outcomes()
        .iter()
        .filter(|c| c.args.iter().all(|a| a != "--password"))
    {
        let src = hostile_dir().join(&case.file);
        let name = src.file_name().unwrap().to_string_lossy().into_owned();
        std::fs::copy(&src, inputs.join(&name)).unwrap();
        want.insert(name, case.kind.clone());
    }
    let run = bin()
        .args([
            "batch",
            "--ocr",
            "never",
            "--max-memory",
            "512M",
            "--jobs",
            "2",
        ])
        .arg(&inputs)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let errors = std::fs::read_to_string(out.join("errors.jsonl")).unwrap();
    let mut got: BTreeMap<String, Option<String>> =
        want.keys().map(|k| (k.clone(), None)).collect();
    for line in errors.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let name = Path::new(v["path"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        got.insert(name, v["kind"].as_str().map(str::to_string));
    }
    assert_eq!(got, want, "errors.jsonl:\n{errors}");
    for (name, kind) in &want {
        let written = out.join(format!("{name}.json")).exists();
        assert_eq!(
            written,
            kind.is_none(),
            "{name}: output written = {written}"
        );
    }
    std::fs::remove_dir_all(&tmp).unwrap();
}

// issue 16: real-world PDFs and batch edges

/// A scratch folder for one test, emptied.
fn scratch16(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("uppf-i16-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A good report (21 rows, ioff) as text.
fn good_report() -> Vec<u8> {
    std::fs::read(common::root().join("fixtures/sample/000_a41603a7fe181f4b.txt")).unwrap()
}

/// Runs `batch` over `input` into `out` (with `env` set), without OCR.
fn batch16(input: &Path, out: &Path, env: &[(&str, &Path)]) -> Output {
    let mut cmd = bin();
    cmd.args(["batch", "--ocr", "never", "--jobs", "2"])
        .arg(input)
        .arg("--out")
        .arg(out);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// `errors.jsonl` as (file name, kind) pairs.
fn error_lines(out: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(out.join("errors.jsonl")).unwrap();
    let mut lines: Vec<(String, String)> = text
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let name = Path::new(v["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, v["kind"].as_str().unwrap().to_string())
        })
        .collect();
    lines.sort();
    lines
}

/// Report documents (`*.json`) in `out`, by name, with their source hash.
fn reports_in(out: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter_map(|p| {
            let v: Value = serde_json::from_slice(&std::fs::read(&p).ok()?).ok()?;
            let sha = v["source"]["sha256"].as_str()?.to_string();
            Some((p.file_name()?.to_string_lossy().into_owned(), sha))
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn non_utf8_names_that_differ_get_different_outputs_every_run() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch16("non-utf8");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let e9 = input.join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt"));
    let e8 = input.join(std::ffi::OsStr::from_bytes(b"caf\xe8.txt"));
    std::fs::write(&e9, good_report()).unwrap();
    std::fs::copy(hostile_dir().join("invalid-utf8.txt"), &e8).unwrap();
    let out = dir.join("out");
    let mut seen = Vec::new();
    for _ in 0..2 {
        let run = batch16(&input, &out, &[]);
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let reports = reports_in(&out);
        assert_eq!(reports.len(), 2, "{reports:?}");
        let shas: std::collections::BTreeSet<&String> = reports.values().collect();
        assert_eq!(shas.len(), 2, "both reports kept: {reports:?}");
        seen.push(reports);
    }
    assert_eq!(seen[0], seen[1], "names are stable between runs");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn inputs_named_aggregate_are_in_the_aggregate() {
    let dir = scratch16("aggregate-name");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("aggregate-2023.txt"), good_report()).unwrap();
    let out = dir.join("out");
    let run = batch16(&input, &out, &[]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let csv = std::fs::read_to_string(out.join("aggregate.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 21, "{csv}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_foreign_json_in_out_is_left_out_of_the_aggregate_with_a_note() {
    let dir = scratch16("foreign-json");
    let input = dir.join("in");
    let out = dir.join("out");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(input.join("ioff.txt"), good_report()).unwrap();
    std::fs::write(
        out.join("package.json"),
        br#"{"name": "x", "version": "1.0.0"}"#,
    )
    .unwrap();
    let run = batch16(&input, &out, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("package.json: not a report document, left out of the aggregate"),
        "{stderr}"
    );
    let csv = std::fs::read_to_string(out.join("aggregate.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 21);
    assert!(out.join("package.json").exists(), "never touched");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn an_unreadable_subfolder_is_an_error_line_and_the_rest_is_converted() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch16("unreadable");
    let input = dir.join("in");
    let locked = input.join("locked");
    std::fs::create_dir_all(&locked).unwrap();
    std::fs::write(input.join("ioff.txt"), good_report()).unwrap();
    std::fs::write(locked.join("hidden.txt"), good_report()).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = dir.join("out");
    let run = if std::fs::read_dir(&locked).is_err() {
        batch16(&input, &out, &[])
    } else {
        // Root reads every folder: run the batch as nobody instead, where
        // setpriv (util-linux) can drop to it and nobody can run the binary.
        let can_drop = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_uppfoljning"))
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !can_drop {
            eprintln!(
                "skipped: running as root, a folder with mode 000 is still readable, and \
                 setpriv cannot run the binary as nobody"
            );
            std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
            std::fs::remove_dir_all(&dir).unwrap();
            return;
        }
        for d in [&dir, &input] {
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        std::fs::create_dir_all(&out).unwrap();
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o777)).unwrap();
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_uppfoljning"))
            .args(["batch", "--ocr", "never", "--jobs", "2"])
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap()
    };
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Permission denied"), "{stderr}");
    assert_eq!(
        error_lines(&out),
        [("locked".to_string(), "io".to_string())]
    );
    assert_eq!(reports_in(&out).len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn a_link_to_a_report_is_converted_and_a_broken_one_reported() {
    let dir = scratch16("links");
    let input = dir.join("in");
    let elsewhere = dir.join("elsewhere");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("ioff.txt"), good_report()).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("ioff.txt"), input.join("link.txt")).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("gone.txt"), input.join("broken.txt")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, input.join("folder")).unwrap();
    let out = dir.join("out");
    let run = batch16(&input, &out, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("a link to a folder, not followed"),
        "{stderr}"
    );
    assert_eq!(
        reports_in(&out).keys().collect::<Vec<_>>(),
        ["link.txt.json"]
    );
    assert_eq!(
        error_lines(&out),
        [("broken.txt".to_string(), "io".to_string())]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn stale_ocr_folders_of_killed_runs_are_removed_at_start() {
    let dir = scratch16("stale-ocr");
    let tmp = dir.join("tmp");
    // pid 4294967 is above any pid_max: a run that is gone.
    let stale = tmp.join("uppfoljning-ocr-4294967-0-1");
    let live = tmp.join(format!("uppfoljning-ocr-{}-0-1", std::process::id()));
    for d in [&stale, &live] {
        std::fs::create_dir_all(d).unwrap();
        std::fs::write(d.join("page-1.png"), b"x").unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(600);
        std::fs::File::open(d).unwrap().set_modified(old).unwrap();
    }
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("ioff.txt"), good_report()).unwrap();
    let run = batch16(&input, &dir.join("out"), &[("TMPDIR", &tmp)]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(!stale.exists(), "the dead run's folder is removed");
    assert!(live.exists(), "a live process's folder stays");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn two_batches_sharing_out_keep_each_others_errors() {
    let dir = scratch16("shared-out");
    let out = dir.join("out");
    let mut children = Vec::new();
    for side in ["a", "b"] {
        let input = dir.join(side);
        std::fs::create_dir_all(&input).unwrap();
        std::fs::write(input.join(format!("{side}-good.txt")), good_report()).unwrap();
        std::fs::write(input.join(format!("{side}-bad.pdf")), b"").unwrap();
        children.push(
            bin()
                .args(["batch", "--ocr", "never", "--jobs", "1"])
                .arg(&input)
                .arg("--out")
                .arg(&out)
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap(),
        );
    }
    for mut c in children {
        assert_eq!(c.wait().unwrap().code(), Some(1));
    }
    assert_eq!(
        error_lines(&out),
        [
            ("a-bad.pdf".to_string(), "empty".to_string()),
            ("b-bad.pdf".to_string(), "empty".to_string())
        ]
    );
    assert_eq!(reports_in(&out).len(), 2);
    // A rerun of one side replaces its own lines only.
    std::fs::write(dir.join("a/a-bad.pdf"), (0u8..=255).collect::<Vec<u8>>()).unwrap();
    let run = batch16(&dir.join("a"), &out, &[]);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        error_lines(&out),
        [
            ("a-bad.pdf".to_string(), "unsupported-format".to_string()),
            ("b-bad.pdf".to_string(), "empty".to_string())
        ]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_236_character_name_is_converted() {
    let dir = scratch16("long-name");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    // 236 characters, 248 bytes (Swedish letters are two bytes each).
    let name = format!("{}{}.txt", "å".repeat(12), "a".repeat(220));
    assert_eq!(name.chars().count(), 236);
    std::fs::write(input.join(&name), good_report()).unwrap();
    let out = dir.join("out");
    let run = batch16(&input, &out, &[]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(out.join(format!("{name}.json")).exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

// issue 16: bounded work

/// The `[[ocr_case]]` entries of `outcomes.toml`: run with OCR.
#[derive(Debug, Deserialize)]
struct OcrOutcomes {
    #[serde(default)]
    ocr_case: Vec<Case>,
}

fn ocr_cases() -> Vec<Case> {
    let text = std::fs::read_to_string(hostile_dir().join("outcomes.toml")).unwrap();
    toml::from_str::<OcrOutcomes>(&text).unwrap().ocr_case
}

/// A wall-clock bound that proves a run stops, far above what it takes.
const STOPS_WITHIN: std::time::Duration = std::time::Duration::from_secs(30);

/// Whether tesseract (with its Swedish model) and pdftoppm are installed.
/// Without them the OCR cases print a note and pass, except under CI.
fn ocr_installed() -> bool {
    let swe = Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .is_ok_and(|o| {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            text.lines().any(|l| l.trim() == "swe")
        });
    let poppler = Command::new("pdftoppm").arg("-v").output().is_ok();
    if !(swe && poppler) {
        assert!(
            !common::in_ci(),
            "CI must have tesseract-ocr-swe and poppler-utils"
        );
        eprintln!("note: OCR not installed; skipping the OCR cases");
    }
    swe && poppler
}

/// The kind of each failed input in a batch's `errors.jsonl`, by file name.
fn error_kinds(out: &Path) -> BTreeMap<String, String> {
    let errors = std::fs::read_to_string(out.join("errors.jsonl")).unwrap();
    errors
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            let name = Path::new(v["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, v["kind"].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

#[test]
fn every_ocr_case_gets_its_stated_outcome_and_stops_soon() {
    if !ocr_installed() {
        return;
    }
    let cases = ocr_cases();
    assert!(cases.len() >= 5, "only {} OCR cases", cases.len());
    let mut failures = Vec::new();
    // One at a time, so that each one's time is its own.
    for case in &cases {
        let start = std::time::Instant::now();
        let out = bin()
            .arg("extract")
            .arg(hostile_dir().join(&case.file))
            .args(&case.args)
            .output()
            .unwrap();
        let took = start.elapsed();
        let mut wrong = check(case, &out);
        if took > STOPS_WITHIN {
            wrong.push(format!("took {took:?}"));
        }
        failures.extend(
            wrong
                .into_iter()
                .map(|w| format!("{} {:?}: {w}", case.file, case.args)),
        );
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The OCR cases, a text of a million one-word lines and a column block
/// of 5,000 paragraphs, in one batch with good reports: each bad file
/// fails alone, with its own kind, and every good one is written.
#[test]
fn a_batch_of_unbounded_inputs_fails_each_alone_and_keeps_the_rest() {
    let ocr = ocr_installed();
    let tmp = scratch16("batch");
    let (inputs, out) = (tmp.join("in"), tmp.join("out"));
    std::fs::create_dir_all(&inputs).unwrap();
    let mut want: BTreeMap<String, Option<String>> = BTreeMap::new();
    if ocr {
        for case in ocr_cases().iter().filter(|c| c.args.is_empty()) {
            std::fs::copy(hostile_dir().join(&case.file), inputs.join(&case.file)).unwrap();
            want.insert(case.file.clone(), case.kind.clone());
        }
    }
    // 3 MB of "Ja" lines: once a gigabyte and 25 s in the main process.
    std::fs::write(inputs.join("ja-lines.txt"), "Ja\n".repeat(1 << 20)).unwrap();
    want.insert("ja-lines.txt".into(), Some("too-many-words".into()));
    std::fs::copy(
        hostile_dir().join("long-answer-column.txt"),
        inputs.join("long-answer-column.txt"),
    )
    .unwrap();
    want.insert("long-answer-column.txt".into(), None);
    for good in [
        "fixtures/pdf/sample-digital.pdf",
        "fixtures/sample/000_a41603a7fe181f4b.txt",
    ] {
        let name = Path::new(good).file_name().unwrap().to_string_lossy();
        std::fs::copy(common::root().join(good), inputs.join(&*name)).unwrap();
        want.insert(name.into_owned(), None);
    }
    let start = std::time::Instant::now();
    let run = bin()
        .args(["batch", "--jobs", "2"])
        .arg(&inputs)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(start.elapsed() < 2 * STOPS_WITHIN, "{:?}", start.elapsed());
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let kinds = error_kinds(&out);
    for (name, kind) in &want {
        assert_eq!(kinds.get(name), kind.as_ref(), "{name}: {kinds:?}");
        let written = out.join(format!("{name}.json")).exists();
        assert_eq!(
            written,
            kind.is_none(),
            "{name}: output written = {written}"
        );
    }
    assert!(out.join("aggregate.csv").exists(), "no aggregate");
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// A text read in the worker is bound by the worker's memory limit: a
/// blow-up is that file's error, not the run's.
#[test]
fn text_is_read_under_the_workers_memory_limit() {
    let tmp = scratch16("text-memory");
    let text = tmp.join("ja-lines.txt");
    std::fs::write(&text, "Ja\n".repeat(1 << 20)).unwrap();
    let out = bin()
        .arg("extract")
        .arg(&text)
        .args(["--max-memory", "64M"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("ja-lines.txt: exceeded the 64 MiB memory limit"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// With RUST_BACKTRACE=1 the worker's backtrace fills the end of its
/// stderr; the memory limit is still named, from its exit status.
#[test]
fn a_memory_kill_is_named_so_with_backtraces_on() {
    let out = bin()
        .env("RUST_BACKTRACE", "1")
        .arg("extract")
        .arg(hostile_dir().join("flate-bomb.pdf"))
        .args(["--max-memory", "512M", "--ocr", "never"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("flate-bomb.pdf: exceeded the 512 MiB memory limit"),
        "{stderr}"
    );

    // What the parent reads: the worker's exit status, whatever it printed.
    let bomb = std::fs::read(hostile_dir().join("flate-bomb.pdf")).unwrap();
    let mut worker = bin()
        .env("RUST_BACKTRACE", "full")
        .args(["worker", "--max-memory", &(256u64 << 20).to_string()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = worker.stdin.take().unwrap();
        let header = format!(
            "{{\"path\":\"flate-bomb.pdf\",\"format\":\"Pdf\",\"password\":null,\"len\":{}}}\n",
            bomb.len()
        );
        stdin.write_all(header.as_bytes()).unwrap();
        stdin.write_all(&bomb).unwrap();
    }
    let status = worker.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(uppfoljning::memory::EXIT_OUT_OF_MEMORY),
        "{status}"
    );
}

// issue 16: bundles

/// The `[[bundle]]` cases of `outcomes.toml`: files that hold several
/// reports (and one whose code lines OCR read twice), each part's outcome.
#[derive(Debug, Deserialize)]
struct BundleOutcomes {
    #[serde(default)]
    bundle: Vec<BundleCase>,
}

#[derive(Debug, Deserialize)]
struct BundleCase {
    file: String,
    exit: i32,
    part: Vec<PartOutcome>,
}

#[derive(Debug, Deserialize)]
struct PartOutcome {
    admin: String,
    items: usize,
    pages: Option<[usize; 2]>,
    #[serde(default)]
    warnings: Vec<String>,
    same_as: Option<String>,
    ja: Option<usize>,
    blank: Option<usize>,
}

fn bundle_cases() -> Vec<BundleCase> {
    let text = std::fs::read_to_string(hostile_dir().join("outcomes.toml")).unwrap();
    toml::from_str::<BundleOutcomes>(&text).unwrap().bundle
}

/// The documents `extract` printed: one, or a JSON array of them.
fn documents(stdout: &[u8]) -> Result<Vec<Value>, String> {
    match serde_json::from_slice::<Value>(stdout) {
        Ok(Value::Array(docs)) => Ok(docs),
        Ok(doc) => Ok(vec![doc]),
        Err(e) => Err(format!("no JSON on stdout: {e}")),
    }
}

/// A report's rows: program, code, answer, comment, question.
fn rows(doc: &Value) -> Vec<[String; 5]> {
    let field = |item: &Value, k: &str| match &item[k] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    doc["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| ["program", "code", "answer", "comment", "question"].map(|k| field(i, k)))
                .collect()
        })
        .unwrap_or_default()
}

/// The rows of a file extracted alone (`same_as`), relative to
/// `fixtures/hostile/`.
fn rows_alone(rel: &str) -> Vec<[String; 5]> {
    let out = bin()
        .arg("extract")
        .arg(hostile_dir().join(rel))
        .args(["--ocr", "never"])
        .output()
        .unwrap();
    let docs = documents(&out.stdout).unwrap();
    assert_eq!(docs.len(), 1, "{rel} alone is one report");
    rows(&docs[0])
}

/// What is wrong with one part's document, if anything.
fn check_part(want: &PartOutcome, doc: &Value) -> Vec<String> {
    let mut wrong = Vec::new();
    let admin = doc["administration"]["id"].as_str().unwrap_or("none");
    if admin != want.admin {
        wrong.push(format!("administration {admin}, want {}", want.admin));
    }
    let got = rows(doc);
    if got.len() != want.items {
        wrong.push(format!("{} rows, want {}", got.len(), want.items));
    }
    let part = &doc["source"]["part"];
    let pages = [&part["first_page"], &part["last_page"]].map(|v| v.as_u64().map(|n| n as usize));
    match want.pages {
        Some([a, b]) if pages != [Some(a), Some(b)] => {
            wrong.push(format!("pages {pages:?}, want {a}–{b}"));
        }
        None if !part.is_null() => wrong.push(format!("a part {part} of a file of one report")),
        _ => {}
    }
    let kinds: Vec<&str> = doc["warnings"]
        .as_array()
        .map(|ws| ws.iter().filter_map(|w| w["kind"].as_str()).collect())
        .unwrap_or_default();
    for w in &want.warnings {
        if !kinds.contains(&w.as_str()) {
            wrong.push(format!("no {w:?} warning among {kinds:?}"));
        }
    }
    let answers = |a: &str| got.iter().filter(|r| r[2] == a).count();
    if let Some(n) = want.ja.filter(|&n| n != answers("ja")) {
        wrong.push(format!("{} rows answer ja, want {n}", answers("ja")));
    }
    if let Some(n) = want.blank.filter(|&n| n != answers("null")) {
        wrong.push(format!("{} rows unanswered, want {n}", answers("null")));
    }
    if let Some(rel) = &want.same_as {
        let alone = rows_alone(rel);
        if got != alone {
            let differ = got.iter().zip(&alone).filter(|(a, b)| a != b).count()
                + got.len().abs_diff(alone.len());
            wrong.push(format!("{differ} rows differ from {rel} extracted alone"));
        }
    }
    wrong
}

/// What is wrong with a case's documents, in order.
fn check_bundle(case: &BundleCase, docs: &[Value]) -> Vec<String> {
    if docs.len() != case.part.len() {
        return vec![format!(
            "{} documents, want {}",
            docs.len(),
            case.part.len()
        )];
    }
    case.part
        .iter()
        .zip(docs)
        .enumerate()
        .flat_map(|(i, (want, doc))| {
            check_part(want, doc)
                .into_iter()
                .map(move |w| format!("report {}: {w}", i + 1))
        })
        .collect()
}

#[test]
fn every_bundle_gives_one_document_per_report() {
    let cases = bundle_cases();
    assert!(cases.len() >= 6, "only {} bundle cases", cases.len());
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = cases
            .iter()
            .map(|case| {
                s.spawn(move || {
                    let out = bin()
                        .arg("extract")
                        .arg(hostile_dir().join(&case.file))
                        .args(["--ocr", "never"])
                        .output()
                        .unwrap();
                    let stderr = String::from_utf8_lossy(&out.stderr);
                    let mut wrong = Vec::new();
                    if out.status.code() != Some(case.exit) {
                        wrong.push(format!("exit {:?}, want {}", out.status.code(), case.exit));
                    }
                    if stderr.contains("panicked") {
                        wrong.push(format!("panicked: {stderr}"));
                    }
                    match documents(&out.stdout) {
                        Ok(docs) => wrong.extend(check_bundle(case, &docs)),
                        Err(e) => wrong.push(format!("{e}; stderr: {stderr}")),
                    }
                    // A bundle is an array even with --pretty; a single
                    // report stays one object.
                    let array = out.stdout.first() == Some(&b'[');
                    if array != (case.part.len() > 1) {
                        wrong.push(format!("printed as an array: {array}"));
                    }
                    wrong
                        .into_iter()
                        .map(|w| format!("{}: {w}", case.file))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// All bundle cases in one batch: one document per report
/// (`<file>#N.json` for a file of several), nothing failed, the aggregate
/// naming each part; a rerun skips them all; `--one-report` writes one
/// document per file and leaves no part of the earlier run behind.
#[test]
fn a_batch_writes_one_document_per_report_of_a_bundle() {
    let tmp = scratch16("bundles-batch");
    let inputs = tmp.join("in");
    let out = tmp.join("out");
    std::fs::create_dir_all(&inputs).unwrap();
    let cases = bundle_cases();
    for case in &cases {
        std::fs::copy(hostile_dir().join(&case.file), inputs.join(&case.file)).unwrap();
    }
    let batch = |extra: &[&str]| {
        let run = bin()
            .args(["batch", "--ocr", "never", "--jobs", "2"])
            .args(extra)
            .arg(&inputs)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
        assert_eq!(run.status.code(), Some(0), "{stderr}");
        stderr
    };
    let outputs = |case: &BundleCase| -> Vec<std::path::PathBuf> {
        if case.part.len() == 1 {
            vec![out.join(format!("{}.json", case.file))]
        } else {
            (1..=case.part.len())
                .map(|k| out.join(format!("{}#{k}.json", case.file)))
                .collect()
        }
    };
    batch(&[]);
    assert_eq!(
        std::fs::read_to_string(out.join("errors.jsonl")).unwrap(),
        ""
    );
    let mut failures = Vec::new();
    for case in &cases {
        let docs: Vec<Value> = outputs(case)
            .iter()
            .filter_map(|p| {
                let text = std::fs::read_to_string(p).ok()?;
                serde_json::from_str(&text).ok()
            })
            .collect();
        failures.extend(
            check_bundle(case, &docs)
                .into_iter()
                .map(|w| format!("{}: {w}", case.file)),
        );
        if case.part.len() > 1 && out.join(format!("{}.json", case.file)).exists() {
            failures.push(format!("{}: a single document beside the parts", case.file));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    let csv = std::fs::read_to_string(out.join("aggregate.csv")).unwrap();
    assert!(
        csv.contains("bundle-3.pdf#2"),
        "the aggregate names each part"
    );

    // A rerun finds every report up to date.
    let before: Vec<Vec<u8>> = cases
        .iter()
        .flat_map(outputs)
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    let stderr = batch(&[]);
    assert!(
        stderr.contains(&format!("nothing to do: {} up to date", cases.len())),
        "{stderr}"
    );
    let after: Vec<Vec<u8>> = cases
        .iter()
        .flat_map(outputs)
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert!(before == after, "a rerun rewrote outputs");

    // One document per file: the parts of the earlier run are gone.
    batch(&["--one-report"]);
    for case in &cases {
        assert!(
            out.join(format!("{}.json", case.file)).exists(),
            "{}",
            case.file
        );
        assert!(
            !out.join(format!("{}#1.json", case.file)).exists(),
            "{}: a part left behind",
            case.file
        );
    }
    std::fs::remove_dir_all(&tmp).unwrap();
}

// issue 16: the stages after reading run in the worker too

/// Text that reads in well under a second but takes the stages after
/// reading (repair, segmentation) far longer: 400,000 short lines.
#[test]
fn the_stages_after_reading_are_stopped_by_the_timeout() {
    let dir = scratch16("stages-timeout");
    let input = dir.join("ja.txt");
    std::fs::write(&input, "Ja\n".repeat(400_000)).unwrap();
    let out = bin()
        .args(["extract", "--timeout", "5s"])
        .arg(&input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "ja.txt: timed out after 5 s (read, then stopped in repair and segmentation)"
        ),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The worker runs the same stages as this process: outputs are the same
/// byte for byte, for one report and for a bundle, with `--explain`.
#[test]
fn stages_in_the_worker_give_what_they_give_in_process() {
    for file in [
        "fixtures/sample/000_a41603a7fe181f4b.txt",
        "fixtures/hostile/bundle-3.txt",
        "corpus/scan-eng/avof-2024.pdf",
    ] {
        let run = |extra: &[&str]| {
            let out = bin()
                .arg("extract")
                .arg(common::root().join(file))
                .args(["--explain", "--ocr", "never"])
                .args(extra)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{file}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        };
        let isolated = run(&[]);
        let in_process = run(&["--in-process"]);
        assert!(isolated.len() > 1000, "{file}: {} bytes", isolated.len());
        assert!(isolated == in_process, "{file}: the outputs differ");
    }
}
