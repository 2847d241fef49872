//! The Arabic analyzer on the seed corpus, side by side with tantivy's default chain
//! (SimpleTokenizer + LowerCaser) on the same text. Throughput is reported in bytes, so
//! criterion prints MB/s for each; the ratio of the two is the figure to compare.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer, TokenStream};

fn seed_text() -> String {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let loaded = fahras::corpus::load_corpus(&corpus, &Default::default()).expect("seed corpus");
    loaded
        .documents
        .iter()
        .map(|d| d.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn count_tokens(analyzer: &mut TextAnalyzer, text: &str) -> usize {
    let mut stream = analyzer.token_stream(text);
    let mut count = 0;
    while stream.advance() {
        count += 1;
    }
    count
}

fn analyzers(c: &mut Criterion) {
    let text = seed_text();
    let chains: [(&str, TextAnalyzer); 3] = [
        ("fahras_stem", fahras::analysis::stem_analyzer()),
        ("fahras_fold", fahras::analysis::fold_analyzer()),
        (
            "tantivy_default",
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .build(),
        ),
    ];
    let words = text.split_whitespace().count();
    let mut group = c.benchmark_group("analyze_seed_corpus");
    group.throughput(Throughput::Bytes(text.len() as u64));
    for (name, mut analyzer) in chains {
        // A broken analyzer must not look fast: every whitespace-separated word of the
        // corpus yields at least one token (letter/digit splits and stems add more).
        let tokens = count_tokens(&mut analyzer, &text);
        assert!(tokens >= words, "{name}: {tokens} tokens for {words} words");
        group.bench_function(name, |b| b.iter(|| count_tokens(&mut analyzer, &text)));
    }
    group.finish();
}

criterion_group!(benches, analyzers);
criterion_main!(benches);
