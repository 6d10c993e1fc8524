//! `serve`'s memo of unit resolution. Resolving is the one sequential step of assembly (each
//! unknown unit name is registered in document order, so ids never depend on threads), and at
//! 10,000 documents it took ~0.2 s of a ~0.8 s pass to rebuild 150,000 tasks that an edit of
//! prose leaves as they were. A pass whose resolution reads exactly what the last one read
//! reuses the last one's tasks instead.
//!
//! What resolution reads: per document, in order, its source path (warnings name it), its
//! province (a name is looked up in the document's own province first) and its drafts; the
//! registry `units.yaml` gives; the day (a task's state). It changes the registry only by
//! registering the names it does not find ([`Resolver::into_registered`]). So the memo keeps
//! one key over all it reads (each document's drafts by a fingerprint made when they are
//! drafted, so an unchanged document costs nothing), and beside its tasks the warnings it gave
//! and the names it registered, which it registers again on the pass's fresh registry.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use jiff::civil::Date;

use crate::diag::{Diagnostic, Diagnostics};
use crate::extract::draft::Draft;
use crate::extract::resolve::Resolver;
use crate::extract::units::UnitRegistry;
use crate::model::Task;
use crate::parse::document::ParsedDoc;

/// Room left after the tasks a reused resolution gives (see [`ResolveMemo::resolve`]).
const SPARE_TASKS: usize = 4096;

/// One document's drafts, shared between the draft memo and a pass, with their fingerprint.
pub(crate) struct DocDrafts {
    pub drafts: Vec<Draft>,
    fingerprint: u64,
}

impl DocDrafts {
    pub fn new(drafts: Vec<Draft>) -> Arc<Self> {
        let mut h = DefaultHasher::new();
        drafts.hash(&mut h);
        Arc::new(DocDrafts {
            drafts,
            fingerprint: h.finish(),
        })
    }
}

/// What resolution reads besides the documents and their drafts.
#[derive(Clone, Copy)]
pub(crate) struct Context {
    /// Hash of `units.yaml`, from which every pass's registry starts.
    pub units_hash: u64,
    pub today: Date,
}

/// The last resolution, kept until one with other inputs replaces it.
#[derive(Default)]
pub(crate) struct ResolveMemo {
    last: Option<Resolved>,
}

struct Resolved {
    key: u64,
    tasks: Vec<Task>,
    doc_tasks: Vec<Vec<usize>>,
    /// The names given to the registry, in order.
    registered: Vec<String>,
    warnings: Vec<Diagnostic>,
}

impl ResolveMemo {
    /// Every document's tasks with their units resolved into `registry` (fresh from
    /// `units.yaml`), and each document's task ids, as `site::resolve_batches` gives them:
    /// the last pass's when it read the same, else resolved now and kept.
    pub fn resolve(
        &mut self,
        docs: &[ParsedDoc],
        drafts: &[Arc<DocDrafts>],
        context: Context,
        registry: &mut UnitRegistry,
        diags: &Diagnostics,
    ) -> (Vec<Task>, Vec<Vec<usize>>) {
        let key = key(docs, drafts, context);
        if let Some(last) = self.last.as_ref().filter(|r| r.key == key) {
            for name in &last.registered {
                registry.resolve(name);
            }
            diags.extend(last.warnings.iter().cloned());
            // Not `clone()`, which leaves no spare room: `serve`'s next quick pass appends
            // the edited document's tasks to these, and would move all of them to do it.
            let mut tasks = Vec::with_capacity(last.tasks.len() + SPARE_TASKS);
            tasks.extend(last.tasks.iter().cloned());
            return (tasks, last.doc_tasks.clone());
        }
        // Dropped first: at 10,000 documents the kept tasks are ~100 MB.
        self.last = None;
        let local = Diagnostics::new();
        let mut resolver = Resolver::new(registry);
        let mut owned = Some(drafts.iter().map(|d| d.drafts.clone()).collect());
        let whole = docs.len().max(1);
        let (tasks, doc_tasks) =
            super::resolve_batches(docs, whole, &mut resolver, context.today, &local, |_| {
                owned.take().unwrap_or_default()
            });
        let warnings = local.sorted();
        diags.extend(warnings.iter().cloned());
        self.last = Some(Resolved {
            key,
            tasks: tasks.clone(),
            doc_tasks: doc_tasks.clone(),
            registered: resolver.into_registered(),
            warnings,
        });
        (tasks, doc_tasks)
    }
}

/// One hash over everything resolution reads (see the module comment).
fn key(docs: &[ParsedDoc], drafts: &[Arc<DocDrafts>], context: Context) -> u64 {
    let mut h = DefaultHasher::new();
    (context.units_hash, context.today, docs.len()).hash(&mut h);
    for (doc, d) in docs.iter().zip(drafts) {
        doc.source.path.hash(&mut h);
        doc.home_province().hash(&mut h);
        d.fingerprint.hash(&mut h);
    }
    h.finish()
}
