//! Lexicon search under OCR confusions.
//!
//! Walks the lexicon's skeleton trie (`lexicon::Cursor`) along every reading
//! of the observed characters (`confusion::options`) at once, pruning as soon
//! as no listed word starts like the reading so far. One walk from a start
//! position finds the listed words for every end position, which is what
//! compound splitting needs; with an edit budget it is also the last-resort
//! search for one more misread or lost letter. Scoring of what is found is
//! left to `choose`.

use super::choose::Channel;
use super::confusion::{is_case_blind, options, Ctx, Mark, COST_FLOOR};
use super::lexicon::{is_swedish_vowel, Cursor, Hit, Words};

/// Edits allowed on top of the confusions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edits {
    /// None: only confusions.
    None,
    /// One inserted å/ä/ö that the engine left out entirely ("frgan"), or
    /// one letter swapped for a common OCR look-alike ("deitagit" →
    /// "deltagit", "sytte" → "syfte").
    Ocr,
    /// One substitution, insertion or deletion of any letter.
    Any,
}

/// A listed word found for the observed characters `start..end`.
#[derive(Debug, Clone)]
pub(crate) struct Found<'a> {
    /// End of the observed characters read (exclusive).
    pub end: usize,
    /// The listed word.
    pub hit: Hit<'a>,
    /// log10 likelihood of the damage assumed (confusions and lost
    /// diacritics; an edit is not priced here).
    pub channel: f32,
    /// The confusions assumed.
    pub notes: Vec<&'static str>,
    /// The first observed letter was a look-alike, so its case tells nothing.
    pub first_confused: bool,
}

/// Letters tried for edits: the skeleton alphabet of Swedish words.
const LETTERS: &[char] = &[
    'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'r', 's', 't',
    'u', 'v', 'x', 'y',
];

/// Letters an OCR engine commonly prints for another (printed, meant).
const OCR_SWAPS: &[(char, &[char])] = &[
    ('i', &['l', 't']),
    ('l', &['i', 't']),
    ('t', &['f', 'l', 'i']),
    ('f', &['t']),
    ('n', &['m', 'u']),
    ('m', &['n']),
    ('u', &['n']),
    ('c', &['e']),
    ('e', &['c']),
    ('h', &['b']),
    ('b', &['h']),
    ('k', &['l']),
];

/// The walk's state along one reading.
struct Walk<'s, 'a, F: FnMut(Found<'a>)> {
    words: &'s Words<'a>,
    chars: &'s [char],
    start: usize,
    only_end: Option<usize>,
    lower_case: bool,
    channel: Channel,
    edits: Edits,
    visit: F,
    marks: Vec<Mark>,
    notes: Vec<&'static str>,
    cost: f32,
    first_confused: bool,
    edits_left: bool,
    /// Index (in the word) of an inserted letter that must be å/ä/ö.
    lost_at: Option<usize>,
}

/// Finds the listed words that observed `chars[start..]` may begin with
/// (ending anywhere, or only at `only_end`), calling `visit` for each.
#[allow(clippy::too_many_arguments)]
pub(crate) fn search<'a>(
    words: &Words<'a>,
    chars: &[char],
    start: usize,
    only_end: Option<usize>,
    lower_case: bool,
    channel: Channel,
    edits: Edits,
    visit: impl FnMut(Found<'a>),
) {
    let mut walk = Walk {
        words,
        chars,
        start,
        only_end,
        lower_case,
        channel,
        edits,
        visit,
        marks: Vec::with_capacity(chars.len() + 1),
        notes: Vec::new(),
        cost: 0.0,
        first_confused: false,
        edits_left: edits != Edits::None,
        lost_at: None,
    };
    walk.step(start, words.root());
}

impl<'a, F: FnMut(Found<'a>)> Walk<'_, 'a, F> {
    fn step(&mut self, pos: usize, cur: Cursor) {
        if pos > self.start && self.only_end.unwrap_or(pos) == pos {
            self.emit(pos, cur);
        }
        if self.only_end.is_some_and(|e| pos > e) {
            return;
        }
        if pos < self.chars.len() {
            let ctx = Ctx {
                word_start: pos == 0,
                lower_case: self.lower_case,
            };
            for o in options(self.chars, pos, ctx) {
                let cost = self.cost + o.cost;
                if cost < COST_FLOOR {
                    continue;
                }
                let Some(next) = self.words.child(cur, o.skel) else {
                    continue;
                };
                let saved = (self.cost, self.first_confused);
                self.cost = cost;
                self.marks.push(o.mark);
                if let Some(n) = o.note {
                    self.notes.push(n);
                    if pos == 0 && is_case_blind(self.chars[0]) {
                        self.first_confused = true;
                    }
                }
                self.step(pos + o.consume, next);
                self.marks.pop();
                if o.note.is_some() {
                    self.notes.pop();
                }
                (self.cost, self.first_confused) = saved;
            }
        }
        if self.edits_left {
            self.edit(pos, cur);
        }
    }

    fn edit(&mut self, pos: usize, cur: Cursor) {
        self.edits_left = false;
        let any = self.edits == Edits::Any;
        let inserted: &[char] = if any { LETTERS } else { &['a', 'o'] };
        for &l in inserted {
            if let Some(next) = self.words.child(cur, l) {
                self.marks.push(Mark::Plain);
                if !any {
                    self.lost_at = Some(self.marks.len() - 1);
                }
                self.step(pos, next);
                self.lost_at = None;
                self.marks.pop();
            }
        }
        if pos < self.chars.len() {
            let own = self.chars[pos].to_lowercase().next();
            let swaps: &[char] = if any {
                LETTERS
            } else {
                OCR_SWAPS
                    .iter()
                    .find(|(printed, _)| Some(*printed) == own)
                    .map_or(&[], |(_, meant)| meant)
            };
            for &l in swaps.iter().filter(|&&l| Some(l) != own) {
                if let Some(next) = self.words.child(cur, l) {
                    self.marks.push(Mark::Plain);
                    self.step(pos + 1, next);
                    self.marks.pop();
                }
            }
            if any {
                self.step(pos + 1, cur);
            }
        }
        self.edits_left = true;
    }

    fn emit(&mut self, end: usize, cur: Cursor) {
        if self.edits != Edits::None && self.edits_left {
            // An edit search reports only what needed the edit.
            return;
        }
        for hit in self.words.words_at(cur) {
            let Some(channel) = self.price(hit.word) else {
                continue;
            };
            (self.visit)(Found {
                end,
                hit,
                channel,
                notes: self.notes.clone(),
                first_confused: self.first_confused,
            });
        }
    }

    /// log10 likelihood of `word` under the marks read, or `None` when the
    /// marks rule it out.
    fn price(&self, word: &str) -> Option<f32> {
        let mut score = self.cost;
        for (i, (mark, wc)) in self.marks.iter().zip(word.chars()).enumerate() {
            match *mark {
                Mark::Plain => {
                    if is_swedish_vowel(wc) {
                        if self.lost_at != Some(i) {
                            score += self.channel.log_drop;
                        }
                    } else if self.lost_at == Some(i) {
                        return None;
                    }
                }
                Mark::Diacritic if !is_swedish_vowel(wc) => return None,
                Mark::Exact(c) if wc != c => return None,
                _ => {}
            }
        }
        Some(score)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repair::lexicon::{embedded, Lexicon};

    fn found(
        word: &str,
        start: usize,
        only_end: Option<usize>,
        edits: Edits,
    ) -> Vec<(usize, String)> {
        let extra = Lexicon::default();
        let words = Words {
            base: embedded(),
            extra: &extra,
        };
        let chars: Vec<char> = word.chars().collect();
        let lower_case = chars.iter().any(|c| c.is_lowercase());
        let mut out = Vec::new();
        search(
            &words,
            &chars,
            start,
            only_end,
            lower_case,
            Channel::NO_SWEDISH_LETTERS,
            edits,
            |f| {
                out.push((f.end, f.hit.word.to_string()));
            },
        );
        out
    }

    #[test]
    fn whole_word_readings() {
        let f = found("behdver", 0, Some(7), Edits::None);
        assert!(f.contains(&(7, "behöver".to_string())), "{f:?}");
    }

    #[test]
    fn every_end_is_reported() {
        let f = found("kollektivtrafikhallplatser", 15, None, Edits::None);
        assert!(f.contains(&(26, "hållplatser".to_string())), "{f:?}");
        assert!(f.contains(&(19, "hall".to_string())), "{f:?}");
    }

    #[test]
    fn edits_find_lost_and_misread_letters() {
        let f = found("frgan", 0, Some(5), Edits::Ocr);
        assert!(f.contains(&(5, "frågan".to_string())), "{f:?}");
        assert!(
            !f.iter().any(|(_, w)| w == "frgan"),
            "identity needs no edit"
        );
        let f = found("Eérvaltningen", 0, Some(13), Edits::Any);
        assert!(f.contains(&(13, "förvaltningen".to_string())), "{f:?}");
    }

    #[test]
    fn lost_letter_must_be_swedish() {
        let f = found("prats", 0, Some(5), Edits::Ocr);
        assert!(!f.iter().any(|(_, w)| w == "pratas"), "{f:?}");
    }

    #[test]
    fn ocr_swaps_fix_one_misread_letter() {
        let f = found("deitagit", 0, Some(8), Edits::Ocr);
        assert!(f.contains(&(8, "deltagit".to_string())), "{f:?}");
        let f = found("sytte", 0, Some(5), Edits::Ocr);
        assert!(f.contains(&(5, "syfte".to_string())), "{f:?}");
    }
}
