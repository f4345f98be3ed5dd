//! The page's review list: rows with low confidence, the extraction's
//! warnings, the catalogue rows each report does not answer, and
//! administrations reported more than once.

use std::fmt::Write as _;

use super::matrix::State;
use super::{entry_title, start_of, sv_decimal, Esc, View, COMMENT_START};
use crate::aggregate::overview::Entry;
use crate::report::Report;

impl View<'_> {
    /// How many things the review section lists: low-confidence rows,
    /// warnings, reports with missing rows, duplicated administrations.
    pub(super) fn review_count(&self) -> usize {
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

    pub(super) fn write_review(&self, out: &mut String) {
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
            for m in e.missing {
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
}
