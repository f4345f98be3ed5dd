//! One input file → its [`Report`]s: read, split (a file may hold several
//! reports), segment, extract, identify.
//!
//! The only place that strings the stages together; the binary and the
//! batch runner call [`Extractor`]. When reading is isolated (the
//! default of the binary), the stages after reading run in the same kind
//! of worker process as reading, under the same memory and time limits
//! ([`serve_stages`] is the worker's side): a text that reads quickly but
//! segments slowly costs that file, not the run.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::catalog::{Administrations, Catalog, Parsed};
use crate::document::{Document, SourceFormat, TextLayer};
use crate::error::{Error, Result, WorkerFailure};
use crate::extract::{self, identify};
use crate::read::{self, worker, Isolation, ReadOptions};
use crate::repair::{Origin, Repairer};
use crate::report::{
    Evidence, Fingerprint, Part, Period, Provenance, Report, RunOptions, Source, Tool, Warning,
    WarningKind, SCHEMA_VERSION,
};
use crate::segment;
use crate::split;

/// Per-run options of an extraction.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// Administration id given by the user (`--administration`).
    pub administration: Option<String>,
    /// Year given by the user (`--year`).
    pub year: Option<u16>,
    /// Keep every repair in the items (`--explain`).
    pub explain: bool,
    /// Options for reading the file.
    pub read: ReadOptions,
    /// Take the file as one report even where it seems to hold several
    /// (`--one-report`): no splitting.
    pub one_report: bool,
}

/// Holds what every extraction needs: catalogue, administrations and the
/// repairer with its lexicon. Build once, use for many files (it is `Sync`).
pub struct Extractor {
    catalog: Catalog,
    /// The catalogue's template, built once.
    segmenter: segment::Prepared,
    admins: Administrations,
    names: identify::Names,
    repairer: Repairer,
    /// The tool, catalogue and administrations every report records.
    made_with: (Tool, Fingerprint, Fingerprint),
}

impl Extractor {
    /// An extractor for this catalogue and list of administrations.
    pub fn new(catalog: Catalog, admins: Administrations) -> Extractor {
        let repairer = {
            let mut words: Vec<&str> = Vec::new();
            for p in &catalog.programs {
                words.extend(p.title.split_whitespace());
                for a in &p.areas {
                    words.extend(a.title.split_whitespace());
                }
                for i in &p.items {
                    for t in [
                        Some(&i.question),
                        i.strategy.as_ref(),
                        i.instruction.as_ref(),
                        i.expected_result.as_ref(),
                    ]
                    .into_iter()
                    .flatten()
                    {
                        words.extend(t.split_whitespace());
                    }
                }
            }
            for a in &admins.list {
                words.extend(a.names().flat_map(str::split_whitespace));
            }
            Repairer::new(words)
        };
        let made_with = (
            Tool::current(),
            Fingerprint {
                version: Some(catalog.version.clone()),
                sha256: hex_sha256(catalog.source().text.as_bytes()),
            },
            Fingerprint {
                version: None,
                sha256: hex_sha256(admins.source().text.as_bytes()),
            },
        );
        Extractor {
            made_with,
            segmenter: segment::Prepared::new(&catalog),
            catalog,
            names: identify::Names::new(&admins),
            admins,
            repairer,
        }
    }

    /// The catalogue in use.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The repairer, with the catalogue's texts as extra words.
    pub fn repairer(&self) -> &Repairer {
        &self.repairer
    }

    /// What a report made with these options records as its making: this
    /// build, the catalogue's and the administrations' fingerprints, and
    /// the options that change what is written (OCR's language and
    /// resolution with their defaults filled in).
    pub fn provenance(&self, options: &ExtractOptions) -> Provenance {
        let (tool, catalog, administrations) = self.made_with.clone();
        let (ocr_lang, dpi) = crate::read::ocr::lang_and_dpi(&options.read);
        Provenance {
            tool,
            catalog,
            administrations,
            options: RunOptions {
                administration: options.administration.clone(),
                year: options.year,
                explain: options.explain,
                one_report: options.one_report,
                ocr: options.read.ocr,
                ocr_lang: ocr_lang.to_string(),
                dpi,
            },
        }
    }

    /// Checks an `--administration` id against the list.
    pub fn check_administration(&self, id: &str) -> Result<()> {
        if self.admins.get(id).is_some() {
            return Ok(());
        }
        let known: Vec<&str> = self.admins.list.iter().map(|a| a.id.as_str()).collect();
        Err(Error::UnknownAdministration {
            id: id.to_string(),
            known: known.join(", "),
        })
    }

    /// Reads and extracts every report one file holds (one for most files;
    /// a bundle of reports gives one each, see `split`), in file order.
    pub fn extract_reports_path(
        &self,
        path: &Path,
        options: &ExtractOptions,
    ) -> Result<Vec<Report>> {
        let bytes = crate::read::read_input(path)?;
        self.extract_reports_hashed(path, &bytes, &hex_sha256(&bytes), options)
    }

    /// [`Extractor::extract_reports_path`] of a file already in memory,
    /// whose [`hex_sha256`] the caller has computed.
    pub fn extract_reports_hashed(
        &self,
        path: &Path,
        bytes: &[u8],
        sha256: &str,
        options: &ExtractOptions,
    ) -> Result<Vec<Report>> {
        let started = Instant::now();
        let doc = read::read_bytes(path, bytes, &options.read)?;
        match &options.read.isolation {
            Some(isolation) => {
                self.reports_in_worker(path, sha256, doc, options, isolation, started)
            }
            None => self.reports(path, sha256, &doc, options),
        }
    }

    /// [`Extractor::extract_reports_path`] of a document already read.
    pub fn extract_reports_document(
        &self,
        path: &Path,
        bytes: &[u8],
        doc: &Document,
        options: &ExtractOptions,
    ) -> Result<Vec<Report>> {
        self.reports(path, &hex_sha256(bytes), doc, options)
    }

    /// Reads and extracts one file as one report, whatever it holds (use
    /// [`Extractor::extract_reports_path`] for files that may hold several).
    pub fn extract_path(&self, path: &Path, options: &ExtractOptions) -> Result<Report> {
        let bytes = crate::read::read_input(path)?;
        self.extract_bytes(path, &bytes, options)
    }

    /// Extracts one file already in memory as one report; `path` names it
    /// in the output.
    pub fn extract_bytes(
        &self,
        path: &Path,
        bytes: &[u8],
        options: &ExtractOptions,
    ) -> Result<Report> {
        self.extract_hashed(path, bytes, &hex_sha256(bytes), options)
    }

    /// [`Extractor::extract_bytes`] for bytes whose [`hex_sha256`] the
    /// caller has already computed (the batch runner hashes every input to
    /// skip those converted before).
    pub fn extract_hashed(
        &self,
        path: &Path,
        bytes: &[u8],
        sha256: &str,
        options: &ExtractOptions,
    ) -> Result<Report> {
        let one = ExtractOptions {
            one_report: true,
            ..options.clone()
        };
        let reports = self.extract_reports_hashed(path, bytes, sha256, &one)?;
        reports.into_iter().next().ok_or_else(|| Error::Worker {
            path: path.to_path_buf(),
            failure: WorkerFailure::Crashed("it answered with no report".into()),
        })
    }

    /// Extracts from a document already read, as one report.
    pub fn extract_document(
        &self,
        path: &Path,
        bytes: &[u8],
        doc: &Document,
        options: &ExtractOptions,
    ) -> Result<Report> {
        self.report(path, &hex_sha256(bytes), doc, options)
    }

    /// [`Extractor::reports`] in a worker process, under the isolation's
    /// memory limit and its timeout (the rest of it, when the timeout
    /// bounds the whole file and reading began at `started`): the stages
    /// after reading are as bounded as reading is. The worker runs
    /// [`serve_stages`].
    fn reports_in_worker(
        &self,
        path: &Path,
        sha256: &str,
        doc: Document,
        options: &ExtractOptions,
        isolation: &Isolation,
        started: Instant,
    ) -> Result<Vec<Report>> {
        // Checked here, so that the one error the stages can give stays
        // typed.
        if let Some(id) = &options.administration {
            self.check_administration(id)?;
        }
        let crashed = |message: String| Error::Worker {
            path: path.to_path_buf(),
            failure: WorkerFailure::Crashed(message),
        };
        let job = StagesJob {
            sha256: sha256.to_string(),
            doc,
            administration: options.administration.clone(),
            year: options.year,
            explain: options.explain,
            one_report: options.one_report,
            catalog: self.catalog.source().clone(),
            administrations: self.admins.source().clone(),
        };
        let job =
            postcard::to_stdvec(&job).map_err(|e| crashed(format!("cannot send the job ({e})")))?;
        let limits = isolation.limits;
        let timeout = if limits.whole_file {
            limits.timeout.saturating_sub(started.elapsed())
        } else {
            limits.timeout
        };
        let answer = match worker::run_stages(path, &job, isolation, timeout) {
            Err(Error::Worker {
                path,
                failure: WorkerFailure::Timeout(limit),
            }) => {
                return Err(Error::Worker {
                    path,
                    failure: WorkerFailure::StagesTimeout(limit),
                })
            }
            answer => answer?,
        };
        match postcard::from_bytes::<StagesAnswer>(&answer) {
            Ok(StagesAnswer::Reports(json)) => {
                let mut reports: Vec<Report> = serde_json::from_str(&json)
                    .map_err(|e| crashed(format!("unreadable reports ({e})")))?;
                // The worker knows none of the reading options.
                let provenance = self.provenance(options);
                for r in &mut reports {
                    r.provenance = Some(provenance.clone());
                }
                Ok(reports)
            }
            Ok(StagesAnswer::Failed(message)) => Err(crashed(message)),
            Err(e) => Err(crashed(format!("unreadable answer ({e})"))),
        }
    }

    /// The reports of a document read from a file with this hash: the
    /// document's own, or one for each report it holds.
    fn reports(
        &self,
        path: &Path,
        sha256: &str,
        doc: &Document,
        options: &ExtractOptions,
    ) -> Result<Vec<Report>> {
        let cuts = if options.one_report {
            Vec::new()
        } else {
            split::find_cuts(doc, &self.catalog, &|line| {
                identify::names_administration(&self.names, line)
            })
        };
        if cuts.is_empty() {
            return Ok(vec![self.report(path, sha256, doc, options)?]);
        }
        let parts = split::cut(doc, &cuts);
        let count = parts.len();
        let mut reports = Vec::with_capacity(count);
        for (i, part) in parts.iter().enumerate() {
            let mut report = self.report(path, sha256, part, options)?;
            report.source.pages = doc.pages.len();
            report.source.part = Some(Part {
                index: i + 1,
                count,
                first_page: part.pages.first().map_or(1, |p| p.number),
                last_page: part.pages.last().map_or(1, |p| p.number),
            });
            reports.push(report);
        }
        name_only_what_the_file_name_names(&mut reports);
        for r in &mut reports {
            r.set_item_keys();
        }
        warn_uncertain_cuts(&mut reports, &cuts);
        warn_repeated_reports(&mut reports);
        Ok(reports)
    }

    /// The report of a document read from a file with this hash.
    fn report(
        &self,
        path: &Path,
        sha256: &str,
        doc: &Document,
        options: &ExtractOptions,
    ) -> Result<Report> {
        let seg = segment::segment_prepared(doc, &self.catalog, &self.segmenter);
        let found = extract::extract(
            &seg,
            &self.catalog,
            &self.repairer,
            extract::Options {
                origin: if doc.is_ocr() {
                    Origin::Ocr
                } else {
                    Origin::Digital
                },
                explain: options.explain,
            },
        );
        let administration = if let Some(id) = &options.administration {
            self.check_administration(id)?;
            self.admins
                .get(id)
                .map(|a| crate::report::AdministrationRef {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    evidence: Evidence::Flag,
                })
        } else {
            let from_path = identify::administration_from_path(path, &self.admins);
            identify::administration_from_text(&seg, &self.admins, &self.names, from_path.is_some())
                .or(from_path)
        };
        let period = match options.year {
            Some(year) => Some(Period {
                year,
                evidence: Evidence::Flag,
            }),
            None => identify::period_from_text(&seg).or_else(|| identify::period_from_path(path)),
        };
        // What the reader worked around comes first: it may explain the
        // rows that are missing.
        let mut warnings: Vec<Warning> = doc
            .warnings
            .iter()
            .map(|w| Warning {
                kind: w.kind.into(),
                message: w.message.clone(),
                page: w.page,
            })
            .collect();
        warnings.extend(found.warnings);
        if doc.text_layer == Some(TextLayer::None) {
            warnings.insert(
                0,
                Warning {
                    kind: WarningKind::NoTextLayer,
                    message: if doc.format == SourceFormat::Image {
                        "the image was not OCR'd (--ocr never), so it has no text".into()
                    } else {
                        "the PDF has no text layer (an image-only scan); OCR it first".into()
                    },
                    page: None,
                },
            );
        }
        let mut report = Report {
            schema_version: SCHEMA_VERSION,
            source: Source {
                path: path.display().to_string(),
                sha256: sha256.to_string(),
                format: doc.format,
                text_layer: doc.text_layer,
                pages: doc.pages.len(),
                part: None,
            },
            administration,
            period,
            items: found.items,
            missing: found.missing,
            warnings,
            provenance: Some(self.provenance(options)),
        };
        report.set_item_keys();
        Ok(report)
    }
}

/// The stages after reading, as sent to a worker: the document read and
/// all that [`Extractor::reports`] needs to run on it there.
#[derive(Serialize, Deserialize)]
struct StagesJob {
    sha256: String,
    doc: Document,
    administration: Option<String>,
    year: Option<u16>,
    explain: bool,
    one_report: bool,
    catalog: Parsed,
    administrations: Parsed,
}

/// A worker's answer to a [`StagesJob`].
#[derive(Serialize, Deserialize)]
enum StagesAnswer {
    /// The reports, as the contract's JSON (postcard cannot carry the
    /// fields the contract leaves out when empty).
    Reports(String),
    /// What went wrong.
    Failed(String),
}

/// The extractor a worker built for the last job, with the lists it was
/// built from: the next job of the same run reuses it.
static WORKER_EXTRACTOR: Mutex<Option<(Parsed, Parsed, Arc<Extractor>)>> = Mutex::new(None);

/// A worker's side of `Extractor::reports_in_worker`: runs the stages
/// after reading on the document in `job`, for the file at `path`, and
/// returns the answer. The binary's hidden `worker` command passes this
/// to [`worker::serve`].
pub fn serve_stages(path: &Path, job: &[u8]) -> Vec<u8> {
    let answer = match postcard::from_bytes::<StagesJob>(job) {
        Ok(job) => run_stages(path, job),
        Err(e) => StagesAnswer::Failed(format!("unreadable job ({e})")),
    };
    // An enum of one string always encodes; an empty answer would be
    // reported as unreadable.
    postcard::to_stdvec(&answer).unwrap_or_default()
}

fn run_stages(path: &Path, job: StagesJob) -> StagesAnswer {
    let extractor = match worker_extractor(&job.catalog, &job.administrations) {
        Ok(e) => e,
        Err(e) => return StagesAnswer::Failed(e.to_string()),
    };
    let options = ExtractOptions {
        administration: job.administration,
        year: job.year,
        explain: job.explain,
        read: ReadOptions::default(),
        one_report: job.one_report,
    };
    match extractor.reports(path, &job.sha256, &job.doc, &options) {
        Ok(reports) => match serde_json::to_string(&reports) {
            Ok(json) => StagesAnswer::Reports(json),
            Err(e) => StagesAnswer::Failed(format!("cannot encode the reports ({e})")),
        },
        Err(e) => StagesAnswer::Failed(e.to_string()),
    }
}

/// The extractor for these lists: the last one built, if it was built
/// from them, else a new one.
fn worker_extractor(catalog: &Parsed, admins: &Parsed) -> Result<Arc<Extractor>> {
    let mut cached = WORKER_EXTRACTOR
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((c, a, extractor)) = cached.as_ref() {
        if c == catalog && a == admins {
            return Ok(Arc::clone(extractor));
        }
    }
    let extractor = Arc::new(Extractor::new(
        Catalog::parse(&catalog.text, &catalog.origin)?,
        Administrations::parse(&admins.text, &admins.origin)?,
    ));
    *cached = Some((catalog.clone(), admins.clone(), Arc::clone(&extractor)));
    Ok(extractor)
}

/// A file's name names the administration of a report whose text names
/// none; in a file that holds reports of several administrations (a
/// committee's bundle), it names none of them.
fn name_only_what_the_file_name_names(reports: &mut [Report]) {
    let by = |r: &Report, evidence: Evidence| {
        r.administration
            .as_ref()
            .filter(|a| a.evidence == evidence)
            .map(|a| a.id.clone())
    };
    let from_name = reports.iter().find_map(|r| by(r, Evidence::Filename));
    let others = reports
        .iter()
        .filter_map(|r| by(r, Evidence::Text))
        .any(|id| Some(&id) != from_name.as_ref());
    if from_name.is_some() && others {
        for r in reports.iter_mut() {
            if by(r, Evidence::Filename).is_some() {
                r.administration = None;
            }
        }
    }
}

/// Each cut told by the codes alone gets a warning in the reports on
/// either side of it.
fn warn_uncertain_cuts(reports: &mut [Report], cuts: &[split::Cut]) {
    let count = reports.len();
    for (i, cut) in cuts.iter().enumerate() {
        if cut.sure || i + 1 >= count {
            continue;
        }
        let page = reports[i + 1]
            .source
            .part
            .as_ref()
            .map_or(1, |p| p.first_page);
        let message = |which: &str| {
            format!(
                "page {page}: this file holds {count} reports; where report {} begins was told by \
                 its strategy codes starting again, not by a title or cover, so the cut on page \
                 {page} may be off by a few lines: check {which} rows beside it",
                i + 2
            )
        };
        for (r, which) in [(i, "its last"), (i + 1, "its first")] {
            reports[r].warnings.push(Warning {
                kind: WarningKind::UncertainSplit,
                message: message(which),
                page: Some(page),
            });
        }
    }
}

/// Share of the rows two reports both have whose comments must read the
/// same for the two to be versions of one report.
const SAME_COMMENTS: f64 = 0.5;

/// Share of words two comments must have in common to read the same
/// (Dice coefficient over their words: two scans of one page differ a
/// little).
const SAME_COMMENT: f64 = 0.8;

/// Dice coefficient of two texts' sets of (lowercased) words; 1.0 for two
/// empty texts. Linear in their length, for the many pairs of rows of a
/// large bundle.
fn word_overlap(a: &str, b: &str) -> f64 {
    let words = |t: &str| -> std::collections::HashSet<String> {
        t.split_whitespace().map(str::to_lowercase).collect()
    };
    let (a, b) = (words(a), words(b));
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * a.intersection(&b).count() as f64 / (a.len() + b.len()) as f64
}

/// Two reports of one file that are versions of one report (the same
/// administration and year, or the same comments) each get a warning
/// naming the other: both are kept, and a person decides which counts.
///
/// Each report is paired with its latest earlier version only (the last
/// report of its administration and year, or one of the [`TEXT_WINDOW`]
/// reports before it with the same comments), so that many copies form a
/// chain: the work and the warnings grow with the number of reports, not
/// with its square (a file of 700 copies gave half a million warnings).
fn warn_repeated_reports(reports: &mut [Report]) {
    let mut found = Vec::new();
    let mut last_by_author: std::collections::HashMap<(String, Option<i32>), usize> =
        std::collections::HashMap::new();
    for j in 0..reports.len() {
        let b = &reports[j];
        let author = b.administration.as_ref().map(|x| {
            (
                x.id.to_string(),
                b.period.as_ref().map(|p| i32::from(p.year)),
            )
        });
        let by_author = author.as_ref().and_then(|k| last_by_author.get(k).copied());
        let by_text = (j.saturating_sub(TEXT_WINDOW)..j)
            .rev()
            .find(|&i| Some(i) != by_author && same_comments(&reports[i], b));
        // The latest earlier version, whichever way it was found.
        let earlier = match (by_author, by_text) {
            (Some(x), Some(y)) => Some((x.max(y), x >= y)),
            (Some(x), None) => Some((x, true)),
            (None, Some(y)) => Some((y, false)),
            (None, None) => None,
        };
        if let Some((i, same_author)) = earlier {
            let (common, answers_differ) = compare_rows(&reports[i], b);
            found.push((i, j, same_author, common, answers_differ));
        }
        if let Some(k) = author {
            last_by_author.insert(k, j);
        }
    }
    for (i, j, same_author, common, answers_differ) in found {
        let why = match (same_author, &reports[i].period) {
            (true, Some(_)) => "the same administration and year",
            (true, None) => "the same administration",
            (false, _) => "mostly the same comments",
        };
        let pages = |r: &Report| {
            r.source.part.as_ref().map_or_else(String::new, |p| {
                format!("pages {}–{}", p.first_page, p.last_page)
            })
        };
        for (me, other) in [(i, j), (j, i)] {
            let message = format!(
                "report {} of this file ({}) has {why}: two versions of one report? Of the {common} \
                 rows both have, {answers_differ} are answered differently. Both are kept: check \
                 which one counts",
                other + 1,
                pages(&reports[other]),
            );
            let page = reports[me].source.part.as_ref().map(|p| p.first_page);
            reports[me].warnings.push(Warning {
                kind: WarningKind::RepeatedReport,
                message,
                page,
            });
        }
    }
}

/// How many reports before one are compared with it by their comments.
const TEXT_WINDOW: usize = 8;

/// Whether two reports have mostly the same comments.
fn same_comments(a: &Report, b: &Report) -> bool {
    let mut alike = 0;
    for x in &a.items {
        let same = b
            .items
            .iter()
            .find(|y| y.program == x.program && y.code == x.code)
            .is_some_and(|y| word_overlap(&x.comment, &y.comment) >= SAME_COMMENT);
        alike += usize::from(same);
    }
    let rows = a.items.len().max(b.items.len());
    rows > 0 && alike as f64 >= SAME_COMMENTS * rows as f64
}

/// The rows two reports share, and how many of them are answered
/// differently.
fn compare_rows(a: &Report, b: &Report) -> (usize, usize) {
    let mut common = 0;
    let mut answers_differ = 0;
    for x in &a.items {
        if let Some(y) = b
            .items
            .iter()
            .find(|y| y.program == x.program && y.code == x.code)
        {
            common += 1;
            answers_differ += usize::from(x.answer != y.answer);
        }
    }
    (common, answers_differ)
}

/// Lowercase hex SHA-256 of bytes.
pub fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}
