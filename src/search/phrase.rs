//! A phrase of frequent stems, matched by walking its terms' blocks of postings.
//!
//! tantivy's phrase scorer finds where a passage's positions start by summing, for every
//! candidate passage and every term, the frequencies of the block's earlier passages
//! (`SegmentPostings::append_positions_with_offset`): half the time of a phrase of frequent
//! stems with slop went there (profiled at 1 GB: `"الجريمة عبر الوطنية"~3`, 338,000
//! candidates). This scorer walks the same postings block by block and keeps that offset as
//! it goes, so each frequency is added once. It does not skip blocks (their position
//! offsets are private to tantivy), so it serves only segments where the phrase's terms
//! occur in many of the same passages; elsewhere tantivy's scorer runs. The phrase count
//! and the score are tantivy's: the position matching below is ported from tantivy 0.27
//! (`query/phrase_query/phrase_scorer.rs`, MIT), and a test holds the two scorers to the
//! same passages and scores.

use std::sync::Arc;

use tantivy::directory::FileSlice;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentId;
use tantivy::positions::PositionReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{
    Bm25Weight, EmptyScorer, EnableScoring, Explanation, PhraseQuery, Query, Scorer, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// The positions file of the stems' field, per segment.
pub type PositionFiles = Arc<Vec<(SegmentId, FileSlice)>>;

/// The block walk pays off when the terms' postings together are at most this many times
/// the rarest term's: most of what it decodes is then a candidate, which tantivy's scorer
/// costs far more per passage to check than a walk costs per posting.
const DENSE_RATIO: u64 = 32;

/// A phrase (terms at their offsets, with slop) matching exactly what tantivy's
/// [`PhraseQuery`] matches, with the same scores.
#[derive(Clone)]
pub struct BlockPhrase {
    terms: Vec<(usize, Term)>,
    slop: u32,
    positions: PositionFiles,
    /// For two neighbouring words with slop, the term of their pair (see
    /// [`crate::analysis::PairFilter`]): a passage holding it holds the phrase.
    adjacent: Option<Term>,
}

impl std::fmt::Debug for BlockPhrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockPhrase")
            .field("terms", &self.terms)
            .field("slop", &self.slop)
            .finish_non_exhaustive()
    }
}

impl BlockPhrase {
    /// `terms` are two or more, of one field, whose positions are in `positions`.
    pub fn new(mut terms: Vec<(usize, Term)>, slop: u32, positions: PositionFiles) -> BlockPhrase {
        // As tantivy's phrase orders them: the order of the idf sum and of equal frequencies.
        terms.sort_by_key(|(offset, _)| *offset);
        BlockPhrase {
            terms,
            slop,
            positions,
            adjacent: None,
        }
    }

    /// The phrase, with the term of its two words' pair (only for two words).
    pub fn with_adjacent(self, pair: Term) -> BlockPhrase {
        BlockPhrase {
            adjacent: (self.terms.len() == 2).then_some(pair),
            ..self
        }
    }

    /// Whether the phrase walks its blocks in this segment (else tantivy's scorer runs).
    pub fn walks_blocks(&self, reader: &SegmentReader) -> tantivy::Result<bool> {
        Ok(matches!(
            self.block_scorer(reader, None)?,
            Some(Outcome::Scorer(_))
        ))
    }

    pub fn terms(&self) -> Vec<Term> {
        self.terms.iter().map(|(_, t)| t.clone()).collect()
    }

    /// The phrase's candidates in one segment, each scored only when asked; `None` where the
    /// segment's postings are not dense enough (search with the query there).
    pub fn candidates(
        &self,
        reader: &SegmentReader,
        bm25: &Bm25Weight,
    ) -> tantivy::Result<Option<Candidates>> {
        Ok(self
            .block_scorer(reader, Some(bm25.clone()))?
            .map(Candidates::new))
    }
}

impl Query for BlockPhrase {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let fallback = PhraseQuery::new_with_offset_and_slop(self.terms.clone(), self.slop);
        let bm25 = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(Bm25Weight::for_terms(statistics_provider, &self.terms())?),
            EnableScoring::Disabled { .. } => None,
        };
        // Unscored, tantivy's check of a sloppy phrase of three or more words finds more
        // than its count does (see `phrase_exists`): its segments match as when scored.
        let fallback_scoring = match scoring {
            EnableScoring::Disabled {
                searcher_opt: Some(searcher),
                ..
            } if self.slop > 0 && self.terms.len() > 2 => {
                EnableScoring::enabled_from_searcher(searcher)
            }
            other => other,
        };
        Ok(Box::new(BlockPhraseWeight {
            phrase: self.clone(),
            bm25,
            fallback: fallback.weight(fallback_scoring)?,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (_, term) in &self.terms {
            visitor(term, true);
        }
    }
}

struct BlockPhraseWeight {
    phrase: BlockPhrase,
    bm25: Option<Bm25Weight>,
    /// tantivy's phrase, for segments where the terms are not dense enough.
    fallback: Box<dyn Weight>,
}

impl BlockPhrase {
    /// The block scorer of one segment, or `None` where tantivy's is the better.
    fn block_scorer(
        &self,
        reader: &SegmentReader,
        bm25: Option<Bm25Weight>,
    ) -> tantivy::Result<Option<Outcome>> {
        let Some((_, file)) = self
            .positions
            .iter()
            .find(|(id, _)| *id == reader.segment_id())
        else {
            return Ok(None);
        };
        let field = self.terms[0].1.field();
        let index = reader.inverted_index(field)?;
        let mut infos = Vec::with_capacity(self.terms.len());
        for (offset, term) in &self.terms {
            match index.get_term_info(term)? {
                Some(info) => infos.push((*offset, info)),
                None => return Ok(Some(Outcome::Empty)),
            }
        }
        let rarest = infos.iter().map(|(_, i)| u64::from(i.doc_freq)).min();
        let all: u64 = infos.iter().map(|(_, i)| u64::from(i.doc_freq)).sum();
        if all > DENSE_RATIO * rarest.unwrap_or(0) {
            return Ok(None);
        }
        // tantivy's intersection matches positions in order of rising doc frequency (a stable
        // sort), which the carrying slop below depends on.
        infos.sort_by_key(|(_, info)| info.doc_freq);
        let last = self.terms.iter().map(|(o, _)| *o).max().unwrap_or(0);
        let mut cursors = Vec::with_capacity(infos.len());
        for (offset, info) in &infos {
            let blocks =
                index.read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
            let data = file.read_bytes_slice(info.positions_range.clone())?;
            cursors.push(Cursor {
                blocks,
                at: 0,
                before_block: 0,
                before_at: 0,
                positions: Some(PositionReader::open(data)?),
                shift: (last - offset) as u32,
            });
        }
        let adjacent = match &self.adjacent {
            Some(pair) => {
                let index = reader.inverted_index(pair.field())?;
                match index.get_term_info(pair)? {
                    Some(info) => Some(Cursor::docs(
                        index.read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)?,
                    )),
                    None => None,
                }
            }
            None => None,
        };
        let scorer = BlockPhraseScorer {
            cursors,
            adjacent,
            doc: 0,
            slop: self.slop,
            phrase_count: 0,
            bm25,
            fieldnorms: reader.get_fieldnorms_reader(field)?,
            max_doc: reader.max_doc(),
            buffers: Buffers::default(),
        };
        Ok(Some(Outcome::Scorer(Box::new(scorer))))
    }
}

/// A segment's block scorer, or nothing to match (a term is missing).
enum Outcome {
    Scorer(Box<BlockPhraseScorer>),
    Empty,
}

impl Weight for BlockPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let bm25 = self.bm25.as_ref().map(|w| w.boost_by(boost));
        match self.phrase.block_scorer(reader, bm25)? {
            Some(Outcome::Scorer(scorer)) => Ok(scorer.start()),
            Some(Outcome::Empty) => Ok(Box::new(EmptyScorer)),
            None => self.fallback.scorer(reader, boost),
        }
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.fallback.explain(reader, doc)
    }
}

/// One term's postings, walked block by block, with the offset of the current passage's
/// positions among the term's.
struct Cursor {
    blocks: BlockSegmentPostings,
    /// The current passage's index in the block.
    at: usize,
    /// The term's positions in the passages before the block, and in the block before `at`.
    before_block: u64,
    before_at: u64,
    /// `None` for a pair's postings, whose positions are not read.
    positions: Option<PositionReader>,
    /// Added to each position so that the phrase's terms line up (tantivy's offsets).
    shift: u32,
}

impl Cursor {
    fn docs(blocks: BlockSegmentPostings) -> Cursor {
        Cursor {
            blocks,
            at: 0,
            before_block: 0,
            before_at: 0,
            positions: None,
            shift: 0,
        }
    }

    fn doc(&self) -> DocId {
        self.blocks
            .docs()
            .get(self.at)
            .copied()
            .unwrap_or(TERMINATED)
    }

    /// The frequency of the `at`th passage of the block (0 for a pair's postings, read
    /// without frequencies).
    fn freq(&self, at: usize) -> u64 {
        self.blocks.freqs().get(at).map_or(0, |&f| u64::from(f))
    }

    fn next_block(&mut self) {
        let rest: u32 = self
            .blocks
            .freqs()
            .get(self.at..)
            .unwrap_or(&[])
            .iter()
            .sum();
        self.before_block += self.before_at + u64::from(rest);
        self.before_at = 0;
        self.at = 0;
        self.blocks.advance();
    }

    fn advance(&mut self) -> DocId {
        if self.at >= self.blocks.docs().len() {
            return TERMINATED;
        }
        self.before_at += self.freq(self.at);
        self.at += 1;
        if self.at == self.blocks.docs().len() {
            self.next_block();
        }
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        loop {
            match self.blocks.docs().last() {
                None => return TERMINATED,
                Some(&last) if last >= target => break,
                Some(_) => self.next_block(),
            }
        }
        while self.blocks.docs()[self.at] < target {
            self.before_at += self.freq(self.at);
            self.at += 1;
        }
        self.blocks.docs()[self.at]
    }

    /// The current passage's positions, shifted, into `out`.
    fn positions(&mut self, out: &mut Vec<u32>) {
        let freq = self.blocks.freqs()[self.at] as usize;
        out.clear();
        out.resize(freq, 0);
        if let Some(positions) = &mut self.positions {
            positions.read(self.before_block + self.before_at, &mut out[..]);
        }
        let mut position = self.shift;
        for delta in out.iter_mut() {
            position += *delta;
            *delta = position;
        }
    }
}

#[derive(Default)]
struct Buffers {
    left: Vec<u32>,
    right: Vec<u32>,
    left_slops: Vec<u8>,
    positions: Vec<u32>,
    slops: Vec<u8>,
}

struct BlockPhraseScorer {
    /// Rarest first: the first drives the intersection.
    cursors: Vec<Cursor>,
    /// The two words' pair, whose passages hold the phrase.
    adjacent: Option<Cursor>,
    doc: DocId,
    slop: u32,
    phrase_count: u32,
    bm25: Option<Bm25Weight>,
    fieldnorms: FieldNormReader,
    max_doc: DocId,
    buffers: Buffers,
}

impl BlockPhraseScorer {
    /// On the first match, as a scorer starts.
    fn start(mut self: Box<Self>) -> Box<BlockPhraseScorer> {
        let first = self.cursors[0].doc();
        self.doc = self.find(first);
        self
    }

    /// The phrase count can be no higher than the last term's frequency (each match of
    /// the position matching below uses one of its positions).
    fn count_bound(&self) -> u32 {
        let last = self.cursors.last().expect("two or more terms");
        last.blocks.freqs()[last.at]
    }

    /// The first passage from `candidate` on (the first cursor is there) holding every
    /// term.
    fn next_candidate(&mut self, mut candidate: DocId) -> DocId {
        'candidates: loop {
            if candidate == TERMINATED {
                return TERMINATED;
            }
            for i in 1..self.cursors.len() {
                let doc = self.cursors[i].seek(candidate);
                if doc > candidate {
                    candidate = self.cursors[0].seek(doc);
                    continue 'candidates;
                }
            }
            return candidate;
        }
    }

    /// The first passage from `candidate` on (the first cursor is there) holding the
    /// phrase.
    fn find(&mut self, mut candidate: DocId) -> DocId {
        loop {
            candidate = self.next_candidate(candidate);
            if candidate == TERMINATED || self.phrase_match() {
                return candidate;
            }
            candidate = self.cursors[0].advance();
        }
    }

    /// Whether the candidate holds the phrase, from the pair's postings when they have it.
    fn holds(&mut self) -> bool {
        if let Some(adjacent) = &mut self.adjacent {
            if adjacent.seek(self.cursors[0].doc()) == self.cursors[0].doc() {
                return true;
            }
        }
        self.phrase_exists()
    }

    fn phrase_match(&mut self) -> bool {
        if self.bm25.is_some() {
            self.phrase_count = self.phrase_count();
            self.phrase_count > 0
        } else {
            self.holds()
        }
    }

    /// The positions of all terms but the last intersected into `left` (with the slop each
    /// match has spent), the last term's in `right`.
    fn match_positions(&mut self) {
        let b = &mut self.buffers;
        let (slop, terms) = (self.slop, self.cursors.len());
        self.cursors[0].positions(&mut b.left);
        b.left_slops.clear();
        for i in 1..terms - 1 {
            self.cursors[i].positions(&mut b.right);
            // A middle term: three words or more.
            if slop > 0 {
                intersection_count_with_carrying_slop(
                    &mut b.left,
                    &mut b.left_slops,
                    &b.right,
                    slop,
                    true,
                    &mut b.positions,
                    &mut b.slops,
                );
            } else {
                intersection(&mut b.left, &b.right);
            }
            if b.left.is_empty() {
                return;
            }
        }
        self.cursors[terms - 1].positions(&mut b.right);
    }

    fn phrase_exists(&mut self) -> bool {
        if self.slop > 0 && self.cursors.len() > 2 {
            // tantivy's check would let the last gap spend the whole slop again (it drops
            // what the earlier gaps spent), so it finds passages that its count, and so
            // its ranking, does not: here a match is what the count counts.
            return self.phrase_count() > 0;
        }
        self.match_positions();
        let b = &self.buffers;
        if self.slop > 0 {
            intersection_exists_with_slop(&b.left, &b.right, self.slop)
        } else {
            intersection_exists(&b.left, &b.right)
        }
    }

    fn phrase_count(&mut self) -> u32 {
        self.match_positions();
        let b = &mut self.buffers;
        if self.slop == 0 {
            return intersection_count(&b.left, &b.right) as u32;
        }
        if self.cursors.len() > 2 {
            intersection_count_with_carrying_slop(
                &mut b.left,
                &mut b.left_slops,
                &b.right,
                self.slop,
                false,
                &mut b.positions,
                &mut b.slops,
            )
        } else {
            intersection_count_with_slop(&b.left, &b.right, self.slop) as u32
        }
    }
}

/// One segment's passages holding every term of a phrase, for a caller that ranks and
/// counts them itself: a passage's phrase is counted (for its score) only when its score
/// could matter, and otherwise only checked, from the pair's postings where it can be.
pub struct Candidates(Option<Box<BlockPhraseScorer>>);

impl Candidates {
    fn new(outcome: Outcome) -> Candidates {
        match outcome {
            Outcome::Scorer(mut scorer) => {
                let first = scorer.cursors[0].doc();
                scorer.doc = scorer.next_candidate(first);
                Candidates(Some(scorer))
            }
            Outcome::Empty => Candidates(None),
        }
    }

    pub fn doc(&self) -> DocId {
        self.0.as_ref().map_or(TERMINATED, |scorer| scorer.doc)
    }

    pub fn advance(&mut self) -> DocId {
        if let Some(scorer) = &mut self.0 {
            if scorer.doc != TERMINATED {
                let next = scorer.cursors[0].advance();
                scorer.doc = scorer.next_candidate(next);
            }
        }
        self.doc()
    }

    /// Whether the candidate holds the phrase, and its score when that could be above
    /// `floor`.
    pub fn check(&mut self, floor: Score) -> Check {
        let Some(scorer) = self.0.as_mut() else {
            return Check::Misses;
        };
        // Three words or more with slop: whether it holds is its count (see
        // `phrase_exists`), from which the score costs nothing more.
        let counted = scorer.slop > 0 && scorer.cursors.len() > 2;
        if counted || scorer.score_of(scorer.count_bound()) > floor {
            return match scorer.phrase_count() {
                0 => Check::Misses,
                count => Check::Scores(scorer.score_of(count)),
            };
        }
        if scorer.holds() {
            Check::Holds
        } else {
            Check::Misses
        }
    }
}

/// What [`Candidates::check`] found of a candidate.
pub enum Check {
    Misses,
    /// It holds the phrase, with a score no higher than the floor.
    Holds,
    Scores(Score),
}

impl DocSet for BlockPhraseScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let next = self.cursors[0].advance();
        self.doc = self.find(next);
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let next = self.cursors[0].seek(target);
        self.doc = self.find(next);
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    /// tantivy's phrase scorer's estimate, so that an intersection orders (and sums) its
    /// clauses as it would with tantivy's scorer.
    fn size_hint(&self) -> u32 {
        self.intersection_estimate() / (10 * self.cursors.len() as u32)
    }

    fn cost(&self) -> u64 {
        u64::from(self.intersection_estimate()) * 10 * self.cursors.len() as u64
    }
}

impl BlockPhraseScorer {
    /// tantivy's estimate of an intersection's size (`query/size_hint.rs`), over the terms'
    /// postings rarest first.
    fn intersection_estimate(&self) -> u32 {
        if self.max_doc == 0 {
            return 0;
        }
        let mut sizes = self.cursors.iter().map(|c| f64::from(c.blocks.doc_freq()));
        let Some(mut estimate) = sizes.next() else {
            return 0;
        };
        let (mut smallest, mut co_location) = (estimate, 1.3f64);
        for size in sizes {
            co_location = (co_location - 0.1).max(1.0);
            estimate *= (size / f64::from(self.max_doc)) * co_location;
            smallest = smallest.min(size);
        }
        estimate.round().min(smallest) as u32
    }

    fn score_of(&self, count: u32) -> Score {
        match &self.bm25 {
            Some(bm25) => bm25.score(self.fieldnorms.fieldnorm_id(self.doc), count),
            None => 1.0,
        }
    }
}

impl Scorer for BlockPhraseScorer {
    fn score(&mut self) -> Score {
        self.score_of(self.phrase_count)
    }
}

// Position matching, as tantivy 0.27's phrase scorer does it (`phrase_scorer.rs`, MIT).

fn intersection_exists(left: &[u32], right: &[u32]) -> bool {
    let (mut l, mut r) = (0, 0);
    while l < left.len() && r < right.len() {
        match left[l].cmp(&right[r]) {
            std::cmp::Ordering::Less => l += 1,
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Greater => r += 1,
        }
    }
    false
}

fn intersection_count(left: &[u32], right: &[u32]) -> usize {
    let (mut l, mut r, mut count) = (0, 0, 0);
    while l < left.len() && r < right.len() {
        match left[l].cmp(&right[r]) {
            std::cmp::Ordering::Less => l += 1,
            std::cmp::Ordering::Equal => {
                count += 1;
                l += 1;
                r += 1;
            }
            std::cmp::Ordering::Greater => r += 1,
        }
    }
    count
}

/// `left` becomes its intersection with `right`.
fn intersection(left: &mut Vec<u32>, right: &[u32]) {
    let (mut l, mut r, mut count) = (0, 0, 0);
    while l < left.len() && r < right.len() {
        match left[l].cmp(&right[r]) {
            std::cmp::Ordering::Less => l += 1,
            std::cmp::Ordering::Equal => {
                left[count] = left[l];
                count += 1;
                l += 1;
                r += 1;
            }
            std::cmp::Ordering::Greater => r += 1,
        }
    }
    left.truncate(count);
}

/// Pairs of positions at most `slop` apart (of two terms; tantivy's `update_left`, for a
/// middle term, is never needed: three terms or more carry their slop).
fn intersection_count_with_slop(left: &[u32], right: &[u32], slop: u32) -> usize {
    let (mut l, mut r, mut count) = (0, 0, 0);
    while l < left.len() && r < right.len() {
        let (left_val, right_val) = (left[l], right[r]);
        if left_val.abs_diff(right_val) <= slop {
            // A later left position may be closer.
            while l + 1 < left.len() && left[l + 1] <= right_val {
                l += 1;
            }
            count += 1;
            l += 1;
            r += 1;
        } else if left_val < right_val {
            l += 1;
        } else {
            r += 1;
        }
    }
    count
}

fn intersection_exists_with_slop(left: &[u32], right: &[u32], slop: u32) -> bool {
    let (mut l, mut r) = (0, 0);
    while l < left.len() && r < right.len() {
        let (left_val, right_val) = (left[l], right[r]);
        if left_val.abs_diff(right_val) <= slop {
            return true;
        } else if left_val < right_val {
            l += 1;
        } else {
            r += 1;
        }
    }
    false
}

/// Slop as a budget spent along a phrase of three or more terms: each left position carries
/// the slop spent to reach it. With `update_left`, `left` (and `left_slops`) become the
/// matched positions.
fn intersection_count_with_carrying_slop(
    left: &mut Vec<u32>,
    left_slops: &mut Vec<u8>,
    right: &[u32],
    max_slop: u32,
    update_left: bool,
    positions: &mut Vec<u32>,
    slops: &mut Vec<u8>,
) -> u32 {
    if left.is_empty() || right.is_empty() {
        if update_left {
            left.clear();
            left_slops.clear();
        }
        return 0;
    }
    let add = |(slop, position): (u8, u32), positions: &mut Vec<u32>, slops: &mut Vec<u8>| {
        if update_left {
            if positions.last() == Some(&position) {
                let last = slops.last_mut().expect("a slop per position");
                *last = (*last).min(slop);
            } else {
                positions.push(position);
                slops.push(slop);
            }
        }
    };
    let (mut l, mut r, mut count) = (0, 0, 0);
    loop {
        let left_val = left[l];
        let spent = left_slops.get(l).copied().unwrap_or(0);
        let right_val = right[r];
        let distance = u32::from(spent) + left_val.abs_diff(right_val);
        if distance <= max_slop {
            let (smaller, larger, mut smaller_at, smaller_side) = if left_val < right_val {
                (left_val, right_val, l, left.as_slice())
            } else {
                (right_val, left_val, r, right)
            };
            let mut new_slop = distance;
            add((new_slop as u8, smaller), positions, slops);
            while smaller_at + 1 < smaller_side.len() {
                let next = smaller_side[smaller_at + 1];
                if next > larger {
                    break;
                }
                smaller_at += 1;
                new_slop = u32::from(spent) + next.abs_diff(larger);
                add((new_slop as u8, next), positions, slops);
            }
            add((new_slop as u8, larger), positions, slops);
            count += 1;
            l += 1;
            r += 1;
        } else if left_val < right_val {
            l += 1;
        } else {
            r += 1;
        }
        if l >= left.len() || r >= right.len() {
            if l >= left.len() {
                let left_val = *left.last().expect("not empty");
                let spent = left_slops.last().copied().unwrap_or(0);
                for &right_val in &right[r..] {
                    let new_slop = left_val.abs_diff(right_val) + u32::from(spent);
                    if new_slop <= max_slop {
                        add((new_slop as u8, right_val), positions, slops);
                    }
                }
            } else {
                let right_val = *right.last().expect("not empty");
                for (at, &left_val) in left.iter().enumerate().skip(l) {
                    let spent = left_slops.get(at).copied().unwrap_or(0);
                    let new_slop = left_val.abs_diff(right_val) + u32::from(spent);
                    if new_slop <= max_slop {
                        add((new_slop as u8, left_val), positions, slops);
                    }
                }
            }
            break;
        }
    }
    if update_left {
        std::mem::swap(left, positions);
        std::mem::swap(left_slops, slops);
        positions.clear();
        slops.clear();
    }
    count
}
