//! Furigana markup (`{木更津|きさらづ}`, [`crate::ruby`]) that is malformed: warnings at the
//! brace, in Markdown texts and in YAML titles alike. The text is still built: a malformed
//! ruby is shown as written, which is ugly but never wrong.

use super::context::FileCtx;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position, Severity};
use crate::load::SourceFile;
use crate::ruby::Malformed;

/// Malformed ruby in the Markdown text at `path`.
pub(super) fn check_markdown(ctx: &FileCtx, path: &str, markdown: &str, diags: &mut Diagnostics) {
    for m in crate::markdown::ruby_problems(markdown) {
        let d = ctx.error_in_markdown(
            Code::RubyMalformed,
            path,
            markdown,
            m.offset,
            m.message(),
            Malformed::HINT,
        );
        diags.push(warning(d));
    }
}

/// Malformed ruby in the one-line YAML text (a title) at `path`.
pub(super) fn check_text(ctx: &FileCtx, path: &str, text: &str, diags: &mut Diagnostics) {
    for m in crate::ruby::problems(text) {
        let column = text[..m.offset].chars().count();
        let d = ctx.error_in_scalar(
            Code::RubyMalformed,
            path,
            column,
            m.message(),
            Malformed::HINT,
        );
        diags.push(warning(d));
    }
}

pub(super) fn warning(d: Diagnostic) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        ..d
    }
}

/// Malformed ruby in the Markdown body of a page (after its front matter, which starts on
/// `body_line`).
pub(super) fn check_page_body(
    file: &SourceFile,
    body: &str,
    body_line: usize,
    diags: &mut Diagnostics,
) {
    for m in crate::markdown::ruby_problems(body) {
        let before = &body[..m.offset];
        let position = Position {
            line: body_line + before.matches('\n').count(),
            column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
        };
        let d = file
            .diagnostic(Code::RubyMalformed, m.message())
            .at(Some(position))
            .hint(Malformed::HINT);
        diags.push(warning(d));
    }
}

/// The text as written when it holds ruby (or escaped braces), to be kept beside its plain
/// words ([`crate::ruby::base_text`]).
pub(super) fn written_with_ruby(text: &str) -> Option<String> {
    (crate::ruby::base_text(text) != text).then(|| text.to_string())
}
