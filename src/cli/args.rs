//! What several subcommands take: reading options, the catalogue, input
//! lists (--files-from), and the parsers of sizes and durations.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use uppfoljning::read::{worker, Isolation, Limits, OcrMode, ReadOptions};

#[derive(Args)]
pub(crate) struct CommonArgs {
    /// Catalogue of programmes and rows (TOML) to use instead of the
    /// built-in one, e.g. next year's questionnaire.
    #[arg(long, value_name = "PATH")]
    pub(crate) catalog: Option<PathBuf>,
    /// List of administrations (TOML) to use instead of the built-in one.
    #[arg(long, value_name = "PATH")]
    pub(crate) administrations: Option<PathBuf>,
}

/// When PDF pages and images are OCR'd.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum OcrArg {
    /// PDF pages without any text (image-only scans), and images.
    Auto,
    /// Every PDF page, replacing an existing OCR layer, and images.
    Always,
    /// Never: image-only pages and images give no rows.
    Never,
}

#[derive(Args)]
#[command(next_help_heading = "Reading PDFs and images")]
pub(crate) struct ReadArgs {
    /// When to OCR with tesseract: by default, PDF pages without text and
    /// images (needs the Debian packages tesseract-ocr, tesseract-ocr-swe
    /// and poppler-utils).
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    ocr: OcrArg,
    /// Tesseract language model(s) for OCR, e.g. swe or swe+eng.
    #[arg(long, default_value = "swe", value_name = "LANG")]
    ocr_lang: String,
    /// Resolution pages are rendered at for OCR; for image inputs, the
    /// resolution they were scanned at.
    #[arg(long, default_value_t = 300, value_name = "DPI",
          value_parser = clap::value_parser!(u32).range(72..=1200))]
    dpi: u32,
    /// Address-space limit of each process that reads a file (the worker a
    /// PDF or text is read in, pdftoppm and tesseract for OCR), e.g. 2G,
    /// 512M; a file that needs more fails alone ("exceeded the 2 GiB
    /// memory limit").
    #[arg(long, default_value = "2G", value_name = "SIZE", value_parser = parse_size)]
    max_memory: u64,
    /// Wall-clock limit for reading one file, OCR included, e.g. 60s, 2m;
    /// the worker, pdftoppm or tesseract is killed when it runs out. The
    /// stages after reading (repair, segmentation) get the same limit
    /// again, or what is left of a --timeout given. [default: 60s to read, and 60s more for each PDF page
    /// OCR'd; 60s for an image]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    timeout: Option<Duration>,
    /// Read and extract PDFs and text inside this process instead of in
    /// worker processes (one kept per thread): no faster that can be
    /// measured over a batch, and then a hostile file can crash or exhaust
    /// the whole run and --max-memory / --timeout do not apply.
    #[arg(long)]
    in_process: bool,
}

/// The leading whole number of `s` and the unit after it ("2G" → 2,
/// "G"), both trimmed; `None` without a number.
fn number_and_unit(s: &str) -> Option<(u64, &str)> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    Some((digits.parse().ok()?, unit.trim()))
}

/// Parses "2G", "512M", "100k" or a plain number of bytes.
fn parse_size(s: &str) -> std::result::Result<u64, String> {
    let (n, unit) = number_and_unit(s)
        .ok_or_else(|| format!("{s:?} is not a size like 2G, 512M or 1048576"))?;
    let shift = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        other => return Err(format!("unknown size unit {other:?} (use K, M or G)")),
    };
    let bytes = n
        .checked_mul(1u64 << shift)
        .ok_or_else(|| format!("{s:?} is too large"))?;
    if bytes < 64 << 20 {
        return Err(format!("{s:?} is below the 64M a worker needs to start"));
    }
    Ok(bytes)
}

/// Parses "60s", "2m", "500ms" or a plain number of seconds.
fn parse_duration(s: &str) -> std::result::Result<Duration, String> {
    let (n, unit) = number_and_unit(s)
        .ok_or_else(|| format!("{s:?} is not a duration like 60s, 2m or 500ms"))?;
    let d = match unit {
        "" | "s" => Duration::from_secs(n),
        "ms" => Duration::from_millis(n),
        "m" | "min" => Duration::from_secs(n.saturating_mul(60)),
        other => return Err(format!("unknown time unit {other:?} (use ms, s or m)")),
    };
    if d.is_zero() {
        return Err("the timeout must be above zero".to_string());
    }
    Ok(d)
}

impl ReadArgs {
    /// Read options with these settings and `password`.
    pub(crate) fn read_options(&self, password: Option<String>) -> ReadOptions {
        let isolation = if self.in_process {
            None
        } else {
            // Without our own path no worker can start; read in-process.
            std::env::current_exe().ok().map(|exe| Isolation {
                exe,
                limits: Limits {
                    max_memory: self.max_memory,
                    timeout: self.timeout.unwrap_or(worker::DEFAULT_TIMEOUT),
                    whole_file: self.timeout.is_some(),
                },
            })
        };
        ReadOptions {
            isolation,
            password,
            ocr: match self.ocr {
                OcrArg::Auto => OcrMode::Auto,
                OcrArg::Always => OcrMode::Always,
                OcrArg::Never => OcrMode::Never,
            },
            ocr_lang: self.ocr_lang.clone(),
            dpi: self.dpi,
            ocr_progress: None,
        }
    }
}

/// More inputs, listed in a file or on standard input.
#[derive(Args)]
pub(crate) struct FilesFrom {
    /// Also take the paths listed in FILE, one a line (`-`: standard
    /// input), e.g. from `find`.
    #[arg(long, value_name = "FILE")]
    pub(crate) files_from: Option<PathBuf>,
    /// With --files-from: the paths are separated by NUL bytes (as `find
    /// -print0` writes them), not by lines.
    #[arg(short = '0', long = "null", requires = "files_from")]
    pub(crate) null: bool,
}

impl FilesFrom {
    /// Whether the list is read from standard input.
    pub(crate) fn is_stdin(&self) -> bool {
        self.files_from.as_deref() == Some(std::path::Path::new("-"))
    }

    /// The paths listed (none without --files-from). Empty lines are
    /// skipped, and a line's `\r\n` ending is taken as `\n`.
    pub(crate) fn paths(&self) -> Result<Vec<PathBuf>> {
        let Some(list) = &self.files_from else {
            return Ok(Vec::new());
        };
        let bytes = if self.is_stdin() {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
                .context("--files-from -: cannot read standard input")?;
            bytes
        } else {
            std::fs::read(list)
                .with_context(|| format!("{}: cannot read the list of files", list.display()))?
        };
        let separator = if self.null { b'\0' } else { b'\n' };
        bytes
            .split(|&b| b == separator)
            .map(|entry| match entry {
                [line @ .., b'\r'] if !self.null => line,
                _ => entry,
            })
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                path_of_bytes(entry)
                    .with_context(|| format!("{}: a path is not UTF-8", list.display()))
            })
            .collect()
    }
}

/// A path from the bytes of a list: any bytes on Unix, UTF-8 elsewhere.
fn path_of_bytes(bytes: &[u8]) -> Result<PathBuf> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Ok(PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
    }
    #[cfg(not(unix))]
    {
        Ok(PathBuf::from(std::str::from_utf8(bytes)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(bytes: &[u8], null: bool) -> Vec<PathBuf> {
        let dir = std::env::temp_dir().join(format!("uppf-list-{}-{null}", std::process::id()));
        std::fs::write(&dir, bytes).unwrap();
        let list = FilesFrom {
            files_from: Some(dir.clone()),
            null,
        };
        let paths = list.paths().unwrap();
        std::fs::remove_file(dir).unwrap();
        paths
    }

    #[test]
    fn a_list_of_files_is_split_by_lines_or_nul() {
        let want = vec![PathBuf::from("a b.pdf"), PathBuf::from("c.txt")];
        assert_eq!(listed(b"a b.pdf\r\n\nc.txt\n", false), want);
        assert_eq!(listed(b"a b.pdf\0c.txt\0", true), want);
        // With -0, a line break is part of a name.
        assert_eq!(listed(b"a\nb\0", true), vec![PathBuf::from("a\nb")]);
    }
}
