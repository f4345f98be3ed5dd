//! Many reports → one table for analysts: the contract's long rows (one
//! per report and item), and the writers that turn them into CSV, JSON
//! Lines, an .xlsx workbook and a self-contained HTML overview.
//!
//! Owns the aggregate row shape and reading contract JSON files back; the
//! per-format files own their format, and `overview` the one view of the
//! reports (entries, columns, cells, tallies, review) that the workbook and
//! the HTML page both render.

pub mod csv;
pub mod html;
pub mod jsonl;
mod overview;
pub mod xlsx;

use std::path::{Path, PathBuf};

use serde::{Serialize, Serializer};

use crate::catalog::Catalog;
use crate::model::{Answer, Code, ProgramId};
use crate::report::Report;

/// One row of the aggregate: a report's item with its report's identity.
/// Field order is the contract's column order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AggregateRow {
    /// `administration.id`, empty when unknown.
    pub administration_id: String,
    /// `administration.name`, empty when unknown.
    pub administration_name: String,
    /// The follow-up year, where known.
    pub year: Option<u16>,
    /// Programme id.
    pub program: ProgramId,
    /// Area number, where the programme has areas.
    pub area: Option<u16>,
    /// The row's code ("N:M").
    pub code: Code,
    /// The question.
    pub question: String,
    /// The answer; `None` when left blank, written as "".
    #[serde(serialize_with = "answer_or_empty")]
    pub answer: Option<Answer>,
    /// The comment.
    pub comment: String,
    /// 0..1.
    pub confidence: f32,
    /// 1-based page.
    pub page: usize,
    /// The report's source path.
    pub source_path: String,
    /// The report's source SHA-256.
    pub source_sha256: String,
    /// The item's key, unique in its report (see
    /// [`crate::report::item_keys`]). Last, so that the columns of schema
    /// version 1 keep their places.
    pub item_key: String,
}

/// An answer as the contract's word, "" for a blank one.
fn answer_word(answer: Option<Answer>) -> &'static str {
    answer.map_or("", Answer::as_str)
}

fn answer_or_empty<S: Serializer>(answer: &Option<Answer>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(answer_word(*answer))
}

/// The contract's column names, in order.
pub const COLUMNS: [&str; 14] = [
    "administration_id",
    "administration_name",
    "year",
    "program",
    "area",
    "code",
    "question",
    "answer",
    "comment",
    "confidence",
    "page",
    "source_path",
    "source_sha256",
    "item_key",
];

/// The long rows of many reports, reports in the order given. An item's
/// key is the one its document holds; a document of schema version 1,
/// which had none, gets the keys [`crate::report::item_keys`] gives.
pub fn rows(reports: &[Report]) -> Vec<AggregateRow> {
    let mut out = Vec::new();
    for r in reports {
        let keys = if r.items.iter().any(|i| i.item_key.is_empty()) {
            r.item_keys()
        } else {
            r.items.iter().map(|i| i.item_key.clone()).collect()
        };
        let (id, name) = r
            .administration
            .as_ref()
            .map(|a| (a.id.clone(), a.name.clone()))
            .unwrap_or_default();
        for (item, item_key) in r.items.iter().zip(keys) {
            out.push(AggregateRow {
                administration_id: id.clone(),
                administration_name: name.clone(),
                year: r.period.as_ref().map(|p| p.year),
                program: item.program.clone(),
                area: item.area,
                code: item.code,
                question: item.question.clone(),
                answer: item.answer,
                comment: item.comment.clone(),
                confidence: item.confidence,
                page: item.page,
                source_path: r.source.path.clone(),
                source_sha256: r.source.sha256.clone(),
                item_key,
            });
        }
    }
    out
}

/// Why a folder of reports could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The folder could not be listed.
    #[error("{path}: cannot read folder")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A file that is not a contract document.
    #[error("{path}: not a report document: {message}")]
    Report {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// A report document read from a folder, with its path.
pub type Loaded = (PathBuf, Report);

/// A `.json` file in the folder that is not a report document (a
/// `package.json`, a file cut short): left out of the aggregate, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why it is not read as a report.
    pub reason: String,
}

/// Reads every report document (`*.json` not starting with `.`) in a
/// folder, sorted by file name; files that are not report documents are
/// returned apart, as [`Skipped`], instead of failing the whole folder.
///
/// Every report is read, whatever its input was called: the aggregate's
/// own files (`aggregate.csv`, `aggregate.jsonl`, `aggregate.xlsx`,
/// `overview.html`) are not `.json`, so a report of an input named
/// `aggregate-2023.pdf` is not mistaken for one of them.
pub fn load_reports(dir: &Path) -> Result<(Vec<Loaded>, Vec<Skipped>), LoadError> {
    let folder_err = |source| LoadError::Folder {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(folder_err)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let hidden = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            p.extension().is_some_and(|e| e == "json") && !hidden && p.is_file()
        })
        .collect();
    paths.sort();
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        let read = std::fs::read_to_string(&p)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str::<Report>(&text).map_err(|e| e.to_string()));
        match read {
            Ok(report) => out.push((p, report)),
            Err(reason) => skipped.push(Skipped { path: p, reason }),
        }
    }
    Ok((out, skipped))
}

/// Administrations reported more than once: (id, source paths). They are
/// kept, never merged; writers flag them.
pub fn duplicates(reports: &[Report]) -> Vec<(String, Vec<String>)> {
    let mut by_admin: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for r in reports {
        if let Some(a) = &r.administration {
            let key = match &r.period {
                Some(p) => format!("{} {}", a.id, p.year),
                None => a.id.clone(),
            };
            by_admin.entry(key).or_default().push(r.source.path.clone());
        }
    }
    by_admin.into_iter().filter(|(_, v)| v.len() > 1).collect()
}

/// What [`write_all`] and [`write_to`] did.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// The aggregate files written.
    pub files: Vec<PathBuf>,
    /// `.json` files in the folder that are not report documents, left out.
    pub skipped: Vec<Skipped>,
}

/// Reads every report in `dir` and writes the aggregate files next to
/// them (atomically): `aggregate.csv`, `aggregate.jsonl`, `aggregate.xlsx`,
/// `overview.html`.
pub fn write_all(dir: &Path) -> Result<Written, WriteError> {
    write_to(dir, dir)
}

/// Reads every report in `dir` and writes the aggregate files into `out`.
///
/// A report of a file that holds several is named `<path>#N` in every
/// aggregate file (its `source_path`), so that no table merges the
/// reports of one bundle.
pub fn write_to(dir: &Path, out: &Path) -> Result<Written, WriteError> {
    let (loaded, skipped) = load_reports(dir)?;
    write_loaded(loaded, skipped, out)
}

/// Writes the aggregate files of reports already read with
/// [`load_reports`] into `out`, as [`write_to`] does.
pub fn write_loaded(
    loaded: Vec<Loaded>,
    skipped: Vec<Skipped>,
    out: &Path,
) -> Result<Written, WriteError> {
    let reports: Vec<Report> = loaded
        .into_iter()
        .map(|(_, mut r)| {
            r.source.path = r.source.report_name();
            r
        })
        .collect();
    let rows = rows(&reports);
    let catalog = Catalog::embedded().ok();
    let overview = overview::Overview::build(&reports, &rows, catalog.as_ref());
    // The workbook costs about as much as the other three together: built
    // beside them when the current thread pool has a second thread.
    let (xlsx, (csv, jsonl, html)) = rayon::join(
        || xlsx::render(&overview),
        || {
            (
                csv::to_csv(&rows),
                jsonl::to_jsonl(&rows),
                html::render(&overview),
            )
        },
    );
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("aggregate.csv", csv),
        ("aggregate.jsonl", jsonl),
        (
            "aggregate.xlsx",
            xlsx.map_err(|e| WriteError::Xlsx(e.to_string()))?,
        ),
        ("overview.html", html.into_bytes()),
    ];
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = out.join(name);
        crate::output::write_atomic(&path, &bytes).map_err(|source| WriteError::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(Written {
        files: written,
        skipped,
    })
}

/// Why the aggregate files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Reading the reports failed.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The workbook could not be built.
    #[error("cannot build aggregate.xlsx: {0}")]
    Xlsx(String),
    /// A file could not be written.
    #[error("{path}: cannot write")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}
