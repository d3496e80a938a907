//! The glossary end to end, on the fixture site tests/fixtures/glossary/ built through the
//! library API: automatic and explicit term links on measure and Markdown pages, the glossary
//! page in dictionary order with its row index and back-links, the unused-term warning, and
//! the errors for bad glossary entries and unknown references (code, file and line).

mod common;

use std::path::Path;

use common::{copy_tree, fixtures};
use keikaku::build::{self, BuildOptions};
use keikaku::diagnostics::{Code, Diagnostic, Severity};
use keikaku::validate::Overrides;

fn site_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("glossary"), dir.path());
    dir
}

fn build_into(root: &Path) -> Result<std::path::PathBuf, Vec<Diagnostic>> {
    let output = root.join("public");
    build::build(&BuildOptions {
        root: root.to_path_buf(),
        output: output.clone(),
        overrides: Overrides::default(),
        force: false,
    })
    .map(|_| output)
    .map_err(|d| d.into_vec())
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn term_link(prefix: &str, anchor: &str, text: &str) -> String {
    format!("<a href=\"{prefix}glossary/#{anchor}\" class=\"term\">{text}</a>")
}

#[test]
fn measure_and_markdown_pages_link_terms_once_per_page() {
    let site = site_copy();
    let out = build_into(site.path()).expect("the fixture builds");
    let measure = read(&out.join("measures/01-01/index.html"));
    let link = |anchor: &str, text: &str| term_link("../../", anchor, text);

    // Longest match: the full term is one link (to its entry, already linked via DX, so
    // plain), and デジタル in デジタル化 links the shorter entry.
    assert!(
        measure.contains(&format!(
            "市では{}を進めています。デジタル・トランスフォーメーションと{}化は別の用語です。",
            link("dx", "DX"),
            link("dejitaru", "デジタル")
        )),
        "{measure}"
    );
    // Latin names only at word boundaries; AI-OCR is its own entry and AI is not found in it.
    assert!(
        measure.contains(&format!(
            "ITEMの管理に{}を使い、{}と{}を導入しました。{}も活用します。",
            link("it", "IT"),
            link("ai-ocr", "AI-OCR"),
            link("ai", "AI"),
            link("iot", "IoT")
        )),
        "{measure}"
    );
    // Not in headings; the first occurrence after the heading is linked instead.
    assert!(measure.contains("<h3>ハブの整備</h3>"), "{measure}");
    assert!(
        measure.contains(&format!(
            "<p>{}となる施設をつくります。</p>",
            link("habu", "ハブ")
        )),
        "{measure}"
    );
    // A later section of the same page: DX is not linked again, links and code are left
    // alone, and the ※ mark forces a second link.
    assert!(
        measure.contains(&format!(
            "<p>DXの推進には<a href=\"https://example.invalid/\">資料</a>と <code>IT</code> の知識が要ります。{}※を再び示します。</p>",
            link("dx", "DX")
        )),
        "{measure}"
    );
    // An explicit reference with other words, in a KPI note.
    assert!(
        measure.contains(&link("baffa", "緩衝用の領域")),
        "{measure}"
    );
    assert_eq!(measure.matches("class=\"term\"").count(), 9, "{measure}");

    // Suppressed with 用語:-: the shop name stays plain, no link, no back-link.
    let other = read(&out.join("measures/02-01/index.html"));
    assert!(other.contains("という店名"), "{other}");
    assert!(!other.contains("#habu"), "{other}");
    assert!(other.contains(&term_link("../../", "chiikitsuuka", "地域通貨")));

    // Markdown pages and the home page (one level up / at the root).
    let about = read(&out.join("about/index.html"));
    assert!(about.contains(&term_link("../", "opundeta", "オープンデータ")));
    assert!(about.contains(&term_link("../", "paburikkukomento", "パブリックコメント")));
    let home = read(&out.join("index.html"));
    assert!(home.contains(&term_link("", "gyouseitetsuzuki", "行政手続")));
}

#[test]
fn glossary_page_is_in_dictionary_order_with_row_index_and_back_links() {
    let site = site_copy();
    let out = build_into(site.path()).expect("the fixture builds");
    let page = read(&out.join("glossary/index.html"));

    let ids: Vec<&str> = page
        .split("<h3 id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(
        ids,
        [
            "opundeta",         // オープンデータ   (あ行)
            "gyouseitetsuzuki", // 行政手続 ぎょう… (か行, voiced ぎ under き)
            "chiikitsuuka",     // 地域通貨 ちいき… (た行)
            "dejitaru",         // デジタル てしたる
            "dx",               // デジタル・トランスフォーメーション (longer, after)
            "baffa",            // バッファ はつふあ (small っ = つ < ふ)
            "habu",             // ハブ はふ
            "paburikkukomento", // パブリックコメント はふりつく…
            "yunibasarudezain", // ユニバーサルデザイン (や行)
            "ai",               // Latin group, case and width folded
            "ai-ocr",
            "iot", // ＩｏＴ (full-width) sorts as iot
            "it",
        ]
    );

    // The row index: rows with terms are links, empty rows are plain text.
    for (label, anchor) in [("あ行", "gyo-a"), ("た行", "gyo-ta"), ("は行", "gyo-ha")] {
        assert!(
            page.contains(&format!("<a href=\"#{anchor}\">{label}</a>")),
            "{label}"
        );
        assert!(page.contains(&format!("<h2 id=\"{anchor}\">{label}</h2>")));
    }
    assert!(page.contains("<a href=\"#gyo-latin\">英数字（A–Z）</a>"));
    for label in ["さ行", "な行", "ま行", "ら行", "わ行"] {
        assert!(
            page.contains(&format!("glossary-index__empty\">{label}<")),
            "{label}"
        );
        assert!(!page.contains(&format!(">{label}</a>")), "{label}");
    }

    // Back-links, related entries, explicit references inside explanations, source.
    let entry = |anchor: &str| {
        let start = page.find(&format!("<h3 id=\"{anchor}\"")).unwrap();
        let end = page[start..].find("</article>").unwrap() + start;
        page[start..end].to_string()
    };
    let dx = entry("dx");
    assert!(
        dx.contains("<a href=\"../measures/01-01/\">01-01 DXとハブの整備</a>"),
        "{dx}"
    );
    assert!(dx.contains("（1件）"), "{dx}");
    assert!(
        dx.contains("関連する用語: <a href=\"#dejitaru\">デジタル</a>"),
        "{dx}"
    );
    let habu = entry("habu");
    assert!(habu.contains("../measures/01-01/"), "{habu}");
    assert!(
        !habu.contains("../measures/02-01/"),
        "suppressed use is no use: {habu}"
    );
    assert!(entry("opundeta").contains("<a href=\"../about/\">このサイトについて</a>"));
    assert!(entry("opundeta").contains("出典: テスト市DX計画 用語の説明"));
    assert!(entry("gyouseitetsuzuki").contains("<a href=\"../\">ホーム（基本理念）</a>"));
    let ocr = entry("ai-ocr");
    assert!(
        ocr.contains("<a href=\"#ai\" class=\"term\">AI</a>も参照"),
        "{ocr}"
    );
    // No automatic links on the glossary page itself.
    assert_eq!(page.matches("class=\"term\"").count(), 1, "{page}");
    // Readings are shown for kanji and Latin terms, not for kana ones.
    assert!(page.contains("行政手続 <span class=\"reading\">（ぎょうせいてつづき）</span>"));
    assert!(page.contains("<h3 id=\"habu\">ハブ</h3>"));
}

#[test]
fn unused_terms_are_warnings_in_check() {
    let site = site_copy();
    let diags = build::check(site.path(), &Overrides::default());
    assert!(!diags.has_errors(), "{:?}", diags);
    let warnings: Vec<_> = diags.iter().collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = warnings[0];
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!(w.code, Code::UnusedTerm);
    assert_eq!(w.file, Path::new("content/glossary.yaml"));
    assert_eq!(w.position.map(|p| p.line), Some(36));
    assert!(w.message.contains("ユニバーサルデザイン"));
}

/// Builds the fixture with `rel` replaced by `text`; returns (code, file, line) of each error.
fn errors_with(rel: &str, text: &str) -> Vec<(Code, String, Option<usize>)> {
    let site = site_copy();
    std::fs::write(site.path().join(rel), text).unwrap();
    let diags = build_into(site.path()).expect_err("the build must fail");
    assert!(
        !site.path().join("public").exists(),
        "nothing is written on error"
    );
    diags
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| {
            (
                d.code,
                d.file.display().to_string(),
                d.position.map(|p| p.line),
            )
        })
        .collect()
}

#[test]
fn explicit_reference_to_an_unknown_term_fails_the_build_at_its_line() {
    let measure = "id: \"02-01\"\ntitle: 地域通貨の普及\npolicy: 2\nlead_department: 産業振興課\nsections:\n  details: |\n    地域通貨の利用者を増やします。\n    [ふるさと納税](用語:ふるさと納税)も使えます。\n";
    assert_eq!(
        errors_with("content/measures/02-01.yaml", measure),
        [(
            Code::UnknownTerm,
            "content/measures/02-01.yaml".to_string(),
            Some(8)
        )]
    );
    let page =
        "---\ntitle: このサイトについて\n---\n\n本文です。\n\n[未知の語](用語:)を含みます。\n";
    assert_eq!(
        errors_with("content/pages/about.md", page),
        [(
            Code::UnknownTerm,
            "content/pages/about.md".to_string(),
            Some(7)
        )]
    );
}

#[test]
fn bad_glossary_entries_are_located_errors() {
    let glossary = "terms:
  - term: 行政手続
    explanation: 読みがありません。
  - term: 地域通貨
    reading: ちいき通貨
    explanation: 読みに漢字があります。
  - term: デジタル
    aliases: [ＤＸ]
    explanation: 全角と半角の違いだけの別名です。
  - term: DX
    explanation: 上の別名と同じです。
  - term: ハブ
    related: [存在しない用語]
    explanation: 関連用語がありません。
  - term: はぶ
    explanation: アンカーが habu で重なります。
";
    let file = "content/glossary.yaml".to_string();
    // (The fixture's measures also reference entries this glossary lacks; only the
    // glossary's own errors matter here.)
    let got: Vec<_> = errors_with("content/glossary.yaml", glossary)
        .into_iter()
        .filter(|e| e.1 == file)
        .collect();
    let mut expected = vec![
        (Code::GlossaryReading, file.clone(), Some(2)),
        (Code::GlossaryReading, file.clone(), Some(5)),
        (Code::Duplicate, file.clone(), Some(10)),
        (Code::UnknownTerm, file.clone(), Some(13)),
        (Code::GlossaryAnchor, file.clone(), Some(15)),
    ];
    let mut got_sorted = got.clone();
    got_sorted.sort_by_key(|e| e.2);
    expected.sort_by_key(|e| e.2);
    assert_eq!(got_sorted, expected, "{got:?}");
}
