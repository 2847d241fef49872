//! Turning a parsed query into a tantivy query: each word and phrase is analyzed exactly as
//! the passages were, and matched on both the stemmed field (recall) and the exact-form
//! field (precision, boosted so that exact forms rank first).

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query,
    RegexPhraseQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::query::{Clause, Filter, ParsedQuery};
pub use super::snippet::Marks;
use crate::analysis::{self, AnalyzedToken};
use crate::index::Fields;

/// Weight of an exact-form match relative to a stem match.
const EXACT_BOOST: f32 = 1.5;
/// Weight of a stem found by stripping an ambiguous one-letter proclitic (و ف ب ك ل).
const ALTERNATIVE_STEM_BOOST: f32 = 0.5;
/// Weight of a stopword in a bag of words: it still ranks, but barely.
const STOPWORD_BOOST: f32 = 0.2;

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
    /// the score (exact forms), so that counting is cheap: a single word's count is its
    /// stem's document frequency, read from the term dictionary.
    pub count: Box<dyn Query>,
    pub highlight: Box<dyn Query>,
    /// Which words a snippet marks: phrases only where the whole phrase occurs.
    pub marks: Marks,
    /// `query` is a union of terms: ranking may skip postings (block-WAND) and counting
    /// `count` is cheap, so they are best run apart.
    pub term_union: bool,
}

/// A clause of the query twice: as it ranks, and as it matches.
struct Both {
    ranked: Box<dyn Query>,
    matched: Box<dyn Query>,
    /// Both trees are unions of terms (a single word).
    term_union: bool,
}

impl Both {
    fn same(query: Box<dyn Query>) -> Both {
        Both {
            matched: query.box_clone(),
            ranked: query,
            term_union: false,
        }
    }
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
        term_union: false,
    }
}

/// How many of `n` content words a passage must contain: all of one or two, then all but
/// one, and at least three quarters of long queries, so a pasted sentence with one word
/// spelled differently still finds its passage while every word still counts in the score.
pub fn required_words(n: usize) -> usize {
    match n {
        0..=2 => n,
        3..=5 => n - 1,
        _ => (3 * n).div_ceil(4),
    }
}

pub fn plan(parsed: &ParsedQuery, fields: &Fields) -> Result<Plan, String> {
    let mut content: Vec<Both> = Vec::new();
    let mut stopwords: Vec<Both> = Vec::new();
    let mut highlight = Vec::new();
    let mut marks = Marks::default();
    for group in &parsed.groups {
        let mut alternatives = Vec::new();
        for clause in group {
            let (tokens, slop) = analyze_clause(clause);
            highlight.extend(highlight_terms(&tokens, fields));
            marks.add(&tokens, slop);
            if let Some(query) = clause_query(&tokens, slop, fields) {
                alternatives.push((Occur::Should, query));
            }
        }
        if alternatives.is_empty() {
            continue;
        }
        let group_query = if alternatives.len() == 1 {
            alternatives.pop().expect("one alternative").1
        } else {
            both_boolean(alternatives)
        };
        if group.len() == 1 && is_stopword(&group[0]) {
            stopwords.push(group_query);
        } else {
            content.push(group_query);
        }
    }
    if !parsed.groups.is_empty() && content.is_empty() && stopwords.is_empty() {
        return Err("the query has no searchable words (only punctuation?)".into());
    }
    // A query of stopwords alone is taken at its word: they become the content.
    if content.is_empty() {
        content = std::mem::take(&mut stopwords);
    }

    let mut clauses: Vec<(Occur, Both)> = Vec::new();
    if content.is_empty() {
        clauses.push((
            Occur::Must,
            Both::same(Box::new(ConstScoreQuery::new(Box::new(AllQuery), 1.0))),
        ));
    } else if content.len() == 1 {
        clauses.push((Occur::Must, content.pop().expect("one word")));
    } else {
        clauses.push((Occur::Must, most_words(content)));
    }
    // Optional stopwords only change the score: the matching tree leaves them out.
    let mut ranked_only = Vec::new();
    for stopword in stopwords {
        ranked_only.push((
            Occur::Should,
            Box::new(BoostQuery::new(stopword.ranked, STOPWORD_BOOST)) as Box<dyn Query>,
        ));
    }
    for filter in filter_groups(&parsed.filters, fields) {
        clauses.push((
            Occur::Must,
            Both::same(Box::new(ConstScoreQuery::new(filter, 0.0))),
        ));
    }
    for filter in &parsed.excluded_filters {
        clauses.push((Occur::MustNot, Both::same(filter_query(filter, fields))));
    }
    for clause in &parsed.excluded {
        let (tokens, slop) = analyze_clause(clause);
        if let Some(query) = clause_query(&tokens, slop, fields) {
            // What the word would find is excluded, exact forms or not.
            clauses.push((Occur::MustNot, Both::same(query.matched)));
        }
    }
    let term_union = ranked_only.is_empty()
        && matches!(clauses.as_slice(), [(Occur::Must, only)] if only.term_union);
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
        term_union,
    })
}

/// The most subsets of words [`most_words`] writes out as intersections.
const MAX_WORD_SUBSETS: usize = 16;

/// Passages with at least [`required_words`] of `words`, scored by the sum of the words
/// they contain.
///
/// When some words may be missing, tantivy's disjunction with a minimum visits every
/// passage holding any of the words, frequent ones included. The same passages are the
/// union of the intersections of each allowed subset of words, and an intersection is led
/// by its rarest word; so that is how matches are found while there are few subsets (bags
/// of three to seven words), and the words add their scores as optional clauses beside it.
fn most_words(words: Vec<Both>) -> Both {
    let n = words.len();
    let required = required_words(n);
    let subsets = subsets(n, required);
    if required == n || subsets.len() > MAX_WORD_SUBSETS {
        let (ranked, matched) = words
            .into_iter()
            .map(|q| ((Occur::Should, q.ranked), (Occur::Should, q.matched)))
            .unzip();
        return Both {
            ranked: Box::new(BooleanQuery::with_minimum_required_clauses(
                ranked, required,
            )),
            matched: Box::new(BooleanQuery::with_minimum_required_clauses(
                matched, required,
            )),
            term_union: false,
        };
    }
    let intersections = subsets
        .iter()
        .map(|subset| {
            let all = subset
                .iter()
                .map(|&i| (Occur::Must, words[i].matched.box_clone()))
                .collect();
            (
                Occur::Should,
                Box::new(BooleanQuery::new(all)) as Box<dyn Query>,
            )
        })
        .collect();
    let matched: Box<dyn Query> = Box::new(BooleanQuery::new(intersections));
    let mut ranked: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Must,
        Box::new(ConstScoreQuery::new(matched.box_clone(), 0.0)),
    )];
    ranked.extend(words.into_iter().map(|q| (Occur::Should, q.ranked)));
    Both {
        ranked: Box::new(BooleanQuery::new(ranked)),
        matched,
        term_union: false,
    }
}

/// Every subset of `k` of the indices `0..n`, in lexicographic order.
fn subsets(n: usize, k: usize) -> Vec<Vec<usize>> {
    fn extend(
        start: usize,
        n: usize,
        k: usize,
        current: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        if current.len() == k {
            out.push(current.clone());
            return;
        }
        // Stop early once too many subsets exist to be used.
        for i in start..n {
            if out.len() > MAX_WORD_SUBSETS {
                return;
            }
            current.push(i);
            extend(i + 1, n, k, current, out);
            current.pop();
        }
    }
    let mut out = Vec::new();
    extend(0, n, k, &mut Vec::new(), &mut out);
    out
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
fn clause_query(tokens: &[AnalyzedToken], slop: u32, fields: &Fields) -> Option<Both> {
    match tokens {
        [] => None,
        [token] => Some(token_query(token, fields)),
        _ => Some(phrase_query(tokens, slop, fields)),
    }
}

/// Every stem of every token, so the snippet marks each word wherever it matched.
fn highlight_terms<'a>(
    tokens: &'a [AnalyzedToken],
    fields: &'a Fields,
) -> impl Iterator<Item = (Occur, Box<dyn Query>)> + 'a {
    tokens.iter().flat_map(|t| &t.stems).map(|stem| {
        let query = term_query(fields.text, stem, 1.0, IndexRecordOption::WithFreqs);
        (Occur::Should, query)
    })
}

fn term_query(field: Field, text: &str, boost: f32, record: IndexRecordOption) -> Box<dyn Query> {
    let query = TermQuery::new(Term::from_field_text(field, text), record);
    if boost == 1.0 {
        Box::new(query)
    } else {
        Box::new(BoostQuery::new(Box::new(query), boost))
    }
}

/// A word matches any of its stems; the exact form only adds to the score. Both trees are
/// flat unions of terms, which tantivy counts from the term dictionary when there is one
/// stem and ranks with block-WAND.
fn token_query(token: &AnalyzedToken, fields: &Fields) -> Both {
    let stems = |record, boosted: bool| -> Vec<(Occur, Box<dyn Query>)> {
        token
            .stems
            .iter()
            .enumerate()
            .map(|(i, stem)| {
                let boost = if i > 0 && boosted {
                    ALTERNATIVE_STEM_BOOST
                } else {
                    1.0
                };
                (Occur::Should, term_query(fields.text, stem, boost, record))
            })
            .collect()
    };
    let mut ranked = stems(IndexRecordOption::WithFreqs, true);
    ranked.push((
        Occur::Should,
        term_query(
            fields.exact,
            &token.folded,
            EXACT_BOOST,
            IndexRecordOption::WithFreqs,
        ),
    ));
    let mut matched = stems(IndexRecordOption::Basic, false);
    Both {
        ranked: Box::new(BooleanQuery::new(ranked)),
        matched: if matched.len() == 1 {
            matched.pop().expect("one stem").1
        } else {
            Box::new(BooleanQuery::new(matched))
        },
        term_union: true,
    }
}

/// A phrase matches on stems (so clitics and light suffixes still match) and, with a boost,
/// on exact forms. The index holds every stem candidate of a word at its position, so a
/// position of the phrase matches any candidate of the query's word: `لتعزيز التعاون` finds
/// `تعزيز التعاون`, and `تعزيز التعاون` finds `لتعزيز التعاون`. Exact forms at the same
/// positions always have those stems too, so the stemmed phrase alone decides the match.
fn phrase_query(tokens: &[AnalyzedToken], slop: u32, fields: &Fields) -> Both {
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
        Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop))
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
    let exact_terms = tokens
        .iter()
        .map(|t| {
            (
                t.position - first,
                Term::from_field_text(fields.exact, &t.folded),
            )
        })
        .collect();
    let exact = PhraseQuery::new_with_offset_and_slop(exact_terms, slop);
    Both {
        term_union: false,
        matched: stemmed.box_clone(),
        ranked: Box::new(BooleanQuery::new(vec![
            (Occur::Should, stemmed),
            (
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(exact), EXACT_BOOST)),
            ),
        ])),
    }
}

/// A phrase of common words, searched as its pairs (see `analysis::PairFilter`): the same
/// passages as the stemmed phrase, found without comparing the positions of frequent words.
/// Two words are one term, which counts from the term dictionary and ranks with block-WAND.
/// Only for exact order (no slop) and words with a single stem.
fn pair_phrase(tokens: &[AnalyzedToken], slop: u32, fields: &Fields) -> Option<Both> {
    let common = |t: &AnalyzedToken| t.stems.len() == 1 && analysis::is_common(&t.stems[0]);
    let neighbours = tokens
        .windows(2)
        .all(|w| w[1].position == w[0].position + 1);
    if slop != 0 || tokens.len() < 2 || !neighbours || !tokens.iter().all(common) {
        return None;
    }
    let first = tokens[0].position;
    let terms = |pair: fn(&AnalyzedToken, &AnalyzedToken) -> String| -> Vec<(usize, Term)> {
        tokens
            .windows(2)
            .map(|w| {
                let term = Term::from_field_text(fields.pairs, &pair(&w[0], &w[1]));
                (w[0].position - first, term)
            })
            .collect()
    };
    let stems = terms(|a, b| analysis::stem_pair(&a.stems[0], &b.stems[0]));
    let exact = terms(|a, b| analysis::exact_pair(&a.folded, &b.folded));
    let query = |mut terms: Vec<(usize, Term)>, record| -> Box<dyn Query> {
        if terms.len() == 1 {
            let (_, term) = terms.pop().expect("one pair");
            Box::new(TermQuery::new(term, record))
        } else {
            Box::new(PhraseQuery::new_with_offset(terms))
        }
    };
    Some(Both {
        term_union: stems.len() == 1,
        matched: query(stems.clone(), IndexRecordOption::Basic),
        ranked: Box::new(BooleanQuery::new(vec![
            (Occur::Should, query(stems, IndexRecordOption::WithFreqs)),
            (
                Occur::Should,
                Box::new(BoostQuery::new(
                    query(exact, IndexRecordOption::WithFreqs),
                    EXACT_BOOST,
                )),
            ),
        ])),
    })
}

fn filter_query(filter: &Filter, fields: &Fields) -> Box<dyn Query> {
    let term = match filter {
        Filter::Session(n) => Term::from_field_u64(fields.session, *n),
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
fn filter_groups(filters: &[Filter], fields: &Fields) -> Vec<Box<dyn Query>> {
    let mut groups: Vec<Vec<&Filter>> = Vec::new();
    for filter in filters {
        match groups.iter_mut().find(|g| g[0].same_kind(filter)) {
            Some(group) => group.push(filter),
            None => groups.push(vec![filter]),
        }
    }
    groups
        .into_iter()
        .map(|group| {
            let alternatives = group
                .into_iter()
                .map(|f| (Occur::Should, filter_query(f, fields)))
                .collect();
            Box::new(BooleanQuery::new(alternatives)) as Box<dyn Query>
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

    #[test]
    fn subsets_of_words_are_all_written_out() {
        assert_eq!(subsets(3, 2), [vec![0, 1], vec![0, 2], vec![1, 2]]);
        assert_eq!(subsets(5, 4).len(), 5);
        assert_eq!(subsets(2, 2), [vec![0, 1]]);
        // Too many to write out: the count stops just past the limit.
        assert_eq!(subsets(10, 8).len(), MAX_WORD_SUBSETS + 1);
    }

    #[test]
    fn required_words_keep_every_word_in_short_queries() {
        assert_eq!(
            (0..=9).map(required_words).collect::<Vec<_>>(),
            vec![0, 1, 2, 2, 3, 4, 5, 6, 6, 7]
        );
    }
}
