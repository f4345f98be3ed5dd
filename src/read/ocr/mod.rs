//! OCR of PDF pages that have no text layer, and of image files: rasterise
//! with poppler-utils' `pdftoppm`, recognise with `tesseract`, and put the
//! positioned words into a [`Document`] (for PDFs, the one the PDF reader
//! returned), so that OCR'd pages flow through the same segmentation as
//! text layers.
//!
//! This module is the only code that runs external programs. It owns
//! deciding which pages to OCR ([`OcrMode`]), checking that the tools and
//! the language model are installed, a private temporary folder (always
//! removed), and running pages in parallel on rayon's pool. Parsing
//! tesseract's output is [`parse_tsv`]'s job; repairing OCR damage is not done
//! here.

mod tsv;

use std::ffi::OsString;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

pub use tsv::parse_tsv;

use crate::document::{Document, Page, SourceFormat, TextLayer};
use crate::error::{Error, Result};

use super::ReadOptions;

/// Resolution pages are rendered at when none is given.
pub const DEFAULT_DPI: u32 = 300;

/// Tesseract's language model when none is given.
pub const DEFAULT_LANG: &str = "swe";

/// Tesseract's page segmentation mode: fully automatic (its default). The
/// table's columns come out as separate blocks, which is fine: lines are
/// rebuilt from positions.
const PSM: &str = "3";

/// When pages are OCR'd.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
}

impl Default for Tools {
    fn default() -> Tools {
        Tools {
            tesseract: "tesseract".into(),
            pdftoppm: "pdftoppm".into(),
        }
    }
}

/// OCRs the pages of `doc` that `options.ocr` selects and puts their words
/// in place. `bytes` is the PDF `doc` was read from; `path` names it in
/// errors. Returns `doc` unchanged when no page needs OCR.
///
/// With [`OcrMode::Auto`], a document that has text on other pages is
/// returned unchanged when the tools are missing (its blank pages are most
/// likely blank); an image-only document is an error then.
///
/// # Errors
///
/// [`Error::OcrUnavailable`] when tesseract, its language model or
/// `pdftoppm` is missing; [`Error::Ocr`] when rendering or recognising a
/// page fails.
pub fn ocr_pdf(
    path: &Path,
    bytes: &[u8],
    doc: Document,
    options: &ReadOptions,
) -> Result<Document> {
    ocr_pdf_with(&Tools::default(), path, bytes, doc, options)
}

fn ocr_pdf_with(
    tools: &Tools,
    path: &Path,
    bytes: &[u8],
    mut doc: Document,
    options: &ReadOptions,
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
    if let Err(message) = tools.check(lang) {
        let has_text = doc.pages.iter().any(has_words);
        if options.ocr == OcrMode::Auto && has_text {
            return Ok(doc);
        }
        return Err(Error::OcrUnavailable {
            path: path.to_path_buf(),
            message,
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
    let job = Job {
        tools,
        dir: dir.path(),
        input: &input,
        lang,
        dpi,
        password: options.password.as_deref(),
    };
    let pages: Vec<Page> = wanted
        .par_iter()
        .map(|&i| {
            let number = doc.pages[i].number;
            let page = job.page(number).map_err(|m| fail(Some(number), m));
            if let Some(progress) = &options.ocr_progress {
                progress.page_done(path, number);
            }
            page
        })
        .collect::<Result<_>>()?;
    drop(dir);

    let ocr_pages = pages.iter().filter(|p| has_words(p)).count();
    for (&i, mut page) in wanted.iter().zip(pages) {
        if page.width.is_none() {
            page.width = doc.pages[i].width;
        }
        doc.pages[i] = page;
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

/// The language model and resolution to use, defaults filled in.
fn lang_and_dpi(options: &ReadOptions) -> (&str, u32) {
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

/// Reads an image file (PNG, JPEG, TIFF; a multi-page TIFF gives one page
/// per image) with tesseract. `extension` names the image's format for
/// tesseract. Pixels become points at the image's resolution as
/// `options.dpi` states it (tesseract's own guess is not reported).
///
/// With [`OcrMode::Never`] the document has one empty page and no text
/// layer, as an image-only PDF would.
///
/// # Errors
///
/// [`Error::OcrUnavailable`] when tesseract or its language model is
/// missing; [`Error::Ocr`] when tesseract cannot read the image.
pub fn ocr_image(
    path: &Path,
    bytes: &[u8],
    extension: &str,
    options: &ReadOptions,
) -> Result<Document> {
    ocr_image_with(&Tools::default(), path, bytes, extension, options)
}

fn ocr_image_with(
    tools: &Tools,
    path: &Path,
    bytes: &[u8],
    extension: &str,
    options: &ReadOptions,
) -> Result<Document> {
    let mut doc = Document {
        format: SourceFormat::Image,
        text_layer: Some(TextLayer::None),
        pages: vec![Page {
            number: 1,
            ..Page::default()
        }],
    };
    if options.ocr == OcrMode::Never {
        return Ok(doc);
    }
    let (lang, dpi) = lang_and_dpi(options);
    tools
        .check_tesseract(lang)
        .map_err(|message| Error::OcrUnavailable {
            path: path.to_path_buf(),
            message,
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
    let tsv = tools
        .tesseract_tsv(&input, lang, Some(dpi))
        .map_err(|m| fail(None, m))?;
    drop(dir);
    let pages = split_tsv_pages(&tsv)
        .into_iter()
        .map(|(number, rows)| parse_tsv(&rows, number, dpi).map_err(|m| fail(Some(number), m)))
        .collect::<Result<Vec<Page>>>()?;
    if let Some(progress) = &options.ocr_progress {
        for page in &pages {
            progress.page_done(path, page.number);
        }
    }
    if !pages.is_empty() {
        doc.pages = pages;
    }
    if doc.pages.iter().any(has_words) {
        doc.text_layer = Some(TextLayer::Ocr);
    }
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

impl Tools {
    /// Checks that tesseract knows every language of `lang` (`swe+eng`)
    /// and that pdftoppm runs; the error says what is missing.
    fn check(&self, lang: &str) -> Result<(), String> {
        self.check_tesseract(lang)?;
        run(Command::new(&self.pdftoppm).arg("-v"))
            .map_err(|e| missing("pdftoppm (poppler-utils)", &e))?;
        Ok(())
    }

    /// Runs tesseract on one image file and returns its TSV. `dpi` states
    /// the image's resolution where the file may not. The error is a
    /// message for the user.
    fn tesseract_tsv(&self, image: &Path, lang: &str, dpi: Option<u32>) -> Result<String, String> {
        let mut command = Command::new(&self.tesseract);
        command
            .arg(image)
            .arg("stdout")
            .args(["-l", lang, "--psm", PSM]);
        if let Some(dpi) = dpi {
            command.arg("--dpi").arg(dpi.to_string());
        }
        // Pages already run in parallel: one thread per tesseract.
        command.arg("tsv").env("OMP_THREAD_LIMIT", "1");
        let out = run(&mut command).map_err(|e| missing("tesseract", &e))?;
        if !out.status.success() {
            return Err(format!(
                "tesseract could not read the image ({})",
                last_line(&out.stderr, out.status)
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Checks that tesseract knows every language of `lang`.
    fn check_tesseract(&self, lang: &str) -> Result<(), String> {
        let listed = run(Command::new(&self.tesseract).arg("--list-langs"))
            .map_err(|e| missing("tesseract", &e))?;
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
                return Err(format!(
                    "tesseract has no language model {want:?} (it has: {})",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ));
            }
        }
        Ok(())
    }
}

fn missing(program: &str, e: &std::io::Error) -> String {
    if e.kind() == ErrorKind::NotFound {
        format!("{program} is not installed (not found on PATH)")
    } else {
        format!("cannot run {program}: {e}")
    }
}

/// Runs a command to completion, capturing its output.
fn run(command: &mut Command) -> std::io::Result<Output> {
    command.stdin(std::process::Stdio::null()).output()
}

/// What every page of one file's OCR shares.
struct Job<'a> {
    tools: &'a Tools,
    dir: &'a Path,
    input: &'a Path,
    lang: &'a str,
    dpi: u32,
    password: Option<&'a str>,
}

impl Job<'_> {
    /// Renders and recognises page `number` (1-based); the error is a
    /// message for the user.
    fn page(&self, number: usize) -> Result<Page, String> {
        let prefix = self.dir.join(format!("page-{number}"));
        let n = number.to_string();
        let mut render = Command::new(&self.tools.pdftoppm);
        render.arg("-r").arg(self.dpi.to_string()).args([
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            &n,
            "-l",
            &n,
        ]);
        if let Some(pw) = self.password {
            render.arg("-upw").arg(pw);
        }
        render.arg(self.input).arg(&prefix);
        let out = run(&mut render).map_err(|e| missing("pdftoppm (poppler-utils)", &e))?;
        let image = prefix.with_extension("png");
        if !out.status.success() || !image.is_file() {
            return Err(format!(
                "pdftoppm could not render the page ({})",
                last_line(&out.stderr, out.status)
            ));
        }
        // pdftoppm wrote the resolution into the PNG: no --dpi needed.
        let tsv = self.tools.tesseract_tsv(&image, self.lang, None);
        // Ignored: the folder goes anyway; this only frees space early.
        let _ = std::fs::remove_file(&image);
        parse_tsv(&tsv?, number, self.dpi)
    }
}

/// The last non-empty line a program wrote to stderr, or its exit status.
fn last_line(stderr: &[u8], status: std::process::ExitStatus) -> String {
    String::from_utf8_lossy(stderr)
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .map_or_else(|| status.to_string(), str::to_string)
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
                "uppfoljning-ocr-{}-{}-{nanos}",
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
        }
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
        let out = ocr_pdf_with(&tools, p, b"", d.clone(), &options(OcrMode::Never)).unwrap();
        assert_eq!(out, d);
        // Auto with text everywhere: nothing to OCR.
        let d = doc(vec![text.clone()], TextLayer::Digital);
        let out = ocr_pdf_with(&tools, p, b"", d.clone(), &options(OcrMode::Auto)).unwrap();
        assert_eq!(out, d);
        // Auto, a blank page in a document with text, tools missing: kept.
        let d = doc(vec![text, empty(2)], TextLayer::Digital);
        let out = ocr_pdf_with(&tools, p, b"", d.clone(), &options(OcrMode::Auto)).unwrap();
        assert_eq!(out, d);
        // Always insists.
        let err = ocr_pdf_with(&tools, p, b"", d, &options(OcrMode::Always)).unwrap_err();
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
        )
        .unwrap();
        assert_eq!(never.text_layer, Some(TextLayer::None));
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
        let err = tools.check("swe+xyz").unwrap_err();
        assert!(err.contains("\"xyz\""), "{err}");
    }
}
