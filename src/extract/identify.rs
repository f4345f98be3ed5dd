//! Who wrote a report and which year it follows up: from the command line,
//! the document's text, or the file's path, in that order of trust.

use std::path::Path;
use std::sync::{Arc, LazyLock, Mutex};

use regex::Regex;
use rustc_hash::FxHashMap;

use crate::catalog::{Administration, Administrations};
use crate::report::{AdministrationRef, Evidence, Period};
use crate::segment::fold::{key, similarity_measured, Measured};
use crate::segment::lines::SourceLine;
use crate::segment::structure::Role;
use crate::segment::Segmentation;

/// How much a mention of a name counts towards authorship.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mention {
    /// On the first page, outside the table (a title or cover line).
    Title,
    /// Opening a sentence in a comment ("IOFF arbetar …"): the writer.
    Subject,
    /// Anywhere else ("drivs av SLK", "SLK:s arbetsgrupper"): another party.
    Other,
}

impl Mention {
    fn weight(self) -> f32 {
        match self {
            Mention::Title => 10.0,
            Mention::Subject => 2.0,
            Mention::Other => 0.25,
        }
    }
}

/// Finds the administration named in the text, scoring mentions by where
/// they stand. `None` when nothing is named, or only in passing.
///
/// `names` must be built from `admins`.
///
/// With `weaker_than_path`, a name that only the table's sentences give
/// (no title names it) is not taken: the caller has a file name that names
/// an administration, and comments name the parties an administration
/// works with as readily as the writer.
pub(crate) fn administration_from_text(
    seg: &Segmentation,
    admins: &Administrations,
    names: &Names,
    weaker_than_path: bool,
) -> Option<AdministrationRef> {
    // A document with no rows is not a report: a name in it is no author.
    if seg.rows.is_empty() {
        return None;
    }
    let mut names = NameIndex::new(names);
    let mut scores = vec![0.0f32; admins.list.len()];
    let first_row_line = first_row_line(seg);
    for (li, line) in seg.lines.iter().enumerate() {
        let outside_table =
            !matches!(seg.roles[li], Role::Body | Role::UnknownSection) || li < first_row_line;
        let words: Vec<&str> = line.words.iter().map(|w| w.text.as_str()).collect();
        let keys: Vec<&str> = line.words.iter().map(|w| w.key.as_str()).collect();
        for (start, admin) in names.find(&words, &keys) {
            let title_like = !matches!(seg.roles[li], Role::Body | Role::UnknownSection)
                || (words.len() <= 12 && !words.last().is_some_and(|w| w.ends_with('.')));
            let mention = if outside_table && line.page == seg.first_page && title_like {
                Mention::Title
            } else if opens_sentence(&words, start, li, seg) {
                Mention::Subject
            } else {
                Mention::Other
            };
            scores[admin] += mention.weight();
        }
    }
    let (best, score) = scores
        .iter()
        .copied()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    // A name mentioned only in passing does not make it the author.
    if score < 2.0 {
        return None;
    }
    let runner_up = scores
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != best)
        .map(|(_, s)| *s)
        .fold(0.0f32, f32::max);
    if runner_up >= score {
        return None;
    }
    let a = &admins.list[best];
    Some(reference(a, Evidence::Text))
        .filter(|_| score >= Mention::Title.weight() || !weaker_than_path)
}

/// The line where the first table row starts: lines before it (and
/// structural lines) are outside the table: titles, cover text.
fn first_row_line(seg: &Segmentation) -> usize {
    seg.rows
        .iter()
        .filter_map(|r| r.matched.first().map(|m| seg.tokens[m.token].line))
        .min()
        .unwrap_or(usize::MAX)
}

fn opens_sentence(words: &[&str], start: usize, line: usize, seg: &Segmentation) -> bool {
    if start > 0 {
        return words[start - 1].ends_with(['.', '!', '?', ':']);
    }
    // First word of a line: a sentence opens if the previous line ended one
    // or a paragraph starts here.
    if seg.lines[line].para_start || line == 0 {
        return true;
    }
    seg.lines[line - 1]
        .words
        .last()
        .is_none_or(|w| w.text.ends_with(['.', '!', '?', ':']))
}

/// The administrations' names, folded for matching: built once and shared
/// by every document of a run (it is `Sync`).
pub(crate) struct Names {
    /// (admin index, one key per word) of every multi-letter name.
    keys: Vec<(usize, Vec<String>)>,
    /// (admin index, abbreviation as printed, case-sensitive).
    abbreviations: Vec<(usize, String)>,
    /// For each word key seen so far: the positions in `keys` of the names
    /// whose first word it may be. Reports share most of their words, so
    /// each distinct word of a run is compared with every name once.
    first_words: Mutex<FxHashMap<String, Arc<[usize]>>>,
}

impl Names {
    /// The names of every administration in `admins`.
    pub(crate) fn new(admins: &Administrations) -> Names {
        let mut keys = Vec::new();
        let mut abbreviations = Vec::new();
        for (i, a) in admins.list.iter().enumerate() {
            for n in a.names() {
                if is_abbreviation(n) {
                    abbreviations.push((i, n.to_string()));
                } else {
                    keys.push((i, n.split_whitespace().map(key).collect()));
                }
            }
        }
        Names {
            keys,
            abbreviations,
            first_words: Mutex::new(FxHashMap::default()),
        }
    }
}

/// [`Names`] measured for one document's search.
struct NameIndex<'a> {
    names: &'a Names,
    /// (admin index, keys of a multi-letter name, measured).
    measured: Vec<(usize, Vec<Measured<'a>>)>,
}

impl<'a> NameIndex<'a> {
    fn new(names: &'a Names) -> NameIndex<'a> {
        NameIndex {
            names,
            measured: names
                .keys
                .iter()
                .map(|(i, name)| (*i, name.iter().map(|k| Measured::new(k)).collect()))
                .collect(),
        }
    }

    /// The names whose first word word `wi` of `keys` may be, as `fits`
    /// (word, name word, name) judges it; measured once per distinct key.
    fn starting_with(
        &self,
        wi: usize,
        keys: &[&str],
        fits: impl Fn(usize, usize, &[Measured]) -> bool,
    ) -> Arc<[usize]> {
        let lock = || {
            self.names
                .first_words
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(found) = lock().get(keys[wi]) {
            return Arc::clone(found);
        }
        let found: Arc<[usize]> = (0..self.measured.len())
            .filter(|&n| fits(wi, 0, &self.measured[n].1))
            .collect();
        lock().insert(keys[wi].to_string(), Arc::clone(&found));
        found
    }

    /// (word index, admin index) of every name found in a line of `words`,
    /// whose matching keys are `keys`.
    fn find(&mut self, words: &[&str], keys: &[&str]) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        // Each word is compared with every name: measure it once, and with
        // a final "s" off for the last word of a name.
        let measured: Vec<Measured> = keys.iter().map(|k| Measured::new(k)).collect();
        let without_s: Vec<Option<Measured>> = keys
            .iter()
            .map(|k| k.strip_suffix('s').map(Measured::new))
            .collect();
        // Word `wi` read as word `k` of `name`.
        let fits = |wi: usize, k: usize, name: &[Measured]| {
            let nk = name[k];
            let last = k + 1 == name.len() && !nk.key.ends_with('s');
            let wk = without_s[wi].filter(|_| last).unwrap_or(measured[wi]);
            similarity_measured(wk, nk) >= 0.85
        };
        for (wi, w) in words.iter().enumerate() {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
            let bare = bare.strip_suffix(":s").unwrap_or(bare);
            for (ai, abbr) in &self.names.abbreviations {
                if bare == abbr {
                    found.push((wi, *ai));
                }
            }
            for &n in self.starting_with(wi, keys, fits).iter() {
                let (ai, name) = &self.measured[n];
                if wi + name.len() > words.len() {
                    continue;
                }
                if (1..name.len()).all(|k| fits(wi + k, k, name)) {
                    found.push((wi, *ai));
                }
            }
        }
        found
    }
}

/// True when `line` names one of the administrations of `names` (a cover
/// line such as "Göteborgs Stad – Kulturförvaltningen").
pub(crate) fn names_administration(names: &Names, line: &SourceLine) -> bool {
    let words: Vec<&str> = line.words.iter().map(|w| w.text.as_str()).collect();
    let keys: Vec<&str> = line.words.iter().map(|w| w.key.as_str()).collect();
    !NameIndex::new(names).find(&words, &keys).is_empty()
}

/// A name printed in capitals and digits, six at most: matched as printed.
fn is_abbreviation(name: &str) -> bool {
    name.chars().all(|c| c.is_uppercase() || c.is_ascii_digit()) && name.len() <= 6
}

fn reference(a: &Administration, evidence: Evidence) -> AdministrationRef {
    AdministrationRef {
        id: a.id.clone(),
        name: a.name.clone(),
        evidence,
    }
}

/// The administration named by a file name such as `uf.pdf`,
/// `Utbildningsforvaltningen_2024.pdf` or `UF-uppfoljning.pdf`.
pub(crate) fn administration_from_path(
    path: &Path,
    admins: &Administrations,
) -> Option<AdministrationRef> {
    let stem = path.file_stem()?.to_string_lossy();
    let parts: Vec<&str> = stem
        .split(|c: char| !c.is_alphanumeric() && c != 'å' && c != 'ä' && c != 'ö')
        .filter(|p| !p.is_empty())
        .collect();
    for part in &parts {
        let lower = part.to_lowercase();
        if let Some(a) = admins
            .list
            .iter()
            .find(|a| a.id == lower || a.aliases.iter().any(|al| al.to_lowercase() == lower))
        {
            return Some(reference(a, Evidence::Filename));
        }
    }
    // Names written out, possibly without diacritics or spaces.
    let joined = key(&stem);
    let mut best: Option<(&Administration, f32)> = None;
    for a in &admins.list {
        for n in a.names() {
            let nk = key(&n.split_whitespace().collect::<String>());
            if nk.len() < 5 {
                continue;
            }
            let s = if joined.contains(&nk) {
                1.0
            } else {
                parts
                    .iter()
                    .map(|p| strsim::normalized_levenshtein(&key(p), &nk) as f32)
                    .fold(0.0, f32::max)
            };
            if s >= 0.85 && best.is_none_or(|(_, b)| s > b) {
                best = Some((a, s));
            }
        }
    }
    best.map(|(a, _)| reference(a, Evidence::Filename))
}

/// "Uppföljning 2024", "verksamhetsår 2023", "år 2024" as OCR prints
/// them, the year captured (compiled once per process).
static YEAR_IN_TEXT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:uppf\S{0,3}ljning(?:en)?(?:\s+(?:av|f\S?r))?(?:\s+\S{1,3}r)?|verksamhets\S{1,2}r|\S{1,2}r)\s+(20\d\d)\b(?:[^-–—0-9]|$)").ok()
});

/// A year standing alone in a path component, captured.
static YEAR_IN_PATH: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:^|[^0-9A-Za-z])(20\d\d)(?:$|[^0-9A-Za-z])").ok());

/// The year from a title such as "Uppföljning 2023" or "Verksamhetsår 2023"
/// outside the table (a year range such as "2022-2026" names a programme,
/// not a period).
pub(crate) fn period_from_text(seg: &Segmentation) -> Option<Period> {
    let re = YEAR_IN_TEXT.as_ref()?;
    let first_row_line = first_row_line(seg);
    for (li, line) in seg.lines.iter().enumerate() {
        let outside_table =
            !matches!(seg.roles[li], Role::Body | Role::UnknownSection) || li < first_row_line;
        if !outside_table {
            continue;
        }
        let text = line.text();
        if let Some(c) = re.captures(&text) {
            if let Ok(year) = c[1].parse() {
                return Some(Period {
                    year,
                    evidence: Evidence::Text,
                });
            }
        }
    }
    None
}

/// A year (2000–2099) in the file name or the folders above it, nearest
/// first, standing alone (not inside a longer number or hash).
pub(crate) fn period_from_path(path: &Path) -> Option<Period> {
    let re = YEAR_IN_PATH.as_ref()?;
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    let parents = path
        .parent()
        .into_iter()
        .flat_map(|p| p.components().rev())
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    for part in stem.into_iter().chain(parents) {
        if let Some(c) = re.captures(&part) {
            if let Ok(year) = c[1].parse() {
                return Some(Period {
                    year,
                    evidence: Evidence::Path,
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admins() -> Administrations {
        Administrations::embedded().unwrap()
    }

    #[test]
    fn file_names_name_administrations() {
        let a = admins();
        let id = |p: &str| administration_from_path(Path::new(p), &a).map(|r| r.id);
        assert_eq!(id("corpus/uf.pdf").as_deref(), Some("uf"));
        assert_eq!(
            id("Utbildningsforvaltningen_2024.pdf").as_deref(),
            Some("uf")
        );
        assert_eq!(id("UF-uppfoljning.pdf").as_deref(), Some("uf"));
        assert_eq!(id("x/IOFF 2023.txt").as_deref(), Some("ioff"));
        assert_eq!(id("000_a41603a7fe181f4b.txt"), None);
    }

    #[test]
    fn a_partner_named_in_comments_does_not_outweigh_the_file_name_but_a_title_does() {
        let a = admins();
        let catalog = crate::catalog::Catalog::embedded().unwrap();
        let names = Names::new(&a);
        let row = "Är ert arbete kunskapsbaserat?\n\n\
            Strategi 1:1 Göteborgs stads trygghetsskapande och\n\
            brottsförebyggande arbete ska vara kunskapsbaserat och\n\
            utgå från målgruppsanalyser, likvärdiga lokala och\n\
            centrala lägesbilder och aktuell forskning\n\nJa\n\n\
            Vi följer lägesbilderna. Stadsledningskontoret leder arbetet.\n";
        let id = |text: &str, weaker_than_path: bool| {
            let doc = crate::read::text::read_text(text.as_bytes());
            let seg = crate::segment::segment(&doc, &catalog);
            administration_from_text(&seg, &a, &names, weaker_than_path).map(|r| r.id)
        };
        // Without a file name to go by, the sentence's subject is the best guess.
        assert_eq!(id(row, false).as_deref(), Some("slk"));
        assert_eq!(id(row, true), None);
        let titled = format!("Uppföljning 2023 – Kulturförvaltningen\n\n{row}");
        assert_eq!(id(&titled, true).as_deref(), Some("kuf"));
    }

    #[test]
    fn years_come_from_the_path_but_not_from_hashes() {
        let y = |p: &str| period_from_path(Path::new(p)).map(|p| p.year);
        assert_eq!(y("corpus/2024/ioff.pdf"), Some(2024));
        assert_eq!(y("ioff_2023.pdf"), Some(2023));
        assert_eq!(y("000_a41603a7fe181f4b.txt"), None);
        assert_eq!(y("a2024b/x.pdf"), None);
    }
}
