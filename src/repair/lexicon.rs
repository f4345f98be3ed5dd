//! The Swedish word list that repair chooses words from.
//!
//! Owns the embedded frequency list (`data/lexicon/sv_wordfreq.tsv`, from the
//! `wordfreq` package; see `data/lexicon/SOURCE.md`), its parsing, and
//! look-ups by *skeleton*: a word lower-cased with å/ä folded to `a` and ö to
//! `o`, which is what an OCR engine without Swedish letters tends to print.
//! The list is sorted by skeleton, so it doubles as an implicit trie
//! ([`Node`], [`Cursor`]) that `search` walks one character at a time. It
//! knows nothing about OCR damage itself; `confusion`, `search` and `choose`
//! do.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// The embedded list: `word<TAB>centibels[<TAB>as_modifier<TAB>as_head]`,
/// `#` comment lines, sorted by skeleton then word.
const EMBEDDED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/lexicon/sv_wordfreq.tsv"
));

/// A word's frequency in centibels below 1: the word's share of running text
/// is `10^(-cb / 100)`. Smaller is more frequent ("är" is 149).
pub(crate) type Centibels = u16;

/// Frequency given to the caller's extra words (template texts): as frequent
/// as the most common content words.
pub(crate) const EXTRA_CB: Centibels = 300;

/// A word of the list with its frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit<'a> {
    /// The word, lower-case, with its diacritics.
    pub word: &'a str,
    /// Its frequency.
    pub cb: Centibels,
    /// How many listed words start with it as a compound part.
    pub as_modifier: u16,
    /// How many listed words end with it as a compound part.
    pub as_head: u16,
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
    as_modifier: u16,
    as_head: u16,
}

/// A word list indexed by skeleton. Entries are sorted by (skeleton, word) so
/// that exact and prefix look-ups are binary searches.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    buf: String,
    entries: Vec<Entry>,
    /// Nodes of the first two skeleton characters, so that walks do not
    /// binary-search the whole list at every word.
    level1: FxHashMap<char, Node>,
    level2: FxHashMap<(char, char), Node>,
    /// Each entry's first [`HEAD_BYTES`] skeleton bytes, 0 past its end
    /// (no skeleton byte is 0): the walks' binary searches read these
    /// packed bytes instead of chasing every entry into `buf`.
    heads: Vec<[u8; HEAD_BYTES]>,
}

/// Skeleton bytes kept packed per entry for the walks (see `heads`).
const HEAD_BYTES: usize = 8;

/// The embedded list, parsed on first use.
pub(crate) fn embedded() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    // The shipped file is sorted and free of duplicates (tested below), so
    // loading skips both checks.
    LEXICON.get_or_init(|| Lexicon::parse_lines(EMBEDDED, true))
}

/// Scans the list `word<TAB>cb[<TAB>n<TAB>n]` line by line, by hand: the
/// standard `lines()`/`split()`/`parse()` cost several times more, and this
/// runs at every start of the program. Comment and malformed lines are
/// skipped.
fn scan(text: &str, mut push: impl FnMut(&str, Centibels, u16, u16)) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    // Reads a decimal number at `i`; `None` if there are no digits or it
    // does not fit.
    let number = |i: &mut usize| -> Option<u16> {
        let start = *i;
        let mut v: u32 = 0;
        while *i < n && bytes[*i].is_ascii_digit() && *i - start < 5 {
            v = v * 10 + u32::from(bytes[*i] - b'0');
            *i += 1;
        }
        if *i == start {
            return None;
        }
        u16::try_from(v).ok()
    };
    while i < n {
        let line_start = i;
        while i < n && bytes[i] != b'\t' && bytes[i] != b'\n' {
            i += 1;
        }
        let word_end = i;
        let mut ok =
            i < n && bytes[i] == b'\t' && bytes[line_start] != b'#' && word_end > line_start;
        let mut fields = [0u16; 3];
        if ok {
            for (k, field) in fields.iter_mut().enumerate() {
                if k > 0 {
                    if i < n && bytes[i] == b'\t' {
                        i += 1;
                    } else {
                        break;
                    }
                } else {
                    i += 1;
                }
                if let Some(v) = number(&mut i) {
                    *field = v;
                } else {
                    ok = false;
                    break;
                }
            }
        }
        if i < n && bytes[i] == b'\r' {
            i += 1;
        }
        ok &= i >= n || bytes[i] == b'\n';
        // Skip to the next line.
        while i < n && bytes[i] != b'\n' {
            i += 1;
        }
        i += 1;
        if ok {
            if let Some(word) = text.get(line_start..word_end) {
                push(word, fields[0], fields[1], fields[2]);
            }
        }
    }
}

/// Folds one character to the skeleton alphabet: lower case, å/ä → a, ö → o.
pub(crate) fn skeleton_char(c: char) -> char {
    match c {
        'å' | 'ä' | 'Å' | 'Ä' => 'a',
        'ö' | 'Ö' => 'o',
        c if c.is_uppercase() => c.to_lowercase().next().unwrap_or(c),
        c => c,
    }
}

/// The skeleton of a word: lower case with å/ä → a and ö → o.
pub(crate) fn skeleton(word: &str) -> String {
    word.chars().map(skeleton_char).collect()
}

/// True for the three Swedish letters OCR loses.
pub(crate) fn is_swedish_vowel(c: char) -> bool {
    matches!(c, 'å' | 'ä' | 'ö' | 'Å' | 'Ä' | 'Ö')
}

impl Lexicon {
    /// Parses `word<TAB>centibels[<TAB>as_modifier<TAB>as_head]` lines;
    /// blank lines, `#` comments and malformed lines are skipped. A word
    /// listed twice keeps its best frequency. Input sorted by skeleton then
    /// word (as the embedded list is) needs no sorting.
    #[cfg(test)]
    pub(crate) fn parse(text: &str) -> Lexicon {
        Lexicon::parse_lines(text, false)
    }

    /// `parse`, trusting `text` to be sorted and free of duplicates when
    /// `trusted`.
    fn parse_lines(text: &str, trusted: bool) -> Lexicon {
        let mut lex = Lexicon {
            buf: String::with_capacity(text.len() * 2),
            entries: Vec::with_capacity(text.len() / 12),
            ..Lexicon::default()
        };
        scan(text, |word, cb, as_modifier, as_head| {
            lex.push(word, cb, as_modifier, as_head);
        });
        if trusted {
            lex.index();
        } else {
            lex.finish();
        }
        lex
    }

    /// A list of the words of `texts` (split on anything that is not a
    /// letter), each with frequency `cb`.
    pub(crate) fn from_texts<'a>(
        texts: impl IntoIterator<Item = &'a str>,
        cb: Centibels,
    ) -> Lexicon {
        let mut lex = Lexicon::default();
        for text in texts {
            for word in text.split(|c: char| !c.is_alphabetic()) {
                if word.chars().count() >= 2 {
                    let lower = word.to_lowercase();
                    lex.push(&lower, cb, 0, 0);
                }
            }
        }
        lex.finish();
        lex
    }

    fn push(&mut self, word: &str, cb: Centibels, as_modifier: u16, as_head: u16) {
        if word.is_empty() || self.buf.len() > (u32::MAX as usize) / 2 {
            return;
        }
        let start = self.buf.len();
        if word
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            self.buf.push_str(word);
        } else {
            for c in word.chars() {
                self.buf.push(skeleton_char(c));
            }
        }
        let s = Span {
            start: start as u32,
            len: (self.buf.len() - start) as u32,
        };
        let w = if &self.buf[start..] == word {
            s
        } else {
            self.add(word)
        };
        self.entries.push(Entry {
            skel: s,
            word: w,
            cb,
            as_modifier,
            as_head,
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

    fn skel_bytes(&self, e: &Entry) -> &[u8] {
        let start = e.skel.start as usize;
        self.buf
            .as_bytes()
            .get(start..start + e.skel.len as usize)
            .unwrap_or_default()
    }

    fn str(&self, span: Span) -> &str {
        let start = span.start as usize;
        self.buf
            .get(start..start + span.len as usize)
            .unwrap_or_default()
    }

    fn finish(&mut self) {
        let mut entries = std::mem::take(&mut self.entries);
        let key = |e: &Entry| (self.str(e.skel), self.str(e.word), e.cb);
        if !entries.windows(2).all(|w| key(&w[0]) <= key(&w[1])) {
            entries.sort_unstable_by(|a, b| key(a).cmp(&key(b)));
        }
        // Keep the most frequent reading of a word listed twice.
        entries.dedup_by(|later, kept| self.str(later.word) == self.str(kept.word));
        self.entries = entries;
        self.index();
    }

    /// Builds the nodes of the first one and two skeleton characters.
    fn index(&mut self) {
        let mut level1: FxHashMap<char, Node> = FxHashMap::default();
        let mut level2: FxHashMap<(char, char), Node> = FxHashMap::default();
        // Entries are sorted, so each prefix is one run: extend the open node
        // while the prefix repeats, and store it when it changes.
        let mut open1: Option<Node> = None;
        let mut open2: Option<Node> = None;
        for (i, e) in self.entries.iter().enumerate() {
            let mut chars = self.str(e.skel).chars();
            let (c1, c2) = (chars.next(), chars.next());
            let Some(c1) = c1 else {
                continue;
            };
            match open1.as_mut() {
                Some(n) if n.head[0] == c1 => n.hi = i + 1,
                _ => {
                    if let Some(n) = open1.take() {
                        level1.insert(n.head[0], n);
                    }
                    open1 = Some(Node {
                        lo: i,
                        hi: i + 1,
                        depth: c1.len_utf8(),
                        head: [c1, '\0'],
                        chars: 1,
                    });
                }
            }
            let Some(c2) = c2 else {
                continue;
            };
            match open2.as_mut() {
                Some(n) if n.head == [c1, c2] => n.hi = i + 1,
                _ => {
                    if let Some(n) = open2.take() {
                        level2.insert((n.head[0], n.head[1]), n);
                    }
                    open2 = Some(Node {
                        lo: i,
                        hi: i + 1,
                        depth: c1.len_utf8() + c2.len_utf8(),
                        head: [c1, c2],
                        chars: 2,
                    });
                }
            }
        }
        if let Some(n) = open1 {
            level1.insert(n.head[0], n);
        }
        if let Some(n) = open2 {
            level2.insert((n.head[0], n.head[1]), n);
        }
        self.level1 = level1;
        self.level2 = level2;
        self.heads = self
            .entries
            .iter()
            .map(|e| {
                let mut head = [0u8; HEAD_BYTES];
                let skel = self.skel_bytes(e);
                let n = skel.len().min(HEAD_BYTES);
                head[..n].copy_from_slice(&skel[..n]);
                head
            })
            .collect();
    }

    /// Number of words.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the list has no word.
    pub(crate) fn is_empty(&self) -> bool {
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
    #[cfg(test)]
    pub(crate) fn by_skeleton<'s>(&'s self, skel: &str) -> impl Iterator<Item = Hit<'s>> + 's {
        let range = self.range(skel, true);
        self.entries[range].iter().map(move |e| self.hit(e))
    }

    fn hit(&self, e: &Entry) -> Hit<'_> {
        Hit {
            word: self.str(e.word),
            cb: e.cb,
            as_modifier: e.as_modifier,
            as_head: e.as_head,
        }
    }

    /// The frequency of `word` (lower case), if listed.
    #[cfg(test)]
    pub(crate) fn cb(&self, word: &str) -> Option<Centibels> {
        self.by_skeleton(&skeleton(word))
            .find(|h| h.word == word)
            .map(|h| h.cb)
    }

    /// True when some listed word's skeleton starts with `prefix`.
    #[cfg(test)]
    pub(crate) fn has_prefix(&self, prefix: &str) -> bool {
        !self.range(prefix, false).is_empty()
    }

    /// The node of all words (the empty skeleton prefix).
    pub(crate) fn root(&self) -> Node {
        Node {
            lo: 0,
            hi: self.entries.len(),
            depth: 0,
            head: ['\0'; 2],
            chars: 0,
        }
    }

    /// The node of the words whose skeleton continues `node`'s prefix with
    /// `c`; `None` when there is none.
    pub(crate) fn child(&self, node: Node, c: char) -> Option<Node> {
        match node.chars {
            0 => return self.level1.get(&c).copied(),
            1 => return self.level2.get(&(node.head[0], c)).copied(),
            _ => {}
        }
        let mut buf = [0u8; 4];
        let cb = c.encode_utf8(&mut buf).as_bytes();
        let d = node.depth;
        let slice = self.entries.get(node.lo..node.hi)?;
        let packed = self.heads.get(node.lo..node.hi).filter(|_| d < HEAD_BYTES);
        let (lo, hi) = if let ([b], Some(heads)) = (cb, packed) {
            // One byte within the packed heads: the byte after the prefix
            // (0 where the skeleton ends, below every byte).
            let lo = heads.partition_point(|h| h[d] < *b);
            (lo, lo + heads[lo..].partition_point(|h| h[d] == *b))
        } else if let [b] = *cb {
            // One byte: compare the byte after the prefix only (-1 where the
            // skeleton ends), far cheaper than comparing tails.
            let buf = self.buf.as_bytes();
            let key = |e: &Entry| -> i16 {
                if (e.skel.len as usize) > d {
                    i16::from(buf[e.skel.start as usize + d])
                } else {
                    -1
                }
            };
            let b = i16::from(b);
            let lo = slice.partition_point(|e| key(e) < b);
            (lo, lo + slice[lo..].partition_point(|e| key(e) == b))
        } else {
            let tail = |e: &Entry| {
                let s = self.skel_bytes(e);
                s.get(d..).unwrap_or_default()
            };
            let lo = slice.partition_point(|e| tail(e) < cb);
            (
                lo,
                lo + slice[lo..].partition_point(|e| tail(e).starts_with(cb)),
            )
        };
        (lo < hi).then_some(Node {
            lo: node.lo + lo,
            hi: node.lo + hi,
            depth: d + cb.len(),
            head: node.head,
            chars: node.chars.saturating_add(1),
        })
    }

    /// The words whose skeleton is exactly `node`'s prefix.
    pub(crate) fn words_at(&self, node: Node) -> impl Iterator<Item = Hit<'_>> + '_ {
        self.entries
            .get(node.lo..node.hi)
            .unwrap_or_default()
            .iter()
            .take_while(move |e| e.skel.len as usize == node.depth)
            .map(move |e| self.hit(e))
    }

    /// The words whose skeleton starts with `prefix`, in skeleton order.
    pub(crate) fn with_prefix<'s>(&'s self, prefix: &str) -> impl Iterator<Item = Hit<'s>> + 's {
        let range = self.range(prefix, false);
        self.entries[range].iter().map(move |e| self.hit(e))
    }
}

/// A skeleton prefix in a lexicon: the range of entries that start with it
/// (the lexicon is an implicit trie over its sorted skeletons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Node {
    lo: usize,
    hi: usize,
    /// Length of the prefix in bytes.
    depth: usize,
    /// The prefix's first two characters, as far as it has them.
    head: [char; 2],
    /// Length of the prefix in characters, counted up to 255.
    chars: u8,
}

/// A skeleton prefix in both lists of [`Words`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cursor {
    base: Option<Node>,
    extra: Option<Node>,
}

/// The embedded list and the caller's extra words, looked up as one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Words<'a> {
    /// The frequency list.
    pub base: &'a Lexicon,
    /// Extra words (template texts).
    pub extra: &'a Lexicon,
}

impl<'a> Words<'a> {
    /// The words whose skeleton is `skel`. A word in both lists comes twice;
    /// callers keep its better score.
    #[cfg(test)]
    pub(crate) fn by_skeleton(&self, skel: &str) -> impl Iterator<Item = Hit<'a>> + 'a {
        self.base
            .by_skeleton(skel)
            .chain(self.extra.by_skeleton(skel))
    }

    /// The words whose skeleton starts with `prefix`.
    pub(crate) fn with_prefix(&self, prefix: &str) -> impl Iterator<Item = Hit<'a>> + 'a {
        self.base
            .with_prefix(prefix)
            .chain(self.extra.with_prefix(prefix))
    }

    /// The cursor of the empty prefix.
    pub(crate) fn root(&self) -> Cursor {
        Cursor {
            base: Some(self.base.root()),
            extra: Some(self.extra.root()),
        }
    }

    /// The cursor one skeleton character further; `None` when no word
    /// continues so.
    pub(crate) fn child(&self, cur: Cursor, c: char) -> Option<Cursor> {
        let base = cur.base.and_then(|n| self.base.child(n, c));
        let extra = cur.extra.and_then(|n| self.extra.child(n, c));
        (base.is_some() || extra.is_some()).then_some(Cursor { base, extra })
    }

    /// The words whose skeleton is exactly the cursor's prefix.
    pub(crate) fn words_at(&self, cur: Cursor) -> impl Iterator<Item = Hit<'a>> + 'a {
        let base: &'a Lexicon = self.base;
        let extra: &'a Lexicon = self.extra;
        cur.base
            .into_iter()
            .flat_map(move |n| base.words_at(n))
            .chain(cur.extra.into_iter().flat_map(move |n| extra.words_at(n)))
    }

    /// The frequency of `word` (lower case), if listed.
    #[cfg(test)]
    pub(crate) fn cb(&self, word: &str) -> Option<Centibels> {
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
    fn embedded_list_is_sorted_as_shipped() {
        let lex = Lexicon::parse(EMBEDDED);
        let key = |e: &Entry| (lex.str(e.skel), lex.str(e.word));
        assert!(lex.entries.windows(2).all(|w| key(&w[0]) < key(&w[1])));
        let shipped = EMBEDDED.lines().filter(|l| !l.starts_with('#')).count();
        assert_eq!(lex.len(), shipped, "duplicate or malformed lines");
    }

    #[test]
    fn compound_counts_are_read() {
        let stod = embedded().by_skeleton("stod").find(|h| h.word == "stöd");
        assert!(stod.is_some_and(|h| h.as_head > 20), "{stod:?}");
    }

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
    fn trie_walk_matches_lookup() {
        let lex = embedded();
        let mut node = lex.root();
        for c in "atgarder".chars() {
            node = lex.child(node, c).expect("prefix exists");
        }
        let walked: Vec<&str> = lex.words_at(node).map(|h| h.word).collect();
        let looked: Vec<&str> = lex.by_skeleton("atgarder").map(|h| h.word).collect();
        assert_eq!(walked, looked);
        assert!(walked.contains(&"åtgärder"));
        assert!(lex.child(node, 'q').is_none());
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
        assert!(words.by_skeleton("for").any(|h| h.word == "för"));
    }

    #[test]
    fn malformed_lines_are_skipped() {
        let lex = Lexicon::parse(
            "# c\nett\t10\nbad line\ntvå\tx\n\nett\t5\t3\t4\r\nfem\t99999999\n\tx\nsju\t7\tz\n",
        );
        assert_eq!(lex.len(), 1, "{lex:?}");
        assert_eq!(lex.cb("ett"), Some(5));
        let hit = lex.by_skeleton("ett").next();
        assert_eq!(hit.map(|h| (h.as_modifier, h.as_head)), Some((3, 4)));
    }
}
