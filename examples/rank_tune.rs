//! How the second stage's window and weights were chosen: indexes the seed corpus, runs the
//! known items of the development sets (`tests/data/dev.json`, `tests/data/dev_ranking.json`)
//! for every setting of a grid, and prints the best settings and the ranks of each query
//! under the default: `cargo run --release --example rank_tune`. Never tune on anything else.

#[path = "../tests/common/relevance.rs"]
mod relevance;

use fahras::search::rerank::{Features, Weights};
use fahras::search::{Engine, SearchRequest};
use relevance::{Judged, KnownItem};

/// The rank of every item and its margin: how far the item's passage is ahead of the best
/// other hit (behind the first hit, when negative), as a share of the first hit's score.
fn ranks(engine: &Engine, items: &[KnownItem]) -> anyhow::Result<Vec<(Option<usize>, f64)>> {
    items
        .iter()
        .map(|item| {
            let results = engine.search(&SearchRequest::new(item.query.clone(), 10))?;
            let hits: Vec<Judged> = results
                .hits
                .iter()
                .map(|h| Judged {
                    doc: &h.doc,
                    passage: h.passage,
                    text: &h.text,
                })
                .collect();
            let rank = item.rank(&hits);
            let score = |i: usize| results.hits.get(i).map_or(0.0, |h| f64::from(h.score));
            let first = score(0).max(f64::MIN_POSITIVE);
            let margin = match rank {
                Some(1) => (first - score(1)) / first,
                Some(r) => (score(r - 1) - first) / first,
                None => -1.0,
            };
            Ok((rank, margin))
        })
        .collect()
}

/// Worst MRR@10 of the two sets and their mean success@1: both sets must be good, neither
/// may pay for the other.
fn judge(items: &[KnownItem], ranks: &[(Option<usize>, f64)]) -> (f64, f64) {
    let of = |set: &str| {
        let chosen: Vec<Option<usize>> = items
            .iter()
            .zip(ranks)
            .filter(|(i, _)| i.set == set)
            .map(|(_, r)| r.0)
            .collect();
        relevance::mrr_and_success(&chosen)
    };
    let (dev, dev_first) = of("dev.json");
    let (ranking, ranking_first) = of("dev_ranking.json");
    (dev.min(ranking), (dev_first + ranking_first) / 2.0)
}

/// The values tried for each setting, in the order of [`weights`].
const GRID: [&[f64]; 7] = [
    &[100.0, 200.0, 300.0],
    &[0.5, 1.0, 2.0, 3.0, 4.0],
    &[0.0, 0.25, 0.5, 1.0],
    &[0.0, 0.25, 0.5, 1.0],
    &[0.0, 0.25, 0.5, 1.0],
    &[0.0, 0.25, 0.5],
    &[0.0, 0.25, 0.5, 1.0],
];

fn weights(at: &[usize; 7]) -> Weights {
    let v = |axis: usize| GRID[axis][at[axis]] as f32;
    Weights {
        window: v(0) as usize,
        features: Features {
            coverage: v(1),
            proximity: v(2),
            order: v(3),
            phrase: v(4),
            exact: v(5),
            lead: v(6),
        },
    }
}

/// Every point of the grid, as indices into its axes.
fn points() -> Vec<[usize; 7]> {
    let mut all = vec![[0usize; 7]];
    for (axis, values) in GRID.iter().enumerate() {
        all = all
            .into_iter()
            .flat_map(|p| {
                (0..values.len()).map(move |i| {
                    let mut q = p;
                    q[axis] = i;
                    q
                })
            })
            .collect();
    }
    all
}

fn main() -> anyhow::Result<()> {
    let corpus = relevance::root().join("corpus");
    let dir = tempfile::tempdir()?;
    fahras::index::build(&corpus, dir.path(), &Default::default())?;
    let mut items = relevance::dev_known_items();
    items.extend(relevance::ranking_known_items(&relevance::seed_documents(
        &corpus,
    )));

    let mut engine = Engine::new(fahras::index::open(dir.path())?)?;
    let points = points();
    let mut judged = std::collections::HashMap::new();
    for point in &points {
        engine = engine.with_weights(weights(point));
        let ranks = ranks(&engine, &items)?;
        let margin = ranks.iter().map(|r| r.1).sum::<f64>() / ranks.len() as f64;
        judged.insert(*point, (judge(&items, &ranks), margin));
    }
    let best = judged
        .values()
        .map(|j| j.0)
        .fold((0.0, 0.0), |a, b| if b > a { b } else { a });
    // Among the best settings, the steadiest: most neighbours on the grid (one step along
    // one axis) as good, then the widest mean margin.
    let neighbours = |p: &[usize; 7]| {
        (0..7)
            .flat_map(|axis| {
                [p[axis].checked_sub(1), Some(p[axis] + 1)]
                    .into_iter()
                    .flatten()
                    .filter(move |&i| i < GRID[axis].len())
                    .map(move |i| {
                        let mut q = *p;
                        q[axis] = i;
                        q
                    })
            })
            .filter(|q| judged[q].0 == best)
            .count()
    };
    let mut chosen: Vec<(usize, f64, Weights)> = points
        .iter()
        .filter(|p| judged[*p].0 == best)
        .map(|p| (neighbours(p), judged[p].1, weights(p)))
        .collect();
    chosen.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)));
    println!(
        "best: worst-set MRR@10 {:.3}, mean success@1 {:.3}, reached by {} of {} settings",
        best.0,
        best.1,
        chosen.len(),
        points.len()
    );
    println!("as good neighbours, mean margin: weights");
    for (n, margin, weights) in chosen.iter().take(25) {
        println!("{n} {margin:.3}: {weights:?}");
    }

    let default = Weights::default();
    engine = engine.with_weights(default);
    let ranks = ranks(&engine, &items)?;
    let margin = ranks.iter().map(|r| r.1).sum::<f64>() / ranks.len() as f64;
    println!(
        "\ndefault {default:?}: {:?}, mean margin {margin:.3}",
        judge(&items, &ranks)
    );
    for (item, rank) in items.iter().zip(&ranks) {
        println!(
            "  {} {} {}: {:?}, margin {:.3}",
            item.set, item.difficulty, item.query, rank.0, rank.1
        );
    }
    Ok(())
}
