//! Any bytes as a PDF, read in-process so that libFuzzer sees the code.
//!
//! In production each PDF is read in a worker process with a memory and
//! time limit (`read::worker`); what this target finds as an out-of-memory,
//! a timeout or a stack overflow is what those limits turn into an error
//! for one file. Panics inside pdf-extract are caught by the reader; a
//! panic that escapes `read_pdf` is a bug of ours.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use uppfoljning::read::pdf::read_pdf;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = read_pdf(Path::new("fuzz.pdf"), data, None) {
        assert!(!doc.pages.is_empty());
        for (i, page) in doc.pages.iter().enumerate() {
            assert_eq!(page.number, i + 1);
        }
    }
});
