//! Annual activity plans (年間活動計画): plans, their rows (取組), the work planned per quarter
//! and the related measures, each in its own long table. Staff names (主担当者) are never
//! written unless the site publishes them (`publish_staff_names`), and then in a column that
//! only exists in that case.

use super::table::{Field, ForeignKey, Kind, Rows, Source, Table, Value, MEASURE_KEY};
use super::{fiscal_year, wareki};
use crate::model::{compare_ids, ActivityPlan, Site};

/// What a progress key looks like (the rule of [`crate::url::is_valid_slug`]).
const PROGRESS_KEY: &str = "^[a-z0-9][a-z0-9-]*$";

fn status_columns() -> [Field; 2] {
    [
        Field::new(
            "progress",
            "進捗",
            Kind::String,
            "進捗の語（例: 予定通り、進捗遅延・課題あり）",
        ),
        Field::new(
            "progress_key",
            "進捗（コード）",
            Kind::String,
            "進捗の英字コード（例: on-track, delayed）。語が変わっても変わらない",
        )
        .matching(PROGRESS_KEY),
    ]
}

pub(super) fn activity_plans(site: &Site) -> Table {
    let mut fields = vec![
        plan_year_field(),
        Field::new(
            "fiscal_year_wareki",
            "年度（和暦）",
            Kind::String,
            "年度の和暦表記",
        )
        .required(),
        plan_measure_field(),
        Field::new(
            "department",
            "担当部署",
            Kind::String,
            "その年度の担当部署の名称",
        )
        .required(),
        Field::new("contact", "連絡先", Kind::String, "担当部署の連絡先"),
    ];
    if site.config.publish_staff_names {
        fields.push(Field::new("staff", "主担当者", Kind::String, "主担当者"));
    }
    fields.extend([
        Field::new(
            "goal",
            "到達目標",
            Kind::String,
            "その年度の到達目標（書式なしの1行の文章）",
        )
        .required(),
        Field::new(
            "goal_markdown",
            "到達目標（Markdown）",
            Kind::String,
            "到達目標の Markdown（JSON のみ）",
        )
        .required()
        .json_only(),
        Field::new(
            "budget_planned",
            "次年度予算化予定",
            Kind::Boolean,
            "次年度に予算化する予定があれば true（記載がなければ空）",
        ),
        Field::new("budget_details", "調達内容", Kind::String, "予算化する内容"),
    ]);
    let [progress, key] = status_columns();
    fields.push(Field {
        description: "取組の進捗のうち最も注意が必要なもの（進捗の記載がなければ空）",
        ..progress
    });
    fields.push(key);
    Table {
        name: "activity_plans",
        title: "年間活動計画",
        description: "施策ごと・年度ごとの年間活動計画。1行が1施策の1年度",
        fields,
        primary_key: &["fiscal_year", "measure_id"],
        foreign_keys: vec![MEASURE_KEY],
        source: Source::Activity(plan_rows),
        published: None,
    }
}

fn plan_rows(site: &Site, p: &ActivityPlan, rows: &mut Rows) {
    let vocabulary = &site.config.progress;
    let department = p.department.as_deref().or_else(|| {
        site.measure(&p.measure_id)
            .and_then(|m| m.lead_department.as_deref())
    });
    let mut row = vec![
        fiscal_year(p.year),
        wareki(p.year),
        Value::str(&p.measure_id),
        Value::text(department),
        Value::text(p.contact.as_deref()),
    ];
    if site.config.publish_staff_names {
        row.push(Value::text(p.staff.as_deref()));
    }
    let overall = p.overall(vocabulary).map(|id| vocabulary.get(id));
    row.extend([
        Value::plain(Some(&p.goal)),
        Value::markdown(Some(&p.goal)),
        p.budget
            .as_ref()
            .map_or(Value::Null, |b| Value::Bool(b.planned)),
        Value::text(p.budget.as_ref().and_then(|b| b.details.as_deref())),
        Value::text(overall.map(|s| s.label.as_str())),
        Value::text(overall.map(|s| s.key.as_str())),
    ]);
    rows.push(&row);
}

/// The two columns that identify an activity plan (its year and measure), in every
/// activity table.
fn plan_year_field() -> Field {
    Field::new(
        "fiscal_year",
        "年度（西暦）",
        Kind::Integer,
        "計画の年度（西暦）",
    )
    .required()
}

fn plan_measure_field() -> Field {
    Field::new("measure_id", "施策ID", Kind::String, "計画の施策").required()
}

const PLAN_KEY: ForeignKey = ForeignKey {
    fields: &["fiscal_year", "measure_id"],
    table: "activity_plans",
    reference: &["fiscal_year", "measure_id"],
};

pub(super) fn activity_tasks() -> Table {
    let [progress, key] = status_columns();
    Table {
        name: "activity_tasks",
        title: "年間活動計画の取組",
        description: "年間活動計画の取組内容と進捗。1行が1取組",
        fields: vec![
            plan_year_field(),
            plan_measure_field(),
            Field::new(
                "task_number",
                "取組番号",
                Kind::Integer,
                "計画の中での取組の順番（1から）",
            )
            .required(),
            Field::new("task", "取組内容", Kind::String, "取組の内容").required(),
            progress,
            key,
            Field::new(
                "countermeasures",
                "対応策",
                Kind::String,
                "遅れや課題への対応策（書式なしの1行の文章）",
            ),
            Field::new(
                "countermeasures_markdown",
                "対応策（Markdown）",
                Kind::String,
                "対応策の Markdown（JSON のみ）",
            )
            .json_only(),
        ],
        primary_key: &["fiscal_year", "measure_id", "task_number"],
        foreign_keys: vec![PLAN_KEY],
        source: Source::Activity(task_rows),
        published: None,
    }
}

fn task_rows(site: &Site, p: &ActivityPlan, rows: &mut Rows) {
    let vocabulary = &site.config.progress;
    for (i, task) in p.tasks.iter().enumerate() {
        let status = task.progress.map(|id| vocabulary.get(id));
        rows.push(&[
            fiscal_year(p.year),
            Value::str(&p.measure_id),
            Value::int(i as i64 + 1),
            Value::str(&task.name),
            Value::text(status.map(|s| s.label.as_str())),
            Value::text(status.map(|s| s.key.as_str())),
            Value::plain(task.countermeasures.as_deref()),
            Value::markdown(task.countermeasures.as_deref()),
        ]);
    }
}

pub(super) fn activity_quarter_work() -> Table {
    Table {
        name: "activity_quarter_work",
        title: "年間活動計画の四半期ごとの予定",
        description: "取組ごとの四半期の予定。1行が1取組の1四半期の1項目",
        fields: vec![
            plan_year_field(),
            plan_measure_field(),
            Field::new(
                "task_number",
                "取組番号",
                Kind::Integer,
                "activity_tasks.csv の取組番号",
            )
            .required(),
            Field::new(
                "quarter",
                "四半期",
                Kind::Integer,
                "1（4〜6月）, 2（7〜9月）, 3（10〜12月）, 4（1〜3月）",
            )
            .required(),
            Field::new(
                "item",
                "項目番号",
                Kind::Integer,
                "同じ四半期の中での順番（1から）",
            )
            .required(),
            Field::new("work", "予定", Kind::String, "その四半期に予定する作業").required(),
        ],
        primary_key: &[
            "fiscal_year",
            "measure_id",
            "task_number",
            "quarter",
            "item",
        ],
        foreign_keys: vec![ForeignKey {
            fields: &["fiscal_year", "measure_id", "task_number"],
            table: "activity_tasks",
            reference: &["fiscal_year", "measure_id", "task_number"],
        }],
        source: Source::Activity(quarter_rows),
        published: None,
    }
}

fn quarter_rows(_: &Site, p: &ActivityPlan, rows: &mut Rows) {
    for (i, task) in p.tasks.iter().enumerate() {
        for (q, work) in task.quarters.iter().enumerate() {
            for (j, w) in work.iter().enumerate() {
                rows.push(&[
                    fiscal_year(p.year),
                    Value::str(&p.measure_id),
                    Value::int(i as i64 + 1),
                    Value::int(q as i64 + 1),
                    Value::int(j as i64 + 1),
                    Value::str(w),
                ]);
            }
        }
    }
}

pub(super) fn activity_related_measures() -> Table {
    Table {
        name: "activity_related_measures",
        title: "年間活動計画の関連施策",
        description: "年間活動計画に書かれた関連施策。1行が1計画の1関連施策",
        fields: vec![
            plan_year_field(),
            plan_measure_field(),
            Field::new(
                "related_measure_id",
                "関連施策ID",
                Kind::String,
                "関連する施策",
            )
            .required(),
        ],
        primary_key: &["fiscal_year", "measure_id", "related_measure_id"],
        foreign_keys: vec![
            PLAN_KEY,
            ForeignKey {
                fields: &["related_measure_id"],
                table: "measures",
                reference: &["measure_id"],
            },
        ],
        source: Source::Activity(related_rows),
        published: None,
    }
}

fn related_rows(_: &Site, p: &ActivityPlan, rows: &mut Rows) {
    let mut related: Vec<&String> = p.related_measures.iter().collect();
    related.sort_by(|a, b| compare_ids(a, b));
    related.dedup();
    for r in related {
        rows.push(&[
            fiscal_year(p.year),
            Value::str(&p.measure_id),
            Value::str(r),
        ]);
    }
}
