//! Where prose assigns work: "Điều N." articles written as paragraphs, assigning sentences
//! ("Giao Sở … chủ trì …", "Sở … có trách nhiệm …") and the unit lines that head the list
//! after them. Takes blocks of the tree and the walker's context; returns tasks through the
//! walker and the units that scope what follows (issue 15, read on real documents).

use super::assign::{self, Opening};
use super::unit_headed;
use super::walk::{
    id_and_text, is_group_title, leading_number, Ctx, HeadingCtx, Local, Scope, Walker,
    MAX_BARE_UNIT_WORDS, PSEUDO_HEADING,
};
use super::words::{clean, split_enum, NumStyle};
use super::{labelled, Block};

impl Walker<'_> {
    /// A paragraph opening with an article number ("**Điều 2.** Sở Công Thương có trách
    /// nhiệm chủ trì …"): the article starts here, titled by its number, and its own text is
    /// read as the article's first sentence. Returns the unit when that sentence only
    /// introduces the duties listed after it ("**Điều 4.** Giám đốc Sở … có trách nhiệm:").
    pub(super) fn article(&mut self, p: &Block, scope: &Scope) -> Option<String> {
        let joined = clean(&p.text);
        let (label, rest) = split_article(&joined);
        while self
            .headings
            .last()
            .is_some_and(|h| h.level >= PSEUDO_HEADING)
        {
            self.headings.pop();
        }
        let f = crate::text::fold(&joined);
        self.headings.push(HeadingCtx {
            level: PSEUDO_HEADING,
            title: label.to_string(),
            section: unit_headed::section_of(&f),
            period: None,
            unit: None,
            assigns: true,
        });
        let ctx = self.ctx(scope, &Local::default());
        let a = self.assigned(rest, &ctx, true)?;
        if introduces_list(&a.work) {
            return Some(a.unit);
        }
        let ctx = Ctx {
            unit: Some(a.unit),
            ..ctx
        };
        self.push_unit(None, a.work, Vec::new(), p.offset, &ctx);
        None
    }

    /// `text` read as an assigning sentence where one counts as a task: an explicit "Giao …"
    /// anywhere tasks may be, any unit-led sentence in a section that says who does what, or
    /// under a unit heading (the sentence names its own lead).
    /// An enumerated sentence ("c) Bộ Quốc phòng, Bộ Công an chỉ đạo …") counts outside the
    /// closing part too: numbered items are how a plan or resolution lists its assignments.
    pub(super) fn assigned(
        &self,
        text: &str,
        ctx: &Ctx,
        enumerated: bool,
    ) -> Option<assign::Assignment> {
        if ctx.skip || (self.in_regulation && ctx.closing) {
            return None;
        }
        let a = assign::assignment(text, self.names_unit)?;
        let counts = match a.opening {
            Opening::Giao => true,
            Opening::Request => ctx.assigns,
            Opening::Bare => ctx.assigns || ctx.unit.is_some() || (enumerated && !ctx.closing),
        };
        counts.then_some(a)
    }

    /// When the list's last item names a unit and nothing else ("1. Ủy ban nhân dân các xã,
    /// phường:"), or gives a unit work in an assignment section ("1. Các cơ quan, đơn vị căn
    /// cứ … xây dựng kế hoạch"), the unit and whether the item is itself a task: the bullet
    /// list written after it details that unit's duties.
    pub(super) fn heads_next(&self, list: &Block, scope: &Scope) -> Option<(String, bool)> {
        let last = list.children.last()?;
        let (head, rest) = last.head_and_rest();
        let head = head?;
        if !rest.is_empty() || labelled::split_lines(&head.text).1.is_task() {
            return None;
        }
        let joined = clean(&head.text);
        if let Some(unit) = unit_headed::unit_line(&head.text, self.names_unit) {
            let set_as_heading = joined.ends_with(':')
                || joined.split_whitespace().count() <= MAX_BARE_UNIT_WORDS
                || head.all_bold();
            if set_as_heading && unit_headed::inline_unit(&joined, self.names_unit).is_none() {
                return Some((unit, false));
            }
        }
        let ctx = self.ctx(scope, &Local::default());
        let (_, text) = id_and_text(&joined, None);
        self.assigned(&text, &ctx, true)
            .filter(|_| ctx.assigns)
            .map(|a| (a.unit, true))
    }
}

/// "Có trách nhiệm:", "Chủ trì, phối hợp thực hiện các nội dung sau:": the work of an
/// assigning sentence is the list written after it.
pub(super) fn introduces_list(work: &str) -> bool {
    work.ends_with(':') && work.split_whitespace().count() <= MAX_BARE_UNIT_WORDS * 2
}

/// A start of document ("KẾ HOẠCH", "CHƯƠNG TRÌNH" issued with a decision) after which
/// articles are no longer a regulation's.
pub(super) fn opens_plan(title: &str) -> bool {
    let f = crate::text::fold(title);
    matches!(
        f.trim_end_matches([':', '.', ' ']),
        "ke hoach" | "chuong trinh" | "de an" | "phuong an"
    )
}

/// "Điều 2." at the start of a paragraph that is not a heading of its own ("**Điều 2.** Sở
/// Công Thương có trách nhiệm …").
pub(super) fn is_article(p: &Block) -> bool {
    let joined = clean(&p.text);
    let (label, rest) = split_article(&joined);
    !label.is_empty() && !rest.is_empty()
}

/// Splits "Điều 2. Giao Sở …" into "Điều 2" and "Giao Sở …"; the label is empty when the
/// text does not start with an article number.
pub(super) fn split_article(joined: &str) -> (&str, &str) {
    let none = ("", joined);
    let Some(after) = joined
        .strip_prefix("Điều ")
        .or_else(|| joined.strip_prefix("ĐIỀU "))
    else {
        return none;
    };
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return none;
    }
    let label_len = joined.len() - after.len() + digits;
    let rest = after
        .get(digits..)
        .unwrap_or("")
        .trim_start_matches(['.', ':', ' ']);
    (joined.get(..label_len).unwrap_or(""), rest)
}

/// The numbering style and number of a list's last item marker ("3." → Digit, 3).
pub(super) fn last_marker(list: &Block) -> (Option<NumStyle>, Option<u64>) {
    let marker = list.children.last().and_then(|i| i.marker.as_deref());
    match marker {
        Some(m) => (super::words::enum_style(m), leading_number(m)),
        None => (None, None),
    }
}

/// "1.3. …", "II. …" or "2. Về khôi phục …": a section number above a list item's, so it
/// cannot be a task of a unit line written without a number.
pub(super) fn is_section_number(joined: &str) -> bool {
    split_enum(joined).is_some_and(|(label, style, rest)| {
        let about = crate::text::fold_starts_with(rest, "ve ");
        style == NumStyle::Roman
            || label.trim_end_matches('.').contains('.')
            || (style == NumStyle::Digit && about)
    })
}

/// True when a list opens with a section title ("2. Về khôi phục hạ tầng") after a unit line
/// written without a number: the unit's tasks ended with the section before.
pub(super) fn opens_section(local: &Local, list: &Block) -> bool {
    if local.unit.as_ref().is_none_or(|u| u.1.is_some()) {
        return false;
    }
    let Some(item) = list.children.first() else {
        return false;
    };
    let (Some(marker), (Some(head), _)) = (item.marker.as_deref(), item.head_and_rest()) else {
        return false;
    };
    let joined = format!("{marker} {}", clean(&head.text));
    is_section_number(&joined) && is_group_title(&joined)
}
