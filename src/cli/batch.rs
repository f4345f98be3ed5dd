//! `uppfoljning batch`: folders of reports to one JSON document each,
//! then the aggregate.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use clap::Args;
use serde_json::json;

use uppfoljning::aggregate;
use uppfoljning::batch::{self, Outcome};
use uppfoljning::pipeline::ExtractOptions;
use uppfoljning::read::OcrProgress;

use super::args::{CommonArgs, FilesFrom, ReadArgs};
use super::progress::{emit, paths_json, rate, BatchProgress, Mode};
use super::{joined, FAILED};

#[derive(Args)]
pub(crate) struct BatchArgs {
    /// Input files or folders (folders are searched recursively for .pdf,
    /// .txt and image files).
    #[arg(value_name = "INPUT", required_unless_present = "files_from")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    list: FilesFrom,
    /// Output folder (created if missing).
    #[arg(short = 'o', long, value_name = "DIR")]
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
    /// each: OUT/<file name>#1.json, #2, …
    #[arg(long)]
    one_report: bool,
    /// Progress and summary as JSON Lines on stdout, one object a line
    /// with an "event" (start, ocr, file, note, skipped-json, summary),
    /// instead of text on stderr.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    read: ReadArgs,
    #[command(flatten)]
    common: CommonArgs,
}

pub(crate) fn run(args: BatchArgs, quiet: bool) -> Result<ExitCode> {
    let mode = Mode::of(quiet, args.json);
    if let Some(jobs) = args.jobs {
        // Every parallel step of the run, the aggregates' too, uses at most
        // --jobs threads. (It fails only if the pool exists; it then stays.)
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(jobs).max(1))
            .build_global();
    }
    let extractor = super::extractor(&args.common)?;
    let mut paths = args.inputs.clone();
    paths.extend(args.list.paths()?);
    let collected = uppfoljning::inputs::collect_all(&paths)?;
    for note in &collected.notes {
        mode.note(note)?;
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
    let progress = Arc::new(BatchProgress::start(mode, inputs.len() + unreadable.len()));
    let mut read = args.read.read_options(args.password.clone());
    read.ocr_progress = Some(OcrProgress::new({
        let progress = progress.clone();
        move |path, step| progress.ocr(path, step)
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
    progress.finish();
    let written = aggregate::write_all(&args.out)?;
    mode.skipped_json(&written.skipped)?;
    let (ok, skipped, failed) = (
        summary.count(Outcome::Ok),
        summary.count(Outcome::Skipped),
        summary.count(Outcome::Failed),
    );
    let reports: usize = summary.results.iter().map(|r| r.reports).sum();
    let failures = summary
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Failed);
    match mode {
        Mode::Json => emit(&json!({
            "event": "summary",
            "converted": ok,
            "skipped": skipped,
            "failed": failed,
            "reconverted": summary
                .reconverted()
                .into_iter()
                .map(|(reason, n)| (reason.to_string(), json!(n)))
                .collect::<serde_json::Map<_, _>>(),
            "reports": reports,
            "pages": summary.pages(),
            "ocr_pages": progress.ocr_pages(),
            "seconds": summary.elapsed.as_secs_f64(),
            "failures": failures
                .map(|r| json!({"path": r.path, "kind": r.kind, "message": r.message}))
                .collect::<Vec<_>>(),
            "written": paths_json(&written.files),
        }))?,
        Mode::Quiet => {}
        Mode::Human => {
            if reports > ok + skipped {
                eprintln!(
                    "{reports} reports from {} files (a file that holds several gets <file name>#N.json each)",
                    ok + skipped
                );
            }
            eprintln!("{}", summary_line(&summary, progress.ocr_pages()));
            if let Some(note) = summary.reconverted_note() {
                eprintln!("{note}");
            }
            for r in failures {
                eprintln!("  failed: {}", r.message.as_deref().unwrap_or_default());
            }
            eprintln!("wrote {}", joined(&written.files));
        }
    }
    Ok(if failed > 0 {
        ExitCode::from(FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

/// "3 converted, 21 skipped (up to date), 0 failed; 12 pages in 30.2 s
/// (0.4 pages/s, 12 OCR'd)", or "nothing to do: 24 up to date".
fn summary_line(summary: &batch::BatchSummary, ocr_pages: usize) -> String {
    let (ok, skipped, failed) = (
        summary.count(Outcome::Ok),
        summary.count(Outcome::Skipped),
        summary.count(Outcome::Failed),
    );
    if ok == 0 && failed == 0 {
        return format!("nothing to do: {skipped} up to date (--force converts them again)");
    }
    let pages = summary.pages();
    let ocr = if ocr_pages > 0 {
        format!(", {ocr_pages} OCR'd")
    } else {
        String::new()
    };
    format!(
        "{ok} converted, {skipped} skipped (up to date), {failed} failed; \
         {pages} pages in {:.1} s ({} pages/s{ocr})",
        summary.elapsed.as_secs_f64(),
        rate(pages, summary.elapsed)
    )
}
