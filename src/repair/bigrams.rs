//! Word bigram counts for the context stage: which of two readings that
//! differ only in å/ä/ö the neighbours support ("i våra lokaler", "ska
//! vara").
//!
//! The counts come from the dev split's truth texts and the catalogue
//! (`tools/repair/learn_bigrams.py` writes `data/repair/bigrams.tsv`,
//! embedded here). This module only counts; `context` decides.

use std::collections::HashMap;
use std::sync::OnceLock;

const BIGRAMS_TSV: &str = include_str!("../../data/repair/bigrams.tsv");

/// Bigram counts, keyed by the two lower-case words.
#[derive(Debug, Default)]
pub struct Bigrams {
    counts: HashMap<(String, String), u32>,
}

impl Bigrams {
    /// Parses `first<TAB>second<TAB>count` lines; `#` comments and
    /// malformed lines are skipped.
    pub fn parse(text: &str) -> Bigrams {
        let counts = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut f = l.split('\t');
                let (a, b) = (f.next()?, f.next()?);
                let n: u32 = f.next()?.trim().parse().ok()?;
                Some(((a.to_string(), b.to_string()), n))
            })
            .collect();
        Bigrams { counts }
    }

    /// How often `first` was followed by `second`.
    pub fn count(&self, first: &str, second: &str) -> u32 {
        // A borrowed-key lookup without allocating would need a custom key
        // type; the table is consulted for a few ambiguous words only.
        self.counts
            .get(&(first.to_string(), second.to_string()))
            .copied()
            .unwrap_or(0)
    }

    /// How well `word` fits between `prev` and `next`: the two bigram counts
    /// summed.
    pub fn support(&self, prev: Option<&str>, word: &str, next: Option<&str>) -> u32 {
        prev.map_or(0, |p| self.count(p, word)) + next.map_or(0, |n| self.count(word, n))
    }

    /// Bigrams in the table.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// True for an empty table.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

/// The embedded table, parsed once.
pub fn embedded() -> &'static Bigrams {
    static TABLE: OnceLock<Bigrams> = OnceLock::new();
    TABLE.get_or_init(|| Bigrams::parse(BIGRAMS_TSV))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_parses_whole() {
        let lines = BIGRAMS_TSV.lines().filter(|l| !l.starts_with('#')).count();
        assert!(lines > 1000, "{lines}");
        assert_eq!(embedded().len(), lines);
    }

    #[test]
    fn support_sums_both_sides() {
        let b = Bigrams::parse("# c\ni\tvåra\t2\nvåra\tlokaler\t1\nska\tvara\t3\nbad line\n");
        assert_eq!(b.len(), 3);
        assert_eq!(b.support(Some("i"), "våra", Some("lokaler")), 3);
        assert_eq!(b.support(Some("i"), "vara", Some("lokaler")), 0);
        assert_eq!(b.support(None, "vara", None), 0);
    }
}
