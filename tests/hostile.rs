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
    let tmp = std::env::temp_dir().join(format!("uppf-hostile-{}", std::process::id()));
    let inputs = tmp.join("in");
    let out = tmp.join("out");
    let _ = std::fs::remove_dir_all(&tmp);
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
        Some(2),
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
            wrong.push(format!("pages {pages:?}, want {a}–{b}"))
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
    let tmp = std::env::temp_dir().join(format!("uppf-bundles-{}", std::process::id()));
    let inputs = tmp.join("in");
    let out = tmp.join("out");
    let _ = std::fs::remove_dir_all(&tmp);
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
        stderr.contains(&format!("0 converted, {} skipped", cases.len())),
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
