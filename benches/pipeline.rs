//! Per-stage timings on the real sample and its rendered PDFs. Each bench
//! asserts the rows it found, so a broken fast path cannot look fast.
//!
//! Run: `cargo bench --bench pipeline`.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use uppfoljning::catalog::{Administrations, Catalog};
use uppfoljning::pipeline::{ExtractOptions, Extractor};
use uppfoljning::read::{read_bytes, ReadOptions};
use uppfoljning::segment::segment;

const INPUTS: [&str; 3] = [
    "fixtures/sample/000_a41603a7fe181f4b.txt",
    "fixtures/pdf/sample-digital.pdf",
    "fixtures/pdf/sample-scan-eng.pdf",
];

fn load(rel: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect("fixture exists")
}

fn stages(c: &mut Criterion) {
    let catalog = Catalog::embedded().expect("catalogue");
    let extractor = Extractor::new(
        catalog.clone(),
        Administrations::embedded().expect("administrations"),
    );
    for rel in INPUTS {
        let bytes = load(rel);
        let path = Path::new(rel);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or(rel);
        c.bench_function(&format!("read/{name}"), |b| {
            b.iter(|| {
                let doc =
                    read_bytes(path, black_box(&bytes), &ReadOptions::default()).expect("reads");
                assert_eq!(doc.pages.len(), 7);
            })
        });
        let doc = read_bytes(path, &bytes, &ReadOptions::default()).expect("reads");
        c.bench_function(&format!("segment/{name}"), |b| {
            b.iter(|| {
                let seg = segment(black_box(&doc), &catalog);
                assert_eq!(seg.rows.len(), 21);
            })
        });
        c.bench_function(&format!("extract-all/{name}"), |b| {
            b.iter(|| {
                let report = extractor
                    .extract_bytes(path, black_box(&bytes), &ExtractOptions::default())
                    .expect("extracts");
                assert_eq!(report.items.len(), 21);
            })
        });
    }
}

fn serialise(c: &mut Criterion) {
    let extractor = Extractor::new(
        Catalog::embedded().expect("catalogue"),
        Administrations::embedded().expect("administrations"),
    );
    let rel = INPUTS[0];
    let report = extractor
        .extract_bytes(Path::new(rel), &load(rel), &ExtractOptions::default())
        .expect("extracts");
    c.bench_function("serialise/json", |b| {
        b.iter(|| {
            let json = serde_json::to_string(black_box(&report)).expect("serialises");
            assert!(json.len() > 10_000);
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = stages, serialise
}
criterion_main!(benches);
