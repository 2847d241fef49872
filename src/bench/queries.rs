//! The fixed query set, one list per class, written once and rendered in each engine's own
//! syntax; and the latency runner that times a class on one engine with 1 and 2 threads.

use std::time::{Duration, Instant};

use serde::Serialize;

/// The kinds of query the benchmark times separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    CommonTerm,
    RareTerm,
    Words,
    Phrase,
    PhraseSlop,
    Filtered,
    SpellingVariants,
    /// The canonical spellings of the variants: what a peer that does not fold spelling
    /// must be asked to find what fahras finds for a variant.
    CanonicalSpellings,
}

impl Class {
    pub const ALL: [Class; 8] = [
        Class::CommonTerm,
        Class::RareTerm,
        Class::Words,
        Class::Phrase,
        Class::PhraseSlop,
        Class::Filtered,
        Class::SpellingVariants,
        Class::CanonicalSpellings,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Class::CommonTerm => "common term",
            Class::RareTerm => "rare term",
            Class::Words => "several words",
            Class::Phrase => "phrase",
            Class::PhraseSlop => "phrase with slop",
            Class::Filtered => "filtered",
            Class::SpellingVariants => "spelling variants",
            Class::CanonicalSpellings => "canonical spellings",
        }
    }
}

/// A query, independent of any engine's syntax.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BenchQuery {
    pub words: Vec<String>,
    /// Quoted as a phrase, with this slop (0: exact order).
    pub phrase: Option<u32>,
    /// Only passages of this session.
    pub session: Option<u64>,
}

impl BenchQuery {
    fn words(text: &str) -> BenchQuery {
        BenchQuery {
            words: text.split_whitespace().map(str::to_owned).collect(),
            phrase: None,
            session: None,
        }
    }

    fn phrase(text: &str, slop: u32) -> BenchQuery {
        BenchQuery {
            phrase: Some(slop),
            ..BenchQuery::words(text)
        }
    }

    fn in_session(text: &str, session: u64) -> BenchQuery {
        BenchQuery {
            session: Some(session),
            ..BenchQuery::words(text)
        }
    }

    /// fahras's query language (also tantivy's `QueryParser`, which reads the same syntax).
    pub fn fahras(&self) -> String {
        let mut query = match self.phrase {
            None => self.words.join(" "),
            Some(0) => format!("\"{}\"", self.words.join(" ")),
            Some(slop) => format!("\"{}\"~{slop}", self.words.join(" ")),
        };
        if let Some(session) = self.session {
            query.push_str(&format!(" session:{session}"));
        }
        query
    }

    /// tantivy's `QueryParser` syntax: words as alternatives (its default, and what fahras
    /// matches), the session filter required beside them.
    pub fn tantivy(&self) -> String {
        let text = BenchQuery {
            session: None,
            ..self.clone()
        }
        .fahras();
        match self.session {
            None => text,
            Some(session) => format!("+({text}) +session:{session}"),
        }
    }

    /// An FTS5 MATCH expression: quoted words joined by OR (what fahras matches), a quoted
    /// phrase, or `NEAR` for a phrase with slop (FTS5 has no ordered slop). The session
    /// filter is SQL.
    pub fn fts5(&self) -> String {
        let quoted: Vec<String> = self.words.iter().map(|w| format!("\"{w}\"")).collect();
        match self.phrase {
            None => quoted.join(" OR "),
            Some(0) => format!("\"{}\"", self.words.join(" ")),
            Some(slop) => format!("NEAR({}, {slop})", quoted.join(" ")),
        }
    }
}

/// One canonical spelling and the ways users type it.
#[derive(Debug, Clone, Serialize)]
pub struct VariantGroup {
    pub canonical: BenchQuery,
    pub variants: Vec<BenchQuery>,
}

/// The query set of one class. `rare_names` are rare words of the corpus being searched
/// (the generator reports them); the other classes are fixed.
pub fn class_queries(class: Class, rare_names: &[String]) -> Vec<BenchQuery> {
    match class {
        Class::CommonTerm => ["الاتفاقية", "الدول", "المؤتمر", "الجريمة", "التعاون"]
            .map(BenchQuery::words)
            .to_vec(),
        Class::RareTerm => rare_names.iter().map(|w| BenchQuery::words(w)).collect(),
        Class::Words => [
            "تسليم المجرمين",
            "المساعدة القانونية المتبادلة",
            "مكافحة الاتجار بالأشخاص",
            "التعاون الدولي في المسائل الجنائية",
            "الأسلحة النارية والذخيرة",
        ]
        .map(BenchQuery::words)
        .to_vec(),
        Class::Phrase => [
            "الأمم المتحدة",
            "الجريمة المنظمة",
            "المساعدة القانونية المتبادلة",
            "مؤتمر الأطراف",
            "التعاون الدولي",
        ]
        .map(|p| BenchQuery::phrase(p, 0))
        .to_vec(),
        Class::PhraseSlop => [
            ("تسليم المجرمين", 2),
            ("الجريمة عبر الوطنية", 3),
            ("الاتجار بالأشخاص", 2),
            ("المساعدة التقنية", 2),
            ("مكافحة الجريمة", 3),
        ]
        .map(|(p, slop)| BenchQuery::phrase(p, slop))
        .to_vec(),
        Class::Filtered => [
            ("الاتفاقية", 9),
            ("التعاون الدولي", 11),
            ("تسليم المجرمين", 6),
            ("الجريمة المنظمة", 10),
            ("المساعدة التقنية", 9),
        ]
        .map(|(q, s)| BenchQuery::in_session(q, s))
        .to_vec(),
        Class::SpellingVariants => variant_groups()
            .into_iter()
            .flat_map(|g| g.variants)
            .collect(),
        Class::CanonicalSpellings => variant_groups().into_iter().map(|g| g.canonical).collect(),
    }
}

/// Canonical spellings and variants a user types: without hamza, ه for ة, ى for ي,
/// tatweel, diacritics, Arabic-Indic digits.
pub fn variant_groups() -> Vec<VariantGroup> {
    let group = |canonical: &str, variants: &[&str]| VariantGroup {
        canonical: BenchQuery::words(canonical),
        variants: variants.iter().map(|v| BenchQuery::words(v)).collect(),
    };
    vec![
        group(
            "الأمم المتحدة",
            &["الامم المتحده", "الأمم المتّحدة", "الأمـــم المتحدة"],
        ),
        group("الاتجار بالأشخاص", &["الإتجار بالاشخاص", "الاتّجار بالأشخاصِ"]),
        group(
            "المساعدة القانونية",
            &["المساعده القانونيه", "المُساعدة القانونيّة"],
        ),
        group("مؤتمر الأطراف", &["موتمر الاطراف", "مؤتمـر الأطراف"]),
        group("المادة 18", &["المادة ١٨", "الماده 18"]),
        group("اتفاقية الجريمة", &["إتفاقيه الجريمه", "اتفاقيـة الجريمة"]),
        group("الاجتماع التالي", &["الإجتماع التالى"]),
    ]
}

/// A passage, as every engine names it: document id and ordinal.
pub type PassageKey = (String, u64);

/// A connection to one engine, owned by one thread: runs a query, returns the top passages.
pub type Searcher<'a> = Box<dyn FnMut(&BenchQuery) -> anyhow::Result<Vec<PassageKey>> + 'a>;

/// An engine under test: hands each thread its own searcher. Every searcher does what a
/// search page needs: the top passages, a highlighted snippet of each, the total count.
pub trait BenchEngine: Sync {
    fn searcher(&self) -> anyhow::Result<Searcher<'_>>;

    /// The mean time per stage of the searches since the last call, for an engine that
    /// reports its stages (fahras).
    fn take_stages(&self) -> Option<StageMeans> {
        None
    }
}

/// Mean milliseconds per query in each stage of a fahras search.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct StageMeans {
    pub plan_ms: f64,
    pub first_stage_ms: f64,
    pub second_stage_ms: f64,
    pub counts_ms: f64,
    pub snippets_ms: f64,
}

/// Latency and throughput of one class on one engine.
#[derive(Debug, Clone, Serialize)]
pub struct ClassLatency {
    pub class: Class,
    pub queries: usize,
    pub samples: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub qps_1_thread: f64,
    pub qps_2_threads: f64,
    /// Queries of the class that found nothing (a sign the query set does not fit).
    pub empty_queries: usize,
    /// Where the single-thread run's time went, for an engine that says.
    pub stages: Option<StageMeans>,
}

/// Timing budget of one class on one engine.
const MIN_SAMPLES: usize = 300;
const MAX_SINGLE_THREAD: Duration = Duration::from_millis(1500);
const TWO_THREAD_RUN: Duration = Duration::from_millis(1000);

/// Times the queries of a class: once to warm up, then round after round on one thread
/// (latency percentiles and queries per second), then on two threads at once.
pub fn measure(
    engine: &dyn BenchEngine,
    class: Class,
    queries: &[BenchQuery],
) -> anyhow::Result<ClassLatency> {
    anyhow::ensure!(!queries.is_empty(), "no queries of class {}", class.name());
    let mut search = engine.searcher()?;
    let mut empty_queries = 0;
    for query in queries {
        if search(query)?.is_empty() {
            empty_queries += 1;
        }
    }
    engine.take_stages();
    let mut latencies = Vec::new();
    let started = Instant::now();
    while latencies.len() < MIN_SAMPLES && started.elapsed() < MAX_SINGLE_THREAD {
        for query in queries {
            let t = Instant::now();
            search(query)?;
            latencies.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    let qps_1_thread = latencies.len() as f64 / started.elapsed().as_secs_f64();
    let stages = engine.take_stages();
    drop(search);

    let started = Instant::now();
    let counts = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|offset| {
                scope.spawn(move || -> anyhow::Result<usize> {
                    let mut search = engine.searcher()?;
                    let mut count = 0;
                    for query in queries.iter().cycle().skip(offset) {
                        search(query)?;
                        count += 1;
                        if started.elapsed() >= TWO_THREAD_RUN {
                            break;
                        }
                    }
                    Ok(count)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("benchmark thread panicked"))
            .collect::<anyhow::Result<Vec<usize>>>()
    })?;
    let qps_2_threads = counts.iter().sum::<usize>() as f64 / started.elapsed().as_secs_f64();

    latencies.sort_by(f64::total_cmp);
    Ok(ClassLatency {
        class,
        queries: queries.len(),
        samples: latencies.len(),
        p50_ms: percentile(&latencies, 0.50),
        p95_ms: percentile(&latencies, 0.95),
        p99_ms: percentile(&latencies, 0.99),
        qps_1_thread,
        qps_2_threads,
        empty_queries,
        stages,
    })
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// How many variants give exactly the top passages of their canonical spelling.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Agreement {
    pub same: usize,
    pub variants: usize,
}

pub fn variant_agreement(engine: &dyn BenchEngine) -> anyhow::Result<Agreement> {
    let mut search = engine.searcher()?;
    let mut agreement = Agreement {
        same: 0,
        variants: 0,
    };
    for group in variant_groups() {
        let canonical = search(&group.canonical)?;
        for variant in &group.variants {
            agreement.variants += 1;
            if search(variant)? == canonical {
                agreement.same += 1;
            }
        }
    }
    Ok(agreement)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_each_syntax() {
        let slop = BenchQuery::phrase("تسليم المجرمين", 2);
        assert_eq!(slop.fahras(), "\"تسليم المجرمين\"~2");
        assert_eq!(slop.fts5(), "NEAR(\"تسليم\" \"المجرمين\", 2)");
        let filtered = BenchQuery::in_session("الاتفاقية", 9);
        assert_eq!(filtered.fahras(), "الاتفاقية session:9");
        assert_eq!(filtered.fts5(), "\"الاتفاقية\"");
        assert_eq!(filtered.tantivy(), "+(الاتفاقية) +session:9");
        let words = BenchQuery::words("تسليم المجرمين");
        assert_eq!(words.fts5(), "\"تسليم\" OR \"المجرمين\"");
        assert_eq!(words.tantivy(), "تسليم المجرمين");
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&values, 0.5), 50.0);
        assert_eq!(percentile(&values, 0.99), 99.0);
        assert_eq!(percentile(&[3.0], 0.99), 3.0);
    }
}
