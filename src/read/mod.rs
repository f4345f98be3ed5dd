//! Readers: bytes of one input file → [`Document`].
//!
//! Decides the format by content (a `%PDF` header means PDF, whatever the
//! extension) and hands over to the matching reader, in a [`worker`]
//! process when asked; PDF pages without text then go to [`ocr`]. Owns
//! the bounds on what an input may cost ([`MAX_TEXT_BYTES`],
//! [`MAX_WORDS`]); no repair and no layout analysis.

pub mod ocr;
pub mod pdf;
pub mod text;
pub mod worker;

use std::path::Path;
use std::time::Instant;

use crate::document::Document;
use crate::error::{Error, Result};

pub use ocr::OcrMode;
pub use worker::{Isolation, Limits};

/// Options that affect how a file is read.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Password for encrypted PDFs.
    pub password: Option<String>,
    /// Which PDF pages are OCR'd (default: those without text).
    pub ocr: OcrMode,
    /// Tesseract language model(s), e.g. `swe` or `swe+eng` (default `swe`).
    pub ocr_lang: String,
    /// Resolution pages are rendered at for OCR (default 300; 0 means the
    /// default).
    pub dpi: u32,
    /// Read PDFs in a worker process with these limits; `None` reads them
    /// in this process (a hostile file can then crash or exhaust it).
    pub isolation: Option<Isolation>,
    /// Told when OCR of a file starts and after each page OCR'd (for
    /// progress bars).
    pub ocr_progress: Option<OcrProgress>,
}

/// What an [`OcrProgress`] callback is told about one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OcrStep {
    /// OCR of the file begins: `pages` pages are to be OCR'd (known
    /// before the first one is done, so a progress bar can show a total).
    Started {
        /// Pages of the file to OCR.
        pages: usize,
    },
    /// Page number `page` is done, one of `pages` to OCR in the file.
    PageDone {
        /// The page's number in the file (from 1).
        page: usize,
        /// Pages of the file to OCR.
        pages: usize,
    },
}

/// A callback told about OCR: the input's path and the [`OcrStep`].
/// Pages of one file are OCR'd in parallel, so it must be `Sync`.
#[derive(Clone)]
pub struct OcrProgress(std::sync::Arc<StepDone>);

/// The callback inside an [`OcrProgress`].
type StepDone = dyn Fn(&Path, OcrStep) + Send + Sync;

impl OcrProgress {
    /// Wraps a callback.
    pub fn new(f: impl Fn(&Path, OcrStep) + Send + Sync + 'static) -> OcrProgress {
        OcrProgress(std::sync::Arc::new(f))
    }

    /// Reports `step` of `path`.
    pub fn tell(&self, path: &Path, step: OcrStep) {
        (self.0)(path, step);
    }
}

impl std::fmt::Debug for OcrProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OcrProgress(..)")
    }
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            password: None,
            ocr: OcrMode::default(),
            ocr_lang: ocr::DEFAULT_LANG.to_string(),
            dpi: ocr::DEFAULT_DPI,
            isolation: None,
            ocr_progress: None,
        }
    }
}

/// The most bytes of text an input may hold: OCR text of a 300-page
/// report is about half a MiB. Larger text is refused before it is
/// segmented, whose cost grows with the text.
pub const MAX_TEXT_BYTES: usize = 4 << 20;

/// The most words a document may hold: a report has about 200 a page, so
/// this is some 2,500 pages. Segmenting costs time and memory in
/// proportion to the words (the aligner's program has a row per word) and
/// runs in the main process, so a document of more is refused by the
/// reader (in the worker, before it is sent): 3 MB of one-word lines
/// would otherwise take a gigabyte there.
pub const MAX_WORDS: usize = 500_000;

/// Refuses a document of more than [`MAX_WORDS`] words.
pub fn check_words(path: &Path, doc: &Document) -> Result<()> {
    let words: usize = doc
        .pages
        .iter()
        .flat_map(|p| &p.lines)
        .map(|l| l.words.len())
        .sum();
    if words > MAX_WORDS {
        return Err(Error::TooManyWords {
            path: path.to_path_buf(),
            words,
            limit: MAX_WORDS,
        });
    }
    Ok(())
}

/// Reads an input file's bytes, refusing anything but a regular file (a
/// FIFO or a device named as an input would block or never end).
pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file_type = std::fs::metadata(path).map_err(io)?.file_type();
    if !file_type.is_file() {
        return Err(Error::NotAFile {
            path: path.to_path_buf(),
            what: kind_of(&file_type),
        });
    }
    std::fs::read(path).map_err(io)
}

/// What a file that is not a regular one is, in words.
fn kind_of(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// The format an input was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// Starts with a `%PDF` header (within its first KiB, as readers allow).
    Pdf,
    /// Text: no NUL bytes, mostly printable.
    Text,
    /// An image file named as one; the extension tesseract should use.
    Image(&'static str),
}

/// Recognises the format of a file from its first bytes.
pub fn sniff(path: &Path, bytes: &[u8]) -> Result<Sniffed> {
    if bytes.is_empty() {
        return Err(Error::Empty {
            path: path.to_path_buf(),
        });
    }
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(Sniffed::Pdf);
    }
    let unsupported = |detail: &str| Error::UnsupportedFormat {
        path: path.to_path_buf(),
        detail: detail.to_string(),
    };
    if let Some(image) = image_format(head) {
        if has_image_extension(path) {
            return Ok(Sniffed::Image(image));
        }
        let named = path
            .extension()
            .map(|e| format!(" named .{}", e.to_string_lossy()))
            .unwrap_or_default();
        return Err(unsupported(&format!(
            "a {} image{named}; give it the extension .{image} to have it OCR'd",
            image.to_ascii_uppercase()
        )));
    }
    if let Some(kind) = known_binary(head) {
        return Err(unsupported(kind));
    }
    if text::looks_like_text(bytes) {
        Ok(Sniffed::Text)
    } else {
        Err(unsupported("binary content"))
    }
}

/// Image file extensions accepted as input (and looked for in folders).
pub const IMAGE_EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "tif", "tiff"];

fn has_image_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// The image format by magic number: the extension tesseract expects.
fn image_format(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "png"),
        (b"\xFF\xD8\xFF", "jpg"),
        (b"II*\0", "tif"),
        (b"MM\0*", "tif"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| head.starts_with(m))
        .map(|(_, k)| *k)
}

fn known_binary(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"PK\x03\x04", "a ZIP archive (a Word or Excel file?)"),
        (b"\xD0\xCF\x11\xE0", "an old Microsoft Office file"),
        (b"\x1F\x8B", "a gzip archive"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| head.starts_with(m))
        .map(|(_, k)| *k)
}

/// Reads one input file held in memory. `path` is used for messages only.
///
/// PDFs and text are read in a worker process when `options.isolation`
/// says so; PDF pages are OCR'd as `options.ocr` says (see
/// [`ocr::ocr_pdf`]), under the isolation's limits. A document of more
/// than [`MAX_WORDS`] words is refused.
pub fn read_bytes(path: &Path, bytes: &[u8], options: &ReadOptions) -> Result<Document> {
    let started = Instant::now();
    let doc = match sniff(path, bytes)? {
        Sniffed::Pdf => {
            let password = options.password.as_deref();
            let doc = match &options.isolation {
                Some(isolation) => worker::read_pdf(path, bytes, password, isolation)?,
                None => pdf::read_pdf(path, bytes, password)?,
            };
            ocr::ocr_pdf(path, bytes, doc, options, started)?
        }
        Sniffed::Text if bytes.len() > MAX_TEXT_BYTES => {
            return Err(Error::TextTooLarge {
                path: path.to_path_buf(),
                size: bytes.len(),
                limit: MAX_TEXT_BYTES,
            })
        }
        Sniffed::Text => match &options.isolation {
            Some(isolation) => worker::read_text(path, bytes, isolation)?,
            None => text::read_text(bytes),
        },
        Sniffed::Image(extension) => ocr::ocr_image(path, bytes, extension, options, started)?,
    };
    check_words(path, &doc)?;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_extension() {
        let p = Path::new("x.txt");
        assert_eq!(sniff(p, b"%PDF-1.7\n...").unwrap(), Sniffed::Pdf);
        assert_eq!(sniff(p, "Är ert arbete".as_bytes()).unwrap(), Sniffed::Text);
    }

    #[test]
    fn rejects_empty_and_images_with_a_reason() {
        let p = Path::new("scan.pdf");
        assert!(matches!(sniff(p, b""), Err(Error::Empty { .. })));
        let err = sniff(p, b"\x89PNG\r\n\x1a\n\0\0").unwrap_err().to_string();
        assert!(err.contains("scan.pdf") && err.contains("PNG"), "{err}");
        assert!(err.contains("extension .png"), "{err}");
        let png = Path::new("scan.PNG");
        assert_eq!(sniff(png, b"\x89PNG\r\n").unwrap(), Sniffed::Image("png"));
        let tif = Path::new("scan.tiff");
        assert_eq!(sniff(tif, b"II*\0rest").unwrap(), Sniffed::Image("tif"));
    }
}
