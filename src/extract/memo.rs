//! Per-thread memos of extraction's pure text functions: the same few hundred unit names and
//! cells recur across thousands of documents, and each worker thread remembers its answers.

use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::thread::LocalKey;

/// What one thread remembers: the answers by text, valid for one `generation` (what they
/// depend on besides the text, e.g. a unit registry; 0 for functions of the text alone).
#[derive(Default)]
pub struct Memo<V> {
    generation: u64,
    answers: FxHashMap<String, V>,
}

/// `make()`'s answer for `text`, remembered in this thread's `memo`: made only for a text not
/// seen since the memo last started over, which it does when `generation` changes and when it
/// holds `max` answers (a bound on memory for odd corpora). `make` runs with the memo free, so
/// it may ask memos itself.
pub fn remembered<V: Clone + 'static>(
    memo: &'static LocalKey<RefCell<Memo<V>>>,
    generation: u64,
    max: usize,
    text: &str,
    make: impl FnOnce() -> V,
) -> V {
    let hit = memo.with(|m| {
        let mut m = m.borrow_mut();
        if m.generation != generation {
            m.generation = generation;
            m.answers.clear();
        }
        m.answers.get(text).cloned()
    });
    if let Some(hit) = hit {
        return hit;
    }
    let answer = make();
    memo.with(|m| {
        let mut m = m.borrow_mut();
        if m.answers.len() >= max {
            m.answers.clear();
        }
        m.answers.insert(text.to_string(), answer.clone());
    });
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static LENS: RefCell<Memo<usize>> = RefCell::default();
    }

    #[test]
    fn remembers_until_the_generation_changes_or_it_is_full() {
        let calls = std::cell::Cell::new(0);
        let len = |gen: u64, max: usize, s: &str| {
            remembered(&LENS, gen, max, s, || {
                calls.set(calls.get() + 1);
                s.len()
            })
        };
        assert_eq!(len(1, 2, "ab"), 2);
        assert_eq!(len(1, 2, "ab"), 2);
        assert_eq!(calls.get(), 1, "the second ask is remembered");
        assert_eq!(len(2, 2, "ab"), 2);
        assert_eq!(calls.get(), 2, "a new generation starts over");
        len(2, 2, "abc");
        len(2, 2, "abcd");
        assert_eq!(calls.get(), 4);
        len(2, 2, "ab");
        assert_eq!(calls.get(), 5, "full at two answers, so it started over");
    }
}
