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
