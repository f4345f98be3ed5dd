//! `uppfoljning eval`: extraction scored against ground truth.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use uppfoljning::eval;
use uppfoljning::pipeline::ExtractOptions;

use super::args::{CommonArgs, ReadArgs};
use super::{write_output, THRESHOLDS};

#[derive(Args)]
pub(crate) struct EvalArgs {
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

pub(crate) fn run(args: EvalArgs) -> Result<ExitCode> {
    let extractor = super::extractor(&args.common)?;
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
    out!("{}", eval::print::table(&repaired));
    let drift = eval::CatalogueDrift::of(&repaired, &truths, extractor.catalog());
    if drift.unknown_rows > 0 {
        outln!(
            "\ncatalogue {}: {} truth rows are of codes it lacks ({} in programmes it lacks): \
             rows of another questionnaire (load its catalogue with --catalog); of the {} rows it knows, {} missed",
            extractor.catalog().version,
            drift.unknown_rows,
            drift.unknown_program_rows,
            drift.known_rows,
            drift.known_missed
        );
    }
    outln!();
    out!("{}", eval::print::calibration(&repaired));
    let false_repairs = if args.force_repair || args.max_false_repairs.is_some() {
        let r =
            eval::repair_check::over_truths(extractor.repairer(), truths.iter().map(|(_, t)| t));
        outln!();
        out!("{}", eval::print::false_repairs(&r, args.worst));
        Some(r)
    } else {
        None
    };
    let raw = if args.baseline {
        let raw = score(eval::Mode::Raw);
        outln!();
        out!("{}", eval::print::table(&raw));
        Some(raw)
    } else {
        None
    };
    let worst = eval::print::worst(&repaired, args.worst);
    if !worst.is_empty() {
        outln!("\n{worst}");
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
    Ok(ExitCode::from(THRESHOLDS))
}
