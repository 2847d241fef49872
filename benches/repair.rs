//! The repair stage per MB of text, side by side with the stemming analyzer on the same text
//! (the cost repair adds to a build, against part of what a build already spends): the damaged
//! seed documents (000, 003), which every pass works on, and the clean ones (001, 002, 004),
//! which only the document check reads. Throughput is in bytes, so criterion prints MB/s.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tantivy::tokenizer::TokenStream;

fn read(files: &[&str]) -> String {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    files
        .iter()
        .map(|f| std::fs::read_to_string(corpus.join(f)).expect("seed document"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn tokens(text: &str) -> usize {
    let mut analyzer = fahras::analysis::stem_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut count = 0;
    while stream.advance() {
        count += 1;
    }
    count
}

fn repair(c: &mut Criterion) {
    let damaged = read(&["000_034d2fcbcf60e4e7.txt", "003_2a7d7debe43666ee.txt"]);
    let clean = read(&[
        "001_0a3dca724d5e52f4.txt",
        "002_d76cc368b9f9cf3d.txt",
        "004_b8696f3eab3e24f5.txt",
    ]);
    // A stage that does nothing must not look fast: the damaged text must change, the clean
    // text must not.
    assert!(!fahras::repair::repair(&damaged).is_unchanged());
    assert!(fahras::repair::repair(&clean).is_unchanged());
    for (name, text) in [("damaged", &damaged), ("clean", &clean)] {
        let mut group = c.benchmark_group(format!("repair_{name}_seed_documents"));
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("repair", |b| b.iter(|| fahras::repair::repair(text)));
        group.bench_function("stem_analyzer", |b| b.iter(|| tokens(text)));
        group.finish();
    }
}

criterion_group!(benches, repair);
criterion_main!(benches);
