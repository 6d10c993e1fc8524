//! Property tests and fuzz-regression replay, in the ordinary `cargo test`.
//!
//! * `replay_fuzz_regressions`: every input kept under `fuzz/regressions/<target>/` (crashers and
//!   hangs the fuzzer found, now fixed) goes through the same check as its fuzz target
//!   (`fuzz/src/lib.rs`, included below), so a fixed bug stays fixed without nightly Rust.
//! * `prop_*`: the same checks driven by a small deterministic generator that mixes the
//!   syntax the parsers care about (YAML, Markdown tables and lists, Vietnamese deadlines,
//!   document numbers, unit names) with hostile bytes. No proptest dependency: a seeded
//!   xorshift PRNG keeps runs reproducible; a failure prints the seed and the input.
//!
//! Knobs: `CCHC_PROP_CASES` (cases per property, default 200; tests/fuzz_quick.sh raises it in
//! release), `CCHC_PROP_SEED` (start seed, default fixed).

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod checks;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::{Duration, Instant};

use cchc::load::normalize;
use cchc::parse::document::parse_iso_date;
use cchc::parse::markdown::is_dangerous_url;
use cchc::text::{is_safe_slug, slugify};
use cchc::write::is_safe_rel_path;

/// Slowest a single check may be on one input before we call it a hang (debug build).
const HANG: Duration = Duration::from_secs(20);

fn cases() -> usize {
    std::env::var("CCHC_PROP_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

fn seed() -> u64 {
    std::env::var("CCHC_PROP_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_cc4c)
}

/// xorshift64*: tiny, deterministic, good enough to pick fragments.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    /// One hostile character: controls, combining marks, RTL marks, astral, BOM, NUL.
    fn odd_char(&mut self) -> char {
        const ODD: &[char] = &[
            '\0',
            '\r',
            '\t',
            '\u{b}',
            '\u{c}',
            '\u{85}',
            '\u{a0}',
            '\u{200b}',
            '\u{202e}',
            '\u{feff}',
            '\u{0301}',
            '\u{0323}',
            '\u{0309}',
            'Đ',
            'đ',
            'Ệ',
            'ử',
            'ǅ',
            'İ',
            'ß',
            'ﬁ',
            '\u{1F600}',
            '\u{10FFFF}',
            '＜',
            '＂',
            '\\',
            '&',
            '<',
            '>',
            '"',
            '\'',
            '`',
        ];
        ODD[self.below(ODD.len())]
    }
    /// `n` fragments from `pool`, mixed with odd characters and random repeats.
    fn text(&mut self, pool: &[&str], n: usize) -> String {
        let mut s = String::new();
        for _ in 0..n {
            match self.below(10) {
                0 => s.push(self.odd_char()),
                1 => {
                    let f = self.pick(pool);
                    let times = 1 + self.below(20);
                    s.push_str(&f.repeat(times));
                }
                2 => s.push_str(&self.next().to_string()[..1 + self.below(6)]),
                _ => s.push_str(self.pick(pool)),
            }
        }
        s
    }
}

const YAML: &[&str] = &[
    "---\n",
    "title: Kế hoạch CCHC năm 2024\n",
    "title: ",
    "type: ke-hoach\n",
    "type: thong-bao\n",
    "number: 272/KH-UBND\n",
    "number: 12\n",
    "date: 2024-02-31\n",
    "date: 2018-12-06\n",
    "year: 2019\n",
    "year: 99999\n",
    "year: [1]\n",
    "refs: [19/NQ-HĐND, 19-NQ/TW]\n",
    "areas: Cải cách thể chế\n",
    "summary: \"><img src=x onerror=alert(1)>\n",
    "draft: true\n",
    "slug: ../../x\n",
    "slug: a/b\n",
    "slug: /etc\n",
    "province: Đồng Nai\n",
    "issuer: UBND tỉnh Đồng Tháp\n",
    "tasks:\n",
    "  - task: Tuyên truyền\n",
    "    lead: Sở Nội vụ\n",
    "    lead: [Sở Nội vụ, Sở Tư pháp]\n",
    "    due: Quý II/2019\n",
    "    status: hoan-thanh\n",
    "    id: 1.a\n",
    "  - id: 2\n",
    "  -\n",
    "&a [x, *a]\n",
    "a: &b x\n",
    "c: *b\n",
    "? [k]\n: v\n",
    "!!binary aGk=\n",
    "title: !!int 3\n",
    "\ttitle: tab\n",
    "key: 'unclosed\n",
    "{\n",
    "]\n",
    "title: a\ntitle: b\n",
    "...\n",
    "# comment\n",
    "  nested: [\n",
    "x: |\n  block\n",
    "- a\n",
    "<<: *a\n",
    "%YAML 1.2\n",
    "foo: bar\n",
];

const BODY: &[&str] = &[
    "\n",
    "\n\n",
    "# Tiêu đề\n",
    "## I. MỤC ĐÍCH {#muc-dich}\n",
    "### 3. Giám đốc Sở Nội vụ\n",
    "### Nhiệm vụ trọng tâm 6 tháng cuối năm 2023\n",
    "| TT | Nội dung thực hiện | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện |\n",
    "|---|---|---|---|---|\n",
    "|:-:|--|\n",
    "| **1. Công tác tuyên truyền** | | | | |\n",
    "| 1 | Tuyên truyền | Sở Nội vụ | Các sở, ban, ngành | Quý II/2019 |\n",
    "| a | b |\n",
    "|",
    "a) Rà soát thủ tục\n",
    "- Đơn vị chủ trì: Sở Tư pháp\n",
    "- Đơn vị phối hợp: Sở Nội vụ và Sở Tài chính\n",
    "- Thời gian: Trước ngày 10/12/2022\n",
    "- Sản phẩm: Báo cáo\n",
    "- ",
    "* ",
    "1. ",
    "3) ",
    "> ",
    "    ",
    "  ",
    "```rust\nfn main() {}\n```\n",
    "```\n",
    "~~~\n",
    "[^1]",
    "[^1]: chú thích\n",
    "[liên kết](javascript:alert(1))",
    "[x](JaVaScRiPt&colon;alert(1))",
    "[x]( java\tscript:alert(1))",
    "![ảnh](data:text/html,<script>alert(1)</script>)",
    "[x](../../../etc/passwd)",
    "[y](khac.md#muc)",
    "<script>alert(1)</script>",
    "</script><script>alert(2)</script>",
    "</title><script>alert(3)</script>",
    "</textarea></style><svg/onload=alert(4)>",
    "\"><img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<svg onload=alert(1)>",
    "<!-- c -->",
    "<div>\n",
    "Theo Kế hoạch số 272/KH-UBND ngày 06/12/2018",
    "19-NQ/TW",
    "12/2019/TTLT-BNV-BTC-BTP",
    "Quý IV/2025",
    "Thường xuyên",
    "**",
    "__",
    "~~",
    "`",
    "\\",
    "&amp;",
    "&#x3c;script&#x3e;",
    "$x$",
    "$$\ny\n$$\n",
    "- [ ] việc\n",
    "- [x] xong\n",
    "---\n",
    "***\n",
    "Sở Nội vụ, Sở Tư pháp",
    "Tổ chức thực hiện\n",
    "<br>",
    "\t",
    "đ",
    "Ờ",
];

const DEADLINES: &[&str] = &[
    "Quý ",
    "I",
    "II",
    "III",
    "IV",
    "1V",
    "/",
    "2019",
    "20",
    "năm ",
    "Trước ngày ",
    "ngày ",
    "10/12/2022",
    "31/02/2024",
    "29/2/2023",
    "tháng ",
    "12",
    "13",
    "0",
    "00",
    "Từ ",
    " đến ",
    "cuối ",
    "đầu ",
    "6 tháng đầu năm ",
    "6 tháng cuối năm ",
    "Thường xuyên",
    "Định kỳ hàng quý",
    "hàng tháng",
    "hằng năm",
    "Khi có văn bản mới",
    "Theo Kế hoạch",
    ", ",
    "; ",
    ".",
    "-",
    "–",
    "~",
    "(",
    ")",
    " ",
    "99999999999999999999",
    "-1",
    "4294967296",
    "65535",
    "Quy 1V/2024",
    "15.3.2024",
    "01-3-2024",
    "trong năm",
    "tuần",
    "Năm 2200",
    "Năm 1899",
    "Năm 32767",
];

const NUMBERS: &[&str] = &[
    "272",
    "/",
    "-",
    "KH",
    "UBND",
    "HĐND",
    "HDND",
    "NQ",
    "TW",
    "QĐ",
    "TTg",
    "CP",
    "2018",
    "số ",
    "Số: ",
    " ",
    "ngày ",
    "16/6/2023",
    "0000",
    "1.2",
    "50tr/huyện",
    "%",
    "A12",
    "Đ",
    "đ",
    "TTLT",
    "BNV",
    "BTC",
    "BTP",
    "19-NQ/TW",
    "61/2018/NĐ-CP",
    "(",
    ")",
    ",",
    ".",
    "\n",
    "999999",
    "1234567",
];

const UNITS: &[&str] = &[
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Thông tin và Truyền thông",
    "Giám đốc ",
    "Chủ tịch ",
    "Các Sở: ",
    "Tư pháp, Tài chính",
    ", ",
    " và ",
    "; ",
    "UBND cấp huyện",
    "UBND tỉnh Đồng Nai",
    "(chủ trì)",
    "có liên quan",
    "Các sở, ban, ngành tỉnh",
    "S& Noi vu",
    "SNV",
    "-",
    "+",
    "/",
    "\n",
    "  ",
    ".",
    "Sở",
    "và",
    "Các",
    ":",
    "các cơ quan, đơn vị",
    "Sở ../../etc",
    "a/b",
    "</title><script>alert(1)</script>",
    "<b onclick=x>Sở</b>",
];

const UNITS_YAML: &[&str] = &[
    "- name: Sở Nội vụ\n",
    "  slug: ../x\n",
    "  slug: a/b\n",
    "  slug: /etc/passwd\n",
    "  slug: so-noi-vu\n",
    "  aliases: [SNV, Sở Nội vụ]\n",
    "  parent: Sở Nội vụ\n",
    "  level: tinh\n",
    "  level: sao-hoa\n",
    "- name: \"\"\n",
    "- name: '!!!'\n",
    "- name: Sở Tư pháp\n",
    "  parent: UBND tỉnh\n",
    "- name: UBND tỉnh\n",
    "  parent: Sở Tư pháp\n",
    "- name: ..\n",
    "- name: Sở Nội vụ tỉnh Đồng Nai\n",
];

/// Runs `check` on `input` inside catch_unwind and a time limit; on failure panics with the
/// seed and the input so the case can be replayed (and kept under fuzz/regressions/).
fn run_one(what: &str, check: fn(&[u8]), input: &[u8], seed: u64) {
    let started = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| check(input)));
    let took = started.elapsed();
    let shown = String::from_utf8_lossy(&input[..input.len().min(2000)]).into_owned();
    if let Err(e) = result {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        panic!("{what} failed (seed {seed}): {msg}\ninput: {shown:?}");
    }
    assert!(
        took < HANG,
        "{what} took {took:?} (seed {seed}); input: {shown:?}"
    );
}

fn prop(what: &str, check: fn(&[u8]), gen: impl Fn(&mut Rng) -> Vec<u8>, scale: usize) {
    let start = seed();
    let n = (cases() / scale).max(1);
    for i in 0..n as u64 {
        let s = start.wrapping_add(i);
        let input = gen(&mut Rng::new(s));
        run_one(what, check, &input, s);
    }
}

fn document(r: &mut Rng) -> String {
    let mut s = String::new();
    if r.chance(90) {
        s.push_str(if r.chance(10) {
            "\u{feff}---\r\n"
        } else {
            "---\n"
        });
        if r.chance(85) {
            s.push_str("title: Kế hoạch\n");
        }
        let n = r.below(12);
        s.push_str(&r.text(YAML, n));
        if r.chance(90) {
            s.push_str("---\n");
        }
    }
    let n = r.below(40);
    s.push_str(&r.text(BODY, n));
    if r.chance(10) {
        s = s.replace('\n', "\r\n");
    }
    s
}

#[test]
fn replay_fuzz_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    let mut failures = Vec::new();
    for (target, check) in checks::TARGETS {
        let Ok(entries) = std::fs::read_dir(dir.join(target)) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        for f in files.into_iter().filter(|f| f.is_file()) {
            let name = f.file_name().unwrap_or_default().to_string_lossy();
            if name.starts_with('.') || name == "README.md" {
                continue;
            }
            let bytes = std::fs::read(&f).expect("read regression input");
            let started = Instant::now();
            let r = catch_unwind(AssertUnwindSafe(|| check(&bytes)));
            let took = started.elapsed();
            if r.is_err() {
                failures.push(format!("{target}/{name}: panicked"));
            } else if took > HANG {
                failures.push(format!("{target}/{name}: took {took:?}"));
            }
            replayed += 1;
        }
    }
    eprintln!("replayed {replayed} fuzz regression inputs");
    assert!(
        failures.is_empty(),
        "fuzz regressions fail again:\n{}",
        failures.join("\n")
    );
}

#[test]
fn prop_front_matter() {
    prop(
        "front_matter",
        checks::front_matter,
        |r| document(r).into_bytes(),
        1,
    );
}

#[test]
fn prop_markdown() {
    prop(
        "markdown",
        checks::markdown,
        |r| document(r).into_bytes(),
        1,
    );
}

#[test]
fn prop_tasks() {
    prop(
        "tasks",
        checks::tasks,
        |r| {
            let n = r.below(60);
            r.text(BODY, n).into_bytes()
        },
        1,
    );
}

#[test]
fn prop_deadline() {
    prop(
        "deadline",
        checks::deadline,
        |r| {
            let mut v = vec![r.below(256) as u8, r.below(256) as u8];
            let n = r.below(14);
            v.extend(r.text(DEADLINES, n).into_bytes());
            v
        },
        1,
    );
}

#[test]
fn prop_numbers() {
    prop(
        "numbers",
        checks::numbers,
        |r| {
            let n = r.below(30);
            r.text(NUMBERS, n).into_bytes()
        },
        1,
    );
}

#[test]
fn prop_units() {
    prop(
        "units",
        checks::units,
        |r| {
            let mut s = String::new();
            if r.chance(50) {
                let n = r.below(12);
                s.push_str(&r.text(UNITS_YAML, n));
                s.push('\0');
            }
            let n = r.below(20);
            s.push_str(&r.text(UNITS, n));
            s.into_bytes()
        },
        1,
    );
}

#[test]
fn prop_site() {
    // The whole pipeline renders ~20 pages per case: fewer cases.
    prop(
        "site",
        checks::site,
        |r| {
            let mut s = document(r);
            if r.chance(30) {
                s.push('\0');
                let n = r.below(10);
                s.push_str(&r.text(UNITS_YAML, n));
            }
            s.into_bytes()
        },
        10,
    );
}

#[test]
fn prop_normalize_is_idempotent_and_clean() {
    let start = seed();
    for i in 0..cases() as u64 {
        let mut r = Rng::new(start.wrapping_add(i));
        let n = r.below(30);
        let s = r.text(BODY, n);
        let once = normalize(&s);
        assert!(!once.contains('\r'), "CR left in {once:?}");
        assert!(!once.starts_with('\u{feff}'));
        // A BOM in the middle stays (it is text); only a leading one is dropped, once.
        let twice = normalize(&once);
        assert!(
            twice == once || once.starts_with('\u{feff}'),
            "normalize not idempotent for {s:?}"
        );
    }
}

#[test]
fn prop_slugs_are_path_safe() {
    let start = seed();
    let pools = [BODY, YAML, UNITS, NUMBERS];
    for i in 0..cases() as u64 {
        let mut r = Rng::new(start.wrapping_add(i));
        let pool = pools[r.below(pools.len())];
        let n = r.below(40);
        let s = r.text(pool, n);
        let slug = slugify(&s);
        assert!(is_safe_slug(&slug), "slugify({s:?}) = {slug:?}");
        assert!(is_safe_rel_path(&format!("van-ban/{slug}/index.html")));
    }
}

#[test]
fn dangerous_urls_are_recognised() {
    for u in [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\u{0}javascript:alert(1)",
        "vbscript:x",
        "data:text/html,<script>",
        "jAvAsCrIpT\r:alert(1)",
    ] {
        assert!(is_dangerous_url(u), "{u:?} not recognised");
    }
    for u in [
        "https://x.vn/javascript:",
        "../a.md",
        "#javascript",
        "mailto:a@b",
    ] {
        assert!(!is_dangerous_url(u), "{u:?} wrongly refused");
    }
}

#[test]
fn iso_dates_round_trip_and_refuse_impossible_days() {
    let mut r = Rng::new(seed());
    for _ in 0..cases() {
        let y = 1890 + r.below(330) as i32;
        let m = r.below(14) as i32;
        let d = r.below(33) as i32;
        let s = format!("{y:04}-{m:02}-{d:02}");
        match parse_iso_date(&s) {
            Some(date) => {
                assert_eq!(date.to_string(), s);
                assert!((1900..=2200).contains(&y));
            }
            None => assert!(
                !(1900..=2200).contains(&y)
                    || jiff::civil::Date::new(y as i16, m as i8, d as i8).is_err(),
                "{s} refused"
            ),
        }
    }
    for bad in [
        "2024-02-31",
        "2023-02-29",
        "2024-13-01",
        "2024-00-10",
        "+2024-01-01x",
        "",
        "-",
        "2024--1-01",
    ] {
        assert!(parse_iso_date(bad).is_none(), "{bad:?} accepted");
    }
}
