//! Errors of the library: what failed, and in which file and page.

use std::path::PathBuf;

/// Everything that can go wrong turning one input into a report.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read at all.
    #[error("{path}: cannot read file")]
    Io {
        /// The input file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The path names something other than a regular file (a FIFO, a
    /// device, a directory), which could block or never end.
    #[error("{path}: not a regular file ({what}); only regular files are read")]
    NotAFile {
        /// The input path.
        path: PathBuf,
        /// What it is instead.
        what: &'static str,
    },
    /// A text input larger than any report's text could be.
    #[error("{path}: {size} bytes of text is more than a report holds (at most {limit} bytes are read as text)")]
    TextTooLarge {
        /// The input file.
        path: PathBuf,
        /// Its size in bytes.
        size: usize,
        /// The largest text input read.
        limit: usize,
    },
    /// A document with more words than a report could have; segmenting
    /// it would cost time and memory in proportion (see
    /// `read::MAX_WORDS`).
    #[error("{path}: {words} words is more than a report holds (at most {limit} words are read)")]
    TooManyWords {
        /// The input file.
        path: PathBuf,
        /// The words it has.
        words: usize,
        /// The most words read.
        limit: usize,
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
    /// OCR ran and found no text in the whole document: every page it
    /// read was blank or gave no words.
    #[error("{path}: no text found: {message}")]
    NoText {
        /// The input file.
        path: PathBuf,
        /// What OCR saw, page by page where it matters.
        message: String,
    },
    /// OCR was stopped by a limit (`--timeout`, `--max-memory`).
    #[error("{path}{}: OCR stopped: {limit} ({detail})", page_suffix(*.page))]
    OcrLimit {
        /// The input file.
        path: PathBuf,
        /// The page being OCR'd, where known.
        page: Option<usize>,
        /// The limit reached.
        limit: WorkerFailure,
        /// How far OCR got, and what to do.
        detail: String,
    },
    /// The worker process reading the file died or was killed (see
    /// `read::worker`).
    #[error("{path}: {failure}")]
    Worker {
        /// The input file.
        path: PathBuf,
        /// How the worker failed.
        failure: WorkerFailure,
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
            Error::NotAFile { .. } => "not-a-file",
            Error::TextTooLarge { .. } => "text-too-large",
            Error::TooManyWords { .. } => "too-many-words",
            Error::Empty { .. } => "empty",
            Error::UnsupportedFormat { .. } => "unsupported-format",
            Error::Pdf { .. } => "pdf",
            Error::PasswordRequired { .. } => "password-required",
            Error::OcrUnavailable { .. } => "ocr-unavailable",
            Error::Ocr { .. } => "ocr",
            Error::NoText { .. } => "no-text",
            Error::OcrLimit { limit, .. } => limit.kind(),
            Error::Worker { failure, .. } => failure.kind(),
            Error::UnknownAdministration { .. } => "unknown-administration",
            Error::Catalog { .. } => "catalog",
        }
    }
}

/// How a worker process reading one file failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkerFailure {
    /// It ran past the wall-clock limit and was killed.
    Timeout(std::time::Duration),
    /// It read the file, then ran past the wall-clock limit in the stages
    /// after reading (repair, segmentation) and was killed.
    StagesTimeout(std::time::Duration),
    /// It tried to use more memory than its limit (in bytes) allows.
    Memory(u64),
    /// It overflowed its stack (deeply nested or self-referencing content).
    StackOverflow,
    /// It died some other way; the text says how.
    Crashed(String),
    /// It could not be started.
    Spawn(String),
}

impl WorkerFailure {
    /// A short machine-readable name, as [`Error::kind`] gives.
    pub fn kind(&self) -> &'static str {
        match self {
            WorkerFailure::Timeout(_) | WorkerFailure::StagesTimeout(_) => "timeout",
            WorkerFailure::Memory(_) => "memory-limit",
            WorkerFailure::StackOverflow => "stack-overflow",
            WorkerFailure::Crashed(_) => "worker-crashed",
            WorkerFailure::Spawn(_) => "worker-spawn",
        }
    }
}

impl std::fmt::Display for WorkerFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WorkerFailure::Timeout(d) => write!(f, "timed out after {}", human_duration(*d)),
            WorkerFailure::StagesTimeout(d) => write!(
                f,
                "timed out after {} (read, then stopped in repair and segmentation)",
                human_duration(*d)
            ),
            WorkerFailure::Memory(bytes) => {
                write!(f, "exceeded the {} memory limit", human_bytes(*bytes))
            }
            WorkerFailure::StackOverflow => f.write_str("aborted: stack overflow"),
            WorkerFailure::Crashed(how) => write!(f, "the reader crashed ({how})"),
            WorkerFailure::Spawn(why) => write!(f, "cannot start a worker process: {why}"),
        }
    }
}

/// "60 s", "1.5 s", "250 ms".
pub fn human_duration(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// "2 GiB", "512 MiB", "100 KiB", "17 bytes".
pub fn human_bytes(n: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (name, size) in UNITS {
        if n >= size {
            return if n.is_multiple_of(size) {
                format!("{} {name}", n / size)
            } else {
                format!("{:.1} {name}", n as f64 / size as f64)
            };
        }
    }
    format!("{n} bytes")
}

fn page_suffix(page: Option<usize>) -> String {
    match page {
        Some(p) => format!(", page {p}"),
        None => String::new(),
    }
}

/// An error's message followed by each of its sources' messages, joined
/// by ": " (as `anyhow` prints an error with `{:#}`): the whole of what
/// went wrong on one line, for where an error is written as text
/// (`errors.jsonl`, an evaluation's failures). An error's own message
/// leaves its source out, so that the two are never printed twice.
pub fn with_sources(error: &dyn std::error::Error) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Result with the library's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn unreadable() -> Error {
        Error::Io {
            path: PathBuf::from("/nowhere/report.pdf"),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        }
    }

    #[test]
    fn an_error_message_leaves_its_source_to_the_chain() {
        let e = unreadable();
        assert_eq!(e.to_string(), "/nowhere/report.pdf: cannot read file");
        let source = std::error::Error::source(&e).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("entity not found"));
    }

    #[test]
    fn with_sources_writes_the_message_and_its_cause_once() {
        assert_eq!(
            with_sources(&unreadable()),
            "/nowhere/report.pdf: cannot read file: entity not found"
        );
        let plain = Error::Empty {
            path: PathBuf::from("e.txt"),
        };
        assert_eq!(with_sources(&plain), plain.to_string());
    }
}
