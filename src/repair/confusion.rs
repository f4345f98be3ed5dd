//! OCR character confusions: which Swedish spellings an observed word may
//! stand for.
//!
//! An OCR engine trained for English has no å, ä or ö. It drops their dots
//! and ring ("atgarder"), or prints a look-alike: é, 6, &, d, a capital A or
//! O inside a word, "éa" or "Aa" for one letter ("Malomréade"), and it mixes
//! up l, I and |. This module turns an observed word into *spellings*: strings
//! in the skeleton alphabet (see `lexicon::skeleton`) with, per letter, what
//! the real letter may be and how likely that confusion is. It does not look
//! anything up; `choose` matches spellings against the lexicon.

/// What an observed letter allows the real letter to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    /// The letter as printed, or, for a and o, å/ä/ö with their diacritics
    /// dropped.
    Plain,
    /// A look-alike that stands for å/ä (skeleton `a`) or ö (skeleton `o`):
    /// the real letter must have its diacritic.
    Diacritic,
    /// Exactly this character (an intact å/ä/ö, an é, a digit).
    Exact(char),
}

/// One reading of an observed word.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spelling {
    /// The reading in the skeleton alphabet: lower case, å/ä as `a`, ö as `o`.
    pub skel: String,
    /// One mark per character of `skel`.
    pub marks: Vec<Mark>,
    /// log10 of the likelihood of the confusions assumed (0 = none).
    pub cost: f32,
    /// The confusions assumed, for the edit log.
    pub notes: Vec<&'static str>,
    /// The first letter was a look-alike of another letter (I for l, G for
    /// ö, 6 for ö, …), so its case tells nothing.
    pub first_confused: bool,
}

/// Where the observed letters sit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ctx {
    /// The first observed letter starts the word (not a later compound part).
    pub word_start: bool,
    /// The word is written in lower case (possibly capitalised), so capital
    /// letters inside it are look-alikes rather than an acronym.
    pub lower_case: bool,
}

/// Cost of a printed d standing for å/ä/ö: d is a real letter too.
const COST_D: f32 = -1.7;
/// Cost of reading a look-alike the other, less likely way.
const COST_OTHER: f32 = -1.0;
/// Readings whose confusions cost less than this are not considered.
pub(crate) const COST_FLOOR: f32 = -3.5;
/// At most this many spellings are generated per word.
const MAX_SPELLINGS: usize = 64;

/// One way to read the observed characters starting at some position.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Opt {
    /// How many observed characters it reads (2 for "éa", "Aa", "oé").
    pub consume: usize,
    /// The skeleton character read.
    pub skel: char,
    /// What the real letter may be.
    pub mark: Mark,
    /// log10 likelihood of this reading.
    pub cost: f32,
    /// The confusion assumed, if any.
    pub note: Option<&'static str>,
}

fn opt(consume: usize, skel: char, mark: Mark, cost: f32, note: Option<&'static str>) -> Opt {
    Opt {
        consume,
        skel,
        mark,
        cost,
        note,
    }
}

/// True when `chars` form a word in lower case (perhaps capitalised), as
/// opposed to an all-capitals acronym.
pub(crate) fn is_lower_case_word(chars: &[char]) -> bool {
    chars.iter().any(|c| c.is_lowercase())
}

/// The learned confusion table (see `tools/repair/learn_confusions.py`):
/// one-letter substitutions counted in the dev split's raw OCR.
const LEARNED_TSV: &str = include_str!("../../data/repair/ocr_confusions.tsv");

/// Printed characters whose readings are the hand-written ones of
/// [`options`]; the learned table adds nothing to them.
const HAND_READ: &[char] = &[
    'é', 'É', '6', '&', 'd', 'A', 'O', 'I', 'G', '|', '\\', '[', '{', '!',
];

/// One learned confusion: `printed` on the page stood for `meant`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Learned {
    /// The character the OCR printed.
    pub printed: char,
    /// The letter it stood for.
    pub meant: char,
    /// log10 P(printed | meant) in the dev split.
    pub cost: f32,
    /// For the edit log, e.g. "4 read for ä (learned)".
    pub note: String,
}

/// Parses the learned table: `printed<TAB>meant<TAB>count<TAB>log10 p`,
/// `#` comments. Rows that are not one character each, or whose meant
/// character is not a letter, are skipped (the table's own test checks that
/// none is).
pub(crate) fn parse_learned(text: &str) -> Vec<Learned> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut f = l.split('\t');
            let printed = single_char(f.next()?)?;
            let meant = single_char(f.next()?)?;
            let _count = f.next()?;
            let cost: f32 = f.next()?.trim().parse().ok()?;
            meant.is_alphabetic().then(|| Learned {
                printed,
                meant,
                cost,
                note: format!("{printed} read for {meant} (learned)"),
            })
        })
        .collect()
}

fn single_char(s: &str) -> Option<char> {
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// The embedded learned table, parsed once.
pub(crate) fn learned() -> &'static [Learned] {
    static TABLE: std::sync::OnceLock<Vec<Learned>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| parse_learned(LEARNED_TSV))
}

/// Learned confusions of a printed letter rarer than this (1 in 300) are
/// not tried: a letter is most often itself, and rare swaps mostly turn
/// right words into wrong ones ("Älvstaden" read as "Älvsladen").
const LEARNED_LETTER_MIN_COST: f32 = -2.5;

/// Words shorter than this get no learned letter-for-letter readings: too
/// many short words are one swap from another ("ioff" is no "loff").
const LEARNED_LETTER_MIN_WORD: usize = 5;

/// How unlikely a learned reading of `c` may be: a printed letter is itself
/// far more often than not; a digit or sign inside a word is surely a
/// misread letter, so any learned reading of it is tried.
fn min_cost(c: char) -> f32 {
    if c.is_alphabetic() {
        LEARNED_LETTER_MIN_COST
    } else {
        COST_FLOOR
    }
}

/// The learned readings of `c` that the hand-written ones lack: only inside
/// lower-case words, never for a hand-read look-alike, and never the plain
/// loss of a diacritic (a/o for å/ä/ö, which every reading allows).
fn learned_options(c: char, ctx: Ctx) -> impl Iterator<Item = Opt> {
    let usable = ctx.lower_case && !HAND_READ.contains(&c);
    learned()
        .iter()
        .filter(move |l| usable && l.printed == c && l.cost >= min_cost(c))
        .filter(|l| super::lexicon::skeleton_char(l.meant) != l.printed)
        .map(|l| {
            let meant = l.meant.to_lowercase().next().unwrap_or(l.meant);
            let skel = super::lexicon::skeleton_char(meant);
            let mark = if super::lexicon::is_swedish_vowel(meant) {
                Mark::Diacritic
            } else {
                Mark::Plain
            };
            opt(1, skel, mark, l.cost, Some(l.note.as_str()))
        })
}

/// The readings of the observed character at `i`: the hand-written
/// look-alikes, then the learned ones.
pub(crate) fn options(chars: &[char], i: usize, ctx: Ctx) -> Vec<Opt> {
    let mut v = hand_options(chars, i, ctx);
    let c = chars[i];
    if chars.len() >= LEARNED_LETTER_MIN_WORD || !c.is_alphabetic() {
        v.extend(learned_options(c, ctx));
    }
    v
}

/// The hand-written readings of the observed character at `i`.
fn hand_options(chars: &[char], i: usize, ctx: Ctx) -> Vec<Opt> {
    use Mark::{Diacritic, Exact, Plain};
    let c = chars[i];
    let next = chars.get(i + 1).copied();
    let first = i == 0 && ctx.word_start;
    let next_lower = next.is_some_and(char::is_lowercase);
    match c {
        'é' | 'É' => {
            let mut v = vec![
                opt(1, 'é', Exact('é'), 0.0, None),
                opt(1, 'a', Diacritic, 0.0, Some("é read for ä/å")),
                opt(1, 'o', Diacritic, 0.0, Some("é read for ö")),
            ];
            if matches!(next, Some('a' | 'A')) {
                v.push(opt(2, 'a', Diacritic, 0.0, Some("éa read for å/ä")));
            }
            v
        }
        'o' if matches!(next, Some('é')) => vec![
            opt(1, 'o', Plain, 0.0, None),
            opt(2, 'o', Diacritic, 0.0, Some("oé read for ö")),
        ],
        // The ö and its dots read as two characters: "trygghetsunders6ékning".
        '6' if next == Some('é') => vec![
            opt(1, 'o', Diacritic, 0.0, Some("6 read for ö")),
            opt(2, 'o', Diacritic, 0.0, Some("6é read for ö")),
        ],
        '6' => vec![opt(1, 'o', Diacritic, 0.0, Some("6 read for ö"))],
        // The two dots of ä read as letters: "samhiillsstrukturer".
        'i' if next == Some('i') && ctx.lower_case => vec![
            opt(1, 'i', Plain, 0.0, None),
            opt(2, 'a', Diacritic, COST_OTHER, Some("ii read for ä")),
        ],
        'a' if next == Some('i') && ctx.lower_case => vec![
            opt(1, 'a', Plain, 0.0, None),
            opt(2, 'a', Diacritic, -1.5, Some("ai read for ä")),
        ],
        '&' => vec![opt(1, 'a', Diacritic, 0.0, Some("& read for ä/å"))],
        'd' if ctx.lower_case => {
            let mut v = vec![
                opt(1, 'd', Plain, 0.0, None),
                opt(1, 'a', Diacritic, COST_D, Some("d read for å/ä")),
                opt(1, 'o', Diacritic, COST_D, Some("d read for ö")),
            ];
            if next == Some('é') {
                // "behdéver": the ö as d and its dots as é.
                v.push(opt(2, 'o', Diacritic, 0.0, Some("dé read for ö")));
            }
            v
        }
        'A' if !first && ctx.lower_case => {
            let mut v = vec![
                opt(1, 'a', Diacritic, 0.0, Some("A read for å/ä")),
                opt(1, 'a', Plain, COST_OTHER, None),
            ];
            if next == Some('a') {
                v.push(opt(2, 'a', Diacritic, 0.0, Some("Aa read for å")));
            }
            v
        }
        'O' if !first && ctx.lower_case => vec![
            opt(1, 'o', Diacritic, 0.0, Some("O read for ö")),
            opt(1, 'o', Plain, COST_OTHER, None),
        ],
        'I' if first && next_lower => vec![
            opt(1, 'i', Plain, 0.0, None),
            opt(1, 'l', Plain, COST_OTHER, Some("I read for l")),
        ],
        'I' if ctx.lower_case => vec![
            opt(1, 'l', Plain, 0.0, Some("I read for l")),
            opt(1, 'i', Plain, COST_OTHER, None),
        ],
        '|' if first => vec![
            opt(1, 'i', Plain, 0.0, Some("| read for I")),
            opt(1, 'l', Plain, 0.0, Some("| read for l")),
        ],
        '|' => vec![opt(1, 'l', Plain, 0.0, Some("| read for l"))],
        '\\' => vec![opt(1, 'l', Plain, 0.0, Some("\\ read for l"))],
        '[' | '{' | '!' if first => vec![opt(1, 'l', Plain, 0.0, Some("bracket read for l"))],
        'G' if first && next_lower => vec![
            opt(1, 'g', Plain, 0.0, None),
            opt(1, 'o', Diacritic, -1.5, Some("G read for ö")),
        ],
        // A capital G inside a lower-case word: "underentreprenGrer".
        'G' if !first && ctx.lower_case => vec![
            opt(1, 'o', Diacritic, 0.0, Some("G read for ö")),
            opt(1, 'g', Plain, COST_OTHER, None),
        ],
        'å' | 'ä' | 'ö' | 'Å' | 'Ä' | 'Ö' => {
            let lower = c.to_lowercase().next().unwrap_or(c);
            vec![opt(
                1,
                super::lexicon::skeleton_char(c),
                Exact(lower),
                0.0,
                None,
            )]
        }
        c if c.is_alphabetic() => vec![opt(1, super::lexicon::skeleton_char(c), Plain, 0.0, None)],
        c => vec![opt(1, c, Exact(c), 0.0, None)],
    }
}

/// True when the character at `i` of an observed word is a look-alike whose
/// case is meaningless (so the word's case is told by position instead).
pub(crate) fn is_case_blind(c: char) -> bool {
    matches!(
        c,
        '6' | '4' | '@' | '&' | '|' | '\\' | 'I' | 'G' | '[' | '{' | '!'
    )
}

/// The readings of an observed word (or part of one), most likely first.
///
/// The first reading assumes no confusion where one is optional. At most
/// `MAX_SPELLINGS` readings are returned, none costlier than `COST_FLOOR`.
pub(crate) fn spellings(chars: &[char], ctx: Ctx) -> Vec<Spelling> {
    let mut out = Vec::new();
    let mut partial = Spelling {
        skel: String::with_capacity(chars.len()),
        marks: Vec::with_capacity(chars.len()),
        cost: 0.0,
        notes: Vec::new(),
        first_confused: false,
    };
    expand(chars, 0, ctx, &mut partial, &mut out);
    out.sort_by(|a, b| b.cost.total_cmp(&a.cost));
    out.truncate(MAX_SPELLINGS);
    out
}

fn expand(chars: &[char], i: usize, ctx: Ctx, partial: &mut Spelling, out: &mut Vec<Spelling>) {
    if out.len() >= 4 * MAX_SPELLINGS {
        return;
    }
    if i >= chars.len() {
        out.push(partial.clone());
        return;
    }
    for o in options(chars, i, ctx) {
        let cost = partial.cost + o.cost;
        if cost < COST_FLOOR {
            continue;
        }
        let saved_cost = partial.cost;
        let saved_first = partial.first_confused;
        partial.skel.push(o.skel);
        partial.marks.push(o.mark);
        partial.cost = cost;
        if let Some(n) = o.note {
            partial.notes.push(n);
            if i == 0 && ctx.word_start && is_case_blind(chars[0]) {
                partial.first_confused = true;
            }
        }
        expand(chars, i + o.consume, ctx, partial, out);
        partial.skel.pop();
        partial.marks.pop();
        if o.note.is_some() {
            partial.notes.pop();
        }
        partial.cost = saved_cost;
        partial.first_confused = saved_first;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skels(word: &str) -> Vec<String> {
        let chars: Vec<char> = word.chars().collect();
        let ctx = Ctx {
            word_start: true,
            lower_case: is_lower_case_word(&chars),
        };
        spellings(&chars, ctx).into_iter().map(|s| s.skel).collect()
    }

    #[test]
    fn plain_word_has_one_reading() {
        assert_eq!(skels("trygghet"), vec!["trygghet".to_string()]);
    }

    #[test]
    fn look_alikes_become_diacritic_letters() {
        assert!(skels("G6teborgs").contains(&"goteborgs".to_string()));
        assert!(skels("ing&r").contains(&"ingar".to_string()));
        assert!(skels("Malomréade").contains(&"malomrade".to_string()));
        assert!(skels("MAalomrade").contains(&"malomrade".to_string()));
        assert!(skels("pAgdende").contains(&"pagaende".to_string()));
        assert!(skels("Goéteborg").contains(&"goteborg".to_string()));
        assert!(skels("behdver").contains(&"behover".to_string()));
        assert!(skels("behdéver").contains(&"behover".to_string()));
        assert!(skels("unders6ékning").contains(&"undersokning".to_string()));
        assert!(skels("underentreprenGrer").contains(&"underentreprenorer".to_string()));
    }

    #[test]
    fn capital_i_may_be_l() {
        assert!(skels("I6pande").contains(&"lopande".to_string()));
        assert!(skels("Gver").contains(&"over".to_string()));
    }

    #[test]
    fn forced_look_alike_marks_diacritic() {
        let chars: Vec<char> = "&r".chars().collect();
        let ctx = Ctx {
            word_start: true,
            lower_case: true,
        };
        let s = spellings(&chars, ctx);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].marks, vec![Mark::Diacritic, Mark::Plain]);
        assert!(s[0].first_confused);
    }

    #[test]
    fn acronym_capitals_are_not_look_alikes() {
        assert_eq!(skels("IOFF"), vec!["ioff"]);
    }

    #[test]
    fn the_learned_table_parses_whole() {
        let rows = LEARNED_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter(|l| {
                l.split('\t')
                    .nth(1)
                    .and_then(single_char)
                    .is_some_and(char::is_alphabetic)
            })
            .count();
        assert!(rows > 10, "{rows} rows");
        assert_eq!(learned().len(), rows);
        assert!(learned().iter().all(|l| l.cost <= 0.0));
    }

    #[test]
    fn learned_confusions_add_readings() {
        assert!(skels("Forvaitningen").contains(&"forvaltningen".to_string()));
        assert!(skels("4r").contains(&"ar".to_string()));
        assert!(skels("m@jligheter").contains(&"mojligheter".to_string()));
        // Not in an all-capitals acronym.
        assert_eq!(skels("IAIL"), vec!["iail"]);
    }

    #[test]
    fn many_ds_stay_bounded() {
        let chars: Vec<char> = "dddddddddddd".chars().collect();
        let ctx = Ctx {
            word_start: true,
            lower_case: true,
        };
        let s = spellings(&chars, ctx);
        assert!(!s.is_empty() && s.len() <= MAX_SPELLINGS);
        assert_eq!(s[0].skel, "dddddddddddd");
    }
}
