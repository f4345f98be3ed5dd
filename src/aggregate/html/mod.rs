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
//! what goes to review) is the overview (`overview.rs`) the workbook shows
//! too; these files only render it: this one the page's frame, header and
//! source list and the text helpers, `matrix`, `counts` and `review` their
//! sections, `programs` the names of programmes and areas. Output is
//! deterministic: nothing depends on the clock or the order of hash maps,
//! so the same input always gives the same bytes. Every string from a
//! report is HTML-escaped. The style sheet (`page.css`) and a few lines of
//! JavaScript that add a filter box (`filter.js`) are embedded in the page;
//! it reads fully without the script. Programme titles and area names come
//! from the embedded catalogue where its ids match; other programmes are
//! shown by their ids.

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};

use super::overview::{Entry, Overview, Tally};
use super::AggregateRow;
use crate::catalog::Catalog;
use crate::model::ProgramId;
use crate::report::{Report, SCHEMA_VERSION};

/// Appends formatted text to a `String`; writing to a `String` cannot fail.
macro_rules! w {
    ($dst:expr, $($arg:tt)*) => {{
        let _ = write!($dst, $($arg)*);
    }};
}

mod counts;
mod matrix;
mod programs;
mod review;

use programs::{short_program_name, ProgInfo};

/// How many characters of a comment a cell's tooltip or a review line
/// shows.
const COMMENT_START: usize = 160;

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

    /// An entry's subtitle after its label, where it has one.
    fn write_subtitle(&self, out: &mut String, entry: usize) {
        let sub = &self.subs[entry];
        if !sub.is_empty() {
            w!(out, " <span class=\"year\">{}</span>", Esc(sub));
        }
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

/// The page's style sheet.
const CSS: &str = include_str!("page.css");

/// Optional filtering of the matrix rows; the page reads fully without it.
const JS: &str = include_str!("filter.js");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::rows;
    use crate::model::{Answer, Code};
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
            item_key: String::new(),
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
            provenance: None,
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
