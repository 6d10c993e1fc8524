//! The allocator's tuning: how soon mimalloc hands freed memory back to the system.
//!
//! A build's stages each make and drop hundreds of megabytes (a year's open data, a shard of
//! the search index), and the peak is the sum of what lives plus what was freed but not yet
//! returned. mimalloc (v3) by default returns freed pages a second after they empty and commits
//! whole arenas eagerly. Committing on demand is always right for us. How soon to return
//! freed pages is a trade between the peak and the page faults of using memory again:
//! - returning them at once kept the peak lowest (at 100,000 generated documents 1,960 MB
//!   against 2,054 MB, before tasks shared their recurring strings), but at 10,000 documents
//!   it doubled the system time (3.0 → 5.2 s) and cost ~12% of the wall time;
//! - builds of 50,000 documents or more used to return them after 100 ms, for the peak. Since
//!   tasks share their recurring strings (`model::Shared`) the default second keeps a
//!   100,000-document build under 2 GB too, and is faster: four interleaved pairs of builds,
//!   one second against 100 ms, wall 87.2 against 90.1 s (mean), system CPU 48 against 52 s,
//!   peak 1,800–1,819 MiB against 1,776–1,786 MiB (`/usr/bin/time`). Never returning them
//!   was slower than a second and peaked at 2,137–2,148 MiB. On a VM that hands freed memory
//!   back to its host, a page used again costs more the more memory a build touches
//!   (`bench/README.md`).
//!
//! So a build keeps mimalloc's default second at every size. `serve` keeps them longer on a
//! site below [`LEAN_FROM`] documents ([`fit_to_serve`]): each of its passes makes and drops
//! the same few hundred megabytes, and an author saves again seconds or minutes later, long
//! after a one-second delay has handed the pages back. Someone who tunes mimalloc through its
//! own `MIMALLOC_*` variables keeps their setting.

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

/// From this many documents on, a site is large: `serve` returns freed memory after
/// mimalloc's default delay instead of keeping it ([`fit_to_serve`]), and a build does not keep
/// rendered bodies for later stages (`site::lean`).
pub const LEAN_FROM: usize = 50_000;

/// mimalloc's own purge delay (its `options.c`), which a build keeps and a large site's
/// `serve` goes back to.
pub const DEFAULT_PURGE_DELAY_MS: c_long = 1_000;

/// Commits arenas on demand unless the environment says otherwise. The binary calls this as
/// the process starts (`main.rs`), before mimalloc reserves its first arena.
pub fn tune() {
    set_unless_overridden(ARENA_EAGER_COMMIT, 0);
}

/// How long `serve` keeps freed pages on a site below [`LEAN_FROM`] documents: an author who
/// saves again within it finds the memory of the last pass still mapped; a server left alone
/// hands it back.
pub const SERVE_PURGE_DELAY_MS: c_long = 120_000;

/// Fits `serve`'s process to a site of `documents` documents: below [`LEAN_FROM`], freed
/// pages are kept [`SERVE_PURGE_DELAY_MS`] between passes instead of a second (at 10,000
/// documents a pass then spends 15-25% less CPU, no longer faulting in and zeroing the pages
/// it uses again; the process stays at its peak, ~1.5 GB, against ~1.3 GB when it hands pages
/// back between edits); from [`LEAN_FROM`] on, as in a build, they are returned after
/// [`DEFAULT_PURGE_DELAY_MS`]. Called at each pass, so it follows the site's size.
pub fn fit_to_serve(documents: usize) {
    let delay = if documents >= LEAN_FROM {
        DEFAULT_PURGE_DELAY_MS
    } else {
        SERVE_PURGE_DELAY_MS
    };
    set_unless_overridden(PURGE_DELAY, delay);
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
                DEFAULT_PURGE_DELAY_MS,
                "purge_delay defaults to 1,000 ms"
            );
        }
        tune();
        let untouched = |o: (c_int, &str)| std::env::var_os(o.1).is_none();
        if untouched(ARENA_EAGER_COMMIT) {
            assert_eq!(option(ARENA_EAGER_COMMIT), 0, "eager commit after tune()");
        }
        if untouched(PURGE_DELAY) {
            assert_eq!(
                option(PURGE_DELAY),
                DEFAULT_PURGE_DELAY_MS,
                "a build keeps the default"
            );
            fit_to_serve(LEAN_FROM - 1);
            assert_eq!(
                option(PURGE_DELAY),
                SERVE_PURGE_DELAY_MS,
                "serve keeps pages longer"
            );
            fit_to_serve(LEAN_FROM);
            assert_eq!(
                option(PURGE_DELAY),
                DEFAULT_PURGE_DELAY_MS,
                "a big site is served with the default"
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
