//! PDF files. pdf_oxide parses the file and gives every character drawn with its position;
//! the rest is ours ([`layout`]): glyphs on one baseline make a line, ordered by x and turned
//! from visual into logical order with the Unicode bidi algorithm ([`bidi`]), lines joined
//! into paragraphs by layout. pdf_oxide's own text assembly is not used: on Arabic lines with
//! Latin symbols it reverses the Latin runs and misplaces lines.

mod bidi;
mod layout;

use std::panic::{catch_unwind, AssertUnwindSafe};

use pdf_oxide::PdfDocument;
use unicode_normalization::UnicodeNormalization;

use layout::Glyph;

/// The most pages read: far beyond any UN document, and a bound on the work a malformed page
/// tree can ask for.
const MAX_PAGES: usize = 10_000;

/// The text of a PDF file in logical order.
pub fn read(bytes: &[u8]) -> Result<String, String> {
    if bytes.is_empty() {
        return Err("the file is empty".to_owned());
    }
    let head = &bytes[..bytes.len().min(1024)];
    if find(head, b"%PDF-").is_none() {
        return Err("it is not a PDF file".to_owned());
    }
    // A PDF ends with its cross-reference table, trailer, `startxref` and `%%EOF` (some
    // producers append a little junk after it). A file cut short loses them; pdf_oxide would
    // rebuild the table from what is left and hand back part of the text, which is worse for
    // an index than no text at all.
    let tail = &bytes[bytes.len().saturating_sub(16 << 10)..];
    if find(tail, b"%%EOF").is_none() || find(tail, b"startxref").is_none() {
        return Err("it is a damaged PDF: it is cut short (no trailer at its end)".to_owned());
    }
    // The last line of defence, not the way errors are handled: pdf_oxide is a large parser
    // that returns errors for the malformed files we know of, but a panic inside it on some
    // file nobody has tried must not take the whole corpus load down with it.
    match catch_unwind(AssertUnwindSafe(|| extract(bytes))) {
        Ok(result) => result,
        Err(_) => Err("it is a damaged PDF: the PDF parser failed on it".to_owned()),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn extract(bytes: &[u8]) -> Result<String, String> {
    let doc = PdfDocument::from_bytes(bytes.to_vec()).map_err(|e| match e {
        pdf_oxide::Error::EncryptedPdf => encrypted(),
        e => damaged(&e),
    })?;
    if doc.is_encrypted() && !doc.is_authenticated() {
        return Err(encrypted());
    }
    let count = doc.page_count().map_err(|e| damaged(&e))?;
    if count == 0 {
        return Err("it is a damaged PDF: it has no pages".to_owned());
    }
    if count > MAX_PAGES {
        return Err(format!("it is a damaged PDF: it claims {count} pages"));
    }
    let mut pages = Vec::with_capacity(count);
    let mut fonts = Vec::new();
    let (mut chars, mut unreadable) = (0usize, 0usize);
    for page in 0..count {
        let unreadable_page = |e: pdf_oxide::Error| match e {
            pdf_oxide::Error::EncryptedPdf => encrypted(),
            e => format!(
                "it is a damaged PDF: page {} cannot be read ({e})",
                page + 1
            ),
        };
        // pdf_oxide's character extraction takes a content stream it cannot decode for an
        // empty page; decoding it first (pdf_oxide keeps it for the extraction) tells a damaged
        // page from a blank one.
        doc.get_page_content_data(page).map_err(unreadable_page)?;
        let drawn = doc.extract_chars(page).map_err(unreadable_page)?;
        let glyphs = glyphs(&drawn, &mut fonts);
        for g in &glyphs {
            for c in g.text.chars().filter(|c| !c.is_whitespace()) {
                chars += 1;
                if unreadable_char(c) {
                    unreadable += 1;
                }
            }
        }
        pages.push(glyphs);
    }
    if chars == 0 {
        return Err("it is a scanned PDF with no text layer (OCR it first)".to_owned());
    }
    // A font without a Unicode mapping gives glyph codes, not characters.
    if unreadable * 4 > chars {
        return Err(
            "its fonts do not say which characters their glyphs are, so its text cannot be \
             read (OCR it instead)"
                .to_owned(),
        );
    }
    let text = layout::text(pages);
    if text.trim().is_empty() {
        return Err("it is a scanned PDF with no text layer (OCR it first)".to_owned());
    }
    Ok(text)
}

fn encrypted() -> String {
    "it is an encrypted PDF (it needs a password to be read)".to_owned()
}

fn damaged(e: &pdf_oxide::Error) -> String {
    format!("it is a damaged PDF: {e}")
}

/// A character that is no text: the replacement character, private-use code points and
/// control characters, which is what glyphs without a Unicode mapping read as.
fn unreadable_char(c: char) -> bool {
    c == '\u{FFFD}'
        || ('\u{E000}'..='\u{F8FF}').contains(&c)
        || (c.is_control() && !c.is_whitespace())
}

/// The page's characters as glyphs: horizontal text only (a rotated job number in a margin is
/// not part of the body), the characters of one glyph (a ligature, a cluster) kept together,
/// Arabic presentation forms turned into letters.
fn glyphs(chars: &[pdf_oxide::layout::TextChar], fonts: &mut Vec<String>) -> Vec<Glyph> {
    let mut out: Vec<Glyph> = Vec::with_capacity(chars.len());
    let mut last: Option<(f32, f32, f32)> = None;
    for c in chars {
        let rotation = c.rotation_degrees.rem_euclid(360.0);
        if rotation > 1.0 && rotation < 359.0 {
            last = None;
            continue;
        }
        let (x, y) = (c.origin_x, c.origin_y);
        let width = c.advance_width.max(0.0);
        let size = c.font_size.abs();
        // Characters of one glyph share its origin; the first carries the advance.
        let same_glyph = matches!(last, Some((lx, ly, lw)) if lx == x && ly == y && lw > 0.0)
            && width == 0.0
            && !is_mark_char(c.char);
        let mut text = String::new();
        push_char(&mut text, c.char);
        if same_glyph {
            if let Some(g) = out.last_mut() {
                g.text.push_str(&text);
                continue;
            }
        }
        let font = match fonts.iter().position(|f| *f == c.font_name) {
            Some(i) => i as u32,
            None => {
                fonts.push(c.font_name.clone());
                (fonts.len() - 1) as u32
            }
        };
        out.push(Glyph {
            text,
            x,
            width,
            y,
            size,
            font,
        });
        last = Some((x, y, width));
    }
    out
}

fn is_mark_char(c: char) -> bool {
    matches!(unicode_bidi::bidi_class(c), unicode_bidi::BidiClass::NSM)
}

/// `c` as text: presentation forms (ﻻ, ﺍ) as the letters they show, the rest as is.
fn push_char(text: &mut String, c: char) {
    if ('\u{FB50}'..='\u{FDFF}').contains(&c) || ('\u{FE70}'..='\u{FEFF}').contains(&c) {
        text.extend(std::iter::once(c).nfkc());
    } else {
        text.push(c);
    }
}
