//! `cchc new`: a new site or a new document from a template. Never overwrites a file.

use std::fs;
use std::io;
use std::path::Path;

use crate::model::DocType;

const SITE_YAML: &str = "title: Cổng công khai kế hoạch cải cách hành chính\ndescription: Kế hoạch, nhiệm vụ và thời hạn cải cách hành chính\nbase_url: /\nlanguage: vi\nintro: |\n  Cổng này công khai các kế hoạch cải cách hành chính, nhiệm vụ của từng đơn vị và thời hạn hoàn thành.\n";
const UNITS_YAML: &str = "- name: Sở Nội vụ\n  aliases: [SNV, Giám đốc Sở Nội vụ]\n  level: tinh\n- name: Sở Tư pháp\n  level: tinh\n";

/// The front matter and body skeleton of a new document.
pub fn document_template(title: &str, doc_type: DocType) -> String {
    format!(
        "---\ntitle: {title}\ntype: {}\nnumber:\nissuer:\ndate:\nyear:\nsigner:\nrefs: []\nareas: []\nsummary:\ndraft: true\n---\n\n## I. MỤC ĐÍCH, YÊU CẦU\n\n## II. NHIỆM VỤ\n\n| Số TT | Nội dung thực hiện | Sản phẩm | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện |\n|---|---|---|---|---|---|\n| 1 | … | … | Sở Nội vụ | | Quý I/2025 |\n",
        doc_type.code()
    )
}

fn create_new(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    io::Write::write_all(&mut f, text.as_bytes())
}

/// Creates a site skeleton in `dir` (which must be empty or absent).
pub fn new_site(dir: &Path) -> io::Result<()> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("thư mục `{}` không trống", dir.display()),
        ));
    }
    create_new(&dir.join("content/site.yaml"), SITE_YAML)?;
    create_new(&dir.join("content/units.yaml"), UNITS_YAML)?;
    create_new(
        &dir.join("content/mau/ke-hoach-mau.md"),
        &document_template("Kế hoạch cải cách hành chính năm 2025", DocType::KeHoach),
    )
}

/// Creates `content/<path>` under `root` from the document template.
pub fn new_doc(
    root: &Path,
    path: &Path,
    title: &str,
    doc_type: &str,
) -> io::Result<std::path::PathBuf> {
    let t = DocType::from_code(doc_type).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("loại văn bản không hợp lệ `{doc_type}`"),
        )
    })?;
    if path.is_absolute()
        || path
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "đường dẫn phải nằm trong content/",
        ));
    }
    let full = root.join("content").join(path).with_extension("md");
    create_new(&full, &document_template(title, t))?;
    Ok(full)
}

#[cfg(test)]
mod tests {
    #[test]
    fn scaffolds_a_site_that_does_not_clobber() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("s");
        super::new_site(&site).unwrap();
        assert!(site.join("content/site.yaml").exists());
        assert!(super::new_site(&site).is_err());
        assert!(super::new_doc(&site, std::path::Path::new("../x"), "T", "ke-hoach").is_err());
        let p = super::new_doc(&site, std::path::Path::new("a/b"), "T", "thong-bao").unwrap();
        assert!(std::fs::read_to_string(p)
            .unwrap()
            .contains("type: thong-bao"));
    }
}
