//! `content/pages/*.md`: each page's slug (its file name), its front matter and the glossary
//! references in its body.

use std::collections::BTreeSet;

use super::context::FileCtx;
use super::glossary::{unknown_term_message, GlossaryNames, UNKNOWN_TERM_HINT};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position};
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
            diags.push(shifted(ctx.error(
                Code::InvalidValue,
                "title",
                "タイトルが空です",
                "title: を書いてください",
            )));
            ok = false;
        }
        let updated = match ctx.date(raw.front.updated.as_ref(), "updated") {
            Ok(d) => d,
            Err(d) => {
                diags.push(shifted(*d));
                ok = false;
                None
            }
        };
        if ok {
            pages.push(Page {
                updated,
                slug: raw.slug.clone(),
                title: raw.front.title.trim().to_string(),
                order: raw.front.order.unwrap_or(0),
                description: raw.front.description.clone(),
                body: raw.body.clone(),
                source: raw.file.path.clone(),
            });
        }
    }
    pages.sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));
    pages
}

/// The front matter starts one line below the opening `---`.
fn shifted(mut d: Diagnostic) -> Diagnostic {
    d.position = d.position.map(|p| Position {
        line: p.line + 1,
        ..p
    });
    d
}
