//! Confidence calibration: how often a row given a confidence is wrong.
//!
//! Every output row falls into one confidence bucket ([`EDGES`]); a bucket
//! counts its rows and its wrong rows. A row is *wrong* ([`RowVerdict`])
//! when it is not in the truth at all (a false positive), when its answer
//! or area differs from the truth, or when its question or comment character
//! error rate exceeds [`MAX_ROW_CER`]. Truth rows the output missed have no
//! confidence and are not counted here (recall reports them). This module
//! only counts; scoring a row is `eval`'s job.

use serde::Serialize;

use super::metrics::Rate;

/// A row whose question or comment CER is above this is wrong (2 %: a word
/// or two damaged in a long comment, one in a short one).
pub const MAX_ROW_CER: f64 = 0.02;

/// Lower bounds of the buckets after the first: `< 0.5`, `0.5–0.7`,
/// `0.7–0.9`, `≥ 0.9`.
pub const EDGES: [f32; 3] = [0.5, 0.7, 0.9];

/// What scoring found for one output row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RowVerdict {
    /// A row with no truth row of the same programme and code.
    FalsePositive,
    /// A row matched to a truth row.
    Matched {
        /// The answer differs from the truth.
        answer_wrong: bool,
        /// The area differs from the truth.
        area_wrong: bool,
        /// Question characters.
        question: Rate,
        /// Comment characters.
        comment: Rate,
    },
}

impl RowVerdict {
    /// True when the row counts as wrong (see the module documentation).
    pub fn is_wrong(&self) -> bool {
        match *self {
            RowVerdict::FalsePositive => true,
            RowVerdict::Matched {
                answer_wrong,
                area_wrong,
                question,
                comment,
            } => answer_wrong || area_wrong || too_damaged(question) || too_damaged(comment),
        }
    }
}

/// True when a text's CER exceeds [`MAX_ROW_CER`]; any error in a text whose
/// truth is empty counts.
fn too_damaged(r: Rate) -> bool {
    if r.total == 0 {
        r.errors > 0
    } else {
        r.ratio() > MAX_ROW_CER
    }
}

/// The rows of one confidence range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Bucket {
    /// Lowest confidence in the bucket (inclusive).
    pub from: f32,
    /// Highest confidence (exclusive; 1 for the last bucket, inclusive).
    pub to: f32,
    /// Output rows with a confidence in the range.
    pub rows: usize,
    /// Of those, the wrong ones.
    pub wrong: usize,
}

impl Bucket {
    /// wrong / rows; 0 for an empty bucket.
    pub fn error_rate(&self) -> f64 {
        if self.rows == 0 {
            0.0
        } else {
            self.wrong as f64 / self.rows as f64
        }
    }

    /// "0.7–0.9", "< 0.5", "≥ 0.9".
    pub fn label(&self) -> String {
        if self.from <= 0.0 {
            format!("< {}", self.to)
        } else if self.to >= 1.0 {
            format!("≥ {}", self.from)
        } else {
            format!("{}–{}", self.from, self.to)
        }
    }
}

/// Rows and wrong rows per confidence bucket.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Calibration {
    buckets: Vec<Bucket>,
}

impl Default for Calibration {
    fn default() -> Self {
        let mut bounds = vec![0.0];
        bounds.extend(EDGES);
        bounds.push(1.0);
        Calibration {
            buckets: bounds
                .windows(2)
                .map(|w| Bucket {
                    from: w[0],
                    to: w[1],
                    rows: 0,
                    wrong: 0,
                })
                .collect(),
        }
    }
}

impl Calibration {
    /// Counts one output row with its confidence.
    pub fn record(&mut self, confidence: f32, verdict: RowVerdict) {
        let index = EDGES.iter().filter(|&&e| confidence >= e).count();
        if let Some(b) = self.buckets.get_mut(index) {
            b.rows += 1;
            b.wrong += usize::from(verdict.is_wrong());
        }
    }

    /// Adds another count bucket by bucket.
    pub fn add(&mut self, other: &Calibration) {
        for (b, o) in self.buckets.iter_mut().zip(&other.buckets) {
            b.rows += o.rows;
            b.wrong += o.wrong;
        }
    }

    /// The buckets, lowest confidence first.
    pub fn buckets(&self) -> &[Bucket] {
        &self.buckets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matched(answer_wrong: bool, comment_errors: usize, comment_total: usize) -> RowVerdict {
        RowVerdict::Matched {
            answer_wrong,
            area_wrong: false,
            question: Rate {
                errors: 0,
                total: 40,
            },
            comment: Rate {
                errors: comment_errors,
                total: comment_total,
            },
        }
    }

    #[test]
    fn rows_fall_into_their_bucket() {
        let mut c = Calibration::default();
        c.record(0.2, matched(false, 0, 100));
        c.record(0.5, matched(false, 0, 100));
        c.record(0.89, matched(false, 0, 100));
        c.record(0.9, matched(false, 0, 100));
        c.record(1.0, matched(false, 0, 100));
        let rows: Vec<usize> = c.buckets().iter().map(|b| b.rows).collect();
        assert_eq!(rows, [1, 1, 1, 2]);
        assert_eq!(c.buckets()[3].label(), "≥ 0.9");
        assert_eq!(c.buckets()[0].label(), "< 0.5");
        assert_eq!(c.buckets()[2].label(), "0.7–0.9");
    }

    #[test]
    fn wrong_answers_damaged_text_and_false_positives_are_wrong() {
        assert!(!matched(false, 2, 100).is_wrong());
        assert!(matched(false, 3, 100).is_wrong());
        assert!(matched(true, 0, 100).is_wrong());
        assert!(matched(false, 1, 0).is_wrong());
        assert!(!matched(false, 0, 0).is_wrong());
        assert!(RowVerdict::FalsePositive.is_wrong());
        let mut c = Calibration::default();
        c.record(0.95, RowVerdict::FalsePositive);
        c.record(0.95, matched(false, 0, 100));
        c.record(0.95, matched(false, 0, 100));
        c.record(0.95, matched(true, 0, 100));
        let top = c.buckets()[3];
        assert_eq!((top.rows, top.wrong), (4, 2));
        assert_eq!(top.error_rate(), 0.5);
    }

    #[test]
    fn adding_sums_bucket_by_bucket() {
        let mut a = Calibration::default();
        a.record(0.6, RowVerdict::FalsePositive);
        let mut b = Calibration::default();
        b.record(0.6, matched(false, 0, 10));
        b.record(0.1, matched(false, 0, 10));
        a.add(&b);
        let counts: Vec<(usize, usize)> = a.buckets().iter().map(|b| (b.rows, b.wrong)).collect();
        assert_eq!(counts, [(1, 0), (2, 1), (0, 0), (0, 0)]);
    }
}
