//! Collecting a search's answers with as little work as the index allows: the top passages
//! by BM25 (so tantivy may skip blocks of postings with block-WAND), re-ranked for short
//! passages afterwards; and the counts per session, read from the term dictionary when a
//! segment holds a single session (the build writes one segment per session).

use std::collections::{BTreeMap, HashMap};

use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{Query, Weight};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader};

use super::plan::{length_prior, SHORT_PASSAGE_WORDS};

/// The `offset..offset + limit` best passages, ranked by BM25 times the length prior.
///
/// The prior only lowers scores, and only of passages under `SHORT_PASSAGE_WORDS` words.
/// So once a pool of top passages by BM25 holds `offset + limit` passages of full length,
/// no passage outside the pool can enter the page: its BM25 score is at most that of each
/// of them, and its prior at most 1. Until then the pool grows.
pub fn top_passages(
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
    offset: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    let wanted = offset + limit;
    let mut pool = wanted.saturating_mul(2).max(wanted + 16);
    loop {
        let top = searcher.search(query, &TopDocs::with_limit(pool).order_by_score())?;
        let exhausted = top.len() < pool;
        let mut words = WordCounts::default();
        let mut full_length = 0;
        let mut rescored = Vec::with_capacity(top.len());
        for (score, address) in top {
            let n = words.get(searcher, address)?;
            if n >= SHORT_PASSAGE_WORDS {
                full_length += 1;
            }
            rescored.push((score * length_prior(n), address));
        }
        if exhausted || full_length >= wanted {
            // Ties keep index order, as tantivy's own collector does.
            rescored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            return Ok(rescored.into_iter().skip(offset).take(limit).collect());
        }
        pool = pool.saturating_mul(4);
    }
}

/// The `words` column of each segment, opened once per pool.
#[derive(Default)]
struct WordCounts(HashMap<u32, Option<Column<u64>>>);

impl WordCounts {
    fn get(&mut self, searcher: &Searcher, address: DocAddress) -> tantivy::Result<u64> {
        let column = match self.0.get(&address.segment_ord) {
            Some(column) => column,
            None => {
                let reader = searcher.segment_reader(address.segment_ord);
                let column = reader.fast_fields().column_opt::<u64>("words")?;
                self.0.entry(address.segment_ord).or_insert(column)
            }
        };
        Ok(column
            .as_ref()
            .and_then(|c| c.first(address.doc_id))
            .unwrap_or(SHORT_PASSAGE_WORDS))
    }
}

/// Every matching passage counted, in all and per session.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    pub total: u64,
    pub by_session: BTreeMap<u64, u64>,
}

/// Counts matches and their sessions (passages of unknown session count in `total` only).
pub struct TallyCollector;

/// What the `session` column says about a whole segment.
enum Sessions {
    /// Every passage has this session (or none has one): the count is the whole answer.
    One(Option<u64>),
    /// Passages of several sessions: each match is looked up.
    Mixed(Column<u64>),
}

fn segment_sessions(reader: &SegmentReader) -> tantivy::Result<Sessions> {
    let Some(column) = reader.fast_fields().column_opt::<u64>("session")? else {
        return Ok(Sessions::One(None));
    };
    let full = column.get_cardinality() == tantivy::columnar::Cardinality::Full;
    Ok(if full && column.min_value() == column.max_value() {
        Sessions::One(Some(column.min_value()))
    } else {
        Sessions::Mixed(column)
    })
}

impl Collector for TallyCollector {
    type Fruit = Tally;
    type Child = SegmentTally;

    fn for_segment(&self, _ord: u32, reader: &SegmentReader) -> tantivy::Result<SegmentTally> {
        Ok(SegmentTally {
            sessions: segment_sessions(reader)?,
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
        if let Sessions::One(session) = segment.sessions {
            // A term's count is its document frequency: no posting is read.
            let total = u64::from(weight.count(reader)?);
            let by_session = session
                .filter(|_| total > 0)
                .map(|s| (s, total))
                .into_iter()
                .collect();
            return Ok(Tally { total, by_session });
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
    sessions: Sessions,
    tally: Tally,
}

impl SegmentCollector for SegmentTally {
    type Fruit = Tally;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.tally.total += 1;
        if let Sessions::Mixed(column) = &self.sessions {
            if let Some(session) = column.first(doc) {
                *self.tally.by_session.entry(session).or_default() += 1;
            }
        }
    }

    fn harvest(self) -> Tally {
        self.tally
    }
}
