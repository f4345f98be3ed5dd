//! Per-stage timings on real corpus files: a Chromium-rendered digital PDF,
//! the same report as a tesseract OCR-layer PDF, and the OCR text sample.
//!
//! Stages: read (PDF or text into a `Document`), repair (OCR-damage repair
//! of every printed line, for the OCR inputs), segment (lines, headings and rows), match
//! (segment, then rows to items with repair and identification, i.e.
//! `extract_document`), serialise (the report as JSON), and the whole
//! pipeline. Each bench asserts a count checked against the corpus truth
//! (rows found) or against lopdf (pages), so a broken fast path cannot look
//! fast.
//!
//! Run: `cargo bench --bench pipeline`. Whole-process figures against
//! pdftotext: `benches/compare.sh`.

// criterion_group! defines a public function it cannot document.
#![allow(missing_docs)]

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use uppfoljning::catalog::{Administrations, Catalog};
use uppfoljning::document::Document;
use uppfoljning::pipeline::{ExtractOptions, Extractor};
use uppfoljning::read::{read_bytes, ReadOptions};
use uppfoljning::repair::Repairer;
use uppfoljning::segment::segment;

/// (input, the corpus truth holding its rows).
const INPUTS: [(&str, &str); 3] = [
    (
        "corpus/digital/avof-2024.pdf",
        "corpus/truth/avof-2024.json",
    ),
    (
        "corpus/scan-eng/avof-2024.pdf",
        "corpus/truth/avof-2024.json",
    ),
    ("fixtures/sample/000_a41603a7fe181f4b.txt", ""),
];
/// Rows of the text sample (it has no corpus truth).
const SAMPLE_ROWS: usize = 21;

fn load(rel: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The number of rows the truth file lists.
fn truth_rows(truth: &str) -> usize {
    if truth.is_empty() {
        return SAMPLE_ROWS;
    }
    let value: serde_json::Value = serde_json::from_slice(&load(truth)).expect("truth is JSON");
    value["items"].as_array().expect("truth has items").len()
}

/// Pages of the input as lopdf counts them (the text sample: its 7 pages).
fn expected_pages(rel: &str, bytes: &[u8]) -> usize {
    if rel.ends_with(".pdf") {
        lopdf::Document::load_mem(bytes)
            .expect("corpus PDF loads")
            .get_pages()
            .len()
    } else {
        7
    }
}

fn words(doc: &Document) -> usize {
    doc.pages
        .iter()
        .flat_map(|p| &p.lines)
        .map(|l| l.words.len())
        .sum()
}

fn stages(c: &mut Criterion) {
    let catalog = Catalog::embedded().expect("catalogue");
    let extractor = Extractor::new(
        catalog.clone(),
        Administrations::embedded().expect("administrations"),
    );
    let repairer = Repairer::default();
    let options = ExtractOptions::default();
    for (rel, truth) in INPUTS {
        let bytes = load(rel);
        let path = Path::new(rel);
        let name = rel.trim_start_matches("corpus/");
        let rows = truth_rows(truth);
        let pages = expected_pages(rel, &bytes);

        let doc = read_bytes(path, &bytes, &ReadOptions::default()).expect("reads");
        let n_words = words(&doc);
        assert_eq!(segment(&doc, &catalog).row_count(), rows, "{rel}");
        c.bench_function(&format!("read/{name}"), |b| {
            b.iter(|| {
                let doc =
                    read_bytes(path, black_box(&bytes), &ReadOptions::default()).expect("reads");
                assert_eq!((doc.pages.len(), words(&doc)), (pages, n_words));
            });
        });

        // OCR repair runs on OCR text only: digital text gets none.
        if doc.is_ocr() {
            let lines: Vec<String> = doc
                .pages
                .iter()
                .flat_map(|p| p.lines.iter().map(uppfoljning::document::Line::text))
                .collect();
            let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
            let edits = repairer
                .repair_lines(&refs, uppfoljning::repair::Origin::Ocr)
                .edits
                .len();
            assert!(edits > 0, "{rel}: OCR repair changed nothing");
            c.bench_function(&format!("repair/{name}"), |b| {
                b.iter(|| {
                    let repaired =
                        repairer.repair_lines(black_box(&refs), uppfoljning::repair::Origin::Ocr);
                    assert_eq!(repaired.edits.len(), edits);
                });
            });
        }

        c.bench_function(&format!("segment/{name}"), |b| {
            b.iter(|| {
                let seg = segment(black_box(&doc), &catalog);
                assert_eq!(seg.row_count(), rows);
            });
        });

        c.bench_function(&format!("match/{name}"), |b| {
            b.iter(|| {
                let report = extractor
                    .extract_document(path, &bytes, black_box(&doc), &options)
                    .expect("extracts");
                assert_eq!(report.items.len(), rows);
            });
        });

        let report = extractor
            .extract_document(path, &bytes, &doc, &options)
            .expect("extracts");
        let json = serde_json::to_vec(&report).expect("serialises");
        let back: serde_json::Value = serde_json::from_slice(&json).expect("JSON reads back");
        assert_eq!(back["items"].as_array().map(Vec::len), Some(rows));
        c.bench_function(&format!("serialise/{name}"), |b| {
            b.iter(|| {
                let out = serde_json::to_vec_pretty(black_box(&report)).expect("serialises");
                assert!(out.len() > json.len());
            });
        });

        c.bench_function(&format!("extract-all/{name}"), |b| {
            b.iter(|| {
                let report = extractor
                    .extract_bytes(path, black_box(&bytes), &options)
                    .expect("extracts");
                assert_eq!(report.items.len(), rows);
            });
        });
    }
}

/// A bundle of `n` copies of the text sample, split into `n` reports: the
/// time per copy should not grow with `n` (copying every part's page whole
/// once made it grow with the square).
fn bundles(c: &mut Criterion) {
    let extractor = Extractor::new(
        Catalog::embedded().expect("embedded catalogue"),
        Administrations::embedded().expect("embedded administrations"),
    );
    let options = ExtractOptions::default();
    let sample = load(INPUTS[2].0);
    for n in [20, 80] {
        let bytes: Vec<u8> = std::iter::repeat_n(sample.as_slice(), n)
            .flatten()
            .copied()
            .collect();
        let path = Path::new("bundle.txt");
        c.bench_function(&format!("bundle/{n}-copies"), |b| {
            b.iter(|| {
                let reports = extractor
                    .extract_reports_hashed(path, black_box(&bytes), "", &options)
                    .expect("extracts");
                assert_eq!(reports.len(), n);
            });
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = stages, bundles
}
criterion_main!(benches);
