//! PDF files.

/// The text of a PDF file in logical order.
pub fn read(_bytes: &[u8]) -> Result<String, String> {
    Err("PDF files cannot be read yet".to_owned())
}
