//! Plain text files: UTF-8, as extracted by whatever tool made them.

/// The text of a UTF-8 text file, or why it is not usable text.
pub fn read(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.is_empty() {
        return Err("the file is empty".to_owned());
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("it is UTF-16 text; save it as UTF-8".to_owned());
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(format!(
            "NUL byte at byte offset {offset}: this is a binary file, not text"
        ));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        format!("invalid UTF-8 at byte offset {offset} (line {line}); save the file as UTF-8")
    })?;
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    if text.trim().is_empty() {
        return Err("the file contains no text".to_owned());
    }
    let chars = text.chars().count();
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !c.is_whitespace())
        .count();
    // Extracted text has almost none; a tenth is far beyond any text and typical of binary data.
    if controls * 10 > chars {
        let are = if controls == 1 {
            "is a control character"
        } else {
            "are control characters"
        };
        return Err(format!(
            "{controls} of its {} {are}: this is binary data, not text",
            crate::output::counted(chars as u64, "character", "characters")
        ));
    }
    Ok(text)
}
