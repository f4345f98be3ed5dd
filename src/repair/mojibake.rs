//! Mojibake: UTF-8 text that was once decoded as Latin-1 or Windows-1252,
//! so that "ä" became "Ã¤" and "–" became "â€“".
//!
//! Only the lead bytes that Swedish text produces are undone: Ã and Â
//! (two-byte letters such as å, ä, ö, é and the no-break space) and â (three-
//! byte punctuation such as – — ’ ” •). Anything that does not decode as
//! UTF-8 is left as it is.

/// The byte that Windows-1252 (or Latin-1) decodes to `c`.
fn cp1252_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if u <= 0xFF {
        return Some(u as u8);
    }
    let b = match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201C}' => 0x93,
        '\u{201D}' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    };
    Some(b)
}

fn is_continuation(c: Option<&char>) -> Option<u8> {
    c.and_then(|&c| cp1252_byte(c))
        .filter(|b| (0x80..=0xBF).contains(b))
}

/// Undoes mojibake in `text`; `None` when there is none.
pub(crate) fn fix(text: &str) -> Option<String> {
    if !text.contains(['Ã', 'Â', 'â']) {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let need = match c {
            'Ã' | 'Â' => 1,
            'â' => 2,
            _ => 0,
        };
        let mut bytes = vec![c as u32 as u8];
        if need > 0 {
            for k in 1..=need {
                match is_continuation(chars.get(i + k)) {
                    Some(b) => bytes.push(b),
                    None => break,
                }
            }
        }
        if need > 0 && bytes.len() == need + 1 {
            if let Ok(s) = std::str::from_utf8(&bytes) {
                out.push_str(s);
                changed = true;
                i += need + 1;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_letters_are_restored() {
        assert_eq!(fix("GÃ¶teborgs").as_deref(), Some("Göteborgs"));
        assert_eq!(fix("Ã¥tgÃ¤rder").as_deref(), Some("åtgärder"));
        assert_eq!(fix("Ã„r").as_deref(), Some("Är"));
        assert_eq!(fix("Ã…r").as_deref(), Some("År"));
        assert_eq!(fix("Ã–ka").as_deref(), Some("Öka"));
        assert_eq!(fix("entrÃ©er").as_deref(), Some("entréer"));
    }

    #[test]
    fn punctuation_is_restored() {
        assert_eq!(fix("2022â€“2026").as_deref(), Some("2022–2026"));
    }

    #[test]
    fn clean_text_is_untouched() {
        assert_eq!(fix("Göteborgs Stad"), None);
        assert_eq!(fix("Ã"), None);
        assert_eq!(fix("Âge"), None);
    }
}
