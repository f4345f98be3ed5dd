//! Runs one external program (pdfinfo, pdftoppm, tesseract) under the
//! file's limits: an address-space limit set in the child before it
//! starts, and a deadline at which it is killed.
//!
//! Its output goes to files, not pipes, so that waiting for it needs no
//! reader threads and a chatty program cannot block on a full pipe. Owns
//! no knowledge of what the programs do.

use std::fs::File;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Why a program did not run to its end.
#[derive(Debug)]
pub(super) enum Stop {
    /// It could not be started (not installed, or no temporary file).
    Spawn(std::io::Error),
    /// It ran until the deadline and was killed.
    Deadline,
}

/// The longest wait between two looks at a running program: how late its
/// end may be noticed.
const MAX_POLL: Duration = Duration::from_millis(16);

/// Runs `command` with stdin empty, stdout to `stdout` (or nowhere) and
/// stderr to `stderr`, its address space limited to `max_memory` bytes,
/// killing it at `deadline`; returns its exit status.
///
/// The end is looked for with `try_wait`, at first every millisecond and
/// then less often: a crate that waits with a timeout (`wait-timeout`)
/// installs a process-wide SIGCHLD handler, which the workers' pipes and
/// other threads' children would share; polling needs none.
pub(super) fn run(
    command: &mut Command,
    max_memory: u64,
    deadline: Instant,
    stdout: Option<&Path>,
    stderr: &Path,
) -> Result<ExitStatus, Stop> {
    command
        .stdin(Stdio::null())
        .stdout(match stdout {
            Some(path) => Stdio::from(File::create(path).map_err(Stop::Spawn)?),
            None => Stdio::null(),
        })
        .stderr(Stdio::from(File::create(stderr).map_err(Stop::Spawn)?));
    limit_memory(command, max_memory);
    let mut child = command.spawn().map_err(Stop::Spawn)?;
    let mut pause = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) => {}
            // Cannot happen for a child we spawned and have not reaped;
            // treat it as one that will not end.
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Stop::Deadline);
            }
        }
        let now = Instant::now();
        if now >= deadline {
            // Killed and reaped, so no zombie stays and the temporary
            // folder can go.
            let _ = child.kill();
            let _ = child.wait();
            return Err(Stop::Deadline);
        }
        std::thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(MAX_POLL);
    }
}

/// Sets the child's address-space limit between fork and exec.
#[cfg(unix)]
fn limit_memory(command: &mut Command, max_memory: u64) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the forked child before exec, where only
    // async-signal-safe calls are allowed: it makes one setrlimit system
    // call and allocates nothing. A refused limit (an old kernel) leaves
    // the deadline to stop the program.
    unsafe {
        command.pre_exec(move || {
            let _ = rlimit::setrlimit(rlimit::Resource::AS, max_memory, max_memory);
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn limit_memory(_: &mut Command, _: u64) {}

/// The last non-empty line a program wrote to its stderr file, or its exit
/// status; for a death by signal, with a note that the memory limit may
/// have caused it (programs under an address-space limit die of it in
/// different ways: an abort, a segmentation fault, a message).
pub(super) fn last_words(stderr: &Path, status: ExitStatus, max_memory: u64) -> String {
    let last = last_line(stderr);
    let signal = signal_of(status);
    match (last, signal) {
        (Some(line), None) => line,
        (None, None) => status.to_string(),
        (line, Some(sig)) => {
            let line = line.map(|l| format!(": {l}")).unwrap_or_default();
            format!(
                "killed by signal {sig}{line}; it may have run out of the {} memory limit",
                crate::error::human_bytes(max_memory)
            )
        }
    }
}

/// The last non-empty line of a program's stderr file, if any.
pub(super) fn last_line(stderr: &Path) -> Option<String> {
    read_tail(stderr)
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .map(str::to_string)
}

/// The last 4 KiB of a file, as text.
fn read_tail(path: &Path) -> String {
    use std::io::{Read, Seek, SeekFrom};
    const TAIL: u64 = 4096;
    let Ok(mut file) = File::open(path) else {
        return String::new();
    };
    let len = file.metadata().map_or(0, |m| m.len());
    let _ = file.seek(SeekFrom::Start(len.saturating_sub(TAIL)));
    let mut bytes = Vec::new();
    let _ = file.take(TAIL).read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(unix)]
fn signal_of(status: ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}

#[cfg(not(unix))]
fn signal_of(_: ExitStatus) -> Option<i32> {
    None
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn temp(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("uppf-child-{}-{name}", std::process::id()))
    }

    #[test]
    fn a_program_past_its_deadline_is_killed_soon() {
        let err = temp("sleep.err");
        let start = Instant::now();
        let stop = run(
            Command::new("sleep").arg("30"),
            1 << 30,
            start + Duration::from_millis(200),
            None,
            &err,
        );
        assert!(matches!(stop, Err(Stop::Deadline)), "{stop:?}");
        assert!(start.elapsed() < Duration::from_secs(10));
        let _ = std::fs::remove_file(err);
    }

    #[test]
    fn output_goes_to_files_and_the_status_is_returned() {
        let (out, err) = (temp("sh.out"), temp("sh.err"));
        let status = run(
            Command::new("sh").args(["-c", "echo hello; echo oops >&2; exit 3"]),
            1 << 30,
            Instant::now() + Duration::from_secs(30),
            Some(&out),
            &err,
        )
        .unwrap();
        assert_eq!(status.code(), Some(3));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "hello\n");
        assert_eq!(last_words(&err, status, 1 << 30), "oops");
        let _ = std::fs::remove_file(out);
        let _ = std::fs::remove_file(err);
    }

    #[test]
    fn the_memory_limit_holds_in_the_child() {
        let (out, err) = (temp("ulimit.out"), temp("ulimit.err"));
        // The shell reports its address-space limit in KiB.
        let status = run(
            Command::new("sh").args(["-c", "ulimit -v"]),
            64 << 20,
            Instant::now() + Duration::from_secs(30),
            Some(&out),
            &err,
        )
        .unwrap();
        assert!(status.success());
        assert_eq!(std::fs::read_to_string(&out).unwrap().trim(), "65536");
        let _ = std::fs::remove_file(out);
        let _ = std::fs::remove_file(err);
    }
}
