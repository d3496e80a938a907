//! Tables of the plan's structure: policies, measures, the departments of each measure, and
//! the measures' schedules.

use super::table::{Field, ForeignKey, Kind, Rows, Source, Table, Value, MEASURE_KEY};
use super::{fiscal_year, wareki};
use crate::model::{Measure, SectionDef, Site};
use crate::url::Route;

const MEASURE_ID: Field = Field::new(
    "measure_id",
    "施策ID",
    Kind::String,
    "施策の番号（例: 01-03）。施策のページのURLにも使われる",
)
.required();

pub(super) fn policies() -> Table {
    Table {
        name: "policies",
        title: "基本方針",
        description: "計画の基本方針の一覧",
        fields: vec![
            Field::new("policy_number", "方針番号", Kind::Integer, "基本方針の番号").required(),
            Field::new("title", "方針名", Kind::String, "基本方針の名前").required(),
            Field::new(
                "summary",
                "概要",
                Kind::String,
                "基本方針の説明（書式なしの1行の文章）",
            ),
            Field::new(
                "summary_markdown",
                "概要（Markdown）",
                Kind::String,
                "基本方針の説明の Markdown（改行・箇条書きを含む。JSON のみ）",
            )
            .json_only(),
        ],
        primary_key: &["policy_number"],
        foreign_keys: Vec::new(),
        source: Source::Site(policy_rows),
        published: None,
    }
}

fn policy_rows(site: &Site, rows: &mut Rows) {
    for p in &site.plan.policies {
        rows.push(&[
            Value::int(p.number),
            Value::str(&p.title),
            Value::plain(Some(&p.summary)),
            Value::markdown(Some(&p.summary)),
        ]);
    }
}

/// The measures table. Its columns follow the plan: policy columns only when it has
/// policies, the lead department only when a measure names one (required when every measure
/// does), the four section columns only for the default sections (a plan's own sections are
/// in `measure_sections`), the KPI count only when the plan has KPIs.
pub(super) fn measures(site: &Site) -> Table {
    let has_policies = !site.plan.policies.is_empty();
    let all_led = site.measures.iter().all(|m| m.lead_department.is_some());
    let any_led = site.measures.iter().any(|m| m.lead_department.is_some());
    let default_sections = site.plan.sections == SectionDef::defaults();
    let mut fields = vec![
        MEASURE_ID,
        Field::new("title", "施策名", Kind::String, "施策の名前").required(),
    ];
    if has_policies {
        fields.extend([
            Field::new(
                "policy_number",
                "方針番号",
                Kind::Integer,
                "施策が属する基本方針の番号（policies.csv）",
            )
            .required(),
            Field::new(
                "policy_title",
                "方針名",
                Kind::String,
                "施策が属する基本方針の名前",
            )
            .required(),
        ]);
    }
    let lead = Field::new(
        "lead_department",
        "主管部署",
        Kind::String,
        "施策を主に担当する部署（現在の名称）",
    );
    if any_led {
        fields.push(if all_led { lead.required() } else { lead });
    }
    fields.extend([
        Field::new(
            "start_fiscal_year",
            "開始年度（西暦）",
            Kind::Integer,
            "施策を実施する最初の年度（西暦。2022 = 令和4年度）",
        )
        .required(),
        Field::new(
            "start_fiscal_year_wareki",
            "開始年度（和暦）",
            Kind::String,
            "開始年度の和暦表記",
        )
        .required(),
        Field::new(
            "end_fiscal_year",
            "終了年度（西暦）",
            Kind::Integer,
            "施策を実施する最後の年度（西暦）",
        )
        .required(),
        Field::new(
            "end_fiscal_year_wareki",
            "終了年度（和暦）",
            Kind::String,
            "終了年度の和暦表記",
        )
        .required(),
        Field::new(
            "completed",
            "事業完了",
            Kind::Boolean,
            "計画期間の途中で事業が完了した施策は true",
        )
        .required(),
        Field::new(
            "lifecycle_note",
            "期間の備考",
            Kind::String,
            "途中からの開始・途中での完了についての説明",
        ),
    ]);
    if default_sections {
        fields.extend([
            Field::new(
                "current_state",
                "現状と課題",
                Kind::String,
                "書式なしの1行の文章（箇条書きはつなげて1行）",
            ),
            Field::new(
                "current_state_markdown",
                "現状と課題（Markdown）",
                Kind::String,
                "current_state の Markdown（JSON のみ）",
            )
            .json_only(),
            Field::new(
                "details",
                "施策内容詳細",
                Kind::String,
                "書式なしの1行の文章",
            ),
            Field::new(
                "details_markdown",
                "施策内容詳細（Markdown）",
                Kind::String,
                "details の Markdown（JSON のみ）",
            )
            .json_only(),
            Field::new(
                "expected_effects",
                "期待される効果",
                Kind::String,
                "書式なしの1行の文章",
            ),
            Field::new(
                "expected_effects_markdown",
                "期待される効果（Markdown）",
                Kind::String,
                "expected_effects の Markdown（JSON のみ）",
            )
            .json_only(),
            Field::new(
                "future_policy",
                "今後の取組方針・取組内容",
                Kind::String,
                "書式なしの1行の文章",
            ),
            Field::new(
                "future_policy_markdown",
                "今後の取組方針・取組内容（Markdown）",
                Kind::String,
                "future_policy の Markdown（JSON のみ）",
            )
            .json_only(),
        ]);
    }
    if site.has_kpis() {
        fields.push(
            Field::new(
                "kpi_count",
                "成果目標の数",
                Kind::Integer,
                "この施策の成果目標の数（kpis.csv の行数）",
            )
            .required(),
        );
    }
    fields.extend([
        Field::new(
            "updated",
            "更新日",
            Kind::Date,
            "施策の内容を最後に更新した日（未記入の施策は計画の改訂日）",
        )
        .required(),
        Field::new("url", "ページ", Kind::String, "施策のページのURL").required(),
    ]);
    Table {
        name: "measures",
        title: "施策",
        description: "施策の一覧。1行が1施策",
        fields,
        primary_key: &["measure_id"],
        foreign_keys: match has_policies {
            true => vec![ForeignKey {
                fields: &["policy_number"],
                table: "policies",
                reference: &["policy_number"],
            }],
            false => Vec::new(),
        },
        source: Source::Measure(measure_rows),
        published: None,
    }
}

fn measure_rows(site: &Site, m: &Measure, rows: &mut Rows) {
    let mut row = vec![Value::str(&m.id), Value::str(&m.title)];
    if rows.has_column("policy_number") {
        let policy = m.policy.and_then(|n| site.plan.policy(n));
        row.extend([
            m.policy.map_or(Value::Null, Value::int),
            Value::text(policy.map(|p| p.title.as_str())),
        ]);
    }
    if rows.has_column("lead_department") {
        row.push(Value::text(m.lead_department.as_deref()));
    }
    row.extend([
        fiscal_year(m.active.start),
        wareki(m.active.start),
        fiscal_year(m.active.end),
        wareki(m.active.end),
        Value::Bool(m.completed.is_some()),
        Value::text(m.lifecycle_note.as_deref()),
    ]);
    if rows.has_column("current_state") {
        for d in &site.plan.sections {
            let text = m.sections.get(&d.key);
            row.extend([Value::plain(text), Value::markdown(text)]);
        }
    }
    if rows.has_column("kpi_count") {
        row.push(Value::int(m.kpis.len() as i64));
    }
    row.extend([
        Value::Date(site.measure_updated(m)),
        Value::string(Route::measure(&m.id).absolute(&site.config.base_url)),
    ]);
    rows.push(&row);
}

/// The sections of each measure, for a plan that declares its own (`sections:` in plan.yaml):
/// one row per measure and section, with the heading the plan gives it.
pub(super) fn measure_sections() -> Table {
    Table {
        name: "measure_sections",
        title: "施策の内容",
        description: "施策ごとの各項目の本文。1行が1施策の1項目（本文のない項目の行はない）",
        fields: vec![
            MEASURE_ID,
            Field::new(
                "seq",
                "順番",
                Kind::Integer,
                "計画が決めた項目の順番（1から）",
            )
            .required(),
            Field::new(
                "key",
                "項目キー",
                Kind::String,
                "項目の機械名（plan.yaml の sections）",
            )
            .required(),
            Field::new("heading", "項目名", Kind::String, "項目の見出し").required(),
            Field::new(
                "text",
                "本文",
                Kind::String,
                "書式なしの1行の文章（箇条書きはつなげて1行）",
            )
            .required(),
            Field::new(
                "text_markdown",
                "本文（Markdown）",
                Kind::String,
                "text の Markdown（JSON のみ）",
            )
            .json_only(),
        ],
        primary_key: &["measure_id", "seq"],
        foreign_keys: vec![MEASURE_KEY],
        source: Source::Measure(section_rows),
        published: None,
    }
}

fn section_rows(site: &Site, m: &Measure, rows: &mut Rows) {
    for (i, d) in site.plan.sections.iter().enumerate() {
        let Some(text) = m.sections.get(&d.key).filter(|t| !t.trim().is_empty()) else {
            continue;
        };
        rows.push(&[
            Value::str(&m.id),
            Value::int(i as i64 + 1),
            Value::str(&d.key),
            Value::str(&d.heading),
            Value::plain(Some(text.trim())),
            Value::markdown(Some(text.trim())),
        ]);
    }
}

/// The lineage between the site's plans that involves this plan: one row per measure and
/// a measure of another plan it continues (`continues:`), seen from either side.
pub(super) fn lineage() -> Table {
    let side = |prefix: &'static str, which: &'static str| {
        let (plan, id, title): (&'static str, &'static str, &'static str) = match prefix {
            "successor" => (
                "successor_plan_id",
                "successor_measure_id",
                "successor_title",
            ),
            _ => (
                "predecessor_plan_id",
                "predecessor_measure_id",
                "predecessor_title",
            ),
        };
        [
            Field::new(plan, "計画ID", Kind::String, which).required(),
            Field::new(id, "施策ID", Kind::String, which).required(),
            Field::new(title, "施策名", Kind::String, which).required(),
        ]
    };
    let mut fields = side("successor", "引き継いだ施策（continues: を書いた側）").to_vec();
    fields.extend(side(
        "predecessor",
        "引き継がれた施策（continues: に書かれた側）",
    ));
    Table {
        name: "lineage",
        title: "施策の引き継ぎ",
        description: "計画をまたぐ施策の引き継ぎ。1行が、ある施策とそれが引き継いだほかの計画の施策の1組（この計画の施策を含む組だけ）",
        fields,
        primary_key: &[
            "successor_plan_id",
            "successor_measure_id",
            "predecessor_plan_id",
            "predecessor_measure_id",
        ],
        foreign_keys: Vec::new(),
        source: Source::Site(lineage_rows),
        published: None,
    }
}

fn lineage_rows(site: &Site, rows: &mut Rows) {
    let own = site.plan.id.clone().unwrap_or_default();
    for m in &site.measures {
        for p in &m.predecessors {
            rows.push(&[
                Value::str(&own),
                Value::str(&m.id),
                Value::str(&m.title),
                Value::str(&p.at.plan),
                Value::str(&p.at.id),
                Value::str(&p.title),
            ]);
        }
    }
    for m in &site.measures {
        for s in &m.successors {
            rows.push(&[
                Value::str(&s.at.plan),
                Value::str(&s.at.id),
                Value::str(&s.title),
                Value::str(&own),
                Value::str(&m.id),
                Value::str(&m.title),
            ]);
        }
    }
}

/// The departments of each measure. The `responsible` role (担当: equally responsible, no
/// lead) is offered only by a plan that uses it, so that a plan with lead departments keeps
/// its two roles.
pub(super) fn measure_departments(site: &Site) -> Table {
    let shared = site.measures.iter().any(|m| !m.departments.is_empty());
    let (seq, roles, role, role_label): (_, &'static [&'static str], _, _) = match shared {
        false => (
            "施策の中での順番（1が主管部署）",
            &["lead", "related"],
            "lead（主管）または related（関連）",
            "主管 または 関連",
        ),
        true => (
            "施策の中での順番（主管部署・担当課が先、関連部署が後）",
            &["lead", "responsible", "related"],
            "lead（主管）、responsible（担当。同等に担当する課の一つ）または related（関連）",
            "主管、担当 または 関連",
        ),
    };
    Table {
        name: "measure_departments",
        title: "施策の担当部署",
        description: "施策ごとの主管部署と関連部署。1行が1施策の1部署",
        fields: vec![
            MEASURE_ID,
            Field::new("seq", "順番", Kind::Integer, seq).required(),
            Field::new("department", "部署", Kind::String, "部署の名前").required(),
            Field::new("role", "役割", Kind::String, role)
                .required()
                .one_of(roles),
            Field::new("role_label", "役割（日本語）", Kind::String, role_label).required(),
            Field::new(
                "since_fiscal_year",
                "関与開始年度（西暦）",
                Kind::Integer,
                "関連部署になった年度（記載がある場合）",
            ),
            Field::new(
                "until_fiscal_year",
                "関与終了年度（西暦）",
                Kind::Integer,
                "関連部署でなくなる前の最後の年度（記載がある場合）",
            ),
            Field::new("note", "備考", Kind::String, "所管の変更などの説明"),
        ],
        primary_key: &["measure_id", "seq"],
        foreign_keys: vec![MEASURE_KEY],
        source: Source::Measure(department_rows),
        published: None,
    }
}

fn department_rows(_: &Site, m: &Measure, rows: &mut Rows) {
    let mut seq = 0;
    let responsible = (m.lead_department.iter().map(|d| (d, "lead", "主管")))
        .chain(m.departments.iter().map(|d| (d, "responsible", "担当")));
    for (name, role, label) in responsible {
        seq += 1;
        rows.push(&[
            Value::str(&m.id),
            Value::int(seq),
            Value::str(name),
            Value::str(role),
            Value::str(label),
            Value::Null,
            Value::Null,
            Value::Null,
        ]);
    }
    for r in &m.related_departments {
        seq += 1;
        rows.push(&[
            Value::str(&m.id),
            Value::int(seq),
            Value::str(&r.name),
            Value::str("related"),
            Value::str("関連"),
            r.since.map_or(Value::Null, fiscal_year),
            r.until.map_or(Value::Null, fiscal_year),
            Value::text(r.note.as_deref()),
        ]);
    }
}

pub(super) fn measure_schedule() -> Table {
    Table {
        name: "measure_schedule",
        title: "取組みスケジュール",
        description: "施策の取組内容ごとの実施年度。1行が1取組の1年度（実施しない年度の行はない）",
        fields: vec![
            MEASURE_ID,
            Field::new(
                "task_number",
                "取組番号",
                Kind::Integer,
                "施策の中での取組の順番（1から）",
            )
            .required(),
            Field::new("task", "取組内容", Kind::String, "取組の内容").required(),
            Field::new(
                "fiscal_year",
                "年度（西暦）",
                Kind::Integer,
                "取組を実施する年度（西暦）",
            )
            .required(),
            Field::new(
                "fiscal_year_wareki",
                "年度（和暦）",
                Kind::String,
                "年度の和暦表記",
            )
            .required(),
        ],
        primary_key: &["measure_id", "task_number", "fiscal_year"],
        foreign_keys: vec![MEASURE_KEY],
        source: Source::Measure(schedule_rows),
        published: None,
    }
}

fn schedule_rows(_: &Site, m: &Measure, rows: &mut Rows) {
    for (i, task) in m.schedule.iter().enumerate() {
        let mut years = task.years.clone();
        years.sort();
        years.dedup();
        for y in years {
            rows.push(&[
                Value::str(&m.id),
                Value::int(i as i64 + 1),
                Value::str(&task.name),
                fiscal_year(y),
                wareki(y),
            ]);
        }
    }
}
