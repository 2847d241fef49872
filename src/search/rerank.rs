//! The second stage of ranking: the first stage's window of candidates (BM25 on stems times
//! the length prior) re-scored with what only positions and exact forms tell — how much of
//! the query a passage holds, how close together, in the query's order, as the phrase, in
//! the forms typed. Only the window is read, one seek per candidate and term, in doc order.
//!
//! A candidate's score is its first-stage score divided by the window's best, plus the
//! weighted features, each between 0 and 1 (see [`Weights`] for how they were chosen).
//!
//! The forms typed are read last, from the stored text of the [`FINALISTS`] best (which the
//! page reads anyway): an index of every folded form only for this cost its build a
//! seventh of its time (see ARCHITECTURE.md, "Ranking").

use tantivy::postings::{Postings, SegmentPostings, TermInfo};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::{TokenFilter, TokenStream, Tokenizer};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use super::collect::Segments;
use crate::analysis::{AnalyzedToken, ArabicTokenizer, FoldFilter};
use crate::index::Fields;

/// How many of the best candidates are re-scored with the forms typed, read from their
/// stored text: the first page of ten, whose text the page reads anyway (20, two pages,
/// cost a common word 0.12 ms more a search at 1 GB and single-word HTTP throughput about a
/// fifth). Below them the order is the second stage's, so every page of a query agrees with
/// every other (no passage on two pages or on none).
pub const FINALISTS: usize = 10;

/// One word of the query as the second stage reads it: the stems it matches (on the
/// stemmed field, with positions) and the folded forms that are exact matches.
#[derive(Debug, Clone)]
pub struct Unit {
    stems: Vec<Term>,
    exact: Vec<String>,
    /// A function word: it counts for order and phrase, not for coverage or span.
    pub(super) stopword: bool,
}

impl Unit {
    pub(super) fn of(token: &AnalyzedToken, fields: &Fields) -> Unit {
        Unit {
            stems: token
                .stems
                .iter()
                .map(|s| Term::from_field_text(fields.text, s))
                .collect(),
            exact: vec![token.folded.clone()],
            stopword: false,
        }
    }

    /// One unit matching either word (`a OR b`).
    pub(super) fn or(mut self, other: Unit) -> Unit {
        self.stems.extend(other.stems);
        self.exact.extend(other.exact);
        self
    }
}

/// The units of a query, in the order typed.
#[derive(Debug, Clone, Default)]
pub struct QueryUnits(Vec<Unit>);

impl QueryUnits {
    pub(super) fn new(units: Vec<Unit>) -> QueryUnits {
        QueryUnits(units)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The second stage's window and the weights of its features.
///
/// Chosen on the development sets only (`tests/data/dev.json`'s known items and
/// `tests/data/dev_ranking.json`) by the grid search of `examples/rank_tune.rs`: of the
/// settings with the best figures, the one whose grid neighbours are all as good, with the
/// widest margin (ARCHITECTURE.md, "Ranking"). The window is the grid's smallest, 100: it
/// ranks both sets as 200 does, and a first stage of fewer candidates prunes more.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// How many first-stage candidates are re-scored (at least the page asked for).
    pub window: usize,
    /// What each feature adds at its fullest.
    pub features: Features,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            window: 100,
            features: Features {
                coverage: 3.0,
                proximity: 0.5,
                order: 0.5,
                phrase: 0.5,
                exact: 0.25,
                lead: 0.5,
            },
        }
    }
}

/// What the second stage reads of one candidate, each between 0 and 1 (or their weights).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Features {
    /// Share of the query's content words present, weighted by their idf.
    pub coverage: Score,
    /// The content words present, close together: the smallest span holding them all.
    pub proximity: Score,
    /// Neighbouring query words found in the query's order, a few words apart at most.
    pub order: Score,
    /// The longest run of query words found as a phrase, in order, word after word.
    pub phrase: Score,
    /// Share of the content words present in the form typed (folded, unstemmed).
    pub exact: Score,
    /// Share of the content words present in the passage's opening words, where its heading
    /// or the subject of a numbered paragraph stands.
    pub lead: Score,
}

impl Features {
    /// The weighted sum of the features.
    fn score(&self, weights: &Features) -> Score {
        weights.coverage * self.coverage
            + weights.proximity * self.proximity
            + weights.order * self.order
            + weights.phrase * self.phrase
            + weights.exact * self.exact
            + weights.lead * self.lead
    }
}

/// Most words apart two neighbouring query words may be and still count as in order.
const ORDER_GAP: u32 = 3;
/// How many words open a passage, for [`Features::lead`]: a heading, or a paragraph's
/// number and its first clause.
const LEAD_WORDS: u32 = 10;

/// One candidate's matches: per unit, its sorted positions and whether an exact form is
/// there.
pub struct Matches<'a> {
    pub positions: &'a [Vec<u32>],
    pub exact: &'a [bool],
}

/// The features of a passage from its matches; `idf` and `stopword` are per unit.
pub fn features(matches: &Matches, idf: &[Score], stopword: &[bool]) -> Features {
    let n = matches.positions.len();
    if n == 0 {
        return Features::default();
    }
    let (content, total) = content_words(idf, stopword);
    let content = |u: usize| content[u];
    let present = |u: usize| !matches.positions[u].is_empty();
    let share = |keep: &dyn Fn(usize) -> bool| -> Score {
        if total <= 0.0 {
            return 0.0;
        }
        (0..n)
            .filter(|&u| content(u) && keep(u))
            .map(|u| idf[u])
            .sum::<Score>()
            / total
    };
    let coverage = share(&present);
    let exact = share(&|u| present(u) && matches.exact[u]);
    let lead = share(&|u| {
        matches.positions[u]
            .first()
            .is_some_and(|&p| p < LEAD_WORDS)
    });

    let found: Vec<usize> = (0..n).filter(|&u| content(u) && present(u)).collect();
    let words = (0..n).filter(|&u| content(u)).count();
    let proximity = if found.len() >= 2 {
        let span = smallest_span(
            &found
                .iter()
                .map(|&u| &matches.positions[u][..])
                .collect::<Vec<_>>(),
        );
        let k = found.len() as Score;
        (k - 1.0) / (words as Score - 1.0) * (k / span as Score)
    } else {
        0.0
    };

    let (order, phrase) = if n >= 2 {
        let pairs = matches
            .positions
            .windows(2)
            .filter(|w| in_order(&w[0], &w[1], ORDER_GAP))
            .count();
        let run = longest_run(matches.positions);
        (
            pairs as Score / (n - 1) as Score,
            (run.max(1) - 1) as Score / (n - 1) as Score,
        )
    } else {
        (0.0, 0.0)
    };
    Features {
        coverage,
        proximity,
        order,
        phrase,
        exact,
        lead,
    }
}

/// Which units are content words, and the sum of their idf, which the shares of the
/// features divide by. A query of function words alone is taken at its word.
fn content_words(idf: &[Score], stopword: &[bool]) -> (Vec<bool>, Score) {
    let all_stopwords = stopword.iter().all(|&s| s);
    let content: Vec<bool> = stopword.iter().map(|&s| all_stopwords || !s).collect();
    let total = idf
        .iter()
        .zip(&content)
        .filter(|(_, &c)| c)
        .map(|(idf, _)| idf)
        .sum();
    (content, total)
}

/// The fewest consecutive positions holding a position of every list (all non-empty).
fn smallest_span(lists: &[&[u32]]) -> u32 {
    let mut merged: Vec<(u32, usize)> = lists
        .iter()
        .enumerate()
        .flat_map(|(i, list)| list.iter().map(move |&p| (p, i)))
        .collect();
    merged.sort_unstable();
    let mut seen = vec![0usize; lists.len()];
    let (mut distinct, mut start, mut best) = (0, 0, u32::MAX);
    for end in 0..merged.len() {
        let list = merged[end].1;
        seen[list] += 1;
        if seen[list] == 1 {
            distinct += 1;
        }
        while distinct == lists.len() {
            best = best.min(merged[end].0 - merged[start].0 + 1);
            let first = merged[start].1;
            seen[first] -= 1;
            if seen[first] == 0 {
                distinct -= 1;
            }
            start += 1;
        }
    }
    best
}

/// Whether some position of `second` follows one of `first` by 1 to `gap` words.
fn in_order(first: &[u32], second: &[u32], gap: u32) -> bool {
    let mut j = 0;
    for &p in first {
        while j < second.len() && second[j] <= p {
            j += 1;
        }
        if j < second.len() && second[j] - p <= gap {
            return true;
        }
    }
    false
}

/// The most consecutive units found at consecutive positions, in order.
fn longest_run(positions: &[Vec<u32>]) -> usize {
    let mut best = 0;
    // For each position of the previous unit, the run ending there.
    let mut previous: Vec<(u32, usize)> = Vec::new();
    for list in positions {
        let current: Vec<(u32, usize)> = list
            .iter()
            .map(|&p| {
                let before = p
                    .checked_sub(1)
                    .and_then(|q| previous.binary_search_by_key(&q, |&(pos, _)| pos).ok())
                    .map_or(0, |i| previous[i].1);
                (p, before + 1)
            })
            .collect();
        best = current
            .iter()
            .map(|&(_, run)| run)
            .max()
            .unwrap_or(0)
            .max(best);
        previous = current;
    }
    best
}

/// Where the units' stems are in one segment: per unit and stem, its term info (`None`
/// where the segment lacks the term).
struct SegmentTerms {
    stems: Vec<Vec<Option<TermInfo>>>,
}

fn lookup(reader: &SegmentReader, terms: &[Term]) -> tantivy::Result<Vec<Option<TermInfo>>> {
    terms
        .iter()
        .map(|term| Ok(reader.inverted_index(term.field())?.get_term_info(term)?))
        .collect()
}

fn open(
    reader: &SegmentReader,
    terms: &[Term],
    infos: &[Option<TermInfo>],
    record: IndexRecordOption,
) -> tantivy::Result<Vec<SegmentPostings>> {
    let mut postings = Vec::new();
    for (term, info) in terms.iter().zip(infos) {
        if let Some(info) = info {
            let index = reader.inverted_index(term.field())?;
            postings.push(index.read_postings_from_terminfo(info, record)?);
        }
    }
    Ok(postings)
}

/// BM25's inverse document frequency of each unit, from its most frequent stem.
fn idf(segments: &Segments, units: &[Unit], terms: &[SegmentTerms]) -> Vec<Score> {
    let n = segments.searcher.num_docs() as Score;
    (0..units.len())
        .map(|u| {
            let df = (0..units[u].stems.len())
                .map(|s| {
                    terms
                        .iter()
                        .filter_map(|t| t.stems[u][s].as_ref())
                        .map(|info| u64::from(info.doc_freq))
                        .sum::<u64>()
                })
                .max()
                .unwrap_or(0) as Score;
            (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
        })
        .collect()
}

/// The second stage's ranking of a window, and what its last step needs of the query.
pub struct Reranked {
    /// The window best first (ties: corpus order), the forms typed not yet read.
    pub ranked: Vec<(Score, DocAddress)>,
    pub forms: TypedForms,
}

/// Re-scores `candidates` (first-stage scores) and returns them best first (ties: corpus
/// order), with everything but the forms typed ([`TypedForms::finish`] adds those).
pub fn rerank(
    segments: &Segments,
    units: &QueryUnits,
    mut candidates: Vec<(Score, DocAddress)>,
    weights: &Weights,
) -> tantivy::Result<Reranked> {
    let units = &units.0;
    if units.is_empty() || candidates.is_empty() {
        return Ok(Reranked {
            ranked: candidates,
            forms: TypedForms::default(),
        });
    }
    // Each stem is looked up once per segment: for its idf, then to read its postings.
    let readers = segments.searcher.segment_readers();
    let terms = readers
        .iter()
        .map(|reader| {
            Ok(SegmentTerms {
                stems: units
                    .iter()
                    .map(|u| lookup(reader, &u.stems))
                    .collect::<tantivy::Result<_>>()?,
            })
        })
        .collect::<tantivy::Result<Vec<SegmentTerms>>>()?;
    let idf = idf(segments, units, &terms);
    let stopword: Vec<bool> = units.iter().map(|u| u.stopword).collect();
    let best = candidates
        .iter()
        .map(|c| c.0)
        .fold(Score::MIN, Score::max)
        .max(Score::MIN_POSITIVE);
    candidates.sort_by_key(|c| c.1);
    let mut positions: Vec<Vec<u32>> = vec![Vec::new(); units.len()];
    let exact = vec![false; units.len()];
    let mut start = 0;
    while start < candidates.len() {
        let ord = candidates[start].1.segment_ord;
        let end = start + candidates[start..].partition_point(|c| c.1.segment_ord == ord);
        let reader = &readers[ord as usize];
        let here = &terms[ord as usize];
        let with_positions = IndexRecordOption::WithFreqsAndPositions;
        let mut stems = units
            .iter()
            .enumerate()
            .map(|(u, unit)| open(reader, &unit.stems, &here.stems[u], with_positions))
            .collect::<tantivy::Result<Vec<_>>>()?;
        for candidate in &mut candidates[start..end] {
            let doc = candidate.1.doc_id;
            for u in 0..units.len() {
                positions[u].clear();
                for postings in &mut stems[u] {
                    if advance(postings, doc) {
                        postings.append_positions_with_offset(0, &mut positions[u]);
                    }
                }
                if stems[u].len() > 1 {
                    positions[u].sort_unstable();
                    positions[u].dedup();
                }
            }
            let matches = Matches {
                positions: &positions,
                exact: &exact,
            };
            let features = features(&matches, &idf, &stopword);
            candidate.0 = candidate.0 / best + features.score(&weights.features);
        }
        start = end;
    }
    segments.sort_best_first(&mut candidates);
    Ok(Reranked {
        ranked: candidates,
        forms: TypedForms::new(units, &idf, &stopword, weights.features.exact),
    })
}

/// The forms the query's words were typed in, folded, and what finding each adds to a
/// passage's score: the `exact` weight times the word's share of the content words' idf
/// (as [`features`] weighs `exact`). A passage holding a form holds its word, so the form
/// alone decides.
#[derive(Debug, Clone, Default)]
pub struct TypedForms {
    /// Per unit: its folded forms, and what finding one of them adds.
    units: Vec<(Vec<String>, Score)>,
}

impl TypedForms {
    fn new(units: &[Unit], idf: &[Score], stopword: &[bool], weight: Score) -> TypedForms {
        let (content, total) = content_words(idf, stopword);
        let units = units
            .iter()
            .enumerate()
            .filter(|&(u, _)| content[u] && total > 0.0 && weight > 0.0)
            .map(|(u, unit)| (unit.exact.clone(), weight * idf[u] / total))
            .collect();
        TypedForms { units }
    }

    /// What the forms typed that `text` holds add to its score.
    pub fn bonus(&self, text: &str) -> Score {
        if self.units.is_empty() {
            return 0.0;
        }
        let mut found = vec![false; self.units.len()];
        let mut words = FoldFilter.transform(ArabicTokenizer::default());
        let mut stream = words.token_stream(text);
        while stream.advance() {
            let word = &stream.token().text;
            for (u, (forms, _)) in self.units.iter().enumerate() {
                found[u] |= forms.iter().any(|form| form == word);
            }
        }
        self.units
            .iter()
            .zip(found)
            .filter(|(_, found)| *found)
            .map(|((_, add), _)| add)
            .sum()
    }

    /// Adds to the first [`FINALISTS`] of `ranked` what their texts (`text_of`, read once
    /// each, in rank order) hold of the forms typed, and sorts them again; the rest keep
    /// their place, which no finalist can fall below (a bonus is never negative).
    pub fn finish<E>(
        &self,
        segments: &Segments,
        ranked: &mut [(Score, DocAddress)],
        mut text_of: impl FnMut(DocAddress) -> Result<String, E>,
    ) -> Result<(), E> {
        if self.units.is_empty() {
            return Ok(());
        }
        let finalists = ranked.len().min(FINALISTS);
        let finalists = &mut ranked[..finalists];
        for (score, address) in finalists.iter_mut() {
            *score += self.bonus(&text_of(*address)?);
        }
        segments.sort_best_first(finalists);
        Ok(())
    }
}

/// Moves `postings` to `doc` if it holds it; docs are asked in increasing order.
fn advance(postings: &mut SegmentPostings, doc: DocId) -> bool {
    let current = postings.doc();
    let at = if current < doc && current != TERMINATED {
        postings.seek(doc)
    } else {
        current
    };
    at == doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_typed_add_their_words_share_of_the_weight() {
        let unit = |form: &str, stopword| Unit {
            stems: Vec::new(),
            exact: vec![form.to_owned()],
            stopword,
        };
        let units = [
            unit("الاجتماع", false),
            unit("السادس", false),
            unit("في", true),
        ];
        let (idf, stopword) = ([1.0, 3.0, 0.1], [false, false, true]);
        let forms = TypedForms::new(&units, &idf, &stopword, 0.5);
        // Another form of a word adds nothing; a function word never counts.
        assert_eq!(
            forms.bonus("عقد الفريق اجتماعه السادس في فيينا"),
            0.5 * 3.0 / 4.0
        );
        // Forms are compared folded: diacritics and tatweel do not hide a form.
        assert_eq!(forms.bonus("الاجتمـاعُ السادس"), 0.5);
        assert_eq!(forms.bonus("اجتماعات"), 0.0);
        let unweighted = TypedForms::new(&units, &idf, &stopword, 0.0);
        assert_eq!(unweighted.bonus("الاجتماع السادس"), 0.0);
    }

    fn of(positions: &[&[u32]], exact: &[bool]) -> Features {
        let positions: Vec<Vec<u32>> = positions.iter().map(|p| p.to_vec()).collect();
        let n = positions.len();
        features(
            &Matches {
                positions: &positions,
                exact,
            },
            &vec![1.0; n],
            &vec![false; n],
        )
    }

    #[test]
    fn a_passage_with_the_words_together_and_in_order_scores_highest() {
        let together = of(&[&[4], &[5], &[6]], &[true; 3]);
        assert_eq!(together.coverage, 1.0);
        assert_eq!(together.proximity, 1.0);
        assert_eq!(together.order, 1.0);
        assert_eq!(together.phrase, 1.0);
        assert_eq!(together.exact, 1.0);
        assert_eq!(together.lead, 1.0);
        let apart = of(&[&[4], &[20], &[40]], &[true; 3]);
        assert_eq!(apart.coverage, 1.0);
        assert!((apart.lead - 1.0 / 3.0).abs() < 1e-6);
        assert!(apart.proximity < 0.1);
        assert_eq!((apart.order, apart.phrase), (0.0, 0.0));
        let reversed = of(&[&[6], &[5], &[4]], &[true; 3]);
        assert_eq!(reversed.proximity, 1.0);
        assert_eq!((reversed.order, reversed.phrase), (0.0, 0.0));
        let partial = of(&[&[4], &[], &[5]], &[true, false, false]);
        assert!((partial.coverage - 2.0 / 3.0).abs() < 1e-6);
        assert!((partial.exact - 1.0 / 3.0).abs() < 1e-6);
        assert!(partial.proximity < together.proximity);
    }

    #[test]
    fn function_words_count_for_order_not_for_coverage() {
        let positions = vec![vec![3], vec![], vec![4]];
        let stopword = [false, true, false];
        let f = features(
            &Matches {
                positions: &positions,
                exact: &[true, false, true],
            },
            &[2.0, 0.1, 2.0],
            &stopword,
        );
        assert_eq!(f.coverage, 1.0);
        assert_eq!(f.proximity, 1.0);
        assert_eq!(f.order, 0.0);
    }

    #[test]
    fn spans_runs_and_order_read_positions() {
        assert_eq!(smallest_span(&[&[1, 10], &[12], &[3, 11]]), 3);
        assert_eq!(smallest_span(&[&[7], &[7]]), 1);
        assert_eq!(longest_run(&[vec![1, 8], vec![9], vec![10], vec![2]]), 3);
        assert_eq!(longest_run(&[vec![], vec![9]]), 1);
        assert!(in_order(&[1, 20], &[22], 3));
        assert!(!in_order(&[5], &[5, 9], 3));
    }
}
