//! The frame every page shares: what `base.html` needs (site, root, title, menu section,
//! breadcrumb, canonical URL, build date) as one typed value, the [`PageMeta`] a page
//! describes itself with, and the call that renders a page context into a [`Page`].
//!
//! Page contexts are `#[derive(Serialize)]` structs that embed a [`Frame`] with
//! `#[serde(flatten)]`, so templates see `root`, `section`, … beside the page's own fields.

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::model::Site;
use crate::render::templates::Theme;
use crate::render::view::{date_vi, root_for};

/// One rendered page: output path and HTML (UTF-8 bytes).
pub type Page = (String, Vec<u8>);

/// What a page says about itself: output path, title, menu section, breadcrumb, description.
pub struct PageMeta<'a> {
    pub path: String,
    pub title: Option<String>,
    pub section: &'a str,
    /// Breadcrumb after "Trang chủ": names with the site-relative path they link to (the
    /// current page has none).
    pub crumbs: Vec<(String, Option<String>)>,
    pub description: Option<String>,
    /// The site-relative page search engines should index instead of this one (a page that
    /// only sends readers on); `None`: this page.
    pub indexed_as: Option<String>,
}

impl<'a> PageMeta<'a> {
    /// A page at `path` in menu `section`, titled `title`; its breadcrumb ends in the title.
    pub fn new(path: impl Into<String>, section: &'a str, title: &str) -> PageMeta<'a> {
        PageMeta {
            path: path.into(),
            title: Some(title.to_string()),
            section,
            crumbs: vec![(title.to_string(), None)],
            description: None,
            indexed_as: None,
        }
    }

    /// The home page: no title of its own, no breadcrumb.
    pub fn home() -> PageMeta<'static> {
        PageMeta {
            path: "index.html".into(),
            title: None,
            section: "home",
            crumbs: Vec::new(),
            description: None,
            indexed_as: None,
        }
    }

    /// Puts a parent (`name`, site-relative `href`) before the breadcrumb's last entry.
    pub fn under(mut self, name: &str, href: &str) -> Self {
        let at = self.crumbs.len().saturating_sub(1);
        self.crumbs
            .insert(at, (name.to_string(), Some(href.to_string())));
        self
    }

    /// Names the current page in the breadcrumb differently from its title.
    pub fn crumb(mut self, name: &str) -> Self {
        if let Some(last) = self.crumbs.last_mut() {
            *last = (name.to_string(), None);
        }
        self
    }

    pub fn describe(mut self, description: Option<String>) -> Self {
        self.description = description;
        self
    }

    /// Points the canonical address at the site-relative page `path` (a fragment is dropped).
    pub fn indexed_as(mut self, path: &str) -> Self {
        self.indexed_as = Some(path.split('#').next().unwrap_or_default().to_string());
        self
    }
}

/// The site as `base.html` names it.
#[derive(Serialize)]
pub struct SiteInfo<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
}

#[derive(Serialize)]
pub struct Crumb {
    pub name: String,
    pub href: Option<String>,
}

/// The context `base.html` reads, embedded in every page context.
#[derive(Serialize)]
pub struct Frame<'a> {
    pub site: SiteInfo<'a>,
    /// `../` prefix from the page to the site root (the absolute base URL on the 404 page,
    /// which is served from any depth).
    pub root: String,
    pub page_title: Option<String>,
    pub description: String,
    pub canonical: Option<String>,
    pub section: &'a str,
    pub breadcrumbs: Vec<Crumb>,
    pub today: String,
    pub today_vi: String,
}

impl<'a> Frame<'a> {
    pub fn new(site: &'a Site, meta: &PageMeta<'a>) -> Frame<'a> {
        let root = if meta.path == "404.html" {
            site.config.base_url.clone()
        } else {
            root_for(&meta.path)
        };
        let breadcrumbs = meta
            .crumbs
            .iter()
            .map(|(name, href)| Crumb {
                name: name.clone(),
                href: href.as_ref().map(|h| format!("{root}{h}")),
            })
            .collect();
        let base = &site.config.base_url;
        let indexed = meta.indexed_as.as_deref().unwrap_or(&meta.path);
        let canonical = base
            .contains("://")
            .then(|| format!("{base}{}", indexed.trim_end_matches("index.html")));
        Frame {
            site: SiteInfo {
                title: &site.config.title,
                description: &site.config.description,
                base_url: base,
            },
            root,
            page_title: meta.title.clone(),
            description: meta
                .description
                .clone()
                .unwrap_or_else(|| site.config.description.clone()),
            canonical,
            section: meta.section,
            breadcrumbs,
            today: site.today.to_string(),
            today_vi: date_vi(site.today),
        }
    }
}

/// Renders `template` with the page context `ctx` into the page at `path`.
pub fn render<T: Serialize>(
    theme: &Theme,
    template: &str,
    path: String,
    ctx: &T,
) -> Result<Page, Diagnostic> {
    let html = theme.render(template, ctx)?;
    Ok((path, html))
}
