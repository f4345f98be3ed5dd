//! The reports' own vocabulary that the general word list lacks.
//!
//! `tools/repair/learn_domain_words.py` lists the words of the dev split's
//! truth texts that `data/lexicon/sv_wordfreq.tsv` does not
//! (`data/repair/domain_words.tsv`, embedded here): compounds such as
//! "trygghetsråden" and "välfärdsbrottslighet", administration names,
//! acronyms. Without them repair could not restore the å/ä/ö of a word it
//! does not know. They join the template texts as extra words.

const DOMAIN_WORDS_TSV: &str = include_str!("../../data/repair/domain_words.tsv");

/// The listed words: the first field of every `word<TAB>count` line; `#`
/// comment lines and empty lines skipped.
pub(crate) fn words() -> impl Iterator<Item = &'static str> {
    DOMAIN_WORDS_TSV
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split('\t').next())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_list_holds_domain_compounds_and_no_header() {
        let words: Vec<&str> = super::words().collect();
        assert!(words.contains(&"trygghetsskapande"));
        assert!(words
            .iter()
            .all(|w| !w.is_empty() && !w.contains(['#', ' '])));
    }
}
