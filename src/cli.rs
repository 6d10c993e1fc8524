//! Command-line interface (clap structs only; `main.rs` dispatches).

// The doc comments below are the `--help` text, shown as written: `<root>` and bare URLs
// there are for the terminal, not rustdoc's HTML.
#![allow(rustdoc::invalid_html_tags, rustdoc::bare_urls)]

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// cchc — dựng cổng công khai kế hoạch cải cách hành chính từ các tệp Markdown.
///
/// Exit codes: 0 = thành công; 1 = nội dung có lỗi (không ghi gì); 2 = lỗi dùng lệnh hoặc
/// lỗi đọc/ghi tệp.
#[derive(Debug, Parser)]
#[command(name = "cchc", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Dựng trang: đọc content/, ghi ra public/ (chỉ thay khi dựng xong, không lỗi).
    Build(BuildArgs),
    /// Kiểm tra toàn bộ nội dung như khi dựng, không ghi gì; liệt kê mọi vấn đề.
    Check(BuildArgs),
    /// Xem trước: dựng trong bộ nhớ, phục vụ tại 127.0.0.1, tự dựng lại và tải lại trang khi sửa tệp.
    Serve(ServeArgs),
    /// Nhập văn bản thật (.docx, trang web đã lưu .html, văn bản chép .txt/.md) thành văn bản
    /// Markdown của trang, đoán phần đầu (loại, số, cơ quan, ngày, người ký…) từ chính văn bản.
    Import(ImportArgs),
    /// Tạo trang mới hoặc văn bản mới từ mẫu.
    #[command(subcommand)]
    New(NewCommand),
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Thư mục trang (chứa content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Thư mục đầu ra (mặc định: <root>/public).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Ngày tính hạn, dạng YYYY-MM-DD (mặc định: hôm nay theo giờ Việt Nam).
    #[arg(long, value_parser = parse_date)]
    pub today: Option<jiff::civil::Date>,
    /// Địa chỉ gốc khi đăng tải, ví dụ https://cchc.example.gov.vn/ hoặc /cchc/.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Dựng cả văn bản nháp (draft: true).
    #[arg(long)]
    pub drafts: bool,
    /// Không in cảnh báo, chỉ in lỗi và dòng tổng kết.
    #[arg(long, short)]
    pub quiet: bool,
    /// Thư mục bộ đệm dựng (mặc định: <root>/.cchc-cache; xóa lúc nào cũng được, không đăng tải).
    #[arg(long, conflicts_with = "no_cache")]
    pub cache_dir: Option<PathBuf>,
    /// Không đọc, không ghi bộ đệm dựng: dựng lại toàn bộ.
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Các tệp cần nhập (.docx, .html/.htm, .txt/.md).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Thư mục ghi văn bản (mặc định: content/).
    #[arg(long, default_value = "content")]
    pub into: PathBuf,
    /// Ghi đè tệp đã có.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Thư mục trang (chứa content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Cổng (nếu bận, dùng cổng trống kế tiếp).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Địa chỉ lắng nghe; mặc định chỉ máy này (127.0.0.1).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Ngày tính hạn, dạng YYYY-MM-DD.
    #[arg(long, value_parser = parse_date)]
    pub today: Option<jiff::civil::Date>,
    /// Hiện cả văn bản nháp (mặc định: có; giữ để tương thích).
    #[arg(long, overrides_with = "no_drafts")]
    pub drafts: bool,
    /// Ẩn văn bản nháp, như khi dựng trang thật.
    #[arg(long, overrides_with = "drafts")]
    pub no_drafts: bool,
}

impl ServeArgs {
    /// Whether drafts are shown: yes unless `--no-drafts` came last.
    pub fn show_drafts(&self) -> bool {
        !self.no_drafts
    }
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Tạo một trang mới (content/site.yaml, units.yaml và một văn bản mẫu).
    Site {
        /// Thư mục sẽ tạo (phải trống hoặc chưa có).
        dir: PathBuf,
    },
    /// Tạo một văn bản mới trong content/.
    Doc {
        /// Đường dẫn tệp trong content/, ví dụ dong-nai/ke-hoach-2025.md
        path: PathBuf,
        /// Tên văn bản.
        #[arg(long)]
        title: String,
        /// Loại: ke-hoach | thong-bao | quyet-dinh | nghi-quyet | bao-cao | chi-thi | cong-van | khac
        #[arg(long = "type", default_value = "ke-hoach")]
        doc_type: String,
        /// Thư mục trang.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    crate::parse::document::parse_iso_date(s)
        .ok_or_else(|| format!("ngày không hợp lệ `{s}` (cần YYYY-MM-DD, ngày có thật)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve_drafts(args: &[&str]) -> bool {
        let argv = ["cchc", "serve"].iter().chain(args);
        match Cli::try_parse_from(argv).map(|c| c.command) {
            Ok(Command::Serve(a)) => a.show_drafts(),
            other => panic!("not a serve command: {other:?}"),
        }
    }

    #[test]
    fn serve_shows_drafts_unless_told_not_to() {
        assert!(serve_drafts(&[]));
        assert!(serve_drafts(&["--drafts"]));
        assert!(!serve_drafts(&["--no-drafts"]));
        // The last of the two wins, as with any pair of opposite flags.
        assert!(serve_drafts(&["--no-drafts", "--drafts"]));
        assert!(!serve_drafts(&["--drafts", "--no-drafts"]));
    }
}
