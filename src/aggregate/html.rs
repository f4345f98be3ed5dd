//! The HTML overview for analysts: one self-contained page (inline CSS, no
//! network, no external assets) that shows many reports at a glance.
//!
//! The page has, in order: a header with totals; the answer matrix as a
//! heatmap (one row per report, one column per programme and code, cells
//! coloured by answer); answer counts per programme and area as CSS bar
//! charts; each report's completeness; a review list (uncertain rows,
//! warnings, missing rows, administrations reported more than once); and
//! the source files. The text is Swedish, for the analysts who read it.
//!
//! Output is deterministic: reports are sorted by name, year and path, and
//! nothing depends on the clock or the order of hash maps, so the same
//! input always gives the same bytes. Every string from a report is
//! HTML-escaped. A few lines of inline JavaScript add a filter box; the
//! page reads fully without them. Programme titles and area names come from
//! the embedded catalogue where its ids match; other programmes are shown by
//! their ids.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};

use super::{duplicates, AggregateRow};
use crate::catalog::Catalog;
use crate::model::Code;
use crate::report::{Report, SCHEMA_VERSION};

/// Rows below this confidence go to the review list.
const LOW_CONFIDENCE: f32 = 0.5;

/// How many characters of a comment a cell's tooltip shows.
const COMMENT_START: usize = 160;

/// Appends formatted text to a `String`; writing to a `String` cannot fail.
macro_rules! w {
    ($dst:expr, $($arg:tt)*) => {{
        let _ = write!($dst, $($arg)*);
    }};
}

/// Renders the overview page of `reports`.
///
/// `rows` are the reports' aggregate rows, as [`super::rows`] makes them:
/// the matrix, the counts and the low-confidence list read them (a row is
/// tied to its report by source path and SHA-256); completeness, warnings,
/// missing rows and duplicates read the reports. Rows of a report not in
/// `reports` still get a matrix row of their own.
pub fn to_html(reports: &[Report], rows: &[AggregateRow]) -> String {
    let catalog = Catalog::embedded().ok();
    let view = View::build(reports, rows, catalog.as_ref());
    let mut out = String::with_capacity(16_384 + rows.len() * 512);
    view.write(&mut out);
    out
}

/// HTML-escapes text for element content and quoted attribute values.
/// Line breaks become `&#10;` (kept in tooltips), other control characters
/// become spaces (they are not allowed in HTML).
struct Esc<'a>(&'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        let mut last = 0;
        for (i, c) in s.char_indices() {
            let rep = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                '\n' => "&#10;",
                c if c.is_control() && c != '\t' => " ",
                _ => continue,
            };
            f.write_str(&s[last..i])?;
            f.write_str(rep)?;
            last = i + c.len_utf8();
        }
        f.write_str(&s[last..])
    }
}

/// `s` HTML-escaped, as a `String`.
#[cfg(test)]
fn escape(s: &str) -> String {
    Esc(s).to_string()
}

/// The first `n` characters of `s`, with "…" when cut.
fn start_of(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", s[..i].trim_end()),
        None => s.to_string(),
    }
}

/// A number with two decimals and a decimal comma, as Swedish writes it.
fn sv_decimal(x: f32) -> String {
    format!("{x:.2}").replace('.', ",")
}

/// `part / whole` as a CSS percentage (dot decimal).
fn css_pct(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "0%".to_string();
    }
    format!("{:.2}%", 100.0 * part as f64 / whole as f64)
}

/// `part / whole` as a rounded Swedish percentage ("90 %").
fn sv_pct(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "–".to_string();
    }
    format!("{:.0} %", 100.0 * part as f64 / whole as f64)
}

/// The last component of a path, either separator.
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The shortest tail of `path` (whole components) that no other path of
/// `group` ends with; the whole path if none is shorter.
fn distinct_suffix<'p>(path: &'p str, group: &[String]) -> &'p str {
    let cuts: Vec<usize> = path
        .char_indices()
        .filter(|(_, c)| matches!(c, '/' | '\\'))
        .map(|(i, _)| i + 1)
        .rev()
        .collect();
    for cut in cuts {
        let tail = &path[cut..];
        let clash = group.iter().filter(|p| {
            p.as_str() != path
                && (p.as_str() == tail
                    || p.ends_with(&format!("/{tail}"))
                    || p.ends_with(&format!("\\{tail}")))
        });
        if clash.count() == 0 {
            return tail;
        }
    }
    path
}

/// A sort key that orders Swedish names as a Swedish reader expects
/// (case-insensitive, å ä ö after z).
fn sv_key(s: &str) -> Vec<u32> {
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

/// Orders codes numerically ("2:10" after "2:9"); non-codes after, by text.
fn code_order(a: &str, b: &str) -> Ordering {
    match (a.parse::<Code>(), b.parse::<Code>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

/// What a matrix cell shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Ja,
    Delvis,
    Nej,
    /// The row is there, its answer slot empty.
    Blank,
    /// The report lists the row as missing.
    Missing,
    /// The report neither answers nor lists the row (e.g. another report's
    /// unknown code).
    Absent,
}

impl State {
    /// The four states counted in the bar charts, in display order.
    const COUNTED: [State; 4] = [State::Ja, State::Delvis, State::Nej, State::Blank];

    fn of_answer(answer: &str) -> State {
        match answer {
            "ja" => State::Ja,
            "delvis" => State::Delvis,
            "nej" => State::Nej,
            _ => State::Blank,
        }
    }

    /// The `data-answer` value and CSS class suffix.
    fn attr(self) -> &'static str {
        match self {
            State::Ja => "ja",
            State::Delvis => "delvis",
            State::Nej => "nej",
            State::Blank => "blank",
            State::Missing => "missing",
            State::Absent => "none",
        }
    }

    /// The letter in the cell, so colour is not the only signal.
    fn glyph(self) -> &'static str {
        match self {
            State::Ja => "J",
            State::Delvis => "D",
            State::Nej => "N",
            State::Blank => "–",
            State::Missing | State::Absent => "",
        }
    }

    /// Swedish words for tooltips and legends.
    fn label(self) -> &'static str {
        match self {
            State::Ja => "Ja",
            State::Delvis => "Delvis",
            State::Nej => "Nej",
            State::Blank => "Ej besvarad",
            State::Missing => "Saknas i rapporten",
            State::Absent => "Ingår inte i rapporten",
        }
    }

    fn index(self) -> usize {
        match self {
            State::Ja => 0,
            State::Delvis => 1,
            State::Nej => 2,
            _ => 3,
        }
    }
}

/// How a programme is shown.
struct ProgInfo {
    id: String,
    /// "Trygghetsprogram 2022–2026".
    short: String,
    /// The catalogue's full title, or the id.
    title: String,
    /// "Målområde", "Fokusområde", or "Område" when unknown.
    area_label: String,
    /// Area number → title, from the catalogue.
    area_titles: Vec<(u16, String)>,
}

impl ProgInfo {
    fn new(id: &str, catalog: Option<&Catalog>) -> ProgInfo {
        let program = catalog.and_then(|c| c.programs.iter().find(|p| p.id.0 == id));
        ProgInfo {
            id: id.to_string(),
            short: short_program_name(id),
            title: program.map_or_else(|| id.to_string(), |p| p.title.clone()),
            area_label: match program {
                Some(p) if !p.area_label.is_empty() => p.area_label.clone(),
                _ => "Område".to_string(),
            },
            area_titles: program
                .map(|p| {
                    p.areas
                        .iter()
                        .map(|a| (a.number, a.title.clone()))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The area's header in `cols` columns: "Målområde 1" where it fits,
    /// "Mål 1" in two columns, "1" in one.
    fn area_header(&self, area: u16, cols: usize) -> String {
        match cols {
            0 | 1 => area.to_string(),
            2 => {
                let stem = self
                    .area_label
                    .strip_suffix("område")
                    .unwrap_or(&self.area_label);
                if stem.is_empty() {
                    area.to_string()
                } else {
                    format!("{stem} {area}")
                }
            }
            _ => self.area_name(area, false),
        }
    }

    /// "Målområde 1", with the area's title when known.
    fn area_name(&self, area: u16, with_title: bool) -> String {
        let title = self.area_titles.iter().find(|(n, _)| *n == area);
        match title {
            Some((_, t)) if with_title => format!("{} {area}: {t}", self.area_label),
            _ => format!("{} {area}", self.area_label),
        }
    }
}

/// "trygghetsprogram-2022-2026" → "Trygghetsprogram 2022–2026"; other ids
/// are kept as they are.
fn short_program_name(id: &str) -> String {
    let parts: Vec<&str> = id.split('-').collect();
    let years = |p: &&str| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit());
    match parts.iter().position(years) {
        Some(i) if i > 0 && parts[i..].iter().all(years) => {
            let name = parts[..i].join(" ");
            let mut chars = name.chars();
            let name: String = match chars.next() {
                Some(c) => c.to_uppercase().chain(chars).collect(),
                None => name,
            };
            format!("{name} {}", parts[i..].join("–"))
        }
        _ => id.to_string(),
    }
}

/// A matrix column: one programme's code.
struct Col {
    program: String,
    code: String,
    area: Option<u16>,
    /// The catalogue's question, for the header tooltip.
    question: Option<String>,
}

/// A matrix row: one report.
struct Line<'a> {
    /// Administration name, or the file name when unknown.
    label: String,
    /// Shown after the label: the year, and the file name where two lines
    /// would otherwise read the same.
    sub: String,
    admin_id: String,
    year: Option<u16>,
    path: String,
    sha: String,
    report: Option<&'a Report>,
    /// `program/code` the report lists as missing.
    missing: HashSet<String>,
}

impl Line<'_> {
    /// "Name 2023" for lists.
    fn title(&self) -> String {
        match self.year {
            Some(y) => format!("{} {y}", self.label),
            None => self.label.clone(),
        }
    }
}

/// Everything the page shows, computed once.
struct View<'a> {
    reports: &'a [Report],
    rows: &'a [AggregateRow],
    lines: Vec<Line<'a>>,
    cols: Vec<Col>,
    progs: Vec<ProgInfo>,
    /// (line, program, code) → the rows there, in input order.
    cells: HashMap<(usize, &'a str, &'a str), Vec<&'a AggregateRow>>,
    /// Row index → line index.
    row_line: Vec<usize>,
}

impl<'a> View<'a> {
    fn build(
        reports: &'a [Report],
        rows: &'a [AggregateRow],
        catalog: Option<&Catalog>,
    ) -> View<'a> {
        // Lines: one per report (a file given twice counts once), then one
        // per source of rows whose report was not given.
        let mut lines: Vec<Line<'a>> = Vec::new();
        let mut seen: HashSet<(&str, &str)> = HashSet::new();
        for r in reports {
            if !seen.insert((r.source.path.as_str(), r.source.sha256.as_str())) {
                continue;
            }
            let (admin_id, label) = match &r.administration {
                Some(a) => (a.id.clone(), a.name.clone()),
                None => (String::new(), file_name(&r.source.path).to_string()),
            };
            lines.push(Line {
                label,
                sub: String::new(),
                admin_id,
                year: r.period.as_ref().map(|p| p.year),
                path: r.source.path.clone(),
                sha: r.source.sha256.clone(),
                report: Some(r),
                missing: r.missing.iter().map(ToString::to_string).collect(),
            });
        }
        for row in rows {
            if seen.insert((row.source_path.as_str(), row.source_sha256.as_str())) {
                let label = if row.administration_name.is_empty() {
                    file_name(&row.source_path).to_string()
                } else {
                    row.administration_name.clone()
                };
                lines.push(Line {
                    label,
                    sub: String::new(),
                    admin_id: row.administration_id.clone(),
                    year: row.year,
                    path: row.source_path.clone(),
                    sha: row.source_sha256.clone(),
                    report: None,
                    missing: HashSet::new(),
                });
            }
        }
        lines.sort_by(|a, b| {
            sv_key(&a.label)
                .cmp(&sv_key(&b.label))
                .then(a.year.cmp(&b.year))
                .then(a.path.cmp(&b.path))
                .then(a.sha.cmp(&b.sha))
        });
        // Lines that would read the same get their file name, or their
        // whole path where the file names are the same too.
        let mut same: HashMap<(String, Option<u16>), Vec<String>> = HashMap::new();
        for l in &lines {
            same.entry((l.label.clone(), l.year))
                .or_default()
                .push(l.path.clone());
        }
        for l in &mut lines {
            let mut sub = l.year.map(|y| y.to_string()).unwrap_or_default();
            let twins = same
                .get(&(l.label.clone(), l.year))
                .map(Vec::as_slice)
                .unwrap_or_default();
            if twins.len() > 1 && !l.admin_id.is_empty() {
                if !sub.is_empty() {
                    sub.push_str(" · ");
                }
                sub.push_str(distinct_suffix(&l.path, twins));
            }
            l.sub = sub;
        }

        let line_of: HashMap<(&str, &str), usize> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| ((l.path.as_str(), l.sha.as_str()), i))
            .collect();
        let mut cells: HashMap<(usize, &'a str, &'a str), Vec<&'a AggregateRow>> = HashMap::new();
        let mut row_line = Vec::with_capacity(rows.len());
        for row in rows {
            let key = (row.source_path.as_str(), row.source_sha256.as_str());
            let li = line_of.get(&key).copied().unwrap_or(0);
            row_line.push(li);
            cells
                .entry((li, row.program.as_str(), row.code.as_str()))
                .or_default()
                .push(row);
        }

        // Columns: every (programme, code) answered or listed missing.
        let mut cols: Vec<Col> = Vec::new();
        let mut col_index: HashMap<(String, String), usize> = HashMap::new();
        let mut add = |program: &str, code: &str, area: Option<u16>| {
            let key = (program.to_string(), code.to_string());
            match col_index.get(&key) {
                Some(&i) => {
                    if cols[i].area.is_none() {
                        cols[i].area = area;
                    }
                }
                None => {
                    col_index.insert(key, cols.len());
                    cols.push(Col {
                        program: program.to_string(),
                        code: code.to_string(),
                        area,
                        question: None,
                    });
                }
            }
        };
        for row in rows {
            add(&row.program, &row.code, row.area);
        }
        for l in &lines {
            if let Some(r) = l.report {
                for m in &r.missing {
                    add(&m.program.0, &m.code.to_string(), None);
                }
            }
        }
        for col in &mut cols {
            let program = catalog.and_then(|c| c.programs.iter().find(|p| p.id.0 == col.program));
            let code = col.code.parse::<Code>().ok();
            if let (Some(p), Some(code)) = (program, code) {
                if col.area.is_none() {
                    col.area = p.area_of(code);
                }
                col.question = p.item(code).map(|i| i.question.clone());
            }
        }
        let rank = |program: &str| -> usize {
            catalog
                .and_then(|c| c.programs.iter().position(|p| p.id.0 == program))
                .unwrap_or(usize::MAX)
        };
        cols.sort_by(|a, b| {
            rank(&a.program)
                .cmp(&rank(&b.program))
                .then_with(|| a.program.cmp(&b.program))
                .then_with(|| code_order(&a.code, &b.code))
        });
        let mut progs: Vec<ProgInfo> = Vec::new();
        for c in &cols {
            if progs.last().is_none_or(|p| p.id != c.program) {
                progs.push(ProgInfo::new(&c.program, catalog));
            }
        }
        View {
            reports,
            rows,
            lines,
            cols,
            progs,
            cells,
            row_line,
        }
    }

    fn prog(&self, id: &str) -> Option<&ProgInfo> {
        self.progs.iter().find(|p| p.id == id)
    }

    fn short(&self, id: &str) -> String {
        self.prog(id)
            .map_or_else(|| short_program_name(id), |p| p.short.clone())
    }

    /// The state of a cell and the row it shows, if any.
    fn cell(&self, line: usize, col: &Col) -> (State, Option<&'a AggregateRow>, usize) {
        match self
            .cells
            .get(&(line, col.program.as_str(), col.code.as_str()))
        {
            Some(rows) if !rows.is_empty() => {
                (State::of_answer(&rows[0].answer), Some(rows[0]), rows.len())
            }
            _ => {
                let key = format!("{}/{}", col.program, col.code);
                let state = if self.lines[line].missing.contains(&key) {
                    State::Missing
                } else {
                    State::Absent
                };
                (state, None, 0)
            }
        }
    }

    fn write(&self, out: &mut String) {
        out.push_str("<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out.push_str("<title>Översikt – uppföljningsrapporter</title>\n");
        w!(out, "<style>\n{CSS}</style>\n</head>\n<body>\n");
        self.write_header(out);
        self.write_matrix(out);
        self.write_counts(out);
        self.write_completeness(out);
        self.write_review(out);
        self.write_sources(out);
        w!(out, "<script>\n{JS}</script>\n</body>\n</html>\n");
    }

    fn write_header(&self, out: &mut String) {
        let admins: HashSet<&str> = self
            .lines
            .iter()
            .filter(|l| !l.admin_id.is_empty())
            .map(|l| l.admin_id.as_str())
            .collect();
        let unknown = self.lines.iter().filter(|l| l.admin_id.is_empty()).count();
        let answered = self.rows.iter().filter(|r| !r.answer.is_empty()).count();
        let review = self.review_count();
        out.push_str("<header class=\"top\">\n<h1>Översikt</h1>\n");
        out.push_str("<p class=\"lede\">Uppföljning av Göteborgs Stads trygghetsskapande och brottsförebyggande program, handlingsplan och plan mot tystnadskulturer: svaren per förvaltning och fråga.</p>\n");
        out.push_str("<div class=\"cards\">\n");
        let card = |out: &mut String, n: String, what: &str, note: String| {
            w!(
                out,
                "<div class=\"card\"><div class=\"n\">{}</div><div class=\"what\">{}</div><div class=\"note\">{}</div></div>\n",
                Esc(&n),
                Esc(what),
                Esc(&note)
            );
        };
        card(
            out,
            self.lines.len().to_string(),
            "Rapporter",
            String::new(),
        );
        card(
            out,
            admins.len().to_string(),
            "Förvaltningar",
            if unknown > 0 {
                format!(
                    "+ {unknown} {} utan känd förvaltning",
                    if unknown == 1 { "rapport" } else { "rapporter" }
                )
            } else {
                String::new()
            },
        );
        card(
            out,
            answered.to_string(),
            "Besvarade frågor",
            format!(
                "av {} rader ({})",
                self.rows.len(),
                sv_pct(answered, self.rows.len())
            ),
        );
        card(
            out,
            review.to_string(),
            "Att granska",
            "se listan nedan".to_string(),
        );
        out.push_str("</div>\n");
        w!(
            out,
            "<p class=\"note\">Skapad av uppfoljning {} ur {} rapportdokument (schemaversion {SCHEMA_VERSION}). Källfilerna listas sist på sidan.</p>\n</header>\n",
            Esc(env!("CARGO_PKG_VERSION")),
            self.reports.len()
        );
    }

    fn write_matrix(&self, out: &mut String) {
        out.push_str("<section id=\"svar\">\n<h2>Svar per förvaltning och fråga</h2>\n");
        out.push_str("<div class=\"legend\">");
        for s in [
            State::Ja,
            State::Delvis,
            State::Nej,
            State::Blank,
            State::Missing,
            State::Absent,
        ] {
            w!(
                out,
                "<span><i class=\"sw c-{}\">{}</i>{}</span>",
                s.attr(),
                s.glyph(),
                Esc(s.label())
            );
        }
        out.push_str("</div>\n");
        out.push_str("<p class=\"filter noprint\" hidden><label>Filtrera rapporter: <input id=\"filter\" type=\"search\" placeholder=\"namn eller år\"></label></p>\n");
        if self.lines.is_empty() || self.cols.is_empty() {
            out.push_str("<p class=\"empty\">Inga rader att visa.</p>\n</section>\n");
            return;
        }
        out.push_str("<div class=\"matrix-wrap\">\n<table id=\"matrix\" class=\"matrix\">\n<thead>\n<tr><th class=\"corner\" rowspan=\"3\" scope=\"col\">Förvaltning <span class=\"year\">år</span></th>");
        // Programme row.
        let mut i = 0;
        while i < self.cols.len() {
            let p = &self.cols[i].program;
            let n = self.cols[i..]
                .iter()
                .take_while(|c| &c.program == p)
                .count();
            let (short, title) = self.prog(p).map_or((p.clone(), p.clone()), |pi| {
                (pi.short.clone(), pi.title.clone())
            });
            w!(
                out,
                "<th class=\"prog ps\" colspan=\"{n}\" scope=\"colgroup\" title=\"{}\">",
                Esc(&title)
            );
            // The years may go on a line of their own (print, narrow columns).
            match short.rsplit_once(' ') {
                Some((name, years)) => w!(
                    out,
                    "{} <span class=\"years\">{}</span></th>",
                    Esc(name),
                    Esc(years)
                ),
                None => w!(out, "{}</th>", Esc(&short)),
            }
            i += n;
        }
        out.push_str("</tr>\n<tr>");
        // Area row.
        let mut i = 0;
        while i < self.cols.len() {
            let (p, a) = (&self.cols[i].program, self.cols[i].area);
            let n = self.cols[i..]
                .iter()
                .take_while(|c| &c.program == p && c.area == a)
                .count();
            let first = i == 0 || &self.cols[i - 1].program != p;
            let class = if first { "area ps" } else { "area as" };
            match (a, self.prog(p)) {
                (Some(a), Some(pi)) => w!(
                    out,
                    "<th class=\"{class}\" colspan=\"{n}\" scope=\"colgroup\" title=\"{}\">{}</th>",
                    Esc(&pi.area_name(a, true)),
                    Esc(&pi.area_header(a, n))
                ),
                (Some(a), None) => w!(
                    out,
                    "<th class=\"{class}\" colspan=\"{n}\" scope=\"colgroup\">Område {a}</th>"
                ),
                (None, _) => w!(
                    out,
                    "<th class=\"{class} none\" colspan=\"{n}\" scope=\"colgroup\"></th>"
                ),
            }
            i += n;
        }
        out.push_str("</tr>\n<tr>");
        // Code row.
        for (i, c) in self.cols.iter().enumerate() {
            let class = self.col_class(i);
            let mut title = format!("{} {}", self.short(&c.program), c.code);
            if let Some(q) = &c.question {
                title.push_str(": ");
                title.push_str(q);
            }
            w!(
                out,
                "<th class=\"code{class}\" scope=\"col\" title=\"{}\">{}</th>",
                Esc(&title),
                Esc(&c.code)
            );
        }
        out.push_str("</tr>\n</thead>\n<tbody>\n");
        for (li, l) in self.lines.iter().enumerate() {
            w!(
                out,
                "<tr data-admin=\"{}\" data-year=\"{}\" data-source=\"{}\"><th class=\"who\" scope=\"row\" title=\"{}&#10;{}\"><span class=\"name\">{}</span>",
                Esc(&l.admin_id),
                l.year.map(|y| y.to_string()).unwrap_or_default(),
                Esc(&l.path),
                Esc(&l.title()),
                Esc(&l.path),
                Esc(&l.label)
            );
            if !l.sub.is_empty() {
                w!(out, " <span class=\"year\">{}</span>", Esc(&l.sub));
            }
            out.push_str("</th>");
            for (ci, c) in self.cols.iter().enumerate() {
                let (state, row, n) = self.cell(li, c);
                let title = self.cell_title(c, state, row, n);
                let low = row.is_some_and(|r| r.confidence < LOW_CONFIDENCE);
                w!(
                    out,
                    "<td class=\"c-{}{}{}\" data-admin=\"{}\" data-program=\"{}\" data-code=\"{}\" data-answer=\"{}\" title=\"{}\">{}</td>",
                    state.attr(),
                    self.col_class(ci),
                    if low { " low" } else { "" },
                    Esc(&l.admin_id),
                    Esc(&c.program),
                    Esc(&c.code),
                    state.attr(),
                    Esc(&title),
                    state.glyph()
                );
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</div>\n");
        out.push_str("<p class=\"note noprint\">Håll muspekaren över en ruta för frågan och början av kommentaren. Rutor med streckad ram har låg säkerhet (under 0,5).</p>\n</section>\n");
    }

    /// " ps" on a programme's first column, " as" on an area's first.
    fn col_class(&self, i: usize) -> &'static str {
        let c = &self.cols[i];
        match i.checked_sub(1).map(|j| &self.cols[j]) {
            None => " ps",
            Some(p) if p.program != c.program => " ps",
            Some(p) if p.area != c.area => " as",
            _ => "",
        }
    }

    fn cell_title(&self, col: &Col, state: State, row: Option<&AggregateRow>, n: usize) -> String {
        let mut t = format!("{} {}", self.short(&col.program), col.code);
        let question = row
            .map(|r| r.question.as_str())
            .filter(|q| !q.is_empty())
            .or(col.question.as_deref());
        if let Some(q) = question {
            t.push_str(": ");
            t.push_str(q);
        }
        t.push('\n');
        match row {
            Some(r) => {
                w!(
                    t,
                    "Svar: {} (sida {}, säkerhet {})",
                    state.label(),
                    r.page,
                    sv_decimal(r.confidence)
                );
                if n > 1 {
                    w!(t, " – raden förekommer {n} gånger");
                }
                if !r.comment.is_empty() {
                    t.push('\n');
                    t.push_str(&start_of(&r.comment, COMMENT_START));
                }
            }
            None => t.push_str(state.label()),
        }
        t
    }

    fn write_counts(&self, out: &mut String) {
        out.push_str(
            "<section id=\"fordelning\">\n<h2>Svarsfördelning per program och område</h2>\n",
        );
        if self.rows.is_empty() {
            out.push_str("<p class=\"empty\">Inga rader.</p>\n</section>\n");
            return;
        }
        out.push_str("<div class=\"progs\">\n");
        for p in &self.progs {
            let of_prog: Vec<&AggregateRow> =
                self.rows.iter().filter(|r| r.program == p.id).collect();
            if of_prog.is_empty() {
                continue;
            }
            w!(
                out,
                "<div class=\"prog-counts\">\n<h3 title=\"{}\">{}</h3>\n<table class=\"bars\">\n<thead><tr><th scope=\"col\">Område</th><th scope=\"col\">Fördelning</th>",
                Esc(&p.title),
                Esc(&p.short)
            );
            for s in State::COUNTED {
                w!(
                    out,
                    "<th scope=\"col\" class=\"num\">{}</th>",
                    Esc(s.label())
                );
            }
            out.push_str("</tr></thead>\n<tbody>\n");
            let mut areas: Vec<Option<u16>> = of_prog.iter().map(|r| r.area).collect();
            areas.sort();
            areas.dedup();
            let mut groups: Vec<(String, String, Vec<&AggregateRow>)> = Vec::new();
            if areas.len() > 1 || areas.first().is_some_and(Option::is_some) {
                for a in &areas {
                    let (name, title) = match a {
                        Some(a) => (p.area_name(*a, false), p.area_name(*a, true)),
                        None => ("Utan område".to_string(), "Utan område".to_string()),
                    };
                    let of_area = of_prog.iter().copied().filter(|r| r.area == *a).collect();
                    groups.push((name, title, of_area));
                }
            }
            groups.push(("Totalt".to_string(), p.title.clone(), of_prog));
            for (name, title, rows) in &groups {
                let mut counts = [0usize; 4];
                for r in rows {
                    counts[State::of_answer(&r.answer).index()] += 1;
                }
                let total: usize = counts.iter().sum();
                let class = if name == "Totalt" {
                    " class=\"total\""
                } else {
                    ""
                };
                w!(
                    out,
                    "<tr{class}><th scope=\"row\" title=\"{}\">{}</th><td><div class=\"bar\">",
                    Esc(title),
                    Esc(name)
                );
                for (s, n) in State::COUNTED.iter().zip(counts) {
                    if n > 0 {
                        w!(
                            out,
                            "<span class=\"seg c-{}\" style=\"width:{}\" title=\"{}: {n}\"></span>",
                            s.attr(),
                            css_pct(n, total),
                            Esc(s.label())
                        );
                    }
                }
                out.push_str("</div></td>");
                for n in counts {
                    w!(out, "<td class=\"num\">{n}</td>");
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody>\n</table>\n</div>\n");
        }
        out.push_str("</div>\n</section>\n");
    }

    fn write_completeness(&self, out: &mut String) {
        out.push_str("<section id=\"fullstandighet\">\n<h2>Fullständighet per förvaltning</h2>\n");
        out.push_str("<p class=\"note\">Besvarade rader (ja, delvis eller nej) av katalogens rader (rapportens rader och de som saknas).</p>\n");
        if self.lines.is_empty() {
            out.push_str("<p class=\"empty\">Inga rapporter.</p>\n</section>\n");
            return;
        }
        out.push_str("<table class=\"bars complete\">\n<thead><tr><th scope=\"col\">Förvaltning</th><th scope=\"col\">Andel besvarade</th><th scope=\"col\" class=\"num\">Besvarade</th><th scope=\"col\" class=\"num\">Andel</th></tr></thead>\n<tbody>\n");
        for (li, l) in self.lines.iter().enumerate() {
            let (answered, total) = match l.report {
                Some(r) => (
                    r.items.iter().filter(|i| i.answer.is_some()).count(),
                    r.items.len() + r.missing.len(),
                ),
                None => {
                    let mine = self
                        .rows
                        .iter()
                        .zip(&self.row_line)
                        .filter(|(_, &i)| i == li)
                        .map(|(r, _)| r);
                    let (mut a, mut t) = (0, 0);
                    for r in mine {
                        t += 1;
                        if !r.answer.is_empty() {
                            a += 1;
                        }
                    }
                    (a, t)
                }
            };
            w!(
                out,
                "<tr><th scope=\"row\" title=\"{}\">{}",
                Esc(&l.path),
                Esc(&l.label)
            );
            if !l.sub.is_empty() {
                w!(out, " <span class=\"year\">{}</span>", Esc(&l.sub));
            }
            w!(
                out,
                "</th><td><div class=\"bar\"><span class=\"seg fill\" style=\"width:{}\"></span></div></td><td class=\"num\">{answered} av {total}</td><td class=\"num\">{}</td></tr>\n",
                css_pct(answered, total),
                Esc(&sv_pct(answered, total))
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }

    /// Rows below [`LOW_CONFIDENCE`], in page order.
    fn low_rows(&self) -> Vec<(usize, &'a AggregateRow)> {
        let mut low: Vec<(usize, &AggregateRow)> = self
            .rows
            .iter()
            .zip(&self.row_line)
            .filter(|(r, _)| r.confidence < LOW_CONFIDENCE)
            .map(|(r, &li)| (li, r))
            .collect();
        low.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.page.cmp(&b.1.page)));
        low
    }

    fn review_count(&self) -> usize {
        let warnings: usize = self
            .lines
            .iter()
            .filter_map(|l| l.report)
            .map(|r| r.warnings.len())
            .sum();
        let missing = self
            .lines
            .iter()
            .filter_map(|l| l.report)
            .filter(|r| !r.missing.is_empty())
            .count();
        self.low_rows().len() + warnings + missing + duplicates(self.reports).len()
    }

    fn write_review(&self, out: &mut String) {
        out.push_str("<section id=\"granska\">\n<h2>Att granska</h2>\n");
        if self.review_count() == 0 {
            out.push_str("<p class=\"empty\">Inget att granska.</p>\n</section>\n");
            return;
        }
        let low = self.low_rows();
        if !low.is_empty() {
            w!(
                out,
                "<h3>Rader med låg säkerhet (under 0,5) <span class=\"count\">{}</span></h3>\n",
                low.len()
            );
            out.push_str("<table class=\"list\">\n<thead><tr><th scope=\"col\">Rapport</th><th scope=\"col\">Fil</th><th scope=\"col\" class=\"num\">Sida</th><th scope=\"col\">Rad</th><th scope=\"col\">Svar</th><th scope=\"col\" class=\"num\">Säkerhet</th><th scope=\"col\">Fråga</th></tr></thead>\n<tbody>\n");
            for (li, r) in low {
                let l = &self.lines[li];
                let state = State::of_answer(&r.answer);
                w!(
                    out,
                    "<tr><td>{}</td><td><code class=\"path\">{}</code></td><td class=\"num\">{}</td><td>{} {}</td><td><i class=\"sw c-{}\">{}</i>{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
                    Esc(&l.title()),
                    Esc(&r.source_path),
                    r.page,
                    Esc(&self.short(&r.program)),
                    Esc(&r.code),
                    state.attr(),
                    state.glyph(),
                    Esc(state.label()),
                    sv_decimal(r.confidence),
                    Esc(&start_of(&r.question, COMMENT_START))
                );
            }
            out.push_str("</tbody>\n</table>\n");
        }
        let warned: Vec<&Line> = self
            .lines
            .iter()
            .filter(|l| l.report.is_some_and(|r| !r.warnings.is_empty()))
            .collect();
        if !warned.is_empty() {
            let n: usize = warned
                .iter()
                .filter_map(|l| l.report)
                .map(|r| r.warnings.len())
                .sum();
            w!(
                out,
                "<h3>Varningar <span class=\"count\">{n}</span></h3>\n<table class=\"list\">\n<thead><tr><th scope=\"col\">Rapport</th><th scope=\"col\">Fil</th><th scope=\"col\" class=\"num\">Sida</th><th scope=\"col\">Typ</th><th scope=\"col\">Meddelande</th></tr></thead>\n<tbody>\n"
            );
            for l in warned {
                for wa in l.report.iter().flat_map(|r| &r.warnings) {
                    w!(
                        out,
                        "<tr><td>{}</td><td><code class=\"path\">{}</code></td><td class=\"num\">{}</td><td><code class=\"kind\">{}</code></td><td>{}</td></tr>\n",
                        Esc(&l.title()),
                        Esc(&l.path),
                        wa.page.map_or_else(|| "–".to_string(), |p| p.to_string()),
                        Esc(wa.kind.as_str()),
                        Esc(&wa.message)
                    );
                }
            }
            out.push_str("</tbody>\n</table>\n");
        }
        let missing: Vec<&Line> = self
            .lines
            .iter()
            .filter(|l| l.report.is_some_and(|r| !r.missing.is_empty()))
            .collect();
        if !missing.is_empty() {
            let n: usize = missing
                .iter()
                .filter_map(|l| l.report)
                .map(|r| r.missing.len())
                .sum();
            w!(
                out,
                "<h3>Saknade rader <span class=\"count\">{n}</span></h3>\n<p class=\"note\">Katalogens rader som rapporten inte besvarar (ingen sida: raden finns inte i dokumentet).</p>\n<table class=\"list\">\n<thead><tr><th scope=\"col\">Rapport</th><th scope=\"col\">Fil</th><th scope=\"col\">Saknas</th></tr></thead>\n<tbody>\n"
            );
            for l in missing {
                // "Programme: 1:3, 4:6" per programme, in report order.
                let mut by_prog: Vec<(String, Vec<String>)> = Vec::new();
                for m in l.report.iter().flat_map(|r| &r.missing) {
                    let (p, c) = (m.program.0.as_str(), m.code.to_string());
                    let name = if p.is_empty() {
                        String::new()
                    } else {
                        self.short(p)
                    };
                    match by_prog.iter_mut().find(|(n, _)| *n == name) {
                        Some((_, codes)) => codes.push(c),
                        None => by_prog.push((name, vec![c])),
                    }
                }
                w!(
                    out,
                    "<tr><td>{}</td><td><code class=\"path\">{}</code></td><td>",
                    Esc(&l.title()),
                    Esc(&l.path)
                );
                for (i, (name, codes)) in by_prog.iter().enumerate() {
                    if i > 0 {
                        out.push_str("<br>");
                    }
                    if !name.is_empty() {
                        w!(out, "{}: ", Esc(name));
                    }
                    w!(out, "{}", Esc(&codes.join(", ")));
                }
                out.push_str("</td></tr>\n");
            }
            out.push_str("</tbody>\n</table>\n");
        }
        let dups = duplicates(self.reports);
        if !dups.is_empty() {
            w!(
                out,
                "<h3>Förvaltningar med mer än en rapport <span class=\"count\">{}</span></h3>\n<p class=\"note\">Rapporterna visas var för sig, inget slås ihop.</p>\n<table class=\"list\">\n<thead><tr><th scope=\"col\">Förvaltning</th><th scope=\"col\">Filer</th></tr></thead>\n<tbody>\n",
                dups.len()
            );
            for (key, paths) in &dups {
                // In path order, whatever order the reports came in.
                let mut paths = paths.clone();
                paths.sort();
                let name = self
                    .lines
                    .iter()
                    .find(|l| paths.contains(&l.path))
                    .map_or_else(|| key.clone(), Line::title);
                out.push_str("<tr><td>");
                w!(out, "{}", Esc(&name));
                out.push_str("</td><td>");
                for (i, p) in paths.iter().enumerate() {
                    if i > 0 {
                        out.push_str("<br>");
                    }
                    w!(out, "<code class=\"path\">{}</code>", Esc(p));
                }
                out.push_str("</td></tr>\n");
            }
            out.push_str("</tbody>\n</table>\n");
        }
        out.push_str("</section>\n");
    }

    fn write_sources(&self, out: &mut String) {
        out.push_str("<section id=\"kallor\">\n<h2>Källfiler</h2>\n");
        if self.lines.is_empty() {
            out.push_str("<p class=\"empty\">Inga.</p>\n</section>\n");
            return;
        }
        out.push_str("<table class=\"list\">\n<thead><tr><th scope=\"col\">Rapport</th><th scope=\"col\">Fil</th><th scope=\"col\">Format</th><th scope=\"col\">Textlager</th><th scope=\"col\" class=\"num\">Sidor</th><th scope=\"col\">SHA-256</th></tr></thead>\n<tbody>\n");
        for l in &self.lines {
            let (format, layer, pages) = match l.report {
                Some(r) => (
                    r.source.format.as_str().to_string(),
                    r.source
                        .text_layer
                        .map_or("–", crate::document::TextLayer::as_str)
                        .to_string(),
                    r.source.pages.to_string(),
                ),
                None => ("–".to_string(), "–".to_string(), "–".to_string()),
            };
            w!(
                out,
                "<tr><td>{}</td><td><code class=\"path\">{}</code></td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td><code title=\"{}\">{}</code></td></tr>\n",
                Esc(&l.title()),
                Esc(&l.path),
                Esc(&format),
                Esc(&layer),
                Esc(&pages),
                Esc(&l.sha),
                Esc(&start_of(&l.sha, 12))
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }
}

/// The page's style sheet.
const CSS: &str = r#":root {
  --ja: #3f9b4a; --delvis: #f0b429; --nej: #d64541; --blank: #c3c7cc;
  --ink: #1f2328; --muted: #5c636a; --line: #d0d4d9; --head: #f3f5f7; --fill: #3b6ea8;
}
* { box-sizing: border-box; }
body { margin: 1.5rem 2rem 3rem; color: var(--ink); background: #fff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.7rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.02rem; margin: 1.4rem 0 .4rem; }
.lede { margin: 0 0 1rem; color: var(--muted); max-width: 60rem; }
.note { color: var(--muted); font-size: .88rem; margin: .4rem 0; }
.empty { color: var(--muted); font-style: italic; }
.count { display: inline-block; min-width: 1.6em; padding: 0 .45em; border-radius: 1em; background: var(--head);
  border: 1px solid var(--line); font-size: .8rem; font-weight: 600; text-align: center; color: var(--muted); }
code { font: .85em/1.3 ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin: .5rem 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: .6rem 1rem; min-width: 11rem; background: var(--head); }
.card .n { font-size: 1.6rem; font-weight: 700; line-height: 1.1; }
.card .what { font-weight: 600; }
.card .note { margin: 0; font-size: .8rem; min-height: 1em; }
.legend { display: flex; flex-wrap: wrap; gap: .35rem 1.1rem; margin: .3rem 0 .6rem; font-size: .88rem; }
.legend span { display: inline-flex; align-items: center; gap: .35rem; }
.sw { display: inline-block; width: 1.5em; height: 1.3em; line-height: 1.3em; text-align: center; font-style: normal;
  font-weight: 700; font-size: .78rem; border: 1px solid rgba(0,0,0,.15); border-radius: 3px; margin-right: .3rem; vertical-align: middle; }
.filter input { font: inherit; padding: .2rem .45rem; width: 16rem; border: 1px solid var(--line); border-radius: 4px; }
.matrix-wrap { overflow: auto; max-height: 78vh; border: 1px solid var(--line); border-radius: 6px; }
table.matrix { border-collapse: separate; border-spacing: 0; font-size: .8rem; }
.matrix thead { position: sticky; top: 0; z-index: 3; }
.matrix th { background: var(--head); font-weight: 600; }
.matrix thead th { border-bottom: 1px solid var(--line); padding: .25rem .3rem; text-align: center; white-space: nowrap; }
.matrix th.prog { font-size: .82rem; white-space: normal; }
.matrix th.area { font-weight: 500; color: var(--muted); max-width: 1px; overflow: hidden; text-overflow: ellipsis; }
.matrix th.code { min-width: 2.7rem; font-variant-numeric: tabular-nums; }
.matrix th.corner, .matrix th.who { position: sticky; left: 0; z-index: 2; text-align: left; border-right: 1px solid var(--line); }
.matrix th.corner { z-index: 4; vertical-align: bottom; min-width: 17rem; }
.matrix th.who { font-weight: 500; padding: .15rem .6rem .15rem .5rem; max-width: 22rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; border-bottom: 1px solid #e6e8eb; }
.year { color: var(--muted); font-weight: 400; font-variant-numeric: tabular-nums; }
.matrix td { height: 1.75rem; min-width: 2.7rem; text-align: center; font-weight: 700; border-bottom: 1px solid #fff; border-right: 1px solid #fff; cursor: default; }
.matrix .ps { border-left: 3px solid #fff; }
.matrix thead .ps { border-left: 3px solid var(--line); }
.matrix thead .as { border-left: 1px solid var(--line); }
.matrix tbody tr:hover th.who { background: #e4e9ef; }
.matrix tbody tr:hover td { filter: brightness(.93); }
.matrix td.low { outline: 2px dashed #222; outline-offset: -3px; }
.c-ja { background: var(--ja); color: #fff; }
.c-delvis { background: var(--delvis); color: #3a2a00; }
.c-nej { background: var(--nej); color: #fff; }
.c-blank { background: var(--blank); color: #333; }
.c-missing { background: #fff repeating-linear-gradient(135deg, #fff 0 4px, #b9bec4 4px 5.5px); color: #555; }
.c-none { background: #fff; color: #999; }
.matrix td.c-none { background: #fafbfc; }
.progs { display: flex; flex-wrap: wrap; gap: 1rem 2.5rem; align-items: flex-start; }
table.bars { border-collapse: collapse; font-size: .86rem; }
table.bars th, table.bars td { padding: .18rem .5rem .18rem 0; text-align: left; vertical-align: middle; }
table.bars thead th { font-weight: 600; color: var(--muted); border-bottom: 1px solid var(--line); font-size: .8rem; }
table.bars tbody th { font-weight: 500; white-space: nowrap; max-width: 20rem; overflow: hidden; text-overflow: ellipsis; }
table.bars tr.total th, table.bars tr.total td { border-top: 1px solid var(--line); font-weight: 700; }
.bar { display: flex; width: 16rem; height: .95rem; background: #eef0f2; border-radius: 3px; overflow: hidden; }
.complete .bar { width: 22rem; }
table.complete tbody th { max-width: none; }
.seg { display: block; height: 100%; }
.seg.fill { background: var(--fill); }
.num { text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.list { border-collapse: collapse; font-size: .86rem; width: 100%; }
table.list th, table.list td { border-bottom: 1px solid #e6e8eb; padding: .25rem .6rem .25rem 0; text-align: left; vertical-align: top; }
table.list code.path, table.list code.kind { white-space: nowrap; overflow-wrap: normal; }
table.list thead th { color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line); }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { margin: 0; font-size: 9pt; }
  .noprint, .filter { display: none !important; }
  .matrix-wrap { overflow: visible; max-height: none; border: none; }
  .matrix thead, .matrix th.corner, .matrix th.who { position: static; }
  .matrix thead { display: table-header-group; }
  table.matrix { font-size: 7pt; }
  .matrix th.prog { font-size: 8pt; }
  .matrix th.prog .years { display: block; }
  .matrix th.corner { min-width: 0; }
  .matrix th.who { max-width: 22em; white-space: normal; padding: 1px 4px; }
  .matrix th.code, .matrix td { min-width: 2.8em; padding: 0 1px; }
  .matrix td { height: 1.5em; }
  .matrix thead th { padding: 1px; white-space: normal; }
  .matrix td.low { outline-color: #000; }
  tr, .card, .prog-counts { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .matrix tbody tr:hover td { filter: none; }
}
"#;

/// Optional filtering of the matrix rows; the page reads fully without it.
const JS: &str = r#"(function () {
  var box = document.getElementById("filter");
  var table = document.getElementById("matrix");
  if (!box || !table) { return; }
  box.parentNode.parentNode.hidden = false;
  box.addEventListener("input", function () {
    var q = box.value.trim().toLowerCase();
    var rows = table.tBodies[0].rows;
    for (var i = 0; i < rows.length; i++) {
      var text = rows[i].cells[0].textContent.toLowerCase();
      rows[i].hidden = q !== "" && text.indexOf(q) < 0;
    }
  });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::rows;
    use crate::model::{Answer, ProgramId};
    use crate::report::{AdministrationRef, Evidence, Item, Period, RawText, Source, Warning};

    fn item(program: &str, code: &str, answer: Option<Answer>, confidence: f32) -> Item {
        let code: Code = code.parse().expect("test code");
        Item {
            program: ProgramId(program.to_string()),
            area: Some(code.major),
            code,
            question: format!("Fråga {code}?"),
            strategy_text: None,
            answer,
            comment: format!("Kommentar till {code} <b>&</b>"),
            expected_result: None,
            confidence,
            page: 2,
            raw: RawText {
                question: String::new(),
                answer: String::new(),
                comment: String::new(),
            },
            repairs: None,
        }
    }

    fn report(admin: Option<(&str, &str)>, year: u16, path: &str, items: Vec<Item>) -> Report {
        Report {
            schema_version: SCHEMA_VERSION,
            source: Source {
                path: path.to_string(),
                sha256: format!("{:0>64}", path.len()),
                format: crate::document::SourceFormat::Text,
                text_layer: None,
                pages: 3,
                part: None,
            },
            administration: admin.map(|(id, name)| AdministrationRef {
                id: id.to_string(),
                name: name.to_string(),
                evidence: Evidence::Text,
            }),
            period: Some(Period {
                year,
                evidence: Evidence::Text,
            }),
            items,
            missing: Vec::new(),
            warnings: Vec::new(),
        }
    }

    const TP: &str = "trygghetsprogram-2022-2026";

    fn tiny() -> Vec<Report> {
        let mut a = report(
            Some(("ioff", "Idrotts- och föreningsförvaltningen")),
            2023,
            "in/ioff.pdf",
            vec![
                item(TP, "1:1", Some(Answer::Ja), 0.98),
                item(TP, "1:2", Some(Answer::Delvis), 0.9),
            ],
        );
        a.missing.push(format!("{TP}/2:1").parse().unwrap());
        a.warnings.push(Warning {
            kind: crate::report::WarningKind::UnknownCode,
            message: "page 2: <odd> code".to_string(),
            page: Some(2),
        });
        let b = report(
            None,
            2024,
            "in/okänd.txt",
            vec![
                item(TP, "1:1", Some(Answer::Nej), 0.3),
                item(TP, "2:1", None, 0.9),
            ],
        );
        vec![a, b]
    }

    /// (data-admin, data-code, data-answer) of every cell, in page order.
    fn cells(html: &str) -> Vec<(String, String, String)> {
        let attr = |tag: &str, name: &str| -> String {
            let key = format!("{name}=\"");
            tag.find(&key)
                .and_then(|i| {
                    let rest = &tag[i + key.len()..];
                    rest.find('"').map(|j| rest[..j].to_string())
                })
                .unwrap_or_default()
        };
        html.split("<td ")
            .skip(1)
            .filter_map(|s| s.split('>').next())
            .filter(|tag| tag.contains("data-answer"))
            .map(|tag| {
                (
                    attr(tag, "data-admin"),
                    attr(tag, "data-code"),
                    attr(tag, "data-answer"),
                )
            })
            .collect()
    }

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("rad 1\nrad 2\u{0}\u{7}"), "rad 1&#10;rad 2  ");
        assert_eq!(escape("åäö – ok\t"), "åäö – ok\t");
    }

    #[test]
    fn helpers_format_the_swedish_way() {
        assert_eq!(sv_decimal(0.456), "0,46");
        assert_eq!(sv_pct(19, 21), "90 %");
        assert_eq!(sv_pct(0, 0), "–");
        assert_eq!(css_pct(1, 3), "33.33%");
        assert_eq!(start_of("abcdef", 3), "abc…");
        assert_eq!(start_of("abc", 3), "abc");
        assert_eq!(short_program_name(TP), "Trygghetsprogram 2022–2026");
        assert_eq!(short_program_name("egen"), "egen");
        let tp = ProgInfo::new(TP, Catalog::embedded().ok().as_ref());
        assert_eq!(tp.area_header(3, 4), "Målområde 3");
        assert_eq!(tp.area_header(3, 2), "Mål 3");
        assert_eq!(tp.area_header(3, 1), "3");
        assert_eq!(tp.area_name(1, true), "Målområde 1: Öka kunskapen");
        assert_eq!(file_name("a/b\\c.pdf"), "c.pdf");
        let group = [
            "x/eng/a.txt".to_string(),
            "x/swe/a.txt".to_string(),
            "b.txt".to_string(),
        ];
        assert_eq!(distinct_suffix("x/eng/a.txt", &group), "eng/a.txt");
        assert_eq!(distinct_suffix("b.txt", &group), "b.txt");
        let mut names = vec!["Östra", "Ärende", "Åby", "zeta", "Alfa"];
        names.sort_by_key(|s| sv_key(s));
        assert_eq!(names, ["Alfa", "zeta", "Åby", "Ärende", "Östra"]);
    }

    #[test]
    fn tiny_report_set_gives_the_expected_matrix() {
        let reports = tiny();
        let html = to_html(&reports, &rows(&reports));
        assert!(html.contains("<table id=\"matrix\""));
        let got = cells(&html);
        let want: Vec<(String, String, String)> = [
            // Idrotts- … sorts before okänd.txt.
            ("ioff", "1:1", "ja"),
            ("ioff", "1:2", "delvis"),
            ("ioff", "2:1", "missing"),
            ("", "1:1", "nej"),
            ("", "1:2", "none"),
            ("", "2:1", "blank"),
        ]
        .iter()
        .map(|(a, c, s)| (a.to_string(), c.to_string(), s.to_string()))
        .collect();
        assert_eq!(got, want);
        // The unknown administration is labelled by its file name.
        assert!(html.contains("<span class=\"name\">okänd.txt</span>"));
        // Low confidence is flagged in the cell and listed for review.
        assert!(html.contains("class=\"c-nej ps low\""));
        assert!(html.contains("Rader med låg säkerhet"));
        // Report text is escaped everywhere.
        assert!(!html.contains("<b>&</b>"));
        assert!(html.contains("&lt;b&gt;&amp;&lt;/b&gt;"));
        assert!(html.contains("page 2: &lt;odd&gt; code"));
    }

    #[test]
    fn output_is_deterministic_and_independent_of_input_order() {
        let reports = tiny();
        let html = to_html(&reports, &rows(&reports));
        assert_eq!(html, to_html(&reports, &rows(&reports)));
        let reversed: Vec<Report> = reports.iter().rev().cloned().collect();
        assert_eq!(html, to_html(&reversed, &rows(&reversed)));
    }

    #[test]
    fn empty_input_still_makes_a_page() {
        let html = to_html(&[], &[]);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("Inga rader att visa."));
        assert!(html.contains("Inget att granska."));
    }

    #[test]
    fn rows_without_their_report_get_a_line() {
        let reports = tiny();
        let all = rows(&reports);
        let html = to_html(&reports[..1], &all);
        assert_eq!(cells(&html).len(), 2 * 3);
        assert!(html.contains("okänd.txt"));
    }
}
