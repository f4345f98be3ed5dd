//! The word stages on a paragraph (OCR text only): each word located in
//! its token with the punctuation around it ([`super::breaks`]), its
//! reading chosen from the lexicon ([`super::choose`]), ambiguous words
//! decided by their neighbours ([`super::context`]), and the words that
//! change written back in the case the document printed them in
//! ([`super::token::restore_case`], [`super::capitals`]).

use std::ops::Range;

use super::breaks::{is_abbreviation, Breaks};
use super::capitals::capital_look_alike;
use super::choose::{Candidate, Channel};
use super::context::{self, Slot};
use super::lexicon::{self, is_swedish_vowel, Words};
use super::{language, misreads, token, Edit, Repairer, Stage};

/// Where one word of a paragraph sits, and what repair decided for it.
#[derive(Debug)]
pub(super) struct Loc {
    /// Index of its token.
    token: usize,
    /// Its bytes in the token.
    range: Range<usize>,
    /// It opens a sentence.
    pub(super) sentence_start: bool,
    /// The choice's candidate, when a choice was made.
    pub(super) chosen: Option<Candidate>,
    /// Why it was chosen.
    reason: String,
    /// The stage that chose it.
    stage: Stage,
    /// The readings the context rules may pick from.
    alternatives: Vec<Candidate>,
    /// A short word in capitals opening a sentence, read as a capitalised
    /// word ("PA gruppnivå" → "På gruppnivå").
    title: bool,
    /// A comma stands between the previous word and this one.
    pub(super) comma_before: bool,
}

/// What the lexicon stage made of one word.
#[derive(Debug, Default)]
struct Choice {
    /// The reading chosen, when the word is to change.
    chosen: Option<Candidate>,
    /// Why.
    reason: String,
    /// The readings the context rules may pick from.
    alternatives: Vec<Candidate>,
}

/// How frequent (cB at most) a word must be for a short capitals word at a
/// sentence start to be read as it: "på", "är", "år", "för", "även".
const TITLE_MAX_CB: lexicon::Centibels = 300;

impl Repairer {
    /// The word stages: token misreads, lexicon choice, then context; each
    /// change is added to `edits`. An English passage is left alone.
    pub(super) fn repair_words(&self, tokens: &mut [String], edits: &mut Vec<Edit>) {
        if language::is_english(tokens) {
            // An English passage: its words are not damaged Swedish.
            return;
        }
        let words = self.words();
        misreads::fix_misreads(tokens, edits);
        let channel = language::judge_channel(tokens);
        let (mut locs, mut slots) = self.locate_words(&words, tokens, channel);
        if channel.diacritics_lost {
            let mixed_case = tokens.iter().any(|t| t.chars().any(char::is_lowercase));
            apply_context(&mut locs, &mut slots, mixed_case);
        }
        edits.extend(rewrite(tokens, &locs, &slots));
    }

    /// Every word of the paragraph (and every number, a neighbour for the
    /// context rules) with the lexicon's choice for it: where it sits, for
    /// the rewrite, and as a slot, for the context rules.
    fn locate_words(
        &self,
        words: &Words,
        tokens: &[String],
        channel: Channel,
    ) -> (Vec<Loc>, Vec<Slot>) {
        let mut locs: Vec<Loc> = Vec::new();
        let mut slots: Vec<Slot> = Vec::new();
        let mut breaks = Breaks::paragraph_start();
        for (ti, tok) in tokens.iter().enumerate() {
            let mut pos = 0;
            let ranges = token::word_ranges(tok);
            if ranges.is_empty() && tok.chars().all(|c| c.is_ascii_digit()) {
                // Numbers are neighbours for the context rules ("år 2024").
                slots.push(Slot {
                    observed: tok.clone(),
                    word: tok.clone(),
                    alternatives: Vec::new(),
                    break_before: breaks.phrase_break,
                });
                locs.push(Loc {
                    token: ti,
                    range: 0..0,
                    sentence_start: breaks.sentence_start,
                    chosen: None,
                    reason: String::new(),
                    stage: Stage::Lexicon,
                    alternatives: Vec::new(),
                    title: false,
                    comma_before: breaks.comma_before,
                });
                breaks = Breaks::after_word();
                continue;
            }
            for range in ranges {
                breaks.scan(&tok[pos..range.start]);
                let observed = &tok[range.clone()];
                let next_lower = tokens
                    .get(ti + 1)
                    .and_then(|t| t.chars().next())
                    .is_some_and(char::is_lowercase);
                let title = breaks.sentence_start && next_lower && token::is_all_caps(observed);
                let choice = if title {
                    self.choose_title(words, observed, channel)
                } else {
                    self.choose_word(words, observed, channel)
                };
                let title = title && choice.chosen.is_some();
                let word = choice
                    .chosen
                    .as_ref()
                    .map_or_else(|| observed.to_lowercase(), |c| c.word.clone());
                slots.push(Slot {
                    observed: observed.to_string(),
                    word,
                    alternatives: choice.alternatives.iter().map(|c| c.word.clone()).collect(),
                    break_before: breaks.phrase_break,
                });
                locs.push(Loc {
                    token: ti,
                    range: range.clone(),
                    sentence_start: breaks.sentence_start,
                    chosen: choice.chosen,
                    reason: choice.reason,
                    stage: Stage::Lexicon,
                    alternatives: choice.alternatives,
                    title,
                    comma_before: breaks.comma_before,
                });
                breaks = Breaks::after_word();
                pos = range.end;
            }
            breaks.scan(&tok[pos..]);
            if is_abbreviation(tok) {
                // "bl.a." and "t.ex." end no sentence and break no phrase.
                breaks.sentence_start = false;
                breaks.phrase_break = false;
            }
            if pos == 0 && !tok.chars().any(char::is_alphanumeric) {
                // A dash or other lone punctuation breaks the phrase.
                breaks.phrase_break = true;
            }
        }
        (locs, slots)
    }

    /// The lexicon stage for one word: the chosen candidate (if the word is
    /// to change), why, and the readings the context rules may pick from.
    fn choose_word(&self, words: &Words, observed: &str, channel: Channel) -> Choice {
        let letters = observed.chars().filter(|c| c.is_alphabetic()).count();
        // Single letters carry too little to repair; short capitals are
        // acronyms (IOFF, SLK, SKR), left to the context rules.
        if observed.chars().count() < 2 || (token::is_all_caps(observed) && letters <= 4) {
            return Choice::default();
        }
        let decision = self.decisions.decide(words, observed, channel);
        let mut alternatives = decision.alternatives;
        alternatives.truncate(8);
        Choice {
            chosen: decision.chosen,
            reason: decision.reason,
            alternatives,
        }
    }

    /// The lexicon stage for a word in capitals that opens a sentence
    /// before a lower-case word: a short one is read as a capitalised word
    /// only when that restores a very frequent word with å/ä/ö ("PA" →
    /// "På"); otherwise it is treated as any word in capitals.
    fn choose_title(&self, words: &Words, observed: &str, channel: Channel) -> Choice {
        let letters = observed.chars().filter(|c| c.is_alphabetic()).count();
        if letters > 4 {
            return self.choose_word(words, observed, channel);
        }
        let title = token::capitalize(&observed.to_lowercase());
        let decision = self.decisions.decide(words, &title, channel);
        match decision.chosen {
            Some(c)
                if c.cb.is_some_and(|cb| cb <= TITLE_MAX_CB)
                    && c.word.chars().any(is_swedish_vowel) =>
            {
                let reason = format!(
                    "'{}' set in capitals at a sentence start, as '{}'",
                    c.word, title
                );
                Choice {
                    chosen: Some(c),
                    reason,
                    alternatives: Vec::new(),
                }
            }
            _ => Choice::default(),
        }
    }
}

/// The context stage: ambiguous words decided by their neighbours
/// ([`context::apply`]), each decision replacing the lexicon's choice.
fn apply_context(locs: &mut [Loc], slots: &mut [Slot], mixed_case: bool) {
    for change in context::apply(slots, mixed_case) {
        let loc = &mut locs[change.index];
        let candidate = loc
            .alternatives
            .iter()
            .find(|c| c.word == change.word)
            .cloned()
            .unwrap_or_else(|| Candidate {
                word: change.word.clone(),
                score: 0.0,
                cb: None,
                parts: Vec::new(),
                notes: Vec::new(),
                first_confused: false,
                as_modifier: 0,
                as_head: 0,
            });
        loc.chosen = Some(candidate);
        loc.reason = change.reason;
        loc.stage = Stage::Context;
    }
}

/// Writes each word that changes into its token, in the case the document
/// printed it in, and returns the edits in reading order.
fn rewrite(tokens: &mut [String], locs: &[Loc], slots: &[Slot]) -> Vec<Edit> {
    // Rewrite right to left so that earlier ranges in a token stay valid.
    let mut rewritten: Vec<Edit> = Vec::new();
    for (li, loc) in locs.iter().enumerate().rev() {
        let Some(chosen) = &loc.chosen else {
            continue;
        };
        let Some(tok) = tokens.get_mut(loc.token) else {
            continue;
        };
        let Some(observed) = tok.get(loc.range.clone()).map(str::to_string) else {
            continue;
        };
        if chosen.word == observed.to_lowercase() && loc.stage == Stage::Lexicon {
            continue;
        }
        let after = if loc.title {
            token::capitalize(&chosen.word)
        } else {
            token::restore_case(
                &observed,
                &chosen.word,
                chosen.first_confused || capital_look_alike(slots, locs, li),
                loc.sentence_start,
            )
        };
        if after == observed {
            continue;
        }
        tok.replace_range(loc.range.clone(), &after);
        rewritten.push(Edit {
            before: observed,
            after,
            stage: loc.stage,
            reason: loc.reason.clone(),
        });
    }
    rewritten.reverse();
    rewritten
}

#[cfg(test)]
mod tests {
    use crate::repair::fix;

    #[test]
    fn short_capitals_at_a_sentence_start_may_be_a_word() {
        assert_eq!(
            fix(&["under 2023. PA gruppnivå har"]),
            "under 2023. På gruppnivå har"
        );
        assert_eq!(fix(&["SKR har tagit fram"]), "SKR har tagit fram");
        assert_eq!(fix(&["IOFF ska"]), "IOFF ska");
        assert_eq!(fix(&["se PA gruppnivå"]), "se PA gruppnivå");
    }
}
