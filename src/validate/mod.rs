//! Stage 2: raw values → the typed [`Site`]. Every rule about what content may say lives here,
//! and every violation becomes a located [`Diagnostic`]; validation goes on after an error so
//! that one run reports everything that is wrong.

mod activity;
pub mod city_code;
mod revision;

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position};
use crate::fiscal::{ByYear, FiscalYear};
use crate::glossary::{anchor, collate, link};
use crate::kpi::achievement::{self, Aggregation, Direction, KpiFacts, NearBand, Rules};
use crate::kpi::cell::{Cell, CellInput};
use crate::load::raw::{RawAchievement, RawIndicator, RawKpi, RawMeasure, ScalarText, YearMap};
use crate::load::yaml::Locator;
use crate::load::{Loaded, Parsed, SourceFile};
use crate::markdown::RawHtml;
use crate::model::{
    Config, Contact, Kpi, License, Measure, Page, Period, Plan, Policy, RelatedDepartment,
    Sections, Site, Task, Term,
};
use crate::progress::{self, Vocabulary};
use crate::url;

/// Options that come from the command line rather than the content.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub base_url: Option<String>,
    /// Links name `index.html` (`measures/01-01/index.html`) so that a copy of the site opened
    /// from the file system can be browsed (`keikaku build --file-links`).
    pub file_links: bool,
}

/// Builds the site model, or returns `None` when there were errors (all of them in `diags`).
pub fn validate(
    mut loaded: Loaded,
    overrides: &Overrides,
    diags: &mut Diagnostics,
) -> Option<Site> {
    let config = loaded.config.as_ref().and_then(|c| {
        let ctx = FileCtx::new(&c.file);
        let raw = &c.value;
        let base_url = overrides
            .base_url
            .clone()
            .unwrap_or_else(|| raw.base_url.clone());
        let mut ok = true;
        for (field, value) in [("title", &raw.title), ("city", &raw.city)] {
            if value.trim().is_empty() {
                diags.push(ctx.error(
                    Code::InvalidValue,
                    field,
                    "空にできません",
                    "値を書いてください",
                ));
                ok = false;
            }
        }
        let theme = raw.theme.clone().unwrap_or_else(|| "default".to_string());
        if !url::is_valid_slug(&theme) {
            diags.push(ctx.error(
                Code::InvalidValue,
                "theme",
                format!("テーマ名「{theme}」は使えません"),
                "半角英数字とハイフンだけの名前にしてください",
            ));
            ok = false;
        }
        let mut vocabulary = Vocabulary::default();
        for (i, st) in raw.progress_statuses.iter().enumerate() {
            let added = vocabulary.add(progress::Status {
                key: st.key.trim().to_string(),
                label: st.label.clone(),
                icon: st
                    .icon
                    .as_deref()
                    .map(str::trim)
                    .filter(|i| !i.is_empty())
                    .unwrap_or("◆")
                    .to_string(),
                attention: st.attention,
            });
            if let Err(e) = added {
                diags.push(ctx.error(
                    Code::InvalidValue,
                    &format!("progress_statuses[{i}]"),
                    e.to_string(),
                    "ほかの語・キーと重ならない label と、半角小文字英数字とハイフンの key を書いてください",
                ));
                ok = false;
            }
        }
        let achievement = achievement_rules(&ctx, raw.achievement.as_ref(), diags);
        ok &= achievement.is_some();
        let city_code = city_code::read(&ctx, raw.city_code.as_ref(), diags);
        ok &= city_code.is_ok();
        ok.then(|| Config {
            title: raw.title.trim().to_string(),
            city: raw.city.trim().to_string(),
            city_code: city_code.unwrap_or_default(),
            base_url: url::normalize_base_url(&base_url),
            language: raw.language.clone(),
            theme,
            contact: raw.contact.clone().map(|c| Contact {
                name: c.name,
                email: c.email,
                phone: c.phone,
                url: c.url,
            }),
            data_license: raw
                .data_license
                .clone()
                .map(|l| License {
                    name: l.name,
                    url: l.url,
                })
                .unwrap_or_else(License::public_data_license),
            progress: vocabulary,
            publish_staff_names: raw.publish_staff_names,
            achievement: achievement.unwrap_or_default(),
            file_links: overrides.file_links,
            raw_html: if raw.allow_raw_html {
                RawHtml::Trust
            } else {
                RawHtml::Sanitise
            },
        })
    });

    let plan = loaded
        .plan
        .as_ref()
        .and_then(|p| validate_plan(&p.file, &p.value, diags));

    // Duplicate IDs are found on the raw values, so that they are reported even when one of
    // the two files has other errors too.
    let mut seen_ids: HashMap<String, std::path::PathBuf> = HashMap::new();
    for parsed in &loaded.measures {
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
    let names = glossary_names(&loaded);
    // Measures are validated on every core, each raw measure dropped once its model exists
    // (on a large site the two together would be most of the build's peak memory);
    // diagnostics are reported in file order.
    let checked: Vec<(Option<Measure>, Diagnostics)> = {
        use rayon::prelude::*;
        std::mem::take(&mut loaded.measures)
            .into_par_iter()
            .map(|parsed| {
                let mut own = Diagnostics::default();
                let m = match &plan {
                    Some(plan) => measure(&parsed, plan, &names, &mut own),
                    None => {
                        measure_references(&parsed, &names, &mut own);
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
    measures.sort_by(|a, b| a.id.cmp(&b.id));

    let activity = match (&config, &plan) {
        (Some(config), Some(plan)) => {
            let ids = seen_ids.keys().map(|id| id.to_string()).collect();
            activity::validate_activity(&loaded.activity, config, plan, &ids, &measures, diags)
        }
        _ => Vec::new(),
    };

    let glossary = loaded
        .glossary
        .as_ref()
        .map(|g| validate_glossary(&g.file, &g.value.terms, diags))
        .unwrap_or_default();

    // Explicit glossary references in every Markdown text of the plan (the measures' were
    // checked with each measure).
    if let Some(p) = &loaded.plan {
        let ctx = FileCtx::new(&p.file);
        check_references(&ctx, "philosophy", &p.value.philosophy, &names, diags);
        for (i, policy) in p.value.policies.iter().enumerate() {
            if let Some(summary) = &policy.summary {
                let path = format!("policies[{i}].summary");
                check_references(&ctx, &path, summary, &names, diags);
            }
        }
    }

    let mut pages = Vec::new();
    let mut slugs = BTreeSet::new();
    for raw in &loaded.pages {
        let ctx = FileCtx::new(&raw.file);
        let mut ok = true;
        if !url::is_valid_slug(&raw.slug) || url::RESERVED_SLUGS.contains(&raw.slug.as_str()) {
            diags.push(
                raw.file
                    .diagnostic(
                        Code::InvalidId,
                        format!("ページのファイル名「{}」はURLに使えません", raw.slug),
                    )
                    .hint(format!(
                        "半角小文字英数字とハイフンだけにし、{} 以外の名前にしてください",
                        url::RESERVED_SLUGS.join("・")
                    )),
            );
            ok = false;
        } else if !slugs.insert(raw.slug.clone()) {
            diags.push(raw.file.diagnostic(
                Code::Duplicate,
                format!("ページ「{}」が重複しています", raw.slug),
            ));
            ok = false;
        }
        for (offset, name) in link::references(&raw.body) {
            if !names.contains(&link::normalize_name(&name)) {
                let before = &raw.body[..offset];
                let position = Position {
                    line: raw.body_line + before.matches('\n').count(),
                    column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                };
                diags.push(
                    raw.file
                        .diagnostic(Code::UnknownTerm, unknown_term_message(&name))
                        .at(Some(position))
                        .hint(UNKNOWN_TERM_HINT),
                );
                ok = false;
            }
        }
        if raw.front.title.trim().is_empty() {
            let mut d = ctx.error(
                Code::InvalidValue,
                "title",
                "タイトルが空です",
                "title: を書いてください",
            );
            d.position = d.position.map(|p| Position {
                line: p.line + 1,
                ..p
            });
            diags.push(d);
            ok = false;
        }
        let updated = match ctx.date(raw.front.updated.as_ref(), "updated") {
            Ok(d) => d,
            Err(d) => {
                let mut d = *d;
                // The front matter starts one line below the opening `---`.
                d.position = d.position.map(|p| Position {
                    line: p.line + 1,
                    ..p
                });
                diags.push(d);
                ok = false;
                None
            }
        };
        if ok {
            pages.push(Page {
                updated,
                slug: raw.slug.clone(),
                title: raw.front.title.trim().to_string(),
                order: raw.front.order.unwrap_or(0),
                description: raw.front.description.clone(),
                body: raw.body.clone(),
                source: raw.file.path.clone(),
            });
        }
    }
    pages.sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));

    if diags.has_errors() {
        return None;
    }
    Some(Site {
        config: config?,
        plan: plan?,
        measures,
        glossary,
        pages,
        activity,
    })
}

/// The `achievement:` settings of `config.yaml`; `None` after an error.
fn achievement_rules(
    ctx: &FileCtx,
    raw: Option<&RawAchievement>,
    diags: &mut Diagnostics,
) -> Option<Rules> {
    let Some(raw) = raw else {
        return Some(Rules::default());
    };
    let label = raw
        .near_label
        .as_deref()
        .map(str::trim)
        .unwrap_or("概ね達成")
        .to_string();
    if label.is_empty() {
        diags.push(ctx.error(
            Code::InvalidValue,
            "achievement.near_label",
            "空にできません",
            "「概ね達成」のような名前を書くか、行を消してください",
        ));
        return None;
    }
    match raw.near_band {
        None => Some(Rules::default()),
        Some(ratio) if ratio > 0.0 && ratio < 1.0 => Some(Rules {
            near: Some(NearBand { ratio, label }),
        }),
        Some(ratio) => {
            diags.push(ctx.error(
                Code::InvalidValue,
                "achievement.near_band",
                format!("{ratio} は使えません。0より大きく1より小さい割合を書いてください"),
                "目標の90%以上を「概ね達成」とするなら near_band: 0.9 と書きます",
            ));
            None
        }
    }
}

/// A file being validated, with its locator built only if an error needs a position.
struct FileCtx<'a> {
    file: &'a SourceFile,
    locator: OnceCell<Locator>,
}

impl<'a> FileCtx<'a> {
    fn new(file: &'a SourceFile) -> Self {
        FileCtx {
            file,
            locator: OnceCell::new(),
        }
    }

    fn locator(&self) -> &Locator {
        self.locator.get_or_init(|| self.file.locator())
    }

    /// An error about the value at `path`.
    fn error(
        &self,
        code: Code,
        path: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        self.located(code, path, self.locator().value(path), message, hint)
    }

    /// An error about the key at `path` (for problems with the key itself).
    fn key_error(
        &self,
        code: Code,
        path: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        self.located(code, path, self.locator().key(path), message, hint)
    }

    fn located(
        &self,
        code: Code,
        path: &str,
        position: Option<Position>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        self.file
            .diagnostic(code, message)
            .at(position)
            .field(path)
            .hint(hint)
    }

    /// An error `offset` characters into the scalar at `path` (skipping an opening quote).
    fn error_in_scalar(
        &self,
        code: Code,
        path: &str,
        offset: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        let mut d = self.error(code, path, message, hint);
        if let Some(p) = d.position {
            let line = self.file.text.lines().nth(p.line - 1).unwrap_or("");
            let quoted = matches!(line.chars().nth(p.column - 1), Some('"' | '\''));
            d.position = Some(Position {
                line: p.line,
                column: p.column + offset + usize::from(quoted),
            });
        }
        d
    }

    /// An error at byte `offset` of the Markdown text at `path`: the line and column inside a
    /// block scalar (`|`) or a one-line scalar, as an editor shows them.
    fn error_in_markdown(
        &self,
        code: Code,
        path: &str,
        markdown: &str,
        offset: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        let mut d = self.error(code, path, message, hint);
        let before = &markdown[..offset.min(markdown.len())];
        let lines_before = before.matches('\n').count();
        let column_in_line = before.rsplit('\n').next().map_or(0, |l| l.chars().count());
        if let Some(p) = d.position {
            let value_line = self.file.text.lines().nth(p.line - 1).unwrap_or("");
            let rest: String = value_line.chars().skip(p.column - 1).collect();
            d.position = Some(if rest.starts_with(['|', '>']) {
                // A block scalar: the text starts on the next line, after its indentation.
                let indent = self
                    .file
                    .text
                    .lines()
                    .skip(p.line)
                    .find(|l| !l.trim().is_empty())
                    .map_or(0, |l| l.chars().take_while(|c| *c == ' ').count());
                Position {
                    line: p.line + 1 + lines_before,
                    column: indent + column_in_line + 1,
                }
            } else if lines_before == 0 {
                let quoted = rest.starts_with(['"', '\'']);
                Position {
                    line: p.line,
                    column: p.column + column_in_line + usize::from(quoted),
                }
            } else {
                Position {
                    line: p.line + lines_before,
                    column: column_in_line + 1,
                }
            });
        }
        d
    }

    fn year(&self, text: &ScalarText, path: &str, diags: &mut Diagnostics) -> Option<FiscalYear> {
        match FiscalYear::parse(&text.0) {
            Ok(y) => Some(y),
            Err(e) => {
                diags.push(self.error(
                    Code::InvalidFiscalYear,
                    path,
                    e.to_string(),
                    "R4、令和4年度、FY2022 のように書いてください",
                ));
                None
            }
        }
    }

    fn year_in(
        &self,
        text: &ScalarText,
        path: &str,
        period: Period,
        diags: &mut Diagnostics,
    ) -> Option<FiscalYear> {
        let y = self.year(text, path, diags)?;
        if !period.contains(y) {
            diags.push(self.error(
                Code::YearOutsidePeriod,
                path,
                format!(
                    "{}は期間（{}〜{}）の外です",
                    y.label(),
                    period.start.label(),
                    period.end.label()
                ),
                "期間内の年度にするか、計画期間（content/plan.yaml の period）を確認してください",
            ));
            return None;
        }
        Some(y)
    }

    /// An optional `updated:` date; the diagnostic is returned rather than pushed because
    /// front matter needs its position shifted first.
    fn date(&self, text: Option<&ScalarText>, path: &str) -> Result<Option<Date>, Box<Diagnostic>> {
        let Some(text) = text else { return Ok(None) };
        Date::parse(&text.0).map(Some).map_err(|e| {
            Box::new(self.error(
                Code::InvalidValue,
                path,
                e.to_string(),
                "2024-08-01 のように 年-月-日 で書いてください",
            ))
        })
    }

    fn not_empty(&self, value: &str, path: &str, diags: &mut Diagnostics) -> bool {
        if value.trim().is_empty() {
            diags.push(self.error(
                Code::InvalidValue,
                path,
                "空にできません",
                "値を書いてください",
            ));
            false
        } else {
            true
        }
    }
}

fn validate_plan(
    file: &SourceFile,
    raw: &crate::load::raw::RawPlan,
    diags: &mut Diagnostics,
) -> Option<Plan> {
    let ctx = FileCtx::new(file);
    let before = diags.error_count();
    ctx.not_empty(&raw.title, "title", diags);
    let updated = ctx
        .date(raw.updated.as_ref(), "updated")
        .unwrap_or_else(|d| {
            diags.push(*d);
            None
        });
    let start = ctx.year(&raw.period.start, "period.start", diags);
    let end = ctx.year(&raw.period.end, "period.end", diags);
    if let (Some(s), Some(e)) = (start, end) {
        if s > e {
            diags.push(ctx.error(
                Code::InvalidValue,
                "period.end",
                format!(
                    "終了年度（{}）が開始年度（{}）より前です",
                    e.label(),
                    s.label()
                ),
                "start と end を確認してください",
            ));
        }
    }
    if raw.policies.is_empty() {
        diags.push(ctx.error(
            Code::InvalidValue,
            "policies",
            "基本方針が1つもありません",
            "policies: に方針を書いてください",
        ));
    }
    let mut numbers = BTreeSet::new();
    for (i, p) in raw.policies.iter().enumerate() {
        if p.number == 0 {
            diags.push(ctx.error(
                Code::InvalidValue,
                &format!("policies[{i}].number"),
                "方針番号は1以上です",
                "1, 2, 3… と番号を付けてください",
            ));
        } else if !numbers.insert(p.number) {
            diags.push(ctx.error(
                Code::Duplicate,
                &format!("policies[{i}].number"),
                format!("方針番号 {} が重複しています", p.number),
                "番号を方針ごとに変えてください",
            ));
        }
        ctx.not_empty(&p.title, &format!("policies[{i}].title"), diags);
    }
    if diags.error_count() > before {
        return None;
    }
    let mut policies: Vec<Policy> = raw
        .policies
        .iter()
        .map(|p| Policy {
            number: p.number,
            title: p.title.trim().to_string(),
            summary: p.summary.clone().unwrap_or_default(),
        })
        .collect();
    policies.sort_by_key(|p| p.number);
    Some(Plan {
        title: raw.title.trim().to_string(),
        period: Period {
            start: start?,
            end: end?,
        },
        revision: raw.revision.clone(),
        updated,
        philosophy: raw.philosophy.clone(),
        policies,
    })
}

/// One measure file: its own fields and the explicit glossary references in its Markdown.
/// Everything a measure's validity depends on besides its file is the plan and the glossary's
/// names, so `serve` can validate an edited measure alone (the rest of the site unchanged).
pub fn measure(
    parsed: &Parsed<RawMeasure>,
    plan: &Plan,
    names: &GlossaryNames,
    diags: &mut Diagnostics,
) -> Option<Measure> {
    let m = validate_measure(&parsed.file, &parsed.value, plan, diags);
    let before = diags.error_count();
    measure_references(parsed, names, diags);
    m.filter(|_| diags.error_count() == before)
}

fn measure_references(parsed: &Parsed<RawMeasure>, names: &GlossaryNames, diags: &mut Diagnostics) {
    let ctx = FileCtx::new(&parsed.file);
    let s = &parsed.value.sections;
    for (field, text) in [
        ("sections.current_state", &s.current_state),
        ("sections.details", &s.details),
        ("sections.expected_effects", &s.expected_effects),
        ("sections.future_policy", &s.future_policy),
    ] {
        if let Some(text) = text {
            check_references(&ctx, field, text, names, diags);
        }
    }
    for (i, k) in parsed.value.kpis.iter().enumerate() {
        if let Some(notes) = &k.notes {
            check_references(&ctx, &format!("kpis[{i}].notes"), notes, names, diags);
        }
    }
}

fn validate_measure(
    file: &SourceFile,
    raw: &RawMeasure,
    plan: &Plan,
    diags: &mut Diagnostics,
) -> Option<Measure> {
    let ctx = FileCtx::new(file);
    let before = diags.error_count();
    let updated = ctx
        .date(raw.updated.as_ref(), "updated")
        .unwrap_or_else(|d| {
            diags.push(*d);
            None
        });
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
    ctx.not_empty(&raw.lead_department, "lead_department", diags);
    if !plan.policies.iter().any(|p| p.number == raw.policy) {
        let known: Vec<String> = plan.policies.iter().map(|p| p.number.to_string()).collect();
        diags.push(ctx.error(
            Code::UnknownPolicy,
            "policy",
            format!("基本方針 {} は計画にありません", raw.policy),
            format!(
                "content/plan.yaml にある番号（{}）を書いてください",
                known.join(", ")
            ),
        ));
    }

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
        title: raw.title.trim().to_string(),
        policy: raw.policy,
        lead_department: raw.lead_department.trim().to_string(),
        related_departments: related,
        active,
        completed,
        added,
        lifecycle_note: raw.lifecycle.as_ref().and_then(|l| l.note.clone()),
        sections: Sections {
            current_state: raw.sections.current_state.clone(),
            details: raw.sections.details.clone(),
            expected_effects: raw.sections.expected_effects.clone(),
            future_policy: raw.sections.future_policy.clone(),
        },
        schedule,
        kpis,
        updated,
        source: file.path.clone(),
    })
}

fn validate_kpi(
    ctx: &FileCtx,
    index: usize,
    raw: &RawKpi,
    period: Period,
    diags: &mut Diagnostics,
) -> Option<Kpi> {
    let before = diags.error_count();
    let base = format!("kpis[{index}]");
    let indicator = match &raw.indicator {
        RawIndicator::Same(text) => {
            ctx.not_empty(text, &format!("{base}.indicator"), diags);
            period
                .years()
                .into_iter()
                .map(|y| (y, text.trim().to_string()))
                .collect()
        }
        RawIndicator::PerYear(map) => {
            let per_year = year_map(
                ctx,
                map,
                &format!("{base}.indicator"),
                period,
                diags,
                |t, path, diags| ctx.not_empty(t, path, diags).then(|| t.trim().to_string()),
            );
            if map.0.is_empty() {
                diags.push(ctx.error(
                    Code::InvalidValue,
                    &format!("{base}.indicator"),
                    "評価項目が空です",
                    "評価項目を書いてください",
                ));
            }
            per_year
        }
    };
    let cell = |input: &CellInput, path: &str, diags: &mut Diagnostics| -> Option<Cell> {
        match input.clone().into_cell() {
            Ok(c) => Some(c),
            Err(e) => {
                diags.push(ctx.error_in_scalar(
                    Code::InvalidCell,
                    path,
                    e.offset,
                    e.to_string(),
                    "「30,000千円」「80%以上」「7~7.5俵」「整備完了」「-」のように書いてください（docs/content.md 参照）",
                ));
                None
            }
        }
    };
    let baseline = raw
        .baseline
        .as_ref()
        .and_then(|b| cell(b, &format!("{base}.baseline"), diags));
    let target = year_map(
        ctx,
        &raw.target,
        &format!("{base}.target"),
        period,
        diags,
        |c, p, d| cell(c, p, d),
    );
    let actual = year_map(
        ctx,
        &raw.actual,
        &format!("{base}.actual"),
        period,
        diags,
        |c, p, d| cell(c, p, d),
    );
    let revisions =
        revision::validate_revisions(ctx, &base, &raw.revisions, period, &target, cell, diags);
    let direction = match raw.direction.as_deref() {
        None => Direction::Higher,
        Some(text) => Direction::parse(text).unwrap_or_else(|| {
            diags.push(ctx.error(
                Code::InvalidValue,
                &format!("{base}.direction"),
                format!("direction「{text}」は使えません"),
                "多いほど良い指標は higher、少ないほど良い指標（被害額・作業時間など）は lower と書いてください",
            ));
            Direction::Higher
        }),
    };
    let aggregation = raw.aggregation.as_deref().and_then(|text| {
        let parsed = Aggregation::parse(text);
        if parsed.is_none() {
            diags.push(ctx.error(
                Code::InvalidValue,
                &format!("{base}.aggregation"),
                format!("aggregation「{text}」は使えません"),
                "累計の指標は cumulative、単年度の指標は single_year と書いてください",
            ));
        }
        parsed
    });
    let achieved = year_map(
        ctx,
        &raw.achieved,
        &format!("{base}.achieved"),
        period,
        diags,
        |v, _, _| Some(*v),
    );
    // A declaration is only for years keikaku cannot judge; elsewhere it would either repeat
    // the computed verdict or silently contradict the numbers.
    for year in achieved.keys() {
        let facts = KpiFacts {
            direction,
            baseline: baseline.as_ref(),
            target: target.get(year),
            actual: actual.get(year),
            declared: None,
        };
        if achievement::is_computable(&facts) {
            let key = raw
                .achieved
                .0
                .iter()
                .find(|(k, _)| FiscalYear::parse(k).ok() == Some(*year))
                .map_or_else(|| year.key(), |(k, _)| k.clone());
            diags.push(ctx.key_error(
                Code::InvalidValue,
                &format!("{base}.achieved.{key}"),
                format!(
                    "{}は目標と実績から自動で判定できる（または目標・実績がない）ため、achieved は書けません",
                    year.label()
                ),
                "achieved は、目標か実績が文章（「整備完了」など）の年度にだけ書いてください",
            ));
        }
    }
    if diags.error_count() > before {
        return None;
    }
    Some(Kpi {
        number: index + 1,
        indicator,
        unit: raw.unit.clone().filter(|u| !u.trim().is_empty()),
        baseline,
        target,
        actual,
        notes: raw.notes.clone(),
        revisions,
        direction,
        aggregation,
        achieved,
    })
}

/// Resolves a year-keyed mapping: each key must be a fiscal year inside `period`, written once.
fn year_map<T, U>(
    ctx: &FileCtx,
    map: &YearMap<T>,
    base: &str,
    period: Period,
    diags: &mut Diagnostics,
    mut value: impl FnMut(&T, &str, &mut Diagnostics) -> Option<U>,
) -> ByYear<U> {
    let mut out = ByYear::new();
    let mut written: BTreeMap<FiscalYear, &str> = BTreeMap::new();
    for (key, v) in &map.0 {
        let path = format!("{base}.{key}");
        let year = match FiscalYear::parse(key) {
            Ok(y) => y,
            Err(e) => {
                diags.push(ctx.key_error(
                    Code::InvalidFiscalYear,
                    &path,
                    e.to_string(),
                    "R4、令和4年度、FY2022 のように書いてください",
                ));
                continue;
            }
        };
        if !period.contains(year) {
            diags.push(ctx.key_error(
                Code::YearOutsidePeriod,
                &path,
                format!(
                    "{}は計画期間（{}〜{}）の外です",
                    year.label(),
                    period.start.label(),
                    period.end.label()
                ),
                "計画期間内の年度だけを書いてください",
            ));
            continue;
        }
        if let Some(first) = written.insert(year, key) {
            diags.push(ctx.key_error(
                Code::DuplicateKey,
                &path,
                format!("{}が2回書かれています（{first} と {key}）", year.label()),
                "どちらか一方を削除してください",
            ));
            continue;
        }
        if let Some(u) = value(v, &path, diags) {
            out.insert(year, u);
        }
    }
    out
}

/// Fragment ids the glossary page uses itself, which an entry's id may not take.
fn reserved_anchor(anchor: &str) -> bool {
    matches!(anchor, "main" | "footer-contact") || anchor.starts_with("gyo-")
}

fn validate_glossary(
    file: &SourceFile,
    terms: &[crate::load::raw::RawTerm],
    diags: &mut Diagnostics,
) -> Vec<Term> {
    let ctx = FileCtx::new(file);
    // Normalised name (term or alias) → index of the raw entry that has it.
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut anchors: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    // Raw index → index in `out`, for resolving `related`.
    let mut kept: HashMap<usize, usize> = HashMap::new();
    for (i, t) in terms.iter().enumerate() {
        let base = format!("terms[{i}]");
        let term = t.term.trim();
        let mut ok = ctx.not_empty(&t.term, &format!("{base}.term"), diags);
        ok &= ctx.not_empty(&t.explanation, &format!("{base}.explanation"), diags);

        let reading = t
            .reading
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        match reading {
            Some(r) => {
                if let Some((at, c)) = collate::invalid_reading_char(r) {
                    diags.push(ctx.error_in_scalar(
                        Code::GlossaryReading,
                        &format!("{base}.reading"),
                        at,
                        format!("よみ「{r}」に、かな以外の文字「{c}」があります"),
                        "よみは ひらがな か カタカナ で書いてください（例: でじたるでばいど）",
                    ));
                    ok = false;
                }
            }
            None if collate::has_kanji(term) => {
                diags.push(ctx.error(
                    Code::GlossaryReading,
                    &format!("{base}.term"),
                    format!("漢字を含む用語「{term}」には よみ（reading）が必要です"),
                    "reading: に ひらがなで読みを書いてください。用語の説明のページはよみの五十音順に並びます",
                ));
                ok = false;
            }
            None => {}
        }

        let spelled = std::iter::once((term, format!("{base}.term"))).chain(
            t.aliases
                .iter()
                .enumerate()
                .map(|(j, a)| (a.trim(), format!("{base}.aliases[{j}]"))),
        );
        for (name, path) in spelled {
            if name.is_empty() {
                continue;
            }
            let normal = link::normalize_name(name);
            if let Some(&owner) = names.get(&normal) {
                diags.push(ctx.error(
                    Code::Duplicate,
                    &path,
                    format!(
                        "用語「{name}」は「{}」（terms[{owner}]）で既に使われています",
                        terms[owner].term.trim()
                    ),
                    "用語と別名は、全角・半角の違いを除いても重複しないようにしてください",
                ));
                ok = false;
            } else {
                names.insert(normal, i);
            }
        }

        let (anchor, anchor_path) = match t.id.as_deref().map(str::trim) {
            Some(id) => (id.to_string(), format!("{base}.id")),
            None => (anchor::derive(term, reading), format!("{base}.term")),
        };
        if t.id.is_some() && !url::is_valid_slug(&anchor) {
            diags.push(ctx.error(
                Code::GlossaryAnchor,
                &anchor_path,
                format!("id「{anchor}」はページ内の位置の名前に使えません"),
                "半角の英小文字・数字・ハイフンだけにしてください（例: id: dx）",
            ));
            ok = false;
        } else if anchor.is_empty() && reading.is_none() && collate::has_kanji(term) {
            // Reported above: the missing reading is what the id would be made from.
        } else if anchor.is_empty() || reserved_anchor(&anchor) {
            diags.push(ctx.error(
                Code::GlossaryAnchor,
                &anchor_path,
                format!("用語「{term}」からはページ内の位置の名前（アンカー）を作れません"),
                "id: に半角の英小文字・数字・ハイフンで名前を付けてください（例: id: kome-mark）",
            ));
            ok = false;
        } else if let Some(&owner) = anchors.get(&anchor) {
            diags.push(ctx.error(
                Code::GlossaryAnchor,
                &anchor_path,
                format!(
                    "用語「{term}」のアンカー「{anchor}」が用語「{}」と同じです",
                    terms[owner].term.trim()
                ),
                "どちらかの用語に id: で別の名前を付けてください（アンカーはURLの #以降 になります）",
            ));
            ok = false;
        } else {
            anchors.insert(anchor.clone(), i);
        }

        if ok {
            kept.insert(i, out.len());
            out.push(Term {
                term: term.to_string(),
                reading: reading.map(str::to_string),
                aliases: t
                    .aliases
                    .iter()
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect(),
                explanation: t.explanation.clone(),
                anchor,
                related: Vec::new(),
                source: t
                    .source
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
                position: ctx.locator().value(&format!("{base}.term")),
            });
        }
    }

    // `related:` may name entries further down the file, so it is resolved once all are known.
    for (i, t) in terms.iter().enumerate() {
        for (j, name) in t.related.iter().enumerate() {
            match names.get(&link::normalize_name(name)) {
                None => diags.push(ctx.error(
                    Code::UnknownTerm,
                    &format!("terms[{i}].related[{j}]"),
                    format!("関連用語「{}」は用語の説明にありません", name.trim()),
                    "用語の説明にある用語か別名を書いてください",
                )),
                Some(&target) => {
                    if let (Some(&from), Some(&to)) = (kept.get(&i), kept.get(&target)) {
                        if from != to && !out[from].related.contains(&to) {
                            out[from].related.push(to);
                        }
                    }
                }
            }
        }
    }
    out
}

/// Every name of the glossary (terms and aliases, normalised), valid or not, so that a
/// reference to an entry with some other error is not reported a second time as unknown.
/// Every name (term or alias, normalised) an explicit glossary reference may use.
pub type GlossaryNames = HashSet<String>;

pub fn glossary_names(loaded: &Loaded) -> GlossaryNames {
    loaded
        .glossary
        .iter()
        .flat_map(|g| &g.value.terms)
        .flat_map(|t| std::iter::once(&t.term).chain(&t.aliases))
        .map(|n| link::normalize_name(n))
        .filter(|n| !n.is_empty())
        .collect()
}

/// Explicit glossary references (`[…](用語:…)`) in the Markdown at `path` must name an entry.
fn check_references(
    ctx: &FileCtx,
    path: &str,
    markdown: &str,
    names: &GlossaryNames,
    diags: &mut Diagnostics,
) {
    for (offset, name) in link::references(markdown) {
        if !names.contains(&link::normalize_name(&name)) {
            diags.push(ctx.error_in_markdown(
                Code::UnknownTerm,
                path,
                markdown,
                offset,
                unknown_term_message(&name),
                UNKNOWN_TERM_HINT,
            ));
        }
    }
}

fn unknown_term_message(name: &str) -> String {
    format!("「{name}」は用語の説明（content/glossary.yaml）にありません")
}

const UNKNOWN_TERM_HINT: &str =
    "用語の説明に追加するか、用語か別名と同じ書き方にしてください（[表示](用語:用語名) の形）";
