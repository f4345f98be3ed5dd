//! The `uppfoljning` command: parses arguments, calls the library, prints
//! errors, picks the exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use uppfoljning::aggregate;
use uppfoljning::batch;
use uppfoljning::catalog::{Administrations, Catalog};
use uppfoljning::document::{SourceFormat, TextLayer};
use uppfoljning::eval;
use uppfoljning::output::write_atomic;
use uppfoljning::pipeline::{ExtractOptions, Extractor};
use uppfoljning::read::{worker, Isolation, Limits, OcrMode, OcrProgress, ReadOptions};

/// The system allocator; in a worker, a failed allocation (its memory
/// limit reached) ends it with an exit status the parent reads.
#[global_allocator]
static ALLOCATOR: uppfoljning::memory::Allocator = uppfoljning::memory::Allocator;

/// Turns Göteborgs Stad follow-up reports (PDF or OCR text, often
/// OCR-damaged Swedish) into structured JSON.
///
/// Each report becomes one JSON document (schema_version 2, see
/// docs/contract.md): who wrote it,
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
    /// A file that holds several reports (a bundle) gives a JSON array of
    /// documents, one a report, in file order (--one-report: one document).
    ///
    /// Examples:
    ///   uppfoljning extract report.pdf --pretty
    ///   uppfoljning extract scan.txt --administration ioff --year 2023 -o ioff.json
    ///   uppfoljning extract report.pdf --explain     (show every repair made)
    #[command(verbatim_doc_comment)]
    Extract(ExtractArgs),
    /// Score extraction against ground truth, per input set and overall.
    ///
    /// Each input (a file, or every .pdf/.txt in a folder, recursively) is
    /// extracted and compared with the truth file of the same stem in
    /// --truth (STEM.json or STEM.expected.json, contract-shaped JSON).
    /// Inputs are grouped into sets by the folder they sit in.
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
    /// Thresholds make it exit with code 3 when they are not met, for CI:
    ///   uppfoljning eval --truth corpus/truth corpus/digital --min-f1 0.999 --max-comment-cer 0.0005
    #[command(verbatim_doc_comment)]
    Eval(EvalArgs),
    /// Convert whole folders of reports, in parallel, into one JSON
    /// document each, then aggregate them for analysts.
    ///
    /// Finds .pdf and .txt files recursively (the format is decided by
    /// content; links to files are followed, links to folders are not) and
    /// writes DIR/<file name>.json for each, atomically. An input whose
    /// output already holds its SHA-256 and was made by this version with
    /// the same catalogue, administrations and options (its provenance) is
    /// skipped (rerun after adding ten files: ten extractions), unless
    /// --force; one made otherwise is converted again, and the summary
    /// says why ("3 re-converted: catalogue changed"). A file, or a folder, that
    /// fails never stops the others: it is listed in DIR/errors.jsonl and
    /// in the summary (another batch writing into DIR at the same time
    /// keeps its own lines there). Exit code 0 when every input succeeded,
    /// 2 when some failed.
    ///
    /// A file that holds several reports (a bundle of attachments, a
    /// report and a revised copy) gets one document per report,
    /// DIR/<file name>#1.json, #2, …, each saying in source.part which
    /// pages of the file it is (--one-report: one document per file).
    ///
    /// Then writes the aggregate of every report in DIR: aggregate.csv,
    /// aggregate.jsonl, aggregate.xlsx and overview.html (other .json files
    /// there, such as a package.json, are left out with a note).
    ///
    /// Example:
    ///   uppfoljning batch archive/2023 archive/2024 --out out --jobs 2
    #[command(verbatim_doc_comment)]
    Batch(BatchArgs),
    /// Aggregate a folder of report documents (from `batch` or `extract`)
    /// into aggregate.csv, aggregate.jsonl, aggregate.xlsx and overview.html.
    ///
    /// One row per report and item (the contract's long form), for pivoting
    /// in a spreadsheet or loading into a dataframe. Reports for the same
    /// administration and year are kept and flagged, never merged.
    Aggregate(AggregateArgs),
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
    ///
    /// Examples:
    ///   uppfoljning catalog
    ///   uppfoljning catalog next-year.toml
    ///   uppfoljning catalog next-year.toml --compare this-year.toml
    #[command(verbatim_doc_comment)]
    Catalog(CatalogArgs),
    /// Internal: reads one PDF sent on stdin and replies on stdout; the
    /// other commands run it as a child process per PDF.
    #[command(hide = true)]
    Worker(WorkerArgs),
}

#[derive(Args)]
struct WorkerArgs {
    /// Address-space limit in bytes, set before reading.
    #[arg(long)]
    max_memory: u64,
}

#[derive(Args)]
struct CatalogArgs {
    /// The catalogue file (TOML); the built-in one when left out.
    path: Option<PathBuf>,
    /// List the changes from this (older) catalogue to PATH.
    #[arg(long, value_name = "OLD")]
    compare: Option<PathBuf>,
}

#[derive(Args)]
struct AggregateArgs {
    /// Folder of report documents (*.json).
    dir: PathBuf,
    /// Where to write the aggregate files [default: DIR itself].
    #[arg(long, value_name = "DIR2")]
    out: Option<PathBuf>,
}

#[derive(Args)]
struct BatchArgs {
    /// Input files or folders (searched recursively for .pdf and .txt).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output folder (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Worker threads [default: all cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    jobs: Option<u16>,
    /// Convert every input again, even when its output is up to date.
    #[arg(long)]
    force: bool,
    /// Password for encrypted PDFs.
    #[arg(long, value_name = "PW")]
    password: Option<String>,
    /// Take each file as one report even where it seems to hold several.
    /// Without it, a file that holds several reports gets one document
    /// each: DIR/<file name>#1.json, #2, …
    #[arg(long)]
    one_report: bool,
    #[command(flatten)]
    read: ReadArgs,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Args)]
struct EvalArgs {
    /// Input files or folders.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Folder of truth files, matched to inputs by file stem.
    #[arg(long, value_name = "DIR")]
    truth: PathBuf,
    /// Also score the raw text before repair, to show what repair gains.
    #[arg(long)]
    baseline: bool,
    /// The inputs are report documents made beforehand (`<input>.json`, as
    /// `batch` writes them, or another tool's output in the same contract,
    /// e.g. `tools/baseline/`): score them instead of extracting. Folders
    /// are searched for `*.json` (not recursively).
    #[arg(long)]
    reports: bool,
    /// Score only inputs whose truth file says `"split": "<SPLIT>"` (the
    /// bundled corpus has `dev`, to tune on, and `test`, to report on).
    #[arg(long, value_name = "SPLIT")]
    split: Option<String>,
    /// Write the full evaluation (per document and row) as JSON.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// How many of the worst rows to show.
    #[arg(long, default_value_t = 10, value_name = "N")]
    worst: usize,
    /// Also repair the truth comments as if they were OCR text and count the
    /// words repair changes (false repairs).
    #[arg(long)]
    force_repair: bool,
    /// Fail when --force-repair changes more than this share of the correct
    /// words (0..1); implies --force-repair.
    #[arg(long, value_name = "X")]
    max_false_repairs: Option<f64>,
    /// Fail when item F1 is below this.
    #[arg(long, value_name = "X")]
    min_f1: Option<f64>,
    /// Fail when answer accuracy is below this (0..1).
    #[arg(long, value_name = "X")]
    min_answer_acc: Option<f64>,
    /// Fail when area accuracy is below this (0..1).
    #[arg(long, value_name = "X")]
    min_area_acc: Option<f64>,
    /// Fail when the comment character error rate is above this (0..1).
    #[arg(long, value_name = "X")]
    max_comment_cer: Option<f64>,
    /// Fail when the question character error rate is above this (0..1).
    #[arg(long, value_name = "X")]
    max_question_cer: Option<f64>,
    /// Fail when accuracy on words with å/ä/ö is below this (0..1).
    #[arg(long, value_name = "X")]
    min_diacritic_acc: Option<f64>,
    /// Fail when administration accuracy is below this (0..1).
    #[arg(long, value_name = "X")]
    min_admin_acc: Option<f64>,
    /// Fail when more documents than this fail to extract.
    #[arg(long, value_name = "N")]
    max_failures: Option<usize>,
    #[command(flatten)]
    read: ReadArgs,
    #[command(flatten)]
    common: CommonArgs,
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
    /// Take the file as one report even where it seems to hold several.
    /// Without it, a file that holds several reports (a bundle of
    /// attachments, a report and a revised copy) gives a JSON array of
    /// documents, one a report, each saying in source.part which pages.
    #[arg(long)]
    one_report: bool,
    #[command(flatten)]
    read: ReadArgs,
    #[command(flatten)]
    common: CommonArgs,
}

/// When PDF pages are OCR'd.
#[derive(Clone, Copy, ValueEnum)]
enum OcrArg {
    /// Pages without any text (image-only scans).
    Auto,
    /// Every page, replacing an existing OCR layer.
    Always,
    /// Never: image-only pages give no rows.
    Never,
}

#[derive(Args)]
#[command(next_help_heading = "Reading PDFs")]
struct ReadArgs {
    /// When to OCR PDF pages with tesseract (needs the Debian packages
    /// tesseract-ocr, tesseract-ocr-swe and poppler-utils).
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
    fn read_options(&self, password: Option<String>) -> ReadOptions {
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

fn main() -> ExitCode {
    uppfoljning::memory::tune_allocator();
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Worker(_)) {
        remove_temporaries_on_interrupt();
        // Left by runs killed with SIGKILL, which no handler sees.
        uppfoljning::cleanup::remove_stale_ocr_folders();
    }
    let result = match cli.command {
        Command::Extract(args) => run_extract(args),
        Command::Eval(args) => run_eval(args),
        Command::Batch(args) => run_batch(args),
        Command::Aggregate(args) => run_aggregate(args),
        Command::Catalog(args) => run_catalog(args),
        Command::Worker(args) => run_worker(args),
    };
    worker::shutdown_idle();
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// On Ctrl-C or SIGTERM: remove OCR page images and half-written outputs,
/// then exit 130 as shells expect. Outputs already complete stay; a rerun
/// of `batch` skips them and finishes the rest.
fn remove_temporaries_on_interrupt() {
    let installed = ctrlc::set_handler(|| {
        uppfoljning::cleanup::remove_all();
        eprintln!("\ninterrupted: temporary files removed; rerun to finish the rest");
        std::process::exit(130);
    });
    if let Err(e) = installed {
        eprintln!("warning: cannot catch Ctrl-C ({e}); an interrupt may leave temporary files");
    }
}

fn run_worker(args: WorkerArgs) -> Result<ExitCode> {
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

fn run_catalog(args: CatalogArgs) -> Result<ExitCode> {
    let catalog = match &args.path {
        Some(p) => Catalog::load(p)?,
        None => Catalog::embedded()?,
    };
    let name = args.path.as_ref().map_or_else(
        || "the built-in catalogue".to_string(),
        |p| p.display().to_string(),
    );
    if let Some(old_path) = &args.compare {
        let old = Catalog::load(old_path)?;
        let changes = old.changes_to(&catalog);
        println!(
            "{} (version {}) against {} (version {}): {} changes",
            name,
            catalog.version,
            old_path.display(),
            old.version,
            changes.len()
        );
        for c in changes {
            println!("  {c}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let rows: usize = catalog.programs.iter().map(|p| p.items.len()).sum();
    println!(
        "{name}: valid, version {}, {} programmes, {rows} rows",
        catalog.version,
        catalog.programs.len()
    );
    for p in &catalog.programs {
        println!("\n{} — {}", p.id, p.title);
        if p.has_areas() {
            for a in &p.areas {
                let codes: Vec<String> = p
                    .items
                    .iter()
                    .filter(|i| i.code.major == a.number)
                    .map(|i| i.code.to_string())
                    .collect();
                println!(
                    "  {} {}: {} ({})",
                    p.area_label,
                    a.number,
                    a.title,
                    codes.join(", ")
                );
            }
        } else {
            let codes: Vec<String> = p.items.iter().map(|i| i.code.to_string()).collect();
            println!("  {}", codes.join(", "));
        }
    }
    Ok(ExitCode::SUCCESS)
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
        read: args.read.read_options(args.password.clone()),
        one_report: args.one_report,
    };
    let reports = extractor.extract_reports_path(&args.file, &options)?;
    // One report: its document. Several (a bundle): a JSON array of them,
    // in file order, so that nothing reads a bundle as one report.
    let mut json = match (reports.as_slice(), args.pretty) {
        ([one], true) => serde_json::to_string_pretty(one)?,
        ([one], false) => serde_json::to_string(one)?,
        (all, true) => serde_json::to_string_pretty(all)?,
        (all, false) => serde_json::to_string(all)?,
    };
    json.push('\n');
    match &args.output {
        Some(out) => write_output(out, json.as_bytes())?,
        None => print!("{json}"),
    }
    if reports.len() > 1 {
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
        eprintln!(
            "note: {}: holds {} reports{pages}; written as a JSON array, one document each \
             (source.part says which pages)",
            args.file.display(),
            reports.len(),
        );
    }
    let mut failed = false;
    for report in &reports {
        if !report.items.is_empty() {
            continue;
        }
        // The document is still written (it carries the warning), but a
        // file with no rows is a failure for scripts.
        let why = if report.source.format == SourceFormat::Image {
            "the image was not OCR'd (--ocr never), so it has no text"
        } else if report.source.text_layer == Some(TextLayer::None) {
            "the PDF has no text layer (an image-only scan): it needs OCR (--ocr auto)"
        } else {
            "not a follow-up report: no rows of the catalogue found"
        };
        eprintln!("error: {}: {why}", report_name(&args.file, report));
        failed = true;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The input's name in messages, with the report's place for a part of a
/// bundle: "bundle.pdf (report 2 of 3, pages 8–14)".
fn report_name(file: &Path, report: &uppfoljning::report::Report) -> String {
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

fn write_output(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, bytes).with_context(|| format!("{}: cannot write output", path.display()))
}

fn run_eval(args: EvalArgs) -> Result<ExitCode> {
    let extractor = extractor(&args.common)?;
    let split = args.split.as_deref();
    let options = ExtractOptions {
        read: args.read.read_options(None),
        ..ExtractOptions::default()
    };
    // With --reports the inputs are the report documents' input names
    // (`x.pdf.json` → `x.pdf`), which match the truth by stem as inputs do.
    let inputs: Vec<PathBuf> = if args.reports {
        eval::report_inputs(&args.inputs)?
    } else {
        uppfoljning::inputs::collect(&args.inputs)?
    };
    if inputs.is_empty() {
        anyhow::bail!(if args.reports {
            "no report documents (*.json) found in the paths given"
        } else {
            "no .pdf, .txt or image inputs found in the paths given"
        });
    }
    let truths = eval::load_truths(&inputs, &args.truth, split)?;
    let score = |mode: eval::Mode| {
        if args.reports {
            eval::evaluate_reports(&truths, mode)
        } else {
            eval::evaluate(&extractor, &truths, mode, &options)
        }
    };
    let repaired = score(eval::Mode::Repaired);
    if repaired.documents.is_empty() {
        anyhow::bail!("no inputs left to score (is --split right?)");
    }
    print!("{}", eval::print::table(&repaired));
    let drift = eval::CatalogueDrift::of(&repaired, &truths, extractor.catalog());
    if drift.unknown_rows > 0 {
        println!(
            "\ncatalogue {}: {} truth rows are of codes it lacks ({} in programmes it lacks): \
             rows of another questionnaire (load its catalogue with --catalog); of the {} rows it knows, {} missed",
            extractor.catalog().version,
            drift.unknown_rows,
            drift.unknown_program_rows,
            drift.known_rows,
            drift.known_missed
        );
    }
    println!();
    print!("{}", eval::print::calibration(&repaired));
    let false_repairs = if args.force_repair || args.max_false_repairs.is_some() {
        let r =
            eval::repair_check::over_truths(extractor.repairer(), truths.iter().map(|(_, t)| t));
        println!();
        print!("{}", eval::print::false_repairs(&r, args.worst));
        Some(r)
    } else {
        None
    };
    let raw = if args.baseline {
        let raw = score(eval::Mode::Raw);
        println!();
        print!("{}", eval::print::table(&raw));
        Some(raw)
    } else {
        None
    };
    let worst = eval::print::worst(&repaired, args.worst);
    if !worst.is_empty() {
        println!("\n{worst}");
    }
    if let Some(path) = &args.json {
        let json = serde_json::json!({
            "catalogue_drift": drift,
            "repaired": repaired,
            "raw": raw,
            "false_repairs": false_repairs,
        });
        write_output(path, serde_json::to_string_pretty(&json)?.as_bytes())?;
    }
    let thresholds = eval::Thresholds {
        min_f1: args.min_f1,
        min_answer_acc: args.min_answer_acc,
        min_area_acc: args.min_area_acc,
        max_comment_cer: args.max_comment_cer,
        max_question_cer: args.max_question_cer,
        min_diacritic_acc: args.min_diacritic_acc,
        min_admin_acc: args.min_admin_acc,
        max_failures: args.max_failures,
    };
    let mut violations = thresholds.violations(&repaired.overall);
    if let (Some(limit), Some(r)) = (args.max_false_repairs, &false_repairs) {
        let share = r.words.ratio();
        if share > limit {
            violations.push(format!(
                "repair changed {share:.5} of correct words, more than {limit}"
            ));
        }
    }
    if violations.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for v in &violations {
        eprintln!("threshold not met: {v}");
    }
    Ok(ExitCode::from(3))
}

/// Progress for a batch: a bar on a terminal, plain lines otherwise.
struct BatchProgress {
    bar: Option<indicatif::ProgressBar>,
    total: usize,
    done: std::sync::atomic::AtomicUsize,
    failed: std::sync::atomic::AtomicUsize,
    ocr_pages: std::sync::atomic::AtomicUsize,
}

impl BatchProgress {
    fn new(total: usize) -> BatchProgress {
        use std::io::IsTerminal;
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            let style = indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} files  {per_sec}  ETA {eta}  {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        BatchProgress {
            bar,
            total,
            done: Default::default(),
            failed: Default::default(),
            ocr_pages: Default::default(),
        }
    }

    /// One page of `path` OCR'd: OCR is slow (seconds a page), so the bar
    /// moves with pages, not only with whole files.
    fn ocr_page(&self, path: &Path, page: usize) {
        use std::sync::atomic::Ordering;
        let pages = self.ocr_pages.fetch_add(1, Ordering::Relaxed) + 1;
        match &self.bar {
            Some(bar) => {
                bar.set_message(self.message());
                bar.tick();
            }
            None => eprintln!("[ocr] {} page {page} ({pages} pages OCR'd)", path.display()),
        }
    }

    /// "12 pages OCR'd, 1 failed", as far as there is anything to say.
    fn message(&self) -> String {
        use std::sync::atomic::Ordering;
        let mut parts = Vec::new();
        let pages = self.ocr_pages.load(Ordering::Relaxed);
        if pages > 0 {
            parts.push(format!("{pages} pages OCR'd"));
        }
        let failed = self.failed.load(Ordering::Relaxed);
        if failed > 0 {
            parts.push(format!("{failed} failed"));
        }
        parts.join(", ")
    }
}

impl batch::Progress for BatchProgress {
    fn finished(&self, r: &batch::InputResult) {
        use std::sync::atomic::Ordering;
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if r.outcome == batch::Outcome::Failed {
            self.failed.fetch_add(1, Ordering::Relaxed);
        }
        let failed = self.failed.load(Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if failed > 0 {
                bar.set_message(self.message());
            }
            if let Some(m) = &r.message {
                bar.println(format!("error: {m}"));
            }
        } else {
            let what = match r.outcome {
                batch::Outcome::Ok => "ok",
                batch::Outcome::Skipped => "skipped",
                batch::Outcome::Failed => "FAILED",
            };
            let detail = match &r.message {
                Some(m) => format!(": {m}"),
                None if r.reports > 1 => format!(" ({} reports)", r.reports),
                None => String::new(),
            };
            eprintln!(
                "[{done}/{}] {what} {}{detail}",
                self.total,
                r.path.display()
            );
        }
    }
}

fn run_batch(args: BatchArgs) -> Result<ExitCode> {
    if let Some(jobs) = args.jobs {
        // Every parallel step of the run, the aggregates' too, uses at most
        // --jobs threads. (It fails only if the pool exists; it then stays.)
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(jobs).max(1))
            .build_global();
    }
    let extractor = extractor(&args.common)?;
    let collected = uppfoljning::inputs::collect_all(&args.inputs)?;
    for note in &collected.notes {
        eprintln!("note: {note}");
    }
    let inputs = collected.files;
    let unreadable: Vec<(PathBuf, String)> = collected
        .unreadable
        .into_iter()
        .map(|(path, e)| {
            let message = format!(
                "{}: cannot read folder: {e} (its files were not converted)",
                path.display()
            );
            (path, message)
        })
        .collect();
    if inputs.is_empty() && unreadable.is_empty() {
        anyhow::bail!("no .pdf, .txt or image inputs found in the paths given");
    }
    let progress = std::sync::Arc::new(BatchProgress::new(inputs.len() + unreadable.len()));
    let mut read = args.read.read_options(args.password.clone());
    read.ocr_progress = Some(OcrProgress::new({
        let progress = progress.clone();
        move |path, page| progress.ocr_page(path, page)
    }));
    let options = batch::BatchOptions {
        out: args.out.clone(),
        jobs: args.jobs.map(usize::from),
        force: args.force,
        extract: ExtractOptions {
            read,
            one_report: args.one_report,
            ..ExtractOptions::default()
        },
        unreadable,
    };
    let summary = batch::run(&extractor, &inputs, &options, progress.as_ref())?;
    if let Some(bar) = &progress.bar {
        bar.finish_and_clear();
    }
    let written = aggregate::write_all(&args.out)?;
    note_skipped(&written.skipped);
    let (ok, skipped, failed) = (
        summary.count(batch::Outcome::Ok),
        summary.count(batch::Outcome::Skipped),
        summary.count(batch::Outcome::Failed),
    );
    let secs = summary.elapsed.as_secs_f64();
    let reports: usize = summary.results.iter().map(|r| r.reports).sum();
    if reports > ok + skipped {
        eprintln!(
            "{reports} reports from {} files (a file that holds several gets <file name>#N.json each)",
            ok + skipped
        );
    }
    if let Some(note) = summary.reconverted_note() {
        eprintln!("{note}");
    }
    eprintln!(
        "{ok} converted, {skipped} skipped (up to date), {failed} failed; {} pages in {secs:.1} s ({:.1} pages/s)",
        summary.pages(),
        summary.pages() as f64 / secs.max(1e-9)
    );
    for r in summary
        .results
        .iter()
        .filter(|r| r.outcome == batch::Outcome::Failed)
    {
        eprintln!("  failed: {}", r.message.as_deref().unwrap_or_default());
    }
    let names: Vec<String> = written
        .files
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    eprintln!("wrote {}", names.join(", "));
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_aggregate(args: AggregateArgs) -> Result<ExitCode> {
    let out = args.out.unwrap_or_else(|| args.dir.clone());
    std::fs::create_dir_all(&out)
        .with_context(|| format!("{}: cannot create folder", out.display()))?;
    let written = aggregate::write_to(&args.dir, &out)?;
    note_skipped(&written.skipped);
    let names: Vec<String> = written
        .files
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    eprintln!("wrote {}", names.join(", "));
    Ok(ExitCode::SUCCESS)
}

/// Tells about `.json` files the aggregate left out.
fn note_skipped(skipped: &[aggregate::Skipped]) {
    for s in skipped {
        eprintln!(
            "note: {}: not a report document, left out of the aggregate ({})",
            s.path.display(),
            s.reason
        );
    }
}
