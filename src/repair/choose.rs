//! Lexicon choice: which real word an observed word most likely was.
//!
//! A noisy-channel choice: each reading of the observed word (from
//! `confusion`) is matched against the lexicon, and a candidate scores
//! `log10(frequency) + log10(likelihood of the damage assumed)`. A word that is
//! itself a listed word is kept unless a reading is far more likely (see
//! `margin`); a word that is not listed is restored as one word, as a compound
//! of listed parts (each part restored, "kollektivtrafikhallplatser" →
//! "kollektivtrafik|hållplatser"), or, as a last resort, with one more edit.
//! Context (`context`) may later pick another of the returned alternatives.
//! This module chooses lower-case words; case is put back by the caller.

use super::confusion::{is_lower_case_word, spellings, Ctx, Mark, Spelling};
use super::lexicon::{is_swedish_vowel, Centibels, Words};

/// How likely the OCR engine was to drop a diacritic, judged per paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Channel {
    /// log10 of the probability that an å/ä/ö came out as a plain a/o.
    pub log_drop: f32,
    /// The paragraph shows the damage of an engine without Swedish letters,
    /// so ambiguous words (ar/år/är, har/här, …) are decided by context.
    pub diacritics_lost: bool,
}

impl Channel {
    /// An OCR engine without Swedish letters: most å/ä/ö are lost (p = 0.7).
    pub const NO_SWEDISH_LETTERS: Channel = Channel {
        log_drop: -0.155,
        diacritics_lost: true,
    };

    /// Judges the channel from a paragraph: `intact` å/ä/ö letters seen, and
    /// `look_alikes` (é, 6, & inside words) seen. An engine that printed even
    /// a few intact å/ä/ö rarely drops one.
    pub fn from_evidence(intact: usize, look_alikes: usize) -> Channel {
        if intact == 0 {
            return Channel::NO_SWEDISH_LETTERS;
        }
        let p = 0.7 * (look_alikes + 1) as f32 / (intact + look_alikes + 1) as f32;
        Channel {
            log_drop: p.clamp(0.02, 0.7).log10(),
            diacritics_lost: look_alikes > intact,
        }
    }
}

/// A word the observed word may have been.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The word, lower case.
    pub word: String,
    /// log10(frequency) + log10(likelihood of the damage assumed).
    pub score: f32,
    /// Its frequency, for a listed word (`None` for a compound).
    pub cb: Option<Centibels>,
    /// The parts of a compound (empty for a listed word).
    pub parts: Vec<String>,
    /// The confusions assumed, for the edit log.
    pub notes: Vec<&'static str>,
    /// The first letter was a look-alike, so its case tells nothing.
    pub first_confused: bool,
}

/// The choice for one observed word.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The word to write instead, if any (lower case).
    pub chosen: Option<Candidate>,
    /// Frequency of the observed word itself, if it is a listed word.
    pub identity_cb: Option<Centibels>,
    /// Listed single words the observation allows, best first (the observed
    /// word included when listed).
    pub alternatives: Vec<Candidate>,
    /// Why, for the edit log (empty when nothing is chosen).
    pub reason: String,
}

/// Best score a single-word reading of an unlisted word must reach.
const SINGLE_FLOOR: f32 = -8.8;
/// Compound parts must be at least this frequent.
const PART_MAX_CB: Centibels = 700;
/// Compound parts are at least this long.
const PART_MIN_CHARS: usize = 3;
/// Score added per join between compound parts.
const JOIN: f32 = -0.5;
/// Score added for a linking -s- ("samverkan|s|forum").
const LINK_S: f32 = -0.3;
/// At most this many parts in a compound.
const MAX_PARTS: usize = 4;
/// Words longer than this are not split (in chars).
const MAX_COMPOUND_CHARS: usize = 48;
/// Score added for the one extra edit of the last-resort search.
const FALLBACK: f32 = -2.5;
/// Last-resort words must be at least this frequent.
const FALLBACK_MAX_CB: Centibels = 600;

/// How much more likely (log10) a reading must be than the observed word,
/// when the observed word is itself listed with frequency `cb`: a frequent
/// word needs a tenfold better reading, a rare one (often itself OCR noise in
/// the web-derived list, like "okar") none.
pub fn margin(cb: Centibels) -> f32 {
    ((600.0 - cb as f32) / 150.0).clamp(0.0, 1.0)
}

fn from_cb(cb: Centibels) -> f32 {
    -(cb as f32) / 100.0
}

/// log10 likelihood of `word` given a reading, or `None` when the reading
/// rules the word out.
fn channel_score(sp: &Spelling, word: &str, channel: Channel) -> Option<f32> {
    let mut score = sp.cost;
    let mut n = 0;
    for (mark, wc) in sp.marks.iter().zip(word.chars()) {
        n += 1;
        match *mark {
            Mark::Plain => {
                if is_swedish_vowel(wc) {
                    score += channel.log_drop;
                }
            }
            Mark::Diacritic => {
                if !is_swedish_vowel(wc) {
                    return None;
                }
            }
            Mark::Exact(c) => {
                if wc != c {
                    return None;
                }
            }
        }
    }
    (n == sp.marks.len()).then_some(score)
}

/// Listed single words that `chars` may stand for, best first.
fn singles(words: &Words, chars: &[char], ctx: Ctx, channel: Channel) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    for sp in spellings(chars, ctx) {
        for hit in words.by_skeleton(&sp.skel) {
            let Some(ch) = channel_score(&sp, hit.word, channel) else {
                continue;
            };
            let score = from_cb(hit.cb) + ch;
            match out.iter_mut().find(|c| c.word == hit.word) {
                Some(c) if c.score >= score => {}
                Some(c) => {
                    c.score = score;
                    c.notes.clone_from(&sp.notes);
                    c.first_confused = sp.first_confused;
                }
                None => out.push(Candidate {
                    word: hit.word.to_string(),
                    score,
                    cb: Some(hit.cb),
                    parts: Vec::new(),
                    notes: sp.notes.clone(),
                    first_confused: sp.first_confused,
                }),
            }
        }
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.word.cmp(&b.word))
    });
    out
}

/// The best compound reading of `chars`: listed parts (each restored), a
/// linking -s allowed after any part but the last.
fn compound(
    words: &Words,
    chars: &[char],
    lower_case: bool,
    channel: Channel,
) -> Option<Candidate> {
    let n = chars.len();
    if n < 2 * PART_MIN_CHARS || n > MAX_COMPOUND_CHARS {
        return None;
    }
    // best[i]: the best split of chars[..i].
    let mut best: Vec<Option<(f32, Vec<Candidate>)>> = vec![None; n + 1];
    best[0] = Some((0.0, Vec::new()));
    for j in PART_MIN_CHARS..=n {
        let last = j == n;
        for i in 0..=j - PART_MIN_CHARS {
            let Some((prefix_score, prefix_parts)) = best[i].clone() else {
                continue;
            };
            if prefix_parts.len() >= MAX_PARTS || (i == 0 && last) {
                continue;
            }
            let Some(part) = best_part(words, &chars[i..j], i == 0, last, lower_case, channel)
            else {
                continue;
            };
            let score = prefix_score + part.score + if i > 0 { JOIN } else { 0.0 };
            if best[j].as_ref().map_or(true, |(s, _)| score > *s) {
                let mut parts = prefix_parts;
                parts.push(part);
                best[j] = Some((score, parts));
            }
        }
    }
    let (score, parts) = best[n].take()?;
    let word: String = parts.iter().map(|p| p.word.as_str()).collect();
    Some(Candidate {
        word,
        score,
        cb: None,
        notes: parts.iter().flat_map(|p| p.notes.iter().copied()).collect(),
        first_confused: parts.first().is_some_and(|p| p.first_confused),
        parts: parts.into_iter().map(|p| p.word).collect(),
    })
}

/// The best listed word for one compound part, with a linking -s when not last.
fn best_part(
    words: &Words,
    chars: &[char],
    first: bool,
    last: bool,
    lower_case: bool,
    channel: Channel,
) -> Option<Candidate> {
    let ctx = Ctx {
        word_start: first,
        lower_case,
    };
    let ok = |c: &Candidate| c.cb.is_some_and(|cb| cb <= PART_MAX_CB);
    let mut best = singles(words, chars, ctx, channel).into_iter().find(ok);
    if !last && chars.len() > PART_MIN_CHARS && chars.last() == Some(&'s') {
        let stem = &chars[..chars.len() - 1];
        if let Some(mut c) = singles(words, stem, ctx, channel).into_iter().find(ok) {
            c.score += LINK_S;
            c.word.push('s');
            if best.as_ref().map_or(true, |b| c.score > b.score) {
                best = Some(c);
            }
        }
    }
    best
}

/// Last resort for an unlisted word: one more edit on top of the confusions.
/// A word with look-alike letters may get any one substitution, insertion or
/// deletion ("Eérvaltningen" → "förvaltningen"); any other word only an
/// inserted a/o, for an å/ä/ö the engine left out ("frgan" → "frågan").
fn fallback(words: &Words, chars: &[char], ctx: Ctx, channel: Channel) -> Option<Candidate> {
    if chars.len() < 5 {
        return None;
    }
    let look_alike = chars
        .iter()
        .any(|c| matches!(c, 'é' | '6' | '&' | '|') || (c.is_uppercase() && ctx.lower_case));
    let mut best: Option<Candidate> = None;
    for sp in spellings(chars, ctx).into_iter().take(3) {
        let skel: Vec<char> = sp.skel.chars().collect();
        let mut tries: Vec<(String, Vec<Mark>)> = Vec::new();
        let letters: &[char] = if look_alike {
            &[
                'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p',
                'r', 's', 't', 'u', 'v', 'y',
            ]
        } else {
            &['a', 'o']
        };
        for pos in 0..=skel.len() {
            for &l in letters {
                let mut s = skel.clone();
                let mut m = sp.marks.clone();
                s.insert(pos, l);
                m.insert(pos, Mark::Plain);
                tries.push((s.into_iter().collect(), m));
                if look_alike && pos < skel.len() && skel[pos] != l {
                    let mut s = skel.clone();
                    let mut m = sp.marks.clone();
                    s[pos] = l;
                    m[pos] = Mark::Plain;
                    tries.push((s.into_iter().collect(), m));
                }
            }
            if look_alike && pos < skel.len() {
                let mut s = skel.clone();
                let mut m = sp.marks.clone();
                s.remove(pos);
                m.remove(pos);
                tries.push((s.into_iter().collect(), m));
            }
        }
        for (s, marks) in tries {
            let edited = Spelling {
                skel: s,
                marks,
                ..sp.clone()
            };
            for hit in words.by_skeleton(&edited.skel) {
                if hit.cb > FALLBACK_MAX_CB {
                    continue;
                }
                let Some(ch) = channel_score(&edited, hit.word, channel) else {
                    continue;
                };
                let score = from_cb(hit.cb) + ch + FALLBACK;
                if best.as_ref().map_or(true, |b| score > b.score) {
                    let mut notes = sp.notes.clone();
                    notes.push("one letter misread or lost");
                    best = Some(Candidate {
                        word: hit.word.to_string(),
                        score,
                        cb: Some(hit.cb),
                        parts: Vec::new(),
                        notes,
                        first_confused: sp.first_confused,
                    });
                }
            }
        }
    }
    best
}

fn describe(c: &Candidate) -> String {
    let how = match c.cb {
        Some(cb) => format!("'{}' (cB {cb})", c.word),
        None => format!("compound '{}'", c.parts.join("|")),
    };
    if c.notes.is_empty() {
        format!("{how}, diacritics lost")
    } else {
        let mut notes = c.notes.clone();
        notes.dedup();
        format!("{how}, {}", notes.join(", "))
    }
}

/// Chooses the word that `observed` (a run of letters and look-alikes, no
/// spaces or punctuation) most likely was.
pub fn decide(words: &Words, observed: &str, channel: Channel) -> Decision {
    let chars: Vec<char> = observed.chars().collect();
    let lower_case = is_lower_case_word(&chars);
    let ctx = Ctx {
        word_start: true,
        lower_case,
    };
    let lower = observed.to_lowercase();
    let alternatives = singles(words, &chars, ctx, channel);
    let plain = chars.iter().all(|c| c.is_alphabetic());
    let identity_cb = if plain { words.cb(&lower) } else { None };
    let mut decision = Decision {
        chosen: None,
        identity_cb,
        alternatives,
        reason: String::new(),
    };
    if let Some(icb) = identity_cb {
        let id_score = from_cb(icb);
        if let Some(best) = decision.alternatives.first() {
            if best.word != lower && best.score - id_score > margin(icb) {
                decision.reason = format!(
                    "lexicon: {} over '{lower}' (cB {icb}), {:.1} more likely",
                    describe(best),
                    best.score - id_score
                );
                decision.chosen = Some(best.clone());
            }
        }
        return decision;
    }
    let single = decision
        .alternatives
        .first()
        .filter(|c| c.score >= SINGLE_FLOOR)
        .cloned();
    let split = compound(words, &chars, lower_case, channel);
    let best = match (single, split) {
        (Some(s), Some(c)) => Some(if c.score > s.score { c } else { s }),
        (s, c) => s.or(c),
    };
    let best = best.or_else(|| fallback(words, &chars, ctx, channel));
    if let Some(best) = best {
        if best.word != lower {
            decision.reason = format!("lexicon: {} over '{lower}' (not a word)", describe(&best));
            decision.chosen = Some(best);
        }
    }
    decision
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repair::lexicon::{embedded, Lexicon};

    fn pick(observed: &str) -> String {
        let extra = Lexicon::default();
        let words = Words {
            base: embedded(),
            extra: &extra,
        };
        decide(&words, observed, Channel::NO_SWEDISH_LETTERS)
            .chosen
            .map_or_else(|| observed.to_lowercase(), |c| c.word)
    }

    #[test]
    fn dropped_diacritics_are_restored() {
        assert_eq!(pick("atgarder"), "åtgärder");
        assert_eq!(pick("Goteborgs"), "göteborgs");
        assert_eq!(pick("fragor"), "frågor");
        assert_eq!(pick("Ar"), "är");
        assert_eq!(pick("for"), "för");
        assert_eq!(pick("pa"), "på");
    }

    #[test]
    fn look_alikes_are_restored() {
        assert_eq!(pick("Malomréade"), "målområde");
        assert_eq!(pick("G6teborgs"), "göteborgs");
        assert_eq!(pick("&r"), "är");
        assert_eq!(pick("behdver"), "behöver");
        assert_eq!(pick("I6pande"), "löpande");
        assert_eq!(pick("mdjlighet"), "möjlighet");
        assert_eq!(pick("pAgdende"), "pågående");
        assert_eq!(pick("ing&r"), "ingår");
        assert_eq!(pick("géllande"), "gällande");
        assert_eq!(pick("anvéanda"), "använda");
        assert_eq!(pick("forméaga"), "förmåga");
        assert_eq!(pick("6kat"), "ökat");
        assert_eq!(pick("oseriésa"), "oseriösa");
        assert_eq!(pick("tréaffar"), "träffar");
    }

    #[test]
    fn compounds_are_restored_part_by_part() {
        assert_eq!(
            pick("kollektivtrafikhallplatser"),
            "kollektivtrafikhållplatser"
        );
        assert_eq!(pick("lagesbilder"), "lägesbilder");
        assert_eq!(pick("malgruppsanalyser"), "målgruppsanalyser");
    }

    #[test]
    fn unlisted_correct_compounds_stay() {
        assert_eq!(pick("samverkansforum"), "samverkansforum");
        assert_eq!(pick("trygghetsskapande"), "trygghetsskapande");
    }

    #[test]
    fn frequent_words_stay() {
        for w in [
            "har", "var", "vara", "satt", "bor", "stod", "ok", "arbetat", "Profing", "Embrace",
        ] {
            assert_eq!(pick(w), w.to_lowercase(), "{w}");
        }
    }

    #[test]
    fn last_resort_finds_one_more_edit() {
        assert_eq!(pick("Eérvaltningen"), "förvaltningen");
        assert_eq!(pick("frgan"), "frågan");
    }

    #[test]
    fn intact_letters_are_kept() {
        assert_eq!(pick("är"), "är");
        assert_eq!(pick("kåren"), "kåren");
    }

    #[test]
    fn evidence_of_intact_letters_lowers_drop_rate() {
        let c = Channel::from_evidence(10, 0);
        assert!(c.log_drop < -1.0 && !c.diacritics_lost);
        assert_eq!(Channel::from_evidence(0, 3), Channel::NO_SWEDISH_LETTERS);
    }
}
