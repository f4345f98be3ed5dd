//! The `uppfoljning` command: parses arguments, calls the library, prints
//! errors, picks the exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use uppfoljning::catalog::{Administrations, Catalog};
use uppfoljning::output::write_atomic;
use uppfoljning::pipeline::{ExtractOptions, Extractor};
use uppfoljning::read::ReadOptions;

/// Turns Göteborgs Stad follow-up reports (PDF or OCR text, often
/// OCR-damaged Swedish) into structured JSON.
///
/// Each report becomes one JSON document (schema_version 1): who wrote it,
/// the year, and per strategy / insats code the question, the answer
/// (ja / nej / delvis / blank), the comment in repaired Swedish, a
/// confidence and the page.
#[derive(Parser)]
#[command(name = "uppfoljning", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract one report and print its JSON document.
    ///
    /// Examples:
    ///   uppfoljning extract report.pdf --pretty
    ///   uppfoljning extract scan.txt --administration ioff --year 2023 -o ioff.json
    ///   uppfoljning extract report.pdf --explain     (show every repair made)
    #[command(verbatim_doc_comment)]
    Extract(ExtractArgs),
}

#[derive(Args)]
struct CommonArgs {
    /// Catalogue of programmes and rows (TOML) to use instead of the
    /// built-in one, e.g. next year's questionnaire.
    #[arg(long, value_name = "PATH")]
    catalog: Option<PathBuf>,
    /// List of administrations (TOML) to use instead of the built-in one.
    #[arg(long, value_name = "PATH")]
    administrations: Option<PathBuf>,
}

#[derive(Args)]
struct ExtractArgs {
    /// The report: a PDF (with a text layer) or an OCR text file. The
    /// format is decided by content, not by extension.
    file: PathBuf,
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
    /// Indent the JSON for reading.
    #[arg(long)]
    pretty: bool,
    /// Add to each item every repair made (before → after, and why).
    #[arg(long)]
    explain: bool,
    /// Write the JSON to this file (atomically) instead of standard output.
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
    #[command(flatten)]
    common: CommonArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => run_extract(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn extractor(common: &CommonArgs) -> Result<Extractor> {
    let catalog = match &common.catalog {
        Some(p) => Catalog::load(p)?,
        None => Catalog::embedded()?,
    };
    let admins = match &common.administrations {
        Some(p) => Administrations::load(p)?,
        None => Administrations::embedded()?,
    };
    Ok(Extractor::new(catalog, admins))
}

fn run_extract(args: ExtractArgs) -> Result<ExitCode> {
    let extractor = extractor(&args.common)?;
    if let Some(id) = &args.administration {
        extractor.check_administration(id)?;
    }
    let options = ExtractOptions {
        administration: args.administration.clone(),
        year: args.year,
        explain: args.explain,
        read: ReadOptions {
            password: args.password.clone(),
        },
    };
    let report = extractor.extract_path(&args.file, &options)?;
    let mut json = if args.pretty {
        serde_json::to_string_pretty(&report)?
    } else {
        serde_json::to_string(&report)?
    };
    json.push('\n');
    match &args.output {
        Some(out) => write_output(out, json.as_bytes())?,
        None => print!("{json}"),
    }
    if report.items.is_empty() {
        // The document is still written (it carries the warning), but a
        // file with no rows is a failure for scripts.
        eprintln!(
            "error: {}: not a follow-up report: no rows of the catalogue found",
            args.file.display()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn write_output(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, bytes).with_context(|| format!("{}: cannot write output", path.display()))
}
