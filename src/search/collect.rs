//! Collecting a search's answers with as little work as the index allows: the first
//! stage's window of passages by BM25 times the length prior, letting tantivy skip blocks of
//! postings that cannot reach it (block-WAND, with a threshold carried from segment to segment); and the counts
//! per session, read from the term dictionary when a segment holds a single session (the
//! build writes one segment per session).

use std::collections::{BTreeMap, BinaryHeap};
use std::sync::atomic::{AtomicU32, Ordering};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery, Weight};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, Term};

use super::plan::{length_prior, Plan, SHORT_PASSAGE_WORDS};

/// A searcher, with the columns each of its segments needs for ranking and counting opened
/// once: opening a column reads its block index, which costs more than the whole search
/// of a rare word.
#[derive(Clone)]
pub struct Segments {
    pub searcher: Searcher,
    columns: Vec<SegmentColumns>,
    /// Whether any passage cites an article: if none does, no search counts articles.
    citing: bool,
}

#[derive(Clone)]
struct SegmentColumns {
    /// Words per passage, for the length prior.
    words: Option<Column<u64>>,
    sessions: Values,
    years: Values,
    /// Articles each passage cites.
    articles: Option<Column<u64>>,
}

impl Segments {
    pub fn new(searcher: Searcher) -> tantivy::Result<Segments> {
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|reader| {
                Ok(SegmentColumns {
                    words: reader.fast_fields().column_opt::<u64>("words")?,
                    sessions: segment_values(reader, "session")?,
                    years: segment_values(reader, "year")?,
                    articles: reader.fast_fields().column_opt::<u64>("articles")?,
                })
            })
            .collect::<tantivy::Result<Vec<SegmentColumns>>>()?;
        let citing = columns
            .iter()
            .any(|c| c.articles.as_ref().is_some_and(|a| a.values.num_vals() > 0));
        Ok(Segments {
            searcher,
            columns,
            citing,
        })
    }

    fn columns(&self, ord: u32) -> &SegmentColumns {
        &self.columns[ord as usize]
    }
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
    /// Bits of the lowest score that can still enter the top (an `f32`).
    threshold: AtomicU32,
}

impl<'a> TopScores<'a> {
    fn new(limit: usize, segments: &'a Segments) -> TopScores<'a> {
        TopScores {
            limit,
            segments,
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
            words: self.segments.columns(ord).words.clone(),
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
    words: Option<Column<u64>>,
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
        let words = self
            .words
            .as_ref()
            .and_then(|column| column.first(doc))
            .unwrap_or(SHORT_PASSAGE_WORDS);
        let ranked = Ranked {
            score: score * length_prior(words),
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

/// Matches per article of the Convention they cite. Only citing passages are visited: the
/// matches are intersected with the term of the `/article` facet, which every citing
/// passage has.
pub fn articles(
    segments: &Segments,
    matched: &dyn Query,
    facets: Field,
) -> tantivy::Result<BTreeMap<u64, u64>> {
    if !segments.citing {
        return Ok(BTreeMap::new());
    }
    let citing = TermQuery::new(
        Term::from_facet(facets, &Facet::from("/article")),
        IndexRecordOption::Basic,
    );
    let query = BooleanQuery::new(vec![
        (Occur::Must, matched.box_clone()),
        (Occur::Must, Box::new(citing)),
    ]);
    segments
        .searcher
        .search(&query, &ArticleCollector { segments })
}

struct ArticleCollector<'a> {
    segments: &'a Segments,
}

impl Collector for ArticleCollector<'_> {
    type Fruit = BTreeMap<u64, u64>;
    type Child = SegmentArticles;

    fn for_segment(&self, ord: u32, _reader: &SegmentReader) -> tantivy::Result<SegmentArticles> {
        Ok(SegmentArticles {
            column: self.segments.columns(ord).articles.clone(),
            counts: BTreeMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all = BTreeMap::new();
        for (article, n) in fruits.into_iter().flatten() {
            *all.entry(article).or_default() += n;
        }
        Ok(all)
    }
}

struct SegmentArticles {
    column: Option<Column<u64>>,
    counts: BTreeMap<u64, u64>,
}

impl SegmentCollector for SegmentArticles {
    type Fruit = BTreeMap<u64, u64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(column) = &self.column {
            for article in column.values_for_doc(doc) {
                *self.counts.entry(article).or_default() += 1;
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.counts
    }
}

/// Every matching passage counted, in all, per session and per year.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    pub total: u64,
    pub by_session: BTreeMap<u64, u64>,
    pub by_year: BTreeMap<u64, u64>,
}

/// Counts matches, their sessions and years (passages of unknown session or year count in
/// `total` only).
pub struct TallyCollector<'a> {
    segments: &'a Segments,
}

impl<'a> TallyCollector<'a> {
    pub fn new(segments: &'a Segments) -> TallyCollector<'a> {
        TallyCollector { segments }
    }
}

/// What the `session` or `year` column says about a whole segment.
#[derive(Clone)]
enum Values {
    /// Every passage has this value (or none has one): the count is the whole answer.
    One(Option<u64>),
    /// Passages of several values: each match is looked up.
    Mixed(Column<u64>),
}

impl Values {
    /// Counts `doc` under its value, when the segment has several.
    fn count(&self, doc: DocId, counts: &mut BTreeMap<u64, u64>) {
        if let Values::Mixed(column) = self {
            if let Some(value) = column.first(doc) {
                *counts.entry(value).or_default() += 1;
            }
        }
    }

    /// A one-value segment's `total` matches, counted under its value.
    fn count_all(&self, total: u64, counts: &mut BTreeMap<u64, u64>) {
        if let Values::One(Some(value)) = self {
            if total > 0 {
                counts.insert(*value, total);
            }
        }
    }
}

fn segment_values(reader: &SegmentReader, field: &str) -> tantivy::Result<Values> {
    let Some(column) = reader.fast_fields().column_opt::<u64>(field)? else {
        return Ok(Values::One(None));
    };
    let full = column.get_cardinality() == tantivy::columnar::Cardinality::Full;
    Ok(if full && column.min_value() == column.max_value() {
        Values::One(Some(column.min_value()))
    } else {
        Values::Mixed(column)
    })
}

impl Collector for TallyCollector<'_> {
    type Fruit = Tally;
    type Child = SegmentTally;

    fn for_segment(&self, ord: u32, _reader: &SegmentReader) -> tantivy::Result<SegmentTally> {
        let columns = self.segments.columns(ord);
        Ok(SegmentTally {
            sessions: columns.sessions.clone(),
            years: columns.years.clone(),
            tally: Tally::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Tally>) -> tantivy::Result<Tally> {
        let mut all = Tally::default();
        for fruit in fruits {
            all.total += fruit.total;
            for (session, n) in fruit.by_session {
                *all.by_session.entry(session).or_default() += n;
            }
            for (year, n) in fruit.by_year {
                *all.by_year.entry(year).or_default() += n;
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
        if let (Values::One(_), Values::One(_)) = (&segment.sessions, &segment.years) {
            // A term's count is its document frequency: no posting is read.
            segment.tally.total = u64::from(weight.count(reader)?);
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
    sessions: Values,
    years: Values,
    tally: Tally,
}

impl SegmentCollector for SegmentTally {
    type Fruit = Tally;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.tally.total += 1;
        self.sessions.count(doc, &mut self.tally.by_session);
        self.years.count(doc, &mut self.tally.by_year);
    }

    fn harvest(mut self) -> Tally {
        // A one-session (or one-year) segment counts here, from its total.
        let total = self.tally.total;
        self.sessions.count_all(total, &mut self.tally.by_session);
        self.years.count_all(total, &mut self.tally.by_year);
        self.tally
    }
}
