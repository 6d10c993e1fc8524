//! Task extraction from a document's Markdown body.
//!
//! Takes the body (front matter already removed, NFC text) and a `names_unit` predicate, and
//! returns the tasks written in the body as [`RawTask`] records, in document order. Three written
//! forms are recognised (CONTENT-FORMAT.md, "Tasks may also be written in the body"):
//! task tables (`table`), labelled lists (`labelled`) and unit-headed sections
//! (`unit_headed`).
//!
//! The body is parsed once with pulldown-cmark into a small block tree (this file), which is
//! then walked with a stack of heading contexts. The headings decide what may yield tasks at
//! all (results sections never do; the closing "Tổ chức thực hiện" only with a deadline), the
//! period a task inherits ("… 6 tháng cuối năm 2023"), the unit a section is about and the
//! group a task belongs to. Nesting deeper than `MAX_DEPTH` is dropped, so hostile input
//! (10,000 nested lists or quotes) stays linear and never overflows the stack.

mod html_table;
mod labelled;
mod not_task;
mod table;
mod unit_headed;

#[cfg(test)]
mod tests;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use unit_headed::Section;

/// The written form a task was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaskForm {
    /// A row of a GFM task table.
    #[default]
    Table,
    /// An item or paragraph followed by "Đơn vị chủ trì: …" / "Thời gian: …" lines.
    Labelled,
    /// A bullet or paragraph under a heading or line naming the lead unit.
    UnitHeaded,
}

/// One task as written in the body, before units and deadlines are resolved.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawTask {
    /// The TT / "a)" / "1." label as written, if any.
    pub id: Option<String>,
    /// The group or section it belongs to (group row text, or enclosing heading).
    pub group: Option<String>,
    /// The task text: plain text, inline Markdown flattened. Detail sub-bullets of a
    /// unit-headed task follow on their own lines, each starting with "- ".
    pub text: String,
    /// The deliverable ("Sản phẩm").
    pub product: Option<String>,
    /// The lead unit(s) as written; the caller splits it into units.
    pub lead: Option<String>,
    /// The supporting unit(s) as written.
    pub support: Option<String>,
    /// The deadline text as written.
    pub due: Option<String>,
    /// True when `due` came from an enclosing heading rather than the task itself.
    pub due_inherited: bool,
    /// The budget ("Kinh phí") as written.
    pub budget: Option<String>,
    /// The note ("Ghi chú") as written.
    pub note: Option<String>,
    /// Which written form the task came from.
    pub form: TaskForm,
    /// Byte offset in the body where the task starts.
    pub offset: usize,
}

/// Extracts every task written in `body` (tables, labelled lists, unit-headed sections).
///
/// `names_unit(text)` says whether a heading or numbered line names a unit; it is called with
/// the leading numbering ("3.", "a)") and a trailing ":" already removed.
pub fn extract_tasks(body: &str, names_unit: &dyn Fn(&str) -> bool) -> Vec<RawTask> {
    let blocks = build_tree(body);
    let mut walker = Walker::new(names_unit);
    walker.walk(&blocks, &Scope::default());
    walker.into_tasks()
}

/// Containers nested deeper than this are ignored with everything inside them: no real plan
/// nests that deep, and the cap keeps every later recursion shallow.
const MAX_DEPTH: usize = 32;

/// The kind of a node in the block tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Heading(u8),
    Paragraph,
    List,
    Item,
    Quote,
    Table,
    Row,
    Cell,
    /// Code, HTML blocks, footnote definitions…: kept only to balance the tree.
    Other,
}

/// A node of the block tree: headings, paragraphs and cells carry their flattened text.
#[derive(Debug)]
struct Block {
    kind: Kind,
    offset: usize,
    /// Inline text; soft and hard breaks (and `<br>`) are `'\n'`.
    text: String,
    /// For ordered list items: the marker as written ("3." or "3)").
    marker: Option<String>,
    children: Vec<Block>,
    /// A paragraph opened for the bare text of a tight list item.
    implicit: bool,
    /// Some non-blank text of this block lies outside bold (`**…**`) markup.
    plain: bool,
}

impl Block {
    fn new(kind: Kind, offset: usize) -> Block {
        Block {
            kind,
            offset,
            text: String::new(),
            marker: None,
            children: Vec::new(),
            implicit: false,
            plain: false,
        }
    }

    /// True when the block has text and all of it is bold ("**1. Nhóm một**").
    fn all_bold(&self) -> bool {
        !self.plain && self.text.chars().any(|c| !c.is_whitespace())
    }

    /// The first paragraph of an item and the blocks after it.
    fn head_and_rest(&self) -> (Option<&Block>, &[Block]) {
        match self.children.split_first() {
            Some((first, rest)) if first.kind == Kind::Paragraph => (Some(first), rest),
            _ => (None, &self.children),
        }
    }
}

/// Parses `body` into the block tree.
fn build_tree(body: &str) -> Vec<Block> {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut builder = Builder {
        body,
        stack: vec![Block::new(Kind::Other, 0)],
        skip: 0,
        strong: 0,
        html: None,
    };
    for (event, range) in Parser::new_ext(body, opts).into_offset_iter() {
        builder.event(event, range.start);
    }
    builder.finish()
}

/// Turns the event stream into [`Block`]s with an explicit stack (no recursion).
struct Builder<'b> {
    body: &'b str,
    stack: Vec<Block>,
    /// While > 0, events belong to a container beyond [`MAX_DEPTH`] and are dropped.
    skip: usize,
    /// How many bold (`Strong`) spans are open.
    strong: usize,
    /// The open HTML block's offset and text: a `<table>` in it is read as a task table.
    html: Option<(usize, String)>,
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, offset: usize) {
        match event {
            Event::Html(h) if self.html.is_some() && self.skip == 0 => {
                if let Some((_, text)) = self.html.as_mut() {
                    text.push_str(&h);
                }
            }
            Event::Start(tag) => self.start(tag, offset),
            Event::End(end) => self.end(end),
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.inline(&t, offset)
            }
            Event::SoftBreak | Event::HardBreak => self.inline("\n", offset),
            Event::InlineHtml(h) | Event::Html(h) if is_line_break(&h) => self.inline("\n", offset),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, offset: usize) {
        if self.skip > 0 {
            self.skip += 1;
            return;
        }
        let kind = match tag {
            Tag::Strong => {
                self.strong += 1;
                return;
            }
            Tag::Paragraph => Kind::Paragraph,
            Tag::Heading { level, .. } => Kind::Heading(level as u8),
            Tag::BlockQuote(_) => Kind::Quote,
            Tag::List(_) => Kind::List,
            Tag::Item => Kind::Item,
            Tag::Table(_) => Kind::Table,
            Tag::TableHead | Tag::TableRow => Kind::Row,
            Tag::TableCell => Kind::Cell,
            Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => Kind::Other,
            // Inline tags (emphasis, links…) only wrap text, which is flattened.
            _ => return,
        };
        self.close_implicit();
        if self.stack.len() > MAX_DEPTH {
            self.skip = 1;
            return;
        }
        if matches!(tag, Tag::HtmlBlock) {
            self.html = Some((offset, String::new()));
        }
        let mut block = Block::new(kind, offset);
        if kind == Kind::Item {
            block.marker = ordered_marker(self.body, offset);
        }
        self.stack.push(block);
    }

    fn end(&mut self, end: TagEnd) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        if end == TagEnd::Strong {
            self.strong = self.strong.saturating_sub(1);
            return;
        }
        let is_block = matches!(
            end,
            TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::Table
                | TagEnd::TableHead
                | TagEnd::TableRow
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::FootnoteDefinition
                | TagEnd::DefinitionList
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition
                | TagEnd::MetadataBlock(_)
        );
        if is_block {
            self.close_implicit();
            self.pop();
        }
        if end == TagEnd::HtmlBlock {
            if let Some((at, html)) = self.html.take() {
                let tables = html_table::tables(&html, at);
                if let Some(parent) = self.stack.last_mut() {
                    parent.children.extend(tables);
                }
            }
        }
    }

    fn inline(&mut self, text: &str, offset: usize) {
        if self.skip > 0 {
            return;
        }
        let plain = self.strong == 0 && text.chars().any(|c| !c.is_whitespace());
        let Some(top) = self.stack.last_mut() else {
            return;
        };
        match top.kind {
            Kind::Paragraph | Kind::Heading(_) | Kind::Cell => {
                top.text.push_str(text);
                top.plain |= plain;
            }
            // Tight list items hold their text without a paragraph: give them one.
            Kind::Item => {
                let mut para = Block::new(Kind::Paragraph, offset);
                para.implicit = true;
                para.text.push_str(text);
                para.plain = plain;
                self.stack.push(para);
            }
            _ => {}
        }
    }

    fn close_implicit(&mut self) {
        if self.stack.last().is_some_and(|b| b.implicit) {
            self.pop();
        }
    }

    /// Closes the innermost block and attaches it to its parent (the root is never popped).
    fn pop(&mut self) {
        if self.stack.len() < 2 {
            return;
        }
        if let Some(block) = self.stack.pop() {
            if let Some(parent) = self.stack.last_mut() {
                parent.children.push(block);
            }
        }
    }

    fn finish(mut self) -> Vec<Block> {
        while self.stack.len() > 1 {
            self.pop();
        }
        self.stack
            .pop()
            .map(|root| root.children)
            .unwrap_or_default()
    }
}

/// True for `<br>`, `<br/>`, `<br />` (any case): the only raw HTML that carries meaning here.
fn is_line_break(html: &str) -> bool {
    let t = html.trim_start();
    t.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("<br"))
}

/// The marker of an ordered list item as written at `offset` ("3." or "3)").
fn ordered_marker(body: &str, offset: usize) -> Option<String> {
    let rest = body.get(offset..)?.trim_start_matches([' ', '\t']);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let delim = rest.as_bytes().get(digits)?;
    if *delim == b'.' || *delim == b')' {
        rest.get(..=digits).map(str::to_string)
    } else {
        None
    }
}

/// Collapses white space (including line breaks) to single spaces and trims.
fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `Some(clean(s))` unless that is empty.
fn non_empty(s: &str) -> Option<String> {
    let c = clean(s);
    (!c.is_empty()).then_some(c)
}

/// How an enumeration label is written; a unit line's scope ends at the next line numbered
/// the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumStyle {
    Roman,
    Digit,
    Letter,
}

/// Splits a leading enumeration label ("1.", "1.2.", "3)", "a)", "đ)", "(b)", "II.") from
/// `text`, returning the label as written, its style and the rest (trimmed).
fn split_enum(text: &str) -> Option<(&str, NumStyle, &str)> {
    let t = text.trim_start();
    let (word, rest) = match t.split_once(char::is_whitespace) {
        Some((w, r)) => (w, r.trim_start()),
        None => (t, ""),
    };
    let style = enum_style(word)?;
    Some((word, style, rest))
}

fn enum_style(word: &str) -> Option<NumStyle> {
    let inner = word.strip_prefix('(').unwrap_or(word);
    let (body, delim) = match inner.char_indices().last() {
        Some((i, c @ ('.' | ')'))) => (inner.get(..i)?, c),
        _ => return None,
    };
    if body.is_empty() || body.len() > 12 {
        return None;
    }
    let mut chars = body.chars();
    let first = chars.next()?;
    if body.bytes().all(|b| b.is_ascii_digit() || b == b'.') && first.is_ascii_digit() {
        return Some(NumStyle::Digit);
    }
    if delim == '.' && body.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L')) {
        return Some(NumStyle::Roman);
    }
    if chars.next().is_none() && first.is_alphabetic() {
        return Some(NumStyle::Letter);
    }
    None
}

/// Titles longer than this (bytes) are cut: every task under a heading copies its title.
const MAX_TITLE: usize = 400;

/// Removes a leading enumeration label and trailing ":" from a title (cut to [`MAX_TITLE`]).
fn strip_title(text: &str) -> String {
    let joined = clean(text);
    let rest = match split_enum(&joined) {
        Some((_, _, rest)) => rest,
        None => joined.as_str(),
    };
    let mut title = clean(rest.trim_end_matches([':', ' ']));
    if title.len() > MAX_TITLE {
        let cut = (0..=MAX_TITLE)
            .rev()
            .find(|i| title.is_char_boundary(*i))
            .unwrap_or(0);
        title.truncate(cut);
        title.push('…');
    }
    title
}

/// Byte ranges of the words (letter/digit runs) of `s`; combining marks stay in their word.
fn word_ranges(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let in_word = c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c);
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push((st, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push((st, s.len()));
    }
    out
}

/// What a heading contributes to the blocks under it.
#[derive(Debug)]
struct HeadingCtx {
    level: u8,
    /// The title without numbering: the group of the tasks below.
    title: String,
    section: Section,
    period: Option<String>,
    unit: Option<String>,
}

/// What a block sequence inherits from the list item (or quote) containing it.
#[derive(Debug, Clone, Default)]
struct Scope {
    unit: Option<String>,
    group: Option<String>,
    /// The document's closing lines ("Trên đây là …") were passed: no heading unit applies.
    closed: bool,
}

/// State local to one block sequence, reset at every heading.
#[derive(Debug, Default)]
struct Local {
    /// A unit line seen in this sequence, with the numbering style and number it was
    /// written with.
    unit: Option<(String, Option<NumStyle>, Option<u64>)>,
    group: Option<String>,
    /// A list followed the unit line: later plain paragraphs are closing remarks unless
    /// they are enumerated ("b) …").
    seen_list: bool,
    closed: bool,
}

/// The context a task is emitted in.
#[derive(Debug, Default)]
struct Ctx {
    skip: bool,
    closing: bool,
    period: Option<String>,
    unit: Option<String>,
    group: Option<String>,
}

/// Walks the block tree with the heading stack and collects tasks.
struct Walker<'a> {
    names_unit: &'a dyn Fn(&str) -> bool,
    headings: Vec<HeadingCtx>,
    tasks: Vec<RawTask>,
    /// How many block sequences `walk` is inside (1 = the body itself).
    depth: usize,
}

impl<'a> Walker<'a> {
    fn new(names_unit: &'a dyn Fn(&str) -> bool) -> Walker<'a> {
        Walker {
            names_unit,
            headings: Vec::new(),
            tasks: Vec::new(),
            depth: 0,
        }
    }

    fn into_tasks(self) -> Vec<RawTask> {
        self.tasks
    }

    /// Walks one sequence of sibling blocks.
    fn walk(&mut self, blocks: &[Block], scope: &Scope) {
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
                Kind::Table => self.table(block, scope, &local),
                Kind::Paragraph => used = self.paragraph(blocks, i, scope, &mut local),
                Kind::List => {
                    if continues_numbering(&local, block) {
                        local.unit = None;
                    }
                    let inner = scope_of(scope, &local);
                    // "1. Task" followed directly by unindented "- Thời gian: …" lines: the
                    // labels belong to the list's last item.
                    let (labels, n) = following_labels(after);
                    if labels.is_task() && takes_labels(block) {
                        self.list_with_labels(block, &inner, labels);
                        used += n;
                    } else {
                        self.list(block, &inner);
                    }
                    local.seen_list = true;
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
    fn is_pseudo_heading(&self, block: &Block) -> bool {
        if !block.all_bold() || block.text.len() > MAX_TITLE {
            return false;
        }
        let joined = clean(&block.text);
        let roman = split_enum(&joined).is_some_and(|(_, style, rest)| {
            style == NumStyle::Roman && rest.chars().next().is_some_and(char::is_alphabetic)
        });
        roman && unit_headed::unit_line(&joined, self.names_unit).is_none()
    }

    fn enter_heading(&mut self, level: u8, text: &str) {
        while self.headings.last().is_some_and(|h| h.level >= level) {
            self.headings.pop();
        }
        let title = strip_title(text);
        let unit = unit_headed::unit_line(text, self.names_unit);
        let (section, period) = match unit {
            Some(_) => (Section::Normal, None),
            None => (
                unit_headed::section_of(&title),
                unit_headed::heading_period(&title),
            ),
        };
        self.headings.push(HeadingCtx {
            level,
            title,
            section,
            period,
            unit,
        });
    }

    /// A heading followed directly by label lines ("### 3. Xác định Chỉ số …" then
    /// "- Thời gian: …") is itself a labelled task; returns how many blocks the labels used.
    fn heading_labels(&mut self, heading: &Block, after: &[Block], scope: &Scope) -> usize {
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

    fn ctx(&self, scope: &Scope, local: &Local) -> Ctx {
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

    fn table(&mut self, block: &Block, scope: &Scope, local: &Local) {
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
    fn paragraph(&mut self, blocks: &[Block], i: usize, scope: &Scope, local: &mut Local) -> usize {
        let Some(p) = blocks.get(i) else { return 1 };
        let joined = clean(&p.text);
        if joined.is_empty() || not_task::between_tables(blocks, i) {
            return 1;
        }
        if is_document_end(&joined) {
            local.closed = true;
            local.unit = None;
            return 1;
        }
        let (style, number) = match split_enum(&joined) {
            Some((label, style, _)) => (Some(style), leading_number(label)),
            None => (None, None),
        };
        let (head, mut labels) = labelled::split_lines(&p.text);
        let (more, n) = following_labels(blocks.get(i + 1..).unwrap_or(&[]));
        labels.merge(more);
        let mut used = 1 + n;
        if head.is_empty() {
            return used;
        }
        let (id, text) = id_and_text(&head, None);
        if labels.is_task() {
            let ctx = self.ctx(scope, local);
            self.push_labelled(id, text, labels, p.offset, &ctx);
            return used;
        }
        let unit = unit_headed::unit_line(&p.text, self.names_unit);
        if let Some(unit) = unit.filter(|_| heading_like(p, &joined, style)) {
            *local = Local {
                unit: Some((unit, style, number)),
                group: local.group.take(),
                ..Local::default()
            };
            return used;
        }
        // "3. …" after a unit line "2. Sở Tài chính", or "II. …" after it, is no longer about
        // that unit.
        if local
            .unit
            .as_ref()
            .is_some_and(|u| u.1.is_some() && rank(style) >= rank(u.1))
        {
            local.unit = None;
        }
        let next_list = blocks
            .get(i + 1)
            .filter(|b| b.kind == Kind::List && used == 1);
        if let Some(list) = next_list.filter(|l| labelled::carries_tasks(std::slice::from_ref(*l)))
        {
            // "c) Xây dựng …" whose sub-items each carry their own labels: a group of tasks.
            let mut inner = scope_of(scope, local);
            inner.group = non_empty(&strip_title(&head)).or(inner.group);
            self.list(list, &inner);
            local.seen_list = true;
            return 2;
        }
        if let Some((unit, after)) = unit_headed::inline_unit(&head, self.names_unit) {
            *local = Local {
                unit: Some((unit, style, number)),
                group: local.group.take(),
                ..Local::default()
            };
            let ctx = self.ctx(scope, local);
            let (id, after) = id_and_text(&after, id.as_deref());
            self.push_unit(id, after, Vec::new(), p.offset, &ctx);
            return used;
        }
        let ctx = self.ctx(scope, local);
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

    fn list(&mut self, list: &Block, scope: &Scope) {
        for item in &list.children {
            self.item(item, scope, labelled::Labels::default());
        }
    }

    /// Like [`Walker::list`], with label lines written after the list given to its last item.
    fn list_with_labels(&mut self, list: &Block, scope: &Scope, labels: labelled::Labels) {
        let Some((last, first)) = list.children.split_last() else {
            return;
        };
        for item in first {
            self.item(item, scope, labelled::Labels::default());
        }
        self.item(last, scope, labels);
    }

    /// One list item; `extra` are labels written after the list that belong to this item.
    fn item(&mut self, item: &Block, scope: &Scope, extra: labelled::Labels) {
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

    fn push_labelled(
        &mut self,
        id: Option<String>,
        text: String,
        labels: labelled::Labels,
        offset: usize,
        ctx: &Ctx,
    ) {
        let task = RawTask {
            id,
            text,
            product: labels.product,
            lead: labels.lead,
            support: labels.support,
            due: labels.due,
            budget: labels.budget,
            note: labels.note,
            form: TaskForm::Labelled,
            offset,
            ..RawTask::default()
        };
        self.push(task, ctx);
    }

    fn push_unit(
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
            id,
            text,
            form: TaskForm::UnitHeaded,
            offset,
            ..RawTask::default()
        };
        self.push(task, ctx);
    }

    /// Applies the context rules and records the task.
    fn push(&mut self, mut task: RawTask, ctx: &Ctx) {
        if ctx.skip || task.text.is_empty() || not_task::rejects(&task) {
            return;
        }
        if task.due.is_none() {
            task.due =
                unit_headed::inline_due(&task.text).or_else(|| unit_headed::due_phrase(&task.text));
        }
        if task.due.is_none() {
            // The closing section restates duties; only work with its own deadline counts.
            if ctx.closing {
                return;
            }
            task.due.clone_from(&ctx.period);
            task.due_inherited = task.due.is_some();
        }
        if task.lead.is_none() {
            task.lead.clone_from(&ctx.unit);
        }
        if task.group.is_none() {
            task.group.clone_from(&ctx.group);
        }
        self.tasks.push(task);
    }
}

/// The heading level given to a bold section line ("**II. NHIỆM VỤ**"): below every Markdown
/// heading, and replaced by the next such line.
const PSEUDO_HEADING: u8 = 7;

/// The labels written in the label paragraphs and label lists at the start of `after`, and how
/// many blocks they use.
fn following_labels(after: &[Block]) -> (labelled::Labels, usize) {
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
fn takes_labels(list: &Block) -> bool {
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
fn scope_of(scope: &Scope, local: &Local) -> Scope {
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
fn continues_numbering(local: &Local, list: &Block) -> bool {
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
fn rank(style: Option<NumStyle>) -> u8 {
    match style {
        Some(NumStyle::Roman) => 3,
        Some(NumStyle::Digit) => 2,
        Some(NumStyle::Letter) => 1,
        None => 0,
    }
}

/// Words a bare, unnumbered, unbold paragraph may have and still stand as a unit line
/// ("Sở Tư pháp"); a longer one is a sentence that merely starts with a unit.
const MAX_BARE_UNIT_WORDS: usize = 8;

/// True when a paragraph is set like a unit heading: bold, numbered, ending with a colon, or
/// short. Prose that merely starts with a unit ("Ủy ban nhân dân tỉnh về các …") is not one.
fn heading_like(p: &Block, joined: &str, style: Option<NumStyle>) -> bool {
    p.all_bold()
        || style.is_some()
        || joined.trim_end().ends_with(':')
        || joined.split_whitespace().count() <= MAX_BARE_UNIT_WORDS
}

/// The number a label starts with ("12." → 12).
fn leading_number(label: &str) -> Option<u64> {
    let digits: String = label.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The id ("a)", "1.") written at the start of a head, else the list marker, and the text.
fn id_and_text(head: &str, marker: Option<&str>) -> (Option<String>, String) {
    match split_enum(head) {
        Some((label, _, rest)) if !rest.is_empty() => (Some(label.to_string()), clean(rest)),
        _ => (marker.map(str::to_string), clean(head)),
    }
}

/// "Trên đây là Kế hoạch …/." ends the operative part of a document.
fn is_document_end(joined: &str) -> bool {
    joined.ends_with("/.") || crate::text::fold(joined).starts_with("tren day la")
}

/// "… các nhiệm vụ sau:" introduces a list of separate tasks rather than details of one.
fn is_intro(head: &str) -> bool {
    let f = crate::text::fold(head);
    f.ends_with(" sau") || f.ends_with(" sau day")
}

/// A short numbered line ("1. Về cải cách thể chế") that names the group of what follows.
fn is_group_title(joined: &str) -> bool {
    let numbered = split_enum(joined)
        .is_some_and(|(_, style, rest)| style != NumStyle::Letter && !rest.is_empty());
    numbered && joined.split(' ').count() <= 20 && !joined.ends_with(['.', ';', ','])
}

/// The text of detail blocks, one line per paragraph or item, in order.
fn detail_lines(blocks: &[Block]) -> Vec<String> {
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
