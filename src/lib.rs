//! fahras — full-text search over the Arabic documents of the Conference of the Parties to
//! the UN Convention against Transnational Organized Crime.
//!
//! The flow of data, one module per stage: [`read`] turns a file (text, PDF, Word) into
//! text, [`repair`] undoes extraction damage, [`corpus`] makes documents and splits them into
//! passages, [`analysis`] is the Arabic analyzer, [`index`] builds and opens the tantivy
//! index, [`search`] parses queries and runs them, and [`output`] prints results.

pub mod analysis;
pub mod bench;
pub mod corpus;
pub mod error;
pub mod index;
pub mod output;
pub mod read;
pub mod repair;
pub mod search;
pub mod serve;

pub use error::{Error, Result};
