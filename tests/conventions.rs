//! The command line's conventions (issue 18): several inputs and `-`,
//! --files-from, exit statuses, quiet and JSON output, broken pipes,
//! `aggregate`'s refusals, completions and man pages, help that says what
//! the code does.

mod common;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_uppfoljning"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

/// Runs with `input` on standard input.
fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("uppf-conv-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn sample() -> PathBuf {
    common::root().join("fixtures/sample/000_a41603a7fe181f4b.txt")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Each line of `text` as JSON.
fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn extract_takes_several_files_and_stdin() {
    let sample = sample();
    // Two inputs: JSON Lines, one report a line, in input order.
    let o = run(&["extract", s(&sample), s(&sample)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = json_lines(&stdout(&o));
    assert_eq!(lines.len(), 2);
    for v in &lines {
        assert_eq!(v["items"].as_array().unwrap().len(), 21);
    }
    // One input with --jsonl: the same shape.
    let o = run(&["extract", "--jsonl", s(&sample)]);
    assert_eq!(json_lines(&stdout(&o)).len(), 1);
    // `-`: standard input, named <stdin>.
    let text = std::fs::read(&sample).unwrap();
    let o = run_with_stdin(&["extract", "-"], &text);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 21);
    assert_eq!(v["source"]["path"], "<stdin>");
    // A file and `-` together.
    let o = run_with_stdin(&["extract", s(&sample), "-"], &text);
    assert_eq!(json_lines(&stdout(&o)).len(), 2, "{}", stderr(&o));
}

#[test]
fn a_failed_input_among_several_is_named_and_the_rest_go_on() {
    let sample = sample();
    let o = run(&["extract", "/nonexistent/a.pdf", s(&sample)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(json_lines(&stdout(&o)).len(), 1);
    assert!(
        stderr(&o).contains("/nonexistent/a.pdf: cannot read file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn usage_mistakes_exit_2_failed_inputs_1_success_0() {
    let sample = sample();
    for args in [
        vec!["extract", "--no-such-flag", s(&sample)],
        vec!["extract"],
        vec!["extract", "-", "-"],
        vec!["extract", "--pretty", s(&sample), s(&sample)],
        vec!["batch", s(&sample)],
        vec!["completions", "tcsh-or-so"],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
    let o = run(&["extract", "/nonexistent/report.pdf"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let dir = scratch("codes");
    let bad = dir.join("bad.pdf");
    std::fs::write(&bad, b"%PDF-1.4 cut short").unwrap();
    let out = dir.join("out");
    let o = run(&["batch", s(&bad), s(&sample), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = run(&["batch", s(&sample), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_old_output_flag_still_works() {
    let dir = scratch("output-alias");
    let out = dir.join("r.json");
    let o = run(&["extract", s(&sample()), "--output", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let v: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 21);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn batch_reads_a_list_of_files_by_lines_or_nul() {
    let dir = scratch("files-from");
    let a = dir.join("a report.txt");
    let b = dir.join("b.txt");
    std::fs::copy(sample(), &a).unwrap();
    std::fs::copy(sample(), &b).unwrap();
    // Lines, with a blank one and a CRLF ending, from a file.
    let list = dir.join("list.txt");
    std::fs::write(&list, format!("{}\r\n\n{}\n", s(&a), s(&b))).unwrap();
    let out = dir.join("out");
    let o = run(&["batch", "--files-from", s(&list), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("a report.txt.json").is_file(), "{}", stderr(&o));
    assert!(out.join("b.txt.json").is_file(), "{}", stderr(&o));
    // NUL-separated, on standard input.
    let out0 = dir.join("out0");
    let o = run_with_stdin(
        &["batch", "--files-from", "-", "-0", "--out", s(&out0)],
        format!("{}\0{}\0", s(&a), s(&b)).as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out0.join("a report.txt.json").is_file(), "{}", stderr(&o));
    assert!(out0.join("b.txt.json").is_file(), "{}", stderr(&o));
    // extract takes a list too.
    let o = run(&["extract", "--files-from", s(&list)]);
    assert_eq!(json_lines(&stdout(&o)).len(), 2, "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs with `args`, closing standard output before anything is
/// written, as `| head -3` does when the reader has enough.
fn run_into_closed_pipe(args: &[&str]) -> Output {
    let mut child = bin()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

/// `extract … | head -3`: the reader goes away early; the run ends
/// quietly, without a panic message or exit status 101.
#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [
        vec!["extract", s(&sample()), "--explain", "--pretty"],
        vec!["completions", "bash"],
        vec!["catalog"],
    ] {
        let o = run_into_closed_pipe(&args);
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
        assert_ne!(o.status.code(), Some(101), "{args:?}: {err}");
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
    }
}

#[test]
fn aggregate_refuses_a_missing_folder_and_creates_nothing() {
    let dir = scratch("agg-missing");
    let missing = dir.join("nonexist");
    let o = run(&["aggregate", s(&missing)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!missing.exists(), "the folder was created");
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: ") && err.contains("nonexist"),
        "{err}"
    );
    // An empty folder: nothing to aggregate, nothing written.
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let o = run(&["aggregate", s(&empty)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert_eq!(std::fs::read_dir(&empty).unwrap().count(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn aggregate_lists_a_stray_json_and_aggregates_the_rest() {
    let dir = scratch("agg-stray");
    let o = run(&["extract", s(&sample()), "--out", s(&dir.join("r.txt.json"))]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::write(dir.join("package.json"), b"{\"name\": \"x\"}").unwrap();
    std::fs::write(dir.join("cut.json"), b"{\"schema_version\": 1, ").unwrap();
    let o = run(&["aggregate", s(&dir)]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("package.json: not a report document"), "{err}");
    assert!(err.contains("cut.json: not a report document"), "{err}");
    let csv = std::fs::read_to_string(dir.join("aggregate.csv")).unwrap();
    assert_eq!(csv.lines().count(), 22, "{csv}");
    // With --json, the same as events on stdout.
    let o = run(&["aggregate", s(&dir), "--json"]);
    let events = json_lines(&stdout(&o));
    assert_eq!(
        events
            .iter()
            .filter(|e| e["event"] == "skipped-json")
            .count(),
        2
    );
    assert_eq!(events.last().unwrap()["event"], "summary");
    assert_eq!(events.last().unwrap()["reports"], 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_folder_given_to_extract_points_to_batch() {
    let dir = scratch("extract-dir");
    let o = run(&["extract", s(&dir)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is a folder; use `uppfoljning batch"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn completions_and_man_pages_come_from_the_command_line() {
    let o = run(&["completions", "bash"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let script = stdout(&o);
    for word in [
        "uppfoljning",
        "extract",
        "batch",
        "aggregate",
        "--files-from",
    ] {
        assert!(script.contains(word), "no {word} in the bash completions");
    }
    assert!(!script.contains("worker"), "the internal worker is offered");
    for shell in ["zsh", "fish"] {
        let o = run(&["completions", shell]);
        assert!(o.status.success() && !o.stdout.is_empty(), "{shell}");
    }
    let o = run(&["man"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.contains(".TH uppfoljning 1"), "{page}");
    assert!(page.contains("extract"), "{page}");
    let dir = scratch("man");
    let o = run(&["man", "--out", s(&dir)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for name in [
        "uppfoljning.1",
        "uppfoljning-extract.1",
        "uppfoljning-batch.1",
    ] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(text.contains(".TH"), "{name}");
    }
    assert!(
        !dir.join("uppfoljning-worker.1").exists(),
        "the hidden worker has a page"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// An I/O error's cause is said once, in extract's message and in the
/// batch's errors.jsonl (a link to a file that is gone).
#[cfg(unix)]
#[test]
fn an_io_error_says_its_cause_once() {
    let dir = scratch("cause-once");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::os::unix::fs::symlink(dir.join("gone.txt"), input.join("broken.txt")).unwrap();
    let o = run(&["extract", s(&input.join("broken.txt"))]);
    let err = stderr(&o);
    assert_eq!(err.matches("os error 2").count(), 1, "{err}");
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    let out = dir.join("out");
    let o = run(&["batch", s(&input), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let errors = std::fs::read_to_string(out.join("errors.jsonl")).unwrap();
    assert_eq!(errors.matches("os error 2").count(), 1, "{errors}");
    let err = stderr(&o);
    assert!(
        err.lines().all(|l| l.matches("os error 2").count() <= 1),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `batch` of the sample into `out` with `flag`: it succeeds with nothing
/// on stderr.
fn batch_silently(out: &Path, flag: &str) -> Output {
    let o = run(&["batch", s(&sample()), "--out", s(out), flag]);
    assert_eq!(o.status.code(), Some(0), "{flag}: {}", stderr(&o));
    assert!(o.stderr.is_empty(), "{flag}: {}", stderr(&o));
    o
}

#[test]
fn quiet_prints_nothing_on_success() {
    let dir = scratch("quiet");
    let out = dir.join("out");
    let o = batch_silently(&out, "--quiet");
    assert!(o.stdout.is_empty(), "{}", stdout(&o));
    assert!(out.join("aggregate.csv").is_file());
    let o = run(&["-q", "aggregate", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    let o = run(&["extract", "--quiet", s(&sample())]);
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    // Errors still show.
    let o = run(&["extract", "--quiet", "/nonexistent/report.pdf"]);
    assert!(stderr(&o).contains("cannot read file"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn batch_json_lines_parse_and_an_all_skipped_run_says_so() {
    let dir = scratch("json");
    let out = dir.join("out");
    let o = batch_silently(&out, "--json");
    let events = json_lines(&stdout(&o));
    assert_eq!(events[0]["event"], "start");
    assert_eq!(events[0]["files"], 1);
    let file = events.iter().find(|e| e["event"] == "file").unwrap();
    assert_eq!(file["outcome"], "ok");
    let summary = events.last().unwrap();
    assert_eq!(summary["event"], "summary");
    assert_eq!(summary["converted"], 1);
    assert_eq!(summary["failed"], 0);
    assert_eq!(summary["written"].as_array().unwrap().len(), 4);
    // Again: everything is up to date, and the summary says so plainly.
    let o = run(&["batch", s(&sample()), "--out", s(&out)]);
    let err = stderr(&o);
    assert!(err.contains("nothing to do: 1 up to date"), "{err}");
    assert!(!err.contains("pages/s"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Each `--help` says what the code does: images are read, OCR is the
/// default, the exit statuses, examples.
#[test]
fn help_is_true_to_the_code() {
    let help = |sub: &str| stdout(&run(&[sub, "--help"]));
    let batch = help("batch");
    assert!(batch.contains("image"), "{batch}");
    assert!(batch.contains("--files-from"), "{batch}");
    let extract = help("extract");
    assert!(!extract.contains("with a text layer"), "{extract}");
    assert!(extract.contains("OCR'd"), "{extract}");
    assert!(extract.contains("JSON Lines"), "{extract}");
    assert!(!extract.contains("--output"), "the old spelling is hidden");
    for sub in ["extract", "batch", "aggregate", "eval", "catalog"] {
        let text = help(sub);
        assert!(text.contains("Exit status:"), "{sub}: {text}");
        assert!(text.contains("Examples:"), "{sub}: {text}");
        assert!(text.contains("2    usage error"), "{sub}: {text}");
    }
}
