//! Prints the stems found in at least 2% of the seed corpus's passages: the list in
//! `data/common_stems.txt`, whose adjacent pairs the index keeps as single terms so that
//! phrases of frequent words are fast (see `src/analysis/pairs.rs`).
//!
//! `cargo run --release --example common_stems > data/common_stems.txt`

use std::collections::{HashMap, HashSet};

fn main() -> fahras::Result<()> {
    let corpus = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"));
    let loaded = fahras::corpus::load_corpus(corpus, &Default::default())?;
    let mut frequency: HashMap<String, usize> = HashMap::new();
    let mut passages = 0;
    for document in &loaded.documents {
        for passage in fahras::corpus::split_passages(&document.text) {
            passages += 1;
            let stems: HashSet<String> = fahras::analysis::analyze(&passage.text)
                .into_iter()
                .flat_map(|token| token.stems)
                .collect();
            for stem in stems {
                *frequency.entry(stem).or_default() += 1;
            }
        }
    }
    let mut common: Vec<(String, usize)> = frequency
        .into_iter()
        .filter(|(_, n)| n * 50 >= passages)
        .collect();
    common.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    println!("# Stems in at least 2% of the {passages} passages of the seed corpus, most frequent");
    println!("# first. Made by `cargo run --release --example common_stems`.");
    for (stem, _) in common {
        println!("{stem}");
    }
    Ok(())
}
