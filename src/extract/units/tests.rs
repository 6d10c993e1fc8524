//! Tests for unit splitting, matching and the registry, with cells taken from the seeds.

use super::*;

fn entry(name: &str, slug: Option<&str>, aliases: &[&str]) -> UnitEntry {
    UnitEntry {
        name: name.to_string(),
        slug: slug.map(str::to_string),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        level: Some("tinh".to_string()),
        parent: None,
    }
}

/// A small registry like a province would write.
fn registry() -> UnitRegistry {
    let entries = vec![
        entry("Sở Nội vụ", None, &["SNV", "S& Noi vu"]),
        entry("Sở Tư pháp", None, &[]),
        entry("Sở Tài chính", None, &[]),
        entry("Sở Kế hoạch và Đầu tư", None, &["Sở KH&ĐT"]),
        entry("Sở Thông tin và Truyền thông", None, &["Sở TT&TT"]),
        entry("Sở Văn hóa, Thể thao và Du lịch", None, &[]),
        entry("Văn phòng UBND tỉnh", Some("vp-ubnd"), &["VPUB"]),
        entry("Sở Xây dựng", None, &[]),
        entry("Đài Phát thanh và Truyền hình tỉnh", None, &["Đài PT&TH"]),
        entry("UBND tỉnh", None, &[]),
    ];
    let (reg, problems) = UnitRegistry::new(entries);
    assert!(problems.is_empty(), "{problems:?}");
    reg
}

/// Cells from the seeds (task tables of 003, labelled lists of 001/002, unit-headed sections
/// of 000/004, "Nơi nhận" lists) and what they must split into, with an empty registry.
const SPLITS: &[(&str, &[&str])] = &[
    // 003, task table (clean text)
    ("Sở Nội vụ", &["Sở Nội vụ"]),
    ("Sở Nội vụ, Sở Thông tin và Truyền thông", &["Sở Nội vụ", "Sở Thông tin và Truyền thông"]),
    ("Sở Nội vụ, Báo Đồng Tháp", &["Sở Nội vụ", "Báo Đồng Tháp"]),
    ("Các cơ quan có liên quan", &["Các cơ quan"]),
    ("Đài Phát thanh và Truyền hình Tỉnh", &["Đài Phát thanh và Truyền hình Tỉnh"]),
    ("UBND cấp huyện (các huyện có điều kiện)", &["UBND cấp huyện"]),
    ("UBND và Đài Truyền thanh cấp huyện", &["UBND cấp huyện", "Đài Truyền thanh cấp huyện"]),
    ("Các sở, ban, ngành tỉnh, UBND cấp huyện, cấp xã", &["Các sở, ban, ngành tỉnh", "UBND cấp huyện", "UBND cấp xã"]),
    ("Các sở, ngành tỉnh và huyện, thị xã, thành phố có điều kiện", &["Các sở, ngành tỉnh", "Huyện, thị xã, thành phố có điều kiện"]),
    ("Các sở, ngành tỉnh và huyện, thị xã, thành phố", &["Các sở, ngành tỉnh", "Huyện, thị xã, thành phố"]),
    ("Các sở, ngành tỉnh, UBND cấp huyện, cấp xã", &["Các sở, ngành tỉnh", "UBND cấp huyện", "UBND cấp xã"]),
    ("Sở Tư pháp, UBND cấp huyện, cấp xã", &["Sở Tư pháp", "UBND cấp huyện", "UBND cấp xã"]),
    ("Các sở, ban, ngành tỉnh", &["Các sở, ban, ngành tỉnh"]),
    ("Sở Tư pháp, Sở Nội vụ", &["Sở Tư pháp", "Sở Nội vụ"]),
    ("Các sở, ban, ngành tỉnh, UBND cấp huyện", &["Các sở, ban, ngành tỉnh", "UBND cấp huyện"]),
    ("Văn phòng UBND tỉnh", &["Văn phòng UBND tỉnh"]),
    ("Sở Nội vụ, UBND cấp huyện", &["Sở Nội vụ", "UBND cấp huyện"]),
    ("Sở Nội vụ, Sở Tư pháp, Văn phòng UBND tỉnh", &["Sở Nội vụ", "Sở Tư pháp", "Văn phòng UBND tỉnh"]),
    ("Sở Tài chính, UBND cấp huyện và cấp xã", &["Sở Tài chính", "UBND cấp huyện", "UBND cấp xã"]),
    ("Sở Nội vụ, Sở Tài chính, Sở Lao động – Thương binh và Xã hội", &["Sở Nội vụ", "Sở Tài chính", "Sở Lao động – Thương binh và Xã hội"]),
    ("Sở Thông tin và Truyền thông và các sở, ngành tỉnh có liên quan và UBND cấp huyện", &["Sở Thông tin và Truyền thông", "Các sở, ngành tỉnh", "UBND cấp huyện"]),
    ("Văn phòng UBND tỉnh, Sở Nội vụ", &["Văn phòng UBND tỉnh", "Sở Nội vụ"]),
    ("Sở Thông tin và Truyền thông, Văn phòng UBND Tỉnh, Sở Nội vụ", &["Sở Thông tin và Truyền thông", "Văn phòng UBND Tỉnh", "Sở Nội vụ"]),
    ("Các Sở, ban ngành tỉnh và Ủy ban nhân dân cấp huyện", &["Các Sở, ban ngành tỉnh", "Ủy ban nhân dân cấp huyện"]),
    ("Các cơ quan, đơn vị đã và chuẩn bị được công nhận", &["Các cơ quan, đơn vị đã và chuẩn bị được công nhận"]),
    ("Sở Nội vụ, Trung tâm KSTTHC và PVHCC", &["Sở Nội vụ", "Trung tâm KSTTHC và PVHCC"]),
    ("Các Sở: Tư pháp, Tài chính, Xây dựng, Tài nguyên và Môi trường; Ban Dân vận Tỉnh ủy, Ban Pháp chế HĐND tỉnh, Đài PT&TH, Báo ĐT",
        &["Sở Tư pháp", "Sở Tài chính", "Sở Xây dựng", "Sở Tài nguyên và Môi trường", "Ban Dân vận Tỉnh ủy", "Ban Pháp chế HĐND tỉnh", "Đài PT&TH", "Báo ĐT"]),
    ("Các Sở: Nội vụ, Tư pháp, Tài chính, Kế hoạch và Đầu tư, Xây dựng, Tài nguyên và Môi trường, Văn phòng UBND tỉnh",
        &["Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Xây dựng", "Sở Tài nguyên và Môi trường", "Văn phòng UBND tỉnh"]),
    ("Cơ quan hành chính, đơn vị sự nghiệp", &["Cơ quan hành chính", "Đơn vị sự nghiệp"]),
    ("Sở Thông tin và Truyền thông", &["Sở Thông tin và Truyền thông"]),
    ("Sở thông tin và truyền thông", &["Sở thông tin và truyền thông"]),
    // 001 and 002, labelled lists (OCR)
    ("Phong Hanh chinh - Quan tri.", &["Phong Hanh chinh - Quan tri"]),
    ("Trung tdm Phuc vu - Kiém soat thi tuc hanh chinh.", &["Trung tdm Phuc vu - Kiém soat thi tuc hanh chinh"]),
    ("Trung tdam Cong bao va Tin hoc; Trung tdm Phuc vu - Kiém soat thu tuc hanh chinh", &["Trung tdam Cong bao va Tin hoc", "Trung tdm Phuc vu - Kiém soat thu tuc hanh chinh"]),
    ("S& Noi vu.", &["S& Noi vu"]),
    ("S& N1 vu.", &["S& N1 vu"]),
    ("Uy ban nhan dan cép huyén.", &["Uy ban nhan dan cép huyén"]),
    ("Cac co quan chuyén mon thudc tinh va Uy ban nhan\ndan cap huyén.", &["Cac co quan chuyén mon thudc tinh", "Uy ban nhan dan cap huyén"]),
    ("S& Noi vu va céc co quan, don vi, dia phuong cd lién\nquan.", &["S& Noi vu", "Céc co quan, don vi, dia phuong"]),
    ("S Noi vu va cac co quan, don vi ¢6 lién quan.", &["S Noi vu", "Cac co quan, don vi"]),
    ("Céc co quan, don vi, dja phuong c6 lién quan.", &["Céc co quan, don vi, dja phuong"]),
    ("Hoi dong tham dinh va T6 giap viéc Hoi dong tham\ndinh.", &["Hoi dong tham dinh", "T6 giap viéc Hoi dong tham dinh"]),
    ("Thanh vién Hoi dong tham dinh, T6 giup viéc.", &["Thanh vién Hoi dong tham dinh", "T6 giup viéc"]),
    ("Vin phong Uy ban nhan dan tinh va cac S6: Tu phép,\nThong tin va Truyén thong, Tai chinh, Khoa hoc va Cong nghé.",
        &["Vin phong Uy ban nhan dan tinh", "Sở Tu phép", "Sở Thong tin va Truyén thong", "Sở Tai chinh", "Sở Khoa hoc va Cong nghé"]),
    ("Cé4c co quan chuyén mén thudc tinh va Uy ban nhan\ndan cac huyén, thi xa, thanh pho.", &["Cé4c co quan chuyén mén thudc tinh", "Uy ban nhan dan cac huyén, thi xa, thanh pho"]),
    ("Trung tdm Cong nghé thong tin va Truyén thong\nthudc S& Thong tin va Truyén thong.", &["Trung tdm Cong nghé thong tin va Truyén thong thudc S& Thong tin va Truyén thong"]),
    ("- Bon vi chu tri: Phong Hanh chinh - Quan tri.", &["Phong Hanh chinh - Quan tri"]),
    ("Cac So: Noi vy, Tu phap, Thong tin va\nTruyén thdng, Khoa hoc va CN, Tai chinh;", &["Sở Noi vy", "Sở Tu phap", "Sở Thong tin va Truyén thdng", "Sở Khoa hoc va CN", "Sở Tai chinh"]),
    // 000 and 004, unit-headed sections ("Giám đốc" stands for the unit)
    ("Giam dbc S¢ Tw phap", &["S¢ Tw phap"]),
    ("Giam doc Sé Tai chinh", &["Sé Tai chinh"]),
    ("Chanh Vin phong UBND tinh", &["Vin phong UBND tinh"]),
    ("Giam doc S& Nji vu", &["S& Nji vu"]),
    ("Giam d6c S& Thong tin va Truyén thong", &["S& Thong tin va Truyén thong"]),
    ("Cac Thanh vién Ban Chi dao cai cach hanh chinh tinh", &["Cac Thanh vién Ban Chi dao cai cach hanh chinh tinh"]),
    ("Giám đốc Sở Nội vụ", &["Sở Nội vụ"]),
    ("Thủ trưởng các sở, ban, ngành tỉnh và Chủ tịch Ủy ban nhân dân huyện, thị xã, thành phố", &["Các sở, ban, ngành tỉnh", "Ủy ban nhân dân huyện, thị xã, thành phố"]),
    ("UBND các huyện, thành phố", &["UBND các huyện, thành phố"]),
    ("UBND cac huyen, thanh pho", &["UBND cac huyen, thanh pho"]),
    ("UBND các huyện, thị xã, thành phố", &["UBND các huyện, thị xã, thành phố"]),
    ("Các cơ quan, đơn vị", &["Các cơ quan, đơn vị"]),
    ("các cơ quan, đơn vị có liên quan", &["Các cơ quan, đơn vị"]),
    ("Céac S@, ban nganh; Céng an tinh, Cuc Thué, Cuc\nHai quan, Ngén hang Nha nuéce, Kho bac Nha\nnuéce tinh, Bao hidm x4 hoi tinh;",
        // "Ngén hang" (Ngân hàng) is too garbled to look like a unit, so it is glued on.
        &["Céac S@, ban nganh", "Céng an tinh", "Cuc Thué", "Cuc Hai quan, Ngén hang Nha nuéce", "Kho bac Nha nuéce tinh", "Bao hidm x4 hoi tinh"]),
    // brief examples
    ("Sở Nội vụ, Sở Tư pháp", &["Sở Nội vụ", "Sở Tư pháp"]),
    ("Các Sở: Tư pháp, Tài chính, Xây dựng", &["Sở Tư pháp", "Sở Tài chính", "Sở Xây dựng"]),
    ("Sở Tư pháp; Sở Tài chính", &["Sở Tư pháp", "Sở Tài chính"]),
    ("Sở Nội vụ và Sở Tư pháp", &["Sở Nội vụ", "Sở Tư pháp"]),
    ("- Sở Nội vụ (chủ trì)", &["Sở Nội vụ"]),
    ("+ Sở Nội vụ, Sở Nội vụ.", &["Sở Nội vụ"]),
    ("UBND cấp huyện", &["UBND cấp huyện"]),
    ("Sở Nội vụ<br>Sở Tư pháp", &["Sở Nội vụ", "Sở Tư pháp"]),
    ("- Sở Nội vụ\n- Sở Tư pháp", &["Sở Nội vụ", "Sở Tư pháp"]),
    ("Các Sở:\n- Tư pháp\n- Tài chính", &["Sở Tư pháp", "Sở Tài chính"]),
    ("Sở Nội vụ\nvà Sở Tư pháp", &["Sở Nội vụ", "Sở Tư pháp"]),
    ("", &[]),
    (" ,; - ", &[]),
];

#[test]
fn splits_seed_cells() {
    let reg = UnitRegistry::default();
    let mut failures = Vec::new();
    for (cell, want) in SPLITS {
        let got = reg.split_names(cell);
        if got != *want {
            failures.push(format!("{cell:?}\n   got  {got:?}\n   want {want:?}"));
        }
    }
    assert!(SPLITS.len() >= 40);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn splits_with_registry() {
    let reg = registry();
    // A registered name with a comma stays whole.
    assert_eq!(
        reg.split_names("Sở Văn hóa, Thể thao và Du lịch, Sở Nội vụ"),
        ["Sở Văn hóa, Thể thao và Du lịch", "Sở Nội vụ"]
    );
    // Bare items after a registered Sở are Sở when the registry knows them.
    assert_eq!(
        reg.split_names("Sở Nội vụ, Tư pháp, Tài chính"),
        ["Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính"]
    );
    // Inside "Các Sở:", "Tư pháp và Tài chính" is two registered units.
    assert_eq!(
        reg.split_names("Các Sở: Nội vụ, Tư pháp và Tài chính"),
        ["Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính"]
    );
    assert_eq!(
        reg.split_names("Các Sở: Nội vụ, Kế hoạch và Đầu tư"),
        ["Sở Nội vụ", "Sở Kế hoạch và Đầu tư"]
    );
    for (cell, want) in SPLITS.iter().take(30) {
        assert_eq!(reg.split_names(cell), *want, "{cell}");
    }
}

#[test]
fn match_keys() {
    assert_eq!(match_key("Sở Nội vụ"), "so noi vu");
    assert_eq!(match_key("Giám đốc Sở Nội vụ"), "so noi vu");
    assert_eq!(match_key("Phó Giám đốc Sở Nội vụ"), "so noi vu");
    assert_eq!(match_key("S& Noi vu"), "so noi vu");
    assert_eq!(match_key("Giam doc S& Nji vu"), "so noi vu");
    assert_eq!(match_key("SNV"), "so noi vu");
    assert_eq!(
        match_key("Chánh Văn phòng UBND tỉnh"),
        "van phong uy ban nhan dan tinh"
    );
    assert_eq!(match_key("VP UBND tỉnh"), "van phong uy ban nhan dan tinh");
    assert_eq!(
        match_key("Chanh Vin phong UBND tinh"),
        "van phong uy ban nhan dan tinh"
    );
    assert_eq!(
        match_key("Văn phòng Ủy ban nhân dân tỉnh"),
        "van phong uy ban nhan dan tinh"
    );
    assert_eq!(match_key("Sở TT&TT"), "so thong tin truyen thong");
    assert_eq!(match_key("Sở TTTT"), "so thong tin truyen thong");
    assert_eq!(
        match_key("Sở Thông tin và Truyền thông"),
        "so thong tin truyen thong"
    );
    assert_eq!(
        match_key("Trưởng ban Dân vận Tỉnh ủy"),
        "ban dan van tinh uy"
    );
    assert_eq!(
        match_key("Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh"),
        "bo chi huy quan su tinh"
    );
    assert_eq!(match_key("Chủ tịch UBND tỉnh"), "uy ban nhan dan tinh");
    assert_eq!(
        match_key("Các sở, ngành tỉnh"),
        match_key("các sở, ban, ngành tỉnh")
    );
    assert_eq!(match_key("  - Sở Nội vụ (chủ trì)."), "so noi vu");
    assert_eq!(match_key("Giám đốc"), "giam doc");
    assert_eq!(match_key(""), "");
    assert_ne!(match_key("Sở Tài chính"), match_key("Sở Tư pháp"));
    assert_ne!(match_key("Văn phòng UBND tỉnh"), match_key("UBND tỉnh"));
}

#[test]
fn lookups() {
    let reg = registry();
    let idx = |name: &str| reg.units().iter().position(|u| u.name == name);
    let noi_vu = idx("Sở Nội vụ");
    assert!(noi_vu.is_some());
    for written in [
        "Sở Nội vụ",
        "SỞ NỘI VỤ",
        "so noi vu",
        "Sở  Nội   vụ",
        "SởNội vụ",
        "Giám đốc Sở Nội vụ",
        "Giam doc S& Nji vu",
        "S& Noi vu",
        "Sé Noi vu",
        "S No1 vu",
        "SNV",
        "- Sở Nội vụ (chủ trì)",
    ] {
        assert_eq!(reg.lookup(written), noi_vu, "{written}");
    }
    let vp = idx("Văn phòng UBND tỉnh");
    for written in [
        "Chánh Văn phòng UBND tỉnh",
        "VP UBND tỉnh",
        "Văn phòng Ủy ban nhân dân tỉnh",
        "VPUB",
        "Chanh Vin phong UBND tinh",
    ] {
        assert_eq!(reg.lookup(written), vp, "{written}");
    }
    assert_eq!(reg.lookup("Sở Tài chính"), idx("Sở Tài chính"));
    assert_ne!(reg.lookup("Sở Tài chính"), reg.lookup("Sở Tư pháp"));
    assert_eq!(reg.lookup("Sở KH&ĐT"), idx("Sở Kế hoạch và Đầu tư"));
    assert_eq!(
        reg.lookup("Sở Kế hoạch và Đầu tư"),
        idx("Sở Kế hoạch và Đầu tư")
    );
    assert_eq!(
        reg.lookup("Giam doc S& Thong tin va Truyén thong"),
        idx("Sở Thông tin và Truyền thông")
    );
    assert_eq!(reg.lookup("Sở TT&TT"), idx("Sở Thông tin và Truyền thông"));
    assert_eq!(
        reg.lookup("Đài PT&TH tỉnh"),
        idx("Đài Phát thanh và Truyền hình tỉnh")
    );
    assert_eq!(reg.lookup("Chủ tịch UBND tỉnh"), idx("UBND tỉnh"));
    assert_eq!(reg.lookup("Sở Kế hoạch"), None);
    assert_eq!(reg.lookup("Sở Nội vụ, Sở Tư pháp"), None);
    assert_eq!(reg.lookup(""), None);
    assert_eq!(reg.lookup("Giám đốc"), None);
}

#[test]
fn resolve_adds_unregistered_once() {
    let mut reg = registry();
    let n = reg.units().len();
    assert_eq!(
        Some(reg.resolve("Giám đốc Sở Tư pháp")),
        reg.lookup("Sở Tư pháp")
    );
    let a = reg.resolve("Giám đốc Sở Y tế");
    let b = reg.resolve("SỞ Y TẾ.");
    let c = reg.resolve("So Y te");
    assert_eq!((a, b), (n, n));
    assert_eq!(c, n);
    let unit = &reg.units()[a];
    assert_eq!(unit.name, "Sở Y tế");
    assert_eq!(unit.slug, "so-y-te");
    assert_eq!(unit.level, UnitLevel::Khac);
    assert!(!unit.registered);
    assert_eq!(
        reg.lookup("Sở Y tế"),
        None,
        "lookup only finds registered units"
    );
    let d = reg.resolve("Các sở, ban, ngành tỉnh");
    assert_eq!(reg.resolve("các sở, ngành tỉnh"), d);
    assert_eq!(reg.units()[d].name, "Các sở, ban, ngành tỉnh");
    let e = reg.resolve("");
    assert_eq!(reg.resolve("  "), e);
    assert!(is_safe_slug(&reg.units()[e].slug));
}

#[test]
fn resolve_keeps_slugs_unique() {
    let (mut reg, problems) = UnitRegistry::new(vec![entry("Sở Nội vụ", Some("so-y-te"), &[])]);
    assert!(problems.is_empty());
    let y = reg.resolve("Sở Y tế");
    assert_eq!(reg.units()[y].slug, "so-y-te-2");
}

#[test]
fn nearest_suggests_close_names() {
    let reg = registry();
    let idx = |name: &str| {
        reg.units()
            .iter()
            .position(|u| u.name == name)
            .unwrap_or(usize::MAX)
    };
    assert_eq!(reg.nearest("Sở Nội vự", 3).first(), Some(&idx("Sở Nội vụ")));
    assert_eq!(reg.nearest("So Tu phep", 1), vec![idx("Sở Tư pháp")]);
    assert_eq!(
        reg.nearest("Sở Tài chánh", 2).first(),
        Some(&idx("Sở Tài chính"))
    );
    assert!(reg.nearest("Công an tỉnh Bình Dương", 3).is_empty());
    assert!(reg.nearest("Sở Nội vụ", 0).is_empty());
    assert!(reg.nearest("", 3).is_empty());
    assert!(reg.nearest(&"Sở ".repeat(10_000), 3).len() <= 3);
}

#[test]
fn names_unit_heads() {
    let reg = registry();
    for yes in [
        "3. Giám đốc Sở Thông tin và Truyền thông",
        "2. Giam dbc S¢ Tw phap",
        "5. Chanh Vin phong UBND tinh",
        "6. Giam doc S& Nji vu",
        "2. Cac Thanh vién Ban Chi dao cai cach hanh chinh tinh",
        "Sở Y tế",
        "UBND cấp huyện",
        "Ủy ban nhân dân cấp huyện",
        "Công an tỉnh",
        "Bộ Chỉ huy Quân sự tỉnh",
        "Đài Phát thanh và Truyền hình tỉnh",
        "Báo Đồng Tháp",
        "Trường Chính trị tỉnh",
        "Thanh tra tỉnh",
        "Kho bạc Nhà nước tỉnh",
        "Cục Thuế tỉnh",
        "Chi cục Văn thư - Lưu trữ",
        "Bảo hiểm xã hội tỉnh",
        "Liên đoàn Lao động tỉnh",
        "Hội Nông dân tỉnh",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
        "Mặt trận Tổ quốc",
        "Các sở, ban, ngành tỉnh",
        "Các cơ quan, đơn vị có liên quan",
        "Trung tâm Phục vụ hành chính công",
        "VPUB",
        "S& Noi vu",
        "4. S& Thong tin va Truyén thong",
    ] {
        assert!(reg.names_unit(yes), "{yes}");
    }
    for no in [
        "Báo cáo kết quả thực hiện",
        "Ban hành Kế hoạch cải cách hành chính",
        "Số TT",
        "Sổ tay hướng dẫn",
        "so hoa ho so",
        "Tổ chức Hội thi tìm hiểu",
        "Hội nghị tập huấn",
        "Phòng, chống tham nhũng",
        "Thanh tra, kiểm tra công vụ",
        "Chu tri tham muu Chu tich UBND tinh",
        "Kiểm tra cải cách hành chính",
        "Trường hợp cần thiết",
        "Bảo đảm tiến độ",
        "Giám đốc",
        "",
        "3.",
        "Cải cách thể chế",
    ] {
        assert!(!reg.names_unit(no), "{no}");
    }
}

#[test]
fn registry_problems() {
    let mut bad_level = entry("Sở Y tế", None, &[]);
    bad_level.level = Some("province".to_string());
    let mut self_parent = entry("Sở Công Thương", None, &[]);
    self_parent.parent = Some("SỞ CÔNG THƯƠNG".to_string());
    let mut child = entry("Chi cục Văn thư - Lưu trữ", None, &[]);
    child.parent = Some("SNV".to_string());
    let entries = vec![
        entry("Sở Nội vụ", Some("so-noi-vu"), &["SNV"]),
        entry("Sở Tư pháp", Some("so-noi-vu"), &[]),
        entry("Sở Tài chính", None, &["SNV"]),
        entry("Sở Xây dựng", Some("../x"), &[]),
        bad_level,
        self_parent,
        entry("  ", None, &[]),
        child,
    ];
    let (reg, problems) = UnitRegistry::new(entries);
    assert_eq!(
        problems,
        vec![
            RegistryProblem::DuplicateSlug {
                index: 1,
                slug: "so-noi-vu".into(),
                first: 0
            },
            RegistryProblem::DuplicateKey {
                index: 2,
                written: "SNV".into(),
                other: 0
            },
            RegistryProblem::BadSlug {
                index: 3,
                slug: "../x".into()
            },
            RegistryProblem::UnknownLevel {
                index: 4,
                level: "province".into()
            },
            RegistryProblem::SelfParent {
                index: 5,
                name: "Sở Công Thương".into()
            },
            RegistryProblem::EmptyName { index: 6 },
        ]
    );
    for p in &problems {
        assert!(!p.message().is_empty());
    }
    assert_eq!(problems[1].index(), 2);
    let slugs: Vec<&str> = reg.units().iter().map(|u| u.slug.as_str()).collect();
    assert_eq!(
        slugs[..4],
        ["so-noi-vu", "so-noi-vu-2", "so-tai-chinh", "so-xay-dung"]
    );
    assert_eq!(reg.units()[4].level, UnitLevel::Khac);
    // The shared alias stays with the first unit; the parent is written canonically.
    assert_eq!(reg.lookup("SNV"), Some(0));
    assert_eq!(reg.units()[6].parent.as_deref(), Some("Sở Nội vụ"));
    assert!(reg.units().iter().all(|u| u.registered));
}

#[test]
fn registry_from_yaml() {
    let yaml = "- name: Sở Nội vụ\n  slug: so-noi-vu\n  aliases: [SNV, Giám đốc Sở Nội vụ, S& Noi vu]\n  level: tinh\n  parent: UBND tỉnh Đồng Nai\n- name: Sở Tư pháp\n";
    let entries: Vec<UnitEntry> = yaml_serde::from_str(yaml).unwrap_or_default();
    assert_eq!(entries.len(), 2);
    let (reg, problems) = UnitRegistry::new(entries);
    assert!(problems.is_empty());
    assert_eq!(reg.units()[1].slug, "so-tu-phap");
    assert_eq!(reg.units()[0].parent.as_deref(), Some("UBND tỉnh Đồng Nai"));
    let unknown: Result<Vec<UnitEntry>, _> = yaml_serde::from_str("- name: X\n  colour: red\n");
    assert!(unknown.is_err());
}

#[test]
fn hostile_input_returns() {
    let reg = registry();
    let long = "Sở Nội vụ, ".repeat(3_000);
    assert_eq!(reg.split_names(&long), ["Sở Nội vụ"]);
    let words = "a, b và c; (d, ".repeat(3_000);
    let _ = reg.split_names(&words);
    let parens = "x (a) ".repeat(3_000);
    let _ = reg.split_names(&parens);
    let titles = "Phó ".repeat(3_000) + "Giám đốc Sở Nội vụ";
    let _ = match_key(&titles);
    let _ = reg.names_unit(&"1. ".repeat(3_000));
    for s in [
        "(",
        ")",
        "((",
        "và",
        " và ",
        ":",
        "Các Sở:",
        "Các Sở: ,",
        "\u{300}",
        "Đ",
        "<br",
        "\n-",
    ] {
        let _ = reg.split_names(s);
        let _ = reg.names_unit(s);
        let _ = match_key(s);
    }
}
