//! Prints the lines the reader builds from one input, with their baseline
//! and each word's horizontal extent: what the segmenter sees, before any
//! repair. A tool for developing the reader and the segmenter.
//!
//!     cargo run --release --example dump_lines -- report.pdf [PAGE]

use std::path::Path;

use uppfoljning::read::{read_bytes, read_input, ReadOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let Some(file) = args.next() else {
        return Err("usage: dump_lines FILE [PAGE]".into());
    };
    let only: Option<usize> = args.next().map(|p| p.parse()).transpose()?;
    let path = Path::new(&file);
    let bytes = read_input(path)?;
    let doc = read_bytes(path, &bytes, &ReadOptions::default())?;
    for page in doc
        .pages
        .iter()
        .filter(|p| only.is_none_or(|n| n == p.number))
    {
        println!("== page {}", page.number);
        for line in &page.lines {
            let y = line.y.map_or("-".to_string(), |y| format!("{y:6.1}"));
            let words: Vec<String> = line
                .words
                .iter()
                .map(|w| match w.x {
                    Some((x0, _)) => format!("{}@{x0:.0}", w.text),
                    None => w.text.clone(),
                })
                .collect();
            println!("{y} {}", words.join(" "));
        }
    }
    Ok(())
}
