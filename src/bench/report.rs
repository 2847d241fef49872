//! What a benchmark run measured, and its three renderings: JSON (`--json`), the dated
//! Markdown record under `benches/runs/`, and an SVG plot of latency against corpus size.

use std::fmt::Write as _;

use serde::Serialize;

use super::queries::{Agreement, Class, ClassLatency};

#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    /// UTC date of the run, `YYYY-MM-DD`.
    pub date: String,
    pub machine: String,
    pub command: String,
    pub seed: u64,
    pub runs: Vec<SizeRun>,
    /// With two sizes or more: exponents `b` of the fitted `cost ∝ size^b` (1 is linear).
    pub growth: Vec<Growth>,
}

/// Everything measured on one generated corpus.
#[derive(Debug, Clone, Serialize)]
pub struct SizeRun {
    pub target_mb: f64,
    pub corpus: CorpusFacts,
    /// fahras first, then the peers.
    pub engines: Vec<EngineRun>,
    pub ratios: Vec<PeerRatio>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CorpusFacts {
    pub bytes: u64,
    pub documents: usize,
    pub passages: usize,
    pub distinct_words: usize,
    pub rare_terms: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EngineRun {
    pub engine: String,
    pub build_seconds: f64,
    pub mb_per_second: f64,
    /// Peak resident memory of the build, where measured (fahras: the `fahras index` child
    /// process's maximum RSS from `getrusage`).
    pub build_peak_rss_mb: Option<f64>,
    pub index_bytes: u64,
    pub index_to_text: f64,
    pub classes: Vec<ClassLatency>,
    pub variant_agreement: Agreement,
}

/// fahras's figure divided by a peer's: below 1, fahras is faster or smaller.
#[derive(Debug, Clone, Serialize)]
pub struct PeerRatio {
    pub peer: String,
    pub build_seconds: f64,
    pub index_bytes: f64,
    pub p50_by_class: Vec<(Class, f64)>,
    pub p99_by_class: Vec<(Class, f64)>,
    /// fahras's spelling variants against the peer's canonical spellings, p50 and p99:
    /// the same answers (a peer that does not fold finds next to nothing for a variant,
    /// which is quick and wrong).
    pub variants_to_canonical: Option<(f64, f64)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Growth {
    pub what: String,
    pub exponent: f64,
}

impl EngineRun {
    pub fn class(&self, class: Class) -> Option<&ClassLatency> {
        self.classes.iter().find(|c| c.class == class)
    }
}

/// The ratios of fahras (the first engine) to each peer.
pub fn ratios(engines: &[EngineRun]) -> Vec<PeerRatio> {
    let Some((fahras, peers)) = engines.split_first() else {
        return Vec::new();
    };
    let by_class = |peer: &EngineRun, pick: fn(&ClassLatency) -> f64| {
        fahras
            .classes
            .iter()
            .filter_map(|c| Some((c.class, pick(c) / pick(peer.class(c.class)?))))
            .collect()
    };
    peers
        .iter()
        .map(|peer| PeerRatio {
            peer: peer.engine.clone(),
            build_seconds: fahras.build_seconds / peer.build_seconds,
            index_bytes: fahras.index_bytes as f64 / peer.index_bytes as f64,
            p50_by_class: by_class(peer, |c| c.p50_ms),
            p99_by_class: by_class(peer, |c| c.p99_ms),
            variants_to_canonical: fahras.class(Class::SpellingVariants).and_then(|variants| {
                let canonical = peer.class(Class::CanonicalSpellings)?;
                Some((
                    variants.p50_ms / canonical.p50_ms,
                    variants.p99_ms / canonical.p99_ms,
                ))
            }),
        })
        .collect()
}

/// Least-squares slope of log(cost) against log(size) for fahras's build time and p50 per
/// class; empty with fewer than two sizes.
pub fn growth(runs: &[SizeRun]) -> Vec<Growth> {
    if runs.len() < 2 {
        return Vec::new();
    }
    let sizes: Vec<f64> = runs.iter().map(|r| r.corpus.bytes as f64).collect();
    let mut growth = vec![Growth {
        what: "build seconds".into(),
        exponent: slope(&sizes, runs.iter().map(|r| r.engines[0].build_seconds)),
    }];
    for class in Class::ALL {
        let p50s: Option<Vec<f64>> = runs
            .iter()
            .map(|r| r.engines[0].class(class).map(|c| c.p50_ms))
            .collect();
        if let Some(p50s) = p50s {
            growth.push(Growth {
                what: format!("{} p50", class.name()),
                exponent: slope(&sizes, p50s.into_iter()),
            });
        }
    }
    growth
}

fn slope(xs: &[f64], ys: impl Iterator<Item = f64>) -> f64 {
    let points: Vec<(f64, f64)> = xs.iter().zip(ys).map(|(x, y)| (x.ln(), y.ln())).collect();
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let covariance: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    let variance: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    covariance / variance
}

/// The targets of issues 4 and 11, checked against fahras's figures on one corpus.
fn targets(run: &SizeRun) -> Vec<(String, String, bool)> {
    let fahras = &run.engines[0];
    let mut checks = vec![(
        "indexing ≥ 25 MB/s (2 threads)".to_owned(),
        format!("{:.1} MB/s", fahras.mb_per_second),
        fahras.mb_per_second >= 25.0,
    )];
    if let Some(rss) = fahras.build_peak_rss_mb {
        checks.push((
            "build memory < 1.5 GB (target at 1 GB of text)".to_owned(),
            format!("{rss:.0} MB"),
            rss < 1500.0,
        ));
    }
    for class in [Class::CommonTerm, Class::RareTerm] {
        if let Some(c) = fahras.class(class) {
            checks.push((
                format!("{} p50 ≤ 0.5 ms", class.name()),
                format!("{:.3} ms", c.p50_ms),
                c.p50_ms <= 0.5,
            ));
            checks.push((
                format!("{} p99 ≤ 5 ms", class.name()),
                format!("{:.3} ms", c.p99_ms),
                c.p99_ms <= 5.0,
            ));
        }
    }
    for class in [Class::Phrase, Class::PhraseSlop] {
        if let Some(c) = fahras.class(class) {
            checks.push((
                format!("{} p99 ≤ 20 ms", class.name()),
                format!("{:.3} ms", c.p99_ms),
                c.p99_ms <= 20.0,
            ));
        }
    }
    // Issue 11's, with equal work.
    if let Some(c) = fahras.class(Class::CommonTerm) {
        checks.push((
            "common term p50 ≤ 2 ms".to_owned(),
            format!("{:.3} ms", c.p50_ms),
            c.p50_ms <= 2.0,
        ));
    }
    if let Some(c) = fahras.class(Class::PhraseSlop) {
        checks.push((
            "phrase with slop p99 ≤ 50 ms".to_owned(),
            format!("{:.3} ms", c.p99_ms),
            c.p99_ms <= 50.0,
        ));
    }
    // With equal work (top 10, snippets, counts): against tantivy with its default
    // analyzer, and against SQLite FTS5.
    for ratio in &run.ratios {
        let tantivy = ratio.peer == "tantivy default";
        if tantivy {
            checks.push((
                format!("build time at most 1.5× {}'s", ratio.peer),
                format!("{:.2}×", ratio.build_seconds),
                ratio.build_seconds <= 1.5,
            ));
        }
        let (label, met): (&str, fn(f64) -> bool) = if tantivy {
            ("at most 2×", |r| r <= 2.0)
        } else {
            ("below", |r| r < 1.0)
        };
        for (class, r) in &ratio.p50_by_class {
            checks.push((
                format!("{} p50 {label} {}'s", class.name(), ratio.peer),
                format!("{r:.2}×"),
                met(*r),
            ));
        }
        if let Some((r, _)) = ratio.variants_to_canonical {
            checks.push((
                format!(
                    "spelling variants p50 {label} {}'s canonical spellings (same answers)",
                    ratio.peer
                ),
                format!("{r:.2}×"),
                met(r),
            ));
        }
    }
    checks
}

pub fn markdown(report: &BenchReport) -> String {
    let mut md = String::new();
    let sizes: Vec<String> = report
        .runs
        .iter()
        .map(|r| format!("{:.0} MB", r.target_mb))
        .collect();
    let _ = writeln!(
        md,
        "# fahras bench, {}, {}\n\nMachine: {}. Command: `{}` (generator seed {}).\n",
        report.date,
        sizes.join(", "),
        report.machine,
        report.command,
        report.seed
    );
    for run in &report.runs {
        write_run(&mut md, run);
    }
    if !report.growth.is_empty() {
        md.push_str("## Growth with corpus size (fahras)\n\nFitted `cost ∝ size^b`; b = 1 is linear.\n\n| cost | b |\n|---|---|\n");
        for g in &report.growth {
            let _ = writeln!(md, "| {} | {:.2} |", g.what, g.exponent);
        }
        md.push('\n');
    }
    md
}

fn write_run(md: &mut String, run: &SizeRun) {
    let c = &run.corpus;
    let _ = writeln!(
        md,
        "## {:.0} MB\n\nGenerated corpus: {:.1} MB, {} documents, {} passages, {} distinct words.\n",
        run.target_mb,
        c.bytes as f64 / 1e6,
        c.documents,
        c.passages,
        c.distinct_words
    );
    md.push_str("| engine | build s | MB/s | build peak RSS | index MB | index / text | variants agreeing |\n|---|---|---|---|---|---|---|\n");
    for e in &run.engines {
        let rss = e
            .build_peak_rss_mb
            .map_or("not measured".to_owned(), |m| format!("{m:.0} MB"));
        let _ = writeln!(
            md,
            "| {} | {:.2} | {:.1} | {} | {:.1} | {:.2} | {} / {} |",
            e.engine,
            e.build_seconds,
            e.mb_per_second,
            rss,
            e.index_bytes as f64 / 1e6,
            e.index_to_text,
            e.variant_agreement.same,
            e.variant_agreement.variants
        );
    }
    md.push('\n');
    for e in &run.engines {
        let _ = writeln!(md, "Latency, {} (top {} passages per query):\n\n| class | queries | p50 ms | p95 ms | p99 ms | q/s 1 thread | q/s 2 threads | empty |\n|---|---|---|---|---|---|---|---|", e.engine, super::peers::TOP);
        for l in &e.classes {
            let _ = writeln!(
                md,
                "| {} | {} | {:.3} | {:.3} | {:.3} | {:.0} | {:.0} | {} |",
                l.class.name(),
                l.queries,
                l.p50_ms,
                l.p95_ms,
                l.p99_ms,
                l.qps_1_thread,
                l.qps_2_threads,
                l.empty_queries
            );
        }
        md.push('\n');
        if e.classes.iter().any(|l| l.stages.is_some()) {
            let _ = writeln!(md, "Time per stage, {} (mean ms per query, 1 thread; the first stage counts too when one pass does both):\n\n| class | parse and plan | first stage | second stage | counts | snippets |\n|---|---|---|---|---|---|", e.engine);
            for l in &e.classes {
                if let Some(s) = &l.stages {
                    let _ = writeln!(
                        md,
                        "| {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
                        l.class.name(),
                        s.plan_ms,
                        s.first_stage_ms,
                        s.second_stage_ms,
                        s.counts_ms,
                        s.snippets_ms
                    );
                }
            }
            md.push('\n');
        }
    }
    if !run.ratios.is_empty() {
        md.push_str("Ratios fahras / peer (below 1: fahras faster or smaller):\n\n| | ");
        let peers: Vec<&str> = run.ratios.iter().map(|r| r.peer.as_str()).collect();
        let _ = writeln!(
            md,
            "{} |\n|---|{}",
            peers
                .iter()
                .flat_map(|p| [format!("{p} p50"), format!("{p} p99")])
                .collect::<Vec<_>>()
                .join(" | "),
            "---|---|".repeat(peers.len())
        );
        let row = |label: &str, values: Vec<f64>| {
            let cells: Vec<String> = values.iter().map(|v| format!("{v:.2}")).collect();
            format!("| {label} | {} |\n", cells.join(" | "))
        };
        // Build time and size have no percentiles: their ratio fills the p50 column.
        let whole = |label: &str, pick: fn(&PeerRatio) -> f64| {
            let cells: Vec<String> = run
                .ratios
                .iter()
                .map(|r| format!("{:.2} | –", pick(r)))
                .collect();
            format!("| {label} | {} |\n", cells.join(" | "))
        };
        md.push_str(&whole("build time", |r| r.build_seconds));
        md.push_str(&whole("index size", |r| r.index_bytes));
        for class in Class::ALL {
            let values: Option<Vec<f64>> = run
                .ratios
                .iter()
                .flat_map(|r| {
                    let find = |list: &[(Class, f64)]| {
                        list.iter().find(|(c, _)| *c == class).map(|&(_, v)| v)
                    };
                    [find(&r.p50_by_class), find(&r.p99_by_class)]
                })
                .collect();
            if let Some(values) = values {
                md.push_str(&row(class.name(), values));
            }
        }
        let same_answers: Option<Vec<f64>> = run
            .ratios
            .iter()
            .map(|r| r.variants_to_canonical.map(|(p50, p99)| [p50, p99]))
            .collect::<Option<Vec<_>>>()
            .map(|pairs| pairs.concat());
        if let Some(values) = same_answers {
            md.push_str(&row(
                "spelling variants ÷ the peer's canonical spellings (same answers)",
                values,
            ));
        }
        md.push('\n');
    }
    md.push_str("Targets (the absolute latency targets are stated for 1 GB of text):\n\n| target | measured | met |\n|---|---|---|\n");
    for (target, measured, met) in targets(run) {
        let _ = writeln!(
            md,
            "| {target} | {measured} | {} |",
            if met { "yes" } else { "no" }
        );
    }
    md.push('\n');
}

const CLASS_COLOURS: [&str; 8] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
];

/// fahras's p50 latency per class against corpus size: one polyline per class.
pub fn svg(report: &BenchReport) -> String {
    let (width, height, left, right, top, bottom) = (640.0, 360.0, 60.0, 190.0, 20.0, 40.0);
    let points: Vec<(f64, Vec<f64>)> = report
        .runs
        .iter()
        .map(|r| {
            let p50s = Class::ALL
                .iter()
                .map(|&c| r.engines[0].class(c).map_or(0.0, |l| l.p50_ms))
                .collect();
            (r.corpus.bytes as f64 / 1e6, p50s)
        })
        .collect();
    let max_x = points.iter().map(|p| p.0).fold(1.0, f64::max);
    let max_y = points
        .iter()
        .flat_map(|p| p.1.iter().copied())
        .fold(0.001, f64::max)
        * 1.1;
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let x = |mb: f64| left + mb / max_x * plot_w;
    let y = |ms: f64| top + plot_h - ms / max_y * plot_h;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
    );
    let _ = writeln!(
        svg,
        "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\"/>\n<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{}\" stroke=\"black\"/>",
        top + plot_h,
        left + plot_w,
        top + plot_h,
        top + plot_h
    );
    for i in 0..=4 {
        let ms = max_y * f64::from(i) / 4.0;
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{ms:.2}</text>",
            left - 6.0,
            y(ms) + 4.0
        );
    }
    for (mb, _) in &points {
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{mb:.0}</text>",
            x(*mb),
            top + plot_h + 16.0
        );
    }
    let _ = writeln!(
        svg,
        "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">corpus MB</text>\n<text x=\"14\" y=\"{:.1}\" transform=\"rotate(-90 14 {:.1})\" text-anchor=\"middle\">fahras p50 ms</text>",
        left + plot_w / 2.0,
        height - 6.0,
        top + plot_h / 2.0,
        top + plot_h / 2.0
    );
    for (i, class) in Class::ALL.iter().enumerate() {
        let colour = CLASS_COLOURS[i];
        let line: Vec<String> = points
            .iter()
            .map(|(mb, p50s)| format!("{:.1},{:.1}", x(*mb), y(p50s[i])))
            .collect();
        let _ = writeln!(
            svg,
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/>",
            line.join(" ")
        );
        for point in &line {
            let (px, py) = point.split_once(',').unwrap_or_default();
            let _ = writeln!(
                svg,
                "<circle cx=\"{px}\" cy=\"{py}\" r=\"3\" fill=\"{colour}\"/>"
            );
        }
        let ly = top + 10.0 + 18.0 * i as f64;
        let _ = writeln!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{colour}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            left + plot_w + 16.0,
            ly - 10.0,
            left + plot_w + 34.0,
            ly,
            class.name()
        );
    }
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn latency(class: Class, p50_ms: f64) -> ClassLatency {
        ClassLatency {
            class,
            queries: 1,
            samples: 1,
            p50_ms,
            p95_ms: p50_ms,
            p99_ms: 2.0 * p50_ms,
            qps_1_thread: 1.0,
            qps_2_threads: 1.0,
            empty_queries: 0,
            stages: None,
        }
    }

    fn engine(name: &str, classes: Vec<ClassLatency>) -> EngineRun {
        EngineRun {
            engine: name.to_owned(),
            build_seconds: 2.0,
            mb_per_second: 1.0,
            build_peak_rss_mb: None,
            index_bytes: 10,
            index_to_text: 1.0,
            classes,
            variant_agreement: Agreement {
                same: 0,
                variants: 0,
            },
        }
    }

    #[test]
    fn variants_are_compared_with_the_peers_canonical_spellings() {
        let fahras = engine(
            "fahras",
            vec![
                latency(Class::SpellingVariants, 3.0),
                latency(Class::CanonicalSpellings, 2.5),
            ],
        );
        let peer = engine(
            "peer",
            vec![
                latency(Class::SpellingVariants, 0.1),
                latency(Class::CanonicalSpellings, 1.5),
            ],
        );
        let without = engine("other", vec![latency(Class::SpellingVariants, 0.1)]);
        let ratios = ratios(&[fahras, peer, without]);
        assert_eq!(ratios[0].variants_to_canonical, Some((2.0, 2.0)));
        assert_eq!(ratios[0].p50_by_class[0], (Class::SpellingVariants, 30.0));
        assert_eq!(ratios[1].variants_to_canonical, None);
    }
}
