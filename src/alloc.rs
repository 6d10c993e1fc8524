//! The allocator's tuning: how soon mimalloc hands freed memory back to the system.
//!
//! A build's stages each make and drop hundreds of megabytes (a year's open data, a shard of
//! the search index), and the peak is the sum of what lives plus what was freed but not yet
//! returned. mimalloc (v3) by default returns freed pages a second after they empty and commits
//! whole arenas eagerly. Committing on demand is always right for us. Returning pages at once
//! is a trade, so it depends on the site's size ([`fit_to`]):
//! - it keeps the peak lower: at 100,000 generated documents 1,960 MB against 2,054 MB
//!   (`/usr/bin/time`, before tasks shared their recurring strings), which is what kept such
//!   a build under 2 GB;
//! - but every page freed and used again is then faulted in and zeroed by the kernel again:
//!   at 10,000 documents that doubled the system time (3.0 → 5.2 s) and cost ~12% of the wall
//!   time, for a peak of 255 MB against 320 MB;
//! - a delay in between trades some of each. At 100,000 documents, since tasks share their
//!   recurring strings (`model::Shared`), 100 ms against 0: wall 96 against 104 s (median of
//!   three, interleaved), system CPU 30 against 41 s, peak 1,760 against 1,730 MB; the default
//!   second: 1,800 MB. On a VM that hands freed memory back to its host, the faults behind
//!   this trade cost more the more memory a build touches (`bench/README.md`).
//!
//! So a site of [`LEAN_FROM`] documents or more returns freed pages after
//! [`LEAN_PURGE_DELAY_MS`], and a smaller one keeps them a second for reuse. `serve` keeps them longer ([`fit_to_serve`]): each of its
//! passes makes and drops the same few hundred megabytes, and an author saves again seconds or
//! minutes later, long after a one-second delay has handed the pages back. Someone who tunes
//! mimalloc through its own `MIMALLOC_*` variables keeps their setting.

use std::ffi::{c_int, c_long};

// Links mimalloc's C library into the lib's own tests too (the binary links it as its global
// allocator in `main.rs`).
extern crate mimalloc as _;

// mimalloc's C API (`mimalloc.h`); the crate's Rust bindings do not name these two options.
extern "C" {
    #[cfg(test)]
    fn mi_option_get(option: c_int) -> c_long;
    fn mi_option_set(option: c_int, value: c_long);
}

/// `mi_option_arena_eager_commit` in `mimalloc.h` (v3): 2 = commit a new arena whole where the
/// OS overcommits (Linux), 0 = commit pages as they are used.
const ARENA_EAGER_COMMIT: (c_int, &str) = (4, "MIMALLOC_ARENA_EAGER_COMMIT");
/// `mi_option_purge_delay` in `mimalloc.h` (v3): milliseconds before freed pages are returned
/// (1,000 by default in its `options.c`; the header's comment still says 10).
const PURGE_DELAY: (c_int, &str) = (15, "MIMALLOC_PURGE_DELAY");

/// From this many documents on, freed memory goes back to the system after
/// [`LEAN_PURGE_DELAY_MS`] (see the module comment): at 100,000 that keeps a build well under
/// 2 GB, while at 10,000 the peak is a sixth of that either way and speed matters more.
pub const LEAN_FROM: usize = 50_000;

/// How long a site of [`LEAN_FROM`] documents or more keeps freed pages: long enough that a
/// stage's churn reuses them, short enough that one stage's garbage is gone before the next
/// stage's peak.
pub const LEAN_PURGE_DELAY_MS: c_long = 100;

/// Commits arenas on demand unless the environment says otherwise. The binary calls this as
/// the process starts (`main.rs`), before mimalloc reserves its first arena.
pub fn tune() {
    set_unless_overridden(ARENA_EAGER_COMMIT, 0);
}

/// Fits the allocator to a site of `documents` documents, once they are counted: from
/// [`LEAN_FROM`] on, freed pages are returned after [`LEAN_PURGE_DELAY_MS`]. Never undone
/// within a process.
pub fn fit_to(documents: usize) {
    if documents >= LEAN_FROM {
        set_unless_overridden(PURGE_DELAY, LEAN_PURGE_DELAY_MS);
    }
}

/// How long `serve` keeps freed pages on a site below [`LEAN_FROM`] documents: an author who
/// saves again within it finds the memory of the last pass still mapped; a server left alone
/// hands it back.
pub const SERVE_PURGE_DELAY_MS: c_long = 120_000;

/// [`fit_to`] for `serve`'s process: below [`LEAN_FROM`] documents, freed pages are kept
/// [`SERVE_PURGE_DELAY_MS`] between passes instead of a second (at 10,000 documents a pass
/// then spends 15-25% less CPU, no longer faulting in and zeroing the pages it uses again;
/// the process stays at its peak, ~1.5 GB, against ~1.3 GB when it hands pages back between
/// edits); from [`LEAN_FROM`] on, as in a build, they are returned after
/// [`LEAN_PURGE_DELAY_MS`]. Called at each pass, so it follows the site's size.
pub fn fit_to_serve(documents: usize) {
    if documents >= LEAN_FROM {
        fit_to(documents);
    } else {
        set_unless_overridden(PURGE_DELAY, SERVE_PURGE_DELAY_MS);
    }
}

fn set_unless_overridden((option, variable): (c_int, &str), value: c_long) {
    if std::env::var_os(variable).is_none() {
        // SAFETY: a plain setter on mimalloc's option table, valid at any time and from any
        // thread (mimalloc reads the purge delay each time it schedules a purge); `option` is
        // one of the two indices above.
        unsafe { mi_option_set(option, value) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(option: (c_int, &str)) -> c_long {
        // SAFETY: a getter on mimalloc's option table, valid at any time.
        unsafe { mi_option_get(option.0) }
    }

    /// The indices are mimalloc's enum positions, which moved between its major versions: read
    /// back each option's documented default first, so a mimalloc that renumbers them fails
    /// here instead of silently tuning some other option.
    #[test]
    fn the_indices_name_the_options_mimalloc_documents() {
        if std::env::vars().any(|(k, _)| k.starts_with("MIMALLOC_")) {
            eprintln!("MIMALLOC_* set in the environment: defaults not checked");
        } else {
            assert_eq!(
                option(ARENA_EAGER_COMMIT),
                2,
                "arena_eager_commit defaults to 2"
            );
            assert_eq!(
                option(PURGE_DELAY),
                1000,
                "purge_delay defaults to 1,000 ms"
            );
        }
        tune();
        fit_to(LEAN_FROM - 1);
        let untouched = |o: (c_int, &str)| std::env::var_os(o.1).is_none();
        if untouched(ARENA_EAGER_COMMIT) {
            assert_eq!(option(ARENA_EAGER_COMMIT), 0, "eager commit after tune()");
        }
        if untouched(PURGE_DELAY) {
            assert_eq!(option(PURGE_DELAY), 1000, "a smaller site keeps the delay");
            fit_to_serve(LEAN_FROM - 1);
            assert_eq!(
                option(PURGE_DELAY),
                SERVE_PURGE_DELAY_MS,
                "serve keeps pages longer"
            );
            fit_to_serve(LEAN_FROM);
            assert_eq!(
                option(PURGE_DELAY),
                LEAN_PURGE_DELAY_MS,
                "a big site returns pages soon, served too"
            );
            fit_to_serve(LEAN_FROM - 1);
            assert_eq!(
                option(PURGE_DELAY),
                SERVE_PURGE_DELAY_MS,
                "serve follows the size"
            );
        }
    }
}
