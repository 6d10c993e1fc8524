//! Front matter: splits a document into its YAML block and Markdown body, and reads YAML into
//! typed structs. This is the only module that talks to the YAML library (`yaml_serde`, the
//! maintained continuation of serde_yaml), so it can be swapped in one place.
//!
//! Positions: YAML errors are reported by the library relative to the YAML block; we add the
//! block's starting line so every message names the line of the whole file.

use serde::de::{self, DeserializeOwned, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// A YAML problem with a 1-based line and column (relative to the text given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// Largest front-matter block we read; beyond it a document is surely broken or hostile.
const MAX_YAML: usize = 1 << 20;

/// Most `*alias` references a front matter may use. Real documents use none; the libyaml
/// parser expands aliases into copies, so a small file with many aliases to one big value can
/// grow to gigabytes ("billion laughs").
const MAX_ALIASES: usize = 64;

/// Position of the first alias past the budget, if the text has too many. Counts `*name`
/// tokens that start a value (after `: `, `- `, `[`, `,` or at line start), which is how
/// aliases are written; a `*` inside a quoted or plain string is not one.
fn too_many_aliases(text: &str) -> Option<(usize, usize)> {
    let mut count = 0;
    for (i, line) in text.lines().enumerate() {
        let bytes = line.as_bytes();
        for (j, &b) in bytes.iter().enumerate() {
            if b != b'*' {
                continue;
            }
            let prev = line[..j].trim_end().as_bytes().last().copied();
            let starts_value = matches!(prev, None | Some(b':' | b'-' | b'[' | b',' | b'{'));
            let next_is_name = bytes
                .get(j + 1)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
            if starts_value && next_is_name {
                count += 1;
                if count > MAX_ALIASES {
                    return Some((i + 1, j + 1));
                }
            }
        }
    }
    None
}

/// Parses YAML into `T`, turning library errors into a positioned message.
pub fn parse_yaml<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if text.len() > MAX_YAML {
        return Err(YamlError {
            line: 1,
            col: 1,
            message: format!("khối YAML quá lớn ({} byte, tối đa {MAX_YAML})", text.len()),
        });
    }
    if let Some((line, col)) = too_many_aliases(text) {
        return Err(YamlError {
            line,
            col,
            message: format!("YAML có quá nhiều alias (`*tên`), tối đa {MAX_ALIASES}: có thể là tệp độc hại (\"billion laughs\")"),
        });
    }
    yaml_serde::from_str(text).map_err(|e| {
        let (line, col) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        let message = e.to_string();
        // The library places "duplicate field" at the mapping's start; the second writing of
        // the key is what the author must fix.
        let (line, col) = duplicate_position(text, &message).unwrap_or((line, col));
        YamlError {
            line,
            col,
            message: clean_yaml_message(&message),
        }
    })
}

/// Where a top-level key named in a "duplicate field `key`" message is written the second time.
fn duplicate_position(yaml: &str, message: &str) -> Option<(usize, usize)> {
    let rest = message.split_once("duplicate field `")?.1;
    let key = rest.split_once('`')?.0;
    top_level_keys(yaml)
        .into_iter()
        .filter(|(k, _, _)| k == key)
        .nth(1)
        .map(|(_, line, col)| (line, col))
}

/// Drops the library's own " at line X column Y" suffix: we print positions ourselves.
fn clean_yaml_message(msg: &str) -> String {
    let cut = msg.find(" at line ").unwrap_or(msg.len());
    format!("YAML không hợp lệ: {}", &msg[..cut])
}

/// A document cut in two: the YAML between the `---` fences and the Markdown after them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the first YAML line in the file.
    pub yaml_line: usize,
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Why a document could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    Missing,
    /// The opening `---` has no closing `---`.
    Unclosed,
}

/// Splits `text` (BOM already removed) at its `---` fences. The closing fence may also be `...`.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err(SplitError::Missing);
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut pos = yaml_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            let body_offset = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..pos],
                yaml_line: 2,
                body: &text[body_offset..],
                body_offset,
            });
        }
        pos = end + 1;
    }
    Err(SplitError::Unclosed)
}

/// Top-level keys of a YAML mapping with their 1-based line and column, in order.
///
/// A light scan rather than a second parse: a top-level key is a line that starts at column 1
/// with a plain or quoted key followed by `:`. Good enough to place warnings; the real parse
/// decides what the values are.
pub fn top_level_keys(yaml: &str) -> Vec<(String, usize, usize)> {
    let mut keys = Vec::new();
    for (i, line) in yaml.lines().enumerate() {
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first.is_whitespace() || matches!(first, '#' | '-' | '[' | '{' | '}' | ']') {
            continue;
        }
        let Some(colon) = line.find(':') else {
            continue;
        };
        let after = &line[colon + 1..];
        if !(after.is_empty() || after.starts_with(' ') || after.starts_with('\t')) {
            continue;
        }
        let key = line[..colon].trim().trim_matches(|c| c == '"' || c == '\'');
        keys.push((key.to_string(), i + 1, 1));
    }
    keys
}

/// Keys of `yaml` not in `known`, with their positions.
pub fn unknown_keys(yaml: &str, known: &[&str]) -> Vec<(String, usize, usize)> {
    top_level_keys(yaml)
        .into_iter()
        .filter(|(k, _, _)| !known.contains(&k.as_str()))
        .collect()
}

/// Position of a top-level key in `yaml`, if written there.
pub fn key_position(yaml: &str, key: &str) -> Option<(usize, usize)> {
    top_level_keys(yaml)
        .into_iter()
        .find(|(k, _, _)| k == key)
        .map(|(_, l, c)| (l, c))
}

/// Reads a scalar (string, number or bool) as a string: `id: 1` and `id: "1"` are the same.
/// An empty value (`number:`) reads as absent, as publishers leave unknown fields blank.
pub fn scalar_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(OptionalScalar)
}

struct OptionalScalar;

impl<'de> Visitor<'de> for OptionalScalar {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<String>, E> {
        ScalarVisitor.visit_str(v).map(Some)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<String>, E> {
        ScalarVisitor.visit_i64(v).map(Some)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<String>, E> {
        ScalarVisitor.visit_u64(v).map(Some)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<String>, E> {
        ScalarVisitor.visit_f64(v).map(Some)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<String>, E> {
        ScalarVisitor.visit_bool(v).map(Some)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// Reads "a string or a list of strings" (`lead: Sở Nội vụ` or `lead: [Sở Nội vụ, Sở Tư pháp]`).
pub fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    d.deserialize_any(ManyVisitor)
}

struct ManyVisitor;

impl<'de> Visitor<'de> for ManyVisitor {
    type Value = Vec<String>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a list of strings")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<String>, E> {
        Ok(vec![v.to_string()])
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<String>, E> {
        Ok(vec![v.to_string()])
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<String>, E> {
        Ok(vec![v.to_string()])
    }
    fn visit_unit<E: de::Error>(self) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element::<ScalarItem>()? {
            out.push(item.0);
        }
        Ok(out)
    }
}

/// One list element of [`one_or_many`]: any scalar, as a string.
struct ScalarItem(String);

impl<'de> Deserialize<'de> for ScalarItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor).map(ScalarItem)
    }
}

/// The front matter of a document, as written (before validation).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawFrontMatter {
    pub title: Option<String>,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    #[serde(deserialize_with = "scalar_string")]
    pub number: Option<String>,
    pub issuer: Option<String>,
    #[serde(deserialize_with = "scalar_string")]
    pub date: Option<String>,
    pub year: Option<i16>,
    pub signer: Option<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub refs: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub areas: Vec<String>,
    pub summary: Option<String>,
    pub draft: bool,
    pub slug: Option<String>,
    pub province: Option<String>,
    /// The file the document was imported from (`cchc import`), shown on its page.
    pub original: Option<String>,
    pub tasks: Vec<RawFmTask>,
}

/// Keys a document's front matter may have; others warn.
pub const DOCUMENT_KEYS: &[&str] = &[
    "title", "type", "number", "issuer", "date", "year", "signer", "refs", "areas", "summary",
    "draft", "slug", "province", "tasks", "original", "progress",
];

/// A task written as data under `tasks:`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawFmTask {
    #[serde(deserialize_with = "scalar_string")]
    pub id: Option<String>,
    pub group: Option<String>,
    pub task: Option<String>,
    pub product: Option<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub lead: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub support: Vec<String>,
    #[serde(deserialize_with = "scalar_string")]
    pub due: Option<String>,
    #[serde(deserialize_with = "scalar_string")]
    pub budget: Option<String>,
    pub note: Option<String>,
    pub status: Option<String>,
}

/// 0-based lines (within the YAML) of the items of the top-level list under `key:` (`tasks`,
/// `progress`), in order: serde drops positions, so messages about one item find its line here.
pub fn list_item_lines(yaml: &str, key: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut inside = false;
    let mut item_indent: Option<usize> = None;
    for (i, line) in yaml.lines().enumerate() {
        if !line.starts_with(' ') && !line.starts_with('-') && !line.trim().is_empty() {
            inside = line
                .strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'));
            continue;
        }
        if !inside {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if line.trim_start().starts_with("- ") || line.trim() == "-" {
            let first = *item_indent.get_or_insert(indent);
            if indent == first {
                out.push(i);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_fences() {
        let s = split("---\ntitle: a\n---\n# Body\n").unwrap();
        assert_eq!(s.yaml, "title: a\n");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_offset, 17);
        assert_eq!(split("---\ntitle: a\n"), Err(SplitError::Unclosed));
        assert_eq!(split("# no front matter"), Err(SplitError::Missing));
        assert_eq!(split("---\n---\n").unwrap().yaml, "");
        assert_eq!(split("---\r\ntitle: a\r\n---\r\nx").unwrap().body, "x");
    }

    #[test]
    fn wrong_type_has_position() {
        let e = parse_yaml::<RawFrontMatter>("title: a\nyear: [1]\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(
            e.message.contains("year") || e.message.contains("invalid type"),
            "{e:?}"
        );
    }

    #[test]
    fn one_or_many_and_scalars() {
        let fm: RawFrontMatter = parse_yaml(
            "title: T\nnumber: 272\nrefs: 19/NQ-HĐND\ntasks:\n  - id: 1\n    task: x\n    lead: [A, B]\n",
        )
        .unwrap();
        assert_eq!(fm.number.as_deref(), Some("272"));
        assert_eq!(fm.refs, vec!["19/NQ-HĐND"]);
        assert_eq!(fm.tasks[0].id.as_deref(), Some("1"));
        assert_eq!(fm.tasks[0].lead, vec!["A", "B"]);
        let blank: RawFrontMatter = parse_yaml("title: T\nnumber:\ndate:\nyear:\n").unwrap();
        assert_eq!((blank.number, blank.date, blank.year), (None, None, None));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut y = String::from("a: &a [\"xxxxxxxx\"]\n");
        y.push_str("refs: [");
        y.push_str(&vec!["*a"; 100].join(", "));
        y.push_str("]\n");
        let e = parse_yaml::<RawFrontMatter>(&y).unwrap_err();
        assert!(e.message.contains("alias"), "{e:?}");
        assert!(parse_yaml::<RawFrontMatter>("title: \"a * b *c\"\nsummary: x*y\n").is_ok());
    }

    #[test]
    fn keys_are_located() {
        let y = "title: a\n# c\nfoo: 1\n  nested: 2\n\"bar\": 3\n";
        assert_eq!(
            unknown_keys(y, &["title"]),
            vec![("foo".into(), 3, 1), ("bar".into(), 5, 1)]
        );
        assert_eq!(key_position(y, "title"), Some((1, 1)));
    }
}
