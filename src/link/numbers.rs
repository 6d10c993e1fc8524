//! Document numbers (số hiệu): takes a written number or running text, returns lookup keys and
//! the byte ranges of every number mentioned, with the date written after it.
//!
//! A number is digits, an optional "/year", then codes joined by "/" or "-": a type (KH, TB,
//! QĐ, NQ, …) and an issuer (UBND, HĐND, TTg, CP, TW, …), in either order ("272/KH-UBND",
//! "19-NQ/TW", "1690/UBND-HCC"). The separators stay in the key because "19/NQ-HĐND" (a
//! provincial council resolution) and "19-NQ/TW" (a Party resolution) are different documents.
//! Scans lose "Đ" in several ways ("HDND", "HPND", "Qb", "NB"); keys repair the ones that turn
//! a known code into an unknown one, so a scan still links to the clean original.

use jiff::civil::Date;

use crate::text::fold;

/// One document number found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberMention {
    /// Byte offset of the number's first character in the input.
    pub start: usize,
    /// Byte offset just past the number (the "ngày …" after it is not included).
    pub end: usize,
    /// The number as written, `input[start..end]`.
    pub raw: String,
    /// Lookup key, as [`number_key`] gives it.
    pub key: String,
    /// The issue date written right after it ("ngày 16/6/2023"), if any.
    pub date: Option<Date>,
}

/// Normalises a written number to its lookup key, or `None` if it is not a document number.
///
/// "272/KH-UBND" → "272/kh-ubnd"; "19/NQ-HĐND" and OCR "19/NQ-HDND" → "19/nq-hdnd";
/// "61/2018/NĐ-CP" → "61/2018/nd-cp"; "19-NQ/TW" → "19-nq/tw"; spaces around separators are
/// ignored ("272 / KH - UBND"), a leading "số"/"Số:" is accepted, leading zeros of the number
/// are dropped ("02/CT-UBND" = "2/CT-UBND"), letter case is not checked.
pub fn number_key(written: &str) -> Option<String> {
    let trimmed = strip_so(written.trim()).trim_end_matches(['.', ',', ';', ')', ' ']);
    let parsed = parse_number(trimmed, 0, false)?;
    (parsed.end == trimmed.len()).then_some(parsed.key)
}

/// Finds every document number in a text, in order, with the date written after it. Dates
/// ("16/6/2023"), fractions, "50tr/huyện", section numbers ("1.2") and percentages are not
/// numbers: a number needs a code that starts with a capital letter, and two codes or a year.
pub fn find_numbers(text: &str) -> Vec<NumberMention> {
    let mut found = Vec::new();
    let mut pos = 0;
    // A number starts with an ASCII digit, and an ASCII byte is always a char boundary, so the
    // scan jumps from digit to digit instead of decoding every character of the body.
    while let Some(off) = text
        .as_bytes()
        .get(pos..)
        .and_then(|r| r.iter().position(u8::is_ascii_digit))
    {
        let at = pos + off;
        let prev = text.get(..at).and_then(|h| h.chars().next_back());
        if prev.is_none_or(|p| !continues_token(p)) {
            if let Some(parsed) = parse_number(text, at, true) {
                let raw = text.get(at..parsed.end).unwrap_or_default().to_string();
                found.push(NumberMention {
                    start: at,
                    end: parsed.end,
                    raw,
                    key: parsed.key,
                    date: date_after(text, parsed.end),
                });
                pos = parsed.end;
                continue;
            }
        }
        pos = at + 1;
    }
    found
}

/// Characters after which a digit continues a token instead of starting a number
/// ("A12", "16/6/2023", "1.2", "x-19").
fn continues_token(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '/' | '-' | '.' | ',' | '_')
}

/// Removes a leading "số" / "Số:" (and OCR "so", "s6") from a written number.
fn strip_so(s: &str) -> &str {
    let Some((first, rest)) = s.split_once(|c: char| c.is_whitespace() || c == ':') else {
        return s;
    };
    let word = fold(first);
    if matches!(word.as_str(), "so" | "s6" | "se" | "s0" | "sb") {
        rest.trim_start_matches([' ', ':', '\t'])
    } else {
        s
    }
}

/// A number parsed at some offset: where it ends and its key.
struct Parsed {
    end: usize,
    key: String,
}

/// Most codes after the number ("12/2019/TTLT-BNV-BTC-BTP" has four).
const MAX_CODES: usize = 5;

/// Parses a number starting at byte `start` of `s`. `strict` (running text) wants codes in
/// capitals; otherwise ("number:" in front matter) any case is fine.
fn parse_number(s: &str, start: usize, strict: bool) -> Option<Parsed> {
    let mut cur = Cursor { s, pos: start };
    let digits = cur.take_while(6, |c| c.is_ascii_digit())?;
    if cur.peek().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut key = trim_zeros(digits);
    let mut sep = cur.separator(true)?;
    if sep == '/' {
        if let Some(year) = cur.year() {
            key.push('/');
            key.push_str(year);
            sep = cur.separator(true).filter(|c| *c == '/')?;
        }
    }
    let has_year = key.contains('/');
    let mut codes = 0;
    loop {
        let code = cur.code(strict)?;
        key.push(sep);
        key.push_str(&repair_code(&code));
        codes += 1;
        if codes >= MAX_CODES {
            break;
        }
        // Spaces are tolerated around the first joins only: "272/KH- UBND" is a scan slip,
        // but in "19/NQ-HĐND - UBND tỉnh" the " - UBND" is prose.
        let mark = cur.pos;
        match cur.separator(codes < 2) {
            Some(next) if cur.peek_code(strict) => sep = next,
            _ => {
                cur.pos = mark;
                break;
            }
        }
    }
    (codes >= 2 || has_year).then_some(Parsed { end: cur.pos, key })
}

/// "02" → "2"; "0" stays "0".
fn trim_zeros(digits: &str) -> String {
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Codes that appear in numbers (folded), so OCR slips of "Đ" can be recognised.
const KNOWN_CODES: &[&str] = &[
    "kh", "tb", "qd", "nq", "ct", "bc", "nd", "tt", "cv", "kl", "hd", "ttlt", "tr", "bb", "gm",
    "qc", "qh", "cd", "ubnd", "hdnd", "ttg", "cp", "tw", "tu", "bnv", "vpcp", "bcd", "btc", "btp",
    "bkhdt", "bct", "btttt", "bgddt", "byt", "bldtbxh", "bnnptnt", "btnmt", "bxd", "bgtvt", "bqp",
    "bca", "snv", "stp", "stc", "stttt", "skhdt", "vpub", "hcc", "hu", "tanc", "vksnd",
];

/// Repairs a folded code whose "Đ" a scan read as "P", "B" or "DP" ("hpnd" → "hdnd",
/// "qb" → "qd", "nb" → "nd", "hdpnd" → "hdnd"), only when that turns an unknown code into a
/// known one.
fn repair_code(code: &str) -> String {
    if KNOWN_CODES.contains(&code) {
        return code.to_string();
    }
    let mut candidates = vec![code.replace("dp", "d")];
    for (i, c) in code.char_indices() {
        if c == 'p' || c == 'b' {
            let mut fixed = code.to_string();
            fixed.replace_range(i..i + 1, "d");
            candidates.push(fixed);
        }
    }
    candidates
        .into_iter()
        .find(|c| KNOWN_CODES.contains(&c.as_str()))
        .unwrap_or_else(|| code.to_string())
}

/// A position in the text being parsed; always on a char boundary.
struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.pos..)?.chars().next()
    }

    fn bump(&mut self, c: char) {
        self.pos += c.len_utf8();
    }

    /// Takes 1..=`max` chars satisfying `f`.
    fn take_while(&mut self, max: usize, f: impl Fn(char) -> bool) -> Option<&'a str> {
        let start = self.pos;
        let mut n = 0;
        while let Some(c) = self.peek().filter(|c| n < max && f(*c)) {
            self.bump(c);
            n += 1;
        }
        (n > 0).then(|| self.s.get(start..self.pos)).flatten()
    }

    /// Skips at most three spaces or tabs and one line break.
    fn skip_space(&mut self) {
        let mut spaces = 0;
        let mut breaks = 0;
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' if spaces < 3 => spaces += 1,
                '\r' => {}
                '\n' if breaks < 1 => breaks += 1,
                _ => break,
            }
            self.bump(c);
        }
    }

    /// A "/" or "-" (also "–"), with spaces around it when `spaced`.
    fn separator(&mut self, spaced: bool) -> Option<char> {
        if spaced {
            self.skip_space();
        }
        let c = self.peek()?;
        let sep = match c {
            '/' => '/',
            '-' | '–' => '-',
            _ => return None,
        };
        self.bump(c);
        if spaced {
            self.skip_space();
        }
        Some(sep)
    }

    /// A year 1900..=2099 followed by a separator, e.g. the "2018" of "61/2018/NĐ-CP".
    fn year(&mut self) -> Option<&'a str> {
        let mark = self.pos;
        let year = self.take_while(4, |c| c.is_ascii_digit());
        let ok = year.is_some_and(|y| y.len() == 4 && (y.starts_with("19") || y.starts_with("20")));
        let mut probe = Cursor {
            s: self.s,
            pos: self.pos,
        };
        if ok && probe.separator(true) == Some('/') {
            return year;
        }
        self.pos = mark;
        None
    }

    /// True when a code starts here (after optional spaces), without moving.
    fn peek_code(&self, strict: bool) -> bool {
        let mut probe = Cursor {
            s: self.s,
            pos: self.pos,
        };
        probe.code(strict).is_some()
    }

    /// A code: a letter, then letters and digits, 1..=10 chars, folded to lower-case ASCII.
    /// Strict codes are capitals and digits with at most one trailing small letter ("TTg",
    /// OCR "Qb"), which keeps words such as "Nghị" out. A code may not run into further
    /// letters ("HĐNDtỉnh" is no code).
    fn code(&mut self, strict: bool) -> Option<String> {
        let start = self.pos;
        let first = self.peek()?;
        if !is_code_letter(first) {
            return None;
        }
        let raw = self.take_while(10, |c| is_code_letter(c) || c.is_ascii_digit())?;
        if self.peek().is_some_and(char::is_alphanumeric) || (strict && !strict_shape(raw)) {
            self.pos = start;
            return None;
        }
        Some(fold(raw).replace(' ', ""))
    }
}

/// Letters that may appear in a code: ASCII letters and Đ/đ.
fn is_code_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || c == 'Đ' || c == 'đ'
}

/// Capitals and digits, starting with a capital, with at most one small letter at the end.
fn strict_shape(raw: &str) -> bool {
    let body = match raw.char_indices().last() {
        Some((i, c)) if c.is_ascii_lowercase() && i > 0 => raw.get(..i).unwrap_or(""),
        _ => raw,
    };
    body.chars()
        .next()
        .is_some_and(|c| c.is_ascii_uppercase() || c == 'Đ')
        && body
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == 'Đ')
}

/// The date written right after a number: "ngày 16/6/2023", "ngày 07 tháng 10 năm 2022",
/// OCR "ngay", "ngdy", a repeated "ngày ngày", optionally after a comma.
fn date_after(text: &str, end: usize) -> Option<Date> {
    let mut cur = Cursor { s: text, pos: end };
    cur.skip_space();
    if cur.peek() == Some(',') {
        cur.bump(',');
        cur.skip_space();
    }
    let mut saw_ngay = false;
    for _ in 0..2 {
        let mark = cur.pos;
        match cur.take_while(5, char::is_alphabetic).map(fold) {
            Some(w) if w.len() == 4 && w.starts_with("ng") && w.ends_with('y') => {
                saw_ngay = true;
                cur.skip_space();
            }
            _ => {
                cur.pos = mark;
                break;
            }
        }
    }
    if !saw_ngay {
        return None;
    }
    let day = number(&mut cur, 2)?;
    let month = if cur.peek().is_some_and(|c| matches!(c, '/' | '-' | '.')) {
        cur.pos += 1;
        let m = number(&mut cur, 2)?;
        let sep = cur.peek().filter(|c| matches!(c, '/' | '-' | '.'))?;
        cur.bump(sep);
        m
    } else {
        cur.skip_space();
        word_starting(&mut cur, "th")?;
        let m = number(&mut cur, 2)?;
        cur.skip_space();
        word_starting(&mut cur, "n")?;
        m
    };
    let year = number(&mut cur, 4).filter(|y| *y >= 1900)?;
    if cur.peek().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

/// 1..=`max` ASCII digits as a number.
fn number(cur: &mut Cursor<'_>, max: usize) -> Option<u32> {
    cur.take_while(max, |c| c.is_ascii_digit())?.parse().ok()
}

/// A word of 2..=5 letters whose folded form starts with `prefix` ("tháng", OCR "thdng";
/// "năm", OCR "ndm"), then spaces.
fn word_starting(cur: &mut Cursor<'_>, prefix: &str) -> Option<()> {
    let word = fold(cur.take_while(5, char::is_alphabetic)?);
    cur.skip_space();
    (word.len() >= 2 && word.starts_with(prefix)).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written numbers and their keys; most are from the seeds, OCR slips included.
    const KEYS: &[(&str, Option<&str>)] = &[
        ("272/KH-UBND", Some("272/kh-ubnd")),
        ("Số: 272/KH-UBND", Some("272/kh-ubnd")),
        ("số 272/KH-UBND", Some("272/kh-ubnd")),
        ("272 / KH - UBND", Some("272/kh-ubnd")),
        ("272/KH- UBND", Some("272/kh-ubnd")),
        ("272/kh-ubnd", Some("272/kh-ubnd")),
        ("288 /KH-UBND", Some("288/kh-ubnd")),
        ("19/NQ-HĐND", Some("19/nq-hdnd")),
        ("19/NQ-HDND", Some("19/nq-hdnd")),
        ("19/NQ-HPND", Some("19/nq-hdnd")),
        ("93/NQ-HDPND", Some("93/nq-hdnd")),
        ("19-NQ/TW", Some("19-nq/tw")),
        ("18-NQ/TW", Some("18-nq/tw")),
        ("04-NQ/TU", Some("4-nq/tu")),
        ("61/2018/NĐ-CP", Some("61/2018/nd-cp")),
        ("61/2018/ND-CP", Some("61/2018/nd-cp")),
        ("158/2007/NĐ-CP", Some("158/2007/nd-cp")),
        ("45/2020/ND-CP", Some("45/2020/nd-cp")),
        ("107/2021/NB-CP", Some("107/2021/nd-cp")),
        ("107/2020/NB-CP", Some("107/2020/nd-cp")),
        ("61 / 2018 / NĐ - CP", Some("61/2018/nd-cp")),
        ("1085/QĐ-TTg", Some("1085/qd-ttg")),
        ("1085/QD-TTg", Some("1085/qd-ttg")),
        ("766/QD-TTg", Some("766/qd-ttg")),
        ("1879/Qb-UBND", Some("1879/qd-ubnd")),
        ("27/2020/QP-UBND", Some("27/2020/qd-ubnd")),
        ("48/2021/QD-UBND", Some("48/2021/qd-ubnd")),
        ("275/TB-UBND", Some("275/tb-ubnd")),
        ("373/TB-UBND", Some("373/tb-ubnd")),
        ("02/CT-UBND", Some("2/ct-ubnd")),
        ("31-CT/TU", Some("31-ct/tu")),
        ("5125-CV/TU", Some("5125-cv/tu")),
        ("177-KH/TU", Some("177-kh/tu")),
        ("4444/KL-DCTLN", Some("4444/kl-dctln")),
        ("1690/UBND-HCC", Some("1690/ubnd-hcc")),
        ("3527/STTTT-CNTTVT", Some("3527/stttt-cnttvt")),
        ("01/2023/TT-VPCP", Some("1/2023/tt-vpcp")),
        ("22/2008/QH12", Some("22/2008/qh12")),
        ("12/2019/TTLT-BNV-BTC", Some("12/2019/ttlt-bnv-btc")),
        ("72/KH-UBND.", Some("72/kh-ubnd")),
        ("16/6/2023", None),
        ("1/2", None),
        ("50tr/huyện", None),
        ("05 tr/tháng", None),
        ("1.2", None),
        ("70%", None),
        ("Quý II/2019", None),
        ("Tháng 12/2024", None),
        ("KH-UBND", None),
        ("272/KH", None),
        ("272/KH-UBND ngày 06/12/2018", None),
        ("", None),
        ("số", None),
        ("272/", None),
        ("1234567/KH-UBND", None),
    ];

    #[test]
    fn normalises_numbers() {
        assert!(KEYS.len() >= 40);
        for (written, want) in KEYS {
            assert_eq!(number_key(written).as_deref(), *want, "{written}");
        }
    }

    #[test]
    fn keeps_similar_numbers_apart() {
        assert_ne!(number_key("19/NQ-HĐND"), number_key("19-NQ/TW"));
        assert_ne!(number_key("107/2020/NĐ-CP"), number_key("107/2021/NĐ-CP"));
        assert_ne!(number_key("272/KH-UBND"), number_key("272/TB-UBND"));
    }

    /// Checks that each mention's range holds its raw text and returns (raw, key, date).
    fn mentions(text: &str) -> Vec<(String, String, Option<Date>)> {
        find_numbers(text)
            .into_iter()
            .map(|m| {
                assert_eq!(text.get(m.start..m.end), Some(m.raw.as_str()));
                (m.raw, m.key, m.date)
            })
            .collect()
    }

    fn d(y: i16, m: i8, day: i8) -> Option<Date> {
        Date::new(y, m, day).ok()
    }

    #[test]
    fn finds_numbers_in_vietnamese_text() {
        let text = "Thực hiện Nghị quyết số 19/NQ-HĐND ngày 14/7/2023 của HĐND tỉnh và \
                    Thông báo kết luận số 275/TB-UBND ngày 16/6/2023 của Chủ tịch UBND tỉnh";
        let found = find_numbers(text);
        assert_eq!(found.len(), 2);
        let first = &found[0];
        assert_eq!(first.start, text.find("19/NQ").unwrap_or(0));
        assert_eq!(first.end, first.start + "19/NQ-HĐND".len());
        assert_eq!(first.raw, "19/NQ-HĐND");
        assert_eq!(first.key, "19/nq-hdnd");
        assert_eq!(first.date, d(2023, 7, 14));
        assert_eq!(found[1].raw, "275/TB-UBND");
        assert_eq!(found[1].date, d(2023, 6, 16));
    }

    /// (raw, key, date) of one expected mention.
    type Expected = (&'static str, &'static str, Option<Date>);

    #[test]
    fn finds_numbers_in_seed_sentences() {
        let cases: &[(&str, &[Expected])] = &[
            (
                "tập huấn về thực hiện cơ chế một cửa theo Nghị định số 61/2018/NĐ-CP\tHội nghị tập huấn",
                &[("61/2018/NĐ-CP", "61/2018/nd-cp", None)],
            ),
            (
                "Thuc hién Quyét dinh sé 1879/Qb-UBND ngay 15/12/2023 caa Chu tich",
                &[("1879/Qb-UBND", "1879/qd-ubnd", d(2023, 12, 15))],
            ),
            (
                "Nghi quyét s6 19/NQ-\nHDND va tap trung trién khai",
                &[("19/NQ-\nHDND", "19/nq-hdnd", None)],
            ),
            (
                "theo K& hoach 166-\nKH/TU va Ké hoach 177-KH/TU vé trién khai Nghj quyét s6 18-NQ/TW",
                &[
                    ("166-\nKH/TU", "166-kh/tu", None),
                    ("177-KH/TU", "177-kh/tu", None),
                    ("18-NQ/TW", "18-nq/tw", None),
                ],
            ),
            (
                "S6: 288 /KH-UBND Binh Phudc, ngay 07 thang 10 ndam 2022",
                &[("288 /KH-UBND", "288/kh-ubnd", None)],
            ),
            (
                "Quyet dinh s6 1967/QD-UBND ngay ngay 28 thang 7 ndm 2021 cuia",
                &[("1967/QD-UBND", "1967/qd-ubnd", d(2021, 7, 28))],
            ),
            (
                "Văn bản số 1690/UBND-HCC ngày 06/3/2023; Nghị định 107/2020/NĐ-CP, 108/2020/NĐ-CP.",
                &[
                    ("1690/UBND-HCC", "1690/ubnd-hcc", d(2023, 3, 6)),
                    ("107/2020/NĐ-CP", "107/2020/nd-cp", None),
                    ("108/2020/NĐ-CP", "108/2020/nd-cp", None),
                ],
            ),
            (
                "ban hành Kế hoạch số 72/KH-UBND, ngày 23/3/2023",
                &[("72/KH-UBND", "72/kh-ubnd", d(2023, 3, 23))],
            ),
            (
                "Số 19/NQ-HĐND - UBND tỉnh ban hành",
                &[("19/NQ-HĐND", "19/nq-hdnd", None)],
            ),
            (
                "Quyết định 1085/QĐ-TTg ngày 31/2/2022",
                &[("1085/QĐ-TTg", "1085/qd-ttg", None)],
            ),
        ];
        for (text, want) in cases {
            let got = mentions(text);
            let want: Vec<(String, String, Option<Date>)> = want
                .iter()
                .map(|(r, k, date)| (r.to_string(), k.to_string(), *date))
                .collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn ignores_what_is_not_a_number() {
        for text in [
            "Trước ngày 10/12/2022, Quý I/2019, Tháng 12/2024, 6 tháng đầu năm 2023",
            "Kinh phí 50tr/huyện, 05 tr/tháng, 05tr/kỳ, 70% hồ sơ, mục 1.2, tỷ lệ 1/2",
            "Lãnh đạo cấp phòng (05 người/cơ quan X 20 cơ quan), mức 3, mức 4",
            "ISO 9001:2015, Covid-19, A12/KH-UBND, 16/6/2023/KH",
            "12/Nghị quyết-Tỉnh ủy, 3 - KH",
            "CT, PCT UBND tỉnh; KH/TU",
        ] {
            assert_eq!(mentions(text), vec![], "{text}");
        }
    }

    #[test]
    fn hostile_input_returns() {
        let digits = "1".repeat(100_000);
        assert!(find_numbers(&digits).is_empty());
        let many = "1/KH-UBND 2-NQ/TW ".repeat(5_000);
        assert_eq!(find_numbers(&many).len(), 10_000);
        for s in [
            "1/",
            "1/2019/",
            "1-",
            "1 /\n\n KH",
            "Đ1/Đ-Đ",
            "1/Đ",
            "9/KH-Đ ngày",
            "1/KH-UB ngày 1/",
            "ngày",
        ] {
            let _ = find_numbers(s);
            let _ = number_key(s);
        }
    }
}
