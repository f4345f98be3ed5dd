//! What `batch` and `aggregate` tell while they run: a bar or lines on
//! stderr for people, JSON Lines on stdout for scripts (--json), or only
//! errors (--quiet).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::json;

use uppfoljning::aggregate::Skipped;
use uppfoljning::batch::{InputResult, Outcome, Progress};
use uppfoljning::read::OcrStep;

/// How a run talks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Progress, notes and a summary on stderr.
    Human,
    /// Errors only.
    Quiet,
    /// One JSON object a line on stdout, each with an "event".
    Json,
}

impl Mode {
    pub(crate) fn of(quiet: bool, json: bool) -> Mode {
        if json {
            Mode::Json
        } else if quiet {
            Mode::Quiet
        } else {
            Mode::Human
        }
    }

    /// A note for the user (a link to a folder left out, …).
    pub(crate) fn note(self, message: &str) -> std::io::Result<()> {
        match self {
            Mode::Human => {
                eprintln!("note: {message}");
                Ok(())
            }
            Mode::Quiet => Ok(()),
            Mode::Json => emit(&json!({"event": "note", "message": message})),
        }
    }

    /// `.json` files the aggregate left out, as not report documents.
    pub(crate) fn skipped_json(self, skipped: &[Skipped]) -> std::io::Result<()> {
        for s in skipped {
            match self {
                Mode::Human => eprintln!(
                    "note: {}: not a report document, left out of the aggregate ({})",
                    s.path.display(),
                    s.reason
                ),
                Mode::Quiet => {}
                Mode::Json => emit(&json!({
                    "event": "skipped-json",
                    "path": s.path,
                    "reason": s.reason,
                }))?,
            }
        }
        Ok(())
    }
}

/// Writes one JSON Lines event to stdout.
pub(crate) fn emit(event: &serde_json::Value) -> std::io::Result<()> {
    let mut line = event.to_string();
    line.push('\n');
    super::write_stdout(line.as_bytes())
}

/// A rate for people: "13.7", "0.4", "152" (whole numbers from 100 up).
pub(crate) fn rate(count: usize, elapsed: Duration) -> String {
    let per_second = count as f64 / elapsed.as_secs_f64().max(1e-3);
    if per_second >= 100.0 {
        format!("{per_second:.0}")
    } else {
        format!("{per_second:.1}")
    }
}

/// Pages to OCR and OCR'd so far, over every file begun.
#[derive(Default)]
struct OcrTally {
    /// Pages of the files whose OCR has begun.
    total: usize,
    /// Pages OCR'd.
    done: usize,
}

/// Progress for a batch: a bar on a terminal, plain lines otherwise.
pub(crate) struct BatchProgress {
    mode: Mode,
    bar: Option<indicatif::ProgressBar>,
    total: usize,
    started: Instant,
    done: AtomicUsize,
    failed: AtomicUsize,
    ocr: Mutex<OcrTally>,
}

impl BatchProgress {
    /// Starts telling about a run of `total` inputs: the bar (or the first
    /// line) shows at once, so a slow first file does not look hung.
    pub(crate) fn start(mode: Mode, total: usize) -> BatchProgress {
        use std::io::IsTerminal;
        let bar = (mode == Mode::Human && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            let style = indicatif::ProgressStyle::with_template(
                "{spinner} {bar:30} {pos}/{len} files  {elapsed}  {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        match mode {
            Mode::Human if bar.is_none() => eprintln!("converting {total} files…"),
            Mode::Json => {
                let _ = emit(&json!({"event": "start", "files": total}));
            }
            _ => {}
        }
        BatchProgress {
            mode,
            bar,
            total,
            started: Instant::now(),
            done: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
            ocr: Mutex::new(OcrTally::default()),
        }
    }

    /// Clears the bar, before the summary.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// Pages OCR'd in the run.
    pub(crate) fn ocr_pages(&self) -> usize {
        self.ocr.lock().map_or(0, |t| t.done)
    }

    /// OCR of `path` began or a page of it is done: OCR is slow (seconds a
    /// page), so progress moves with pages, not only with whole files.
    pub(crate) fn ocr(&self, path: &Path, step: OcrStep) {
        let (done, total) = match self.ocr.lock() {
            Ok(mut tally) => {
                match step {
                    OcrStep::Started { pages } => tally.total += pages,
                    OcrStep::PageDone { .. } => tally.done += 1,
                }
                (tally.done, tally.total)
            }
            Err(_) => return,
        };
        match (self.mode, &self.bar) {
            (Mode::Human, Some(bar)) => bar.set_message(self.message()),
            (Mode::Human, None) => match step {
                OcrStep::Started { pages } => {
                    eprintln!("[ocr] {}: {pages} pages to OCR", path.display());
                }
                OcrStep::PageDone { page, pages } => eprintln!(
                    "[ocr] {}: page {page} of {pages} done ({done}/{total} pages OCR'd, {} pages/s)",
                    path.display(),
                    rate(done, self.started.elapsed())
                ),
            },
            (Mode::Quiet, _) => {}
            (Mode::Json, _) => {
                let event = match step {
                    OcrStep::Started { pages } => json!({
                        "event": "ocr", "path": path, "pages": pages,
                        "ocr_done": done, "ocr_total": total,
                    }),
                    OcrStep::PageDone { page, pages } => json!({
                        "event": "ocr", "path": path, "page": page, "pages": pages,
                        "ocr_done": done, "ocr_total": total,
                    }),
                };
                let _ = emit(&event);
            }
        }
    }

    /// "OCR 4/12 pages, 0.4 pages/s, 1 failed", as far as there is
    /// anything to say.
    fn message(&self) -> String {
        let mut parts = Vec::new();
        if let Ok(tally) = self.ocr.lock() {
            if tally.total > 0 {
                parts.push(format!(
                    "OCR {}/{} pages, {} pages/s",
                    tally.done,
                    tally.total,
                    rate(tally.done, self.started.elapsed())
                ));
            }
        }
        let failed = self.failed.load(Ordering::Relaxed);
        if failed > 0 {
            parts.push(format!("{failed} failed"));
        }
        parts.join(", ")
    }
}

impl Progress for BatchProgress {
    fn finished(&self, r: &InputResult) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if r.outcome == Outcome::Failed {
            self.failed.fetch_add(1, Ordering::Relaxed);
        }
        match (self.mode, &self.bar) {
            (Mode::Human, Some(bar)) => {
                bar.inc(1);
                bar.set_message(self.message());
                if let Some(m) = &r.message {
                    bar.println(format!("error: {m}"));
                }
            }
            (Mode::Human, None) => {
                let what = match r.outcome {
                    Outcome::Ok => "ok",
                    Outcome::Skipped => "skipped",
                    Outcome::Failed => "FAILED",
                };
                let detail = match &r.message {
                    Some(m) => format!(": {m}"),
                    None if r.reports > 1 => format!(" ({} reports)", r.reports),
                    None => String::new(),
                };
                eprintln!(
                    "[{done}/{}] {what} {}{detail}",
                    self.total,
                    r.path.display()
                );
            }
            (Mode::Quiet, _) => {
                if let Some(m) = &r.message {
                    eprintln!("error: {m}");
                }
            }
            (Mode::Json, _) => {
                let _ = emit(&json!({
                    "event": "file",
                    "path": r.path,
                    "outcome": r.outcome,
                    "output": r.output,
                    "reports": r.reports,
                    "pages": r.pages,
                    "kind": r.kind,
                    "message": r.message,
                    "done": done,
                    "files": self.total,
                }));
            }
        }
    }
}

/// A bar for `extract` on a terminal while a file is OCR'd (seconds a
/// page): shown from the moment its page count is known, cleared when the
/// file is done. Files read without OCR show nothing.
#[derive(Default)]
pub(crate) struct OcrBar(Mutex<Option<indicatif::ProgressBar>>);

impl OcrBar {
    /// A bar when stderr is a terminal and the run is not quiet.
    pub(crate) fn for_terminal(quiet: bool) -> Option<std::sync::Arc<OcrBar>> {
        use std::io::IsTerminal;
        (!quiet && std::io::stderr().is_terminal()).then(Default::default)
    }

    /// OCR of `path` began or a page of it is done.
    pub(crate) fn step(&self, path: &Path, step: OcrStep) {
        let Ok(mut bar) = self.0.lock() else {
            return;
        };
        match step {
            OcrStep::Started { pages } => {
                let new = indicatif::ProgressBar::new(pages as u64);
                let style = indicatif::ProgressStyle::with_template(
                    "{spinner} OCR {msg}  {bar:30} {pos}/{len} pages  {elapsed}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
                new.set_style(style);
                new.set_message(path.display().to_string());
                new.enable_steady_tick(Duration::from_millis(200));
                if let Some(old) = bar.replace(new) {
                    old.finish_and_clear();
                }
            }
            OcrStep::PageDone { .. } => {
                if let Some(bar) = bar.as_ref() {
                    bar.inc(1);
                }
            }
        }
    }

    /// Clears the bar, before the file's output and messages.
    pub(crate) fn finish(&self) {
        if let Ok(mut bar) = self.0.lock() {
            if let Some(bar) = bar.take() {
                bar.finish_and_clear();
            }
        }
    }
}

/// The paths of `written` as JSON strings.
pub(crate) fn paths_json(written: &[PathBuf]) -> serde_json::Value {
    written.iter().map(|p| json!(p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_rounded_for_people() {
        let ten = Duration::from_secs(10);
        assert_eq!(rate(137, ten), "13.7");
        assert_eq!(rate(4, ten), "0.4");
        assert_eq!(rate(1520, ten), "152");
        assert_eq!(rate(0, Duration::ZERO), "0.0");
    }
}
