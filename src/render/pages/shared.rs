//! View pieces that several page kinds show: the policies with their measures (home page,
//! measures index), the status summary of a set of KPIs (home and policy pages) and the
//! pager to the previous and next page of a kind.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::fiscal::{Era, FiscalYear};
use crate::glossary::PageTerms;
use crate::interface::Ui;
use crate::kpi::achievement;
use crate::language::Language;
use crate::markdown;
use crate::model::{Kpi, Measure, Policy, Site};
use crate::output::Output;
use crate::render::charts;
use crate::render::view::{
    brief_card, fallback_block, lang_of, measure_card, DateView, Link, MeasureCard, SummaryRow,
    SummaryView,
};
use crate::url::{self, Route};

/// The pages that gather every measure of the plan — the home page and the measures index —
/// show each measure's card with its latest results while the plan has at most this many
/// measures (a city's plan has 30–100). Beyond that the home page gives each policy's count
/// and a link to the policy page, and the index lists each measure by ID, title and
/// department only: at ten thousand measures the full cards were 16.6 MB per page, which a
/// phone must load before it shows anything. Policy and measure pages always show results.
pub const CARD_LIMIT: usize = 100;

/// How much of each measure a page that gathers them all shows (see [`CARD_LIMIT`]).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cards {
    /// Cards with the latest results of each KPI.
    Full,
    /// Cards without results.
    Brief,
    /// Only the number of measures per policy.
    Count,
}

impl Cards {
    /// [`Cards::Full`] up to [`CARD_LIMIT`] measures, `large` beyond.
    pub(crate) fn for_site(site: &Site, large: Cards) -> Cards {
        match site.measures.len() <= CARD_LIMIT {
            true => Cards::Full,
            false => large,
        }
    }
}

/// A policy with its measures, as the home page and the measures index list it.
#[derive(Serialize)]
pub(crate) struct PolicyBlock {
    number: u32,
    title: String,
    /// `Some("ja")` when the title is shown in Japanese on a page in another language.
    title_lang: Option<&'static str>,
    /// 「方針1 …」 as the block's heading shows it (the title marked by its language, with
    /// furigana in the やさしい日本語 tree).
    heading_html: String,
    /// 「方針1の施策（3件）を見る」, the link where only the count is shown.
    more_html: String,
    href: String,
    /// The summary, with the note that it is in Japanese only where it is.
    summary_html: String,
    measure_count: usize,
    /// Whether the policy has measures to link to where only the count is shown.
    has_measures: bool,
    /// Empty when the page shows only the count ([`Cards::Count`]).
    measures: Vec<MeasureCard>,
}

impl PolicyBlock {
    /// Whether the block lists any measure (a page of a long listing leaves out the rest).
    pub(crate) fn has_measures(&self) -> bool {
        self.has_measures
    }
}

/// Every policy of the plan for a page at `from`, its summary linked through `terms`.
pub(crate) fn policy_blocks(
    site: &Site,
    ui: &Ui,
    from: &Route,
    terms: &mut PageTerms,
    cards: Cards,
) -> Vec<PolicyBlock> {
    policy_blocks_of(site, ui, &site.measures, from, terms, cards)
}

/// 「方針1 …」: the policy's label and title, the title marked by its language and with its
/// furigana in the やさしい日本語 tree.
pub(crate) fn policy_heading_html(site: &Site, ui: &Ui, p: &Policy) -> String {
    let lang = lang_of(site, &format!("policy.{}.title", p.number));
    let title = title_html(site, &p.title, p.title_ruby.as_deref(), lang);
    ui.fill_html_raw(
        "policy.title",
        &[("number", &p.number.to_string()), ("title", &title)],
    )
}

/// 「方針1 …」 as plain text, for `<title>`, breadcrumbs and link labels.
pub(crate) fn policy_heading(ui: &Ui, p: &Policy) -> String {
    ui.fill(
        "policy.title",
        &[("number", &p.number.to_string()), ("title", &p.title)],
    )
}

/// The policies of the plan with those of `measures` that are theirs: one page of a listing
/// that runs to several.
pub(crate) fn policy_blocks_of(
    site: &Site,
    ui: &Ui,
    measures: &[Measure],
    from: &Route,
    terms: &mut PageTerms,
    cards: Cards,
) -> Vec<PolicyBlock> {
    let card = |m: &Measure| card(site, ui, m, from, cards == Cards::Full);
    site.plan
        .policies
        .iter()
        .map(|p| {
            let of_policy = || measures.iter().filter(|m| m.policy == Some(p.number));
            let measure_count = of_policy().count();
            let summary_html =
                markdown::to_html_with_terms(&p.summary, 4, terms, site.config.raw_html);
            PolicyBlock {
                number: p.number,
                title: p.title.clone(),
                title_lang: lang_of(site, &format!("policy.{}.title", p.number)),
                heading_html: policy_heading_html(site, ui, p),
                more_html: ui.fill_html(
                    "home.policy_more",
                    &[
                        ("number", &p.number.to_string()),
                        ("count", &measure_count.to_string()),
                    ],
                ),
                href: url::relative(from, Route::policy(p.number).as_str()),
                summary_html: block(
                    ui,
                    summary_html,
                    lang_of(site, &format!("policy.{}.summary", p.number)),
                ),
                measure_count,
                has_measures: measure_count > 0,
                measures: match cards {
                    Cards::Count => Vec::new(),
                    Cards::Full | Cards::Brief => of_policy().map(card).collect(),
                },
            }
        })
        .collect()
}

/// The measures of a plan without policies, listed directly (the home page and the measures
/// index); empty for a plan with policies, whose measures are in [`policy_blocks`].
pub(crate) fn unsorted_cards(site: &Site, ui: &Ui, from: &Route, cards: Cards) -> Vec<MeasureCard> {
    unsorted_cards_of(site, ui, &site.measures, from, cards)
}

/// [`unsorted_cards`] of `measures` only: one page of a listing that runs to several.
pub(crate) fn unsorted_cards_of(
    site: &Site,
    ui: &Ui,
    measures: &[Measure],
    from: &Route,
    cards: Cards,
) -> Vec<MeasureCard> {
    if !site.plan.policies.is_empty() {
        return Vec::new();
    }
    (measures.iter())
        .map(|m| card(site, ui, m, from, cards == Cards::Full))
        .collect()
}

/// The status summary (chart and table) of the KPIs of `measures`, for a page at `route`,
/// and the chart's file; `None` when they have no KPIs.
pub(crate) fn summary<'a>(
    site: &Site,
    ui: &Ui,
    measures: impl Iterator<Item = &'a Measure>,
    scope: &str,
    route: &Route,
) -> Option<(SummaryView, Output)> {
    let kpis: Vec<&Kpi> = measures.flat_map(|m| m.kpis.iter()).collect();
    if kpis.is_empty() {
        return None;
    }
    let rules = &site.config.achievement;
    let counts: BTreeMap<_, _> = site
        .plan
        .period
        .years()
        .into_iter()
        .map(|y| (y, achievement::count(kpis.iter().copied(), y, rules)))
        .collect();
    let (rendered, title, _) =
        charts::summary::render(ui, &counts, kpis.len(), rules, "summary-chart", scope);
    let (chart, file) = charts::publish(ui, rendered, title, route.as_str(), "summary.svg");
    let rows = charts::summary::shown_statuses(&counts, rules)
        .into_iter()
        .map(|s| SummaryRow {
            key: s.key(),
            label: crate::kpi::sentence::summary_word_in(ui, s, rules),
            icon: charts::icons::html(s),
            counts: counts
                .values()
                .map(|c| c.get(&s).copied().unwrap_or(0))
                .collect(),
        })
        .collect();
    let view = SummaryView {
        chart,
        caption: ui.fill("kpi.summary_caption", &[("count", &kpis.len().to_string())]),
        total: kpis.len(),
        years: counts
            .keys()
            .map(|y| crate::fiscal::words::year(ui, *y))
            .collect(),
        rows,
    };
    Some((view, file))
}

/// Links to the previous and next page of a kind, flattened into the page's view.
#[derive(Serialize)]
pub(crate) struct Pager {
    prev: Option<Link>,
    next: Option<Link>,
    /// Whether there is either, and so a pager to show.
    has_pager: bool,
    /// `Some("ja")` when the label of `prev` or `next` is shown in Japanese on a page in
    /// another language.
    prev_lang: Option<&'static str>,
    next_lang: Option<&'static str>,
}

impl Pager {
    /// The pager of item `index` of a list, given the link to any item of it and the
    /// `lang` of its label.
    pub(crate) fn of(
        index: usize,
        link: impl Fn(usize) -> Option<(Link, Option<&'static str>)>,
    ) -> Pager {
        let (prev, prev_lang) = index.checked_sub(1).and_then(&link).unzip();
        let (next, next_lang) = link(index + 1).unzip();
        Pager {
            has_pager: prev.is_some() || next.is_some(),
            prev,
            next,
            prev_lang: prev_lang.flatten(),
            next_lang: next_lang.flatten(),
        }
    }
}

/// `text` escaped exactly as the templates escape what they print (`{{ x }}`), so that a
/// sentence the page code puts together reads the same as the one the template used to.
pub(crate) fn escape(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    // Writing to a `Vec` cannot fail.
    let _ = tera::escape_html(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// A text of the content as HTML: escaped, inside `<span lang="ja">` when `lang` says it is
/// shown in Japanese on a page in another language (`view::lang_of`).
pub(crate) fn text_html(text: &str, lang: Option<&str>) -> String {
    lang_span(escape(text), lang)
}

/// `html` inside `<span lang="…">` when `lang` is set.
fn lang_span(html: String, lang: Option<&str>) -> String {
    match lang {
        Some(lang) => format!("<span lang=\"{lang}\">{html}</span>"),
        None => html,
    }
}

/// A title written with furigana (`title_ruby`), as HTML with `<ruby>`: only in the
/// やさしい日本語 tree, whose readers the furigana are for. `None` elsewhere, and for a title
/// without furigana; the plain title is then all there is.
pub(crate) fn ruby_title(site: &Site, ruby: Option<&str>) -> Option<String> {
    ruby.filter(|_| site.language == Language::EasyJapanese)
        .map(crate::ruby::to_html)
}

/// A title as a heading or a link shows it: with its furigana in the やさしい日本語 tree
/// ([`ruby_title`]), else escaped; marked `lang="ja"` when shown in Japanese elsewhere.
pub(crate) fn title_html(
    site: &Site,
    title: &str,
    ruby: Option<&str>,
    lang: Option<&str>,
) -> String {
    match ruby_title(site, ruby) {
        Some(html) => lang_span(html, lang),
        None => text_html(title, lang),
    }
}

/// A block of content (Markdown HTML) as the page shows it: as it is when it is in the
/// page's language, else with the note that it is in Japanese only (`view::fallback_block`).
pub(crate) fn block(ui: &Ui, html: String, lang: Option<&str>) -> String {
    match lang {
        Some(_) => fallback_block(ui, &html),
        None => html,
    }
}

/// The `lang` of a text of the content that no translation path names (another plan's
/// titles where this plan cannot see that plan's translations, the site's contact): Japanese
/// in the English tree when the text has Japanese letters. The やさしい日本語 tree is `lang="ja"`
/// as a whole, so nothing there needs the mark.
pub(crate) fn untraced_lang(site: &Site, text: &str) -> Option<&'static str> {
    (site.language == Language::English && text.chars().any(is_japanese_letter)).then_some("ja")
}

/// Kana, kanji and the full-width forms Japanese text uses (the same test as
/// tests/languages_pages.rs).
fn is_japanese_letter(c: char) -> bool {
    matches!(u32::from(c),
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// The `lang` of a text of the plan at `prefix` (this one or another of the site), by its
/// translation path there; [`untraced_lang`] when this plan does not hold that plan.
pub(crate) fn lang_in_plan(
    site: &Site,
    prefix: &str,
    path: &str,
    text: &str,
) -> Option<&'static str> {
    match site.plans().into_iter().find(|p| p.prefix == prefix) {
        Some(plan) => lang_of(plan, path),
        None => untraced_lang(site, text),
    }
}

/// A fiscal year in the page's language: 令和6年度, FY2024, れいわ6ねんど（2024ねんど）.
/// The Japanese tree keeps [`FiscalYear::label`].
pub(crate) fn year_label(ui: &Ui, year: FiscalYear) -> String {
    if ui.language() == Language::Japanese {
        return year.label();
    }
    let era = match year.era() {
        Some(Era::Reiwa) => ui.plain("era.reiwa"),
        Some(Era::Heisei) => ui.plain("era.heisei"),
        None => ui.plain("era.showa"),
    };
    let era_year = match year.year_in_era() {
        Some(1) => ui.plain("format.era_first_year"),
        Some(n) => n.to_string(),
        None => String::new(),
    };
    ui.fill(
        "format.fiscal_year",
        &[
            ("era", &era),
            ("era_year", &era_year),
            ("western", &year.western().to_string()),
        ],
    )
}

/// A year of the plan as its tables print it: in the era the plan wrote its period in
/// (`Plan::year_label`) in the Japanese tree, [`year_label`] in the others.
pub(crate) fn plan_year_label(site: &Site, ui: &Ui, year: FiscalYear) -> String {
    match ui.language() {
        Language::Japanese => site.plan.year_label(year),
        _ => year_label(ui, year),
    }
}

/// The plan period in the page's language (`Plan::period_label` in Japanese).
pub(crate) fn period_label(site: &Site, ui: &Ui) -> String {
    match ui.language() {
        Language::Japanese => site.plan.period_label(),
        _ => ui.fill(
            "home.period_range",
            &[
                ("start", &year_label(ui, site.plan.period.start)),
                ("end", &year_label(ui, site.plan.period.end)),
            ],
        ),
    }
}

/// When a related department takes part, in the page's language (`view::period_label`).
pub(crate) fn part_period(
    ui: &Ui,
    since: Option<FiscalYear>,
    until: Option<FiscalYear>,
) -> Option<String> {
    let year = |y| year_label(ui, y);
    match (since, until) {
        (None, None) => None,
        (Some(s), None) => Some(ui.fill("measure.from_year", &[("year", &year(s))])),
        (None, Some(u)) => Some(ui.fill("measure.until_year", &[("year", &year(u))])),
        (Some(s), Some(u)) => Some(ui.fill(
            "measure.period_range",
            &[("start", &year(s)), ("end", &year(u))],
        )),
    }
}

/// 「令和6年度で事業完了」, 「令和6年度から実施」 in the page's language (`view::lifecycle_label`).
pub(crate) fn lifecycle(ui: &Ui, m: &Measure) -> Option<String> {
    match (m.added, m.completed) {
        (_, Some(done)) => {
            Some(ui.fill("measure.completed_in", &[("year", &year_label(ui, done))]))
        }
        (Some(start), None) => Some(ui.fill(
            "measure.from_year_started",
            &[("year", &year_label(ui, start))],
        )),
        (None, None) => None,
    }
}

/// A date in the page's language (2024年8月1日, August 1, 2024).
pub(crate) fn date_view(ui: &Ui, date: crate::date::Date) -> DateView {
    let view = DateView::new(date);
    if ui.language() == Language::Japanese {
        return view;
    }
    let parts: Vec<&str> = view.iso.split('-').collect();
    let label = match parts[..] {
        [y, m, d] => {
            let month = ui.plain(&format!("month.m{}", m.trim_start_matches('0')));
            ui.fill(
                "format.date",
                &[
                    ("year", y),
                    ("month", &month),
                    ("day", d.trim_start_matches('0')),
                ],
            )
        }
        _ => view.iso.clone(),
    };
    DateView { label, ..view }
}

/// How the page names the department written `name` (pages group and link by the Japanese
/// name; a tree shows its translation), and its `lang`.
pub(crate) fn department(site: &Site, name: &str) -> (String, Option<&'static str>) {
    (
        site.department_name(name).to_string(),
        lang_of(site, &format!("department.{name}")),
    )
}

/// Who is responsible for `m`, in the page's language, as plain text and as HTML with each
/// department marked by its language (`主管部署: 情報政策課`, `Lead department: …`).
fn responsibility(site: &Site, ui: &Ui, m: &Measure) -> Option<(String, String)> {
    let names: Vec<(String, Option<&str>)> = m.responsible().map(|d| department(site, d)).collect();
    if names.is_empty() {
        return None;
    }
    let separator = ui.plain("format.list_separator");
    let plain = (names.iter().map(|(n, _)| n.as_str()))
        .collect::<Vec<_>>()
        .join(&separator);
    let html = (names.iter().map(|(n, lang)| text_html(n, *lang)))
        .collect::<Vec<_>>()
        .join(&escape(&separator));
    let (key, name) = match m.lead_department {
        Some(_) => ("measure.lead_department_short", "department"),
        None => ("measure.responsible_short", "departments"),
    };
    Some((
        ui.fill(key, &[(name, &plain)]),
        ui.fill_html_raw(key, &[(name, &html)]),
    ))
}

/// The card of `m` for a page at `from` in the page's language, with its latest results
/// when `full`: the measure's title and departments marked by their language, its
/// furigana in the やさしい日本語 tree, its labels from the interface table.
pub(crate) fn card(site: &Site, ui: &Ui, m: &Measure, from: &Route, full: bool) -> MeasureCard {
    let mut card = match full {
        true => measure_card(ui, site, m, from, &site.config.achievement),
        false => brief_card(ui, m, from),
    };
    localize_card(site, ui, m, &mut card);
    card
}

/// What [`card`] adds to a card made by `view::measure_card` or `view::brief_card`.
pub(crate) fn localize_card(site: &Site, ui: &Ui, m: &Measure, card: &mut MeasureCard) {
    card.title_lang = lang_of(site, &format!("measure.{}.title", m.id));
    card.title_ruby_html = ruby_title(site, m.title_ruby.as_deref());
    if let Some((plain, html)) = responsibility(site, ui, m) {
        card.department = Some(plain);
        card.department_html = Some(html);
    }
    card.lifecycle = lifecycle(ui, m);
    // The latest results are those of the KPIs with a reported actual, in order.
    let reported = (m.kpis.iter()).filter(|k| k.actual.iter().any(|(_, c)| !c.is_blank()));
    for (result, k) in card.latest.iter_mut().zip(reported) {
        result.indicator_lang = lang_of(
            site,
            &format!("measure.{}.kpi.{}.indicator", m.id, k.number),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_and_dates_are_written_in_the_page_language() {
        let ja = Ui::default_for(Language::Japanese);
        let en = Ui::default_for(Language::English);
        let easy = Ui::default_for(Language::EasyJapanese);
        let r6 = FiscalYear::from_western(2024);
        let r1 = FiscalYear::from_western(2019);
        assert_eq!(year_label(&ja, r6), "令和6年度");
        assert_eq!(year_label(&en, r6), "FY2024");
        assert_eq!(year_label(&easy, r1), "れいわ1ねんど（2019ねんど）");
        assert_eq!(
            part_period(&en, Some(r1), Some(r6)).as_deref(),
            Some("FY2019 to FY2024")
        );
        assert_eq!(
            part_period(&ja, None, Some(r6)).as_deref(),
            Some("令和6年度まで")
        );
        assert_eq!(part_period(&en, None, None), None);
        let date = crate::date::Date::new(2024, 8, 1).unwrap();
        assert_eq!(date_view(&ja, date).label, "2024年8月1日");
        assert_eq!(date_view(&en, date).label, "1 August 2024");
        assert_eq!(date_view(&en, date).iso, "2024-08-01");
    }

    #[test]
    fn content_is_escaped_as_templates_escape_and_marked_when_japanese() {
        assert_eq!(escape("a/b & 'c' <d>"), "a/b &amp; &#39;c&#39; &lt;d&gt;");
        assert_eq!(text_html("施策 & 計画", None), "施策 &amp; 計画");
        assert_eq!(
            text_html("施策", Some("ja")),
            "<span lang=\"ja\">施策</span>"
        );
        let en = Ui::default_for(Language::English);
        let html = block(&en, "<p>本文</p>".into(), Some("ja"));
        assert!(html.contains("This part is in Japanese only"), "{html}");
        assert!(
            html.ends_with("<div lang=\"ja\"><p>本文</p></div></div>"),
            "{html}"
        );
        assert_eq!(block(&en, "<p>Text</p>".into(), None), "<p>Text</p>");
    }
}
