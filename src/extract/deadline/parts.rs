//! Parts: what one clause says, as zero or more deadlines, and how a text's parts join into one
//! [`Deadline`]. Takes the scanned clauses with their years (and the document's date, for
//! relative deadlines); returns the deadline, with a note for what could not be placed.

use std::collections::BTreeSet;
use std::ops::Range;

use jiff::civil::Date;
use jiff::ToSpan;

use super::atoms::*;
use super::cadence::fineness;
use super::clause::Clause;
use super::festive::tet;
use super::lex::Token;
use super::relative::{due_from, From};
use super::windows::*;
use super::{Deadline, DeadlineKind};

/// What the parts of one text are read against.
pub(super) struct Ctx<'a> {
    pub(super) years: &'a Years,
    /// The document's date, from which relative deadlines count.
    pub(super) issued: Option<Date>,
}

fn clause_text<'a>(norm: &'a str, tokens: &[Token], range: &Range<usize>) -> &'a str {
    let start = tokens.get(range.start).map_or(0, |t| t.start);
    let end = range
        .end
        .checked_sub(1)
        .and_then(|i| tokens.get(i))
        .map_or(start, |t| t.end);
    norm.get(start..end).unwrap_or("")
}

/// The text from token `pos` to the end of the clause.
fn tail_text(norm: &str, tokens: &[Token], pos: usize, range: &Range<usize>) -> Option<String> {
    clause_text(norm, tokens, &(pos..range.end))
        .trim()
        .to_string()
        .into()
}

/// A part holding only a note: something said that is not a date ("tầm nhìn đến năm 2050").
fn note_only(text: &str) -> Deadline {
    let mut d = Deadline::unplaced(text, DeadlineKind::Unscheduled);
    d.note = Some(text.into());
    d
}

/// What one clause says, as zero or more deadlines (several when it lists milestones).
pub(super) fn clause_parts(
    clause: &Clause,
    norm: &str,
    tokens: &[Token],
    ctx: &Ctx,
) -> Vec<Deadline> {
    let text = clause_text(norm, tokens, &clause.range);
    let years = ctx.years;
    let first_atom = clause.items.first().map(|item| match item {
        Item::One(a) | Item::Range(a, _) => a.pos,
    });
    let first_other = [first_atom, clause.recur.map(|r| r.0), clause.ongoing]
        .into_iter()
        .flatten()
        .min();
    if let Some(cond) = clause.cond {
        if first_other.is_none_or(|p| cond < p) && !clause.from_start {
            return vec![Deadline::unplaced(text, DeadlineKind::Conditional)];
        }
    }
    let year = years.at(clause.range.start, clause.year_scope_end);
    if let Some((_, r)) = clause.recur {
        let mut d = Deadline::unplaced(text, DeadlineKind::Recurring);
        let anchor = match clause.items.as_slice() {
            [Item::One(a)] if a.year != YearSpec::Bad => Some(a.unit),
            _ => None,
        };
        if let Some((first, end, rule)) = year.and_then(|y| recurrence(r, y, anchor)) {
            d.start = Some(first);
            d.end = Some(end);
            d.rrule = Some(rule.into());
        }
        return vec![d];
    }
    let tail = clause
        .tail
        .and_then(|p| tail_text(norm, tokens, p, &clause.range));
    if let Some(d) = open_or_from_now(clause, text, tail.clone(), ctx) {
        return vec![d];
    }
    if clause.ongoing.is_some() {
        let window = year.and_then(|y| bounds(Unit::Year, y));
        return vec![Deadline::window(text, DeadlineKind::Ongoing, window)];
    }
    if clause.items.is_empty() {
        return dateless(clause, text, year, ctx);
    }
    if let [item] = clause.items.as_slice() {
        let mut d = item_deadline(item, text, years, clause.year_scope_end);
        d.note = tail.map(Into::into);
        return vec![d];
    }
    let mut parts: Vec<Deadline> = clause
        .items
        .iter()
        .map(|item| {
            let (start, end) = match item {
                Item::One(a) => (a.start, a.end),
                Item::Range(a, b) => (a.start, b.end),
            };
            let item_text = norm.get(start..end).unwrap_or(text);
            item_deadline(item, item_text, years, clause.year_scope_end)
        })
        .collect();
    if let (Some(t), Some(last)) = (tail, parts.last_mut()) {
        last.note = Some(t.into());
    }
    parts
}

/// "Từ năm 2026", "từ quý III/2025 trở đi", "năm 2025 và các năm tiếp theo", "từ tháng 10/2025
/// đến khi …": a start and no end. "Từ nay đến năm 2030": from the document's date.
fn open_or_from_now(
    clause: &Clause,
    text: &str,
    tail: Option<String>,
    ctx: &Ctx,
) -> Option<Deadline> {
    let [item @ Item::One(_)] = clause.items.as_slice() else {
        return None;
    };
    let read = item_deadline(item, text, ctx.years, clause.year_scope_end);
    if clause.from_now && !clause.open {
        let plan_start = ctx.years.plan.and_then(|y| ymd(y, 1, 1));
        let start = ctx
            .issued
            .or(plan_start)
            .filter(|s| read.end.is_some_and(|e| *s <= e));
        let mut d = Deadline::window(text, DeadlineKind::Range, start.zip(read.end));
        d.note = tail.map(Into::into);
        return Some(d);
    }
    if !(clause.open || clause.from_start) {
        return None;
    }
    let mut d = Deadline::window(text, DeadlineKind::Ongoing, None);
    d.start = read.start;
    d.note = tail.map(Into::into);
    Some(d)
}

/// A clause without date atoms: a relative deadline, Tết, ad hoc work, or nothing.
fn dateless(clause: &Clause, text: &str, year: Option<i16>, ctx: &Ctx) -> Vec<Deadline> {
    if let Some(r) = clause.relative {
        return vec![match r.from {
            From::Issue => {
                let due = ctx.issued.and_then(|d| due_from(r, d));
                Deadline::window(text, DeadlineKind::Date, due.map(|d| (d, d)))
            }
            From::Event => Deadline::unplaced(text, DeadlineKind::Conditional),
            From::Duration => note_only(text),
        }];
    }
    if let Some(named) = clause.tet {
        // "trước Tết": the last day before it; Tết of the plan year when no year is named.
        let eve = named
            .or(year)
            .and_then(tet)
            .and_then(|d| d.checked_sub(1.day()).ok());
        return vec![Deadline::window(
            text,
            DeadlineKind::Date,
            eve.map(|d| (d, d)),
        )];
    }
    if clause.vision.is_some() {
        return vec![note_only(text)];
    }
    if clause.adhoc {
        return vec![Deadline::unplaced(text, DeadlineKind::Conditional)];
    }
    Vec::new()
}

/// Joins the clauses' deadlines. Unscheduled ones and repeats are dropped (a note they carry is
/// kept). Cadences win over ongoing, conditional, open and unplaced parts, the finest cadence
/// first; several placeable parts give milestones spanning from the earliest to the latest;
/// otherwise the placeable part wins. What is not kept goes to the note.
pub(super) fn combine(text: &str, parts: Vec<Deadline>) -> Deadline {
    let mut seen = BTreeSet::new();
    let mut kept: Vec<Deadline> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for part in parts {
        if part.kind == DeadlineKind::Unscheduled {
            notes.extend(part.note.map(String::from));
            continue;
        }
        let key = (part.kind, part.start, part.end, part.rrule.clone());
        if seen.insert(key) {
            kept.push(part);
        }
    }
    let chosen = pick_cadence(&kept).or_else(|| pick_window(&kept));
    let result = match chosen {
        Some(Pick::Milestones(d)) => d,
        Some(Pick::Part(k)) => {
            let mut d = kept.get(k).cloned().unwrap_or_else(|| unscheduled(text));
            let mut own: Vec<String> = d.note.take().map(String::from).into_iter().collect();
            for (j, other) in kept.iter().enumerate().filter(|(j, _)| *j != k) {
                let _ = j;
                own.push(other.text.to_string());
                own.extend(other.note.as_deref().map(str::to_string));
            }
            stretch_until(&mut d, &kept);
            own.append(&mut notes);
            notes = own;
            d
        }
        None => unscheduled(text),
    };
    Deadline {
        text: text.into(),
        note: join_notes(notes).map(Into::into),
        ..result
    }
}

enum Pick {
    Part(usize),
    Milestones(Deadline),
}

fn unscheduled(text: &str) -> Deadline {
    Deadline::unplaced(text, DeadlineKind::Unscheduled)
}

/// A phase spanning several whole years: bounds a cadence rather than competing with it.
fn is_phase(d: &Deadline) -> bool {
    match (d.start, d.end) {
        (Some(s), Some(e)) => {
            e.year() > s.year()
                && (s.month(), s.day()) == (1, 1)
                && (e.month(), e.day()) == (12, 31)
        }
        _ => false,
    }
}

/// The finest cadence, when everything else is ongoing, conditional, open, unplaced or a phase.
fn pick_cadence(kept: &[Deadline]) -> Option<Pick> {
    let minor = |d: &Deadline| {
        d.rrule.is_some()
            || matches!(d.kind, DeadlineKind::Ongoing | DeadlineKind::Conditional)
            || !d.is_placeable()
            || is_phase(d)
    };
    if !kept.iter().all(minor) {
        return None;
    }
    kept.iter()
        .enumerate()
        .filter_map(|(k, d)| d.rrule.as_deref().map(|r| (fineness(r), k)))
        .min()
        .map(|(_, k)| Pick::Part(k))
}

/// One placeable part wins; several give milestones; none: the first part as it is.
fn pick_window(kept: &[Deadline]) -> Option<Pick> {
    let placeable: Vec<usize> = (0..kept.len())
        .filter(|&k| kept.get(k).is_some_and(Deadline::is_placeable))
        .collect();
    if placeable.len() >= 2 {
        let dated = || placeable.iter().filter_map(|&k| kept.get(k));
        let mut d = Deadline::unplaced("", DeadlineKind::Milestones);
        d.start = dated().filter_map(|p| p.start).min();
        d.end = dated().filter_map(|p| p.end).max();
        d.parts = kept.into();
        return Some(Pick::Milestones(d));
    }
    placeable
        .first()
        .copied()
        .or_else(|| (!kept.is_empty()).then_some(0))
        .map(Pick::Part)
}

/// A cadence inside a phase ("hằng năm, giai đoạn 2026 - 2030") runs until the phase's end.
fn stretch_until(d: &mut Deadline, kept: &[Deadline]) {
    let Some(rule) = d.rrule.as_deref() else {
        return;
    };
    let phase_end = kept
        .iter()
        .filter(|p| is_phase(p))
        .filter_map(|p| p.end)
        .max();
    let Some(end) = phase_end.filter(|e| d.end.is_none_or(|cur| *e > cur)) else {
        return;
    };
    let base = rule.split(";UNTIL=").next().unwrap_or(rule);
    d.rrule = Some(format!("{base};UNTIL={}", end.strftime("%Y%m%d")).into());
    d.end = Some(end);
    // …and starts with it: the first occurrence moves into the phase's first year.
    let phase_start = kept
        .iter()
        .filter(|p| is_phase(p))
        .filter_map(|p| p.start)
        .min();
    if let (Some(first), Some(ps)) = (d.start, phase_start) {
        let years = i64::from(ps.year()) - i64::from(first.year());
        if years > 0 {
            d.start = first.checked_add(years.years()).ok().or(d.start);
        }
    }
}

fn join_notes(notes: Vec<String>) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    for n in notes {
        let n = n.trim().to_string();
        if !n.is_empty() && !out.contains(&n) {
            out.push(n);
        }
    }
    (!out.is_empty()).then(|| out.join("; "))
}
