//! View models: everything a template shows, already computed (links, labels, HTML of
//! Markdown), so that templates only lay things out. Built per page because links are
//! relative to the page that contains them.

pub(crate) mod activity;

use serde::Serialize;

use crate::fiscal::words as years;
use crate::fiscal::FiscalYear;
use crate::glossary::PageTerms;
use crate::interface::Ui;
use crate::kpi::achievement::{self, Basis, Judgement, Status};
use crate::kpi::cell::{Cell, CellValue};
use crate::kpi::sentence::{self, Blank, Said, Voice};
use crate::markdown;
use crate::model::{Direction, Kpi, Measure, Rules, Site};
use crate::render::charts::{icons, ChartView};
use crate::url::{self, Route};

#[derive(Serialize)]
pub(crate) struct Link {
    pub label: String,
    pub href: String,
}

#[derive(Serialize)]
pub(crate) struct NavItem {
    pub label: String,
    pub href: String,
    pub current: bool,
    /// `Some("ja")` for a page title shown in Japanese in another language's tree.
    pub lang: Option<&'static str>,
}

/// The `lang` attribute a text of the content needs on a page of `site`: `None` when the text
/// is in the page's language, `Some("ja")` in another language's tree when no translation gave
/// the text at `path` (see [`crate::model::Translated`]) and it is shown in Japanese.
pub(crate) fn lang_of(site: &Site, path: &str) -> Option<&'static str> {
    (!site.in_own_language(path)).then_some("ja")
}

/// The `lang` of content that is never translated (the activity plans, a KPI cell written in
/// words such as 整備完了): `Some("ja")` on every page outside the Japanese tree.
pub(crate) fn japanese_only(site: &Site) -> Option<&'static str> {
    (site.language != crate::language::Language::Japanese).then_some("ja")
}

/// A block of content (HTML) shown in Japanese on a page in another language: the note
/// 「この部分は日本語のみです」 in the page's language, then the block marked `lang="ja"`, so that a
/// screen reader switches voice and every reader knows why the text changed language.
#[allow(dead_code)] // until the pages use it (issue #23)
pub(crate) fn fallback_block(ui: &crate::interface::Ui, html: &str) -> String {
    format!(
        "<div class=\"ja-only\"><p class=\"ja-only__note\">{}</p><div lang=\"ja\">{html}</div></div>",
        ui.html("language.only_japanese")
    )
}

/// What every page shows around its content: header, navigation, footer.
#[derive(Serialize)]
pub(crate) struct Chrome {
    pub lang: String,
    pub site_title: String,
    /// `Some("ja")` where the texts beside it are shown in Japanese in another language's tree
    /// (see [`lang_of`]): the site title, the header's plan line, the revision, the footer's
    /// contact and licence names.
    pub site_title_lang: Option<&'static str>,
    pub city: String,
    pub plan_title: String,
    /// The header's line under the site title: the city and the plan (「木更津市・…計画」), the
    /// city once when the plan's title names it already.
    pub plan_line: String,
    pub plan_line_lang: Option<&'static str>,
    /// [`Chrome::site_title`] as HTML, with the furigana a translation wrote.
    pub site_title_html: String,
    /// [`Chrome::plan_line`] as HTML, with the furigana a translation wrote.
    pub plan_line_html: String,
    pub revision: Option<String>,
    /// The revision as the header adds it after the plan line (「（2024年改訂）」), HTML,
    /// marked `lang="ja"` when shown in Japanese in another language's tree.
    pub revision_note: Option<String>,
    pub home_href: String,
    pub stylesheet: String,
    /// The theme's SVG icon, linked from every page so browsers do not ask for a missing
    /// `/favicon.ico`.
    pub favicon: String,
    pub canonical: Option<String>,
    /// The header's search form goes here (the search page, which lists every measure when
    /// JavaScript is off). `None` on the search page itself, which has its own form.
    pub search_href: Option<String>,
    /// The Atom feed, for `<link rel="alternate">`.
    pub feed_href: String,
    /// The feed's name there: 「…（更新情報）」 in the page's language (plain text).
    pub feed_title: String,
    /// The generator's own sections: the same on every site.
    pub nav: Vec<NavItem>,
    /// The site's Markdown pages (background, policies, about, accessibility…), in the
    /// footer, where Japanese municipal sites put them, so the header stays short on phones.
    pub page_nav: Vec<NavItem>,
    pub contact: Option<crate::model::Contact>,
    /// Who to contact as the footer names it: the city and the contact's name, or the name
    /// alone when it already is or starts with the city (no 「木更津市 木更津市」).
    pub contact_name: Option<String>,
    pub contact_name_lang: Option<&'static str>,
    pub license: crate::model::License,
    pub license_lang: Option<&'static str>,
    /// The plan period in the page's language (see [`period_label_in`]).
    pub period_label: String,
    /// The latest change anywhere in the content ([`Site::last_updated`]), in the footer
    /// and so in print.
    pub site_updated: DateView,
    /// Set on every page of an ended plan but its home page (which says more): the
    /// 計画期間終了 notice above the content, with the site's current plan.
    pub ended_notice: Option<EndedNotice>,
    /// The footer's sentences that hold a value of the site, in the page's language (HTML).
    pub footer: FooterText,
    /// The language switcher: every language of `languages:`, in that order, each linking to
    /// this page in its tree. Empty on a site published in Japanese only, which shows none.
    pub languages: Vec<LanguageLink>,
    /// `<link rel="alternate" hreflang>`: this page in each language (itself included), then
    /// `x-default` for the Japanese page. Empty on a Japanese-only site and on the page
    /// served at any address (404), which has no address of its own.
    pub alternates: Vec<Alternate>,
}

/// The notice on the pages of an ended plan: its period, and the plan that replaced it when
/// the site names another as current.
#[derive(Serialize)]
pub(crate) struct EndedNotice {
    pub current: Option<Link>,
    /// The notice's sentences after the badge (HTML, the link to the current plan included).
    pub html: String,
}

/// The footer's sentences with the site's values filled in (HTML).
#[derive(Serialize)]
pub(crate) struct FooterText {
    /// 「電話: …」, when the contact has a phone number.
    pub phone: Option<String>,
    /// 「…のウェブサイト」, the text of the link to the city's site.
    pub city_website: String,
    /// 「計画期間: …」.
    pub plan_period: String,
    /// 「このページのURL: …」 (print only), when the page has an address of its own.
    pub page_url: Option<String>,
}

/// One language of the switcher, named in itself (`English`, `やさしい にほんご`) so that a
/// reader who cannot read the current page still finds their own.
#[derive(Serialize)]
pub(crate) struct LanguageLink {
    pub name: &'static str,
    /// Its `lang` (the name is written in it) and `hreflang` (the page linked is in it).
    pub lang: &'static str,
    pub hreflang: &'static str,
    /// The same page in that language's tree.
    pub href: String,
    /// The page's own language: shown, not linked.
    pub current: bool,
}

/// A `<link rel="alternate" hreflang="…" href="…">` of the page's head.
#[derive(Serialize)]
pub(crate) struct Alternate {
    pub hreflang: &'static str,
    /// Absolute, as search engines require.
    pub href: String,
}

/// A date as pages show it: `2024年8月1日`, with the ISO form for `<time datetime>`.
#[derive(Serialize)]
pub(crate) struct DateView {
    pub iso: String,
    pub label: String,
}

impl DateView {
    /// The date in Japanese (2024年8月1日).
    pub(crate) fn new(date: crate::date::Date) -> DateView {
        DateView::of(crate::fiscal::words::japanese(), date)
    }

    /// The date in `ui`'s language: 2024年8月1日 / 1 August 2024 / 2024ねん8がつ1にち.
    pub(crate) fn of(ui: &Ui, date: crate::date::Date) -> DateView {
        DateView {
            iso: date.to_string(),
            label: date.label_in(ui),
        }
    }
}

/// The plan period in the words of `ui`: as [`crate::model::Plan::period_label`] prints it in
/// Japanese (each end in the era the plan wrote it in), `FY2022–FY2025` in English.
pub(crate) fn period_label_in(plan: &crate::model::Plan, ui: &crate::interface::Ui) -> String {
    if ui.language() == crate::language::Language::Japanese {
        return plan.period_label();
    }
    ui.fill(
        "chrome.period_range",
        &[
            ("start", &crate::fiscal::words::year(ui, plan.period.start)),
            ("end", &crate::fiscal::words::year(ui, plan.period.end)),
        ],
    )
}

/// `html` inside `<span lang="…">` when `lang` says it is in another language than the page.
fn marked(html: String, lang: Option<&str>) -> String {
    match lang {
        Some(lang) => format!("<span lang=\"{lang}\">{html}</span>"),
        None => html,
    }
}

impl Chrome {
    pub(crate) fn new(
        site: &Site,
        ui: &crate::interface::Ui,
        route: &Route,
        depth: usize,
        stylesheet_version: &str,
        site_updated: crate::date::Date,
    ) -> Chrome {
        let rel = |to: &str| url::relative_from_depth(depth, to);
        // The theme's files are written once, at the site root, and shared by every plan.
        let root_rel = |to: &str| url::relative_from_depth(depth + site.prefix_depth(), to);
        let page_lang = |p: &crate::model::Page| lang_of(site, &format!("page.{}.title", p.slug));
        // The activity plans come third, and only on sites that have them.
        let activity = (!site.activity.is_empty())
            .then(|| (ui.plain("nav.activity"), Route::activity(), None));
        // The plan's own chapters that ask for it (`main_nav: true`) follow ホーム, in their
        // order, as a printed plan's chapters precede its measures.
        let chapters = (site.pages.iter())
            .filter(|p| p.main_nav)
            .map(|p| (p.title.clone(), Route::page(&p.slug), page_lang(p)));
        let nav: Vec<NavItem> = std::iter::once((ui.plain("nav.home"), Route::home(), None))
            .chain(chapters)
            .chain(
                [
                    Some((ui.plain("nav.measures"), Route::measures(), None)),
                    activity,
                    site.has_departments()
                        .then(|| (ui.plain("nav.departments"), Route::departments(), None)),
                    Some((ui.plain("nav.glossary"), Route::glossary(), None)),
                    Some((ui.plain("nav.open_data"), Route::data(), None)),
                ]
                .into_iter()
                .flatten(),
            )
            .map(|(label, r, lang)| NavItem {
                label,
                href: rel(r.as_str()),
                current: &r == route,
                lang,
            })
            .collect();
        let page_nav = site
            .pages
            .iter()
            .map(|p| {
                let r = Route::page(&p.slug);
                NavItem {
                    label: p.title.clone(),
                    href: rel(r.as_str()),
                    current: &r == route,
                    lang: page_lang(p),
                }
            })
            .collect();
        let esc = crate::text::escape_html;
        let city_lang = lang_of(site, "plan.city");
        let period_label = period_label_in(&site.plan, ui);
        let canonical = route.absolute(&site.config.base_url);
        let ended_notice = (site.plan.ended && route != &Route::home()).then(|| {
            let entry = (site.plan_list.iter()).find(|p| p.current && p.prefix != site.prefix);
            let current = entry.map(|p| Link {
                label: p.title.clone(),
                href: root_rel(&p.prefix),
            });
            let mut html = ui.fill_html("chrome.ended_notice", &[("period", &period_label)]);
            if let (Some(c), Some(p)) = (&current, entry) {
                let link = format!(
                    "<a href=\"{}\">{}</a>",
                    esc(&c.href),
                    marked(
                        esc(&c.label),
                        lang_of(site, &format!("plan.{}.title", p.slug))
                    )
                );
                html.push_str(&ui.fill_html_raw("chrome.ended_current", &[("plan", &link)]));
            }
            EndedNotice { current, html }
        });
        let footer = FooterText {
            phone: (site.config.contact.as_ref())
                .and_then(|c| c.phone.as_deref())
                .map(|phone| ui.fill_html("chrome.phone", &[("phone", phone)])),
            city_website: ui.fill_html_raw(
                "chrome.city_website",
                &[("city", &marked(esc(&site.config.city), city_lang))],
            ),
            plan_period: ui.fill_html("chrome.plan_period", &[("period", &period_label)]),
            page_url: Some(ui.fill_html("chrome.page_url", &[("url", &canonical)])),
        };
        let (languages, alternates) = language_links(site, route, depth);
        let plan_line_lang = city_lang.or(lang_of(site, "plan.title"));
        Chrome {
            lang: match site.language {
                crate::language::Language::Japanese => site.config.language.clone(),
                other => other.lang().to_string(),
            },
            site_title: site.config.title.clone(),
            site_title_lang: lang_of(site, "plan.site_title"),
            city: site.config.city.clone(),
            plan_title: site.plan.title.clone(),
            plan_line: site.plan_with_city("・"),
            plan_line_lang,
            site_title_html: site.title_html("plan.site_title", &site.config.title),
            plan_line_html: match site.title_names_city() {
                true => site.title_html("plan.title", &site.plan.title),
                false => format!(
                    "{}・{}",
                    crate::kpi::words::escape(&site.config.city),
                    site.title_html("plan.title", &site.plan.title)
                ),
            },
            revision: site.plan.revision.clone(),
            revision_note: site.plan.revision.as_ref().map(|r| {
                // Inside the plan line's own mark it needs none of its own.
                let lang = lang_of(site, "plan.revision").filter(|_| plan_line_lang.is_none());
                let revision = site.title_html("plan.revision", r);
                ui.fill_html_raw("chrome.revision", &[("revision", &marked(revision, lang))])
            }),
            home_href: rel(""),
            stylesheet: format!("{}?v={stylesheet_version}", root_rel("assets/style.css")),
            favicon: root_rel("assets/favicon.svg"),
            canonical: Some(canonical),
            search_href: (route != &Route::search()).then(|| rel(Route::search().as_str())),
            feed_href: rel(crate::render::feeds::FEED_FILE),
            feed_title: ui.fill("chrome.feed_title", &[("site", &site.config.title)]),
            nav,
            page_nav,
            contact: site.config.contact.clone(),
            contact_name: site.config.contact_name(),
            contact_name_lang: lang_of(site, "config.contact"),
            license: site.config.data_license.clone(),
            license_lang: lang_of(site, "config.license"),
            period_label,
            site_updated: DateView::of(ui, site_updated),
            ended_notice,
            footer,
            languages,
            alternates,
        }
    }
}

/// The switcher's entries and the head's alternates of the page at `route` (`depth` folders
/// below its plan): the same route in each language's tree, which mirrors the Japanese one
/// page for page. Both empty when the site has one language.
fn language_links(site: &Site, route: &Route, depth: usize) -> (Vec<LanguageLink>, Vec<Alternate>) {
    let languages = &site.config.languages;
    if languages.len() < 2 {
        return (Vec::new(), Vec::new());
    }
    // This plan's folder inside its language's tree (`ict-2018/`, or nothing).
    let plan_folder = (site.prefix)
        .strip_prefix(site.language.url_prefix())
        .unwrap_or(&site.prefix);
    let root_base = (site.config.base_url)
        .strip_suffix(site.prefix.as_str())
        .unwrap_or(&site.config.base_url);
    let path_in =
        |l: crate::language::Language| format!("{}{plan_folder}{}", l.url_prefix(), route.as_str());
    let links = (languages.iter())
        .map(|&l| LanguageLink {
            name: l.own_name(),
            lang: l.lang(),
            hreflang: l.hreflang(),
            href: url::relative_from_depth(depth + site.prefix_depth(), &path_in(l)),
            current: l == site.language,
        })
        .collect();
    let mut alternates: Vec<Alternate> = (languages.iter())
        .map(|&l| Alternate {
            hreflang: l.hreflang(),
            href: format!("{root_base}{}", path_in(l)),
        })
        .collect();
    alternates.push(Alternate {
        hreflang: "x-default",
        href: format!(
            "{root_base}{}",
            path_in(crate::language::Language::Japanese)
        ),
    });
    (links, alternates)
}

/// A measure in a list: enough to recognise it and see where it stands.
#[derive(Serialize)]
pub(crate) struct MeasureCard {
    pub id: String,
    pub title: String,
    pub href: String,
    /// The lead department, or the responsible departments' names; empty when the plan
    /// names none. Kept for themes written before [`MeasureCard::department`].
    pub lead_department: String,
    /// `主管部署: …` or `担当課: …、…`; `None` when the plan names no department.
    pub department: Option<String>,
    /// The responsible departments' names alone (`情報政策課`, `企画課、総務課`).
    pub department_names: Option<String>,
    pub lifecycle: Option<String>,
    pub latest: Vec<LatestResult>,
    /// `Some("ja")` when the title is shown in Japanese on a page in another language.
    pub title_lang: Option<&'static str>,
    /// The title with its furigana as `<ruby>` HTML, in the やさしい日本語 tree.
    pub title_ruby_html: Option<String>,
    /// [`MeasureCard::department`] as HTML, each department marked by its language.
    pub department_html: Option<String>,
}

/// The most recent reported actual of a KPI, beside that year's target.
#[derive(Serialize)]
pub(crate) struct LatestResult {
    pub indicator: String,
    /// `lang="ja"` when the indicator is shown in Japanese in another language's tree.
    pub indicator_lang: Option<&'static str>,
    pub year: String,
    pub target: Option<String>,
    /// [`LatestResult::target`] as HTML, Japanese content marked (see [`crate::kpi::words`]).
    pub target_html: Option<String>,
    pub actual: String,
    /// [`LatestResult::actual`] as HTML.
    pub actual_html: String,
    pub actual_provisional: bool,
    pub status: StatusView,
    /// The year's result in one sentence (see [`sentence::year_sentence`]).
    pub sentence: String,
    /// [`LatestResult::sentence`] as HTML.
    pub sentence_html: String,
}

/// A verdict as pages show it: always text and an icon shape, never colour alone.
#[derive(Serialize)]
pub(crate) struct StatusView {
    /// Stable key for CSS (`achieved`, `not-achieved` …).
    pub key: &'static str,
    pub label: String,
    /// Decorative inline SVG (hidden from screen readers; the label says it).
    pub icon: String,
    /// 達成率, shown as computed (not capped).
    pub rate: Option<String>,
    /// The rate in the page's words: 達成率 107% / "107% of target".
    pub rate_text: Option<String>,
    /// Per-label rates of a series, the author's declaration, or why it cannot be judged.
    pub detail: Option<String>,
    /// [`StatusView::detail`] as HTML, a series label marked Japanese in another language's
    /// tree.
    pub detail_html: Option<String>,
    pub provisional: bool,
}

/// The verdict of `k` in `year` as pages show it, named in the words of
/// [`sentence::status_said`].
pub(crate) fn kpi_status_view(ui: &Ui, k: &Kpi, year: FiscalYear, rules: &Rules) -> StatusView {
    let j = achievement::judge(k, year, rules);
    StatusView {
        label: sentence::status_said(&Voice::new(ui), k, year, &j, rules).plain,
        ..status_view(ui, &j, rules)
    }
}

/// A series label as the status detail names it: keikaku's own 「2番目」 in the table's
/// words, the author's label as written (marked Japanese in another language's tree).
fn series_label(v: &Voice, label: &str) -> Said {
    match label.strip_suffix("番目") {
        Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            v.fill("kpi.nth", &[("n", &v.literal(n))])
        }
        _ => v.content(label),
    }
}

pub(crate) fn status_view(ui: &Ui, j: &Judgement, rules: &Rules) -> StatusView {
    let v = Voice::new(ui);
    let rate = j
        .rate
        .map(|r| achievement::format_rate(r, j.status == Status::Achieved));
    let mut details: Vec<Said> = Vec::new();
    if !j.series.is_empty() {
        // Per-label verdicts only when they differ; otherwise the overall verdict says it.
        let mixed = j.series.iter().any(|s| s.status != j.status);
        let parts: Vec<Said> = j
            .series
            .iter()
            .map(|s| {
                let verdict = if mixed {
                    v.fill(
                        "kpi.rate_detail_status",
                        &[("status", &v.literal(&s.status.word(ui, rules)))],
                    )
                } else {
                    Said::default()
                };
                let label = series_label(&v, &s.label);
                let value = match s.rate {
                    Some(r) => v.concat(
                        &v.literal(&achievement::format_rate(r, s.status == Status::Achieved)),
                        &verdict,
                    ),
                    None => v.literal(&s.status.word(ui, rules)),
                };
                v.join(&[label, value], &v.literal(" "))
            })
            .collect();
        let rates = v.join(&parts, &v.word("kpi.say_series_separator"));
        details.push(v.fill("kpi.rate_detail", &[("rates", &rates)]));
    }
    if let Some(p) = j.progress {
        let rate = v.literal(&achievement::format_rate(p, p >= 1.0));
        details.push(v.fill("kpi.progress_from_baseline", &[("rate", &rate)]));
    }
    if j.basis == Basis::Declared {
        details.push(v.word("kpi.judged_by_department"));
    }
    if j.approximate {
        details.push(v.literal(&achievement::approximate_word(ui)));
    }
    if let Some(r) = j.reason {
        details.push(v.literal(&achievement::reason_word(ui, r)));
    }
    let detail = (!details.is_empty()).then(|| v.join(&details, &v.word("kpi.detail_separator")));
    StatusView {
        key: j.status.key(),
        label: j.status.word(ui, rules),
        icon: icons::html(j.status),
        rate_text: rate
            .as_ref()
            .map(|r| ui.fill("achievement.rate", &[("rate", r)])),
        rate,
        detail_html: detail.as_ref().map(|d| d.html.clone()),
        detail: detail.map(|d| d.plain),
        provisional: j.provisional,
    }
}

pub(crate) fn measure_card(
    ui: &Ui,
    site: &Site,
    m: &Measure,
    from: &Route,
    rules: &Rules,
) -> MeasureCard {
    MeasureCard {
        latest: m
            .kpis
            .iter()
            .filter_map(|k| latest_result(ui, site, m, k, rules))
            .collect(),
        lifecycle: lifecycle_label(ui, m),
        ..brief_card(ui, m, from)
    }
}

/// A card without the latest results, for lists too long to judge and show every KPI in
/// (the search page's list, the measures index of a large plan).
pub(crate) fn brief_card(ui: &Ui, m: &Measure, from: &Route) -> MeasureCard {
    MeasureCard {
        id: m.id.clone(),
        title: m.title.clone(),
        href: url::relative(from, Route::measure(&m.id).as_str()),
        department: m.responsibility_label(),
        lead_department: m.responsible().collect::<Vec<_>>().join("、"),
        department_names: Some(m.responsible().collect::<Vec<_>>().join("、"))
            .filter(|names| !names.is_empty()),
        lifecycle: lifecycle_label(ui, m),
        latest: Vec::new(),
        title_lang: None,
        title_ruby_html: None,
        department_html: None,
    }
}

/// The path of a KPI's indicator among the texts a translation gives
/// ([`crate::model::Translated`]).
fn indicator_path(m: &Measure, k: &Kpi) -> String {
    format!("measure.{}.kpi.{}.indicator", m.id, k.number)
}

fn latest_result(
    ui: &Ui,
    site: &Site,
    m: &Measure,
    k: &Kpi,
    rules: &Rules,
) -> Option<LatestResult> {
    let (year, actual) = k.actual.iter().rev().find(|(_, c)| !c.is_blank())?;
    let v = Voice::new(ui);
    let target = k
        .target
        .get(year)
        .filter(|c| !c.is_blank())
        .and_then(|c| v.cell(c));
    let actual_said = v.cell(actual).unwrap_or_default();
    let sentence = sentence::year_said(&v, k, *year, rules);
    Some(LatestResult {
        status: kpi_status_view(ui, k, *year, rules),
        sentence: sentence.plain,
        sentence_html: sentence.html,
        actual_provisional: actual.provisional,
        indicator: k
            .indicator
            .get(year)
            .cloned()
            .unwrap_or_else(|| k.current_indicator().to_string()),
        indicator_lang: lang_of(site, &indicator_path(m, k)),
        year: years::year(ui, *year),
        target_html: target.as_ref().map(|t| t.html.clone()),
        target: target.map(|t| t.plain),
        actual: actual_said.plain,
        actual_html: actual_said.html,
    })
}

pub(crate) fn lifecycle_label(ui: &Ui, m: &Measure) -> Option<String> {
    match (m.added, m.completed) {
        (_, Some(done)) => {
            Some(ui.fill("measure.completed_in", &[("year", &years::year(ui, done))]))
        }
        (Some(start), None) => Some(ui.fill(
            "measure.from_year_started",
            &[("year", &years::year(ui, start))],
        )),
        (None, None) => None,
    }
}

#[derive(Serialize)]
pub(crate) struct KpiView {
    pub number: usize,
    pub number_label: String,
    pub caption: String,
    /// `lang="ja"` when the indicator (the caption) is shown in Japanese in another
    /// language's tree.
    pub caption_lang: Option<&'static str>,
    /// How the latest reported year went, shown under the heading (see
    /// [`sentence::key_message`]).
    pub key_message: String,
    /// [`KpiView::key_message`] as HTML, Japanese content marked.
    pub key_message_html: String,
    pub unit: Option<String>,
    /// The unit in the page's language when the `units:` table knows it, else as written
    /// (with `unit_lang`).
    pub unit_shown: Option<String>,
    pub unit_lang: Option<&'static str>,
    pub indicator_changed: bool,
    pub baseline: Option<String>,
    /// [`KpiView::baseline`] as HTML in the page's language.
    pub baseline_html: Option<String>,
    /// The line under the heading, as HTML: 基準値: 30% / "Baseline: 30%".
    pub baseline_line: Option<String>,
    /// The table's caption as HTML: 成果目標①の目標・実績と達成状況（単位: 件）.
    pub table_caption_html: String,
    pub rows: Vec<KpiRow>,
    pub notes_html: Option<String>,
    /// `lang="ja"` when the notes are shown in Japanese in another language's tree.
    pub notes_lang: Option<&'static str>,
    /// 少ないほど良い, for lower-is-better KPIs.
    pub direction_label: Option<String>,
    /// 累計 / 単年度, when declared.
    pub aggregation_label: Option<String>,
    /// The two badges as the page's language words them (少ないほど良い指標 / "lower is
    /// better"; 累計の値 / "cumulative value").
    pub direction_badge: Option<String>,
    pub aggregation_badge: Option<String>,
    /// Whether either label above is shown.
    pub has_tags: bool,
    pub chart: Option<ChartView>,
}

#[derive(Serialize)]
pub(crate) struct KpiRow {
    pub year: String,
    pub year_long: String,
    pub indicator: String,
    /// `lang="ja"` when that year's indicator is shown in Japanese in another language's tree.
    pub indicator_lang: Option<&'static str>,
    pub target: CellView,
    pub actual: CellView,
    pub status: StatusView,
}

/// A KPI cell as shown: the author's text, or for a cell without a value the one word of
/// [`Blank`] (未報告, 該当なし, 目標なし) that screen readers also hear, so that eyes and ears get
/// the same word.
#[derive(Serialize)]
pub(crate) struct CellView {
    pub text: String,
    /// [`CellView::text`] as HTML in the page's language: a value re-worded ("at least 80%"),
    /// Japanese content marked `lang="ja"` (see [`crate::kpi::words`]). In the Japanese tree,
    /// the text escaped.
    pub html: String,
    /// The text is a [`Blank`] word rather than the author's value (shown muted).
    pub blank: bool,
    /// The author's `-` or `_` behind 該当なし, shown beside the word (pages always show
    /// what was written) but not read out, since the word already says it.
    pub marker: Option<String>,
    /// The marker in its brackets, as HTML: （-）.
    pub marker_html: Option<String>,
    pub provisional: bool,
    /// How a target was revised: 「令和6年8月改訂で40,000千円から60,000千円に」, oldest first
    /// (never 「→」, which screen readers read out as an arrow).
    pub changes: Vec<String>,
}

impl CellView {
    fn of(v: &Voice, cell: Option<&Cell>, blank: Option<Blank>) -> CellView {
        let value = cell.filter(|_| blank.is_none());
        let said = match value {
            Some(c) => v.cell(c).unwrap_or_default(),
            None => blank.map_or_else(Said::default, |b| v.word(b.key())),
        };
        CellView {
            text: said.plain,
            html: said.html,
            blank: value.is_none(),
            marker: cell
                .filter(|c| matches!(c.value, CellValue::NotApplicable { .. }))
                .map(|c| c.display().to_string()),
            marker_html: cell
                .filter(|c| matches!(c.value, CellValue::NotApplicable { .. }))
                .map(|c| {
                    v.fill("kpi.marker", &[("marker", &v.content(c.display()))])
                        .html
                }),
            provisional: value.is_some_and(|c| c.provisional),
            changes: Vec::new(),
        }
    }

    /// A target cell: 目標なし when nothing is written, 該当なし for `-`.
    pub(crate) fn target(v: &Voice, cell: Option<&Cell>) -> CellView {
        CellView::of(v, cell, Blank::of_target(cell))
    }

    /// An actual cell: 未報告 when nothing is written, 該当なし for `-`.
    pub(crate) fn actual(v: &Voice, cell: Option<&Cell>) -> CellView {
        CellView::of(v, cell, Blank::of_actual(cell))
    }
}

/// The revisions of one year's target, as shown under it (HTML: the revision's name and
/// reason are the plan's text, marked Japanese in another language's tree).
fn target_changes(v: &Voice, k: &Kpi, year: FiscalYear) -> Vec<String> {
    let shown = |c: &Cell| match Blank::of_target(Some(c)) {
        Some(b) => v.word(b.key()),
        None => v.cell(c).unwrap_or_default(),
    };
    k.target_history(year)
        .iter()
        .map(|c| {
            let change = v.fill(
                "kpi.target_revised",
                &[
                    ("revision", &v.revision(c.revision)),
                    ("before", &shown(c.before)),
                    ("after", &shown(c.after)),
                ],
            );
            match c.reason {
                Some(r) => {
                    v.fill(
                        "kpi.target_revised_because",
                        &[("change", &change), ("reason", &v.content(r))],
                    )
                    .html
                }
                None => change.html,
            }
        })
        .collect()
}

pub(crate) use crate::kpi::sentence::circled;

/// The number of a KPI as headings name it: 成果目標① / "KPI ①" / もくひょう①.
pub(crate) fn kpi_number_label(ui: &Ui, number: usize) -> String {
    ui.fill("kpi.number", &[("number", &circled(number))])
}

/// The unit of a KPI as its table caption shows it: the `units:` table's word, or the unit as
/// written with `lang="ja"` outside the Japanese tree.
fn unit_shown(ui: &Ui, unit: &str) -> (String, Option<&'static str>) {
    let word = crate::kpi::words::unit_word(ui, unit);
    let lang = (ui.language() != crate::language::Language::Japanese
        && crate::kpi::words::has_japanese(&word))
    .then_some("ja");
    (word, lang)
}

#[allow(clippy::too_many_arguments)] // the page's parts, each needed once
pub(crate) fn kpi_view(
    ui: &Ui,
    site: &Site,
    m: &Measure,
    k: &Kpi,
    years: &[FiscalYear],
    rules: &Rules,
    chart: Option<ChartView>,
    terms: &mut PageTerms,
) -> KpiView {
    let v = Voice::new(ui);
    let direction_label =
        (k.direction == Direction::Lower).then(|| ui.plain("kpi.direction_lower"));
    let aggregation_label = k
        .aggregation
        .map(|a| ui.plain(sentence::aggregation_key(a)));
    let direction_badge = direction_label
        .as_ref()
        .map(|d| ui.fill("kpi.direction_badge", &[("direction", d)]));
    let aggregation_badge = aggregation_label
        .as_ref()
        .map(|a| ui.fill("kpi.aggregation_badge", &[("aggregation", a)]));
    let key_message = sentence::key_message_said(&v, k, years, rules);
    let baseline = k.baseline.as_ref().and_then(|c| v.cell(c));
    let (unit_shown, unit_lang) = match k.unit.as_deref().map(|u| unit_shown(ui, u)) {
        Some((word, lang)) => (Some(word), lang),
        None => (None, None),
    };
    let indicator_lang = lang_of(site, &indicator_path(m, k));
    let number_label = kpi_number_label(ui, k.number);
    let mut table_caption = v.fill(
        "kpi.table_caption",
        &[("number", &v.literal(&number_label))],
    );
    if let Some(word) = &unit_shown {
        let unit = match unit_lang {
            Some(_) => v.content(word),
            None => v.literal(word),
        };
        let part = v.fill("kpi.unit", &[("unit", &unit)]);
        table_caption = v.concat(&table_caption, &part);
    }
    let table_caption_html = table_caption.html;
    KpiView {
        number: k.number,
        number_label,
        caption: k.current_indicator().to_string(),
        caption_lang: indicator_lang,
        key_message: key_message.plain,
        key_message_html: key_message.html,
        unit: k.unit.clone(),
        unit_shown,
        unit_lang,
        indicator_changed: k.indicator_changed(),
        baseline: k.baseline.as_ref().map(|c| c.display().to_string()),
        baseline_line: baseline
            .as_ref()
            .map(|b| v.fill("kpi.baseline", &[("value", b)]).html),
        baseline_html: baseline.map(|b| b.html),
        table_caption_html,
        rows: years
            .iter()
            .map(|y| KpiRow {
                year: years::year(ui, *y),
                year_long: years::year_long(ui, *y),
                indicator: k.indicator.get(y).cloned().unwrap_or_default(),
                indicator_lang,
                target: CellView {
                    changes: target_changes(&v, k, *y),
                    ..CellView::target(&v, k.target.get(y))
                },
                actual: CellView::actual(&v, k.actual.get(y)),
                status: kpi_status_view(ui, k, *y, rules),
            })
            .collect(),
        notes_html: k
            .notes
            .as_deref()
            .map(|n| markdown::to_html_with_terms(n, 4, terms, site.config.raw_html)),
        notes_lang: lang_of(site, &format!("measure.{}.kpi.{}.notes", m.id, k.number)),
        has_tags: direction_label.is_some() || aggregation_label.is_some(),
        direction_label,
        aggregation_label,
        direction_badge,
        aggregation_badge,
        chart,
    }
}

/// The status counts of a set of KPIs per fiscal year, as a table beside the summary chart.
#[derive(Serialize)]
pub(crate) struct SummaryView {
    pub chart: ChartView,
    /// The table's caption in the page's language.
    pub caption: String,
    pub total: usize,
    pub years: Vec<String>,
    pub rows: Vec<SummaryRow>,
}

#[derive(Serialize)]
pub(crate) struct SummaryRow {
    pub key: &'static str,
    pub label: String,
    pub icon: String,
    pub counts: Vec<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fiscal::ByYear;
    use crate::language::Language;

    fn kpi(target: &str, actual: &str) -> Kpi {
        let year = FiscalYear::from_western(2024);
        let mut indicator = ByYear::new();
        indicator.insert(year, "電子申請の利用率".to_string());
        let mut targets = ByYear::new();
        targets.insert(year, Cell::parse(target).unwrap());
        let mut actuals = ByYear::new();
        actuals.insert(year, Cell::parse(actual).unwrap());
        Kpi {
            number: 1,
            indicator,
            unit: None,
            baseline: None,
            target: targets,
            actual: actuals,
            notes: None,
            revisions: Vec::new(),
            direction: Direction::Higher,
            aggregation: None,
            achieved: ByYear::new(),
        }
    }

    /// (year, target, actual, verdict, rate) of the KPI's row in `language`.
    fn row(language: Language, k: &Kpi) -> (String, String, String, String, Option<String>) {
        let ui = Ui::default_for(language);
        let v = Voice::new(&ui);
        let year = FiscalYear::from_western(2024);
        let status = kpi_status_view(&ui, k, year, &Rules::default());
        (
            years::year(&ui, year),
            CellView::target(&v, k.target.get(&year)).html,
            CellView::actual(&v, k.actual.get(&year)).html,
            status.label,
            status.rate_text,
        )
    }

    #[test]
    fn the_same_kpi_row_in_three_languages() {
        let k = kpi("80%以上", "85%");
        assert_eq!(
            row(Language::Japanese, &k),
            (
                "令和6年度".into(),
                "80%以上".into(),
                "85%".into(),
                "達成".into(),
                Some("達成率 106%".into())
            )
        );
        assert_eq!(
            row(Language::English, &k),
            (
                "FY2024".into(),
                "at least 80%".into(),
                "85%".into(),
                "Met".into(),
                Some("106% of target".into())
            )
        );
        let (year, target, _, verdict, _) = row(Language::EasyJapanese, &k);
        assert_eq!(year, "れいわ6ねんど（2024ねんど）");
        assert_eq!(target, "80%いじょう");
        assert_eq!(verdict, "たっせい");
    }

    #[test]
    fn a_unit_the_table_lacks_and_words_stay_japanese_and_marked() {
        let k = kpi("7俵", "整備完了");
        let (_, target, actual, _, _) = row(Language::English, &k);
        assert_eq!(target, "7 <span lang=\"ja\">俵</span>");
        assert_eq!(actual, "<span lang=\"ja\">整備完了</span>");
        let (_, target, actual, _, _) = row(Language::Japanese, &k);
        assert_eq!((target.as_str(), actual.as_str()), ("7俵", "整備完了"));
        let ui = Ui::default_for(Language::English);
        assert_eq!(unit_shown(&ui, "件"), ("cases".to_string(), None));
        assert_eq!(unit_shown(&ui, "俵"), ("俵".to_string(), Some("ja")));
    }
}
