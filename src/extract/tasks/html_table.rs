//! Raw HTML tables in a Markdown body (what pandoc writes for tables with merged cells) → the
//! same [`Block`] rows the GFM task-table reader (`table.rs`) consumes.
//!
//! Takes the text of one HTML block and its byte offset; returns a `Table` block per
//! `<table>` in it. A `colspan` cell is followed by empty cells, so a merged group row reads
//! as a row with one filled cell; a `rowspan` cell's text is repeated in each row it covers, so
//! a lead unit merged over three tasks is the lead of each. `<br>` and paragraphs inside a
//! cell become line breaks; a cell whose text is all inside `<b>`/`<strong>` counts as bold.

use scraper::{ElementRef, Html, Node, Selector};

use super::tree::{Block, Kind};
use crate::html_grid::GridCell;

/// The tables of an HTML block, as block-tree tables.
pub(super) fn tables(html: &str, offset: usize) -> Vec<Block> {
    if !html.to_ascii_lowercase().contains("<table") {
        return Vec::new();
    }
    let frag = Html::parse_fragment(html);
    let Ok(table_sel) = Selector::parse("table") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for table in frag.select(&table_sel) {
        // A table nested in another is read as the text of its cell.
        if table
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| a.value().name() == "table")
        {
            continue;
        }
        let mut block = Block::new(Kind::Table, offset);
        for cells in crate::html_grid::rows(table, read_cell) {
            block.children.push(row(cells, offset));
        }
        if !block.children.is_empty() {
            out.push(block);
        }
    }
    out
}

#[derive(Clone)]
struct Cell {
    text: String,
    bold_only: bool,
}

/// One grid row as block-tree cells: a `colspan` cell is followed by empty cells, so a merged
/// group row reads as a row with one filled cell.
fn row(cells: Vec<GridCell<Cell>>, offset: usize) -> Block {
    let mut row = Block::new(Kind::Row, offset);
    for c in cells {
        row.children.push(cell_block(&c.value, offset));
        for _ in 1..c.colspan {
            row.children.push(Block::new(Kind::Cell, offset));
        }
    }
    row
}

fn cell_block(cell: &Cell, offset: usize) -> Block {
    let mut b = Block::new(Kind::Cell, offset);
    b.text = cell.text.clone();
    b.plain = !cell.bold_only;
    b
}

/// A cell's text (breaks as `\n`) and whether every visible character is bold.
fn read_cell(td: ElementRef<'_>) -> Cell {
    let mut text = String::new();
    let mut plain = false;
    for node in td.descendants() {
        match node.value() {
            Node::Text(t) => {
                let bold = node
                    .ancestors()
                    .filter_map(ElementRef::wrap)
                    .take_while(|a| *a != td)
                    .any(|a| matches!(a.value().name(), "b" | "strong"));
                if !bold && t.chars().any(|c| !c.is_whitespace()) {
                    plain = true;
                }
                text.push_str(t);
            }
            Node::Element(e)
                if matches!(e.name(), "br" | "p" | "li" | "div")
                    && !text.is_empty()
                    && !text.ends_with('\n') =>
            {
                text.push('\n');
            }
            _ => {}
        }
    }
    let lines: Vec<String> = text
        .lines()
        .map(crate::text::collapse_spaces)
        .filter(|l| !l.is_empty())
        .collect();
    Cell {
        text: lines.join("\n"),
        bold_only: !plain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_become_grid_rows() {
        let html = "<table><tr><th>TT</th><th>Nội dung</th><th>Cơ quan chủ trì</th></tr>\
            <tr><td colspan=\"3\"><strong>I. Nhóm một</strong></td></tr>\
            <tr><td>1</td><td>Việc một<br>dòng hai</td><td rowspan=\"2\">Sở Nội vụ</td></tr>\
            <tr><td>2</td><td>Việc hai</td></tr></table>";
        let t = tables(html, 7);
        assert_eq!(t.len(), 1);
        let rows = &t[0].children;
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[1].children.len(), 3);
        assert!(rows[1].children[0].all_bold());
        assert_eq!(rows[2].children[1].text, "Việc một\ndòng hai");
        assert_eq!(rows[3].children[2].text, "Sở Nội vụ");
        assert!(tables("<p>không có bảng</p>", 0).is_empty());
    }
}
