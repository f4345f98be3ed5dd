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
//! What the page shows (which reports in what order, which programme/codes,
//! what goes to review) is the [`Overview`] the workbook shows too; this
//! file only renders it. Output is deterministic: nothing depends on the
//! clock or the order of hash maps, so the same input always gives the same
//! bytes. Every string from a report is HTML-escaped. The style sheet
//! (`overview.css`) and a few lines of JavaScript that add a filter box
//! (`overview.js`) are embedded in the page; it reads fully without the
//! script. Programme titles and area names come from the embedded catalogue
//! where its ids match; other programmes are shown by their ids.

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};

use super::overview::{Entry, Overview, Tally, LOW_CONFIDENCE};
use super::AggregateRow;
use crate::catalog::Catalog;
use crate::model::{Answer, ProgramId};
use crate::report::{Report, SCHEMA_VERSION};

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
    render(&Overview::build(reports, rows, catalog.as_ref()))
}

/// Renders the overview page of an overview.
pub(super) fn render(o: &Overview<'_>) -> String {
    let view = View::new(o);
    let mut out = String::with_capacity(16_384 + o.rows.len() * 512);
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

/// The shortest tail of `path` (whole components) that no other path of
/// `group` ends with; the whole path if none is shorter.
fn distinct_suffix<'p>(path: &'p str, group: &[&str]) -> &'p str {
    let cuts: Vec<usize> = path
        .char_indices()
        .filter(|(_, c)| matches!(c, '/' | '\\'))
        .map(|(i, _)| i + 1)
        .rev()
        .collect();
    for cut in cuts {
        let tail = &path[cut..];
        let clash = group.iter().filter(|&&p| {
            p != path
                && (p == tail
                    || p.ends_with(&format!("/{tail}"))
                    || p.ends_with(&format!("\\{tail}")))
        });
        if clash.count() == 0 {
            return tail;
        }
    }
    path
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

    fn of_answer(answer: Option<Answer>) -> State {
        match answer {
            Some(Answer::Ja) => State::Ja,
            Some(Answer::Delvis) => State::Delvis,
            Some(Answer::Nej) => State::Nej,
            None => State::Blank,
        }
    }

    /// How many of `tally`'s rows are in this state (one of [`Self::COUNTED`]).
    fn count(self, tally: &Tally) -> usize {
        match self {
            State::Ja => tally.ja,
            State::Delvis => tally.delvis,
            State::Nej => tally.nej,
            State::Blank | State::Missing | State::Absent => tally.blank,
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
}

/// How a programme is shown.
struct ProgInfo {
    id: ProgramId,
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
    fn new(id: &ProgramId, catalog: Option<&Catalog>) -> ProgInfo {
        let program = catalog.and_then(|c| c.program(id));
        ProgInfo {
            id: id.clone(),
            short: short_program_name(&id.0),
            title: program.map_or_else(|| id.0.clone(), |p| p.title.clone()),
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

/// "Name 2023", for lists.
fn entry_title(e: &Entry<'_>) -> String {
    match e.year {
        Some(y) => format!("{} {y}", e.label),
        None => e.label.clone(),
    }
}

/// What is shown after each entry's label: its year, and where two entries
/// of a known administration would read the same, the shortest tail of the
/// path that tells them apart.
fn subtitles(entries: &[Entry<'_>]) -> Vec<String> {
    let mut same: HashMap<(&str, Option<u16>), Vec<&str>> = HashMap::new();
    for e in entries {
        same.entry((e.label.as_str(), e.year))
            .or_default()
            .push(e.path);
    }
    entries
        .iter()
        .map(|e| {
            let mut sub = e.year.map(|y| y.to_string()).unwrap_or_default();
            let twins = same
                .get(&(e.label.as_str(), e.year))
                .map(Vec::as_slice)
                .unwrap_or_default();
            if twins.len() > 1 && !e.admin_id.is_empty() {
                if !sub.is_empty() {
                    sub.push_str(" · ");
                }
                sub.push_str(distinct_suffix(e.path, twins));
            }
            sub
        })
        .collect()
}

/// The overview as this page shows it.
struct View<'a> {
    o: &'a Overview<'a>,
    /// The programmes of the columns, in column order.
    progs: Vec<ProgInfo>,
    /// Per entry, what [`subtitles`] gives.
    subs: Vec<String>,
}

impl<'a> View<'a> {
    fn new(o: &'a Overview<'a>) -> View<'a> {
        let mut progs: Vec<ProgInfo> = Vec::new();
        for c in &o.columns {
            if progs.last().is_none_or(|p| p.id != c.program) {
                progs.push(ProgInfo::new(&c.program, o.catalog));
            }
        }
        View {
            o,
            progs,
            subs: subtitles(&o.entries),
        }
    }

    fn prog(&self, id: &ProgramId) -> Option<&ProgInfo> {
        self.progs.iter().find(|p| &p.id == id)
    }

    fn short(&self, id: &ProgramId) -> String {
        self.prog(id)
            .map_or_else(|| short_program_name(&id.0), |p| p.short.clone())
    }

    /// The state of a cell, the row it shows (the first there) and how
    /// many rows are there.
    fn cell(&self, entry: usize, column: usize) -> (State, Option<&'a AggregateRow>, usize) {
        let rows = self.o.cell(entry, column);
        if let Some(&first) = rows.first() {
            return (State::of_answer(first.answer), Some(first), rows.len());
        }
        let col = &self.o.columns[column];
        let listed = self.o.entries[entry]
            .missing
            .iter()
            .any(|m| m.program == col.program && m.code == col.code);
        let state = if listed {
            State::Missing
        } else {
            State::Absent
        };
        (state, None, 0)
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
        let entries = &self.o.entries;
        let admins: HashSet<&str> = entries
            .iter()
            .filter(|e| !e.admin_id.is_empty())
            .map(|e| e.admin_id)
            .collect();
        let unknown = entries.iter().filter(|e| e.admin_id.is_empty()).count();
        let answered = Tally::of(self.o.rows).answered();
        let rows = self.o.rows.len();
        out.push_str("<header class=\"top\">\n<h1>Översikt</h1>\n");
        out.push_str("<p class=\"lede\">Uppföljning av Göteborgs Stads trygghetsskapande och brottsförebyggande program, handlingsplan och plan mot tystnadskulturer: svaren per förvaltning och fråga.</p>\n");
        out.push_str("<div class=\"cards\">\n");
        let unknown_note = if unknown > 0 {
            format!(
                "+ {unknown} {} utan känd förvaltning",
                if unknown == 1 { "rapport" } else { "rapporter" }
            )
        } else {
            String::new()
        };
        let cards = [
            (entries.len(), "Rapporter", String::new()),
            (admins.len(), "Förvaltningar", unknown_note),
            (
                answered,
                "Besvarade frågor",
                format!("av {rows} rader ({})", sv_pct(answered, rows)),
            ),
            (
                self.review_count(),
                "Att granska",
                "se listan nedan".to_string(),
            ),
        ];
        for (n, what, note) in cards {
            w!(
                out,
                "<div class=\"card\"><div class=\"n\">{n}</div><div class=\"what\">{}</div><div class=\"note\">{}</div></div>\n",
                Esc(what),
                Esc(&note)
            );
        }
        out.push_str("</div>\n");
        w!(
            out,
            "<p class=\"note\">Skapad av uppfoljning {} ur {} rapportdokument (schemaversion {SCHEMA_VERSION}). Källfilerna listas sist på sidan.</p>\n</header>\n",
            Esc(env!("CARGO_PKG_VERSION")),
            self.o.reports.len()
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
        if self.o.entries.is_empty() || self.o.columns.is_empty() {
            out.push_str("<p class=\"empty\">Inga rader att visa.</p>\n</section>\n");
            return;
        }
        out.push_str("<div class=\"matrix-wrap\">\n<table id=\"matrix\" class=\"matrix\">\n<thead>\n<tr><th class=\"corner\" rowspan=\"3\" scope=\"col\">Förvaltning <span class=\"year\">år</span></th>");
        self.write_program_headers(out);
        out.push_str("</tr>\n<tr>");
        self.write_area_headers(out);
        out.push_str("</tr>\n<tr>");
        self.write_code_headers(out);
        out.push_str("</tr>\n</thead>\n<tbody>\n");
        for entry in 0..self.o.entries.len() {
            self.write_matrix_line(out, entry);
        }
        out.push_str("</tbody>\n</table>\n</div>\n");
        out.push_str("<p class=\"note noprint\">Håll muspekaren över en ruta för frågan och början av kommentaren. Rutor med streckad ram har låg säkerhet (under 0,5).</p>\n</section>\n");
    }

    /// The matrix's first header row: one cell over each programme's codes.
    fn write_program_headers(&self, out: &mut String) {
        let cols = &self.o.columns;
        let mut i = 0;
        while i < cols.len() {
            let p = &cols[i].program;
            let n = cols[i..].iter().take_while(|c| &c.program == p).count();
            let (short, title) = self.prog(p).map_or_else(
                || (p.0.clone(), p.0.clone()),
                |pi| (pi.short.clone(), pi.title.clone()),
            );
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
    }

    /// The matrix's second header row: one cell over each area's codes.
    fn write_area_headers(&self, out: &mut String) {
        let cols = &self.o.columns;
        let mut i = 0;
        while i < cols.len() {
            let (p, a) = (&cols[i].program, cols[i].area);
            let n = cols[i..]
                .iter()
                .take_while(|c| &c.program == p && c.area == a)
                .count();
            let first = i == 0 || &cols[i - 1].program != p;
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
    }

    /// The matrix's third header row: one cell per code.
    fn write_code_headers(&self, out: &mut String) {
        for (i, c) in self.o.columns.iter().enumerate() {
            let class = self.col_class(i);
            let mut title = format!("{} {}", self.short(&c.program), c.code);
            if let Some(q) = c.catalog_question {
                title.push_str(": ");
                title.push_str(q);
            }
            w!(
                out,
                "<th class=\"code{class}\" scope=\"col\" title=\"{}\">{}</th>",
                Esc(&title),
                c.code
            );
        }
    }

    /// One report's line of the matrix.
    fn write_matrix_line(&self, out: &mut String, entry: usize) {
        let e = &self.o.entries[entry];
        w!(
            out,
            "<tr data-admin=\"{}\" data-year=\"{}\" data-source=\"{}\"><th class=\"who\" scope=\"row\" title=\"{}&#10;{}\"><span class=\"name\">{}</span>",
            Esc(e.admin_id),
            e.year.map(|y| y.to_string()).unwrap_or_default(),
            Esc(e.path),
            Esc(&entry_title(e)),
            Esc(e.path),
            Esc(&e.label)
        );
        self.write_subtitle(out, entry);
        out.push_str("</th>");
        for (ci, c) in self.o.columns.iter().enumerate() {
            let (state, row, n) = self.cell(entry, ci);
            let title = self.cell_title(ci, state, row, n);
            let low = row.is_some_and(|r| r.confidence < LOW_CONFIDENCE);
            w!(
                out,
                "<td class=\"c-{}{}{}\" data-admin=\"{}\" data-program=\"{}\" data-code=\"{}\" data-answer=\"{}\" title=\"{}\">{}</td>",
                state.attr(),
                self.col_class(ci),
                if low { " low" } else { "" },
                Esc(e.admin_id),
                Esc(&c.program.0),
                c.code,
                state.attr(),
                Esc(&title),
                state.glyph()
            );
        }
        out.push_str("</tr>\n");
    }

    /// An entry's subtitle after its label, where it has one.
    fn write_subtitle(&self, out: &mut String, entry: usize) {
        let sub = &self.subs[entry];
        if !sub.is_empty() {
            w!(out, " <span class=\"year\">{}</span>", Esc(sub));
        }
    }

    /// " ps" on a programme's first column, " as" on an area's first.
    fn col_class(&self, i: usize) -> &'static str {
        let cols = &self.o.columns;
        let c = &cols[i];
        match i.checked_sub(1).map(|j| &cols[j]) {
            None => " ps",
            Some(p) if p.program != c.program => " ps",
            Some(p) if p.area != c.area => " as",
            _ => "",
        }
    }

    /// A cell's tooltip: programme, code and question; the answer, page and
    /// confidence; the start of the comment.
    fn cell_title(
        &self,
        column: usize,
        state: State,
        row: Option<&AggregateRow>,
        n: usize,
    ) -> String {
        let col = &self.o.columns[column];
        let mut t = format!("{} {}", self.short(&col.program), col.code);
        let question = row
            .map(|r| r.question.as_str())
            .filter(|q| !q.is_empty())
            .or(col.catalog_question);
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
        if self.o.rows.is_empty() {
            out.push_str("<p class=\"empty\">Inga rader.</p>\n</section>\n");
            return;
        }
        out.push_str("<div class=\"progs\">\n");
        for p in &self.progs {
            self.write_program_counts(out, p);
        }
        out.push_str("</div>\n</section>\n");
    }

    /// One programme's answers as bars: per area where it has areas, and
    /// in total.
    fn write_program_counts(&self, out: &mut String, p: &ProgInfo) {
        let of_prog: Vec<&AggregateRow> =
            self.o.rows.iter().filter(|r| r.program == p.id).collect();
        if of_prog.is_empty() {
            return;
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
        if areas.len() > 1 || areas.first().is_some_and(Option::is_some) {
            for a in &areas {
                let (name, title) = match a {
                    Some(a) => (p.area_name(*a, false), p.area_name(*a, true)),
                    None => ("Utan område".to_string(), "Utan område".to_string()),
                };
                let of_area = of_prog.iter().copied().filter(|r| r.area == *a);
                write_bar_row(out, "", &name, &title, Tally::of(of_area));
            }
        }
        let total = Tally::of(of_prog.iter().copied());
        write_bar_row(out, " class=\"total\"", "Totalt", &p.title, total);
        out.push_str("</tbody>\n</table>\n</div>\n");
    }

    fn write_completeness(&self, out: &mut String) {
        out.push_str("<section id=\"fullstandighet\">\n<h2>Fullständighet per förvaltning</h2>\n");
        out.push_str("<p class=\"note\">Besvarade rader (ja, delvis eller nej) av katalogens rader (rapportens rader och de som saknas).</p>\n");
        if self.o.entries.is_empty() {
            out.push_str("<p class=\"empty\">Inga rapporter.</p>\n</section>\n");
            return;
        }
        out.push_str("<table class=\"bars complete\">\n<thead><tr><th scope=\"col\">Förvaltning</th><th scope=\"col\">Andel besvarade</th><th scope=\"col\" class=\"num\">Besvarade</th><th scope=\"col\" class=\"num\">Andel</th></tr></thead>\n<tbody>\n");
        for (i, e) in self.o.entries.iter().enumerate() {
            // A report's own items and missing rows; rows alone, their rows.
            let (answered, total) = match e.report {
                Some(r) => (
                    r.items.iter().filter(|i| i.answer.is_some()).count(),
                    r.items.len() + e.missing.len(),
                ),
                None => {
                    let t = Tally::of(e.rows.iter().copied());
                    (t.answered(), t.total())
                }
            };
            w!(
                out,
                "<tr><th scope=\"row\" title=\"{}\">{}",
                Esc(e.path),
                Esc(&e.label)
            );
            self.write_subtitle(out, i);
            w!(
                out,
                "</th><td><div class=\"bar\"><span class=\"seg fill\" style=\"width:{}\"></span></div></td><td class=\"num\">{answered} av {total}</td><td class=\"num\">{}</td></tr>\n",
                css_pct(answered, total),
                Esc(&sv_pct(answered, total))
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }

    /// How many things the review section lists: low-confidence rows,
    /// warnings, reports with missing rows, duplicated administrations.
    fn review_count(&self) -> usize {
        let reports = || self.o.entries.iter().filter_map(|e| e.report);
        let warnings: usize = reports().map(|r| r.warnings.len()).sum();
        let missing = self
            .o
            .entries
            .iter()
            .filter(|e| e.report.is_some() && !e.missing.is_empty())
            .count();
        self.o.low_confidence().len() + warnings + missing + self.o.duplicates.len()
    }

    fn write_review(&self, out: &mut String) {
        out.push_str("<section id=\"granska\">\n<h2>Att granska</h2>\n");
        if self.review_count() == 0 {
            out.push_str("<p class=\"empty\">Inget att granska.</p>\n</section>\n");
            return;
        }
        self.write_low_confidence(out);
        self.write_warnings(out);
        self.write_missing(out);
        self.write_duplicates(out);
        out.push_str("</section>\n");
    }

    fn write_low_confidence(&self, out: &mut String) {
        let low = self.o.low_confidence();
        if low.is_empty() {
            return;
        }
        w!(
            out,
            "<h3>Rader med låg säkerhet (under 0,5) <span class=\"count\">{}</span></h3>\n",
            low.len()
        );
        out.push_str("<table class=\"list\">\n<thead><tr><th scope=\"col\">Rapport</th><th scope=\"col\">Fil</th><th scope=\"col\" class=\"num\">Sida</th><th scope=\"col\">Rad</th><th scope=\"col\">Svar</th><th scope=\"col\" class=\"num\">Säkerhet</th><th scope=\"col\">Fråga</th></tr></thead>\n<tbody>\n");
        for (e, r) in low {
            let state = State::of_answer(r.answer);
            w!(
                out,
                "<tr><td>{}</td><td><code class=\"path\">{}</code></td><td class=\"num\">{}</td><td>{} {}</td><td><i class=\"sw c-{}\">{}</i>{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
                Esc(&entry_title(e)),
                Esc(&r.source_path),
                r.page,
                Esc(&self.short(&r.program)),
                r.code,
                state.attr(),
                state.glyph(),
                Esc(state.label()),
                sv_decimal(r.confidence),
                Esc(&start_of(&r.question, COMMENT_START))
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }

    fn write_warnings(&self, out: &mut String) {
        let warned: Vec<(&Entry<'_>, &Report)> = self
            .o
            .entries
            .iter()
            .filter_map(|e| e.report.map(|r| (e, r)))
            .filter(|(_, r)| !r.warnings.is_empty())
            .collect();
        if warned.is_empty() {
            return;
        }
        let n: usize = warned.iter().map(|(_, r)| r.warnings.len()).sum();
        w!(
            out,
            "<h3>Varningar <span class=\"count\">{n}</span></h3>\n<table class=\"list\">\n<thead><tr><th scope=\"col\">Rapport</th><th scope=\"col\">Fil</th><th scope=\"col\" class=\"num\">Sida</th><th scope=\"col\">Typ</th><th scope=\"col\">Meddelande</th></tr></thead>\n<tbody>\n"
        );
        for (e, r) in warned {
            for wa in &r.warnings {
                w!(
                    out,
                    "<tr><td>{}</td><td><code class=\"path\">{}</code></td><td class=\"num\">{}</td><td><code class=\"kind\">{}</code></td><td>{}</td></tr>\n",
                    Esc(&entry_title(e)),
                    Esc(e.path),
                    wa.page.map_or_else(|| "–".to_string(), |p| p.to_string()),
                    Esc(&wa.kind.to_string()),
                    Esc(&wa.message)
                );
            }
        }
        out.push_str("</tbody>\n</table>\n");
    }

    fn write_missing(&self, out: &mut String) {
        let missing: Vec<&Entry<'_>> = self
            .o
            .entries
            .iter()
            .filter(|e| e.report.is_some() && !e.missing.is_empty())
            .collect();
        if missing.is_empty() {
            return;
        }
        let n: usize = missing.iter().map(|e| e.missing.len()).sum();
        w!(
            out,
            "<h3>Saknade rader <span class=\"count\">{n}</span></h3>\n<p class=\"note\">Katalogens rader som rapporten inte besvarar (ingen sida: raden finns inte i dokumentet).</p>\n<table class=\"list\">\n<thead><tr><th scope=\"col\">Rapport</th><th scope=\"col\">Fil</th><th scope=\"col\">Saknas</th></tr></thead>\n<tbody>\n"
        );
        for e in missing {
            // "Programme: 1:3, 4:6" per programme, in report order.
            let mut by_prog: Vec<(String, Vec<String>)> = Vec::new();
            for m in &e.missing {
                let name = self.short(&m.program);
                let code = m.code.to_string();
                match by_prog.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, codes)) => codes.push(code),
                    None => by_prog.push((name, vec![code])),
                }
            }
            w!(
                out,
                "<tr><td>{}</td><td><code class=\"path\">{}</code></td><td>",
                Esc(&entry_title(e)),
                Esc(e.path)
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

    fn write_duplicates(&self, out: &mut String) {
        let dups = &self.o.duplicates;
        if dups.is_empty() {
            return;
        }
        w!(
            out,
            "<h3>Förvaltningar med mer än en rapport <span class=\"count\">{}</span></h3>\n<p class=\"note\">Rapporterna visas var för sig, inget slås ihop.</p>\n<table class=\"list\">\n<thead><tr><th scope=\"col\">Förvaltning</th><th scope=\"col\">Filer</th></tr></thead>\n<tbody>\n",
            dups.len()
        );
        for (key, paths) in dups {
            // In path order, whatever order the reports came in.
            let mut paths = paths.clone();
            paths.sort();
            let name = self
                .o
                .entries
                .iter()
                .find(|e| paths.iter().any(|p| p == e.path))
                .map_or_else(|| key.clone(), entry_title);
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

    fn write_sources(&self, out: &mut String) {
        out.push_str("<section id=\"kallor\">\n<h2>Källfiler</h2>\n");
        if self.o.entries.is_empty() {
            out.push_str("<p class=\"empty\">Inga.</p>\n</section>\n");
            return;
        }
        out.push_str("<table class=\"list\">\n<thead><tr><th scope=\"col\">Rapport</th><th scope=\"col\">Fil</th><th scope=\"col\">Format</th><th scope=\"col\">Textlager</th><th scope=\"col\" class=\"num\">Sidor</th><th scope=\"col\">SHA-256</th></tr></thead>\n<tbody>\n");
        for e in &self.o.entries {
            let (format, layer, pages) = match e.report {
                Some(r) => (
                    r.source.format.to_string(),
                    r.source
                        .text_layer
                        .as_ref()
                        .map_or_else(|| "–".to_string(), ToString::to_string),
                    r.source.pages.to_string(),
                ),
                None => ("–".to_string(), "–".to_string(), "–".to_string()),
            };
            w!(
                out,
                "<tr><td>{}</td><td><code class=\"path\">{}</code></td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td><code title=\"{}\">{}</code></td></tr>\n",
                Esc(&entry_title(e)),
                Esc(e.path),
                Esc(&format),
                Esc(&layer),
                Esc(&pages),
                Esc(e.sha256),
                Esc(&start_of(e.sha256, 12))
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }
}

/// One bar of a programme's counts: the answers of `tally` as coloured
/// segments, then as numbers.
fn write_bar_row(out: &mut String, class: &str, name: &str, title: &str, tally: Tally) {
    let total = tally.total();
    w!(
        out,
        "<tr{class}><th scope=\"row\" title=\"{}\">{}</th><td><div class=\"bar\">",
        Esc(title),
        Esc(name)
    );
    for s in State::COUNTED {
        let n = s.count(&tally);
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
    for s in State::COUNTED {
        w!(out, "<td class=\"num\">{}</td>", s.count(&tally));
    }
    out.push_str("</tr>\n");
}

/// The page's style sheet.
const CSS: &str = include_str!("overview.css");

/// Optional filtering of the matrix rows; the page reads fully without it.
const JS: &str = include_str!("overview.js");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::rows;
    use crate::model::Code;
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
                format: "text".to_string(),
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
        a.missing.push(format!("{TP}/2:1"));
        a.warnings.push(Warning {
            kind: "unknown-code".to_string(),
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
        let tp = ProgInfo::new(
            &ProgramId(TP.to_string()),
            Catalog::embedded().ok().as_ref(),
        );
        assert_eq!(tp.area_header(3, 4), "Målområde 3");
        assert_eq!(tp.area_header(3, 2), "Mål 3");
        assert_eq!(tp.area_header(3, 1), "3");
        assert_eq!(tp.area_name(1, true), "Målområde 1: Öka kunskapen");
        let group = ["x/eng/a.txt", "x/swe/a.txt", "b.txt"];
        assert_eq!(distinct_suffix("x/eng/a.txt", &group), "eng/a.txt");
        assert_eq!(distinct_suffix("b.txt", &group), "b.txt");
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
