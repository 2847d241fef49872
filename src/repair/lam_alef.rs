//! Lam-alef order: with some fonts MuPDF writes the two letters of a lam-alef ligature the
//! wrong way round (`األمم` for `الأمم`, `البروتوكوالت` for `البروتوكولات`). An unknown word
//! with an alef before a lam is put right where swapping them makes a known word.

use memchr::memmem;
use rustc_hash::FxHashSet;

use super::model::WordModel;
use super::text::{is_arabic_letter, run_around};

fn is_alef(c: char) -> bool {
    matches!(c, 'ا' | 'أ' | 'إ' | 'آ')
}

/// Whether a word has an alef before a lam anywhere but in its article (`ال`, `وال`, `بال` …):
/// a cheap test before asking the model.
pub fn may_be_swapped(word: &str) -> bool {
    let mut first = None;
    let mut prev = None;
    for (i, c) in word.chars().enumerate() {
        if c == 'ل' && prev.is_some_and(is_alef) {
            let article = i == 1 || (i == 2 && matches!(first, Some('و' | 'ف' | 'ب' | 'ك')));
            if !article {
                return true;
            }
        }
        first = first.or(Some(c));
        prev = Some(c);
    }
    false
}

/// How many different words of a text (`limit` at most) [`fix_word`] puts right. The search
/// starts from each alef written before a lam (every document is checked, and the article
/// makes them frequent): most are the article, told by the character before the alef.
pub fn swapped_words(text: &str, model: &dyn WordModel, limit: usize) -> usize {
    let mut swapped = FxHashSet::default();
    for alef_lam in ["ال", "أل", "إل", "آل"] {
        for at in memmem::find_iter(text.as_bytes(), alef_lam.as_bytes()) {
            let before = text[..at].chars().next_back();
            if before.is_none_or(|c| !is_arabic_letter(c)) {
                continue; // the article, at the start of its word
            }
            let word = &text[run_around(text, at, is_arabic_letter)];
            if !swapped.contains(word) && may_be_swapped(word) && fix_word(word, model).is_some() {
                swapped.insert(word);
                if swapped.len() >= limit {
                    return swapped.len();
                }
            }
        }
    }
    swapped.len()
}

/// The word with its lam-alef put right, or `None` when it needs nothing.
pub fn fix_word(word: &str, model: &dyn WordModel) -> Option<String> {
    if model.known(word) {
        return None;
    }
    let chars: Vec<char> = word.chars().collect();
    (0..chars.len().saturating_sub(1))
        .filter(|&i| is_alef(chars[i]) && chars[i + 1] == 'ل')
        .find_map(|i| {
            let mut swapped = chars.clone();
            swapped.swap(i, i + 1);
            let candidate: String = swapped.into_iter().collect();
            model.known(&candidate).then_some(candidate)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repair::model::CORPUS_MODEL;

    #[test]
    fn swapped_ligatures_are_put_right_into_known_words() {
        assert_eq!(fix_word("األمم", &*CORPUS_MODEL).as_deref(), Some("الأمم"));
        assert_eq!(
            fix_word("البروتوكوالت", &*CORPUS_MODEL).as_deref(),
            Some("البروتوكولات")
        );
    }

    #[test]
    fn only_an_alef_before_a_lam_outside_the_article_is_suspect() {
        assert!(may_be_swapped("األمم"));
        assert!(may_be_swapped("البروتوكوالت"));
        assert!(!may_be_swapped("والمادة"));
        assert!(!may_be_swapped("الاتفاقية"));
    }

    #[test]
    fn a_text_counts_each_word_put_right_once() {
        let model = &*CORPUS_MODEL;
        let text = "الأمم األمم واألمم، البروتوكوالت الالتزام (األمم) البروتوكوالت";
        // `األمم` twice, `واألمم` and `البروتوكوالت`; the article and a known word are not.
        assert_eq!(swapped_words(text, model, 10), 3);
        assert_eq!(swapped_words(text, model, 2), 2);
        assert_eq!(swapped_words("الأمم والمادة الالتزام", model, 10), 0);
    }

    #[test]
    fn known_words_are_left_alone() {
        assert_eq!(fix_word("الأمم", &*CORPUS_MODEL), None);
        assert_eq!(fix_word("العالم", &*CORPUS_MODEL), None);
    }
}
