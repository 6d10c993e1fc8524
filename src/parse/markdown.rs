//! Markdown → HTML for document bodies (CommonMark + GFM tables, footnotes, strikethrough,
//! task lists, heading ids), on pulldown-cmark's event stream.
//!
//! Takes a body and a [`MdContext`] (how to resolve links and which numbers to link); returns
//! the HTML, the headings (for the table of contents and anchor checks), the plain text (for
//! search) and the links it could not resolve. Raw HTML is escaped unless the site opts in,
//! and `javascript:` URLs are neutralised, so a document cannot inject script.

use std::collections::BTreeSet;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::model::Heading;
use crate::text::slugify;

/// Markdown extensions every document gets.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// What a link destination resolved to.
pub enum LinkTarget {
    /// Rewrite to this URL.
    Url(String),
    /// Leave as written (external URL, plain anchor).
    Keep,
    /// Internal target that does not exist: keep as written and report.
    Broken(String),
}

/// A found citation in plain text: byte range within the text chunk and the URL to link.
pub struct AutoLink {
    pub range: Range<usize>,
    pub href: String,
    pub title: String,
}

/// How to resolve what a body points at; supplied by the pipeline.
pub struct MdContext<'a> {
    pub allow_html: bool,
    /// Resolves a link destination written in the body.
    pub resolve_link: &'a (dyn Fn(&str) -> LinkTarget + Sync),
    /// Finds document numbers in a run of text that should become links.
    pub autolink: &'a (dyn Fn(&str) -> Vec<AutoLink> + Sync),
}

/// A link that points nowhere, with its byte range in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub offset: usize,
    pub dest: String,
    pub message: String,
}

/// The result of rendering one body.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub plain_text: String,
    pub broken_links: Vec<BrokenLink>,
}

/// Renders `body` to HTML.
pub fn render(body: &str, ctx: &MdContext) -> Rendered {
    let mut r = Renderer {
        ctx,
        out: Vec::new(),
        used_ids: BTreeSet::new(),
        headings: Vec::new(),
        plain: String::new(),
        broken: Vec::new(),
        heading_start: None,
        heading_text: String::new(),
        in_code: None,
        code_text: String::new(),
        link_depth: 0,
        footnote_numbers: Vec::new(),
        html_block: None,
    };
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        r.event(event, range);
    }
    let mut html = String::with_capacity(body.len() + body.len() / 2);
    pulldown_cmark::html::push_html(&mut html, r.out.into_iter());
    Rendered {
        html,
        headings: r.headings,
        plain_text: r.plain,
        broken_links: r.broken,
    }
}

struct Renderer<'a, 'c> {
    ctx: &'c MdContext<'c>,
    out: Vec<Event<'a>>,
    used_ids: BTreeSet<String>,
    headings: Vec<Heading>,
    plain: String,
    broken: Vec<BrokenLink>,
    /// Index in `out` of the open heading's start event, with its level and explicit id.
    heading_start: Option<(usize, HeadingLevel, Option<String>)>,
    heading_text: String,
    /// Language of the open fenced code block.
    in_code: Option<String>,
    code_text: String,
    link_depth: usize,
    footnote_numbers: Vec<String>,
    /// Chunks of the open raw HTML block (when raw HTML is not allowed): a table is kept
    /// through the allow-list of [`sanitize_table`], anything else is escaped as text.
    html_block: Option<Vec<CowStr<'a>>>,
}

impl<'a> Renderer<'a, '_> {
    /// One event of the body: headings, code blocks, links, raw HTML and footnotes each take
    /// their own step; everything else passes through, with plain text recorded.
    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if self.in_code.is_some() {
            return self.code_event(event);
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.heading_start = Some((self.out.len(), level, id.map(|i| i.to_string())));
                self.heading_text.clear();
                self.out.push(Event::Html(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(_)) => self.close_heading(),
            Event::Start(Tag::CodeBlock(kind)) => self.open_code(kind),
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) | Event::End(TagEnd::Link) => {
                self.link_event(event, range.start)
            }
            Event::Start(Tag::HtmlBlock)
            | Event::End(TagEnd::HtmlBlock)
            | Event::Html(_)
            | Event::InlineHtml(_) => self.html_event(event),
            Event::Text(t) => self.text(t),
            Event::Code(c) => {
                self.plain_push(&c);
                if self.heading_start.is_some() {
                    self.heading_text.push_str(&c);
                }
                self.out.push(Event::Code(c));
            }
            Event::FootnoteReference(label) => self.footnote_ref(&label),
            Event::Start(Tag::FootnoteDefinition(label)) => self.open_footnote(&label),
            Event::End(TagEnd::FootnoteDefinition) => {
                self.out.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            Event::InlineMath(m) | Event::DisplayMath(m) => self.text(m),
            Event::SoftBreak | Event::HardBreak => {
                self.plain.push(' ');
                if self.heading_start.is_some() {
                    self.heading_text.push(' ');
                }
                self.out.push(event);
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                self.plain.push(' ');
                self.out.push(event);
            }
            other => self.out.push(other),
        }
    }

    /// A fenced or indented code block opens: its text is collected until it closes (see
    /// [`Renderer::code_event`]), then highlighted for its language.
    fn open_code(&mut self, kind: CodeBlockKind<'a>) {
        let lang = match kind {
            CodeBlockKind::Fenced(l) => l.split_whitespace().next().unwrap_or("").to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        self.in_code = Some(lang);
        self.code_text.clear();
    }

    /// A link or image: its destination resolved (documents and files of the site, dangerous
    /// schemes disabled); link depth kept so text inside a link is not linked again.
    fn link_event(&mut self, event: Event<'a>, offset: usize) {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.link_depth += 1;
                let dest = self.resolve(&dest_url, offset);
                self.out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => {
                self.link_depth = self.link_depth.saturating_sub(1);
                self.out.push(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = self.resolve(&dest_url, offset);
                self.out.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }));
            }
            other => self.out.push(other),
        }
    }

    /// Raw HTML: passed through when the site allows it; otherwise a block holding a table is
    /// kept through [`sanitize_table`] and anything else is shown as text.
    fn html_event(&mut self, event: Event<'a>) {
        match event {
            Event::Start(Tag::HtmlBlock) if !self.ctx.allow_html => {
                self.html_block = Some(Vec::new());
                self.out.push(event);
            }
            Event::Html(h) if self.html_block.is_some() => {
                if let Some(chunks) = self.html_block.as_mut() {
                    chunks.push(h);
                }
            }
            Event::End(TagEnd::HtmlBlock) if self.html_block.is_some() => {
                let chunks = self.html_block.take().unwrap_or_default();
                let joined: String = chunks.iter().map(|c| c.to_string()).collect();
                if joined.to_ascii_lowercase().contains("<table") {
                    let clean = sanitize_table(&joined);
                    self.plain_push(&strip_tags(&clean));
                    self.out.push(Event::Html(CowStr::from(clean)));
                } else {
                    for c in chunks {
                        self.text(c);
                    }
                }
                self.out.push(event);
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if self.ctx.allow_html {
                    self.out.push(Event::Html(h));
                } else {
                    self.text(h);
                }
            }
            other => self.out.push(other),
        }
    }

    fn open_footnote(&mut self, label: &str) {
        let id = footnote_id(label);
        let n = self.footnote_number(label);
        self.out.push(Event::Html(CowStr::from(format!(
            "<div class=\"footnote\" id=\"fn-{id}\"><span class=\"footnote-label\">{n}.</span>"
        ))));
    }

    fn plain_push(&mut self, s: &str) {
        self.plain.push_str(s);
    }

    /// Plain text: escaped by push_html; numbers of known documents become links unless we
    /// are inside a link or heading already.
    fn text(&mut self, t: CowStr<'a>) {
        self.plain_push(&t);
        if self.heading_start.is_some() {
            self.heading_text.push_str(&t);
            self.out.push(Event::Text(t));
            return;
        }
        if self.link_depth > 0 {
            self.out.push(Event::Text(t));
            return;
        }
        let links = (self.ctx.autolink)(&t);
        if links.is_empty() {
            self.out.push(Event::Text(t));
            return;
        }
        let mut pos = 0;
        for link in links {
            let (Some(before), Some(inner)) =
                (t.get(pos..link.range.start), t.get(link.range.clone()))
            else {
                continue;
            };
            self.out.push(Event::Text(CowStr::from(before.to_string())));
            self.out.push(Event::Html(CowStr::from(format!(
                "<a class=\"ref\" href=\"{}\" title=\"{}\">",
                escape_attr(&link.href),
                escape_attr(&link.title)
            ))));
            self.out.push(Event::Text(CowStr::from(inner.to_string())));
            self.out.push(Event::Html(CowStr::Borrowed("</a>")));
            pos = link.range.end;
        }
        if let Some(rest) = t.get(pos..) {
            self.out.push(Event::Text(CowStr::from(rest.to_string())));
        }
    }

    fn close_heading(&mut self) {
        let Some((idx, level, explicit)) = self.heading_start.take() else {
            return;
        };
        let text = self
            .heading_text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let base = explicit
            .map(|e| slugify(&e))
            .unwrap_or_else(|| slugify(&text));
        let id = self.unique_id(base);
        let n = level as u8;
        if let Some(slot) = self.out.get_mut(idx) {
            *slot = Event::Html(CowStr::from(format!("<h{n} id=\"{id}\">")));
        }
        self.out.push(Event::Html(CowStr::from(format!(
            "<a class=\"anchor\" href=\"#{id}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{n}>\n"
        ))));
        self.plain.push(' ');
        self.headings.push(Heading { level: n, id, text });
    }

    fn unique_id(&mut self, base: String) -> String {
        // Ids our pages generate themselves start with these; keep headings clear of them.
        let base = if base.starts_with("nv-") || base.starts_with("fn-") || base == "noi-dung" {
            format!("muc-{base}")
        } else {
            base
        };
        let mut id = base.clone();
        let mut n = 2;
        while !self.used_ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    fn code_event(&mut self, event: Event<'a>) {
        match event {
            Event::Text(t) => self.code_text.push_str(&t),
            Event::End(TagEnd::CodeBlock) => {
                let lang = self.in_code.take().unwrap_or_default();
                self.plain_push(&self.code_text.clone());
                let html = super::highlight::highlight(&self.code_text, &lang);
                self.out.push(Event::Html(CowStr::from(html)));
            }
            _ => {}
        }
    }

    fn footnote_number(&mut self, label: &str) -> usize {
        if let Some(i) = self.footnote_numbers.iter().position(|l| l == label) {
            return i + 1;
        }
        self.footnote_numbers.push(label.to_string());
        self.footnote_numbers.len()
    }

    fn footnote_ref(&mut self, label: &str) {
        let n = self.footnote_number(label);
        let id = footnote_id(label);
        self.out.push(Event::Html(CowStr::from(format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn-{id}\">{n}</a></sup>"
        ))));
    }

    fn resolve(&mut self, dest: &str, offset: usize) -> CowStr<'a> {
        if is_dangerous_url(dest) {
            self.broken.push(BrokenLink {
                offset,
                dest: dest.to_string(),
                message: "liên kết `javascript:`/`data:` bị vô hiệu hóa".into(),
            });
            return CowStr::Borrowed("#");
        }
        match (self.ctx.resolve_link)(dest) {
            LinkTarget::Url(u) => CowStr::from(u),
            LinkTarget::Keep => CowStr::from(dest.to_string()),
            LinkTarget::Broken(message) => {
                self.broken.push(BrokenLink {
                    offset,
                    dest: dest.to_string(),
                    message,
                });
                CowStr::from(dest.to_string())
            }
        }
    }
}

fn footnote_id(label: &str) -> String {
    slugify(label)
}

/// URLs that would run script or embed content when clicked.
pub fn is_dangerous_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    cleaned.starts_with("javascript:")
        || cleaned.starts_with("vbscript:")
        || cleaned.starts_with("data:")
}

/// Escapes text for an HTML attribute value in double quotes.
pub fn escape_attr(s: &str) -> String {
    crate::text::escape_html(s)
}

/// Keeps a raw HTML table (as pandoc writes tables with merged cells) through an allow-list:
/// table, thead, tbody, tr, th, td (with rowspan, colspan), br, p, b, i, strong, em. Every other
/// tag is dropped (script and style with their content) and every other attribute removed.
pub fn sanitize_table(html: &str) -> String {
    let mut b = ammonia::Builder::empty();
    b.add_tags([
        "table", "thead", "tbody", "tr", "th", "td", "br", "p", "b", "i", "strong", "em",
    ])
    .add_tag_attributes("td", ["rowspan", "colspan"])
    .add_tag_attributes("th", ["rowspan", "colspan"])
    .clean_content_tags(["script", "style"].into_iter().collect());
    b.clean(html).to_string()
}

/// The text of sanitized HTML (for search): tags become spaces, entities stay as written.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain_ctx() -> (
        impl Fn(&str) -> LinkTarget + Sync,
        impl Fn(&str) -> Vec<AutoLink> + Sync,
    ) {
        (|_: &str| LinkTarget::Keep, |_: &str| Vec::new())
    }

    fn html(md: &str) -> Rendered {
        let (r, a) = plain_ctx();
        render(
            md,
            &MdContext {
                allow_html: false,
                resolve_link: &r,
                autolink: &a,
            },
        )
    }

    #[test]
    fn escapes_raw_html_and_js_links() {
        let out = html("<script>alert(1)</script>\n\nx <b>y</b> [a](javascript:alert(1))");
        assert!(!out.html.contains("<script>"), "{}", out.html);
        assert!(out.html.contains("&lt;script&gt;"));
        assert!(!out.html.contains("javascript:"));
        assert_eq!(out.broken_links.len(), 1);
    }

    #[test]
    fn heading_ids_are_unique_slugs() {
        let out = html("## I. Mục đích\n\n## I. Mục đích\n\n## nv-1 {#nv-1}\n");
        let ids: Vec<_> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["i-muc-dich", "i-muc-dich-2", "muc-nv-1"]);
        assert!(out.html.contains("<h2 id=\"i-muc-dich\">"));
    }

    #[test]
    fn tables_and_footnotes() {
        let out = html("| a | b |\n|---|---|\n| 1 | 2 |\n\nx[^1]\n\n[^1]: note");
        assert!(out.html.contains("<table>"));
        assert!(out.html.contains("href=\"#fn-1\""));
        assert!(out.html.contains("id=\"fn-1\""));
        assert!(out.plain_text.contains("note"));
    }

    #[test]
    fn autolinks_outside_links_and_headings() {
        let r = |_: &str| LinkTarget::Keep;
        let a = |t: &str| {
            t.find("272/KH-UBND")
                .map(|i| {
                    vec![AutoLink {
                        range: i..i + 11,
                        href: "../x/".into(),
                        title: "KH".into(),
                    }]
                })
                .unwrap_or_default()
        };
        let ctx = MdContext {
            allow_html: false,
            resolve_link: &r,
            autolink: &a,
        };
        let out = render(
            "# Số 272/KH-UBND\n\nTheo 272/KH-UBND và [272/KH-UBND](y)",
            &ctx,
        );
        assert_eq!(out.html.matches("class=\"ref\"").count(), 1, "{}", out.html);
    }
}
