//! How the memo's posting lists change: the edits an entry's new terms make
//! ([`diff_terms`]) and a list with its edits applied ([`merge_postings`]).

use super::super::plist::PackedList;
use super::Edits;

/// The edits that turn entry `doc`'s terms `old` into `new` (both by term id).
pub(super) fn diff_terms(doc: u32, old: &[(u32, u32)], new: &[(u32, u32)], edits: &mut Edits) {
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        match (old.get(i), new.get(j)) {
            (Some(&(a, pa)), Some(&(b, pb))) if a == b => {
                if pa != pb {
                    edits.entry(b).or_default().push((doc, Some(pb)));
                }
                i += 1;
                j += 1;
            }
            (Some(&(a, _)), Some(&(b, _))) if a < b => {
                edits.entry(a).or_default().push((doc, None));
                i += 1;
            }
            (Some(&(a, _)), None) => {
                edits.entry(a).or_default().push((doc, None));
                i += 1;
            }
            (_, Some(&(b, pb))) => {
                edits.entry(b).or_default().push((doc, Some(pb)));
                j += 1;
            }
            (None, None) => break,
        }
    }
}

/// `list` with `edits` (in doc order) applied, and `last` its last doc; true when an entry
/// joined or left it.
pub(super) fn merge_postings(
    list: &mut PackedList,
    last: &mut Option<u32>,
    edits: &[(u32, Option<u32>)],
) -> bool {
    let appends = edits.iter().all(|e| e.1.is_some())
        && edits.first().is_some_and(|e| last.is_none_or(|l| e.0 > l));
    let mut moved = false;
    if appends {
        let added: Vec<(u32, u32)> = edits.iter().filter_map(|&(d, p)| Some((d, p?))).collect();
        list.extend(&added);
        moved = !added.is_empty();
        *last = added.last().map(|e| e.0).or(*last);
    } else {
        let mut merged = Vec::with_capacity(list.len() + edits.len());
        let mut e = edits.iter().peekable();
        for (d, p) in list.iter() {
            while let Some(&&(ed, ep)) = e.peek() {
                if ed >= d {
                    break;
                }
                if let Some(ep) = ep {
                    merged.push((ed, ep));
                    moved = true;
                }
                e.next();
            }
            match e.peek() {
                Some(&&(ed, ep)) if ed == d => {
                    e.next();
                    match ep {
                        Some(ep) => merged.push((d, ep)),
                        None => moved = true,
                    }
                }
                _ => merged.push((d, p)),
            }
        }
        for &(ed, ep) in e {
            if let Some(ep) = ep {
                merged.push((ed, ep));
                moved = true;
            }
        }
        *list = PackedList::default();
        list.extend(&merged);
        *last = merged.last().map(|e| e.0);
    }
    // Not shrunk here: a first update appends to every list once a batch, and shrinking after
    // each append copied every list again each time ([`State::update`] shrinks them once).
    moved
}
