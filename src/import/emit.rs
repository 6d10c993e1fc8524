//! [`Doc`] + [`Header`] → one content-format Markdown file (CONTENT-FORMAT.md).
//!
//! Front matter from the header guesses; the body keeps the document's structure: "I." parts
//! become `##` headings, "1." sections `###`, "a)" items `####` when written as bold lines (the
//! way the documents set them), bullets become list items, the "Nơi nhận" block its own section
//! and tables GFM tables (merged cells spelled out, several paragraphs in a cell joined by
//! `<br>`), which the task extractor reads (`src/extract/tasks/table.rs`).
//!
//! A plan issued inside a Quyết định ("ban hành kèm theo") stays in the same document, under
//! its own `##` heading after the decision's signature: the plan has no number or date of its
//! own (it is cited by the decision's), so two documents would share one number and the site
//! would flag them as a likely copy; one page keeps the decision and its plan together, and
//! every task the plan assigns is still extracted from its section.

use serde::Serialize;

use super::doc::{plain, Block, Doc, Para, Table};
use super::header::Header;
use crate::model::DocType;
use crate::text::{collapse_spaces, fold, fold_starts_with};

/// The front matter written for an imported document.
#[derive(Debug, Serialize)]
struct FrontMatter<'a> {
    title: &'a str,
    #[serde(rename = "type")]
    doc_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issuer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<i16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signer: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    refs: Vec<String>,
    original: &'a str,
}

/// What emitting noticed, for the report.
#[derive(Debug, Default)]
pub struct Emitted {
    pub markdown: String,
    pub notes: Vec<String>,
}

/// Writes the document; `fallback_title` is used when the header gave none.
pub fn emit(doc: &Doc, header: &Header, original: &str, fallback_title: &str) -> Emitted {
    let doc_type = header.doc_type.as_ref().map_or(DocType::Khac, |g| g.value);
    let title = header
        .title
        .as_ref()
        .map(|g| g.value.clone())
        .unwrap_or_else(|| match &header.number {
            Some(n) => format!("{} số {}", doc_type.label(), n.value),
            None => fallback_title.to_string(),
        });
    let fm = FrontMatter {
        title: &title,
        doc_type: doc_type.code(),
        number: header.number.as_ref().map(|g| g.value.as_str()),
        issuer: header.issuer.as_ref().map(|g| g.value.as_str()),
        date: header.date.as_ref().map(|g| g.value.to_string()),
        year: header.year.as_ref().map(|g| g.value),
        signer: header.signer.as_ref().map(|g| g.value.as_str()),
        refs: header.refs.clone(),
        original,
    };
    let yaml = yaml_serde::to_string(&fm).unwrap_or_default();
    let mut out = Emitted::default();
    let mut md = String::with_capacity(4096);
    md.push_str("---\n");
    md.push_str(&yaml);
    if !yaml.ends_with('\n') {
        md.push('\n');
    }
    md.push_str("---\n");
    let mut signed = false;
    for (i, block) in doc.blocks.iter().enumerate() {
        if header.consumed.contains(&i) {
            continue;
        }
        md.push('\n');
        match block {
            Block::Table(t) if is_signature_table(t) => {
                signature(t, &mut md);
                signed = true;
            }
            Block::Table(t) => table(t, &mut md),
            Block::Para(p) => {
                if signed && starts_attached(p) {
                    let what: String = plain(&p.text).chars().take(60).collect();
                    out.notes.push(format!(
                        "phần ban hành kèm theo sau chữ ký (\"{what}\") giữ trong cùng văn bản, dưới tiêu đề riêng"
                    ));
                    signed = false;
                }
                para(p, &mut md);
            }
        }
    }
    if !doc.footnotes.is_empty() {
        md.push('\n');
        for (id, text) in &doc.footnotes {
            md.push_str(&format!("[^{id}]: {}\n", collapse_spaces(text)));
        }
    }
    out.markdown = md;
    out
}

/// A bold type word ("**KẾ HOẠCH**", "**PHỤ LỤC**") after the signature: the issued
/// document begins.
fn starts_attached(p: &Para) -> bool {
    let t = fold(&plain(&p.text));
    p.text.starts_with("**") && t.len() < 200 && opens_attached(&t)
}

/// Type words that open a document issued with a decision ("KẾ HOẠCH", "PHỤ LỤC"…), folded.
const ATTACHED_TYPES: [&str; 6] = [
    "ke hoach",
    "chuong trinh",
    "quy che",
    "quy dinh",
    "phu luc",
    "danh muc",
];

/// True when folded text `f` is, or starts with, one of [`ATTACHED_TYPES`].
fn opens_attached(f: &str) -> bool {
    ATTACHED_TYPES
        .iter()
        .any(|w| f == *w || f.strip_prefix(w).is_some_and(|r| r.starts_with(' ')))
}

fn is_signature_table(t: &Table) -> bool {
    t.rows.len() <= 2
        && t.paras()
            .next()
            .is_some_and(|p| fold_starts_with(&plain(p), "noi nhan"))
}

/// "Nơi nhận" as its own section, then the signature lines.
fn signature(t: &Table, md: &mut String) {
    md.push_str("## Nơi nhận\n\n");
    let mut cells = t.rows.iter().flat_map(|r| r.iter());
    if let Some(recipients) = cells.next() {
        for p in &recipients.paras {
            let text = plain(p);
            let text = text.trim_start_matches(['-', '+', '•', ' ']);
            if fold_starts_with(text, "noi nhan") {
                continue;
            }
            md.push_str(&format!("- {}\n", escape_line(text)));
        }
    }
    let sign: Vec<String> = cells
        .flat_map(|c| c.paras.iter().map(|p| plain(p)))
        .collect();
    if !sign.is_empty() {
        md.push('\n');
        md.push_str(
            &sign
                .iter()
                .map(|s| escape_line(s))
                .collect::<Vec<_>>()
                .join("  \n"),
        );
        md.push('\n');
    }
}

/// Heading level a paragraph's numbering implies when the whole paragraph is bold.
fn heading_level(plain: &str) -> Option<u8> {
    let f = fold(plain);
    let first = plain.split_whitespace().next().unwrap_or("");
    let roman = first
        .trim_end_matches(['.', ')', ':'])
        .chars()
        .all(|c| "IVXL".contains(c))
        && first.len() > 1
        && first.ends_with(['.', ')']);
    if roman || f.starts_with("phan ") || f.starts_with("chuong ") || f.starts_with("phu luc") {
        return Some(2);
    }
    let digits = first.trim_end_matches(['.', ')']);
    if !digits.is_empty()
        && digits
            .split('.')
            .all(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
        && first.len() > digits.len()
    {
        return Some(if digits.contains('.') { 4 } else { 3 });
    }
    let mut cs = first.chars();
    if let (Some(c), Some(')'), None) = (cs.next(), cs.next(), cs.next()) {
        if c.is_lowercase() {
            return Some(4);
        }
    }
    if f.starts_with("dieu ") && plain.len() < 200 {
        return Some(3);
    }
    None
}

fn para(p: &Para, md: &mut String) {
    let text = collapse_spaces(&p.text);
    let bare = plain(&text);
    if let Some(level) = p.heading {
        md.push_str(&format!(
            "{} {}\n",
            "#".repeat(level.clamp(2, 6) as usize),
            escape_line(&bare)
        ));
        return;
    }
    let all_bold =
        text.starts_with("**") && text.ends_with("**") && text.matches("**").count() == 2;
    let upper_roman = heading_level(&bare) == Some(2) && bare == bare.to_uppercase();
    if (all_bold || upper_roman) && bare.len() < 300 {
        if let Some(level) = heading_level(&bare).or_else(|| attached_heading(&bare)) {
            md.push_str(&format!(
                "{} {}\n",
                "#".repeat(level as usize),
                escape_line(&bare)
            ));
            return;
        }
    }
    let f = fold(&bare);
    if f.starts_with("noi nhan") {
        md.push_str("## Nơi nhận\n\n");
        let rest = text.split_once(':').map_or("", |(_, r)| r).trim();
        if !rest.is_empty() {
            md.push_str(&escape_line(rest));
            md.push('\n');
        }
        return;
    }
    for m in ["- ", "+ ", "• ", "– ", "ü "] {
        if let Some(rest) = text.strip_prefix(m) {
            md.push_str(&format!("- {}\n", escape_line(rest.trim())));
            return;
        }
    }
    md.push_str(&escape_line(&text));
    md.push('\n');
}

/// The type word opening an issued document ("KẾ HOẠCH") as a heading.
fn attached_heading(bare: &str) -> Option<u8> {
    opens_attached(&fold(bare)).then_some(2)
}

/// Keeps a paragraph from being read as Markdown structure it does not have: a leading `#`,
/// `>`, `=` or `|` is escaped; "2025." at the start stays text rather than a list numbered 2025.
fn escape_line(s: &str) -> String {
    let s = collapse_spaces(s);
    if s.starts_with(['#', '>', '=', '|', '`']) {
        return format!("\\{s}");
    }
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if digits >= 4 && s[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &s[..digits], &s[digits..]);
    }
    s
}

/// A GFM table: the first row is the header; spans become empty cells after the spanning one.
fn table(t: &Table, md: &mut String) {
    let width = t.width().max(1);
    for (r, row) in t.rows.iter().enumerate() {
        let mut cells: Vec<String> = Vec::with_capacity(width);
        for c in row {
            let text: Vec<String> = c.paras.iter().map(|p| cell_text(p)).collect();
            cells.push(text.join("<br>"));
            for _ in 1..c.colspan.max(1) {
                cells.push(String::new());
            }
        }
        cells.resize(width, String::new());
        md.push_str("| ");
        md.push_str(&cells.join(" | "));
        md.push_str(" |\n");
        if r == 0 {
            md.push_str(&"|---".repeat(width));
            md.push_str("|\n");
        }
    }
}

fn cell_text(p: &str) -> String {
    collapse_spaces(p).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::doc::Cell;

    #[test]
    fn headings_lists_and_tables() {
        let mut md = String::new();
        para(&Para::new("**I. MỤC ĐÍCH**"), &mut md);
        para(&Para::new("**1. Công tác tuyên truyền**"), &mut md);
        para(&Para::new("**a) Nhiệm vụ**"), &mut md);
        para(&Para::new("+ Ý phụ"), &mut md);
        para(&Para::new("2025. Năm"), &mut md);
        assert_eq!(
            md,
            "## I. MỤC ĐÍCH\n### 1. Công tác tuyên truyền\n#### a) Nhiệm vụ\n- Ý phụ\n2025\\. Năm\n"
        );
        let t = Table {
            rows: vec![
                vec![
                    Cell::new(vec!["**TT**".into()]),
                    Cell::new(vec!["Nội dung".into()]),
                ],
                vec![Cell {
                    paras: vec!["**I. Nhóm**".into()],
                    colspan: 2,
                }],
                vec![
                    Cell::new(vec!["1".into()]),
                    Cell::new(vec!["a|b".into(), "c".into()]),
                ],
            ],
        };
        let mut md = String::new();
        table(&t, &mut md);
        assert_eq!(
            md,
            "| **TT** | Nội dung |\n|---|---|\n| **I. Nhóm** |  |\n| 1 | a\\|b<br>c |\n"
        );
    }
}
