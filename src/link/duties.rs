//! What each unit owes (tasks it leads or supports), and the warning for units that are not
//! in `units.yaml`.

use crate::diag::{Diagnostic, Diagnostics};
use crate::extract::units::UnitRegistry;
use crate::model::{Site, UnitDuties};

pub(crate) fn duties(site: &Site) -> Vec<UnitDuties> {
    let mut out = vec![UnitDuties::default(); site.units.len()];
    for (id, t) in site.tasks.iter().enumerate() {
        for &u in &t.lead {
            if let Some(d) = out.get_mut(u) {
                d.lead.push(id);
            }
        }
        for &u in &t.support {
            if let Some(d) = out.get_mut(u) {
                if !t.lead.contains(&u) {
                    d.support.push(id);
                }
            }
        }
    }
    out
}

/// Warns once per unregistered unit, at its first use, with the nearest registered names.
pub(crate) fn report_unregistered(site: &Site, registry: &UnitRegistry, diags: &Diagnostics) {
    for (i, u) in site.units.iter().enumerate() {
        let duty = &site.duties[i];
        let Some(&first) = duty.lead.first().or(duty.support.first()) else {
            continue;
        };
        if u.registered {
            continue;
        }
        let t = &site.tasks[first];
        let d = &site.documents[t.doc];
        let uses = duty.lead.len() + duty.support.len();
        let near: Vec<&str> = registry
            .nearest(&u.name, 3)
            .into_iter()
            .filter_map(|n| site.units.get(n))
            .map(|n| n.name.as_str())
            .collect();
        let hint = if near.is_empty() {
            "thêm đơn vị này vào `content/units.yaml`".to_string()
        } else {
            format!("có phải: {}? Thêm cách viết này vào `aliases` của đơn vị đúng trong `content/units.yaml`", near.join("; "))
        };
        diags.push(
            Diagnostic::warning(
                &d.source,
                t.line as usize,
                1,
                format!(
                    "đơn vị chưa có trong danh mục `{}` ({uses} nhiệm vụ)",
                    u.name
                ),
            )
            .with_hint(hint),
        );
    }
}
