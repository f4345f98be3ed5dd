//! The page's bar charts: answers per programme and area, and each
//! report's completeness (answered rows of the catalogue's rows).

use std::fmt::Write as _;

use super::matrix::State;
use super::programs::ProgInfo;
use super::{css_pct, sv_pct, Esc, View};
use crate::aggregate::overview::Tally;
use crate::aggregate::AggregateRow;

impl View<'_> {
    pub(super) fn write_counts(&self, out: &mut String) {
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

    pub(super) fn write_completeness(&self, out: &mut String) {
        out.push_str("<section id=\"fullstandighet\">\n<h2>Fullständighet per förvaltning</h2>\n");
        out.push_str("<p class=\"note\">Besvarade rader (ja, delvis eller nej) av katalogens rader (rapportens rader och de som saknas).</p>\n");
        if self.o.entries.is_empty() {
            out.push_str("<p class=\"empty\">Inga rapporter.</p>\n</section>\n");
            return;
        }
        out.push_str("<table class=\"bars complete\">\n<thead><tr><th scope=\"col\">Förvaltning</th><th scope=\"col\">Andel besvarade</th><th scope=\"col\" class=\"num\">Besvarade</th><th scope=\"col\" class=\"num\">Andel</th></tr></thead>\n<tbody>\n");
        for (i, e) in self.o.entries.iter().enumerate() {
            // A report's own items and missing rows; rows alone, their rows.
            let (answered, total) = if let Some(r) = e.report {
                (
                    r.items.iter().filter(|i| i.answer.is_some()).count(),
                    r.items.len() + e.missing.len(),
                )
            } else {
                let t = Tally::of(e.rows.iter().copied());
                (t.answered(), t.total())
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
