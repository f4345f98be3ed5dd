//! Segmentation: a [`Document`] → table rows, each with its template
//! fields located and its answer-column words collected.
//!
//! Pipeline inside this module, one file a step:
//! `lines` (flatten, split columns by x) → `structure` (titles, headings,
//! table headers) → `tokens` → `align` (template vs. content) → rows here.
//! It decides which words belong to which row and field; turning those
//! words into repaired text is `extract`'s job.

pub mod align;
pub mod answer;
pub mod blocks;
pub mod corridor;
pub mod fold;
pub mod furniture;
pub mod lines;
pub mod repeats;
pub mod sections;
pub mod structure;
pub mod template;
pub mod tokens;

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use crate::catalog::Catalog;
use crate::document::Document;
use crate::model::Code;

use align::Label;
use lines::Col;
use lines::SourceLine;
use sections::UnknownSection;
use structure::Role;
use template::{Field, Template};
use tokens::Token;

/// One row found in the document.
#[derive(Debug, Clone)]
pub struct RowSegment {
    /// Index into `Catalog::programs`.
    pub program: usize,
    /// The row's code.
    pub code: Code,
    /// Index into the programme's items; `None` for a code the catalogue lacks.
    pub item: Option<usize>,
    /// Template words of each field that the document shows, as
    /// (token, template word) pairs in template order.
    pub matched: Vec<(usize, usize)>,
    /// Tokens of an unknown row's question and strategy text (no template).
    pub unknown_fields: Vec<(Field, Vec<usize>)>,
    /// Garbage tokens the aligner dropped inside this row's template text.
    pub garbage: Vec<usize>,
    /// Answer-column tokens (answer slot and comment), in reading order.
    pub content: Vec<usize>,
    /// Matched template weight / the row's total template weight.
    pub coverage: f32,
    /// The row's code was read in the document.
    pub code_seen: bool,
    /// How much better the row's words fit its own template row than the
    /// next best catalogue row (0..1); small means ambiguous.
    pub margin: f32,
    /// 1-based page where the row starts.
    pub page: usize,
    /// How its answer column was found.
    pub column_fit: blocks::ColumnFit,
}

/// The result of segmenting one document.
#[derive(Debug, Clone)]
pub struct Segmentation {
    /// The printed lines.
    pub lines: Vec<SourceLine>,
    /// The structural role of each line.
    pub roles: Vec<Role>,
    /// Body tokens.
    pub tokens: Vec<Token>,
    /// The template the tokens were aligned against.
    pub template: Template,
    /// Rows in document order.
    pub rows: Vec<RowSegment>,
    /// Content tokens before the first row (cover text): not part of any row.
    pub preamble: Vec<usize>,
    /// Sections no catalogue programme matches; their lines are
    /// [`Role::UnknownSection`] and part of no row.
    pub unknown_sections: Vec<UnknownSection>,
    /// 1-based number of the document's first page (1, but for a part of
    /// a file that holds several reports).
    pub first_page: usize,
    /// Pages of code lines printed twice in a row and read once (see
    /// [`repeats`]).
    pub repeated_lines: Vec<usize>,
}

/// Minimum share of a row's template weight that must be found for a row
/// without a readable code to count as present.
const MIN_COVERAGE: f32 = 0.4;

/// What segmenting needs of a catalogue beyond the catalogue itself,
/// built once for many documents: the template of all its rows.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The catalogue's template, for documents that show no code the
    /// catalogue lacks (nearly all).
    template: Template,
    /// The keys of the template's words, for joining words a line break
    /// hyphenated ([`tokens::join_broken_words`]).
    vocabulary: rustc_hash::FxHashSet<String>,
}

impl Prepared {
    /// Prepares `catalog` for [`segment_prepared`].
    pub fn new(catalog: &Catalog) -> Prepared {
        let template = Template::new(catalog, &[]);
        let vocabulary = template.words.iter().map(|w| w.key.clone()).collect();
        Prepared {
            template,
            vocabulary,
        }
    }
}

/// Segments a document against the catalogue.
pub fn segment(doc: &Document, catalog: &Catalog) -> Segmentation {
    segment_prepared(doc, catalog, &Prepared::new(catalog))
}

/// [`segment`] with the catalogue's template built beforehand; `prepared`
/// must be made from `catalog`.
pub fn segment_prepared(doc: &Document, catalog: &Catalog, prepared: &Prepared) -> Segmentation {
    let mut lines = lines::source_lines(doc);
    let repeated_lines = repeats::drop_repeated_code_lines(&mut lines, catalog);
    let first_page = doc.pages.first().map_or(1, |p| p.number);
    let mut seg = segment_classified(lines, catalog, prepared);
    seg.first_page = first_page;
    seg.repeated_lines = repeated_lines;
    seg
}

/// [`segment_prepared`] of the document's lines.
fn segment_classified(
    lines: Vec<SourceLine>,
    catalog: &Catalog,
    prepared: &Prepared,
) -> Segmentation {
    let mut roles = structure::classify(&lines, catalog);
    let candidates = sections::candidates(&lines, &roles);
    if candidates.is_empty() {
        return segment_lines(lines, roles, catalog, prepared, Vec::new());
    }
    // A candidate that the catalogue's questions fit is a known section
    // under a title the OCR garbled: only the others are left out.
    let trial = segment_lines(lines, roles.clone(), catalog, prepared, Vec::new());
    let unknown: Vec<UnknownSection> = candidates
        .into_iter()
        .filter(|s| !holds_catalogue_rows(&trial, s))
        .collect();
    for s in &unknown {
        roles[s.first_line..s.end_line].fill(Role::UnknownSection);
    }
    segment_lines(trial.lines, roles, catalog, prepared, unknown)
}

/// Share of a section's words that must be the catalogue's question or
/// strategy words for the section to be a known one.
const KNOWN_SECTION_SHARE: f32 = 0.2;

/// The section's words are largely the catalogue's questions and
/// strategies (boilerplate instructions, which a new programme may share,
/// do not count).
fn holds_catalogue_rows(seg: &Segmentation, section: &UnknownSection) -> bool {
    let lines = section.first_line..section.end_line;
    let words = seg
        .tokens
        .iter()
        .filter(|t| lines.contains(&t.line))
        .count();
    let known = seg
        .rows
        .iter()
        .filter(|r| r.item.is_some())
        .flat_map(|r| &r.matched)
        .filter(|&&(t, j)| {
            lines.contains(&seg.tokens[t].line)
                && matches!(
                    seg.template.words[j].field,
                    Field::Question | Field::Strategy
                )
        })
        .count();
    words > 0 && known as f32 >= KNOWN_SECTION_SHARE * words as f32
}

/// Segments classified lines: tokens, alignment, rows.
fn segment_lines(
    lines: Vec<SourceLine>,
    roles: Vec<Role>,
    catalog: &Catalog,
    prepared: &Prepared,
    unknown_sections: Vec<UnknownSection>,
) -> Segmentation {
    let mut tokens = tokens::tokens(&lines, &roles);
    tokens::join_broken_words(&mut tokens, &prepared.vocabulary);
    let section = line_programs(&roles);
    let whole = template_for(&tokens, catalog, &section, prepared);
    let mut aligner = align::Aligner::new(&tokens);
    let mut labels = aligner.align(&whole);
    let mut present = present_rows(&labels, &tokens, &whole);
    // Rows the document leaves out may still have drawn a few words (the
    // same "och genomförs." ends several strategies): align again against
    // the rows found, so those words go where they belong.
    let found = (present.iter().any(|p| !p) && present.iter().any(|p| *p))
        .then(|| whole.retain_rows(&present));
    if let Some(found) = &found {
        labels = aligner.align(found);
        present = present_rows(&labels, &tokens, found);
    }
    let template = found.unwrap_or_else(|| whole.into_owned());
    // Matches of rows still judged absent were coincidences: give them
    // back, and the garbage that hung on them too.
    for l in labels.iter_mut() {
        if let Label::Match(j, _) = *l {
            if !present[template.words[j].row] {
                *l = Label::Content;
            }
        }
    }
    release_orphan_garbage(&mut labels, &tokens);
    release_sentence_ends(&mut labels, &tokens);
    reclaim_question_tails(&mut labels, &tokens, &template);
    let (rows, preamble) = build_rows(&labels, &tokens, &template, catalog, &section);
    Segmentation {
        lines,
        roles,
        tokens,
        template,
        rows,
        preamble,
        unknown_sections,
        first_page: 1,
        repeated_lines: Vec::new(),
    }
}

/// The template to align `tokens` against: the prepared catalogue's, or,
/// when the document shows codes the catalogue lacks, one with rows for
/// them too.
fn template_for<'p>(
    tokens: &[Token],
    catalog: &Catalog,
    section: &[Option<usize>],
    prepared: &'p Prepared,
) -> Cow<'p, Template> {
    let unknown = unknown_anchors(tokens, catalog, section);
    if unknown.is_empty() {
        Cow::Borrowed(&prepared.template)
    } else {
        Cow::Owned(Template::new(catalog, &unknown))
    }
}

/// Codes the document shows that the catalogue lacks, with the programme
/// they belong to: a code after a programme's code label ("Strategi 4:7",
/// "insats 2:1."), or opening a line in a section whose programme prints
/// codes bare ("3:1 Samtliga nämnder …").
fn unknown_anchors(
    tokens: &[Token],
    catalog: &Catalog,
    section: &[Option<usize>],
) -> Vec<(usize, Code)> {
    let mut out = Vec::new();
    for (k, t) in tokens.iter().enumerate() {
        let Some(code) = t.code else { continue };
        let by_label = k
            .checked_sub(1)
            .and_then(|p| program_for_code(catalog, Some(&tokens[p]), None))
            .filter(|_| tokens[k - 1].line == t.line);
        let bare = section[t.line].filter(|&p| {
            catalog.programs[p].code_label.is_empty()
                && t.line_start
                && tokens.get(k + 1).is_some_and(|n| n.line == t.line)
        });
        if let Some(p) = by_label.or(bare) {
            if catalog.programs[p].item(code).is_none() && !out.contains(&(p, code)) {
                out.push((p, code));
            }
        }
    }
    out
}

/// Garbage is template-side noise only next to template words: a run of
/// garbage with content on both sides is content after all, except words
/// the page puts in the question column (a smudge read as "- 2 - 3").
fn release_orphan_garbage(labels: &mut [Label], tokens: &[Token]) {
    let mut i = 0;
    while i < labels.len() {
        if labels[i] != Label::Garbage {
            i += 1;
            continue;
        }
        let start = i;
        while i < labels.len() && labels[i] == Label::Garbage {
            i += 1;
        }
        let is_match = |l: Option<&Label>| matches!(l, Some(Label::Match(..)));
        let before = start.checked_sub(1).and_then(|k| labels.get(k));
        if !is_match(before) && !is_match(labels.get(i)) {
            for k in start..i {
                if tokens[k].col != Col::Left {
                    labels[k] = Label::Content;
                }
            }
        }
    }
}

/// How many lines above may hold the comment a line-final word completes.
const COMPLETES_WITHIN: usize = 3;

/// In plain text with interleaved columns, a comment's last word may stand
/// alone after the template's words on their line ("utdelat ansvar för att
/// uppfylla målet med 2025."), where the aligner finds it cheaper to drop
/// it as garbage. Such a word is the comment's: garbage that ends its line
/// (after template words), ends a sentence, and completes the comment
/// above it (the nearest content before it, at most [`COMPLETES_WITHIN`]
/// lines up, does not end a sentence). Positioned text keeps its columns.
fn release_sentence_ends(labels: &mut [Label], tokens: &[Token]) {
    for g in 0..tokens.len() {
        let t = &tokens[g];
        let ends_line = tokens.get(g + 1).is_none_or(|n| n.line != t.line);
        let after_template =
            g > 0 && tokens[g - 1].line == t.line && matches!(labels[g - 1], Label::Match(..));
        if labels[g] != Label::Garbage
            || t.col != Col::Any
            || t.noise
            || !ends_line
            || !after_template
            || !t.text.ends_with(['.', '!', '?'])
            || t.text.chars().filter(|c| c.is_alphanumeric()).count() < 4
        {
            continue;
        }
        let before = (0..g).rev().find(|&k| labels[k] == Label::Content);
        let completes = before.is_some_and(|k| {
            t.line - tokens[k].line <= COMPLETES_WITHIN && !ends_sentence(&tokens[k].text)
        });
        if completes {
            labels[g] = Label::Content;
        }
    }
}

/// How many lines below its row's last template word a skipped template
/// word may still turn up at a line start.
const TAIL_LINES: usize = 2;

/// Least similarity for a line-opening word to be taken as the template
/// word the aligner skipped there.
const TAIL_SIMILARITY: f32 = 0.75;

/// In plain text with interleaved columns, the question's last words
/// ("styrelser)", "nyrekrytering?") open a line whose rest is comment, so
/// matching them would mean leaving the template mid-line; these common
/// words weigh too little to pay for it, and the aligner leaves them in the
/// comment. Take back such a run: content opening a line just below the
/// row's last matched template word, or following it on its line, that
/// spells the template words right after it in order (a word OCR split in
/// two counts as one). A run of short words alone ("och") is not enough.
fn reclaim_question_tails(labels: &mut [Label], tokens: &[Token], template: &Template) {
    let mut last_match: Option<(usize, usize)> = None;
    for i in 0..tokens.len() {
        if let Label::Match(j, _) = labels[i] {
            last_match = Some((i, j));
            continue;
        }
        let t = &tokens[i];
        let Some((mi, jp)) = last_match else { continue };
        // Either a line start just below, or straight after the match on
        // its own line ("organiserad brott slighet? SLK är …").
        let follows = mi + 1 == i && tokens[mi].line == t.line;
        let below = t.line_start && t.line <= tokens[mi].line + TAIL_LINES;
        if labels[i] != Label::Content || t.col == Col::Right || !(follows || below) {
            continue;
        }
        let row = template.words[jp].row;
        let next_match = labels[i..].iter().find_map(|l| match l {
            Label::Match(j, _) => Some(*j),
            _ => None,
        });
        let gap_end = next_match.unwrap_or(template.words.len());
        let open =
            |k: usize| k < tokens.len() && tokens[k].line == t.line && labels[k] == Label::Content;
        let mut run: Vec<(usize, usize, f32)> = Vec::new();
        let (mut k, mut j) = (i, jp + 1);
        while j < gap_end && template.words[j].row == row && open(k) {
            let word = &template.words[j].key;
            let s = fold::similarity(&tokens[k].key, word);
            if s >= TAIL_SIMILARITY {
                run.push((k, j, s));
                k += 1;
            } else if open(k + 1) {
                let joined = format!("{}{}", tokens[k].key, tokens[k + 1].key);
                let s = fold::similarity(&joined, word);
                if s < TAIL_SIMILARITY {
                    break;
                }
                run.push((k, j, s));
                run.push((k + 1, j, s));
                k += 2;
            } else {
                break;
            }
            j += 1;
        }
        let substantial = run
            .iter()
            .any(|&(_, j, _)| template.words[j].key.chars().count() >= 5);
        if substantial {
            for &(k, j, s) in &run {
                labels[k] = Label::Match(j, s);
            }
            if let Some(&(k, j, _)) = run.last() {
                last_match = Some((k, j));
            }
        }
    }
}

/// Which template rows the document really shows.
fn present_rows(labels: &[Label], tokens: &[Token], template: &Template) -> Vec<bool> {
    let mut total = vec![0.0f32; template.rows.len()];
    for w in &template.words {
        total[w.row] += w.weight;
    }
    let mut got = vec![0.0f32; template.rows.len()];
    let mut code_seen = vec![false; template.rows.len()];
    for (t, l) in tokens.iter().zip(labels) {
        if let Label::Match(j, s) = *l {
            let w = &template.words[j];
            got[w.row] += w.weight * s;
            if w.code.is_some() && t.code == w.code {
                code_seen[w.row] = true;
            }
        }
    }
    (0..template.rows.len())
        .map(|r| code_seen[r] && got[r] >= 0.3 * total[r] || got[r] >= MIN_COVERAGE * total[r])
        .collect()
}

/// The programme each line's section belongs to, from the titles and
/// headings above it.
fn line_programs(roles: &[Role]) -> Vec<Option<usize>> {
    let mut current = None;
    roles
        .iter()
        .map(|r| {
            match *r {
                Role::ProgramTitle(p) => current = Some(p),
                Role::Heading {
                    program: Some(p), ..
                } => current = Some(p),
                _ => {}
            }
            current
        })
        .collect()
}

fn build_rows(
    labels: &[Label],
    tokens: &[Token],
    template: &Template,
    catalog: &Catalog,
    section: &[Option<usize>],
) -> (Vec<RowSegment>, Vec<usize>) {
    let mut rows: Vec<RowSegment> = Vec::new();
    let mut preamble = Vec::new();
    let mut by_template_row: Vec<Option<usize>> = vec![None; template.rows.len()];
    let mut current: Option<usize> = None;
    let mut last_was_match = false;
    for (i, (t, l)) in tokens.iter().zip(labels).enumerate() {
        match *l {
            Label::Match(j, _) => {
                let tw = &template.words[j];
                let idx = *by_template_row[tw.row].get_or_insert_with(|| {
                    let tr = template.rows[tw.row];
                    rows.push(RowSegment {
                        program: tr.program,
                        code: tr.code,
                        item: tr.item,
                        matched: Vec::new(),
                        unknown_fields: Vec::new(),
                        garbage: Vec::new(),
                        content: Vec::new(),
                        coverage: 0.0,
                        code_seen: false,
                        margin: 1.0,
                        page: t.page,
                        column_fit: blocks::ColumnFit::InPlace,
                    });
                    rows.len() - 1
                });
                let row = &mut rows[idx];
                row.matched.push((i, j));
                if tw.code.is_some() && t.code == tw.code {
                    row.code_seen = true;
                }
                current = Some(idx);
                last_was_match = true;
            }
            Label::Garbage => {
                if let (Some(c), true) = (current, last_was_match) {
                    rows[c].garbage.push(i);
                }
            }
            Label::Content => {
                last_was_match = false;
                match current {
                    Some(c) => rows[c].content.push(i),
                    None => preamble.push(i),
                }
            }
        }
    }
    let keys = TemplateKeys::new(template);
    for row in &mut rows {
        let r = template
            .rows
            .iter()
            .position(|tr| tr.program == row.program && tr.code == row.code);
        if let Some(r) = r {
            let total: f32 = template
                .words
                .iter()
                .filter(|w| w.row == r)
                .map(|w| w.weight)
                .sum();
            let got: f32 = row
                .matched
                .iter()
                .map(|&(i, j)| template.words[j].weight * labels_sim(labels, i))
                .sum();
            row.coverage = if total > 0.0 {
                (got / total).min(1.0)
            } else {
                0.0
            };
            row.margin = margin(row, r, tokens, template, &keys);
        }
    }
    claim_answer_slots(&mut rows, tokens);
    fill_boilerplate_rows(&mut rows, labels, tokens, &question_openers(template));
    let mut rows = split_unknown_codes(rows, tokens, catalog, section);
    rows.sort_by_key(first_token);
    blocks::split_blocks(&mut rows, tokens, template);
    (rows, preamble)
}

/// The template's words by distinct key, and each template row's total
/// weight: what [`margin`] weighs every row's matched words against.
struct TemplateKeys<'t> {
    /// Each distinct key's number.
    ids: FxHashMap<&'t str, usize>,
    /// Each template word's key number.
    word_ids: Vec<usize>,
    /// Each template row's weight.
    total: Vec<f32>,
}

impl<'t> TemplateKeys<'t> {
    fn new(template: &'t Template) -> TemplateKeys<'t> {
        let mut ids = FxHashMap::default();
        let mut word_ids = Vec::with_capacity(template.words.len());
        let mut total = vec![0.0f32; template.rows.len()];
        for w in &template.words {
            let next = ids.len();
            word_ids.push(*ids.entry(w.key.as_str()).or_insert(next));
            total[w.row] += w.weight;
        }
        TemplateKeys {
            ids,
            word_ids,
            total,
        }
    }
}

/// The row's matched words scored as a bag against every catalogue row:
/// its own row's share minus the best other row's share.
fn margin(
    row: &RowSegment,
    own: usize,
    tokens: &[Token],
    template: &Template,
    keys: &TemplateKeys,
) -> f32 {
    let mut in_bag = vec![false; keys.ids.len()];
    for &(t, _) in &row.matched {
        if let Some(&id) = keys.ids.get(tokens[t].key.as_str()) {
            in_bag[id] = true;
        }
    }
    let mut found = vec![0.0f32; template.rows.len()];
    for (w, &id) in template.words.iter().zip(&keys.word_ids) {
        if in_bag[id] {
            found[w.row] += w.weight;
        }
    }
    let total = &keys.total;
    let share = |r: usize| {
        if total[r] > 0.0 {
            found[r] / total[r]
        } else {
            0.0
        }
    };
    let runner_up = (0..template.rows.len())
        .filter(|&r| r != own)
        .map(share)
        .fold(0.0f32, f32::max);
    (share(own) - runner_up).clamp(0.0, 1.0)
}

/// In scans the answer word may sit a little higher than the first line of
/// its question, so it is read before it and lands at the end of the row
/// above. Give such answer-column words back to the row whose first line
/// they stand beside.
fn claim_answer_slots(rows: &mut [RowSegment], tokens: &[Token]) {
    for r in 1..rows.len() {
        let Some(first) = rows[r].matched.iter().map(|&(t, _)| t).min() else {
            continue;
        };
        let Some((y, h)) = tokens[first].y else {
            continue;
        };
        let (prev, rest) = rows.split_at_mut(r);
        let above = &mut prev[r - 1];
        let mut moved = Vec::new();
        while let Some(&t) = above.content.last() {
            let tok = &tokens[t];
            let beside =
                tok.page == tokens[first].page && tok.y.is_some_and(|(ty, _)| ty >= y - 0.8 * h);
            if tok.col != Col::Right || t > first || !beside {
                break;
            }
            moved.push(t);
            above.content.pop();
        }
        moved.reverse();
        let row = &mut rest[0];
        moved.append(&mut row.content);
        row.content = moved;
    }
}

/// Rows of codes the catalogue lacks matched only their boilerplate (code
/// label, instruction, result label). Their own text sits around it as
/// content or garbage: the question just before, the strategy or expected
/// result just after. With column positions, the row also owns the answer
/// column from its first line on.
fn fill_boilerplate_rows(
    rows: &mut [RowSegment],
    labels: &[Label],
    tokens: &[Token],
    openers: &[&str],
) {
    for r in 0..rows.len() {
        if rows[r].item.is_some() || rows[r].matched.is_empty() {
            continue;
        }
        let anchor = rows[r].matched.iter().map(|&(t, _)| t).min().unwrap_or(0);
        let positioned = tokens.iter().any(|t| t.col != Col::Any);
        let mut question = Vec::new();
        let mut k = anchor;
        while k > 0 && !matches!(labels[k - 1], Label::Match(..)) {
            k -= 1;
            let t = &tokens[k];
            if t.col != Col::Right && !t.noise {
                question.push(k);
            }
            if !positioned && t.para_start {
                break;
            }
        }
        question.reverse();
        // The question is the last sentence(s) before the boilerplate: text
        // ending a sentence earlier belongs to the row above (its expected
        // result, say).
        if let Some(cut) = question
            .iter()
            .rposition(|&t| tokens[t].text.ends_with(['.', '!', ':']))
            .filter(|&c| c + 1 < question.len())
        {
            question.drain(..=cut);
        }
        let asks = |q: &[usize]| {
            q.last()
                .is_some_and(|&t| tokens[t].text.ends_with(['?', ')']))
        };
        if !positioned && !asks(&question) {
            question.clear();
        }
        // Text with interleaved columns: the question is found by its
        // answer word instead, and what follows it is the row's own.
        let mut own_content = Vec::new();
        let mut moved: Vec<usize> = Vec::new();
        if !positioned {
            if let Some(found) = interleaved_question(tokens, labels, anchor)
                .or_else(|| unanswered_question(tokens, labels, anchor, openers))
            {
                question = found.question;
                own_content = found.content;
                moved.extend(&found.specks);
            }
        }
        moved.extend(&question);
        moved.extend(&own_content);
        if positioned {
            // The answer column from the row's first line on is its own.
            if let Some(&first) = question.first() {
                let start_line = tokens[first].line;
                moved.extend(
                    (first..anchor)
                        .filter(|&k| tokens[k].col == Col::Right && tokens[k].line >= start_line),
                );
            }
        }
        // Text after the boilerplate up to the paragraph's end (or the next
        // template word) is the strategy or expected result.
        let mut tail = Vec::new();
        let last = rows[r]
            .matched
            .iter()
            .map(|&(t, _)| t)
            .max()
            .unwrap_or(anchor);
        let mut k = last + 1;
        while k < tokens.len() && !matches!(labels[k], Label::Match(..)) {
            let t = &tokens[k];
            k += 1;
            if positioned {
                // The question column up to the next template word.
                if t.col != Col::Right {
                    tail.push(k - 1);
                }
                continue;
            }
            // A paragraph break ends the text only after a full sentence:
            // OCR puts blank lines inside wrapped cells too.
            let sentence_done = tail
                .last()
                .is_none_or(|&p: &usize| tokens[p].text.ends_with(['.', '!', '?']));
            if (t.para_start && sentence_done) || (t.line_start && t.answerish) {
                break;
            }
            tail.push(k - 1);
        }
        moved.extend(&tail);
        for other in rows.iter_mut() {
            other.content.retain(|t| !moved.contains(t));
            other.garbage.retain(|t| !moved.contains(t));
        }
        let row = &mut rows[r];
        let anchor_tokens: Vec<usize> = row.matched.iter().map(|&(t, _)| t).collect();
        let has_instruction = row.matched.len() > 3;
        let (tail_field, mut tail_tokens) = if has_instruction {
            (Field::Expected, tail)
        } else {
            (Field::Strategy, anchor_tokens)
        };
        if !has_instruction {
            tail_tokens.extend(moved.iter().filter(|t| {
                !question.contains(t) && !own_content.contains(t) && tokens[**t].col != Col::Right
            }));
        }
        let mut content: Vec<usize> = moved
            .iter()
            .copied()
            .filter(|&t| tokens[t].col == Col::Right || own_content.contains(&t))
            .chain(row.content.iter().copied())
            .collect();
        content.sort_unstable();
        row.content = content;
        row.unknown_fields = vec![(Field::Question, question), (tail_field, tail_tokens)];
    }
}

/// An unknown row's question in text with interleaved columns, and the
/// answer and comment beside it.
struct InterleavedQuestion {
    question: Vec<usize>,
    /// The answer word and the comment up to the row's boilerplate.
    content: Vec<usize>,
    /// Specks ("|" before the answer word): nobody's text.
    specks: Vec<usize>,
}

/// In text with interleaved columns, the first line of a row ends in its
/// answer word ("Har ni bidragit till att unga som riskerar | Ja"). Between
/// the previous row's last template word and the unknown row's boilerplate
/// at `anchor`, find the last such line: the question runs from its start
/// to the first word ending in "?", leaving out the answer word; what
/// follows is answer and comment. `None` where no such line or "?" is found.
fn interleaved_question(
    tokens: &[Token],
    labels: &[Label],
    anchor: usize,
) -> Option<InterleavedQuestion> {
    let lo = after_last_match(labels, anchor);
    let ends_line = |k: usize| tokens.get(k + 1).is_none_or(|n| n.line != tokens[k].line);
    let answer_at = (lo..anchor).rev().find(|&k| {
        let line_start = (lo..=k).rev().find(|&s| tokens[s].line_start);
        tokens[k].answerish
            && !tokens[k].line_start
            && ends_line(k)
            && line_start.is_some_and(|s| tokens[s].line == tokens[k].line)
    })?;
    let start = (lo..=answer_at)
        .rev()
        .find(|&s| tokens[s].line_start && tokens[s].line == tokens[answer_at].line)?;
    let mut found = InterleavedQuestion {
        question: Vec::new(),
        content: vec![answer_at],
        specks: Vec::new(),
    };
    let mut asked = false;
    for (k, t) in tokens.iter().enumerate().take(anchor).skip(start) {
        if k == answer_at {
            continue;
        }
        if asked {
            found.content.push(k);
        } else if t.noise {
            found.specks.push(k);
        } else {
            found.question.push(k);
            asked = t.text.ends_with('?');
        }
    }
    found.content.sort_unstable();
    asked.then_some(found)
}

/// The keys of the first words of the template's questions ("har", "är",
/// "deltar"): how a question opens.
fn question_openers(template: &Template) -> Vec<&str> {
    let mut openers: Vec<&str> = Vec::new();
    let mut last_row = None;
    for w in &template.words {
        if w.field == Field::Question && last_row != Some(w.row) {
            last_row = Some(w.row);
            if !openers.contains(&w.key.as_str()) {
                openers.push(&w.key);
            }
        }
    }
    openers
}

/// How many lines a question without an answer word may run over.
const QUESTION_LINES: usize = 3;

/// An unknown row's question in text with interleaved columns where the
/// OCR lost the answer word (or none was given). The question opens a line
/// as the template's questions do ("Har ni …"). It runs to the first word
/// ending in "?" before the row's boilerplate, when that is at most
/// [`QUESTION_LINES`] lines down; without a "?" (garbled away), it is the
/// opening line and the next line's words before a capital, where the
/// comment opens. What follows is comment.
fn unanswered_question(
    tokens: &[Token],
    labels: &[Label],
    anchor: usize,
    openers: &[&str],
) -> Option<InterleavedQuestion> {
    let lo = after_last_match(labels, anchor);
    let opens = |s: usize| tokens[s].line_start && openers.contains(&tokens[s].key.as_str());
    let (start, end) = match (lo..anchor).find(|&k| tokens[k].text.ends_with('?')) {
        Some(asked) => {
            let start = (lo..=asked)
                .rev()
                .find(|&s| opens(s) && tokens[asked].line - tokens[s].line < QUESTION_LINES)?;
            (start, asked + 1)
        }
        None => {
            let start = (lo..anchor).rev().find(|&s| opens(s))?;
            let next = (start..anchor).find(|&k| tokens[k].line != tokens[start].line)?;
            let comment = (next + 1..anchor)
                .take_while(|&k| tokens[k].line == tokens[next].line)
                .find(|&k| tokens[k].text.starts_with(char::is_uppercase))?;
            (start, comment)
        }
    };
    let (specks, question): (Vec<usize>, Vec<usize>) = (start..end).partition(|&k| tokens[k].noise);
    Some(InterleavedQuestion {
        question,
        content: (end..anchor).collect(),
        specks,
    })
}

/// The position after the last template match before `anchor` (0 when
/// there is none): where the text between two rows' template words starts.
fn after_last_match(labels: &[Label], anchor: usize) -> usize {
    labels[..anchor]
        .iter()
        .rposition(|l| matches!(l, Label::Match(..)))
        .map_or(0, |p| p + 1)
}

fn labels_sim(labels: &[Label], i: usize) -> f32 {
    match labels[i] {
        Label::Match(_, s) => s,
        _ => 0.0,
    }
}

fn first_token(r: &RowSegment) -> usize {
    let m = r.matched.iter().map(|&(i, _)| i).min();
    let u = r
        .unknown_fields
        .iter()
        .flat_map(|(_, t)| t.iter().copied())
        .min();
    let c = r.content.first().copied();
    [m, u, c].into_iter().flatten().min().unwrap_or(usize::MAX)
}

/// A code the catalogue lacks ("Strategi 4:7 …") shows up as content of the
/// row before it. Split such rows out: the code's paragraph is the new
/// row's strategy text, a question paragraph just before it its question,
/// and what follows its answer and comment.
fn split_unknown_codes(
    mut rows: Vec<RowSegment>,
    tokens: &[Token],
    catalog: &Catalog,
    section: &[Option<usize>],
) -> Vec<RowSegment> {
    let mut out = Vec::new();
    for mut row in rows.drain(..) {
        while let Some(pos) = find_unknown_code(&row, tokens, catalog) {
            let code_tok = row.content[pos];
            let code = tokens[code_tok].code.unwrap_or(row.code);
            let label_before = pos > 0 && is_code_label(&tokens[row.content[pos - 1]], catalog);
            let strategy_start = if label_before { pos - 1 } else { pos };
            // The question: the content lines just before, back to a line
            // that ends a sentence of the previous comment.
            let mut q_start = strategy_start;
            while q_start > 0 {
                let prev = &tokens[row.content[q_start - 1]];
                let same_line_as_next = prev.line == tokens[row.content[q_start]].line;
                if !same_line_as_next && ends_sentence(&prev.text) && !prev.text.ends_with('?') {
                    break;
                }
                q_start -= 1;
            }
            // A question ends with "?" or "styrelser)"; otherwise there is none.
            let q_tokens: Vec<usize> = row.content[q_start..strategy_start].to_vec();
            let has_question = q_tokens
                .last()
                .is_some_and(|&t| tokens[t].text.ends_with('?') || tokens[t].text.ends_with(')'));
            let q_tokens = if has_question { q_tokens } else { Vec::new() };
            let keep = if has_question {
                q_start
            } else {
                strategy_start
            };
            // The strategy text runs to the end of its paragraph: until the
            // first line that holds an answer word or a blank line.
            let mut s_end = strategy_start + 1;
            while s_end < row.content.len() {
                let t = &tokens[row.content[s_end]];
                if t.line_start && (t.answerish || paragraph_break(tokens, row.content[s_end])) {
                    break;
                }
                s_end += 1;
            }
            let program = program_for_code(
                catalog,
                label_before.then(|| &tokens[row.content[pos - 1]]),
                section[tokens[code_tok].line],
            )
            .unwrap_or(row.program);
            let new_row = RowSegment {
                program,
                code,
                item: catalog.programs[program]
                    .items
                    .iter()
                    .position(|it| it.code == code),
                matched: Vec::new(),
                unknown_fields: vec![
                    (Field::Question, q_tokens.clone()),
                    (Field::Strategy, row.content[strategy_start..s_end].to_vec()),
                ],
                garbage: Vec::new(),
                content: row.content[s_end..].to_vec(),
                coverage: 0.0,
                code_seen: true,
                margin: 1.0,
                page: tokens[q_tokens.first().copied().unwrap_or(code_tok)].page,
                column_fit: blocks::ColumnFit::InPlace,
            };
            row.content.truncate(keep);
            out.push(row);
            row = new_row;
        }
        out.push(row);
    }
    out
}

fn paragraph_break(tokens: &[Token], i: usize) -> bool {
    i > 0 && tokens[i].line_start && tokens[i].line != tokens[i - 1].line + 1
}

fn ends_sentence(text: &str) -> bool {
    text.ends_with(['.', '!', '?', ':'])
}

/// A content token that is a code the catalogue does not know, introduced
/// as codes are ("Strategi 4:7", "insats 2:5", or "3:1" opening a line).
fn find_unknown_code(row: &RowSegment, tokens: &[Token], catalog: &Catalog) -> Option<usize> {
    row.content.iter().enumerate().position(|(k, &t)| {
        let tok = &tokens[t];
        if tok.code.is_none() {
            return false;
        }
        // A row's code opens its line ("Strategi 4:7 …", "3:1 …"); a code in
        // running text ("se kommentaren under strategi 5:4") is a reference.
        let labelled = k > 0 && {
            let label = &tokens[row.content[k - 1]];
            is_code_label(label, catalog) && label.line_start && label.line == tok.line
        };
        let opens_line = tok.line_start && tokens.get(t + 1).is_some_and(|n| n.line == tok.line);
        let known = tok
            .code
            .is_some_and(|c| catalog.programs.iter().any(|p| p.item(c).is_some()));
        (labelled || opens_line) && !known
    })
}

fn is_code_label(t: &Token, catalog: &Catalog) -> bool {
    catalog
        .programs
        .iter()
        .filter(|p| !p.code_label.is_empty())
        .any(|p| fold::similarity(&t.key, &fold::key(&p.code_label)) > 0.0)
}

/// The programme a code belongs to: named by its label word, else the
/// section it sits in.
fn program_for_code(
    catalog: &Catalog,
    label: Option<&Token>,
    section: Option<usize>,
) -> Option<usize> {
    if let Some(l) = label {
        let by_label = catalog.programs.iter().position(|p| {
            !p.code_label.is_empty() && fold::similarity(&l.key, &fold::key(&p.code_label)) > 0.0
        });
        if by_label.is_some() {
            return by_label;
        }
    }
    section
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI: &str = r#"
        version = "test"
        [[program]]
        id = "p"
        title = "Programmet för tester 2024-2026"
        printed_titles = ["Programmet för tester 2024-2026"]
        area_label = "Målområde"
        code_label = "Strategi"
        [[program.area]]
        number = 1
        title = "Öka kunskapen"
        [[program.item]]
        code = "1:1"
        question = "Är ert arbete kunskapsbaserat?"
        strategy = "Strategi 1:1 Arbetet ska vara kunskapsbaserat och utgå från aktuell forskning."
        [[program.item]]
        code = "1:2"
        question = "Har ni säkrat er kompetens?"
        strategy = "Strategi 1:2 Staden ska säkra kompetens hos ansvariga och utförare."
    "#;

    fn rows_of(text: &str) -> (Segmentation, Vec<(String, Vec<String>)>) {
        let catalog = Catalog::parse(MINI, "test").unwrap();
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = segment(&doc, &catalog);
        let rows = seg
            .rows
            .iter()
            .map(|r| {
                let content = r
                    .content
                    .iter()
                    .map(|&t| seg.tokens[t].text.clone())
                    .collect();
                (r.code.to_string(), content)
            })
            .collect();
        (seg, rows)
    }

    #[test]
    fn a_prepared_template_segments_as_a_fresh_one() {
        let catalog = Catalog::parse(MINI, "test").unwrap();
        let prepared = Prepared::new(&catalog);
        for text in [
            // Only catalogue codes: the prepared template is used as is.
            "Strategi 1:1 Arbetet ska vara kunskapsbaserat.\nJa Vi arbetar med forskning.\n\n\
             Strategi 1:2 Staden ska säkra kompetens.\nNej Inte ännu.\n",
            // A code the catalogue lacks: a template of its own.
            "Strategi 1:1 Arbetet ska vara kunskapsbaserat.\nJa Vi arbetar.\n\n\
             Strategi 1:7 Något nytt.\nDelvis Det pågår.\n",
        ] {
            let doc = crate::read::text::read_text(text.as_bytes());
            let lines = lines::source_lines(&doc);
            let roles = structure::classify(&lines, &catalog);
            let tokens = tokens::tokens(&lines, &roles);
            let own = template_for(&tokens, &catalog, &line_programs(&roles), &prepared);
            assert_eq!(matches!(own, Cow::Owned(_)), text.contains("1:7"));
            let fresh = segment(&doc, &catalog);
            let reused = segment_prepared(&doc, &catalog, &prepared);
            assert!(!fresh.rows.is_empty(), "{text}");
            assert_eq!(format!("{:?}", reused.rows), format!("{:?}", fresh.rows));
            assert_eq!(
                format!("{:?}", reused.template.words),
                format!("{:?}", fresh.template.words)
            );
        }
    }

    #[test]
    fn block_layout_separates_template_from_answer_and_comment() {
        let (_, rows) = rows_of(
            "Ar ert arbete kunskapsbaserat?\n\nStrategi 1:1 Arbetet ska vara\nkunskapsbaserat och utga fran\naktuell forskning.\n\nJa\n\nVi arbetar med forskning.\n\n\
             Har ni sakrat er kompetens?\n\nStrategi 1:2 Staden ska sakra kompetens\nhos ansvariga och utforare.\n\nNej\n\nInte an.\n",
        );
        assert_eq!(rows[0].0, "1:1");
        assert_eq!(rows[0].1.join(" "), "Ja Vi arbetar med forskning.");
        assert_eq!(rows[1].1.join(" "), "Nej Inte an.");
    }

    #[test]
    fn interleaved_columns_are_split_word_by_word() {
        let (_, rows) = rows_of(
            "Ar ert arbete Delvis\nkunskapsbaserat? Vi har borjat\nStrategi 1:1 Arbetet ska vara men mycket\n\
             kunskapsbaserat och utga fran aterstar att gora.\naktuell forskning.\n",
        );
        assert_eq!(rows.len(), 1);
        assert_eq!(
            rows[0].1.join(" "),
            "Delvis Vi har borjat men mycket aterstar att gora."
        );
    }

    #[test]
    fn a_row_left_out_is_not_invented_from_comment_words() {
        // The comment quotes 1:2's question, but 1:2 is not in the report.
        let (_, rows) = rows_of(
            "Ar ert arbete kunskapsbaserat?\n\nStrategi 1:1 Arbetet ska vara\nkunskapsbaserat och utga fran\naktuell forskning.\n\nJa\n\n\
             Vi har ocksa sakrat er kompetens genom kurser.\n",
        );
        let codes: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(codes, ["1:1"]);
        assert!(rows[0]
            .1
            .join(" ")
            .contains("sakrat er kompetens genom kurser"));
    }

    #[test]
    fn an_unknown_code_becomes_its_own_row() {
        let (seg, rows) = rows_of(
            "Ar ert arbete kunskapsbaserat?\n\nStrategi 1:1 Arbetet ska vara\nkunskapsbaserat och utga fran\naktuell forskning.\n\nJa\n\nVi arbetar.\n\n\
             Har ni en plan for sommaren?\n\nStrategi 1:7 Staden ska planera sommaren.\n\nDelvis\n\nPlanen tas fram.\n",
        );
        let codes: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(codes, ["1:1", "1:7"]);
        assert_eq!(rows[0].1.join(" "), "Ja Vi arbetar.");
        assert_eq!(rows[1].1.join(" "), "Delvis Planen tas fram.");
        let unknown = &seg.rows[1];
        assert!(unknown.item.is_none());
        let q: Vec<&str> = unknown.unknown_fields[0]
            .1
            .iter()
            .map(|&t| seg.tokens[t].text.as_str())
            .collect();
        assert_eq!(q.join(" "), "Har ni en plan for sommaren?");
    }

    #[test]
    fn a_question_tail_opening_an_interleaved_line_is_not_comment() {
        // OCR text of a real report: "styrelser)" ends the question but
        // opens a line whose rest is the comment.
        let catalog = Catalog::embedded().unwrap();
        let text = "Har ni identifierat tillgängliga verktyg för | Ja\n            att motverka gängkriminalitet och\n\n            nyrekrytering? (Samtliga nämnder och Förvaltningen har tagit del av SLK:s\n\n            sammanställning av verktyg och gått\n\n            styrelser) igenom vilka som berör oss.\n            Genomförs aktiviteter i enlighet med\n            utdelat ansvar för att uppfylla målet med\n            insats 4:2.\n";
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = segment(&doc, &catalog);
        let row = seg
            .rows
            .iter()
            .find(|r| r.code.to_string() == "4:2")
            .expect("row 4:2");
        let content: Vec<&str> = row
            .content
            .iter()
            .map(|&t| seg.tokens[t].text.as_str())
            .collect();
        assert_eq!(
            content.join(" "),
            "Ja Förvaltningen har tagit del av SLK:s sammanställning av verktyg och gått igenom vilka som berör oss."
        );
    }

    #[test]
    fn an_unknown_rows_question_in_interleaved_text_is_found_by_its_answer() {
        // OCR text of a real report; the catalogue lacks insats 2:1.
        let catalog = Catalog::embedded().unwrap();
        let text = "Har ni utrett ideell sektors möjlighet att vara med i Ja\n\
            arbetat att motverka rekrytering till gängkriminalitet? Vi har utrett.\n\
            Genomförs aktiviteter i enlighet med\n\
            utdelat ansvar för att uppfylla målet med\n\
            insats 1:3.\n\n\
            Förväntat resultat: Ett utvecklat stöd för\n\
            barn/unga med normbrytande beteende och deras familjer.\n\n\
            Uppföljningsfrågor Svarsalternativ med kommentar\n\n\
            Har ni bidragit till att unga som riskerar | Ja\n\
            att rekryteras får stöd att lämna\n\n\
            kriminalitet? Skolornas elevhälsa och de skolsociala\n\n\
            teamen arbetar med elever.\n\
            Genomförs aktiviteter i enlighet med\n\
            utdelat ansvar för att uppfylla målet med\n\
            insats 2:1.\n\n\
            Förväntat resultat: Fler unga som riskerar\n\
            att rekryteras till kriminalitet får tidigt stöd.\n";
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = segment(&doc, &catalog);
        let row = seg
            .rows
            .iter()
            .find(|r| r.code.to_string() == "2:1" && r.item.is_none())
            .expect("the unknown row 2:1");
        let words = |toks: &[usize]| {
            toks.iter()
                .map(|&t| seg.tokens[t].text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let question = &row.unknown_fields[0];
        assert_eq!(question.0, Field::Question);
        assert_eq!(
            words(&question.1),
            "Har ni bidragit till att unga som riskerar att rekryteras får stöd att lämna kriminalitet?"
        );
        assert_eq!(
            words(&row.content),
            "Ja Skolornas elevhälsa och de skolsociala teamen arbetar med elever."
        );
    }

    #[test]
    fn a_comments_last_word_beside_the_template_stays_in_the_comment() {
        // Interleaved columns: "2025." ends the comment on the line of the
        // instruction's last words.
        let catalog = Catalog::embedded().unwrap();
        let text = "Har ni implementerat Brås metodstöd Nej\n\
            och utvecklat arbetet för att motverka\n\
            parallella samhällsstrukturer? Metodstödet har inte implementerats.\n\
            Förvaltningen avvaktar stadens\n\
            Genomförs aktiviteter i enlighet med gemensamma utbildning, som planeras till\n\
            utdelat ansvar för att uppfylla målet med 2025.\n\
            insats 4:6.\n\n\
            Förväntat resultat: Genom att stadens\n\
            medarbetare får en högre kompetens om\n\
            parallella samhällsstrukturer ökar\n\
            möjligheten för att sätta in rätt åtgärder för\n\
            att minska förekomst av parallella\n\
            samhällen.\n";
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = segment(&doc, &catalog);
        let row = seg
            .rows
            .iter()
            .find(|r| r.code.to_string() == "4:6")
            .expect("row 4:6");
        let last = row.content.last().map(|&t| seg.tokens[t].text.as_str());
        assert_eq!(last, Some("2025."));
    }

    /// Insats 1:3 with its answer, then a row of insats `code` (which the
    /// catalogue lacks) printed as `row`: the unknown row's question and
    /// content, as text.
    fn unknown_row(row: &str, code: &str) -> (String, String) {
        let catalog = Catalog::embedded().unwrap();
        let text = format!(
            "Har ni utrett ideell sektors möjlighet att vara med i Ja\n\
             arbetat att motverka rekrytering till gängkriminalitet? Vi har utrett.\n\
             Genomförs aktiviteter i enlighet med\n\
             utdelat ansvar för att uppfylla målet med\n\
             insats 1:3.\n\n\
             Förväntat resultat: Ett utvecklat stöd för\n\
             barn/unga med normbrytande beteende och deras familjer.\n\n\
             Uppföljningsfrågor Svarsalternativ med kommentar\n\n\
             {row}"
        );
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = segment(&doc, &catalog);
        let row = seg
            .rows
            .iter()
            .find(|r| r.code.to_string() == code && r.item.is_none())
            .expect("the unknown row");
        let words = |toks: &[usize]| {
            toks.iter()
                .map(|&t| seg.tokens[t].text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        (words(&row.unknown_fields[0].1), words(&row.content))
    }

    #[test]
    fn an_unknown_rows_question_without_an_answer_word_is_found_by_its_opening() {
        // The OCR lost the answer word; the catalogue lacks insats 2:2.
        let (question, content) = unknown_row(
            "Har ni säkerställt att individer som vill\n\n\
             lämna gängkriminalitet erbjuds stöd? Bolagen erbjuder bostad\n\n\
             Genomförs aktiviteter i enlighet med till personer i stadens\n\
             utdelat ansvar för att uppfylla målet med avhopparverksamhet.\n\
             insats 2:2.\n\n\
             Förväntat resultat: Fler individer lämnar\n\
             gängkriminalitet och får stöd till ett liv utan brott.\n",
            "2:2",
        );
        assert_eq!(
            question,
            "Har ni säkerställt att individer som vill lämna gängkriminalitet erbjuds stöd?"
        );
        assert_eq!(
            content,
            "Bolagen erbjuder bostad till personer i stadens avhopparverksamhet."
        );
    }

    #[test]
    fn an_unknown_rows_garbled_question_ends_where_the_comment_opens() {
        // Neither an answer word nor a "?": the question is its opening line
        // and the next line's words before the comment's capital.
        let (question, content) = unknown_row(
            "Har ni medverkat till att unga som vill\n\
             lamnna keiminalitst far stod th stugier Förvaltningen hänvisar unga\n\
             Genomförs aktiviteter i enlighet med till Jobbtorg.\n\
             utdelat ansvar för att uppfylla målet med\n\
             insats 2:4.\n\n\
             Förväntat resultat: Fler unga som lämnar\n\
             kriminalitet får en väg till studier.\n",
            "2:4",
        );
        assert_eq!(
            question,
            "Har ni medverkat till att unga som vill lamnna keiminalitst far stod th stugier"
        );
        assert_eq!(content, "Förvaltningen hänvisar unga till Jobbtorg.");
    }

    #[test]
    fn an_answer_word_is_never_dropped_as_garbage() {
        let (_, rows) = rows_of("Ar ert arbete kunskapsbaserat? Ja\nStrategi 1:1 Arbetet ska vara\nkunskapsbaserat och utga fran\naktuell forskning.\n");
        assert_eq!(rows[0].1, ["Ja"]);
    }
}
