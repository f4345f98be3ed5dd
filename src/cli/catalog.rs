//! `uppfoljning catalog`: a catalogue checked and shown, or compared.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use uppfoljning::catalog::Catalog;

#[derive(Args)]
pub(crate) struct CatalogArgs {
    /// The catalogue file (TOML); the built-in one when left out.
    path: Option<PathBuf>,
    /// List the changes from this (older) catalogue to PATH.
    #[arg(long, value_name = "OLD")]
    compare: Option<PathBuf>,
}

pub(crate) fn run(args: CatalogArgs) -> Result<ExitCode> {
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
        outln!(
            "{} (version {}) against {} (version {}): {} changes",
            name,
            catalog.version,
            old_path.display(),
            old.version,
            changes.len()
        );
        for c in changes {
            outln!("  {c}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let rows: usize = catalog.programs.iter().map(|p| p.items.len()).sum();
    outln!(
        "{name}: valid, version {}, {} programmes, {rows} rows",
        catalog.version,
        catalog.programs.len()
    );
    for p in &catalog.programs {
        outln!("\n{} — {}", p.id, p.title);
        if p.has_areas() {
            for a in &p.areas {
                let codes: Vec<String> = p
                    .items
                    .iter()
                    .filter(|i| i.code.major == a.number)
                    .map(|i| i.code.to_string())
                    .collect();
                outln!(
                    "  {} {}: {} ({})",
                    p.area_label,
                    a.number,
                    a.title,
                    codes.join(", ")
                );
            }
        } else {
            let codes: Vec<String> = p.items.iter().map(|i| i.code.to_string()).collect();
            outln!("  {}", codes.join(", "));
        }
    }
    Ok(ExitCode::SUCCESS)
}
