//! Turning a parsed query into the first stage's tantivy queries and the second stage's
//! units: each word and phrase is analyzed exactly as the passages were and matched on the
//! stemmed field; the second stage ([`super::rerank`]) reads exact forms and positions.

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query,
    RegexPhraseQuery, RegexQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{Score, Term};

use std::sync::Arc;

use super::collect::Segments;
use super::phrase::{BlockPhrase, PositionFiles};
use super::query::{Clause, Filter, ParsedQuery};
use super::rerank::{QueryUnits, Unit};
use super::sessions::SessionRuns;
pub use super::snippet::Marks;
use crate::analysis::{self, AnalyzedToken};
use crate::index::Fields;

/// Weight of a stem found by stripping an ambiguous one-letter proclitic (و ف ب ك ل).
const ALTERNATIVE_STEM_BOOST: f32 = 0.5;

/// Passages shorter than this many words are ranked down: BM25 favours short fields, and
/// a stray line left between blank lines by PDF extraction ("الجريمة المنظمة.") would
/// otherwise outrank the paragraphs that discuss the subject.
pub const SHORT_PASSAGE_WORDS: u64 = 8;

/// The factor a passage's score is multiplied by: 1 from `SHORT_PASSAGE_WORDS` words on.
pub fn length_prior(words: u64) -> f32 {
    (words as f32 / SHORT_PASSAGE_WORDS as f32).min(1.0).sqrt()
}

/// Folded forms of function words that are optional in a bag-of-words query. They stay in
/// the index, and in phrases, where "المادة 18 من الاتفاقية" must match exactly.
const STOPWORDS: &[&str] = &[
    "من",
    "في",
    "على",
    "الى",
    "عن",
    "مع",
    "ان",
    "او",
    "ثم",
    "التي",
    "الذي",
    "الذين",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "ما",
    "لا",
    "قد",
    "كل",
    "بين",
    "حول",
    "عند",
    "لدى",
    "و",
    "هو",
    "هي",
    "كما",
    "اي",
    "بعد",
    "قبل",
    "منذ",
    "حتى",
    "اذا",
    "لم",
    "لن",
    "به",
    "بها",
    "له",
    "لها",
    "فيه",
    "فيها",
    "عليه",
    "عليها",
    "منه",
    "منها",
    "الا",
    "بشان",
];

/// The query that ranks, the query that counts, and the query whose terms are highlighted
/// (its positive part).
pub struct Plan {
    pub query: Box<dyn Query>,
    /// Matches exactly the passages `query` matches, without the clauses that only add to
    /// the score (words beside a phrase) or frequencies, so that counting is cheap: a
    /// single word's count is its stem's document frequency, read from the term dictionary.
    pub count: Box<dyn Query>,
    pub highlight: Box<dyn Query>,
    /// Which words a snippet marks: phrases only where the whole phrase occurs.
    pub marks: Marks,
    /// The terms of `query` when it is a union of terms (empty otherwise): a single term
    /// ranks with block-WAND and is counted apart, straight from its blocks of postings
    /// (see [`super::collect`]).
    pub union_terms: Vec<Term>,
    /// When `query` is a union of several words' stems: the passages with every word,
    /// scored as `query` scores them. Where they fill the first stage's window, the window
    /// is theirs (see [`super::collect::first_stage`]).
    pub every_word: Option<Box<dyn Query>>,
    /// The query's words in order, for the second stage.
    pub units: QueryUnits,
}

/// A clause of the query twice: as it ranks, and as it matches.
struct Both {
    ranked: Box<dyn Query>,
    matched: Box<dyn Query>,
    /// Both trees are unions of these terms (a single word); empty for any other query.
    union_terms: Vec<Term>,
}

impl Both {
    fn same(query: Box<dyn Query>) -> Both {
        Both {
            matched: query.box_clone(),
            ranked: query,
            union_terms: Vec::new(),
        }
    }

    /// A union of weighted terms: ranked with their weights and frequencies, matched
    /// without either (a single term's count is its document frequency).
    fn terms(terms: &[(Term, Score)]) -> Both {
        let union = |record, weighted: bool| -> Box<dyn Query> {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = terms
                .iter()
                .map(|(term, weight)| {
                    let query: Box<dyn Query> = Box::new(TermQuery::new(term.clone(), record));
                    let query = if weighted && *weight != 1.0 {
                        Box::new(BoostQuery::new(query, *weight))
                    } else {
                        query
                    };
                    (Occur::Should, query)
                })
                .collect();
            match clauses.len() {
                1 => clauses.pop().expect("one term").1,
                _ => Box::new(BooleanQuery::new(clauses)),
            }
        };
        Both {
            ranked: union(IndexRecordOption::WithFreqs, true),
            matched: union(IndexRecordOption::Basic, false),
            union_terms: terms.iter().map(|(term, _)| term.clone()).collect(),
        }
    }
}

/// A bare word of the query: its weighted stems (a union of terms), or, for alternatives
/// (`a OR "b c"`), any query.
enum Word {
    Terms(Vec<(Term, Score)>),
    Other(Both),
}

/// A boolean query of `clauses`, or the one clause itself when it alone must match: a
/// flat query lets tantivy skip blocks of postings that cannot reach the top (block-WAND).
fn boolean(mut clauses: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    if clauses.len() == 1 && clauses[0].0 == Occur::Must {
        return clauses.pop().expect("one clause").1;
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Builds the ranked and the matching tree from the same clauses.
fn both_boolean(clauses: Vec<(Occur, Both)>) -> Both {
    let (ranked, matched) = clauses
        .into_iter()
        .map(|(occur, both)| ((occur, both.ranked), (occur, both.matched)))
        .unzip();
    Both {
        ranked: boolean(ranked),
        matched: boolean(matched),
        union_terms: Vec::new(),
    }
}

pub fn plan(parsed: &ParsedQuery, fields: &Fields) -> Result<Plan, String> {
    plan_in(parsed, fields, None)
}

/// [`plan`], with session filters as the runs of passages of `segments` (see
/// [`super::sessions`]).
pub fn plan_for(
    parsed: &ParsedQuery,
    fields: &Fields,
    segments: &Segments,
) -> Result<Plan, String> {
    plan_in(parsed, fields, Some(segments))
}

fn plan_in(
    parsed: &ParsedQuery,
    fields: &Fields,
    segments: Option<&Segments>,
) -> Result<Plan, String> {
    let positions = segments.map(Segments::positions);
    let mut words: Vec<Word> = Vec::new();
    let mut stopwords: Vec<Word> = Vec::new();
    let mut phrases: Vec<Both> = Vec::new();
    let mut highlight = Vec::new();
    let mut marks = Marks::default();
    let mut units = Vec::new();
    for group in &parsed.groups {
        let mut alternatives = Vec::new();
        let mut group_units = Vec::new();
        for clause in group {
            let (tokens, slop) = analyze_clause(clause);
            highlight.extend(highlight_terms(&tokens, fields));
            marks.add(&tokens, slop);
            group_units.push(
                tokens
                    .iter()
                    .map(|t| Unit::of(t, fields))
                    .collect::<Vec<_>>(),
            );
            if let Some(query) = clause_query(&tokens, slop, fields, positions) {
                alternatives.push(query);
            }
        }
        let stopword = group.len() == 1 && is_stopword(&group[0]);
        units.extend(group_units_in_order(group_units, stopword));
        let word = match alternatives.len() {
            0 => continue,
            1 => alternatives.pop().expect("one alternative"),
            _ => Word::Other(both_boolean(
                alternatives
                    .into_iter()
                    .map(|a| (Occur::Should, a.into_both()))
                    .collect(),
            )),
        };
        if matches!(group.as_slice(), [Clause::Phrase { .. }]) {
            phrases.push(word.into_both());
        } else if stopword {
            stopwords.push(word);
        } else {
            words.push(word);
        }
    }
    if !parsed.groups.is_empty() && words.is_empty() && stopwords.is_empty() && phrases.is_empty() {
        return Err("the query has no searchable words (only punctuation?)".into());
    }
    // A query of stopwords alone is taken at its word: they become the words.
    if words.is_empty() && phrases.is_empty() {
        words = std::mem::take(&mut stopwords);
    }

    let mut clauses: Vec<(Occur, Both)> = Vec::new();
    // Quoted phrases must match; bare words match when any of them does, and rank by how
    // many and how well (the second stage), so a passage missing a word ranks lower instead
    // of dropping out.
    for phrase in phrases {
        clauses.push((Occur::Must, phrase));
    }
    let required_words = clauses.is_empty();
    let mut ranked_only = Vec::new();
    let every_word = every_word(&words);
    if !words.is_empty() {
        let union = union_of(words);
        if required_words {
            clauses.push((Occur::Must, union));
        } else {
            ranked_only.push((Occur::Should, union.ranked));
        }
    }
    if clauses.is_empty() {
        clauses.push((
            Occur::Must,
            Both::same(Box::new(ConstScoreQuery::new(Box::new(AllQuery), 1.0))),
        ));
    }
    for filter in filter_groups(&parsed.filters, fields, segments) {
        clauses.push((
            Occur::Must,
            Both::same(Box::new(ConstScoreQuery::new(filter, 0.0))),
        ));
    }
    for filter in &parsed.excluded_filters {
        clauses.push((
            Occur::MustNot,
            Both::same(filter_query(filter, fields, segments)),
        ));
    }
    for clause in &parsed.excluded {
        let (tokens, slop) = analyze_clause(clause);
        if let Some(query) = clause_query(&tokens, slop, fields, positions) {
            // What the word would find is excluded, exact forms or not.
            clauses.push((Occur::MustNot, Both::same(query.into_both().matched)));
        }
    }
    let union_terms = match clauses.as_slice() {
        [(Occur::Must, only)] if ranked_only.is_empty() => only.union_terms.clone(),
        _ => Vec::new(),
    };
    let every_word = every_word.filter(|_| !union_terms.is_empty());
    let (mut ranked, matched): (Vec<_>, Vec<_>) = clauses
        .into_iter()
        .map(|(occur, both)| ((occur, both.ranked), (occur, both.matched)))
        .unzip();
    ranked.extend(ranked_only);
    Ok(Plan {
        query: boolean(ranked),
        count: boolean(matched),
        highlight: Box::new(BooleanQuery::new(highlight)),
        marks,
        union_terms,
        every_word,
        units: QueryUnits::new(units),
    })
}

/// The passages holding every one of several words, ranked as the union ranks them (each
/// word its stems, weighted alike), or `None` for fewer than two words or words that are
/// phrases or alternatives.
fn every_word(words: &[Word]) -> Option<Box<dyn Query>> {
    if words.len() < 2 {
        return None;
    }
    let clauses = words
        .iter()
        .map(|word| match word {
            Word::Terms(terms) => Some((Occur::Must, Both::terms(terms).ranked)),
            Word::Other(_) => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// The units of a group for the second stage: each token of its one clause, or, for
/// alternatives of single words (`a OR b`), one unit matching any of them. Alternatives
/// that are phrases have no unit: they match, but no position feature reads them.
fn group_units_in_order(mut clauses: Vec<Vec<Unit>>, stopword: bool) -> Vec<Unit> {
    let mut units = if clauses.len() == 1 {
        clauses.pop().expect("one clause")
    } else if clauses.iter().all(|c| c.len() == 1) {
        vec![clauses
            .into_iter()
            .flatten()
            .reduce(Unit::or)
            .expect("alternatives")]
    } else {
        Vec::new()
    };
    if stopword {
        units.iter_mut().for_each(|u| u.stopword = true);
    }
    units
}

/// The words of a query as one match: a passage with any of them. The stems of all words
/// make one flat union of terms, so that block-WAND applies (one posting list per stem).
fn union_of(words: Vec<Word>) -> Both {
    let mut terms = Vec::new();
    let mut others = Vec::new();
    for word in words {
        match word {
            Word::Terms(t) => terms.extend(t),
            Word::Other(both) => others.push((Occur::Should, both)),
        }
    }
    if others.is_empty() {
        return Both::terms(&terms);
    }
    if !terms.is_empty() {
        others.push((Occur::Should, Both::terms(&terms)));
    }
    both_boolean(others)
}

impl Word {
    fn into_both(self) -> Both {
        match self {
            Word::Terms(terms) => Both::terms(&terms),
            Word::Other(both) => both,
        }
    }
}

fn is_stopword(clause: &Clause) -> bool {
    match clause {
        Clause::Word(word) => STOPWORDS.contains(&analysis::fold(word).as_str()),
        Clause::Phrase { .. } => false,
    }
}

/// The tokens of a word or phrase, and the phrase's slop.
fn analyze_clause(clause: &Clause) -> (Vec<AnalyzedToken>, u32) {
    match clause {
        Clause::Word(word) => (analysis::analyze(word), 0),
        Clause::Phrase { text, slop } => (analysis::analyze(text), *slop),
    }
}

/// A word is one analyzed token (or a phrase, when the analyzer splits it, like `و17`).
fn clause_query(
    tokens: &[AnalyzedToken],
    slop: u32,
    fields: &Fields,
    positions: Option<&PositionFiles>,
) -> Option<Word> {
    match tokens {
        [] => None,
        [token] => Some(Word::Terms(stem_terms(token, fields))),
        _ => Some(Word::Other(phrase_query(tokens, slop, fields, positions))),
    }
}

/// Every stem of every token, so the snippet marks each word wherever it matched.
fn highlight_terms<'a>(
    tokens: &'a [AnalyzedToken],
    fields: &'a Fields,
) -> impl Iterator<Item = (Occur, Box<dyn Query>)> + 'a {
    tokens.iter().flat_map(|t| &t.stems).map(|stem| {
        let term = Term::from_field_text(fields.text, stem);
        let query: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
        (Occur::Should, query)
    })
}

/// A word matches any of its stems, an alternative stem (after an ambiguous proclitic)
/// weighing less. Its exact form is not searched: the second stage reads it.
fn stem_terms(token: &AnalyzedToken, fields: &Fields) -> Vec<(Term, Score)> {
    token
        .stems
        .iter()
        .enumerate()
        .map(|(i, stem)| {
            let weight = if i == 0 { 1.0 } else { ALTERNATIVE_STEM_BOOST };
            (Term::from_field_text(fields.text, stem), weight)
        })
        .collect()
}

/// A phrase matches on stems (so clitics and light suffixes still match). The index holds
/// every stem candidate of a word at its position, so a position of the phrase matches any
/// candidate of the query's word: `لتعزيز التعاون` finds `تعزيز التعاون`, and `تعزيز التعاون`
/// finds `لتعزيز التعاون`. With the segments' `positions`, a phrase of single stems walks
/// their blocks where they are frequent (see [`super::phrase`]).
fn phrase_query(
    tokens: &[AnalyzedToken],
    slop: u32,
    fields: &Fields,
    positions: Option<&PositionFiles>,
) -> Both {
    if let Some(pairs) = pair_phrase(tokens, slop, fields) {
        return pairs;
    }
    let first = tokens[0].position;
    let stemmed: Box<dyn Query> = if tokens.iter().all(|t| t.stems.len() == 1) {
        let terms = tokens
            .iter()
            .map(|t| {
                (
                    t.position - first,
                    Term::from_field_text(fields.text, &t.stems[0]),
                )
            })
            .collect();
        match positions {
            Some(positions) => {
                let phrase = BlockPhrase::new(terms, slop, Arc::clone(positions));
                Box::new(match adjacent_pair(tokens, fields) {
                    Some(pair) => phrase.with_adjacent(pair),
                    None => phrase,
                })
            }
            None => Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop)),
        }
    } else {
        let alternations = tokens
            .iter()
            .map(|t| {
                let stems: Vec<String> = t.stems.iter().map(|s| regex::escape(s)).collect();
                (t.position - first, stems.join("|"))
            })
            .collect();
        Box::new(RegexPhraseQuery::new_with_offset_and_slop(
            fields.text,
            alternations,
            slop,
        ))
    };
    Both {
        union_terms: Vec::new(),
        matched: stemmed.box_clone(),
        ranked: stemmed,
    }
}

/// A word with one stem, common enough for its pairs to be indexed.
fn common(token: &AnalyzedToken) -> bool {
    token.stems.len() == 1 && analysis::is_common(&token.stems[0])
}

/// The pair term of two neighbouring words with one common stem each.
fn adjacent_pair(tokens: &[AnalyzedToken], fields: &Fields) -> Option<Term> {
    match tokens {
        [a, b] if b.position == a.position + 1 && common(a) && common(b) => Some(
            Term::from_field_text(fields.pairs, &analysis::stem_pair(&a.stems[0], &b.stems[0])),
        ),
        _ => None,
    }
}

/// A phrase of common words, searched through its pairs (see `analysis::PairFilter`): the
/// same passages as the stemmed phrase, found without comparing the positions of frequent
/// words. Two words are one term, which counts from the term dictionary and ranks with
/// block-WAND. A longer phrase is the stemmed phrase within the passages holding all its
/// pairs: the pairs are indexed without positions (theirs cost a build 4–11 % of its time),
/// so the stems' positions say where they follow one another, read only in passages whose
/// pairs, rarer than any of the words, all agree. Only for exact order (no slop) and words
/// with a single stem.
fn pair_phrase(tokens: &[AnalyzedToken], slop: u32, fields: &Fields) -> Option<Both> {
    let neighbours = tokens
        .windows(2)
        .all(|w| w[1].position == w[0].position + 1);
    if slop != 0 || tokens.len() < 2 || !neighbours || !tokens.iter().all(common) {
        return None;
    }
    let pairs: Vec<Term> = tokens
        .windows(2)
        .map(|w| {
            let pair = analysis::stem_pair(&w[0].stems[0], &w[1].stems[0]);
            Term::from_field_text(fields.pairs, &pair)
        })
        .collect();
    if let [pair] = pairs.as_slice() {
        let term = |record| -> Box<dyn Query> { Box::new(TermQuery::new(pair.clone(), record)) };
        return Some(Both {
            union_terms: vec![pair.clone()],
            matched: term(IndexRecordOption::Basic),
            ranked: term(IndexRecordOption::WithFreqs),
        });
    }
    let first = tokens[0].position;
    let stems = tokens
        .iter()
        .map(|t| {
            (
                t.position - first,
                Term::from_field_text(fields.text, &t.stems[0]),
            )
        })
        .collect();
    // The phrase scores; the pairs only narrow where it is looked for.
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, Box::new(PhraseQuery::new_with_offset(stems)))];
    clauses.extend(pairs.into_iter().map(|pair| {
        let query = TermQuery::new(pair, IndexRecordOption::Basic);
        let unscored: Box<dyn Query> = Box::new(ConstScoreQuery::new(Box::new(query), 0.0));
        (Occur::Must, unscored)
    }));
    Some(Both::same(Box::new(BooleanQuery::new(clauses))))
}

fn filter_query(filter: &Filter, fields: &Fields, segments: Option<&Segments>) -> Box<dyn Query> {
    let term = match filter {
        Filter::Session(n) => {
            let term = Term::from_field_u64(fields.session, *n);
            let query = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            return match segments {
                Some(segments) => Box::new(SessionRuns::new(segments.session_runs(*n), query)),
                None => query,
            };
        }
        Filter::Year(n) => Term::from_field_u64(fields.year, *n),
        Filter::Article(n) => Term::from_field_u64(fields.articles, *n),
        Filter::Doc(id) => Term::from_field_text(fields.doc, id),
        Filter::Decision(decision) => Term::from_field_text(fields.decisions, decision),
        // A symbol also finds its revisions, addenda and corrigenda (`…/L.9/Rev.1`).
        Filter::Symbol { symbol, prefix } => {
            let literal = regex::escape(symbol);
            let pattern = if *prefix {
                format!("{literal}.*")
            } else {
                format!("{literal}(/.*)?")
            };
            return match RegexQuery::from_pattern(&pattern, fields.symbols) {
                Ok(query) => Box::new(query),
                // An escaped literal with a fixed suffix always compiles; match nothing if not.
                Err(_) => Box::new(EmptyQuery),
            };
        }
    };
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

/// Filters of one kind are alternatives (two sessions: either); different kinds all apply.
fn filter_groups(
    filters: &[Filter],
    fields: &Fields,
    segments: Option<&Segments>,
) -> Vec<Box<dyn Query>> {
    let mut groups: Vec<Vec<&Filter>> = Vec::new();
    for filter in filters {
        match groups.iter_mut().find(|g| g[0].same_kind(filter)) {
            Some(group) => group.push(filter),
            None => groups.push(vec![filter]),
        }
    }
    groups
        .into_iter()
        .map(|group| match group.as_slice() {
            // One value: its term alone, without a union around it to step through.
            [filter] => filter_query(filter, fields, segments),
            _ => {
                let alternatives = group
                    .into_iter()
                    .map(|f| (Occur::Should, filter_query(f, fields, segments)))
                    .collect();
                Box::new(BooleanQuery::new(alternatives)) as Box<dyn Query>
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_prior_ranks_down_only_short_passages() {
        assert_eq!(length_prior(2), 0.5);
        assert!(length_prior(4) < length_prior(6));
        assert_eq!(length_prior(SHORT_PASSAGE_WORDS), 1.0);
        assert_eq!(length_prior(500), 1.0);
    }
}
