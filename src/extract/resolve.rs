//! Unit resolution: drafts' written unit names → units of the registry (registering the
//! unknown ones), giving the site's [`Task`]s; also reads `units.yaml` into the registry.

use std::collections::{BTreeSet, HashMap};

use jiff::civil::Date;

use crate::diag::{Diagnostic, Diagnostics};
use crate::extract::draft::Draft;
use crate::extract::units::{UnitEntry, UnitRegistry};
use crate::load::SourceFile;
use crate::model::{task_state, Task};
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
    cache: HashMap<String, HashMap<String, usize>>,
    /// The names given to [`UnitRegistry::resolve`], in order: the only way resolving
    /// changes the registry, so registering them again on the registry this one started from
    /// gives the registry it leaves (`site::resolved` reuses a resolution that way).
    registered: Vec<String>,
}

impl<'a> Resolver<'a> {
    pub fn new(registry: &'a mut UnitRegistry) -> Self {
        Resolver {
            registry,
            cache: HashMap::new(),
            registered: Vec::new(),
        }
    }

    /// The names this resolver registered, in order (see the field).
    pub fn into_registered(self) -> Vec<String> {
        self.registered
    }

    fn units(&mut self, names: &[String], province: Option<&str>) -> Vec<usize> {
        let scope = province.unwrap_or("");
        if !self.cache.contains_key(scope) {
            self.cache.insert(scope.to_string(), HashMap::new());
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
        let content = d.content.map(
            |names| {
                resolver
                    .units(&names, province.as_deref())
                    .into_boxed_slice()
            },
            |due| due,
        );
        let label = d.label.unwrap_or_else(|| (i + 1).to_string());
        let anchor = unique_anchor(&label, &mut anchors);
        warn_no_lead(doc, d.line, &content.lead, diags);
        tasks.push(Task {
            doc: doc_id,
            label: label.into(),
            anchor: anchor.into(),
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
