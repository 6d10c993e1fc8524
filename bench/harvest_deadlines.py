#!/usr/bin/env python3
"""Harvests deadline expressions from the real documents in ../shared/realdocs/.

Takes the crawler's text files (tables flattened to one cell per line, cells separated by a line
holding only `|`, rows by two such lines); prints one TSV line per expression: document id, where
it came from (`col` = a cell of a table column headed "Thời gian…"/"Thời hạn…"/"Tiến độ…" in a
task table, `label` = the value after a "Thời gian …:" / "Thời hạn …:" label), the text with its
line wraps joined. Procedure tables ("Trình tự", "Thời hạn giải quyết": processing times of an
administrative procedure) are not plans' deadlines and are skipped. Usage:
    python3 bench/harvest_deadlines.py ../shared/realdocs > harvested.tsv
"""
import re
import sys
import unicodedata
from pathlib import Path

HEADER_CELL = re.compile(r"^(thời gian|thời hạn|tiến độ)( thực hiện| hoàn thành)?$", re.I)
TASKISH = re.compile(r"chủ trì|nhiệm vụ|nội dung|cơ quan|đơn vị thực hiện|phối hợp", re.I)
PROCEDURE = re.compile(r"trình tự|thứ tự công việc|bước|giải quyết|ngày làm việc\)|tính mỗi ngày|biểu mẫu", re.I)
LABEL = re.compile(
    r"(?:Thời gian|Thời hạn)(?: (?:hoàn thành|thực hiện|triển khai|báo cáo|gửi|nộp))?\s*:\s*([^\n]+)"
)
# Deadline wordings in running text: where a plan says when, not just what.
PROSE = re.compile(
    r"(?:(?:hoàn thành|chậm nhất|trước ngày|định kỳ|hằng năm|hàng năm|giai đoạn 20|"
    r"thực hiện từ|từ năm 20|trước Tết|tầm nhìn đến)[^\n]*)",
    re.I,
)
DATEISH = re.compile(r"\d{1,2}/\d{1,2}|20\d\d|quý|hằng|hàng (?:năm|quý|tháng)|định kỳ|thường xuyên|"
                     r"ngày làm việc|Tết", re.I)


def clean(s):
    s = unicodedata.normalize("NFC", s)
    s = s.replace("*", " ").replace("_", " ")
    return re.sub(r"\s+", " ", s).strip(" -+.")


def segments(lines):
    """The text between `|` lines, each with whether a row break (two bars) came before it."""
    out, cur, bars = [], [], 0
    for line in lines:
        if line.strip() == "|":
            if cur:
                out.append((bars, clean(" ".join(cur))))
                cur, bars = [], 0
            bars += 1
            continue
        cur.append(line)
    if cur:
        out.append((bars, clean(" ".join(cur))))
    return out


def table_cells(lines):
    """Cells of every column headed "Thời gian/Thời hạn/Tiến độ [thực hiện|hoàn thành]" in a
    task table (one with a "Nội dung"/"Nhiệm vụ" column and no "Trình tự" column)."""
    segs = segments(lines)
    out = []
    for h, (_, text) in enumerate(segs):
        if not HEADER_CELL.match(text):
            continue
        # The header row runs back to the segment after a row break (or the table start).
        start = h
        while start > 0 and segs[start][0] < 2 and segs[start - 1][0] >= 1 and h - start < 12:
            start -= 1
        end = h + 1
        while end < len(segs) and segs[end][0] == 1:
            end += 1
        header = [t for _, t in segs[start:end]]
        if not any(TASKISH.search(t) for t in header) or any(PROCEDURE.search(t) for t in header):
            continue
        col, width = h - start, end - start
        k = end
        while k < len(segs):
            row_end = k + 1
            while row_end < len(segs) and segs[row_end][0] == 1:
                row_end += 1
            row = [t for _, t in segs[k:row_end]]
            if len(row) >= width - 1:
                cell = row[col] if len(row) >= width else row[col - 1]
                if cell and len(cell) < 300:
                    out.append(("col", cell))
            elif len(row) > 2:
                break
            k = row_end
    return out


def harvest(path):
    lines = path.read_text(encoding="utf-8").split("\n")[1:]
    out = table_cells(lines)
    text = paragraphs(lines)
    for m in LABEL.finditer(text):
        out.append(("label", phrase(m.group(1))))
    for m in PROSE.finditer(text):
        out.append(("prose", phrase(m.group(0))))
    return [(src, t) for src, t in out if t and DATEISH.search(t)]


def paragraphs(lines):
    """The text with wrapped lines joined; blank lines and table bars end a paragraph."""
    out, cur = [], []
    for line in lines + [""]:
        if not line.strip() or line.strip() == "|":
            if cur:
                out.append(clean(" ".join(cur)))
                cur = []
            continue
        cur.append(line)
    return "\n".join(out)


def phrase(s):
    """A deadline phrase ends at a sentence or clause end, or after 160 characters."""
    s = re.split(r"(?<!\d)[.;](?!\d)|\n", s, maxsplit=1)[0]
    return s.strip(" ,:")[:160]


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/realdocs")
    seen = set()
    for path in sorted(root.glob("*.txt")):
        for source, text in harvest(path):
            if (source, text) in seen:
                continue
            seen.add((source, text))
            print(f"{path.stem}\t{source}\t{text}")


if __name__ == "__main__":
    main()
