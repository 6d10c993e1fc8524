//! Links written in a body: `other.md#muc` and content files, resolved to output URLs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::parse::markdown::LinkTarget;
use crate::text::percent_decode_lossy;

/// Output path of a content asset: mirrored under `tep/`.
pub fn asset_out(rel: &Path) -> String {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    format!("tep/{}", parts.join("/"))
}

/// Resolves a link written in a body found in folder `dir` (relative to the site root):
/// `other.md#muc` → that document's page; a content file → its copy under `tep/`.
/// Links are relative to a document page (`van-ban/<slug>/`).
pub(crate) fn resolve_link(
    dest: &str,
    dir: &Path,
    slugs: &BTreeMap<PathBuf, String>,
    assets: &BTreeSet<PathBuf>,
) -> LinkTarget {
    if dest.is_empty()
        || dest.starts_with('#')
        || dest.contains("://")
        || dest.starts_with("mailto:")
        || dest.starts_with("tel:")
        || dest.starts_with('/')
    {
        return LinkTarget::Keep;
    }
    let (path_part, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    };
    let path_part = percent_decode_lossy(path_part);
    let joined = normalize_rel(&dir.join(&path_part));
    let Some(joined) = joined else {
        return LinkTarget::Broken("liên kết trỏ ra ngoài thư mục `content/`".into());
    };
    let suffix = anchor.map(|a| format!("#{a}")).unwrap_or_default();
    if path_part.ends_with(".md") {
        return match slugs.get(&joined) {
            Some(slug) => LinkTarget::Url(format!("../{slug}/index.html{suffix}")),
            None => LinkTarget::Broken("liên kết tới văn bản không tồn tại".into()),
        };
    }
    let in_content = joined
        .strip_prefix("content")
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| joined.clone());
    if assets.contains(&in_content) {
        return LinkTarget::Url(format!("../../{}{suffix}", asset_out(&in_content)));
    }
    LinkTarget::Broken("liên kết tới tệp không tồn tại".into())
}

/// Resolves `.`/`..` lexically; `None` when the path climbs above its start.
fn normalize_rel(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            std::path::Component::CurDir => {}
            std::path::Component::Normal(n) => out.push(n),
            _ => return None,
        }
    }
    if !out.starts_with("content") {
        return None;
    }
    Some(out)
}
