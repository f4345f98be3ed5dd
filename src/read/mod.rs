//! Readers: bytes of one input file → [`Document`].
//!
//! Decides the format by content (a `%PDF` header means PDF, whatever the
//! extension) and hands over to the matching reader; PDF pages without
//! text then go to [`ocr`]. Owns no repair and no layout analysis.

pub mod ocr;
pub mod pdf;
pub mod text;
pub mod worker;

use std::path::Path;

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
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            password: None,
            ocr: OcrMode::default(),
            ocr_lang: ocr::DEFAULT_LANG.to_string(),
            dpi: ocr::DEFAULT_DPI,
            isolation: None,
        }
    }
}

/// The format an input was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// Starts with a `%PDF` header (within its first KiB, as readers allow).
    Pdf,
    /// Text: no NUL bytes, mostly printable.
    Text,
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
    if let Some(kind) = known_binary(head) {
        return Err(unsupported(kind));
    }
    if text::looks_like_text(bytes) {
        Ok(Sniffed::Text)
    } else {
        Err(unsupported("binary content"))
    }
}

fn known_binary(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"II*\0", "a TIFF image"),
        (b"MM\0*", "a TIFF image"),
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
/// PDFs are read in a worker process when `options.isolation` says so;
/// their pages are OCR'd as `options.ocr` says (see [`ocr::ocr_pdf`]).
pub fn read_bytes(path: &Path, bytes: &[u8], options: &ReadOptions) -> Result<Document> {
    match sniff(path, bytes)? {
        Sniffed::Pdf => {
            let password = options.password.as_deref();
            let doc = match &options.isolation {
                Some(isolation) => worker::read_pdf(path, bytes, password, isolation)?,
                None => pdf::read_pdf(path, bytes, password)?,
            };
            ocr::ocr_pdf(path, bytes, doc, options)
        }
        Sniffed::Text => Ok(text::read_text(bytes)),
    }
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
    }
}
