//! Index building on the seed corpus, and query latency per query class (the classes and
//! queries of `fahras bench`) on the built index. Every query is checked to find passages
//! before it is timed, so a broken engine cannot look fast.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fahras::bench::queries::{class_queries, Class};
use fahras::index::{self, BuildOptions};
use fahras::search::{Engine, SearchRequest};

/// Words that occur once or twice in the seed corpus: the rare-term class.
const SEED_RARE_TERMS: [&str; 3] = ["إسبانيا", "إجراءهما", "بنغلاديش"];

fn seed_corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn build(c: &mut Criterion) {
    let corpus = seed_corpus();
    let scratch = tempfile::tempdir().expect("scratch directory");
    let options = BuildOptions::default();
    let first = index::build(&corpus, scratch.path(), &options).expect("build");
    assert!(
        first.passages > 1000,
        "only {} passages indexed",
        first.passages
    );
    let mut group = c.benchmark_group("build_seed_corpus");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(first.bytes));
    group.bench_function("fahras", |b| {
        b.iter(|| {
            let summary = index::build(&corpus, scratch.path(), &options).expect("build");
            assert_eq!(summary.passages, first.passages);
        })
    });
    group.finish();
}

fn query(c: &mut Criterion) {
    let scratch = tempfile::tempdir().expect("scratch directory");
    index::build(&seed_corpus(), scratch.path(), &BuildOptions::default()).expect("build");
    let engine = Engine::new(index::open(scratch.path()).expect("open")).expect("engine");
    let rare: Vec<String> = SEED_RARE_TERMS.iter().map(|&t| t.to_owned()).collect();
    let mut group = c.benchmark_group("query_seed_corpus");
    for class in Class::ALL {
        let requests: Vec<SearchRequest> = class_queries(class, &rare)
            .iter()
            .map(|q| SearchRequest::new(q.fahras(), 10))
            .collect();
        for r in &requests {
            let found = engine.search(r).expect("search").total_hits;
            assert!(found > 0, "{}: `{}` finds nothing", class.name(), r.query);
        }
        group.throughput(Throughput::Elements(requests.len() as u64));
        group.bench_function(class.name().replace(' ', "_"), |b| {
            b.iter(|| {
                requests
                    .iter()
                    .map(|r| engine.search(r).expect("search").hits.len())
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, build, query);
criterion_main!(benches);
