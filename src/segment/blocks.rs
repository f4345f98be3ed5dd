//! Column blocks in plain OCR text: tesseract often reads a two-column
//! table as blocks, the left cells of several rows (questions, strategy
//! texts) and then the right cells of the same rows (answers, comments),
//! instead of row by row. Aligned as it stands, every answer and comment
//! of the block lands in the block's last row.
//!
//! A block shows as a run of rows whose answer column is empty, ending in
//! a row whose answer column opens two rows or more (an answer word alone
//! on its line, or a paragraph opening "Nej, …"). That column is cut into
//! units and handed back to the rows in order: the best monotone split,
//! where a row may have been left blank, scored by what opens each run and
//! by how much of it echoes the row's own words.
//!
//! A block never reaches back over a table whose right column the OCR
//! read as empty: its right header ("Svarsalternativ med kommentar") read
//! after its left cells and followed at once by the next heading.

use rustc_hash::FxHashSet;

use super::structure::Role;
use super::template::Template;
use super::tokens::Token;
use super::RowSegment;

/// How a row's answer column was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColumnFit {
    /// Beside or under its own template text, as printed.
    #[default]
    InPlace,
    /// Handed back from a column block, one answer part a row.
    Block,
    /// Handed back from a column block with fewer answer parts than rows:
    /// which rows were left blank is a guess from the words.
    BlockGuessed,
}

/// Redistributes the answer parts of column blocks among `rows` (in
/// document order).
/// `roles` are the source lines' roles (for [`empty_columns`]).
pub(crate) fn split_blocks(
    rows: &mut [RowSegment],
    tokens: &[Token],
    template: &Template,
    roles: &[Role],
) {
    reclaim_continuations(rows, tokens);
    let ends = empty_columns(roles);
    let mut end = 0;
    while end < rows.len() {
        let mut start = end;
        while start > 0
            && same_block(&rows[start - 1], &rows[end])
            && is_empty(&rows[start - 1], tokens)
            && !ends_between(&ends, &rows[start - 1], &rows[start], tokens)
        {
            start -= 1;
        }
        if end > start {
            redistribute(&mut rows[start..=end], tokens, template, roles);
        }
        end += 1;
    }
}

/// Rows of one programme can share a block.
fn same_block(a: &RowSegment, b: &RowSegment) -> bool {
    a.program == b.program
}

/// Lines that close a table whose right column was read empty: a table
/// header line after body lines, followed by a heading with no body line
/// between (page furniture aside). Tesseract reads a column block's left
/// cells, then the right header, then the right cells: a right header
/// with no cells after it says the table's rows were left blank.
fn empty_columns(roles: &[Role]) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, role) in roles.iter().enumerate() {
        if *role != Role::TableHeader || i == 0 || roles[i - 1] != Role::Body {
            continue;
        }
        let next = roles[i + 1..].iter().find(|r| **r != Role::PageFurniture);
        if matches!(next, Some(Role::Heading { .. } | Role::ProgramTitle(_))) {
            out.push(i);
        }
    }
    out
}

/// Whether one of the `ends` (sorted line indices, see [`empty_columns`])
/// lies between row `a`'s template text and row `b`'s.
fn ends_between(ends: &[usize], a: &RowSegment, b: &RowSegment, tokens: &[Token]) -> bool {
    let lines = |r: &RowSegment| -> Vec<usize> {
        r.matched
            .iter()
            .map(|m| m.token)
            .chain(r.unknown_fields.tokens())
            .map(|t| tokens[t].line)
            .collect()
    };
    let (Some(&a_last), Some(&b_first)) = (lines(a).iter().max(), lines(b).iter().min()) else {
        return false;
    };
    let from = ends.partition_point(|&e| e <= a_last);
    ends.get(from).is_some_and(|&e| e < b_first)
}

/// A row with nothing in its answer column but specks.
fn is_empty(row: &RowSegment, tokens: &[Token]) -> bool {
    row.content.iter().all(|&t| tokens[t].noise)
}

/// An answer word alone on its line: the start of a right cell.
fn is_slot(tokens: &[Token], t: usize) -> bool {
    let tok = &tokens[t];
    let alone = tokens.get(t + 1).is_none_or(|n| n.line != tok.line);
    tok.answerish && tok.line_start && alone
}

/// Hands the block's last row's answer column to the block's rows: cut
/// into units (at answer slots and paragraph starts; a paragraph opening in
/// lower case continues the one before), then split into one run of units
/// a row, in order, by the split that scores best.
fn redistribute(block: &mut [RowSegment], tokens: &[Token], template: &Template, roles: &[Role]) {
    let k = block.len();
    let Some(last) = block.last() else { return };
    let content = last.content.clone();
    let mut units: Vec<Vec<usize>> = Vec::new();
    for &t in &content {
        let tok = &tokens[t];
        // A slot's unit takes the paragraph after it: its comment.
        let after_slot = units
            .last()
            .is_some_and(|u| u.len() == 1 && is_slot(tokens, u[0]));
        let opens = is_slot(tokens, t)
            || (tok.para_start
                && !after_slot
                && !tok.text.chars().next().is_some_and(char::is_lowercase));
        if opens || units.is_empty() {
            units.push(Vec::new());
        }
        if let Some(u) = units.last_mut() {
            u.push(t);
        }
    }
    // A block shows two answers or more; one is an ordinary row.
    let openings = units
        .iter()
        .filter(|u| opening_score(tokens, u[0]) > 0.0)
        .count();
    let row_words: Vec<FxHashSet<&str>> = block.iter().map(|r| echo_words(r, template)).collect();
    if openings == 1 && announced(&content, tokens, roles) {
        give_lone_answer(block, &units, tokens, &row_words);
        return;
    }
    if openings < 2 {
        return;
    }
    // Real blocks hold a few units a row; the split below costs the
    // square of the units, so a column of hundreds is left as it is.
    if units.len() > MAX_BLOCK_UNITS {
        return;
    }
    let echoes = Echoes::new(&units, tokens, &row_words);
    let groups = split_units(&units, k, |from, to, row| {
        opening_score(tokens, units[from][0]) + echoes.share(from, to, row)
    });
    if groups.last() == Some(&(0..units.len())) {
        return;
    }
    let answered = groups
        .iter()
        .filter(|g| !g.is_empty() && is_slot(tokens, units[g.start][0]))
        .count();
    let fit = if answered == k {
        ColumnFit::Block
    } else {
        ColumnFit::BlockGuessed
    };
    for (row, g) in block.iter_mut().zip(groups) {
        row.content = units[g].concat();
        row.column_fit = fit;
    }
}

/// Whether an answer column opens right under a table header read after
/// body lines: the right header of a column block, which the OCR read
/// after the left cells of the block's rows.
fn announced(content: &[usize], tokens: &[Token], roles: &[Role]) -> bool {
    let Some(&first) = content.first() else {
        return false;
    };
    let line = tokens[first].line;
    line >= 2 && roles[line - 1] == Role::TableHeader && roles[line - 2] == Role::Body
}

/// A column block with one answer among its rows: the rows' positions say
/// nothing (every left cell was read first), so the answer column goes to
/// the row whose words it echoes clearly more than the last row's; with
/// no such row it stays with the last row.
fn give_lone_answer(
    block: &mut [RowSegment],
    units: &[Vec<usize>],
    tokens: &[Token],
    row_words: &[FxHashSet<&str>],
) {
    let echoes = Echoes::new(units, tokens, row_words);
    let share = |row: usize| echoes.share(0, units.len(), row);
    let last = block.len() - 1;
    let Some(best) = (0..last).max_by(|&a, &b| share(a).total_cmp(&share(b))) else {
        return;
    };
    if share(best) < share(last) + LONE_ANSWER_MARGIN {
        return;
    }
    let content = std::mem::take(&mut block[last].content);
    block[best].content = content;
    for row in block.iter_mut() {
        row.column_fit = ColumnFit::BlockGuessed;
    }
}

/// How much more of a lone answer's words must echo another row than the
/// last row for it to move there.
const LONE_ANSWER_MARGIN: f32 = 0.05;

/// How likely a run of units starting with token `t` is one row's whole
/// answer column: an answer word alone on its line opens one; "Nej, …"
/// opens one with a blank slot more often than not; any other paragraph
/// seldom does (a comment's second paragraph is likelier).
fn opening_score(tokens: &[Token], t: usize) -> f32 {
    if is_slot(tokens, t) {
        1.0
    } else if tokens[t].answerish {
        0.6
    } else {
        -0.05
    }
}

/// The best split of the units into `k` consecutive runs, one a row (a run
/// may be empty: the row was left blank), where a non-empty run of units
/// `from..to` given to `row` scores `score(from, to, row)`. Ties go to the
/// split that gives units to earlier rows.
fn split_units(
    units: &[Vec<usize>],
    k: usize,
    score: impl Fn(usize, usize, usize) -> f32,
) -> Vec<std::ops::Range<usize>> {
    let n = units.len();
    // best[j][i]: the best score of units 0..i over rows 0..j.
    let mut best = vec![vec![f32::NEG_INFINITY; n + 1]; k + 1];
    let mut from = vec![vec![0usize; n + 1]; k + 1];
    best[0][0] = 0.0;
    for j in 1..=k {
        for i in 0..=n {
            // From the largest start down: on a tie the earlier rows keep
            // the units.
            for a in (0..=i).rev() {
                if best[j - 1][a] == f32::NEG_INFINITY {
                    continue;
                }
                let s = best[j - 1][a] + if a < i { score(a, i, j - 1) } else { 0.0 };
                if s > best[j][i] {
                    best[j][i] = s;
                    from[j][i] = a;
                }
            }
        }
    }
    let mut out = vec![0..0; k];
    let mut i = n;
    for j in (1..=k).rev() {
        let a = from[j][i];
        out[j - 1] = a..i;
        i = a;
    }
    out
}

/// A row's answer column that opens, before its first answer slot, with
/// text continuing an earlier row's comment across a page break (the left
/// cells of a column block came between): given back to the nearest
/// earlier row with a comment, when that comment stops mid-sentence.
fn reclaim_continuations(rows: &mut [RowSegment], tokens: &[Token]) {
    for r in 1..rows.len() {
        let Some(slot) = rows[r].content.iter().position(|&t| is_slot(tokens, t)) else {
            continue;
        };
        let Some(&first) = rows[r].content.first() else {
            continue;
        };
        let Some(p) = (0..r).rev().find(|&p| !rows[p].content.is_empty()) else {
            continue;
        };
        let Some(&prev_last) = rows[p].content.last() else {
            continue;
        };
        let continues = slot > 0
            && tokens[first].page > tokens[prev_last].page
            && !tokens[prev_last].text.ends_with(['.', '!', '?']);
        if continues {
            let moved: Vec<usize> = rows[r].content.drain(..slot).collect();
            rows[p].content.extend(moved);
        }
    }
}

/// The words of a row's template text that count for [`echo`].
fn echo_words<'t>(row: &RowSegment, template: &'t Template) -> FxHashSet<&'t str> {
    row.matched
        .iter()
        .map(|m| template.words[m.word].key.as_str())
        .filter(|k| k.len() >= ECHO_MIN_LEN)
        .collect()
}

/// Shorter words ("och", "att") echo every row alike.
const ECHO_MIN_LEN: usize = 5;

/// Most units of a column block that [`redistribute`] splits among its
/// rows: the largest block in the corpora has 8 (a unit is an answer slot
/// or a paragraph). The split's cost grows with the square of the units.
const MAX_BLOCK_UNITS: usize = 64;

/// How many words of each run of units echo each row's words: counts
/// before every unit, so that a run's share is two subtractions, not a
/// pass over its words (which made the split's cost grow with the cube of
/// the units).
struct Echoes {
    /// Words (of [`ECHO_MIN_LEN`] or more) in the units before each unit.
    words: Vec<usize>,
    /// For each row, those of the words that are the row's own.
    echoed: Vec<Vec<usize>>,
}

impl Echoes {
    fn new(units: &[Vec<usize>], tokens: &[Token], row_words: &[FxHashSet<&str>]) -> Echoes {
        let keys = |unit: &Vec<usize>| -> Vec<&str> {
            unit.iter()
                .map(|&t| tokens[t].key.as_str())
                .filter(|k| k.len() >= ECHO_MIN_LEN)
                .collect()
        };
        let unit_keys: Vec<Vec<&str>> = units.iter().map(keys).collect();
        let prefix = |count: &dyn Fn(&[&str]) -> usize| -> Vec<usize> {
            let mut sums = Vec::with_capacity(units.len() + 1);
            sums.push(0);
            for k in &unit_keys {
                sums.push(sums[sums.len() - 1] + count(k));
            }
            sums
        };
        Echoes {
            words: prefix(&|k| k.len()),
            echoed: row_words
                .iter()
                .map(|row| prefix(&|k| k.iter().filter(|w| row.contains(*w)).count()))
                .collect(),
        }
    }

    /// The share of the words of units `from..to` that echo row `row`'s
    /// words (0..1).
    fn share(&self, from: usize, to: usize, row: usize) -> f32 {
        let words = self.words[to] - self.words[from];
        let echoed = self.echoed[row][to] - self.echoed[row][from];
        if words == 0 {
            0.0
        } else {
            echoed as f32 / words as f32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_split_into_one_run_a_row_by_score() {
        let units = vec![vec![0], vec![1], vec![2]];
        // Units 0 and 2 open rows; unit 1 continues unit 0.
        let opens = [1.0, -0.05, 1.0];
        let got = split_units(&units, 2, |from, _, _| opens[from]);
        assert_eq!(got, [0..2, 2..3]);
        // Three rows, two openings: one row is left blank.
        let got = split_units(&units, 3, |from, _, _| opens[from]);
        let taken: Vec<_> = got.iter().filter(|g| !g.is_empty()).cloned().collect();
        assert_eq!(taken, [0..2, 2..3]);
        assert_eq!(got.len(), 3);
        // Echo of the third row's words puts the second opening there.
        let got = split_units(&units, 3, |from, _, row| {
            opens[from] + if from == 2 && row == 2 { 0.5 } else { 0.0 }
        });
        assert_eq!(got, [0..2, 2..2, 2..3]);
    }

    #[test]
    fn echo_shares_from_counts_are_those_of_the_words() {
        let token = |key: &str| Token {
            text: key.to_string(),
            key: key.to_string(),
            code: None,
            noise: false,
            answerish: false,
            line: 0,
            line_start: false,
            para_start: false,
            col: super::super::lines::Col::Right,
            page: 1,
            confidence: None,
            y: None,
        };
        let keys = ["lägesbilder", "och", "forskning", "utbildat", "medarbetare"];
        let tokens: Vec<Token> = keys.iter().map(|k| token(k)).collect();
        let units = vec![vec![0, 1], vec![2], vec![3, 4]];
        let rows: Vec<FxHashSet<&str>> = vec![
            ["lägesbilder", "forskning"].into_iter().collect(),
            ["medarbetare"].into_iter().collect(),
        ];
        let echoes = Echoes::new(&units, &tokens, &rows);
        for (row, own) in rows.iter().enumerate() {
            for from in 0..units.len() {
                for to in from + 1..=units.len() {
                    // "och" is too short to count either way.
                    let words: Vec<&str> = units[from..to]
                        .iter()
                        .flatten()
                        .map(|&t| keys[t])
                        .filter(|k| k.len() >= ECHO_MIN_LEN)
                        .collect();
                    let echoed = words.iter().filter(|w| own.contains(*w)).count();
                    let want = echoed as f32 / words.len() as f32;
                    assert_eq!(echoes.share(from, to, row), want, "{from}..{to} row {row}");
                }
            }
        }
    }

    #[test]
    fn answers_read_as_a_block_go_back_to_their_rows() {
        let catalog = crate::catalog::Catalog::embedded().unwrap();
        let text = "Uppföljningsfrågor Svarsalternativ med kommentar\n\n\
            Är ert arbete kunskapsbaserat?\n\n\
            Strategi 1:1 Göteborgs stads trygghetsskapande och\n\
            brottsförebyggande arbete ska vara kunskapsbaserat och\n\
            utgå från målgruppsanalyser, likvärdiga lokala och\n\
            centrala lägesbilder och aktuell forskning\n\n\
            Har ni säkrat er kompetens?\n\n\
            Strategi 1:2 Göteborg Stad ska säkra kompetens hos\n\
            ansvariga och utförare i det trygghetsskapande och\n\
            brottsförebyggande arbetet\n\n\
            Delvis\n\nVi följer lägesbilderna.\n\nJa\n\nVi har utbildat 85 medarbetare.\n";
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = crate::segment::segment(&doc, &catalog);
        let contents: Vec<String> = seg
            .rows
            .iter()
            .map(|r| {
                r.content
                    .iter()
                    .map(|&t| seg.tokens[t].text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert_eq!(
            contents,
            [
                "Delvis Vi följer lägesbilderna.",
                "Ja Vi har utbildat 85 medarbetare."
            ]
        );
        assert!(seg.rows.iter().all(|r| r.column_fit == ColumnFit::Block));
    }

    #[test]
    fn rows_printed_row_by_row_are_left_alone() {
        let catalog = crate::catalog::Catalog::embedded().unwrap();
        let text = "Är ert arbete kunskapsbaserat?\n\n\
            Strategi 1:1 Göteborgs stads trygghetsskapande och\n\
            brottsförebyggande arbete ska vara kunskapsbaserat och\n\
            utgå från målgruppsanalyser, likvärdiga lokala och\n\
            centrala lägesbilder och aktuell forskning\n\n\
            Delvis\n\nVi följer lägesbilderna.\n\nJa\n\nsäger de flesta.\n\n\
            Har ni säkrat er kompetens?\n\n\
            Strategi 1:2 Göteborg Stad ska säkra kompetens hos\n\
            ansvariga och utförare i det trygghetsskapande och\n\
            brottsförebyggande arbetet\n\nJa\n";
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = crate::segment::segment(&doc, &catalog);
        assert!(seg.rows.iter().all(|r| r.column_fit == ColumnFit::InPlace));
        assert_eq!(seg.rows[0].content.len(), 8);
    }

    /// Each row's code and answer column, as text.
    fn columns(text: &str) -> Vec<(String, String)> {
        let catalog = crate::catalog::Catalog::embedded().unwrap();
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = crate::segment::segment(&doc, &catalog);
        seg.rows
            .iter()
            .map(|r| {
                let words: Vec<&str> = r
                    .content
                    .iter()
                    .map(|&t| seg.tokens[t].text.as_str())
                    .collect();
                (r.code.to_string(), words.join(" "))
            })
            .collect()
    }

    const AREA_4: &str = "1.2.2 Målområde 4: Minska benägenheten att begå brott\n\n\
        Uppföljningsfrågor\n\n\
        Har ert vålds- och drogförebyggande\nutvecklats och stärkts?\n\n\
        Strategi 4:1 Göteborgs Stad ska utveckla\noch stärka det långsiktiga och\n\
        systematiska vålds- och\ndrogförebyggande arbetet.\n\n";

    const AREA_5: &str = "1.2.3 Målområde 5: Minska möjligheten att begå brott\n\n\
        Uppföljningsfrågor\n\n\
        Vidtar ni brottsförebyggande åtgärder\nsystematiskt?\n\n\
        Strategi 5:1 Göteborgs Stad ska på ett\nsystematiskt sätt vidta\n\
        brottsförebyggande åtgärder i\nverksamheter, på platser och vid tjänster\n\
        där brott riskerar att begås.\n\n\
        Har ni förstärkt era åtgärder för att\nmotverka ekonomisk brottslighet?\n\n\
        Strategi 5:2 Göteborgs stad ska förstärka\nsina kontrollfunktioner och samverka\n\
        internt och externt för att motverka\nekonomisk brottslighet och att oseriösa\n\
        aktörer kommer åt stadens resurser.\n\n";

    #[test]
    fn a_right_header_with_no_cells_closes_its_table() {
        // Table 4's right column was read empty: its right header comes
        // straight before the next area's heading. The block after table
        // 5's right header is table 5's alone.
        let text = format!(
            "{AREA_4}Svarsalternativ med kommentar\n\n{AREA_5}Svarsalternativ med kommentar\n\n\
             Ja\n\nVi gör riskbedömningar inför varje tillsynsbesök.\n\n\
             Ja\n\nVi kontrollerar leverantörer mot Bolagsverket.\n"
        );
        let got = columns(&text);
        let want = [
            ("4:1", ""),
            (
                "5:1",
                "Ja Vi gör riskbedömningar inför varje tillsynsbesök.",
            ),
            ("5:2", "Ja Vi kontrollerar leverantörer mot Bolagsverket."),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(c, t)| (c.to_string(), t.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_comment_cut_by_a_page_break_goes_back_over_the_next_pages_left_cells() {
        // Page 1 ends in row 4:1's bare answer; its comment is read on
        // page 2 after the left cells of 5:1 and 5:2 and the right header.
        let text = format!(
            "{AREA_4}Svarsalternativ med kommentar\n\nJa\n\x0c{AREA_5}Svarsalternativ med kommentar\n\n\
             Förvaltningen har en rutin för det våldsförebyggande arbetet.\n\n\
             Nej\n\nInga åtgärder i år.\n\n\
             Delvis\n\nVi ser över avtalen.\n"
        );
        let got = columns(&text);
        let want = [
            (
                "4:1",
                "Ja Förvaltningen har en rutin för det våldsförebyggande arbetet.",
            ),
            ("5:1", "Nej Inga åtgärder i år."),
            ("5:2", "Delvis Vi ser över avtalen."),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(c, t)| (c.to_string(), t.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_lone_answer_in_a_column_block_goes_to_the_row_it_echoes() {
        let text = format!(
            "{AREA_5}Svarsalternativ med kommentar\n\n\
             Delvis\n\nVi vidtar systematiskt brottsförebyggande åtgärder på platser.\n"
        );
        let got = columns(&text);
        assert_eq!(
            got[0].1, "Delvis Vi vidtar systematiskt brottsförebyggande åtgärder på platser.",
            "{got:?}"
        );
        assert_eq!(got[1].1, "", "{got:?}");
        // Echoing neither row better, it stays with the last row.
        let text = format!("{AREA_5}Svarsalternativ med kommentar\n\nDelvis\n\nSe bilaga.\n");
        let got = columns(&text);
        assert_eq!(
            (got[0].1.as_str(), got[1].1.as_str()),
            ("", "Delvis Se bilaga.")
        );
    }
}
