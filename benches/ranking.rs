//! The two stages of ranking apart, on the seed corpus, per query class of `fahras bench`:
//! the first stage (a window of candidates by BM25 with block-WAND) and the second (the
//! window re-scored by positions and exact forms). Each query is checked to fill a window
//! and the second stage to keep every candidate, so a broken stage cannot look fast.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fahras::bench::queries::{class_queries, Class};
use fahras::index::{self, BuildOptions};
use fahras::search::plan::{self, Plan};
use fahras::search::rerank::{self, Weights};
use fahras::search::{collect, query};

fn stages(c: &mut Criterion) {
    let scratch = tempfile::tempdir().expect("scratch directory");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    index::build(&corpus, scratch.path(), &BuildOptions::default()).expect("build");
    let open = index::open(scratch.path()).expect("open");
    let reader = open.index.reader().expect("reader");
    let segments = collect::Segments::new(reader.searcher()).expect("segments");
    let weights = Weights::default();
    for class in [
        Class::CommonTerm,
        Class::Words,
        Class::Phrase,
        Class::PhraseSlop,
    ] {
        let plans: Vec<Plan> = class_queries(class, &[])
            .iter()
            .map(|q| plan::plan(&query::parse(&q.fahras()).expect("parse"), &open.fields))
            .collect::<Result<_, _>>()
            .expect("plan");
        let windows: Vec<_> = plans
            .iter()
            .map(|p| {
                collect::first_stage(&segments, p, weights.window)
                    .expect("first stage")
                    .window
            })
            .collect();
        for window in &windows {
            assert!(
                !window.is_empty(),
                "{}: a query finds nothing",
                class.name()
            );
        }
        let name = class.name().replace(' ', "_");
        let mut group = c.benchmark_group(format!("ranking_{name}"));
        group.throughput(Throughput::Elements(plans.len() as u64));
        group.bench_function("first_stage", |b| {
            b.iter(|| {
                plans
                    .iter()
                    .map(|p| {
                        collect::first_stage(&segments, p, weights.window)
                            .expect("first")
                            .window
                            .len()
                    })
                    .sum::<usize>()
            })
        });
        group.bench_function("second_stage", |b| {
            b.iter(|| {
                for (p, window) in plans.iter().zip(&windows) {
                    let ranked = rerank::rerank(&segments, &p.units, window.clone(), &weights)
                        .expect("second stage");
                    assert_eq!(ranked.ranked.len(), window.len());
                }
            })
        });
        group.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
