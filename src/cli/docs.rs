//! `uppfoljning completions` and `uppfoljning man`: shell completions and
//! man pages generated from the command line's own definition.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, CommandFactory as _};

use super::{write_output, write_stdout, Cli};

pub(crate) const COMPLETIONS_HELP: &str = "Examples:
  uppfoljning completions bash > ~/.local/share/bash-completion/completions/uppfoljning
  uppfoljning completions zsh > ~/.zfunc/_uppfoljning
  uppfoljning completions fish > ~/.config/fish/completions/uppfoljning.fish";

pub(crate) const MAN_HELP: &str = "Examples:
  uppfoljning man | man -l -
  uppfoljning man --out /usr/local/share/man/man1    (uppfoljning.1, uppfoljning-extract.1, …)";

#[derive(Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(Args)]
pub(crate) struct ManArgs {
    /// Write uppfoljning.1 and one page per subcommand
    /// (uppfoljning-extract.1, …) into this folder (created if missing),
    /// instead of printing the main page.
    #[arg(short = 'o', long, value_name = "DIR")]
    out: Option<PathBuf>,
}

pub(crate) fn completions(args: CompletionsArgs) -> Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "uppfoljning", &mut script);
    write_stdout(&script)?;
    Ok(ExitCode::SUCCESS)
}

/// The man page of `cmd`, in roff.
fn page(cmd: clap::Command) -> Result<(String, Vec<u8>)> {
    let man = clap_mangen::Man::new(cmd);
    let mut roff = Vec::new();
    man.render(&mut roff)
        .context("cannot render the man page")?;
    Ok((man.get_filename(), roff))
}

pub(crate) fn man(args: ManArgs, quiet: bool) -> Result<ExitCode> {
    let mut cli = Cli::command().disable_help_subcommand(true);
    cli.build();
    let Some(dir) = args.out else {
        write_stdout(&page(cli)?.1)?;
        return Ok(ExitCode::SUCCESS);
    };
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("{}: cannot create folder", dir.display()))?;
    let mut pages = vec![page(cli.clone())?];
    for sub in cli.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages.push(page(sub.clone())?);
    }
    let mut written = Vec::new();
    for (name, roff) in pages {
        let path = dir.join(name);
        write_output(&path, &roff)?;
        written.push(path);
    }
    if !quiet {
        eprintln!("wrote {}", super::joined(&written));
    }
    Ok(ExitCode::SUCCESS)
}
