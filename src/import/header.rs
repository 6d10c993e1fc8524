//! Front matter guessed from the document itself: type, number, issuer, date, year, title,
//! signer and the numbers cited in its "Căn cứ" paragraphs, each with how sure the guess is.
//!
//! Takes a [`Doc`]; returns a [`Header`] whose fields carry a [`Sure`] level, plus which blocks
//! it consumed (the header table, the type word and title lines), so the body starts after them.
//! Vietnamese administrative documents follow one layout (Nghị định 30/2020/NĐ-CP, Phụ lục I):
//! issuer left and motto right, number left and "place, ngày … tháng … năm …" right, then the
//! type word in capitals, the title, the "Căn cứ" paragraphs, the body and a signature block.

use super::doc::{plain, Block, Doc};
use crate::model::DocType;
use crate::text::{fold, fold_starts_with};

/// How sure a guess is: `High` = read where the layout puts it; `Medium` = derived (type from
/// the number's code) or found outside the usual place; `Low` = a weak guess worth checking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sure {
    High,
    Medium,
    Low,
}

impl Sure {
    pub fn label(self) -> &'static str {
        match self {
            Sure::High => "chắc chắn",
            Sure::Medium => "khá chắc",
            Sure::Low => "cần xem lại",
        }
    }
}

/// A guessed value and how sure it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Guess<T> {
    pub value: T,
    pub sure: Sure,
}

fn guess<T>(value: T, sure: Sure) -> Option<Guess<T>> {
    Some(Guess { value, sure })
}

/// Everything read from the header and signature block.
#[derive(Debug, Clone, Default)]
pub struct Header {
    pub doc_type: Option<Guess<DocType>>,
    pub number: Option<Guess<String>>,
    pub issuer: Option<Guess<String>>,
    pub date: Option<Guess<jiff::civil::Date>>,
    pub year: Option<Guess<i16>>,
    pub title: Option<Guess<String>>,
    pub signer: Option<Guess<String>>,
    pub refs: Vec<String>,
    /// Blocks that are header, not body (the header table, type word and title paragraphs).
    pub consumed: Vec<usize>,
}

/// Reads the header of `doc`.
pub fn read(doc: &Doc) -> Header {
    let mut h = Header::default();
    let blocks = &doc.blocks;
    let head_table = blocks.iter().take(4).position(|b| match b {
        Block::Table(t) => t.paras().any(|p| is_motto(p)),
        Block::Para(_) => false,
    });
    let mut after = 0;
    if let Some(ti) = head_table {
        h.consumed.push(ti);
        after = ti + 1;
        if let Block::Table(t) = &blocks[ti] {
            let left: Vec<String> = t
                .rows
                .iter()
                .filter_map(|r| r.first())
                .flat_map(|c| c.paras.iter().cloned())
                .collect();
            if let Some(first) = t.rows.first().and_then(|r| r.first()) {
                h.issuer = issuer_from(&first.paras).and_then(|v| guess(v, Sure::High));
            }
            let all: Vec<String> = t.paras().cloned().collect();
            read_number_date(&all, Sure::High, &mut h);
            // A công văn's subject ("V/v …") sits under its number.
            if let Some(vv) = left.iter().find(|p| fold_starts_with(&plain(p), "v v ")) {
                h.title = guess(subject(vv), Sure::Medium);
            }
        }
    } else {
        // No header table: the lines before the motto are the issuer.
        let paras: Vec<String> = blocks
            .iter()
            .take(12)
            .filter_map(|b| match b {
                Block::Para(p) => Some(p.text.clone()),
                Block::Table(_) => None,
            })
            .collect();
        if let Some(m) = paras.iter().position(|p| is_motto(p)) {
            h.issuer = issuer_from(&paras[..m]).and_then(|v| guess(v, Sure::Medium));
        }
        read_number_date(&paras, Sure::Medium, &mut h);
    }
    read_type_title(blocks, after, &mut h);
    // The enacting body named in capitals before "Căn cứ" is header, not body: left in, it
    // would read as a section heading naming a unit and make every article its task.
    if let Some((i, name)) = authority_line(blocks) {
        h.consumed.push(i);
        if h.issuer.is_none() {
            h.issuer = guess(name, Sure::Medium);
        }
    }
    h.signer = signer(blocks);
    h.refs = refs(blocks);
    if h.doc_type.is_none() {
        let from_number = h.number.as_ref().and_then(|n| type_of_number(&n.value));
        h.doc_type = from_number.and_then(|t| guess(t, Sure::Medium));
    }
    h.year = h
        .title
        .as_ref()
        .and_then(|t| year_in_title(&t.value))
        .and_then(|y| guess(y, Sure::Medium));
    h
}

/// The issuing authority as the preamble names it, in capitals just before the first "Căn cứ"
/// ("ỦY BAN THƯỜNG VỤ QUỐC HỘI"): its block index and readable name.
fn authority_line(blocks: &[Block]) -> Option<(usize, String)> {
    let paras: Vec<(usize, String)> = blocks
        .iter()
        .enumerate()
        .take(30)
        .filter_map(|(i, b)| match b {
            Block::Para(p) => Some((i, plain(&p.text))),
            Block::Table(_) => None,
        })
        .collect();
    let first = paras
        .iter()
        .position(|(_, p)| fold_starts_with(p, "can cu"))?;
    let (i, line) = paras.get(first.checked_sub(1)?)?;
    (is_upper(line) && line.len() < 120 && type_word(line).is_none())
        .then(|| (*i, pretty_body(line)))
}

fn is_motto(p: &str) -> bool {
    fold(&plain(p)).contains("cong hoa xa hoi chu nghia")
}

/// Number and date from the header's paragraphs.
fn read_number_date(paras: &[String], sure: Sure, h: &mut Header) {
    for (i, p) in paras.iter().enumerate() {
        let mut text = plain(p);
        // "Số:" alone on its line, the number on the next.
        if text.ends_with(':') {
            if let Some(next) = paras.get(i + 1) {
                text = format!("{text} {}", plain(next));
            }
        }
        if h.number.is_none() {
            if let Some(n) = number_in(&text) {
                h.number = guess(n, sure);
            }
        }
        if h.date.is_none() {
            if let Some(d) = date_in(&text) {
                h.date = guess(d, sure);
            }
        }
    }
}

/// "Số: 617/KH-UBND" → "617/KH-UBND", wherever "Số" stands in the line (a flattened header
/// runs the motto and the number together); an unfilled number ("Số: /QĐ-UBND") is none.
pub fn number_in(text: &str) -> Option<String> {
    text.match_indices("Số")
        .chain(text.match_indices("SỐ"))
        .filter(|(i, _)| {
            text[..*i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
        .find_map(|(i, w)| number_after(&text[i + w.len()..]))
}

fn number_after(rest: &str) -> Option<String> {
    let rest = rest.strip_prefix(" hiệu").unwrap_or(rest);
    let rest = rest.trim_start_matches([':', ' ', '.']);
    let token: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '/' | '-' | '.' | '–'))
        .collect();
    let token = token.trim_end_matches(['.', '-']).replace('–', "-");
    let first = token.chars().next()?;
    (first.is_ascii_digit() && token.contains('/')).then_some(token)
}

/// "Đồng Tháp, ngày 01 tháng 12 năm 2025" → 2025-12-01.
pub fn date_in(text: &str) -> Option<jiff::civil::Date> {
    let f = fold(text);
    let words: Vec<&str> = f.split(' ').collect();
    for i in 0..words.len() {
        if words[i] != "ngay" {
            continue;
        }
        let (d, t, m, n, y) = (
            words.get(i + 1)?,
            words.get(i + 2)?,
            words.get(i + 3)?,
            words.get(i + 4)?,
            words.get(i + 5)?,
        );
        if *t != "thang" || *n != "nam" {
            continue;
        }
        let (Ok(d), Ok(m), Ok(y)) = (d.parse::<i8>(), m.parse::<i8>(), y.parse::<i16>()) else {
            continue;
        };
        if let Ok(date) = jiff::civil::Date::new(y, m, d) {
            return Some(date);
        }
    }
    None
}

/// The document type a number's code implies ("617/KH-UBND" → Kế hoạch; "12/UBND-VX", a
/// number with no type code, → công văn).
pub fn type_of_number(number: &str) -> Option<DocType> {
    let part = number.split('/').find(|p| p.contains('-'))?;
    let code = fold(part.split('-').next()?);
    Some(match code.as_str() {
        "kh" => DocType::KeHoach,
        "tb" => DocType::ThongBao,
        "qd" => DocType::QuyetDinh,
        "nq" => DocType::NghiQuyet,
        "bc" => DocType::BaoCao,
        "ct" => DocType::ChiThi,
        "ubnd" | "snv" | "vp" | "vpubnd" => DocType::CongVan,
        _ => return None,
    })
}

/// The type word of a title line ("KẾ HOẠCH", "QUYẾT ĐỊNH"…), and the text after it.
fn type_word(text: &str) -> Option<(DocType, usize)> {
    let f = fold(text);
    let table = [
        ("ke hoach", DocType::KeHoach),
        ("thong bao", DocType::ThongBao),
        ("quyet dinh", DocType::QuyetDinh),
        ("nghi quyet", DocType::NghiQuyet),
        ("bao cao", DocType::BaoCao),
        ("chi thi", DocType::ChiThi),
        ("cong van", DocType::CongVan),
    ];
    let (word, t) = table
        .iter()
        .find(|(w, _)| f == *w || f.starts_with(&format!("{w} ")))?;
    Some((*t, word.split(' ').count()))
}

/// The type word paragraph after the header and the title paragraphs after it.
fn read_type_title(blocks: &[Block], from: usize, h: &mut Header) {
    let mut i = from;
    let end = (from + 6).min(blocks.len());
    while i < end {
        let Block::Para(p) = &blocks[i] else {
            i += 1;
            continue;
        };
        let text = plain(&p.text);
        if !is_upper(&text) {
            i += 1;
            continue;
        }
        let Some((t, words)) = type_word(&text) else {
            i += 1;
            continue;
        };
        h.doc_type = guess(t, Sure::High);
        h.consumed.push(i);
        let mut title: Vec<String> = text.split(' ').skip(words).map(String::from).collect();
        let mut j = i + 1;
        while j < blocks.len() && j <= i + 3 {
            let Block::Para(q) = &blocks[j] else { break };
            let line = plain(&q.text);
            let f = fold(&line);
            let stop = f.starts_with("can cu")
                || f.starts_with("uy ban ")
                || f.starts_with("hoi dong nhan dan")
                || f.starts_with("ban chap hanh")
                || f.starts_with("chu tich")
                || f.starts_with("bo truong")
                || f.starts_with("giam doc")
                || f.starts_with("thu tuong")
                || f.starts_with("kinh gui")
                || line.chars().count() > 600
                || starts_numbered(&line)
                || (!is_upper(&line) && !f.starts_with("ve ") && !f.starts_with("v v"));
            if stop {
                break;
            }
            title.push(line);
            h.consumed.push(j);
            j += 1;
        }
        let rest = title.join(" ").trim().to_string();
        if !rest.is_empty() {
            let label = t.label();
            let body = subject(&rest);
            h.title = guess(format!("{label} {}", lower_first(&body)), Sure::High);
        }
        return;
    }
}

/// "Điều 1.", "I.", "Phần II", "Chương 1", "1." — the body has begun. ("PHÂN CẤP…" folds like
/// "Phần" but is followed by a word, not a number.)
fn starts_numbered(s: &str) -> bool {
    let f = fold(s);
    let mut words = f.split(' ');
    let (first, second) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let numeral = |w: &str| {
        !w.is_empty()
            && (w.chars().all(|c| c.is_ascii_digit()) || w.chars().all(|c| "ivxl".contains(c)))
    };
    (matches!(first, "dieu" | "phan" | "chuong") && numeral(second))
        || first == "i"
        || s.starts_with(|c: char| c.is_ascii_digit())
}

/// Mostly capitals (the type word and title lines are).
fn is_upper(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty()
        && letters.iter().filter(|c| c.is_uppercase()).count() * 10 >= letters.len() * 8
}

/// "V/v tăng cường …" or an upper-case subject → readable sentence case.
fn subject(s: &str) -> String {
    let s = plain(s);
    let s = s
        .trim_start_matches("V/v")
        .trim_start_matches("V/V")
        .trim_start_matches(':')
        .trim();
    if is_upper(s) {
        sentence_case(s)
    } else {
        s.to_string()
    }
}

fn lower_first(s: &str) -> String {
    let mut cs = s.chars();
    match (cs.next(), cs.clone().next()) {
        // Keep an acronym's capital ("UBND …").
        (Some(c), Some(n)) if !n.is_uppercase() => c.to_lowercase().chain(cs).collect(),
        _ => s.to_string(),
    }
}

/// Words that keep their capitals: acronyms and Roman numerals.
fn keeps_caps(w: &str) -> bool {
    let core = w.trim_matches(|c: char| !c.is_alphanumeric());
    let vowels = "AEIOUYĂÂÊÔƠƯÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ";
    core.chars().any(|c| c.is_ascii_digit())
        || ["UBND", "HĐND", "ĐCSVN", "MTTQ", "VN"].contains(&core)
        || (!core.is_empty() && core.chars().all(|c| "IVXL".contains(c)) && core.len() <= 4)
        || (!core.is_empty() && !core.chars().any(|c| vowels.contains(c)))
}

/// Upper-case Vietnamese → sentence case, place names after "tỉnh/huyện/xã…" capitalised.
pub fn sentence_case(s: &str) -> String {
    let places = ["tỉnh", "huyện", "xã", "phường", "quận", "thị", "phố"];
    // After a place word these start a description, not a name ("xã, phường miền núi").
    let stop = [
        "năm", "giai", "và", "về", "trên", "của", "theo", "đến", "trong", "giai", "đoạn", "thực",
        "năm", "tại", "cho", "từ", "miền", "vùng", "biên", "đặc", "khó", "mới", "các", "trọng",
        "ven", "loại", "thuộc", "trực", "có", "không",
    ];
    let mut out: Vec<String> = Vec::new();
    let mut place_run = 0;
    let words: Vec<&str> = s.split_whitespace().collect();
    for (i, w) in words.iter().copied().enumerate() {
        if keeps_caps(w) {
            out.push(w.to_string());
            place_run = 0;
            continue;
        }
        let lower = w.to_lowercase();
        let bare = lower
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_string();
        let word = if i == 0 || (place_run > 0 && !stop.contains(&bare.as_str())) {
            capitalize(&lower)
        } else {
            lower.clone()
        };
        // "xã, phường …" lists kinds of place: a place word whose comma leads to another
        // place word names none.
        let next_place = words.get(i + 1).is_some_and(|n| {
            let n = n.to_lowercase();
            places.contains(&n.trim_matches(|c: char| !c.is_alphanumeric()))
        });
        let listed = w.ends_with(',') && next_place;
        place_run = if places.contains(&bare.as_str()) && bare != "thị" && !listed {
            3
        } else if place_run > 0 && !stop.contains(&bare.as_str()) {
            place_run - 1
        } else {
            0
        };
        if bare == "thành" || bare == "thị" {
            place_run = 0;
        }
        out.push(word);
    }
    proper_nouns(&out.join(" "))
}

/// Names that keep their capitals inside sentence case: "Thủ tướng Chính phủ", "Quốc hội",
/// a document cited by number ("Chỉ thị số 32/CT-TTg"), the Prime Minister's code "TTg".
fn proper_nouns(s: &str) -> String {
    const NAMES: [(&str, &str); 6] = [
        ("thủ tướng chính phủ", "Thủ tướng Chính phủ"),
        ("chính phủ", "Chính phủ"),
        ("ủy ban thường vụ quốc hội", "Ủy ban Thường vụ Quốc hội"),
        ("quốc hội", "Quốc hội"),
        ("bộ chính trị", "Bộ Chính trị"),
        ("ban chấp hành trung ương", "Ban Chấp hành Trung ương"),
    ];
    const CITED: [&str; 8] = [
        "chỉ thị số",
        "nghị quyết số",
        "quyết định số",
        "kế hoạch số",
        "nghị định số",
        "thông tư số",
        "luật số",
        "công văn số",
    ];
    let mut out = s.to_string();
    for (lower, proper) in NAMES {
        out = out.replace(lower, proper);
    }
    for cited in CITED {
        out = out.replace(cited, &capitalize(cited));
    }
    out.split(' ')
        .map(|w| match w.contains('/') {
            true => w.replace("-TTG", "-TTg"),
            false => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn capitalize(w: &str) -> String {
    let mut cs = w.chars();
    cs.next()
        .map(|c| c.to_uppercase().chain(cs).collect())
        .unwrap_or_default()
}

/// The issuing body from the header's left cell: "**ỦY BAN NHÂN DÂN** **TỈNH X**" →
/// "UBND tỉnh X"; with a parent line ("UBND TỈNH X" / "SỞ NỘI VỤ") the last body issues.
fn issuer_from(paras: &[String]) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for p in paras {
        let f = fold(&plain(p));
        if number_in(&plain(p)).is_some() {
            break;
        }
        if f.starts_with("v v") || f.is_empty() {
            continue;
        }
        for seg in p.split("** **").flat_map(|s| s.split("****")) {
            let seg = plain(seg);
            if seg.is_empty() {
                continue;
            }
            let sf = fold(&seg);
            let continues = [
                "tinh ",
                "thanh pho ",
                "huyen ",
                "xa ",
                "phuong ",
                "quan ",
                "thi xa ",
            ]
            .iter()
            .any(|w| sf.starts_with(w))
                || ["nhan dan", "dan"].contains(&sf.as_str());
            match parts.last_mut() {
                Some(last) if continues => {
                    last.push(' ');
                    last.push_str(&seg);
                }
                _ => parts.push(seg),
            }
        }
    }
    let last = parts.pop()?;
    Some(pretty_body(&last))
}

/// "ỦY BAN NHÂN DÂN TỈNH BẮC NINH" → "UBND tỉnh Bắc Ninh"; "SỞ NỘI VỤ" → "Sở Nội vụ".
pub fn pretty_body(name: &str) -> String {
    if !is_upper(name) {
        return name.to_string();
    }
    let f = fold(name);
    let (head, rest) = if f.starts_with("uy ban nhan dan") {
        ("UBND", skip_words(name, 4))
    } else if f.starts_with("hoi dong nhan dan") {
        ("HĐND", skip_words(name, 4))
    } else {
        ("", name.to_string())
    };
    let mut words: Vec<String> = Vec::new();
    let orgs = [
        "sở", "bộ", "ban", "cục", "phòng", "văn", "trung", "tổng", "chi", "viện",
    ];
    let mut cap_next = head.is_empty();
    let mut place = false;
    for w in rest.split_whitespace() {
        if keeps_caps(w) {
            words.push(w.to_string());
            continue;
        }
        let lower = w.to_lowercase();
        let bare = lower
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_string();
        let is_place = ["tỉnh", "huyện", "xã", "phường", "quận", "phố"].contains(&bare.as_str());
        let word = if place || cap_next {
            capitalize(&lower)
        } else {
            lower.clone()
        };
        words.push(word);
        if is_place {
            place = true;
        }
        cap_next = bare == "và" || w.ends_with(',') || (orgs.contains(&bare.as_str()) && !place);
        if bare == "văn" || bare == "trung" || bare == "tổng" || bare == "chi" {
            cap_next = false; // "Văn phòng", "Trung tâm": the next word is still the org word
        }
        if bare == "phòng" || bare == "tâm" || bare == "cục" {
            cap_next = true;
        }
    }
    let rest = proper_nouns(&words.join(" "));
    match head {
        "" => rest,
        h if rest.is_empty() => h.to_string(),
        h => format!("{h} {rest}"),
    }
}

fn skip_words(s: &str, n: usize) -> String {
    s.split_whitespace().skip(n).collect::<Vec<_>>().join(" ")
}

/// The name in the signature block: the last line of the block that follows "TM." / "KT." /
/// a head's title, when it reads as a person's name.
fn signer(blocks: &[Block]) -> Option<Guess<String>> {
    for b in blocks {
        let paras: Vec<String> = match b {
            Block::Table(t) => t.paras().cloned().collect(),
            Block::Para(p) => vec![p.text.clone()],
        };
        let Some(role) = paras.iter().position(|p| is_role(p)) else {
            continue;
        };
        // Within a cell the name is often joined to the role line: take the last bold span.
        for p in paras.iter().skip(role).take(6) {
            let spans: Vec<&str> = p.split("**").filter(|s| !s.trim().is_empty()).collect();
            if let Some(name) = spans.iter().rev().find_map(|s| trailing_name(&plain(s))) {
                return guess(name, Sure::High);
            }
        }
    }
    // The role and the name as separate paragraphs.
    let paras: Vec<String> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Para(p) => Some(plain(&p.text)),
            Block::Table(_) => None,
        })
        .collect();
    let role = paras.iter().position(|p| is_role(p))?;
    paras
        .iter()
        .skip(role + 1)
        .take(4)
        .find_map(|p| trailing_name(p))
        .and_then(|n| guess(n, Sure::Medium))
}

fn is_role(p: &str) -> bool {
    let text = plain(p);
    // A recipient line ("- Các đ/c Thứ trưởng;") names a role but signs nothing.
    if text.starts_with(['-', '+', '•']) {
        return false;
    }
    let f = fold(&text);
    ["tm ", "kt ", "tl ", "q ", "ktl "]
        .iter()
        .any(|w| f.starts_with(w))
        || [
            "chu tich",
            "giam doc",
            "bo truong",
            "thu tuong",
            "chanh van phong",
            "truong ban",
            "pho chu tich",
            "pho giam doc",
            "thu truong",
        ]
        .iter()
        .any(|w| f == *w || f.ends_with(w))
}

/// The name at the end of a signature line ("KT. CHỦ TỊCH PHÓ CHỦ TỊCH Bùi Thanh An"), longest
/// first, when the lines were run together.
fn trailing_name(s: &str) -> Option<String> {
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=5.min(words.len())).rev().find_map(|n| {
        let cand = words[words.len() - n..].join(" ");
        is_name(&cand).then_some(cand)
    })
}

/// "Phạm Văn Thịnh": 2–5 capitalised words, letters only, not a title.
fn is_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if !(2..=5).contains(&words.len()) || is_role(s) {
        return false;
    }
    let f = fold(s);
    let not_name = [
        "uy ban", "chu tich", "nhan dan", "noi nhan", "giam doc", "tinh ",
    ];
    // "Lưu: VT" files a copy; "Lê Trường Lưu" is a name.
    if not_name.iter().any(|w| f.contains(w)) || f.starts_with("luu ") || f.starts_with("so ") {
        return false;
    }
    let titled = |w: &&str| {
        let mut cs = w.chars();
        cs.next().is_some_and(char::is_uppercase) && cs.all(char::is_lowercase)
    };
    let capitals = |w: &&str| w.chars().all(char::is_uppercase);
    words.iter().all(|w| w.chars().all(char::is_alphabetic))
        && (words.iter().all(titled) || words.iter().all(capitals))
}

/// Numbers cited in the "Căn cứ" paragraphs, in order, without repeats.
fn refs(blocks: &[Block]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for b in blocks.iter().take(60) {
        let Block::Para(p) = b else { continue };
        let text = plain(&p.text);
        if !fold_starts_with(&text, "can cu") {
            continue;
        }
        for n in numbers_in(&text) {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// Document numbers in running text: "81/2018/NĐ-CP", "19-NQ/TW", "617/KH-UBND".
pub fn numbers_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')')) {
        let t = raw.trim_end_matches(['.', ':']);
        let starts_digit = t.chars().next().is_some_and(|c| c.is_ascii_digit());
        let has_code = t.chars().any(|c| c.is_alphabetic());
        if starts_digit
            && has_code
            && t.contains('/')
            && (t.contains('-') || t.matches('/').count() >= 2)
        {
            // Dates ("16/6/2025") have no letters; "số 5/2020" has no code.
            out.push(t.to_string());
        }
    }
    out
}

/// "… năm 2026" in a title → 2026 (the year a plan covers); a period "giai đoạn" is no year.
fn year_in_title(title: &str) -> Option<i16> {
    let f = fold(title);
    if f.contains("giai doan") {
        return None;
    }
    let words: Vec<&str> = f.split(' ').collect();
    words
        .windows(2)
        .filter(|w| w[0] == "nam")
        .filter_map(|w| w[1].parse::<i16>().ok())
        .rfind(|y| (1990..=2100).contains(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates() {
        assert_eq!(number_in("Số: 617/KH-UBND").as_deref(), Some("617/KH-UBND"));
        assert_eq!(
            number_in("Số:165/2025/QĐ-UBND").as_deref(),
            Some("165/2025/QĐ-UBND")
        );
        assert_eq!(number_in("Số: /QĐ-UBND"), None);
        assert_eq!(
            number_in("---------- | CỘNG HÒA XÃ HỘI | Số: 1655/NQ-UBTVQH15 |").as_deref(),
            Some("1655/NQ-UBTVQH15")
        );
        assert_eq!(
            date_in("Đồng Tháp, ngày 01 tháng 12 năm 2025").map(|d| d.to_string()),
            Some("2025-12-01".into())
        );
        assert_eq!(type_of_number("12/UBND-VX"), Some(DocType::CongVan));
        assert_eq!(type_of_number("165/2025/QĐ-UBND"), Some(DocType::QuyetDinh));
        assert_eq!(
            numbers_in("Căn cứ Nghị định số 81/2018/NĐ-CP ngày 22/5/2018; Nghị quyết 19-NQ/TW."),
            vec!["81/2018/NĐ-CP", "19-NQ/TW"]
        );
    }

    #[test]
    fn names_read_well() {
        assert_eq!(
            pretty_body("ỦY BAN NHÂN DÂN TỈNH BẮC NINH"),
            "UBND tỉnh Bắc Ninh"
        );
        assert_eq!(pretty_body("SỞ NỘI VỤ"), "Sở Nội vụ");
        assert_eq!(
            pretty_body("BỘ KHOA HỌC VÀ CÔNG NGHỆ"),
            "Bộ Khoa học và Công nghệ"
        );
        assert_eq!(pretty_body("VĂN PHÒNG CHÍNH PHỦ"), "Văn phòng Chính phủ");
        assert_eq!(
            issuer_from(&["**ỦY BAN NHÂN DÂN** **TỈNH BẮC NINH**".to_string()]).as_deref(),
            Some("UBND tỉnh Bắc Ninh")
        );
        assert_eq!(
            sentence_case("VỀ VIỆC CẢI CÁCH HÀNH CHÍNH TỈNH BẮC NINH NĂM 2026"),
            "Về việc cải cách hành chính tỉnh Bắc Ninh năm 2026"
        );
        // Titles and issuers of realdocs read against their sources (issue 15).
        assert_eq!(
            sentence_case("VỀ HỖ TRỢ CÁN BỘ CÁC XÃ, PHƯỜNG MIỀN NÚI TỈNH LẠNG SƠN"),
            "Về hỗ trợ cán bộ các xã, phường miền núi tỉnh Lạng Sơn"
        );
        assert_eq!(
            sentence_case("THỰC HIỆN CHỈ THỊ SỐ 32/CT-TTG CỦA THỦ TƯỚNG CHÍNH PHỦ"),
            "Thực hiện Chỉ thị số 32/CT-TTg của Thủ tướng Chính phủ"
        );
        assert_eq!(pretty_body("THỦ TƯỚNG CHÍNH PHỦ"), "Thủ tướng Chính phủ");
        assert!(is_name("Phạm Văn Thịnh"));
        assert!(!is_name("PHÓ CHỦ TỊCH"));
    }
}
