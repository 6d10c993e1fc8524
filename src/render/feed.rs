//! Machine-facing files: the Atom feed of documents, `sitemap.xml` and `robots.txt`.
//! Dates come from documents and `--today`, never the clock, so output is reproducible.

use crate::model::Site;
use crate::render::view::doc_path;
use crate::text::escape_html as esc;

/// Absolute URL for a path when `base_url` is absolute; otherwise the base path + path.
fn url(site: &Site, path: &str) -> String {
    format!(
        "{}{}",
        site.config.base_url,
        path.trim_end_matches("index.html")
    )
}

/// Atom feed of the 50 newest documents.
pub fn atom(site: &Site) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">\n");
    s.push_str(&format!("<title>{}</title>\n", esc(&site.config.title)));
    s.push_str(&format!("<id>{}</id>\n", esc(&url(site, ""))));
    s.push_str(&format!(
        "<link href=\"{}\"/>\n<link rel=\"self\" href=\"{}\"/>\n",
        esc(&url(site, "")),
        esc(&url(site, "feed.xml"))
    ));
    let updated = site
        .documents
        .iter()
        .filter_map(|d| d.date)
        .max()
        .unwrap_or(site.today);
    s.push_str(&format!("<updated>{updated}T00:00:00+07:00</updated>\n"));
    for d in site.documents.iter().take(50) {
        let link = url(site, &doc_path(d));
        let date = d.date.unwrap_or(site.today);
        s.push_str("<entry>\n");
        s.push_str(&format!(
            "<title>{}</title>\n<id>{}</id>\n<link href=\"{}\"/>\n",
            esc(&d.title),
            esc(&link),
            esc(&link)
        ));
        s.push_str(&format!("<updated>{date}T00:00:00+07:00</updated>\n"));
        s.push_str(&format!(
            "<author><name>{}</name></author>\n",
            esc(d.issuer.as_deref().unwrap_or(&site.config.title))
        ));
        let summary = d
            .summary
            .clone()
            .unwrap_or_else(|| d.number.clone().unwrap_or_default());
        s.push_str(&format!("<summary>{}</summary>\n</entry>\n", esc(&summary)));
    }
    // progress (issue 17): one entry per reported status change.
    s.push_str(&crate::render::progress::feed_entries(site, &|p| {
        url(site, p)
    }));
    s.push_str("</feed>\n");
    s
}

/// `sitemap.xml` listing every HTML page path given.
pub fn sitemap(site: &Site, pages: &[&str]) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in pages {
        if *p == "404.html" {
            continue;
        }
        s.push_str(&format!("<url><loc>{}</loc></url>\n", esc(&url(site, p))));
    }
    s.push_str("</urlset>\n");
    s
}

pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        url(site, "sitemap.xml")
    )
}
