//! The block tree a body is parsed into: headings, paragraphs, lists, items, tables and
//! cells with their flattened text, built from pulldown-cmark events with an explicit stack.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Containers nested deeper than this are ignored with everything inside them: no real plan
/// nests that deep, and the cap keeps every later recursion shallow.
pub(super) const MAX_DEPTH: usize = 32;

/// The kind of a node in the block tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
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
pub(super) struct Block {
    pub(super) kind: Kind,
    pub(super) offset: usize,
    /// Inline text; soft and hard breaks (and `<br>`) are `'\n'`.
    pub(super) text: String,
    /// For ordered list items: the marker as written ("3." or "3)").
    pub(super) marker: Option<String>,
    pub(super) children: Vec<Block>,
    /// A paragraph opened for the bare text of a tight list item.
    pub(super) implicit: bool,
    /// Some non-blank text of this block lies outside bold (`**…**`) markup.
    pub(super) plain: bool,
}

impl Block {
    pub(super) fn new(kind: Kind, offset: usize) -> Block {
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
    pub(super) fn all_bold(&self) -> bool {
        !self.plain && self.text.chars().any(|c| !c.is_whitespace())
    }

    /// The first paragraph of an item and the blocks after it.
    pub(super) fn head_and_rest(&self) -> (Option<&Block>, &[Block]) {
        match self.children.split_first() {
            Some((first, rest)) if first.kind == Kind::Paragraph => (Some(first), rest),
            _ => (None, &self.children),
        }
    }
}

/// Parses `body` into the block tree.
pub(super) fn build_tree(body: &str) -> Vec<Block> {
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
pub(super) struct Builder<'b> {
    pub(super) body: &'b str,
    pub(super) stack: Vec<Block>,
    /// While > 0, events belong to a container beyond [`MAX_DEPTH`] and are dropped.
    pub(super) skip: usize,
    /// How many bold (`Strong`) spans are open.
    pub(super) strong: usize,
    /// The open HTML block's offset and text: a `<table>` in it is read as a task table.
    pub(super) html: Option<(usize, String)>,
}

impl Builder<'_> {
    pub(super) fn event(&mut self, event: Event<'_>, offset: usize) {
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

    pub(super) fn start(&mut self, tag: Tag<'_>, offset: usize) {
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

    pub(super) fn end(&mut self, end: TagEnd) {
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
                let tables = super::html_table::tables(&html, at);
                if let Some(parent) = self.stack.last_mut() {
                    parent.children.extend(tables);
                }
            }
        }
    }

    pub(super) fn inline(&mut self, text: &str, offset: usize) {
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

    pub(super) fn close_implicit(&mut self) {
        if self.stack.last().is_some_and(|b| b.implicit) {
            self.pop();
        }
    }

    /// Closes the innermost block and attaches it to its parent (the root is never popped).
    pub(super) fn pop(&mut self) {
        if self.stack.len() < 2 {
            return;
        }
        if let Some(block) = self.stack.pop() {
            if let Some(parent) = self.stack.last_mut() {
                parent.children.push(block);
            }
        }
    }

    pub(super) fn finish(mut self) -> Vec<Block> {
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
pub(super) fn is_line_break(html: &str) -> bool {
    let t = html.trim_start();
    t.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("<br"))
}

/// The marker of an ordered list item as written at `offset` ("3." or "3)").
pub(super) fn ordered_marker(body: &str, offset: usize) -> Option<String> {
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
