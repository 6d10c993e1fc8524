//! Unit resolution: drafts' written unit names → units of the registry (registering the
//! unknown ones), giving the site's [`Task`]s; also reads `units.yaml` into the registry.

use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeSet;

use jiff::civil::Date;

use crate::diag::{Diagnostic, Diagnostics};
use crate::extract::draft::Draft;
use crate::extract::units::{UnitEntry, UnitRegistry};
use crate::load::SourceFile;
use crate::model::{task_state, Shared, Task, TaskContent};
use crate::parse::document::ParsedDoc;
use crate::parse::front_matter::parse_yaml;
use crate::text::slugify;

pub fn load_units(file: Option<&SourceFile>, diags: &Diagnostics) -> UnitRegistry {
    let Some(file) = file else {
        return UnitRegistry::new(Vec::new()).0;
    };
    if file.text.trim().is_empty() {
        return UnitRegistry::new(Vec::new()).0;
    }
    let entries: Vec<UnitEntry> = match parse_yaml(&file.text) {
        Ok(e) => e,
        Err(e) => {
            diags.push(Diagnostic::error(&file.path, e.line, e.col, e.message));
            return UnitRegistry::new(Vec::new()).0;
        }
    };
    let entry_lines = list_item_lines(&file.text);
    let (registry, problems) = UnitRegistry::new(entries);
    for p in problems {
        let line = entry_lines.get(p.index()).copied().unwrap_or(0);
        let d = Diagnostic::error(&file.path, line, 1, p.message());
        diags.push(d);
    }
    registry
}

/// 1-based line of each top-level `- ` item of a YAML list.
fn list_item_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("- ") || *l == "-")
        .map(|(i, _)| i + 1)
        .collect()
}

/// Resolves one written unit name, preferring the unit of the document's own province; a
/// name the registry does not hold is registered, and noted in `registered`.
fn resolve_unit(
    registry: &mut UnitRegistry,
    written: &str,
    province: Option<&str>,
    registered: &mut Vec<String>,
) -> usize {
    match registry.lookup_scoped(written, province) {
        Some(i) => i,
        None => {
            registered.push(written.to_string());
            registry.resolve(written)
        }
    }
}

/// Resolves written unit names with a cache (most names repeat across thousands of tasks):
/// per province (`""` for a document of none), then per name, so a lookup borrows both
/// instead of copying them.
pub struct Resolver<'a> {
    registry: &'a mut UnitRegistry,
    cache: FxHashMap<String, FxHashMap<String, usize>>,
    /// The names given to [`UnitRegistry::resolve`], in order: the only way resolving
    /// changes the registry, so registering them again on the registry this one started from
    /// gives the registry it leaves (`site::resolved` reuses a resolution that way).
    registered: Vec<String>,
    /// One copy of each label, group, product, budget and deadline text seen so far: the
    /// tasks that say the same thing share it ([`Resolver::share`]).
    strings: FxHashSet<Shared>,
}

impl<'a> Resolver<'a> {
    pub fn new(registry: &'a mut UnitRegistry) -> Self {
        Resolver {
            registry,
            cache: FxHashMap::default(),
            registered: Vec::new(),
            strings: FxHashSet::default(),
        }
    }

    /// Makes `s` the copy of its value this resolver already holds, or keeps it as that copy.
    /// Labels, groups, products, budgets and deadline texts recur across tasks (a heading's
    /// group is on every task under it, "Báo cáo" and "Quý IV/2024" on thousands): at 100,000
    /// generated documents, sharing them took the tasks' heap from 350 to 222 MB.
    fn share(&mut self, s: &mut Shared) {
        match self.strings.get(&**s) {
            Some(held) => *s = Shared::clone(held),
            None => {
                self.strings.insert(Shared::clone(s));
            }
        }
    }

    /// [`Resolver::share`] over the recurring strings of a task's content.
    fn share_content(&mut self, c: &mut TaskContent) {
        let recurring = [
            &mut c.group,
            &mut c.product,
            &mut c.budget,
            &mut c.due.rrule,
        ];
        for s in recurring.into_iter().flatten() {
            self.share(s);
        }
        self.share(&mut c.due.text);
    }

    /// The names this resolver registered, in order (see the field).
    pub fn into_registered(self) -> Vec<String> {
        self.registered
    }

    fn units(&mut self, names: &[String], province: Option<&str>) -> Vec<usize> {
        let scope = province.unwrap_or("");
        if !self.cache.contains_key(scope) {
            self.cache.insert(scope.to_string(), FxHashMap::default());
        }
        let Some(cache) = self.cache.get_mut(scope) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(names.len());
        for name in names {
            let id = match cache.get(name.as_str()) {
                Some(&id) => id,
                None => {
                    let id = resolve_unit(self.registry, name, province, &mut self.registered);
                    cache.insert(name.clone(), id);
                    id
                }
            };
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }
}

pub fn collect_tasks(
    doc_id: usize,
    doc: &ParsedDoc,
    drafts: Vec<Draft>,
    resolver: &mut Resolver,
    today: Date,
    tasks: &mut Vec<Task>,
    diags: &Diagnostics,
) {
    let province = doc.home_province();
    let mut anchors = BTreeSet::new();
    for (i, d) in drafts.into_iter().enumerate() {
        let mut content = d.content.map(
            |names| {
                resolver
                    .units(&names, province.as_deref())
                    .into_boxed_slice()
            },
            |due| due,
        );
        resolver.share_content(&mut content);
        let label = d.label.unwrap_or_else(|| (i + 1).to_string());
        let mut anchor: Shared = unique_anchor(&label, &mut anchors).into();
        let mut label: Shared = label.into();
        resolver.share(&mut label);
        resolver.share(&mut anchor);
        warn_no_lead(doc, d.line, &content.lead, diags);
        tasks.push(Task {
            doc: doc_id,
            label,
            anchor,
            state: task_state(content.status, &content.due, today),
            content,
            line: u32::try_from(d.line).unwrap_or(u32::MAX),
            history: Box::default(),
            late: false,
        });
    }
}

fn warn_no_lead(doc: &ParsedDoc, line: usize, lead: &[usize], diags: &Diagnostics) {
    if lead.is_empty() {
        diags.push(
            Diagnostic::warning(
                &doc.source.path,
                line,
                1,
                "nhiệm vụ không có đơn vị chủ trì",
            )
            .with_hint("ghi đơn vị chủ trì (`lead:` hoặc cột/nhãn “Cơ quan chủ trì”)"),
        );
    }
}

/// `nv-` + slug of the label, made unique within the document.
fn unique_anchor(label: &str, used: &mut BTreeSet<String>) -> String {
    let base = format!("nv-{}", slugify(label));
    let mut anchor = base.clone();
    let mut n = 2;
    while !used.insert(anchor.clone()) {
        anchor = format!("{base}-{n}");
        n += 1;
    }
    anchor
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::diag::Diagnostics;
    use crate::load::Loaded;
    use crate::site::{assemble_loaded, AssembleOptions};

    /// A plan whose table has one group row and `rows` (task, product, deadline).
    fn plan(number: &str, rows: &[(&str, &str, &str)]) -> String {
        let mut s = format!(
            "---\ntitle: Kế hoạch {number}\ntype: ke-hoach\nnumber: {number}/KH-UBND\n\
             issuer: UBND tỉnh Thử Nghiệm\ndate: 2024-01-14\nyear: 2024\n---\n\n\
             ## II. NHIỆM VỤ\n\n\
             | TT | Nhiệm vụ | Sản phẩm | Đơn vị chủ trì | Thời gian |\n|---|---|---|---|---|\n\
             | I | Cải cách thể chế | | | |\n"
        );
        for (i, (task, product, due)) in rows.iter().enumerate() {
            s.push_str(&format!(
                "| {} | {task} | {product} | Sở Nội vụ | {due} |\n",
                i + 1
            ));
        }
        s
    }

    #[test]
    fn tasks_that_say_the_same_thing_share_one_copy() {
        let loaded = Loaded::in_memory(
            "- name: Sở Nội vụ\n  slug: so-noi-vu\n  level: tinh\n",
            vec![
                (
                    "a".into(),
                    plan(
                        "1",
                        &[
                            ("Rà soát thủ tục", "Báo cáo", "Quý III/2024"),
                            ("Số hóa hồ sơ", "Quyết định", "Quý III/2024"),
                        ],
                    ),
                ),
                (
                    "b".into(),
                    plan("2", &[("Đo mức hài lòng", "Báo cáo", "Tháng 5/2024")]),
                ),
            ],
        );
        let diags = Diagnostics::new();
        let site = assemble_loaded(loaded, &AssembleOptions::default(), &diags);
        let t = &site.tasks;
        assert_eq!(t.len(), 3, "{:?}", diags.sorted());
        let by_text = |s: &str| t.iter().find(|x| &*x.text == s).expect(s);
        let (a1, a2, b1) = (
            by_text("Rà soát thủ tục"),
            by_text("Số hóa hồ sơ"),
            by_text("Đo mức hài lòng"),
        );
        let same = |x: &Option<crate::model::Shared>, y: &Option<crate::model::Shared>| {
            Arc::ptr_eq(x.as_ref().expect("set"), y.as_ref().expect("set"))
        };
        assert_eq!(a1.group.as_deref(), Some("Cải cách thể chế"));
        assert!(same(&a1.group, &a2.group), "one group, one copy");
        assert!(same(&a1.group, &b1.group), "across documents too");
        assert!(same(&a1.product, &b1.product), "Báo cáo twice, one copy");
        assert!(
            !same(&a1.product, &a2.product),
            "different products stay apart"
        );
        assert_eq!(a2.product.as_deref(), Some("Quyết định"));
        assert!(Arc::ptr_eq(&a1.due.text, &a2.due.text));
        assert_eq!(&*b1.due.text, "Tháng 5/2024");
        assert!(
            Arc::ptr_eq(&a1.label, &b1.label),
            "label 1 in both documents"
        );
        assert!(Arc::ptr_eq(&a1.anchor, &b1.anchor));
        assert_eq!(&*a2.anchor, "nv-2");
    }
}
