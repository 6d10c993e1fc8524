//! Legacy Vietnamese encodings → Unicode NFC: TCVN3 (ABC, fonts `.VnTime`, `.VnArial`…) and
//! VNI (fonts `VNI-Times`…), still found in provincial files.
//!
//! Both are 8-bit font encodings: Word stores their text as the Windows-1252 characters of the
//! bytes ("C¸c" for "Các", "Caùc" for "Các"), so conversion maps those characters. In a .docx
//! the run's font name says which encoding a run uses ([`Encoding::from_font`]); in plain text
//! [`detect`] looks for the characters each encoding leaves behind.

use unicode_normalization::UnicodeNormalization;

/// A legacy encoding found in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Tcvn3,
    /// TCVN3 "H" fonts (`.VnTimeH`): the lower-case codes are drawn as capitals.
    Tcvn3Upper,
    Vni,
}

impl Encoding {
    /// The encoding a font name implies, if any (`.VnTime` → TCVN3, `VNI-Times` → VNI).
    pub fn from_font(font: &str) -> Option<Encoding> {
        let f = font.trim();
        if f.starts_with(".Vn") || f.starts_with("Vn") && f.len() > 2 && f.contains("Time") {
            let upper = f.ends_with('H') || f.ends_with("H Bold");
            return Some(if upper {
                Encoding::Tcvn3Upper
            } else {
                Encoding::Tcvn3
            });
        }
        if f.to_ascii_uppercase().starts_with("VNI-") || f.to_ascii_uppercase().starts_with("VNI ")
        {
            return Some(Encoding::Vni);
        }
        None
    }

    pub fn name(self) -> &'static str {
        match self {
            Encoding::Tcvn3 | Encoding::Tcvn3Upper => "TCVN3 (ABC)",
            Encoding::Vni => "VNI",
        }
    }
}

/// TCVN3 code points 0xA1–0xFE (as Windows-1252/Latin-1 characters) → Unicode.
const TCVN3: &[(char, char)] = &[
    ('\u{A1}', 'Ă'),
    ('\u{A2}', 'Â'),
    ('\u{A3}', 'Ê'),
    ('\u{A4}', 'Ô'),
    ('\u{A5}', 'Ơ'),
    ('\u{A6}', 'Ư'),
    ('\u{A7}', 'Đ'),
    ('\u{A8}', 'ă'),
    ('\u{A9}', 'â'),
    ('\u{AA}', 'ê'),
    ('\u{AB}', 'ô'),
    ('\u{AC}', 'ơ'),
    ('\u{AD}', 'ư'),
    ('\u{AE}', 'đ'),
    ('\u{B5}', 'à'),
    ('\u{B6}', 'ả'),
    ('\u{B7}', 'ã'),
    ('\u{B8}', 'á'),
    ('\u{B9}', 'ạ'),
    ('\u{BB}', 'ằ'),
    ('\u{BC}', 'ẳ'),
    ('\u{BD}', 'ẵ'),
    ('\u{BE}', 'ắ'),
    ('\u{C6}', 'ặ'),
    ('\u{C7}', 'ầ'),
    ('\u{C8}', 'ẩ'),
    ('\u{C9}', 'ẫ'),
    ('\u{CA}', 'ấ'),
    ('\u{CB}', 'ậ'),
    ('\u{CC}', 'è'),
    ('\u{CE}', 'ẻ'),
    ('\u{CF}', 'ẽ'),
    ('\u{D0}', 'é'),
    ('\u{D1}', 'ẹ'),
    ('\u{D2}', 'ề'),
    ('\u{D3}', 'ể'),
    ('\u{D4}', 'ễ'),
    ('\u{D5}', 'ế'),
    ('\u{D6}', 'ệ'),
    ('\u{D7}', 'ì'),
    ('\u{D8}', 'ỉ'),
    ('\u{DC}', 'ĩ'),
    ('\u{DD}', 'í'),
    ('\u{DE}', 'ị'),
    ('\u{DF}', 'ò'),
    ('\u{E1}', 'ỏ'),
    ('\u{E2}', 'õ'),
    ('\u{E3}', 'ó'),
    ('\u{E4}', 'ọ'),
    ('\u{E5}', 'ồ'),
    ('\u{E6}', 'ổ'),
    ('\u{E7}', 'ỗ'),
    ('\u{E8}', 'ố'),
    ('\u{E9}', 'ộ'),
    ('\u{EA}', 'ờ'),
    ('\u{EB}', 'ở'),
    ('\u{EC}', 'ỡ'),
    ('\u{ED}', 'ớ'),
    ('\u{EE}', 'ợ'),
    ('\u{EF}', 'ù'),
    ('\u{F1}', 'ủ'),
    ('\u{F2}', 'ũ'),
    ('\u{F3}', 'ú'),
    ('\u{F4}', 'ụ'),
    ('\u{F5}', 'ừ'),
    ('\u{F6}', 'ử'),
    ('\u{F7}', 'ữ'),
    ('\u{F8}', 'ứ'),
    ('\u{F9}', 'ự'),
    ('\u{FA}', 'ỳ'),
    ('\u{FB}', 'ỷ'),
    ('\u{FC}', 'ỹ'),
    ('\u{FD}', 'ý'),
    ('\u{FE}', 'ỵ'),
];

/// Windows-1252 characters for bytes 0x80–0x9F (Word shows TCVN3 bytes in that range so).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

fn tcvn3_char(c: char) -> Option<char> {
    TCVN3
        .binary_search_by(|(k, _)| k.cmp(&c))
        .ok()
        .map(|i| TCVN3[i].1)
}

/// VNI: a base letter followed by a mark character, or a single letter (ñ = đ, ö = ư, ô = ơ).
/// Two-character sequences (lower case; capitals are matched case-insensitively).
const VNI_PAIRS: &[(&str, char)] = &[
    ("aø", 'à'),
    ("aù", 'á'),
    ("aû", 'ả'),
    ("aõ", 'ã'),
    ("aï", 'ạ'),
    ("aâ", 'â'),
    ("aà", 'ầ'),
    ("aá", 'ấ'),
    ("aå", 'ẩ'),
    ("aã", 'ẫ'),
    ("aä", 'ậ'),
    ("aê", 'ă'),
    ("aè", 'ằ'),
    ("aé", 'ắ'),
    ("aú", 'ẳ'),
    ("aü", 'ẵ'),
    ("aë", 'ặ'),
    ("eø", 'è'),
    ("eù", 'é'),
    ("eû", 'ẻ'),
    ("eõ", 'ẽ'),
    ("eï", 'ẹ'),
    ("eâ", 'ê'),
    ("eà", 'ề'),
    ("eá", 'ế'),
    ("eå", 'ể'),
    ("eã", 'ễ'),
    ("eä", 'ệ'),
    ("oø", 'ò'),
    ("où", 'ó'),
    ("oû", 'ỏ'),
    ("oõ", 'õ'),
    ("oï", 'ọ'),
    ("oâ", 'ô'),
    ("oà", 'ồ'),
    ("oá", 'ố'),
    ("oå", 'ổ'),
    ("oã", 'ỗ'),
    ("oä", 'ộ'),
    ("ôø", 'ờ'),
    ("ôù", 'ớ'),
    ("ôû", 'ở'),
    ("ôõ", 'ỡ'),
    ("ôï", 'ợ'),
    ("uø", 'ù'),
    ("uù", 'ú'),
    ("uû", 'ủ'),
    ("uõ", 'ũ'),
    ("uï", 'ụ'),
    ("öø", 'ừ'),
    ("öù", 'ứ'),
    ("öû", 'ử'),
    ("öõ", 'ữ'),
    ("öï", 'ự'),
    ("yø", 'ỳ'),
    ("yù", 'ý'),
    ("yû", 'ỷ'),
    ("yõ", 'ỹ'),
];

/// VNI single characters.
const VNI_SINGLE: &[(char, char)] = &[
    ('ñ', 'đ'),
    ('ö', 'ư'),
    ('ô', 'ơ'),
    ('ì', 'ì'),
    ('í', 'í'),
    ('æ', 'ỉ'),
    ('ó', 'ĩ'),
    ('ò', 'ị'),
    ('î', 'ỵ'),
];

/// Converts text written in `enc` to Unicode NFC.
pub fn convert(s: &str, enc: Encoding) -> String {
    let out: String = match enc {
        Encoding::Tcvn3 | Encoding::Tcvn3Upper => {
            let mapped: String = s.chars().map(|c| tcvn3_char(c).unwrap_or(c)).collect();
            if enc == Encoding::Tcvn3Upper {
                mapped.to_uppercase()
            } else {
                mapped
            }
        }
        Encoding::Vni => convert_vni(s),
    };
    out.nfc().collect()
}

fn convert_vni(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(&next) = chars.get(i + 1) {
            let lower: String = [c, next].iter().flat_map(|x| x.to_lowercase()).collect();
            if let Some((_, u)) = VNI_PAIRS.iter().find(|(k, _)| *k == lower) {
                out.extend(if c.is_uppercase() {
                    u.to_uppercase().collect::<Vec<_>>()
                } else {
                    vec![*u]
                });
                i += 2;
                continue;
            }
        }
        let lower = c.to_lowercase().next().unwrap_or(c);
        match VNI_SINGLE.iter().find(|(k, _)| *k == lower) {
            Some((_, u)) if c.is_uppercase() => out.extend(u.to_uppercase()),
            Some((_, u)) => out.push(*u),
            None => out.push(c),
        }
        i += 1;
    }
    out
}

/// Decodes a file's bytes: UTF-8 (BOM dropped) when valid, else each byte as its
/// Windows-1252 character, which is how TCVN3/VNI text arrives; [`detect`] then decides.
pub fn decode_bytes(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes
            .iter()
            .map(|&b| match b {
                0x80..=0x9F => CP1252_HIGH[(b - 0x80) as usize],
                _ => b as char,
            })
            .collect(),
    }
}

/// Guesses whether plain text is TCVN3 or VNI rather than Unicode Vietnamese: legacy text is
/// full of the Latin-1 characters its bytes become and has almost none of the letters only
/// Unicode Vietnamese uses (ư, ơ, đ, ạ, ế…).
pub fn detect(s: &str) -> Option<Encoding> {
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 20 {
        return None;
    }
    let unicode_viet = s
        .chars()
        .filter(|c| ('\u{1EA0}'..='\u{1EF9}').contains(c) || "ươđăƯƠĐĂ".contains(*c))
        .count();
    let tcvn = s
        .chars()
        .filter(|c| {
            matches!(
                *c,
                'µ' | '¶' | '·' | '¸' | '¹' | '¨' | '©' | 'ª' | '«' | '¬' | '®' | '\u{AD}'
            )
        })
        .count();
    let lower = s.to_lowercase();
    let vni = VNI_PAIRS
        .iter()
        .filter(|(k, _)| !k.starts_with('ô'))
        .map(|(k, _)| lower.matches(k).count())
        .sum::<usize>()
        + lower.matches('ñ').count()
        + lower.matches('ö').count();
    let threshold = letters / 50 + 3;
    if unicode_viet * 4 > tcvn.max(vni) {
        return None;
    }
    if tcvn >= threshold && tcvn >= vni {
        Some(Encoding::Tcvn3)
    } else if vni >= threshold {
        Some(Encoding::Vni)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcvn3_words() {
        assert_eq!(convert("B¶o Th¾ng", Encoding::Tcvn3), "Bảo Thắng");
        assert_eq!(
            convert("C¶i c¸ch hµnh chÝnh", Encoding::Tcvn3),
            "Cải cách hành chính"
        );
        assert_eq!(convert("Së Néi vô", Encoding::Tcvn3), "Sở Nội vụ");
        assert_eq!(convert("kÕ ho¹ch", Encoding::Tcvn3Upper), "KẾ HOẠCH");
    }

    #[test]
    fn vni_words() {
        assert_eq!(
            convert("Caûi caùch haønh chính", Encoding::Vni),
            "Cải cách hành chính"
        );
        assert_eq!(convert("Sôû Noäi vuï", Encoding::Vni), "Sở Nội vụ");
        assert_eq!(convert("ÑOÀNG THAÙP", Encoding::Vni), "ĐỒNG THÁP");
    }

    #[test]
    fn fonts_and_detection() {
        assert_eq!(Encoding::from_font(".VnTime"), Some(Encoding::Tcvn3));
        assert_eq!(Encoding::from_font(".VnTimeH"), Some(Encoding::Tcvn3Upper));
        assert_eq!(Encoding::from_font("VNI-Times"), Some(Encoding::Vni));
        assert_eq!(Encoding::from_font("Times New Roman"), None);
        let tcvn =
            "KÕ ho¹ch c¶i c¸ch hµnh chÝnh n¨m 2025 cña Uû ban nh©n d©n tØnh, c¸c së ban ngµnh";
        assert_eq!(detect(tcvn), Some(Encoding::Tcvn3));
        let vni =
            "Keá hoaïch caûi caùch haønh chính naêm 2025 cuûa UÛy ban nhaân daân tænh, caùc sôû";
        assert_eq!(detect(vni), Some(Encoding::Vni));
        let uni =
            "Kế hoạch cải cách hành chính năm 2025 của Ủy ban nhân dân tỉnh, các sở ban ngành";
        assert_eq!(detect(uni), None);
    }
}
