//! `cchc` binary: parse arguments, call the library, print diagnostics, exit with a code.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use cchc::cli::{BuildArgs, Cli, Command, ImportArgs, NewCommand, ServeArgs};
use cchc::{BuildOptions, Report};

/// mimalloc: builds allocate and free millions of small strings across threads; glibc's
/// allocator spent a quarter of a build in malloc/free and fragmented at 10,000 documents.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Tunes mimalloc (`cchc::alloc::tune`) as the process starts (ELF `.init_array`, as the `ctor`
/// crate does), before Rust's runtime makes its first allocation: mimalloc reserves its first
/// arena on that allocation and reads `arena_eager_commit` only then, so a call from `main`
/// would be too late for that arena.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static TUNE_ALLOCATOR_AT_START: extern "C" fn() = {
    extern "C" fn at_start() {
        cchc::alloc::tune();
    }
    at_start
};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build(&args),
        Command::Check(args) => check(&args),
        Command::New(cmd) => new(cmd),
        Command::Serve(args) => serve(&args),
        Command::Import(args) => import(args),
    }
}

fn options(args: &BuildArgs) -> BuildOptions {
    BuildOptions {
        root: args.root.clone(),
        out: args.out.clone(),
        today: args.today,
        base_url: args.base_url.clone(),
        drafts: args.drafts,
        cache_dir: args.cache_dir.clone(),
        no_cache: args.no_cache,
    }
}

fn print_diagnostics(report: &Report, quiet: bool) {
    let color = std::io::stderr().is_terminal();
    for d in &report.diagnostics {
        if quiet && !d.is_error() {
            continue;
        }
        let text = d.to_string();
        if color {
            let code = if d.is_error() { "31" } else { "33" };
            eprintln!("\x1b[{code}m{text}\x1b[0m");
        } else {
            eprintln!("{text}");
        }
    }
}

/// Says why a build updated the last output in place rather than making every file.
fn print_in_place(report: &Report, quiet: bool) {
    match (report.in_place, quiet) {
        (Some(0), false) => eprintln!(
            "Nội dung không đổi từ lần dựng trước vào thư mục này: giữ nguyên mọi tệp."
        ),
        (Some(edited), false) => eprintln!(
            "Chỉ lời văn đổi, ở {edited} văn bản: chỉ dựng lại trang các văn bản này và chỉ mục tìm kiếm; các tệp khác giữ từ lần dựng trước."
        ),
        _ => {}
    }
}

/// One line when the build cache was not used or not saved (the build itself is unaffected).
fn print_cache_warning(report: &Report, quiet: bool) {
    if let (Some(w), false) = (&report.cache_warning, quiet) {
        eprintln!("cảnh báo: bộ đệm dựng: {w}; đã dựng lại toàn bộ phần liên quan.");
    }
}

fn build(args: &BuildArgs) -> ExitCode {
    let opts = options(args);
    if !args.quiet && std::io::stderr().is_terminal() {
        cchc::progress_bar::start();
    }
    let result = cchc::build(&opts);
    cchc::progress_bar::finish();
    match result {
        Ok(report) => {
            print_diagnostics(&report, args.quiet);
            print_cache_warning(&report, args.quiet);
            if report.written {
                print_in_place(&report, args.quiet);
                eprintln!(
                    "Đã dựng {} văn bản, {} nhiệm vụ, {} trang ({} tệp; {} tệp mới hoặc đổi, {} tệp bỏ) vào {} — {} cảnh báo, {:.2} giây.",
                    report.documents, report.tasks, report.pages, report.files, report.changed, report.removed, opts.out_dir().display(), report.warnings(), report.seconds
                );
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "Dựng thất bại: {} lỗi, {} cảnh báo; thư mục đầu ra giữ nguyên như cũ.",
                    report.errors(),
                    report.warnings()
                );
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn check(args: &BuildArgs) -> ExitCode {
    let report = cchc::check(&options(args));
    print_diagnostics(&report, args.quiet);
    print_cache_warning(&report, args.quiet);
    if !report.external_refs.is_empty() && !args.quiet {
        eprintln!(
            "Văn bản được dẫn chiếu nhưng không có trên cổng (hiển thị dạng chữ, không liên kết):"
        );
        for (number, file) in &report.external_refs {
            eprintln!("  {number}  ({})", file.display());
        }
    }
    eprintln!(
        "Kiểm tra {} văn bản, {} nhiệm vụ, {} đơn vị: {} lỗi, {} cảnh báo.",
        report.documents,
        report.tasks,
        report.units,
        report.errors(),
        report.warnings()
    );
    if report.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn new(cmd: NewCommand) -> ExitCode {
    let result = match cmd {
        NewCommand::Site { dir } => cchc::scaffold::new_site(&dir).map(|()| {
            format!(
                "Đã tạo trang mới trong {}; chạy `cchc build --root {}`.",
                dir.display(),
                dir.display()
            )
        }),
        NewCommand::Doc {
            path,
            title,
            doc_type,
            root,
        } => cchc::scaffold::new_doc(&root, &path, &title, &doc_type)
            .map(|p| format!("Đã tạo {}", p.display())),
    };
    match result {
        Ok(msg) => {
            eprintln!("{msg}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn serve(args: &ServeArgs) -> ExitCode {
    let opts = cchc::serve::ServeOptions {
        root: args.root.clone(),
        bind: args.bind,
        port: args.port,
        assemble: cchc::site::AssembleOptions {
            today: args.today,
            drafts: args.show_drafts(),
            base_url: Some("/".into()),
            rerender_bodies: false,
        },
    };
    match cchc::serve::serve(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// `cchc import`: one report per file; exit 2 when any file failed (the others are written).
fn import(args: ImportArgs) -> ExitCode {
    let opts = cchc::import::ImportOptions {
        files: args.files,
        into: args.into,
        force: args.force,
    };
    let mut failed = 0;
    let results = cchc::import::import(&opts);
    let total = results.len();
    for r in results {
        match r {
            Ok(imported) => print!("{}", cchc::import::report(&imported)),
            Err(e) => {
                failed += 1;
                eprintln!("error: {e}");
            }
        }
    }
    eprintln!(
        "Đã nhập {} / {total} tệp vào {}.",
        total - failed,
        opts.into.display()
    );
    if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
