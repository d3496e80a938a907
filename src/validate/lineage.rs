//! A site of several plans: the plans' slugs, `current_plan:` and the lineage between their
//! measures (`continues: [ict-2018/1]`). References are checked on the raw files, before any
//! plan is validated, so that an unknown target is located at its line in the measure file
//! whatever else is wrong; once every plan is valid, [`link`] fills in the other side
//! (`continued_by`) and [`plan_list`] the list the home pages show.

use std::collections::{BTreeMap, BTreeSet};

use super::context::FileCtx;
use crate::diagnostics::{Code, Diagnostics};
use crate::load::Loaded;
use crate::model::{LinkedMeasure, MeasureRef, PlanEntry, Site};

/// The slug of the plan at `content/`: its `id:` in plan.yaml, which a site of several plans
/// must give (the other plans' slugs are their folder names).
fn root_slug(root: &Loaded) -> Option<String> {
    let id = root.plan.as_ref()?.value.id.as_deref()?.trim();
    (!id.is_empty()).then(|| id.to_string())
}

/// Checks the slugs, `current_plan:` and every `continues:` entry of every plan; all
/// problems are located errors.
pub(super) fn check(root: &Loaded, others: &[(String, Loaded)], diags: &mut Diagnostics) {
    let mut known: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let ids = |l: &Loaded| -> BTreeSet<String> {
        (l.measures.iter())
            .map(|m| m.value.id.0.trim().to_string())
            .collect()
    };
    let root_id = root_slug(root);
    if let Some(slug) = &root_id {
        known.insert(slug.clone(), ids(root));
    }
    for (slug, other) in others {
        known.insert(slug.clone(), ids(other));
        if let Some(p) = &other.plan {
            let id = p.value.id.as_deref().map(str::trim);
            if id.is_some_and(|id| !id.is_empty() && id != slug) {
                diags.push(FileCtx::new(&p.file).error(
                    Code::PlanId,
                    "id",
                    format!(
                        "content/plans/{slug}/ の計画の id が「{}」になっています",
                        id.unwrap_or_default()
                    ),
                    format!("id はフォルダ名と同じ {slug} にするか、書かずにおいてください"),
                ));
            }
        }
    }
    if !others.is_empty() && root_id.is_none() {
        if let Some(p) = &root.plan {
            diags.push(FileCtx::new(&p.file).key_error(
                Code::PlanId,
                "title",
                "計画が複数あるサイトでは、content/plan.yaml に計画の id が必要です",
                "例: id: dx-2022（ほかの計画の continues: と、オープンデータの plan_id がこの名前で呼びます）",
            ));
        }
    }
    if let Some(c) = &root.config {
        if let Some(current) = c.value.current_plan.as_deref().map(str::trim) {
            if !known.contains_key(current) {
                let names: Vec<&str> = known.keys().map(String::as_str).collect();
                diags.push(FileCtx::new(&c.file).error(
                    Code::PlanId,
                    "current_plan",
                    format!("current_plan の「{current}」という計画はありません"),
                    format!("次のどれかを書いてください: {}", names.join("、")),
                ));
            }
        }
    }
    let plans = std::iter::once((root_id.as_deref(), root))
        .chain(others.iter().map(|(slug, l)| (Some(slug.as_str()), l)));
    for (own, plan) in plans {
        for m in &plan.measures {
            let ctx = FileCtx::new(&m.file);
            for (i, text) in m.value.continues.iter().enumerate() {
                let path = format!("continues[{i}]");
                let Some(target) = MeasureRef::parse(text) else {
                    diags.push(ctx.error(
                        Code::UnknownLineage,
                        &path,
                        format!("「{}」は 計画/施策ID の形ではありません", text.trim()),
                        "例: continues: [ict-2018/1]（引き継いだ計画の id と、その施策の ID）",
                    ));
                    continue;
                };
                let problem = match known.get(&target.plan) {
                    _ if Some(target.plan.as_str()) == own => {
                        Some(format!("「{target}」はこの施策と同じ計画の施策です"))
                    }
                    None => Some(format!("計画「{}」はこのサイトにありません", target.plan)),
                    Some(ids) if !ids.contains(&target.id) => Some(format!(
                        "計画「{}」に施策「{}」はありません",
                        target.plan, target.id
                    )),
                    Some(_) => None,
                };
                if let Some(message) = problem {
                    let slugs: Vec<&str> = known.keys().map(String::as_str).collect();
                    diags.push(ctx.error(
                        Code::UnknownLineage,
                        &path,
                        message,
                        format!(
                            "ほかの計画の施策を 計画/施策ID で書いてください（計画: {}）",
                            slugs.join("、")
                        ),
                    ));
                }
            }
        }
    }
}

/// Fills in every measure's lineage links from the plans' `continues:` (already checked, so
/// every target exists): its predecessors, and as their other side its successors.
pub(super) fn link(root: &mut Site, others: &mut [Site]) {
    let mut found: BTreeMap<MeasureRef, LinkedMeasure> = BTreeMap::new();
    let mut pairs: Vec<(MeasureRef, MeasureRef)> = Vec::new();
    for site in std::iter::once(&*root).chain(others.iter()) {
        let slug = site.plan.id.clone().unwrap_or_default();
        for m in &site.measures {
            let at = MeasureRef {
                plan: slug.clone(),
                id: m.id.clone(),
            };
            pairs.extend(m.continues.iter().map(|t| (at.clone(), t.clone())));
            let linked = LinkedMeasure {
                at: at.clone(),
                plan_title: site.plan.title.clone(),
                prefix: site.prefix.clone(),
                title: m.title.clone(),
            };
            found.insert(at, linked);
        }
    }
    for site in std::iter::once(root).chain(others.iter_mut()) {
        let slug = site.plan.id.clone().unwrap_or_default();
        for m in &mut site.measures {
            let me = MeasureRef {
                plan: slug.clone(),
                id: m.id.clone(),
            };
            m.predecessors = (m.continues.iter())
                .filter_map(|t| found.get(t).cloned())
                .collect();
            m.successors = (pairs.iter())
                .filter(|(_, target)| *target == me)
                .filter_map(|(from, _)| found.get(from).cloned())
                .collect();
        }
    }
}

/// The list of every plan that each home page shows: the current one (`current_plan:`, else
/// the plan at content/) first, then the others, newest period first.
pub(super) fn plan_list(root: &Site, others: &[Site]) -> Vec<PlanEntry> {
    let current = root.config.current_plan.clone().or(root.plan.id.clone());
    let mut entries: Vec<(PlanEntry, u16)> = std::iter::once(root)
        .chain(others.iter())
        .map(|site| {
            let slug = site.plan.id.clone().unwrap_or_default();
            let entry = PlanEntry {
                current: Some(&slug) == current.as_ref(),
                slug,
                prefix: site.prefix.clone(),
                title: site.plan.title.clone(),
                period_label: site.plan.period_label(),
                ended: site.plan.ended,
                measure_count: site.measures.len(),
            };
            (entry, site.plan.period.start.western())
        })
        .collect();
    entries.sort_by(|(a, a_start), (b, b_start)| {
        b.current
            .cmp(&a.current)
            .then(b_start.cmp(a_start))
            .then(a.slug.cmp(&b.slug))
    });
    entries.into_iter().map(|(e, _)| e).collect()
}
