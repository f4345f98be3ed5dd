//! Capital letters the OCR made: a capital A or O inside a sentence that
//! is a look-alike of a lower-case å/ä/ö ("som Okar trygghet" → "som ökar
//! trygghet"). Which case a repaired word is written in is
//! [`super::token::restore_case`]'s; this rule tells it to write the word
//! in lower case.

use super::context::Slot;
use super::lexicon::{self, is_swedish_vowel};
use super::words::Loc;

/// Words whose capital Å/Ä/Ö is taken for an OCR capital inside a sentence
/// (cB at most this, or a compound or inflection read from listed words;
/// rarer listed words may be names).
const LOOK_ALIKE_CAPITAL_MAX_CB: lexicon::Centibels = 600;

/// The proper names among those words (the list is lower case).
const NAMES: &[&str] = &["örebro", "örgryte", "öckerö", "åkered"];

/// Words so frequent (cB at most this) that a capital word after them does
/// not make them part of a name ("följer Även Livsmedelsverkets").
const LOOK_ALIKE_BEFORE_NAME_MAX_CB: lexicon::Centibels = 300;

/// True when a word as printed opens with a capital A or O and goes on in
/// lower case ("Aret", "Okar"): the shape of a look-alike capital.
fn look_alike_shape(s: &Slot) -> bool {
    let mut observed = s.observed.chars();
    matches!(observed.next(), Some('A' | 'O')) && observed.next().is_some_and(char::is_lowercase)
}

/// True when the capital A/O that starts word `i` inside a sentence is the
/// OCR's capital look-alike of a lower-case å/ä/ö ("som Okar trygghet" →
/// "som ökar trygghet", "Under Aret har" → "Under året har"): the word
/// restored starts with å/ä/ö and is common or a compound, the word before
/// it (in the same phrase) is a lower-case or capitalised word, and the word
/// after it is lower case, a number, another such look-alike, or absent
/// (or anything, when the word is a very frequent one such as "även").
pub(super) fn capital_look_alike(slots: &[Slot], locs: &[Loc], i: usize) -> bool {
    let (Some(slot), Some(loc)) = (slots.get(i), locs.get(i)) else {
        return false;
    };
    let Some(chosen) = &loc.chosen else {
        return false;
    };
    let common = chosen.cb.is_none_or(|cb| cb <= LOOK_ALIKE_CAPITAL_MAX_CB)
        && chosen.word.chars().next().is_some_and(is_swedish_vowel)
        && !NAMES.contains(&chosen.word.as_str());
    let starts_lower = |s: &Slot| s.observed.chars().next().is_some_and(char::is_lowercase);
    let capitalised = |s: &Slot| {
        let mut c = s.observed.chars();
        c.next().is_some_and(char::is_uppercase) && c.all(char::is_lowercase)
    };
    // A comma breaks the phrase but not the sentence: "belysning, Overblickbara".
    let prev_word = i > 0
        && (!slot.break_before || loc.comma_before)
        && slots
            .get(i - 1)
            .is_some_and(|p| starts_lower(p) || capitalised(p));
    let function_word = chosen
        .cb
        .is_some_and(|cb| cb <= LOOK_ALIKE_BEFORE_NAME_MAX_CB);
    let next_ok = slots.get(i + 1).is_none_or(|s| {
        s.break_before
            || starts_lower(s)
            || look_alike_shape(s)
            || s.observed.chars().all(|c| c.is_ascii_digit())
            || function_word
    });
    look_alike_shape(slot) && common && !loc.sentence_start && prev_word && next_ok
}

#[cfg(test)]
mod tests {
    use crate::repair::fix;

    #[test]
    fn capital_look_alike_inside_sentence_is_lower_case() {
        assert_eq!(
            fix(&["fragor som Okar trygghet och"]),
            "frågor som ökar trygghet och"
        );
        assert_eq!(fix(&["Okar tryggheten"]), "Ökar tryggheten");
        assert_eq!(fix(&["bor i Orebro."]), "bor i Örebro.");
        assert_eq!(
            fix(&["Vi följer Aven Livsmedelsverkets råd"]),
            "Vi följer även Livsmedelsverkets råd"
        );
        assert_eq!(fix(&["ligger i Ostra Göteborg"]), "ligger i Östra Göteborg");
        assert_eq!(
            fix(&["som belysning, Overblickbara skolgårdar"]),
            "som belysning, överblickbara skolgårdar"
        );
        assert_eq!(
            fix(&["Under Aret har vi setts som ett Aterkommande problem."]),
            "Under året har vi setts som ett återkommande problem."
        );
        assert_eq!(
            fix(&["planeras, bl.a. Overblickbara skolgårdar"]),
            "planeras, bl.a. överblickbara skolgårdar"
        );
        assert_eq!(
            fix(&["som identifierats under Aret Ar bl.a. skjutningar"]),
            "som identifierats under året är bl.a. skjutningar"
        );
    }
}
