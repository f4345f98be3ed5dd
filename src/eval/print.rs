//! The human-readable eval report: a table per set and overall, then the
//! worst rows with a word diff of truth against output.

use std::fmt::Write;

use super::{Evaluation, Scores};

fn pct(x: f64) -> String {
    format!("{:6.2}", x * 100.0)
}

fn row(name: &str, s: &Scores) -> String {
    format!(
        "{name:<14} {:>4} {:>4} {:>7.4} {:>7.4} {:>7.4} {} {} {} {} {} {} {}",
        s.documents,
        s.failures,
        s.precision(),
        s.recall(),
        s.f1(),
        pct(s.answers.accuracy()),
        pct(s.areas.accuracy()),
        pct(s.question_cer.ratio()),
        pct(s.comment_cer.ratio()),
        pct(s.comment_words.accuracy()),
        pct(s.diacritic_words.accuracy()),
        pct(s.administration.accuracy()),
    )
}

/// The table: one line per set and one overall.
pub fn table(e: &Evaluation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "scoring {} text\n{:<14} {:>4} {:>4} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
        match e.mode {
            super::Mode::Repaired => "repaired",
            super::Mode::Raw => "raw (unrepaired)",
        },
        "set",
        "docs",
        "fail",
        "prec",
        "recall",
        "F1",
        "ans%",
        "area%",
        "qCER%",
        "cCER%",
        "word%",
        "åäö%",
        "adm%"
    );
    for (name, s) in &e.sets {
        let _ = writeln!(out, "{}", row(name, s));
    }
    let _ = writeln!(out, "{}", row("overall", &e.overall));
    out
}

/// The calibration table: per set and overall, each confidence bucket's
/// wrong rows over its rows, with the definition of a wrong row.
pub fn calibration(e: &Evaluation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "calibration: wrong/rows by confidence; a row is wrong if it is not in the truth, its \
         answer or area is wrong, or its question or comment CER exceeds {} %",
        super::calibration::MAX_ROW_CER * 100.0
    );
    let _ = write!(out, "{:<14}", "set");
    for b in e.overall.calibration.buckets() {
        let _ = write!(out, " {:>17}", b.label());
    }
    let _ = writeln!(out);
    let sets = e.sets.iter().map(|(n, s)| (n.as_str(), s));
    for (name, s) in sets.chain(std::iter::once(("overall", &e.overall))) {
        let _ = write!(out, "{name:<14}");
        for b in s.calibration.buckets() {
            let cell = if b.rows == 0 {
                "-".to_string()
            } else {
                format!("{}/{} {:5.1}%", b.wrong, b.rows, b.error_rate() * 100.0)
            };
            let _ = write!(out, " {cell:>17}");
        }
        let _ = writeln!(out);
    }
    out
}

/// The words repair changed in correct text (`eval --force-repair`), with
/// up to `n` of the changes.
pub fn false_repairs(r: &super::repair_check::FalseRepairs, n: usize) -> String {
    let mut out = format!(
        "repair over the truth comments as if OCR: {} of {} words changed ({:.3} %)\n",
        r.words.errors,
        r.words.total,
        r.words.ratio() * 100.0
    );
    for c in r.changes.iter().take(n) {
        let _ = writeln!(out, "  {c}");
    }
    if r.changes.len() > n {
        let _ = writeln!(out, "  … {} more", r.changes.len() - n);
    }
    out
}

/// Failures, missed and spurious rows, and the `n` rows with the most
/// errors, each with a word diff.
pub fn worst(e: &Evaluation, n: usize) -> String {
    let mut out = String::new();
    for d in &e.documents {
        if let Some(f) = &d.failure {
            let _ = writeln!(out, "FAILED {}: {f}", d.input.display());
        }
        if !d.missed.is_empty() {
            let _ = writeln!(
                out,
                "missed in {}: {}",
                d.input.display(),
                d.missed.join(", ")
            );
        }
        if !d.spurious.is_empty() {
            let _ = writeln!(
                out,
                "spurious in {}: {}",
                d.input.display(),
                d.spurious.join(", ")
            );
        }
    }
    let mut rows: Vec<(&std::path::Path, &super::RowResult)> = e
        .documents
        .iter()
        .flat_map(|d| d.rows.iter().map(move |r| (d.input.as_path(), r)))
        .filter(|(_, r)| r.comment_errors + r.question_errors > 0 || r.answers.0 != r.answers.1)
        .collect();
    rows.sort_by_key(|(_, r)| {
        std::cmp::Reverse(
            r.comment_errors + r.question_errors + 1000 * usize::from(r.answers.0 != r.answers.1),
        )
    });
    for (input, r) in rows.into_iter().take(n) {
        let _ = writeln!(out, "\n{} {}", input.display(), r.key);
        if r.answers.0 != r.answers.1 {
            let _ = writeln!(
                out,
                "  answer: truth {:?}, output {:?}",
                r.answers.0, r.answers.1
            );
        }
        if r.question_errors > 0 {
            let _ = writeln!(
                out,
                "  question ({} errors): {}",
                r.question_errors,
                word_diff(&r.truth_question, &r.output_question)
            );
        }
        if r.comment_errors > 0 {
            let _ = writeln!(
                out,
                "  comment ({} errors): {}",
                r.comment_errors,
                word_diff(&r.truth_comment, &r.output_comment)
            );
        }
    }
    out
}

/// Truth vs output as one line: `[-truth-]{+output+}` where they differ.
pub fn word_diff(truth: &str, output: &str) -> String {
    let t: Vec<&str> = truth.split_whitespace().collect();
    let o: Vec<&str> = output.split_whitespace().collect();
    let (n, m) = (t.len(), o.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if t[i] == o[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut parts: Vec<String> = Vec::new();
    let (mut i, mut j) = (0, 0);
    let (mut del, mut ins): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    let flush = |parts: &mut Vec<String>, del: &mut Vec<&str>, ins: &mut Vec<&str>| {
        if !del.is_empty() {
            parts.push(format!("[-{}-]", del.join(" ")));
            del.clear();
        }
        if !ins.is_empty() {
            parts.push(format!("{{+{}+}}", ins.join(" ")));
            ins.clear();
        }
    };
    while i < n || j < m {
        if i < n && j < m && t[i] == o[j] {
            flush(&mut parts, &mut del, &mut ins);
            parts.push(t[i].to_string());
            i += 1;
            j += 1;
        } else if j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1]) {
            del.push(t[i]);
            i += 1;
        } else {
            ins.push(o[j]);
            j += 1;
        }
    }
    flush(&mut parts, &mut del, &mut ins);
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_changes() {
        assert_eq!(
            word_diff("vi gör det", "vi gor det"),
            "vi [-gör-] {+gor+} det"
        );
        assert_eq!(word_diff("a b", "a b"), "a b");
    }
}
