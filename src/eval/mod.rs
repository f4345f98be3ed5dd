//! Scoring extractions against ground truth (`uppfoljning eval`).
//!
//! A truth file is a contract JSON document (only `administration.id` and
//! the items' `program`, `code`, `area`, `question`, `answer`, `comment`
//! are read) named after the input's file stem. Inputs are grouped into
//! sets by the folder they sit in (`corpus/digital/…`, `corpus/scan-eng/…`).

pub mod calibration;
pub mod metrics;
pub mod print;
pub mod repair_check;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::pipeline::{ExtractOptions, Extractor};
use crate::report::Report;
use calibration::{Calibration, RowVerdict};
use metrics::{cer, word_scores, Rate};

/// What is scored: repaired text, or the raw text before repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// The item's repaired fields.
    Repaired,
    /// The item's `raw` fields: what repair started from.
    Raw,
}

/// The ground truth of one report.
#[derive(Debug, Clone, Deserialize)]
pub struct Truth {
    /// "dev" or "test" in the bundled corpus; absent elsewhere.
    #[serde(default)]
    pub split: Option<String>,
    /// Who wrote it.
    #[serde(default)]
    pub administration: Option<TruthAdministration>,
    /// Its rows.
    pub items: Vec<TruthItem>,
}

/// The administration of a truth file.
#[derive(Debug, Clone, Deserialize)]
pub struct TruthAdministration {
    /// Its id.
    pub id: String,
}

/// One row of a truth file.
#[derive(Debug, Clone, Deserialize)]
pub struct TruthItem {
    /// Programme id.
    pub program: String,
    /// Code "N:M".
    pub code: String,
    /// Area number.
    #[serde(default)]
    pub area: Option<u16>,
    /// Question text.
    #[serde(default)]
    pub question: String,
    /// "ja" | "nej" | "delvis" | null.
    #[serde(default)]
    pub answer: Option<String>,
    /// Comment text.
    #[serde(default)]
    pub comment: String,
}

/// Summed scores over documents.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Scores {
    /// Documents scored (including failures).
    pub documents: usize,
    /// Documents whose extraction failed (error, panic).
    pub failures: usize,
    /// Items in both output and truth.
    pub items_matched: usize,
    /// Items in the output.
    pub items_output: usize,
    /// Items in the truth.
    pub items_truth: usize,
    /// Wrong answers over matched items.
    pub answers: Rate,
    /// Wrong areas over matched items.
    pub areas: Rate,
    /// Question characters.
    pub question_cer: Rate,
    /// Comment characters.
    pub comment_cer: Rate,
    /// Comment words not reproduced.
    pub comment_words: Rate,
    /// Question and comment words with å/ä/ö not reproduced.
    pub diacritic_words: Rate,
    /// Documents with the wrong (or no) administration.
    pub administration: Rate,
    /// Output rows and wrong rows by confidence (see [`calibration`]).
    pub calibration: Calibration,
}

impl Scores {
    fn add(&mut self, o: &Scores) {
        self.documents += o.documents;
        self.failures += o.failures;
        self.items_matched += o.items_matched;
        self.items_output += o.items_output;
        self.items_truth += o.items_truth;
        self.answers.add(o.answers);
        self.areas.add(o.areas);
        self.question_cer.add(o.question_cer);
        self.comment_cer.add(o.comment_cer);
        self.comment_words.add(o.comment_words);
        self.diacritic_words.add(o.diacritic_words);
        self.administration.add(o.administration);
        self.calibration.add(&o.calibration);
    }

    /// Item precision.
    pub fn precision(&self) -> f64 {
        ratio(self.items_matched, self.items_output)
    }

    /// Item recall.
    pub fn recall(&self) -> f64 {
        ratio(self.items_matched, self.items_truth)
    }

    /// Item F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// One scored row, kept for the list of worst rows.
#[derive(Debug, Clone, Serialize)]
pub struct RowResult {
    /// `program/code`.
    pub key: String,
    /// Truth answer / output answer.
    pub answers: (Option<String>, Option<String>),
    /// Truth comment.
    pub truth_comment: String,
    /// Output comment.
    pub output_comment: String,
    /// Comment edit distance.
    pub comment_errors: usize,
    /// Truth question.
    pub truth_question: String,
    /// Output question.
    pub output_question: String,
    /// Question edit distance.
    pub question_errors: usize,
    /// The output row's confidence.
    pub confidence: f32,
    /// The row counts as wrong for calibration.
    pub wrong: bool,
}

/// One document's result.
#[derive(Debug, Clone, Serialize)]
pub struct DocResult {
    /// The input file.
    pub input: PathBuf,
    /// Its set (the folder it sits in).
    pub set: String,
    /// Why it failed, if it did.
    pub failure: Option<String>,
    /// Its scores.
    pub scores: Scores,
    /// Rows in both truth and output.
    pub rows: Vec<RowResult>,
    /// `program/code` of truth rows not found.
    pub missed: Vec<String>,
    /// `program/code` of output rows not in the truth.
    pub spurious: Vec<String>,
}

/// The whole evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// What was scored.
    pub mode: Mode,
    /// Per document, in input order.
    pub documents: Vec<DocResult>,
    /// Per set.
    pub sets: BTreeMap<String, Scores>,
    /// All documents together.
    pub overall: Scores,
}

/// Why an input could not be scored at all.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// No truth file for an input.
    #[error("{input}: no truth file {expected} (truth is matched by file stem)")]
    NoTruth {
        /// The input.
        input: PathBuf,
        /// The file looked for.
        expected: PathBuf,
    },
    /// A truth file that does not parse.
    #[error("{path}: bad truth file: {message}")]
    BadTruth {
        /// The truth file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
}

/// Why an input gave no report to score: it counts as a failed
/// extraction, and [`DocResult::failure`] holds this with its sources.
#[derive(Debug, thiserror::Error)]
pub enum ExtractionFailure {
    /// Extracting the input failed.
    #[error(transparent)]
    Extract(#[from] crate::error::Error),
    /// The input holds several reports; a truth file describes one.
    #[error("{}: holds {count} reports; a truth file describes one", .input.display())]
    SeveralReports {
        /// The input.
        input: PathBuf,
        /// The reports found in it.
        count: usize,
    },
    /// Extracting the input panicked.
    #[error("{}: panicked", .input.display())]
    Panicked {
        /// The input.
        input: PathBuf,
    },
    /// A report document made beforehand could not be read.
    #[error("{}", .path.display())]
    Unreadable {
        /// The report document.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A file made beforehand that is not a report document.
    #[error("{}: not a report document", .path.display())]
    NotAReport {
        /// The file.
        path: PathBuf,
        /// Where the JSON differs from a report.
        source: serde_json::Error,
    },
}

/// Finds the truth file of an input: `<truth>/<stem>.json` or
/// `<truth>/<stem>.expected.json`.
pub fn truth_path(truth_dir: &Path, input: &Path) -> Result<PathBuf, EvalError> {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let candidates = [format!("{stem}.json"), format!("{stem}.expected.json")];
    for c in &candidates {
        let p = truth_dir.join(c);
        if p.is_file() {
            return Ok(p);
        }
    }
    Err(EvalError::NoTruth {
        input: input.to_path_buf(),
        expected: truth_dir.join(&candidates[0]),
    })
}

/// Loads a truth file.
pub fn load_truth(path: &Path) -> Result<Truth, EvalError> {
    let bad = |message: String| EvalError::BadTruth {
        path: path.to_path_buf(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| bad(e.to_string()))
}

/// The truth of every input, keeping only those in `split` when given.
pub fn load_truths(
    inputs: &[PathBuf],
    truth_dir: &Path,
    split: Option<&str>,
) -> Result<Vec<(PathBuf, Truth)>, EvalError> {
    let mut truths: Vec<(PathBuf, Truth)> = inputs
        .iter()
        .map(|i| {
            let p = truth_path(truth_dir, i)?;
            Ok((i.clone(), load_truth(&p)?))
        })
        .collect::<Result<_, EvalError>>()?;
    if let Some(split) = split {
        truths.retain(|(_, t)| t.split.as_deref() == Some(split));
    }
    Ok(truths)
}

/// Extracts and scores every input against its truth (from
/// [`load_truths`]), in parallel.
pub fn evaluate(
    extractor: &Extractor,
    truths: &[(PathBuf, Truth)],
    mode: Mode,
    options: &ExtractOptions,
) -> Evaluation {
    let documents: Vec<DocResult> = truths
        .par_iter()
        .map(|(input, truth)| {
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                extractor.extract_reports_path(input, options)
            }));
            let result = match outcome {
                Ok(Ok(mut reports)) if reports.len() == 1 => Ok(reports.remove(0)),
                // A truth file is one report: a file found to hold several
                // cannot be scored against it (and shows a wrong split).
                Ok(Ok(reports)) => Err(ExtractionFailure::SeveralReports {
                    input: input.clone(),
                    count: reports.len(),
                }),
                Ok(Err(e)) => Err(ExtractionFailure::Extract(e)),
                Err(_) => Err(ExtractionFailure::Panicked {
                    input: input.clone(),
                }),
            };
            score_document(input, truth, result, mode)
        })
        .collect();
    Evaluation::of(mode, documents)
}

/// Scores report documents made beforehand (by `batch`, by an older
/// version, or by another tool such as `tools/baseline/`) instead of
/// extracting. `truths` are keyed by input, as [`load_truths`] gives them;
/// each input's document is `<input>.json` (`kuf-2023.pdf` →
/// `kuf-2023.pdf.json`, as [`report_inputs`] names them). A file that is
/// not a report document counts as a failed extraction.
pub fn evaluate_reports(truths: &[(PathBuf, Truth)], mode: Mode) -> Evaluation {
    let documents = truths
        .par_iter()
        .map(|(input, truth)| {
            let mut path = input.clone().into_os_string();
            path.push(".json");
            let path = PathBuf::from(path);
            let result = match std::fs::read_to_string(&path) {
                Ok(text) => serde_json::from_str::<Report>(&text)
                    .map_err(|source| ExtractionFailure::NotAReport { path, source }),
                Err(source) => Err(ExtractionFailure::Unreadable { path, source }),
            };
            score_document(input, truth, result, mode)
        })
        .collect();
    Evaluation::of(mode, documents)
}

/// The inputs whose report documents are among `paths` (files named
/// directly, and the `*.json` files in folders, not recursive, without the
/// aggregate's and the error list's own files): each document's path
/// without its `.json`, which matches the truth by stem as an input does.
pub fn report_inputs(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let with_path =
            |e: std::io::Error| std::io::Error::new(e.kind(), format!("{}: {e}", p.display()));
        if std::fs::metadata(p).map_err(with_path)?.is_dir() {
            for entry in std::fs::read_dir(p).map_err(with_path)? {
                let path = entry.map_err(with_path)?.path();
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let own = name.starts_with("aggregate.") || name.starts_with("errors.");
                if name.ends_with(".json") && !own && path.is_file() {
                    out.push(path);
                }
            }
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out.iter().map(|r| r.with_extension("")).collect())
}

/// Truth rows the catalogue in use does not know: how much of what an
/// evaluation misses is the catalogue's age rather than the extraction's
/// fault.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CatalogueDrift {
    /// Truth rows of programmes or codes the catalogue lacks.
    pub unknown_rows: usize,
    /// Of those, in programmes the catalogue lacks altogether.
    pub unknown_program_rows: usize,
    /// Truth rows the catalogue knows.
    pub known_rows: usize,
    /// Of those, rows the extraction missed.
    pub known_missed: usize,
}

impl CatalogueDrift {
    /// Counts `truths`' rows against `catalog`, and the evaluation's misses
    /// among the rows it knows.
    pub fn of(
        evaluation: &Evaluation,
        truths: &[(PathBuf, Truth)],
        catalog: &crate::catalog::Catalog,
    ) -> CatalogueDrift {
        let known = |program: &str, code: &str| {
            let p = catalog.programs.iter().find(|p| p.id.0 == program);
            let item = p.zip(code.parse().ok()).and_then(|(p, c)| p.item(c));
            (p.is_some(), item.is_some())
        };
        let mut d = CatalogueDrift::default();
        for (_, t) in truths {
            for item in &t.items {
                match known(&item.program, &item.code) {
                    (_, true) => d.known_rows += 1,
                    (true, false) => d.unknown_rows += 1,
                    (false, _) => {
                        d.unknown_rows += 1;
                        d.unknown_program_rows += 1;
                    }
                }
            }
        }
        for doc in &evaluation.documents {
            for key in &doc.missed {
                if let Some((program, code)) = key.split_once('/') {
                    if known(program, code).1 {
                        d.known_missed += 1;
                    }
                }
            }
        }
        d
    }
}

impl Evaluation {
    /// Sums scored documents per set and overall.
    fn of(mode: Mode, documents: Vec<DocResult>) -> Evaluation {
        let mut sets: BTreeMap<String, Scores> = BTreeMap::new();
        let mut overall = Scores::default();
        for d in &documents {
            sets.entry(d.set.clone()).or_default().add(&d.scores);
            overall.add(&d.scores);
        }
        Evaluation {
            mode,
            documents,
            sets,
            overall,
        }
    }
}

fn set_of(input: &Path) -> String {
    input
        .parent()
        .and_then(|p| p.file_name())
        .map_or_else(|| ".".to_string(), |n| n.to_string_lossy().into_owned())
}

/// Scores one document's extraction (or failure) against its truth.
pub fn score_document(
    input: &Path,
    truth: &Truth,
    result: Result<Report, ExtractionFailure>,
    mode: Mode,
) -> DocResult {
    let mut scores = Scores {
        documents: 1,
        items_truth: truth.items.len(),
        ..Scores::default()
    };
    let report = match result {
        Ok(r) => r,
        Err(failure) => {
            scores.failures = 1;
            scores.administration = Rate {
                errors: 1,
                total: 1,
            };
            return DocResult {
                input: input.to_path_buf(),
                set: set_of(input),
                failure: Some(crate::error::with_sources(&failure)),
                scores,
                rows: Vec::new(),
                missed: truth
                    .items
                    .iter()
                    .map(|t| format!("{}/{}", t.program, t.code))
                    .collect(),
                spurious: Vec::new(),
            };
        }
    };
    scores.items_output = report.items.len();
    let want_admin = truth.administration.as_ref().map(|a| a.id.as_str());
    let got_admin = report.administration.as_ref().map(|a| a.id.as_str());
    scores.administration = Rate {
        errors: usize::from(want_admin != got_admin),
        total: 1,
    };
    let mut rows = Vec::new();
    let mut missed = Vec::new();
    let mut used = vec![false; report.items.len()];
    for t in &truth.items {
        let found =
            report.items.iter().enumerate().find(|(k, i)| {
                !used[*k] && i.program.0 == t.program && i.code.to_string() == t.code
            });
        let Some((k, item)) = found else {
            missed.push(format!("{}/{}", t.program, t.code));
            continue;
        };
        used[k] = true;
        scores.items_matched += 1;
        let out_answer = item.answer.map(|a| a.as_str().to_string());
        scores.answers.add(Rate {
            errors: usize::from(out_answer.as_deref() != t.answer.as_deref()),
            total: 1,
        });
        scores.areas.add(Rate {
            errors: usize::from(item.area != t.area),
            total: 1,
        });
        let (question, comment) = match mode {
            Mode::Repaired => (item.question.as_str(), item.comment.as_str()),
            Mode::Raw => (item.raw.question.as_str(), item.raw.comment.as_str()),
        };
        let q = cer(&t.question, question);
        let c = cer(&t.comment, comment);
        scores.question_cer.add(q);
        scores.comment_cer.add(c);
        let verdict = RowVerdict::Matched {
            answer_wrong: out_answer.as_deref() != t.answer.as_deref(),
            area_wrong: item.area != t.area,
            question: q,
            comment: c,
        };
        scores.calibration.record(item.confidence, verdict);
        let cw = word_scores(&t.comment, comment);
        let qw = word_scores(&t.question, question);
        scores.comment_words.add(cw.words);
        scores.diacritic_words.add(cw.diacritic_words);
        scores.diacritic_words.add(qw.diacritic_words);
        rows.push(RowResult {
            key: format!("{}/{}", t.program, t.code),
            answers: (t.answer.clone(), out_answer),
            truth_comment: t.comment.clone(),
            output_comment: comment.to_string(),
            comment_errors: c.errors,
            truth_question: t.question.clone(),
            output_question: question.to_string(),
            question_errors: q.errors,
            confidence: item.confidence,
            wrong: verdict.is_wrong(),
        });
    }
    let mut spurious = Vec::new();
    for (item, _) in report.items.iter().zip(&used).filter(|(_, u)| !**u) {
        scores
            .calibration
            .record(item.confidence, RowVerdict::FalsePositive);
        spurious.push(format!("{}/{}", item.program, item.code));
    }
    DocResult {
        input: input.to_path_buf(),
        set: set_of(input),
        failure: None,
        scores,
        rows,
        missed,
        spurious,
    }
}

/// Limits that make `eval` fail; `None` means not checked.
#[derive(Debug, Clone, Default)]
pub struct Thresholds {
    /// Minimum item F1.
    pub min_f1: Option<f64>,
    /// Minimum answer accuracy.
    pub min_answer_acc: Option<f64>,
    /// Minimum area accuracy.
    pub min_area_acc: Option<f64>,
    /// Maximum comment character error rate.
    pub max_comment_cer: Option<f64>,
    /// Maximum question character error rate.
    pub max_question_cer: Option<f64>,
    /// Minimum accuracy on words with å/ä/ö.
    pub min_diacritic_acc: Option<f64>,
    /// Minimum administration accuracy.
    pub min_admin_acc: Option<f64>,
    /// Maximum failed documents.
    pub max_failures: Option<usize>,
}

impl Thresholds {
    /// The limits `scores` breaks, as sentences.
    pub fn violations(&self, s: &Scores) -> Vec<String> {
        let mut v = Vec::new();
        let mut at_least = |name: &str, limit: Option<f64>, value: f64| {
            if let Some(l) = limit {
                if value < l {
                    v.push(format!("{name} {value:.4} is below {l}"));
                }
            }
        };
        at_least("item F1", self.min_f1, s.f1());
        at_least("answer accuracy", self.min_answer_acc, s.answers.accuracy());
        at_least("area accuracy", self.min_area_acc, s.areas.accuracy());
        at_least(
            "å/ä/ö word accuracy",
            self.min_diacritic_acc,
            s.diacritic_words.accuracy(),
        );
        at_least(
            "administration accuracy",
            self.min_admin_acc,
            s.administration.accuracy(),
        );
        let mut at_most = |name: &str, limit: Option<f64>, value: f64| {
            if let Some(l) = limit {
                if value > l {
                    v.push(format!("{name} {value:.5} is above {l}"));
                }
            }
        };
        at_most("comment CER", self.max_comment_cer, s.comment_cer.ratio());
        at_most(
            "question CER",
            self.max_question_cer,
            s.question_cer.ratio(),
        );
        if let Some(l) = self.max_failures {
            if s.failures > l {
                v.push(format!("{} failed documents, more than {l}", s.failures));
            }
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Answer, Code, ProgramId};
    use crate::report::{Item, RawText, Source};

    fn truth() -> Truth {
        serde_json::from_str(
            r#"{"administration": {"id": "kuf"}, "items": [
                {"program": "p", "code": "1:1", "area": 1, "question": "Är det så?", "answer": "ja",
                 "comment": "Vi gör det på våra anläggningar."},
                {"program": "p", "code": "1:2", "area": 1, "question": "Och här?", "answer": null,
                 "comment": ""}]}"#,
        )
        .unwrap()
    }

    fn item(code: &str, question: &str, answer: Option<Answer>, comment: &str) -> Item {
        Item {
            program: ProgramId("p".into()),
            area: Some(1),
            code: code.parse::<Code>().unwrap(),
            question: question.into(),
            strategy_text: None,
            answer,
            comment: comment.into(),
            expected_result: None,
            confidence: 1.0,
            page: 1,
            raw: RawText {
                question: question.into(),
                answer: String::new(),
                comment: comment.into(),
            },
            repairs: None,
            item_key: String::new(),
        }
    }

    fn report(items: Vec<Item>, admin: Option<&str>) -> Report {
        Report {
            schema_version: 1,
            source: Source {
                path: "x".into(),
                sha256: String::new(),
                format: crate::document::SourceFormat::Text,
                text_layer: None,
                pages: 1,
                part: None,
            },
            administration: admin.map(|id| crate::report::AdministrationRef {
                id: id.into(),
                name: id.into(),
                evidence: crate::report::Evidence::Text,
            }),
            period: None,
            items,
            missing: Vec::new(),
            warnings: Vec::new(),
            provenance: None,
        }
    }

    #[test]
    fn a_perfect_output_scores_perfectly() {
        let r = report(
            vec![
                item(
                    "1:1",
                    "Är det så?",
                    Some(Answer::Ja),
                    "Vi gör det på våra anläggningar.",
                ),
                item("1:2", "Och här?", None, ""),
            ],
            Some("kuf"),
        );
        let d = score_document(Path::new("set/a.txt"), &truth(), Ok(r), Mode::Repaired);
        let s = &d.scores;
        assert_eq!(s.f1(), 1.0);
        assert_eq!(s.answers.errors, 0);
        assert_eq!(s.comment_cer.errors, 0);
        assert_eq!(s.administration.errors, 0);
        assert_eq!(d.set, "set");
        let top = s.calibration.buckets()[3];
        assert_eq!((top.rows, top.wrong), (2, 0));
    }

    #[test]
    fn rows_the_catalogue_lacks_are_told_apart_from_rows_missed() {
        let catalog = crate::catalog::Catalog::embedded().unwrap();
        let truth: Truth = serde_json::from_str(
            r#"{"items": [
                {"program": "trygghetsprogram-2022-2026", "code": "1:1", "answer": "ja"},
                {"program": "trygghetsprogram-2022-2026", "code": "1:2", "answer": "ja"},
                {"program": "trygghetsprogram-2022-2026", "code": "9:9", "answer": "ja"},
                {"program": "extremism-2025-2028", "code": "1:1", "answer": "ja"}]}"#,
        )
        .unwrap();
        let mut found = item("1:1", "", Some(Answer::Ja), "");
        found.program = ProgramId("trygghetsprogram-2022-2026".into());
        let d = score_document(
            Path::new("set/a.txt"),
            &truth,
            Ok(report(vec![found], None)),
            Mode::Repaired,
        );
        let evaluation = Evaluation::of(Mode::Repaired, vec![d]);
        let drift = CatalogueDrift::of(
            &evaluation,
            &[(PathBuf::from("set/a.txt"), truth)],
            &catalog,
        );
        assert_eq!(
            (
                drift.unknown_rows,
                drift.unknown_program_rows,
                drift.known_rows,
                drift.known_missed
            ),
            (2, 1, 2, 1)
        );
    }

    #[test]
    fn a_deliberately_corrupted_output_scores_worse_everywhere() {
        let r = report(
            vec![
                item(
                    "1:1",
                    "Ar det sa?",
                    Some(Answer::Nej),
                    "Vi gor det pa vara anlaggningar.",
                ),
                item("9:9", "Och här?", None, ""),
            ],
            Some("uf"),
        );
        let d = score_document(Path::new("a.txt"), &truth(), Ok(r), Mode::Repaired);
        let s = &d.scores;
        assert_eq!((s.items_matched, s.items_output, s.items_truth), (1, 2, 2));
        assert!(s.f1() < 1.0);
        assert_eq!(s.answers.errors, 1);
        assert!(s.comment_cer.ratio() > 0.1);
        assert!(s.diacritic_words.accuracy() < 0.5);
        assert_eq!(s.administration.errors, 1);
        assert_eq!(d.missed, ["p/1:2"]);
        assert_eq!(d.spurious, ["p/9:9"]);
        // The wrong answer and the row not in the truth, both at 1.0.
        let top = s.calibration.buckets()[3];
        assert_eq!((top.rows, top.wrong), (2, 2));
    }

    #[test]
    fn a_failed_extraction_counts_as_failure_and_misses_every_row() {
        let d = score_document(
            Path::new("a.pdf"),
            &truth(),
            Err(ExtractionFailure::Panicked {
                input: PathBuf::from("a.pdf"),
            }),
            Mode::Repaired,
        );
        assert_eq!(d.scores.failures, 1);
        assert_eq!(d.failure.as_deref(), Some("a.pdf: panicked"));
        assert_eq!(d.scores.recall(), 0.0);
        assert_eq!(d.missed.len(), 2);
    }

    /// A report document that cannot be read names its path and the
    /// operating system's reason, on one line.
    #[test]
    fn an_unreadable_report_document_names_its_path_and_why() {
        let failure = ExtractionFailure::Unreadable {
            path: PathBuf::from("set/a.pdf.json"),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        let d = score_document(Path::new("set/a.pdf"), &truth(), Err(failure), Mode::Raw);
        assert_eq!(
            d.failure.as_deref(),
            Some("set/a.pdf.json: entity not found")
        );
    }

    #[test]
    fn thresholds_name_what_they_miss() {
        let d = score_document(
            Path::new("a.pdf"),
            &truth(),
            Err(ExtractionFailure::Panicked {
                input: PathBuf::from("a.pdf"),
            }),
            Mode::Repaired,
        );
        let t = Thresholds {
            min_f1: Some(0.9),
            max_failures: Some(0),
            ..Thresholds::default()
        };
        let v = t.violations(&d.scores);
        assert_eq!(v.len(), 2, "{v:?}");
        assert!(v[0].contains("item F1"));
    }
}
