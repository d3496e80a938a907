//! `config.yaml`: the site's title and city, theme, progress words, achievement rules, and
//! the options the command line overrides.

use super::context::FileCtx;
use super::Overrides;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::language::Language;
use crate::load::raw::{RawAchievement, RawConfig};
use crate::load::Parsed;
use crate::model::{Config, Contact, License};
use crate::model::{NearBand, RawHtml, Rules};
use crate::progress::{self, Vocabulary};
use crate::render::paging;
use crate::url;

/// The site's settings, or `None` after an error.
pub(super) fn validate_config(
    parsed: &Parsed<RawConfig>,
    overrides: &Overrides,
    diags: &mut Diagnostics,
) -> Option<Config> {
    let ctx = FileCtx::new(&parsed.file);
    let raw = &parsed.value;
    let base_url = overrides
        .base_url
        .clone()
        .unwrap_or_else(|| raw.base_url.clone());
    let mut ok = match &overrides.base_url {
        Some(given) => check_base_url(given).map_err(|(message, hint)| {
            diags.push(
                Diagnostic::error(Code::InvalidUrl, "--base-url", message)
                    .field("base_url")
                    .hint(hint),
            )
        }),
        None => check_base_url(&raw.base_url).map_err(|(message, hint)| {
            diags.push(ctx.error(Code::InvalidUrl, "base_url", message, hint))
        }),
    }
    .is_ok();
    let links = [
        (
            "contact.url",
            raw.contact.as_ref().and_then(|c| c.url.as_ref()),
        ),
        (
            "data_license.url",
            raw.data_license.as_ref().and_then(|l| l.url.as_ref()),
        ),
    ];
    for (field, url) in links {
        if let Some(Err((message, hint))) = url.map(|u| check_link(u)) {
            diags.push(ctx.error(Code::InvalidUrl, field, message, hint));
            ok = false;
        }
    }
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
    let page_size = raw.page_size.unwrap_or(paging::DEFAULT_PAGE_SIZE);
    if !paging::PAGE_SIZES.contains(&page_size) {
        diags.push(ctx.error(
            Code::InvalidValue,
            "page_size",
            format!("page_size: {page_size} は使えません"),
            format!(
                "{}〜{} の数にしてください（省略すると {}）",
                paging::PAGE_SIZES.start(),
                paging::PAGE_SIZES.end(),
                paging::DEFAULT_PAGE_SIZE
            ),
        ));
        ok = false;
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
    let city_code = super::city_code::read(&ctx, raw.city_code.as_ref(), diags);
    ok &= city_code.is_ok();
    let languages = languages(&ctx, raw.languages.as_deref(), diags);
    ok &= languages.is_some();
    ok &= readings_are_kana(&ctx, &raw.readings, diags);
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
        search_synonyms: raw
            .search
            .synonyms
            .iter()
            .map(|group| {
                let words = group.iter().map(|w| w.trim().to_string());
                words.filter(|w| !w.is_empty()).collect::<Vec<_>>()
            })
            .filter(|group| group.len() > 1)
            .collect(),
        languages: languages.unwrap_or_default(),
        readings: raw
            .readings
            .iter()
            .map(|(word, reading)| (word.trim().to_string(), reading.trim().to_string()))
            .collect(),
        page_size,
        current_plan: (raw.current_plan.as_deref())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
    })
}

/// `languages:` — each a code keikaku knows, none twice, `ja` among them; `None` after an
/// error. Absent, the site is Japanese only.
fn languages(
    ctx: &FileCtx,
    raw: Option<&[String]>,
    diags: &mut Diagnostics,
) -> Option<Vec<Language>> {
    let Some(codes) = raw else {
        return Some(vec![Language::Japanese]);
    };
    let known = || {
        Language::ALL
            .iter()
            .map(|l| format!("{}（{}）", l.code(), l.own_name()))
            .collect::<Vec<_>>()
            .join("・")
    };
    let mut out = Vec::new();
    let mut ok = true;
    for (i, code) in codes.iter().enumerate() {
        let path = format!("languages[{i}]");
        match Language::from_code(code.trim()) {
            None => {
                diags.push(ctx.error(
                    Code::UnknownLanguage,
                    &path,
                    format!("言語「{code}」は使えません"),
                    format!("使える言語: {}", known()),
                ));
                ok = false;
            }
            Some(l) if out.contains(&l) => {
                diags.push(ctx.error(
                    Code::LanguageList,
                    &path,
                    format!("言語「{code}」が2回書かれています"),
                    "1つにしてください",
                ));
                ok = false;
            }
            Some(l) => out.push(l),
        }
    }
    if ok && !out.contains(&Language::Japanese) {
        diags.push(ctx.error(
            Code::LanguageList,
            "languages",
            "languages: に ja（日本語）がありません",
            "日本語のページがもとになるので、ja を入れてください（例: [ja, ja-easy, en]）",
        ));
        ok = false;
    }
    ok.then_some(out)
}

/// `readings:` — every word non-empty and without the characters of ruby markup, every
/// reading kana (as glossary readings are); false after an error.
fn readings_are_kana(
    ctx: &FileCtx,
    readings: &std::collections::BTreeMap<String, String>,
    diags: &mut Diagnostics,
) -> bool {
    let mut ok = true;
    for (word, reading) in readings {
        let path = format!("readings.{word}");
        if word.trim().is_empty() || word.contains(['{', '}', '|', '\\']) {
            diags.push(ctx.key_error(
                Code::ReadingNotKana,
                &path,
                format!("readings: の語「{word}」は使えません"),
                "読みを付ける語を、{ } | \\ を使わずに書いてください",
            ));
            ok = false;
        } else if reading.trim().is_empty() {
            diags.push(ctx.error(
                Code::ReadingNotKana,
                &path,
                format!("「{word}」の読みが空です"),
                "ひらがなで読みを書いてください",
            ));
            ok = false;
        } else if let Some((at, c)) = crate::glossary::collate::invalid_reading_char(reading.trim())
        {
            diags.push(ctx.error_in_scalar(
                Code::ReadingNotKana,
                &path,
                at,
                format!("「{word}」の読み「{reading}」に、かなではない文字「{c}」があります"),
                "読みはひらがな（またはカタカナ）で書いてください",
            ));
            ok = false;
        }
    }
    ok
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

/// Why a URL is refused: the message and the hint.
type UrlError = (String, &'static str);

/// Characters that may not stand unencoded anywhere in a URL (the URL standard's C0 controls,
/// space and the characters it always percent-encodes). The URL is written as given into
/// canonical links, feeds, the sitemap and the data package, so it must need no encoding.
fn has_forbidden_char(url: &str) -> Option<char> {
    url.chars().find(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '"' | '<' | '>' | '`' | '{' | '}' | '|' | '\\' | '^')
    })
}

/// `base_url`: the absolute http(s) address the site is published at. It becomes canonical
/// links, `og:url`, feeds and the sitemap, so it must be a plain address: no other scheme, no
/// user name or password (they would be published on every page), no query or fragment (the
/// page paths are appended to it), no spaces.
fn check_base_url(given: &str) -> Result<(), UrlError> {
    const HINT: &str = "https://www.city.example.lg.jp/dx/ のように、公開するアドレスを https:// から書いてください";
    let text = given.trim();
    if let Some(c) = has_forbidden_char(text) {
        return Err((
            format!("公開URL「{text}」に使えない文字（{c:?}）があります（invalid base_url）"),
            HINT,
        ));
    }
    let parsed = match ::url::Url::parse(text) {
        Ok(u) => u,
        Err(e) => {
            return Err((
                format!("公開URL「{text}」を読めません: {e}（invalid base_url）"),
                HINT,
            ))
        }
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err((
            format!(
                "公開URLには http:// か https:// のアドレスだけを書けます（「{}:」は使えません）（invalid base_url）",
                parsed.scheme()
            ),
            HINT,
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err((
            "公開URLにユーザー名やパスワードを含めることはできません（全ページに公開されます）（credentials in base_url）".to_string(),
            "@ より前の部分を消してください",
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err((
            format!("公開URL「{text}」にホスト名がありません（invalid base_url）"),
            HINT,
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err((
            format!("公開URL「{text}」に ? や # を含めることはできません（ページのパスが後ろに付きます）（invalid base_url）"),
            HINT,
        ));
    }
    Ok(())
}

/// `contact.url` and `data_license.url`: links on every page, so they pass the scheme
/// allow-list of Markdown links ([`crate::markdown::is_allowed_url`]) and, because they are
/// written unchanged on pages at every depth, must be absolute.
fn check_link(given: &str) -> Result<(), UrlError> {
    const HINT: &str =
        "https://www.city.example.lg.jp/ のように、http(s)・mailto・tel のアドレスを書いてください";
    let text = given.trim();
    if !crate::markdown::is_allowed_url(text) {
        return Err((
            format!("このURLは使えません: 「{text}」（リンクにできるのは http・https・mailto・tel だけです）（unsafe URL scheme）"),
            HINT,
        ));
    }
    if let Some(c) = has_forbidden_char(text) {
        return Err((
            format!("URL「{text}」に使えない文字（{c:?}）があります（invalid URL）"),
            HINT,
        ));
    }
    match ::url::Url::parse(text) {
        Ok(u) if crate::markdown::URL_SCHEMES.contains(&u.scheme()) => Ok(()),
        Ok(_) | Err(_) => Err((
            format!("URL「{text}」は完全なアドレスではありません（relative or invalid URL）"),
            HINT,
        )),
    }
}
