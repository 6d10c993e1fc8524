//! Extraction: what a careful publisher reads out of a document — tasks (in every written
//! form), the units they name, and their deadlines.

pub mod deadline;
pub mod draft;
pub mod memo;
pub mod resolve;
pub mod tasks;
pub mod units;
