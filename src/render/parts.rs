//! Downloads that stay small: rows grouped by year → files of at most `limit` bytes each, a
//! gzip of the whole set, and the [`Part`] records `du-lieu/index.json` lists.
//!
//! Takes rows already serialised (one CSV record, one JSON object, one VEVENT) grouped by year
//! and a [`Frame`] that wraps them into a file; returns [`Output`]s with their [`Part`]
//! records. A year whose rows pass the limit is cut into numbered parts
//! (`nhiem-vu-2024-phan-1.csv`, `…-phan-2.csv`); a year that fits keeps the plain name
//! (`nhiem-vu-2024.csv`). Rows of unknown year go to `…-khong-ro-nam.…`.

use std::collections::BTreeMap;
use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;

use crate::write::Output;

/// Rows by year (`None`: the document has no year), in the order they are written.
pub type ByYear = BTreeMap<Option<i16>, Vec<Vec<u8>>>;

/// How rows become a file: what comes before, between and after them.
pub struct Frame<'a> {
    /// Header of a file: `(year, part, parts)`; `part` is 1-based; the whole file (the gzip)
    /// gets `(None, 0, 0)`.
    pub head: &'a (dyn Fn(Option<i16>, usize, usize) -> Vec<u8> + Sync),
    pub sep: &'static [u8],
    pub tail: &'static [u8],
}

/// One published file as `du-lieu/index.json` lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    /// Path from the site root, e.g. `du-lieu/nhiem-vu-2024.csv`.
    pub path: String,
    /// `csv`, `json`, `ics`, `xlsx`, or `gz` for the whole set.
    pub format: &'static str,
    /// What it holds: `nhiem-vu`, `van-ban`, `lich`.
    pub set: &'static str,
    pub year: Option<i16>,
    /// 1-based part of its year, and how many parts the year has.
    pub part: usize,
    pub parts: usize,
    /// Data rows (tasks, documents, events), headers not counted.
    pub rows: usize,
    pub bytes: usize,
    /// CRC-32 (the checksum gzip and zip use) of the file, 8 hex digits.
    pub crc32: String,
    /// The unit whose page offers the file (`don-vi/<slug>/…`); none for the site's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// The set of a unit's (and the site's) files of current tasks, CSV and XLSX: what the
/// writer records and what the unit page picks out of the records to link.
pub const CURRENT_TASKS: &str = "nhiem-vu-hien-hanh";

/// `phần 2/3` for part `part` of a file cut into `parts`; `None` for a file in one piece.
pub fn part_label(part: usize, parts: usize) -> Option<String> {
    (parts > 1).then(|| format!("phần {part}/{parts}"))
}

/// `YYYY` or `khong-ro-nam` in file names.
pub fn year_slug(year: Option<i16>) -> String {
    year.map_or_else(|| "khong-ro-nam".to_string(), |y| y.to_string())
}

/// Cuts `rows` into runs whose framed size stays within `limit` (a run holds at least one
/// row, so a single oversized row still gets a file). Returns the run lengths.
pub fn cut(rows: &[Vec<u8>], frame_len: usize, sep: usize, limit: usize) -> Vec<usize> {
    cut_lens(rows.iter().map(Vec::len), frame_len, sep, limit)
}

/// [`cut`] over the rows' lengths alone, for rows not yet written (calendar events are
/// measured first and written file by file).
pub fn cut_lens(
    lens: impl Iterator<Item = usize>,
    frame_len: usize,
    sep: usize,
    limit: usize,
) -> Vec<usize> {
    let mut runs = Vec::new();
    let (mut n, mut size) = (0usize, frame_len);
    for len in lens {
        let add = len + if n > 0 { sep } else { 0 };
        if n > 0 && size + add > limit {
            runs.push(n);
            n = 0;
            size = frame_len;
        }
        size += len + if n > 0 { sep } else { 0 };
        n += 1;
    }
    if n > 0 || runs.is_empty() {
        runs.push(n);
    }
    runs
}

fn frame(frame: &Frame, year: Option<i16>, part: usize, parts: usize, rows: &[Vec<u8>]) -> Vec<u8> {
    let head = (frame.head)(year, part, parts);
    let len = head.len()
        + frame.tail.len()
        + rows
            .iter()
            .map(|r| r.len() + frame.sep.len())
            .sum::<usize>();
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(&head);
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(frame.sep);
        }
        out.extend_from_slice(r);
    }
    out.extend_from_slice(frame.tail);
    out
}

/// Where each file of a year set goes: `(path, year, part, parts, rows range)`.
pub struct Planned {
    pub path: String,
    pub year: Option<i16>,
    pub part: usize,
    pub parts: usize,
    pub range: std::ops::Range<usize>,
}

/// The files `{stem}-{year}[-phan-{k}].{ext}` that [`year_files`] writes, without writing them.
pub fn plan(stem: &str, ext: &str, rows: &ByYear, frame_def: &Frame, limit: usize) -> Vec<Planned> {
    let lens: BTreeMap<Option<i16>, Vec<usize>> = rows
        .iter()
        .map(|(&y, list)| (y, list.iter().map(Vec::len).collect()))
        .collect();
    plan_lens(stem, ext, &lens, frame_def, limit)
}

/// [`plan`] from the rows' lengths by year (in the order they are written), so rows can be
/// written only when their file is.
pub fn plan_lens(
    stem: &str,
    ext: &str,
    lens: &BTreeMap<Option<i16>, Vec<usize>>,
    frame_def: &Frame,
    limit: usize,
) -> Vec<Planned> {
    let mut out = Vec::new();
    for (&year, list) in lens {
        // The head's size barely depends on the part number; a few bytes of slack cover it.
        let frame_len = (frame_def.head)(year, 99, 99).len() + frame_def.tail.len() + 16;
        let runs = cut_lens(list.iter().copied(), frame_len, frame_def.sep.len(), limit);
        let parts = runs.len();
        let mut start = 0;
        for (k, n) in runs.into_iter().enumerate() {
            let path = if parts == 1 {
                format!("{stem}-{}.{ext}", year_slug(year))
            } else {
                format!("{stem}-{}-phan-{}.{ext}", year_slug(year), k + 1)
            };
            out.push(Planned {
                path,
                year,
                part: k + 1,
                parts,
                range: start..start + n,
            });
            start += n;
        }
    }
    out
}

/// Every year of `rows` as files `{stem}-{year}[-phan-{k}].{ext}`, each at most `limit` bytes
/// (unless one row alone is bigger), with their index records.
pub fn year_files(
    stem: &str,
    set: &'static str,
    ext: &'static str,
    rows: &ByYear,
    frame_def: &Frame,
    limit: usize,
) -> Vec<(Output, Part)> {
    plan(stem, ext, rows, frame_def, limit)
        .into_par_iter()
        .map(|p| planned_file(p, set, ext, rows, frame_def))
        .collect()
}

/// [`year_files`], handing each file to `sink` as soon as it is framed (so a set's files are
/// never all in memory at once); returns the records in the same order.
pub fn year_files_into(
    stem: &str,
    set: &'static str,
    ext: &'static str,
    rows: &ByYear,
    frame_def: &Frame,
    limit: usize,
    sink: &(dyn Fn(Output) + Sync),
) -> Vec<Part> {
    plan(stem, ext, rows, frame_def, limit)
        .into_par_iter()
        .map(|p| {
            let (out, record) = planned_file(p, set, ext, rows, frame_def);
            sink(out);
            record
        })
        .collect()
}

/// One planned file, framed, with its record.
fn planned_file(
    p: Planned,
    set: &'static str,
    ext: &'static str,
    rows: &ByYear,
    frame_def: &Frame,
) -> (Output, Part) {
    let slice = rows.get(&p.year).map_or(&[][..], |r| &r[p.range.clone()]);
    framed_part(p, set, ext, slice, frame_def)
}

/// Planned file `p` holding `slice` (its rows), framed, with its record.
fn framed_part(
    p: Planned,
    set: &'static str,
    ext: &'static str,
    slice: &[Vec<u8>],
    frame_def: &Frame,
) -> (Output, Part) {
    let bytes = frame(frame_def, p.year, p.part, p.parts, slice);
    let record = Part {
        path: p.path.clone(),
        format: ext,
        set,
        year: p.year,
        part: p.part,
        parts: p.parts,
        rows: slice.len(),
        bytes: bytes.len(),
        crc32: crc32_hex(&bytes),
        unit: None,
    };
    (
        Output {
            path: p.path,
            bytes,
        },
        record,
    )
}

/// What [`stream_year_files`] writes: the parts' names and framing, and the gzip of the whole.
pub struct SetFiles<'a> {
    pub stem: &'a str,
    pub set: &'static str,
    pub ext: &'static str,
    pub frame: &'a Frame<'a>,
    pub limit: usize,
    /// Path of the gzip of the whole set, if one is published.
    pub gz: Option<&'a str>,
}

/// Most rows of one year made and held at once. A 100,000-document portal's year (~170,000
/// tasks, ~100 MB of CSV) is held: made once, 3 s less CPU than measuring it first, for a
/// transient ~200 MB still well under the search index's peak. A larger year is measured
/// first (each row made and dropped), then made again a part at a time, so memory stays
/// bounded however large a portal grows.
pub const HELD_ROWS: usize = 262_144;

/// The files of one set made a year at a time: `years` lists the ids of each year's rows (in
/// year order) and `row` makes one; they are cut into parts handed to `sink`, fed to the gzip
/// of the whole, and dropped before the next year is made. Memory is bounded by
/// [`HELD_ROWS`] rows (or one part of a larger year), not the set. Same bytes as
/// [`year_files`] and [`gzip_whole`] over all the years.
pub fn stream_year_files(
    spec: &SetFiles,
    years: &BTreeMap<Option<i16>, Vec<usize>>,
    row: &(dyn Fn(usize) -> Vec<u8> + Sync),
    sink: &(dyn Fn(Output) + Sync),
) -> Vec<Part> {
    let mut records = Vec::new();
    let mut gz = spec.gz.map(|_| GzWhole::new(spec.frame));
    let make = |ids: &[usize]| -> Vec<Vec<u8>> { ids.par_iter().map(|&i| row(i)).collect() };
    for (&year, ids) in years {
        if ids.len() <= HELD_ROWS {
            let mut one = ByYear::new();
            one.insert(year, make(ids));
            records.extend(year_files_into(
                spec.stem, spec.set, spec.ext, &one, spec.frame, spec.limit, sink,
            ));
            if let Some(gz) = gz.as_mut() {
                one.values().flatten().for_each(|r| gz.push(r));
            }
            continue;
        }
        let mut lens = BTreeMap::new();
        lens.insert(year, ids.par_iter().map(|&i| row(i).len()).collect());
        for p in plan_lens(spec.stem, spec.ext, &lens, spec.frame, spec.limit) {
            let rows = make(&ids[p.range.clone()]);
            let (out, rec) = framed_part(p, spec.set, spec.ext, &rows, spec.frame);
            sink(out);
            records.push(rec);
            if let Some(gz) = gz.as_mut() {
                rows.iter().for_each(|r| gz.push(r));
            }
        }
    }
    if let (Some(gz), Some(path)) = (gz, spec.gz) {
        let (out, rec) = gz.finish(path, spec.set);
        sink(out);
        records.push(rec);
    }
    records
}

/// Bytes of uncompressed text per gzip member.
const GZ_CHUNK: usize = 4 << 20;
/// Full chunks held before they are compressed together (in parallel).
const GZ_PENDING: usize = 4;

/// The gzip of a whole set, fed row by row: every ~4 MB of framed text becomes one gzip
/// member (RFC 1952 §2.2: a gzip file is a series of members; `gunzip`, Python's `gzip` and
/// zlib readers join them), compressed a few at a time in parallel, so only the compressed
/// bytes and a few chunks are ever held.
pub struct GzWhole<'a> {
    frame: &'a Frame<'a>,
    cur: Vec<u8>,
    first: bool,
    rows: usize,
    full: Vec<Vec<u8>>,
    out: Vec<u8>,
}

impl<'a> GzWhole<'a> {
    pub fn new(frame: &'a Frame<'a>) -> Self {
        GzWhole {
            frame,
            cur: (frame.head)(None, 0, 0),
            first: true,
            rows: 0,
            full: Vec::new(),
            out: Vec::new(),
        }
    }

    /// Adds one row (after the separator, unless it is the first).
    pub fn push(&mut self, row: &[u8]) {
        if !self.first {
            self.cur.extend_from_slice(self.frame.sep);
        }
        self.first = false;
        self.cur.extend_from_slice(row);
        self.rows += 1;
        if self.cur.len() >= GZ_CHUNK {
            self.full.push(std::mem::take(&mut self.cur));
            if self.full.len() >= GZ_PENDING {
                self.compress();
            }
        }
    }

    fn compress(&mut self) {
        let members: Vec<Vec<u8>> = self
            .full
            .par_iter()
            .map(|c| gzip_at(c, WHOLE_LEVEL))
            .collect();
        for m in members {
            self.out.extend_from_slice(&m);
        }
        self.full.clear();
    }

    /// The tail, the last member, and the file with its record.
    pub fn finish(mut self, path: &str, set: &'static str) -> (Output, Part) {
        self.cur.extend_from_slice(self.frame.tail);
        self.full.push(std::mem::take(&mut self.cur));
        self.compress();
        let bytes = self.out;
        let record = Part {
            path: path.to_string(),
            format: "gz",
            set,
            year: None,
            part: 1,
            parts: 1,
            rows: self.rows,
            bytes: bytes.len(),
            crc32: crc32_hex(&bytes),
            unit: None,
        };
        (
            Output {
                path: path.to_string(),
                bytes,
            },
            record,
        )
    }
}

/// All rows, every year in order, as one framed file compressed with gzip (see [`GzWhole`]).
/// No file name and a zero time in the headers, so the bytes depend only on the rows.
pub fn gzip_whole(
    path: &str,
    set: &'static str,
    rows: &ByYear,
    frame_def: &Frame,
) -> (Output, Part) {
    let mut gz = GzWhole::new(frame_def);
    for r in rows.values().flatten() {
        gz.push(r);
    }
    gz.finish(path, set)
}

/// Compression level of the gzips of whole sets. Measured on the 10,000-document corpus's
/// 86.5 MB task CSV (zlib-rs): level 6 takes 0.49 s for 8.06 MB, level 5 0.37 s for 8.18 MB
/// (+1.5%), level 4 0.32 s for 8.74 MB (+8.5%).
const WHOLE_LEVEL: u32 = 5;

/// One gzip member of `data` (level 6, no name, mtime 0).
pub fn gzip(data: &[u8]) -> Vec<u8> {
    gzip_at(data, 6)
}

/// One gzip member of `data` at compression `level`, no name, mtime 0.
fn gzip_at(data: &[u8], level: u32) -> Vec<u8> {
    let mut enc = flate2::GzBuilder::new().mtime(0).write(
        Vec::with_capacity(data.len() / 5 + 64),
        flate2::Compression::new(level),
    );
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

/// A record for a file made elsewhere (a workbook, a calendar).
pub fn record(
    out: &Output,
    set: &'static str,
    format: &'static str,
    year: Option<i16>,
    rows: usize,
) -> Part {
    Part {
        path: out.path.clone(),
        format,
        set,
        year,
        part: 1,
        parts: 1,
        rows,
        bytes: out.bytes.len(),
        crc32: crc32_hex(&out.bytes),
        unit: None,
    }
}

pub fn crc32_hex(bytes: &[u8]) -> String {
    format!("{:08x}", crc32fast::hash(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: usize, len: usize) -> Vec<Vec<u8>> {
        (0..n).map(|_| vec![b'x'; len]).collect()
    }

    #[test]
    fn cut_respects_the_limit() {
        // frame 10, rows of 10 with 1-byte separators: 10 + 10 + 11·(k-1) ≤ 50 → 3 rows a part.
        assert_eq!(cut(&rows(10, 10), 10, 1, 50), vec![3, 3, 3, 1]);
        assert_eq!(cut(&rows(0, 10), 10, 1, 50), vec![0]);
        // An oversized row still gets its own part.
        assert_eq!(cut(&rows(2, 100), 10, 1, 50), vec![1, 1]);
    }

    /// A frame whose head names its year and part: `[Some(2024) 1/3]`.
    fn test_frame() -> Frame<'static> {
        fn head(y: Option<i16>, p: usize, n: usize) -> Vec<u8> {
            format!("[{y:?} {p}/{n}]").into_bytes()
        }
        Frame {
            head: &head,
            sep: b",",
            tail: b"]",
        }
    }

    #[test]
    fn parts_and_gzip_hold_the_same_rows() {
        let f = test_frame();
        let mut by: ByYear = BTreeMap::new();
        by.insert(
            Some(2024),
            (0..50).map(|i| format!("r{i:02}").into_bytes()).collect(),
        );
        by.insert(None, vec![b"u".to_vec()]);
        let files = year_files("d/x", "x", "txt", &by, &f, 60);
        assert!(files
            .iter()
            .all(|(o, p)| o.bytes.len() <= 60 && p.bytes == o.bytes.len()));
        assert_eq!(files[0].0.path, "d/x-khong-ro-nam.txt");
        assert!(files[1].0.path.starts_with("d/x-2024-phan-1"));
        assert_eq!(files.iter().map(|f| f.1.rows).sum::<usize>(), 51);
        let (gz, rec) = gzip_whole("d/x.gz", "x", &by, &f);
        assert_eq!(rec.rows, 51);
        let mut text = String::new();
        use std::io::Read;
        flate2::read::MultiGzDecoder::new(&gz.bytes[..])
            .read_to_string(&mut text)
            .unwrap();
        assert!(text.starts_with("[None 0/0]u,r00,r01"));
        assert!(text.ends_with("r49]"));
    }

    /// A year over [`HELD_ROWS`] is measured, then made a part at a time: the same files,
    /// records and gzip as a year held whole.
    #[test]
    fn measured_years_match_held_years() {
        let f = test_frame();
        let n = HELD_ROWS + 500;
        // Rows of varying length, so the cut falls at different places.
        let row = |i: usize| format!("r{i}{}", "x".repeat(i % 37)).into_bytes();
        let mut years: BTreeMap<Option<i16>, Vec<usize>> = BTreeMap::new();
        years.insert(Some(2023), (0..n).collect());
        years.insert(Some(2024), (n..n + 40).collect());
        let spec = SetFiles {
            stem: "d/x",
            set: "x",
            ext: "txt",
            frame: &f,
            limit: 20_000,
            gz: Some("d/x.gz"),
        };
        let out = std::sync::Mutex::new(Vec::new());
        let recs = stream_year_files(&spec, &years, &row, &|o| out.lock().unwrap().push(o));
        let mut got = out.into_inner().unwrap();
        got.sort_by(|a, b| a.path.cmp(&b.path));
        let by: ByYear = years
            .iter()
            .map(|(&y, ids)| (y, ids.iter().map(|&i| row(i)).collect()))
            .collect();
        let mut want: Vec<(Output, Part)> = year_files("d/x", "x", "txt", &by, &f, 20_000);
        want.push(gzip_whole("d/x.gz", "x", &by, &f));
        assert!(want.len() > 10, "the big year is cut into parts");
        assert_eq!(recs.len(), want.len());
        for (r, (_, w)) in recs.iter().zip(&want) {
            assert_eq!(
                (&r.path, r.rows, r.bytes, &r.crc32),
                (&w.path, w.rows, w.bytes, &w.crc32)
            );
        }
        want.sort_by(|a, b| a.0.path.cmp(&b.0.path));
        for (g, (w, _)) in got.iter().zip(&want) {
            assert_eq!((&g.path, &g.bytes), (&w.path, &w.bytes));
        }
    }
}
