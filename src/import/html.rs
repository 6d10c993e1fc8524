//! A saved web page (`.html`, `.htm`) → [`Doc`]: the document's own content, tables included,
//! without the site's menus, scripts and adverts.
//!
//! The container is the element that holds the document: `<article>` or `<main>` when the page
//! has one, else the nearest ancestor of the national motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT
//! NAM") that also holds the signature's "Nơi nhận", else `<body>`. Inside it, navigation,
//! scripts, styles, forms and elements named like adverts or menus are skipped. Tables keep
//! `colspan`; a `rowspan` cell's text is repeated in each row it covers (as `docx` does).

use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node, Selector};

use super::doc::{Block, Cell, Doc, Para, Table};
use crate::text::fold;

/// Deepest element nesting walked; deeper content is dropped (hostile pages).
const MAX_DEPTH: usize = 200;

/// Reads a saved page.
pub fn read(html: &str) -> Doc {
    let page = Html::parse_document(html);
    let root = container(&page);
    let mut w = Walker::default();
    if let Some(root) = root {
        w.children(*root, 0);
        w.flush(None);
    }
    Doc {
        blocks: w.blocks,
        ..Doc::default()
    }
}

fn select<'a>(page: &'a Html, css: &str) -> Option<ElementRef<'a>> {
    let sel = Selector::parse(css).ok()?;
    page.select(&sel).next()
}

fn container(page: &Html) -> Option<ElementRef<'_>> {
    if let Some(a) = select(page, "article").or_else(|| select(page, "main")) {
        return Some(a);
    }
    let body = select(page, "body")?;
    let motto = body
        .descendants()
        .find(|n| matches!(n.value(), Node::Text(t) if fold(t).contains("cong hoa xa hoi")));
    let Some(motto) = motto else {
        return Some(body);
    };
    let mut node = motto.parent();
    while let Some(n) = node {
        if let Some(el) = ElementRef::wrap(n) {
            let text: String = el.text().collect();
            if fold(&text).contains("noi nhan") && !skipped(&el) {
                return Some(el);
            }
        }
        node = n.parent();
    }
    Some(body)
}

/// Elements that are the site, not the document.
fn skipped(el: &ElementRef) -> bool {
    let name = el.value().name();
    if matches!(
        name,
        "nav"
            | "script"
            | "style"
            | "noscript"
            | "iframe"
            | "form"
            | "button"
            | "select"
            | "header"
            | "footer"
            | "aside"
            | "svg"
            | "template"
            | "head"
    ) {
        return true;
    }
    let marks = format!(
        "{} {}",
        el.value().attr("class").unwrap_or(""),
        el.value().attr("id").unwrap_or("")
    )
    .to_lowercase();
    [
        "advert",
        "ads",
        "banner",
        "menu",
        "navbar",
        "sidebar",
        "share",
        "comment",
        "breadcrumb",
        "quangcao",
        "footer",
    ]
    .iter()
    .any(|m| {
        marks
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == *m || w.starts_with(m) && *m != "ads")
    })
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "table"
            | "section"
            | "article"
            | "main"
            | "blockquote"
            | "center"
            | "dl"
            | "dt"
            | "dd"
            | "pre"
            | "hr"
            | "tr"
            | "tbody"
            | "thead"
    )
}

#[derive(Default)]
struct Walker {
    blocks: Vec<Block>,
    buf: String,
}

impl Walker {
    fn flush(&mut self, heading: Option<u8>) {
        let text = std::mem::take(&mut self.buf);
        for line in text.split('\n') {
            let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
            let line = line.replace("****", "");
            if super::doc::plain(&line).is_empty() {
                continue;
            }
            self.blocks.push(Block::Para(Para {
                text: super::doc::fix_emphasis(&line),
                heading,
            }));
        }
    }

    fn children(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for child in node.children() {
            match child.value() {
                Node::Text(t) => self.buf.push_str(t),
                Node::Element(_) => {
                    if let Some(el) = ElementRef::wrap(child) {
                        self.element(el, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, el: ElementRef<'_>, depth: usize) {
        if skipped(&el) {
            return;
        }
        let name = el.value().name();
        if name == "br" {
            self.buf.push('\n');
            return;
        }
        if !is_block(name) {
            let mark = match name {
                "b" | "strong" => "**",
                "i" | "em" => "*",
                _ => "",
            };
            self.buf.push_str(mark);
            self.children(*el, depth);
            self.buf.push_str(mark);
            return;
        }
        self.flush(None);
        match name {
            "table" => {
                let t = table(el);
                if !t.rows.is_empty() {
                    self.blocks.push(Block::Table(t));
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.children(*el, depth);
                let level = name[1..].parse::<u8>().unwrap_or(2);
                self.flush(Some((level + 1).min(6)));
            }
            "li" => {
                let ordered = el
                    .parent()
                    .and_then(ElementRef::wrap)
                    .is_some_and(|p| p.value().name() == "ol");
                if ordered {
                    // The item's number as the reader sees it ("2."), so numbering survives.
                    let n = el
                        .prev_siblings()
                        .filter_map(ElementRef::wrap)
                        .filter(|s| s.value().name() == "li")
                        .count();
                    self.buf.push_str(&format!("{}. ", n + 1));
                } else {
                    self.buf.push_str("- ");
                }
                self.children(*el, depth);
                self.flush(None);
            }
            _ => {
                self.children(*el, depth);
                self.flush(None);
            }
        }
    }
}

/// A `<table>` → [`Table`]; nested tables read as text of their cell.
fn table(el: ElementRef<'_>) -> Table {
    let read = |td: ElementRef<'_>| -> Vec<String> {
        let mut w = Walker::default();
        w.children(*td, 0);
        w.flush(None);
        w.blocks
            .into_iter()
            .flat_map(|b| match b {
                Block::Para(p) => vec![p.text],
                Block::Table(t) => t.paras().cloned().collect(),
            })
            .collect()
    };
    let rows = crate::html_grid::rows(el, read)
        .into_iter()
        .filter(|row| !row.is_empty())
        .map(|row| {
            row.into_iter()
                .map(|c| Cell {
                    paras: c.value,
                    colspan: c.colspan,
                })
                .collect()
        })
        .collect();
    Table { rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_document_drops_the_site() {
        let page = r#"<html><body><nav><a>Trang chủ</a></nav><div class="ads">Quảng cáo</div>
        <div id="noidung"><table><tr><td><b>ỦY BAN NHÂN DÂN<br>TỈNH X</b></td><td>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</td></tr></table>
        <p><b>KẾ HOẠCH</b></p><table><tr><th>TT</th><th>Nội dung</th><th>Chủ trì</th></tr>
        <tr><td colspan="3"><b>I. Nhóm</b></td></tr>
        <tr><td>1</td><td>Việc một</td><td rowspan="2">Sở Nội vụ</td></tr>
        <tr><td>2</td><td>Việc hai</td></tr></table><p>Nơi nhận: như trên</p></div>
        <script>alert(1)</script><footer>Bản quyền</footer></body></html>"#;
        let doc = read(page);
        let text = format!("{:?}", doc.blocks);
        assert!(
            !text.contains("Trang chủ") && !text.contains("Quảng cáo") && !text.contains("alert")
        );
        let Block::Table(t) = &doc.blocks[2] else {
            panic!("{text}")
        };
        assert_eq!(t.rows[1][0].colspan, 3);
        assert_eq!(t.rows[3][2].paras, vec!["Sở Nội vụ"]);
        assert_eq!(doc.blocks[1], Block::Para(Para::new("**KẾ HOẠCH**")));
    }
}
