//! The aggregate as an Excel workbook, for analysts who open the result in
//! a spreadsheet rather than load it into a dataframe.
//!
//! Owns the workbook's layout. Four sheets:
//! - [`SHEET_ROWS`] ("Rader"): the contract's long rows, header = [`COLUMNS`]
//!   exactly, typed cells (year, area, page and confidence are numbers),
//!   autofilter, frozen header row, wrapped question and comment.
//! - [`SHEET_MATRIX`] ("Matris"): one row per report (administration name
//!   and year; the file name, in italics, where the administration is
//!   unknown) × one column per programme/code in the rows, two header rows
//!   (programme, code: each column names both, no merged cells),
//!   frozen panes, and a legend under the table.
//! - [`SHEET_COUNTS`] ("Antal"): answers (ja/nej/delvis/tomt/totalt)
//!   counted per report, with its missing rows and warnings, and per
//!   programme/code, side by side, each with a total row.
//! - [`SHEET_REVIEW`] ("Att granska"): one filterable table of what a
//!   reviewer should look at: administrations reported more than once,
//!   warnings, rows with confidence below [`LOW_CONFIDENCE`], codes that
//!   occur more than once in one report, and catalogue rows a report does
//!   not answer.
//!
//! Answer colours are Excel's own "Good" / "Bad" / "Neutral" cell styles —
//! `ja` green, `nej` red, `delvis` amber — and grey for a row whose answer
//! was left blank. A matrix cell with no fill and no text means the report
//! has no such row; a code answered differently twice in one report shows
//! both answers ("ja/nej") in bold red. The text is always there as well,
//! so nothing depends on telling colours apart.
//!
//! What the sheets show (which reports, which programme/codes in what
//! order, what goes to review) is the overview (`overview.rs`) the HTML
//! page shows too; this file only lays it out. The output is deterministic:
//! the creation date is fixed, every ordering comes from the input or a
//! sort, and the zip entries carry no timestamps.

use std::borrow::Cow;

use rust_xlsxwriter::{
    ColNum, Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, RowNum,
    Workbook, Worksheet, XlsxError,
};

use super::overview::{Column, Entry, Overview, Tally};
use super::{answer_word, AggregateRow, COLUMNS};
use crate::catalog::Catalog;
use crate::model::{Answer, Code, ProgramId};
use crate::report::Report;

/// The long rows.
pub const SHEET_ROWS: &str = "Rader";
/// Reports × programme/code answers.
pub const SHEET_MATRIX: &str = "Matris";
/// Answer counts per item and per report.
pub const SHEET_COUNTS: &str = "Antal";
/// What a reviewer should look at.
pub const SHEET_REVIEW: &str = "Att granska";

/// Rows whose confidence is below this are listed for review.
pub use crate::extract::LOW_CONFIDENCE;

/// The header of [`SHEET_REVIEW`].
pub const REVIEW_COLUMNS: [&str; 10] = [
    "Kategori",
    "Förvaltning",
    "År",
    "Program",
    "Kod",
    "Sida",
    "Typ",
    "Meddelande",
    "Säkerhet",
    "Källa",
];

/// The review categories, in the order they are listed.
pub mod category {
    /// An administration (and year) reported by more than one file.
    pub const DUPLICATE: &str = "Dubblett";
    /// A warning the extraction gave.
    pub const WARNING: &str = "Varning";
    /// A row with confidence below [`LOW_CONFIDENCE`](super::LOW_CONFIDENCE).
    pub const LOW_CONFIDENCE: &str = "Låg säkerhet";
    /// A programme/code that occurs more than once in one report.
    pub const REPEATED_CODE: &str = "Upprepad kod";
    /// A catalogue row the report does not answer.
    pub const MISSING: &str = "Saknad rad";
}

/// The first column of the per-item table in [`SHEET_COUNTS`] (L); the
/// per-report table starts at A.
pub const COUNTS_ITEM_FIRST: u16 = 11;

/// [`COLUMNS`] that hold numbers (year, area, confidence, page).
const NUMERIC_ROW_COLUMNS: [usize; 4] = [2, 4, 9, 10];

/// [`REVIEW_COLUMNS`] that hold numbers (År, Sida, Säkerhet).
const NUMERIC_REVIEW_COLUMNS: [usize; 3] = [2, 5, 8];

/// The longest text a cell holds (Excel's limit, in characters).
const MAX_CELL_CHARS: usize = 32_767;

/// The workbook: [`SHEET_ROWS`], [`SHEET_MATRIX`], [`SHEET_COUNTS`] and
/// [`SHEET_REVIEW`] (see the module documentation), as `.xlsx` bytes.
///
/// `rows` are normally [`rows(reports)`](super::rows); rows whose source
/// matches no report still get their own matrix and count rows. Fails only
/// past Excel's limits (1,048,576 rows, 16,384 columns).
pub fn to_xlsx(reports: &[Report], rows: &[AggregateRow]) -> Result<Vec<u8>, XlsxError> {
    let catalog = Catalog::embedded().ok();
    render(&Overview::build(reports, rows, catalog.as_ref()))
}

/// The workbook of an overview, as `.xlsx` bytes.
pub(super) fn render(o: &Overview<'_>) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    // Columns no row answers (only listed missing) have nothing to show in
    // the matrix or the per-item counts.
    let columns: Vec<(usize, &Column<'_>)> = o
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.has_rows())
        .collect();

    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title("Uppföljning – sammanställning")
            .set_author("uppfoljning")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    write_rows(workbook.add_worksheet(), &formats, o.rows)?;
    write_matrix(workbook.add_worksheet(), &formats, o, &columns)?;
    write_counts(workbook.add_worksheet(), &formats, o, &columns)?;
    write_review(workbook.add_worksheet(), &formats, o)?;
    workbook.save_to_buffer()
}

/// Every cell format used, built once.
struct Formats {
    header: Format,
    header_number: Format,
    header_center: Format,
    /// [`Formats::header_center`] with a border on the left: the first
    /// column of a programme in the matrix.
    header_group: Format,
    title: Format,
    text: Format,
    wrap: Format,
    number: Format,
    confidence: Format,
    unknown_label: Format,
    total: Format,
    ja: Format,
    nej: Format,
    delvis: Format,
    blank: Format,
    conflict: Format,
}

impl Formats {
    fn new() -> Formats {
        let top = Format::new().set_align(FormatAlign::Top);
        let answer = |fill: u32, font: u32| {
            Format::new()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(fill))
                .set_font_color(Color::RGB(font))
        };
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_background_color(Color::RGB(0xD9E1F2))
            .set_border_bottom(FormatBorder::Thin);
        Formats {
            header_number: header.clone().set_align(FormatAlign::Right),
            header_center: header.clone().set_align(FormatAlign::Center),
            header_group: header
                .clone()
                .set_align(FormatAlign::Center)
                .set_border_left(FormatBorder::Thin),
            header,
            title: Format::new().set_bold().set_font_size(12),
            text: top.clone(),
            wrap: top.clone().set_text_wrap(),
            number: top.clone(),
            confidence: top.clone().set_num_format("0.00"),
            unknown_label: top.clone().set_italic(),
            total: Format::new().set_bold().set_border_top(FormatBorder::Thin),
            ja: answer(0xC6EFCE, 0x006100),
            nej: answer(0xFFC7CE, 0x9C0006),
            delvis: answer(0xFFEB9C, 0x9C5700),
            blank: answer(0xD9D9D9, 0x595959),
            conflict: Format::new()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::Top)
                .set_bold()
                .set_font_color(Color::RGB(0x9C0006)),
        }
    }

    /// The format of an answer cell.
    fn answer(&self, answer: &str) -> &Format {
        match answer {
            "ja" => &self.ja,
            "nej" => &self.nej,
            "delvis" => &self.delvis,
            "" => &self.blank,
            _ => &self.conflict,
        }
    }
}

/// An answer as a word: "tomt" for a blank one.
fn answer_or_tomt(answer: Option<Answer>) -> &'static str {
    answer.map_or("tomt", Answer::as_str)
}

/// The label's format: italics for a file name standing in for an unknown
/// administration.
fn label_format<'f>(f: &'f Formats, e: &Entry<'_>) -> &'f Format {
    if e.known {
        &f.text
    } else {
        &f.unknown_label
    }
}

/// ja, nej, delvis, blank, total.
fn tally_cells(t: Tally) -> [usize; 5] {
    [t.ja, t.nej, t.delvis, t.blank, t.total()]
}

/// A row index, or Excel's row-limit error.
fn row_num(i: usize) -> Result<RowNum, XlsxError> {
    RowNum::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)
}

/// A column index, or Excel's column-limit error.
fn col_num(i: usize) -> Result<ColNum, XlsxError> {
    ColNum::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)
}

/// Text as a cell can hold it: cut (with "…") past Excel's limit.
fn cell_text(s: &str) -> Cow<'_, str> {
    if s.char_indices().nth(MAX_CELL_CHARS).is_none() {
        Cow::Borrowed(s)
    } else {
        let mut t: String = s.chars().take(MAX_CELL_CHARS - 1).collect();
        t.push('…');
        Cow::Owned(t)
    }
}

/// A confidence as the number it reads as (0.97, not 0.9700000286…); `None`
/// for one that is not a number.
fn confidence(c: f32) -> Option<f64> {
    c.is_finite()
        .then(|| c.to_string().parse().unwrap_or(f64::from(c)))
}

/// Writes a text cell (an empty one is left blank).
fn put_text(
    ws: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if text.is_empty() {
        ws.write_blank(row, col, format)?;
    } else {
        ws.write_string_with_format(row, col, cell_text(text), format)?;
    }
    Ok(())
}

/// Writes a number cell, or a blank one for `None`.
fn put_number(
    ws: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    n: Option<f64>,
    format: &Format,
) -> Result<(), XlsxError> {
    match n {
        Some(n) => ws.write_number_with_format(row, col, n, format)?,
        None => ws.write_blank(row, col, format)?,
    };
    Ok(())
}

/// Writes header cells at `row` from column `first`.
fn put_header(
    ws: &mut Worksheet,
    row: RowNum,
    first: ColNum,
    labels: &[&str],
    format: &Format,
) -> Result<(), XlsxError> {
    for (i, label) in labels.iter().enumerate() {
        ws.write_string_with_format(row, first + col_num(i)?, *label, format)?;
    }
    Ok(())
}

/// Sets column widths from column `first`.
fn set_widths(ws: &mut Worksheet, first: ColNum, widths: &[f64]) -> Result<(), XlsxError> {
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(first + col_num(i)?, *w)?;
    }
    Ok(())
}

/// A header row: names in row 0, numeric columns right-aligned like their data.
fn write_header(
    ws: &mut Worksheet,
    f: &Formats,
    names: &[&str],
    numeric: &[usize],
) -> Result<(), XlsxError> {
    for (i, name) in names.iter().enumerate() {
        let format = if numeric.contains(&i) {
            &f.header_number
        } else {
            &f.header
        };
        ws.write_string_with_format(0, col_num(i)?, *name, format)?;
    }
    Ok(())
}

/// [`SHEET_ROWS`]: the long rows under the contract's header.
fn write_rows(ws: &mut Worksheet, f: &Formats, rows: &[AggregateRow]) -> Result<(), XlsxError> {
    ws.set_name(SHEET_ROWS)?;
    write_header(ws, f, &COLUMNS, &NUMERIC_ROW_COLUMNS)?;
    set_widths(
        ws,
        0,
        &[
            20.0, 36.0, 7.0, 28.0, 7.0, 7.0, 60.0, 8.0, 80.0, 12.0, 7.0, 40.0, 16.0, 50.0,
        ],
    )?;
    for (i, r) in rows.iter().enumerate() {
        let at = row_num(i + 1)?;
        put_text(ws, at, 0, &r.administration_id, &f.text)?;
        put_text(ws, at, 1, &r.administration_name, &f.text)?;
        put_number(ws, at, 2, r.year.map(f64::from), &f.number)?;
        put_text(ws, at, 3, &r.program.0, &f.text)?;
        put_number(ws, at, 4, r.area.map(f64::from), &f.number)?;
        put_text(ws, at, 5, &r.code.to_string(), &f.text)?;
        put_text(ws, at, 6, &r.question, &f.wrap)?;
        let answer = answer_word(r.answer);
        put_text(ws, at, 7, answer, f.answer(answer))?;
        put_text(ws, at, 8, &r.comment, &f.wrap)?;
        put_number(ws, at, 9, confidence(r.confidence), &f.confidence)?;
        put_number(ws, at, 10, Some(r.page as f64), &f.number)?;
        put_text(ws, at, 11, &r.source_path, &f.text)?;
        put_text(ws, at, 12, &r.source_sha256, &f.text)?;
        put_text(ws, at, 13, &r.item_key, &f.text)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row_num(rows.len())?, col_num(COLUMNS.len() - 1)?)?;
    Ok(())
}

/// [`SHEET_MATRIX`]: reports × programme/code, coloured answers.
fn write_matrix(
    ws: &mut Worksheet,
    f: &Formats,
    o: &Overview<'_>,
    columns: &[(usize, &Column<'_>)],
) -> Result<(), XlsxError> {
    const FIRST: ColNum = 2;
    ws.set_name(SHEET_MATRIX)?;
    set_widths(ws, 0, &[36.0, 6.0])?;
    ws.write_string_with_format(0, 0, "Program", &f.header)?;
    ws.write_blank(0, 1, &f.header)?;
    put_header(ws, 1, 0, &["Förvaltning"], &f.header)?;
    put_header(ws, 1, 1, &["År"], &f.header_number)?;

    write_matrix_header(ws, f, FIRST, columns)?;

    for (i, e) in o.entries.iter().enumerate() {
        let at = row_num(i + 2)?;
        put_text(ws, at, 0, &e.label, label_format(f, e))?;
        put_number(ws, at, 1, e.year.map(f64::from), &f.number)?;
        for (j, &(column, _)) in columns.iter().enumerate() {
            let rows = o.cell(i, column);
            if rows.is_empty() {
                continue;
            }
            let text = cell_answers(rows);
            put_text(ws, at, FIRST + col_num(j)?, &text, f.answer(&text))?;
        }
    }
    ws.set_freeze_panes(2, FIRST)?;
    write_matrix_legend(ws, f, row_num(o.entries.len() + 3)?)
}

/// The matrix's two header rows from column `first`: each column's
/// programme, then its code. A programme's codes are side by side (one
/// column group a programme), and every column names its programme in a
/// cell of its own: no merged cells, which a pivot or a filter reads as
/// one programme column and blanks. The first column of a group has a
/// border on its left, so that groups still read apart.
fn write_matrix_header(
    ws: &mut Worksheet,
    f: &Formats,
    first: ColNum,
    columns: &[(usize, &Column<'_>)],
) -> Result<(), XlsxError> {
    for (i, (_, c)) in columns.iter().enumerate() {
        let col = first + col_num(i)?;
        let starts_group = i == 0 || columns[i - 1].1.program != c.program;
        let format = if starts_group {
            &f.header_group
        } else {
            &f.header_center
        };
        ws.write_string_with_format(0, col, &c.program.0, format)?;
        ws.write_string_with_format(1, col, c.code.to_string(), format)?;
        ws.set_column_width(col, 7.5)?;
    }
    Ok(())
}

/// A matrix cell's text: its answer, or its different answers in order of
/// first appearance ("ja/nej", "tomt" for a blank one).
fn cell_answers(rows: &[&AggregateRow]) -> String {
    let mut seen: Vec<Option<Answer>> = Vec::new();
    for r in rows {
        if !seen.contains(&r.answer) {
            seen.push(r.answer);
        }
    }
    match seen.as_slice() {
        [one] => answer_word(*one).to_string(),
        many => many
            .iter()
            .map(|a| answer_or_tomt(*a))
            .collect::<Vec<_>>()
            .join("/"),
    }
}

/// The legend under the matrix, from row `at`.
fn write_matrix_legend(ws: &mut Worksheet, f: &Formats, mut at: RowNum) -> Result<(), XlsxError> {
    ws.write_string_with_format(at, 0, "Förklaring", &f.title)?;
    let legend = [
        ("ja", "Ja"),
        ("nej", "Nej"),
        ("delvis", "Delvis"),
        ("", "Besvarad, svaret lämnat tomt"),
        ("ja/nej", "Olika svar på samma kod i rapporten"),
    ];
    for (sample, meaning) in legend {
        at += 1;
        ws.write_string(at, 0, meaning)?;
        put_text(ws, at, 1, sample, f.answer(sample))?;
    }
    ws.write_string(at + 1, 0, "Tom vit ruta: raden finns inte i rapporten")?;
    ws.write_string(
        at + 2,
        0,
        "Förvaltning i kursiv: okänd förvaltning, filens namn visas",
    )?;
    Ok(())
}

/// The count columns' header.
const COUNT_LABELS: [&str; 5] = ["ja", "nej", "delvis", "tomt", "totalt"];

/// [`SHEET_COUNTS`]: per report (left) and per item (right), side by
/// side, each with a total row. The item table is the right one so that
/// its last column, the question, can run on into empty cells.
fn write_counts(
    ws: &mut Worksheet,
    f: &Formats,
    o: &Overview<'_>,
    columns: &[(usize, &Column<'_>)],
) -> Result<(), XlsxError> {
    ws.set_name(SHEET_COUNTS)?;
    write_counts_per_report(ws, f, &o.entries)?;
    write_counts_per_item(ws, f, columns)?;
    ws.set_freeze_panes(2, 0)?;
    Ok(())
}

/// Per report: Förvaltning | År | Källa | counts | Saknade rader | Varningar.
fn write_counts_per_report(
    ws: &mut Worksheet,
    f: &Formats,
    entries: &[Entry<'_>],
) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, "Per förvaltning", &f.title)?;
    put_header(ws, 1, 0, &["Förvaltning"], &f.header)?;
    put_header(ws, 1, 1, &["År"], &f.header_number)?;
    put_header(ws, 1, 2, &["Källa"], &f.header)?;
    put_header(ws, 1, 3, &COUNT_LABELS, &f.header_number)?;
    put_header(ws, 1, 8, &["Saknade rader", "Varningar"], &f.header_number)?;
    set_widths(
        ws,
        0,
        &[36.0, 6.0, 32.0, 7.0, 7.0, 7.0, 7.0, 7.0, 9.0, 10.0, 3.0],
    )?;
    let mut sum = Tally::default();
    let (mut missing_sum, mut warnings_sum) = (0, 0);
    for (i, e) in entries.iter().enumerate() {
        let at = row_num(i + 2)?;
        let tally = Tally::of(e.rows.iter().copied());
        sum += tally;
        put_text(ws, at, 0, &e.label, label_format(f, e))?;
        put_number(ws, at, 1, e.year.map(f64::from), &f.number)?;
        put_text(ws, at, 2, e.path, &f.text)?;
        put_counts(ws, at, 3, tally_cells(tally), &f.number)?;
        // Rows alone say nothing of missing rows or warnings: blank.
        let missing = e.report.map(|_| e.missing.len());
        let warnings = e.report.map(|r| r.warnings.len());
        missing_sum += missing.unwrap_or(0);
        warnings_sum += warnings.unwrap_or(0);
        put_number(ws, at, 8, missing.map(|n| n as f64), &f.number)?;
        put_number(ws, at, 9, warnings.map(|n| n as f64), &f.number)?;
    }
    let at = row_num(entries.len() + 2)?;
    ws.write_string_with_format(at, 0, "Totalt", &f.total)?;
    ws.write_blank(at, 1, &f.total)?;
    ws.write_blank(at, 2, &f.total)?;
    put_counts(ws, at, 3, tally_cells(sum), &f.total)?;
    put_counts(ws, at, 8, [missing_sum, warnings_sum], &f.total)?;
    Ok(())
}

/// Per item, from [`COUNTS_ITEM_FIRST`]: Program | Område | Kod | counts | Fråga.
fn write_counts_per_item(
    ws: &mut Worksheet,
    f: &Formats,
    columns: &[(usize, &Column<'_>)],
) -> Result<(), XlsxError> {
    const RIGHT: ColNum = COUNTS_ITEM_FIRST;
    ws.write_string_with_format(0, RIGHT, "Per fråga", &f.title)?;
    put_header(ws, 1, RIGHT, &["Program"], &f.header)?;
    put_header(ws, 1, RIGHT + 1, &["Område"], &f.header_number)?;
    put_header(ws, 1, RIGHT + 2, &["Kod"], &f.header)?;
    put_header(ws, 1, RIGHT + 3, &COUNT_LABELS, &f.header_number)?;
    put_header(ws, 1, RIGHT + 8, &["Fråga"], &f.header)?;
    set_widths(ws, RIGHT, &[28.0, 8.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 80.0])?;
    let mut sum = Tally::default();
    for (i, (_, c)) in columns.iter().enumerate() {
        let at = row_num(i + 2)?;
        sum += c.tally;
        put_text(ws, at, RIGHT, &c.program.0, &f.text)?;
        put_number(ws, at, RIGHT + 1, c.area.map(f64::from), &f.number)?;
        put_text(ws, at, RIGHT + 2, &c.code.to_string(), &f.text)?;
        put_counts(ws, at, RIGHT + 3, tally_cells(c.tally), &f.number)?;
        put_text(ws, at, RIGHT + 8, c.first_question.unwrap_or(""), &f.text)?;
    }
    let at = row_num(columns.len() + 2)?;
    ws.write_string_with_format(at, RIGHT, "Totalt", &f.total)?;
    ws.write_blank(at, RIGHT + 1, &f.total)?;
    ws.write_blank(at, RIGHT + 2, &f.total)?;
    put_counts(ws, at, RIGHT + 3, tally_cells(sum), &f.total)?;
    ws.write_blank(at, RIGHT + 8, &f.total)?;
    Ok(())
}

/// Writes counts as numbers from column `first`.
fn put_counts<const N: usize>(
    ws: &mut Worksheet,
    row: RowNum,
    first: ColNum,
    counts: [usize; N],
    format: &Format,
) -> Result<(), XlsxError> {
    for (k, n) in counts.into_iter().enumerate() {
        ws.write_number_with_format(row, first + col_num(k)?, n as f64, format)?;
    }
    Ok(())
}

/// One line of [`SHEET_REVIEW`].
struct ReviewLine<'v> {
    category: &'static str,
    entry: &'v Entry<'v>,
    program: Option<&'v ProgramId>,
    code: Option<Code>,
    page: Option<usize>,
    kind: String,
    message: String,
    confidence: Option<f32>,
}

impl<'v> ReviewLine<'v> {
    fn new(category: &'static str, entry: &'v Entry<'v>) -> ReviewLine<'v> {
        ReviewLine {
            category,
            entry,
            program: None,
            code: None,
            page: None,
            kind: String::new(),
            message: String::new(),
            confidence: None,
        }
    }
}

/// What a reviewer should look at, category by category, reports in
/// [`Overview::entries`] order within each.
fn review_lines<'v>(o: &'v Overview<'_>) -> Vec<ReviewLine<'v>> {
    let mut out = duplicate_lines(o);
    out.extend(warning_lines(o));
    out.extend(low_confidence_lines(o));
    out.extend(repeated_code_lines(o));
    out.extend(missing_lines(o));
    out
}

/// [`category::DUPLICATE`]: each report of an administration (and year)
/// reported more than once, with the other files.
fn duplicate_lines<'v>(o: &'v Overview<'_>) -> Vec<ReviewLine<'v>> {
    let mut out = Vec::new();
    for e in &o.entries {
        for (key, paths) in &o.duplicates {
            if paths.iter().any(|p| p == e.path) {
                let others: Vec<&str> = paths
                    .iter()
                    .map(String::as_str)
                    .filter(|p| *p != e.path)
                    .collect();
                out.push(ReviewLine {
                    kind: "duplicate".to_string(),
                    message: format!(
                        "{key} rapporteras {} gånger; även i {}",
                        paths.len(),
                        others.join(", ")
                    ),
                    ..ReviewLine::new(category::DUPLICATE, e)
                });
            }
        }
    }
    out
}

/// [`category::WARNING`]: the extraction's warnings.
fn warning_lines<'v>(o: &'v Overview<'_>) -> Vec<ReviewLine<'v>> {
    let mut out = Vec::new();
    for e in &o.entries {
        for w in e.report.iter().flat_map(|r| &r.warnings) {
            out.push(ReviewLine {
                page: w.page,
                kind: w.kind.to_string(),
                message: w.message.clone(),
                ..ReviewLine::new(category::WARNING, e)
            });
        }
    }
    out
}

/// [`category::LOW_CONFIDENCE`]: rows below [`LOW_CONFIDENCE`].
fn low_confidence_lines<'v>(o: &'v Overview<'_>) -> Vec<ReviewLine<'v>> {
    o.low_confidence()
        .into_iter()
        .map(|(e, r)| ReviewLine {
            program: Some(&r.program),
            code: Some(r.code),
            page: Some(r.page),
            message: format!("Svar: {}. {}", answer_or_tomt(r.answer), r.question),
            confidence: Some(r.confidence),
            ..ReviewLine::new(category::LOW_CONFIDENCE, e)
        })
        .collect()
}

/// [`category::REPEATED_CODE`]: a programme/code with more than one row in
/// a report, with each row's answer and page.
fn repeated_code_lines<'v>(o: &'v Overview<'_>) -> Vec<ReviewLine<'v>> {
    o.repeated()
        .into_iter()
        .map(|rep| {
            let answers: Vec<String> = rep
                .rows
                .iter()
                .map(|r| format!("{} (s. {})", answer_or_tomt(r.answer), r.page))
                .collect();
            ReviewLine {
                program: Some(&rep.column.program),
                code: Some(rep.column.code),
                page: rep.rows.first().map(|r| r.page),
                message: format!(
                    "{} rader med samma kod: {}",
                    rep.rows.len(),
                    answers.join(", ")
                ),
                ..ReviewLine::new(category::REPEATED_CODE, rep.entry)
            }
        })
        .collect()
}

/// [`category::MISSING`]: catalogue rows a report does not answer.
fn missing_lines<'v>(o: &'v Overview<'_>) -> Vec<ReviewLine<'v>> {
    let mut out = Vec::new();
    for e in &o.entries {
        for m in e.missing {
            out.push(ReviewLine {
                program: Some(&m.program),
                code: Some(m.code),
                message: "Rapporten besvarar inte raden".to_string(),
                ..ReviewLine::new(category::MISSING, e)
            });
        }
    }
    out
}

/// [`SHEET_REVIEW`]: one filterable table of [`review_lines`].
fn write_review(ws: &mut Worksheet, f: &Formats, o: &Overview<'_>) -> Result<(), XlsxError> {
    ws.set_name(SHEET_REVIEW)?;
    write_header(ws, f, &REVIEW_COLUMNS, &NUMERIC_REVIEW_COLUMNS)?;
    set_widths(
        ws,
        0,
        &[14.0, 36.0, 6.0, 28.0, 7.0, 6.0, 18.0, 80.0, 9.0, 40.0],
    )?;
    let lines = review_lines(o);
    for (i, l) in lines.iter().enumerate() {
        let at = row_num(i + 1)?;
        put_text(ws, at, 0, l.category, &f.text)?;
        put_text(ws, at, 1, &l.entry.label, label_format(f, l.entry))?;
        put_number(ws, at, 2, l.entry.year.map(f64::from), &f.number)?;
        put_text(ws, at, 3, l.program.map_or("", |p| &p.0), &f.text)?;
        let code = l.code.map(|c| c.to_string()).unwrap_or_default();
        put_text(ws, at, 4, &code, &f.text)?;
        put_number(ws, at, 5, l.page.map(|p| p as f64), &f.number)?;
        put_text(ws, at, 6, &l.kind, &f.text)?;
        put_text(ws, at, 7, &l.message, &f.wrap)?;
        put_number(ws, at, 8, l.confidence.and_then(confidence), &f.confidence)?;
        put_text(ws, at, 9, l.entry.path, &f.text)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(
        0,
        0,
        row_num(lines.len())?,
        col_num(REVIEW_COLUMNS.len() - 1)?,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(answer: Option<Answer>) -> AggregateRow {
        AggregateRow {
            administration_id: String::new(),
            administration_name: String::new(),
            year: None,
            program: ProgramId("p".to_string()),
            area: None,
            code: Code::new(1, 1),
            question: String::new(),
            answer,
            comment: String::new(),
            confidence: 1.0,
            page: 1,
            source_path: "a.txt".to_string(),
            source_sha256: String::new(),
            item_key: String::new(),
        }
    }

    #[test]
    fn a_cell_shows_its_answer_or_its_different_answers_in_order() {
        let (ja, nej, blank) = (row(Some(Answer::Ja)), row(Some(Answer::Nej)), row(None));
        assert_eq!(cell_answers(&[&ja, &ja]), "ja");
        assert_eq!(cell_answers(&[&blank]), "");
        assert_eq!(cell_answers(&[&nej, &ja, &nej]), "nej/ja");
        assert_eq!(cell_answers(&[&ja, &blank]), "ja/tomt");
    }

    #[test]
    fn overlong_text_is_cut_to_the_cell_limit() {
        let long = "å".repeat(MAX_CELL_CHARS + 10);
        let cut = cell_text(&long);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with('…'));
        assert!(matches!(cell_text("kort"), Cow::Borrowed("kort")));
    }

    #[test]
    fn confidence_keeps_its_short_decimal_form() {
        assert_eq!(confidence(0.97), Some(0.97));
        assert_eq!(confidence(f32::NAN), None);
    }

    #[test]
    fn same_input_same_bytes_even_when_empty() {
        let a = to_xlsx(&[], &[]).unwrap();
        let b = to_xlsx(&[], &[]).unwrap();
        assert_eq!(a, b);
        assert!(a.starts_with(b"PK"));
    }
}
