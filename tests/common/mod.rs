//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;
use uppfoljning::catalog::{Administrations, Catalog};
use uppfoljning::pipeline::{ExtractOptions, Extractor};
use uppfoljning::read::{OcrMode, ReadOptions};
use uppfoljning::report::Report;

/// The repository root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// An extractor with the embedded catalogue.
pub(crate) fn extractor() -> Extractor {
    Extractor::new(
        Catalog::embedded().unwrap(),
        Administrations::embedded().unwrap(),
    )
}

/// Extracts a file given relative to the repository root, reporting its
/// path relative too so outputs do not depend on the checkout's location.
/// Without OCR, so that snapshots do not depend on whether (and which)
/// tesseract is installed; `tests/ocr_e2e.rs` covers OCR.
pub(crate) fn extract(rel: &str) -> Result<Report, String> {
    let bytes = std::fs::read(root().join(rel)).map_err(|e| e.to_string())?;
    extractor()
        .extract_bytes(Path::new(rel), &bytes, &no_ocr())
        .map_err(|e| e.to_string())
}

/// What golden files hold in place of the tool's version and git revision
/// (`provenance.tool`), which change with every release and commit.
pub(crate) const MASKED_VERSION: &str = "[version]";
/// See [`MASKED_VERSION`].
pub(crate) const MASKED_REVISION: &str = "[revision]";

/// A report document as golden files hold it: its `provenance.tool`
/// version and revision replaced by [`MASKED_VERSION`] and
/// [`MASKED_REVISION`] (whatever they were, a missing revision too), so
/// that goldens change with what the tool writes, not with each commit.
/// Everything else, the catalogue's fingerprint and the options included,
/// is compared as written, fields in their written order.
pub(crate) fn masked(report: &Report) -> Report {
    let mut report = report.clone();
    if let Some(p) = &mut report.provenance {
        p.tool.version = MASKED_VERSION.to_string();
        p.tool.revision = Some(MASKED_REVISION.to_string());
    }
    report
}

/// [`masked`] of a document read as JSON, in place, or of an array of
/// documents.
pub(crate) fn mask_tool(v: &mut Value) {
    if let Value::Array(all) = v {
        all.iter_mut().for_each(mask_tool);
        return;
    }
    if let Some(tool) = v
        .pointer_mut("/provenance/tool")
        .and_then(Value::as_object_mut)
    {
        tool.insert("version".into(), Value::from(MASKED_VERSION));
        tool.insert("revision".into(), Value::from(MASKED_REVISION));
    }
}

/// Extraction options that never OCR (see [`extract`]).
pub(crate) fn no_ocr() -> ExtractOptions {
    ExtractOptions {
        read: ReadOptions {
            ocr: OcrMode::Never,
            ..ReadOptions::default()
        },
        ..ExtractOptions::default()
    }
}

/// Reads a JSON file at a path.
pub(crate) fn json_at(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: cannot read: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()))
}

/// Reads a JSON file relative to the repository root.
pub(crate) fn json(rel: &str) -> Value {
    let text = std::fs::read_to_string(root().join(rel)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Character error rate: edit distance / truth length, over the
/// concatenation of all pairs.
pub(crate) fn cer(pairs: &[(String, String)]) -> f64 {
    let (mut dist, mut len) = (0usize, 0usize);
    for (truth, out) in pairs {
        dist += strsim::levenshtein(truth, out);
        len += truth.chars().count();
    }
    dist as f64 / len.max(1) as f64
}

/// Whether the tests run under CI (`CI` set, and not to 0 or false): tests
/// that need system tools fail there instead of skipping.
pub(crate) fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}
