//! Writes `data/repair_model.tsv`, the repair stage's model of word order, from the corpus:
//! `cargo run --release --example repair_model -- corpus data/repair_model.tsv`.
//! Reads the text files as they are (the model must not learn from its own repairs).

use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let corpus = PathBuf::from(args.next().unwrap_or_else(|| "corpus".to_owned()));
    let out = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "data/repair_model.tsv".to_owned()),
    );
    let mut texts = Vec::new();
    for (name, path) in fahras::corpus::load::corpus_files(&corpus)? {
        if name.ends_with(".txt") {
            texts.push(std::fs::read_to_string(&path)?);
        }
    }
    let model = fahras::repair::learn_model(texts.iter().map(String::as_str));
    std::fs::write(&out, model.write())?;
    eprintln!("wrote {} from {} documents", out.display(), texts.len());
    Ok(())
}
