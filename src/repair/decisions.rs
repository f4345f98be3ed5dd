//! The lexicon's decisions kept for a run: a decision depends only on the
//! observed word and the channel, and reports share most of their words,
//! so each is searched for once per run. Memory stays bounded: the cache
//! starts over when it is full.

use std::sync::Mutex;

use rustc_hash::FxHashMap;

use super::choose::{self, Channel, Decision};
use super::lexicon::Words;

/// What a lexicon decision depends on besides the word lists.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct DecisionKey {
    /// The word as printed.
    observed: String,
    /// The bits of the channel's drop probability (an `f32` is not `Hash`).
    log_drop: u32,
    /// Whether the channel judges diacritics lost.
    diacritics_lost: bool,
}

/// Decisions kept at most; the cache starts over when it is full, so a
/// long run's memory stays bounded (a report has about a thousand distinct
/// words).
const MAX_DECISIONS: usize = 50_000;

/// The decisions so far, shared across threads.
#[derive(Debug, Default)]
pub(super) struct Decisions(Mutex<FxHashMap<DecisionKey, Decision>>);

impl Decisions {
    /// [`choose::decide`] for `observed` under `channel`, from the cache
    /// when it was decided before.
    pub(super) fn decide(&self, words: &Words, observed: &str, channel: Channel) -> Decision {
        let key = DecisionKey {
            observed: observed.to_string(),
            log_drop: channel.log_drop.to_bits(),
            diacritics_lost: channel.diacritics_lost,
        };
        let cache = || {
            self.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(decision) = cache().get(&key) {
            return decision.clone();
        }
        let decision = choose::decide(words, observed, channel);
        let mut cache = cache();
        if cache.len() >= MAX_DECISIONS {
            cache.clear();
        }
        cache.insert(key, decision.clone());
        decision
    }
}

#[cfg(test)]
mod tests {
    use crate::repair::Repairer;

    #[test]
    fn decisions_kept_from_earlier_paragraphs_change_nothing() {
        // The same words under both channels: an English-model paragraph
        // (no å/ä/ö at all) and one whose engine printed them.
        let paragraphs: [&[&str]; 3] = [
            &["Det ar bra att vi har fatt en battre bild av laget."],
            &["Det är bra att vi nu ar klara, och har far vi se laget."],
            &["Malomrédet ar viktigt f6r oss och har ar arbetet klart."],
        ];
        let shared = Repairer::default();
        for order in [[0, 1, 2], [2, 1, 0], [1, 0, 2]] {
            for i in order {
                let fresh =
                    Repairer::default().repair_lines(paragraphs[i], crate::repair::Origin::Ocr);
                let reused = shared.repair_lines(paragraphs[i], crate::repair::Origin::Ocr);
                assert_eq!(reused.text, fresh.text, "paragraph {i}");
                assert_eq!(reused.edits, fresh.edits, "paragraph {i}");
            }
        }
    }
}
