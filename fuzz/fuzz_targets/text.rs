//! Any bytes as a text input: decoding, page splitting, segmentation,
//! repair and extraction must not panic, hang or lose the contract's shape.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use uppfoljning::catalog::{Administrations, Catalog};
use uppfoljning::pipeline::{ExtractOptions, Extractor};
use uppfoljning::read::{self, ReadOptions, Sniffed};

fn extractor() -> &'static Extractor {
    static E: OnceLock<Extractor> = OnceLock::new();
    E.get_or_init(|| {
        Extractor::new(
            Catalog::embedded().expect("catalogue"),
            Administrations::embedded().expect("administrations"),
        )
    })
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.txt");
    // Only what the sniffer takes for text: PDFs have their own target.
    if !matches!(read::sniff(path, data), Ok(Sniffed::Text)) {
        return;
    }
    let options = ExtractOptions {
        read: ReadOptions::default(),
        ..ExtractOptions::default()
    };
    let report = extractor()
        .extract_bytes(path, data, &options)
        .expect("text input always extracts");
    for item in &report.items {
        assert!((0.0..=1.0).contains(&item.confidence));
        assert!(item.page >= 1 && item.page <= report.source.pages.max(1));
    }
    serde_json::to_string(&report).expect("serialises");
});
