//! How close two texts are as sequences of folded words: the measure the repair stage and
//! the format readers are held to (a text against the source it was made from).

use super::fold;

/// The folded runs of letters and digits of a text.
fn tokens(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Token-sequence similarity, 2·LCS / (|a| + |b|): 1 for the same words in the same order.
pub fn token_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (tokens(a), tokens(b));
    let mut row = vec![0u32; b.len() + 1];
    for x in &a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    2.0 * f64::from(row[b.len()]) / (a.len() + b.len()).max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_spelling_variants() {
        assert_eq!(token_similarity("الأمم المتحدة", "الامم المتحده"), 1.0);
        assert_eq!(token_similarity("أ ب ج د", "د ج ب أ"), 0.25);
        assert_eq!(token_similarity("", ""), 0.0);
    }
}
