//! The catalogue's rows as one long sequence of expected words: what the
//! aligner looks for in a document.

use std::collections::HashMap;

use crate::catalog::Catalog;
use crate::model::Code;

use super::fold::{code_token, key};

/// Which part of a row's left column a template word belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The question.
    Question,
    /// The strategy / item text under the question.
    Strategy,
    /// The "Genomförs aktiviteter …" instruction (gives the code only).
    Instruction,
    /// The "Förväntat resultat:" label.
    ExpectedLabel,
    /// The expected-result text.
    Expected,
}

/// One expected word.
#[derive(Debug, Clone)]
pub(crate) struct TemplateWord {
    /// The word as the catalogue prints it.
    pub text: String,
    /// Its matching key.
    pub key: String,
    /// The code, for code words ("1:1", "4:6.").
    pub code: Option<Code>,
    /// How much matching it counts: long, rare words and codes count most.
    pub weight: f32,
    /// Index into [`Template::rows`].
    pub row: usize,
    /// The field it belongs to.
    pub field: Field,
}

/// A catalogue row in the template sequence.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TemplateRow {
    /// Index into `Catalog::programs`.
    pub program: usize,
    /// Index into that programme's items; `None` for a code the catalogue
    /// lacks but the document shows (a row of the template's boilerplate
    /// only: its code label, instruction and result label).
    pub item: Option<usize>,
    /// The row's code.
    pub code: Code,
}

/// Every catalogue row's words, programmes and rows in catalogue order.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    /// The rows.
    pub rows: Vec<TemplateRow>,
    /// Their words, row after row.
    pub words: Vec<TemplateWord>,
}

const EXPECTED_LABEL: &str = "Förväntat resultat:";

impl Template {
    /// Builds the sequence from a catalogue, with a boilerplate-only row for
    /// each code in `unknown` (programme index, code) that the document
    /// shows but the catalogue lacks, placed in code order.
    pub(crate) fn new(catalog: &Catalog, unknown: &[(usize, Code)]) -> Template {
        let mut t = Template {
            rows: Vec::new(),
            words: Vec::new(),
        };
        for (pi, p) in catalog.programs.iter().enumerate() {
            let mut entries: Vec<(Code, Option<usize>)> = p
                .items
                .iter()
                .enumerate()
                .map(|(ii, item)| (item.code, Some(ii)))
                .collect();
            entries.extend(
                unknown
                    .iter()
                    .filter(|(up, _)| *up == pi)
                    .map(|&(_, c)| (c, None)),
            );
            entries.sort_by_key(|&(code, item)| (code, item.is_none()));
            entries.dedup_by_key(|e| e.0);
            for (code, item) in entries {
                let row = t.rows.len();
                t.rows.push(TemplateRow {
                    program: pi,
                    item,
                    code,
                });
                match item {
                    Some(ii) => {
                        let it = &p.items[ii];
                        t.push_field(row, code, Field::Question, Some(&it.question));
                        t.push_field(row, code, Field::Strategy, it.strategy.as_deref());
                        t.push_field(row, code, Field::Instruction, it.instruction.as_deref());
                        let label = it.expected_result.as_ref().map(|_| EXPECTED_LABEL);
                        t.push_field(row, code, Field::ExpectedLabel, label);
                        t.push_field(row, code, Field::Expected, it.expected_result.as_deref());
                    }
                    None => t.push_boilerplate(row, code, p),
                }
            }
        }
        weigh(&mut t.words, t.rows.len());
        t
    }

    /// The same template with only the rows marked in `keep` (weights are
    /// kept as computed over the whole catalogue).
    pub(crate) fn retain_rows(&self, keep: &[bool]) -> Template {
        let mut new_index = vec![usize::MAX; self.rows.len()];
        let mut rows = Vec::new();
        for (r, row) in self.rows.iter().enumerate() {
            if keep.get(r).copied().unwrap_or(false) {
                new_index[r] = rows.len();
                rows.push(*row);
            }
        }
        let words = self
            .words
            .iter()
            .filter(|w| new_index[w.row] != usize::MAX)
            .map(|w| TemplateWord {
                row: new_index[w.row],
                ..w.clone()
            })
            .collect();
        Template { rows, words }
    }

    /// The words every row of programme `p` prints whatever its text: the
    /// instruction with this code and the result label where the
    /// programme's rows have them, else the code label and code.
    fn push_boilerplate(&mut self, row: usize, code: Code, p: &crate::catalog::Program) {
        let model = p.items.iter().find(|i| i.instruction.is_some());
        if let Some((m, instruction)) =
            model.and_then(|m| m.instruction.as_ref().map(|ins| (m, ins)))
        {
            let text = instruction.replace(&m.code.to_string(), &code.to_string());
            self.push_field(row, code, Field::Instruction, Some(&text));
            if m.expected_result.is_some() {
                self.push_field(row, code, Field::ExpectedLabel, Some(EXPECTED_LABEL));
            }
        } else {
            let text = format!("{} {code}", p.code_label);
            self.push_field(row, code, Field::Strategy, Some(text.trim()));
        }
    }

    fn push_field(&mut self, row: usize, code: Code, field: Field, text: Option<&str>) {
        let mut pending = String::new();
        for w in text.unwrap_or_default().split_whitespace() {
            if key(w).is_empty() {
                // Punctuation standing alone ("påverkan & tystnadskultur")
                // cannot be matched but must be printed: it rides on the
                // word before it (or after, at the start).
                match self.words.last_mut() {
                    Some(prev) if prev.row == row && prev.field == field => {
                        prev.text.push(' ');
                        prev.text.push_str(w);
                    }
                    _ => {
                        pending.push_str(w);
                        pending.push(' ');
                    }
                }
                continue;
            }
            self.words.push(TemplateWord {
                text: format!("{}{w}", std::mem::take(&mut pending)),
                key: key(w),
                code: code_token(w).filter(|c| *c == code),
                weight: 0.0,
                row,
                field,
            });
        }
    }
}

/// Weight = length-based base / sqrt(rows containing the word), so
/// boilerplate shared by every row anchors little and distinctive words a lot.
fn weigh(words: &mut [TemplateWord], n_rows: usize) {
    let mut rows_with: HashMap<&str, Vec<usize>> = HashMap::new();
    for w in words.iter() {
        let e = rows_with.entry(w.key.as_str()).or_default();
        if e.last() != Some(&w.row) {
            e.push(w.row);
        }
    }
    let df: HashMap<String, usize> = rows_with
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.len()))
        .collect();
    for w in words.iter_mut() {
        if w.code.is_some() {
            w.weight = 3.0;
            continue;
        }
        let len = w.key.chars().count();
        let base = match len {
            0..=2 => 0.3,
            3 => 0.5,
            4..=5 => 0.8,
            _ => 1.0,
        };
        let d = df.get(&w.key).copied().unwrap_or(1).clamp(1, n_rows.max(1)) as f32;
        w.weight = base / d.sqrt();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_covers_every_catalogue_row_with_its_code() {
        let catalog = Catalog::embedded().unwrap();
        let t = Template::new(&catalog, &[]);
        let n_items: usize = catalog.programs.iter().map(|p| p.items.len()).sum();
        assert_eq!(t.rows.len(), n_items);
        for (r, row) in t.rows.iter().enumerate() {
            assert!(
                t.words
                    .iter()
                    .any(|w| w.row == r && w.code == Some(row.code)),
                "row {} has no code word",
                row.code
            );
        }
    }

    #[test]
    fn boilerplate_weighs_less_than_distinctive_words() {
        let catalog = Catalog::embedded().unwrap();
        let t = Template::new(&catalog, &[]);
        let w = |k: &str| {
            t.words
                .iter()
                .find(|w| w.key == k)
                .map(|w| w.weight)
                .unwrap()
        };
        assert!(w("genomfors") < w("kunskapsbaserat"));
    }
}
