//! What a paragraph is written in, and what the OCR engine that read it
//! could print: an English passage (left as it is), and whether the
//! engine printed å/ä/ö at all (the channel the lexicon reads words
//! through).

use super::choose::Channel;
use super::lexicon::is_swedish_vowel;
use super::token;

/// English words that a Swedish text (even without its diacritics) does not
/// contain; "for", "an", "a", "i" are left out as they may be damaged Swedish.
const ENGLISH_ONLY: &[&str] = &[
    "the", "and", "of", "to", "is", "are", "was", "were", "has", "have", "with", "this", "that",
    "which", "from", "by", "on", "it", "be", "or", "as", "at", "not", "their", "its", "can",
    "will", "would", "should", "these", "those", "into", "than", "also",
];

/// Swedish function words, as printed with or without diacritics.
const SWEDISH_COMMON: &[&str] = &[
    "och", "att", "det", "som", "en", "ar", "är", "av", "med", "till", "pa", "på", "har", "de",
    "inte", "om", "ett", "den", "ska", "vi", "kan", "fran", "från", "eller", "samt", "vid", "ni",
    "sig", "under", "efter", "mot", "genom",
];

/// True for a passage in English (more English-only function words than
/// Swedish ones, and at least three), which repair leaves as it is.
pub(super) fn is_english(tokens: &[String]) -> bool {
    let (mut en, mut sv) = (0, 0);
    for t in tokens {
        let w = t.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase();
        en += usize::from(ENGLISH_ONLY.contains(&w.as_str()));
        sv += usize::from(SWEDISH_COMMON.contains(&w.as_str()));
    }
    en >= 3 && en > sv
}

/// Judges from the whole paragraph whether the engine prints å/ä/ö at all.
pub(super) fn judge_channel(tokens: &[String]) -> Channel {
    let mut intact = 0;
    let mut look_alikes = 0;
    for tok in tokens {
        intact += tok.chars().filter(|&c| is_swedish_vowel(c)).count();
        for r in token::word_ranges(tok) {
            look_alikes += tok[r]
                .chars()
                .filter(|c| matches!(c, 'é' | '6' | '&'))
                .count();
        }
    }
    Channel::from_evidence(intact, look_alikes)
}

#[cfg(test)]
mod tests {
    use crate::repair::fix;

    #[test]
    fn english_passages_and_tables_are_left_alone() {
        let text = "An administration has an id and a name, for the catalogue.";
        assert_eq!(fix(&[text]), text);
        let table = "| ioff | Idrotts- och föreningsförvaltningen |";
        assert_eq!(fix(&[table]), table);
    }
}
