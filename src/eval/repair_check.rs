//! How often OCR repair breaks a word that was already right
//! (`eval --force-repair`).
//!
//! Truth comments are correct Swedish, so every word of them starts right.
//! Running the OCR word repair over them, as if they were English-model OCR
//! text, and counting the words it changes measures its false repairs. This
//! only measures; in normal runs repair is applied to OCR text alone.

use serde::Serialize;

use super::metrics::{normalize, word_scores, Rate};
use super::Truth;
use crate::repair::Repairer;

/// The words repair changed in correct text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FalseRepairs {
    /// Comment words that repair changed, over all comment words.
    pub words: Rate,
    /// Each changed word as `before → after`, in truth order.
    pub changes: Vec<String>,
}

/// Repairs every truth comment as OCR text and counts the words changed.
pub fn over_truths<'a>(
    repairer: &Repairer,
    truths: impl IntoIterator<Item = &'a Truth>,
) -> FalseRepairs {
    let mut out = FalseRepairs::default();
    for truth in truths {
        for item in &truth.items {
            let text = normalize(&item.comment);
            if text.is_empty() {
                continue;
            }
            let repaired = repairer.repair_text(&text, crate::repair::Origin::Ocr);
            out.words.add(word_scores(&text, &repaired.text).words);
            out.changes.extend(
                repaired
                    .edits
                    .iter()
                    .filter(|e| e.before != e.after)
                    .map(|e| format!("{} → {}", e.before, e.after)),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn truth(comment: &str) -> Truth {
        serde_json::from_value(serde_json::json!({
            "items": [{"program": "p", "code": "1:1", "comment": comment}]
        }))
        .expect("a valid truth literal")
    }

    #[test]
    fn correct_swedish_is_counted_and_kept() {
        let t = truth("Vi har stärkt tryggheten på våra anläggningar under året.");
        let r = over_truths(&Repairer::default(), [&t]);
        assert_eq!(r.words.total, 9);
        assert_eq!(r.words.errors, 0, "{:?}", r.changes);
    }

    #[test]
    fn a_word_repair_changes_is_counted() {
        // "atgarder" is not a word: repair makes it "åtgärder", which counts
        // as a change of a (here deliberately wrong) truth word.
        let t = truth("Vi vidtar atgarder.");
        let r = over_truths(&Repairer::default(), [&t]);
        assert_eq!((r.words.errors, r.words.total), (1, 3));
        assert_eq!(r.changes, ["atgarder → åtgärder"]);
    }
}
