//! Festive deadlines: "trước Tết Nguyên đán", "trước Tết Nguyên đán Ất Tỵ", "Tết 2026". Takes a
//! clause's tokens and a position; returns the day of Tết (lunar new year) it names, from an exact
//! table for 2000–2050 (Vietnam's calendar is computed at UTC+7, so a Chinese-calendar table can
//! be a day off: 2007 and 2030 differ), with the year given by number, by its sexagenary name
//! (can chi) or by the plan.

use jiff::civil::Date;

use super::lex::*;

/// First day of the lunar year, (month, day), for 2000..=2050 (Hồ Ngọc Đức's algorithm at UTC+7).
const TET: [(i8, i8); 51] = [
    (2, 5),
    (1, 24),
    (2, 12),
    (2, 1),
    (1, 22),
    (2, 9),
    (1, 29),
    (2, 17),
    (2, 7),
    (1, 26), // 2000
    (2, 14),
    (2, 3),
    (1, 23),
    (2, 10),
    (1, 31),
    (2, 19),
    (2, 8),
    (1, 28),
    (2, 16),
    (2, 5), // 2010
    (1, 25),
    (2, 12),
    (2, 1),
    (1, 22),
    (2, 10),
    (1, 29),
    (2, 17),
    (2, 6),
    (1, 26),
    (2, 13), // 2020
    (2, 2),
    (1, 23),
    (2, 11),
    (1, 31),
    (2, 19),
    (2, 8),
    (1, 28),
    (2, 15),
    (2, 4),
    (1, 24), // 2030
    (2, 12),
    (2, 1),
    (1, 22),
    (2, 10),
    (1, 30),
    (2, 17),
    (2, 6),
    (1, 26),
    (2, 14),
    (2, 2),  // 2040
    (1, 23), // 2050
];
const FIRST: i16 = 2000;

/// The heavenly stems (can) and earthly branches (chi), folded; "Tý" and "Tỵ" fold alike, and
/// the parity of stem and branch (always equal) tells them apart.
const STEMS: [&str; 10] = [
    "giap", "at", "binh", "dinh", "mau", "ky", "canh", "tan", "nham", "quy",
];
const BRANCHES: [&str; 12] = [
    "ty", "suu", "dan", "mao", "thin", "ty", "ngo", "mui", "than", "dau", "tuat", "hoi",
];

/// Tết of a Gregorian year, when the table has it.
pub(super) fn tet(year: i16) -> Option<Date> {
    let (m, d) = *TET.get(usize::try_from(year.checked_sub(FIRST)?).ok()?)?;
    Date::new(year, m, d).ok()
}

/// "Tết [Nguyên đán] [Ất Tỵ | 2025 | năm 2025]" at `i`: (the year named, if any, tokens used).
/// `near` picks among the years sharing a can-chi name (every 60 years).
pub(super) fn tet_at(c: &[Token], i: usize, near: i16) -> Option<(Option<i16>, usize)> {
    if word(c, i) != Some("tet") {
        return None;
    }
    let mut used = 1;
    if word(c, i + used) == Some("nguyen") && word(c, i + used + 1) == Some("dan") {
        used += 2;
    }
    if let (Some(stem), Some(branch)) = (word(c, i + used), word(c, i + used + 1)) {
        if let Some(y) = can_chi_year(stem, branch, near) {
            return Some((Some(y), used + 2));
        }
    }
    let skip = usize::from(word_in(c, i + used, YEAR_WORDS));
    match num(c, i + used + skip) {
        Some((y, 4)) => Some((i16::try_from(y).ok(), used + skip + 1)),
        _ => Some((None, used)),
    }
}

/// The year nearest `near` whose sexagenary name is `stem branch`.
fn can_chi_year(stem: &str, branch: &str, near: i16) -> Option<i16> {
    let s = i16::try_from(STEMS.iter().position(|x| *x == stem)?).ok()?;
    (0..12)
        .filter(|b| BRANCHES.get(*b as usize) == Some(&branch) && b % 2 == s % 2)
        .filter_map(|b| {
            // Year y has stem (y - 4) mod 10 and branch (y - 4) mod 12: solve within the cycle.
            let base = (0..60).find(|k| k % 10 == s && k % 12 == b)?;
            let cycle_start = near - (near - 4).rem_euclid(60);
            let y = cycle_start + base;
            Some(if y - near > 30 {
                y - 60
            } else if near - y > 30 {
                y + 60
            } else {
                y
            })
        })
        .min_by_key(|y| (y - near).abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_dates() {
        assert_eq!(can_chi_year("at", "ty", 2025), Some(2025));
        assert_eq!(can_chi_year("binh", "ngo", 2025), Some(2026));
        assert_eq!(can_chi_year("giap", "thin", 2025), Some(2024));
        assert_eq!(can_chi_year("canh", "ty", 2025), Some(2020));
        assert_eq!(can_chi_year("at", "suu", 2025), Some(2045));
        assert_eq!(
            can_chi_year("at", "dan", 2025),
            None,
            "stem and branch differ in parity"
        );
        assert_eq!(tet(2025).map(|d| d.to_string()), Some("2025-01-29".into()));
        assert_eq!(tet(2030).map(|d| d.to_string()), Some("2030-02-02".into()));
        assert_eq!(tet(2051), None);
    }
}
