//! Clauses: scans one clause's tokens left to right into date atoms and ranges, and the markers
//! of ongoing, recurring, conditional and ad hoc work. Takes the tokens of a clause; returns a
//! [`Clause`].

use std::ops::Range;

use super::atoms::*;
use super::lex::*;
use super::recur::*;

#[derive(Debug)]
pub(super) struct Clause {
    /// Global token range.
    pub(super) range: Range<usize>,
    pub(super) items: Vec<Item>,
    pub(super) recur: Option<(usize, Recur)>,
    pub(super) ongoing: Option<usize>,
    /// Position of "khi", "sau khi", "nếu": the rest depends on an event.
    pub(super) cond: Option<usize>,
    /// "đột xuất", "theo yêu cầu": ad hoc work; conditional only when nothing else is said.
    pub(super) adhoc: bool,
    /// Its first atom continues the previous clause's list ("…, II/2019").
    pub(super) continues: bool,
    /// End (token index) of the span whose stated years fill this clause's missing ones.
    pub(super) year_scope_end: usize,
}

/// How the last atom relates to what follows it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Link {
    /// No atom yet, or other words since: the next atom stands alone.
    Broken,
    /// Right after an atom.
    Adjacent,
    /// After "atom đến" / "atom -": the next atom closes a range.
    Range,
    /// After "atom và": the next atom is another milestone, and may omit its unit word.
    List,
}

/// The unit of a clause's last atom when the clause ends with it, so a comma list can go on.
pub(super) fn list_tail(clause: &Clause, tokens: &[Token]) -> Option<Unit> {
    let atom = last_atom(&clause.items)?;
    let clause_end = clause
        .range
        .end
        .checked_sub(1)
        .and_then(|i| tokens.get(i))?
        .end;
    (atom.end == clause_end).then_some(atom.unit)
}

pub(super) fn scan_clause(tokens: &[Token], range: Range<usize>, carry: Option<Unit>) -> Clause {
    let c = tokens.get(range.clone()).unwrap_or(&[]);
    let base = range.start;
    let scope_end = range.end;
    let mut clause = Clause {
        range,
        items: Vec::new(),
        recur: None,
        ongoing: None,
        cond: None,
        adhoc: false,
        continues: false,
        year_scope_end: scope_end,
    };
    if let Some(atom) = lone_year(c, base) {
        clause.items.push(Item::One(atom));
        return clause;
    }
    let mut link = if carry.is_some() {
        Link::List
    } else {
        Link::Broken
    };
    let mut doc_number_end: Option<usize> = None;
    let mut i = 0;
    while i < c.len() {
        if clause.recur.is_none() {
            if let Some((r, used)) = recur_at(c, i) {
                clause.recur = Some((base + i, r));
                link = Link::Broken;
                i += used;
                continue;
            }
        }
        let prev = last_atom(&clause.items).map(|a| a.unit).or(carry);
        let continued = match (link, prev) {
            (Link::Range | Link::List, Some(unit)) => continuation_at(c, i, unit),
            _ => None,
        };
        if continued.is_some() && clause.items.is_empty() && i == 0 {
            clause.continues = carry.is_some();
        }
        let found = continued.or_else(|| atom_at(c, i));
        if let Some((unit, year, used)) = found {
            // "Kế hoạch số 140/KH-UBND ngày 14/10/2021" cites a document; its date is no deadline.
            let cited = word_in(c, i, DAY_WORDS) && doc_number_end.is_some_and(|e| i <= e + 4);
            if cited {
                link = Link::Broken;
            } else {
                let atom = make_atom(c, base, i, used, unit, year);
                push_atom(&mut clause.items, atom, link == Link::Range);
                link = Link::Adjacent;
            }
            i += used;
            continue;
        }
        if num(c, i).is_some() && tok(c, i + 1) == Some(&Tok::Slash) && word(c, i + 2).is_some() {
            doc_number_end = Some(i + 2);
        }
        link = next_link(c, i, link);
        note_markers(c, i, base, &mut clause);
        i += 1;
    }
    clause
}

/// A clause holding only "2024" means that year.
pub(super) fn lone_year(c: &[Token], base: usize) -> Option<Atom> {
    let [only] = c else { return None };
    let Tok::Num {
        value: Some(v),
        len: 4,
    } = only.tok
    else {
        return None;
    };
    let (start, end) = (only.start, only.end);
    Some(Atom {
        unit: Unit::Year,
        year: year_of(v, 4),
        pos: base,
        start,
        end,
    })
}

pub(super) fn make_atom(
    c: &[Token],
    base: usize,
    i: usize,
    used: usize,
    unit: Unit,
    year: YearSpec,
) -> Atom {
    let start = c.get(i).map_or(0, |t| t.start);
    let end = c.get(i + used.saturating_sub(1)).map_or(start, |t| t.end);
    Atom {
        unit,
        year,
        pos: base + i,
        start,
        end,
    }
}

pub(super) fn last_atom(items: &[Item]) -> Option<&Atom> {
    match items.last()? {
        Item::One(a) | Item::Range(_, a) => Some(a),
    }
}

pub(super) fn push_atom(items: &mut Vec<Item>, atom: Atom, closes_range: bool) {
    if closes_range {
        if let Some(Item::One(first)) = items.last().copied() {
            items.pop();
            items.push(Item::Range(first, atom));
            return;
        }
    }
    items.push(Item::One(atom));
}

pub(super) fn next_link(c: &[Token], i: usize, link: Link) -> Link {
    let after_atom = matches!(link, Link::Adjacent | Link::Range);
    match tok(c, i) {
        Some(Tok::Dash) if after_atom => Link::Range,
        Some(Tok::Word(w)) if after_atom && RANGE_WORDS.contains(&w.as_str()) => Link::Range,
        Some(Tok::Word(w)) if link == Link::Adjacent && matches!(w.as_str(), "va" | "hoac") => {
            Link::List
        }
        Some(Tok::Word(w)) if NEUTRAL_WORDS.contains(&w.as_str()) => link,
        _ => Link::Broken,
    }
}

pub(super) fn note_markers(c: &[Token], i: usize, base: usize, clause: &mut Clause) {
    let Some(w) = word(c, i) else { return };
    let ongoing = w == "xuyen" || (w == "lien" && word(c, i + 1) == Some("tuc"));
    if ongoing {
        clause.ongoing.get_or_insert(base + i);
    }
    if matches!(w, "khi" | "neu") {
        clause.cond.get_or_insert(base + i);
    }
    let next = word(c, i + 1);
    if (w == "dot" && next == Some("xuat")) || (w == "theo" && next == Some("yeu")) {
        clause.adhoc = true;
    }
}
