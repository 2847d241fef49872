//! Snippets and highlights in the original passage text, made by tantivy's snippet
//! generator over the stored text (which it re-tokenizes with our analyzer, so folded and
//! stemmed matches land on the original letters).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Range;

use tantivy::query::Query;
// Several stems of one token highlight it more than once: ranges are collapsed.
use tantivy::snippet::collapse_overlapped_ranges;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Score, Searcher, TantivyError};

use crate::analysis::{self, AnalyzedToken};
use crate::index::Fields;

/// Snippet size in bytes (tantivy counts bytes): about 150 Arabic letters.
pub const SNIPPET_BYTES: usize = 300;
const ELLIPSIS: &str = "…";

/// The snippet of a passage, with its highlights both in the passage and in the snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// Byte ranges into the snippet's own text.
    pub highlights: Vec<Range<usize>>,
    /// Byte ranges into the whole passage text.
    pub passage_highlights: Vec<Range<usize>>,
}

/// The words of a query as a snippet marks them. tantivy's generator marks every term
/// of the highlight query wherever it occurs; a phrase's words are marked only where the
/// whole phrase occurs, so when a query has phrases the marks are made here.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// Stems of the words outside phrases: marked wherever they occur.
    words: HashSet<String>,
    /// Each phrase: the stems of each of its words, and its slop.
    phrases: Vec<(Vec<Vec<String>>, u32)>,
}

impl Marks {
    /// Adds a clause of the query: one word, or several (a phrase, or a word the analyzer
    /// splits, such as `و17`).
    pub fn add(&mut self, tokens: &[AnalyzedToken], slop: u32) {
        match tokens {
            [] => {}
            [word] => self.words.extend(word.stems.iter().cloned()),
            _ => self
                .phrases
                .push((tokens.iter().map(|t| t.stems.clone()).collect(), slop)),
        }
    }

    /// The byte ranges to mark in `text`: every occurrence of a word, and the words of
    /// every occurrence of a phrase.
    fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        let tokens = analysis::analyze(text);
        let matches =
            |token: &AnalyzedToken, stems: &[String]| token.stems.iter().any(|s| stems.contains(s));
        let mut marked = vec![false; tokens.len()];
        for (i, token) in tokens.iter().enumerate() {
            if token.stems.iter().any(|s| self.words.contains(s)) {
                marked[i] = true;
            }
        }
        for (words, slop) in &self.phrases {
            for start in 0..tokens.len() {
                if !matches(&tokens[start], &words[0]) {
                    continue;
                }
                // Each next word within the slop left, in order (as a sloppy phrase
                // query matches in the common case).
                let mut found = vec![start];
                let mut spare = *slop as usize;
                for stems in &words[1..] {
                    let last = *found.last().expect("a first word");
                    let next = (last + 1..tokens.len().min(last + 2 + spare))
                        .find(|&j| matches(&tokens[j], stems));
                    match next {
                        Some(j) => {
                            spare -= j - last - 1;
                            found.push(j);
                        }
                        None => break,
                    }
                }
                if found.len() == words.len() {
                    for i in found {
                        marked[i] = true;
                    }
                }
            }
        }
        tokens
            .iter()
            .zip(marked)
            .filter(|(_, marked)| *marked)
            .map(|(token, _)| token.offset_from..token.offset_to)
            .collect()
    }
}

/// Cuts snippets as tantivy's `SnippetGenerator` does — a window of the passage's tokens
/// ends before the token that would grow it past `SNIPPET_BYTES`, and the window with the
/// most weight of marked stems is shown (the first, of equals) — and marks the whole
/// passage in the same pass: one analysis of its text, where a generator for the window and
/// one for the whole passage made two.
pub struct Snippets {
    /// Each stem the query marks, with its weight in choosing the window (the generator's
    /// `1 / (1 + document frequency)`: a rare word draws the window more).
    weights: BTreeMap<String, Score>,
    /// The stemmed field's analyzer, which indexed the passages.
    analyzer: TextAnalyzer,
    marks: Marks,
}

/// A window of a passage's tokens: its bytes and the weight of the stems it marks.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: usize,
    end: usize,
    weight: Score,
}

impl Window {
    fn at(start: usize) -> Window {
        Window {
            start,
            end: start,
            weight: 0.0,
        }
    }
}

impl Snippets {
    pub fn new(
        searcher: &Searcher,
        query: &dyn Query,
        fields: &Fields,
        marks: Marks,
    ) -> Result<Self, TantivyError> {
        let mut stems = BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == fields.text {
                stems.insert(term.clone());
            }
        });
        let mut weights = BTreeMap::new();
        for term in stems {
            let Some(stem) = term.value().as_str().map(str::to_owned) else {
                continue;
            };
            let frequency = searcher.doc_freq(&term)?;
            if frequency > 0 {
                weights.insert(stem, 1.0 / (1.0 + frequency as Score));
            }
        }
        Ok(Snippets {
            weights,
            analyzer: searcher.index().tokenizer_for_field(fields.text)?,
            marks,
        })
    }

    pub fn snippet(&self, text: &str) -> Snippet {
        let (window, marked) = self.window_and_marked(text);
        let passage_highlights = if self.marks.phrases.is_empty() {
            collapse_overlapped_ranges(&marked)
        } else {
            self.marks.ranges(text)
        };
        Snippet::of_window(text, window, passage_highlights)
    }

    /// The window of `text` to show (`None` when it marks nothing), and the tokens marked.
    fn window_and_marked(&self, text: &str) -> (Option<Range<usize>>, Vec<Range<usize>>) {
        let mut analyzer = self.analyzer.clone();
        let mut tokens = analyzer.token_stream(text);
        let mut marked = Vec::new();
        let mut best: Option<Window> = None;
        let mut close = |window: Window| {
            if window.weight > 0.0 && best.is_none_or(|b| window.weight > b.weight) {
                best = Some(window);
            }
        };
        let mut current = Window::at(0);
        while let Some(token) = tokens.next() {
            if token.offset_to - current.start > SNIPPET_BYTES {
                close(current);
                current = Window::at(token.offset_from);
            }
            current.end = token.offset_to;
            // Stems are folded, so already lowercase (the generator lowercases each token).
            if let Some(&weight) = self.weights.get(&token.text) {
                current.weight += weight;
                marked.push(token.offset_from..token.offset_to);
            }
        }
        close(current);
        (best.map(|w| w.start..w.end), marked)
    }
}

impl Snippet {
    /// The snippet of `text` that shows `window` (the start of the passage when `None`) and
    /// marks `passage_highlights` inside it.
    pub fn of_window(
        text: &str,
        window: Option<Range<usize>>,
        passage_highlights: Vec<Range<usize>>,
    ) -> Snippet {
        let range = window.unwrap_or_else(|| leading_window(text));
        // The snippet marks what the passage marks, inside its window.
        let highlights: Vec<Range<usize>> = passage_highlights
            .iter()
            .filter(|r| range.start <= r.start && r.end <= range.end)
            .map(|r| r.start - range.start..r.end - range.start)
            .collect();
        // Only words left out earn an ellipsis: punctuation before or after the window is
        // kept instead, and highlights move with the window's start.
        let window_start = range.start;
        let mut range = range;
        let has_words = |s: &str| s.chars().any(char::is_alphanumeric);
        if !has_words(&text[..range.start]) {
            range.start = 0;
        }
        if !has_words(&text[range.end..]) {
            range.end = text.len();
        }
        let prefix = if range.start > 0 { ELLIPSIS } else { "" };
        let suffix = if range.end < text.len() { ELLIPSIS } else { "" };
        let shift = prefix.len() + window_start - range.start;
        Snippet {
            text: format!("{prefix}{}{suffix}", &text[range]),
            highlights: highlights
                .into_iter()
                .map(|r| r.start + shift..r.end + shift)
                .collect(),
            passage_highlights,
        }
    }
}

/// The start of the passage, when nothing in it is highlighted (a filter-only query).
fn leading_window(text: &str) -> Range<usize> {
    let mut end = text.len().min(SNIPPET_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    0..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(clauses: &[(&str, u32)]) -> Marks {
        let mut marks = Marks::default();
        for (text, slop) in clauses {
            marks.add(&analysis::analyze(text), *slop);
        }
        marks
    }

    fn marked<'a>(marks: &Marks, text: &'a str) -> Vec<&'a str> {
        marks.ranges(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn a_phrase_is_marked_only_where_it_is_whole() {
        let text = "تسليم المجرمين أولا، ثم تسليم الوثائق إلى المجرمين";
        let phrase = marks(&[("تسليم المجرمين", 0)]);
        assert_eq!(marked(&phrase, text), ["تسليم", "المجرمين"]);
        // A word beside it is marked wherever it is.
        let both = marks(&[("تسليم المجرمين", 0), ("الوثائق", 0)]);
        assert_eq!(marked(&both, text), ["تسليم", "المجرمين", "الوثائق"]);
    }

    #[test]
    fn a_sloppy_phrase_allows_its_slop_and_no_more() {
        let text = "تسليم سريع للمجرمين، وتسليم سريع جدا للمجرمين";
        assert_eq!(
            marked(&marks(&[("تسليم المجرمين", 1)]), text),
            ["تسليم", "للمجرمين"]
        );
        assert_eq!(
            marked(&marks(&[("تسليم المجرمين", 2)]), text),
            ["تسليم", "للمجرمين", "وتسليم", "للمجرمين"]
        );
        assert!(marked(&marks(&[("تسليم المجرمين", 0)]), text).is_empty());
    }
}
