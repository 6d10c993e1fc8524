//! The walk over the block tree: a stack of heading contexts decides what may yield tasks,
//! the period and group a task inherits and the unit a section is about.

use super::words::clean;
use super::words::non_empty;
use super::words::split_enum;
use super::words::strip_title;
use super::words::NumStyle;
use super::words::MAX_TITLE;

use super::articles::{
    introduces_list, is_article, is_section_number, last_marker, opens_plan, opens_section,
};
use super::unit_headed::{self, Section};
use super::{labelled, table, Block, Kind, RawTask, TaskForm, WrittenContent};

/// What a heading contributes to the blocks under it.
#[derive(Debug)]
pub(super) struct HeadingCtx {
    pub(super) level: u8,
    /// The title without numbering: the group of the tasks below.
    pub(super) title: String,
    pub(super) section: Section,
    pub(super) period: Option<String>,
    pub(super) unit: Option<String>,
    /// The section says who does what ("Tổ chức thực hiện", an article "Điều 3."): a
    /// sentence giving a unit work is a task there.
    pub(super) assigns: bool,
}

/// What a block sequence inherits from the list item (or quote) containing it.
#[derive(Debug, Clone, Default)]
pub(super) struct Scope {
    pub(super) unit: Option<String>,
    pub(super) group: Option<String>,
    /// The document's closing lines ("Trên đây là …") were passed: no heading unit applies.
    pub(super) closed: bool,
}

/// State local to one block sequence, reset at every heading.
#[derive(Debug, Default)]
pub(super) struct Local {
    /// A unit line seen in this sequence, with the numbering style and number it was
    /// written with.
    pub(super) unit: Option<(String, Option<NumStyle>, Option<u64>)>,
    pub(super) group: Option<String>,
    /// A list followed the unit line: later plain paragraphs are closing remarks unless
    /// they are enumerated ("b) …").
    pub(super) seen_list: bool,
    pub(super) closed: bool,
}

impl Local {
    /// A unit line opens: what follows in this sequence is that unit's, in the same group.
    fn enter_unit(&mut self, unit: String, style: Option<NumStyle>, number: Option<u64>) {
        *self = Local {
            unit: Some((unit, style, number)),
            group: self.group.take(),
            ..Local::default()
        };
    }
}

/// A paragraph as read for tasks: its whole text, the part before any label lines with the
/// id it starts with, its numbering, and the list right after it when no label lines
/// come between.
struct Para<'b> {
    block: &'b Block,
    joined: String,
    head: String,
    id: Option<String>,
    text: String,
    style: Option<NumStyle>,
    number: Option<u64>,
    next_list: Option<&'b Block>,
}

impl<'b> Para<'b> {
    fn read(block: &'b Block, joined: String, head: String, next_list: Option<&'b Block>) -> Self {
        let (style, number) = match split_enum(&joined) {
            Some((label, style, _)) => (Some(style), leading_number(label)),
            None => (None, None),
        };
        let (id, text) = id_and_text(&head, None);
        Para {
            block,
            joined,
            head,
            id,
            text,
            style,
            number,
            next_list,
        }
    }
}

/// The context a task is emitted in.
#[derive(Debug, Default)]
pub(super) struct Ctx {
    pub(super) skip: bool,
    pub(super) closing: bool,
    pub(super) assigns: bool,
    pub(super) period: Option<String>,
    pub(super) unit: Option<String>,
    pub(super) group: Option<String>,
}

/// Walks the block tree with the heading stack and collects tasks.
pub(super) struct Walker<'a> {
    pub(super) names_unit: &'a dyn Fn(&str) -> bool,
    pub(super) headings: Vec<HeadingCtx>,
    pub(super) tasks: Vec<RawTask>,
    /// How many block sequences `walk` is inside (1 = the body itself).
    pub(super) depth: usize,
    /// Inside a regulation issued with a decision ("QUY CHẾ", "Chương I"): its articles are
    /// standing rules, and its closing duties never stand in for the document's tasks.
    pub(super) in_regulation: bool,
    /// Duties without a deadline in a closing section: the document's tasks only when it
    /// assigns nothing elsewhere (a decision's "Điều 2. Giao Sở … chủ trì …", a plan whose
    /// assignments all sit in its "Tổ chức thực hiện"); otherwise they restate who
    /// coordinates the tasks already read (DOMAIN.md, "What is a task").
    pub(super) fallback: Vec<RawTask>,
}

impl<'a> Walker<'a> {
    pub(super) fn new(names_unit: &'a dyn Fn(&str) -> bool) -> Walker<'a> {
        Walker {
            names_unit,
            headings: Vec::new(),
            tasks: Vec::new(),
            depth: 0,
            in_regulation: false,
            fallback: Vec::new(),
        }
    }

    pub(super) fn into_tasks(self) -> Vec<RawTask> {
        match self.tasks.is_empty() {
            true => self.fallback,
            false => self.tasks,
        }
    }

    /// Walks one sequence of sibling blocks.
    pub(super) fn walk(&mut self, blocks: &[Block], scope: &Scope) {
        self.depth += 1;
        let mut local = Local::default();
        let mut i = 0;
        while let Some(block) = blocks.get(i) {
            let mut used = 1;
            let after = blocks.get(i + 1..).unwrap_or(&[]);
            match block.kind {
                Kind::Heading(level) => {
                    self.enter_heading(level, &block.text);
                    local = Local::default();
                    used += self.heading_labels(block, after, scope);
                }
                Kind::Paragraph
                    if self.depth == 1 && !local.closed && self.is_pseudo_heading(block) =>
                {
                    self.enter_heading(PSEUDO_HEADING, &block.text);
                    local = Local::default();
                    used += self.heading_labels(block, after, scope);
                }
                Kind::Paragraph if self.depth == 1 && !local.closed && is_article(block) => {
                    local = Local::default();
                    local.unit = self.article(block, scope).map(|u| (u, None, None));
                }
                Kind::Table => self.table(block, scope, &local),
                Kind::Paragraph => used = self.paragraph(blocks, i, scope, &mut local),
                Kind::List => {
                    if continues_numbering(&local, block) || opens_section(&local, block) {
                        local.unit = None;
                    }
                    let inner = scope_of(scope, &local);
                    // "1. Task" followed directly by unindented "- Thời gian: …" lines: the
                    // labels belong to the list's last item.
                    let (labels, n) = following_labels(after);
                    let heads = self.heads_next(block, &inner);
                    if labels.is_task() && takes_labels(block) {
                        self.list_with_labels(block, &inner, labels);
                        used += n;
                    } else if let Some((_, assigned)) = &heads {
                        // "1. Ủy ban nhân dân các xã, phường:" as a list of its own, its
                        // duties in the bullet list after it; the unit line is no task.
                        let shown = block.children.len() - usize::from(!assigned);
                        for item in block.children.iter().take(shown) {
                            self.item(item, &inner, labelled::Labels::default());
                        }
                    } else {
                        self.list(block, &inner);
                    }
                    match heads {
                        Some((unit, assigned)) => {
                            let (style, number) = last_marker(block);
                            local.unit = Some((unit, style, number));
                            local.seen_list = assigned;
                        }
                        None => local.seen_list = true,
                    }
                }
                Kind::Quote => {
                    let inner = scope_of(scope, &local);
                    self.walk(&block.children, &inner);
                }
                _ => {}
            }
            i += used.max(1);
        }
        self.depth -= 1;
    }

    /// A bold paragraph numbered like a section ("**II. NHIỆM VỤ**") that names no unit: the
    /// way many plans write their section headings.
    pub(super) fn is_pseudo_heading(&self, block: &Block) -> bool {
        if !block.all_bold() || block.text.len() > MAX_TITLE {
            return false;
        }
        let joined = clean(&block.text);
        let roman = split_enum(&joined).is_some_and(|(_, style, rest)| {
            style == NumStyle::Roman && rest.chars().next().is_some_and(char::is_alphabetic)
        });
        roman && unit_headed::unit_line(&joined, self.names_unit).is_none()
    }

    pub(super) fn enter_heading(&mut self, level: u8, text: &str) {
        while self.headings.last().is_some_and(|h| h.level >= level) {
            self.headings.pop();
        }
        let title = strip_title(text);
        if unit_headed::opens_regulation(&title) {
            self.in_regulation = true;
        } else if opens_plan(&title) {
            self.in_regulation = false;
        }
        let unit = unit_headed::unit_line(text, self.names_unit);
        let (section, period) = match unit {
            Some(_) => (Section::Normal, None),
            None => (
                unit_headed::section_of(&title),
                unit_headed::heading_period(&title),
            ),
        };
        let assigns = unit.is_none() && unit_headed::assigns_work(&title);
        self.headings.push(HeadingCtx {
            level,
            title,
            section,
            period,
            unit,
            assigns,
        });
    }

    /// A heading followed directly by label lines ("### 3. Xác định Chỉ số …" then
    /// "- Thời gian: …") is itself a labelled task; returns how many blocks the labels used.
    pub(super) fn heading_labels(
        &mut self,
        heading: &Block,
        after: &[Block],
        scope: &Scope,
    ) -> usize {
        let (labels, used) = following_labels(after);
        if !labels.is_task() {
            return 0;
        }
        // The task belongs to the enclosing section, not to the heading it is written as.
        let own = self.headings.pop();
        let ctx = self.ctx(scope, &Local::default());
        self.headings.extend(own);
        let (id, text) = id_and_text(&clean(&heading.text), None);
        self.push_labelled(id, text, labels, heading.offset, &ctx);
        used
    }
    pub(super) fn ctx(&self, scope: &Scope, local: &Local) -> Ctx {
        let closed = scope.closed || local.closed;
        let heading_unit = || {
            if closed {
                return None;
            }
            self.headings.iter().rev().find_map(|h| h.unit.clone())
        };
        let heading_group = || {
            self.headings
                .iter()
                .rev()
                .find(|h| h.unit.is_none() && !h.title.is_empty())
                .map(|h| h.title.clone())
        };
        Ctx {
            skip: self.headings.iter().any(|h| h.section == Section::NoTasks),
            closing: self.headings.iter().any(|h| h.section == Section::Closing),
            assigns: self.headings.iter().any(|h| h.assigns),
            period: self.headings.iter().rev().find_map(|h| h.period.clone()),
            unit: local
                .unit
                .as_ref()
                .map(|u| u.0.clone())
                .or_else(|| scope.unit.clone())
                .or_else(heading_unit),
            group: local
                .group
                .clone()
                .or_else(|| scope.group.clone())
                .or_else(heading_group),
        }
    }

    pub(super) fn table(&mut self, block: &Block, scope: &Scope, local: &Local) {
        let Some(rows) = table::extract(block) else {
            return;
        };
        let ctx = self.ctx(scope, local);
        for task in rows {
            self.push(task, &ctx);
        }
    }

    /// Handles the paragraph at `blocks[i]`; returns how many blocks it used (itself plus
    /// label paragraphs / lists / detail lists after it).
    pub(super) fn paragraph(
        &mut self,
        blocks: &[Block],
        i: usize,
        scope: &Scope,
        local: &mut Local,
    ) -> usize {
        let Some(p) = blocks.get(i) else { return 1 };
        let joined = clean(&p.text);
        if joined.is_empty() || super::not_task::between_tables(blocks, i) {
            return 1;
        }
        if is_document_end(&joined) {
            local.closed = true;
            local.unit = None;
            return 1;
        }
        let (head, mut labels) = labelled::split_lines(&p.text);
        let (more, n) = following_labels(blocks.get(i + 1..).unwrap_or(&[]));
        labels.merge(more);
        let used = 1 + n;
        if head.is_empty() {
            return used;
        }
        let next_list = blocks
            .get(i + 1)
            .filter(|b| b.kind == Kind::List && used == 1);
        let para = Para::read(p, joined, head, next_list);
        if labels.is_task() {
            let ctx = self.ctx(scope, local);
            self.push_labelled(para.id, para.text, labels, p.offset, &ctx);
            return used;
        }
        let unit = unit_headed::unit_line(&p.text, self.names_unit);
        if let Some(unit) = unit.filter(|_| heading_like(p, &para.joined, para.style)) {
            local.enter_unit(unit, para.style, para.number);
            return used;
        }
        leave_finished_unit(local, &para.joined, para.style);
        let sub_tasks = para
            .next_list
            .filter(|l| labelled::carries_tasks(std::slice::from_ref(*l)));
        if let Some(list) = sub_tasks {
            // "c) Xây dựng …" whose sub-items each carry their own labels: a group of tasks.
            let mut inner = scope_of(scope, local);
            inner.group = non_empty(&strip_title(&para.head)).or(inner.group);
            self.list(list, &inner);
            local.seen_list = true;
            return 2;
        }
        self.prose_paragraph(para, used, scope, local)
    }

    /// A paragraph that is neither labelled nor a unit line: a unit and its task on one line,
    /// an assignment ("Giao Sở … chủ trì …"), a task of the unit above, or a group title.
    /// Returns how many blocks it used, as [`Walker::paragraph`].
    fn prose_paragraph(
        &mut self,
        para: Para,
        mut used: usize,
        scope: &Scope,
        local: &mut Local,
    ) -> usize {
        let Para {
            block: p,
            joined,
            head,
            id,
            text,
            style,
            number,
            next_list,
        } = para;
        if let Some((unit, after)) = unit_headed::inline_unit(&head, self.names_unit) {
            local.enter_unit(unit, style, number);
            let ctx = self.ctx(scope, local);
            let (id, after) = id_and_text(&after, id.as_deref());
            self.push_unit(id, after, Vec::new(), p.offset, &ctx);
            return used;
        }
        let ctx = self.ctx(scope, local);
        if let Some(a) = self.assigned(&text, &ctx, id.is_some()) {
            if introduces_list(&a.work) {
                local.enter_unit(a.unit, style, number);
                return used;
            }
            let ctx = Ctx {
                unit: Some(a.unit),
                ..ctx
            };
            self.push_unit(id, a.work, Vec::new(), p.offset, &ctx);
            return used;
        }
        if ctx.unit.is_some() && (!local.seen_list || id.is_some()) {
            if head.ends_with(':') && is_intro(&head) {
                return used;
            }
            let mut details = Vec::new();
            if let Some(list) = next_list.filter(|_| head.ends_with(':')) {
                details = detail_lines(std::slice::from_ref(list));
                used = 2;
            }
            self.push_unit(id, text, details, p.offset, &ctx);
            return used;
        }
        if is_group_title(&joined) {
            local.group = non_empty(&strip_title(&joined));
        }
        used
    }

    pub(super) fn list(&mut self, list: &Block, scope: &Scope) {
        for item in &list.children {
            self.item(item, scope, labelled::Labels::default());
        }
    }

    /// Like [`Walker::list`], with label lines written after the list given to its last item.
    pub(super) fn list_with_labels(
        &mut self,
        list: &Block,
        scope: &Scope,
        labels: labelled::Labels,
    ) {
        let Some((last, first)) = list.children.split_last() else {
            return;
        };
        for item in first {
            self.item(item, scope, labelled::Labels::default());
        }
        self.item(last, scope, labels);
    }

    /// One list item; `extra` are labels written after the list that belong to this item.
    pub(super) fn item(&mut self, item: &Block, scope: &Scope, extra: labelled::Labels) {
        let (head, rest) = item.head_and_rest();
        let head_text = head.map_or("", |h| h.text.as_str());
        let (head_clean, mut labels) = labelled::split_lines(head_text);
        labels.merge(labelled::labels_of_blocks(rest));
        labels.merge(extra);
        let ctx = self.ctx(scope, &Local::default());
        let (id, text) = id_and_text(&head_clean, item.marker.as_deref());
        if labels.is_task() {
            if !text.is_empty() {
                self.push_labelled(id, text, labels, item.offset, &ctx);
            }
            return;
        }
        if !rest.is_empty() {
            if let Some(unit) = unit_headed::unit_line(head_text, self.names_unit) {
                let inner = Scope {
                    unit: Some(unit),
                    group: scope.group.clone(),
                    closed: false,
                };
                self.walk(rest, &inner);
                return;
            }
        }
        if labelled::carries_tasks(rest) {
            let inner = Scope {
                group: non_empty(&strip_title(&head_clean)).or_else(|| scope.group.clone()),
                ..scope.clone()
            };
            self.walk(rest, &inner);
            return;
        }
        if let Some((unit, after)) = unit_headed::inline_unit(&head_clean, self.names_unit) {
            let ctx = Ctx {
                unit: Some(unit),
                ..ctx
            };
            let (id, after) = id_and_text(&after, id.as_deref());
            self.push_unit(id, after, detail_lines(rest), item.offset, &ctx);
            return;
        }
        let enumerated = id.is_some() || item.marker.is_some();
        if let Some(a) = self.assigned(&text, &ctx, enumerated) {
            if introduces_list(&a.work) {
                let inner = Scope {
                    unit: Some(a.unit),
                    ..scope.clone()
                };
                self.walk(rest, &inner);
                return;
            }
            let ctx = Ctx {
                unit: Some(a.unit),
                ..ctx
            };
            self.push_unit(id, a.work, detail_lines(rest), item.offset, &ctx);
            return;
        }
        if ctx.unit.is_some() {
            if !text.is_empty() {
                self.push_unit(id, text, detail_lines(rest), item.offset, &ctx);
            }
            return;
        }
        if !rest.is_empty() {
            let group = match is_group_title(&head_clean) {
                true => non_empty(&strip_title(&head_clean)),
                false => None,
            };
            let inner = Scope {
                group: group.or_else(|| scope.group.clone()),
                ..scope.clone()
            };
            self.walk(rest, &inner);
        }
    }

    pub(super) fn push_labelled(
        &mut self,
        id: Option<String>,
        text: String,
        labels: labelled::Labels,
        offset: usize,
        ctx: &Ctx,
    ) {
        let task = RawTask {
            label: id,
            content: WrittenContent {
                text: text.into(),
                product: labels.product.map(Into::into),
                lead: labels.lead.into_iter().collect(),
                support: labels.support.into_iter().collect(),
                due: labels.due,
                budget: labels.budget.map(Into::into),
                note: labels.note.map(Into::into),
                form: TaskForm::Labelled,
                ..WrittenContent::default()
            },
            offset,
        };
        self.push(task, ctx);
    }

    pub(super) fn push_unit(
        &mut self,
        id: Option<String>,
        text: String,
        details: Vec<String>,
        offset: usize,
        ctx: &Ctx,
    ) {
        let mut text = text;
        for d in details {
            text.push_str("\n- ");
            text.push_str(&d);
        }
        let task = RawTask {
            label: id,
            content: WrittenContent {
                text: text.into(),
                form: TaskForm::UnitHeaded,
                ..WrittenContent::default()
            },
            offset,
        };
        self.push(task, ctx);
    }

    /// Applies the context rules and records the task.
    pub(super) fn push(&mut self, mut task: RawTask, ctx: &Ctx) {
        if ctx.skip || task.text.is_empty() || super::not_task::rejects(&task) {
            return;
        }
        if task.due.is_none() {
            task.due =
                unit_headed::inline_due(&task.text).or_else(|| unit_headed::due_phrase(&task.text));
        }
        if task.lead.is_empty() {
            task.lead.extend(ctx.unit.clone());
        }
        if task.group.is_none() {
            task.group = ctx.group.as_deref().map(Into::into);
        }
        if task.due.is_none() {
            // The closing section restates duties; only work with its own deadline counts,
            // unless the document assigns nothing elsewhere (see `fallback`).
            if ctx.closing {
                let public = task
                    .lead
                    .iter()
                    .any(|l| crate::text::fold(l).contains("ca nhan"));
                if ctx.assigns && !self.in_regulation && !task.lead.is_empty() && !public {
                    self.fallback.push(task);
                }
                return;
            }
            task.due.clone_from(&ctx.period);
            task.due_inherited = task.due.is_some();
        }
        self.tasks.push(task);
    }
}

/// The heading level given to a bold section line ("**II. NHIỆM VỤ**"): below every Markdown
/// heading, and replaced by the next such line.
pub(super) const PSEUDO_HEADING: u8 = 7;

/// Ends the unit a unit line opened when this paragraph starts the next section.
fn leave_finished_unit(local: &mut Local, joined: &str, style: Option<NumStyle>) {
    // "3. …" after a unit line "2. Sở Tài chính", or "II. …" after it, is no longer about
    // that unit.
    if local
        .unit
        .as_ref()
        .is_some_and(|u| u.1.is_some() && rank(style) >= rank(u.1))
    {
        local.unit = None;
    }
    // "1.3. Vệ sinh môi trường" after the bare unit line "Ủy ban nhân dân các tỉnh, thành
    // phố:" under "1.2. …": the next section, not one of that unit's tasks.
    if local.unit.as_ref().is_some_and(|u| u.1.is_none())
        && is_section_number(joined)
        && is_group_title(joined)
    {
        local.unit = None;
    }
}

/// The labels written in the label paragraphs and label lists at the start of `after`, and how
/// many blocks they use.
pub(super) fn following_labels(after: &[Block]) -> (labelled::Labels, usize) {
    let mut labels = labelled::Labels::default();
    let mut used = 0;
    for b in after {
        if labelled::is_label_paragraph(b) {
            labels.merge(labelled::split_lines(&b.text).1);
        } else if labelled::is_label_list(b) {
            labels.merge(labelled::labels_of_list(b));
        } else {
            break;
        }
        used += 1;
    }
    (labels, used)
}

/// True when the last item of `list` is a task text that may take label lines written after
/// the list: it has a head of its own and carries no labels or sub-tasks itself.
pub(super) fn takes_labels(list: &Block) -> bool {
    if labelled::is_label_list(list) {
        return false;
    }
    let Some(last) = list.children.last() else {
        return false;
    };
    let (head, rest) = last.head_and_rest();
    let Some(head) = head else { return false };
    let (text, own) = labelled::split_lines(&head.text);
    !text.is_empty()
        && !own.is_task()
        && !labelled::labels_of_blocks(rest).is_task()
        && !labelled::carries_tasks(rest)
}

/// The scope a nested sequence inherits from `scope` plus this sequence's local state.
pub(super) fn scope_of(scope: &Scope, local: &Local) -> Scope {
    Scope {
        unit: local
            .unit
            .as_ref()
            .map(|u| u.0.clone())
            .or_else(|| scope.unit.clone()),
        group: local.group.clone().or_else(|| scope.group.clone()),
        closed: scope.closed || local.closed,
    }
}

/// True when an ordered list continues the numbering of the unit line ("3." after
/// "2. Sở Tư pháp"): it is the next section, not that unit's tasks.
pub(super) fn continues_numbering(local: &Local, list: &Block) -> bool {
    let Some((_, Some(NumStyle::Digit), Some(unit_no))) =
        local.unit.as_ref().map(|u| (&u.0, u.1, u.2))
    else {
        return false;
    };
    list.children
        .first()
        .and_then(|item| item.marker.as_deref())
        .and_then(leading_number)
        .is_some_and(|n| n > unit_no)
}

/// How high an enumeration style ranks: "II." sections hold "2." items, which hold "b)".
pub(super) fn rank(style: Option<NumStyle>) -> u8 {
    match style {
        Some(NumStyle::Roman) => 3,
        Some(NumStyle::Digit) => 2,
        Some(NumStyle::Letter) => 1,
        None => 0,
    }
}

/// Words a bare, unnumbered, unbold paragraph may have and still stand as a unit line
/// ("Sở Tư pháp"); a longer one is a sentence that merely starts with a unit.
pub(super) const MAX_BARE_UNIT_WORDS: usize = 8;

/// True when a paragraph is set like a unit heading: bold, numbered, ending with a colon, or
/// short. Prose that merely starts with a unit ("Ủy ban nhân dân tỉnh về các …") is not one.
pub(super) fn heading_like(p: &Block, joined: &str, style: Option<NumStyle>) -> bool {
    p.all_bold()
        || style.is_some()
        || joined.trim_end().ends_with(':')
        || joined.split_whitespace().count() <= MAX_BARE_UNIT_WORDS
}

/// The number a label starts with ("12." → 12).
pub(super) fn leading_number(label: &str) -> Option<u64> {
    let digits: String = label.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The id ("a)", "1.") written at the start of a head, else the list marker, and the text.
pub(super) fn id_and_text(head: &str, marker: Option<&str>) -> (Option<String>, String) {
    match split_enum(head) {
        Some((label, _, rest)) if !rest.is_empty() => (Some(label.to_string()), clean(rest)),
        _ => (marker.map(str::to_string), clean(head)),
    }
}

/// "Trên đây là Kế hoạch …/." ends the operative part of a document.
pub(super) fn is_document_end(joined: &str) -> bool {
    joined.ends_with("/.") || crate::text::fold_starts_with(joined, "tren day la")
}

/// "… các nhiệm vụ sau:" introduces a list of separate tasks rather than details of one.
pub(super) fn is_intro(head: &str) -> bool {
    let f = crate::text::fold(head);
    f.ends_with(" sau") || f.ends_with(" sau day")
}

/// A short numbered line ("1. Về cải cách thể chế") that names the group of what follows.
pub(super) fn is_group_title(joined: &str) -> bool {
    let numbered = split_enum(joined)
        .is_some_and(|(_, style, rest)| style != NumStyle::Letter && !rest.is_empty());
    numbered && joined.split(' ').count() <= 20 && !joined.ends_with(['.', ';', ','])
}

/// The text of detail blocks, one line per paragraph or item, in order.
pub(super) fn detail_lines(blocks: &[Block]) -> Vec<String> {
    let mut out = Vec::new();
    for b in blocks {
        match b.kind {
            Kind::Paragraph => out.extend(non_empty(&b.text)),
            Kind::List | Kind::Item | Kind::Quote => out.extend(detail_lines(&b.children)),
            _ => {}
        }
    }
    out
}
