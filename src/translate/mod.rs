//! The site in another language: a copy of the validated (Japanese) site for each further
//! language of `languages:`, published as its own tree (`/en/…`, `/easy/…`, see
//! [`crate::language::Language::url_prefix`]). The copy keeps every figure, year and
//! judgement of the Japanese site — translations never repeat them — and lives under the
//! language's folder, so that every link the renderer makes between plans and to the site
//! root stays inside that language's tree.
//!
//! The texts of the language's translation files ([`crate::model::Translations`], checked in
//! `crate::validate::translation`) replace the Japanese ones, and each replaced text is
//! recorded in [`Site::translated`] by its path, so that pages mark the rest `lang="ja"`.
//! Markdown is replaced as source: it is rendered later, from what is here. In the
//! やさしい日本語 tree the texts then get furigana from the readings the content already has
//! (`translate::easy`).

mod easy;

use crate::language::Language;
use crate::model::{Site, Translation, Translations};

/// `site` (and its other plans) as the tree of `language`, with the texts `translations`
/// gives for the main plan (each other plan brings its own, in its `translations`). The
/// settings' texts (site title, city, contact, licence) come from the main plan's, for every
/// plan of the tree.
pub fn localize(site: &Site, language: Language, translations: &Translations) -> Site {
    let mut tree = site.clone();
    move_into(&mut tree, language);
    let settings = translations.get(language).cloned().unwrap_or_default();
    translate(&mut tree, translations.get(language), &settings);
    for other in &mut tree.others {
        let own = other.translations.get(language).cloned();
        translate(other, own.as_ref(), &settings);
    }
    relink(&mut tree);
    if language == Language::EasyJapanese {
        easy::annotate_site(&mut tree);
        for other in &mut tree.others {
            easy::annotate_site(other);
        }
    }
    tree
}

/// Sets the language of `site` and puts every plan it names under the language's folder.
fn move_into(site: &mut Site, language: Language) {
    let folder = language.url_prefix();
    site.language = language;
    // The tree's absolute addresses (canonical links, sitemap, feed) are under its folder too:
    // a plan's `base_url` is the root's followed by its prefix.
    let root = (site.config.base_url)
        .strip_suffix(site.prefix.as_str())
        .unwrap_or(&site.config.base_url)
        .to_string();
    site.config.base_url = format!("{root}{folder}{}", site.prefix);
    site.prefix = format!("{folder}{}", site.prefix);
    for entry in &mut site.plan_list {
        entry.prefix = format!("{folder}{}", entry.prefix);
    }
    for measure in &mut site.measures {
        for linked in measure
            .predecessors
            .iter_mut()
            .chain(measure.successors.iter_mut())
        {
            linked.prefix = format!("{folder}{}", linked.prefix);
        }
    }
    for other in &mut site.others {
        move_into(other, language);
    }
}

/// Replaces the texts of one plan with those of `own` (its translation files) and the
/// settings' texts with those of `settings` (config.<s>.yaml), recording each.
fn translate(site: &mut Site, own: Option<&Translation>, settings: &Translation) {
    let done = &mut site.translated;
    let config = &mut site.config;
    if let Some(t) = &settings.site_title {
        config.title = plain(t);
        done.insert("plan.site_title");
        if t.contains('{') {
            site.title_ruby.insert("plan.site_title", t.clone());
        }
    }
    if let Some(t) = &settings.city {
        config.city = plain(t);
        done.insert("plan.city");
    }
    if let (Some(t), Some(contact)) = (&settings.contact_name, &mut config.contact) {
        contact.name = plain(t);
        done.insert("config.contact");
    }
    if let Some(t) = &settings.license_name {
        config.data_license.name = plain(t);
        done.insert("config.license");
    }
    let Some(own) = own else { return };
    let plan = &mut site.plan;
    if let Some(t) = &own.plan_title {
        plan.title = plain(t);
        done.insert("plan.title");
        if t.contains('{') {
            site.title_ruby.insert("plan.title", t.clone());
        }
    }
    if let Some(t) = &own.revision {
        plan.revision = Some(plain(t));
        done.insert("plan.revision");
        if t.contains('{') {
            site.title_ruby.insert("plan.revision", t.clone());
        }
    }
    if let Some(t) = &own.philosophy {
        plan.philosophy = Some(t.clone());
        done.insert("plan.philosophy");
    }
    for policy in &mut plan.policies {
        let Some(t) = own.policies.get(&policy.number) else {
            continue;
        };
        if let Some(title) = &t.title {
            set_title(&mut policy.title, &mut policy.title_ruby, title);
            done.insert(format!("policy.{}.title", policy.number));
        }
        if let Some(summary) = &t.summary {
            policy.summary = summary.clone();
            done.insert(format!("policy.{}.summary", policy.number));
        }
    }
    for section in &mut plan.sections {
        if let Some(heading) = own.section_headings.get(&section.key) {
            section.heading = plain(heading);
            done.insert(format!("section.{}.heading", section.key));
        }
    }
    for (name, translated) in &own.departments {
        site.department_names.insert(
            name.clone(),
            crate::ruby::base_text(translated).into_owned(),
        );
        if crate::ruby::base_text(translated) != translated.as_str() {
            site.department_ruby
                .insert(name.clone(), translated.clone());
        }
        done.insert(format!("department.{name}"));
    }
    for m in &mut site.measures {
        let Some(t) = own.measures.get(&m.id) else {
            continue;
        };
        let id = m.id.clone();
        if let Some(title) = &t.title {
            set_title(&mut m.title, &mut m.title_ruby, title);
            done.insert(format!("measure.{id}.title"));
        }
        for (key, text) in &mut m.sections.0 {
            if let Some(translated) = t.sections.get(key.as_str()) {
                *text = translated.clone();
                done.insert(format!("measure.{id}.section.{key}"));
            }
        }
        for (i, (task, translated)) in m.schedule.iter_mut().zip(&t.tasks).enumerate() {
            if let Some(name) = translated {
                task.name = plain(name);
                done.insert(format!("measure.{id}.task.{i}"));
            }
        }
        for (kpi, translated) in m.kpis.iter_mut().zip(&t.kpis) {
            if let Some(indicator) = &translated.indicator {
                kpi.indicator = (kpi.indicator.keys())
                    .map(|year| (*year, plain(indicator)))
                    .collect();
                done.insert(format!("measure.{id}.kpi.{}.indicator", kpi.number));
            }
            if let Some(notes) = &translated.notes {
                kpi.notes = Some(notes.clone());
                done.insert(format!("measure.{id}.kpi.{}.notes", kpi.number));
            }
        }
    }
    for page in &mut site.pages {
        let Some(t) = own.pages.get(&page.slug) else {
            continue;
        };
        let slug = &page.slug;
        if let Some(title) = &t.title {
            page.title = plain(title);
            done.insert(format!("page.{slug}.title"));
        }
        if let Some(description) = &t.description {
            page.description = Some(plain(description));
            done.insert(format!("page.{slug}.description"));
        }
        if let Some(body) = &t.body {
            page.body = body.clone();
            done.insert(format!("page.{slug}.body"));
        }
    }
    for term in &mut site.glossary {
        let Some(t) = own.terms.get(&term.term) else {
            continue;
        };
        let anchor = &term.anchor;
        if let Some(explanation) = &t.explanation {
            term.explanation = explanation.clone();
            done.insert(format!("term.{anchor}.explanation"));
        }
        if let Some(name) = &t.name {
            // The Japanese name stays a name of the entry, so that the texts still shown in
            // Japanese link it, and so do references to it by that name.
            let japanese = std::mem::replace(&mut term.term, plain(name));
            term.aliases.insert(0, japanese);
            done.insert(format!("term.{anchor}.term"));
        }
    }
}

/// A translated text that has no place for furigana in the model (only measure and policy
/// titles and Markdown have): its words, so that no `{…|…}` markup is ever shown.
fn plain(text: &str) -> String {
    crate::ruby::base_text(text).into_owned()
}

/// A translated title: the words for plain outputs, and as written when it holds furigana.
fn set_title(title: &mut String, ruby: &mut Option<String>, translated: &str) {
    let words = crate::ruby::base_text(translated);
    *ruby = (words != translated).then(|| translated.to_string());
    *title = words.into_owned();
}

/// The titles one plan shows of the others (the plan list, lineage links) as the others are
/// titled in this tree, with the paths that say whether each is translated:
/// `plan.<slug>.title` and `measure.<slug>/<id>.title`.
fn relink(root: &mut Site) {
    let plans: Vec<(String, String, bool)> = std::iter::once(&*root)
        .chain(root.others.iter())
        .map(|p| {
            let slug = p.plan.id.clone().unwrap_or_default();
            (slug, p.plan.title.clone(), p.translated.has("plan.title"))
        })
        .collect();
    let measure_titles = |slug: &str, id: &str| -> Option<(String, bool)> {
        let plan = std::iter::once(&*root)
            .chain(root.others.iter())
            .find(|p| p.plan.id.as_deref() == Some(slug))?;
        let m = plan.measure(id)?;
        Some((
            m.title.clone(),
            plan.translated.has(&format!("measure.{id}.title")),
        ))
    };
    let mut updates = Vec::new();
    for (index, site) in std::iter::once(&*root)
        .chain(root.others.iter())
        .enumerate()
    {
        let mut linked = Vec::new();
        for (mi, m) in site.measures.iter().enumerate() {
            for (li, l) in m.predecessors.iter().chain(&m.successors).enumerate() {
                let plan = plans.iter().find(|p| p.0 == l.at.plan);
                let title = measure_titles(&l.at.plan, &l.at.id);
                linked.push((mi, li, plan.cloned(), title));
            }
        }
        updates.push((index, linked));
    }
    for (index, linked) in updates {
        let site = match index {
            0 => &mut *root,
            i => &mut root.others[i - 1],
        };
        for entry in &mut site.plan_list {
            if let Some((slug, title, translated)) = plans.iter().find(|p| p.0 == entry.slug) {
                entry.title = title.clone();
                if *translated {
                    site.translated.insert(format!("plan.{slug}.title"));
                }
            }
        }
        for (mi, li, plan, title) in linked {
            let m = &mut site.measures[mi];
            let before = m.predecessors.len();
            let l = match li < before {
                true => &mut m.predecessors[li],
                false => &mut m.successors[li - before],
            };
            if let Some((slug, plan_title, translated)) = plan {
                l.plan_title = plan_title;
                if translated {
                    site.translated.insert(format!("plan.{slug}.title"));
                }
            }
            if let Some((title, translated)) = title {
                l.title = title;
                if translated {
                    let at = format!("measure.{}/{}.title", l.at.plan, l.at.id);
                    site.translated.insert(at);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_lives_under_its_folder() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut diags = crate::diagnostics::Diagnostics::default();
        let site = crate::validate::validate(
            crate::load::load(dir, &mut diags),
            &Default::default(),
            &mut diags,
        )
        .expect("the example site is valid");
        let en = localize(&site, Language::English, &site.translations);
        assert_eq!(en.language, Language::English);
        assert_eq!(en.prefix, "en/");
        assert!(en.others.iter().all(|o| o.prefix.starts_with("en/")));
        assert_eq!(en.config.base_url, format!("{}en/", site.config.base_url));
        for (o, ja) in en.others.iter().zip(&site.others) {
            let expected = format!("{}en/{}", site.config.base_url, ja.prefix);
            assert_eq!(o.config.base_url, expected);
        }
        assert!(en.plan_list.iter().all(|p| p.prefix.starts_with("en/")));
        assert_eq!(en.measures.len(), site.measures.len());
    }
}
