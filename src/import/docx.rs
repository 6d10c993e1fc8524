//! `.docx` (Office Open XML, what Word and LibreOffice save) → [`Doc`], read in Rust.
//!
//! The file is a zip of XML parts: `word/document.xml` (the body), `word/styles.xml` (heading
//! levels, fonts), `word/numbering.xml` (list numbering: "1.", "a)", "-") and
//! `word/footnotes.xml`. Paragraphs keep bold/italic as Markdown and their numbering spelled
//! out; tables keep horizontal spans (`w:gridSpan`) and vertical merges (`w:vMerge`: the merged
//! text is repeated in each row it covers); runs in a TCVN3/VNI font are converted to Unicode.
//!
//! Hostile files fail cleanly: every part is read with a size cap (declared and actual, so a
//! zip bomb stops at the cap), a truncated archive is an error, and XML entities other than the
//! five predefined ones and character references are never expanded (no DTD processing).

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::doc::{Block, Cell, Doc, Para, Table};
use super::legacy::{self, Encoding};

/// Largest uncompressed part we read (real documents' `document.xml` are a few MB).
const MAX_PART: u64 = 64 * 1024 * 1024;
/// Most XML events in one part (a 64 MB part of tiny elements stays below this).
const MAX_EVENTS: usize = 20_000_000;

/// Reads a .docx from its bytes; the error says what is wrong, in Vietnamese.
pub fn read(bytes: &[u8]) -> Result<Doc, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("không phải tệp .docx hợp lệ (zip hỏng hoặc bị cắt cụt: {e})"))?;
    let document =
        part(&mut zip, "word/document.xml")?.ok_or("tệp .docx thiếu phần word/document.xml")?;
    let styles = part(&mut zip, "word/styles.xml")?.map_or_else(Styles::default, |x| styles(&x));
    let numbering =
        part(&mut zip, "word/numbering.xml")?.map_or_else(Numbering::default, |x| numbering(&x));
    let footnotes = match part(&mut zip, "word/footnotes.xml")? {
        Some(x) => footnotes(&x, &styles)?,
        None => Vec::new(),
    };
    let mut body = BodyReader::new(&styles, numbering);
    body.read(&document)?;
    let mut notes = Vec::new();
    for (enc, font) in &body.converted {
        notes.push(format!(
            "đã chuyển mã {} sang Unicode (phông {font})",
            enc.name()
        ));
    }
    Ok(Doc {
        blocks: body.blocks,
        notes,
        footnotes,
    })
}

/// One part of the archive as text, or `None` when absent; capped at [`MAX_PART`].
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>, String> {
    let mut file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("không đọc được {name} trong tệp .docx: {e}")),
    };
    if file.size() > MAX_PART {
        return Err(format!(
            "{name} trong tệp .docx quá lớn ({} byte khi giải nén; giới hạn {MAX_PART})",
            file.size()
        ));
    }
    let mut buf = Vec::new();
    (&mut file)
        .take(MAX_PART + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("không giải nén được {name} (tệp hỏng hoặc bị cắt cụt): {e}"))?;
    if buf.len() as u64 > MAX_PART {
        return Err(format!(
            "{name} trong tệp .docx vượt giới hạn {MAX_PART} byte khi giải nén"
        ));
    }
    String::from_utf8(buf)
        .map(Some)
        .map_err(|_| format!("{name} không phải UTF-8"))
}

/// `w:val` (or another attribute by local name) of an element.
fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key: &str = a.key.as_ref();
        let name = key.rsplit(':').next().unwrap_or(key);
        (name == local).then(|| a.value.to_string())
    })
}

fn on(e: &BytesStart) -> bool {
    !matches!(attr(e, "val").as_deref(), Some("0" | "false" | "none"))
}

/// Paragraph styles: heading level and font of each style id.
#[derive(Debug, Default)]
struct Styles {
    heading: BTreeMap<String, u8>,
    font: BTreeMap<String, String>,
    /// List numbering a paragraph style carries ("List Number": numId, ilvl).
    num: BTreeMap<String, (String, u8)>,
    default_font: Option<String>,
}

fn styles(xml: &str) -> Styles {
    let mut s = Styles::default();
    let mut reader = Reader::from_str(xml);
    let mut id: Option<String> = None;
    let mut in_defaults = false;
    while let Ok(ev) = reader.read_event() {
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "style" => id = attr(&e, "styleId"),
                "docDefaults" => in_defaults = true,
                "name" => {
                    let name = attr(&e, "val").unwrap_or_default().to_lowercase();
                    if let (Some(i), Some(n)) = (&id, name.strip_prefix("heading ")) {
                        if let Ok(level) = n.trim().parse::<u8>() {
                            s.heading.insert(i.clone(), level);
                        }
                    }
                }
                "outlineLvl" => {
                    if let (Some(i), Some(Ok(l))) = (&id, attr(&e, "val").map(|v| v.parse::<u8>()))
                    {
                        s.heading.entry(i.clone()).or_insert(l + 1);
                    }
                }
                "numId" => {
                    if let (Some(i), Some(n)) = (&id, attr(&e, "val")) {
                        s.num.entry(i.clone()).or_insert((String::new(), 0)).0 = n;
                    }
                }
                "ilvl" => {
                    if let (Some(i), Some(Ok(l))) = (&id, attr(&e, "val").map(|v| v.parse::<u8>()))
                    {
                        s.num.entry(i.clone()).or_insert((String::new(), 0)).1 = l;
                    }
                }
                "rFonts" => {
                    let font = attr(&e, "ascii").or_else(|| attr(&e, "hAnsi"));
                    match (&id, font) {
                        (Some(i), Some(f)) => {
                            s.font.insert(i.clone(), f);
                        }
                        (None, Some(f)) if in_defaults => s.default_font = Some(f),
                        _ => {}
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "style" => id = None,
                "docDefaults" => in_defaults = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    s
}

/// One list level: number format, label template ("%1.", "%2)") and start value.
#[derive(Debug, Clone, Default)]
struct Level {
    fmt: String,
    text: String,
    start: u32,
}

#[derive(Debug, Default)]
struct Numbering {
    abstracts: BTreeMap<String, BTreeMap<u8, Level>>,
    nums: BTreeMap<String, String>,
    counters: BTreeMap<String, [u32; 9]>,
}

fn numbering(xml: &str) -> Numbering {
    let mut n = Numbering::default();
    let mut reader = Reader::from_str(xml);
    let mut abs: Option<String> = None;
    let mut lvl: Option<u8> = None;
    let mut num: Option<String> = None;
    while let Ok(ev) = reader.read_event() {
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "abstractNum" => abs = attr(&e, "abstractNumId"),
                "lvl" => lvl = attr(&e, "ilvl").and_then(|v| v.parse().ok()),
                "num" => num = attr(&e, "numId"),
                "abstractNumId" => {
                    if let (Some(id), Some(a)) = (&num, attr(&e, "val")) {
                        n.nums.insert(id.clone(), a);
                    }
                }
                name @ ("numFmt" | "lvlText" | "start") => {
                    if let (Some(a), Some(l)) = (&abs, lvl) {
                        let level = n
                            .abstracts
                            .entry(a.clone())
                            .or_default()
                            .entry(l)
                            .or_default();
                        let v = attr(&e, "val").unwrap_or_default();
                        match name {
                            "numFmt" => level.fmt = v,
                            "lvlText" => level.text = v,
                            _ => level.start = v.parse().unwrap_or(1),
                        }
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "abstractNum" => abs = None,
                "lvl" => lvl = None,
                "num" => num = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    n
}

impl Numbering {
    /// The label of the next paragraph numbered `num_id` at `ilvl` ("2.", "b)", "-").
    fn label(&mut self, num_id: &str, ilvl: u8) -> Option<String> {
        let abs = self.nums.get(num_id)?;
        let levels = self.abstracts.get(abs)?;
        let level = levels.get(&ilvl)?.clone();
        let il = usize::from(ilvl.min(8));
        let counters = self.counters.entry(abs.clone()).or_insert([0; 9]);
        counters[il] += 1;
        for c in counters.iter_mut().skip(il + 1) {
            *c = 0;
        }
        if level.fmt == "bullet" || level.fmt == "none" {
            return Some("-".into());
        }
        let mut text = level.text.clone();
        for (k, count) in counters.iter().enumerate().take(il + 1) {
            let lv = levels.get(&(k as u8)).cloned().unwrap_or_default();
            let value = count + lv.start.max(1) - 1;
            text = text.replace(
                &format!("%{}", k + 1),
                &format_number(value.max(1), &lv.fmt),
            );
        }
        Some(text)
    }
}

fn format_number(n: u32, fmt: &str) -> String {
    match fmt {
        "lowerLetter" => letter(n).to_lowercase(),
        "upperLetter" => letter(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        _ => n.to_string(),
    }
}

fn letter(n: u32) -> String {
    // Vietnamese lists skip no letters in Word's numbering: a, b, c … z, aa …
    let n = n.max(1) - 1;
    let c = char::from(b'A' + (n % 26) as u8);
    c.to_string().repeat((n / 26 + 1) as usize)
}

fn roman(mut n: u32) -> String {
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in table {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// Footnotes as (id, text).
fn footnotes(xml: &str, styles: &Styles) -> Result<Vec<(String, String)>, String> {
    let mut body = BodyReader::new(styles, Numbering::default());
    body.footnote_mode = true;
    body.read(xml)?;
    Ok(body.footnotes)
}

/// A table being read: finished rows, the open row, the open cell and its merge state.
#[derive(Default)]
struct TableState {
    rows: Vec<Vec<(Cell, Merge)>>,
    row: Vec<(Cell, Merge)>,
    cell: Option<(Cell, Merge)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Merge {
    None,
    Restart,
    Continue,
}

/// Walks `document.xml` (or `footnotes.xml`) events into blocks.
struct BodyReader<'s> {
    styles: &'s Styles,
    numbering: Numbering,
    blocks: Vec<Block>,
    tables: Vec<TableState>,
    // The open paragraph.
    para: String,
    para_style: Option<String>,
    num: (Option<String>, u8),
    // The open run.
    run: String,
    bold: bool,
    italic: bool,
    font: Option<String>,
    in_text: bool,
    in_rpr: bool,
    converted: Vec<(Encoding, String)>,
    footnote_mode: bool,
    footnote_id: Option<String>,
    footnote_text: String,
    footnotes: Vec<(String, String)>,
}

impl<'s> BodyReader<'s> {
    fn new(styles: &'s Styles, numbering: Numbering) -> BodyReader<'s> {
        BodyReader {
            styles,
            numbering,
            blocks: Vec::new(),
            tables: Vec::new(),
            para: String::new(),
            para_style: None,
            num: (None, 0),
            run: String::new(),
            bold: false,
            italic: false,
            font: None,
            in_text: false,
            in_rpr: false,
            converted: Vec::new(),
            footnote_mode: false,
            footnote_id: None,
            footnote_text: String::new(),
            footnotes: Vec::new(),
        }
    }

    fn read(&mut self, xml: &str) -> Result<(), String> {
        let mut reader = Reader::from_str(xml);
        let mut events = 0usize;
        loop {
            events += 1;
            if events > MAX_EVENTS {
                return Err("tệp .docx có quá nhiều phần tử XML".into());
            }
            match reader.read_event() {
                Ok(Event::Start(e)) => self.start(&e, false),
                Ok(Event::Empty(e)) => self.start(&e, true),
                Ok(Event::End(e)) => self.end(e.local_name().as_ref()),
                Ok(Event::Text(t)) if self.in_text => {
                    self.run
                        .push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0));
                }
                Ok(Event::GeneralRef(r)) if self.in_text => {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        self.run.push(c);
                    } else {
                        let name = r.xml_content(quick_xml::XmlVersion::Implicit1_0);
                        // Only the five predefined entities: custom ones are never expanded.
                        if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
                            self.run.push_str(s);
                        }
                    }
                }
                Ok(Event::Eof) => return Ok(()),
                Ok(_) => {}
                Err(e) => {
                    return Err(format!(
                        "XML hỏng trong tệp .docx (vị trí {}): {e}",
                        reader.buffer_position()
                    ))
                }
            }
        }
    }

    fn start(&mut self, e: &BytesStart, empty: bool) {
        match e.local_name().as_ref() {
            "p" if !empty => {
                self.para.clear();
                self.para_style = None;
                self.num = (None, 0);
            }
            "pStyle" => self.para_style = attr(e, "val"),
            "numId" => self.num.0 = attr(e, "val"),
            "ilvl" => self.num.1 = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(0),
            "r" if !empty => {
                self.run.clear();
                self.bold = false;
                self.italic = false;
                self.font = None;
            }
            "rPr" if !empty => self.in_rpr = true,
            "b" if self.in_rpr => self.bold = on(e),
            "i" if self.in_rpr => self.italic = on(e),
            "rFonts" if self.in_rpr => {
                self.font = attr(e, "ascii").or_else(|| attr(e, "hAnsi"));
            }
            "t" if !empty => self.in_text = true,
            "tab" if !self.in_rpr => self.run.push(' '),
            "br" | "cr" => self.run.push('\n'),
            "footnoteReference" => {
                if let Some(id) = attr(e, "id") {
                    self.run.push_str(&format!("[^{id}]"));
                }
            }
            "footnote" if !empty => {
                self.footnote_id = attr(e, "id");
                self.footnote_text.clear();
            }
            "tbl" if !empty => self.tables.push(TableState::default()),
            "tc" if !empty => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell = Some((Cell::new(Vec::new()), Merge::None));
                }
            }
            "gridSpan" => {
                let span = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
                if let Some((c, _)) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    c.colspan = usize::max(1, span).min(64);
                }
            }
            "vMerge" => {
                let m = match attr(e, "val").as_deref() {
                    Some("restart") => Merge::Restart,
                    _ => Merge::Continue,
                };
                if let Some((_, merge)) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    *merge = m;
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "t" => self.in_text = false,
            "rPr" => self.in_rpr = false,
            "r" => self.end_run(),
            "p" => self.end_para(),
            "tc" => {
                if let Some(t) = self.tables.last_mut() {
                    if let Some(c) = t.cell.take() {
                        t.row.push(c);
                    }
                }
            }
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            "tbl" => self.end_table(),
            "footnote" => {
                if let Some(id) = self.footnote_id.take() {
                    let text = self.footnote_text.trim().to_string();
                    // Ids -1 and 0 are Word's separator "footnotes".
                    if !text.is_empty() && !id.starts_with('-') && id != "0" {
                        self.footnotes.push((id, text));
                    }
                }
            }
            _ => {}
        }
    }

    fn end_run(&mut self) {
        let mut text = std::mem::take(&mut self.run);
        if text.is_empty() {
            return;
        }
        let font = self
            .font
            .clone()
            .or_else(|| {
                self.para_style
                    .as_ref()
                    .and_then(|s| self.styles.font.get(s).cloned())
            })
            .or_else(|| self.styles.default_font.clone());
        if let Some(f) = font {
            if let Some(enc) = Encoding::from_font(&f) {
                text = legacy::convert(&text, enc);
                if !self.converted.iter().any(|(e, _)| *e == enc) {
                    self.converted.push((enc, f));
                }
            }
        }
        let (lead, core, trail) = split_ws(&text);
        self.para.push_str(lead);
        if !core.is_empty() {
            let mark = match (self.bold, self.italic) {
                (true, true) => "***",
                (true, false) => "**",
                (false, true) => "*",
                (false, false) => "",
            };
            self.para.push_str(mark);
            self.para.push_str(core);
            self.para.push_str(mark);
        }
        self.para.push_str(trail);
    }

    fn end_para(&mut self) {
        // Adjacent runs with the same emphasis: "**a****b**" → "**ab**".
        let mut text = std::mem::take(&mut self.para).replace("****", "");
        let style_num = self
            .para_style
            .as_ref()
            .and_then(|st| self.styles.num.get(st))
            .filter(|(n, _)| !n.is_empty())
            .map(|(n, l)| (Some(n.clone()), *l));
        let num = if self.num.0.is_some() {
            Some(self.num.clone())
        } else {
            style_num
        };
        if let Some((Some(id), ilvl)) = num.filter(|(n, _)| n.as_deref() != Some("0")) {
            if let Some(label) = self.numbering.label(&id, ilvl) {
                text = format!("{label} {}", text.trim_start());
            }
        }
        if self.footnote_mode {
            if !self.footnote_text.is_empty() {
                self.footnote_text.push(' ');
            }
            self.footnote_text.push_str(text.trim());
            return;
        }
        let heading = self
            .para_style
            .as_ref()
            .and_then(|s| self.styles.heading.get(s))
            .map(|l| (l + 1).min(6));
        if let Some((cell, _)) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            for line in text.split('\n') {
                let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
                if !line.is_empty() {
                    cell.paras.push(line);
                }
            }
            return;
        }
        let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !line.is_empty() {
            self.blocks.push(Block::Para(Para {
                text: line,
                heading,
            }));
        }
    }

    /// Closes a table: vertical merges take the text of the cell above in the same grid
    /// column; a table inside a cell becomes that cell's paragraphs.
    fn end_table(&mut self) {
        let Some(state) = self.tables.pop() else {
            return;
        };
        let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(state.rows.len());
        let mut above: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for row in state.rows {
            let mut out = Vec::with_capacity(row.len());
            let mut col = 0;
            for (mut cell, merge) in row {
                match merge {
                    Merge::Continue => {
                        cell.paras = above.get(&col).cloned().unwrap_or_default();
                    }
                    Merge::Restart | Merge::None => {
                        above.insert(col, cell.paras.clone());
                    }
                }
                col += cell.colspan.max(1);
                out.push(cell);
            }
            rows.push(out);
        }
        let table = Table { rows };
        if let Some((cell, _)) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            cell.paras.extend(table.paras().cloned());
        } else {
            self.blocks.push(Block::Table(table));
        }
    }
}

fn split_ws(s: &str) -> (&str, &str, &str) {
    let core = s.trim();
    let start = s.len() - s.trim_start().len();
    (&s[..start], core, &s[start + core.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_numbers() {
        assert_eq!(roman(14), "XIV");
        assert_eq!(letter(2), "B");
        assert_eq!(format_number(3, "lowerLetter"), "c");
    }

    #[test]
    fn not_a_zip_is_an_error() {
        let err = read(b"PK\x03\x04truncated").unwrap_err();
        assert!(err.contains(".docx"), "{err}");
        assert!(read(b"hello").is_err());
    }
}
