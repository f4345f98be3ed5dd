//! `uppfoljning extract`: reports to JSON on standard output or a file.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use uppfoljning::document::{SourceFormat, TextLayer};
use uppfoljning::pipeline::{hex_sha256, ExtractOptions, Extractor};
use uppfoljning::read::OcrProgress;
use uppfoljning::report::Report;

use super::args::{CommonArgs, FilesFrom, ReadArgs};
use super::progress::OcrBar;
use super::{write_output, write_stdout, FAILED};

/// The most bytes read from standard input: far more than any report,
/// little enough to hold in memory.
const MAX_STDIN_BYTES: u64 = 1 << 30;

/// The name standard input goes by in messages and documents.
const STDIN_NAME: &str = "<stdin>";

#[derive(Args)]
pub(crate) struct ExtractArgs {
    /// The reports: PDFs (pages without text are OCR'd), images or OCR
    /// text files; `-` reads standard input. The format is decided by
    /// content, not by extension.
    #[arg(value_name = "FILE", required_unless_present = "files_from")]
    files: Vec<PathBuf>,
    #[command(flatten)]
    list: FilesFrom,
    /// The administration that wrote the report (an id such as `ioff`),
    /// when the text and file name do not tell.
    #[arg(long, value_name = "ID")]
    administration: Option<String>,
    /// The year the report follows up, when the title and path do not tell.
    #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(u16).range(1990..=2100))]
    year: Option<u16>,
    /// Password of an encrypted PDF.
    #[arg(long, value_name = "PW")]
    password: Option<String>,
    /// Indent the JSON for reading (one input, without --jsonl).
    #[arg(long, conflicts_with = "jsonl")]
    pretty: bool,
    /// Print JSON Lines, one report document a line, also for a single
    /// input (the output for several inputs).
    #[arg(long)]
    jsonl: bool,
    /// Add to each item every repair made (before → after, and why).
    #[arg(long)]
    explain: bool,
    /// Write the JSON to this file (atomically) instead of standard output.
    #[arg(short = 'o', long, alias = "output", value_name = "FILE")]
    out: Option<PathBuf>,
    /// Take each file as one report even where it seems to hold several.
    /// Without it, a file that holds several reports (a bundle of
    /// attachments, a report and a revised copy) gives one document per
    /// report, each saying in source.part which pages.
    #[arg(long)]
    one_report: bool,
    #[command(flatten)]
    read: ReadArgs,
    #[command(flatten)]
    common: CommonArgs,
}

/// The inputs named and listed, with usage mistakes refused as clap
/// refuses its own (exit status 2).
fn inputs(args: &ExtractArgs) -> Result<Vec<PathBuf>> {
    let mut inputs = args.files.clone();
    inputs.extend(args.list.paths()?);
    let stdin = Path::new("-");
    let from_stdin = inputs.iter().filter(|p| *p == stdin).count();
    let usage = |message: &str| super::usage_error("extract", message);
    if from_stdin > 1 {
        usage("`-` (standard input) can be read only once");
    }
    if from_stdin == 1 && args.list.is_stdin() {
        usage("`-` and `--files-from -` both want standard input");
    }
    if inputs.is_empty() {
        usage("no inputs: name files, `-`, or a non-empty --files-from list");
    }
    if args.pretty && inputs.len() > 1 {
        usage("--pretty takes a single input: several give JSON Lines, one report a line");
    }
    Ok(inputs)
}

pub(crate) fn run(args: ExtractArgs, quiet: bool) -> Result<ExitCode> {
    let inputs = inputs(&args)?;
    let extractor = super::extractor(&args.common)?;
    if let Some(id) = &args.administration {
        extractor.check_administration(id)?;
    }
    let mut read = args.read.read_options(args.password.clone());
    let bar = OcrBar::for_terminal(quiet);
    if let Some(bar) = &bar {
        let bar = bar.clone();
        read.ocr_progress = Some(OcrProgress::new(move |path, step| bar.step(path, step)));
    }
    let options = ExtractOptions {
        administration: args.administration.clone(),
        year: args.year,
        explain: args.explain,
        read,
        one_report: args.one_report,
    };
    let lines = args.jsonl || inputs.len() > 1;
    // Written at the end into --out; to standard output as each input ends.
    let mut kept = Vec::new();
    let mut failed = false;
    for input in &inputs {
        let extracted = extract_one(&extractor, input, &options);
        if let Some(bar) = &bar {
            bar.finish();
        }
        let reports = match extracted {
            Ok(reports) => reports,
            Err(e) => {
                eprintln!("error: {e:#}");
                failed = true;
                continue;
            }
        };
        let json = render(&reports, lines, args.pretty)?;
        match &args.out {
            Some(_) => kept.extend_from_slice(json.as_bytes()),
            None => write_stdout(json.as_bytes())?,
        }
        if reports.len() > 1 && !quiet {
            note_bundle(input, &reports, lines);
        }
        for report in &reports {
            if let Some(why) = no_rows(report) {
                eprintln!("error: {}: {why}", report_name(input, report));
                failed = true;
            }
        }
    }
    if let Some(out) = &args.out {
        // Nothing is written when nothing was extracted: an empty file
        // would read as a run that found nothing.
        if !kept.is_empty() || !failed {
            write_output(out, &kept)?;
        }
    }
    Ok(if failed {
        ExitCode::from(FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads one input (a file, or standard input for `-`) and extracts its
/// reports.
fn extract_one(
    extractor: &Extractor,
    input: &Path,
    options: &ExtractOptions,
) -> Result<Vec<Report>> {
    if input == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_STDIN_BYTES + 1)
            .read_to_end(&mut bytes)
            .context("-: cannot read standard input")?;
        if bytes.len() as u64 > MAX_STDIN_BYTES {
            anyhow::bail!(
                "-: more than 1 GiB on standard input; save it to a file and use `batch`"
            );
        }
        let name = Path::new(STDIN_NAME);
        return Ok(extractor.extract_reports_hashed(name, &bytes, &hex_sha256(&bytes), options)?);
    }
    if input.is_dir() {
        anyhow::bail!(
            "{}: is a folder; use `uppfoljning batch {} --out DIR` to convert the reports in it",
            input.display(),
            input.display()
        );
    }
    Ok(extractor.extract_reports_path(input, options)?)
}

/// The JSON of one input's reports: one document (an array for a file
/// that holds several), or one line per report.
fn render(reports: &[Report], lines: bool, pretty: bool) -> Result<String> {
    let mut json = String::new();
    if lines {
        for report in reports {
            json.push_str(&serde_json::to_string(report)?);
            json.push('\n');
        }
        return Ok(json);
    }
    // One report: its document. Several (a bundle): a JSON array of them,
    // in file order, so that nothing reads a bundle as one report.
    json = match (reports, pretty) {
        ([one], true) => serde_json::to_string_pretty(one)?,
        ([one], false) => serde_json::to_string(one)?,
        (all, true) => serde_json::to_string_pretty(all)?,
        (all, false) => serde_json::to_string(all)?,
    };
    json.push('\n');
    Ok(json)
}

/// Tells that a file held several reports and how they were written.
fn note_bundle(input: &Path, reports: &[Report], lines: bool) {
    // The pages of a few parts; of many, source.part says.
    let parts: Vec<String> = reports
        .iter()
        .filter_map(|r| r.source.part.as_ref())
        .map(|p| {
            if p.first_page == p.last_page {
                format!("page {}", p.first_page)
            } else {
                format!("pages {}–{}", p.first_page, p.last_page)
            }
        })
        .collect();
    let pages = if parts.len() <= 5 {
        format!(" ({})", parts.join(", "))
    } else {
        String::new()
    };
    let how = if lines {
        "one line each"
    } else {
        "written as a JSON array, one document each"
    };
    eprintln!(
        "note: {}: holds {} reports{pages}; {how} (source.part says which pages)",
        input.display(),
        reports.len(),
    );
}

/// Why a report with no rows is a failure for scripts, or `None` when it
/// has rows. (The document is still written: it carries the warning.)
fn no_rows(report: &Report) -> Option<&'static str> {
    if !report.items.is_empty() {
        return None;
    }
    Some(if report.source.format == SourceFormat::Image {
        "the image was not OCR'd (--ocr never), so it has no text"
    } else if report.source.text_layer == Some(TextLayer::None) {
        "the PDF has no text layer (an image-only scan): it needs OCR (--ocr auto)"
    } else {
        "not a follow-up report: no rows of the catalogue found"
    })
}

/// The input's name in messages, with the report's place for a part of a
/// bundle: "bundle.pdf (report 2 of 3, pages 8–14)".
fn report_name(file: &Path, report: &Report) -> String {
    let file = if file == Path::new("-") {
        Path::new(STDIN_NAME)
    } else {
        file
    };
    match &report.source.part {
        Some(p) => format!(
            "{} (report {} of {}, pages {}–{})",
            file.display(),
            p.index,
            p.count,
            p.first_page,
            p.last_page
        ),
        None => file.display().to_string(),
    }
}
