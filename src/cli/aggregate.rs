//! `uppfoljning aggregate`: a folder of report documents to the
//! aggregate files.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use serde_json::json;

use uppfoljning::aggregate;

use super::joined;
use super::progress::{emit, paths_json, Mode};

#[derive(Args)]
pub(crate) struct AggregateArgs {
    /// Folder of report documents (*.json), as `batch` writes them.
    dir: PathBuf,
    /// Where to write the aggregate files (created if missing) [default:
    /// DIR itself].
    #[arg(short = 'o', long, value_name = "DIR2")]
    out: Option<PathBuf>,
    /// Say what was done as JSON Lines on stdout (events skipped-json and
    /// summary) instead of text on stderr.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: AggregateArgs, quiet: bool) -> Result<ExitCode> {
    let mode = Mode::of(quiet, args.json);
    let dir = &args.dir;
    // Checked before anything is created: a mistyped folder must not
    // become an empty aggregate.
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => anyhow::bail!(
            "{}: not a folder; `aggregate` reads a folder of report documents (*.json)",
            dir.display()
        ),
        Err(e) => {
            return Err(e).with_context(|| format!("{}: cannot read folder", dir.display()));
        }
    }
    let (loaded, skipped) = aggregate::load_reports(dir)?;
    mode.skipped_json(&skipped)?;
    if loaded.is_empty() {
        anyhow::bail!(
            "{}: no report documents (*.json) in the folder; nothing written",
            dir.display()
        );
    }
    let out = args.out.unwrap_or_else(|| dir.clone());
    std::fs::create_dir_all(&out)
        .with_context(|| format!("{}: cannot create folder", out.display()))?;
    let reports = loaded.len();
    let written = aggregate::write_loaded(loaded, skipped, &out)?;
    match mode {
        Mode::Human => eprintln!("wrote {}", joined(&written.files)),
        Mode::Quiet => {}
        Mode::Json => emit(&json!({
            "event": "summary",
            "reports": reports,
            "skipped_json": written.skipped.len(),
            "written": paths_json(&written.files),
        }))?,
    }
    Ok(ExitCode::SUCCESS)
}
