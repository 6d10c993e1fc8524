//! Diagnostics: problems found in content, collected as values so one run reports all of them.
//!
//! A [`Diagnostic`] names the file (relative to the site root), a 1-based line and column of the
//! whole file (not of the YAML block), a message, the offending text and an optional hint. The
//! CLI prints them as `path:line:col: error: message`, the form editors and terminals link.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How bad a problem is: errors fail the build, warnings ride beside the output.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem in the content, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    /// 1-based line in the file; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column (in characters); 0 when unknown.
    pub col: usize,
    pub message: String,
    /// The text at fault, shown under the message.
    pub snippet: Option<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `file:line:col`.
    pub fn error(file: &Path, line: usize, col: usize, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, line, col, message)
    }

    /// A warning at `file:line:col`.
    pub fn warning(file: &Path, line: usize, col: usize, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, line, col, message)
    }

    fn new(
        sev: Severity,
        file: &Path,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: sev,
            file: file.to_path_buf(),
            line,
            col,
            message: message.into(),
            snippet: None,
            hint: None,
        }
    }

    /// Attaches the offending text (trimmed to one line of reasonable length).
    pub fn with_snippet(mut self, text: &str) -> Self {
        let line = text.lines().next().unwrap_or("").trim_end();
        let short: String = line.chars().take(160).collect();
        if !short.is_empty() {
            self.snippet = Some(short);
        }
        self
    }

    /// Attaches a hint telling the publisher how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.col > 0 {
                write!(f, ":{}", self.col)?;
            }
        }
        write!(f, ": {kind}: {}", self.message)?;
        if let Some(snippet) = &self.snippet {
            write!(f, "\n    | {snippet}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n    = hint: {hint}")?;
        }
        Ok(())
    }
}

/// A thread-safe bag of diagnostics; stages push into it, the CLI prints it sorted.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&self, d: Diagnostic) {
        if let Ok(mut items) = self.items.lock() {
            items.push(d);
        }
    }

    pub fn extend(&self, ds: impl IntoIterator<Item = Diagnostic>) {
        if let Ok(mut items) = self.items.lock() {
            items.extend(ds);
        }
    }

    /// All diagnostics, sorted by file, line, column then message, so output is deterministic
    /// whatever order parallel stages reported them in.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut v = self.items.lock().map(|i| i.clone()).unwrap_or_default();
        v.sort_by(|a, b| {
            (&a.file, a.line, a.col, &a.message).cmp(&(&b.file, b.line, b.col, &b.message))
        });
        v.dedup();
        v
    }
}

/// Maps byte offsets of one text to 1-based line and column numbers.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        // A byte scan: lines are short, and a search call per line cost more than the scan.
        let newlines = text.bytes().enumerate().filter(|&(_, b)| b == b'\n');
        starts.extend(newlines.map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// 1-based line and column (in characters) of a byte offset in `text`.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let end = offset.min(text.len());
        let col = text
            .get(start..end)
            .map(|s| s.chars().count() + 1)
            .unwrap_or(1);
        (line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_maps_offsets() {
        let text = "ab\ncđe\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 3), (2, 1));
        // 'e' follows the two-byte 'đ': column counts characters, not bytes.
        assert_eq!(idx.line_col(text, 6), (2, 3));
        assert_eq!(idx.line_col(text, 8), (3, 1));
        assert_eq!(idx.line_col(text, 9), (4, 1));
    }

    #[test]
    fn display_names_file_line_col() {
        let d = Diagnostic::error(Path::new("a/b.md"), 3, 7, "thiếu `title`")
            .with_snippet("type: ke-hoach")
            .with_hint("thêm `title: …`");
        let s = d.to_string();
        assert!(s.starts_with("a/b.md:3:7: error: thiếu `title`"), "{s}");
        assert!(s.contains("| type: ke-hoach"));
        assert!(s.contains("hint: thêm"));
    }
}
