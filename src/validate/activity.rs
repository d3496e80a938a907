//! Annual activity plans (`content/activity/<year>/<ID>.yaml`): the year comes from the folder
//! and the measure from the file name, so that a file cannot claim to be somewhere it is not.

use std::collections::{BTreeMap, BTreeSet};

use super::context::FileCtx;
use crate::diagnostics::{Code, Diagnostics, Position};
use crate::fiscal::FiscalYear;
use crate::load::raw::RawActivity;
use crate::load::Parsed;
use crate::model::{compare_ids, ActivityPlan, ActivityTask, Budget, Config, Measure, Plan};

/// Validates every plan. `measure_ids` are all IDs written in measure files (even of measures
/// with errors, so that one broken measure file does not cause a second, misleading error
/// here); `measures` are the valid ones, used for their periods.
pub(super) fn validate_activity(
    parsed: &[Parsed<RawActivity>],
    config: &Config,
    plan: &Plan,
    measure_ids: &BTreeSet<String>,
    measures: &[Measure],
    diags: &mut Diagnostics,
) -> Vec<ActivityPlan> {
    let mut out: Vec<ActivityPlan> = parsed
        .iter()
        .filter_map(|p| validate_one(p, config, plan, measure_ids, measures, diags))
        .collect();
    out.sort_by(|a, b| {
        a.year
            .cmp(&b.year)
            .then_with(|| compare_ids(&a.measure_id, &b.measure_id))
    });
    out
}

fn validate_one(
    parsed: &Parsed<RawActivity>,
    config: &Config,
    plan: &Plan,
    measure_ids: &BTreeSet<String>,
    measures: &[Measure],
    diags: &mut Diagnostics,
) -> Option<ActivityPlan> {
    let file = &parsed.file;
    let raw = &parsed.value;
    let ctx = FileCtx::new(file);
    let before = diags.error_count();
    let first_line = Some(Position { line: 1, column: 1 });

    // The year, from the folder the file is in.
    let folder = file
        .path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or("");
    let year = match FiscalYear::parse(folder) {
        Ok(y) if plan.period.contains(y) => Some(y),
        Ok(y) => {
            diags.push(
                file.diagnostic(
                    Code::YearOutsidePeriod,
                    format!(
                        "フォルダ「{folder}」の{}は計画期間（{}〜{}）の外です",
                        y.label(),
                        plan.period.start.label(),
                        plan.period.end.label()
                    ),
                )
                .at(first_line)
                .hint("計画期間内の年度のフォルダ（例: content/activity/R4/）に置いてください"),
            );
            None
        }
        Err(e) => {
            diags.push(
                file.diagnostic(
                    Code::InvalidFiscalYear,
                    format!("フォルダ名「{folder}」を年度として読めません: {e}"),
                )
                .at(first_line)
                .hint("年度のフォルダ名は R4、FY2022 のように書いてください"),
            );
            None
        }
    };

    // The measure, from the file name.
    let id = file
        .path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_string();
    if !measure_ids.contains(&id) {
        diags.push(
            file.diagnostic(
                Code::UnknownMeasure,
                format!("ファイル名の施策ID「{id}」の施策がありません"),
            )
            .at(first_line)
            .hint("ファイル名を施策ID（例: 01-01.yaml）にしてください"),
        );
    }
    if let (Some(y), Some(m)) = (year, crate::model::find_measure(measures, &id)) {
        if !m.active.contains(y) {
            diags.push(
                file.diagnostic(
                    Code::YearOutsidePeriod,
                    format!(
                        "施策 {id} は{}には実施されていません（実施期間 {}〜{}）",
                        y.label(),
                        m.active.start.label(),
                        m.active.end.label()
                    ),
                )
                .at(first_line)
                .hint("年度のフォルダか、施策の lifecycle を確認してください"),
            );
        }
    }

    ctx.not_empty(&raw.goal, "goal", diags);
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    let contact = text(&raw.contact);
    if let Some(c) = &contact {
        if !looks_like_email(c) {
            diags.push(ctx.error(
                Code::InvalidValue,
                "contact",
                format!("連絡先「{c}」はメールアドレスの形ではありません"),
                "name@city.example.lg.jp のように書いてください",
            ));
        }
    }

    let mut related = Vec::new();
    for (i, r) in raw.related_measures.iter().enumerate() {
        let rid = r.0.trim().to_string();
        let path = format!("related_measures[{i}]");
        if rid == id {
            diags.push(ctx.error(
                Code::InvalidValue,
                &path,
                "自分自身を関連施策にしています",
                "ほかの施策のIDを書いてください",
            ));
        } else if !measure_ids.contains(&rid) {
            diags.push(ctx.error(
                Code::UnknownMeasure,
                &path,
                format!("施策ID「{rid}」の施策がありません"),
                "content/measures/ にある施策IDを書いてください",
            ));
        } else if !related.contains(&rid) {
            related.push(rid);
        }
    }

    let mut tasks = Vec::new();
    for (i, t) in raw.tasks.iter().enumerate() {
        let base = format!("tasks[{i}]");
        ctx.not_empty(&t.task, &format!("{base}.task"), diags);
        let mut quarters: [Vec<String>; 4] = Default::default();
        let mut written: BTreeMap<usize, &str> = BTreeMap::new();
        for (key, work) in &t.quarters.0 {
            let path = format!("{base}.quarters.{key}");
            let Some(q) = parse_quarter(key) else {
                diags.push(ctx.key_error(
                    Code::InvalidQuarter,
                    &path,
                    format!("四半期「{key}」は1〜4ではありません"),
                    "四半期は 1（4〜6月）、2（7〜9月）、3（10〜12月）、4（1〜3月）で書いてください",
                ));
                continue;
            };
            if let Some(first) = written.insert(q, key) {
                diags.push(ctx.key_error(
                    Code::DuplicateKey,
                    &path,
                    format!("第{q}四半期が2回書かれています（{first} と {key}）"),
                    "どちらか一方にまとめてください",
                ));
                continue;
            }
            quarters[q - 1] = work
                .0
                .iter()
                .map(|w| w.trim().to_string())
                .filter(|w| !w.is_empty())
                .collect();
        }
        let progress = match text(&t.progress) {
            None => None,
            Some(word) => match config.progress.find(&word) {
                Some(s) => Some(s),
                None => {
                    diags.push(ctx.error(
                        Code::UnknownStatus,
                        &format!("{base}.progress"),
                        format!("進捗「{word}」は使えない語です"),
                        format!(
                            "次のどれかを書いてください: {}（語を増やすには config.yaml の progress_statuses に追加します）",
                            config.progress.labels().join("、")
                        ),
                    ));
                    None
                }
            },
        };
        tasks.push(ActivityTask {
            name: t.task.trim().to_string(),
            quarters,
            progress,
            countermeasures: text(&t.countermeasures),
        });
    }

    if diags.error_count() > before {
        return None;
    }
    Some(ActivityPlan {
        measure_id: id,
        year: year?,
        department: text(&raw.department),
        contact,
        staff: if config.publish_staff_names {
            text(&raw.staff)
        } else {
            None
        },
        goal: raw.goal.clone(),
        related_measures: related,
        tasks,
        budget: raw.budget.as_ref().map(|b| Budget {
            planned: b.planned,
            details: text(&b.details),
        }),
        source: file.path.clone(),
    })
}

/// `1`–`4`, also written `Q1`, `q1`, `第1四半期` or full-width (`Ｑ１`, `第３四半期`, folded by
/// [`crate::text`]).
fn parse_quarter(key: &str) -> Option<usize> {
    let k: String = crate::text::fold_width_str(key.trim())
        .chars()
        .map(|c| if c == 'q' { 'Q' } else { c })
        .collect();
    let digits = k
        .strip_prefix('Q')
        .or_else(|| k.strip_prefix('第').and_then(|r| r.strip_suffix("四半期")))
        .unwrap_or(&k);
    match digits.parse::<usize>() {
        Ok(q @ 1..=4) => Some(q),
        _ => None,
    }
}

/// A light check that catches pasted names or URLs; the address itself is the city's business.
fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !s.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_are_one_to_four_in_any_common_spelling() {
        for (k, q) in [
            ("1", 1),
            ("4", 4),
            ("Q2", 2),
            ("q2", 2),
            ("Ｑ３", 3),
            ("ｑ１", 1),
            ("第3四半期", 3),
            ("第３四半期", 3),
            ("４", 4),
        ] {
            assert_eq!(parse_quarter(k), Some(q), "{k}");
        }
        for k in ["0", "5", "Q5", "第5四半期", "", "1.5", "-1"] {
            assert_eq!(parse_quarter(k), None, "{k}");
        }
    }

    #[test]
    fn contact_addresses() {
        assert!(looks_like_email("dx@city.example.lg.jp"));
        for bad in [
            "情報経営課",
            "dx@",
            "@city.jp",
            "dx@city",
            "d x@city.jp",
            "a@b@c.jp",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}
