//! Measures repair against hand-restored paragraphs of the OCR sample
//! (`testdata/seed_gold.txt`) and of a second OCR of the same report
//! (`testdata/scan_eng_gold.txt`), and checks that correct Swedish is left
//! alone.
//!
//! Test-only. Run with `cargo test repair::eval -- --nocapture` to see the
//! figures and every word repair got wrong.

use super::Repairer;

const GOLD: &str = include_str!("testdata/seed_gold.txt");

/// A second OCR of the same report, with other damage: held out while the
/// repair rules were written against the first.
const GOLD_SCAN: &str = include_str!("testdata/scan_eng_gold.txt");

/// Correct Swedish, rich in å/ä/ö, in the register of the reports.
const CORRECT: &[&str] = &[
    "Förvaltningen har under året arbetat med att stärka tryggheten i stadens parker och på våra \
     idrottsplatser. Åtgärderna har följts upp löpande och vi ser att fler boende känner sig \
     trygga när de rör sig i området på kvällstid.",
    "Vi är en aktiv part i det lokala brottsförebyggande rådet och deltar i samverkan med polisen, \
     socialtjänsten och skolan. Här har vi tillsammans tagit fram en lägesbild som uppdateras två \
     gånger per år.",
    "Nämnden ska säkerställa att medarbetarna får den kompetens som behövs för att upptäcka och \
     förebygga otillåten påverkan. Under hösten genomfördes utbildningar för chefer, och fler \
     tillfällen är planerade till våren.",
    "Det är för tidigt att säga om insatserna har gett önskad effekt, men arbetet fortsätter och \
     följs upp i nästa års verksamhetsplan. Målet är att minska våld i nära relationer och att \
     stödja föreningar som möter barn och unga.",
    "Bostadsbolagen har satt upp belysning vid gångvägar och hållplatser och röjt buskage så att \
     det blir lättare att se och synas. Åtgärderna valdes ut efter trygghetsvandringar där boende \
     fick peka ut platser som upplevs otrygga.",
    "Vår bedömning är att samarbetet med civilsamhället har stärkts. Föreningarna har fått ökat \
     stöd för att nå fler barn och unga, och fler aktiviteter har genomförts på loven än tidigare år.",
    "Stadsledningskontoret följer upp hur nämnder och styrelser använder metodhandboken. Då \
     rutinen är ny är det viktigt att den blir känd bland alla medarbetare på arbetsplatsträffar \
     (APT) och i ledningsgrupper.",
    "Vi har en modell som implementeras under 2024.",
    "Ja, men det finns mer att göra. IOFF, SLK och BRÅ samverkar; läs mer på https://goteborg.se/trygghet.",
];

/// A block of the gold file: the OCR lines and the restored text.
struct Block<'a> {
    lines: Vec<&'a str>,
    gold: &'a str,
}

fn blocks(gold: &'static str) -> Vec<Block<'static>> {
    let body: Vec<&str> = gold.lines().filter(|l| !l.starts_with('#')).collect();
    body.split(|l| *l == "---")
        .filter_map(|b| {
            let at = b.iter().position(|l| *l == "=>")?;
            Some(Block {
                lines: b[..at].to_vec(),
                gold: b.get(at + 1)?,
            })
        })
        .collect()
}

/// Word counts of one comparison.
#[derive(Debug, Default)]
struct Score {
    words: usize,
    right: usize,
    /// Words the OCR got wrong.
    damaged: usize,
    /// Damaged words repair made right.
    fixed: usize,
    /// Words the OCR got right that repair made wrong.
    broken: usize,
    errors: Vec<String>,
}

impl Score {
    fn add(&mut self, input: &str, output: &str, gold: &str) {
        let inp: Vec<&str> = input.split(' ').collect();
        let out: Vec<&str> = output.split(' ').collect();
        let gold_words: Vec<&str> = gold.split(' ').collect();
        if out.len() != gold_words.len() || inp.len() != gold_words.len() {
            self.words += gold_words.len();
            self.errors.push(format!(
                "word count differs:\n  got  {output}\n  gold {gold}"
            ));
            return;
        }
        for ((i, o), g) in inp.iter().zip(&out).zip(&gold_words) {
            self.words += 1;
            let damaged = i != g;
            self.damaged += usize::from(damaged);
            if o == g {
                self.right += 1;
                self.fixed += usize::from(damaged);
            } else {
                self.broken += usize::from(!damaged);
                self.errors.push(format!("{i:>24} -> {o:<24} gold {g}"));
            }
        }
    }

    fn report(&self, title: &str) {
        println!(
            "{title}: {}/{} words right ({:.1} %); damaged {}, fixed {} ({:.1} %), right words broken {}",
            self.right,
            self.words,
            100.0 * self.right as f64 / self.words.max(1) as f64,
            self.damaged,
            self.fixed,
            100.0 * self.fixed as f64 / self.damaged.max(1) as f64,
            self.broken
        );
        for e in &self.errors {
            println!("  {e}");
        }
    }
}

/// Repairs every block of a gold file and scores it.
fn score_gold(gold: &'static str) -> Score {
    let repairer = Repairer::default();
    let mut score = Score::default();
    for block in blocks(gold) {
        // The input as the word stages see it: normalised and de-hyphenated.
        let input = repairer
            .repair_lines(&block.lines, crate::repair::Origin::Digital)
            .text;
        let output = repairer
            .repair_lines(&block.lines, crate::repair::Origin::Ocr)
            .text;
        score.add(&input, &output, block.gold);
    }
    score
}

#[test]
fn seed_paragraphs_are_restored() {
    let score = score_gold(GOLD);
    score.report("seed sample");
    assert!(score.words > 1000, "gold too small: {}", score.words);
    assert!(
        score.right as f64 >= 0.97 * score.words as f64,
        "accuracy fell: {}/{}",
        score.right,
        score.words
    );
    assert!(score.broken <= 3, "{} right words broken", score.broken);
}

#[test]
fn second_scan_paragraphs_are_restored() {
    let score = score_gold(GOLD_SCAN);
    score.report("second scan (held out)");
    assert!(score.words > 700, "gold too small: {}", score.words);
    assert!(
        score.right as f64 >= 0.95 * score.words as f64,
        "accuracy fell: {}/{}",
        score.right,
        score.words
    );
    assert!(score.broken <= 3, "{} right words broken", score.broken);
}

#[test]
fn correct_swedish_is_left_alone() {
    let repairer = Repairer::default();
    for text in CORRECT {
        let r = repairer.repair_text(text, crate::repair::Origin::Ocr);
        assert_eq!(&r.text, text, "edits: {:#?}", r.edits);
        assert!(r.edits.is_empty(), "{:#?}", r.edits);
    }
}

/// Strips å/ä/ö as an English OCR engine does.
fn strip(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'Å' | 'Ä' => 'A',
            'ö' => 'o',
            'Ö' => 'O',
            c => c,
        })
        .collect()
}

#[test]
fn stripped_correct_swedish_is_restored() {
    let repairer = Repairer::default();
    let mut score = Score::default();
    for text in CORRECT {
        let input = strip(text);
        let output = repairer
            .repair_text(&input, crate::repair::Origin::Ocr)
            .text;
        score.add(&input, &output, text);
    }
    score.report("stripped correct text");
    assert!(
        score.right as f64 >= 0.95 * score.words as f64,
        "accuracy fell: {}/{}",
        score.right,
        score.words
    );
}
