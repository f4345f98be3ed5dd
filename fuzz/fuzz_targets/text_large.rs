//! Large text inputs, for time and memory: the fuzzer's bytes (after the
//! first) repeated to 16 KiB – 4 MiB (the first byte picks the size), read
//! and extracted as a text file, bundles split. Run with limits, so that
//! work growing faster than the input fails the run:
//!
//!     cargo +nightly fuzz run text_large -O -- -rss_limit_mb=2048 -timeout=300 -max_len=4096
//!
//! The timeout is generous on purpose: text whose lines name no code of
//! the catalogue ("Stbbategi 1:1 Ja" repeated) gives the aligner no
//! anchors, so it fills its whole table, tokens × template words: linear,
//! about 2 µs a byte natively (4 s for 2 MiB), but 30–40 times that under
//! the sanitizer on shared cores. A shorter timeout stops at that case
//! again and again; growth faster than linear still shows.
//!
//! Refusals for size (`text-too-large`, `too-many-words`) are answers, not
//! failures; any other error on text is.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use uppfoljning::catalog::{Administrations, Catalog};
use uppfoljning::error::Error;
use uppfoljning::pipeline::{hex_sha256, ExtractOptions, Extractor};
use uppfoljning::read::{self, Sniffed};

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
    let Some((&size, unit)) = data.split_first() else {
        return;
    };
    if unit.is_empty() {
        return;
    }
    let target = (usize::from(size) + 1) * 16 * 1024;
    let mut text = Vec::with_capacity(target + unit.len());
    while text.len() < target {
        text.extend_from_slice(unit);
    }
    let path = Path::new("large.txt");
    if !matches!(read::sniff(path, &text), Ok(Sniffed::Text)) {
        return;
    }
    let options = ExtractOptions::default();
    match extractor().extract_reports_hashed(path, &text, &hex_sha256(&text), &options) {
        Ok(reports) => {
            for report in &reports {
                serde_json::to_string(report).expect("serialises");
            }
        }
        Err(Error::TextTooLarge { .. } | Error::TooManyWords { .. }) => {}
        Err(e) => panic!("text input failed: {e}"),
    }
});
