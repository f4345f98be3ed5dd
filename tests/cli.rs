//! The binary as a user meets it: exit codes and one-line errors that name
//! the file, for good and bad inputs alike. No input may make it panic.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_uppfoljning"))
}

fn tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("uppf-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A bad input fails with exit code 1, one error line naming the file, and
/// no panic message.
fn assert_clean_failure(path: &std::path::Path, needle: &str) {
    let o = run(&["extract", path.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{}: {err}", path.display());
    assert!(!err.contains("panicked"), "{err}");
    let first = err.lines().next().unwrap_or_default();
    assert!(first.starts_with("error: "), "{err}");
    assert!(
        first.contains(&*path.to_string_lossy()),
        "error does not name the file: {err}"
    );
    assert!(
        err.to_lowercase().contains(needle),
        "expected {needle:?} in {err}"
    );
}

#[test]
fn sample_extracts_with_exit_zero_and_valid_json() {
    let sample = common::root().join("fixtures/sample/000_a41603a7fe181f4b.txt");
    let o = run(&["extract", sample.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema_version"], 2);
    assert_eq!(v["items"].as_array().unwrap().len(), 21);
}

#[test]
fn empty_file_is_a_clear_error() {
    assert_clean_failure(&tmp("empty.pdf", b""), "empty");
}

#[test]
fn binary_garbage_is_a_clear_error() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    assert_clean_failure(&tmp("garbage.pdf", &garbage), "not a pdf or a text file");
}

#[test]
fn png_renamed_pdf_is_named_for_what_it_is() {
    assert_clean_failure(&tmp("scan.pdf", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "png");
}

#[test]
fn truncated_pdf_is_a_clear_error() {
    let full = std::fs::read(common::root().join("fixtures/pdf/table-chromium.pdf")).unwrap();
    assert_clean_failure(&tmp("truncated.pdf", &full[..full.len() / 3]), "pdf");
}

#[test]
fn encrypted_pdf_asks_for_the_password() {
    assert_clean_failure(
        &common::root().join("fixtures/pdf/encrypted-user.pdf"),
        "password",
    );
}

#[test]
fn text_without_rows_is_not_a_report() {
    let p = tmp(
        "brev.txt",
        "Hej!\n\nTack för senast. Vi ses på mötet med Kulturförvaltningen nästa vecka.\n"
            .as_bytes(),
    );
    let o = run(&["extract", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("not a follow-up report"),
        "{}",
        stderr(&o)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 0);
    assert!(
        v["administration"].is_null(),
        "a name in running text made it the author"
    );
    assert_eq!(v["warnings"][0]["kind"], "not-a-report");
}

#[test]
fn missing_file_is_a_clear_error() {
    assert_clean_failure(
        std::path::Path::new("/nonexistent/report.pdf"),
        "cannot read",
    );
}

#[test]
fn a_missing_file_says_why_once() {
    let o = run(&["extract", "/nonexistent/report.pdf"]);
    let err = stderr(&o);
    let first = err.lines().next().unwrap_or_default();
    assert!(first.contains("cannot read file"), "{err}");
    assert_eq!(first.matches("(os error").count(), 1, "{err}");
}

#[test]
fn unknown_administration_lists_the_known_ids() {
    let sample = common::root().join("fixtures/sample/000_a41603a7fe181f4b.txt");
    let o = run(&[
        "extract",
        sample.to_str().unwrap(),
        "--administration",
        "nope",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("ioff"), "{}", stderr(&o));
}

#[test]
fn administration_flag_wins_and_says_so() {
    let sample = common::root().join("fixtures/sample/000_a41603a7fe181f4b.txt");
    let o = run(&[
        "extract",
        sample.to_str().unwrap(),
        "--administration",
        "kuf",
        "--year",
        "2023",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["administration"]["id"], "kuf");
    assert_eq!(v["administration"]["evidence"], "flag");
    assert_eq!(v["period"]["year"], 2023);
    assert_eq!(v["period"]["evidence"], "flag");
}

#[test]
fn output_file_is_written_whole() {
    let sample = common::root().join("fixtures/sample/000_a41603a7fe181f4b.txt");
    let out = std::env::temp_dir().join(format!("uppf-cli-out-{}.json", std::process::id()));
    let o = run(&[
        "extract",
        sample.to_str().unwrap(),
        "--pretty",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 21);
    std::fs::remove_file(out).unwrap();
}

#[test]
fn a_pdf_that_takes_too_long_is_stopped_and_named() {
    let pdf = common::root().join("fixtures/pdf/sample-digital.pdf");
    let started = std::time::Instant::now();
    let o = run(&["extract", pdf.to_str().unwrap(), "--timeout", "1ms"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("sample-digital.pdf: timed out after 1 ms"),
        "{err}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    // In-process reading has no limits to hit.
    let inside = run(&[
        "extract",
        pdf.to_str().unwrap(),
        "--timeout",
        "1ms",
        "--in-process",
    ]);
    assert!(inside.status.success(), "{}", stderr(&inside));
}

#[test]
fn limits_reject_nonsense_values_with_a_hint() {
    let pdf = common::root().join("fixtures/pdf/sample-digital.pdf");
    let p = pdf.to_str().unwrap();
    for (flag, value, hint) in [
        ("--max-memory", "2X", "use K, M or G"),
        ("--max-memory", "1M", "below the 64M"),
        ("--timeout", "0s", "above zero"),
        ("--timeout", "ten", "like 60s"),
    ] {
        let o = run(&["extract", p, flag, value]);
        assert_eq!(o.status.code(), Some(2), "{flag} {value}");
        assert!(stderr(&o).contains(hint), "{flag} {value}: {}", stderr(&o));
    }
}

#[test]
fn catalog_shows_a_catalogue_and_what_changed_from_another() {
    let o = run(&["catalog"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("valid, version"), "{out}");
    assert!(out.contains("trygghetsprogram-2022-2026"), "{out}");

    let root = env!("CARGO_MANIFEST_DIR");
    let newer = format!("{root}/corpus2/revised/catalog.toml");
    let older = format!("{root}/src/catalog/catalog.toml");
    let o = run(&["catalog", &newer, "--compare", &older]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("+ programme extremism-2025-2028"), "{out}");
    assert!(out.contains("- trygghetsprogram-2022-2026/5:2"), "{out}");

    let bad = tmp(
        "bad-catalog.toml",
        b"version = \"x\"\n[[program]]\nid = \"a\"\n",
    );
    let o = run(&["catalog", bad.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("bad-catalog.toml") && !err.contains("panicked"),
        "{err}"
    );
}

/// A FIFO named as an input (as a shell glob can give) would block a
/// reader forever: it is refused at once, alone and inside a batch.
#[cfg(unix)]
#[test]
fn a_fifo_is_refused_not_waited_on() {
    let dir = std::env::temp_dir().join(format!("uppf-fifo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("fifo.pdf");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let o = run(&["extract", fifo.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("not a regular file (a FIFO)"), "{err}");

    let good = dir.join("good.txt");
    let sample = format!(
        "{}/fixtures/sample/000_a41603a7fe181f4b.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::copy(sample, &good).unwrap();
    let out = dir.join("out");
    let o = run(&[
        "batch",
        fifo.to_str().unwrap(),
        good.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_ne!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("good.txt.json").is_file(), "{}", stderr(&o));
    let errors = std::fs::read_to_string(out.join("errors.jsonl")).unwrap();
    assert!(errors.contains("not-a-file"), "{errors}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn text_larger_than_any_report_is_refused() {
    let big = tmp("big.txt", &b"Ja\n".repeat(2 << 20));
    let o = run(&["extract", big.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("more than a report holds"), "{err}");
}

/// `eval --reports` scores documents made beforehand, matched to the truth
/// by the input's stem; a file that is not a report counts as a failure.
#[test]
fn eval_scores_report_documents_made_beforehand() {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = std::env::temp_dir().join(format!("uppf-reports-{}", std::process::id()));
    let set = dir.join("made");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&set).unwrap();
    let doc = set.join("000_a41603a7fe181f4b.txt.json");
    let sample = format!("{root}/fixtures/sample/000_a41603a7fe181f4b.txt");
    let o = run(&["extract", &sample, "-o", doc.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let truth = format!("{root}/fixtures/sample");
    let eval = |min_f1: &str| {
        run(&[
            "eval",
            "--reports",
            "--truth",
            &truth,
            set.to_str().unwrap(),
            "--worst",
            "0",
            "--min-f1",
            min_f1,
            "--max-failures",
            "0",
        ])
    };
    let o = eval("0.99");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        stderr(&o)
    );
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("made "),
        "the set is the folder"
    );
    std::fs::write(&doc, b"{\"not\": \"a report\"}").unwrap();
    let o = eval("0.99");
    assert_ne!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
