//! Hand-labelled real documents (issue 15): what a reader calls the tasks of ten texts of
//! `../shared/realdocs/`, copied to `tests/fixtures/import/realdocs/`, imported as
//! `cchc import` does and read by the extractor with an empty units registry (so only the
//! registry's general rules name units, as on a new site).
//!
//! Each entry was written from the source text before the extractor read these forms: the
//! range of task counts a careful reader would accept, a few lead units that must appear, and
//! texts that must not be tasks. The counts are ranges because readers differ on whether
//! sub-bullets are separate tasks; the leads and the non-tasks are not negotiable.

use super::*;
use crate::extract::units::UnitRegistry;
use std::path::PathBuf;

struct Expect {
    id: &'static str,
    /// What the document is and where its tasks are written.
    layout: &'static str,
    tasks: std::ops::RangeInclusive<usize>,
    /// Lead units (as written, possibly with more units after them) that must appear.
    leads: &'static [&'static str],
    /// Task texts (starts) that must not appear.
    not_tasks: &'static [&'static str],
}

const EXPECT: &[Expect] = &[
    Expect {
        id: "556b2fb4a0149576",
        layout: "Kế hoạch: duties only in \"IV. TỔ CHỨC THỰC HIỆN\" (\"3. Sở …: Phối hợp …\", \"4. Sở Nội vụ\" + bullets), no deadlines",
        tasks: 5..=9,
        leads: &["Sở Văn hóa, Thể thao và Du lịch", "Sở Nội vụ"],
        not_tasks: &["Trên đây là"],
    },
    Expect {
        id: "99c7d8fff9e4572e",
        layout: "Kế hoạch: \"2. Trách nhiệm thực hiện\", one bullet per unit (\"- Sở Nội vụ hướng dẫn …\")",
        tasks: 4..=6,
        leads: &["Sở Văn hóa, Thể thao và Du lịch", "Sở Nội vụ"],
        not_tasks: &["Đợt thi đua được triển khai"],
    },
    Expect {
        id: "128b34e0abc1c504",
        layout: "Quyết định: \"Điều 2. Trách nhiệm Sở Nội vụ; UBND các xã\" (1. unit, a)…e) duties) and \"Điều 3. … 1. Giao Văn phòng UBND tỉnh chủ trì …\"",
        tasks: 12..=14,
        leads: &["Sở Nội vụ", "UBND các xã, phường", "Văn phòng Ủy ban nhân dân tỉnh"],
        not_tasks: &["Quyết định này có hiệu lực", "Trong quá trình thực hiện"],
    },
    Expect {
        id: "2d563450d5a57ad1",
        layout: "Quyết định with regulatory articles; \"Điều 6. Tổ chức thực hiện 1. Giao Sở Nông nghiệp và Môi trường (Chi cục Kiểm lâm) chủ trì …\"",
        tasks: 1..=2,
        leads: &["Sở Nông nghiệp và Môi trường"],
        not_tasks: &["Trong trường hợp các văn bản"],
    },
    Expect {
        id: "00e8b0e4daffc2ef",
        layout: "Quyết định: \"**Điều 2.** Sở Công Thương có trách nhiệm chủ trì …\" in a paragraph",
        tasks: 1..=1,
        leads: &["Sở Công Thương"],
        not_tasks: &["Thủ trưởng các cơ quan"],
    },
    Expect {
        id: "1a9051122afe8e2b",
        layout: "Quyết định publishing procedures: \"**Điều 3.** Sở … có trách nhiệm …\" and two more unit-led paragraphs",
        tasks: 2..=3,
        leads: &["Văn phòng Ủy ban nhân dân tỉnh", "Sở Khoa học và Công nghệ"],
        not_tasks: &["Chánh Văn", "Trường hợp thủ tục"],
    },
    Expect {
        id: "f709d287088c57b7",
        layout: "Quyết định: \"Giao Sở Giáo dục và Đào tạo chủ trì …\" after \"**Điều 2.** … có hiệu lực\"",
        tasks: 1..=1,
        leads: &["Sở Giáo dục và Đào tạo"],
        not_tasks: &[],
    },
    Expect {
        id: "4f30202155d56bdd",
        layout: "Chỉ thị: \"1. Ủy ban nhân dân các xã, phường, đặc khu Cồn Cỏ:\" as a list of one item, its duties in the bullets after it",
        tasks: 12..=17,
        leads: &["Sở Nông nghiệp và Môi trường", "Sở Tài chính", "Công an tỉnh"],
        not_tasks: &["Ủy ban nhân dân các xã, phường, đặc khu"],
    },
    Expect {
        id: "a69069ae524315d9",
        layout: "Nghị quyết (Chính phủ): \"1.2. …\" sections, a bare unit line \"Ủy ban nhân dân các tỉnh, thành phố:\" and \"c) Bộ Quốc phòng, Bộ Công an chỉ đạo …\" items",
        // 27 before this reading (3 of them sub-headings); read again with the sentences
        // that name their own lead ("b) Bộ Tài chính tiếp tục xuất cấp …"): 30 assignments.
        tasks: 24..=31,
        leads: &["Bộ Quốc phòng, Bộ Công an", "Bộ Tài chính", "Ủy ban nhân dân các tỉnh, thành phố"],
        not_tasks: &[
            "Vệ sinh môi trường, phòng chống dịch bệnh",
            "Bảo đảm an sinh xã hội",
            "Về khôi phục hạ tầng thiết yếu",
        ],
    },
    Expect {
        id: "72f18ee047b71e9a",
        layout: "Quyết định issuing a regulation (INDEX assigns_tasks=no): standing duties \"… có trách nhiệm …\" in its articles",
        tasks: 0..=0,
        leads: &[],
        not_tasks: &[],
    },
];

fn fixture(id: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/realdocs")
        .join(format!("{id}.txt"))
}

/// The body of the imported document, as `cchc import` writes it.
fn imported_body(id: &str) -> String {
    let (markdown, _) = crate::import::convert(&fixture(id)).expect("fixture imports");
    let after = markdown
        .strip_prefix("---\n")
        .and_then(|m| m.split_once("\n---\n"))
        .map(|(_, body)| body.to_string());
    after.expect("front matter")
}

#[test]
fn realdocs_hand_labels() {
    let registry = UnitRegistry::default();
    let names_unit = |t: &str| registry.names_unit(t);
    let mut failures = Vec::new();
    for e in EXPECT {
        let tasks = extract_tasks(&imported_body(e.id), &names_unit);
        let summary: Vec<String> = tasks
            .iter()
            .map(|t| {
                format!(
                    "[{}] {:.60}",
                    t.lead.first().map(String::as_str).unwrap_or("-"),
                    t.text
                )
            })
            .collect();
        if !e.tasks.contains(&tasks.len()) {
            failures.push(format!(
                "{} ({}): {} tasks, expected {:?}: {summary:#?}",
                e.id,
                e.layout,
                tasks.len(),
                e.tasks
            ));
        }
        for lead in e.leads {
            if !tasks.iter().any(|t| {
                t.lead
                    .first()
                    .map(String::as_str)
                    .is_some_and(|l| l.starts_with(lead))
            }) {
                failures.push(format!("{}: no task led by {lead}: {summary:#?}", e.id));
            }
        }
        for bad in e.not_tasks {
            if tasks.iter().any(|t| t.text.starts_with(bad)) {
                failures.push(format!("{}: \"{bad}\" read as a task", e.id));
            }
        }
        // Every task found here has a lead: a duty without a unit is no commitment.
        if let Some(t) = tasks.iter().find(|t| t.lead.is_empty()) {
            failures.push(format!("{}: task without a lead: {:.80}", e.id, t.text));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
