//! Lam-alef order: with some fonts MuPDF writes the two letters of a lam-alef ligature the
//! wrong way round (`األمم` for `الأمم`, `البروتوكوالت` for `البروتوكولات`). An unknown word
//! with an alef before a lam is put right where swapping them makes a known word.

use super::model::WordModel;

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
    fn known_words_are_left_alone() {
        assert_eq!(fix_word("الأمم", &*CORPUS_MODEL), None);
        assert_eq!(fix_word("العالم", &*CORPUS_MODEL), None);
    }
}
