//! Batch conversion: many inputs → one contract JSON file each in an
//! output folder, in parallel, with progress, skipping inputs already
//! converted, and with every failure recorded instead of stopping the run.
//!
//! Owns output naming (never colliding, never outside the output folder),
//! the skip rule (an output is up to date when it holds the input's hash
//! and was made by this build with the same catalogue, administrations
//! and options: see [`stale_reasons`]), `errors.jsonl` and the summary. Extraction itself is the
//! pipeline's; the aggregate files are `aggregate`'s.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use crate::document::{SourceFormat, TextLayer};
use crate::error::with_sources;
use crate::output::write_atomic;
use crate::pipeline::{hex_sha256, ExtractOptions, Extractor};
use crate::report::{Provenance, Report, SCHEMA_VERSION};

/// What to do with each input.
#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    /// Output folder.
    pub out: PathBuf,
    /// Worker threads; `None` = all cores.
    pub jobs: Option<usize>,
    /// Convert inputs again even when an output with their hash exists.
    pub force: bool,
    /// Options passed to every extraction.
    pub extract: ExtractOptions,
    /// Paths met while collecting the inputs that could not be read (an
    /// unreadable folder): each is a failure of its own in the summary and
    /// in `errors.jsonl`, and the other inputs are converted.
    pub unreadable: Vec<(PathBuf, String)>,
}

/// How one input ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Converted and written.
    Ok,
    /// An up-to-date output existed.
    Skipped,
    /// Failed; see the error.
    Failed,
}

/// One input's result.
#[derive(Debug, Clone, Serialize)]
pub struct InputResult {
    /// The input path.
    pub path: PathBuf,
    /// The output written or found, for ok and skipped inputs (the first
    /// one, for a file that holds several reports).
    pub output: Option<PathBuf>,
    /// Report documents written or found up to date: more than one for a
    /// file that holds several reports (`<file name>#1.json`, #2, …).
    pub reports: usize,
    /// How it ended.
    pub outcome: Outcome,
    /// Error kind for failures ("pdf", "not-a-report", "panic", …).
    pub kind: Option<String>,
    /// Error message for failures.
    pub message: Option<String>,
    /// Pages read (0 when skipped or failed).
    pub pages: usize,
    /// For an input converted again although its output held its hash:
    /// why the output was stale ([`stale_reasons`]); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reconverted: Vec<&'static str>,
}

/// The whole run.
#[derive(Debug, Clone)]
pub struct BatchSummary {
    /// Per input, in input order.
    pub results: Vec<InputResult>,
    /// Wall time.
    pub elapsed: Duration,
}

impl BatchSummary {
    /// Inputs with this outcome.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.results.iter().filter(|r| r.outcome == outcome).count()
    }

    /// Pages read in this run.
    pub fn pages(&self) -> usize {
        self.results.iter().map(|r| r.pages).sum()
    }

    /// Inputs converted again because their outputs were stale, counted
    /// by reason (an input with two reasons counts under each), in the
    /// order of [`stale_reasons`].
    pub fn reconverted(&self) -> Vec<(&'static str, usize)> {
        let mut counts: Vec<(&'static str, usize)> = Vec::new();
        for reason in self.results.iter().flat_map(|r| &r.reconverted) {
            match counts.iter_mut().find(|(r, _)| r == reason) {
                Some((_, n)) => *n += 1,
                None => counts.push((reason, 1)),
            }
        }
        counts.sort_by_key(|(r, _)| STALE_REASONS.iter().position(|s| s == r));
        counts
    }

    /// The summary's line on stale outputs: "3 re-converted: catalogue
    /// changed", "5 re-converted: catalogue changed (3), options changed
    /// (2)"; `None` when no output was stale.
    pub fn reconverted_note(&self) -> Option<String> {
        let inputs = self
            .results
            .iter()
            .filter(|r| !r.reconverted.is_empty())
            .count();
        let counts = self.reconverted();
        let why = match counts.as_slice() {
            [] => return None,
            [(reason, _)] => (*reason).to_string(),
            many => many
                .iter()
                .map(|(reason, n)| format!("{reason} ({n})"))
                .collect::<Vec<_>>()
                .join(", "),
        };
        Some(format!("{inputs} re-converted: {why}"))
    }
}

/// Why an output that holds its input's hash is converted again, in the
/// order they are told.
pub const STALE_REASONS: [&str; 4] = [
    TOOL_CHANGED,
    CATALOG_CHANGED,
    ADMINISTRATIONS_CHANGED,
    OPTIONS_CHANGED,
];

/// Another version or git revision of the program wrote the output (or one
/// from before provenance was recorded, schema version 1).
pub const TOOL_CHANGED: &str = "tool version changed";
/// Another catalogue (`--catalog`, or an edited one) made the output.
pub const CATALOG_CHANGED: &str = "catalogue changed";
/// Another list of administrations made the output.
pub const ADMINISTRATIONS_CHANGED: &str = "administrations changed";
/// Options that change what is written differ (`--one-report`, `--ocr`,
/// `--ocr-lang`, `--dpi`, …).
pub const OPTIONS_CHANGED: &str = "options changed";

/// Why a document with provenance `old` is not what a run with `new`
/// would write (nothing when they match): the tool's version or git
/// revision, the catalogue's or administrations' text, or the options
/// differ. A document without provenance (schema version 1) or of another
/// schema version was written by another version of the tool.
pub fn stale_reasons(
    schema_version: u32,
    old: Option<&Provenance>,
    new: &Provenance,
) -> Vec<&'static str> {
    let Some(old) = old.filter(|_| schema_version == SCHEMA_VERSION) else {
        return vec![TOOL_CHANGED];
    };
    let mut reasons = Vec::new();
    if (&old.tool.version, &old.tool.revision) != (&new.tool.version, &new.tool.revision) {
        reasons.push(TOOL_CHANGED);
    }
    if old.catalog.sha256 != new.catalog.sha256 {
        reasons.push(CATALOG_CHANGED);
    }
    if old.administrations.sha256 != new.administrations.sha256 {
        reasons.push(ADMINISTRATIONS_CHANGED);
    }
    if old.options != new.options {
        reasons.push(OPTIONS_CHANGED);
    }
    reasons
}

/// Told about each input as it finishes (for progress bars and logs).
pub trait Progress: Sync {
    /// One input finished.
    fn finished(&self, result: &InputResult);
}

/// Why a batch could not run at all (individual inputs never cause this).
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The output folder could not be made or written.
    #[error("{path}: cannot write")]
    Output {
        /// The path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The thread pool could not start.
    #[error("cannot start {jobs} worker threads: {message}")]
    Threads {
        /// Threads asked for.
        jobs: usize,
        /// Why.
        message: String,
    },
}

/// Output file names for inputs: `<file name>.json` (e.g. `ioff.pdf.json`),
/// with a short hash of the full input path added where two inputs share
/// a file name, or where a file name ends like the name of a report of a
/// bundle (`x.pdf#2`, see [`part_output`]). Names are plain file names, so
/// they cannot leave the output folder whatever the input paths are (`..`,
/// absolute, links).
///
/// Hashes are of the path's raw bytes, so that two names that are not
/// UTF-8 and differ only where they are not (`caf\xe9.txt`, `caf\xe8.txt`)
/// get different outputs; such a name always carries the hash of its own
/// bytes (its readable form alone would be shared). A name too long to be
/// a file name once `.json` is added is shortened and given the hash.
pub fn output_names(inputs: &[PathBuf]) -> Vec<String> {
    let base: Vec<String> = inputs.iter().map(|p| safe_file_name(p)).collect();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for b in &base {
        *count.entry(b.as_str()).or_default() += 1;
    }
    inputs
        .iter()
        .zip(&base)
        .map(|(p, b)| {
            let suffix = if count[b.as_str()] > 1 || names_a_part(b) {
                let h = hex_sha256(&raw_bytes(p.as_os_str()));
                format!("-{}.json", &h[..8])
            } else {
                ".json".to_string()
            };
            if b.len() + suffix.len() <= MAX_NAME_BYTES {
                return format!("{b}{suffix}");
            }
            // Too long to be a file name: shortened, with the hash of the
            // whole path so that shortened names stay apart.
            let h = hex_sha256(&raw_bytes(p.as_os_str()));
            let mut cut = MAX_NAME_BYTES - 9 - 5;
            while !b.is_char_boundary(cut) {
                cut -= 1;
            }
            format!("{}-{}.json", &b[..cut], &h[..8])
        })
        .collect()
}

/// The longest file name most file systems allow, in bytes (temporary
/// names are kept short apart, see `output::write_atomic`).
const MAX_NAME_BYTES: usize = 255;

/// The bytes of a path as the operating system holds them.
fn raw_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        s.as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        s.to_string_lossy().into_owned().into_bytes()
    }
}

/// The output of report `index` (1-based) of a file that holds several:
/// `out/x.pdf.json` → `out/x.pdf#2.json`.
pub fn part_output(output: &Path, index: usize) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".json").unwrap_or(&name);
    output.with_file_name(format!("{stem}#{index}.json"))
}

/// A name ending as a part's output name does before `.json`: `x.pdf#2`.
fn names_a_part(name: &str) -> bool {
    name.rsplit_once('#')
        .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn safe_file_name(p: &Path) -> String {
    let Some(raw) = p.file_name() else {
        return "input".to_string();
    };
    let name = raw.to_string_lossy();
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    // No hidden files, no "." or "..".
    let trimmed = cleaned.trim_start_matches('.');
    let base = if trimmed.is_empty() {
        "input".to_string()
    } else {
        trimmed.to_string()
    };
    if raw.to_str().is_none() {
        // Not UTF-8: the readable form may be another name's too.
        let h = hex_sha256(&raw_bytes(raw));
        return format!("{base}-{}", &h[..8]);
    }
    base
}

/// Converts every input into `options.out`, in parallel.
pub fn run(
    extractor: &Extractor,
    inputs: &[PathBuf],
    options: &BatchOptions,
    progress: &dyn Progress,
) -> Result<BatchSummary, BatchError> {
    let start = Instant::now();
    std::fs::create_dir_all(&options.out).map_err(|source| BatchError::Output {
        path: options.out.clone(),
        source,
    })?;
    // Left by a run that was killed part-way; this run rewrites them.
    crate::output::remove_stale_temporaries(&options.out);
    let names = output_names(inputs);
    let jobs = options
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .map_err(|e| BatchError::Threads {
            jobs,
            message: e.to_string(),
        })?;
    let mut results: Vec<InputResult> = pool.install(|| {
        inputs
            .par_iter()
            .zip(names.par_iter())
            .map(|(input, name)| {
                let result = convert_one(extractor, input, &options.out.join(name), options);
                progress.finished(&result);
                result
            })
            .collect()
    });
    for (path, message) in &options.unreadable {
        let result = InputResult {
            path: path.clone(),
            output: None,
            reports: 0,
            outcome: Outcome::Failed,
            kind: Some("io".to_string()),
            message: Some(message.clone()),
            pages: 0,
            reconverted: Vec::new(),
        };
        progress.finished(&result);
        results.push(result);
    }
    write_errors(&options.out, &results)?;
    Ok(BatchSummary {
        results,
        elapsed: start.elapsed(),
    })
}

fn convert_one(
    extractor: &Extractor,
    input: &Path,
    output: &Path,
    options: &BatchOptions,
) -> InputResult {
    let failed = |kind: &str, message: String| InputResult {
        path: input.to_path_buf(),
        output: None,
        reports: 0,
        outcome: Outcome::Failed,
        kind: Some(kind.to_string()),
        message: Some(message),
        pages: 0,
        reconverted: Vec::new(),
    };
    let bytes = match crate::read::read_input(input) {
        Ok(b) => b,
        Err(e) => return failed(e.kind(), with_sources(&e)),
    };
    let sha = hex_sha256(&bytes);
    let mut reconverted = Vec::new();
    if !options.force {
        let made = extractor.provenance(&options.extract);
        match existing_outputs(output, &sha, options.extract.one_report, &made) {
            Existing::UpToDate(reports) => {
                return InputResult {
                    path: input.to_path_buf(),
                    output: Some(output.to_path_buf()),
                    reports,
                    outcome: Outcome::Skipped,
                    kind: None,
                    message: None,
                    pages: 0,
                    reconverted,
                };
            }
            Existing::Stale(reasons) => reconverted = reasons,
            Existing::Absent => {}
        }
    }
    let extracted = catch_unwind(AssertUnwindSafe(|| {
        extractor.extract_reports_hashed(input, &bytes, &sha, &options.extract)
    }));
    let reports = match extracted {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => return failed(e.kind(), with_sources(&e)),
        Err(_) => {
            return failed(
                "panic",
                format!(
                    "{}: internal error while extracting (a bug: please report it with the file)",
                    input.display()
                ),
            )
        }
    };
    if let [report] = reports.as_slice() {
        if report.items.is_empty() && report.source.text_layer == Some(TextLayer::None) {
            let why = if report.source.format == SourceFormat::Image {
                "the image was not OCR'd (--ocr never), so it has no text"
            } else {
                "the PDF has no text layer (an image-only scan): it needs OCR first"
            };
            return failed("no-text-layer", format!("{}: {why}", input.display()));
        }
        if report.items.is_empty() {
            return failed(
                "not-a-report",
                format!(
                    "{}: not a follow-up report: no rows of the catalogue found",
                    input.display()
                ),
            );
        }
    }
    // One report: `x.pdf.json`. Several: `x.pdf#1.json`, #2, … (each
    // written whole, a part without rows with its warning).
    let outputs: Vec<PathBuf> = if reports.len() == 1 {
        vec![output.to_path_buf()]
    } else {
        (1..=reports.len())
            .map(|k| part_output(output, k))
            .collect()
    };
    for (report, path) in reports.iter().zip(&outputs) {
        let mut json = match serde_json::to_string_pretty(report) {
            Ok(j) => j,
            Err(e) => {
                return failed(
                    "internal",
                    format!("{}: cannot serialise: {e}", input.display()),
                )
            }
        };
        json.push('\n');
        if let Err(e) = write_atomic(path, json.as_bytes()) {
            return failed("io", format!("{}: cannot write: {e}", path.display()));
        }
    }
    remove_stale_outputs(output, reports.len());
    InputResult {
        path: input.to_path_buf(),
        output: outputs.first().cloned(),
        reports: reports.len(),
        outcome: Outcome::Ok,
        kind: None,
        message: None,
        pages: reports.first().map_or(0, |r| r.source.pages),
        reconverted,
    }
}

/// What an earlier run left for an input.
enum Existing {
    /// This many documents (its one output, or every part of a file that
    /// holds several), all of the input's hash and made as this run would.
    UpToDate(usize),
    /// Documents of the input's hash, made otherwise: why.
    Stale(Vec<&'static str>),
    /// None, one missing or unreadable, or of other bytes.
    Absent,
}

/// The report documents of an input with this hash that exist already,
/// and whether a run that makes documents with provenance `made` would
/// write them the same.
fn existing_outputs(output: &Path, sha: &str, one_report: bool, made: &Provenance) -> Existing {
    let found = match existing_report(output).filter(|r| r.source.sha256 == sha) {
        Some(one) => Some(vec![one]),
        None if one_report => None,
        None => existing_parts(output, sha),
    };
    let Some(reports) = found else {
        return Existing::Absent;
    };
    let mut reasons: Vec<&'static str> = Vec::new();
    for r in &reports {
        for reason in stale_reasons(r.schema_version, r.provenance.as_ref(), made) {
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        }
    }
    if reasons.is_empty() {
        Existing::UpToDate(reports.len())
    } else {
        Existing::Stale(reasons)
    }
}

/// Every part of a file that holds several reports, when all exist and
/// hold this hash.
fn existing_parts(output: &Path, sha: &str) -> Option<Vec<Report>> {
    let first = existing_report(&part_output(output, 1))?;
    let count = first.source.part.as_ref()?.count;
    let mut parts = vec![first];
    for k in 2..=count {
        parts.push(existing_report(&part_output(output, k))?);
    }
    parts
        .iter()
        .all(|r| r.source.sha256 == sha)
        .then_some(parts)
}

/// Removes what an earlier run wrote for this input and this run did not:
/// parts beyond `written`, or the one output a file now split had (and
/// the parts of a file now read as one report).
fn remove_stale_outputs(output: &Path, written: usize) {
    let first_stale = if written == 1 {
        1
    } else {
        let _ = std::fs::remove_file(output);
        written + 1
    };
    let mut k = first_stale;
    loop {
        let part = part_output(output, k);
        if std::fs::remove_file(&part).is_err() && !part.exists() {
            break;
        }
        k += 1;
    }
}

/// An existing output, if it parses.
fn existing_report(output: &Path) -> Option<Report> {
    let text = std::fs::read_to_string(output).ok()?;
    serde_json::from_str(&text).ok()
}

/// `errors.jsonl`: one line per failed input (path, kind, message), in
/// input order; written (empty) even when nothing failed, so a stale list
/// never survives a good run.
///
/// Another batch may write into the same folder at the same time: the file
/// is rewritten under a lock (see [`crate::output::DirLock`]), keeping the
/// lines of inputs this run did not have whose files still exist (the
/// other run's failures, or failures not retried), and replacing those of
/// its own inputs.
fn write_errors(out: &Path, results: &[InputResult]) -> Result<(), BatchError> {
    #[derive(Serialize)]
    struct Line<'a> {
        path: String,
        kind: &'a str,
        message: &'a str,
    }
    let path = out.join("errors.jsonl");
    let output_err = |source| BatchError::Output {
        path: path.clone(),
        source,
    };
    let _lock = crate::output::DirLock::acquire(out, "errors.jsonl").map_err(output_err)?;
    let ours: std::collections::HashSet<String> = results
        .iter()
        .map(|r| r.path.display().to_string())
        .collect();
    let mut text = String::new();
    if let Ok(previous) = std::fs::read_to_string(&path) {
        for line in previous.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let Some(p) = v["path"].as_str() else {
                continue;
            };
            if !ours.contains(p) && Path::new(p).exists() {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    for r in results.iter().filter(|r| r.outcome == Outcome::Failed) {
        let line = Line {
            path: r.path.display().to_string(),
            kind: r.kind.as_deref().unwrap_or("error"),
            message: r.message.as_deref().unwrap_or_default(),
        };
        if let Ok(l) = serde_json::to_string(&line) {
            text.push_str(&l);
            text.push('\n');
        }
    }
    write_atomic(&path, text.as_bytes()).map_err(output_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_never_collide_and_never_leave_the_folder() {
        let inputs: Vec<PathBuf> = [
            "a/ioff.pdf",
            "b/ioff.pdf",
            "../../etc/passwd",
            "/abs/x.txt",
            "c/.hidden.pdf",
            "c/ioff.txt",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let names = output_names(&inputs);
        let unique: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        for n in &names {
            assert!(
                !n.contains('/') && !n.contains('\\') && !n.starts_with('.'),
                "{n}"
            );
        }
        assert_eq!(names[2], "passwd.json");
        let long = |n: usize| PathBuf::from(format!("d/{}.txt", "å".repeat(n)));
        let names_long = output_names(&[long(120), long(130), long(131)]);
        assert_eq!(names_long[0], format!("{}.txt.json", "å".repeat(120)));
        assert!(names_long.iter().all(|n| n.len() <= 255), "{names_long:?}");
        assert_ne!(names_long[1], names_long[2]);
        assert_eq!(names[5], "ioff.txt.json");
        assert!(names[0].starts_with("ioff.pdf-") && names[0] != names[1]);
    }

    #[test]
    fn a_bundles_part_names_are_nobody_elses() {
        let out = Path::new("out/x.pdf.json");
        assert_eq!(part_output(out, 2), Path::new("out/x.pdf#2.json"));
        // An input named as a part's output would be gets a hash instead.
        let inputs: Vec<PathBuf> = ["a/x.pdf", "a/x.pdf#2", "a/y#notes.txt"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let names = output_names(&inputs);
        assert_eq!(names[0], "x.pdf.json");
        assert!(names[1].starts_with("x.pdf#2-") && names[1].ends_with(".json"));
        assert_eq!(names[2], "y#notes.txt.json");
    }
}
