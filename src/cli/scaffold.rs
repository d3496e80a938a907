//! `keikaku new`: starts a measure or page file that already passes `keikaku check`, with
//! comments saying what each field is, so that staff fill in a form instead of remembering the
//! format. An existing file is never overwritten.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostics;
use crate::fiscal::FiscalYear;
use crate::i18n::{self, Lang, Msg};
use crate::load::{self, MEASURES_DIR, PAGES_DIR, PLANS_DIR, PLAN_FILE};
use crate::model::SectionDef;
use crate::url;

#[derive(Debug)]
pub(crate) enum ScaffoldError {
    Exists(PathBuf),
    InvalidId(String),
    InvalidSlug(String),
    /// `--plan` names no folder of content/plans/.
    UnknownPlan {
        slug: String,
        known: Vec<String>,
    },
    UnknownPolicy {
        number: u32,
        known: Vec<u32>,
        /// The plan file the policies were read from (content/plan.yaml, or another plan's).
        plan_file: PathBuf,
    },
    /// No `--policy`, and the number the ID starts with (`05-01` → 5) is not a policy of the
    /// plan: writing another policy's number would file the measure under the wrong policy.
    PolicyFromId {
        id: String,
        number: u32,
        known: Vec<u32>,
        plan_file: PathBuf,
    },
    /// plan.yaml is missing or broken: its diagnostics.
    Plan(Diagnostics),
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for ScaffoldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::Ja))
    }
}

impl ScaffoldError {
    /// The message in `lang` (the Japanese one carries its English key), from [`i18n`].
    pub(crate) fn message(&self, lang: Lang) -> String {
        let known;
        let reserved;
        let msg = match self {
            ScaffoldError::Exists(path) => Msg::ScaffoldExists { path },
            ScaffoldError::InvalidId(id) => Msg::ScaffoldInvalidId { id },
            ScaffoldError::InvalidSlug(slug) => {
                reserved = url::RESERVED_SLUGS.join(if lang == Lang::Ja { "・" } else { ", " });
                Msg::ScaffoldInvalidSlug {
                    slug,
                    reserved: &reserved,
                }
            }
            ScaffoldError::UnknownPolicy {
                number,
                known: k,
                plan_file,
            } => {
                known = k.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
                Msg::ScaffoldUnknownPolicy {
                    number: *number,
                    known: &known,
                    plan: plan_file,
                }
            }
            ScaffoldError::PolicyFromId {
                id,
                number,
                known: k,
                plan_file,
            } => {
                known = k.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
                Msg::ScaffoldPolicyFromId {
                    id,
                    number: *number,
                    known: &known,
                    plan: plan_file,
                }
            }
            ScaffoldError::UnknownPlan { slug, known: k } => {
                known = k.join(", ");
                Msg::ScaffoldUnknownPlan {
                    slug,
                    known: &known,
                }
            }
            ScaffoldError::Plan(_) => Msg::ScaffoldPlanUnreadable,
            ScaffoldError::Io(path, error) => Msg::ScaffoldIo { path, error },
        };
        i18n::text(lang, msg)
    }
}

/// What a new measure needs from the plan.
pub(crate) struct PlanFacts {
    pub policies: Vec<u32>,
    pub years: Vec<FiscalYear>,
    /// The measure sections the plan declares, or the four default ones.
    pub sections: Vec<SectionDef>,
}

/// Reads the policy numbers, the period and the sections from the plan file at `plan_file`
/// (content/plan.yaml, or content/plans/<slug>/plan.yaml).
pub(crate) fn plan_facts(root: &Path, plan_file: &Path) -> Result<PlanFacts, ScaffoldError> {
    let mut diags = Diagnostics::default();
    let plan = load::read_plan_file(root, plan_file, &mut diags);
    let Some(plan) = plan else {
        return Err(ScaffoldError::Plan(diags));
    };
    let start = FiscalYear::parse(&plan.value.period.start.0);
    let end = FiscalYear::parse(&plan.value.period.end.0);
    let (Ok(start), Ok(end)) = (start, end) else {
        return Err(ScaffoldError::Plan(diags));
    };
    let mut policies: Vec<u32> = plan.value.policies.iter().map(|p| p.number).collect();
    policies.sort_unstable();
    let sections = match &plan.value.sections {
        Some(declared) if !declared.is_empty() => declared
            .iter()
            .map(|d| SectionDef {
                key: d.key.trim().to_string(),
                heading: d.heading.trim().to_string(),
            })
            .collect(),
        _ => SectionDef::defaults(),
    };
    Ok(PlanFacts {
        policies,
        years: FiscalYear::range_inclusive(start, end).collect(),
        sections,
    })
}

/// The folders of content/plans/ (the site's other plans), by slug.
fn other_plans(root: &Path) -> Vec<String> {
    let mut slugs: Vec<String> = std::fs::read_dir(root.join(PLANS_DIR))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|slug| url::is_valid_slug(slug))
        .collect();
    slugs.sort();
    slugs
}

/// Creates `content/measures/<id>.yaml` — or, with `plan`, the measure of that plan of the
/// site, `content/plans/<plan>/measures/<id>.yaml` — with the plan's sections. Without
/// `policy`, the number before the first `-` of the ID is used (`02-05` → 2), and refused
/// when the plan has no such policy; an ID that does not start with a number gets the first
/// policy, and a plan without policies gets a measure without `policy:`. In a site of
/// several plans the file shows `continues:` as a commented example naming another plan.
pub(crate) fn new_measure(
    root: &Path,
    id: &str,
    policy: Option<u32>,
    plan: Option<&str>,
) -> Result<PathBuf, ScaffoldError> {
    if !url::is_valid_id(id) {
        return Err(ScaffoldError::InvalidId(id.to_string()));
    }
    let others = other_plans(root);
    let (plan_file, measures_dir) = match plan {
        None => (PathBuf::from(PLAN_FILE), PathBuf::from(MEASURES_DIR)),
        Some(slug) if others.iter().any(|o| o == slug) => {
            let dir = Path::new(PLANS_DIR).join(slug);
            (dir.join("plan.yaml"), dir.join("measures"))
        }
        Some(slug) => {
            return Err(ScaffoldError::UnknownPlan {
                slug: slug.to_string(),
                known: others,
            })
        }
    };
    let facts = plan_facts(root, &plan_file)?;
    let from_id = id.split('-').next().and_then(|p| p.parse::<u32>().ok());
    let policy = match policy {
        Some(n) if facts.policies.contains(&n) => Some(n),
        Some(n) => {
            return Err(ScaffoldError::UnknownPolicy {
                number: n,
                known: facts.policies,
                plan_file,
            })
        }
        None => match from_id {
            _ if facts.policies.is_empty() => None,
            Some(n) if facts.policies.contains(&n) => Some(n),
            Some(n) => {
                return Err(ScaffoldError::PolicyFromId {
                    id: id.to_string(),
                    number: n,
                    known: facts.policies,
                    plan_file,
                })
            }
            None => facts.policies.first().copied(),
        },
    };
    let header = [format!("# 施策 {id}（keikaku new measure で作成）")];
    // The example names another plan of the site: an older one, most often.
    let example_plan = others.iter().find(|o| Some(o.as_str()) != plan);
    let continues = match (plan, example_plan) {
        (_, Some(slug)) => Some(format!(
            "{slug}/{}",
            first_measure(root, &Path::new(PLANS_DIR).join(slug).join("measures"))
        )),
        // The only other plan is the one at content/, named by its `id:`.
        (Some(_), None) => root_plan_id(root)
            .map(|slug| format!("{slug}/{}", first_measure(root, Path::new(MEASURES_DIR)))),
        (None, None) => None,
    };
    let text = measure_yaml_for(
        &header,
        id,
        policy,
        &facts.years,
        &facts.sections,
        continues.as_deref(),
    );
    let rel = measures_dir.join(format!("{id}.yaml"));
    create_new(root, &rel, &text)?;
    Ok(rel)
}

/// The first measure ID (by file name, in ID order) of the measures folder `dir`, for an
/// example that names a real measure; `1` when it has none.
fn first_measure(root: &Path, dir: &Path) -> String {
    let stems = std::fs::read_dir(root.join(dir))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| PathBuf::from(e.file_name()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_string))
        .filter(|id| url::is_valid_id(id));
    stems
        .min_by(|a, b| crate::model::compare_ids(a, b))
        .unwrap_or_else(|| "1".to_string())
}

/// The `id:` of the plan at content/ (the slug `continues:` names it by), if it has one.
fn root_plan_id(root: &Path) -> Option<String> {
    let plan = load::read_plan(root, &mut Diagnostics::default())?;
    plan.value.id.map(|id| id.trim().to_string())
}

/// Creates `content/pages/<slug>.md`.
pub(crate) fn new_page(root: &Path, slug: &str) -> Result<PathBuf, ScaffoldError> {
    if !url::is_valid_slug(slug) || url::RESERVED_SLUGS.contains(&slug) {
        return Err(ScaffoldError::InvalidSlug(slug.to_string()));
    }
    let rel = Path::new(PAGES_DIR).join(format!("{slug}.md"));
    create_new(root, &rel, PAGE_TEMPLATE)?;
    Ok(rel)
}

pub(crate) fn create_new(root: &Path, rel: &Path, text: &str) -> Result<(), ScaffoldError> {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| ScaffoldError::Io(rel.to_path_buf(), e))?;
    }
    // create_new: refuses atomically if the file appeared in the meantime.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                ScaffoldError::Exists(rel.to_path_buf())
            } else {
                ScaffoldError::Io(rel.to_path_buf(), e)
            }
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| ScaffoldError::Io(rel.to_path_buf(), e))
}

/// The text of a new measure file of the default sections: valid as it stands, with every
/// optional part shown (`new_measure` writes the plan's own sections instead).
#[cfg(test)]
pub(crate) fn measure_yaml(id: &str, policy: u32, years: &[FiscalYear]) -> String {
    measure_yaml_headed(
        &[format!("# 施策 {id}（keikaku new measure で作成）")],
        id,
        policy,
        years,
    )
}

/// [`measure_yaml`] with other opening comment lines: `keikaku init` says its measure is a
/// sample, so that nobody mistakes it for a measure of the plan.
pub(crate) fn measure_yaml_headed(
    header: &[String],
    id: &str,
    policy: u32,
    years: &[FiscalYear],
) -> String {
    measure_yaml_for(
        header,
        id,
        Some(policy),
        years,
        &SectionDef::defaults(),
        None,
    )
}

/// A new measure file for a plan: its policy (none in a plan without policies) and the
/// sections it declares, each with its heading as a comment. With `continues_plan` (a site
/// of several plans), a commented `continues:` naming that measure (`ict-2018/1`).
pub(crate) fn measure_yaml_for(
    header: &[String],
    id: &str,
    policy: Option<u32>,
    years: &[FiscalYear],
    sections: &[SectionDef],
    continues_example: Option<&str>,
) -> String {
    let keys: Vec<String> = years.iter().map(|y| y.key()).collect();
    let first = keys.first().cloned().unwrap_or_else(|| "R4".to_string());
    let last = keys.last().cloned().unwrap_or_else(|| first.clone());
    let mut lines: Vec<String> = header.to_vec();
    lines.extend([
        "# 「〜を書いてください」を書き換えてください。書き方は docs/content.md にあります。"
            .into(),
        "# 書き終えたら keikaku check で確かめられます。".into(),
        String::new(),
        commented(&format!("id: \"{id}\""), "施策ID（ファイル名と同じ）"),
        commented("title: 施策名を書いてください", "施策名"),
    ]);
    if let Some(policy) = policy {
        lines.push(commented(
            &format!("policy: {policy}"),
            "基本方針の番号（content/plan.yaml の policies）",
        ));
    }
    lines.extend([
        commented("lead_department: 主管部署を書いてください", "主管部署"),
        commented(
            "# departments: [○○課, △△課]",
            "主管部署がなく複数の課が同等に担当するときは lead_department の代わりにこれ",
        ),
        commented("related_departments: []", "関連部署 例: [○○課, △△課]"),
        commented("# lifecycle:", "計画の途中で始まった・終わった施策だけ"),
        commented(&format!("#   since: {first}"), "開始年度"),
        commented(&format!("#   completed: {last}"), "終了年度"),
        "#   note: 事業完了の説明".into(),
    ]);
    if let Some(plan) = continues_example {
        lines.extend([
            commented(
                "# continues:",
                "前の計画から引き継いだ施策だけ（<計画のID>/<施策ID>）",
            ),
            format!("#   - {plan}"),
        ]);
    }
    lines.extend([String::new(), "sections:".into()]);
    for s in sections {
        lines.push(commented(&format!("  {}: |", s.key), &s.heading));
        let ask = match s.key.as_str() {
            "current_state" => "現状と課題を書いてください。".to_string(),
            "details" => "施策の内容を書いてください。".to_string(),
            "expected_effects" => "期待される効果を書いてください。".to_string(),
            "future_policy" => "今後の取組方針を書いてください。".to_string(),
            _ => format!("{}を書いてください。", s.heading),
        };
        lines.push(format!("    {ask}"));
    }
    lines.extend([
        String::new(),
        commented("schedule:", "取組みスケジュール"),
        "  - task: 取組内容を書いてください".into(),
        commented(&format!("    years: [{}]", keys.join(", ")), "実施する年度"),
        String::new(),
        commented("kpis:", "成果目標（いくつでも）"),
        commented("  - indicator: 評価項目を書いてください", "評価項目"),
        commented("    # unit: 件", "単位（省略するとセルから読み取ります）"),
        commented("    target:", "目標（年度ごと。「-」は設定なし）"),
    ]);
    for k in &keys {
        lines.push(format!("      {k}: \"-\""));
    }
    lines.push(commented(
        "    actual:",
        "実績（報告された年度だけ書きます）",
    ));
    lines.push(format!("      # {first}: 1,250件"));
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

/// `code` followed by `# comment`, the comments of a file lined up in one column (counting a
/// full-width character as two columns, as editors show it).
pub(crate) fn commented(code: &str, comment: &str) -> String {
    const COLUMN: usize = 44;
    let width: usize = code.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    let pad = COLUMN.saturating_sub(width).max(1);
    format!("{code}{}# {comment}", " ".repeat(pad))
}

/// The texts `keikaku new` and `keikaku init` write for staff to replace. `check` and `build`
/// warn about each one still in a file (crate::validate::placeholders), so that a form left
/// half filled in is not published without a word.
pub(crate) const PLACEHOLDERS: &[&str] = &[
    // keikaku new measure (and init's sample measure)
    "施策名を書いてください",
    "主管部署を書いてください",
    "現状と課題を書いてください",
    "施策の内容を書いてください",
    "期待される効果を書いてください",
    "今後の取組方針を書いてください",
    "取組内容を書いてください",
    "評価項目を書いてください",
    // keikaku new page (and init's page)
    "ページの題名を書いてください",
    "ページの説明を1文で書いてください",
    "ここに本文を書きます",
    // keikaku init
    "サイト名を書いてください",
    "自治体名を書いてください",
    "担当部署名を書いてください",
    "計画名を書いてください",
    "基本理念を書いてください",
    "基本方針の名前を書いてください",
    "この基本方針の説明を書いてください",
    "見本の用語です。書き換えてください",
];

pub(crate) const PAGE_TEMPLATE: &str = "---
title: ページの題名を書いてください      # 題名（必須）
order: 50                              # ナビゲーションでの順番（小さいほど先）
description: ページの説明を1文で書いてください   # 検索結果などに表示される説明
---

ここに本文を書きます。Markdown が使えます。

## 見出し

- 箇条書き
- [リンク](https://www.example.jp/)
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measure_template_is_valid_yaml_with_every_plan_year() {
        let years: Vec<FiscalYear> = ["R4", "R5", "R6"]
            .iter()
            .map(|y| FiscalYear::parse(y).unwrap())
            .collect();
        let text = measure_yaml("02-09", 2, &years);
        let mut diags = Diagnostics::default();
        let file = crate::load::SourceFile {
            path: "content/measures/02-09.yaml".into(),
            text: text.clone().into(),
        };
        let parsed =
            load::parse_yaml::<crate::load::raw::RawMeasure>(file, &mut diags).expect("parses");
        assert_eq!(parsed.value.id.0, "02-09");
        assert_eq!(parsed.value.policy, Some(2));
        assert_eq!(parsed.value.kpis[0].target.0.len(), 3);
        assert!(text.contains("years: [R4, R5, R6]"));
    }

    #[test]
    fn a_new_measure_follows_the_plans_sections_and_policies() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(
            root.join(crate::load::PLAN_FILE),
            "title: ICTプラン\nperiod:\n  start: H30\n  end: H31\nsections:\n  - key: current_state\n    heading: 現状\n  - key: plan\n    heading: 計画\n",
        )
        .unwrap();
        let rel = new_measure(root, "7", None, None).unwrap();
        let text = std::fs::read_to_string(root.join(&rel)).unwrap();
        assert!(
            !text.contains("policy:"),
            "no policy in a plan without policies"
        );
        assert!(text.contains("  plan: |"), "{text}");
        assert!(text.contains("計画を書いてください。"), "{text}");
        assert!(!text.contains("future_policy"), "{text}");
        assert!(text.contains("years: [H30, R1]"), "{text}");
    }
}
