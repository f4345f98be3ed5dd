//! OCR of PDF pages that have no text layer, and of image files: rasterise
//! with poppler-utils' `pdftoppm`, recognise with `tesseract`, and put the
//! positioned words into a [`Document`] (for PDFs, the one the PDF reader
//! returned), so that OCR'd pages flow through the same segmentation as
//! text layers.
//!
//! This module is the only code that runs external programs. It owns
//! deciding which pages to OCR ([`OcrMode`]), checking that the tools and
//! the language model are installed, a private temporary folder (always
//! removed), and running pages in parallel on rayon's pool. Every program
//! runs under the file's [`Limits`] (module `child`): its address space
//! capped at `max_memory`, and killed when the page's `timeout` or the
//! file's runs out. A page is rendered at the resolution asked, or lower
//! when that would make an image of more than 40 million pixels (a PDF
//! may declare any page size); a render that comes out blank (module
//! `pgm`) is not given to tesseract. Parsing tesseract's output is [`parse_tsv`]'s job;
//! repairing OCR damage is not done here.

mod child;
mod pgm;
mod sizes;
mod tsv;

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;

pub use tsv::{parse_tsv, TsvError};

use crate::document::{Document, Page, SourceFormat, TextLayer};
use crate::error::{Error, Result, WorkerFailure};

use super::{Limits, OcrStep, ReadOptions};
use child::Stop;

/// Resolution pages are rendered at when none is given.
pub const DEFAULT_DPI: u32 = 300;

/// Tesseract's language model when none is given.
pub const DEFAULT_LANG: &str = "swe";

/// Tesseract's page segmentation mode: fully automatic (its default). The
/// table's columns come out as separate blocks, which is fine: lines are
/// rebuilt from positions.
const PSM: &str = "3";

/// When pages are OCR'd. Written in lowercase (`auto`, `always`,
/// `never`) in a report's `provenance.options.ocr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OcrMode {
    /// Only pages without any text (image-only scans).
    #[default]
    Auto,
    /// Every page, replacing its text layer (e.g. one made with an English
    /// model).
    Always,
    /// Never: image-only pages stay empty.
    Never,
}

/// The external programs used, so tests can point at missing ones.
#[derive(Debug, Clone)]
struct Tools {
    tesseract: OsString,
    pdftoppm: OsString,
    pdfinfo: OsString,
}

impl Default for Tools {
    fn default() -> Tools {
        Tools {
            tesseract: "tesseract".into(),
            pdftoppm: "pdftoppm".into(),
            pdfinfo: "pdfinfo".into(),
        }
    }
}

/// OCRs the pages of `doc` that `options.ocr` selects and puts their words
/// in place. `bytes` is the PDF `doc` was read from; `path` names it in
/// errors; `started` is when reading the file began (a `--timeout` given
/// bounds the whole file). Returns `doc` unchanged when no page needs OCR.
/// Pages that render blank are not recognised, and stay empty.
///
/// With [`OcrMode::Auto`], a document that has text on other pages is
/// returned unchanged when the tools are missing (its blank pages are most
/// likely blank); an image-only document is an error then.
///
/// # Errors
///
/// [`Error::OcrUnavailable`] when tesseract, its language model or
/// `pdftoppm` is missing; [`Error::Ocr`] when rendering or recognising a
/// page fails; [`Error::OcrLimit`] when a program ran out of time;
/// [`Error::NoText`] when OCR leaves the document without a word (every
/// page blank or unreadable).
pub fn ocr_pdf(
    path: &Path,
    bytes: &[u8],
    doc: Document,
    options: &ReadOptions,
    started: Instant,
) -> Result<Document> {
    ocr_pdf_with(&Tools::default(), path, bytes, doc, options, started)
}

fn ocr_pdf_with(
    tools: &Tools,
    path: &Path,
    bytes: &[u8],
    mut doc: Document,
    options: &ReadOptions,
    started: Instant,
) -> Result<Document> {
    let wanted: Vec<usize> = match options.ocr {
        OcrMode::Never => return Ok(doc),
        OcrMode::Always => (0..doc.pages.len()).collect(),
        OcrMode::Auto => (0..doc.pages.len())
            .filter(|&i| !has_words(&doc.pages[i]))
            .collect(),
    };
    if wanted.is_empty() {
        return Ok(doc);
    }
    let (lang, dpi) = lang_and_dpi(options);
    if let Err(missing) = tools.check(lang) {
        let has_text = doc.pages.iter().any(has_words);
        if options.ocr == OcrMode::Auto && has_text {
            return Ok(doc);
        }
        return Err(Error::OcrUnavailable {
            path: path.to_path_buf(),
            message: missing.to_string(),
        });
    }

    let fail = |page: Option<usize>, message: String| Error::Ocr {
        path: path.to_path_buf(),
        page,
        message,
    };
    let dir =
        TempDir::new().map_err(|e| fail(None, format!("cannot create a temporary folder: {e}")))?;
    let input = dir.path().join("input.pdf");
    std::fs::write(&input, bytes)
        .map_err(|e| fail(None, format!("cannot write {}: {e}", input.display())))?;
    let budget = Budget::new(limits_of(options), started, wanted.len());
    let numbers: Vec<usize> = wanted.iter().map(|&i| doc.pages[i].number).collect();
    let mut job = Job {
        tools,
        path,
        dir: dir.path(),
        input: &input,
        lang,
        dpi,
        password: options.password.as_deref(),
        sizes: HashMap::new(),
        budget: &budget,
        done: AtomicUsize::new(0),
        pages: wanted.len(),
        scaled: Mutex::new(Vec::new()),
    };
    job.sizes = job.page_sizes(&numbers)?;
    let total = numbers.len();
    if let Some(progress) = &options.ocr_progress {
        progress.tell(path, OcrStep::Started { pages: total });
    }
    let pages: Vec<Option<Page>> = numbers
        .par_iter()
        .map(|&number| {
            let page = job.page(number);
            if let Some(progress) = &options.ocr_progress {
                progress.tell(
                    path,
                    OcrStep::PageDone {
                        page: number,
                        pages: total,
                    },
                );
            }
            page
        })
        .collect::<Result<_>>()?;
    let scaled = job.scaled_down();
    drop(dir);

    let blank = pages.iter().filter(|p| p.is_none()).count();
    let ocr_pages = pages.iter().flatten().filter(|p| has_words(p)).count();
    for (&i, page) in wanted.iter().zip(pages) {
        let mut page = page.unwrap_or_else(|| Page {
            number: doc.pages[i].number,
            ..Page::default()
        });
        if page.width.is_none() {
            page.width = doc.pages[i].width;
        }
        doc.pages[i] = page;
    }
    if !doc.pages.iter().any(has_words) {
        return Err(Error::NoText {
            path: path.to_path_buf(),
            message: nothing_found(wanted.len(), blank, &scaled, dpi),
        });
    }
    if ocr_pages > 0 {
        let kept_text = doc.pages.len() - wanted.len();
        // The majority of pages with text decides, as in the PDF reader.
        let digital = options.ocr == OcrMode::Auto
            && doc.text_layer == Some(TextLayer::Digital)
            && kept_text > ocr_pages;
        if !digital {
            doc.text_layer = Some(TextLayer::Ocr);
        }
    }
    Ok(doc)
}

/// What OCR saw in a document it found no words in: `read` pages OCR'd,
/// `blank` of them blank, and the pages (number, resolution) recognised at
/// less than the `dpi` asked because of their size.
fn nothing_found(read: usize, blank: usize, scaled: &[(usize, u32)], dpi: u32) -> String {
    let recognised = read - blank;
    let why = match scaled {
        [] => String::new(),
        [(page, at)] => format!(" (page {page} is so large that it was read at {at} dpi, not {dpi})"),
        [(page, at), rest @ ..] => format!(
            " (page {page} and {} more are so large that they were read at {at} dpi or so, not {dpi})",
            rest.len()
        ),
    };
    let what = match (recognised, blank) {
        (0, 1) => "its page is blank (nothing to OCR)".to_string(),
        (0, n) => format!("all its {n} pages are blank (nothing to OCR)"),
        (1, 0) => "OCR found no words on its page".to_string(),
        (r, 0) => format!("OCR found no words on its {r} pages"),
        (r, b) => format!(
            "OCR found no words on the {r} page{} it read, and {b} more {} blank",
            if r == 1 { "" } else { "s" },
            if b == 1 { "is" } else { "are" }
        ),
    };
    what + &why
}

/// The limits OCR runs under: the worker's, or the defaults when PDFs are
/// read in this process.
fn limits_of(options: &ReadOptions) -> Limits {
    options
        .isolation
        .as_ref()
        .map(|i| i.limits)
        .unwrap_or_default()
}

/// The language model and resolution to use, defaults filled in.
pub(crate) fn lang_and_dpi(options: &ReadOptions) -> (&str, u32) {
    let lang = match options.ocr_lang.trim() {
        "" => DEFAULT_LANG,
        l => l,
    };
    let dpi = match options.dpi {
        0 => DEFAULT_DPI,
        d => d,
    };
    (lang, dpi)
}

/// How long one file's OCR may take: each program until the page's
/// `timeout` or the file's deadline, whichever comes first.
struct Budget {
    limits: Limits,
    /// When the file's OCR must have ended.
    deadline: Instant,
    /// The file's allowance, for messages.
    total: Duration,
}

/// A deadline so far off that it never comes (for a timeout too long for
/// the clock to represent).
const NEVER: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

impl Budget {
    /// The budget of a file whose reading began at `started`, with `pages`
    /// to OCR: `timeout` for the whole file when [`Limits::whole_file`],
    /// else `timeout` for each page.
    fn new(limits: Limits, started: Instant, pages: usize) -> Budget {
        let (from, total) = if limits.whole_file {
            (started, limits.timeout)
        } else {
            let pages = u32::try_from(pages.max(1)).unwrap_or(u32::MAX);
            (Instant::now(), limits.timeout.saturating_mul(pages))
        };
        Budget {
            limits,
            deadline: after(from, total),
            total,
        }
    }

    /// The deadline of a program started now, and the allowance it
    /// stands for (the page's or the file's); `None` when the file's time
    /// is up.
    fn next(&self) -> Option<(Instant, Duration, Reach)> {
        let now = Instant::now();
        if now >= self.deadline {
            return None;
        }
        let page = after(now, self.limits.timeout);
        Some(if page < self.deadline {
            (page, self.limits.timeout, Reach::Page)
        } else {
            (self.deadline, self.total, Reach::File)
        })
    }
}

/// Which allowance a deadline stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    Page,
    File,
}

fn after(from: Instant, d: Duration) -> Instant {
    from.checked_add(d)
        .or_else(|| from.checked_add(NEVER))
        .unwrap_or(from)
}

/// Reads an image file (PNG, JPEG, TIFF; a multi-page TIFF gives one page
/// per image) with tesseract. `extension` names the image's format for
/// tesseract. Pixels become points at the image's resolution as
/// `options.dpi` states it (tesseract's own guess is not reported).
/// Tesseract runs under the limits PDFs are read with, its time counted
/// from `started`.
///
/// With [`OcrMode::Never`] the document has one empty page and no text
/// layer, as an image-only PDF would.
///
/// # Errors
///
/// [`Error::OcrUnavailable`] when tesseract or its language model is
/// missing; [`Error::Ocr`] when tesseract cannot read the image;
/// [`Error::OcrLimit`] when it ran out of time; [`Error::NoText`] when it
/// found no words.
pub fn ocr_image(
    path: &Path,
    bytes: &[u8],
    extension: &str,
    options: &ReadOptions,
    started: Instant,
) -> Result<Document> {
    ocr_image_with(&Tools::default(), path, bytes, extension, options, started)
}

fn ocr_image_with(
    tools: &Tools,
    path: &Path,
    bytes: &[u8],
    extension: &str,
    options: &ReadOptions,
    started: Instant,
) -> Result<Document> {
    let mut doc = Document {
        format: SourceFormat::Image,
        text_layer: Some(TextLayer::None),
        pages: vec![Page {
            number: 1,
            ..Page::default()
        }],
        warnings: Vec::new(),
    };
    if options.ocr == OcrMode::Never {
        return Ok(doc);
    }
    let (lang, dpi) = lang_and_dpi(options);
    tools
        .check_tesseract(lang)
        .map_err(|missing| Error::OcrUnavailable {
            path: path.to_path_buf(),
            message: missing.to_string(),
        })?;
    let fail = |page: Option<usize>, message: String| Error::Ocr {
        path: path.to_path_buf(),
        page,
        message,
    };
    let dir =
        TempDir::new().map_err(|e| fail(None, format!("cannot create a temporary folder: {e}")))?;
    let input = dir.path().join(format!("input.{extension}"));
    std::fs::write(&input, bytes)
        .map_err(|e| fail(None, format!("cannot write {}: {e}", input.display())))?;
    let budget = Budget::new(limits_of(options), started, 1);
    let job = Job {
        tools,
        path,
        dir: dir.path(),
        input: &input,
        lang,
        dpi,
        password: None,
        sizes: HashMap::new(),
        budget: &budget,
        done: AtomicUsize::new(0),
        pages: 1,
        scaled: Mutex::new(Vec::new()),
    };
    let tsv = job.recognise(&input, dpi, None)?;
    drop(dir);
    let pages = split_tsv_pages(&tsv)
        .into_iter()
        .map(|(number, rows)| {
            parse_tsv(&rows, number, dpi).map_err(|e| fail(Some(number), e.to_string()))
        })
        .collect::<Result<Vec<Page>>>()?;
    if let Some(progress) = &options.ocr_progress {
        for page in &pages {
            progress.tell(
                path,
                OcrStep::PageDone {
                    page: page.number,
                    pages: pages.len(),
                },
            );
        }
    }
    if !pages.is_empty() {
        doc.pages = pages;
    }
    if !doc.pages.iter().any(has_words) {
        return Err(Error::NoText {
            path: path.to_path_buf(),
            message: "OCR found no words in the image".to_string(),
        });
    }
    doc.text_layer = Some(TextLayer::Ocr);
    Ok(doc)
}

/// Splits tesseract's TSV for a multi-image file by its `page_num` column:
/// (1-based page, that page's rows), in order.
fn split_tsv_pages(tsv: &str) -> Vec<(usize, String)> {
    let mut pages: Vec<(usize, String)> = Vec::new();
    for row in tsv.lines() {
        if row.starts_with("level\t") || row.trim().is_empty() {
            continue;
        }
        let Some(number) = row
            .split('\t')
            .nth(1)
            .and_then(|n| n.trim().parse::<usize>().ok())
        else {
            continue;
        };
        match pages.last_mut() {
            Some((n, rows)) if *n == number => {
                rows.push_str(row);
                rows.push('\n');
            }
            _ => pages.push((number, format!("{row}\n"))),
        }
    }
    pages
}

fn has_words(page: &Page) -> bool {
    page.lines.iter().any(|l| !l.words.is_empty())
}

/// What is missing for OCR: a program that cannot be run, or a language
/// model tesseract does not have.
#[derive(Debug, thiserror::Error)]
enum ToolMissing {
    /// The program is not on `PATH`.
    #[error("{program} is not installed (not found on PATH)")]
    NotInstalled {
        /// The program, as users know it.
        program: &'static str,
    },
    /// The program is there but could not be started.
    #[error("cannot run {program}: {error}")]
    CannotRun {
        /// The program, as users know it.
        program: &'static str,
        /// Why it could not be started.
        error: std::io::Error,
    },
    /// Tesseract lists no model for a language asked for.
    #[error("tesseract has no language model {wanted:?} (it has: {})", known_list(.known))]
    NoLanguageModel {
        /// The language asked for.
        wanted: String,
        /// The languages tesseract lists.
        known: Vec<String>,
    },
}

impl ToolMissing {
    /// The error for `program`, which could not be run.
    fn running(program: &'static str, error: std::io::Error) -> ToolMissing {
        if error.kind() == ErrorKind::NotFound {
            ToolMissing::NotInstalled { program }
        } else {
            ToolMissing::CannotRun { program, error }
        }
    }
}

/// The languages tesseract has, for a message: "none" when it has none.
fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        "none".to_string()
    } else {
        known.join(", ")
    }
}

impl Tools {
    /// Checks that tesseract knows every language of `lang` (`swe+eng`)
    /// and that pdftoppm runs.
    fn check(&self, lang: &str) -> Result<(), ToolMissing> {
        self.check_tesseract(lang)?;
        run(Command::new(&self.pdftoppm).arg("-v"))
            .map_err(|e| ToolMissing::running("pdftoppm (poppler-utils)", e))?;
        Ok(())
    }

    /// Checks that tesseract knows every language of `lang`.
    fn check_tesseract(&self, lang: &str) -> Result<(), ToolMissing> {
        let listed = run(Command::new(&self.tesseract).arg("--list-langs"))
            .map_err(|e| ToolMissing::running("tesseract", e))?;
        // Tesseract 4 lists on stderr, 5 on stdout, after a heading line.
        let text = format!(
            "{}\n{}",
            String::from_utf8_lossy(&listed.stdout),
            String::from_utf8_lossy(&listed.stderr)
        );
        let known: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.contains(' '))
            .collect();
        for want in lang.split('+') {
            if !known.contains(&want) {
                return Err(ToolMissing::NoLanguageModel {
                    wanted: want.to_string(),
                    known: known.iter().map(|k| (*k).to_string()).collect(),
                });
            }
        }
        Ok(())
    }
}

/// Runs a command to completion, capturing its output: for the tools'
/// version and language checks, which read no input.
fn run(command: &mut Command) -> std::io::Result<Output> {
    command.stdin(std::process::Stdio::null()).output()
}

/// What every page of one file's OCR shares.
struct Job<'a> {
    tools: &'a Tools,
    /// The input, for messages.
    path: &'a Path,
    dir: &'a Path,
    input: &'a Path,
    lang: &'a str,
    dpi: u32,
    password: Option<&'a str>,
    /// Page sizes by number, as poppler sees them (those it told).
    sizes: HashMap<usize, sizes::PageSize>,
    budget: &'a Budget,
    /// Pages done, and to do, for messages.
    done: AtomicUsize,
    pages: usize,
    /// Pages recognised at less than `dpi`: (number, resolution).
    scaled: Mutex<Vec<(usize, u32)>>,
}

impl Job<'_> {
    /// The sizes of the pages `numbers`, from `pdfinfo`; those it cannot
    /// tell (or all, when it fails) are rendered within a square of
    /// [`sizes::MAX_PIXELS`].
    fn page_sizes(&self, numbers: &[usize]) -> Result<HashMap<usize, sizes::PageSize>> {
        let (Some(&first), Some(&last)) = (numbers.iter().min(), numbers.iter().max()) else {
            return Ok(HashMap::new());
        };
        let mut info = Command::new(&self.tools.pdfinfo);
        info.args(["-box", "-f", &first.to_string(), "-l", &last.to_string()]);
        if let Some(pw) = self.password {
            info.arg("-upw").arg(pw);
        }
        info.arg(self.input);
        let out = self.dir.join("pdfinfo.txt");
        match self.run("pdfinfo (poppler-utils)", &mut info, None, Some(&out)) {
            Ok((status, _)) if status.success() => {}
            // pdftoppm, under the same limits, will tell what is wrong.
            Ok(_) | Err(Error::Ocr { .. }) => return Ok(HashMap::new()),
            Err(e) => return Err(e),
        }
        let text = std::fs::read(&out).unwrap_or_default();
        Ok(sizes::parse_pdfinfo(&String::from_utf8_lossy(&text)))
    }

    /// Renders and recognises page `number` (1-based); `None` when the
    /// page renders blank.
    fn page(&self, number: usize) -> Result<Option<Page>> {
        let fail = |message: String| Error::Ocr {
            path: self.path.to_path_buf(),
            page: Some(number),
            message,
        };
        let render = sizes::render(self.sizes.get(&number).copied(), self.dpi);
        let prefix = self.dir.join(format!("page-{number}"));
        let n = number.to_string();
        let mut pdftoppm = Command::new(&self.tools.pdftoppm);
        pdftoppm
            .arg("-r")
            .arg(render.dpi.to_string())
            .args(["-gray", "-singlefile", "-f", &n, "-l", &n])
            // The crop bounds the image pdftoppm allocates, whatever size
            // it finds the page to be.
            .args(["-x", "0", "-y", "0", "-W"])
            .arg(render.crop.0.to_string())
            .arg("-H")
            .arg(render.crop.1.to_string());
        if let Some(pw) = self.password {
            pdftoppm.arg("-upw").arg(pw);
        }
        pdftoppm.arg(self.input).arg(&prefix);
        let (status, log) = self.run(
            "pdftoppm (poppler-utils)",
            &mut pdftoppm,
            Some(number),
            None,
        )?;
        let cannot_render =
            |why: String| fail(format!("pdftoppm could not render the page ({why})"));
        if !status.success() {
            return Err(cannot_render(self.last_words(&log, status)));
        }
        let image = prefix.with_extension("pgm");
        let summary = pgm::summarise(&image);
        let rendered = match (summary, render.pixels) {
            (None, _) => None,
            // pdftoppm gives up on a page it cannot allocate ("Bogus memory
            // allocation size") with a 1×1 image and exit status 0.
            (Some(s), Some((w, h))) => (s.width * 2 >= w && s.height * 2 >= h).then_some(s),
            (Some(s), None) => (s.width > 1 || s.height > 1).then_some(s),
        };
        let Some(rendered) = rendered else {
            let why = child::last_line(&log).unwrap_or_else(|| match (summary, render.pixels) {
                (Some(s), Some((w, h))) => {
                    format!("it made a {}×{} image, not {w}×{h}", s.width, s.height)
                }
                _ => "it wrote no image".to_string(),
            });
            return Err(cannot_render(why));
        };
        let page = if rendered.blank {
            None
        } else {
            if render.dpi < self.dpi {
                self.scaled
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push((number, render.dpi));
            }
            let tsv = self.recognise(&image, render.dpi, Some(number))?;
            Some(parse_tsv(&tsv, number, render.dpi).map_err(|e| fail(e.to_string()))?)
        };
        // Ignored: the folder goes anyway; this only frees space early.
        let _ = std::fs::remove_file(&image);
        self.done.fetch_add(1, Ordering::Relaxed);
        Ok(page)
    }

    /// The pages recognised at less than the resolution asked, in order.
    fn scaled_down(&self) -> Vec<(usize, u32)> {
        let mut scaled = self
            .scaled
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        scaled.sort_unstable();
        scaled
    }

    /// Runs tesseract on one image file at `dpi` and returns its TSV.
    fn recognise(&self, image: &Path, dpi: u32, page: Option<usize>) -> Result<String> {
        let base = image.with_extension("ocr");
        let mut tesseract = Command::new(&self.tools.tesseract);
        tesseract
            .arg(image)
            .arg(&base)
            .args(["-l", self.lang, "--psm", PSM])
            .arg("--dpi")
            .arg(dpi.to_string())
            // Pages already run in parallel: one thread per tesseract.
            .arg("tsv")
            .env("OMP_THREAD_LIMIT", "1");
        let (status, log) = self.run("tesseract", &mut tesseract, page, None)?;
        if !status.success() {
            return Err(Error::Ocr {
                path: self.path.to_path_buf(),
                page,
                message: format!(
                    "tesseract could not read the image ({})",
                    self.last_words(&log, status)
                ),
            });
        }
        let tsv_path = base.with_extension("ocr.tsv");
        let tsv = std::fs::read(&tsv_path).map_err(|e| Error::Ocr {
            path: self.path.to_path_buf(),
            page,
            message: format!("tesseract wrote no output ({e})"),
        })?;
        let _ = std::fs::remove_file(&tsv_path);
        Ok(String::from_utf8_lossy(&tsv).into_owned())
    }

    /// Runs `program` under the file's limits, its stdout to `stdout` (or
    /// nowhere); returns its status and the file its stderr went to.
    fn run(
        &self,
        program: &'static str,
        command: &mut Command,
        page: Option<usize>,
        stdout: Option<&Path>,
    ) -> Result<(ExitStatus, PathBuf)> {
        let stopped = |limit: Duration, reach: Reach| Error::OcrLimit {
            path: self.path.to_path_buf(),
            page,
            limit: WorkerFailure::Timeout(limit),
            detail: format!(
                "{} of {} page{} read; raise --timeout for {}",
                self.done.load(Ordering::Relaxed),
                self.pages,
                if self.pages == 1 { "" } else { "s" },
                match reach {
                    Reach::Page => "a slow page",
                    Reach::File => "a long scan",
                }
            ),
        };
        let Some((deadline, limit, reach)) = self.budget.next() else {
            return Err(stopped(self.budget.total, Reach::File));
        };
        let log = self.dir.join(format!(
            "{}-{}.err",
            program.split(' ').next().unwrap_or(program),
            page.unwrap_or(0)
        ));
        match child::run(
            command,
            self.budget.limits.max_memory,
            deadline,
            stdout,
            &log,
        ) {
            Ok(status) => Ok((status, log)),
            Err(Stop::Deadline) => Err(stopped(limit, reach)),
            Err(Stop::Spawn(e)) => Err(Error::Ocr {
                path: self.path.to_path_buf(),
                page,
                message: ToolMissing::running(program, e).to_string(),
            }),
        }
    }

    /// What a program that failed left in its stderr file.
    fn last_words(&self, log: &Path, status: ExitStatus) -> String {
        child::last_words(log, status, self.budget.limits.max_memory)
    }
}

/// A private temporary folder, removed with everything in it when dropped
/// (also when OCR fails or panics part-way) and on Ctrl-C (see
/// [`crate::cleanup`]).
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let mut last = None;
        for _ in 0..16 {
            let name = format!(
                "{}{}-{}-{nanos}",
                crate::cleanup::OCR_TEMP_PREFIX,
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            );
            let path = std::env::temp_dir().join(name);
            match std::fs::create_dir(&path) {
                Ok(()) => {
                    crate::cleanup::register(&path);
                    return Ok(TempDir(path));
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| ErrorKind::AlreadyExists.into()))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // Nothing to report to: a leftover folder in the temp dir is harmless.
        let _ = std::fs::remove_dir_all(&self.0);
        crate::cleanup::unregister(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Line, SourceFormat};

    fn doc(pages: Vec<Page>, layer: TextLayer) -> Document {
        Document {
            format: SourceFormat::Pdf,
            text_layer: Some(layer),
            pages,
            warnings: Vec::new(),
        }
    }

    fn empty(number: usize) -> Page {
        Page {
            number,
            ..Page::default()
        }
    }

    fn missing_tools() -> Tools {
        Tools {
            tesseract: "/nonexistent/uppfoljning-test/tesseract".into(),
            pdftoppm: "/nonexistent/uppfoljning-test/pdftoppm".into(),
            pdfinfo: "/nonexistent/uppfoljning-test/pdfinfo".into(),
        }
    }

    fn now() -> Instant {
        Instant::now()
    }

    fn options(ocr: OcrMode) -> ReadOptions {
        ReadOptions {
            ocr,
            ..ReadOptions::default()
        }
    }

    #[test]
    fn missing_tesseract_names_the_packages_to_install() {
        let d = doc(vec![empty(1)], TextLayer::None);
        let err = ocr_pdf_with(
            &missing_tools(),
            Path::new("scan.pdf"),
            b"%PDF-1.4",
            d,
            &options(OcrMode::Auto),
            now(),
        )
        .unwrap_err();
        assert_eq!(err.kind(), "ocr-unavailable");
        let msg = err.to_string();
        assert!(msg.starts_with("scan.pdf: "), "{msg}");
        assert!(msg.contains("tesseract is not installed"), "{msg}");
        assert!(
            msg.contains("tesseract-ocr tesseract-ocr-swe poppler-utils"),
            "{msg}"
        );
    }

    #[test]
    fn never_and_pages_with_text_need_no_tools() {
        let text = Page {
            number: 1,
            width: None,
            lines: vec![Line::from_text("Är ert arbete")],
            text_layer: None,
        };
        let tools = missing_tools();
        let p = Path::new("x.pdf");
        // Never: the image-only page stays empty.
        let d = doc(vec![empty(1)], TextLayer::None);
        let out = ocr_pdf_with(&tools, p, b"", d.clone(), &options(OcrMode::Never), now()).unwrap();
        assert_eq!(out, d);
        // Auto with text everywhere: nothing to OCR.
        let d = doc(vec![text.clone()], TextLayer::Digital);
        let out = ocr_pdf_with(&tools, p, b"", d.clone(), &options(OcrMode::Auto), now()).unwrap();
        assert_eq!(out, d);
        // Auto, a blank page in a document with text, tools missing: kept.
        let d = doc(vec![text, empty(2)], TextLayer::Digital);
        let out = ocr_pdf_with(&tools, p, b"", d.clone(), &options(OcrMode::Auto), now()).unwrap();
        assert_eq!(out, d);
        // Always insists.
        let err = ocr_pdf_with(&tools, p, b"", d, &options(OcrMode::Always), now()).unwrap_err();
        assert_eq!(err.kind(), "ocr-unavailable");
    }

    #[test]
    fn a_multi_page_tiff_splits_by_page_number() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t300\t300\t80\t40\t96\tJa\n\
                   1\t2\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n\
                   5\t2\t1\t1\t1\t1\t300\t300\t80\t40\t91\tNej\n";
        let pages = split_tsv_pages(tsv);
        assert_eq!(pages.len(), 2);
        let second = parse_tsv(&pages[1].1, pages[1].0, 300).unwrap();
        assert_eq!(second.number, 2);
        assert_eq!(second.lines[0].words[0].text, "Nej");
    }

    #[test]
    fn an_image_without_tesseract_names_the_packages() {
        let err = ocr_image_with(
            &missing_tools(),
            Path::new("scan.png"),
            b"\x89PNG",
            "png",
            &options(OcrMode::Auto),
            now(),
        )
        .unwrap_err();
        assert_eq!(err.kind(), "ocr-unavailable");
        assert!(err.to_string().contains("scan.png"), "{err}");
        let never = ocr_image_with(
            &missing_tools(),
            Path::new("scan.png"),
            b"",
            "png",
            &options(OcrMode::Never),
            now(),
        )
        .unwrap();
        assert_eq!(never.text_layer, Some(TextLayer::None));
    }

    #[test]
    fn what_ocr_found_nothing_in_is_said_page_by_kind() {
        assert_eq!(
            nothing_found(1, 1, &[], 300),
            "its page is blank (nothing to OCR)"
        );
        assert_eq!(
            nothing_found(300, 300, &[], 300),
            "all its 300 pages are blank (nothing to OCR)"
        );
        assert_eq!(
            nothing_found(2, 0, &[], 300),
            "OCR found no words on its 2 pages"
        );
        assert_eq!(
            nothing_found(3, 2, &[(3, 7)], 300),
            "OCR found no words on the 1 page it read, and 2 more are blank \
             (page 3 is so large that it was read at 7 dpi, not 300)"
        );
    }

    #[test]
    fn a_file_budget_is_its_timeout_or_one_a_page() {
        let limits = Limits {
            timeout: Duration::from_secs(2),
            ..Limits::default()
        };
        let started = Instant::now();
        let whole = Budget::new(
            Limits {
                whole_file: true,
                ..limits
            },
            started,
            300,
        );
        assert_eq!(whole.total, Duration::from_secs(2));
        let (_, limit, reach) = whole.next().unwrap();
        assert_eq!((limit, reach), (Duration::from_secs(2), Reach::File));
        let paged = Budget::new(limits, started, 300);
        assert_eq!(paged.total, Duration::from_secs(600));
        let (_, limit, reach) = paged.next().unwrap();
        assert_eq!((limit, reach), (Duration::from_secs(2), Reach::Page));
        // Past the deadline nothing more starts.
        let spent = Budget::new(
            Limits {
                whole_file: true,
                timeout: Duration::from_millis(1),
                ..limits
            },
            started,
            1,
        );
        std::thread::sleep(Duration::from_millis(5));
        assert!(spent.next().is_none());
        // A timeout too long for the clock is a deadline that never comes.
        let forever = Budget::new(
            Limits {
                timeout: Duration::MAX,
                ..limits
            },
            started,
            3,
        );
        assert!(forever.next().is_some());
    }

    /// A stand-in for a program: a shell script in a temporary folder.
    #[cfg(unix)]
    fn script(dir: &Path, name: &str, body: &str) -> OsString {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path.into_os_string()
    }

    #[cfg(unix)]
    #[test]
    fn a_page_pdftoppm_gives_up_on_is_named_so_not_blank() {
        if Tools::default().check(DEFAULT_LANG).is_err() {
            eprintln!("note: tesseract with 'swe' not installed; skipping");
            return;
        }
        let dir = TempDir::new().unwrap();
        // What pdftoppm does with a page it cannot allocate: a 1x1 image,
        // a message, exit status 0.
        let tools = Tools {
            pdftoppm: script(
                dir.path(),
                "pdftoppm",
                "[ \"$1\" = -v ] && exit 0\n\
                 for last; do :; done\n\
                 printf 'P5\\n1 1\\n255\\n\\377' > \"$last.pgm\"\n\
                 echo 'Bogus memory allocation size' >&2\n",
            ),
            ..Tools::default()
        };
        let bytes = std::fs::read("fixtures/hostile/vast-page.pdf").unwrap();
        let d = doc(vec![empty(1)], TextLayer::None);
        let p = Path::new("vast.pdf");
        let err = ocr_pdf_with(&tools, p, &bytes, d, &options(OcrMode::Auto), now()).unwrap_err();
        assert_eq!(err.kind(), "ocr", "{err}");
        assert_eq!(
            err.to_string(),
            "vast.pdf, page 1: OCR failed: pdftoppm could not render the page \
             (Bogus memory allocation size)"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_page_past_its_time_is_stopped_and_named() {
        if Tools::default().check(DEFAULT_LANG).is_err() {
            eprintln!("note: tesseract with 'swe' not installed; skipping");
            return;
        }
        let dir = TempDir::new().unwrap();
        let tools = Tools {
            tesseract: script(
                dir.path(),
                "tesseract",
                "[ \"$1\" = --list-langs ] && { echo swe; exit 0; }\nexec sleep 30\n",
            ),
            ..Tools::default()
        };
        let bytes = std::fs::read("fixtures/hostile/slow-ocr.pdf").unwrap();
        let pages = (1..=3).map(empty).collect();
        let d = doc(pages, TextLayer::None);
        let options = ReadOptions {
            ocr: OcrMode::Auto,
            isolation: Some(crate::read::Isolation {
                exe: PathBuf::from("unused"),
                limits: Limits {
                    timeout: Duration::from_millis(500),
                    ..Limits::default()
                },
            }),
            ..ReadOptions::default()
        };
        let start = Instant::now();
        let err =
            ocr_pdf_with(&tools, Path::new("slow.pdf"), &bytes, d, &options, now()).unwrap_err();
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(err.kind(), "timeout", "{err}");
        let msg = err.to_string();
        assert!(
            msg.contains("OCR stopped: timed out after 500 ms") && msg.contains("a slow page"),
            "{msg}"
        );
    }

    #[test]
    fn temp_dir_is_removed_when_dropped() {
        let dir = TempDir::new().unwrap();
        let other = TempDir::new().unwrap();
        assert_ne!(dir.path(), other.path());
        let path = dir.path().to_path_buf();
        std::fs::write(path.join("page-1.png"), b"x").unwrap();
        drop(dir);
        assert!(!path.exists());
    }

    #[test]
    fn an_unknown_language_model_is_named() {
        let tools = Tools::default();
        if tools.check(DEFAULT_LANG).is_err() {
            eprintln!("note: tesseract with 'swe' not installed; skipping");
            return;
        }
        let err = tools.check("swe+xyz").unwrap_err().to_string();
        assert!(err.contains("\"xyz\""), "{err}");
    }
}
