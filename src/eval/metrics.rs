//! Text metrics for scoring extractions: character error rate, word
//! accuracy by alignment, and accuracy on words with å/ä/ö.

use unicode_normalization::UnicodeNormalization;

/// NFC with whitespace collapsed to single spaces, trimmed: the form in
/// which truth and output are compared.
pub fn normalize(text: &str) -> String {
    let nfc: String = text.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Edit distance in characters between two normalised texts.
pub fn char_distance(truth: &str, output: &str) -> usize {
    strsim::levenshtein(&normalize(truth), &normalize(output))
}

/// Counts for an error rate: errors over a reference length.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Rate {
    /// Errors (edit operations, or wrong words).
    pub errors: usize,
    /// Reference length (characters or words).
    pub total: usize,
}

impl Rate {
    /// Adds another count.
    pub fn add(&mut self, other: Rate) {
        self.errors += other.errors;
        self.total += other.total;
    }

    /// errors / total; 0 when there is nothing to score.
    pub fn ratio(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.errors as f64 / self.total as f64
        }
    }

    /// 1 − ratio: for accuracies.
    pub fn accuracy(&self) -> f64 {
        1.0 - self.ratio()
    }
}

/// Character error rate counts of one text pair.
pub fn cer(truth: &str, output: &str) -> Rate {
    let t = normalize(truth);
    Rate {
        errors: strsim::levenshtein(&t, &normalize(output)),
        total: t.chars().count(),
    }
}

/// Word-level scores of one text pair.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WordScores {
    /// Truth words not reproduced exactly (by longest-common-subsequence
    /// alignment).
    pub words: Rate,
    /// The same, over truth words containing å, ä or ö.
    pub diacritic_words: Rate,
}

/// True when a word holds one of the letters English-model OCR loses.
pub fn has_diacritic(word: &str) -> bool {
    word.chars()
        .any(|c| matches!(c, 'å' | 'ä' | 'ö' | 'Å' | 'Ä' | 'Ö'))
}

/// Aligns truth and output words (longest common subsequence) and counts
/// the truth words that appear exactly, in order, in the output.
pub fn word_scores(truth: &str, output: &str) -> WordScores {
    let t = normalize(truth);
    let o = normalize(output);
    let tw: Vec<&str> = t.split(' ').filter(|w| !w.is_empty()).collect();
    let ow: Vec<&str> = o.split(' ').filter(|w| !w.is_empty()).collect();
    let matched = lcs_matches(&tw, &ow);
    let mut scores = WordScores::default();
    for (i, w) in tw.iter().enumerate() {
        let right = matched[i];
        scores.words.total += 1;
        scores.words.errors += usize::from(!right);
        if has_diacritic(w) {
            scores.diacritic_words.total += 1;
            scores.diacritic_words.errors += usize::from(!right);
        }
    }
    scores
}

/// For each word of `a`: whether the LCS alignment pairs it with an equal
/// word of `b`.
fn lcs_matches(a: &[&str], b: &[&str]) -> Vec<bool> {
    let (n, m) = (a.len(), b.len());
    let mut table = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[at(i, j)] = if a[i] == b[j] {
                table[at(i + 1, j + 1)] + 1
            } else {
                table[at(i + 1, j)].max(table[at(i, j + 1)])
            };
        }
    }
    let mut matched = vec![false; n];
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            matched[i] = true;
            i += 1;
            j += 1;
        } else if table[at(i + 1, j)] >= table[at(i, j + 1)] {
            i += 1;
        } else {
            j += 1;
        }
    }
    matched
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_edit_distance() {
        assert_eq!(char_distance("kitten", "sitting"), 3);
        assert_eq!(char_distance("Målområde", "Malomrade"), 2);
        // Whitespace and normalisation do not count as errors.
        assert_eq!(char_distance("a  b\n c", "a b c"), 0);
        assert_eq!(char_distance("ö", "o\u{308}"), 0);
    }

    #[test]
    fn cer_is_relative_to_the_truth() {
        let r = cer("abcd", "abed");
        assert_eq!((r.errors, r.total), (1, 4));
        assert!((r.ratio() - 0.25).abs() < 1e-9);
    }

    #[test]
    fn known_word_alignment() {
        let s = word_scores(
            "vi gör det på våra anläggningar",
            "vi gor det på vara anläggningar nu",
        );
        assert_eq!((s.words.errors, s.words.total), (2, 6));
        // gör, på, våra, anläggningar have å/ä/ö; gör and våra are wrong.
        assert_eq!((s.diacritic_words.errors, s.diacritic_words.total), (2, 4));
    }

    #[test]
    fn a_corrupted_output_scores_worse() {
        let truth = "Förvaltningen träffar regelbundet brukarråd där åtgärder diskuteras.";
        let good = word_scores(truth, truth);
        let bad = word_scores(
            truth,
            "Forvaltningen traffar regelbundet brukarrad dar atgarder diskuteras.",
        );
        assert_eq!(good.words.errors, 0);
        assert!(bad.words.ratio() > good.words.ratio());
        assert!(cer(truth, "Forvaltningen").ratio() > cer(truth, truth).ratio());
    }
}
