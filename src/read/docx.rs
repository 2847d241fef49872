//! Word (`.docx`) files. A `.docx` is a ZIP archive whose main part, `word/document.xml`, holds
//! the text in logical order already (Word stores what was typed and leaves display order to
//! the renderer), so reading it is walking the XML: one line per `w:p`, a blank line between
//! paragraphs.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use zip::result::ZipError;
use zip::ZipArchive;

/// The main part of a Word document, where every producer puts it.
const DOCUMENT: &str = "word/document.xml";
/// The package's relationships, which name the main part when it is elsewhere.
const PACKAGE_RELS: &str = "_rels/.rels";
/// The largest XML part read: far above any real document's text (the corpus's largest is
/// a few MB), and a bound on what a ZIP bomb can make us decompress.
const MAX_PART: u64 = 512 << 20;
/// The signature of an OLE2 compound file: Word 97–2003 `.doc`, and also what Office wraps a
/// password-protected `.docx` in.
const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The text of a Word file in logical order.
pub fn read(bytes: &[u8]) -> Result<String, String> {
    if bytes.is_empty() {
        return Err("the file is empty".to_owned());
    }
    if bytes.starts_with(OLE2) {
        return Err(
            "it is an old Word (.doc) or password-protected Word file, not a .docx \
                    (save it as .docx without a password)"
                .to_owned(),
        );
    }
    if !bytes.starts_with(b"PK") {
        return Err("it is not a Word file (not a ZIP archive)".to_owned());
    }
    let mut zip = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("it is a damaged Word file: {}", zip_reason(&e)))?;
    let name = main_part(&mut zip)?;
    let xml = read_part(&mut zip, &name)?;
    let text = paragraphs(&xml)
        .map_err(|e| format!("it is a damaged Word file: {name} is not well-formed XML ({e})"))?;
    if text.is_empty() {
        return Err("the Word file contains no text".to_owned());
    }
    Ok(text)
}

/// The name of the main document part: `word/document.xml`, or the target of the package's
/// `officeDocument` relationship when a producer put it elsewhere.
fn main_part(zip: &mut ZipArchive<Cursor<&[u8]>>) -> Result<String, String> {
    if zip.index_for_name(DOCUMENT).is_some() {
        return Ok(DOCUMENT.to_owned());
    }
    if zip.index_for_name(PACKAGE_RELS).is_some() {
        if let Ok(rels) = read_part(zip, PACKAGE_RELS) {
            if let Some(target) = office_document_target(&rels) {
                if zip.index_for_name(&target).is_some() && target.ends_with(".xml") {
                    return Ok(target);
                }
            }
        }
    }
    let other = if zip.index_for_name("xl/workbook.xml").is_some() {
        " but an Excel workbook"
    } else if zip.index_for_name("ppt/presentation.xml").is_some() {
        " but a PowerPoint presentation"
    } else {
        ""
    };
    Err(format!("it is not a Word file{other} (no {DOCUMENT})"))
}

/// The main part named by `_rels/.rels`, as a name inside the archive.
fn office_document_target(rels: &str) -> Option<String> {
    let mut reader = Reader::from_str(rels);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let kind = attribute(&e, "Type")?;
                if kind.ends_with("/officeDocument") {
                    let target = attribute(&e, "Target")?;
                    return Some(target.trim_start_matches('/').to_owned());
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// The value of attribute `name` of `element`, unescaped.
fn attribute(element: &BytesStart, name: &str) -> Option<String> {
    element
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// One part of the archive as UTF-8 text.
fn read_part(zip: &mut ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<String, String> {
    let damaged = |e: &ZipError| format!("it is a damaged Word file: {name}: {}", zip_reason(e));
    let file = zip.by_name(name).map_err(|e| damaged(&e))?;
    if file.size() > MAX_PART {
        return Err(format!(
            "it is a damaged Word file: {name} would unpack to {} MB, more than any document",
            file.size() >> 20
        ));
    }
    let mut bytes = Vec::with_capacity(file.size().min(64 << 20) as usize);
    file.take(MAX_PART + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("it is a damaged Word file: {name} cannot be unpacked ({e})"))?;
    if bytes.len() as u64 > MAX_PART {
        return Err(format!(
            "it is a damaged Word file: {name} unpacks to more than {} MB",
            MAX_PART >> 20
        ));
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "it is a damaged Word file: {name} is not UTF-8 (at byte {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// The reason of a ZIP error, said for a person rather than as the library words it.
fn zip_reason(e: &ZipError) -> String {
    match e {
        ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED) => {
            "its parts are encrypted".to_owned()
        }
        ZipError::Io(io) => format!("it cannot be unpacked ({io})"),
        ZipError::InvalidArchive(why) => format!("its ZIP structure is broken ({why})"),
        other => other.to_string(),
    }
}

/// What an element of the document does to the text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// `w:p`: a paragraph.
    Paragraph,
    /// `w:r`: a run, the only place where text, tabs and breaks count.
    Run,
    /// `w:t` (and Office Math's `m:t`): text.
    Text,
    /// `w:tab`, `w:ptab`: a tab.
    Tab,
    /// `w:br`, `w:cr`: a line break inside the paragraph.
    Break,
    /// `w:noBreakHyphen`: a hyphen.
    Hyphen,
    /// `w:vanish` (in a run's properties): the run is hidden text.
    Hidden,
    /// Content that is not the document's current text: moved-away text (`w:moveFrom`; deleted
    /// text is `w:delText`, which is never read), and `mc:Fallback`, the second copy of a
    /// text box kept for old readers.
    Skipped,
    Other,
}

fn role(local_name: &str) -> Role {
    match local_name {
        "p" => Role::Paragraph,
        "r" => Role::Run,
        "t" => Role::Text,
        "tab" | "ptab" => Role::Tab,
        "br" | "cr" => Role::Break,
        "noBreakHyphen" => Role::Hyphen,
        "vanish" => Role::Hidden,
        "moveFrom" | "Fallback" => Role::Skipped,
        _ => Role::Other,
    }
}

/// The walk over `word/document.xml`.
#[derive(Default)]
struct Walk {
    /// Paragraphs being read; a text box's paragraphs nest inside the one that anchors it.
    open: Vec<String>,
    /// Paragraphs read, in document order of their ends.
    done: Vec<String>,
    /// Depth of `w:r` elements we are in.
    runs: usize,
    /// Depth of `w:t` elements we are in (inside a run).
    texts: usize,
    /// Depth of skipped elements we are in.
    skipped: usize,
    /// The current run is hidden text.
    hidden: bool,
}

impl Walk {
    fn reading(&self) -> bool {
        self.skipped == 0 && !self.hidden
    }

    fn push(&mut self, s: &str) {
        if let Some(p) = self.open.last_mut() {
            p.push_str(s);
        }
    }

    /// An element starts (`empty`: and ends at once).
    fn start(&mut self, e: &BytesStart, empty: bool) {
        let role = role(e.local_name().as_ref());
        if role == Role::Skipped {
            if !empty {
                self.skipped += 1;
            }
            return;
        }
        if self.skipped > 0 {
            return;
        }
        match role {
            Role::Paragraph if empty => self.done.push(String::new()),
            Role::Paragraph => self.open.push(String::new()),
            Role::Run if !empty => {
                self.runs += 1;
                self.hidden = false;
            }
            Role::Text if !empty && self.runs > 0 => self.texts += 1,
            Role::Tab if self.runs > 0 && !self.hidden => self.push("\t"),
            Role::Break if self.runs > 0 && !self.hidden => self.push("\n"),
            Role::Hyphen if self.runs > 0 && !self.hidden => self.push("-"),
            Role::Hidden if self.runs > 0 => {
                self.hidden =
                    !matches!(attribute(e, "val").as_deref(), Some("0" | "false" | "off"));
            }
            _ => {}
        }
    }

    fn end(&mut self, local_name: &str) {
        let role = role(local_name);
        if role == Role::Skipped {
            self.skipped = self.skipped.saturating_sub(1);
            return;
        }
        if self.skipped > 0 {
            return;
        }
        match role {
            Role::Paragraph => {
                if let Some(p) = self.open.pop() {
                    self.done.push(p);
                }
            }
            Role::Run => {
                self.runs = self.runs.saturating_sub(1);
                self.hidden = false;
            }
            Role::Text => self.texts = self.texts.saturating_sub(1),
            _ => {}
        }
    }

    fn text(&mut self, s: &str) {
        if self.texts > 0 && self.reading() {
            self.push(s);
        }
    }
}

/// The paragraphs of `xml` (a `word/document.xml`), one a line, with a blank line between them
/// and a newline at the end; empty paragraphs are dropped. A line break inside a paragraph
/// stays a newline inside it.
fn paragraphs(xml: &str) -> Result<String, quick_xml::Error> {
    let mut reader = Reader::from_str(xml);
    let mut walk = Walk::default();
    loop {
        match reader.read_event()? {
            Event::Start(e) => walk.start(&e, false),
            Event::Empty(e) => walk.start(&e, true),
            Event::End(e) => walk.end(e.local_name().as_ref()),
            Event::Text(t) => walk.text(&t.xml10_content()),
            Event::CData(t) => walk.text(&t.xml10_content()),
            // `&amp;`, `&#x41;`: quick-xml hands entities over apart from the text around them.
            Event::GeneralRef(r) if walk.texts > 0 && walk.reading() => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    walk.push(c.encode_utf8(&mut [0; 4]));
                } else if let Some(s) =
                    quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                {
                    walk.push(s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // A paragraph left open by a document cut short still holds its text.
    let Walk { mut done, open, .. } = walk;
    done.extend(open);
    let mut text = String::new();
    for p in &done {
        let lines: Vec<&str> = p
            .split('\n')
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty())
            .collect();
        if lines.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        for line in lines {
            text.push_str(line);
            text.push('\n');
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::paragraphs;

    const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>"#;
    const TAIL: &str = "</w:body></w:document>";

    fn text_of(body: &str) -> String {
        paragraphs(&format!("{HEAD}{body}{TAIL}")).unwrap()
    }

    #[test]
    fn runs_tabs_breaks_and_deletions() {
        let body = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t xml:space="preserve">البند </w:t></w:r><w:r><w:t>٥</w:t></w:r><w:r><w:tab/><w:t>CTOC/COP/2018/1</w:t></w:r><w:del><w:r><w:delText>محذوف</w:delText></w:r></w:del></w:p><w:p/><w:p><w:r><w:t>سطر</w:t><w:br/><w:t>آخر &amp; &#x41;</w:t></w:r></w:p>"#;
        assert_eq!(text_of(body), "البند ٥\tCTOC/COP/2018/1\n\nسطر\nآخر & A\n");
    }

    #[test]
    fn moved_hidden_and_fallback_text_is_skipped() {
        let body = r#"<w:p><w:moveFrom><w:r><w:t>قديم</w:t></w:r></w:moveFrom><w:r><w:rPr><w:vanish/></w:rPr><w:t>مخفي</w:t></w:r><w:r><w:t>نص</w:t></w:r><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>مربع</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>مربع</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>"#;
        assert_eq!(text_of(body), "مربع\n\nنص\n");
    }

    #[test]
    fn cut_short_is_an_error() {
        assert!(paragraphs(&format!("{HEAD}<w:p><w:r><w:t>نص</w:r>")).is_err());
    }
}
