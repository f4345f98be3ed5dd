//! Reads a PDF or a text file in a child process, so that a hostile file
//! costs only that file.
//!
//! pdf-extract can do things no `catch_unwind` stops: a deep enough nesting
//! overflows the stack and aborts the process, a small flate bomb inflates
//! to gigabytes, and a stuck parse cannot be interrupted from another
//! thread. Text is cheaper to read but no safer in bulk: megabytes of short
//! lines become millions of lines. So the binary re-executes itself as a
//! worker (the hidden `uppfoljning worker` command) for each input:
//!
//! - the parent sends the file's bytes (and the password) on the worker's
//!   stdin and reads a [`Document`] back from its stdout (a length-prefixed
//!   postcard frame: compact, and exact for every `f32`, NaN included);
//! - the worker caps its own address space ([`Limits::max_memory`], with
//!   `setrlimit(RLIMIT_AS)`) before it reads anything, and refuses a
//!   document of more than [`super::MAX_WORDS`] words rather than send it;
//! - the parent kills the worker once [`Limits::timeout`] has passed;
//! - the stages after reading go to a worker too ([`run_stages`]): this
//!   module carries their job and answer as bytes and runs whatever
//!   [`Stages`] the worker was started with, so that reading knows
//!   nothing of the stages above it.
//!
//! A worker that dies becomes an [`Error::Worker`] naming the file and the
//! cause ("exceeded the 2 GiB memory limit", "aborted: stack overflow",
//! "timed out after 60 s"). The cause is what the worker itself reports:
//! a reply for a panic, the exit status [`EXIT_OUT_OF_MEMORY`] for a
//! failed allocation (see [`crate::memory`]), never a guess from what it
//! printed last (a `RUST_BACKTRACE` backtrace pushes any message out of
//! the tail kept). The one exception is a stack overflow, which the Rust
//! runtime reports only by a line on stderr, the last before it aborts.
//! OCR runs in pdftoppm's and tesseract's own processes, under the same
//! limits (see [`super::ocr`]).

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::error::{Error, Result, WorkerFailure};
use crate::memory::EXIT_OUT_OF_MEMORY;

/// Default address-space limit of a worker: 2 GiB.
pub const DEFAULT_MAX_MEMORY: u64 = 2 << 30;

/// Default wall-clock limit of a worker: 60 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The name of the hidden subcommand that runs a worker.
pub const WORKER_COMMAND: &str = "worker";

/// How much of a dead worker's stderr is kept to explain its death.
const STDERR_TAIL: usize = 4096;

/// Limits on reading one file: on its worker, and on the pdftoppm and
/// tesseract processes that OCR it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Address-space limit in bytes of each process.
    pub max_memory: u64,
    /// Wall-clock limit: for the worker, and for each page OCR'd.
    pub timeout: Duration,
    /// Whether `timeout` bounds the whole file, OCR included (as
    /// `--timeout` asks); otherwise each page OCR'd may take another
    /// `timeout`, so that a long scan is not cut short by default.
    pub whole_file: bool,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_memory: DEFAULT_MAX_MEMORY,
            timeout: DEFAULT_TIMEOUT,
            whole_file: false,
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

/// A path as the bytes the operating system holds (on Unix), so that a
/// name that is not UTF-8 crosses to the worker unchanged; elsewhere as
/// its (lossy) text.
mod raw_path {
    use std::path::{Path, PathBuf};

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<S: Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
        #[cfg(unix)]
        let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
        #[cfg(not(unix))]
        let bytes = path.to_string_lossy().into_owned().into_bytes();
        bytes.serialize(s)
    }

    /// Raw bytes, or a path written as text (by hand, or by an older
    /// parent).
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Sent {
        Bytes(Vec<u8>),
        Text(String),
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        let bytes = match Sent::deserialize(d)? {
            Sent::Bytes(bytes) => bytes,
            Sent::Text(text) => text.into_bytes(),
        };
        #[cfg(unix)]
        let path =
            PathBuf::from(<std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec(bytes));
        #[cfg(not(unix))]
        let path = PathBuf::from(String::from_utf8_lossy(&bytes).into_owned());
        Ok(path)
    }
}

/// A request's first line; the file's bytes follow it.
#[derive(Debug, Serialize, Deserialize)]
struct Request {
    /// The input's path, for messages only; sent as its raw bytes, since a
    /// file name need not be UTF-8.
    #[serde(with = "raw_path")]
    path: PathBuf,
    /// How to read the bytes.
    format: Format,
    /// Password for an encrypted PDF.
    password: Option<String>,
    /// How many bytes of file follow the request line.
    len: usize,
}

/// What a worker does with a request's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Format {
    /// Reads them with [`super::pdf::read_pdf`].
    Pdf,
    /// Reads them with [`super::text::read_text`].
    Text,
    /// Hands them to the [`Stages`] the worker was started with: the
    /// stages after reading, which this module knows nothing of.
    Stages,
}

/// What a worker runs for a [`run_stages`] request: the stages after
/// reading, from a job's bytes to its answer's, both in the caller's own
/// encoding (the binary passes [`crate::pipeline::serve_stages`]).
pub type Stages = dyn Fn(&Path, &[u8]) -> Vec<u8>;

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
    /// The document has more words than [`super::MAX_WORDS`].
    TooManyWords { words: usize },
    /// The reader panicked (outside the guards that turn pdf-extract's
    /// panics into [`Reply::Pdf`]): a bug, with its message.
    Panicked(String),
    /// The request itself could not be read.
    Protocol(String),
    /// What the [`Stages`] answered.
    Staged(Vec<u8>),
}

/// Reads a PDF in a worker process; behaves like [`super::pdf::read_pdf`]
/// but survives whatever the file does to the worker.
///
/// Workers are kept between files (one per thread that asks, at most
/// [`MAX_FILES_PER_WORKER`] files each), so the cost of starting a process
/// is paid once per thread, not once per file; a worker that failed or was
/// killed is never reused.
///
/// # Errors
///
/// Those of [`super::pdf::read_pdf`], [`Error::TooManyWords`], and
/// [`Error::Worker`] when the worker could not be started, ran out of
/// memory or time, or crashed.
pub fn read_pdf(
    path: &Path,
    bytes: &[u8],
    password: Option<&str>,
    isolation: &Isolation,
) -> Result<Document> {
    read(path, bytes, Format::Pdf, password, isolation)
}

/// Reads a text file in a worker process, as [`super::text::read_text`]
/// does, under the worker's limits.
///
/// # Errors
///
/// [`Error::TooManyWords`], and [`Error::Worker`] as for [`read_pdf`].
pub fn read_text(path: &Path, bytes: &[u8], isolation: &Isolation) -> Result<Document> {
    read(path, bytes, Format::Text, None, isolation)
}

/// Runs the stages after reading in a worker process, under the
/// isolation's memory limit and within `timeout`: sends `job` (in the
/// caller's encoding) to the worker's [`Stages`] and returns what they
/// answered.
///
/// # Errors
///
/// [`Error::Worker`] when the worker could not be started, ran out of
/// memory or time, or crashed.
pub fn run_stages(
    path: &Path,
    job: &[u8],
    isolation: &Isolation,
    timeout: Duration,
) -> Result<Vec<u8>> {
    let request = Request {
        path: path.to_path_buf(),
        format: Format::Stages,
        password: None,
        len: job.len(),
    };
    let fail = |failure| Error::Worker {
        path: path.to_path_buf(),
        failure,
    };
    match call(path, &request, job, isolation, timeout)? {
        Reply::Staged(answer) => Ok(answer),
        Reply::Panicked(message) => {
            Err(fail(WorkerFailure::Crashed(format!("panicked: {message}"))))
        }
        Reply::Protocol(message) => Err(fail(WorkerFailure::Crashed(message))),
        other => Err(fail(WorkerFailure::Crashed(format!(
            "unexpected reply ({})",
            other.name()
        )))),
    }
}

fn read(
    path: &Path,
    bytes: &[u8],
    format: Format,
    password: Option<&str>,
    isolation: &Isolation,
) -> Result<Document> {
    let fail = |failure| Error::Worker {
        path: path.to_path_buf(),
        failure,
    };
    let request = Request {
        path: path.to_path_buf(),
        format,
        password: password.map(str::to_string),
        len: bytes.len(),
    };
    match call(path, &request, bytes, isolation, isolation.limits.timeout)? {
        Reply::Read(doc) => Ok(doc),
        Reply::Pdf { page, message } => Err(Error::Pdf {
            path: path.to_path_buf(),
            page,
            message,
        }),
        Reply::PasswordRequired => Err(Error::PasswordRequired {
            path: path.to_path_buf(),
        }),
        Reply::TooManyWords { words } => Err(Error::TooManyWords {
            path: path.to_path_buf(),
            words,
            limit: super::MAX_WORDS,
        }),
        Reply::Panicked(message) => {
            Err(fail(WorkerFailure::Crashed(format!("panicked: {message}"))))
        }
        Reply::Protocol(message) => Err(fail(WorkerFailure::Crashed(message))),
        Reply::Staged(_) => Err(fail(WorkerFailure::Crashed(
            "unexpected reply (stages)".into(),
        ))),
    }
}

impl Reply {
    /// The variant's name, for messages.
    fn name(&self) -> &'static str {
        match self {
            Reply::Read(_) => "document",
            Reply::Pdf { .. } => "malformed PDF",
            Reply::PasswordRequired => "password required",
            Reply::TooManyWords { .. } => "too many words",
            Reply::Panicked(_) => "panicked",
            Reply::Protocol(_) => "protocol",
            Reply::Staged(_) => "stages",
        }
    }
}

/// Sends one request to a worker (an idle one of this isolation, or a new
/// one) and waits up to `timeout` for its reply. A worker whose reply was
/// sound goes back to the idle pool; a failed, killed or worn-out one is
/// discarded. Replies that report a failure (a panic, a malformed PDF)
/// are for the caller to map.
fn call(
    path: &Path,
    request: &Request,
    bytes: &[u8],
    isolation: &Isolation,
    timeout: Duration,
) -> Result<Reply> {
    let fail = |failure| Error::Worker {
        path: path.to_path_buf(),
        failure,
    };
    let mut worker = match take_idle(isolation) {
        Some(mut w) => match w.send(request, bytes) {
            Ok(()) => w,
            // It died while idle (killed from outside): start a fresh one.
            Err(_) => {
                w.discard();
                start_and_send(isolation, request, bytes).map_err(fail)?
            }
        },
        None => start_and_send(isolation, request, bytes).map_err(fail)?,
    };
    let reply = match worker.replies.recv_timeout(timeout) {
        Ok(frame) => frame,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            worker.discard();
            return Err(fail(WorkerFailure::Timeout(isolation.limits.timeout)));
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            // It died: its status and last words say why.
            let failure = worker.death(isolation.limits);
            return Err(fail(failure));
        }
    };
    let parsed = postcard::from_bytes::<Reply>(&reply);
    worker.served += 1;
    if parsed.is_ok() && worker.served < MAX_FILES_PER_WORKER {
        put_idle(isolation, worker);
    } else {
        worker.discard();
    }
    match parsed {
        Ok(reply) => Ok(reply),
        Err(e) => Err(fail(WorkerFailure::Crashed(format!(
            "unreadable reply ({e})"
        )))),
    }
}

/// How many files one worker reads before it is replaced (so that memory
/// fragmentation cannot creep towards the limit over a long batch).
pub const MAX_FILES_PER_WORKER: usize = 200;

/// A running worker process and the threads that read its output.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    /// One reply line per request; disconnected when the worker's stdout
    /// closes (it exited or was killed).
    replies: mpsc::Receiver<Vec<u8>>,
    /// The end of what it wrote to stderr, and the thread that reads it
    /// (it ends when the process does).
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_reader: std::thread::JoinHandle<()>,
    /// Files read so far.
    served: usize,
}

impl Worker {
    fn start(isolation: &Isolation) -> Result<Worker, WorkerFailure> {
        let mut child = Command::new(&isolation.exe)
            .arg(WORKER_COMMAND)
            .arg("--max-memory")
            .arg(isolation.limits.max_memory.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| WorkerFailure::Spawn(format!("{}: {e}", isolation.exe.display())))?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(WorkerFailure::Spawn("no pipes to the worker".into()));
        };
        let (tx, replies) = mpsc::channel();
        std::thread::spawn(move || {
            let mut frames = std::io::BufReader::new(stdout);
            while let Ok(Some(frame)) = read_frame(&mut frames) {
                if tx.send(frame).is_err() {
                    break;
                }
            }
        });
        let tail = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&tail);
        let stderr_reader = std::thread::spawn(move || keep_tail(stderr, &sink, STDERR_TAIL));
        Ok(Worker {
            child,
            stdin,
            replies,
            stderr: tail,
            stderr_reader,
            served: 0,
        })
    }

    /// Writes one request: a JSON line, then the file's bytes.
    fn send(&mut self, request: &Request, bytes: &[u8]) -> std::io::Result<()> {
        let mut header = serde_json::to_vec(request)?;
        header.push(b'\n');
        self.stdin.write_all(&header)?;
        self.stdin.write_all(bytes)?;
        self.stdin.flush()
    }

    /// Why the worker died, once its reply channel closed.
    fn death(mut self, limits: Limits) -> WorkerFailure {
        let status = match self.child.wait() {
            Ok(s) => s,
            Err(e) => return WorkerFailure::Crashed(format!("wait failed: {e}")),
        };
        // The process is gone, so its stderr has closed: the reader ends
        // after storing the last words.
        let _ = self.stderr_reader.join();
        let stderr = {
            let tail = self
                .stderr
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            String::from_utf8_lossy(&tail).into_owned()
        };
        if status.success() {
            return WorkerFailure::Crashed("it exited without replying".into());
        }
        classify(status, &stderr, limits)
    }

    /// Stops the worker and reaps it.
    fn discard(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_and_send(
    isolation: &Isolation,
    request: &Request,
    bytes: &[u8],
) -> Result<Worker, WorkerFailure> {
    let mut worker = Worker::start(isolation)?;
    if let Err(e) = worker.send(request, bytes) {
        // It died before it read everything: its status says why.
        return if let Err(mpsc::RecvTimeoutError::Disconnected) =
            worker.replies.recv_timeout(isolation.limits.timeout)
        {
            Err(worker.death(isolation.limits))
        } else {
            worker.discard();
            Err(WorkerFailure::Crashed(format!(
                "cannot send it the file: {e}"
            )))
        };
    }
    Ok(worker)
}

/// Idle workers, with the isolation they were started for.
static IDLE: Mutex<Vec<(Isolation, Worker)>> = Mutex::new(Vec::new());

fn take_idle(isolation: &Isolation) -> Option<Worker> {
    let mut idle = IDLE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let at = idle.iter().rposition(|(i, _)| i == isolation)?;
    Some(idle.swap_remove(at).1)
}

fn put_idle(isolation: &Isolation, worker: Worker) {
    IDLE.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push((isolation.clone(), worker));
}

/// Ends every idle worker: closes its stdin (it exits at the end of its
/// input) and waits for it, so none outlives the program and its CPU time
/// is counted with the program's. Call once, when no more files come.
pub fn shutdown_idle() {
    let idle = std::mem::take(
        &mut *IDLE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    for (_, worker) in idle {
        let Worker {
            mut child, stdin, ..
        } = worker;
        drop(stdin);
        let _ = child.wait();
    }
}

/// Keeps the last `max` bytes of a stream in `sink` as they arrive.
fn keep_tail(mut r: impl Read, sink: &Mutex<Vec<u8>>, max: usize) {
    let mut buf = [0u8; 4096];
    loop {
        match r.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let mut keep = sink
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                keep.extend_from_slice(&buf[..n]);
                if keep.len() > max {
                    let cut = keep.len() - max;
                    keep.drain(..cut);
                }
            }
        }
    }
}

/// Why a worker that exited unsuccessfully died: by its exit status,
/// which says when it ran out of memory; by the Rust runtime's last words
/// for a stack overflow (the one death it reports no other way, and the
/// last line it prints); else the status and the last line of stderr, for
/// a person to read.
fn classify(status: ExitStatus, stderr: &str, limits: Limits) -> WorkerFailure {
    if status.code() == Some(EXIT_OUT_OF_MEMORY) {
        return WorkerFailure::Memory(limits.max_memory);
    }
    if stderr.contains("has overflowed its stack") {
        return WorkerFailure::StackOverflow;
    }
    let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
    let what = signal_name(status).map_or_else(
        || match status.code() {
            Some(c) => format!("exit status {c}"),
            None => "unknown status".to_string(),
        },
        |s| format!("killed by {s}"),
    );
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

/// The worker's side: caps its address space, then answers requests from
/// `input` (a JSON line, then the file's bytes) with one frame each on
/// `output`, until `input` ends. A failed allocation ends the process with
/// [`EXIT_OUT_OF_MEMORY`] (where [`crate::memory::Allocator`] is the
/// global allocator, as in the binary). The `worker` command also makes
/// rayon's global pool the calling thread alone, since `--jobs` already
/// shares out the cores among the workers.
///
/// Called by the hidden `worker` command; returns an error only when a
/// reply cannot be written.
pub fn serve(
    max_memory: u64,
    stages: &Stages,
    input: impl Read,
    mut output: impl Write,
) -> std::io::Result<()> {
    crate::memory::exit_on_allocation_failure();
    // Lowering a limit needs no privilege; if the platform refuses, the
    // parent's timeout still holds.
    let _ = rlimit::setrlimit(rlimit::Resource::AS, max_memory, max_memory);
    let mut input = std::io::BufReader::new(input);
    loop {
        let mut header = String::new();
        match input.read_line(&mut header) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(e),
        }
        let reply = answer(&header, &mut input, stages);
        // Out of step with the parent, or after a panic: stop rather than
        // go on in a state nobody vouches for.
        let fatal = matches!(reply, Reply::Protocol(_) | Reply::Panicked(_));
        let frame = postcard::to_stdvec(&reply).map_err(std::io::Error::other)?;
        output.write_all(&(frame.len() as u64).to_le_bytes())?;
        output.write_all(&frame)?;
        output.flush()?;
        if fatal {
            return Ok(());
        }
    }
}

fn answer(header: &str, input: &mut impl Read, stages: &Stages) -> Reply {
    let request: Request = match serde_json::from_str(header) {
        Ok(r) => r,
        Err(e) => return Reply::Protocol(format!("bad request: {e}")),
    };
    let mut bytes = Vec::new();
    match input.take(request.len as u64).read_to_end(&mut bytes) {
        Ok(n) if n == request.len => {}
        Ok(n) => {
            return Reply::Protocol(format!(
                "the file's bytes ended after {n} of {}",
                request.len
            ))
        }
        Err(e) => return Reply::Protocol(format!("cannot read the file's bytes: {e}")),
    }
    let read = match request.format {
        Format::Pdf => {
            guarded(|| super::pdf::read_pdf(&request.path, &bytes, request.password.as_deref()))
        }
        Format::Text => guarded(|| Ok(super::text::read_text(&bytes))),
        Format::Stages => {
            return match guarded(|| stages(&request.path, &bytes)) {
                Ok(answer) => Reply::Staged(answer),
                Err(panicked) => panicked,
            }
        }
    };
    let read = match read {
        Ok(read) => read,
        Err(panicked) => return panicked,
    };
    match read.and_then(|doc| super::check_words(&request.path, &doc).map(|()| doc)) {
        Ok(doc) => Reply::Read(doc),
        Err(Error::Pdf { page, message, .. }) => Reply::Pdf { page, message },
        Err(Error::PasswordRequired { .. }) => Reply::PasswordRequired,
        Err(Error::TooManyWords { words, .. }) => Reply::TooManyWords { words },
        Err(other) => Reply::Pdf {
            page: None,
            message: other.to_string(),
        },
    }
}

/// Runs `f`, turning a panic into a [`Reply::Panicked`] with its message.
fn guarded<T>(f: impl FnOnce() -> T) -> std::result::Result<T, Reply> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(std::string::ToString::to_string)
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        Reply::Panicked(message)
    })
}

/// Reads one reply frame (a little-endian `u64` length, then that many
/// bytes); `None` at a clean end of stream.
fn read_frame(r: &mut impl Read) -> std::io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 8];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u64::from_le_bytes(len);
    let mut frame = Vec::new();
    r.take(len).read_to_end(&mut frame)?;
    if frame.len() as u64 != len {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok(Some(frame))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replies(mut out: &[u8]) -> Vec<Reply> {
        let mut all = Vec::new();
        while let Some(frame) = read_frame(&mut out).unwrap() {
            all.push(postcard::from_bytes(&frame).unwrap());
        }
        all
    }

    /// Stages for tests that only read: answers with the job reversed.
    fn no_stages(_: &Path, job: &[u8]) -> Vec<u8> {
        job.iter().rev().copied().collect()
    }

    #[test]
    fn worker_hands_a_stages_job_to_its_stages_and_survives_their_panic() {
        let mut input = request_as("a.txt", Format::Stages, b"abc");
        input.extend(request_as("b.txt", Format::Stages, b"xyz"));
        let mut out = Vec::new();
        serve(DEFAULT_MAX_MEMORY, &no_stages, &input[..], &mut out).unwrap();
        let answers = replies(&out);
        assert!(
            matches!(&answers[..], [Reply::Staged(a), Reply::Staged(b)] if a == b"cba" && b == b"zyx"),
            "{answers:?}"
        );

        let panics = |_: &Path, _: &[u8]| -> Vec<u8> { panic!("segmenter bug") };
        let mut input = request_as("a.txt", Format::Stages, b"abc");
        input.extend(request_as("b.txt", Format::Stages, b"xyz"));
        let mut out = Vec::new();
        serve(DEFAULT_MAX_MEMORY, &panics, &input[..], &mut out).unwrap();
        // One reply: after a panic the worker stops rather than go on.
        let answers = replies(&out);
        assert!(
            matches!(&answers[..], [Reply::Panicked(m)] if m == "segmenter bug"),
            "{answers:?}"
        );
    }

    fn request(path: &str, bytes: &[u8]) -> Vec<u8> {
        request_as(path, Format::Pdf, bytes)
    }

    fn request_as(path: &str, format: Format, bytes: &[u8]) -> Vec<u8> {
        let mut v = serde_json::to_vec(&Request {
            path: path.into(),
            format,
            password: None,
            len: bytes.len(),
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
        serve(
            DEFAULT_MAX_MEMORY,
            &no_stages,
            &request("t.pdf", &bytes)[..],
            &mut out,
        )
        .unwrap();
        let Reply::Read(doc) = replies(&out).remove(0) else {
            panic!("not a document");
        };
        let direct = super::super::pdf::read_pdf(Path::new("t.pdf"), &bytes, None).unwrap();
        assert_eq!(doc, direct);
    }

    #[test]
    fn worker_reports_a_malformed_pdf_as_such() {
        let mut out = Vec::new();
        serve(
            DEFAULT_MAX_MEMORY,
            &no_stages,
            &request("x.pdf", b"%PDF-1.4\ngarbage")[..],
            &mut out,
        )
        .unwrap();
        let replies = replies(&out);
        assert!(matches!(replies[..], [Reply::Pdf { .. }]), "{replies:?}");
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
        let other = classify(abort, "something odd\n", limits);
        assert!(other.to_string().contains("something odd"), "{other}");
    }

    #[cfg(unix)]
    #[test]
    fn a_memory_death_is_told_by_its_exit_status_not_its_words() {
        use std::os::unix::process::ExitStatusExt;
        let limits = Limits::default();
        let oom = ExitStatus::from_raw(EXIT_OUT_OF_MEMORY << 8);
        // A backtrace (RUST_BACKTRACE=1) fills the tail kept of stderr.
        let backtrace = "   0: std::backtrace::Backtrace::create\n".repeat(200);
        assert_eq!(
            classify(oom, &backtrace, limits),
            WorkerFailure::Memory(limits.max_memory)
        );
        // Words alone are not a cause: an abort that printed Rust's
        // allocation message is a crash, not a memory limit.
        let abort = ExitStatus::from_raw(6);
        let words = classify(abort, "memory allocation of 96 bytes failed\n", limits);
        assert!(matches!(words, WorkerFailure::Crashed(_)), "{words:?}");
    }

    #[test]
    fn worker_reads_text_and_refuses_too_many_words() {
        let text = "Är ert arbete kunskapsbaserat?\nJa\n";
        let mut out = Vec::new();
        serve(
            DEFAULT_MAX_MEMORY,
            &no_stages,
            &request_as("t.txt", Format::Text, text.as_bytes())[..],
            &mut out,
        )
        .unwrap();
        let Reply::Read(doc) = replies(&out).remove(0) else {
            panic!("not a document");
        };
        assert_eq!(doc, super::super::text::read_text(text.as_bytes()));

        let many = "Ja\n".repeat(super::super::MAX_WORDS + 1);
        let mut out = Vec::new();
        serve(
            DEFAULT_MAX_MEMORY,
            &no_stages,
            &request_as("many.txt", Format::Text, many.as_bytes())[..],
            &mut out,
        )
        .unwrap();
        let replies = replies(&out);
        assert!(
            matches!(replies[..], [Reply::TooManyWords { words }] if words == super::super::MAX_WORDS + 1),
            "{replies:?}"
        );
    }

    #[test]
    fn one_worker_answers_many_requests_in_order() {
        let table = std::fs::read("fixtures/pdf/table-chromium.pdf").unwrap();
        let mut input = request("a.pdf", b"%PDF-1.4\ngarbage");
        input.extend(request("b.pdf", &table));
        let mut out = Vec::new();
        serve(DEFAULT_MAX_MEMORY, &no_stages, &input[..], &mut out).unwrap();
        let replies = replies(&out);
        assert!(
            matches!(replies[..], [Reply::Pdf { .. }, Reply::Read(_)]),
            "{replies:?}"
        );
    }

    #[test]
    fn tail_keeps_the_end() {
        let s: String = (0..5000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let sink = Mutex::new(Vec::new());
        keep_tail(s.as_bytes(), &sink, 100);
        assert_eq!(sink.into_inner().unwrap(), s.as_bytes()[s.len() - 100..]);
    }
}
