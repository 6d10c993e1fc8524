//! Task spreadsheets: departments fill the portal's own task table (CSV or `.xlsx`) and the
//! publisher drops it anywhere under `content/`; and the `.xlsx` form of each task table.
//!
//! Reading takes the site's copied files; a sheet is a progress sheet when it has an id column
//! (`Mã` or `id`, a task id `<slug>#<anchor>`) and a `tinh_trang` column. Each filled row
//! updates its task as of `ngay_cap_nhat`, else the date of a `<file>.yaml` sidecar
//! (`date: 2024-06-30`). Excel's UTF-8 BOM, `;` or tab separators and CRLF are read. A row
//! whose id, status or date cannot be read is an error at `file:line:col`.
//!
//! Writing ([`tasks_xlsx`]) gives the same columns with the header row frozen, columns sized
//! and the status as a drop-down list, so offices on Vietnamese regional settings (where
//! Excel splits CSV on `;`) can fill it directly.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::diag::Diagnostics;
use crate::model::{Site, Status, TaskId};
use crate::progress::{
    parse_date, report_error, resolve_ref, status_from_words, Entry, Report, Source, STATUS_HINT,
};

/// Reads every progress sheet among the site's copied files.
pub fn read(site: &Site, root: &Path, diags: &Diagnostics) -> Vec<Report> {
    let mut out = Vec::new();
    for f in &site.static_files {
        let ext = f
            .source
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let rows = match ext.as_deref() {
            Some("csv") => csv_rows(&root.join(&f.source)),
            Some("xlsx") => xlsx_rows(&root.join(&f.source)),
            _ => continue,
        };
        let rows = match rows {
            Ok(r) => r,
            Err(e) => {
                diags.push(report_error(
                    &f.source,
                    0,
                    0,
                    format!("không đọc được bảng tính: {e}"),
                    "",
                ));
                continue;
            }
        };
        let sidecar = sidecar_date(root, &f.source, diags);
        out.extend(sheet_reports(
            site, &f.source, &f.out, &rows, sidecar, diags,
        ));
    }
    out
}

/// One cell with its 1-based line and column in the file.
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub line: usize,
    pub col: usize,
}

/// Reports of one sheet (rows of cells, the first the header).
fn sheet_reports(
    site: &Site,
    file: &Path,
    out_path: &str,
    rows: &[Vec<Cell>],
    sidecar: Option<Date>,
    diags: &Diagnostics,
) -> Vec<Report> {
    let Some(header) = rows.first() else {
        return Vec::new();
    };
    let names: Vec<String> = header
        .iter()
        .map(|c| c.text.trim().to_lowercase())
        .collect();
    let col = |want: &[&str]| names.iter().position(|n| want.contains(&n.as_str()));
    let (Some(id_col), Some(status_col)) = (col(&["mã", "ma", "id"]), col(&["tinh_trang"])) else {
        return Vec::new();
    };
    let result_col = col(&["ket_qua"]);
    let date_col = col(&["ngay_cap_nhat"]);
    let mut out = Vec::new();
    for row in &rows[1..] {
        let get = |i: usize| row.get(i);
        let Some(status_cell) = get(status_col).filter(|c| !c.text.trim().is_empty()) else {
            continue;
        };
        let at = |c: &Cell, msg: String| report_error(file, c.line, c.col, msg, &c.text);
        let Some(id_cell) = get(id_col).filter(|c| !c.text.trim().is_empty()) else {
            diags.push(at(
                status_cell,
                "dòng có tình trạng nhưng thiếu mã nhiệm vụ".into(),
            ));
            continue;
        };
        let task: TaskId = match resolve_ref(site, &id_cell.text, None) {
            Ok(t) => t,
            Err(m) => {
                diags.push(at(id_cell, format!("mã `{}`: {m}", id_cell.text.trim())));
                continue;
            }
        };
        let text = status_cell.text.trim();
        let Some(status) = Status::from_code(text).or_else(|| status_from_words(text)) else {
            diags.push(
                at(status_cell, format!("tình trạng không hợp lệ `{text}`")).with_hint(STATUS_HINT),
            );
            continue;
        };
        let date = match date_col.and_then(get).filter(|c| !c.text.trim().is_empty()) {
            Some(c) => match parse_date(&c.text) {
                Some(d) => d,
                None => {
                    diags.push(at(
                        c,
                        format!(
                            "ngày không hợp lệ `{}` (viết YYYY-MM-DD hoặc DD/MM/YYYY)",
                            c.text.trim()
                        ),
                    ));
                    continue;
                }
            },
            None => match sidecar {
                Some(d) => d,
                None => {
                    diags.push(
                        at(status_cell, "dòng thiếu `ngay_cap_nhat`".into())
                            .with_hint("ghi ngày vào cột `ngay_cap_nhat`, hoặc `date: YYYY-MM-DD` vào tệp `<tên tệp>.yaml` bên cạnh"),
                    );
                    continue;
                }
            },
        };
        let result = result_col
            .and_then(get)
            .map(|c| crate::text::nfc(c.text.trim()))
            .filter(|r| !r.is_empty());
        out.push(Report {
            task,
            entry: Entry {
                date,
                status,
                result,
                source: Source::File(out_path.to_string()),
                file: file.to_path_buf(),
                line: status_cell.line,
            },
        });
    }
    out
}

/// `date:` of `<file>.yaml` (e.g. `so-tu-phap.csv.yaml`), if present.
fn sidecar_date(root: &Path, source: &Path, diags: &Diagnostics) -> Option<Date> {
    let mut name = source.as_os_str().to_owned();
    name.push(".yaml");
    let path = PathBuf::from(name);
    let text = std::fs::read_to_string(root.join(&path)).ok()?;
    let (i, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.starts_with("date:"))?;
    let value = line["date:".len()..].trim().trim_matches(['"', '\'']);
    let d = parse_date(value);
    if d.is_none() {
        diags.push(report_error(
            &path,
            i + 1,
            7,
            format!("ngày không hợp lệ `{value}`"),
            line,
        ));
    }
    d
}

/// Rows of a CSV file: BOM dropped, separator guessed from the header (`;`, tab or `,`).
fn csv_rows(path: &Path) -> Result<Vec<Vec<Cell>>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|_| "tệp CSV không phải UTF-8".to_string())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let first = text.lines().next().unwrap_or("");
    let sep = [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|&s| (first.bytes().filter(|&b| b == s).count(), s == b','))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut line = 1;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(e.to_string()),
        }
        // Lines are counted here (a record spans one line plus the line breaks inside its
        // quoted fields): the reader's positions came out one record behind in tests.
        let this = line;
        line += 1 + record
            .iter()
            .map(|f| f.matches('\n').count())
            .sum::<usize>();
        let line_text = lines.get(this - 1).copied().unwrap_or("");
        let mut col = 1;
        let mut cells = Vec::with_capacity(record.len());
        for field in record.iter() {
            cells.push(Cell {
                text: crate::text::nfc(field),
                line: this,
                col,
            });
            let quoted = line_text.chars().nth(col - 1) == Some('"');
            col += field.chars().count() + 1 + if quoted { 2 } else { 0 };
        }
        rows.push(cells);
    }
    Ok(rows)
}

/// Rows of the first sheet of an `.xlsx` file; cell positions are row and column numbers.
fn xlsx_rows(path: &Path) -> Result<Vec<Vec<Cell>>, String> {
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto(path).map_err(|e| e.to_string())?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| "tệp không có trang tính nào".to_string())?
        .map_err(|e| e.to_string())?;
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .enumerate()
        .map(|(r, row)| {
            row.iter()
                .enumerate()
                .map(|(c, cell)| Cell {
                    text: match cell {
                        Data::DateTime(d) => serial_date(d.as_f64())
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                        other => crate::text::nfc(&other.to_string()),
                    },
                    line: r0 as usize + r + 1,
                    col: c0 as usize + c + 1,
                })
                .collect()
        })
        .collect();
    Ok(rows)
}

/// An Excel date serial (days since 1899-12-30) as a date.
fn serial_date(serial: f64) -> Option<Date> {
    let epoch = jiff::civil::date(1899, 12, 30);
    epoch
        .checked_add(jiff::Span::new().days(serial.floor() as i64))
        .ok()
}

/// Column headers of the published `.xlsx` (the CSV's own columns the reader needs, with the
/// three a department fills).
const XLSX_HEADER: [(&str, f64); 11] = [
    ("Mã", 28.0),
    ("Số hiệu văn bản", 16.0),
    ("TT", 6.0),
    ("Nhiệm vụ", 60.0),
    ("Chủ trì", 28.0),
    ("Thời hạn (như văn bản ghi)", 24.0),
    ("Hạn chót", 12.0),
    ("Trạng thái trên cổng", 22.0),
    ("tinh_trang", 18.0),
    ("ket_qua", 40.0),
    ("ngay_cap_nhat", 14.0),
];

/// The zip compression level of published workbooks. Measured at 10,000 generated documents
/// (the site's workbook and 124 units'): level 6 (the crate's default) 5.56 MB, level 3
/// 6.35 MB (+14%, 0.1% of the output) for ~0.12 s less of a 6 s build (the workbooks stage
/// 0.225 → 0.158 s, the units' 0.05-0.1 s); level 1 9.37 MB for little more.
const XLSX_ZIP_LEVEL: u8 = 3;

/// Tasks `ids` as an `.xlsx` workbook (bytes), deterministic for a given site and `--today`.
pub fn tasks_xlsx(site: &Site, ids: &[TaskId]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DataValidation, DocProperties, ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let today = site.today;
    let created =
        ExcelDateTime::from_ymd(today.year() as u16, today.month() as u8, today.day() as u8)?;
    book.set_properties(
        &DocProperties::new()
            .set_title("Nhiệm vụ")
            .set_creation_datetime(&created),
    );
    let sheet = book.add_worksheet();
    sheet.set_name("Nhiem vu")?;
    let bold = Format::new().set_bold();
    for (c, (name, width)) in XLSX_HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &bold)?;
        sheet.set_column_width(c as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, &id) in ids.iter().enumerate() {
        let Some(t) = site.tasks.get(id) else {
            continue;
        };
        let d = &site.documents[t.doc];
        let latest = t.history.last();
        let lead: Vec<&str> = t
            .lead
            .iter()
            .filter_map(|&u| site.units.get(u))
            .map(|u| u.name.as_str())
            .collect();
        let cells = [
            crate::render::data::task_id(site, t),
            d.number.clone().unwrap_or_default(),
            t.label.to_string(),
            t.text.to_string(),
            lead.join("; "),
            t.due.text.to_string(),
            t.due.end.map(|e| e.to_string()).unwrap_or_default(),
            crate::render::progress::state_text(t),
            latest
                .map(|e| status_label(e.status).to_string())
                .unwrap_or_default(),
            latest.and_then(|e| e.result.clone()).unwrap_or_default(),
            latest.map(|e| e.date.to_string()).unwrap_or_default(),
        ];
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, v)?;
        }
    }
    let labels: Vec<&str> = Status::ALL.iter().map(|s| s.2).collect();
    let list = DataValidation::new().allow_list_strings(&labels)?;
    let last = (ids.len() as u32).max(1000);
    sheet.add_data_validation(1, 8, last, 8, &list)?;
    book.set_zip_compression_level(XLSX_ZIP_LEVEL);
    book.save_to_buffer()
}

/// Vietnamese label of a status.
pub fn status_label(s: Status) -> &'static str {
    Status::ALL.iter().find(|e| e.0 == s).map_or("", |e| e.2)
}
