//! Parsing: front matter (YAML) and Markdown bodies.

pub mod document;
pub mod front_matter;
pub mod highlight;
pub mod markdown;
