//! Real-world PDFs from other projects' test suites (`fixtures/real-world/`,
//! see its README for their source and licence): where poppler's
//! `pdftotext` reads words, we read about as many; where it cannot, we say
//! why (a password, no text layer). None is a follow-up report, so `batch`
//! lists each in `errors.jsonl` with the kind `outcomes.toml` states.
//!
//! To get the figures for another folder of PDFs (with `pdftotext`
//! installed to count its words):
//!
//! ```text
//! UPPF_REAL_WORLD_DIR=/path/to/pdfs cargo test --release --test real_world \
//!     -- --nocapture words_table_of_another_folder
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde::Deserialize;
use serde_json::Value;
use uppfoljning::document::Document;
use uppfoljning::error::Error;

mod common;

/// Where `pdftotext` reads at least this many words, we must read at least
/// [`MIN_SHARE`] of them.
const MIN_POPPLER_WORDS: usize = 20;
/// The share of `pdftotext`'s words we must read.
const MIN_SHARE: f64 = 0.9;

#[derive(Debug, Deserialize)]
struct Outcomes {
    file: Vec<Expected>,
}

#[derive(Debug, Deserialize)]
struct Expected {
    /// File name in `fixtures/real-world/`.
    name: String,
    /// Words `pdftotext` (poppler 22.12) reads, `wc -w`.
    pdftotext: usize,
    /// The error kind `batch` gives it (none is a report).
    kind: String,
    /// Pages read, where the file is read.
    pages: Option<usize>,
    /// The share of pdftotext's words we must read, if not [`MIN_SHARE`].
    min_share: Option<f64>,
    /// Warning kinds the read must carry.
    #[serde(default)]
    warnings: Vec<String>,
}

fn dir() -> PathBuf {
    common::root().join("fixtures/real-world")
}

fn outcomes() -> Vec<Expected> {
    let text = std::fs::read_to_string(dir().join("outcomes.toml")).unwrap();
    toml::from_str::<Outcomes>(&text).unwrap().file
}

fn read(path: &Path) -> Result<Document, Error> {
    let bytes = std::fs::read(path).unwrap();
    uppfoljning::read::pdf::read_pdf(path, &bytes, None)
}

fn words(doc: &Document) -> usize {
    doc.pages
        .iter()
        .flat_map(|p| &p.lines)
        .map(|l| l.words.len())
        .sum()
}

/// What one read gave, for tables: words, or the error kind and message.
fn summary(result: &Result<Document, Error>) -> (usize, String) {
    match result {
        Ok(doc) if doc.warnings.is_empty() => (words(doc), "read".to_string()),
        Ok(doc) => {
            let mut kinds: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for w in &doc.warnings {
                kinds.entry(w.kind.as_str()).or_default().extend(w.page);
            }
            (words(doc), format!("read; warnings {kinds:?}"))
        }
        Err(e) => (0, format!("{}: {e}", e.kind())),
    }
}

#[test]
fn every_real_world_pdf_reads_what_poppler_reads_or_says_why_not() {
    let cases = outcomes();
    assert!(cases.len() >= 20, "only {} files", cases.len());
    let mut wrong = Vec::new();
    let mut table = String::new();
    for case in &cases {
        let path = dir().join(&case.name);
        let start = Instant::now();
        let result = read(&path);
        let (ours, what) = summary(&result);
        table.push_str(&format!(
            "{:>6} {:>6} {:>6.2}s {} {}\n",
            case.pdftotext,
            ours,
            start.elapsed().as_secs_f64(),
            case.name,
            if what == "read" { "" } else { what.as_str() }
        ));
        let mut fail = |w: String| wrong.push(format!("{}: {w}", case.name));
        match (&result, case.kind.as_str()) {
            (Err(e), "password-required" | "pdf") => {
                if e.kind() != case.kind {
                    fail(format!("error {:?}, want {}", e.kind(), case.kind));
                }
            }
            (Err(e), want) => fail(format!("{} ({e}), want {want}", e.kind())),
            (Ok(_), "password-required" | "pdf") => {
                fail(format!("read, want the error {}", case.kind));
            }
            (Ok(doc), _) => {
                let share = case.min_share.unwrap_or(MIN_SHARE);
                if case.pdftotext >= MIN_POPPLER_WORDS
                    && (ours as f64) < share * case.pdftotext as f64
                {
                    fail(format!(
                        "{ours} words, pdftotext reads {} (want ≥ {:.0} %)",
                        case.pdftotext,
                        share * 100.0
                    ));
                }
                let kinds: Vec<&str> = doc.warnings.iter().map(|w| w.kind.as_str()).collect();
                if case.warnings.iter().any(|w| !kinds.contains(&w.as_str()))
                    || kinds.iter().any(|k| !case.warnings.iter().any(|w| w == k))
                {
                    fail(format!("warnings {kinds:?}, want {:?}", case.warnings));
                }
                if let Some(pages) = case.pages {
                    if doc.pages.len() != pages {
                        fail(format!("{} pages, want {pages}", doc.pages.len()));
                    }
                }
            }
        }
    }
    println!("pdftotext  ours  time  file\n{table}");
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

/// The figures for any folder of PDFs (set `UPPF_REAL_WORLD_DIR`); without
/// it, nothing to do.
#[test]
fn words_table_of_another_folder() {
    let Some(folder) = std::env::var_os("UPPF_REAL_WORLD_DIR") else {
        return;
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")))
        .collect();
    paths.sort();
    let (mut anchored, mut at_least) = (0, 0);
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    println!("pdftotext  ours  share  time  file");
    for path in &paths {
        let poppler = Command::new("pdftotext")
            .arg(path)
            .arg("-")
            .output()
            .map_or(0, |o| {
                String::from_utf8_lossy(&o.stdout)
                    .split_whitespace()
                    .count()
            });
        let start = Instant::now();
        let result = read(path);
        let (ours, what) = summary(&result);
        let share = ours as f64 / poppler.max(1) as f64;
        if poppler >= MIN_POPPLER_WORDS {
            anchored += 1;
            if share >= MIN_SHARE {
                at_least += 1;
            }
        }
        if let Err(e) = &result {
            *errors.entry(e.kind().to_string()).or_default() += 1;
        }
        println!(
            "{poppler:>6} {ours:>6} {share:>5.2} {:>6.2}s {} {}",
            start.elapsed().as_secs_f64(),
            path.file_name().unwrap().to_string_lossy(),
            if what == "read" { "" } else { what.as_str() }
        );
    }
    println!(
        "{} files; pdftotext reads ≥ {MIN_POPPLER_WORDS} words in {anchored}, we read ≥ {:.0} % of them in {at_least}; errors by kind: {errors:?}",
        paths.len(),
        MIN_SHARE * 100.0
    );
}

/// All of them in one batch: each listed in `errors.jsonl` with its kind
/// (none is a report), and the batch finishes.
#[test]
fn a_batch_of_real_world_pdfs_lists_each_with_its_kind() {
    let tmp = std::env::temp_dir().join(format!("uppf-real-world-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let run = Command::new(env!("CARGO_BIN_EXE_uppfoljning"))
        .args(["batch", "--ocr", "never", "--jobs", "2"])
        .arg(dir())
        .arg("--out")
        .arg(&tmp)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let errors = std::fs::read_to_string(tmp.join("errors.jsonl")).unwrap();
    let mut got: BTreeMap<String, String> = BTreeMap::new();
    for line in errors.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let name = Path::new(v["path"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        got.insert(name, v["kind"].as_str().unwrap_or_default().to_string());
    }
    let want: BTreeMap<String, String> = outcomes().into_iter().map(|c| (c.name, c.kind)).collect();
    assert_eq!(got, want, "errors.jsonl:\n{errors}");
    std::fs::remove_dir_all(&tmp).unwrap();
}
