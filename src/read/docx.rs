//! Word (`.docx`) files.

/// The text of a Word file in logical order.
pub fn read(_bytes: &[u8]) -> Result<String, String> {
    Err("Word files cannot be read yet".to_owned())
}
