//! Reading a corpus file into text in logical order, whatever its format. Each reader turns
//! the bytes of one file into the same thing — the document's text — and knows nothing of
//! repair, passages or the index; a new format is a new reader and a new arm below.

pub mod docx;
pub mod pdf;
pub mod text;

use std::path::Path;

/// The formats fahras reads, told by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Text,
    Pdf,
    Docx,
}

impl Format {
    /// The format of a file named `name`, or `None` when it is not a corpus file.
    pub fn of(name: &str) -> Option<Format> {
        let ext = Path::new(name).extension()?.to_str()?;
        match ext.to_ascii_lowercase().as_str() {
            "txt" => Some(Format::Text),
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }
}

/// The text of a file of `format`, or a sentence saying why it cannot be read.
pub fn read_text(format: Format, bytes: Vec<u8>) -> Result<String, String> {
    match format {
        Format::Text => text::read(bytes),
        Format::Pdf => pdf::read(&bytes),
        Format::Docx => docx::read(&bytes),
    }
}
