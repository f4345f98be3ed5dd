//! One view of many reports, computed once for the writers that show it:
//! the workbook's matrix, count and review sheets ([`super::xlsx`]) and
//! the HTML page ([`super::html`]) only render it.
//!
//! Owns what those writers must agree on: which reports are shown and in
//! what order ([`Entry`], Swedish collation), which programme/codes are
//! columns and in what order ([`Column`], the catalogue's), which rows a
//! cell holds, answer [`Tally`]s, and what a reviewer should look at (low
//! confidence, repeated codes, missing rows, duplicates). Owns no layout,
//! no wording and no byte format.

use std::collections::HashMap;
use std::ops::AddAssign;

use super::{duplicates, AggregateRow};
use crate::catalog::Catalog;
use crate::model::{Answer, Code, ProgramId};
use crate::report::{Missing, Report};

/// Rows below this confidence are listed for review: the same bound below
/// which the extraction warns.
pub(super) use crate::extract::LOW_CONFIDENCE;

/// Many reports and their aggregate rows, arranged for display.
pub(super) struct Overview<'a> {
    /// The reports as given (a file given twice is here twice).
    pub(super) reports: &'a [Report],
    /// The aggregate rows as given.
    pub(super) rows: &'a [AggregateRow],
    /// Programme titles and area names, where the catalogue could be read.
    pub(super) catalog: Option<&'a Catalog>,
    /// One per report source, in [`collation_key`] order of their labels.
    pub(super) entries: Vec<Entry<'a>>,
    /// Every programme/code answered or listed missing, in catalogue order.
    pub(super) columns: Vec<Column<'a>>,
    /// Administrations reported more than once, as [`duplicates`] finds them.
    pub(super) duplicates: Vec<(String, Vec<String>)>,
    /// (entry, column) → the entry's rows there, in input order.
    cells: HashMap<(usize, usize), Vec<&'a AggregateRow>>,
}

/// One report, or the rows of a source that no given report has: a line
/// of the matrix, the counts and the source list.
pub(super) struct Entry<'a> {
    /// The administration's name, or the file name where it is unknown.
    pub(super) label: String,
    /// Whether `label` is an administration's name (not a file name).
    pub(super) known: bool,
    /// The administration's id; empty when unknown.
    pub(super) admin_id: &'a str,
    /// The follow-up year, where known.
    pub(super) year: Option<u16>,
    /// The source path (`bundle.pdf#2` for a report of a bundle).
    pub(super) path: &'a str,
    /// The source's SHA-256.
    pub(super) sha256: &'a str,
    /// The report, when it was given (not only its rows).
    pub(super) report: Option<&'a Report>,
    /// Its rows, in input order.
    pub(super) rows: Vec<&'a AggregateRow>,
    /// Catalogue rows the report lists as missing, in report order.
    pub(super) missing: &'a [Missing],
}

/// A programme/code: a column of the matrix, a line of the per-item counts.
pub(super) struct Column<'a> {
    /// The programme.
    pub(super) program: ProgramId,
    /// The code.
    pub(super) code: Code,
    /// The area: the first row's that has one, else the catalogue's.
    pub(super) area: Option<u16>,
    /// The catalogue's question, where the catalogue has the code.
    pub(super) catalog_question: Option<&'a str>,
    /// The question of the first row with this code; `None` when the code
    /// is only listed missing.
    pub(super) first_question: Option<&'a str>,
    /// The answers of every row with this code.
    pub(super) tally: Tally,
}

impl Column<'_> {
    /// Whether any row has this code (else it is only listed missing).
    pub(super) fn has_rows(&self) -> bool {
        self.first_question.is_some()
    }
}

/// Answers counted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tally {
    /// "ja".
    pub(super) ja: usize,
    /// "nej".
    pub(super) nej: usize,
    /// "delvis".
    pub(super) delvis: usize,
    /// Left blank.
    pub(super) blank: usize,
}

impl Tally {
    /// The answers of `rows`.
    pub(super) fn of<'r>(rows: impl IntoIterator<Item = &'r AggregateRow>) -> Tally {
        let mut t = Tally::default();
        for r in rows {
            t.add(r.answer);
        }
        t
    }

    /// Counts one answer.
    pub(super) fn add(&mut self, answer: Option<Answer>) {
        match answer {
            Some(Answer::Ja) => self.ja += 1,
            Some(Answer::Nej) => self.nej += 1,
            Some(Answer::Delvis) => self.delvis += 1,
            None => self.blank += 1,
        }
    }

    /// Every answer counted, blank ones too.
    pub(super) fn total(&self) -> usize {
        self.answered() + self.blank
    }

    /// Answers that are not blank.
    pub(super) fn answered(&self) -> usize {
        self.ja + self.nej + self.delvis
    }
}

impl AddAssign for Tally {
    fn add_assign(&mut self, o: Tally) {
        self.ja += o.ja;
        self.nej += o.nej;
        self.delvis += o.delvis;
        self.blank += o.blank;
    }
}

/// A programme/code that occurs more than once in one report.
pub(super) struct Repeated<'v, 'a> {
    /// The report.
    pub(super) entry: &'v Entry<'a>,
    /// The programme/code.
    pub(super) column: &'v Column<'a>,
    /// Its rows, in input order (two or more).
    pub(super) rows: &'v [&'a AggregateRow],
}

impl<'a> Overview<'a> {
    /// Arranges `reports` and their `rows` (as [`super::rows`] makes them;
    /// a row is tied to its report by source path and SHA-256, and rows of
    /// a source with no report get an entry of their own).
    pub(super) fn build(
        reports: &'a [Report],
        rows: &'a [AggregateRow],
        catalog: Option<&'a Catalog>,
    ) -> Overview<'a> {
        let entries = entries(reports, rows);
        let columns = columns(rows, &entries, catalog);
        let cells = cells(&entries, &columns);
        Overview {
            reports,
            rows,
            catalog,
            entries,
            columns,
            duplicates: duplicates(reports),
            cells,
        }
    }

    /// The rows of entry `entry` in column `column`, in input order.
    pub(super) fn cell(&self, entry: usize, column: usize) -> &[&'a AggregateRow] {
        self.cells.get(&(entry, column)).map_or(&[], Vec::as_slice)
    }

    /// Rows below [`LOW_CONFIDENCE`], entry by entry, in page order within
    /// each.
    pub(super) fn low_confidence(&self) -> Vec<(&Entry<'a>, &'a AggregateRow)> {
        let mut out = Vec::new();
        for e in &self.entries {
            let mut low: Vec<&AggregateRow> = e
                .rows
                .iter()
                .copied()
                .filter(|r| r.confidence < LOW_CONFIDENCE)
                .collect();
            low.sort_by_key(|r| r.page);
            out.extend(low.into_iter().map(|r| (e, r)));
        }
        out
    }

    /// Programme/codes that occur more than once in one report, entry by
    /// entry, in column order within each.
    pub(super) fn repeated(&self) -> Vec<Repeated<'_, 'a>> {
        let mut out = Vec::new();
        for (i, entry) in self.entries.iter().enumerate() {
            for (j, column) in self.columns.iter().enumerate() {
                let rows = self.cell(i, j);
                if rows.len() > 1 {
                    out.push(Repeated {
                        entry,
                        column,
                        rows,
                    });
                }
            }
        }
        out
    }
}

/// One entry per report (a source given twice counts once), then one per
/// source of rows whose report was not given; sorted by label (Swedish
/// collation), year, path and SHA-256, so that the order does not depend on
/// the input's and an administration's reports sit together.
fn entries<'a>(reports: &'a [Report], rows: &'a [AggregateRow]) -> Vec<Entry<'a>> {
    let mut out: Vec<Entry<'a>> = Vec::new();
    let mut by_source: HashMap<(&str, &str), usize> = HashMap::new();
    for r in reports {
        let source = (r.source.path.as_str(), r.source.sha256.as_str());
        if by_source.contains_key(&source) {
            continue;
        }
        by_source.insert(source, out.len());
        let admin = r.administration.as_ref();
        let name = admin.map_or("", |a| a.name.as_str());
        out.push(Entry {
            label: label(name, &r.source.path),
            known: !name.is_empty(),
            admin_id: admin.map_or("", |a| a.id.as_str()),
            year: r.period.as_ref().map(|p| p.year),
            path: &r.source.path,
            sha256: &r.source.sha256,
            report: Some(r),
            rows: Vec::new(),
            missing: &r.missing,
        });
    }
    for row in rows {
        let source = (row.source_path.as_str(), row.source_sha256.as_str());
        let i = *by_source.entry(source).or_insert_with(|| {
            out.push(Entry {
                label: label(&row.administration_name, &row.source_path),
                known: !row.administration_name.is_empty(),
                admin_id: &row.administration_id,
                year: row.year,
                path: &row.source_path,
                sha256: &row.source_sha256,
                report: None,
                rows: Vec::new(),
                missing: &[],
            });
            out.len() - 1
        });
        out[i].rows.push(row);
    }
    out.sort_by_cached_key(|e| (collation_key(&e.label), e.year, e.path, e.sha256));
    out
}

/// The administration's name, or the file name of `path` where it is
/// unknown.
fn label(name: &str, path: &str) -> String {
    if name.is_empty() {
        file_name(path).to_string()
    } else {
        name.to_string()
    }
}

/// The last non-empty component of a `/`- or `\`-separated path.
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\'])
        .find(|s| !s.is_empty())
        .unwrap_or(path)
}

/// A sort key that orders names as a Swedish reader expects: case does not
/// count, å ä ö come after z (æ and ø as ä and ö), é and è sort as e, ü as y.
pub(super) fn collation_key(s: &str) -> Vec<u32> {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'å' => 'z' as u32 + 1,
            'ä' | 'æ' => 'z' as u32 + 2,
            'ö' | 'ø' => 'z' as u32 + 3,
            'é' | 'è' => 'e' as u32,
            'ü' => 'y' as u32,
            c => c as u32,
        })
        .collect()
}

/// Every programme/code that a row has or a report lists missing, in the
/// catalogue's order of programmes (others after, by id), codes in numeric
/// order within each. "First row" is first in `rows`' order.
fn columns<'a>(
    rows: &'a [AggregateRow],
    entries: &[Entry<'a>],
    catalog: Option<&'a Catalog>,
) -> Vec<Column<'a>> {
    let mut cols: Vec<Column<'a>> = Vec::new();
    let mut index: HashMap<(&str, Code), usize> = HashMap::new();
    for row in rows {
        let key = (row.program.0.as_str(), row.code);
        let i = *index.entry(key).or_insert_with(|| {
            cols.push(Column {
                program: row.program.clone(),
                code: row.code,
                area: None,
                catalog_question: None,
                first_question: Some(&row.question),
                tally: Tally::default(),
            });
            cols.len() - 1
        });
        let col = &mut cols[i];
        col.area = col.area.or(row.area);
        col.tally.add(row.answer);
    }
    for m in entries.iter().flat_map(|e| e.missing) {
        index
            .entry((m.program.0.as_str(), m.code))
            .or_insert_with(|| {
                cols.push(Column {
                    program: m.program.clone(),
                    code: m.code,
                    area: None,
                    catalog_question: None,
                    first_question: None,
                    tally: Tally::default(),
                });
                cols.len() - 1
            });
    }
    for col in &mut cols {
        if let Some(p) = catalog.and_then(|c| c.program(&col.program)) {
            col.area = col.area.or_else(|| p.area_of(col.code));
            col.catalog_question = p.item(col.code).map(|i| i.question.as_str());
        }
    }
    let rank = |program: &ProgramId| {
        catalog
            .and_then(|c| c.programs.iter().position(|p| &p.id == program))
            .unwrap_or(usize::MAX)
    };
    cols.sort_by_cached_key(|c| (rank(&c.program), c.program.clone(), c.code));
    cols
}

/// Each entry's rows by column.
fn cells<'a>(
    entries: &[Entry<'a>],
    columns: &[Column<'a>],
) -> HashMap<(usize, usize), Vec<&'a AggregateRow>> {
    let index: HashMap<(&ProgramId, Code), usize> = columns
        .iter()
        .enumerate()
        .map(|(j, c)| ((&c.program, c.code), j))
        .collect();
    let mut cells: HashMap<(usize, usize), Vec<&'a AggregateRow>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        for &row in &e.rows {
            if let Some(&j) = index.get(&(&row.program, row.code)) {
                cells.entry((i, j)).or_default().push(row);
            }
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(path: &str, program: &str, code: &str, answer: Option<Answer>) -> AggregateRow {
        AggregateRow {
            administration_id: String::new(),
            administration_name: String::new(),
            year: None,
            program: ProgramId(program.to_string()),
            area: None,
            code: code.parse().expect("test code"),
            question: format!("{program} {code}?"),
            answer,
            comment: String::new(),
            confidence: 1.0,
            page: 1,
            source_path: path.to_string(),
            source_sha256: String::new(),
            item_key: String::new(),
        }
    }

    fn keys(o: &Overview<'_>) -> Vec<String> {
        o.columns
            .iter()
            .map(|c| format!("{}/{}", c.program, c.code))
            .collect()
    }

    #[test]
    fn columns_follow_the_catalogue_then_ids_with_codes_in_numeric_order() {
        let catalog = Catalog::embedded().expect("embedded catalogue");
        let rows = [
            row("a", "tystnadskultur-2023-2025", "1:1", None),
            row("a", "egen", "1:10", None),
            row("a", "egen", "1:2", None),
            row("a", "annan", "2:1", None),
            row("a", "trygghetsprogram-2022-2026", "1:10", None),
            row("a", "trygghetsprogram-2022-2026", "1:2", None),
            row("b", "trygghetsprogram-2022-2026", "1:2", None),
        ];
        let o = Overview::build(&[], &rows, Some(&catalog));
        assert_eq!(
            keys(&o),
            [
                "trygghetsprogram-2022-2026/1:2",
                "trygghetsprogram-2022-2026/1:10",
                "tystnadskultur-2023-2025/1:1",
                "annan/2:1",
                "egen/1:2",
                "egen/1:10",
            ]
        );
        // Without a catalogue: by id.
        let o = Overview::build(&[], &rows, None);
        assert_eq!(keys(&o)[0], "annan/2:1");
        assert_eq!(o.columns[3].tally.total(), 2);
    }

    #[test]
    fn a_column_takes_the_first_area_a_row_has_else_the_catalogues() {
        let catalog = Catalog::embedded().expect("embedded catalogue");
        let tp = "trygghetsprogram-2022-2026";
        let mut rows = [row("a", tp, "2:1", None), row("b", tp, "2:1", None)];
        rows[1].area = Some(7);
        let o = Overview::build(&[], &rows, Some(&catalog));
        assert_eq!(o.columns[0].area, Some(7));
        let o = Overview::build(&[], &rows[..1], Some(&catalog));
        assert_eq!(o.columns[0].area, Some(2));
        assert_eq!(o.columns[0].first_question, Some(rows[0].question.as_str()));
        assert!(o.columns[0].catalog_question.is_some());
    }

    #[test]
    fn swedish_collation_puts_a_ring_a_umlaut_o_umlaut_after_z_and_accents_with_their_letter() {
        let mut names = [
            "Östra", "Ängen", "Åby", "zeta", "Alfa", "Mysk", "Müller", "Mu", "Ménard", "Meny",
        ];
        names.sort_by_key(|n| collation_key(n));
        assert_eq!(
            names,
            [
                "Alfa", "Ménard", "Meny", "Mu", "Müller", "Mysk", "zeta", "Åby", "Ängen", "Östra"
            ]
        );
    }

    #[test]
    fn unknown_administration_is_labelled_by_its_file_name() {
        assert_eq!(label("", "corpus/2023/x.pdf"), "x.pdf");
        assert_eq!(label("", "C:\\in\\y.txt"), "y.txt");
        assert_eq!(label("", "in/folder/"), "folder");
        assert_eq!(label("Park", "z.pdf"), "Park");
    }

    #[test]
    fn rows_without_a_report_get_their_own_entry_in_label_order() {
        let rows = [
            row("b.txt", "p", "1:1", Some(Answer::Ja)),
            row("a.txt", "p", "1:1", None),
        ];
        let o = Overview::build(&[], &rows, None);
        let labels: Vec<&str> = o.entries.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(labels, ["a.txt", "b.txt"]);
        assert!(o
            .entries
            .iter()
            .all(|e| e.rows.len() == 1 && !e.known && e.report.is_none()));
        assert_eq!(o.cell(0, 0)[0].answer, None);
        assert_eq!(o.cell(1, 0)[0].answer, Some(Answer::Ja));
    }

    #[test]
    fn same_label_entries_sort_by_year_path_and_hash_whatever_the_input_order() {
        let mut rows = vec![
            row("x/b.txt", "p", "1:1", None),
            row("x/a.txt", "p", "1:1", None),
            row("x/a.txt", "p", "1:1", None),
        ];
        for (r, sha) in rows.iter_mut().zip(["1", "2", "1"]) {
            r.administration_name = "Park".to_string();
            r.source_sha256 = sha.to_string();
        }
        let order = |rows: &[AggregateRow]| -> Vec<(String, String)> {
            Overview::build(&[], rows, None)
                .entries
                .iter()
                .map(|e| (e.path.to_string(), e.sha256.to_string()))
                .collect()
        };
        let want = order(&rows);
        assert_eq!(want[0], ("x/a.txt".to_string(), "1".to_string()));
        assert_eq!(want[1], ("x/a.txt".to_string(), "2".to_string()));
        rows.reverse();
        assert_eq!(order(&rows), want);
    }

    #[test]
    fn low_confidence_rows_are_listed_by_entry_then_page() {
        let mut rows = vec![
            row("b.txt", "p", "1:1", None),
            row("a.txt", "p", "1:3", None),
            row("a.txt", "p", "1:2", None),
            row("a.txt", "p", "1:1", None),
        ];
        for (r, page) in rows.iter_mut().zip([1, 5, 2, 9]) {
            r.confidence = 0.2;
            r.page = page;
        }
        rows[3].confidence = 0.9;
        let o = Overview::build(&[], &rows, None);
        let low: Vec<(&str, usize)> = o
            .low_confidence()
            .iter()
            .map(|(e, r)| (e.path, r.page))
            .collect();
        assert_eq!(low, [("a.txt", 2), ("a.txt", 5), ("b.txt", 1)]);
    }

    #[test]
    fn repeated_codes_are_listed_in_column_order() {
        let tp = "trygghetsprogram-2022-2026";
        let rows = [
            row("a", "handlingsplan-2023-2026", "1:1", None),
            row("a", "handlingsplan-2023-2026", "1:1", Some(Answer::Ja)),
            row("a", tp, "1:10", None),
            row("a", tp, "1:10", None),
            row("a", tp, "1:2", None),
            row("a", tp, "1:2", None),
            row("a", tp, "1:3", None),
        ];
        let catalog = Catalog::embedded().expect("embedded catalogue");
        let o = Overview::build(&[], &rows, Some(&catalog));
        let got: Vec<String> = o
            .repeated()
            .iter()
            .map(|r| format!("{}/{} ×{}", r.column.program, r.column.code, r.rows.len()))
            .collect();
        assert_eq!(
            got,
            [
                format!("{tp}/1:2 ×2"),
                format!("{tp}/1:10 ×2"),
                "handlingsplan-2023-2026/1:1 ×2".to_string(),
            ]
        );
    }

    #[test]
    fn tally_counts_every_answer_once() {
        let rows = [
            row("a", "p", "1:1", Some(Answer::Ja)),
            row("a", "p", "1:2", Some(Answer::Nej)),
            row("a", "p", "1:3", None),
            row("a", "p", "1:4", Some(Answer::Delvis)),
            row("a", "p", "1:5", Some(Answer::Ja)),
        ];
        let t = Tally::of(&rows);
        assert_eq!((t.ja, t.nej, t.delvis, t.blank), (2, 1, 1, 1));
        assert_eq!((t.answered(), t.total()), (4, 5));
    }

    #[test]
    fn a_source_given_twice_counts_once_with_its_missing_rows() {
        let rows = [row("a", "p", "1:1", None)];
        let report = crate::report::Report {
            schema_version: crate::report::SCHEMA_VERSION,
            source: crate::report::Source {
                path: "a".to_string(),
                sha256: String::new(),
                format: crate::document::SourceFormat::Text,
                text_layer: None,
                pages: 1,
                part: None,
            },
            administration: None,
            period: None,
            items: Vec::new(),
            missing: vec!["p/2:1".parse().unwrap()],
            warnings: Vec::new(),
            provenance: None,
        };
        // A source given twice counts once; its rows join it.
        let reports = [report.clone(), report];
        let o = Overview::build(&reports, &rows, None);
        assert_eq!(o.entries.len(), 1);
        assert_eq!(o.entries[0].rows.len(), 1);
        assert_eq!(o.entries[0].missing.len(), 1);
        assert_eq!(keys(&o), ["p/1:1", "p/2:1"]);
        assert!(!o.columns[1].has_rows());
    }
}
