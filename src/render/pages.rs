//! HTML pages: home, document list and pages, the task table (with static filter pages),
//! unit list and unit pages, data, search and 404. Each function returns `(output path, HTML)`
//! pairs; long lists are cut into pages of `per_page` rows.

use rayon::prelude::*;
use serde_json::{json, Map, Value};

use crate::diag::Diagnostic;
use crate::model::{DocBody, DocId, Site, State, TaskId, UnitId, UnitLevel};
use crate::render::rows::RowStyle;
use crate::render::templates::Theme;
use crate::render::view::*;

/// One rendered page.
pub type Page = (String, String);

/// Where rendered pages go as soon as they exist (written to disk, or kept in memory by
/// `serve`), so a large site never holds all its pages at once.
pub type Emit<'a> = &'a (dyn Fn(Page) + Sync);

/// What [`base_context`] needs of one page: its output path, title, menu section,
/// breadcrumb and description (site, root and build date come from the site).
pub struct PageMeta<'a> {
    pub path: String,
    pub title: Option<String>,
    pub section: &'a str,
    pub crumbs: Vec<(String, Option<String>)>,
    pub description: Option<String>,
}

pub fn base_context(site: &Site, meta: &PageMeta) -> Map<String, Value> {
    let root = if meta.path == "404.html" {
        site.config.base_url.clone()
    } else {
        root_for(&meta.path)
    };
    let crumbs: Vec<Value> = meta
        .crumbs
        .iter()
        .map(|(name, href)| json!({"name": name, "href": href.as_ref().map(|h| format!("{root}{h}"))}))
        .collect();
    let canonical = site.config.base_url.contains("://").then(|| {
        format!(
            "{}{}",
            site.config.base_url,
            meta.path.trim_end_matches("index.html")
        )
    });
    let mut m = Map::new();
    m.insert("site".into(), json!({"title": site.config.title, "description": site.config.description, "base_url": site.config.base_url}));
    m.insert("root".into(), json!(root));
    m.insert("page_title".into(), json!(meta.title));
    m.insert(
        "description".into(),
        json!(meta
            .description
            .clone()
            .unwrap_or_else(|| site.config.description.clone())),
    );
    m.insert("canonical".into(), json!(canonical));
    m.insert("section".into(), json!(meta.section));
    m.insert("breadcrumbs".into(), json!(crumbs));
    m.insert("today".into(), json!(site.today.to_string()));
    m.insert("today_vi".into(), json!(date_vi(site.today)));
    m
}

fn render(
    theme: &Theme,
    template: &str,
    path: String,
    ctx: Map<String, Value>,
) -> Result<Page, Diagnostic> {
    let html = theme.render(template, &Value::Object(ctx))?;
    Ok((path, html))
}

fn counts(site: &Site) -> Value {
    let overdue = site
        .tasks
        .iter()
        .filter(|t| t.state == State::QuaHan)
        .count();
    let soon = site
        .tasks
        .iter()
        .filter(|t| t.state == State::SapDenHan)
        .count();
    let used_units = site
        .duties
        .iter()
        .filter(|d| !d.lead.is_empty() || !d.support.is_empty())
        .count();
    // progress (issue 17): passed deadlines with nothing reported are counted apart.
    let not_reported = site
        .tasks
        .iter()
        .filter(|t| t.state == State::ChuaBaoCao)
        .count();
    json!({"documents": site.documents.len(), "tasks": site.tasks.len(), "units": used_units, "overdue": overdue, "due_soon": soon, "not_reported": not_reported})
}

pub fn home(site: &Site, theme: &Theme, intro_html: &str) -> Result<Page, Diagnostic> {
    let meta = PageMeta {
        path: "index.html".into(),
        title: None,
        section: "home",
        crumbs: vec![],
        description: None,
    };
    let mut ctx = base_context(site, &meta);
    let docs: Vec<DocCard> = (0..site.documents.len().min(10))
        .filter_map(|i| doc_card(site, i, ""))
        .collect();
    ctx.insert("docs".into(), json!(docs));
    ctx.insert("intro".into(), json!(intro_html));
    ctx.insert("counts".into(), counts(site));
    ctx.insert(
        "progress_html".into(),
        json!(crate::render::progress::home_html(site)),
    );
    render(theme, "index.html", meta.path, ctx)
}

/// `/van-ban/`: documents grouped by year then type, paginated.
pub fn document_list(site: &Site, theme: &Theme, emit: Emit) -> Result<(), Diagnostic> {
    let per = site.config.per_page;
    let ids: Vec<DocId> = {
        let mut v: Vec<DocId> = (0..site.documents.len()).collect();
        // By plan year (newest first), then type, then the site order (date desc).
        v.sort_by_key(|&i| {
            let d = &site.documents[i];
            (std::cmp::Reverse(d.year), d.doc_type, i)
        });
        v
    };
    let total_pages = ids.len().div_ceil(per).max(1);
    let base = "van-ban/index.html";
    for p in 1..=total_pages {
        let chunk = ids.iter().skip((p - 1) * per).take(per);
        let path = page_path(base, p);
        let root = root_for(&path);
        let mut years: Vec<Value> = Vec::new();
        let mut cur: Option<YearGroup> = None;
        for &i in chunk {
            let d = &site.documents[i];
            if cur.as_ref().map(|c| c.0) != Some(d.year) {
                if let Some(c) = cur.take() {
                    years.push(year_value(c));
                }
                cur = Some((d.year, Vec::new()));
            }
            if let Some((_, types)) = cur.as_mut() {
                let card = doc_card(site, i, &root);
                match types.last_mut() {
                    Some((t, cards)) if *t == d.doc_type => cards.extend(card),
                    _ => types.push((d.doc_type, card.into_iter().collect())),
                }
            }
        }
        if let Some(c) = cur.take() {
            years.push(year_value(c));
        }
        let meta = PageMeta {
            path: path.clone(),
            title: Some("Văn bản".into()),
            section: "van-ban",
            crumbs: vec![("Văn bản".into(), None)],
            description: None,
        };
        let mut ctx = base_context(site, &meta);
        ctx.insert("years".into(), json!(years));
        ctx.insert("total".into(), json!(site.documents.len()));
        ctx.insert("pager".into(), json!(pager(base, p, total_pages, &root)));
        emit(render(theme, "documents.html", path, ctx)?);
    }
    Ok(())
}

/// Documents of one plan year, by type, in listing order.
type YearGroup = (Option<i16>, Vec<(crate::model::DocType, Vec<DocCard>)>);

fn year_value((year, types): YearGroup) -> Value {
    let name = year.map_or("Không rõ năm".to_string(), |y| format!("Năm {y}"));
    let key = year.map_or("khong-ro".to_string(), |y| y.to_string());
    let types: Vec<Value> = types
        .into_iter()
        .map(|(t, docs)| json!({"name": t.label(), "docs": docs}))
        .collect();
    json!({"name": name, "key": key, "types": types})
}

/// One document page.
pub fn document_page(
    site: &Site,
    theme: &Theme,
    id: DocId,
    body: &DocBody,
) -> Result<Page, Diagnostic> {
    let d = &site.documents[id];
    let path = doc_path(d);
    let root = root_for(&path);
    let meta = PageMeta {
        path: path.clone(),
        title: Some(d.title.clone()),
        section: "van-ban",
        crumbs: vec![
            ("Văn bản".into(), Some("van-ban/index.html".into())),
            (doc_label(d), None),
        ],
        description: d.summary.clone(),
    };
    let mut ctx = base_context(site, &meta);
    let related = |ids: &[DocId]| -> Vec<Value> {
        ids.iter()
            .filter_map(|&i| {
                let o = site.documents.get(i)?;
                Some(json!({"href": format!("{root}{}", doc_path(o)), "label": doc_label(o), "title": o.title, "task_count": o.tasks.len()}))
            })
            .collect()
    };
    ctx.insert(
        "doc".into(),
        json!({
            "title": d.title, "number": d.number, "type_label": d.doc_type.label(), "issuer": d.issuer,
            "date": d.date.map(|x| x.to_string()), "date_vi": d.date.map(date_vi), "year": d.year,
            "signer": d.signer, "areas": d.areas, "summary": d.summary, "body": body.html,
            "headings": body.headings.iter().filter(|h| h.level <= 3).collect::<Vec<_>>(),
            "task_count": d.tasks.len(), "source": d.source.to_string_lossy().replace('\\', "/"),
            "original": d.original, "original_href": original_href(site, d, &root),
        }),
    );
    ctx.insert(
        "groups".into(),
        json!(grouped_rows(
            site,
            &d.tasks,
            RowStyle {
                root: &root,
                qualified: false,
                show_doc: false
            }
        )),
    );
    ctx.insert(
        "timeline".into(),
        json!(crate::render::timeline::context(site, id)),
    );
    ctx.insert("cites".into(), json!(related(&d.cites)));
    ctx.insert("cited_by".into(), json!(related(&d.cited_by)));
    ctx.insert("external".into(), json!(d.external_refs));
    let progress = crate::render::progress::document_html(site, id, &root);
    ctx.insert("progress_html".into(), json!(progress));
    render(theme, "document.html", path, ctx)
}

/// A filtered, paginated view of the task table.
struct TaskView<'a> {
    base: String,
    heading: String,
    filter_label: Option<String>,
    active: Option<String>,
    ids: &'a [TaskId],
}

/// `/nhiem-vu/` with static filter pages by state (`/nhiem-vu/qua-han/`) and plan year
/// (`/nhiem-vu/nam-2024/`), so filtering works without JavaScript.
pub fn task_tables(site: &Site, theme: &Theme, emit: Emit) -> Result<(), Diagnostic> {
    let all: Vec<TaskId> = (0..site.tasks.len()).collect();
    let mut by_state: Vec<(State, Vec<TaskId>)> = State::ALL
        .iter()
        .map(|(s, _, _)| (*s, Vec::new()))
        .collect();
    let mut by_year: std::collections::BTreeMap<i16, Vec<TaskId>> = Default::default();
    for (i, t) in site.tasks.iter().enumerate() {
        if let Some(slot) = by_state.iter_mut().find(|(s, _)| *s == t.state) {
            slot.1.push(i);
        }
        if let Some(y) = site.task_year(t) {
            by_year.entry(y).or_default().push(i);
        }
    }
    let state_filters: Vec<(String, String, String, usize)> = by_state
        .iter()
        .map(|(s, ids)| {
            (
                s.code().to_string(),
                s.label().to_string(),
                format!("nhiem-vu/{}/index.html", s.code()),
                ids.len(),
            )
        })
        .collect();
    let year_filters: Vec<(String, String, String, usize)> = by_year
        .iter()
        .rev()
        .map(|(y, ids)| {
            (
                format!("nam-{y}"),
                format!("Năm {y}"),
                format!("nhiem-vu/nam-{y}/index.html"),
                ids.len(),
            )
        })
        .collect();
    let mut views = vec![TaskView {
        base: "nhiem-vu/index.html".into(),
        heading: "Tất cả nhiệm vụ".into(),
        filter_label: None,
        active: None,
        ids: &all,
    }];
    for ((s, ids), (code, label, base, _)) in by_state.iter().zip(&state_filters) {
        let _ = s;
        views.push(TaskView {
            base: base.clone(),
            heading: format!("Nhiệm vụ: {}", label.to_lowercase()),
            filter_label: Some(label.clone()),
            active: Some(code.clone()),
            ids,
        });
    }
    for ((_, ids), (code, label, base, _)) in by_year.iter().rev().zip(&year_filters) {
        views.push(TaskView {
            base: base.clone(),
            heading: format!("Nhiệm vụ {}", label.to_lowercase()),
            filter_label: Some(label.clone()),
            active: Some(code.clone()),
            ids,
        });
    }
    let per = site.config.per_page;
    let jobs: Vec<(&TaskView, usize, usize)> = views
        .iter()
        .flat_map(|v| {
            let total_pages = v.ids.len().div_ceil(per).max(1);
            (1..=total_pages).map(move |p| (v, p, total_pages))
        })
        .collect();
    jobs.into_par_iter()
        .try_for_each(|(v, p, total_pages)| -> Result<(), Diagnostic> {
            let path = page_path(&v.base, p);
            let root = root_for(&path);
            let slice: Vec<TaskId> = v
                .ids
                .iter()
                .skip((p - 1) * per)
                .take(per)
                .copied()
                .collect();
            let mut crumbs = vec![(
                "Nhiệm vụ".to_string(),
                Some("nhiem-vu/index.html".to_string()),
            )];
            if let Some(l) = &v.filter_label {
                crumbs.push((l.clone(), None));
            } else {
                crumbs[0].1 = None;
            }
            let meta = PageMeta {
                path: path.clone(),
                title: Some(v.heading.clone()),
                section: "nhiem-vu",
                crumbs,
                description: None,
            };
            let mut ctx = base_context(site, &meta);
            let filters = |list: &[(String, String, String, usize)]| -> Vec<Value> {
                list.iter()
                    .map(|(code, name, href, count)| json!({"name": name, "href": format!("{root}{href}"), "count": count, "active": v.active.as_deref() == Some(code.as_str())}))
                    .collect()
            };
            ctx.insert("heading".into(), json!(v.heading));
            ctx.insert("filter_label".into(), json!(v.filter_label));
            ctx.insert("active_filter".into(), json!(v.active));
            ctx.insert("total".into(), json!(v.ids.len()));
            ctx.insert("state_filters".into(), json!(filters(&state_filters)));
            ctx.insert("year_filters".into(), json!(filters(&year_filters)));
            ctx.insert(
                "groups".into(),
                json!(grouped_rows(site, &slice, RowStyle { root: &root, qualified: true, show_doc: true })),
            );
            ctx.insert("pager".into(), json!(pager(&v.base, p, total_pages, &root)));
            emit(render(theme, "tasks.html", path, ctx)?);
            Ok(())
        })
}

fn overdue_count(site: &Site, ids: &[TaskId], state: State) -> usize {
    ids.iter()
        .filter(|&&t| site.tasks.get(t).is_some_and(|t| t.state == state))
        .count()
}

/// `/don-vi/`: units with duties, by level.
pub fn unit_list(site: &Site, theme: &Theme) -> Result<Page, Diagnostic> {
    let path = "don-vi/index.html".to_string();
    let root = root_for(&path);
    let mut levels = Vec::new();
    for (level, code, label) in UnitLevel::ALL {
        let mut units: Vec<(String, Value)> = Vec::new();
        for (i, u) in site.units.iter().enumerate() {
            let duty = &site.duties[i];
            if u.level != level || (duty.lead.is_empty() && duty.support.is_empty()) {
                continue;
            }
            units.push((
                crate::text::fold(&u.name),
                json!({"name": u.name, "href": format!("{root}{}", unit_path(site, i)), "parent": u.parent, "registered": u.registered,
                       "lead": duty.lead.len(), "support": duty.support.len(), "overdue": overdue_count(site, &duty.lead, State::QuaHan)}),
            ));
        }
        if units.is_empty() {
            continue;
        }
        units.sort_by(|a, b| a.0.cmp(&b.0));
        levels.push(json!({"key": code, "name": label, "units": units.into_iter().map(|u| u.1).collect::<Vec<_>>()}));
    }
    let total: usize = site
        .duties
        .iter()
        .filter(|d| !d.lead.is_empty() || !d.support.is_empty())
        .count();
    let meta = PageMeta {
        path: path.clone(),
        title: Some("Đơn vị".into()),
        section: "don-vi",
        crumbs: vec![("Đơn vị".into(), None)],
        description: None,
    };
    let mut ctx = base_context(site, &meta);
    ctx.insert("levels".into(), json!(levels));
    ctx.insert("total".into(), json!(total));
    render(theme, "units.html", path, ctx)
}

/// `/don-vi/<slug>/` (paginated): what the unit leads and supports, grouped by document.
pub fn unit_pages(site: &Site, theme: &Theme, u: UnitId, emit: Emit) -> Result<(), Diagnostic> {
    let unit = &site.units[u];
    let duty = &site.duties[u];
    let base = unit_path(site, u);
    let items: Vec<(bool, TaskId)> = duty
        .lead
        .iter()
        .map(|&t| (true, t))
        .chain(duty.support.iter().map(|&t| (false, t)))
        .collect();
    let per = site.config.per_page;
    let total_pages = items.len().div_ceil(per).max(1);
    let mut upcoming: Vec<TaskId> = duty
        .lead
        .iter()
        .copied()
        .filter(|&t| matches!(site.tasks[t].state, State::QuaHan | State::SapDenHan))
        .collect();
    upcoming.sort_by_key(|&t| (site.tasks[t].due.end, t));
    upcoming.truncate(20);
    let overdue = overdue_count(site, &duty.lead, State::QuaHan);
    let due_soon = overdue_count(site, &duty.lead, State::SapDenHan);
    // A large unit (a Sở at national scale) has hundreds of pages: render them in parallel.
    (1..=total_pages).into_par_iter().try_for_each(|p| -> Result<(), Diagnostic> {
        let path = page_path(&base, p);
        let root = root_for(&path);
        let slice = items.iter().skip((p - 1) * per).take(per);
        let mut sections: Vec<Value> = Vec::new();
        for (is_lead, name, key) in [
            (true, "Nhiệm vụ chủ trì", "chu-tri"),
            (false, "Nhiệm vụ phối hợp", "phoi-hop"),
        ] {
            let ids: Vec<TaskId> = slice
                .clone()
                .filter(|(l, _)| *l == is_lead)
                .map(|(_, t)| *t)
                .collect();
            if ids.is_empty() {
                continue;
            }
            let mut docs: Vec<Value> = Vec::new();
            let mut start = 0;
            while start < ids.len() {
                let doc = site.tasks[ids[start]].doc;
                let end = ids[start..]
                    .iter()
                    .position(|&t| site.tasks[t].doc != doc)
                    .map_or(ids.len(), |n| start + n);
                let d = &site.documents[doc];
                docs.push(json!({"href": format!("{root}{}", doc_path(d)), "label": doc_label(d), "groups": grouped_rows(site, &ids[start..end], RowStyle { root: &root, qualified: true, show_doc: false })}));
                start = end;
            }
            let total = if is_lead {
                duty.lead.len()
            } else {
                duty.support.len()
            };
            sections.push(json!({"key": key, "name": name, "total": total, "docs": docs}));
        }
        let meta = PageMeta {
            path: path.clone(),
            title: Some(unit.name.clone()),
            section: "don-vi",
            crumbs: vec![
                ("Đơn vị".into(), Some("don-vi/index.html".into())),
                (unit.name.clone(), None),
            ],
            description: Some(format!("Nhiệm vụ cải cách hành chính của {}", unit.name)),
        };
        let mut ctx = base_context(site, &meta);
        let unit_dir = base.trim_end_matches("index.html");
        let ics = format!("{root}{unit_dir}lich.ics");
        let webcal =
            webcal_url(site, &format!("{unit_dir}lich.ics")).unwrap_or_else(|| ics.clone());
        ctx.insert(
            "unit".into(),
            json!({"name": unit.name, "level_label": unit.level.label(), "parent": unit.parent, "aliases": unit.aliases, "registered": unit.registered,
                   "lead": duty.lead.len(), "support": duty.support.len(), "overdue": overdue,
                   "due_soon": due_soon, "ics": ics, "webcal": webcal, "csv": format!("{root}{unit_dir}nhiem-vu.csv")}),
        );
        let up: Vec<TaskRow> = if p == 1 {
            upcoming
                .iter()
                .filter_map(|&t| task_row(site, t, &root, true))
                .collect()
        } else {
            Vec::new()
        };
        ctx.insert("upcoming".into(), json!(up));
        if p == 1 {
            ctx.insert("progress_html".into(), json!(crate::render::progress::unit_html(site, u)));
        }
        ctx.insert("sections".into(), json!(sections));
        ctx.insert("pager".into(), json!(pager(&base, p, total_pages, &root)));
        emit(render(theme, "unit.html", path, ctx)?);
        Ok(())
    })
}

/// `webcal://` form of a file's URL, when the site has an absolute `base_url`.
pub fn webcal_url(site: &Site, rel: &str) -> Option<String> {
    let base = &site.config.base_url;
    let rest = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"))?;
    Some(format!("webcal://{rest}{rel}"))
}

pub fn simple_page(
    site: &Site,
    theme: &Theme,
    template: &str,
    path: &str,
    title: &str,
    section: &str,
) -> Result<Page, Diagnostic> {
    let meta = PageMeta {
        path: path.to_string(),
        title: Some(title.into()),
        section,
        crumbs: vec![(title.into(), None)],
        description: None,
    };
    let mut ctx = base_context(site, &meta);
    ctx.insert("counts".into(), counts(site));
    render(theme, template, path.to_string(), ctx)
}

/// Link to the imported document's original file when it was copied beside the document
/// (front matter `original`, a content file in the same folder), else `None`.
fn original_href(site: &Site, d: &crate::model::Document, root: &str) -> Option<String> {
    let name = d.original.as_deref()?;
    let beside = d.source.parent()?.join(name);
    site.static_files
        .iter()
        .find(|f| f.source == beside)
        .map(|f| format!("{root}{}", f.out))
}
