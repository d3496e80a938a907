//! Annual activity plans as other pages show them: a status with its icon and words, the
//! counts of a year's statuses, the home page's summary of the latest year, and the measure
//! page's section on its plans.

use serde::Serialize;

use crate::fiscal::{Era, FiscalYear};
use crate::interface::Ui;
use crate::language::Language;
use crate::markdown;
use crate::model::{ActivityPlan, Measure, Site};
use crate::progress::{StatusId, NOT_RECORDED_ICON, NOT_RECORDED_KEY, NOT_RECORDED_LABEL};
use crate::url::{self, Route};

/// A fiscal year as a page of `ui`'s language names it: [`FiscalYear::label`] in Japanese
/// (令和6年度), the table's `format.fiscal_year` elsewhere (FY2024, れいわ6ねんど…).
pub(crate) fn year_label(ui: &Ui, year: FiscalYear) -> String {
    year_in(ui, year, "format.fiscal_year", FiscalYear::label)
}

/// [`year_label`] where there is room, with the Western year: 令和6年度（2024年度）, FY2024
/// (Reiwa 6).
pub(crate) fn year_label_long(ui: &Ui, year: FiscalYear) -> String {
    year_in(
        ui,
        year,
        "format.fiscal_year_with_western",
        FiscalYear::label_long,
    )
}

fn year_in(ui: &Ui, year: FiscalYear, key: &str, japanese: fn(FiscalYear) -> String) -> String {
    if ui.language() == Language::Japanese {
        return japanese(year);
    }
    let western = year.western().to_string();
    let (era, number) = match (year.era(), year.year_in_era()) {
        (Some(era), Some(n)) => (era, n),
        // Before 平成: never parsed from content; the Western year alone says it.
        _ => return western,
    };
    let era_name = ui.plain(match era {
        Era::Reiwa => "era.reiwa",
        Era::Heisei => "era.heisei",
    });
    let era_year = match number {
        1 => ui.plain("format.era_first_year"),
        n => n.to_string(),
    };
    ui.fill(
        key,
        &[
            ("era", &era_name),
            ("era_year", &era_year),
            ("western", &western),
        ],
    )
}

/// A status as pages show it: icon shape and words, never colour alone.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct StatusView {
    pub key: String,
    pub label: String,
    pub icon: String,
    pub attention: bool,
    /// `Some("ja")` when the label is a site's own Japanese word shown in another language's
    /// tree (the built-in statuses have their words in every interface table).
    pub lang: Option<&'static str>,
}

impl StatusView {
    /// The status `id` (`None`: nothing recorded) in the words of `ui`'s language. The
    /// Japanese tree shows the site's configured words; another tree shows the table's word
    /// for a built-in status (`progress.on_track`) and the configured Japanese word, marked,
    /// for a status the site added.
    pub(crate) fn of(site: &Site, ui: &Ui, id: Option<StatusId>) -> StatusView {
        let own = ui.language() == Language::Japanese;
        let (key, label, icon, attention) = match id {
            Some(id) => {
                let s = site.config.progress.get(id);
                (s.key.clone(), s.label.clone(), s.icon.clone(), s.attention)
            }
            None => (
                NOT_RECORDED_KEY.to_string(),
                NOT_RECORDED_LABEL.to_string(),
                NOT_RECORDED_ICON.to_string(),
                false,
            ),
        };
        let table_key = format!("progress.{}", key.replace('-', "_"));
        let translated = (!own && ui.text(&table_key) != table_key).then(|| ui.plain(&table_key));
        StatusView {
            lang: (!own && translated.is_none()).then_some("ja"),
            label: translated.unwrap_or(label),
            key,
            icon,
            attention,
        }
    }
}

/// The statuses in page order, then "not recorded": every group a year page can have.
pub(crate) fn status_groups(site: &Site) -> Vec<Option<StatusId>> {
    site.config
        .progress
        .ordered()
        .into_iter()
        .map(Some)
        .chain(std::iter::once(None))
        .collect()
}

/// 「令和6年度 年間活動計画」: the title of a year's plans and of their pages.
pub(crate) fn plan_title(ui: &Ui, year: FiscalYear) -> String {
    ui.fill("activity.year_title", &[("year", &year_label(ui, year))])
}

/// How many plans of a year have each status (only statuses that occur), with links to the
/// year page's section for that status.
#[derive(Serialize)]
pub(crate) struct StatusCount {
    pub status: StatusView,
    pub count: usize,
    pub href: String,
    /// 「3施策」, "3 measures": the count in the page's language.
    pub count_label: String,
}

pub(crate) fn status_counts(
    site: &Site,
    ui: &Ui,
    year: FiscalYear,
    from: &Route,
) -> Vec<StatusCount> {
    status_counts_from(site, ui, year, &status_tally(site, year), from)
}

/// How many plans of `year` fall in each of [`status_groups`], in that order (groups without
/// plans included, with 0). Worked out once per year: every page of a year shows the counts.
pub(crate) fn status_tally(site: &Site, year: FiscalYear) -> Vec<(Option<StatusId>, usize)> {
    let mut tally: Vec<(Option<StatusId>, usize)> =
        status_groups(site).into_iter().map(|g| (g, 0)).collect();
    for plan in site.activity_in(year) {
        let overall = plan.overall(&site.config.progress);
        if let Some((_, count)) = tally.iter_mut().find(|(g, _)| *g == overall) {
            *count += 1;
        }
    }
    tally
}

/// [`status_counts`] from a [`status_tally`] of `year`, linked from the page at `from`.
pub(crate) fn status_counts_from(
    site: &Site,
    ui: &Ui,
    year: FiscalYear,
    tally: &[(Option<StatusId>, usize)],
    from: &Route,
) -> Vec<StatusCount> {
    tally
        .iter()
        .filter(|(_, count)| *count > 0)
        .map(|&(g, count)| {
            let status = StatusView::of(site, ui, g);
            StatusCount {
                href: url::relative(
                    from,
                    &format!(
                        "{}#status-{}",
                        Route::activity_year(year).as_str(),
                        status.key
                    ),
                ),
                status,
                count,
                count_label: measure_count(ui, count),
            }
        })
        .collect()
}

/// 「3施策」, "3 measures", 「3つの しごと」.
pub(crate) fn measure_count(ui: &Ui, count: usize) -> String {
    let key = match count {
        1 => "activity.measure_count_one",
        _ => "activity.measure_count",
    };
    ui.fill(key, &[("count", &count.to_string())])
}

/// The home page's summary: the latest year's counts.
#[derive(Serialize)]
pub(crate) struct ActivitySummary {
    pub year_label: String,
    pub title: String,
    pub href: String,
    pub total: usize,
    pub counts: Vec<StatusCount>,
}

/// The home page's summary in the words of `ui`'s language.
pub(crate) fn latest_summary_in(site: &Site, ui: &Ui, from: &Route) -> Option<ActivitySummary> {
    let year = *site.activity_years().last()?;
    Some(ActivitySummary {
        year_label: year_label(ui, year),
        title: plan_title(ui, year),
        href: url::relative(from, Route::activity_year(year).as_str()),
        total: site.activity_in(year).len(),
        counts: status_counts(site, ui, year, from),
    })
}

/// A task's status on a measure page or in a list.
#[derive(Serialize)]
pub(crate) struct TaskStatus {
    pub name: String,
    pub status: StatusView,
    pub countermeasures_html: Option<String>,
    /// 「取組内容「…」」 in the page's language, the name marked when it is Japanese (HTML).
    pub label_html: String,
    /// `Some("ja")` outside the Japanese tree: the name and countermeasures of an activity
    /// plan are never translated ([`super::japanese_only`]).
    pub lang: Option<&'static str>,
}

pub(crate) fn task_statuses(
    site: &Site,
    ui: &Ui,
    plan: &ActivityPlan,
    only_attention: bool,
) -> Vec<TaskStatus> {
    plan.tasks
        .iter()
        .map(|t| (t, StatusView::of(site, ui, t.progress)))
        .filter(|(_, s)| !only_attention || s.attention)
        .map(|(t, status)| TaskStatus {
            label_html: ui
                .fill_html_raw("activity.item_named", &[("item", &marked(site, &t.name))]),
            name: t.name.clone(),
            status,
            countermeasures_html: t
                .countermeasures
                .as_deref()
                .map(|c| markdown::to_html(c, 5, site.config.raw_html)),
            lang: super::japanese_only(site),
        })
        .collect()
}

/// The measure page's section: the latest year's progress and a link to every year's plan.
#[derive(Serialize)]
pub(crate) struct MeasureActivity {
    pub latest_year: String,
    pub latest_status: StatusView,
    pub latest_href: String,
    pub tasks: Vec<TaskStatus>,
    pub years: Vec<YearLink>,
}

#[derive(Serialize)]
pub(crate) struct YearLink {
    pub label: String,
    pub href: String,
    pub status: StatusView,
}

/// The measure page's section in the words of `ui`'s language.
pub(crate) fn measure_activity_in(
    site: &Site,
    ui: &Ui,
    m: &Measure,
    from: &Route,
) -> Option<MeasureActivity> {
    let plans: Vec<&ActivityPlan> = site.activity_of(&m.id).collect();
    let latest = *plans.last()?;
    let href = |p: &ActivityPlan| url::relative(from, Route::activity_plan(p.year, &m.id).as_str());
    Some(MeasureActivity {
        latest_year: year_label(ui, latest.year),
        latest_status: StatusView::of(site, ui, latest.overall(&site.config.progress)),
        latest_href: href(latest),
        tasks: task_statuses(site, ui, latest, false),
        years: plans
            .iter()
            .rev()
            .map(|p| YearLink {
                label: plan_title(ui, p.year),
                href: href(p),
                status: StatusView::of(site, ui, p.overall(&site.config.progress)),
            })
            .collect(),
    })
}

/// The table's sentence `key` as HTML (ruby as `<ruby>`), each `{name}` filled with its plain
/// value in `args`, escaped as Tera escapes what a template prints: a sentence that moved from
/// a template into the table comes out of the Japanese tree byte for byte as before (print it
/// with `| safe`).
pub(crate) fn sentence_html(ui: &Ui, key: &str, args: &[(&str, &str)]) -> String {
    let escaped: Vec<(&str, String)> = args.iter().map(|(n, v)| (*n, escape(v))).collect();
    let pairs: Vec<(&str, &str)> = escaped.iter().map(|(n, v)| (*n, v.as_str())).collect();
    ui.fill_html_raw(key, &pairs)
}

/// The `lang` of the department `name` (as written in Japanese) as a page shows it
/// ([`Site::department_name`]): `Some("ja")` in another language's tree when no translation gave
/// its name (`department.<name>`).
pub(crate) fn department_lang(site: &Site, name: &str) -> Option<&'static str> {
    super::lang_of(site, &format!("department.{name}"))
}

/// The text of an activity plan as HTML: escaped, and inside `<span lang="ja">` outside the
/// Japanese tree, since activity plans are never translated.
pub(crate) fn marked(site: &Site, text: &str) -> String {
    match super::japanese_only(site) {
        Some(lang) => format!("<span lang=\"{lang}\">{}</span>", escape(text)),
        None => escape(text),
    }
}

/// `text` escaped as Tera escapes a printed value.
pub(crate) fn escape(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    // Writing to a `Vec` cannot fail, and the escaped bytes of UTF-8 stay UTF-8.
    let _ = tera::escape_html(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Status;

    fn example() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut diags = crate::diagnostics::Diagnostics::default();
        crate::build::Pipeline::new(root)
            .site(&mut diags)
            .expect("the example site loads")
    }

    #[test]
    fn years_are_named_in_the_page_language() {
        let year = FiscalYear::try_from_western(2022).unwrap();
        let first = FiscalYear::try_from_western(2019).unwrap();
        let ja = Ui::default_for(Language::Japanese);
        let en = Ui::default_for(Language::English);
        let easy = Ui::default_for(Language::EasyJapanese);
        assert_eq!(year_label(&ja, year), year.label());
        assert_eq!(year_label_long(&ja, year), year.label_long());
        assert_eq!(year_label(&en, year), "FY2022");
        assert_eq!(year_label_long(&en, year), "FY2022 (Reiwa 4)");
        assert_eq!(year_label_long(&en, first), "FY2019 (Reiwa 1)");
        let easy_year = year_label(&easy, year);
        assert!(easy_year.contains("2022"), "{easy_year}");
        assert!(!easy_year.contains('令'), "{easy_year}");
        assert_eq!(plan_title(&en, year), "FY2022 annual action plans");
        assert_eq!(plan_title(&ja, year), "令和4年度 年間活動計画");
    }

    #[test]
    fn statuses_are_the_table_words_and_a_site_own_word_stays_japanese_marked() {
        let mut site = example();
        let own = site
            .config
            .progress
            .add(Status {
                key: "partly-delayed".into(),
                label: "一部遅延".into(),
                icon: "△".into(),
                attention: true,
            })
            .unwrap();
        let on_track = site.config.progress.find("予定通り").unwrap();
        let tree = crate::translate::localize(&site, Language::English, &site.translations);
        let en = Ui::default_for(Language::English);
        let built_in = StatusView::of(&tree, &en, Some(on_track));
        assert_eq!(
            (built_in.label.as_str(), built_in.lang),
            ("On schedule", None)
        );
        let theirs = StatusView::of(&tree, &en, Some(own));
        assert_eq!(
            (theirs.label.as_str(), theirs.lang),
            ("一部遅延", Some("ja"))
        );
        let none = StatusView::of(&tree, &en, None);
        assert_eq!(none.label, "No progress recorded");
        // The Japanese tree shows the configured words, unmarked.
        let ja = Ui::default_for(Language::Japanese);
        let japanese = StatusView::of(&site, &ja, Some(on_track));
        assert_eq!((japanese.label.as_str(), japanese.lang), ("予定通り", None));
        assert_eq!(StatusView::of(&site, &ja, None).label, NOT_RECORDED_LABEL);
    }
}
