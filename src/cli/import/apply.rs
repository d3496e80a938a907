//! Turning the change requests for one measure into an edited measure file. Values that already
//! match are left alone; new years go in fiscal-year order; a new KPI is appended; the text is
//! changed only where a value changes (see [`crate::load::yaml_edit`]).

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::fiscal::FiscalYear;
use crate::kpi::cell::CellInput;
use crate::load::raw::RawMeasure;
use crate::load::yaml_edit::{self, EditError, Fragment};
use crate::load::{self, SourceFile};

use super::table::{CellChange, Kind, MeasureFacts};

/// One cell that the import changes, for the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CellEdit {
    /// `施策01-01 成果目標② 令和7年度の実績`, as staff name the cell.
    pub cell: String,
    /// `kpis[0].actual.R6`
    pub field: String,
    pub old: Option<String>,
    pub new: String,
}

impl CellEdit {
    /// `施策01-01 成果目標② 令和7年度の実績: 未記入 → 1,002件`
    pub(crate) fn describe(&self) -> String {
        format!(
            "{}: {} → {}",
            self.cell,
            self.old.as_deref().unwrap_or("未記入"),
            self.new
        )
    }
}

/// The edited text of one measure file and what changed in it.
pub(crate) struct Edited {
    pub text: String,
    pub cells: Vec<CellEdit>,
}

/// Applies `changes` (all for the measure `id`) to `original` (`None`: the file does not exist
/// and is created from `facts`). `rel` is the file's path, for messages.
pub(crate) fn apply(
    id: &str,
    rel: &Path,
    original: Option<&str>,
    facts: &MeasureFacts,
    changes: &[&CellChange],
    sheet_file: &Path,
    diags: &mut Diagnostics,
) -> Option<Edited> {
    let before = diags.error_count();
    let mut text = match original {
        Some(t) => t.to_string(),
        None => new_measure_text(id, facts, changes, sheet_file, diags)?,
    };
    let file = SourceFile {
        path: rel.to_path_buf(),
        text: text.clone().into(),
    };
    let mut parse_diags = Diagnostics::default();
    let Some(parsed) = load::parse_yaml::<RawMeasure>(file, &mut parse_diags) else {
        diags.extend(parse_diags.into_vec());
        diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                rel,
                format!("施策{id}のファイルに誤りがあるため、表の値を書き込めません"),
            )
            .hint("先にこのファイルのエラーを直してから読み込み直してください"),
        );
        return None;
    };
    let raw = parsed.value;

    let mut by_kpi: BTreeMap<usize, Vec<&CellChange>> = BTreeMap::new();
    for c in changes {
        by_kpi.entry(c.kpi).or_default().push(c);
    }
    let mut cells = Vec::new();
    let mut next_new = raw.kpis.len() + 1;
    for (kpi, list) in by_kpi {
        let index = kpi - 1;
        let units = kpi_units(raw.kpis.get(index), &list);
        let carried: Vec<CellChange> = list
            .iter()
            .map(|c| carry_unit(c, &units, sheet_file, diags))
            .collect();
        let list: Vec<&CellChange> = carried.iter().collect();
        let edit_error = |e: EditError, diags: &mut Diagnostics| {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    rel,
                    format!(
                        "{e}。表の値（{}）を書き込めません",
                        list[0].origin.describe()
                    ),
                )
                .field(format!("kpis[{index}]"))
                .hint(
                    "この値は YAML ファイルで直接書き換えるか、「R4: 値」の形に書き直してください",
                ),
            )
        };
        if let Some(existing) = raw.kpis.get(index) {
            for kind in [Kind::Target, Kind::Actual] {
                for c in list.iter().filter(|c| c.kind == kind) {
                    match set_year(&text, index, kind, c, existing.notes.is_some()) {
                        Ok(None) => {}
                        Ok(Some((t, edit))) => {
                            text = t;
                            cells.push(edit);
                        }
                        Err(e) => edit_error(e, diags),
                    }
                }
            }
            continue;
        }
        // A KPI the file does not have yet: only the next number, and only with its 評価項目.
        let Some((indicator, _)) = facts.indicators.get(&kpi) else {
            diags.push(list[0].origin.diagnostic(
                sheet_file,
                Code::InvalidValue,
                format!(
                    "施策{id}には成果目標{kpi}がありません（成果目標は{}つ）",
                    raw.kpis.len()
                ),
                "番号を確かめてください。新しい成果目標を加えるときは「評価項目」の列に名前を書いてください",
            ));
            continue;
        };
        if kpi != next_new {
            diags.push(list[0].origin.diagnostic(
                sheet_file,
                Code::InvalidValue,
                format!(
                    "施策{id}の成果目標は次に{next_new}番を加えられます（{kpi}番は飛んでいます）"
                ),
                "成果目標の番号を続けて付けてください",
            ));
            continue;
        }
        next_new += 1;
        let series = |kind: Kind| -> Vec<(String, Fragment)> {
            let mut years: Vec<&&CellChange> = list.iter().filter(|c| c.kind == kind).collect();
            years.sort_by_key(|c| c.year);
            years
                .iter()
                .map(|c| (c.year.key(), Fragment::text(&c.text)))
                .collect()
        };
        let mut item = vec![("indicator".to_string(), Fragment::text(indicator))];
        for kind in [Kind::Target, Kind::Actual] {
            let s = series(kind);
            if !s.is_empty() {
                item.push((kind.key().to_string(), Fragment::Map(s)));
            }
        }
        let result = if raw.kpis.is_empty() && !has_key(&text, "kpis") {
            yaml_edit::insert_entry(
                &text,
                "",
                "kpis",
                &Fragment::Seq(vec![Fragment::Map(item)]),
                None,
            )
        } else {
            yaml_edit::append_item(&text, "kpis", &Fragment::Map(item))
        };
        match result {
            Ok(t) => {
                text = t;
                for c in list {
                    cells.push(CellEdit {
                        cell: c.describe(),
                        field: format!("kpis[{index}].{}.{}", c.kind.key(), c.year.key()),
                        old: None,
                        new: c.text.clone(),
                    });
                }
            }
            Err(e) => edit_error(e, diags),
        }
    }
    if diags.error_count() > before {
        return None;
    }
    Some(Edited { text, cells })
}

/// What the KPI's values say about its unit: the units written in the file (targets and
/// actuals) and in the sheet's cells for it, and whether any value is a bare number.
struct Units {
    written: std::collections::BTreeSet<String>,
    /// The units of the file alone (its `unit:`, or its values'), which the sheet's must match.
    in_file: std::collections::BTreeSet<String>,
    bare_numbers: bool,
}

fn kpi_units(existing: Option<&crate::load::raw::RawKpi>, sheet: &[&CellChange]) -> Units {
    let mut units = Units {
        written: Default::default(),
        in_file: Default::default(),
        bare_numbers: false,
    };
    if let Some(k) = existing {
        // A KPI's declared unit (`unit: 件`) is the one its bare numbers take.
        if let Some(u) = k.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            units.written.insert(u.to_string());
            units.in_file = units.written.clone();
            return units;
        }
        for input in k
            .baseline
            .iter()
            .chain(k.target.0.iter().chain(k.actual.0.iter()).map(|(_, v)| v))
        {
            units.add(input.clone().into_cell().ok());
        }
    }
    units.in_file = units.written.clone();
    for c in sheet {
        if bare_number(&c.text).is_none() {
            units.add(crate::kpi::cell::Cell::parse(&c.text).ok());
        }
    }
    units
}

impl Units {
    fn add(&mut self, cell: Option<crate::kpi::cell::Cell>) {
        let Some(cell) = cell else { return };
        match cell.unit() {
            Some(u) => {
                self.written.insert(u.to_string());
            }
            None if cell.primary_number().is_some() => self.bare_numbers = true,
            None => {}
        }
    }
}

/// The text of a cell that is nothing but a number (`1120`, `1,120`), grouped (`1,120`).
fn bare_number(text: &str) -> Option<String> {
    let t = text.trim();
    let plain = t.replace(',', "");
    (!plain.is_empty() && plain.parse::<f64>().is_ok() && !plain.starts_with('+'))
        .then(|| super::number_format::group(&plain, true))
}

/// `change` with the KPI's unit when the cell is a bare number (`1120` → `1,120件`); a
/// warning, located at the cell, when the unit cannot be told.
fn carry_unit(
    change: &CellChange,
    units: &Units,
    sheet_file: &Path,
    diags: &mut Diagnostics,
) -> CellChange {
    let mut out = change.clone();
    let warn = |diags: &mut Diagnostics, code: Code, message: String, hint: &str| {
        let mut d = change.origin.diagnostic(sheet_file, code, message, hint);
        d.severity = crate::diagnostics::Severity::Warning;
        diags.push(d);
    };
    let what = change.describe();
    let Some(number) = bare_number(&change.text) else {
        // A unit of its own (from the text, or the cell's format) that the KPI does not use.
        let unit = crate::kpi::cell::Cell::parse(&change.text)
            .ok()
            .and_then(|c| c.unit().map(str::to_string));
        if let Some(unit) = unit.filter(|u| !units.in_file.is_empty() && !units.in_file.contains(u))
        {
            let known: Vec<&str> = units.in_file.iter().map(String::as_str).collect();
            warn(
                diags,
                Code::ImportUnitDiffers,
                format!(
                    "{what}「{}」の単位「{unit}」が、この成果目標の単位「{}」と違います。そのまま書き込みます",
                    change.text,
                    known.join("」「")
                ),
                "同じ単位で書いてください（セルの表示形式の単位も確かめてください）",
            );
        }
        return out;
    };
    let mut written = units.written.iter();
    match (written.next(), written.next()) {
        (Some(unit), None) => {
            let fraction = change.number.is_some_and(|n| n != 0.0 && n.abs() <= 1.0);
            if unit == "%" && fraction {
                warn(
                    diags,
                    Code::ImportFractionForPercent,
                    format!(
                        "{what}「{}」は％の成果目標の値ですが、割合（{} = {}%）かもしれません。そのまま「{}」と書き込みます",
                        change.text,
                        change.text,
                        super::number_format::clean(change.number.unwrap_or_default() * 100.0),
                        change.text
                    ),
                    "割合なら、セルの表示形式を「パーセンテージ」にするか「72%」のように書いてください",
                );
                return out;
            }
            out.text = format!("{number}{unit}");
        }
        (Some(first), Some(second)) => warn(
            diags,
            Code::ImportNoUnit,
            format!(
                "{what}「{}」に単位がなく、この成果目標には「{first}」「{second}」など複数の単位があります。単位なしで書き込みます",
                change.text
            ),
            "「1,120件」のように単位を付けて書いてください",
        ),
        (None, _) if !units.bare_numbers => warn(
            diags,
            Code::ImportNoUnit,
            format!(
                "{what}「{}」に単位がなく、この成果目標の単位もわかりません。単位なしで書き込みます",
                change.text
            ),
            "単位のある値なら「1,120件」のように単位を付けて書いてください",
        ),
        (None, _) => {}
    }
    out
}

fn reparse(text: &str, rel: &Path) -> Option<RawMeasure> {
    let file = SourceFile {
        path: rel.to_path_buf(),
        text: text.to_string().into(),
    };
    load::parse_yaml::<RawMeasure>(file, &mut Diagnostics::default()).map(|p| p.value)
}

fn has_key(text: &str, key: &str) -> bool {
    load::yaml::Locator::new(text).node(key).is_some()
}

/// The text a cell shows, for comparing a file's value with the sheet's.
fn shown(input: &CellInput) -> Option<String> {
    input
        .clone()
        .into_cell()
        .ok()
        .map(|c| c.raw.trim().to_string())
}

/// Sets one year of `kpis[index].<kind>`. `Ok(None)` when the file already says the same.
fn set_year(
    text: &str,
    index: usize,
    kind: Kind,
    change: &CellChange,
    has_notes: bool,
) -> Result<Option<(String, CellEdit)>, EditError> {
    // The map is re-read from the current text: earlier edits may have added keys.
    let rel = Path::new("");
    let current = reparse(text, rel)
        .and_then(|m| m.kpis.into_iter().nth(index))
        .map(|k| match kind {
            Kind::Target => k.target,
            Kind::Actual => k.actual,
        })
        .unwrap_or_default();
    let base = format!("kpis[{index}].{}", kind.key());
    let formatted = written_like_siblings(text, &base, &change.text);
    let existing = current
        .0
        .iter()
        .find(|(k, _)| FiscalYear::parse(k).ok() == Some(change.year));
    if let Some((key, value)) = existing {
        let old = shown(value);
        if old.as_deref() == Some(change.text.trim()) {
            return Ok(None);
        }
        let path = format!("{base}.{key}");
        let t = yaml_edit::replace_scalar(text, &path, &formatted)?;
        return Ok(Some((
            t,
            CellEdit {
                cell: change.describe(),
                field: path,
                old,
                new: change.text.clone(),
            },
        )));
    }
    let key = change.year.key();
    let edit = CellEdit {
        cell: change.describe(),
        field: format!("{base}.{key}"),
        old: None,
        new: change.text.clone(),
    };
    let loc = load::yaml::Locator::new(text);
    let t = if loc.node(&base).is_some() {
        // Before the first later year, so the years stay in order.
        let before = current
            .0
            .iter()
            .find(|(k, _)| FiscalYear::parse(k).is_ok_and(|y| y > change.year))
            .map(|(k, _)| k.clone());
        yaml_edit::insert_entry(
            text,
            &base,
            &key,
            &Fragment::Scalar(formatted),
            before.as_deref(),
        )?
    } else {
        // No `actual:` yet: add it (before `notes:`, which reads best last).
        let before = match kind {
            Kind::Target if loc.node(&format!("kpis[{index}].actual")).is_some() => Some("actual"),
            _ if has_notes => Some("notes"),
            _ => None,
        };
        yaml_edit::insert_entry(
            text,
            &format!("kpis[{index}]"),
            kind.key(),
            &Fragment::Map(vec![(key, Fragment::Scalar(formatted))]),
            before,
        )?
    };
    Ok(Some((t, edit)))
}

/// `value` formatted as the file writes its neighbours: double-quoted when the other values of
/// the mapping are quoted (as in files converted from a spreadsheet), else plain when possible.
fn written_like_siblings(text: &str, map_path: &str, value: &str) -> String {
    use crate::load::yaml::{NodeKind, ScalarKind};
    let loc = load::yaml::Locator::new(text);
    let quoted = loc.entries(map_path).is_some_and(|keys| {
        keys.iter().any(|k| {
            matches!(
                loc.node(&format!("{map_path}.{k}")).map(|n| n.kind),
                Some(NodeKind::Scalar {
                    style: ScalarKind::Quoted,
                    ..
                })
            )
        })
    });
    if quoted {
        serde_json::to_string(value).unwrap_or_else(|_| load::yaml::format_scalar(value))
    } else {
        load::yaml::format_scalar(value)
    }
}

/// A minimal measure file for a measure the sheet introduces (施策名・基本方針・主管部署 given).
fn new_measure_text(
    id: &str,
    facts: &MeasureFacts,
    changes: &[&CellChange],
    sheet_file: &Path,
    diags: &mut Diagnostics,
) -> Option<String> {
    let (Some((title, _)), Some((policy, _)), Some((department, _))) =
        (&facts.title, &facts.policy, &facts.department)
    else {
        let at = facts.first.as_ref().unwrap_or(&changes[0].origin);
        diags.push(at.diagnostic(
            sheet_file,
            Code::InvalidValue,
            format!("施策{id}のファイル（content/measures/{id}.yaml）がありません"),
            format!(
                "keikaku new measure {id} で作るか、表に「施策名」「基本方針」「主管部署」の列を加えてください"
            ),
        ));
        return None;
    };
    Some(format!(
        "# 施策 {id}（keikaku import で作成）\nid: {}\ntitle: {}\npolicy: {policy}\nlead_department: {}\n",
        load::yaml::format_scalar(id),
        load::yaml::format_scalar(title),
        load::yaml::format_scalar(department),
    ))
}
