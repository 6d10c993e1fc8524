//! `cchc import`: real documents (Word files, saved web pages, copied text) → content-format
//! Markdown documents, one per input.
//!
//! Pipeline per file: read the bytes → a reader by extension (`docx`, `html`, `text`; legacy
//! TCVN3/VNI text converted by `legacy`) gives a [`doc::Doc`] → `header` guesses the front
//! matter, each field with how sure it is → `emit` writes the Markdown → the file is written
//! under `--into` (never over an existing file without `--force`). Each input succeeds or fails
//! on its own: a file that cannot be read is an error naming it, and the others still import.

pub mod doc;
pub mod docx;
pub mod emit;
pub mod header;
pub mod html;
pub mod legacy;
pub mod text;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use header::{Guess, Header};

use crate::text::slugify;

/// Largest input read (a saved page or a .docx with its images stays well below).
const MAX_INPUT: u64 = 200 * 1024 * 1024;

/// What `cchc import` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub files: Vec<PathBuf>,
    /// Folder the documents are written to (default `content/`).
    pub into: PathBuf,
    pub force: bool,
}

/// One input imported.
#[derive(Debug)]
pub struct Imported {
    pub input: PathBuf,
    pub output: PathBuf,
    pub header: Header,
    /// What the reader and emitter noticed (conversions, attached plan).
    pub notes: Vec<String>,
}

/// Why one input was not imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}: không đọc được tệp: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Format { path: PathBuf, message: String },
    #[error("{}: đã có tệp {} (dùng --force để ghi đè)", input.display(), output.display())]
    Exists { input: PathBuf, output: PathBuf },
    #[error("{}: không ghi được {}: {source}", input.display(), output.display())]
    Write {
        input: PathBuf,
        output: PathBuf,
        source: std::io::Error,
    },
}

/// Imports every file; one result per input, in order.
pub fn import(opts: &ImportOptions) -> Vec<Result<Imported, ImportError>> {
    opts.files
        .iter()
        .map(|f| import_file(f, &opts.into, opts.force))
        .collect()
}

/// Reads one input into a document (no writing): the Markdown and what was guessed.
pub fn convert(path: &Path) -> Result<(String, Imported), ImportError> {
    let format_err = |message: String| ImportError::Format {
        path: path.to_path_buf(),
        message,
    };
    let meta = fs::metadata(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.len() > MAX_INPUT {
        return Err(format_err(format!(
            "tệp quá lớn ({} byte; giới hạn {MAX_INPUT})",
            meta.len()
        )));
    }
    let bytes = fs::read(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut doc =
        match ext.as_str() {
            "docx" => docx::read(&bytes).map_err(format_err)?,
            "doc" => return Err(format_err(
                "tệp Word cũ (.doc) chưa đọc được: mở bằng Word/LibreOffice và lưu lại dạng .docx"
                    .into(),
            )),
            "html" | "htm" => html::read(&decoded(&bytes, &mut Vec::new())),
            _ => {
                let mut notes = Vec::new();
                let text = decoded(&bytes, &mut notes);
                let mut d = text::read(&text);
                d.notes.extend(notes);
                d
            }
        };
    if doc.blocks.is_empty() {
        return Err(format_err(
            "không tìm thấy nội dung văn bản trong tệp".into(),
        ));
    }
    let header = header::read(&doc);
    let original = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let emitted = emit::emit(&doc, &header, &original, &stem);
    doc.notes.extend(emitted.notes);
    Ok((
        emitted.markdown,
        Imported {
            input: path.to_path_buf(),
            output: PathBuf::new(),
            header,
            notes: doc.notes,
        },
    ))
}

/// Text from bytes: UTF-8, or a legacy encoding detected and converted (noted).
fn decoded(bytes: &[u8], notes: &mut Vec<String>) -> String {
    let text = legacy::decode_bytes(bytes);
    match legacy::detect(&text) {
        Some(enc) => {
            notes.push(format!("đã chuyển mã {} sang Unicode", enc.name()));
            legacy::convert(&text, enc)
        }
        None => crate::text::nfc(&text),
    }
}

/// Imports one file into `into`.
pub fn import_file(path: &Path, into: &Path, force: bool) -> Result<Imported, ImportError> {
    let (markdown, mut imported) = convert(path)?;
    let stem = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let output = into.join(format!("{}.md", slugify(&stem)));
    let write_err = |source| ImportError::Write {
        input: path.to_path_buf(),
        output: output.clone(),
        source,
    };
    fs::create_dir_all(into).map_err(write_err)?;
    let mut file = if force {
        fs::File::create(&output)
    } else {
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&output)
    }
    .map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            ImportError::Exists {
                input: path.to_path_buf(),
                output: output.clone(),
            }
        } else {
            write_err(e)
        }
    })?;
    file.write_all(markdown.as_bytes()).map_err(write_err)?;
    imported.output = output;
    Ok(imported)
}

/// The report for one imported file: the path written and every guessed field.
pub fn report(i: &Imported) -> String {
    let h = &i.header;
    let mut out = format!("{} → {}\n", i.input.display(), i.output.display());
    let mut field =
        |name: &str, value: Option<String>, sure: Option<header::Sure>| match (value, sure) {
            (Some(v), Some(s)) => out.push_str(&format!("  {name:<8} {v}  [{}]\n", s.label())),
            _ => out.push_str(&format!("  {name:<8} (không tìm thấy)\n")),
        };
    fn parts<T: ToString>(g: &Option<Guess<T>>) -> (Option<String>, Option<header::Sure>) {
        (
            g.as_ref().map(|g| g.value.to_string()),
            g.as_ref().map(|g| g.sure),
        )
    }
    let (v, s) = (
        h.doc_type.as_ref().map(|g| g.value.code().to_string()),
        h.doc_type.as_ref().map(|g| g.sure),
    );
    field("type", v, s);
    let (v, s) = parts(&h.number);
    field("number", v, s);
    let (v, s) = parts(&h.issuer);
    field("issuer", v, s);
    let (v, s) = parts(&h.date);
    field("date", v, s);
    let (v, s) = parts(&h.year);
    field(
        "year",
        v.or(Some("(theo ngày ban hành)".into())),
        s.or(Some(header::Sure::Medium)),
    );
    let (v, s) = parts(&h.title);
    field("title", v, s);
    let (v, s) = parts(&h.signer);
    field("signer", v, s);
    if !h.refs.is_empty() {
        out.push_str(&format!("  refs     {}  [khá chắc]\n", h.refs.join(", ")));
    }
    for n in &i.notes {
        out.push_str(&format!("  ghi chú: {n}\n"));
    }
    out
}
