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

/// Most URLs one sitemap file lists. The protocol allows 50,000 (and 50 MB); this keeps a
/// file near 3 MB, inside the portal's own per-file budget.
const SITEMAP_URLS: usize = 40_000;

/// `sitemap.xml` listing every HTML page path given (but the 404 page). Past
/// `SITEMAP_URLS` pages, `sitemap.xml` becomes a sitemap index of `sitemap-<n>.xml` files,
/// as the protocol requires; robots.txt names `sitemap.xml` either way.
pub fn sitemaps(site: &Site, pages: &[&str]) -> Vec<(String, String)> {
    sitemap_files(&|p| url(site, p), pages, SITEMAP_URLS)
}

fn sitemap_files(
    url: &dyn Fn(&str) -> String,
    pages: &[&str],
    per_file: usize,
) -> Vec<(String, String)> {
    let pages: Vec<&str> = pages.iter().copied().filter(|p| *p != "404.html").collect();
    let urlset = |chunk: &[&str]| {
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for p in chunk {
            s.push_str(&format!("<url><loc>{}</loc></url>\n", esc(&url(p))));
        }
        s.push_str("</urlset>\n");
        s
    };
    if pages.len() <= per_file {
        return vec![("sitemap.xml".to_string(), urlset(&pages))];
    }
    let mut files = Vec::new();
    let mut index = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (n, chunk) in pages.chunks(per_file.max(1)).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        index.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            esc(&url(&name))
        ));
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".to_string(), index));
    files
}

pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        url(site, "sitemap.xml")
    )
}

#[cfg(test)]
mod tests {
    use super::sitemap_files;

    fn locs(xml: &str) -> Vec<&str> {
        xml.split("<loc>")
            .skip(1)
            .filter_map(|s| s.split("</loc>").next())
            .collect()
    }

    #[test]
    fn small_sites_have_one_sitemap_without_the_404_page() {
        let url = |p: &str| format!("https://x.vn/{p}");
        let files = sitemap_files(&url, &["index.html", "404.html", "van-ban/a/index.html"], 3);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "sitemap.xml");
        assert!(files[0].1.contains("<urlset"));
        assert_eq!(
            locs(&files[0].1),
            [
                "https://x.vn/index.html",
                "https://x.vn/van-ban/a/index.html"
            ]
        );
    }

    #[test]
    fn large_sites_get_an_index_of_sitemaps_each_within_the_limit() {
        let url = |p: &str| format!("https://x.vn/{p}");
        let pages: Vec<String> = (0..7).map(|i| format!("p{i}/index.html")).collect();
        let refs: Vec<&str> = pages.iter().map(String::as_str).collect();
        let files = sitemap_files(&url, &refs, 3);
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        assert!(files[0].1.contains("<sitemapindex"));
        assert_eq!(
            locs(&files[0].1),
            [
                "https://x.vn/sitemap-1.xml",
                "https://x.vn/sitemap-2.xml",
                "https://x.vn/sitemap-3.xml"
            ]
        );
        let listed: Vec<&str> = files[1..].iter().flat_map(|f| locs(&f.1)).collect();
        let want: Vec<String> = pages.iter().map(|p| url(p)).collect();
        assert_eq!(listed, want, "every page once, in order");
        assert!(files[1..].iter().all(|f| locs(&f.1).len() <= 3));
    }
}
