//! `config.yaml`: the site's title and city, theme, progress words, achievement rules, and
//! the options the command line overrides.

use super::context::FileCtx;
use super::Overrides;
use crate::diagnostics::{Code, Diagnostics};
use crate::load::raw::{RawAchievement, RawConfig};
use crate::load::Parsed;
use crate::model::{Config, Contact, License};
use crate::model::{NearBand, RawHtml, Rules};
use crate::progress::{self, Vocabulary};
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
    ok.then(|| Config {
        title: raw.title.trim().to_string(),
        city: raw.city.trim().to_string(),
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
