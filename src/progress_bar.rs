//! A progress line on stderr for builds that take more than a second: the stage and the number
//! of files written so far. Only `main` starts it, and only when stderr is a terminal and `-q`
//! is not given; until then [`stage`] and [`tick`] cost nothing and print nothing, so library
//! users, tests and piped output never see it.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The bar, and whether it has finished (guarded together so that the delayed show and the
/// finish cannot interleave and leave a bar drawn after the summary).
struct Line {
    bar: ProgressBar,
    done: Arc<Mutex<bool>>,
}

static LINE: OnceLock<Line> = OnceLock::new();

/// How long a build runs before the bar shows: quick builds print only their summary.
const DELAY: Duration = Duration::from_secs(1);

/// Starts the (still hidden) bar; it appears after `DELAY` unless [`finish`] came first.
pub fn start() {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    let style = ProgressStyle::with_template("{spinner} {elapsed} · {msg} · {pos} tệp đã ghi")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    let done = Arc::new(Mutex::new(false));
    let line = Line {
        bar: bar.clone(),
        done: done.clone(),
    };
    if LINE.set(line).is_err() {
        return;
    }
    std::thread::spawn(move || {
        std::thread::sleep(DELAY);
        if let Ok(done) = done.lock() {
            if !*done {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                bar.enable_steady_tick(Duration::from_millis(120));
            }
        }
    });
}

/// Names the stage the build is in (shown in the bar).
pub fn stage(label: &'static str) {
    if let Some(line) = LINE.get() {
        line.bar.set_message(label);
    }
}

/// Counts one written file.
pub fn tick() {
    if let Some(line) = LINE.get() {
        line.bar.inc(1);
    }
}

/// Removes the bar before the summary is printed.
pub fn finish() {
    if let Some(line) = LINE.get() {
        if let Ok(mut done) = line.done.lock() {
            *done = true;
            line.bar.finish_and_clear();
        }
    }
}
