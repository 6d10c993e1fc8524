//! Clauses: scans one clause's tokens left to right into date atoms and ranges, and the markers
//! of ongoing, recurring, conditional and ad hoc work. Takes the tokens of a clause; returns a
//! [`Clause`].

use std::ops::Range;

use super::atoms::*;
use super::festive::tet_at;
use super::lex::*;
use super::recur::*;
use super::relative::{relative_at, Relative};

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
    /// "từ" right before the clause's first atom: a start, open unless a range end follows.
    pub(super) from_start: bool,
    /// "từ nay (đến …)": the window starts at the document's date.
    pub(super) from_now: bool,
    /// "trở đi", "các năm tiếp theo", "đến khi …": the work goes on past the atom.
    pub(super) open: bool,
    /// Position of "tầm nhìn"/"định hướng": later years are a vision, not a deadline.
    pub(super) vision: Option<usize>,
    /// Position of a trailing open part ("duy trì sau đó", "đến khi …"), kept as a note.
    pub(super) tail: Option<usize>,
    /// "trong 05 ngày làm việc", "15 ngày kể từ ngày ký".
    pub(super) relative: Option<Relative>,
    /// "trước Tết Nguyên đán [Ất Tỵ]": the year named, if any.
    pub(super) tet: Option<Option<i16>>,
    /// "định kỳ" with no period named: periodic work, cadence unknown.
    pub(super) periodic: bool,
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

/// Scans a clause. `near` is the year a can-chi name ("Ất Tỵ") is resolved around.
pub(super) fn scan_clause(
    tokens: &[Token],
    range: Range<usize>,
    carry: Option<Unit>,
    near: i16,
) -> Clause {
    let c = tokens.get(range.clone()).unwrap_or(&[]);
    let base = range.start;
    let scope_end = range.end;
    // Relative deadlines look past the clause for their anchor ("…, kể từ ngày nhận …").
    let rest = tokens.get(range.start..).unwrap_or(&[]);
    let mut clause = Clause {
        range,
        items: Vec::new(),
        recur: None,
        ongoing: None,
        cond: None,
        adhoc: false,
        continues: false,
        year_scope_end: scope_end,
        from_start: false,
        from_now: false,
        open: false,
        vision: None,
        tail: None,
        relative: None,
        tet: None,
        periodic: false,
    };
    if cites_documents(c) {
        return clause;
    }
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
        if let Some(used) = special_at(c, rest, i, near, &mut clause) {
            link = Link::Broken;
            i += used;
            continue;
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
                if clause.items.is_empty() && from_before(c, i) {
                    clause.from_start = true;
                }
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

/// Relative and festive deadlines at `i`, and everything after a vision marker (skipped):
/// records them in the clause and returns the tokens used.
fn special_at(
    c: &[Token],
    rest: &[Token],
    i: usize,
    near: i16,
    clause: &mut Clause,
) -> Option<usize> {
    if clause.vision.is_some() {
        return Some(1);
    }
    if let Some((r, used)) = relative_at(c, rest, i) {
        clause.relative.get_or_insert(r);
        return Some(used);
    }
    let (year, used) = tet_at(c, i, near)?;
    clause.tet.get_or_insert(year);
    Some(used)
}

/// "từ" (or "kể từ", "bắt đầu từ") right before the atom at `i`.
fn from_before(c: &[Token], i: usize) -> bool {
    i.checked_sub(1)
        .is_some_and(|p| word_in(c, p, &["tu", "tir"]))
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
    let next = word(c, i + 1);
    let ongoing = w == "xuyen" || (w == "lien" && word(c, i + 1) == Some("tuc"));
    if ongoing {
        clause.ongoing.get_or_insert(base + i);
    }
    // "(nếu có)" is "if any", not a condition on the time.
    let if_any = w == "neu" && next_is(c, i + 1, "co") && word(c, i + 2).is_none();
    if matches!(w, "khi" | "neu") && !if_any {
        clause.cond.get_or_insert(base + i);
    }
    if (w == "dot" && next == Some("xuat")) || (w == "theo" && next == Some("yeu")) {
        clause.adhoc = true;
    }
    open_markers(w, next, base + i, clause);
}

fn next_is(c: &[Token], i: usize, w: &str) -> bool {
    word(c, i) == Some(w)
}

/// A clause that cites documents: "Căn cứ Luật … ngày …", "… ban hành (kèm) theo Quyết định
/// số …". Its dates and phases are those documents', not the task's.
fn cites_documents(c: &[Token]) -> bool {
    let starts = word(c, 0) == Some("can") && word(c, 1) == Some("cu");
    let issued_with = (0..c.len()).any(|k| {
        word(c, k) == Some("ban")
            && word(c, k + 1) == Some("hanh")
            && (word(c, k + 2) == Some("theo") || word(c, k + 3) == Some("theo"))
    });
    starts || issued_with
}

/// Open and vision markers: "trở đi", "(các năm) tiếp theo", "đến khi", "duy trì", "sau đó",
/// "tầm nhìn", "định hướng đến", "từ nay".
fn open_markers(w: &str, next: Option<&str>, pos: usize, clause: &mut Clause) {
    let after_atom = !clause.items.is_empty();
    match (w, next) {
        ("tro", Some("di")) | ("tiep", Some("theo")) if after_atom => {
            clause.open = true;
            clause.tail.get_or_insert(pos);
        }
        ("den" | "toi", Some("khi")) if after_atom => {
            clause.open = true;
            clause.tail.get_or_insert(pos);
        }
        ("duy", Some("tri")) | ("sau", Some("do")) | ("dua", Some("vao")) if after_atom => {
            clause.tail.get_or_insert(pos);
        }
        ("tam", Some("nhin")) => clause.vision = Some(pos),
        ("dinh", Some("huong")) => clause.vision = Some(pos),
        ("dinh" | "binh", Some("ky" | "ki")) => clause.periodic = true,
        ("tu", Some("nay")) => clause.from_now = true,
        _ => {}
    }
}
