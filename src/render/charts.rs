//! Small inline SVG charts: stacked horizontal bars, one per row, drawn server-side so they
//! need no JavaScript and print as they show. Each chart comes with its data as a table (the
//! SVG itself is `aria-hidden`), which is what screen readers and spreadsheets read.

use crate::text::escape_html_into as esc;

/// A coordinate with one decimal, without a trailing `.0`.
fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// One part of a bar: a CSS key (`seg-<key>` colours it), its label and its count.
#[derive(Debug, Clone)]
pub struct Segment {
    pub key: &'static str,
    pub label: &'static str,
    pub count: usize,
}

/// One bar: a row label (and optional link) with its segments.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub href: Option<String>,
    pub segments: Vec<Segment>,
}

const WIDTH: usize = 640;
const LABEL_W: usize = 200;
const ROW_H: usize = 22;
const BAR_H: usize = 16;

/// A figure with stacked bars (scaled to the largest total) and the same numbers as a table.
/// `id` must be unique on the page; `caption` names the chart.
pub fn stacked_bars(id: &str, caption: &str, bars: &[Bar]) -> String {
    let mut out = String::with_capacity(2048 + bars.len() * 600);
    let max = bars
        .iter()
        .map(|b| b.segments.iter().map(|s| s.count).sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let height = bars.len() * ROW_H + 4;
    // Attribute values without spaces or quotes are written unquoted (HTML allows it): this
    // chart is on every document and unit page.
    out.push_str("<figure class=chart aria-labelledby=\"");
    esc(&mut out, id);
    out.push_str("\"><figcaption id=\"");
    esc(&mut out, id);
    out.push_str("\">");
    esc(&mut out, caption);
    out.push_str("</figcaption>");
    out.push_str(&format!(
        "<svg class=bars aria-hidden=true focusable=false viewBox=\"0 0 {WIDTH} {height}\" width=100% preserveAspectRatio=\"xMinYMin meet\">"
    ));
    let span = (WIDTH - LABEL_W - 50) as f64;
    for (i, bar) in bars.iter().enumerate() {
        let y = i * ROW_H + 2;
        out.push_str(&format!(
            "<text x={} y={} text-anchor=end>",
            LABEL_W - 6,
            y + 13
        ));
        esc(&mut out, &crate::render::view::shorten(&bar.label, 30));
        out.push_str("</text>");
        let mut x = LABEL_W as f64;
        for s in bar.segments.iter().filter(|s| s.count > 0) {
            let w = span * s.count as f64 / max as f64;
            out.push_str(&format!(
                "<rect class=seg-{} x={} y={y} width={} height={BAR_H}><title>",
                s.key,
                num(x),
                num(w)
            ));
            esc(&mut out, s.label);
            out.push_str(&format!(": {}</title></rect>", s.count));
            x += w;
        }
        let total: usize = bar.segments.iter().map(|s| s.count).sum();
        out.push_str(&format!(
            "<text x={} y={}>{total}</text>",
            num(x + 4.0),
            y + 13
        ));
    }
    out.push_str("</svg>");
    push_table(&mut out, bars);
    out.push_str("</figure>");
    out
}

/// The chart's numbers as a table: one row per bar, one column per segment some bar has
/// (a segment no bar has is not drawn either; on a document's one-bar chart most are empty),
/// then the total.
fn push_table(out: &mut String, bars: &[Bar]) {
    let Some(first) = bars.first() else { return };
    let shown: Vec<bool> = (0..first.segments.len())
        .map(|i| {
            bars.iter()
                .any(|b| b.segments.get(i).is_some_and(|s| s.count > 0))
        })
        .collect();
    let shown = |i: usize| shown.get(i).copied().unwrap_or(false);
    // Wrapped so that a narrow screen scrolls the table instead of the page; focusable, so the
    // scrolling works from the keyboard too.
    out.push_str(
        "<div class=table-wrap tabindex=0><table class=chart-data><thead><tr><th scope=col>Nhóm</th>",
    );
    for (_, s) in first.segments.iter().enumerate().filter(|(i, _)| shown(*i)) {
        out.push_str(&format!(
            "<th scope=col><span class=\"key seg-{}\"></span>",
            s.key
        ));
        esc(out, s.label);
        out.push_str("</th>");
    }
    out.push_str("<th scope=col>Tổng</th></tr></thead><tbody>");
    for bar in bars {
        out.push_str("<tr><th scope=row>");
        match &bar.href {
            Some(h) => {
                out.push_str("<a href=\"");
                esc(out, h);
                out.push_str("\">");
                esc(out, &bar.label);
                out.push_str("</a>");
            }
            None => esc(out, &bar.label),
        }
        out.push_str("</th>");
        for (_, s) in bar.segments.iter().enumerate().filter(|(i, _)| shown(*i)) {
            out.push_str(&format!("<td>{}</td>", s.count));
        }
        let total: usize = bar.segments.iter().map(|s| s.count).sum();
        out.push_str(&format!("<td>{total}</td></tr>"));
    }
    out.push_str("</tbody></table></div>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_and_table_repeats_numbers() {
        let seg = |key, count| Segment {
            key,
            label: "x",
            count,
        };
        let bars = vec![
            Bar {
                label: "A".into(),
                href: None,
                segments: vec![seg("a", 3), seg("b", 1)],
            },
            Bar {
                label: "B".into(),
                href: Some("u/".into()),
                segments: vec![seg("a", 0), seg("b", 2)],
            },
        ];
        let html = stacked_bars("c1", "Biểu đồ", &bars);
        assert!(html.contains("aria-hidden=true"));
        assert_eq!(
            html.matches("<rect").count(),
            3,
            "zero segments are not drawn"
        );
        assert!(html.contains("<td>4</td></tr>") && html.contains("<a href=\"u/\">B</a>"));
        // A segment no bar has gets no column; one some bar has keeps its zeros.
        let none = vec![Bar {
            label: "C".into(),
            href: None,
            segments: vec![seg("a", 2), seg("b", 0)],
        }];
        let html = stacked_bars("c2", "Biểu đồ", &none);
        assert!(html.contains("seg-a") && !html.contains("seg-b"), "{html}");
        assert!(!html.contains("<td>0</td>") && html.contains("<td>2</td><td>2</td></tr>"));
    }
}
