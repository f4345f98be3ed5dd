//! Word bigram counts for the context stage: which of two readings that
//! differ only in å/ä/ö the neighbours support ("i våra lokaler", "ska
//! vara").
//!
//! The counts come from the dev split's truth texts and the catalogue
//! (`tools/repair/learn_bigrams.py` writes `data/repair/bigrams.tsv`,
//! embedded here). This module only counts; `context` decides.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

const BIGRAMS_TSV: &str = include_str!("../../data/repair/bigrams.tsv");

/// Bigram counts, keyed by the first lower-case word, then the second
/// (so that a look-up borrows both words).
#[derive(Debug, Default)]
pub(crate) struct Bigrams {
    counts: FxHashMap<String, FxHashMap<String, u32>>,
    /// Pairs in the table.
    len: usize,
}

impl Bigrams {
    /// Parses `first<TAB>second<TAB>count` lines; `#` comments and
    /// malformed lines are skipped.
    pub(crate) fn parse(text: &str) -> Bigrams {
        let mut table = Bigrams::default();
        let pairs = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut f = l.split('\t');
                let (a, b) = (f.next()?, f.next()?);
                let n: u32 = f.next()?.trim().parse().ok()?;
                Some((a, b, n))
            });
        for (a, b, n) in pairs {
            // A pair listed twice keeps its last count.
            let seconds = table.counts.entry(a.to_string()).or_default();
            if seconds.insert(b.to_string(), n).is_none() {
                table.len += 1;
            }
        }
        table
    }

    /// How often `first` was followed by `second`.
    pub(crate) fn count(&self, first: &str, second: &str) -> u32 {
        self.counts
            .get(first)
            .and_then(|seconds| seconds.get(second))
            .copied()
            .unwrap_or(0)
    }

    /// How well `word` fits between `prev` and `next`: the two bigram counts
    /// summed.
    pub(crate) fn support(&self, prev: Option<&str>, word: &str, next: Option<&str>) -> u32 {
        prev.map_or(0, |p| self.count(p, word)) + next.map_or(0, |n| self.count(word, n))
    }

    /// Bigrams in the table.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

/// The embedded table, parsed once.
pub(crate) fn embedded() -> &'static Bigrams {
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
