//! The linking stage: what ties documents, tasks and units together once every document is
//! parsed and extracted. Takes the parsed documents and the site under assembly; gives the
//! number map, rendered bodies with resolved links, citations both ways, and unit duties.

pub mod body;
pub mod cite;
pub mod duties;
pub mod numbers;
pub mod paths;
