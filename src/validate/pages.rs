//! `content/pages/*.md`: each page's slug (its file name), its front matter and the glossary
//! references in its body.

use std::collections::BTreeSet;

use super::context::FileCtx;
use super::glossary::{unknown_term_message, GlossaryNames, UNKNOWN_TERM_HINT};
use crate::diagnostics::{Code, Diagnostics, Position};
use crate::glossary::link;
use crate::load::RawPage;
use crate::model::Page;
use crate::url;

/// Validates every page, sorted by `order` and then slug.
pub(super) fn validate_pages(
    raw_pages: &[RawPage],
    names: &GlossaryNames,
    diags: &mut Diagnostics,
) -> Vec<Page> {
    let mut pages = Vec::new();
    let mut slugs = BTreeSet::new();
    for raw in raw_pages {
        // The locator reads the whole page, the opening `---` as the start of a YAML
        // document: front matter fields are located at their lines in the file.
        let ctx = FileCtx::new(&raw.file);
        let mut ok = true;
        if !url::is_valid_slug(&raw.slug) || url::RESERVED_SLUGS.contains(&raw.slug.as_str()) {
            diags.push(
                raw.file
                    .diagnostic(
                        Code::InvalidId,
                        format!("ページのファイル名「{}」はURLに使えません", raw.slug),
                    )
                    .hint(format!(
                        "半角小文字英数字とハイフンだけにし、{} 以外の名前にしてください",
                        url::RESERVED_SLUGS.join("・")
                    )),
            );
            ok = false;
        } else if !slugs.insert(raw.slug.clone()) {
            diags.push(raw.file.diagnostic(
                Code::Duplicate,
                format!("ページ「{}」が重複しています", raw.slug),
            ));
            ok = false;
        }
        super::ruby::check_page_body(&raw.file, &raw.body, raw.body_line, diags);
        for (offset, name) in link::references(&raw.body) {
            if !names.contains(&link::normalize_name(&name)) {
                let before = &raw.body[..offset];
                let position = Position {
                    line: raw.body_line + before.matches('\n').count(),
                    column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                };
                diags.push(
                    raw.file
                        .diagnostic(Code::UnknownTerm, unknown_term_message(&name))
                        .at(Some(position))
                        .hint(UNKNOWN_TERM_HINT),
                );
                ok = false;
            }
        }
        if raw.front.title.trim().is_empty() {
            diags.push(ctx.error(
                Code::InvalidValue,
                "title",
                "タイトルが空です",
                "title: を書いてください",
            ));
            ok = false;
        }
        let before = diags.error_count();
        let updated = ctx.date(raw.front.updated.as_ref(), "updated", diags);
        let publish_date = ctx.date(raw.front.publish_date.as_ref(), "publish_date", diags);
        ok &= diags.error_count() == before;
        if ok {
            pages.push(Page {
                updated,
                publication: crate::model::Publication {
                    draft: raw.front.draft,
                    publish_date,
                },
                slug: raw.slug.clone(),
                title: raw.front.title.trim().to_string(),
                order: raw.front.order.unwrap_or(0),
                description: raw.front.description.clone(),
                main_nav: raw.front.main_nav,
                body: raw.body.clone(),
                source: raw.file.path.clone(),
            });
        }
    }
    pages.sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{parse_page, SourceFile};

    #[test]
    fn front_matter_errors_are_at_their_lines_in_the_page_file() {
        let file = SourceFile {
            path: "content/pages/about.md".into(),
            text: "---\ntitle: ' '\norder: 1\nupdated: 2024-99-01\n---\n\n本文\n".into(),
        };
        let mut diags = Diagnostics::default();
        let page = parse_page(file, &mut diags).expect("front matter parses");
        let pages = validate_pages(&[page], &GlossaryNames::new(), &mut diags);
        assert!(pages.is_empty());
        let found: Vec<_> = diags
            .iter()
            .map(|d| (d.field.as_deref(), d.position))
            .collect();
        assert_eq!(
            found,
            [
                (Some("title"), Some(Position { line: 2, column: 8 })),
                (
                    Some("updated"),
                    Some(Position {
                        line: 4,
                        column: 10
                    })
                ),
            ]
        );
    }
}
