//! The site in another language: a copy of the validated (Japanese) site for each further
//! language of `languages:`, published as its own tree (`/en/…`, `/easy/…`, see
//! [`crate::language::Language::url_prefix`]). The copy keeps every figure, year and
//! judgement of the Japanese site — translations never repeat them — and lives under the
//! language's folder, so that every link the renderer makes between plans and to the site
//! root stays inside that language's tree.

use crate::language::Language;
use crate::model::Site;

/// `site` (and its other plans) as the tree of `language`.
pub fn localize(site: &Site, language: Language) -> Site {
    let mut tree = site.clone();
    move_into(&mut tree, language);
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
        let en = localize(&site, Language::English);
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
