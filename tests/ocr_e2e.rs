//! End to end: an image-only PDF is rasterised and OCR'd with tesseract and
//! comes out with the right rows.
//!
//! Needs the Debian packages `tesseract-ocr tesseract-ocr-swe poppler-utils`.
//! Without them the test prints a note and passes, except under CI (the `CI`
//! environment variable set, not "0" or "false"), where it fails so that a
//! missing install cannot pass silently.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use uppfoljning::catalog::{Administrations, Catalog};
use uppfoljning::document::TextLayer;
use uppfoljning::error::Error;
use uppfoljning::pipeline::{ExtractOptions, Extractor};
use uppfoljning::read::{OcrMode, ReadOptions};

mod common;

const INPUT: &str = "corpus/image-only/mf-2024.pdf";
const TRUTH: &str = "corpus/truth/mf-2024.json";

#[test]
fn image_only_pdf_is_ocrd_into_rows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(root.join(INPUT)).expect("corpus file");
    let extractor = Extractor::new(
        Catalog::embedded().expect("catalogue"),
        Administrations::embedded().expect("administrations"),
    );
    let options = ExtractOptions {
        read: ReadOptions {
            ocr: OcrMode::Auto,
            ..ReadOptions::default()
        },
        ..ExtractOptions::default()
    };
    let start = Instant::now();
    let report = match extractor.extract_bytes(Path::new(INPUT), &bytes, &options) {
        Err(e @ Error::OcrUnavailable { .. }) => {
            assert!(!common::in_ci(), "CI must have OCR installed: {e}");
            eprintln!("note: skipping the OCR test: {e}");
            return;
        }
        other => other.expect("extracts"),
    };
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "OCR: {} pages in {secs:.1} s ({:.2} pages/s)",
        report.source.pages,
        report.source.pages as f64 / secs
    );
    assert_eq!(report.source.text_layer.map(TextLayer::as_str), Some("ocr"));
    assert!(
        report
            .warnings
            .iter()
            .all(|w| w.kind != uppfoljning::report::WarningKind::NoTextLayer),
        "{:?}",
        report.warnings
    );
    assert!(report.items.len() >= 15, "{} items", report.items.len());

    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join(TRUTH)).expect("truth file"))
            .expect("truth JSON");
    let expected: HashMap<(String, String), String> = truth["items"]
        .as_array()
        .expect("truth items")
        .iter()
        .map(|i| {
            let s = |k: &str| i[k].as_str().unwrap_or_default().to_string();
            ((s("program"), s("code")), s("answer"))
        })
        .collect();
    let got = serde_json::to_value(&report.items).expect("items serialise");
    let items = got.as_array().expect("items");
    let right = items
        .iter()
        .filter(|i| {
            let s = |k: &str| i[k].as_str().unwrap_or_default().to_string();
            expected.get(&(s("program"), s("code"))) == Some(&s("answer"))
        })
        .count();
    assert!(
        right * 10 >= expected.len() * 9,
        "{right} of {} answers right",
        expected.len()
    );
    // The comments read as Swedish: the first one is nearly exact.
    let first = &items[0]["comment"];
    assert!(
        first
            .as_str()
            .is_some_and(|c| c.starts_with("Tillsynen planeras utifrån riskbedömningar")),
        "{first}"
    );
}

/// Ctrl-C (SIGINT) while pages are being OCR'd: the process exits 130 and
/// its temporary page images are gone.
#[cfg(unix)]
#[test]
fn interrupt_during_ocr_removes_the_page_images() {
    use std::process::{Command, Stdio};
    use std::time::Duration;

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = std::env::temp_dir().join(format!("uppf-sigint-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_uppfoljning"))
        .arg("extract")
        .arg(root.join(INPUT))
        .env("TMPDIR", &tmp)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until OCR has written a page image.
    let deadline = Instant::now() + Duration::from_secs(60);
    let has_image = || {
        std::fs::read_dir(&tmp).unwrap().flatten().any(|d| {
            std::fs::read_dir(d.path()).is_ok_and(|f| {
                f.flatten().any(|f| {
                    // pdftoppm's page images (grey PGM; PNG before)
                    f.path()
                        .extension()
                        .is_some_and(|e| e == "pgm" || e == "png")
                })
            })
        })
    };
    while !has_image() {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                !common::in_ci(),
                "exited {status} before OCR began: {stderr}"
            );
            eprintln!("note: skipping the interrupt test: {stderr}");
            return;
        }
        assert!(Instant::now() < deadline, "no page image appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// An image file (a two-page TIFF, as a scanner writes) is OCR'd page by
/// page into the rows of those pages.
#[test]
fn a_multi_page_tiff_is_read_like_the_pdf_it_was_scanned_from() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rel = "fixtures/ocr/mf-2024-p1-2.tif";
    let bytes = std::fs::read(root.join(rel)).expect("fixture");
    let extractor = Extractor::new(
        Catalog::embedded().expect("catalogue"),
        Administrations::embedded().expect("administrations"),
    );
    let report = match extractor.extract_bytes(Path::new(rel), &bytes, &ExtractOptions::default()) {
        Err(e @ Error::OcrUnavailable { .. }) => {
            assert!(!common::in_ci(), "CI must have OCR installed: {e}");
            eprintln!("note: skipping the image test: {e}");
            return;
        }
        other => other.expect("extracts"),
    };
    assert_eq!(report.source.format.as_str(), "image");
    assert_eq!(report.source.text_layer.map(TextLayer::as_str), Some("ocr"));
    assert_eq!(report.source.pages, 2);
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join(TRUTH)).expect("truth"))
            .expect("truth JSON");
    let want: Vec<(String, String)> = truth["items"]
        .as_array()
        .expect("items")
        .iter()
        .take(8)
        .map(|i| {
            (
                i["code"].as_str().unwrap_or_default().to_string(),
                i["answer"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let got: Vec<(String, String)> = report
        .items
        .iter()
        .map(|i| {
            let v = serde_json::to_value(i).expect("item");
            (
                v["code"].as_str().unwrap_or_default().to_string(),
                v["answer"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert!(report.items.iter().all(|i| i.page <= 2));
}
