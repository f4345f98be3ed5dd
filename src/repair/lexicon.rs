//! The Swedish word list that repair chooses words from.
//!
//! Owns the embedded frequency list (`data/lexicon/sv_wordfreq.tsv`, from the
//! `wordfreq` package; see `data/lexicon/SOURCE.md`), its parsing, and
//! look-ups by *skeleton*: a word lower-cased with å/ä folded to `a` and ö to
//! `o`, which is what an OCR engine without Swedish letters tends to print.
//! It knows nothing about OCR damage itself; `confusion` and `choose` do.

use std::sync::OnceLock;

/// The embedded list: `word<TAB>centibels`, `#` comment lines.
const EMBEDDED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/lexicon/sv_wordfreq.tsv"
));

/// A word's frequency in centibels below 1: the word's share of running text
/// is `10^(-cb / 100)`. Smaller is more frequent ("är" is 149).
pub type Centibels = u16;

/// Frequency given to the caller's extra words (template texts): as frequent
/// as the most common content words.
pub const EXTRA_CB: Centibels = 300;

/// A word of the list with its frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'a> {
    /// The word, lower-case, with its diacritics.
    pub word: &'a str,
    /// Its frequency.
    pub cb: Centibels,
}

/// Byte range of a string in `Lexicon::buf`.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: u32,
    len: u32,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    skel: Span,
    word: Span,
    cb: Centibels,
}

/// A word list indexed by skeleton. Entries are sorted by (skeleton, word) so
/// that exact and prefix look-ups are binary searches.
#[derive(Debug, Default)]
pub struct Lexicon {
    buf: String,
    entries: Vec<Entry>,
}

/// The embedded list, parsed on first use.
pub fn embedded() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon::parse(EMBEDDED))
}

/// Folds one character to the skeleton alphabet: lower case, å/ä → a, ö → o.
pub fn skeleton_char(c: char) -> char {
    match c {
        'å' | 'ä' | 'Å' | 'Ä' => 'a',
        'ö' | 'Ö' => 'o',
        c if c.is_uppercase() => c.to_lowercase().next().unwrap_or(c),
        c => c,
    }
}

/// The skeleton of a word: lower case with å/ä → a and ö → o.
pub fn skeleton(word: &str) -> String {
    word.chars().map(skeleton_char).collect()
}

/// True for the three Swedish letters OCR loses.
pub fn is_swedish_vowel(c: char) -> bool {
    matches!(c, 'å' | 'ä' | 'ö' | 'Å' | 'Ä' | 'Ö')
}

impl Lexicon {
    /// Parses `word<TAB>centibels` lines; blank lines, `#` comments and
    /// malformed lines are skipped. A word listed twice keeps its best
    /// frequency.
    pub fn parse(text: &str) -> Lexicon {
        let mut lex = Lexicon {
            buf: String::with_capacity(text.len() * 2),
            entries: Vec::with_capacity(text.len() / 12),
        };
        for line in text.lines() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((word, cb)) = line.split_once('\t') else {
                continue;
            };
            let Ok(cb) = cb.trim().parse::<Centibels>() else {
                continue;
            };
            lex.push(word.trim(), cb);
        }
        lex.finish();
        lex
    }

    /// A list of the words of `texts` (split on anything that is not a
    /// letter), each with frequency `cb`.
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str>, cb: Centibels) -> Lexicon {
        let mut lex = Lexicon::default();
        for text in texts {
            for word in text.split(|c: char| !c.is_alphabetic()) {
                if word.chars().count() >= 2 {
                    let lower = word.to_lowercase();
                    lex.push(&lower, cb);
                }
            }
        }
        lex.finish();
        lex
    }

    fn push(&mut self, word: &str, cb: Centibels) {
        if word.is_empty() || self.buf.len() > (u32::MAX as usize) / 2 {
            return;
        }
        let skel = skeleton(word);
        let s = self.add(&skel);
        let w = if skel == word { s } else { self.add(word) };
        self.entries.push(Entry {
            skel: s,
            word: w,
            cb,
        });
    }

    fn add(&mut self, s: &str) -> Span {
        let start = self.buf.len() as u32;
        self.buf.push_str(s);
        Span {
            start,
            len: s.len() as u32,
        }
    }

    fn str(&self, span: Span) -> &str {
        let start = span.start as usize;
        self.buf
            .get(start..start + span.len as usize)
            .unwrap_or_default()
    }

    fn finish(&mut self) {
        let mut entries = std::mem::take(&mut self.entries);
        entries.sort_unstable_by(|a, b| {
            (self.str(a.skel), self.str(a.word), a.cb).cmp(&(
                self.str(b.skel),
                self.str(b.word),
                b.cb,
            ))
        });
        // Keep the most frequent reading of a word listed twice.
        entries.dedup_by(|later, kept| self.str(later.word) == self.str(kept.word));
        self.entries = entries;
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the list has no word.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Index range of the entries whose skeleton starts with `prefix`
    /// (`exact`: equals it).
    fn range(&self, prefix: &str, exact: bool) -> std::ops::Range<usize> {
        let lo = self.entries.partition_point(|e| self.str(e.skel) < prefix);
        let hi = if exact {
            lo + self.entries[lo..].partition_point(|e| self.str(e.skel) == prefix)
        } else {
            lo + self.entries[lo..].partition_point(|e| self.str(e.skel).starts_with(prefix))
        };
        lo..hi
    }

    /// The words whose skeleton is `skel`.
    pub fn by_skeleton<'s>(&'s self, skel: &str) -> impl Iterator<Item = Hit<'s>> + 's {
        let range = self.range(skel, true);
        self.entries[range].iter().map(move |e| Hit {
            word: self.str(e.word),
            cb: e.cb,
        })
    }

    /// The frequency of `word` (lower case), if listed.
    pub fn cb(&self, word: &str) -> Option<Centibels> {
        self.by_skeleton(&skeleton(word))
            .find(|h| h.word == word)
            .map(|h| h.cb)
    }

    /// True when some listed word's skeleton starts with `prefix`.
    pub fn has_prefix(&self, prefix: &str) -> bool {
        !self.range(prefix, false).is_empty()
    }
}

/// The embedded list and the caller's extra words, looked up as one.
#[derive(Debug, Clone, Copy)]
pub struct Words<'a> {
    /// The frequency list.
    pub base: &'a Lexicon,
    /// Extra words (template texts).
    pub extra: &'a Lexicon,
}

impl<'a> Words<'a> {
    /// The words whose skeleton is `skel`, best frequency first per word.
    pub fn by_skeleton(&self, skel: &str) -> Vec<Hit<'a>> {
        let mut hits: Vec<Hit<'a>> = self.base.by_skeleton(skel).collect();
        for h in self.extra.by_skeleton(skel) {
            match hits.iter_mut().find(|x| x.word == h.word) {
                Some(x) => x.cb = x.cb.min(h.cb),
                None => hits.push(h),
            }
        }
        hits
    }

    /// The frequency of `word` (lower case), if listed.
    pub fn cb(&self, word: &str) -> Option<Centibels> {
        match (self.base.cb(word), self.extra.cb(word)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_parses_and_is_large() {
        let lex = embedded();
        assert!(lex.len() > 200_000, "only {} words", lex.len());
        assert_eq!(lex.cb("är"), Some(149));
        assert!(lex.cb("åtgärder").is_some());
        assert!(lex.cb("kollektivtrafikhållplatser").is_none());
    }

    #[test]
    fn skeleton_folds_swedish_letters_and_case() {
        assert_eq!(skeleton("Åtgärder"), "atgarder");
        assert_eq!(skeleton("GÖTEBORG"), "goteborg");
        assert_eq!(skeleton("entré"), "entré");
    }

    #[test]
    fn lookup_by_skeleton_finds_all_readings() {
        let words: Vec<&str> = embedded().by_skeleton("ar").map(|h| h.word).collect();
        for w in ["är", "år", "ar"] {
            assert!(words.contains(&w), "{w} missing from {words:?}");
        }
    }

    #[test]
    fn prefix_lookup() {
        assert!(embedded().has_prefix("brottsforebygg"));
        assert!(!embedded().has_prefix("qqqzx"));
    }

    #[test]
    fn extra_words_merge_with_best_frequency() {
        let extra = Lexicon::from_texts(["Uppföljningsfrågor för Målområde"], EXTRA_CB);
        let words = Words {
            base: embedded(),
            extra: &extra,
        };
        assert_eq!(words.cb("uppföljningsfrågor"), Some(EXTRA_CB));
        assert_eq!(words.cb("för"), embedded().cb("för"));
        assert_eq!(
            words
                .by_skeleton("for")
                .iter()
                .filter(|h| h.word == "för")
                .count(),
            1
        );
    }

    #[test]
    fn malformed_lines_are_skipped() {
        let lex = Lexicon::parse("# c\nett\t10\nbad line\ntvå\tx\n\nett\t5\n");
        assert_eq!(lex.len(), 1);
        assert_eq!(lex.cb("ett"), Some(5));
    }
}
