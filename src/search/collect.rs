//! Collecting a search's answers with as little work as the index allows: the first
//! stage's window of passages by BM25 times the length prior, letting tantivy skip blocks of
//! postings that cannot reach it (block-WAND, with a threshold carried from segment to
//! segment); and the counts of all matches per session, year and article, from the term
//! dictionary when a segment holds one session and year and no citation, otherwise match by
//! match from plain arrays decoded when the engine opens.

use std::collections::{BTreeMap, BinaryHeap};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader};

use super::plan::{length_prior, Plan, SHORT_PASSAGE_WORDS};

/// A searcher, with what each of its segments' passages tell ranking and counting decoded
/// once into plain arrays: tantivy's compressed columns cost several nanoseconds a lookup,
/// and a count visits every match (hundreds of thousands for a common word).
#[derive(Clone)]
pub struct Segments {
    pub searcher: Searcher,
    facts: Vec<Arc<SegmentFacts>>,
}

struct SegmentFacts {
    /// Per passage, its words capped at `SHORT_PASSAGE_WORDS` (the length prior's only
    /// input), or `None` when every passage is long enough to have no prior.
    short: Option<Vec<u8>>,
    sessions: Values,
    years: Values,
    /// Articles each passage cites, or `None` when no passage of the segment cites one.
    articles: Option<Articles>,
}

impl Segments {
    pub fn new(searcher: Searcher) -> tantivy::Result<Segments> {
        let facts = searcher
            .segment_readers()
            .iter()
            .map(|reader| SegmentFacts::read(reader).map(Arc::new))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Segments { searcher, facts })
    }

    fn facts(&self, ord: u32) -> Arc<SegmentFacts> {
        Arc::clone(&self.facts[ord as usize])
    }
}

impl SegmentFacts {
    fn read(reader: &SegmentReader) -> tantivy::Result<SegmentFacts> {
        let fast = reader.fast_fields();
        let max_doc = reader.max_doc();
        let short = match fast.column_opt::<u64>("words")? {
            Some(column) => {
                let short: Vec<u8> = (0..max_doc)
                    .map(|doc| cap_words(column.first(doc).unwrap_or(SHORT_PASSAGE_WORDS)))
                    .collect();
                short
                    .iter()
                    .any(|&w| u64::from(w) < SHORT_PASSAGE_WORDS)
                    .then_some(short)
            }
            None => None,
        };
        Ok(SegmentFacts {
            short,
            sessions: Values::read(fast.column_opt::<u64>("session")?, max_doc),
            years: Values::read(fast.column_opt::<u64>("year")?, max_doc),
            articles: Articles::read(fast.column_opt::<u64>("articles")?, max_doc),
        })
    }

    /// The length prior of `doc`.
    fn prior(&self, doc: DocId, priors: &[f32]) -> f32 {
        self.short
            .as_ref()
            .map_or(1.0, |short| priors[usize::from(short[doc as usize])])
    }
}

fn cap_words(words: u64) -> u8 {
    words.min(SHORT_PASSAGE_WORDS) as u8
}

/// The length prior of every capped word count, index by index.
fn priors() -> Vec<f32> {
    (0..=SHORT_PASSAGE_WORDS).map(length_prior).collect()
}

/// The first stage: the `window` best passages of `plan` by BM25 times the length prior,
/// best first, and, when the same pass counted them, the count of all its matches.
///
/// A union of terms (words) is ranked alone: the ranking skips postings that cannot reach
/// the window (block-WAND), and [`tally`] counts apart (for one term, from the term
/// dictionary). Anything else visits every match anyway, so ranking and counting share one
/// pass.
pub fn first_stage(segments: &Segments, plan: &Plan, window: usize) -> tantivy::Result<FirstStage> {
    let searcher = &segments.searcher;
    let best = TopScores::new(window, segments);
    if plan.term_union {
        let window = searcher.search(&*plan.query, &best)?;
        return Ok(FirstStage {
            window,
            tally: None,
        });
    }
    let (window, tally) = searcher.search(&*plan.query, &(best, TallyCollector::new(segments)))?;
    Ok(FirstStage {
        window,
        tally: Some(tally),
    })
}

/// The first stage's candidates, best first, and the tally when the same pass made it.
pub struct FirstStage {
    pub window: Vec<(Score, DocAddress)>,
    pub tally: Option<Tally>,
}

/// Every match of `plan` counted, in all and per session.
pub fn tally(segments: &Segments, plan: &Plan) -> tantivy::Result<Tally> {
    segments
        .searcher
        .search(&*plan.count, &TallyCollector::new(segments))
}

/// The `limit` best passages by BM25 times the length prior (ties: index order).
///
/// The prior only lowers scores, so a passage whose BM25 score does not beat the adjusted
/// score of the worst passage kept cannot enter: that adjusted score is the threshold
/// handed to block-WAND. Segments are visited with the threshold the earlier ones reached,
/// so each later one skips more. (Searches visit segments in order, as tantivy's default
/// executor does; with segments in parallel, a tie at the threshold could be broken for a
/// later segment's passage instead of an earlier one's.)
struct TopScores<'a> {
    limit: usize,
    segments: &'a Segments,
    /// The length prior of each capped word count.
    priors: Arc<[f32]>,
    /// Bits of the lowest score that can still enter the top (an `f32`).
    threshold: AtomicU32,
}

impl<'a> TopScores<'a> {
    fn new(limit: usize, segments: &'a Segments) -> TopScores<'a> {
        TopScores {
            limit,
            segments,
            priors: priors().into(),
            threshold: AtomicU32::new(Score::MIN.to_bits()),
        }
    }

    fn threshold(&self) -> Score {
        Score::from_bits(self.threshold.load(Ordering::Relaxed))
    }

    fn raise_threshold(&self, score: Score) {
        let mut current = self.threshold.load(Ordering::Relaxed);
        while Score::from_bits(current) < score {
            match self.threshold.compare_exchange_weak(
                current,
                score.to_bits(),
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => break,
                Err(now) => current = now,
            }
        }
    }
}

impl Collector for TopScores<'_> {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = SegmentTop;

    fn for_segment(&self, ord: u32, _reader: &SegmentReader) -> tantivy::Result<SegmentTop> {
        Ok(SegmentTop {
            ord,
            limit: self.limit,
            facts: self.segments.facts(ord),
            priors: Arc::clone(&self.priors),
            heap: BinaryHeap::with_capacity(self.limit.min(1 << 16)),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all: Vec<(Score, DocAddress)> = fruits.into_iter().flatten().collect();
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        all.truncate(self.limit);
        Ok(all)
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Fruit> {
        let mut top = self.for_segment(ord, reader)?;
        let start = self.threshold();
        let alive = reader.alive_bitset();
        // Called only for BM25 scores above the threshold it returns.
        weight.for_each_pruning(start, reader, &mut |doc, score| {
            if alive.is_none_or(|alive| alive.is_alive(doc)) {
                top.collect(doc, score);
            }
            top.threshold().map_or(start, |t| t.max(start))
        })?;
        if let Some(threshold) = top.threshold() {
            self.raise_threshold(threshold);
        }
        Ok(top.harvest())
    }
}

pub struct SegmentTop {
    ord: u32,
    limit: usize,
    facts: Arc<SegmentFacts>,
    priors: Arc<[f32]>,
    /// The worst of the best at the top.
    heap: BinaryHeap<Ranked>,
}

impl SegmentTop {
    /// The score to beat once the heap is full.
    fn threshold(&self) -> Option<Score> {
        (self.heap.len() >= self.limit)
            .then(|| self.heap.peek().map(|worst| worst.score))
            .flatten()
    }
}

impl SegmentCollector for SegmentTop {
    type Fruit = Vec<(Score, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let ranked = Ranked {
            score: score * self.facts.prior(doc, &self.priors),
            doc,
        };
        if self.heap.len() < self.limit {
            self.heap.push(ranked);
        } else if let Some(mut worst) = self.heap.peek_mut() {
            // Docs come in increasing order: an equal score never displaces an earlier doc.
            if ranked.score > worst.score {
                *worst = ranked;
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        let ord = self.ord;
        self.heap
            .into_iter()
            .map(|r| (r.score, DocAddress::new(ord, r.doc)))
            .collect()
    }
}

/// A scored doc, ordered worst first: lower score, then later doc.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    score: Score,
    doc: DocId,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(self.doc.cmp(&other.doc))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Ranked {}

/// Every matching passage counted, in all, per session, per year and per article of the
/// Convention it cites.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    pub total: u64,
    pub by_session: BTreeMap<u64, u64>,
    pub by_year: BTreeMap<u64, u64>,
    pub by_article: BTreeMap<u64, u64>,
}

/// Counts matches, their sessions, years and articles (passages of unknown session or year
/// count in `total` only).
pub struct TallyCollector<'a> {
    segments: &'a Segments,
}

impl<'a> TallyCollector<'a> {
    pub fn new(segments: &'a Segments) -> TallyCollector<'a> {
        TallyCollector { segments }
    }
}

/// What the `session` or `year` column says of a segment's passages.
enum Values {
    /// Every passage has this value (or none has one): the count is the whole answer.
    One(Option<u64>),
    /// Passages of several values: per passage, the index of its value in `values`
    /// (`values.len()` for none).
    Mixed { values: Vec<u64>, of_doc: Vec<u16> },
}

/// The index of a value past the `u16` an index can name: counted under none.
const NO_VALUE: u16 = u16::MAX;

impl Values {
    fn read(column: Option<Column<u64>>, max_doc: DocId) -> Values {
        let Some(column) = column else {
            return Values::One(None);
        };
        let full = column.get_cardinality() == tantivy::columnar::Cardinality::Full;
        if full && column.min_value() == column.max_value() {
            return Values::One(Some(column.min_value()));
        }
        if column.values.num_vals() == 0 {
            return Values::One(None);
        }
        let mut values = Vec::new();
        let mut of_doc: Vec<u16> = (0..max_doc)
            .map(|doc| {
                column
                    .first(doc)
                    .map_or(NO_VALUE, |v| ordinal(&mut values, v))
            })
            .collect();
        // No value counts in a counter past the values', which no value reads.
        let none = values.len() as u16;
        of_doc
            .iter_mut()
            .filter(|i| **i == NO_VALUE)
            .for_each(|i| *i = none);
        Values::Mixed { values, of_doc }
    }

    /// Counters for a segment's values, one per index into `values` and one for none.
    fn counters(&self) -> Vec<u64> {
        match self {
            Values::One(_) => Vec::new(),
            Values::Mixed { values, .. } => vec![0; values.len() + 1],
        }
    }

    /// Counts `docs` under their values, when the segment has several.
    fn count(&self, docs: &[DocId], counters: &mut [u64]) {
        if let Values::Mixed { of_doc, .. } = self {
            for &doc in docs {
                counters[usize::from(of_doc[doc as usize])] += 1;
            }
        }
    }

    /// Adds a segment's counts to `counts`: its `total` matches under its one value, or
    /// each counter under its value.
    fn add(&self, total: u64, counters: &[u64], counts: &mut BTreeMap<u64, u64>) {
        match self {
            Values::One(Some(value)) if total > 0 => *counts.entry(*value).or_default() += total,
            Values::One(_) => {}
            Values::Mixed { values, .. } => add_counters(values, counters, counts),
        }
    }
}

/// The articles each passage of a segment cites: passage `d`'s are the indexes into
/// `values` of `of_doc[starts[d]..starts[d + 1]]`.
struct Articles {
    values: Vec<u64>,
    starts: Vec<u32>,
    of_doc: Vec<u16>,
}

impl Articles {
    fn read(column: Option<Column<u64>>, max_doc: DocId) -> Option<Articles> {
        let column = column?;
        if column.values.num_vals() == 0 {
            return None;
        }
        let mut articles = Articles {
            values: Vec::new(),
            starts: Vec::with_capacity(max_doc as usize + 1),
            of_doc: Vec::new(),
        };
        for doc in 0..max_doc {
            articles.starts.push(articles.of_doc.len() as u32);
            for article in column.values_for_doc(doc) {
                let index = ordinal(&mut articles.values, article);
                articles.of_doc.push(index);
            }
        }
        articles.starts.push(articles.of_doc.len() as u32);
        Some(articles)
    }

    fn count(&self, docs: &[DocId], counters: &mut [u64]) {
        for &doc in docs {
            let doc = doc as usize;
            let (start, end) = (self.starts[doc], self.starts[doc + 1]);
            if start < end {
                for &index in &self.of_doc[start as usize..end as usize] {
                    if let Some(n) = counters.get_mut(usize::from(index)) {
                        *n += 1;
                    }
                }
            }
        }
    }
}

/// The index of `value` in `values`, added if new; a segment with more distinct values
/// than an index can name counts the rest under none.
fn ordinal(values: &mut Vec<u64>, value: u64) -> u16 {
    match values.iter().position(|&v| v == value) {
        Some(i) => i as u16,
        None if values.len() < usize::from(NO_VALUE) => {
            values.push(value);
            (values.len() - 1) as u16
        }
        None => NO_VALUE,
    }
}

fn add_counters(values: &[u64], counters: &[u64], counts: &mut BTreeMap<u64, u64>) {
    for (&value, &n) in values.iter().zip(counters) {
        if n > 0 {
            *counts.entry(value).or_default() += n;
        }
    }
}

impl Collector for TallyCollector<'_> {
    type Fruit = Tally;
    type Child = SegmentTally;

    fn for_segment(&self, ord: u32, _reader: &SegmentReader) -> tantivy::Result<SegmentTally> {
        let facts = self.segments.facts(ord);
        Ok(SegmentTally {
            total: 0,
            sessions: facts.sessions.counters(),
            years: facts.years.counters(),
            articles: facts
                .articles
                .as_ref()
                .map_or_else(Vec::new, |a| vec![0; a.values.len()]),
            facts,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Tally>) -> tantivy::Result<Tally> {
        let mut all = Tally::default();
        for fruit in fruits {
            all.total += fruit.total;
            for (mine, theirs) in [
                (&mut all.by_session, fruit.by_session),
                (&mut all.by_year, fruit.by_year),
                (&mut all.by_article, fruit.by_article),
            ] {
                for (key, n) in theirs {
                    *mine.entry(key).or_default() += n;
                }
            }
        }
        Ok(all)
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<Tally> {
        let mut segment = self.for_segment(ord, reader)?;
        let facts = &segment.facts;
        if let (Values::One(_), Values::One(_), None) =
            (&facts.sessions, &facts.years, &facts.articles)
        {
            // A term's count is its document frequency: no posting is read.
            segment.total = u64::from(weight.count(reader)?);
            return Ok(segment.harvest());
        }
        match reader.alive_bitset() {
            Some(alive) => weight.for_each_no_score(reader, &mut |docs| {
                for &doc in docs.iter().filter(|&&d| alive.is_alive(d)) {
                    segment.collect(doc, 0.0);
                }
            })?,
            None => weight.for_each_no_score(reader, &mut |docs| segment.collect_block(docs))?,
        }
        Ok(segment.harvest())
    }
}

pub struct SegmentTally {
    facts: Arc<SegmentFacts>,
    total: u64,
    /// Matches per index of the segment's sessions, years and articles.
    sessions: Vec<u64>,
    years: Vec<u64>,
    articles: Vec<u64>,
}

impl SegmentCollector for SegmentTally {
    type Fruit = Tally;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.collect_block(&[doc]);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.total += docs.len() as u64;
        self.facts.sessions.count(docs, &mut self.sessions);
        self.facts.years.count(docs, &mut self.years);
        if let Some(articles) = &self.facts.articles {
            articles.count(docs, &mut self.articles);
        }
    }

    fn harvest(self) -> Tally {
        let mut tally = Tally {
            total: self.total,
            ..Tally::default()
        };
        let facts = &self.facts;
        facts
            .sessions
            .add(self.total, &self.sessions, &mut tally.by_session);
        facts.years.add(self.total, &self.years, &mut tally.by_year);
        if let Some(articles) = &facts.articles {
            add_counters(&articles.values, &self.articles, &mut tally.by_article);
        }
        tally
    }
}
