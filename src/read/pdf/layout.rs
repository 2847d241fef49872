//! From positioned glyphs to paragraphs. Glyphs on one baseline make a line, ordered by x,
//! combining marks joined to the letter they sit on. Lines make paragraphs by layout: a wider
//! gap than the line spacing, a change of size, a last line that stops short where the next
//! line's first word would have fitted, an indented first line. Each paragraph is then read
//! in the direction it was set in ([`super::bidi`]) and its lines joined with spaces.

use std::collections::HashMap;

use super::bidi;

/// One glyph drawn on a page, in the page's coordinates (points, y growing upwards).
#[derive(Debug, Clone)]
pub struct Glyph {
    /// What the glyph stands for, in logical order (a ligature stands for several characters).
    pub text: String,
    /// Left edge of the glyph's advance (its origin, for a combining mark).
    pub x: f32,
    /// Advance width (zero for a combining mark).
    pub width: f32,
    /// Baseline.
    pub y: f32,
    /// Font size, in points on the page.
    pub size: f32,
    /// Which font, as a number that tells the document's fonts apart.
    pub font: u32,
}

impl Glyph {
    fn centre(&self) -> f32 {
        self.x + self.width / 2.0
    }

    fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// Whether it is only combining marks (a vowel sign, shadda, hamza above).
    fn is_mark(&self) -> bool {
        !self.text.is_empty()
            && self
                .text
                .chars()
                .all(|c| matches!(unicode_bidi::bidi_class(c), unicode_bidi::BidiClass::NSM))
    }
}

/// A piece of a line in visual order: one glyph's text (with the marks drawn on it), or a space.
#[derive(Debug, Clone)]
struct Unit {
    text: String,
    left: f32,
    right: f32,
}

impl Unit {
    fn is_space(&self) -> bool {
        self.text == " "
    }
}

/// One line: its units from left to right, and where it stands.
#[derive(Debug, Clone)]
struct Line {
    units: Vec<Unit>,
    /// Left and right edges of its ink.
    left: f32,
    right: f32,
    /// Baseline.
    y: f32,
    /// The size of most of its glyphs.
    size: f32,
    /// It has right-to-left letters.
    rtl: bool,
    /// Its page, counted from 0.
    page: usize,
}

impl Line {
    fn unit_texts(&self) -> Vec<&str> {
        self.units.iter().map(|u| u.text.as_str()).collect()
    }

    fn visual(&self) -> String {
        self.units.iter().map(|u| u.text.as_str()).collect()
    }

    /// The line read in a right-to-left (`rtl`) or left-to-right paragraph.
    fn logical(&self, rtl: bool, mirror: bool) -> String {
        let units = self.unit_texts();
        bidi::render(&units, &bidi::order(&units, rtl, mirror))
    }

    /// The widths of its first and last words (in logical order) in a paragraph running right
    /// to left (`rtl`) or left to right: what would have had to fit at the end of the line
    /// before, and what was left at the end of this one.
    fn edge_words(&self, rtl: bool) -> (f32, f32) {
        let units = self.unit_texts();
        let order = bidi::order(&units, rtl, false);
        let width = |word: &mut dyn Iterator<Item = &Unit>| {
            let (left, right) = word.fold((f32::INFINITY, f32::NEG_INFINITY), |(l, r), u| {
                (l.min(u.left), r.max(u.right))
            });
            if right > left {
                right - left
            } else {
                0.0
            }
        };
        let in_order = || order.iter().map(|&(i, _)| &self.units[i]);
        let first = width(
            &mut in_order()
                .skip_while(|u| u.is_space())
                .take_while(|u| !u.is_space()),
        );
        let last = width(
            &mut in_order()
                .rev()
                .skip_while(|u| u.is_space())
                .take_while(|u| !u.is_space()),
        );
        (first, last)
    }

    fn first_word(&self, rtl: bool) -> f32 {
        self.edge_words(rtl).0
    }

    /// Which direction its text reads better in: 1 right to left, -1 left to right, 0 either.
    fn leaning(&self, mirror: bool) -> i32 {
        let (rtl, ltr) = (self.logical(true, mirror), self.logical(false, mirror));
        (bidi::order_score(&rtl) - bidi::order_score(&ltr)).signum()
    }
}

/// The text of `pages` (each page's glyphs) as paragraphs: one a line, a blank line between
/// them, a newline at the end.
pub fn text(pages: Vec<Vec<Glyph>>) -> String {
    let pages: Vec<(Vec<Glyph>, Vec<Vec<usize>>)> = pages
        .into_iter()
        .map(|mut glyphs| {
            clean(&mut glyphs);
            let groups = baselines(&glyphs);
            (glyphs, groups)
        })
        .collect();
    let offsets = MarkOffsets::of(&pages);
    let mut lines = Vec::new();
    for (page, (glyphs, groups)) in pages.iter().enumerate() {
        for group in groups {
            let mut pieces = split(glyphs, group, page, &offsets);
            // Pieces of one baseline far apart came out left to right; on a line of Arabic
            // the right one comes first.
            if pieces.len() > 1 && pieces.iter().any(|l| l.rtl) {
                pieces.reverse();
            }
            lines.extend(pieces);
        }
    }
    let mirror = bidi::needs_mirroring(
        lines
            .iter()
            .filter(|l| l.rtl)
            .map(Line::visual)
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    );
    let layout = Layout::of(&lines);
    let mut text = String::new();
    let mut paragraph: Vec<&Line> = Vec::new();
    for line in &lines {
        if let Some(&prev) = paragraph.last() {
            let rtl = paragraph.iter().any(|l| l.rtl);
            if !layout.continues(prev, line, rtl, mirror) {
                push_paragraph(&mut text, &paragraph, mirror, &layout);
                paragraph.clear();
            }
        }
        paragraph.push(line);
    }
    push_paragraph(&mut text, &paragraph, mirror, &layout);
    text
}

/// Append one paragraph to `text`: its lines read in the direction it was set in, joined
/// with spaces, its brackets balanced.
fn push_paragraph(text: &mut String, lines: &[&Line], mirror: bool, layout: &Layout) {
    if lines.is_empty() {
        return;
    }
    // A paragraph with Arabic letters is read right to left unless its lines say it was set
    // left to right (a paragraph that starts with a Latin address, by a producer that takes
    // the direction from the first letter); one without, the other way round.
    let rtl_lines: Vec<String> = lines.iter().map(|l| l.logical(true, mirror)).collect();
    let ltr_lines: Vec<String> = lines.iter().map(|l| l.logical(false, mirror)).collect();
    let score = |ls: &[String]| ls.iter().map(|l| bidi::order_score(l)).sum::<i32>();
    let (as_rtl, as_ltr) = (score(&rtl_lines), score(&ltr_lines));
    let rtl = if lines.iter().any(|l| l.rtl) {
        as_rtl >= as_ltr
    } else {
        as_rtl > as_ltr
    };
    let chosen = if rtl { rtl_lines } else { ltr_lines };
    let mut joined = String::new();
    let mut prev: Option<&Line> = None;
    for (line, logical) in lines.iter().zip(&chosen) {
        let logical = logical.trim();
        if logical.is_empty() {
            continue;
        }
        if let Some(p) = prev {
            // A word longer than a line is broken where the line ends, with no space.
            let (_, last) = p.edge_words(rtl);
            let (first, _) = line.edge_words(rtl);
            let (left, right) = layout
                .margins
                .get(p.page)
                .copied()
                .unwrap_or((p.left, p.right));
            if last + first <= right - left {
                joined.push(' ');
            }
        }
        joined.push_str(logical);
        prev = Some(line);
    }
    if joined.is_empty() {
        return;
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(&bidi::balance_brackets(&joined));
    text.push('\n');
}

/// Drop glyphs no position can be trusted for, and make sizes and widths usable.
fn clean(glyphs: &mut [Glyph]) {
    for g in glyphs {
        if !(g.x.is_finite() && g.y.is_finite() && g.width.is_finite() && g.size.is_finite()) {
            g.text.clear();
        }
        g.size = if g.size > 0.1 { g.size.min(1e4) } else { 1.0 };
        g.width = g.width.clamp(0.0, 1e4);
    }
}

/// The page's glyphs by baseline, top to bottom, each baseline's left to right (indices). A
/// baseline is the glyphs within half a size of its first glyph's, so a raised footnote
/// number or a vowel sign drawn a little higher stays on its line.
fn baselines(glyphs: &[Glyph]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..glyphs.len())
        .filter(|&i| !glyphs[i].text.is_empty())
        .collect();
    order.sort_by(|&a, &b| glyphs[b].y.total_cmp(&glyphs[a].y).then(a.cmp(&b)));
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut anchor: Option<(f32, f32)> = None;
    for i in order {
        let g = &glyphs[i];
        match (anchor, groups.last_mut()) {
            (Some((y, size)), Some(group))
                if (y - g.y).abs() <= 0.5 * size.max(g.size)
                    || (g.is_mark() && (y - g.y).abs() <= size) =>
            {
                group.push(i);
            }
            _ => {
                anchor = Some((g.y, g.size));
                groups.push(vec![i]);
            }
        }
    }
    for group in &mut groups {
        // Left to right, in drawing order where two glyphs share an origin.
        group.sort_by(|&a, &b| glyphs[a].x.total_cmp(&glyphs[b].x).then(a.cmp(&b)));
    }
    groups
}

/// Where each font draws each combining mark from, relative to the centre of the letter it
/// sits on, in sizes. A shaper puts a mark's origin where the mark's anchor meets the
/// letter's, and the mark's anchor is far from its origin in some fonts (Amiri's are a fifth
/// of a size to the right), so the origin can lie over the neighbouring letter. The offset is
/// one number per font and mark, so it is found by vote: every occurrence offers the offsets
/// to the letters around it, and the true one is offered by all of them.
struct MarkOffsets {
    by_mark: HashMap<(u32, char), f32>,
    by_font: HashMap<u32, f32>,
    all: Option<f32>,
}

/// The fewest occurrences an offset of one mark or font is taken from; with fewer, that of the
/// font's marks, then of all the document's marks, is used.
const MIN_MARKS: usize = 8;

impl MarkOffsets {
    /// Candidates for a mark's letter: the letters of its baseline whose centre lies from a
    /// little left of the mark's origin to half a size right of it (where the fonts we know
    /// put the letter under a mark).
    fn candidates<'a>(
        glyphs: &'a [Glyph],
        group: &'a [usize],
        m: usize,
    ) -> impl Iterator<Item = usize> + 'a {
        let mark = &glyphs[m];
        group.iter().copied().filter(move |&i| {
            let g = &glyphs[i];
            let d = (g.centre() - mark.x) / mark.size;
            !g.is_mark() && !g.is_blank() && (-0.15..=0.5).contains(&d)
        })
    }

    fn of(pages: &[(Vec<Glyph>, Vec<Vec<usize>>)]) -> MarkOffsets {
        // For each key, the number of marks and the offsets they offer.
        let mut by_mark: HashMap<(u32, char), (usize, Vec<f32>)> = HashMap::new();
        let mut by_font: HashMap<u32, (usize, Vec<f32>)> = HashMap::new();
        let mut all: (usize, Vec<f32>) = (0, Vec::new());
        for (glyphs, groups) in pages {
            for group in groups {
                for &m in group.iter().filter(|&&i| glyphs[i].is_mark()) {
                    let mark = &glyphs[m];
                    let Some(c) = mark.text.chars().next() else {
                        continue;
                    };
                    let offered: Vec<f32> = Self::candidates(glyphs, group, m)
                        .map(|i| (glyphs[i].centre() - mark.x) / mark.size)
                        .collect();
                    for entry in [
                        by_mark.entry((mark.font, c)).or_default(),
                        by_font.entry(mark.font).or_default(),
                        &mut all,
                    ] {
                        entry.0 += 1;
                        entry.1.extend(&offered);
                    }
                }
            }
        }
        let settle = |(n, offsets): (usize, Vec<f32>)| {
            if n >= MIN_MARKS {
                mode(offsets, 0.06)
            } else {
                None
            }
        };
        MarkOffsets {
            by_mark: by_mark
                .into_iter()
                .filter_map(|(k, v)| Some((k, settle(v)?)))
                .collect(),
            by_font: by_font
                .into_iter()
                .filter_map(|(k, v)| Some((k, settle(v)?)))
                .collect(),
            // A document of a handful of marks: a coarser vote, since marks of one font are
            // drawn from about the same place.
            all: if all.0 >= MIN_MARKS {
                mode(all.1, 0.06)
            } else {
                mode(all.1, 0.12)
            },
        }
    }

    /// The letter mark `m` sits on, of the letters of its baseline.
    fn base(&self, glyphs: &[Glyph], group: &[usize], m: usize) -> Option<usize> {
        let mark = &glyphs[m];
        let offset = mark
            .text
            .chars()
            .next()
            .and_then(|c| self.by_mark.get(&(mark.font, c)))
            .or_else(|| self.by_font.get(&mark.font))
            .copied()
            .or(self.all)
            .unwrap_or(0.15);
        let expected = mark.x + offset * mark.size;
        let near = Self::candidates(glyphs, group, m).min_by(|&a, &b| {
            (glyphs[a].centre() - expected)
                .abs()
                .total_cmp(&(glyphs[b].centre() - expected).abs())
        });
        near.or_else(|| {
            // Far from every letter (a mark drawn on a space, a stray one): the nearest letter.
            group
                .iter()
                .copied()
                .filter(|&i| !glyphs[i].is_mark() && !glyphs[i].is_blank())
                .min_by(|&a, &b| {
                    (glyphs[a].centre() - mark.x)
                        .abs()
                        .total_cmp(&(glyphs[b].centre() - mark.x).abs())
                })
        })
    }
}

/// The value with the most others within `width` of it (`None` for no values).
fn mode(mut values: Vec<f32>, width: f32) -> Option<f32> {
    values.retain(|v| v.is_finite());
    values.sort_by(f32::total_cmp);
    let mut best: Option<(usize, f32)> = None;
    let mut start = 0;
    for end in 0..values.len() {
        while values[end] - values[start] > width {
            start += 1;
        }
        let count = end + 1 - start;
        if best.is_none_or(|(n, _)| count > n) {
            best = Some((count, (values[start] + values[end]) / 2.0));
        }
    }
    best.map(|(_, v)| v)
}

/// One baseline's glyphs (indices, left to right) as lines: split where a gap is wider than
/// any space, with spaces where words are apart and marks joined to the letter they sit on.
fn split(glyphs: &[Glyph], group: &[usize], page: usize, offsets: &MarkOffsets) -> Vec<Line> {
    let mut marks_on: HashMap<usize, Vec<usize>> = HashMap::new();
    for &m in group.iter().filter(|&&i| glyphs[i].is_mark()) {
        if let Some(b) = offsets.base(glyphs, group, m) {
            marks_on.entry(b).or_default().push(m);
        }
    }
    let mut lines = Vec::new();
    let mut units: Vec<Unit> = Vec::new();
    let mut sizes: Vec<f32> = Vec::new();
    let mut last_end = f32::NEG_INFINITY;
    let mut line_size = 0.0f32;
    for &i in group.iter().filter(|&&i| !glyphs[i].is_mark()) {
        let g = &glyphs[i];
        if g.is_blank() {
            // A drawn space is a space; its advance is no ink.
            if units.last().is_some_and(|u| !u.is_space()) {
                units.push(Unit {
                    text: " ".to_owned(),
                    left: g.x,
                    right: g.x + g.width,
                });
            }
            last_end = last_end.max(g.x + g.width);
            continue;
        }
        let gap = g.x - last_end;
        if !units.is_empty() && gap > 3.0 * g.size.max(line_size) {
            lines.extend(finish(std::mem::take(&mut units), &mut sizes, page));
        } else if !units.is_empty()
            && gap > 0.15 * g.size
            && units.last().is_some_and(|u| !u.is_space())
        {
            units.push(Unit {
                text: " ".to_owned(),
                left: last_end,
                right: g.x,
            });
        }
        let mut text = g.text.clone();
        for &m in marks_on.get(&i).into_iter().flatten() {
            text.push_str(&glyphs[m].text);
        }
        if units.is_empty() {
            line_size = g.size;
        }
        units.push(Unit {
            text,
            left: g.x,
            right: g.x + g.width,
        });
        sizes.push(g.size);
        last_end = last_end.max(g.x + g.width);
    }
    lines.extend(finish(units, &mut sizes, page));
    // The baseline is the group's: its first letter's.
    let y = group
        .iter()
        .find(|&&i| !glyphs[i].is_mark())
        .map_or(0.0, |&i| glyphs[i].y);
    for l in &mut lines {
        l.y = y;
    }
    lines
}

/// A line of `units`: no space at its ends, its size the median of its glyphs'.
fn finish(mut units: Vec<Unit>, sizes: &mut Vec<f32>, page: usize) -> Option<Line> {
    while units.last().is_some_and(Unit::is_space) {
        units.pop();
    }
    let lead = units.iter().take_while(|u| u.is_space()).count();
    units.drain(..lead);
    sizes.sort_by(f32::total_cmp);
    let size = sizes.get(sizes.len() / 2).copied().unwrap_or(1.0);
    sizes.clear();
    let first = units.first()?;
    let left = units.iter().map(|u| u.left).fold(first.left, f32::min);
    let right = units.iter().map(|u| u.right).fold(first.right, f32::max);
    let rtl = units.iter().any(|u| u.text.chars().any(bidi::is_rtl));
    Some(Line {
        units,
        left,
        right,
        y: 0.0,
        size,
        rtl,
        page,
    })
}

/// What the document's layout is: its usual line spacing and its margins.
struct Layout {
    /// The usual distance between baselines of a paragraph's lines, as a multiple of the size.
    leading: f32,
    /// Left and right margin of each page's text.
    margins: Vec<(f32, f32)>,
}

impl Layout {
    fn of(lines: &[Line]) -> Layout {
        let pages = lines.last().map_or(0, |l| l.page + 1);
        let all = edges(lines.iter());
        let mut per_page = vec![(0usize, (f32::INFINITY, f32::NEG_INFINITY)); pages];
        for line in lines {
            if let Some((count, (left, right))) = per_page.get_mut(line.page) {
                *count += 1;
                *left = left.min(line.left);
                *right = right.max(line.right);
            }
        }
        // A page of a few lines (the end of a document) says little of its margins.
        let margins = per_page
            .into_iter()
            .map(|(count, edges)| if count >= 5 { edges } else { all })
            .collect();
        Layout {
            leading: typical_leading(lines),
            margins,
        }
    }

    /// Whether `next` goes on the paragraph whose last line is `prev`, a paragraph with
    /// Arabic letters when `rtl`.
    fn continues(&self, prev: &Line, next: &Line, rtl: bool, mirror: bool) -> bool {
        let size = prev.size.max(next.size);
        if (prev.size - next.size).abs() > 0.15 * size {
            return false;
        }
        let (left, right) = self
            .margins
            .get(prev.page)
            .copied()
            .unwrap_or((prev.left, prev.right));
        let (next_left, next_right) = self
            .margins
            .get(next.page)
            .copied()
            .unwrap_or((next.left, next.right));
        // Latin lines then an Arabic one: one paragraph only if the Latin line reaches the right
        // margin, as the first line of an Arabic paragraph does (an address too long for a
        // line), not where a Latin paragraph's line stops.
        if !rtl && next.rtl && prev.right < right - 1.5 * size {
            return false;
        }
        if prev.page == next.page {
            let dy = prev.y - next.y;
            if dy <= 0.0 || dy > (self.leading + 0.35) * size {
                return false;
            }
        } else {
            // Over a page break there is no gap to go by. A numbered paragraph or list item at
            // the top of the page is a new one, and so is a line set in the other direction
            // (a Latin footnote before an Arabic line, an address after Arabic text).
            let leaning = next.leaning(mirror);
            if next.page != prev.page + 1
                || starts_with_label(&next.logical(rtl, false))
                || (!rtl && next.rtl)
                || (rtl && leaning < 0)
                || (!rtl && leaning > 0)
            {
                return false;
            }
        }
        // From here the paragraph runs right to left if it has Arabic letters so far or the
        // next line has.
        let rtl = rtl || next.rtl;
        // Centred lines (a title over two lines) are short at both ends and one paragraph.
        let centred = |l: &Line, lm: f32, rm: f32| {
            let (a, b) = (l.left - lm, rm - l.right);
            a > size && b > size && (a - b).abs() < 2.0 * size
        };
        if centred(prev, left, right) && centred(next, next_left, next_right) {
            return true;
        }
        // A line that stops short of the far margin by clearly more than the next line's first
        // word ended its paragraph: the word would have fitted. (Producers measure words a
        // little differently from how they draw them, so a size and a half of slack.)
        let room = if rtl {
            prev.left - left
        } else {
            right - prev.right
        };
        if room > next.first_word(rtl) + 1.5 * size {
            return false;
        }
        // A line that starts in from the near margin, after one that does not, starts one.
        let indent = |l: &Line, lm: f32, rm: f32| if rtl { rm - l.right } else { l.left - lm };
        if indent(next, next_left, next_right) > 0.5 * size
            && indent(prev, left, right) <= 0.5 * size
        {
            return false;
        }
        true
    }
}

/// Whether a line starts with the number of a UN paragraph (`12-`, `١٢-`) or a list label
/// (`(أ)`, `(iv)`), possibly after a dash.
fn starts_with_label(line: &str) -> bool {
    let line = line.trim_start();
    let line = line.strip_prefix("- ").unwrap_or(line);
    let digits = line.chars().take_while(|c| c.is_numeric()).count();
    if (1..=3).contains(&digits) {
        let rest: String = line.chars().skip(digits).take(2).collect();
        return rest == "- " || rest == "-\u{a0}";
    }
    if let Some(rest) = line.strip_prefix('(') {
        let label = rest.chars().take_while(|&c| c != ')').count();
        return (1..=4).contains(&label)
            && rest.chars().nth(label) == Some(')')
            && rest.chars().nth(label + 1).is_some_and(char::is_whitespace);
    }
    false
}

/// The leftmost left edge and the rightmost right edge of `lines`.
fn edges<'a>(lines: impl Iterator<Item = &'a Line>) -> (f32, f32) {
    lines.fold((f32::INFINITY, f32::NEG_INFINITY), |(l, r), line| {
        (l.min(line.left), r.max(line.right))
    })
}

/// The most common distance between neighbouring baselines of one size on one page, as a
/// multiple of the size (the median would drift towards paragraph gaps in a document of
/// short paragraphs).
fn typical_leading(lines: &[Line]) -> f32 {
    let ratios: Vec<f32> = lines
        .windows(2)
        .filter(|w| w[0].page == w[1].page && (w[0].size - w[1].size).abs() < 0.1 * w[0].size)
        .map(|w| (w[0].y - w[1].y) / w[0].size)
        .filter(|r| *r > 0.8 && *r < 3.0)
        .collect();
    mode(ratios, 0.05).unwrap_or(1.3)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs for a visual-order string, 6 pt apart.
    fn glyphs(visual: &str, x: f32, y: f32) -> Vec<Glyph> {
        visual
            .chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                text: c.to_string(),
                x: x + 6.0 * i as f32,
                width: 6.0,
                y,
                size: 12.0,
                font: 0,
            })
            .collect()
    }

    /// A page of right-aligned lines (right edge at 500), `gap` points between baselines.
    fn page(visual_lines: &[&str], gap: &[f32]) -> Vec<Glyph> {
        let mut y = 700.0;
        let mut out = Vec::new();
        for (k, l) in visual_lines.iter().enumerate() {
            let width = 6.0 * l.chars().count() as f32;
            out.extend(glyphs(l, 500.0 - width, y));
            y -= gap.get(k).copied().unwrap_or(16.0);
        }
        out
    }

    #[test]
    fn lines_join_into_paragraphs_by_layout() {
        // A full line and a short one; after a wide gap, a short line where the next line's
        // first word would have fitted, so a paragraph of its own; a full line and a short
        // one again; then a last line.
        let full = "ججج ".repeat(18);
        let full = full.trim();
        let lines = [full, "ب ب", "د د", full, "و", "ز ز"];
        let text = text(vec![page(&lines, &[16.0, 30.0, 16.0, 16.0, 16.0])]);
        let paragraphs: Vec<&str> = text.split("\n\n").collect();
        assert_eq!(paragraphs.len(), 4, "{text}");
    }

    #[test]
    fn glyphs_make_logical_lines() {
        // Drawn in a scrambled order, with a mark whose origin lies over the letter before
        // the one it sits on; three paragraphs far apart.
        let mut page = glyphs("CTOC/COP/2018/1 ةقيثولا", 100.0, 700.0);
        page.reverse();
        page.extend(glyphs("نم", 100.0, 660.0));
        page.push(Glyph {
            text: "\u{64E}".into(),
            x: 104.0,
            width: 0.0,
            y: 661.0,
            size: 12.0,
            font: 0,
        });
        // Other occurrences of the mark in the same font say it is drawn from 5 pt left of
        // its letter's centre.
        page.extend(glyphs("ب ب ب", 100.0, 620.0));
        for x in [98.0, 110.0] {
            page.push(Glyph {
                text: "\u{64E}".into(),
                x,
                width: 0.0,
                y: 620.0,
                size: 12.0,
                font: 0,
            });
        }
        assert_eq!(text(vec![page]), "الوثيقة CTOC/COP/2018/1\n\nمَن\n\nب بَ بَ\n");
    }

    #[test]
    fn labels() {
        assert!(starts_with_label("١٢- ويمكن"));
        assert!(starts_with_label("- 13- عملاً"));
        assert!(starts_with_label("(د) ورقة"));
        assert!(!starts_with_label("12-16 تشرين"));
        assert!(!starts_with_label("(CTOC/COP/WG.2/2023/CRP.1)."));
    }
}
