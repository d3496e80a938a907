//! `content/measures/*.yaml`: one file per measure, validated on every core. A measure's
//! validity depends on its own file, the plan and the glossary's names only.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use super::context::FileCtx;
use super::glossary::{check_references, GlossaryNames};
use super::kpi::validate_kpi;
use crate::diagnostics::{Code, Diagnostics, Severity};
use crate::load::raw::RawMeasure;
use crate::load::{Parsed, SourceFile};
use crate::model::{
    compare_ids, Kpi, Measure, MeasureRef, Plan, RelatedDepartment, Sections, Task,
};
use crate::url;

/// Every measure ID must be unique. Duplicates are found on the raw values, so that they are
/// reported even when one of the two files has other errors too. Returns every ID written,
/// valid measure or not.
pub(super) fn check_unique_ids(
    measures: &[Parsed<RawMeasure>],
    diags: &mut Diagnostics,
) -> BTreeSet<String> {
    let mut seen_ids: HashMap<String, PathBuf> = HashMap::new();
    for parsed in measures {
        let id = parsed.value.id.0.trim();
        match seen_ids.get(id) {
            Some(first) => diags.push(FileCtx::new(&parsed.file).error(
                Code::DuplicateId,
                "id",
                format!("施策ID「{id}」は {} でも使われています", first.display()),
                "施策IDは施策ごとに別の値にしてください",
            )),
            None => {
                seen_ids.insert(id.to_string(), parsed.file.path.clone());
            }
        }
    }
    seen_ids.into_keys().collect()
}

/// Validates every measure, sorted by ID. Without a valid plan only the glossary references
/// can be checked.
pub(super) fn validate_measures(
    parsed: Vec<Parsed<RawMeasure>>,
    plan: Option<&Plan>,
    names: &GlossaryNames,
    diags: &mut Diagnostics,
) -> Vec<Measure> {
    // Measures are validated on every core, each raw measure dropped once its model exists
    // (on a large site the two together would be most of the build's peak memory);
    // diagnostics are reported in file order.
    let checked: Vec<(Option<Measure>, Diagnostics)> = {
        use rayon::prelude::*;
        parsed
            .into_par_iter()
            .map(|parsed| {
                let mut own = Diagnostics::default();
                let m = match plan {
                    Some(plan) => measure(&parsed, plan, names, &mut own),
                    None => {
                        measure_references(&parsed, names, &mut own);
                        None
                    }
                };
                (m, own)
            })
            .collect()
    };
    let mut measures = Vec::with_capacity(checked.len());
    for (m, own) in checked {
        diags.extend(own.into_vec());
        measures.extend(m);
    }
    measures.sort_by(|a, b| compare_ids(&a.id, &b.id));
    measures
}

/// One measure file: its own fields and the explicit glossary references in its Markdown.
/// Everything a measure's validity depends on besides its file is the plan and the glossary's
/// names, so `serve` can validate an edited measure alone (the rest of the site unchanged).
pub(crate) fn measure(
    parsed: &Parsed<RawMeasure>,
    plan: &Plan,
    names: &GlossaryNames,
    diags: &mut Diagnostics,
) -> Option<Measure> {
    let m = validate_measure(&parsed.file, &parsed.value, plan, diags);
    let before = diags.error_count();
    measure_references(parsed, names, diags);
    let m = m.filter(|_| diags.error_count() == before)?;
    warn_blank(&m, &parsed.file, !parsed.value.sections.0.is_empty(), diags);
    warn_unlisted_departments(parsed, plan, diags);
    Some(m)
}

/// The explicit glossary references in a measure's sections and KPI notes.
fn measure_references(parsed: &Parsed<RawMeasure>, names: &GlossaryNames, diags: &mut Diagnostics) {
    let ctx = FileCtx::new(&parsed.file);
    for (key, text) in &parsed.value.sections.0 {
        if let Some(text) = text {
            let field = format!("sections.{key}");
            check_references(&ctx, &field, text, names, diags);
            super::ruby::check_markdown(&ctx, &field, text, diags);
        }
    }
    for (i, k) in parsed.value.kpis.iter().enumerate() {
        if let Some(notes) = &k.notes {
            check_references(&ctx, &format!("kpis[{i}].notes"), notes, names, diags);
            super::ruby::check_markdown(&ctx, &format!("kpis[{i}].notes"), notes, diags);
        }
    }
    super::ruby::check_text(&ctx, "title", &parsed.value.title, diags);
}

/// A measure's own fields: ID, title, policy, lifecycle, departments, schedule and KPIs.
fn validate_measure(
    file: &SourceFile,
    raw: &RawMeasure,
    plan: &Plan,
    diags: &mut Diagnostics,
) -> Option<Measure> {
    let ctx = FileCtx::new(file);
    let before = diags.error_count();
    let updated = ctx.date(raw.updated.as_ref(), "updated", diags);
    let publication = crate::model::Publication {
        draft: raw.draft,
        publish_date: ctx.date(raw.publish_date.as_ref(), "publish_date", diags),
    };
    let id = raw.id.0.trim().to_string();
    if !url::is_valid_id(&id) {
        diags.push(ctx.error(
            Code::InvalidId,
            "id",
            format!("施策ID「{id}」はURLに使えない文字を含みます"),
            "半角英数字とハイフンだけ（例: 01-01）にしてください",
        ));
    } else {
        let stem = file.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if stem != id {
            diags.push(ctx.error(
                Code::FileNameMismatch,
                "id",
                format!("施策ID「{id}」とファイル名「{stem}」が一致しません"),
                format!("ファイル名を {id}.yaml にするか、id を直してください"),
            ));
        }
    }
    ctx.not_empty(&raw.title, "title", diags);
    let lead_department = match &raw.lead_department {
        Some(lead) if ctx.not_empty(lead, "lead_department", diags) => {
            Some(lead.trim().to_string())
        }
        _ => None,
    };
    if raw.lead_department.is_some() && !raw.departments.is_empty() {
        diags.push(ctx.key_error(
            Code::InvalidValue,
            "departments",
            "lead_department と departments の両方が書かれています",
            "主管部署が1つなら lead_department、同等に担当する課が複数なら departments \
             のどちらかにしてください（協力する部署は related_departments）",
        ));
    }
    let mut departments: Vec<String> = Vec::new();
    for (i, d) in raw.departments.iter().enumerate() {
        let path = format!("departments[{i}]");
        if !ctx.not_empty(d, &path, diags) {
            continue;
        }
        if departments.iter().any(|known| known == d.trim()) {
            diags.push(ctx.error(
                Code::Duplicate,
                &path,
                format!("担当課「{}」が2回書かれています", d.trim()),
                "部署ごとに1回だけ書いてください",
            ));
            continue;
        }
        departments.push(d.trim().to_string());
    }
    let policy = check_policy(&ctx, raw.policy, plan, diags);
    let sections = sections(&ctx, raw, plan, diags);

    // The years the measure runs: the plan period, narrowed by its lifecycle.
    let mut active = plan.period;
    let mut completed = None;
    let mut added = None;
    if let Some(l) = &raw.lifecycle {
        if let Some(since) = &l.since {
            if let Some(y) = ctx.year_in(since, "lifecycle.since", plan.period, diags) {
                active.start = y;
                added = (y > plan.period.start).then_some(y);
            }
        }
        if let Some(c) = &l.completed {
            if let Some(y) = ctx.year_in(c, "lifecycle.completed", plan.period, diags) {
                active.end = y;
                completed = (y < plan.period.end).then_some(y);
            }
        }
        if active.start > active.end {
            diags.push(ctx.error(
                Code::InvalidValue,
                "lifecycle",
                "開始年度が終了年度より後です",
                "since と completed を確認してください",
            ));
        }
    }

    let mut related = Vec::new();
    for (i, r) in raw.related_departments.iter().enumerate() {
        let base = format!("related_departments[{i}]");
        if !ctx.not_empty(&r.name, &base, diags) {
            continue;
        }
        related.push(RelatedDepartment {
            name: r.name.trim().to_string(),
            since: r
                .since
                .as_ref()
                .and_then(|y| ctx.year_in(y, &format!("{base}.since"), plan.period, diags)),
            until: r
                .until
                .as_ref()
                .and_then(|y| ctx.year_in(y, &format!("{base}.until"), plan.period, diags)),
            note: r.note.clone(),
        });
    }

    let mut schedule = Vec::new();
    for (i, t) in raw.schedule.iter().enumerate() {
        let base = format!("schedule[{i}]");
        ctx.not_empty(&t.task, &format!("{base}.task"), diags);
        let years = match &t.years {
            None => active.years(),
            Some(list) => list
                .iter()
                .enumerate()
                .filter_map(|(j, y)| {
                    ctx.year_in(y, &format!("{base}.years[{j}]"), plan.period, diags)
                })
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
        };
        schedule.push(Task {
            name: t.task.trim().to_string(),
            years,
        });
    }

    let kpis: Vec<Kpi> = raw
        .kpis
        .iter()
        .enumerate()
        .filter_map(|(i, k)| validate_kpi(&ctx, i, k, plan.period, diags))
        .collect();

    if diags.error_count() > before {
        return None;
    }
    Some(Measure {
        id,
        title: crate::ruby::base_text(raw.title.trim()).into_owned(),
        title_ruby: super::ruby::written_with_ruby(raw.title.trim()),
        policy,
        lead_department,
        departments,
        continues: (raw.continues.iter())
            .filter_map(|c| MeasureRef::parse(c))
            .collect(),
        predecessors: Vec::new(),
        successors: Vec::new(),
        related_departments: related,
        active,
        completed,
        added,
        lifecycle_note: raw.lifecycle.as_ref().and_then(|l| l.note.clone()),
        sections,
        schedule,
        kpis,
        updated,
        publication,
        source: file.path.clone(),
    })
}

/// The measure's policy: required when the plan has policies, and one of them; absent when
/// the plan has none.
fn check_policy(
    ctx: &FileCtx,
    policy: Option<u32>,
    plan: &Plan,
    diags: &mut Diagnostics,
) -> Option<u32> {
    let known: Vec<String> = plan.policies.iter().map(|p| p.number.to_string()).collect();
    match policy {
        None if !plan.policies.is_empty() => {
            diags.push(ctx.error(
                Code::MissingField,
                "id",
                "policy（基本方針の番号）がありません",
                format!(
                    "content/plan.yaml にある番号（{}）を policy: に書いてください",
                    known.join(", ")
                ),
            ));
            None
        }
        Some(n) if plan.policy(n).is_none() => {
            let hint = if known.is_empty() {
                "計画に基本方針がないので、policy: を消してください".to_string()
            } else {
                format!(
                    "content/plan.yaml にある番号（{}）を書いてください",
                    known.join(", ")
                )
            };
            diags.push(ctx.error(
                Code::UnknownPolicy,
                "policy",
                format!("基本方針 {n} は計画にありません"),
                hint,
            ));
            None
        }
        other => other,
    }
}

/// The measure's sections in the plan's order; a key the plan does not declare is an error at
/// that key.
fn sections(ctx: &FileCtx, raw: &RawMeasure, plan: &Plan, diags: &mut Diagnostics) -> Sections {
    for (key, _) in &raw.sections.0 {
        if plan.section(key).is_none() {
            let known: Vec<&str> = plan.sections.iter().map(|d| d.key.as_str()).collect();
            diags.push(ctx.key_error(
                Code::UnknownField,
                &format!("sections.{key}"),
                format!("施策の項目「{key}」は計画にありません"),
                format!(
                    "使える項目は {} です（content/plan.yaml の sections で決めます）",
                    known.join(", ")
                ),
            ));
        }
    }
    Sections(
        plan.sections
            .iter()
            .filter_map(|d| {
                raw.sections
                    .0
                    .iter()
                    .find(|(k, _)| *k == d.key)
                    .and_then(|(_, t)| t.clone())
                    .map(|t| (d.key.clone(), t))
            })
            .collect(),
    )
}

/// Warnings about a valid measure: one with nothing to show beyond its title builds, but a
/// citizen opening its page finds it empty, so `check` says so (at its `sections:`, or at
/// its title when it has none).
fn warn_blank(m: &Measure, file: &SourceFile, has_sections: bool, diags: &mut Diagnostics) {
    if !m.is_blank() {
        return;
    }
    let ctx = FileCtx::new(file);
    let path = if has_sections { "sections" } else { "title" };
    let mut d = ctx.error(
        Code::BlankMeasure,
        path,
        format!(
            "施策「{} {}」には本文も成果目標もスケジュールもありません",
            m.id, m.title
        ),
        "sections に施策の内容を書くか、kpis・schedule を加えてください",
    );
    d.severity = Severity::Warning;
    diags.push(d);
}

/// A plan that lists its departments (`departments:` in plan.yaml, for their readings) gets a
/// warning for a measure naming one it does not list: usually a typo or a renamed department,
/// and in any case a name that sorts without its reading.
fn warn_unlisted_departments(parsed: &Parsed<RawMeasure>, plan: &Plan, diags: &mut Diagnostics) {
    if plan.listed_departments.is_empty() {
        return;
    }
    let raw = &parsed.value;
    let named = (raw
        .lead_department
        .iter()
        .map(|d| ("lead_department".to_string(), d)))
    .chain((raw.departments.iter().enumerate()).map(|(i, d)| (format!("departments[{i}]"), d)))
    .chain(
        (raw.related_departments.iter().enumerate())
            .map(|(i, r)| (format!("related_departments[{i}]"), &r.name)),
    );
    let ctx = FileCtx::new(&parsed.file);
    for (path, name) in named {
        if plan.listed_departments.contains(name.trim()) {
            continue;
        }
        let mut d = ctx.error(
            Code::InvalidValue,
            &path,
            format!(
                "部署「{}」は content/plan.yaml の departments にありません",
                name.trim()
            ),
            "部署名の書き間違いを確かめるか、departments に name と reading を加えてください",
        );
        d.severity = Severity::Warning;
        diags.push(d);
    }
}
