//! The page's answer matrix: one line per report, one column per
//! programme/code, cells coloured by answer (with a letter, so colour is
//! not the only signal) and a tooltip with the question, the answer and the
//! start of the comment.

use std::fmt::Write as _;

use super::{entry_title, start_of, sv_decimal, Esc, View, COMMENT_START};
use crate::aggregate::overview::{Tally, LOW_CONFIDENCE};
use crate::aggregate::AggregateRow;
use crate::model::Answer;

/// What a matrix cell shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    /// Answered "ja".
    Ja,
    /// Answered "delvis".
    Delvis,
    /// Answered "nej".
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
    pub(super) const COUNTED: [State; 4] = [State::Ja, State::Delvis, State::Nej, State::Blank];

    /// The state of a row with this answer.
    pub(super) fn of_answer(answer: Option<Answer>) -> State {
        match answer {
            Some(Answer::Ja) => State::Ja,
            Some(Answer::Delvis) => State::Delvis,
            Some(Answer::Nej) => State::Nej,
            None => State::Blank,
        }
    }

    /// How many of `tally`'s rows are in this state (one of [`Self::COUNTED`]).
    pub(super) fn count(self, tally: &Tally) -> usize {
        match self {
            State::Ja => tally.ja,
            State::Delvis => tally.delvis,
            State::Nej => tally.nej,
            State::Blank => tally.blank,
            // Not rows, so never counted.
            State::Missing | State::Absent => 0,
        }
    }

    /// The `data-answer` value and CSS class suffix.
    pub(super) fn attr(self) -> &'static str {
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
    pub(super) fn glyph(self) -> &'static str {
        match self {
            State::Ja => "J",
            State::Delvis => "D",
            State::Nej => "N",
            State::Blank => "–",
            State::Missing | State::Absent => "",
        }
    }

    /// Swedish words for tooltips and legends.
    pub(super) fn label(self) -> &'static str {
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

/// What a matrix cell shows.
struct Cell<'a> {
    state: State,
    /// The row it shows: the first there.
    row: Option<&'a AggregateRow>,
    /// How many rows are there.
    rows: usize,
}

impl<'a> View<'a> {
    /// The cell of entry `entry` in column `column`.
    fn cell(&self, entry: usize, column: usize) -> Cell<'a> {
        let rows = self.o.cell(entry, column);
        if let Some(&first) = rows.first() {
            return Cell {
                state: State::of_answer(first.answer),
                row: Some(first),
                rows: rows.len(),
            };
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
        Cell {
            state,
            row: None,
            rows: 0,
        }
    }

    pub(super) fn write_matrix(&self, out: &mut String) {
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
            let cell = self.cell(entry, ci);
            let title = self.cell_title(ci, &cell);
            let low = cell.row.is_some_and(|r| r.confidence < LOW_CONFIDENCE);
            let state = cell.state;
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
    fn cell_title(&self, column: usize, cell: &Cell<'_>) -> String {
        let col = &self.o.columns[column];
        let mut t = format!("{} {}", self.short(&col.program), col.code);
        let question = cell
            .row
            .map(|r| r.question.as_str())
            .filter(|q| !q.is_empty())
            .or(col.catalog_question);
        if let Some(q) = question {
            t.push_str(": ");
            t.push_str(q);
        }
        t.push('\n');
        match cell.row {
            Some(r) => {
                w!(
                    t,
                    "Svar: {} (sida {}, säkerhet {})",
                    cell.state.label(),
                    r.page,
                    sv_decimal(r.confidence)
                );
                if cell.rows > 1 {
                    w!(t, " – raden förekommer {} gånger", cell.rows);
                }
                if !r.comment.is_empty() {
                    t.push('\n');
                    t.push_str(&start_of(&r.comment, COMMENT_START));
                }
            }
            None => t.push_str(cell.state.label()),
        }
        t
    }
}
