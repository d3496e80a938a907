//! Markdown pages (`content/pages/*.md`): YAML front matter between two `---` lines, then the
//! Markdown body. [`split_front_matter`] is the one place that knows where the front matter
//! ends; the depth limit ([`super::limits::check_depth`]) and the page parser both go through
//! it, so that the text checked is exactly the text parsed.

use super::raw::RawFrontMatter;
use super::{yaml_diagnostic, SourceFile};
use crate::diagnostics::{Code, Diagnostics, Position};

/// A page as written: its slug (the file name), its front matter and its Markdown body.
#[derive(Clone, Debug)]
pub(crate) struct RawPage {
    pub file: SourceFile,
    pub slug: String,
    pub front: RawFrontMatter,
    pub body: String,
    /// Line of the file on which the Markdown body starts (for messages about the body).
    pub body_line: usize,
}

/// A page's text taken apart at its `---` lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FrontMatter<'a> {
    /// The YAML between the `---` lines, with its last line's newline.
    pub yaml: &'a str,
    /// Everything after the closing `---` line.
    pub body: &'a str,
    /// Line of the file on which the body starts.
    pub body_line: usize,
}

impl FrontMatter<'_> {
    /// Lines of the file above the front matter's first line: the opening `---`.
    const LINES_ABOVE: usize = 1;

    /// A position in [`FrontMatter::yaml`] as a position in the whole file.
    pub(crate) fn file_position(position: Position) -> Position {
        Position {
            line: position.line + Self::LINES_ABOVE,
            ..position
        }
    }
}

/// Why a page's text has no front matter to parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FrontMatterError {
    /// The first line is not `---`.
    Missing,
    /// No `---` line closes it.
    Unclosed,
}

/// Splits a page's text (LF line endings) into front matter and body. The closing `---` is a
/// line of its own, or the last line of the file without a newline.
pub(crate) fn split_front_matter(text: &str) -> Result<FrontMatter<'_>, FrontMatterError> {
    let rest = text
        .strip_prefix("---\n")
        .ok_or(FrontMatterError::Missing)?;
    let (end, separator) = rest
        .find("\n---\n")
        .map(|i| (i, "\n---\n".len()))
        .or_else(|| rest.strip_suffix("\n---").map(|r| (r.len(), "\n---".len())))
        .ok_or(FrontMatterError::Unclosed)?;
    let yaml = &rest[..end + 1];
    Ok(FrontMatter {
        yaml,
        body: rest.get(end + separator..).unwrap_or(""),
        // The opening `---`, the front matter's lines, the closing `---`, then the body.
        body_line: FrontMatter::LINES_ABOVE + yaml.matches('\n').count() + 2,
    })
}

/// Parses a page file: front matter errors are located in the file, not in the front matter.
pub(crate) fn parse_page(file: SourceFile, diags: &mut Diagnostics) -> Option<RawPage> {
    let slug = file
        .path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_string();
    let text = file.text.clone();
    let split = match split_front_matter(&text) {
        Ok(split) => split,
        Err(e) => {
            let (message, hint) = match e {
                FrontMatterError::Missing => (
                    "先頭にフロントマター（--- で囲んだ YAML）がありません",
                    "1行目を --- にし、title: を書いて --- で閉じてください",
                ),
                FrontMatterError::Unclosed => (
                    "フロントマターが --- で閉じられていません",
                    "フロントマターの終わりに --- だけの行を入れてください",
                ),
            };
            diags.push(
                file.diagnostic(Code::FrontMatter, message)
                    .at(Some(Position { line: 1, column: 1 }))
                    .hint(hint),
            );
            return None;
        }
    };
    // Every problem of the front matter is reported; a page with any is left out.
    match super::yaml::from_str_all::<RawFrontMatter>(split.yaml) {
        (Some(front), errors) if errors.is_empty() => Some(RawPage {
            slug,
            front,
            body: split.body.to_string(),
            body_line: split.body_line,
            file,
        }),
        (_, errors) => {
            for mut e in errors {
                e.position = e.position.map(FrontMatter::file_position);
                diags.push(yaml_diagnostic(&file, e));
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_ends_at_a_dash_line_or_at_the_end_of_the_file() {
        let page = split_front_matter("---\ntitle: A\norder: 2\n---\n\n# Body\n").unwrap();
        assert_eq!(page.yaml, "title: A\norder: 2\n");
        assert_eq!(page.body, "\n# Body\n");
        assert_eq!(page.body_line, 5);
        let bare = split_front_matter("---\ntitle: A\n---").unwrap();
        assert_eq!(
            (bare.yaml, bare.body, bare.body_line),
            ("title: A\n", "", 4)
        );
        assert_eq!(
            split_front_matter("title: A\n"),
            Err(FrontMatterError::Missing)
        );
        for unclosed in ["---\ntitle: A\n", "---\ntitle: A\n---x\nbody\n"] {
            assert_eq!(
                split_front_matter(unclosed),
                Err(FrontMatterError::Unclosed),
                "{unclosed:?}"
            );
        }
    }
}
