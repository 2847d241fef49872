//! The terms of the `citing` field: each stem of a passage that cites articles of the
//! Convention, once for every article it cites (`جريم 18`). A stem's matches per article
//! are then the document frequencies of its terms, read from the term dictionary in one
//! short range, without reading a posting list.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::fields::ReplayedTokens;

/// Ends the list of articles at the start of a `citing` value (its first occurrence: the
/// text after it may hold anything).
const ARTICLES_END: char = '\u{1F}';

/// Between a stem and an article in a citing term: no stem holds a space.
const SEPARATOR: char = ' ';

/// The value the build gives the `citing` field of a passage that cites `articles`.
pub fn citing_value(articles: &[u32], text: &str) -> String {
    let mut value = String::with_capacity(text.len() + 4 * articles.len() + 1);
    for (i, article) in articles.iter().enumerate() {
        if i > 0 {
            value.push(',');
        }
        value.push_str(&article.to_string());
    }
    value.push(ARTICLES_END);
    value.push_str(text);
    value
}

/// The bounds of the citing terms of `stem` in the term dictionary: every term from the
/// first (inclusive) up to the second (exclusive) is `stem`, the separator and an article.
pub fn citing_range(stem: &str) -> (String, String) {
    let after = char::from_u32(SEPARATOR as u32 + 1).expect("a char follows the space");
    (format!("{stem}{SEPARATOR}"), format!("{stem}{after}"))
}

/// The article of a citing term of `stem` (its bytes, as the term dictionary holds them).
pub fn article_of(term: &[u8], stem: &str) -> Option<u64> {
    let rest = term.strip_prefix(stem.as_bytes())?;
    let digits = rest.strip_prefix(&[SEPARATOR as u8])?;
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// Makes the citing terms of a `citing` value with `stems`, the tokenizer of the stem field
/// (at query time the stem analyzer; in a build, the replay of the passage's one analysis).
#[derive(Clone)]
pub struct CitingTokenizer<T> {
    stems: T,
    tokens: Vec<Token>,
}

impl<T> CitingTokenizer<T> {
    pub fn new(stems: T) -> CitingTokenizer<T> {
        CitingTokenizer {
            stems,
            tokens: Vec::new(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for CitingTokenizer<T> {
    type TokenStream<'a> = ReplayedTokens<'a>;

    fn token_stream<'a>(&'a mut self, value: &'a str) -> ReplayedTokens<'a> {
        let (articles, text) = value.split_once(ARTICLES_END).unwrap_or(("", value));
        let articles: Vec<&str> = articles
            .split(',')
            .filter(|a| !a.is_empty() && a.bytes().all(|b| b.is_ascii_digit()))
            .collect();
        let mut len = 0;
        let mut stems = self.stems.token_stream(text);
        while stems.advance() {
            let stem = stems.token();
            for article in &articles {
                if len == self.tokens.len() {
                    self.tokens.push(Token::default());
                }
                let token = &mut self.tokens[len];
                token.text.clear();
                token.text.push_str(&stem.text);
                token.text.push(SEPARATOR);
                token.text.push_str(article);
                token.offset_from = stem.offset_from;
                token.offset_to = stem.offset_to;
                token.position = stem.position;
                token.position_length = stem.position_length;
                len += 1;
            }
        }
        ReplayedTokens::new(&mut self.tokens[..len])
    }
}

#[cfg(test)]
mod tests {
    use super::super::{stem_analyzer, stem_tokenizer};
    use super::*;

    fn terms(value: &str) -> Vec<String> {
        let mut tokenizer = CitingTokenizer::new(stem_tokenizer());
        let mut stream = tokenizer.token_stream(value);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn every_stem_is_paired_with_every_article_cited() {
        let value = citing_value(&[5, 18], "تسليم المجرمين");
        let stems: Vec<String> = {
            let mut analyzer = stem_analyzer();
            let mut stream = analyzer.token_stream("تسليم المجرمين");
            let mut out = Vec::new();
            while stream.advance() {
                out.push(stream.token().text.clone());
            }
            out
        };
        let expected: Vec<String> = stems
            .iter()
            .flat_map(|s| [format!("{s} 5"), format!("{s} 18")])
            .collect();
        assert_eq!(terms(&value), expected);
    }

    #[test]
    fn a_value_without_articles_makes_no_terms() {
        assert!(terms(&citing_value(&[], "تسليم المجرمين")).is_empty());
        assert!(terms("تسليم المجرمين").is_empty());
    }

    #[test]
    fn the_range_of_a_stem_holds_its_terms_and_no_other_stem() {
        let (from, to) = citing_range("جريم");
        for term in ["جريم 1", "جريم 41"] {
            assert!(from.as_str() <= term && term < to.as_str(), "{term}");
        }
        // A longer stem that starts with this one sorts outside the range.
        for term in ["جريمه 5", "جري 5"] {
            assert!(!(from.as_str() <= term && term < to.as_str()), "{term}");
        }
        assert_eq!(article_of("جريم 18".as_bytes(), "جريم"), Some(18));
        assert_eq!(article_of("جريمه 18".as_bytes(), "جريم"), None);
    }
}
