//! Citations: which document of the site a written number means, and who cites whom.
//!
//! Takes the parsed documents (for the number map) and the assembled [`Site`] (for the links);
//! fills `cites`, `cited_by` and `external_refs`. Numbers restart every year, so one number may
//! name several documents: [`pick_cited`] chooses by date, year, then province.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::link::numbers::{find_numbers, number_key};
use crate::model::{DocId, Site};
use crate::parse::document::ParsedDoc;

/// Date and province of a document: what a citation is matched against.
pub type DocStamp = (Option<Date>, Option<String>);

/// Picks which of the documents sharing a number a citation means: the one issued on the
/// cited date, else in the cited year, else in the citing document's province, else the newest.
pub fn pick_cited(
    stamps: &[DocStamp],
    candidates: &[DocId],
    cited: Option<Date>,
    province: Option<&str>,
) -> Option<DocId> {
    if candidates.len() <= 1 {
        return candidates.first().copied();
    }
    let find = |f: &dyn Fn(&DocStamp) -> bool| {
        candidates
            .iter()
            .copied()
            .find(|&c| stamps.get(c).is_some_and(f))
    };
    if let Some(date) = cited {
        let same_day = find(&|s| s.0 == Some(date));
        if let Some(c) = same_day.or_else(|| find(&|s| s.0.map(|x| x.year()) == Some(date.year())))
        {
            return Some(c);
        }
    }
    if let Some(p) = province {
        if let Some(c) = find(&|s| s.1.as_deref() == Some(p)) {
            return Some(c);
        }
    }
    candidates.first().copied()
}

/// Number key → documents. Sharing a number is normal across years and issuers; the same
/// number on the same day from the same province is a likely copy and warns.
pub(crate) fn number_map(docs: &[ParsedDoc], diags: &Diagnostics) -> BTreeMap<String, Vec<usize>> {
    let mut map: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (id, d) in docs.iter().enumerate() {
        let Some(key) = d.number.as_deref().and_then(number_key) else {
            continue;
        };
        let owners = map.entry(key).or_default();
        let clash = owners.iter().copied().find(|&o| {
            let o = &docs[o];
            o.date == d.date && o.issuer == d.issuer
        });
        if let Some(o) = clash {
            diags.push(Diagnostic::warning(
                &d.source.path,
                1,
                1,
                format!(
                    "số hiệu `{}` trùng với `{}` (cùng cơ quan, cùng ngày)",
                    d.number.as_deref().unwrap_or(""),
                    docs[o].source.path.display()
                ),
            ));
        }
        owners.push(id);
    }
    map
}

/// The site's numbers and what citations are matched against.
pub(crate) struct Citations<'a> {
    pub numbers: &'a BTreeMap<String, Vec<usize>>,
    pub stamps: &'a [DocStamp],
}

impl Citations<'_> {
    /// The document a citation of `key` (dated `date`, if written) from document `from` means;
    /// `None` when no document of the site has that number or it is `from` itself.
    pub fn resolve(&self, key: &str, date: Option<Date>, from: usize) -> Option<usize> {
        let candidates = self.numbers.get(key)?;
        let province = self.stamps.get(from).and_then(|s| s.1.as_deref());
        let others: Vec<usize> = candidates.iter().copied().filter(|&c| c != from).collect();
        pick_cited(self.stamps, &others, date, province)
    }

    fn known(&self, key: &str) -> bool {
        self.numbers.contains_key(key)
    }
}

/// The numbers a body's plain text mentions, as written, with the date after each: what
/// [`link_citations`] reads of a body (kept per document once its text is dropped).
pub(crate) type Mentions = Vec<(String, Option<jiff::civil::Date>)>;

/// [`Mentions`] of one plain text.
pub(crate) fn mentions(plain_text: &str) -> Mentions {
    find_numbers(plain_text)
        .into_iter()
        .map(|m| (m.raw, m.date))
        .collect()
}

/// What document `id` cites, from its `refs:` and the numbers its body mentions: documents
/// of the site, and the numbers written that are not (`serve`'s quick pass asks this of an
/// edited document alone).
pub(crate) fn doc_citations(
    cite: &Citations,
    id: usize,
    refs: &[String],
    mentions: &[(String, Option<jiff::civil::Date>)],
) -> (Vec<usize>, Vec<String>) {
    let mut cites = Vec::new();
    let mut external: Vec<String> = Vec::new();
    let mut seen_ext = BTreeSet::new();
    let written = refs
        .iter()
        .map(|r| (r.clone(), None))
        .chain(mentions.iter().cloned());
    for (raw, date) in written {
        let Some(key) = number_key(&raw) else {
            continue;
        };
        match cite.resolve(&key, date, id) {
            Some(t) => {
                if !cites.contains(&t) {
                    cites.push(t);
                }
            }
            None if cite.known(&key) => {}
            None => {
                if seen_ext.insert(key) {
                    external.push(raw);
                }
            }
        }
    }
    (cites, external)
}

/// Fills `cites`, `cited_by` and `external_refs` from `refs:` and the numbers each body
/// mentions (`mentions`, by document id).
pub(crate) fn link_citations(site: &mut Site, stamps: &[DocStamp], mentions: &[Mentions]) {
    let cite = Citations {
        numbers: &site.numbers,
        stamps,
    };
    let found: Vec<(Vec<usize>, Vec<String>)> = site
        .documents
        .par_iter()
        .enumerate()
        .map(|(id, d)| {
            let written = mentions.get(id).map_or(&[][..], Vec::as_slice);
            doc_citations(&cite, id, &d.refs, written)
        })
        .collect();
    let mut cited_by = vec![Vec::new(); site.documents.len()];
    for (id, (cites, _)) in found.iter().enumerate() {
        for &t in cites {
            cited_by[t].push(id);
        }
    }
    for (d, ((cites, external), by)) in site
        .documents
        .iter_mut()
        .zip(found.into_iter().zip(cited_by))
    {
        d.cites = cites;
        d.external_refs = external;
        d.cited_by = by;
    }
}
