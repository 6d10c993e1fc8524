//! One Markdown file → [`ParsedDoc`]: validated front matter plus the body, or diagnostics.
//!
//! Every problem names `file:line:col` of the whole file. A document with errors is still
//! returned when possible (so later stages can report more problems in the same run), but the
//! build will not write output while any error stands.

use std::path::Path;

use jiff::civil::Date;

use crate::diag::Diagnostic;
use crate::load::SourceFile;
use crate::model::{DocMeta, DocType, Status, TaskForm, WrittenContent};
use crate::parse::front_matter::{
    key_position, parse_yaml, split, unknown_keys, RawFmTask, RawFrontMatter, SplitError,
    YamlError, DOCUMENT_KEYS,
};
use crate::text::{is_safe_slug, nfc, slugify};

/// A task from front matter, validated. Derefs to its [`WrittenContent`].
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct FmTask {
    /// The `id:` as written.
    pub label: Option<String>,
    pub content: WrittenContent,
    /// 1-based line of the item in the file.
    pub line: usize,
}

impl std::ops::Deref for FmTask {
    type Target = WrittenContent;
    fn deref(&self) -> &WrittenContent {
        &self.content
    }
}

/// A document's metadata and body, before extraction and rendering.
#[derive(Debug, Clone)]
pub struct ParsedDoc {
    pub source: SourceFile,
    pub meta: DocMeta,
    /// True when front matter set `slug:`; a derived slug may be disambiguated, a chosen one not.
    pub slug_explicit: bool,
    pub tasks: Vec<FmTask>,
    /// Byte offset of the body in `source.text`.
    pub body_offset: usize,
}

impl std::ops::Deref for ParsedDoc {
    type Target = DocMeta;
    fn deref(&self) -> &DocMeta {
        &self.meta
    }
}

impl std::ops::DerefMut for ParsedDoc {
    fn deref_mut(&mut self) -> &mut DocMeta {
        &mut self.meta
    }
}

impl ParsedDoc {
    pub fn body(&self) -> &str {
        self.source.text.get(self.body_offset..).unwrap_or("")
    }

    /// The province a document belongs to: front matter `province`, else read from the issuer
    /// ("UBND tỉnh Đồng Nai" → "Đồng Nai").
    pub fn home_province(&self) -> Option<String> {
        if let Some(p) = &self.province {
            return Some(p.clone());
        }
        let issuer = self.issuer.as_deref()?;
        let lower = issuer.to_lowercase();
        let idx = lower
            .find("tỉnh ")
            .map(|i| i + "tỉnh ".len())
            .or_else(|| lower.find("tinh ").map(|i| i + "tinh ".len()))?;
        issuer
            .get(idx..)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }
}

/// Parses one document; `None` when nothing usable could be read (errors are in the list).
pub fn parse_document(src: SourceFile) -> (Option<ParsedDoc>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let file = src.path.clone();
    let parts = match split(&src.text) {
        Ok(p) => p,
        Err(SplitError::Missing) => {
            diags.push(
                Diagnostic::error(&file, 1, 1, "thiếu phần đầu YAML (front matter)")
                    .with_snippet(&src.text)
                    .with_hint("văn bản phải bắt đầu bằng một dòng `---`, rồi `title: …`, rồi một dòng `---`"),
            );
            return (None, diags);
        }
        Err(SplitError::Unclosed) => {
            diags.push(
                Diagnostic::error(
                    &file,
                    1,
                    1,
                    "phần đầu YAML mở bằng `---` nhưng không có dòng `---` đóng lại",
                )
                .with_hint("thêm một dòng `---` sau khóa cuối cùng của phần đầu"),
            );
            return (None, diags);
        }
    };
    let yaml_line = parts.yaml_line;
    let yaml = parts.yaml.to_string();
    let body_offset = parts.body_offset;
    let raw: RawFrontMatter = match parse_yaml(&yaml) {
        Ok(r) => r,
        Err(YamlError { line, col, message }) => {
            let abs = yaml_line + line.saturating_sub(1);
            let snippet = src
                .text
                .lines()
                .nth(abs.saturating_sub(1))
                .unwrap_or("")
                .to_string();
            diags.push(Diagnostic::error(&file, abs, col, message).with_snippet(&snippet));
            return (None, diags);
        }
    };
    let at = |key: &str| {
        key_position(&yaml, key)
            .map(|(l, c)| (yaml_line + l - 1, c))
            .unwrap_or((1, 1))
    };
    for (key, line, col) in unknown_keys(&yaml, DOCUMENT_KEYS) {
        diags.push(
            Diagnostic::warning(
                &file,
                yaml_line + line - 1,
                col,
                format!("khóa không được hỗ trợ `{key}` (bỏ qua)"),
            )
            .with_hint(format!("các khóa hợp lệ: {}", DOCUMENT_KEYS.join(", "))),
        );
    }
    let v = Validator {
        file: &file,
        at: &at,
        diags: &mut diags,
    };
    let doc = v.finish(raw, &yaml, yaml_line, &src.text, body_offset);
    (
        doc.map(|mut d| {
            d.source = src;
            d
        }),
        diags,
    )
}

struct Validator<'a> {
    file: &'a Path,
    at: &'a dyn Fn(&str) -> (usize, usize),
    diags: &'a mut Vec<Diagnostic>,
}

impl Validator<'_> {
    fn error(&mut self, key: &str, message: String, hint: &str) {
        let (line, col) = (self.at)(key);
        self.diags
            .push(Diagnostic::error(self.file, line, col, message).with_hint(hint));
    }

    fn finish(
        mut self,
        raw: RawFrontMatter,
        yaml: &str,
        yaml_line: usize,
        text: &str,
        body_offset: usize,
    ) -> Option<ParsedDoc> {
        let title = clean(raw.title);
        if title.is_none() {
            self.diags.push(
                Diagnostic::error(
                    self.file,
                    yaml_line.saturating_sub(1).max(1),
                    1,
                    "thiếu `title` (tên văn bản)",
                )
                .with_hint("thêm dòng `title: Kế hoạch cải cách hành chính năm …` vào phần đầu"),
            );
        }
        let doc_type = match raw.doc_type.as_deref().map(str::trim) {
            None | Some("") => DocType::Khac,
            Some(code) => DocType::from_code(code).unwrap_or_else(|| {
                let codes: Vec<_> = DocType::ALL.iter().map(|t| t.1).collect();
                self.error(
                    "type",
                    format!("loại văn bản không hợp lệ `{code}`"),
                    &format!("dùng một trong: {}", codes.join(", ")),
                );
                DocType::Khac
            }),
        };
        let date = raw.date.as_deref().and_then(|d| self.date(d));
        let year = raw.year.or_else(|| date.map(|d| d.year()));
        if let Some(y) = raw.year {
            if !(1900..=2200).contains(&y) {
                self.error(
                    "year",
                    format!("năm không hợp lệ `{y}`"),
                    "viết năm bốn chữ số, ví dụ `year: 2024`",
                );
            }
        }
        let number = clean(raw.number);
        let slug = self.slug(
            raw.slug.as_deref(),
            number.as_deref(),
            date.map(|d| d.year()).or(raw.year),
            title.as_deref().unwrap_or(""),
        );
        let tasks = self.tasks(raw.tasks, yaml, yaml_line);
        let _ = text;
        let title = title?;
        Some(ParsedDoc {
            source: SourceFile {
                path: self.file.to_path_buf(),
                text: "".into(),
            },
            slug_explicit: raw.slug.as_deref().is_some_and(is_safe_slug),
            meta: DocMeta {
                slug,
                title,
                doc_type,
                number,
                issuer: clean(raw.issuer),
                date,
                year,
                signer: clean(raw.signer),
                refs: raw
                    .refs
                    .into_iter()
                    .filter_map(|r| clean(Some(r)))
                    .collect(),
                areas: raw
                    .areas
                    .into_iter()
                    .filter_map(|a| clean(Some(a)))
                    .collect(),
                summary: clean(raw.summary),
                draft: raw.draft,
                province: clean(raw.province),
                original: clean(raw.original),
            },
            tasks,
            body_offset,
        })
    }

    fn date(&mut self, written: &str) -> Option<Date> {
        match parse_iso_date(written) {
            Some(d) => Some(d),
            None => {
                self.error(
                    "date",
                    format!("ngày ban hành không đọc được `{written}`"),
                    "viết ngày theo dạng YYYY-MM-DD, ví dụ `date: 2018-12-06`; ngày phải có thật",
                );
                None
            }
        }
    }

    fn slug(
        &mut self,
        written: Option<&str>,
        number: Option<&str>,
        year: Option<i16>,
        title: &str,
    ) -> String {
        if let Some(s) = written {
            if is_safe_slug(s) {
                return s.to_string();
            }
            self.error(
                "slug",
                format!("slug không hợp lệ `{s}`"),
                "slug chỉ gồm chữ thường không dấu, số và `-` (không `/`, `..`)",
            );
        }
        // Number + year of issue is how Vietnamese documents are identified (numbers restart
        // each year) and keeps URLs short; without a number, the title stands in.
        match (number, year) {
            (Some(n), Some(y)) => slugify(&format!("{n} {y}")),
            (Some(n), None) => slugify(n),
            (None, _) => slugify(title),
        }
    }

    fn tasks(&mut self, raw: Vec<RawFmTask>, yaml: &str, yaml_line: usize) -> Vec<FmTask> {
        let lines = super::front_matter::list_item_lines(yaml, "tasks");
        let mut out = Vec::with_capacity(raw.len());
        for (i, t) in raw.into_iter().enumerate() {
            let line = yaml_line + lines.get(i).copied().unwrap_or(0);
            let Some(text) = clean(t.task) else {
                self.diags.push(
                    Diagnostic::error(
                        self.file,
                        line,
                        1,
                        format!("nhiệm vụ thứ {} thiếu `task` (nội dung)", i + 1),
                    )
                    .with_hint("mỗi mục trong `tasks:` cần `task: …`"),
                );
                continue;
            };
            let status = t.status.as_deref().map(str::trim).and_then(|s| {
                let st = Status::from_code(s);
                if st.is_none() {
                    self.diags.push(
                        Diagnostic::error(
                            self.file,
                            line,
                            1,
                            format!("trạng thái không hợp lệ `{s}`"),
                        )
                        .with_hint("dùng chua-bat-dau, dang-thuc-hien, hoan-thanh, tam-dung hoặc khong-thuc-hien"),
                    );
                }
                st
            });
            let cells = |v: Vec<String>| -> Vec<String> {
                v.into_iter().filter_map(|s| clean(Some(s))).collect()
            };
            out.push(FmTask {
                label: clean(t.id),
                content: WrittenContent {
                    group: clean(t.group).map(Into::into),
                    text: text.into(),
                    product: clean(t.product).map(Into::into),
                    lead: cells(t.lead),
                    support: cells(t.support),
                    due: clean(t.due),
                    due_inherited: false,
                    budget: clean(t.budget).map(Into::into),
                    note: clean(t.note).map(Into::into),
                    status,
                    form: TaskForm::FrontMatter,
                },
                line,
            });
        }
        out
    }
}

/// Parses `YYYY-MM-DD` strictly; a date that does not exist (31/02) is `None`.
pub fn parse_iso_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let mut parts = s.splitn(3, '-');
    let y: i16 = parts.next()?.parse().ok()?;
    let m: i8 = parts.next()?.parse().ok()?;
    let d: i8 = parts.next()?.parse().ok()?;
    if !(1900..=2200).contains(&y) {
        return None;
    }
    Date::new(y, m, d).ok()
}

/// Trims, NFC-normalises and drops empty strings.
fn clean(s: Option<String>) -> Option<String> {
    s.map(|v| nfc(v.trim())).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn parse(text: &str) -> (Option<ParsedDoc>, Vec<Diagnostic>) {
        parse_document(SourceFile {
            path: PathBuf::from("content/a.md"),
            text: text.into(),
        })
    }

    #[test]
    fn reads_a_full_document() {
        let (doc, diags) = parse("---\ntitle: Kế hoạch CCHC\ntype: ke-hoach\nnumber: 272/KH-UBND\ndate: 2018-12-06\nyear: 2019\ntasks:\n  - task: Tuyên truyền\n    lead: Sở Nội vụ\n    due: Quý II/2019\n  - task: B\n---\n# Nội dung\n");
        assert!(diags.is_empty(), "{diags:?}");
        let doc = doc.unwrap();
        assert_eq!(doc.slug, "272-kh-ubnd-2018");
        assert_eq!(doc.year, Some(2019));
        assert_eq!(doc.tasks.len(), 2);
        assert_eq!(doc.tasks[0].line, 8);
        assert_eq!(doc.tasks[1].line, 11);
        assert_eq!(doc.body(), "# Nội dung\n");
    }

    #[test]
    fn missing_title_wrong_type_bad_date() {
        let (_, d) = parse("---\ntype: ke-hoach\n---\n");
        assert!(d[0].message.contains("title"), "{d:?}");
        let (_, d) = parse("---\ntitle: a\nyear: [2019]\n---\n");
        assert_eq!((d[0].line, d[0].is_error()), (3, true), "{d:?}");
        let (_, d) = parse("---\ntitle: a\ndate: 2024-02-31\n---\n");
        assert_eq!(d[0].line, 3);
        assert!(d[0].message.contains("2024-02-31"));
        let (_, d) = parse("---\ntitle: a\n  bad: [\n---\n");
        assert!(d[0].is_error());
        assert!(d[0].line >= 2, "{d:?}");
    }

    #[test]
    fn unsafe_slug_is_refused() {
        let (doc, d) = parse("---\ntitle: a\nslug: ../../etc\n---\n");
        assert!(d.iter().any(|x| x.message.contains("slug")));
        assert_eq!(doc.unwrap().slug, "a");
    }
}
