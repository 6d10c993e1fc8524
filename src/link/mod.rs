//! Cross-references: document numbers (số hiệu) and how they are recognised and normalised.

pub mod numbers;
