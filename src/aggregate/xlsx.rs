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
//!   (programme, code), frozen panes, and a legend under the table.
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
//! Reports are matched to rows by source path and SHA-256. The output is
//! deterministic: the creation date is fixed, every ordering comes from the
//! input or a sort, and the zip entries carry no timestamps.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rust_xlsxwriter::{
    ColNum, Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, RowNum,
    Workbook, Worksheet, XlsxError,
};

use super::{duplicates, AggregateRow, COLUMNS};
use crate::model::Code;
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
pub const LOW_CONFIDENCE: f32 = 0.5;

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
    let formats = Formats::new();
    let entries = entries(reports, rows);
    let columns = columns(rows);

    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title("Uppföljning – sammanställning")
            .set_author("uppfoljning")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    write_rows(workbook.add_worksheet(), &formats, rows)?;
    write_matrix(workbook.add_worksheet(), &formats, &entries, &columns)?;
    write_counts(workbook.add_worksheet(), &formats, &entries, &columns, rows)?;
    write_review(workbook.add_worksheet(), &formats, reports, &entries)?;
    workbook.save_to_buffer()
}

/// Every cell format used, built once.
struct Formats {
    header: Format,
    header_number: Format,
    header_center: Format,
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

/// One report (or rows whose source matches no report): a row of the
/// matrix and of the per-report counts.
struct Entry<'a> {
    /// Administration name, or the file name where unknown.
    label: String,
    /// Whether the administration is known.
    known: bool,
    year: Option<u16>,
    source_path: &'a str,
    report: Option<&'a Report>,
    rows: Vec<&'a AggregateRow>,
}

/// Reports with their rows, sorted by label (Swedish alphabet), year and
/// source path, so that duplicates sit together.
fn entries<'a>(reports: &'a [Report], rows: &'a [AggregateRow]) -> Vec<Entry<'a>> {
    let mut out: Vec<Entry<'a>> = Vec::new();
    let mut by_source: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for r in reports {
        let name = r.administration.as_ref().map(|a| a.name.as_str());
        by_source
            .entry((r.source.path.as_str(), r.source.sha256.as_str()))
            .or_insert(out.len());
        out.push(Entry {
            label: label(name, &r.source.path),
            known: name.is_some_and(|n| !n.is_empty()),
            year: r.period.as_ref().map(|p| p.year),
            source_path: &r.source.path,
            report: Some(r),
            rows: Vec::new(),
        });
    }
    for row in rows {
        let key = (row.source_path.as_str(), row.source_sha256.as_str());
        let i = *by_source.entry(key).or_insert_with(|| {
            let name = Some(row.administration_name.as_str());
            out.push(Entry {
                label: label(name, &row.source_path),
                known: !row.administration_name.is_empty(),
                year: row.year,
                source_path: &row.source_path,
                report: None,
                rows: Vec::new(),
            });
            out.len() - 1
        });
        out[i].rows.push(row);
    }
    out.sort_by(|a, b| {
        (swedish_key(&a.label), a.year, a.source_path).cmp(&(
            swedish_key(&b.label),
            b.year,
            b.source_path,
        ))
    });
    out
}

/// The administration's name, or the file name of `path` where it is
/// unknown.
fn label(name: Option<&str>, path: &str) -> String {
    match name {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => file_name(path).to_string(),
    }
}

/// The last component of a `/`- or `\`-separated path.
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\'])
        .find(|s| !s.is_empty())
        .unwrap_or(path)
}

/// A sort key that puts å, ä, ö after z, as a Swedish reader expects.
fn swedish_key(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'å' => '\u{7b}',
            'ä' | 'æ' => '\u{7c}',
            'ö' | 'ø' => '\u{7d}',
            c => c,
        })
        .collect()
}

/// A programme/code present in the rows: a column of the matrix and a row
/// of the per-item counts.
struct Column<'a> {
    program: &'a str,
    code: &'a str,
    area: Option<u16>,
    /// The question of the first row with this code.
    question: &'a str,
}

/// Programme/codes in the rows: programmes in order of first appearance,
/// codes in numeric order within each (1:2 before 1:10), codes that are
/// not "N:M" last.
fn columns(rows: &[AggregateRow]) -> Vec<Column<'_>> {
    let mut programs: Vec<&str> = Vec::new();
    let mut by_key: BTreeMap<(usize, u16, u16, &str), Column<'_>> = BTreeMap::new();
    for row in rows {
        let p = match programs.iter().position(|p| *p == row.program) {
            Some(p) => p,
            None => {
                programs.push(&row.program);
                programs.len() - 1
            }
        };
        let (major, minor) = row
            .code
            .parse::<Code>()
            .map(|c| (c.major, c.minor))
            .unwrap_or((u16::MAX, u16::MAX));
        by_key
            .entry((p, major, minor, &row.code))
            .or_insert_with(|| Column {
                program: &row.program,
                code: &row.code,
                area: row.area,
                question: &row.question,
            });
    }
    by_key.into_values().collect()
}

/// Answers counted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Tally {
    ja: usize,
    nej: usize,
    delvis: usize,
    /// Left blank (or anything that is not one of the three answers).
    blank: usize,
}

impl Tally {
    fn add(&mut self, answer: &str) {
        match answer {
            "ja" => self.ja += 1,
            "nej" => self.nej += 1,
            "delvis" => self.delvis += 1,
            _ => self.blank += 1,
        }
    }

    fn of<'a>(answers: impl IntoIterator<Item = &'a str>) -> Tally {
        let mut t = Tally::default();
        for a in answers {
            t.add(a);
        }
        t
    }

    fn total(&self) -> usize {
        self.ja + self.nej + self.delvis + self.blank
    }

    fn plus(self, o: Tally) -> Tally {
        Tally {
            ja: self.ja + o.ja,
            nej: self.nej + o.nej,
            delvis: self.delvis + o.delvis,
            blank: self.blank + o.blank,
        }
    }

    /// ja, nej, delvis, blank, total.
    fn cells(&self) -> [usize; 5] {
        [self.ja, self.nej, self.delvis, self.blank, self.total()]
    }
}

/// An answer as a word: "tomt" for a blank one.
fn answer_word(answer: &str) -> &str {
    if answer.is_empty() {
        "tomt"
    } else {
        answer
    }
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
    match s.char_indices().nth(MAX_CELL_CHARS) {
        None => Cow::Borrowed(s),
        Some(_) => {
            let mut t: String = s.chars().take(MAX_CELL_CHARS - 1).collect();
            t.push('…');
            Cow::Owned(t)
        }
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
            20.0, 36.0, 7.0, 28.0, 7.0, 7.0, 60.0, 8.0, 80.0, 12.0, 7.0, 40.0, 16.0,
        ],
    )?;
    for (i, r) in rows.iter().enumerate() {
        let at = row_num(i + 1)?;
        put_text(ws, at, 0, &r.administration_id, &f.text)?;
        put_text(ws, at, 1, &r.administration_name, &f.text)?;
        put_number(ws, at, 2, r.year.map(f64::from), &f.number)?;
        put_text(ws, at, 3, &r.program, &f.text)?;
        put_number(ws, at, 4, r.area.map(f64::from), &f.number)?;
        put_text(ws, at, 5, &r.code, &f.text)?;
        put_text(ws, at, 6, &r.question, &f.wrap)?;
        put_text(ws, at, 7, &r.answer, f.answer(&r.answer))?;
        put_text(ws, at, 8, &r.comment, &f.wrap)?;
        put_number(ws, at, 9, confidence(r.confidence), &f.confidence)?;
        put_number(ws, at, 10, Some(r.page as f64), &f.number)?;
        put_text(ws, at, 11, &r.source_path, &f.text)?;
        put_text(ws, at, 12, &r.source_sha256, &f.text)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row_num(rows.len())?, col_num(COLUMNS.len() - 1)?)?;
    Ok(())
}

/// [`SHEET_MATRIX`]: reports × programme/code, coloured answers.
fn write_matrix(
    ws: &mut Worksheet,
    f: &Formats,
    entries: &[Entry<'_>],
    columns: &[Column<'_>],
) -> Result<(), XlsxError> {
    const FIRST: ColNum = 2;
    ws.set_name(SHEET_MATRIX)?;
    set_widths(ws, 0, &[36.0, 6.0])?;
    ws.write_string_with_format(0, 0, "Program", &f.header)?;
    ws.write_blank(0, 1, &f.header)?;
    put_header(ws, 1, 0, &["Förvaltning"], &f.header)?;
    put_header(ws, 1, 1, &["År"], &f.header_number)?;

    // Programme header: one merged cell over each programme's codes.
    let mut start = 0;
    while start < columns.len() {
        let program = columns[start].program;
        let end = columns[start..]
            .iter()
            .position(|c| c.program != program)
            .map_or(columns.len(), |n| start + n);
        let (c0, c1) = (FIRST + col_num(start)?, FIRST + col_num(end - 1)?);
        if c0 == c1 {
            ws.write_string_with_format(0, c0, program, &f.header_center)?;
        } else {
            ws.merge_range(0, c0, 0, c1, program, &f.header_center)?;
        }
        start = end;
    }
    for (i, c) in columns.iter().enumerate() {
        let col = FIRST + col_num(i)?;
        ws.write_string_with_format(1, col, c.code, &f.header_center)?;
        ws.set_column_width(col, 7.5)?;
    }

    for (i, e) in entries.iter().enumerate() {
        let at = row_num(i + 2)?;
        let label_format = if e.known { &f.text } else { &f.unknown_label };
        put_text(ws, at, 0, &e.label, label_format)?;
        put_number(ws, at, 1, e.year.map(f64::from), &f.number)?;
        let mut answers: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
        for r in &e.rows {
            let seen = answers
                .entry((r.program.as_str(), r.code.as_str()))
                .or_default();
            if !seen.contains(&r.answer.as_str()) {
                seen.push(&r.answer);
            }
        }
        for (j, c) in columns.iter().enumerate() {
            let Some(seen) = answers.get(&(c.program, c.code)) else {
                continue;
            };
            let text = match seen.as_slice() {
                [one] => (*one).to_string(),
                many => many
                    .iter()
                    .map(|a| answer_word(a))
                    .collect::<Vec<_>>()
                    .join("/"),
            };
            put_text(ws, at, FIRST + col_num(j)?, &text, f.answer(&text))?;
        }
    }
    ws.set_freeze_panes(2, FIRST)?;

    // Legend under the table.
    let mut at = row_num(entries.len() + 3)?;
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

/// [`SHEET_COUNTS`]: per report (left) and per item (right), side by
/// side, each with a total row. The item table is the right one so that
/// its last column, the question, can run on into empty cells.
fn write_counts(
    ws: &mut Worksheet,
    f: &Formats,
    entries: &[Entry<'_>],
    columns: &[Column<'_>],
    rows: &[AggregateRow],
) -> Result<(), XlsxError> {
    const COUNT_LABELS: [&str; 5] = ["ja", "nej", "delvis", "tomt", "totalt"];
    const RIGHT: ColNum = COUNTS_ITEM_FIRST;
    ws.set_name(SHEET_COUNTS)?;

    // Per report: Förvaltning | År | Källa | counts | Saknade rader | Varningar.
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
        let tally = Tally::of(e.rows.iter().map(|r| r.answer.as_str()));
        sum = sum.plus(tally);
        let label_format = if e.known { &f.text } else { &f.unknown_label };
        put_text(ws, at, 0, &e.label, label_format)?;
        put_number(ws, at, 1, e.year.map(f64::from), &f.number)?;
        put_text(ws, at, 2, e.source_path, &f.text)?;
        put_counts(ws, at, 3, tally.cells(), &f.number)?;
        let missing = e.report.map(|r| r.missing.len());
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
    put_counts(ws, at, 3, sum.cells(), &f.total)?;
    put_counts(ws, at, 8, [missing_sum, warnings_sum], &f.total)?;

    // Per item: Program | Område | Kod | counts | Fråga.
    ws.write_string_with_format(0, RIGHT, "Per fråga", &f.title)?;
    put_header(ws, 1, RIGHT, &["Program"], &f.header)?;
    put_header(ws, 1, RIGHT + 1, &["Område"], &f.header_number)?;
    put_header(ws, 1, RIGHT + 2, &["Kod"], &f.header)?;
    put_header(ws, 1, RIGHT + 3, &COUNT_LABELS, &f.header_number)?;
    put_header(ws, 1, RIGHT + 8, &["Fråga"], &f.header)?;
    set_widths(ws, RIGHT, &[28.0, 8.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 80.0])?;
    let mut by_item: BTreeMap<(&str, &str), Tally> = BTreeMap::new();
    for r in rows {
        by_item
            .entry((r.program.as_str(), r.code.as_str()))
            .or_default()
            .add(&r.answer);
    }
    let mut sum = Tally::default();
    for (i, c) in columns.iter().enumerate() {
        let at = row_num(i + 2)?;
        let tally = by_item
            .get(&(c.program, c.code))
            .copied()
            .unwrap_or_default();
        sum = sum.plus(tally);
        put_text(ws, at, RIGHT, c.program, &f.text)?;
        put_number(ws, at, RIGHT + 1, c.area.map(f64::from), &f.number)?;
        put_text(ws, at, RIGHT + 2, c.code, &f.text)?;
        put_counts(ws, at, RIGHT + 3, tally.cells(), &f.number)?;
        put_text(ws, at, RIGHT + 8, c.question, &f.text)?;
    }
    let at = row_num(columns.len() + 2)?;
    ws.write_string_with_format(at, RIGHT, "Totalt", &f.total)?;
    ws.write_blank(at, RIGHT + 1, &f.total)?;
    ws.write_blank(at, RIGHT + 2, &f.total)?;
    put_counts(ws, at, RIGHT + 3, sum.cells(), &f.total)?;
    ws.write_blank(at, RIGHT + 8, &f.total)?;
    ws.set_freeze_panes(2, 0)?;
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
struct ReviewLine<'a> {
    category: &'static str,
    entry: &'a Entry<'a>,
    program: &'a str,
    code: String,
    page: Option<usize>,
    kind: &'a str,
    message: String,
    confidence: Option<f32>,
}

impl<'a> ReviewLine<'a> {
    fn new(category: &'static str, entry: &'a Entry<'a>) -> ReviewLine<'a> {
        ReviewLine {
            category,
            entry,
            program: "",
            code: String::new(),
            page: None,
            kind: "",
            message: String::new(),
            confidence: None,
        }
    }
}

/// What a reviewer should look at, category by category, reports in
/// [`entries`] order within each.
fn review_lines<'a>(reports: &[Report], entries: &'a [Entry<'a>]) -> Vec<ReviewLine<'a>> {
    let mut out = Vec::new();

    let dups = duplicates(reports);
    for e in entries {
        for (key, paths) in &dups {
            if paths.iter().any(|p| p == e.source_path) {
                let others: Vec<&str> = paths
                    .iter()
                    .map(String::as_str)
                    .filter(|p| *p != e.source_path)
                    .collect();
                out.push(ReviewLine {
                    kind: "duplicate",
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

    for e in entries {
        for w in e.report.iter().flat_map(|r| &r.warnings) {
            out.push(ReviewLine {
                page: w.page,
                kind: w.kind.as_str(),
                message: w.message.clone(),
                ..ReviewLine::new(category::WARNING, e)
            });
        }
    }

    for e in entries {
        for r in e.rows.iter().filter(|r| r.confidence < LOW_CONFIDENCE) {
            out.push(ReviewLine {
                program: &r.program,
                code: r.code.clone(),
                page: Some(r.page),
                message: format!("Svar: {}. {}", answer_word(&r.answer), r.question),
                confidence: Some(r.confidence),
                ..ReviewLine::new(category::LOW_CONFIDENCE, e)
            });
        }
    }

    for e in entries {
        let mut seen: BTreeMap<(&str, &str), Vec<&AggregateRow>> = BTreeMap::new();
        for r in &e.rows {
            seen.entry((&r.program, &r.code)).or_default().push(r);
        }
        for ((program, code), rs) in seen.into_iter().filter(|(_, rs)| rs.len() > 1) {
            let answers: Vec<String> = rs
                .iter()
                .map(|r| format!("{} (s. {})", answer_word(&r.answer), r.page))
                .collect();
            out.push(ReviewLine {
                program,
                code: code.to_string(),
                page: rs.first().map(|r| r.page),
                message: format!("{} rader med samma kod: {}", rs.len(), answers.join(", ")),
                ..ReviewLine::new(category::REPEATED_CODE, e)
            });
        }
    }

    for e in entries {
        for m in e.report.iter().flat_map(|r| &r.missing) {
            out.push(ReviewLine {
                program: &m.program.0,
                code: m.code.to_string(),
                message: "Rapporten besvarar inte raden".to_string(),
                ..ReviewLine::new(category::MISSING, e)
            });
        }
    }
    out
}

/// [`SHEET_REVIEW`]: one filterable table of [`review_lines`].
fn write_review(
    ws: &mut Worksheet,
    f: &Formats,
    reports: &[Report],
    entries: &[Entry<'_>],
) -> Result<(), XlsxError> {
    ws.set_name(SHEET_REVIEW)?;
    write_header(ws, f, &REVIEW_COLUMNS, &NUMERIC_REVIEW_COLUMNS)?;
    set_widths(
        ws,
        0,
        &[14.0, 36.0, 6.0, 28.0, 7.0, 6.0, 18.0, 80.0, 9.0, 40.0],
    )?;
    let lines = review_lines(reports, entries);
    for (i, l) in lines.iter().enumerate() {
        let at = row_num(i + 1)?;
        put_text(ws, at, 0, l.category, &f.text)?;
        let label_format = if l.entry.known {
            &f.text
        } else {
            &f.unknown_label
        };
        put_text(ws, at, 1, &l.entry.label, label_format)?;
        put_number(ws, at, 2, l.entry.year.map(f64::from), &f.number)?;
        put_text(ws, at, 3, l.program, &f.text)?;
        put_text(ws, at, 4, &l.code, &f.text)?;
        put_number(ws, at, 5, l.page.map(|p| p as f64), &f.number)?;
        put_text(ws, at, 6, l.kind, &f.text)?;
        put_text(ws, at, 7, &l.message, &f.wrap)?;
        put_number(ws, at, 8, l.confidence.and_then(confidence), &f.confidence)?;
        put_text(ws, at, 9, l.entry.source_path, &f.text)?;
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

    fn row(path: &str, program: &str, code: &str, answer: &str) -> AggregateRow {
        AggregateRow {
            administration_id: String::new(),
            administration_name: String::new(),
            year: None,
            program: program.into(),
            area: None,
            code: code.into(),
            question: String::new(),
            answer: answer.into(),
            comment: String::new(),
            confidence: 1.0,
            page: 1,
            source_path: path.into(),
            source_sha256: String::new(),
        }
    }

    #[test]
    fn codes_sort_numerically_within_programmes_in_order_of_appearance() {
        let rows = [
            row("a", "p2", "1:10", "ja"),
            row("a", "p2", "1:2", "ja"),
            row("a", "p1", "2:1", "ja"),
            row("a", "p2", "x", "ja"),
            row("a", "p1", "1:1", "ja"),
            row("b", "p2", "1:2", "nej"),
        ];
        let got: Vec<String> = columns(&rows)
            .iter()
            .map(|c| format!("{}/{}", c.program, c.code))
            .collect();
        assert_eq!(got, ["p2/1:2", "p2/1:10", "p2/x", "p1/1:1", "p1/2:1"]);
    }

    #[test]
    fn swedish_order_puts_a_ring_a_umlaut_o_umlaut_after_z() {
        let mut names = ["Östra", "Ängen", "Åby", "Zeta", "arbete"];
        names.sort_by_key(|n| swedish_key(n));
        assert_eq!(names, ["arbete", "Zeta", "Åby", "Ängen", "Östra"]);
    }

    #[test]
    fn unknown_administration_is_labelled_by_file_name() {
        assert_eq!(label(None, "corpus/2023/x.pdf"), "x.pdf");
        assert_eq!(label(Some(""), "C:\\in\\y.txt"), "y.txt");
        assert_eq!(label(Some("Park"), "z.pdf"), "Park");
    }

    #[test]
    fn rows_without_a_report_get_their_own_entry() {
        let rows = [row("b.txt", "p", "1:1", "ja"), row("a.txt", "p", "1:1", "")];
        let e = entries(&[], &rows);
        let labels: Vec<&str> = e.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(labels, ["a.txt", "b.txt"]);
        assert!(e.iter().all(|e| e.rows.len() == 1 && !e.known));
    }

    #[test]
    fn tally_counts_every_answer_once() {
        let t = Tally::of(["ja", "nej", "", "delvis", "ja"]);
        assert_eq!(t.cells(), [2, 1, 1, 1, 5]);
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
