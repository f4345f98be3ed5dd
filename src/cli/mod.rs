//! The command line: arguments (clap), one module per subcommand, and
//! what they share (reading options, writing to standard output).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

/// `println!` that returns an error instead of panicking when standard
/// output is closed (`| head`); `main` ends quietly on a broken pipe.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?;
    }};
}

/// `print!` as [`outln!`] is `println!`.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)?;
    }};
}

mod aggregate;
mod args;
mod batch;
mod catalog;
mod docs;
mod eval;
mod extract;
mod progress;

use uppfoljning::catalog::{Administrations, Catalog};
use uppfoljning::output::write_atomic;
use uppfoljning::pipeline::Extractor;
use uppfoljning::read::worker;

/// The exit statuses, for every `--help` and the README.
macro_rules! exit_codes {
    () => {
        "Exit status:
  0    success
  1    an input failed (each is named on stderr), or the run could not go on
  2    usage error: an unknown option, a bad value, a missing argument
  3    eval: a threshold was not met
  130  interrupted (Ctrl-C)"
    };
}

/// Exit status: some inputs failed, or the run could not go on.
pub(crate) const FAILED: u8 = 1;
/// Exit status: `eval` thresholds not met.
pub(crate) const THRESHOLDS: u8 = 3;

/// Turns Göteborgs Stad follow-up reports (PDFs, scanned images or OCR text,
/// often OCR-damaged Swedish) into structured JSON.
///
/// Each report becomes one JSON document (schema_version 2, see
/// docs/contract.md): who wrote it,
/// the year, and per strategy / insats code the question, the answer
/// (ja / nej / delvis / blank), the comment in repaired Swedish, a
/// confidence and the page.
#[derive(Parser)]
#[command(
    name = "uppfoljning",
    version,
    about,
    long_about,
    after_help = concat!(
        "Examples:
  uppfoljning extract report.pdf --pretty
  uppfoljning batch archive/ --out out
  uppfoljning aggregate out

",
        exit_codes!()
    )
)]
pub(crate) struct Cli {
    /// Print nothing on stderr but errors (no progress, notes or summary).
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Extract reports and print their JSON documents.
    ///
    /// Each input is a PDF, an image (.png, .jpg, .tif) or an OCR text
    /// file; its content decides the format, not its extension. PDF pages
    /// without text and images are OCR'd with tesseract (--ocr auto, the
    /// default; --ocr never turns it off). `-` reads one input from
    /// standard input. A folder is not read: use `uppfoljning batch`.
    ///
    /// Output: one input gives its JSON document; a file that holds
    /// several reports (a bundle) gives a JSON array of documents, one a
    /// report, in file order (--one-report: one document). Several inputs,
    /// or --jsonl, give JSON Lines instead: one report document a line, in
    /// input order (an input that fails gives no line; the error names it
    /// on stderr, and the others go on). --pretty needs a single input
    /// without --jsonl.
    ///
    /// A report with no rows of the catalogue (not a follow-up report, or
    /// a scan that was not OCR'd) is still printed, with its warning, but
    /// counts as a failed input.
    #[command(
        verbatim_doc_comment,
        after_help = concat!(
            "Examples:
  uppfoljning extract report.pdf --pretty
  uppfoljning extract scan.txt --administration ioff --year 2023 --out ioff.json
  uppfoljning extract report.pdf --explain              (show every repair made)
  uppfoljning extract a.pdf b.pdf c.txt > reports.jsonl  (JSON Lines)
  cat scan.txt | uppfoljning extract -
  find archive -name '*.pdf' -print0 | uppfoljning extract --files-from - -0 --jsonl

",
            exit_codes!()
        )
    )]
    Extract(extract::ExtractArgs),
    /// Score extraction against ground truth, per input set and overall.
    ///
    /// Each input (a file, or every .pdf, .txt and image in a folder,
    /// recursively) is extracted and compared with the truth file of the
    /// same stem in --truth (STEM.json or STEM.expected.json,
    /// contract-shaped JSON). Inputs are grouped into sets by the folder
    /// they sit in.
    ///
    /// Prints item precision / recall / F1, answer and area accuracy,
    /// question and comment character error rate, comment word accuracy,
    /// accuracy on words with å/ä/ö and administration accuracy, then the
    /// confidence calibration, then the worst rows with a word diff
    /// ([-truth-] {+output+}).
    ///
    /// Calibration buckets every output row by its confidence (< 0.5,
    /// 0.5–0.7, 0.7–0.9, ≥ 0.9) and shows wrong rows / rows. A row is wrong
    /// if it is not in the truth (a false positive), its answer or area
    /// differs from the truth, or its question or comment character error
    /// rate exceeds 2 %. Missed truth rows have no confidence (see recall).
    ///
    /// --force-repair also runs OCR word repair over the truth comments, as
    /// if they were OCR text, and counts the words it changes: every word
    /// there was right, so each change is a false repair.
    ///
    /// Thresholds (--min-f1, --max-comment-cer, …) make it exit with
    /// status 3 when they are not met, for CI.
    #[command(
        verbatim_doc_comment,
        after_help = concat!(
            "Examples:
  uppfoljning eval --truth corpus/truth corpus/scan-eng
  uppfoljning eval --truth corpus/truth corpus/digital --min-f1 0.999 --max-comment-cer 0.0005
  uppfoljning eval --reports --truth corpus/truth out/    (score documents made beforehand)

",
            exit_codes!()
        )
    )]
    Eval(eval::EvalArgs),
    /// Convert whole folders of reports, in parallel, into one JSON
    /// document each, then aggregate them for analysts.
    ///
    /// Finds .pdf, .txt and image files (.png, .jpg, .jpeg, .tif, .tiff)
    /// recursively (the format is decided by content; links to files are
    /// followed, links to folders are not; hidden files are skipped), plus
    /// the paths listed in --files-from, and writes OUT/<file name>.json
    /// for each, atomically. PDF pages without text and images are OCR'd
    /// (--ocr auto, the default). An input whose output already holds its
    /// SHA-256 and was made by this version with the same catalogue,
    /// administrations and options (its provenance) is skipped (rerun
    /// after adding ten files: ten extractions), unless --force; one made
    /// otherwise is converted again, and the summary says why ("3
    /// re-converted: catalogue changed"). A file, or a folder, that fails
    /// never stops the
    /// others: it is listed in OUT/errors.jsonl and in the summary
    /// (another batch writing into OUT at the same time keeps its own
    /// lines there), and the exit status is 1.
    ///
    /// A file that holds several reports (a bundle of attachments, a
    /// report and a revised copy) gets one document per report,
    /// OUT/<file name>#1.json, #2, …, each saying in source.part which
    /// pages of the file it is (--one-report: one document per file).
    ///
    /// Then writes the aggregate of every report in OUT: aggregate.csv,
    /// aggregate.jsonl, aggregate.xlsx and overview.html (other .json files
    /// there, such as a package.json, are left out with a note).
    ///
    /// Progress goes to stderr: a bar on a terminal, a line per file
    /// otherwise; --quiet prints only errors. --json prints progress and
    /// summary as JSON Lines on stdout instead (one object a line, its
    /// "event" saying what it is: start, ocr, file, note, skipped-json,
    /// summary).
    #[command(
        verbatim_doc_comment,
        after_help = concat!(
            "Examples:
  uppfoljning batch archive/2023 archive/2024 --out out --jobs 2
  find archive -newer last-run -name '*.pdf' | uppfoljning batch --files-from - --out out
  uppfoljning batch archive --out out --json | jq -c 'select(.event == \"file\")'

",
            exit_codes!()
        )
    )]
    Batch(batch::BatchArgs),
    /// Aggregate a folder of report documents (from `batch` or `extract`)
    /// into aggregate.csv, aggregate.jsonl, aggregate.xlsx and overview.html.
    ///
    /// One row per report and item (the contract's long form), for pivoting
    /// in a spreadsheet or loading into a dataframe. Reports for the same
    /// administration and year are kept and flagged, never merged. Other
    /// .json files in the folder (not report documents) are listed on
    /// stderr and left out. A missing folder, or one without any report
    /// document, is an error (exit status 1) and nothing is written.
    #[command(
        verbatim_doc_comment,
        after_help = concat!(
            "Examples:
  uppfoljning aggregate out
  uppfoljning aggregate out --out shared/2024

",
            exit_codes!()
        )
    )]
    Aggregate(aggregate::AggregateArgs),
    /// Check a catalogue file and show what it holds, or what changed from
    /// another one.
    ///
    /// Without PATH, the built-in catalogue. The file is validated as
    /// `--catalog` would load it (every error names the file); then each
    /// programme is listed with its areas and codes. With --compare OLD,
    /// the changes from OLD to PATH are listed instead: programmes and rows
    /// added (+), removed (-) or reworded (~). Use it before a new
    /// questionnaire's reports are converted, and with `eval --catalog` to
    /// see whether misses are the catalogue's age or the extraction's.
    #[command(
        verbatim_doc_comment,
        after_help = concat!(
            "Examples:
  uppfoljning catalog
  uppfoljning catalog next-year.toml
  uppfoljning catalog next-year.toml --compare this-year.toml

",
            exit_codes!()
        )
    )]
    Catalog(catalog::CatalogArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = docs::COMPLETIONS_HELP)]
    Completions(docs::CompletionsArgs),
    /// Print the man page, or write one per subcommand into a folder.
    #[command(after_help = docs::MAN_HELP)]
    Man(docs::ManArgs),
}

// Parsed apart from `Cli`, so that completions, man pages and help do not
// offer it.
/// Internal: `uppfoljning worker` reads one PDF sent on stdin and replies
/// on stdout; the other commands run it as a child process per PDF.
#[derive(Parser)]
#[command(name = "uppfoljning worker")]
pub(crate) struct WorkerArgs {
    /// Address-space limit in bytes, set before reading.
    #[arg(long)]
    max_memory: u64,
}

/// Runs the subcommand; the exit status on success.
pub(crate) fn run(cli: Cli) -> Result<ExitCode> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Extract(args) => extract::run(args, quiet),
        Command::Eval(args) => eval::run(args),
        Command::Batch(args) => batch::run(args, quiet),
        Command::Aggregate(args) => aggregate::run(args, quiet),
        Command::Catalog(args) => catalog::run(args),
        Command::Completions(args) => docs::completions(args),
        Command::Man(args) => docs::man(args, quiet),
    }
}

/// Ends the run as clap ends it on a usage mistake: the message, the
/// subcommand's usage line, exit status 2.
pub(crate) fn usage_error(subcommand: &str, message: &str) -> ! {
    use clap::CommandFactory as _;
    let mut cli = Cli::command();
    cli.build();
    let error = match cli.find_subcommand_mut(subcommand) {
        Some(sub) => sub.error(clap::error::ErrorKind::ArgumentConflict, message),
        None => cli.error(clap::error::ErrorKind::ArgumentConflict, message),
    };
    error.exit()
}

/// Whether the error, or one of its causes, is a write to a closed pipe:
/// the reader (`head`, a pager) has all it wants, so the run ends quietly.
pub(crate) fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Writes `bytes` to standard output and flushes it.
pub(crate) fn write_stdout(bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// Whether this process was started as a worker (`uppfoljning worker`).
pub(crate) fn is_worker() -> bool {
    std::env::args_os().nth(1).as_deref() == Some(std::ffi::OsStr::new(worker::WORKER_COMMAND))
}

/// Runs a worker: its arguments follow the word `worker`.
pub(crate) fn run_worker() -> Result<ExitCode> {
    let args = WorkerArgs::parse_from(std::env::args_os().skip(1));
    serve(args)
}

fn serve(args: WorkerArgs) -> Result<ExitCode> {
    // One worker serves one of the parent's threads, among which `--jobs`
    // already shares out the cores. lopdf loads a file's objects in
    // parallel on rayon's global pool: made of this thread alone, the
    // loading runs here, with no pool thread to hand it to and to spin
    // after it while the other workers want the core. (It fails only if
    // the pool exists; it then stays.)
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .use_current_thread()
        .build_global();
    worker::serve(
        args.max_memory,
        &uppfoljning::pipeline::serve_stages,
        std::io::stdin().lock(),
        std::io::stdout().lock(),
    )
    .context("worker: cannot write the reply")?;
    Ok(ExitCode::SUCCESS)
}

/// The extractor with the catalogue and administrations the options name.
pub(crate) fn extractor(common: &args::CommonArgs) -> Result<Extractor> {
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

/// Writes an output file atomically; the error names it.
pub(crate) fn write_output(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, bytes).with_context(|| format!("{}: cannot write output", path.display()))
}

/// Paths as one comma-separated list, for "wrote …" lines.
pub(crate) fn joined(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    names.join(", ")
}
