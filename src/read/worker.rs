//! Reads a PDF in a child process, so that a hostile file costs only that
//! file.
//!
//! pdf-extract can do things no `catch_unwind` stops: a deep enough nesting
//! overflows the stack and aborts the process, a small flate bomb inflates
//! to gigabytes, and a stuck parse cannot be interrupted from another
//! thread. So the binary re-executes itself as a worker (the hidden
//! `uppfoljning worker` command) for each PDF:
//!
//! - the parent sends the file's bytes (and the password) on the worker's
//!   stdin and reads a [`Document`] back as JSON from its stdout;
//! - the worker caps its own address space ([`Limits::max_memory`], with
//!   `setrlimit(RLIMIT_AS)`) before it reads anything;
//! - the parent kills the worker once [`Limits::timeout`] has passed.
//!
//! A worker that dies becomes an [`Error::Worker`] naming the file and the
//! cause ("exceeded the 2 GiB memory limit", "aborted: stack overflow",
//! "timed out after 60 s"). Only the PDF reader runs in the worker: text
//! input cannot hurt us, and OCR already runs in tesseract's own processes.

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::error::{Error, Result, WorkerFailure};

/// Default address-space limit of a worker: 2 GiB.
pub const DEFAULT_MAX_MEMORY: u64 = 2 << 30;

/// Default wall-clock limit of a worker: 60 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The name of the hidden subcommand that runs a worker.
pub const WORKER_COMMAND: &str = "worker";

/// How much of a dead worker's stderr is kept to explain its death.
const STDERR_TAIL: usize = 4096;

/// Limits on one worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Address-space limit in bytes.
    pub max_memory: u64,
    /// Wall-clock limit.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_memory: DEFAULT_MAX_MEMORY,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// How to run workers: which executable, with which limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Isolation {
    /// The executable to run as `EXE worker`: normally this program itself
    /// (`std::env::current_exe`).
    pub exe: PathBuf,
    /// Limits on each worker.
    pub limits: Limits,
}

/// The first line a worker reads; the file's bytes follow it.
#[derive(Debug, Serialize, Deserialize)]
struct Request {
    /// The input's path, for messages only.
    path: PathBuf,
    /// Password for an encrypted PDF.
    password: Option<String>,
}

/// What a worker writes to stdout.
#[derive(Debug, Serialize, Deserialize)]
enum Reply {
    /// The document read.
    Read(Document),
    /// A malformed PDF, with the page where known.
    Pdf {
        page: Option<usize>,
        message: String,
    },
    /// The PDF needs a password.
    PasswordRequired,
    /// The request itself could not be read.
    Protocol(String),
}

/// Reads a PDF in a worker process; behaves like [`super::pdf::read_pdf`]
/// but survives whatever the file does to the worker.
///
/// # Errors
///
/// Those of [`super::pdf::read_pdf`], and [`Error::Worker`] when the worker
/// could not be started, ran out of memory or time, or crashed.
pub fn read_pdf(
    path: &Path,
    bytes: &[u8],
    password: Option<&str>,
    isolation: &Isolation,
) -> Result<Document> {
    let fail = |failure| Error::Worker {
        path: path.to_path_buf(),
        failure,
    };
    let mut child = Command::new(&isolation.exe)
        .arg(WORKER_COMMAND)
        .arg("--max-memory")
        .arg(isolation.limits.max_memory.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            fail(WorkerFailure::Spawn(format!(
                "{}: {e}",
                isolation.exe.display()
            )))
        })?;

    let (stdin, stdout, stderr) =
        match (child.stdin.take(), child.stdout.take(), child.stderr.take()) {
            (Some(i), Some(o), Some(e)) => (i, o, e),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail(WorkerFailure::Spawn("no pipes to the worker".into())));
            }
        };

    let request = Request {
        path: path.to_path_buf(),
        password: password.map(str::to_string),
    };
    // Everything that blocks on the worker runs on its own thread; this one
    // only waits for the reply, up to the deadline.
    let (done_tx, done_rx) = mpsc::channel();
    let outcome = std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut stdin = stdin;
            // A worker that dies early closes the pipe: its exit status
            // explains why, so a write error here is not reported.
            let _ = serde_json::to_writer(&mut stdin, &request)
                .map_err(std::io::Error::from)
                .and_then(|()| stdin.write_all(b"\n"))
                .and_then(|()| stdin.write_all(bytes));
        });
        let err_reader = scope.spawn(move || tail(stderr, STDERR_TAIL));
        scope.spawn(move || {
            let mut out = Vec::new();
            let mut stdout = stdout;
            let read = stdout.read_to_end(&mut out).map(|_| out);
            let _ = done_tx.send(read);
        });
        let reply = done_rx.recv_timeout(isolation.limits.timeout);
        if reply.is_err() {
            // Out of time: the reader thread ends once the pipe closes.
            let _ = child.kill();
        }
        let status = child.wait();
        let stderr_tail = err_reader.join().unwrap_or_default();
        (reply, status, stderr_tail)
    });

    let (reply, status, stderr_tail) = outcome;
    let status = status.map_err(|e| fail(WorkerFailure::Crashed(format!("wait failed: {e}"))))?;
    let out = match reply {
        Ok(Ok(out)) => out,
        Ok(Err(e)) => {
            return Err(fail(WorkerFailure::Crashed(format!(
                "cannot read its reply: {e}"
            ))))
        }
        Err(_) => return Err(fail(WorkerFailure::Timeout(isolation.limits.timeout))),
    };
    if !status.success() {
        return Err(fail(classify(status, &stderr_tail, isolation.limits)));
    }
    match serde_json::from_slice::<Reply>(&out) {
        Ok(Reply::Read(doc)) => Ok(doc),
        Ok(Reply::Pdf { page, message }) => Err(Error::Pdf {
            path: path.to_path_buf(),
            page,
            message,
        }),
        Ok(Reply::PasswordRequired) => Err(Error::PasswordRequired {
            path: path.to_path_buf(),
        }),
        Ok(Reply::Protocol(message)) => Err(fail(WorkerFailure::Crashed(message))),
        Err(e) => Err(fail(WorkerFailure::Crashed(format!(
            "unreadable reply ({e})"
        )))),
    }
}

/// Why a worker that exited unsuccessfully died, from its status and the
/// last lines it wrote to stderr.
fn classify(status: ExitStatus, stderr: &str, limits: Limits) -> WorkerFailure {
    if stderr.contains("has overflowed its stack") {
        return WorkerFailure::StackOverflow;
    }
    if stderr.contains("memory allocation of") || stderr.contains("capacity overflow") {
        return WorkerFailure::Memory(limits.max_memory);
    }
    let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
    let what = signal_name(status)
        .map(|s| format!("killed by {s}"))
        .unwrap_or_else(|| match status.code() {
            Some(c) => format!("exit status {c}"),
            None => "unknown status".to_string(),
        });
    WorkerFailure::Crashed(match last {
        Some(line) => format!("{what}: {}", line.trim()),
        None => what,
    })
}

#[cfg(unix)]
fn signal_name(status: ExitStatus) -> Option<String> {
    use std::os::unix::process::ExitStatusExt;
    let sig = status.signal()?;
    Some(match sig {
        6 => "SIGABRT".to_string(),
        9 => "SIGKILL (the system may have run out of memory)".to_string(),
        11 => "SIGSEGV".to_string(),
        n => format!("signal {n}"),
    })
}

#[cfg(not(unix))]
fn signal_name(_: ExitStatus) -> Option<String> {
    None
}

/// The last `max` bytes of a stream, lossily decoded.
fn tail(mut r: impl Read, max: usize) -> String {
    let mut keep: Vec<u8> = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match r.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                keep.extend_from_slice(&buf[..n]);
                if keep.len() > 2 * max {
                    keep.drain(..keep.len() - max);
                }
            }
        }
    }
    if keep.len() > max {
        keep.drain(..keep.len() - max);
    }
    String::from_utf8_lossy(&keep).into_owned()
}

/// The worker's side: caps its address space, reads one request from
/// `input`, reads the PDF and writes the reply to `output`.
///
/// Called by the hidden `worker` command; returns an error only when the
/// reply cannot be written.
pub fn serve(max_memory: u64, input: impl Read, mut output: impl Write) -> std::io::Result<()> {
    // Lowering a limit needs no privilege; if the platform refuses, the
    // parent's timeout still holds.
    let _ = rlimit::setrlimit(rlimit::Resource::AS, max_memory, max_memory);
    let reply = answer(input);
    serde_json::to_writer(&mut output, &reply)?;
    output.flush()
}

fn answer(input: impl Read) -> Reply {
    let mut input = std::io::BufReader::new(input);
    let mut header = String::new();
    if let Err(e) = input.read_line(&mut header) {
        return Reply::Protocol(format!("cannot read the request: {e}"));
    }
    let request: Request = match serde_json::from_str(&header) {
        Ok(r) => r,
        Err(e) => return Reply::Protocol(format!("bad request: {e}")),
    };
    let mut bytes = Vec::new();
    if let Err(e) = input.read_to_end(&mut bytes) {
        return Reply::Protocol(format!("cannot read the file's bytes: {e}"));
    }
    match super::pdf::read_pdf(&request.path, &bytes, request.password.as_deref()) {
        Ok(mut doc) => {
            drop_non_finite_positions(&mut doc);
            Reply::Read(doc)
        }
        Err(Error::Pdf { page, message, .. }) => Reply::Pdf { page, message },
        Err(Error::PasswordRequired { .. }) => Reply::PasswordRequired,
        Err(other) => Reply::Pdf {
            page: None,
            message: other.to_string(),
        },
    }
}

/// JSON has no NaN or infinity: a position that is not finite is dropped
/// rather than failing the whole reply.
fn drop_non_finite_positions(doc: &mut Document) {
    for page in &mut doc.pages {
        if page.width.is_some_and(|w| !w.is_finite()) {
            page.width = None;
        }
        for line in &mut page.lines {
            if line.y.is_some_and(|y| !y.is_finite()) {
                line.y = None;
            }
            if line.height.is_some_and(|h| !h.is_finite()) {
                line.height = None;
            }
            for word in &mut line.words {
                if word
                    .x
                    .is_some_and(|(a, b)| !a.is_finite() || !b.is_finite())
                {
                    word.x = None;
                }
                if word.confidence.is_some_and(|c| !c.is_finite()) {
                    word.confidence = None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str, bytes: &[u8]) -> Vec<u8> {
        let mut v = serde_json::to_vec(&Request {
            path: path.into(),
            password: None,
        })
        .unwrap();
        v.push(b'\n');
        v.extend_from_slice(bytes);
        v
    }

    #[test]
    fn worker_reads_a_pdf_and_replies_with_the_same_document() {
        let bytes = std::fs::read("fixtures/pdf/table-chromium.pdf").unwrap();
        let mut out = Vec::new();
        serve(DEFAULT_MAX_MEMORY, &request("t.pdf", &bytes)[..], &mut out).unwrap();
        let Reply::Read(doc) = serde_json::from_slice(&out).unwrap() else {
            panic!("not a document: {}", String::from_utf8_lossy(&out));
        };
        let direct = super::super::pdf::read_pdf(Path::new("t.pdf"), &bytes, None).unwrap();
        assert_eq!(doc, direct);
    }

    #[test]
    fn worker_reports_a_malformed_pdf_as_such() {
        let mut out = Vec::new();
        serve(
            DEFAULT_MAX_MEMORY,
            &request("x.pdf", b"%PDF-1.4\ngarbage")[..],
            &mut out,
        )
        .unwrap();
        assert!(
            matches!(serde_json::from_slice(&out).unwrap(), Reply::Pdf { .. }),
            "{}",
            String::from_utf8_lossy(&out)
        );
    }

    #[test]
    fn deaths_are_named_for_their_cause() {
        let limits = Limits::default();
        #[cfg(unix)]
        let abort = {
            use std::os::unix::process::ExitStatusExt;
            ExitStatus::from_raw(6)
        };
        #[cfg(not(unix))]
        let abort = ExitStatus::default();
        let stack = classify(
            abort,
            "\nthread 'main' has overflowed its stack\nfatal runtime error: stack overflow\n",
            limits,
        );
        assert_eq!(stack.to_string(), "aborted: stack overflow");
        let oom = classify(
            abort,
            "memory allocation of 1073741824 bytes failed\n",
            limits,
        );
        assert_eq!(oom.to_string(), "exceeded the 2 GiB memory limit");
        let other = classify(abort, "something odd\n", limits);
        assert!(other.to_string().contains("something odd"), "{other}");
    }

    #[test]
    fn tail_keeps_the_end() {
        let s: String = (0..5000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let t = tail(s.as_bytes(), 100);
        assert_eq!(t, s[s.len() - 100..]);
    }
}
