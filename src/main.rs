//! The `uppfoljning` command: parses arguments, calls the library, prints
//! errors, picks the exit code (see `cli::exit_codes!`).

use std::process::ExitCode;

use clap::Parser as _;

use uppfoljning::read::worker;

mod cli;

/// The system allocator; in a worker, a failed allocation (its memory
/// limit reached) ends it with an exit status the parent reads.
#[global_allocator]
static ALLOCATOR: uppfoljning::memory::Allocator = uppfoljning::memory::Allocator;

fn main() -> ExitCode {
    uppfoljning::memory::tune_allocator();
    let result = if cli::is_worker() {
        cli::run_worker()
    } else {
        let cli = cli::Cli::parse();
        remove_temporaries_on_interrupt();
        // Left by runs killed with SIGKILL, which no handler sees.
        uppfoljning::cleanup::remove_stale_ocr_folders();
        cli::run(cli)
    };
    worker::shutdown_idle();
    match result {
        Ok(code) => code,
        // The reader of standard output (`| head`) has all it wants: end
        // quietly, as ripgrep does.
        Err(e) if cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(cli::FAILED)
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
