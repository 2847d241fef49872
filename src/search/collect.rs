//! Collecting a search's answers with as little work as the index allows: the first
//! stage's window of passages by BM25 times the length prior (block-WAND for a single term,
//! the passages with every word for several, else every match scored), and the counts of
//! all matches per session, year and article — from a union's blocks of postings into a set
//! of passages, or match by match, with what each passage is read from plain arrays decoded
//! when the engine opens; from the term dictionary when a segment holds one session and
//! year and no citation.

use std::collections::{BTreeMap, BinaryHeap};
use std::ops::Range;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::directory::{CompositeFile, FileSlice};
use tantivy::index::{SegmentComponent, SegmentId};
use tantivy::postings::TermInfo;
use tantivy::query::{Bm25Weight, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, Term, TERMINATED};

use super::phrase::{BlockPhrase, Check, PositionFiles};
use super::plan::{length_prior, Plan, SHORT_PASSAGE_WORDS};
use crate::analysis;

/// A searcher, with what each of its segments' passages tell ranking and counting decoded
/// once into plain arrays: tantivy's compressed columns cost several nanoseconds a lookup,
/// and a count visits every match (hundreds of thousands for a common word).
#[derive(Clone)]
pub struct Segments {
    pub searcher: Searcher,
    facts: Vec<Arc<SegmentFacts>>,
    /// The field of stems, and the same stems of citing passages only (see `Fields::citing`).
    stems: Field,
    citing: Field,
    /// The stems' positions file of each segment (see [`super::phrase`]).
    positions: PositionFiles,
}

struct SegmentFacts {
    /// Per passage, its words capped at `SHORT_PASSAGE_WORDS` (the length prior's only
    /// input), or `None` when every passage is long enough to have no prior.
    short: Option<Vec<u8>>,
    /// The session and year of each passage.
    groups: Groups,
    /// Articles each passage cites, or `None` when no passage of the segment cites one.
    articles: Option<Articles>,
    /// Each passage's place in the corpus: the order of equal scores.
    order: Column<u64>,
}

impl Segments {
    pub fn new(searcher: Searcher) -> tantivy::Result<Segments> {
        let facts = searcher
            .segment_readers()
            .iter()
            .map(|reader| SegmentFacts::read(reader).map(Arc::new))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let schema = searcher.schema();
        let (stems, citing) = (schema.get_field("text")?, schema.get_field("citing")?);
        let positions = Arc::new(positions_of(&searcher, stems)?);
        Ok(Segments {
            searcher,
            facts,
            stems,
            citing,
            positions,
        })
    }

    pub fn positions(&self) -> &PositionFiles {
        &self.positions
    }

    fn facts(&self, ord: u32) -> Arc<SegmentFacts> {
        Arc::clone(&self.facts[ord as usize])
    }

    /// The passage's place in the corpus, which orders passages of equal score the same
    /// way in every build (doc ids depend on which indexing thread took a passage).
    pub fn order(&self, address: DocAddress) -> u64 {
        self.facts[address.segment_ord as usize].order(address.doc_id)
    }

    /// Sorts `scored` best first, equal scores in corpus order. Each passage's place is read
    /// once: a column read per comparison cost a tenth of a common word's search, whose
    /// windows hold many equal scores.
    pub fn sort_best_first(&self, scored: &mut [(Score, DocAddress)]) {
        let mut keyed: Vec<(Score, u64, DocAddress)> = scored
            .iter()
            .map(|&(score, address)| (score, self.order(address), address))
            .collect();
        keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (slot, (score, _, address)) in scored.iter_mut().zip(keyed) {
            *slot = (score, address);
        }
    }

    /// The runs of passages of `session` in each segment whose sessions are all known.
    pub fn session_runs(&self, session: u64) -> Vec<(SegmentId, Vec<Range<DocId>>)> {
        self.searcher
            .segment_readers()
            .iter()
            .zip(&self.facts)
            .filter_map(|(reader, facts)| {
                let runs = facts.groups.runs_of(session, reader.max_doc())?;
                Some((reader.segment_id(), runs))
            })
            .collect()
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
            groups: Groups::read(
                fast.column_opt::<u64>("session")?,
                fast.column_opt::<u64>("year")?,
                max_doc,
            ),
            articles: Articles::read(fast.column_opt::<u64>("articles")?, max_doc),
            order: fast.u64("order")?,
        })
    }

    fn order(&self, doc: DocId) -> u64 {
        self.order.first(doc).unwrap_or(u64::MAX)
    }

    /// The length prior of `doc`.
    fn prior(&self, doc: DocId, priors: &[f32]) -> f32 {
        self.short
            .as_ref()
            .map_or(1.0, |short| priors[usize::from(short[doc as usize])])
    }
}

/// The positions of `field` in each segment of `searcher` that has them.
fn positions_of(searcher: &Searcher, field: Field) -> tantivy::Result<Vec<(SegmentId, FileSlice)>> {
    let mut files = Vec::new();
    for segment in searcher.index().searchable_segments()? {
        if !searcher
            .segment_readers()
            .iter()
            .any(|r| r.segment_id() == segment.id())
        {
            continue;
        }
        let file = segment
            .open_read(SegmentComponent::Positions)
            .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
        if let Some(slice) = CompositeFile::open(&file)?.open_read(field) {
            files.push((segment.id(), slice));
        }
    }
    Ok(files)
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
/// A single term is ranked alone: the ranking skips postings that cannot reach the window
/// (block-WAND), and [`tally`] counts apart, from the postings' blocks. Several words are
/// first ranked among the passages with every word ([`Plan::every_word`]); when those do
/// not fill the window, the union of their terms is scored passage by passage and counted
/// in the same pass: block-WAND over several frequent words that mostly occur together
/// skips little and costs more per passage than tantivy's plain union (measured: three
/// times as long for two such words). Anything else visits every match anyway, so ranking
/// and counting share one pass.
pub fn first_stage(segments: &Segments, plan: &Plan, window: usize) -> tantivy::Result<FirstStage> {
    let searcher = &segments.searcher;
    let best = TopScores::new(window, segments);
    if plan.union_terms.len() == 1 {
        let window = searcher.search(&*plan.query, &best)?;
        return Ok(FirstStage {
            window,
            tally: None,
        });
    }
    if let Some(every_word) = &plan.every_word {
        // Passages missing a word rank below those with all (coverage weighs most in the
        // second stage): when enough hold every word to fill the window, the window is
        // theirs, found by intersecting the words' postings instead of walking their union.
        let window = searcher.search(&**every_word, &best)?;
        if window.len() >= best.limit {
            return Ok(FirstStage {
                window,
                tally: None,
            });
        }
    }
    let best = TopScores::new(best.limit, segments);
    let phrase = match plan.query.downcast_ref::<BlockPhrase>() {
        Some(phrase) => Some((phrase, Bm25Weight::for_terms(searcher, &phrase.terms())?)),
        None => None,
    };
    let pass = RankAndTally {
        best,
        tally: TallyCollector::new(segments),
        union_terms: &plan.union_terms,
        phrase,
    };
    let (window, tally) = searcher.search(&*plan.query, &pass)?;
    Ok(FirstStage {
        window,
        tally: Some(tally),
    })
}

/// Ranks and counts every match in one pass; a dense union's matches are counted from a
/// set of matches filled on the way, and a phrase alone is scored only where its score
/// could enter the window.
struct RankAndTally<'a> {
    best: TopScores<'a>,
    tally: TallyCollector<'a>,
    union_terms: &'a [Term],
    /// The query, when it is one phrase, and its BM25 weight.
    phrase: Option<(&'a BlockPhrase, Bm25Weight)>,
}

impl Collector for RankAndTally<'_> {
    type Fruit = (Vec<(Score, DocAddress)>, Tally);
    type Child = (SegmentTop, SegmentTally);

    fn for_segment(
        &self,
        ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<(SegmentTop, SegmentTally)> {
        Ok((
            self.best.for_segment(ord, reader)?,
            self.tally.for_segment(ord, reader)?,
        ))
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let (tops, tallies) = fruits.into_iter().unzip();
        Ok((
            self.best.merge_fruits(tops)?,
            self.tally.merge_fruits(tallies)?,
        ))
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Fruit> {
        let (mut top, mut tally) = self.for_segment(ord, reader)?;
        let alive = reader.alive_bitset();
        if let Some((phrase, bm25)) = &self.phrase {
            if let Some(mut candidates) = phrase.candidates(reader, bm25)? {
                let mut doc = candidates.doc();
                while doc != TERMINATED {
                    if alive.is_none_or(|alive| alive.is_alive(doc)) {
                        // A passage whose best score cannot enter the window is only
                        // checked for the count; the prior only lowers a score.
                        match candidates.check(top.floor) {
                            Check::Scores(score) => {
                                top.collect(doc, score);
                                tally.collect(doc, score);
                            }
                            Check::Holds => tally.collect(doc, 0.0),
                            Check::Misses => {}
                        }
                    }
                    doc = candidates.advance();
                }
                return Ok((top.harvest(), tally.harvest()));
            }
        }
        if !self.union_terms.is_empty() && dense_union(reader, self.union_terms)? {
            let mut set = MatchSet::new(reader.max_doc());
            weight.for_each(reader, &mut |doc, score| {
                top.collect(doc, score);
                set.insert(doc);
            })?;
            let facts = self.tally.segments.facts(ord);
            return Ok((top.harvest(), facts.tally(&set, reader.max_doc())));
        }
        weight.for_each(reader, &mut |doc, score| {
            if alive.is_none_or(|alive| alive.is_alive(doc)) {
                top.collect(doc, score);
                tally.collect(doc, score);
            }
        })?;
        Ok((top.harvest(), tally.harvest()))
    }
}

/// The first stage's candidates, best first, and the tally when the same pass made it.
pub struct FirstStage {
    pub window: Vec<(Score, DocAddress)>,
    pub tally: Option<Tally>,
}

/// Every match of `plan` counted, in all, per session, year and article.
///
/// A single term with many postings is counted from its skip list, a run of passages of
/// one session and year at a time ([`tally_term`]); a union of terms with many postings
/// from its blocks of postings into a [`MatchSet`] of the segment's passages: no scorer
/// walks the union passage by passage, and each session and year counts its run of
/// passages at once; a single term with few postings from its blocks. Anything else (and a
/// union of few postings, where clearing the set would cost more) goes through tantivy.
pub fn tally(segments: &Segments, plan: &Plan) -> tantivy::Result<Tally> {
    let collector = TallyCollector {
        segments,
        union_terms: &plan.union_terms,
    };
    segments.searcher.search(&*plan.count, &collector)
}

/// A [`MatchSet`] pays for itself from one match per this many passages of the segment.
const BITSET_DENSITY: u32 = 64;

/// One segment's tally of a union of `terms`, read from their postings (each term looked
/// up once), or `None` where tantivy's pass is the cheaper (a union of few postings) or the
/// only right one (deleted passages).
fn tally_union(
    segments: &Segments,
    reader: &SegmentReader,
    ord: u32,
    terms: &[Term],
) -> tantivy::Result<Option<Tally>> {
    if reader.alive_bitset().is_some() {
        return Ok(None);
    }
    let held = held(reader, terms)?;
    let dense = is_dense(&held, reader.max_doc());
    match held.as_slice() {
        [] => Ok(Some(Tally::default())),
        [(term, info)] if dense && term.field() == segments.stems => {
            tally_term(segments, reader, ord, term, info).map(Some)
        }
        // A single term's blocks of postings are its matches: there is no union to take.
        [(term, info)] if !dense => {
            let index = reader.inverted_index(term.field())?;
            let mut blocks =
                index.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
            let mut tally = SegmentTally::new(segments.facts(ord));
            while !blocks.docs().is_empty() {
                tally.collect_block(blocks.docs());
                blocks.advance();
            }
            Ok(Some(tally.harvest()))
        }
        _ if dense => {
            let mut set = MatchSet::new(reader.max_doc());
            for (term, info) in &held {
                let index = reader.inverted_index(term.field())?;
                let mut blocks =
                    index.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
                while !blocks.docs().is_empty() {
                    set.insert_all(blocks.docs());
                    blocks.advance();
                }
            }
            Ok(Some(segments.facts(ord).tally(&set, reader.max_doc())))
        }
        _ => Ok(None),
    }
}

/// One segment's tally of a single stem, none of whose passages is deleted, from its
/// postings' skip list: the matches in a run of passages of one session and year are the
/// stem's rank at the run's end less its rank at the run's start, found without decoding
/// the blocks between; its matches per article are the document frequencies of its terms
/// in `citing`. (A pair of words, which `citing` does not hold, is counted into a
/// [`MatchSet`].) Measured on five common words: counts at 250 MB 0.215 → 0.152 ms; at 1 GB
/// 0.97 → 0.27 ms with `citing` holding the stems of citing passages, instead of seeking
/// every citing passage in the stem's long list.
fn tally_term(
    segments: &Segments,
    reader: &SegmentReader,
    ord: u32,
    term: &Term,
    info: &TermInfo,
) -> tantivy::Result<Tally> {
    let index = reader.inverted_index(term.field())?;
    let facts = segments.facts(ord);
    let total = u64::from(info.doc_freq);
    let mut tally = Tally {
        total,
        ..Tally::default()
    };
    let mut blocks = index.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
    let max_doc = reader.max_doc();
    let mut before = 0;
    facts.groups.add_runs(max_doc, &mut tally, |run| {
        let upto = if run.end == max_doc {
            total
        } else {
            u64::from(blocks.rank(run.end))
        };
        upto - std::mem::replace(&mut before, upto)
    });
    // Per article: the document frequency of each of the stem's citing terms, one short
    // range of the term dictionary (no posting list is read).
    if facts.articles.is_some() {
        let value = term.value();
        let stem = value.as_str().unwrap_or_default();
        let (from, to) = analysis::citing_range(stem);
        let citing = reader.inverted_index(segments.citing)?;
        let mut terms = citing
            .terms()
            .range()
            .ge(from.as_bytes())
            .lt(to.as_bytes())
            .into_stream()?;
        while terms.advance() {
            if let Some(article) = analysis::article_of(terms.key(), stem) {
                *tally.by_article.entry(article).or_default() += u64::from(terms.value().doc_freq);
            }
        }
    }
    Ok(tally)
}

/// Whether the matches of a union of `terms` in a segment are better counted in a set:
/// enough of them, and no deleted passage to leave out.
fn dense_union(reader: &SegmentReader, terms: &[Term]) -> tantivy::Result<bool> {
    Ok(reader.alive_bitset().is_none() && is_dense(&held(reader, terms)?, reader.max_doc()))
}

/// The terms of `terms` a segment holds, with where their postings are.
fn held<'a>(
    reader: &SegmentReader,
    terms: &'a [Term],
) -> tantivy::Result<Vec<(&'a Term, TermInfo)>> {
    let mut held = Vec::with_capacity(terms.len());
    for term in terms {
        if let Some(info) = reader.inverted_index(term.field())?.get_term_info(term)? {
            held.push((term, info));
        }
    }
    Ok(held)
}

/// Whether so many postings are better counted in a [`MatchSet`] than match by match.
fn is_dense(held: &[(&Term, TermInfo)], max_doc: DocId) -> bool {
    let postings: u64 = held.iter().map(|(_, info)| u64::from(info.doc_freq)).sum();
    postings >= u64::from(max_doc / BITSET_DENSITY)
}

impl SegmentFacts {
    /// The tally of the passages in `set`.
    fn tally(&self, set: &MatchSet, max_doc: DocId) -> Tally {
        let mut tally = Tally::default();
        tally.total = self
            .groups
            .add_runs(max_doc, &mut tally, |run| set.count(run));
        if let Some(articles) = &self.articles {
            let mut counters = vec![0; articles.values.len()];
            for (i, &doc) in articles.docs.iter().enumerate() {
                if set.contains(doc) {
                    for &index in articles.cited_indexes(i) {
                        counters[usize::from(index)] += 1;
                    }
                }
            }
            articles.add(&counters, &mut tally);
        }
        tally
    }
}

/// A set of a segment's passages, a byte each: inserting is one store, with no read of
/// what a neighbour's insert wrote (a bit each would read and write the same word for the
/// few passages apart that a frequent term's postings are: with a word's bits gathered in a
/// register, counts of several words at 1 GB took 3.3 ms instead of 2.2), and counting a
/// range sums its bytes eight at a time.
struct MatchSet(Vec<u8>);

impl MatchSet {
    fn new(max_doc: DocId) -> MatchSet {
        MatchSet(vec![0; max_doc as usize])
    }

    fn insert(&mut self, doc: DocId) {
        self.0[doc as usize] = 1;
    }

    fn insert_all(&mut self, docs: &[DocId]) {
        for &doc in docs {
            self.insert(doc);
        }
    }

    fn contains(&self, doc: DocId) -> bool {
        self.0[doc as usize] != 0
    }

    /// How many of `docs` are in the set.
    fn count(&self, docs: Range<DocId>) -> u64 {
        if docs.start >= docs.end {
            return 0;
        }
        let (words, rest) = self.0[docs.start as usize..docs.end as usize].as_chunks::<8>();
        let mut count: u64 = rest.iter().map(|&b| u64::from(b)).sum();
        // Eight bytes added as one word: each byte is 0 or 1, so no byte of a sum of 255
        // words carries into the next.
        for words in words.chunks(255) {
            let sum: u64 = words.iter().map(|&w| u64::from_ne_bytes(w)).sum();
            count += byte_sum(sum);
        }
        count
    }
}

/// The sum of the bytes of `word`.
fn byte_sum(word: u64) -> u64 {
    const LOW_BYTES: u64 = 0x00ff_00ff_00ff_00ff;
    // Four sums of two bytes, then the four added into the top 16 bits (none exceeds them).
    let pairs = (word & LOW_BYTES) + ((word >> 8) & LOW_BYTES);
    pairs.wrapping_mul(0x0001_0001_0001_0001) >> 48
}

/// The `limit` best passages by BM25 times the length prior (ties: corpus order, see
/// [`Segments::order`]).
///
/// The prior only lowers scores, so a passage whose BM25 score is below the adjusted
/// score of the worst passage kept cannot enter: that adjusted score is the threshold
/// handed to block-WAND (a hair lower, so that an equal score is compared by its place in
/// the corpus). Segments are visited with the threshold the earlier ones reached, so each
/// later one skips more.
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
            floor: Score::MIN,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all: Vec<(Score, DocAddress)> = fruits.into_iter().flatten().collect();
        self.segments.sort_best_first(&mut all);
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
        // Called only for BM25 scores above the threshold it returns. A segment's passages
        // come in corpus order, so one of equal score to its own worst comes later and stays
        // out; one of equal score to an earlier segment's worst may come earlier in the
        // corpus, and is let in to be compared by its place.
        let carried = start.next_down();
        weight.for_each_pruning(carried, reader, &mut |doc, score| {
            if alive.is_none_or(|alive| alive.is_alive(doc)) {
                top.collect(doc, score);
            }
            top.threshold().filter(|&t| t >= start).unwrap_or(carried)
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
    /// The score of that worst once the top is full: a passage must beat it to enter.
    floor: Score,
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

    #[inline]
    fn collect(&mut self, doc: DocId, score: Score) {
        // The prior only lowers a score: most passages of a frequent word stop here.
        if score <= self.floor {
            return;
        }
        let ranked = Ranked {
            score: score * self.facts.prior(doc, &self.priors),
            doc,
        };
        if self.heap.len() < self.limit {
            self.heap.push(ranked);
        } else if let Some(mut worst) = self.heap.peek_mut() {
            // Docs come in corpus order (the build writes every segment so): an equal score never
            // displaces an earlier passage.
            if ranked.score > worst.score {
                *worst = ranked;
            }
        }
        if self.heap.len() >= self.limit {
            self.floor = self.heap.peek().map_or(Score::MIN, |worst| worst.score);
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

/// A scored doc of one segment, ordered worst first: lower score, then later doc (later in
/// the corpus).
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
    /// The terms of the query, when it is a union of terms (see [`tally`]).
    union_terms: &'a [Term],
}

impl<'a> TallyCollector<'a> {
    pub fn new(segments: &'a Segments) -> TallyCollector<'a> {
        TallyCollector {
            segments,
            union_terms: &[],
        }
    }
}

/// A passage's session and year, either unknown.
type Group = (Option<u64>, Option<u64>);

fn add_group(tally: &mut Tally, (session, year): Group, n: u64) {
    if n == 0 {
        return;
    }
    if let Some(session) = session {
        *tally.by_session.entry(session).or_default() += n;
    }
    if let Some(year) = year {
        *tally.by_year.entry(year).or_default() += n;
    }
}

/// The session and year of a segment's passages. Passages of a document are neighbours and
/// share both, so the segment is a few runs of passages, each of one pair: a block of
/// matches is counted a run at a time.
enum Groups {
    /// Every passage has the same: a segment's count is the whole answer.
    One(Group),
    /// The distinct pairs, and the runs: where each begins and the index of its pair
    /// (`groups.len()` for a pair past what an index names, counted in `total` only).
    Mixed {
        groups: Vec<Group>,
        runs: Vec<(DocId, u16)>,
    },
}

impl Groups {
    fn read(sessions: Option<Column<u64>>, years: Option<Column<u64>>, max_doc: DocId) -> Groups {
        let value = |column: &Option<Column<u64>>, doc| column.as_ref().and_then(|c| c.first(doc));
        let mut groups: Vec<Group> = Vec::new();
        let mut runs: Vec<(DocId, u16)> = Vec::new();
        let mut last: Option<Group> = None;
        for doc in 0..max_doc {
            let group = (value(&sessions, doc), value(&years, doc));
            if last == Some(group) {
                continue;
            }
            last = Some(group);
            let index = match groups.iter().position(|g| *g == group) {
                Some(i) => i,
                None if groups.len() >= usize::from(u16::MAX) => groups.len(),
                None => {
                    groups.push(group);
                    groups.len() - 1
                }
            };
            runs.push((doc, index as u16));
        }
        match groups.as_slice() {
            [] => Groups::One((None, None)),
            [one] => Groups::One(*one),
            _ => Groups::Mixed { groups, runs },
        }
    }

    /// The runs of passages of `session`, neighbours joined; `None` when some pair is past
    /// what an index names (its session unknown here).
    fn runs_of(&self, session: u64, max_doc: DocId) -> Option<Vec<Range<DocId>>> {
        let (groups, runs) = match self {
            Groups::One((of, _)) => {
                let all = (*of == Some(session) && max_doc > 0).then_some(0..max_doc);
                return Some(all.into_iter().collect());
            }
            Groups::Mixed { groups, runs } => (groups, runs),
        };
        let mut of_session: Vec<Range<DocId>> = Vec::new();
        for (i, &(start, index)) in runs.iter().enumerate() {
            let end = runs.get(i + 1).map_or(max_doc, |r| r.0);
            if groups.get(usize::from(index))?.0 != Some(session) {
                continue;
            }
            match of_session.last_mut() {
                Some(last) if last.end == start => last.end = end,
                _ => of_session.push(start..end),
            }
        }
        Some(of_session)
    }

    /// Adds the matches of each run of passages of one pair to `tally`, as `matches_in`
    /// counts them (asked of the runs in order; a segment of one pair is one run), and
    /// returns the matches of all runs.
    fn add_runs(
        &self,
        max_doc: DocId,
        tally: &mut Tally,
        mut matches_in: impl FnMut(Range<DocId>) -> u64,
    ) -> u64 {
        match self {
            Groups::One(group) => {
                let matches = matches_in(0..max_doc);
                add_group(tally, *group, matches);
                matches
            }
            Groups::Mixed { groups, runs } => {
                let mut all = 0;
                for (i, &(start, group)) in runs.iter().enumerate() {
                    let end = runs.get(i + 1).map_or(max_doc, |r| r.0);
                    let matches = matches_in(start..end);
                    all += matches;
                    if let Some(&group) = groups.get(usize::from(group)) {
                        add_group(tally, group, matches);
                    }
                }
                all
            }
        }
    }

    /// Counters for a segment's pairs, one per index and one for the pairs past them.
    fn counters(&self) -> Vec<u64> {
        match self {
            Groups::One(_) => Vec::new(),
            Groups::Mixed { groups, .. } => vec![0; groups.len() + 1],
        }
    }

    /// Counts `docs` (in increasing order, after any counted before) under their pairs,
    /// when the segment has several; `run` is the run the last of them was in.
    fn count(&self, docs: &[DocId], run: &mut usize, counters: &mut [u64]) {
        let Groups::Mixed { runs, .. } = self else {
            return;
        };
        let mut rest = docs;
        while let Some(&first) = rest.first() {
            while runs.get(*run + 1).is_some_and(|r| r.0 <= first) {
                *run += 1;
            }
            let end = runs.get(*run + 1).map_or(DocId::MAX, |r| r.0);
            let here = rest.partition_point(|&d| d < end);
            counters[usize::from(runs[*run].1)] += here as u64;
            rest = &rest[here..];
        }
    }

    /// [`Groups::count`] of one doc.
    fn count_one(&self, doc: DocId, run: &mut usize, counters: &mut [u64]) {
        if let Groups::Mixed { runs, .. } = self {
            while runs.get(*run + 1).is_some_and(|r| r.0 <= doc) {
                *run += 1;
            }
            counters[usize::from(runs[*run].1)] += 1;
        }
    }

    /// Adds a segment's counts to `tally`: its `total` matches under its one pair, or each
    /// counter under its pair.
    fn add(&self, total: u64, counters: &[u64], tally: &mut Tally) {
        match self {
            Groups::One(group) => add_group(tally, *group, total),
            Groups::Mixed { groups, .. } => {
                for (&group, &n) in groups.iter().zip(counters) {
                    add_group(tally, group, n);
                }
            }
        }
    }
}

/// The passages of a segment that cite articles, in doc order, and what they cite:
/// `docs[i]` cites `values[of_doc[k]]` for `k` in `starts[i]..starts[i + 1]`.
struct Articles {
    docs: Vec<DocId>,
    starts: Vec<u32>,
    of_doc: Vec<u16>,
    values: Vec<u64>,
}

impl Articles {
    fn read(column: Option<Column<u64>>, max_doc: DocId) -> Option<Articles> {
        let column = column?;
        if column.values.num_vals() == 0 {
            return None;
        }
        let mut articles = Articles {
            docs: Vec::new(),
            starts: vec![0],
            of_doc: Vec::new(),
            values: Vec::new(),
        };
        for doc in 0..max_doc {
            let before = articles.of_doc.len();
            for article in column.values_for_doc(doc) {
                let index = match articles.values.iter().position(|&v| v == article) {
                    Some(i) => i,
                    None => {
                        articles.values.push(article);
                        articles.values.len() - 1
                    }
                };
                // Past what an index names, an article goes uncounted.
                if let Ok(index) = u16::try_from(index) {
                    articles.of_doc.push(index);
                }
            }
            if articles.of_doc.len() > before {
                articles.docs.push(doc);
                articles.starts.push(articles.of_doc.len() as u32);
            }
        }
        Some(articles)
    }

    /// The articles the `i`th citing passage cites, as indexes into `values`.
    fn cited_indexes(&self, i: usize) -> &[u16] {
        &self.of_doc[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    /// Adds the matches counted per index of `values` to `tally`.
    fn add(&self, counters: &[u64], tally: &mut Tally) {
        for (&article, &n) in self.values.iter().zip(counters) {
            if n > 0 {
                *tally.by_article.entry(article).or_default() += n;
            }
        }
    }

    /// [`Articles::count`] of one doc.
    fn count_one(&self, doc: DocId, next: &mut usize, counters: &mut [u64]) {
        while self.docs.get(*next).is_some_and(|&d| d < doc) {
            *next += 1;
        }
        if self.docs.get(*next) == Some(&doc) {
            for &index in self.cited_indexes(*next) {
                counters[usize::from(index)] += 1;
            }
            *next += 1;
        }
    }

    /// Counts the articles `docs` cite (in increasing order, after any counted before);
    /// `next` is the first citing passage not yet passed.
    fn count(&self, docs: &[DocId], next: &mut usize, counters: &mut [u64]) {
        let (Some(&first), Some(&last)) = (docs.first(), docs.last()) else {
            return;
        };
        let start = *next + self.docs[*next..].partition_point(|&d| d < first);
        let end = start + self.docs[start..].partition_point(|&d| d <= last);
        let mut add = |i: usize| {
            for &index in self.cited_indexes(i) {
                counters[usize::from(index)] += 1;
            }
        };
        // Each of the fewer is looked up among the more: a frequent word's docs outnumber
        // the citing passages between them, a rare word's are a few docs far apart.
        if end - start <= docs.len() {
            (start..end)
                .filter(|&i| docs.binary_search(&self.docs[i]).is_ok())
                .for_each(&mut add);
        } else {
            let between = &self.docs[start..end];
            docs.iter()
                .filter_map(|doc| between.binary_search(doc).ok())
                .for_each(|k| add(start + k));
        }
        *next = end;
    }
}

impl Collector for TallyCollector<'_> {
    type Fruit = Tally;
    type Child = SegmentTally;

    fn for_segment(&self, ord: u32, _reader: &SegmentReader) -> tantivy::Result<SegmentTally> {
        Ok(SegmentTally::new(self.segments.facts(ord)))
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
        if !self.union_terms.is_empty() {
            if let Some(tally) = tally_union(self.segments, reader, ord, self.union_terms)? {
                return Ok(tally);
            }
        }
        let mut segment = self.for_segment(ord, reader)?;
        let facts = &segment.facts;
        if let (Groups::One(_), None) = (&facts.groups, &facts.articles) {
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
    /// Matches per index of the segment's pairs of session and year, and of its articles.
    groups: Vec<u64>,
    /// The run of passages of one pair the last match was in.
    run: usize,
    articles: Vec<u64>,
    /// The first citing passage the matches have not passed.
    next_citing: usize,
}

impl SegmentTally {
    fn new(facts: Arc<SegmentFacts>) -> SegmentTally {
        SegmentTally {
            total: 0,
            groups: facts.groups.counters(),
            run: 0,
            articles: facts
                .articles
                .as_ref()
                .map_or_else(Vec::new, |a| vec![0; a.values.len()]),
            next_citing: 0,
            facts,
        }
    }
}

impl SegmentCollector for SegmentTally {
    type Fruit = Tally;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.total += 1;
        self.facts
            .groups
            .count_one(doc, &mut self.run, &mut self.groups);
        if let Some(articles) = &self.facts.articles {
            articles.count_one(doc, &mut self.next_citing, &mut self.articles);
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.total += docs.len() as u64;
        self.facts
            .groups
            .count(docs, &mut self.run, &mut self.groups);
        if let Some(articles) = &self.facts.articles {
            articles.count(docs, &mut self.next_citing, &mut self.articles);
        }
    }

    fn harvest(self) -> Tally {
        let mut tally = Tally {
            total: self.total,
            ..Tally::default()
        };
        let facts = &self.facts;
        facts.groups.add(self.total, &self.groups, &mut tally);
        if let Some(articles) = &facts.articles {
            articles.add(&self.articles, &mut tally);
        }
        tally
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_are_counted_for_few_docs_far_apart_and_for_many() {
        // Every third passage cites article 10 or, when even, 20 as well.
        let docs: Vec<DocId> = (0..3_000).step_by(3).collect();
        let mut articles = Articles {
            docs: docs.clone(),
            starts: vec![0],
            of_doc: Vec::new(),
            values: vec![10, 20],
        };
        for &doc in &docs {
            articles.of_doc.push(0);
            if doc.is_multiple_of(2) {
                articles.of_doc.push(1);
            }
            articles.starts.push(articles.of_doc.len() as u32);
        }
        let expected = |matches: &[DocId]| {
            let cites = |d: &&DocId| d.is_multiple_of(3);
            let ten = matches.iter().filter(cites).count() as u64;
            let twenty = matches
                .iter()
                .filter(cites)
                .filter(|d| d.is_multiple_of(2))
                .count() as u64;
            vec![ten, twenty]
        };
        let sparse: Vec<DocId> = vec![4, 6, 1_500, 2_997];
        let dense: Vec<DocId> = (0..3_000u32).filter(|d| !d.is_multiple_of(7)).collect();
        for matches in [sparse, dense] {
            let (mut next, mut counters) = (0, vec![0; 2]);
            // In blocks, as postings come.
            for block in matches.chunks(128) {
                articles.count(block, &mut next, &mut counters);
            }
            assert_eq!(counters, expected(&matches));
        }
    }

    #[test]
    fn a_match_set_counts_what_was_inserted_in_any_range() {
        let docs: Vec<DocId> = (0..700).filter(|d| d % 3 == 0 || d % 7 == 0).collect();
        let mut set = MatchSet::new(700);
        set.insert_all(&docs[..100]);
        set.insert_all(&docs[100..]);
        for (start, end) in [
            (0, 700),
            (0, 0),
            (5, 6),
            (63, 65),
            (64, 128),
            (1, 699),
            (130, 400),
        ] {
            let expected = docs.iter().filter(|&&d| (start..end).contains(&d)).count();
            assert_eq!(set.count(start..end), expected as u64, "{start}..{end}");
        }
        assert!(set.contains(699) && !set.contains(1));
        // Every byte set: the eight-byte sums come closest to carrying from byte to byte.
        let mut full = MatchSet::new(5_000);
        full.insert_all(&(0..5_000).collect::<Vec<DocId>>());
        assert_eq!(full.count(0..5_000), 5_000);
        assert_eq!(full.count(3..4_999), 4_996);
    }
}
