//! Folding words to matching keys, and fuzzy similarity between keys.
//!
//! A key is what OCR damage cannot change much: lowercase letters and
//! digits, with å/ä/ö and the characters English-model OCR reads for them
//! (é, 6, &, …) folded to plain vowels. Keys are for matching only; they
//! never reach the output.

use crate::model::Code;

/// The key character for a letter OCR garbled from å, ä or ö: it matches
/// any vowel of a short word in [`similarity`].
pub(crate) const WILD: char = '*';

/// The matching key of a word: lowercase, diacritics and common OCR
/// confusions folded, punctuation dropped.
pub(crate) fn key(word: &str) -> String {
    if word.is_ascii() {
        return ascii_key(word.as_bytes());
    }
    char_key(word)
}

/// [`key`] of any word, a character at a time.
fn char_key(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars();
    let mut letter_before = false;
    while let Some(c) = chars.next() {
        let letter_around =
            || letter_before || chars.clone().next().is_some_and(char::is_alphabetic);
        let folded = match c {
            'å' | 'ä' | 'á' | 'à' | 'â' | 'ã' | 'Å' | 'Ä' | 'Á' | 'À' | 'Â' => Some('a'),
            'ö' | 'ó' | 'ò' | 'ô' | 'õ' | 'ø' | 'Ö' | 'Ó' | 'Ò' | 'Ô' | 'Ø' => Some('o'),
            // é is what English-model OCR reads for å, ä and ö alike.
            'é' | 'è' | 'ê' | 'É' | 'È' | 'Ê' => Some(WILD),
            'ë' => Some('e'),
            'ü' | 'ú' | 'ù' | 'Ü' => Some('u'),
            'í' | 'ì' | 'î' | 'ï' => Some('i'),
            // English-model OCR reads ö as 6 and ä/å as & inside words.
            '6' | '&' if letter_around() => Some(WILD),
            '|' if letter_around() => Some('i'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            c if c.is_alphanumeric() => {
                out.extend(c.to_lowercase());
                None
            }
            _ => None,
        };
        out.extend(folded);
        letter_before = c.is_alphabetic();
    }
    out
}

/// [`key`] of an ASCII word (most words of a report), byte by byte: the
/// same folding without collecting its characters first.
fn ascii_key(word: &[u8]) -> String {
    let letter_at = |j: Option<usize>| {
        j.and_then(|j| word.get(j))
            .is_some_and(u8::is_ascii_alphabetic)
    };
    let mut out = String::with_capacity(word.len());
    for (i, &b) in word.iter().enumerate() {
        let letter_around = || letter_at(i.checked_sub(1)) || letter_at(Some(i + 1));
        match b {
            b'6' | b'&' if letter_around() => out.push(WILD),
            b'|' if letter_around() => out.push('i'),
            b if b.is_ascii_alphanumeric() => out.push(char::from(b.to_ascii_lowercase())),
            _ => {}
        }
    }
    out
}

/// Similarity of two keys in 0..=1, 0 when they are too different to be
/// OCR variants of each other.
pub(crate) fn similarity(a: &str, b: &str) -> f32 {
    similarity_measured(Measured::new(a), Measured::new(b))
}

/// A key with what [`similarity`] measures of it on every comparison, for
/// callers that compare each key with many others.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Measured<'a> {
    /// The key.
    pub key: &'a str,
    /// Its length in characters.
    chars: usize,
    /// Its [`letter_mask`].
    mask: u64,
}

impl<'a> Measured<'a> {
    /// Measures `key`.
    pub(crate) fn new(key: &'a str) -> Measured<'a> {
        Measured {
            key,
            // Keys are folded to ASCII but for a few letters: count bytes
            // where that is exact.
            chars: if key.is_ascii() {
                key.len()
            } else {
                key.chars().count()
            },
            mask: letter_mask(key),
        }
    }
}

/// [`similarity`] of two measured keys.
pub(crate) fn similarity_measured(a: Measured, b: Measured) -> f32 {
    let (
        Measured {
            key: a,
            chars: la,
            mask: ma,
        },
        Measured {
            key: b,
            chars: lb,
            mask: mb,
        },
    ) = (a, b);
    if a == b {
        return if a.is_empty() { 0.0 } else { 1.0 };
    }
    if la == lb
        && (a.contains(WILD) || b.contains(WILD))
        && a.chars()
            .zip(b.chars())
            .all(|(x, y)| x == y || wild_vowel(x, y))
    {
        return 0.95;
    }
    let short = la.min(lb);
    // Short words: one vowel read as another (English-model OCR's "far" for
    // "för") or "d" for "ö" ("bdr" for "bör") is still the same word.
    if la == lb && (3..=5).contains(&la) {
        // Exactly one position differs (counted without allocating: the
        // similarity table runs this for every pair of short words).
        let mut diffs = a.chars().zip(b.chars()).filter(|(x, y)| x != y);
        if let (Some((x, y)), None) = (diffs.next(), diffs.next()) {
            let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | WILD);
            if (vowel(x) && vowel(y)) || matches!((x, y), ('d', 'o') | ('o', 'd')) {
                return 0.8;
            }
        }
    }
    if short <= 2 || la.abs_diff(lb) * 3 > la.max(lb) {
        return 0.0;
    }
    // Within 30 % edits few letters can differ: skip the edit distance for
    // the many pairs that are plainly different words.
    if (ma ^ mb).count_ones() as usize > 2 + la.max(lb) / 2 {
        return 0.0;
    }
    // Both keys are non-empty here, so this is strsim's normalised
    // Levenshtein. A distance above `limit` puts the similarity below
    // 0.7 - 2/len, under every threshold, so the count may stop there.
    let longest = la.max(lb);
    let limit = (longest * 3).div_ceil(10) + 1;
    let Some(distance) = levenshtein_within(a, b, lb, limit) else {
        return 0.0;
    };
    let sim = (1.0 - distance as f64 / longest as f64) as f32;
    let threshold = if short <= 4 { 0.74 } else { 0.7 };
    if sim >= threshold {
        sim
    } else {
        0.0
    }
}

/// strsim's `normalized_levenshtein` (1 minus the edit distance over the
/// longer length, in characters), counted bit-parallel when `b` is ASCII
/// and at most 64 bytes long: the table-header test compares every line
/// with its forms.
pub(crate) fn normalized_levenshtein(a: &str, b: &str) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let longest = a.chars().count().max(b.chars().count());
    let distance = if (1..=64).contains(&b.len()) && b.is_ascii() {
        bit_parallel_levenshtein(a, b.as_bytes())
    } else {
        strsim::levenshtein(a, b)
    };
    1.0 - distance as f64 / longest as f64
}

/// The Levenshtein distance in characters between `a` and `b` (`lb`
/// characters long) if it is at most `limit`, else `None`: the row-by-row
/// count stops as soon as every row entry exceeds `limit`, since the
/// distance is never below a row's minimum. The similarity table runs this
/// for most pairs of document and template keys.
fn levenshtein_within(a: &str, b: &str, lb: usize, limit: usize) -> Option<usize> {
    const MAX: usize = 64;
    if lb >= MAX {
        let d = strsim::levenshtein(a, b);
        return (d <= limit).then_some(d);
    }
    if lb > 0 && b.is_ascii() {
        let d = bit_parallel_levenshtein(a, b.as_bytes());
        return (d <= limit).then_some(d);
    }
    let mut chars = ['\0'; MAX];
    for (slot, c) in chars.iter_mut().zip(b.chars()) {
        *slot = c;
    }
    let b = &chars[..lb];
    let mut row = [0usize; MAX + 1];
    for (j, v) in row.iter_mut().enumerate().take(lb + 1) {
        *v = j;
    }
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        let mut least = row[0];
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
            least = least.min(row[j + 1]);
        }
        if least > limit {
            return None;
        }
    }
    Some(row[lb]).filter(|&d| d <= limit)
}

/// The Levenshtein distance in characters between `a` and the ASCII `b`
/// (1 to 64 bytes), a column of the count at a time in the bits of a word:
/// Myers' bit-vector algorithm as Hyyrö formulates it for the distance
/// between whole strings ("Explaining and extending the bit-parallel
/// approximate string matching algorithm of Myers", 2001). A character of
/// `a` outside ASCII matches nothing in `b`.
fn bit_parallel_levenshtein(a: &str, b: &[u8]) -> usize {
    debug_assert!((1..=64).contains(&b.len()) && b.is_ascii());
    // peq[c]: the positions of `c` in `b`.
    let mut peq = [0u64; 128];
    for (k, &c) in b.iter().enumerate() {
        peq[usize::from(c)] |= 1 << k;
    }
    let last = 1u64 << (b.len() - 1);
    // Vertical deltas of the current column, +1 and -1.
    let (mut pv, mut mv) = (u64::MAX >> (64 - b.len()), 0u64);
    let mut distance = b.len();
    for c in a.chars() {
        let eq = if c.is_ascii() { peq[c as usize] } else { 0 };
        let xv = eq | mv;
        let xh = ((eq & pv).wrapping_add(pv) ^ pv) | eq;
        let ph = mv | !(xh | pv);
        let mh = pv & xh;
        if ph & last != 0 {
            distance += 1;
        } else if mh & last != 0 {
            distance -= 1;
        }
        // The first row counts up by one a character of `a`.
        let ph = ph << 1 | 1;
        let mh = mh << 1;
        pv = mh | !(xv | ph);
        mv = ph & xv;
    }
    distance
}

fn wild_vowel(x: char, y: char) -> bool {
    let vowel = |c: char| matches!(c, 'a' | 'o' | 'e' | WILD);
    (x == WILD && vowel(y)) || (y == WILD && vowel(x))
}

/// A cheap pre-filter for [`similarity`]: a bit per letter present. Two
/// words within the edit distance that `similarity` accepts differ in few bits.
pub(crate) fn letter_mask(key: &str) -> u64 {
    key.chars().fold(0u64, |m, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + (c as u32 - '0' as u32),
            _ => 36 + (c as u32 % 28),
        };
        m | (1u64 << bit)
    })
}

/// True when `part` (≥ 3 chars) is a prefix or suffix of `whole`: the
/// pieces OCR makes of a word it splits ("gang alitet").
pub(crate) fn is_fragment_of(part: &str, whole: &str) -> bool {
    part.len() >= 3
        && part.len() < whole.len()
        && (whole.starts_with(part) || whole.ends_with(part))
}

/// Reads a code token such as "1:1", "4:6.", "l:l" (OCR for 1:1), "(3:2)".
pub(crate) fn code_token(word: &str) -> Option<Code> {
    let trimmed = word.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | '.' | ',' | ';'));
    let (a, b) = trimmed.split_once([':', ';'])?;
    let digits = |s: &str| -> Option<u16> {
        if s.is_empty() || s.chars().count() > 2 {
            return None;
        }
        let mut n: u16 = 0;
        for c in s.chars() {
            let d = match c {
                '0'..='9' => c as u16 - '0' as u16,
                'l' | 'I' | '|' | 'i' => 1,
                'O' | 'o' => 0,
                _ => return None,
            };
            n = n * 10 + d;
        }
        Some(n)
    };
    let (major, minor) = (digits(a)?, digits(b)?);
    // A code has at least one real digit; "l:l" alone is accepted since
    // OCR writes it for "1:1", but "i:o" is not a code.
    let real_digit = trimmed.chars().any(|c| c.is_ascii_digit());
    if !real_digit && !trimmed.chars().all(|c| matches!(c, 'l' | 'I' | '|' | ':')) {
        return None;
    }
    (major > 0 && minor > 0).then(|| Code::new(major, minor))
}

/// True for tokens OCR makes of lines and specks: punctuation only, or a
/// lone letter that is not a Swedish word.
pub(crate) fn is_noise(word: &str) -> bool {
    let alnum: Vec<char> = word.chars().filter(|c| c.is_alphanumeric()).collect();
    match alnum.as_slice() {
        [] => !word
            .chars()
            .any(|c| matches!(c, '–' | '—' | '-' | '%' | '+' | '§' | '&')),
        [c] if word.chars().count() == 1 => {
            c.is_alphabetic() && !matches!(c, 'i' | 'I' | 'å' | 'ö' | 'Å' | 'Ö')
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_words_fold_as_any_word_does() {
        for word in [
            "",
            "Strategi",
            "3:2",
            "G6teborgs",
            "&r",
            "m&let",
            "6",
            "6,",
            "&",
            "R&D",
            "|",
            "l|te",
            "|a",
            "a|",
            "Ja/Nej",
            "x6x",
            "ABC-123",
            "--",
            "\"insats\"",
        ] {
            assert_eq!(ascii_key(word.as_bytes()), char_key(word), "{word:?}");
        }
    }

    #[test]
    fn words_fold_to_plain_keys() {
        for (word, folded) in [
            ("Målområde", "malomrade"),
            ("Malomréade", "malomr*ade"),
            ("G6teborgs", "g*teborgs"),
            ("&r", "*r"),
            ("§6", "6"),
            ("ö6", "o*"),
            ("İstanbul", "i\u{307}stanbul"),
            ("Kanske|Delvis", "kanskeidelvis"),
            ("ÅÄÖ-", "aao"),
        ] {
            assert_eq!(key(word), folded, "{word:?}");
        }
    }

    #[test]
    fn keys_fold_diacritics_and_ocr_confusions() {
        assert_eq!(key("Målområde"), "malomrade");
        assert_eq!(key("G6teborgs"), "g*teborgs");
        assert_eq!(key("&r"), "*r");
        assert_eq!(key("p&"), "p*");
        assert_eq!(key("brottsförebyggande,"), "brottsforebyggande");
        assert_eq!(key("2022-2026"), "20222026");
    }

    #[test]
    fn ocr_variants_are_similar_and_other_words_are_not() {
        assert!(similarity(&key("enomiors"), &key("Genomförs")) > 0.7);
        assert!(similarity(&key("Malomréade"), &key("Målområde")) > 0.8);
        assert!(similarity(&key("pé"), &key("på")) > 0.9);
        assert!(similarity(&key("G6teborgs"), &key("Göteborgs")) > 0.9);
        assert_eq!(similarity("och", "att"), 0.0);
        assert!(similarity(&key("bdr"), &key("bör")) > 0.7);
        assert!(similarity(&key("far"), &key("för")) > 0.7);
        assert_eq!(similarity("att", "alt"), 0.0);
        assert_eq!(similarity("ar", "är"), 0.0);
    }

    #[test]
    fn bounded_levenshtein_is_strsims_within_the_limit() {
        let words = [
            "malomrade",
            "malomr*ade",
            "genomfors",
            "enomiors",
            "forskoleverksamheten",
            "forskole",
            "verksamheten",
            "brottsforebyggande",
            "brottsf0rebygande",
            "abc",
            "xyz",
            "a",
            "namnden",
            "n*mnden",
            "trygghetsskapande",
            "gotebörg",
            "straße",
            "",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk",
            "xbcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm",
        ];
        for a in words {
            for b in words {
                let lb = b.chars().count();
                let exact = strsim::levenshtein(a, b);
                for limit in (0..12).chain([100]) {
                    let want = (exact <= limit).then_some(exact);
                    assert_eq!(levenshtein_within(a, b, lb, limit), want, "{a} {b} {limit}");
                }
            }
        }
    }

    #[test]
    fn bit_parallel_levenshtein_is_strsims_on_generated_words() {
        // Words of 1 to 64 letters from a small alphabet (so that they
        // share letters), from a fixed linear congruential sequence.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |bound: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) % bound
        };
        let word = |next: &mut dyn FnMut(u64) -> u64| {
            let len = 1 + next(64) as usize;
            (0..len)
                .map(|_| char::from(b"aeiorst*"[next(8) as usize]))
                .collect::<String>()
        };
        for _ in 0..2000 {
            let (a, b) = (word(&mut next), word(&mut next));
            let want = strsim::levenshtein(&a, &b);
            assert_eq!(bit_parallel_levenshtein(&a, b.as_bytes()), want, "{a} {b}");
            assert_eq!(bit_parallel_levenshtein(&b, a.as_bytes()), want, "{b} {a}");
        }
    }

    #[test]
    fn normalized_levenshtein_is_strsims() {
        for (a, b) in [
            ("", ""),
            ("", "abc"),
            ("abc", ""),
            ("uppfoljningsfragor", "uppfoljningsfragor"),
            ("uppf6ljningsfrégor", "uppfoljningsfragor"),
            (
                "svarsalternativmedkommentarochmer",
                "svarsalternativmedkommentar",
            ),
            ("å", "a"),
            ("x", &"y".repeat(70)),
        ] {
            assert_eq!(
                normalized_levenshtein(a, b).to_bits(),
                strsim::normalized_levenshtein(a, b).to_bits(),
                "{a:?} {b:?}"
            );
        }
    }

    #[test]
    fn codes_read_through_ocr_damage() {
        assert_eq!(code_token("1:1"), Some(Code::new(1, 1)));
        assert_eq!(code_token("4:6."), Some(Code::new(4, 6)));
        assert_eq!(code_token("l:l"), Some(Code::new(1, 1)));
        assert_eq!(code_token("(3:2)"), Some(Code::new(3, 2)));
        assert_eq!(code_token("SLK:s"), None);
        assert_eq!(code_token("10:30"), Some(Code::new(10, 30)));
        assert_eq!(code_token("kl:a"), None);
    }

    #[test]
    fn noise_is_specks_not_words() {
        assert!(is_noise("\""));
        assert!(is_noise("Y"));
        assert!(is_noise(")"));
        assert!(!is_noise("i"));
        assert!(!is_noise("–"));
        assert!(!is_noise("&"));
        assert!(!is_noise("9"));
        assert!(!is_noise("Ja"));
    }
}
