//! Stage 2: raw values → the typed [`Site`]. Every rule about what content may say lives here,
//! and every violation becomes a located [`Diagnostic`](crate::diagnostics::Diagnostic);
//! validation goes on after an error so that one run reports everything that is wrong.
//!
//! One module per kind of file (`config`, `plan`, `measure` with its `kpi` and `revision`,
//! `activity`, `glossary`, `pages`); `context` locates errors at a field and reads the values
//! they all share. `validate` runs them in order.

mod activity;
pub mod city_code;
mod config;
mod context;
mod glossary;
mod kpi;
mod kpi_cells;
mod lineage;
pub(crate) mod links;
mod measure;
mod pages;
mod placeholders;
mod plan;
mod revision;
mod ruby;
mod translation;

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::load::{Loaded, MEASURES_DIR};
use crate::model::Site;
pub(crate) use glossary::{glossary_names, GlossaryNames};
pub(crate) use measure::measure;

/// Options that come from the command line rather than the content.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--base-url`: replaces `config.yaml`'s `base_url` (a preview or staging address).
    pub base_url: Option<String>,
    /// Links name `index.html` (`measures/01-01/index.html`) so that a copy of the site opened
    /// from the file system can be browsed (`keikaku build --file-links`).
    pub file_links: bool,
}

/// Builds the site model, or returns `None` when there were errors (all of them in `diags`).
/// Each file kind is validated by its own module, in this order (which is the order of the
/// diagnostics): config, the lineage between plans, then per plan (the one at content/ first,
/// then content/plans/<slug>/ by slug) plan, measures, activity plans, glossary, the plan's
/// glossary references, pages.
pub(crate) fn validate(
    mut loaded: Loaded,
    overrides: &Overrides,
    diags: &mut Diagnostics,
) -> Option<Site> {
    let config =
        (loaded.config.as_ref()).and_then(|c| config::validate_config(c, overrides, diags));
    let others = std::mem::take(&mut loaded.others);
    lineage::check(&loaded, &others, diags);
    let root = validate_plan_content(loaded, config.clone(), String::new(), diags);
    let others: Vec<Option<Site>> = others
        .into_iter()
        .map(|(slug, other)| {
            // Each other plan is published under /<slug>/: its absolute URLs start there.
            let config = config.clone().map(|mut c| {
                c.base_url = format!("{}{slug}/", c.base_url);
                c
            });
            let mut site = validate_plan_content(other, config, format!("{slug}/"), diags)?;
            site.plan.id = Some(slug);
            Some(site)
        })
        .collect();
    if diags.has_errors() {
        return None;
    }
    let mut root = root?;
    let mut others: Vec<Site> = others.into_iter().collect::<Option<_>>()?;
    if !others.is_empty() {
        lineage::link(&mut root, &mut others);
        let list = lineage::plan_list(&root, &others);
        for other in &mut others {
            other.plan_list = list.clone();
        }
        root.plan_list = list;
    }
    root.others = others;
    Some(root)
}

/// One plan's files (content/ or content/plans/<slug>/) → its part of the site, published
/// under `prefix`.
fn validate_plan_content(
    mut loaded: Loaded,
    config: Option<crate::model::Config>,
    prefix: String,
    diags: &mut Diagnostics,
) -> Option<Site> {
    let plan = (loaded.plan.as_ref()).and_then(|p| plan::validate_plan(&p.file, &p.value, diags));
    placeholders::check_placeholders(&loaded, diags);
    let mut measure_ids = measure::check_unique_ids(&loaded.measures, diags);
    let unreadable = unreadable_measures(&loaded, diags);
    // An activity plan of a measure whose file could not be read is not checked: each of its
    // errors (「施策がありません」 first) would only repeat that one. Nor is a reference to
    // that measure from another plan an error: its file is there, named by its ID.
    loaded.activity.retain(|a| {
        !a.file
            .path
            .file_stem()
            .is_some_and(|s| unreadable.contains(s))
    });
    measure_ids.extend(
        unreadable
            .iter()
            .filter_map(|s| s.to_str())
            .map(str::to_string),
    );
    let names = glossary_names(&loaded);
    let measure_stems: BTreeSet<String> = (loaded.measures.iter())
        .filter_map(|m| m.file.path.file_stem()?.to_str().map(str::to_string))
        .chain(measure_ids.iter().cloned())
        .collect();
    let page_slugs: BTreeSet<String> = loaded.pages.iter().map(|p| p.slug.clone()).collect();
    let measures = measure::validate_measures(
        std::mem::take(&mut loaded.measures),
        plan.as_ref(),
        &names,
        diags,
    );
    let activity = match (&config, &plan) {
        (Some(config), Some(plan)) => activity::validate_activity(
            &loaded.activity,
            config,
            plan,
            &measure_ids,
            &measures,
            diags,
        ),
        _ => Vec::new(),
    };
    let glossary = (loaded.glossary.as_ref())
        .map(|g| glossary::validate_glossary(&g.file, &g.value.terms, diags))
        .unwrap_or_default();
    // The measures' glossary references were checked with each measure.
    if let Some(p) = &loaded.plan {
        plan::check_plan_references(p, &names, diags);
    }
    let pages = pages::validate_pages(&loaded.pages, &names, diags);
    let translations = translation::validate_translations(
        &loaded.translations,
        &translation::Originals {
            config: config.as_ref(),
            plan: plan.as_ref(),
            plan_declares_sections: (loaded.plan.as_ref())
                .is_some_and(|p| p.value.sections.is_some()),
            measures: &measures,
            activity: &activity,
            measure_ids: &measure_stems,
            glossary: &glossary,
            pages: &pages,
            page_slugs: &page_slugs,
            names: &names,
        },
        diags,
    );

    if diags.has_errors() {
        return None;
    }
    Some(Site {
        config: config?,
        plan: plan?,
        measures,
        glossary,
        pages,
        activity,
        prefix,
        others: Vec::new(),
        plan_list: Vec::new(),
        language: crate::language::Language::Japanese,
        translated: Default::default(),
        translations,
        department_names: Default::default(),
        department_ruby: Default::default(),
        title_ruby: Default::default(),
    })
}

/// The file stems (measure IDs) of the measure files the loader reported errors in and did
/// not load; `diags` holds only the loader's diagnostics when this is called.
fn unreadable_measures(loaded: &Loaded, diags: &Diagnostics) -> BTreeSet<OsString> {
    let loaded_paths: BTreeSet<&Path> = loaded
        .measures
        .iter()
        .map(|m| m.file.path.as_path())
        .collect();
    diags
        .iter()
        .filter(|d| d.is_error() && d.file.parent() == Some(Path::new(MEASURES_DIR)))
        .filter(|d| !loaded_paths.contains(d.file.as_path()))
        .filter_map(|d| d.file.file_stem().map(OsString::from))
        .collect()
}
