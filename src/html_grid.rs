//! An HTML `<table>` laid out as a grid, for the two readers of HTML tables (task tables in
//! Markdown bodies, `extract/tasks/html_table.rs`, and saved web pages, `import/html.rs`).
//!
//! Takes the table element and a function reading one cell; returns the table's own rows (rows
//! of a nested table belong to that table), each a list of cells with their `colspan`. A cell
//! with `rowspan` is repeated, with span 1, in each row below that it covers, so that a lead unit
//! merged over three tasks is the lead of each.

use std::collections::BTreeMap;

use scraper::{ElementRef, Selector};

/// Cap on one span, so `colspan="100000"` cannot blow up a row.
pub const MAX_SPAN: usize = 64;

/// One cell on the grid: what the reader made of it and how many columns it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct GridCell<T> {
    pub value: T,
    pub colspan: usize,
}

/// The rows of `table`, cells read by `read` (called once per written cell).
pub fn rows<T: Clone>(
    table: ElementRef<'_>,
    mut read: impl FnMut(ElementRef<'_>) -> T,
) -> Vec<Vec<GridCell<T>>> {
    let Ok(tr_sel) = Selector::parse("tr") else {
        return Vec::new();
    };
    // Grid columns still covered by a rowspan: column → (rows left, value).
    let mut pending: BTreeMap<usize, (usize, T)> = BTreeMap::new();
    let mut out = Vec::new();
    for tr in table.select(&tr_sel) {
        let own = tr
            .ancestors()
            .filter_map(ElementRef::wrap)
            .find(|a| a.value().name() == "table");
        if own != Some(table) {
            continue;
        }
        let mut row = Vec::new();
        let mut cells = tr
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|c| matches!(c.value().name(), "td" | "th"));
        let mut col = 0;
        loop {
            if let Some((left, value)) = pending.get_mut(&col) {
                row.push(GridCell {
                    value: value.clone(),
                    colspan: 1,
                });
                *left -= 1;
                if *left == 0 {
                    pending.remove(&col);
                }
                col += 1;
                continue;
            }
            let Some(td) = cells.next() else { break };
            let span = |a: &str| {
                td.value()
                    .attr(a)
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, MAX_SPAN)
            };
            let (colspan, rowspan) = (span("colspan"), span("rowspan"));
            let value = read(td);
            if rowspan > 1 {
                pending.insert(col, (rowspan - 1, value.clone()));
            }
            row.push(GridCell { value, colspan });
            col += colspan;
        }
        out.push(row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn grid(html: &str) -> Vec<Vec<(String, usize)>> {
        let doc = Html::parse_fragment(html);
        let sel = Selector::parse("table").expect("selector");
        let table = doc.select(&sel).next().expect("a table");
        rows(table, |td| td.text().collect::<String>())
            .into_iter()
            .map(|r| r.into_iter().map(|c| (c.value, c.colspan)).collect())
            .collect()
    }

    #[test]
    fn rowspan_repeats_and_colspan_is_kept() {
        let g = grid(
            "<table><tr><td rowspan=2>Sở Nội vụ</td><td>a</td></tr><tr><td>b</td></tr>\
             <tr><td colspan=2>Nhóm</td></tr></table>",
        );
        let s = |t: &str, n| (t.to_string(), n);
        assert_eq!(
            g,
            vec![
                vec![s("Sở Nội vụ", 1), s("a", 1)],
                vec![s("Sở Nội vụ", 1), s("b", 1)],
                vec![s("Nhóm", 2)],
            ]
        );
    }

    #[test]
    fn nested_rows_and_huge_spans_stay_bounded() {
        let g = grid(
            "<table><tr><td colspan=100000 rowspan=100000>x<table><tr><td>in</td></tr></table></td></tr></table>",
        );
        assert_eq!(g.len(), 1);
        assert_eq!(g[0][0].1, MAX_SPAN);
    }
}
