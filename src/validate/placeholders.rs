//! Texts still as `keikaku new` or `keikaku init` wrote them (「施策名を書いてください」): a
//! warning at each, so that a form left half filled in is not published without a word. The
//! texts are the scaffold's own list ([`PLACEHOLDERS`]), matched in the files as written, so
//! that the position is exact; YAML comments are skipped (init's files explain their fields
//! there, quoting the placeholders).

use crate::cli::scaffold::PLACEHOLDERS;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position};
use crate::load::{Loaded, SourceFile};

/// Warns about every placeholder in every file that was loaded.
pub(super) fn check_placeholders(loaded: &Loaded, diags: &mut Diagnostics) {
    let yaml_files = (loaded.config.iter().map(|c| &c.file))
        .chain(loaded.plan.iter().map(|p| &p.file))
        .chain(loaded.measures.iter().map(|m| &m.file))
        .chain(loaded.glossary.iter().map(|g| &g.file))
        .chain(loaded.activity.iter().map(|a| &a.file));
    for file in yaml_files {
        scan(file, usize::MAX, diags);
    }
    for page in &loaded.pages {
        // Comments only in the front matter: in the body, `#` starts a heading.
        scan(&page.file, page.body_line, diags);
    }
}

/// Warns about the placeholders of `file`; lines before `comments_until` that start with
/// `#` are YAML comments.
fn scan(file: &SourceFile, comments_until: usize, diags: &mut Diagnostics) {
    if !PLACEHOLDERS.iter().any(|p| file.text.contains(p)) {
        return;
    }
    for (index, line) in file.text.lines().enumerate() {
        let number = index + 1;
        let code = if number < comments_until {
            if line.trim_start().starts_with('#') {
                continue;
            }
            // A comment after the value (` # 施策名`) is not the value.
            line.split(" #").next().unwrap_or(line)
        } else {
            line
        };
        for placeholder in PLACEHOLDERS {
            for (byte, _) in code.match_indices(placeholder) {
                let column = code[..byte].chars().count() + 1;
                diags.push(warning(
                    file,
                    placeholder,
                    Position {
                        line: number,
                        column,
                    },
                ));
            }
        }
    }
}

fn warning(file: &SourceFile, placeholder: &str, at: Position) -> Diagnostic {
    Diagnostic::warning(
        Code::Placeholder,
        file.path.clone(),
        format!(
            "「{placeholder}」は keikaku new・init が書いた見本の文のままです（placeholder left in）"
        ),
    )
    .with_source(file.text.clone())
    .at(Some(at))
    .hint("この計画の内容に書き換えてください。このままではサイトにこの文が出ます")
}
