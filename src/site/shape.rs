//! The site's shape: a hash of everything its pages show except the documents' bodies, so
//! `serve`, and a build into the output of the last one (`site::last_output`), can tell an
//! edit that touched prose only (same shape: only the edited pages and the search index can
//! differ) from one that needs every page again.

use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use crate::model::Site;
use crate::site::{fold_word, fold_words, HASH_SEED};

/// Tasks hashed per parallel job: large enough that combining the chunks' hashes is nothing.
const TASK_CHUNK: usize = 4096;
/// Documents hashed per parallel job.
const DOC_CHUNK: usize = 1024;

/// A hash of everything the site's pages show except the documents' bodies (HTML, headings,
/// plain text), and of the theme's `fingerprint`: when it is unchanged, an edit touched prose
/// only. Every field of [`Site`] is named here (a new one will not compile until it is hashed
/// or said to be left out), and the model types derive [`Hash`], so each of their fields is in.
pub fn shape_hash(site: &Site, theme: u64) -> u64 {
    let Site {
        config,
        today,
        documents,
        bodies: _,
        tasks,
        units,
        duties,
        static_files,
        numbers,
        progress,
        plan_ends,
    } = site;
    let docs: Vec<u64> = documents.par_chunks(DOC_CHUNK).map(hash_of).collect();
    let tasks: Vec<u64> = tasks.par_chunks(TASK_CHUNK).map(hash_of).collect();
    let mut h = ShapeHasher::default();
    theme.hash(&mut h);
    (config, today, units, duties, static_files).hash(&mut h);
    (numbers, progress, plan_ends, docs, tasks).hash(&mut h);
    h.finish()
}

fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = ShapeHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// A fast hasher for change detection within one process (not a defence against crafted
/// collisions, and not stable across versions): folds 8-byte words with
/// [`crate::site::bytes_hash`]'s step, so strings cost about a multiply per word.
struct ShapeHasher(u64);

impl Default for ShapeHasher {
    fn default() -> Self {
        ShapeHasher(HASH_SEED)
    }
}

impl ShapeHasher {
    fn mix(&mut self, word: u64) {
        self.0 = fold_word(self.0, word);
    }
}

impl Hasher for ShapeHasher {
    fn write(&mut self, bytes: &[u8]) {
        let (h, rest) = fold_words(self.0, bytes);
        self.0 = h;
        if !rest.is_empty() {
            // The tail's length goes in the top byte, which its at most 7 bytes leave free, so
            // "a" and "a\0" stay apart.
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            w[7] = rest.len() as u8;
            self.mix(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.mix(u64::from(n));
    }

    fn write_u16(&mut self, n: u16) {
        self.mix(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.mix(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 31)
    }
}

#[cfg(test)]
mod tests;
