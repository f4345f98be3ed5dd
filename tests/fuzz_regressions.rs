//! Every input the fuzzers (`fuzz/`) ever crashed on, run through the same
//! checks as the fuzz targets. CI runs these, not the fuzzers.
//!
//! PDFs go through a worker process, as the binary reads them: an input
//! that once exhausted memory or the stack must now be a clean error for
//! that one file.

use std::path::{Path, PathBuf};

use unicode_normalization::is_nfc;
use uppfoljning::pipeline::ExtractOptions;
use uppfoljning::read::{self, Isolation, Limits, ReadOptions, Sniffed};
use uppfoljning::repair::Repairer;

mod common;

fn regressions(target: &str) -> Vec<PathBuf> {
    let dir = common::root().join("fuzz/regressions").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep"));
    files.sort();
    files
}

#[test]
fn text_regressions_extract_cleanly() {
    let extractor = common::extractor();
    for file in regressions("text") {
        let bytes = std::fs::read(&file).unwrap();
        let path = Path::new("fuzz.txt");
        if !matches!(read::sniff(path, &bytes), Ok(Sniffed::Text)) {
            continue;
        }
        let report = extractor
            .extract_bytes(path, &bytes, &ExtractOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for item in &report.items {
            assert!((0.0..=1.0).contains(&item.confidence), "{}", file.display());
            assert!(item.page >= 1 && item.page <= report.source.pages.max(1));
        }
        serde_json::to_string(&report).unwrap();
    }
}

#[test]
fn repair_regressions_give_nfc_text() {
    let repairer = Repairer::new(std::iter::empty());
    for file in regressions("repair") {
        let bytes = std::fs::read(&file).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let out = repairer.repair_text(text, uppfoljning::repair::Origin::Ocr);
        assert!(is_nfc(&out.text), "{}: {:?}", file.display(), out.text);
    }
}

#[test]
fn pdf_regressions_fail_cleanly_in_a_worker() {
    let options = ReadOptions {
        isolation: Some(Isolation {
            exe: PathBuf::from(env!("CARGO_BIN_EXE_uppfoljning")),
            limits: Limits {
                max_memory: 512 << 20,
                timeout: std::time::Duration::from_secs(60),
                whole_file: false,
            },
        }),
        ocr: read::OcrMode::Never,
        ..ReadOptions::default()
    };
    let files = regressions("pdf");
    // The flate bomb the pdf target found must stay kept.
    assert!(!files.is_empty(), "fuzz/regressions/pdf is empty");
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read::read_bytes(&file, &bytes, &options)
        }));
        match outcome {
            Ok(Ok(doc)) => assert!(!doc.pages.is_empty(), "{}", file.display()),
            Ok(Err(e)) => {
                let message = e.to_string();
                assert!(message.contains(&*file.to_string_lossy()), "{message}");
            }
            Err(_) => panic!("{}: reading panicked", file.display()),
        }
    }
}
