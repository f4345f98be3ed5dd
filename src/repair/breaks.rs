//! Sentence and phrase boundaries between the words of a paragraph, read
//! from the punctuation: what the context rules take as a phrase break
//! and case restoration as a sentence start. Abbreviations ("bl.a.",
//! "t.ex.") end no sentence.

/// What the punctuation since the last word says about the next one.
#[derive(Debug, Clone, Copy)]
pub(super) struct Breaks {
    /// A sentence end (. ! ? :) came before it, or it opens the paragraph.
    pub(super) sentence_start: bool,
    /// A phrase break (, ; ( ) " …; not - / ') or a sentence end came
    /// before it, or it opens the paragraph.
    pub(super) phrase_break: bool,
    /// A comma came before it.
    pub(super) comma_before: bool,
}

impl Breaks {
    /// Before a paragraph's first word.
    pub(super) fn paragraph_start() -> Breaks {
        Breaks {
            sentence_start: true,
            phrase_break: true,
            comma_before: false,
        }
    }

    /// After a word: nothing between it and the next one yet.
    pub(super) fn after_word() -> Breaks {
        Breaks {
            sentence_start: false,
            phrase_break: false,
            comma_before: false,
        }
    }

    /// Reads the punctuation between two words.
    pub(super) fn scan(&mut self, between: &str) {
        for c in between.chars() {
            if matches!(c, '.' | '!' | '?' | ':') {
                self.sentence_start = true;
                self.phrase_break = true;
            } else if !c.is_alphanumeric() && !matches!(c, '-' | '\'' | '/') {
                self.phrase_break = true;
            }
        }
        self.comma_before |= between.contains(',');
    }
}

/// Abbreviations whose full stops end no sentence.
const ABBREVIATIONS: &[&str] = &[
    "bl.a.", "t.ex.", "m.m.", "m.fl.", "dvs.", "d.v.s.", "o.s.v.", "osv.", "s.k.", "ca.", "resp.",
    "inkl.", "exkl.", "fr.o.m.", "t.o.m.", "p.g.a.", "pga.", "enl.", "jfr.", "t.ex", "bl.a",
];

/// True when `token`, without a trailing comma or semicolon, is a known
/// abbreviation (as OCR printed it: "bi.a." for "bl.a." too).
pub(super) fn is_abbreviation(token: &str) -> bool {
    let t = token.trim_end_matches([',', ';']).to_lowercase();
    ABBREVIATIONS.contains(&t.as_str()) || t == "bi.a."
}
