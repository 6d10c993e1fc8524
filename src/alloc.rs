//! The allocator's tuning: how soon mimalloc hands freed memory back to the system.
//!
//! A build's stages each make and drop hundreds of megabytes (a year's open data, a shard of
//! the search index), and the peak is the sum of what lives plus what was freed but not yet
//! returned. mimalloc (v3) by default returns freed pages a second after they empty and commits whole
//! arenas eagerly. Returning them at once and committing on demand took the peak resident set
//! (`/usr/bin/time`, KiB) from 343,132 to 254,156 at 10,000 generated documents and from
//! 2,034,416 to 1,922,268 at 100,000, with byte-identical output and no measurable cost in
//! time. Someone who tunes mimalloc through its own `MIMALLOC_*` variables keeps their setting.

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

/// Sets both options to 0 unless the environment sets them. The binary calls this as the
/// process starts (`main.rs`), before mimalloc reserves its first arena.
pub fn tune() {
    for (option, variable) in [ARENA_EAGER_COMMIT, PURGE_DELAY] {
        if std::env::var_os(variable).is_none() {
            // SAFETY: plain setters on mimalloc's option table, valid at any time and from any
            // thread; `option` is one of the two indices above.
            unsafe { mi_option_set(option, 0) };
        }
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
        for o in [ARENA_EAGER_COMMIT, PURGE_DELAY] {
            if std::env::var_os(o.1).is_none() {
                assert_eq!(option(o), 0, "{} after tune()", o.1);
            }
        }
    }
}
