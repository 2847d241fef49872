//! Visual order to logical order for one line of a PDF.
//!
//! A PDF draws glyphs where they go on the page; for Arabic that is right to left, and the
//! order of the glyphs in the file is whatever the producer chose. Ordered by position, from
//! left to right, a line is in *visual* order: each Arabic word spelled backwards, a Latin
//! symbol or a number forwards, the words in the order they stand from left to right. The
//! Unicode Bidirectional Algorithm's reordering (rule L2) is a nest of reversals, and the
//! same nest applied to the visual order undoes it, so running the algorithm on the visual
//! string — with a right-to-left base direction when the line has Arabic letters — gives the
//! logical order back. That holds whenever the visual string resolves to the same levels as
//! the logical one, which it does for strong letters, numbers and the neutrals between them
//! (the cases of UN documents: Arabic prose with document symbols, dates and numbers).
//!
//! A unit is one glyph's text: usually one character, but a ligature (لا) or a glyph that
//! stands for several characters carries them in logical order already, so units are moved
//! whole, never their characters.

use unicode_bidi::{bidi_class, BidiClass, BidiInfo, Level, ParagraphBidiInfo};

/// Whether `c` is a right-to-left letter (Arabic, Hebrew, …).
pub fn is_rtl(c: char) -> bool {
    matches!(bidi_class(c), BidiClass::R | BidiClass::AL)
}

/// The logical order of a line's units, given in visual order (left to right), for a
/// right-to-left (`rtl`) or left-to-right base direction: indices into `units`, each with
/// whether to mirror it. `mirror` says whether the producer mapped mirrored glyphs to the
/// character of their shape (a `)` drawn for an opening parenthesis in Arabic text reads back
/// as `)`), so that brackets in right-to-left runs must be mirrored back; see
/// [`needs_mirroring`].
pub fn order(units: &[&str], rtl: bool, mirror: bool) -> Vec<(usize, bool)> {
    let mut text = String::with_capacity(units.iter().map(|u| u.len()).sum());
    let mut starts = Vec::with_capacity(units.len());
    for unit in units {
        starts.push(text.len());
        text.push_str(unit);
    }
    if !rtl && !text.chars().any(is_rtl) {
        return (0..units.len()).map(|i| (i, false)).collect();
    }
    let base = if rtl { Level::rtl() } else { Level::ltr() };
    let info = ParagraphBidiInfo::new(&text, Some(base));
    let levels: Vec<Level> = starts
        .iter()
        .map(|&s| info.levels.get(s).copied().unwrap_or(base))
        .collect();
    BidiInfo::reorder_visual(&levels)
        .into_iter()
        .filter(|&i| i < units.len())
        .map(|i| (i, mirror && levels[i].is_rtl()))
        .collect()
}

/// The text of `units` in `order`.
pub fn render(units: &[&str], order: &[(usize, bool)]) -> String {
    let mut out = String::new();
    for &(i, mirror) in order {
        let Some(unit) = units.get(i) else { continue };
        if mirror {
            out.extend(unit.chars().map(mirrored));
        } else {
            out.push_str(unit);
        }
    }
    out
}

/// How much a line looks like it is in logical order: punctuation that closes a sentence, a
/// clause or a bracket belongs at the end of a line, not at its start, and no space follows an
/// opening bracket or comes before a closing one. Of a paragraph's two readings — right to
/// left and left to right — the one whose lines score higher is the direction it was set in.
pub fn order_score(text: &str) -> i32 {
    let text = text.trim();
    let closing = |c: char| {
        matches!(
            c,
            '.' | ',' | ':' | ';' | '!' | '?' | '،' | '؛' | '؟' | ')' | ']'
        )
    };
    let mut score = 0;
    if text.chars().next().is_some_and(closing) {
        score -= 1;
    }
    if text.chars().last().is_some_and(closing) {
        score += 1;
    }
    if text.chars().last().is_some_and(|c| matches!(c, '(' | '[')) {
        score -= 1;
    }
    for bad in ["( ", " )", "[ ", " ]"] {
        score -= text.matches(bad).count() as i32;
    }
    score
}

/// `text` with brackets that close before they open turned round: a `)…(` that the bidi
/// algorithm, which sees one line without what came before it, resolved to the wrong
/// direction (a bracket after a Latin phrase that ended the previous line).
pub fn balance_brackets(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for (open, close) in [('(', ')'), ('[', ']')] {
        let mut stack = Vec::new();
        let mut orphan_closes = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            if c == open {
                stack.push(i);
            } else if c == close && stack.pop().is_none() {
                orphan_closes.push(i);
            }
        }
        // `stack` holds the opens never closed, in order; pair each orphan close with the
        // first unclosed open after it.
        let mut opens = stack.into_iter().peekable();
        for c in orphan_closes {
            while opens.peek().is_some_and(|&o| o < c) {
                opens.next();
            }
            if let Some(o) = opens.next() {
                chars[c] = open;
                chars[o] = close;
            }
        }
    }
    chars.into_iter().collect()
}

/// The mirror image of a bracket (Unicode's Bidi_Mirroring_Glyph for the brackets found in
/// documents), or `c` itself.
pub fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        '﴾' => '﴿',
        '﴿' => '﴾',
        _ => c,
    }
}

/// Whether a document's right-to-left lines, in visual order, show their brackets by shape.
///
/// Read left to right, a bracketed phrase in Arabic shows `(` at its left and `)` at its right
/// — what the eye sees. A producer that maps each glyph to the character of its shape gives
/// those characters, and the bidi algorithm then reverses them: they must be mirrored back. A
/// producer that maps the mirrored glyph to the character typed (the opening parenthesis, drawn
/// as `)` at the right) gives `)…(` left to right, which reversing alone fixes. Counted over
/// the document's right-to-left lines: pairs opened from the left (`(` before `)`) against pairs
/// opened from the right.
pub fn needs_mirroring<'a>(rtl_visual_lines: impl IntoIterator<Item = &'a str>) -> bool {
    let (mut by_shape, mut by_char) = (0usize, 0usize);
    for line in rtl_visual_lines {
        for (open, close) in [('(', ')'), ('[', ']'), ('«', '»')] {
            let first_open = line.find(open);
            let first_close = line.find(close);
            match (first_open, first_close) {
                (Some(o), Some(c)) if o < c => by_shape += 1,
                (Some(o), Some(c)) if c < o => by_char += 1,
                _ => {}
            }
        }
    }
    by_shape >= by_char
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The logical text of a visual-order string (one character a unit), read right to left
    /// when it has Arabic letters.
    fn logical_of(visual: &str, mirror: bool) -> String {
        let units: Vec<String> = visual.chars().map(String::from).collect();
        let refs: Vec<&str> = units.iter().map(String::as_str).collect();
        render(&refs, &order(&refs, visual.chars().any(is_rtl), mirror))
    }

    /// What a renderer shows, left to right, for `logical` in a right-to-left paragraph, with
    /// brackets drawn by shape: the inverse of what we compute, from unicode-bidi's own
    /// reordering and mirroring.
    fn visual_of(logical: &str) -> String {
        let info = BidiInfo::new(logical, Some(Level::rtl()));
        let para = &info.paragraphs[0];
        let levels = info.reordered_levels_per_char(para, para.range.clone());
        let chars: Vec<char> = logical.chars().collect();
        BidiInfo::reorder_visual(&levels)
            .into_iter()
            .map(|i| {
                if levels[i].is_rtl() {
                    mirrored(chars[i])
                } else {
                    chars[i]
                }
            })
            .collect()
    }

    #[test]
    fn latin_symbols_and_numbers_keep_their_place() {
        for line in [
            "الوثيقة CTOC/COP/2018/1 المؤرخة ٩ تموز/يوليه ٢٠١٨ بشأن البند ٥",
            "فيينا، 12-16 تشرين الأول/أكتوبر 2020",
            "التقريران المتعلقان بهذين الاجتماعيين (CTOC/COP/WG.10/2019/5 وCTOC/COP/WG.10/2020/6 على التوالي).",
            "١- لاحظ مؤتمر الأطراف في قراره ٤/٨، المعنون \"تنفيذ الأحكام\"، أن (المكتب) من أجل",
            "قاعدة بيانات معنية بالمعاهدات متاحة أيضاً (unodc-sherloc@un.org).",
        ] {
            let visual = visual_of(line);
            assert_eq!(logical_of(&visual, true), line, "visual: {visual}");
        }
    }

    #[test]
    fn ligatures_move_whole() {
        // "لا" is one glyph carrying two characters in logical order; visual "ب|لا|ق".
        let units = ["ب", "لا", "ق"];
        assert_eq!(render(&units, &order(&units, true, true)), "قلاب");
    }

    #[test]
    fn the_direction_of_a_latin_line_is_told_by_its_edges() {
        let visual = visual_of("* CTOC/COP/2020/1.");
        assert_eq!(visual, ".CTOC/COP/2020/1 *");
        let units: Vec<String> = visual.chars().map(String::from).collect();
        let refs: Vec<&str> = units.iter().map(String::as_str).collect();
        let as_rtl = render(&refs, &order(&refs, true, true));
        let as_ltr = render(&refs, &order(&refs, false, true));
        assert!(order_score(&as_rtl) > order_score(&as_ltr));
        assert_eq!(as_rtl, "* CTOC/COP/2020/1.");
        assert_eq!(logical_of("Distr.: General", true), "Distr.: General");
    }

    #[test]
    fn brackets_closed_before_opened_are_turned_round() {
        assert_eq!(
            balance_brackets(")E/CN.15/2023/CRP.3(، أعدت"),
            "(E/CN.15/2023/CRP.3)، أعدت"
        );
        assert_eq!(balance_brackets("(أ) نص (ب) و1)"), "(أ) نص (ب) و1)");
    }

    #[test]
    fn mirroring_is_told_from_bracket_order() {
        assert!(needs_mirroring(["(بتكملا) نا"]));
        assert!(!needs_mirroring([")بتكملا( نا"]));
    }
}
