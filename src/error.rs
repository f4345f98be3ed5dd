//! Errors of the library: what failed, and in which file and page.

use std::path::PathBuf;

/// Everything that can go wrong turning one input into a report.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read at all.
    #[error("{path}: cannot read file: {source}")]
    Io {
        /// The input file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The file is empty.
    #[error("{path}: file is empty")]
    Empty {
        /// The input file.
        path: PathBuf,
    },
    /// Neither a PDF nor text.
    #[error("{path}: not a PDF or a text file ({detail})")]
    UnsupportedFormat {
        /// The input file.
        path: PathBuf,
        /// What the content looked like.
        detail: String,
    },
    /// A PDF that could not be parsed.
    #[error("{path}{}: malformed PDF: {message}", page_suffix(*.page))]
    Pdf {
        /// The input file.
        path: PathBuf,
        /// The page where it failed, where known.
        page: Option<usize>,
        /// What went wrong.
        message: String,
    },
    /// A PDF that needs a password to be read.
    #[error("{path}: PDF is encrypted: password required")]
    PasswordRequired {
        /// The input file.
        path: PathBuf,
    },
    /// OCR was needed but tesseract, its language model or poppler-utils'
    /// `pdftoppm` is not installed.
    #[error(
        "{path}: cannot OCR the image-only pages: {message} (install the Debian packages \
         tesseract-ocr tesseract-ocr-swe poppler-utils, or pass --ocr never)"
    )]
    OcrUnavailable {
        /// The input file.
        path: PathBuf,
        /// What is missing.
        message: String,
    },
    /// Rasterising or OCR-ing a page failed although the tools are installed.
    #[error("{path}{}: OCR failed: {message}", page_suffix(*.page))]
    Ocr {
        /// The input file.
        path: PathBuf,
        /// The page being OCR'd, where known.
        page: Option<usize>,
        /// What went wrong.
        message: String,
    },
    /// `--administration` named an id the list does not have.
    #[error("unknown administration id {id:?}; known ids: {known}")]
    UnknownAdministration {
        /// The id given.
        id: String,
        /// The ids the list has, comma-separated.
        known: String,
    },
    /// The catalogue file could not be loaded.
    #[error("catalogue {origin}: {message}")]
    Catalog {
        /// Where the catalogue came from (a path or "embedded").
        origin: String,
        /// What is wrong with it.
        message: String,
    },
}

impl Error {
    /// A short machine-readable name of the error's kind, for
    /// `errors.jsonl` and summaries.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::Empty { .. } => "empty",
            Error::UnsupportedFormat { .. } => "unsupported-format",
            Error::Pdf { .. } => "pdf",
            Error::PasswordRequired { .. } => "password-required",
            Error::OcrUnavailable { .. } => "ocr-unavailable",
            Error::Ocr { .. } => "ocr",
            Error::UnknownAdministration { .. } => "unknown-administration",
            Error::Catalog { .. } => "catalog",
        }
    }
}

fn page_suffix(page: Option<usize>) -> String {
    match page {
        Some(p) => format!(", page {p}"),
        None => String::new(),
    }
}

/// Result with the library's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
