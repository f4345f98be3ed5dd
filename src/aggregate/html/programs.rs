//! How the page names programmes and their areas: the catalogue's titles
//! where its ids match, a short name made from the id otherwise.

use crate::catalog::Catalog;
use crate::model::ProgramId;

/// How a programme is shown.
pub(super) struct ProgInfo {
    pub(super) id: ProgramId,
    /// "Trygghetsprogram 2022–2026".
    pub(super) short: String,
    /// The catalogue's full title, or the id.
    pub(super) title: String,
    /// "Målområde", "Fokusområde", or "Område" when unknown.
    pub(super) area_label: String,
    /// Area number → title, from the catalogue.
    pub(super) area_titles: Vec<(u16, String)>,
}

impl ProgInfo {
    pub(super) fn new(id: &ProgramId, catalog: Option<&Catalog>) -> ProgInfo {
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
    pub(super) fn area_header(&self, area: u16, cols: usize) -> String {
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
    pub(super) fn area_name(&self, area: u16, with_title: bool) -> String {
        let title = self.area_titles.iter().find(|(n, _)| *n == area);
        match title {
            Some((_, t)) if with_title => format!("{} {area}: {t}", self.area_label),
            _ => format!("{} {area}", self.area_label),
        }
    }
}

/// "trygghetsprogram-2022-2026" → "Trygghetsprogram 2022–2026"; other ids
/// are kept as they are.
pub(super) fn short_program_name(id: &str) -> String {
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
