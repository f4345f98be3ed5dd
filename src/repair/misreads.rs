//! Whole tokens the OCR misread, put back without the lexicon: a lone
//! "|" for the word "I" or "i", "1A" for the acronym "IA", a per cent sign
//! read as digits ("87 26," → "87 %,"), and damaged abbreviations ("bi.a."
//! → "bl.a."). They run before the word stages, which then see the words
//! as printed.

use super::{Edit, Stage};

/// Runs every fix of this module on a paragraph's tokens, recording each
/// change in `edits`.
pub(super) fn fix_misreads(tokens: &mut [String], edits: &mut Vec<Edit>) {
    fix_lone_bars(tokens, edits);
    fix_abbreviations(tokens, edits);
    fix_one_for_i(tokens, edits);
    fix_percent_signs(tokens, edits);
}

/// Capitalised words after which a lone "|" is a table rule, not "i": the
/// answer column's words.
const ANSWER_WORDS: &[&str] = &["Ja", "Nej", "Delvis"];

/// A lone "|" opening a sentence before a lower-case word is the pronoun or
/// preposition "I" ("| all fysisk planering" → "I all fysisk planering");
/// after a lower-case word, before a word, it is the preposition "i"
/// ("unga | Hjällbo" → "unga i Hjällbo"). A "|" elsewhere may be a table
/// rule and stays.
fn fix_lone_bars(tokens: &mut [String], edits: &mut Vec<Edit>) {
    if tokens.iter().filter(|t| *t == "|").count() > 1 {
        // Several bars: a table's column rules.
        return;
    }
    for i in 0..tokens.len() {
        if tokens[i] != "|" {
            continue;
        }
        let starts = i == 0 || tokens[i - 1].ends_with(['.', '!', '?', ':']);
        let next_lower = tokens
            .get(i + 1)
            .and_then(|t| t.chars().next())
            .is_some_and(char::is_lowercase);
        let after_word = i > 0 && tokens[i - 1].chars().last().is_some_and(char::is_lowercase);
        let next_word = tokens.get(i + 1).is_some_and(|t| {
            let mut c = t.chars();
            c.next().is_some_and(char::is_alphabetic)
                && c.all(char::is_lowercase)
                && !ANSWER_WORDS.contains(&t.as_str())
        });
        let (after, reason) = if starts && next_lower {
            ("I", "a lone | opening a sentence is the word I")
        } else if after_word && next_word {
            ("i", "a lone | between words is the preposition i")
        } else {
            continue;
        };
        tokens[i] = after.to_string();
        edits.push(Edit {
            before: "|".to_string(),
            after: after.to_string(),
            stage: Stage::Confusion,
            reason: reason.to_string(),
        });
    }
}

/// Abbreviations as English-model OCR prints them, and what they are.
const ABBREVIATION_MISREADS: &[(&str, &str)] = &[
    ("bi.a.", "bl.a."),
    ("bla.", "bl.a."),
    ("b1.a.", "bl.a."),
    ("tex.", "t.ex."),
    ("t.ex", "t.ex."),
];

/// Puts back abbreviations the OCR damaged ("bi.a." → "bl.a.", "tex." →
/// "t.ex."); a trailing comma or semicolon stays.
fn fix_abbreviations(tokens: &mut [String], edits: &mut Vec<Edit>) {
    for tok in tokens.iter_mut() {
        let core = tok.trim_end_matches([',', ';']);
        let Some((_, right)) = ABBREVIATION_MISREADS.iter().find(|(m, _)| *m == core) else {
            continue;
        };
        let after = format!("{right}{}", &tok[core.len()..]);
        edits.push(Edit {
            before: tok.clone(),
            after: after.clone(),
            stage: Stage::Confusion,
            reason: format!("'{core}' is the abbreviation '{right}'"),
        });
        *tok = after;
    }
}

/// Words before a label such as "1A" that is really a label ("klass 1A").
const BEFORE_LABEL: &[&str] = &[
    "klass", "bilaga", "avsnitt", "punkt", "nivå", "niva", "steg", "tabell", "figur", "kapitel",
    "sida", "rum", "hus", "plan", "grupp", "del", "bild", "typ", "version", "fas",
];

/// "1A systemet" is "IA systemet": a 1 read for the capital I of an acronym
/// (1 to 3 capitals after it), between lower-case words, unless a word that
/// takes a label precedes it.
fn fix_one_for_i(tokens: &mut [String], edits: &mut Vec<Edit>) {
    for i in 1..tokens.len() {
        let Some(rest) = tokens[i].strip_prefix('1') else {
            continue;
        };
        let acronym =
            (1..=3).contains(&rest.chars().count()) && rest.chars().all(|c| c.is_ascii_uppercase());
        let prev = &tokens[i - 1];
        let prev_word =
            prev.chars().all(char::is_lowercase) && !BEFORE_LABEL.contains(&prev.as_str());
        let next_lower = tokens
            .get(i + 1)
            .and_then(|t| t.chars().next())
            .is_some_and(char::is_lowercase);
        if acronym && prev_word && next_lower {
            let after = format!("I{rest}");
            edits.push(Edit {
                before: tokens[i].clone(),
                after: after.clone(),
                stage: Stage::Confusion,
                reason: "1 read for the I of an acronym between words".to_string(),
            });
            tokens[i] = after;
        }
    }
}

/// How OCR reads a per cent sign after a number ("84 %"): the Swedish model
/// sees digits in it. Learned from the dev split's Swedish-model scans.
const PERCENT_MISREADS: &[&str] = &["26", "96", "20"];

/// Three-digit readings of a per cent sign. A three-digit group after a
/// number may also be its thousands ("12 246 kronor"), so these count only
/// before a word that follows a share ("84 946 till 87 %").
const PERCENT_MISREADS_LONG: &[&str] = &["246", "946"];
const AFTER_SHARE: &[&str] = &["av", "till", "jämfört", "mot"];

/// Puts back per cent signs the OCR read as digits: "87 26," is "87 %," when
/// the number before is a share (0 to 100) and no number follows.
fn fix_percent_signs(tokens: &mut [String], edits: &mut Vec<Edit>) {
    for i in 1..tokens.len() {
        let core = tokens[i].trim_end_matches([',', '.', ';', ':', ')']);
        let share =
            tokens[i - 1].len() <= 3 && tokens[i - 1].parse::<u32>().is_ok_and(|n| n <= 100);
        let next = tokens.get(i + 1).map(String::as_str);
        let number_next = next.is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()));
        let misread = PERCENT_MISREADS.contains(&core)
            || PERCENT_MISREADS_LONG.contains(&core)
                && next.is_some_and(|t| AFTER_SHARE.contains(&t));
        if !(share && misread) || number_next {
            continue;
        }
        let after = format!("%{}", &tokens[i][core.len()..]);
        edits.push(Edit {
            before: tokens[i].clone(),
            after: after.clone(),
            stage: Stage::Confusion,
            reason: format!("'{core}' after a share is a misread per cent sign"),
        });
        tokens[i] = after;
    }
}

#[cfg(test)]
mod tests {
    use crate::repair::fix;

    #[test]
    fn lone_bar_is_i() {
        assert_eq!(fix(&["| all fysisk planering"]), "I all fysisk planering");
        assert_eq!(fix(&["Ja | Nej"]), "Ja | Nej");
        assert_eq!(
            fix(&["arbetar med unga | Hjällbo och Bergsjön."]),
            "arbetar med unga i Hjällbo och Bergsjön."
        );
        assert_eq!(fix(&["som riskerar | Ja att"]), "som riskerar | Ja att");
    }

    #[test]
    fn damaged_abbreviations_are_restored() {
        assert_eq!(
            fix(&["planeras, bi.a. skolgårdar, tex. belysning"]),
            "planeras, bl.a. skolgårdar, t.ex. belysning"
        );
        assert_eq!(fix(&["se t.ex, kartan"]), "se t.ex., kartan");
        assert_eq!(fix(&["en text"]), "en text");
    }

    #[test]
    fn one_read_for_i_in_acronym() {
        assert_eq!(
            fix(&["chefer har fatt utbildning i 1A systemet som"]),
            "chefer har fått utbildning i IA systemet som"
        );
        assert_eq!(fix(&["eleverna i klass 1A har"]), "eleverna i klass 1A har");
        assert_eq!(fix(&["se 1A."]), "se 1A.");
    }

    #[test]
    fn per_cent_signs_read_as_digits_are_restored() {
        assert_eq!(
            fix(&["har ökat från 84 946 till 87 26, men 8 96 uppgav"]),
            "har ökat från 84 % till 87 %, men 8 % uppgav"
        );
        // Thousands, a number after, a count over 100: digits stay.
        for text in [
            "fick 12 246 kronor",
            "mellan 31 20 25 och 40",
            "av 120 26 nya",
        ] {
            assert_eq!(fix(&[text]), text);
        }
    }
}
