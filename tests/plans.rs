//! Plans other than the example (issue #18): a KPI-less plan with its own section headings and
//! no departments, measures with several equally responsible departments, a plan numbered
//! 1 … 14, and a plan without policies or philosophy. Each is built from its fixture under
//! tests/fixtures/plans/, and the pages and open data must say only what that plan says.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use keikaku::build::Pipeline;
use keikaku::diagnostics::{Code, Diagnostics, Severity};
use keikaku::model::Site;

fn fixture(name: &str) -> PathBuf {
    common::fixtures().join("plans").join(name)
}

struct Built {
    site: Site,
    files: BTreeMap<String, String>,
    diags: Diagnostics,
}

impl Built {
    fn page(&self, path: &str) -> &str {
        self.files
            .get(path)
            .unwrap_or_else(|| panic!("{path} missing"))
    }

    /// Every HTML page and data file, for assertions that must hold everywhere.
    fn published(&self) -> impl Iterator<Item = (&String, &String)> {
        self.files
            .iter()
            .filter(|(p, _)| p.ends_with(".html") || p.starts_with("data/"))
    }
}

fn build(root: &Path) -> Built {
    let mut diags = Diagnostics::default();
    let mut pipeline = Pipeline::new(root);
    let site = pipeline
        .site(&mut diags)
        .unwrap_or_else(|| panic!("{} loads: {:?}", root.display(), diags.sorted()));
    let outputs = pipeline
        .outputs(&site, &mut diags)
        .unwrap_or_else(|| panic!("{} renders: {:?}", root.display(), diags.sorted()));
    let files = outputs
        .into_iter()
        .map(|o| (o.path, String::from_utf8_lossy(&o.bytes).into_owned()))
        .collect();
    Built { site, files, diags }
}

/// The order in which `needles` first appear in `haystack` must be the order given.
fn assert_in_order(haystack: &str, needles: &[&str], what: &str) {
    let mut from = 0;
    for n in needles {
        let at = haystack[from..]
            .find(n)
            .unwrap_or_else(|| panic!("{what}: {n:?} missing or out of order"));
        from += at + n.len();
    }
}

#[test]
fn a_plan_without_kpis_and_with_its_own_sections_says_only_what_it_has() {
    let b = build(&fixture("own_sections"));

    let home = b.page("index.html");
    assert!(
        home.contains("4の施策を公開しています。"),
        "home lead counts measures only"
    );
    for (path, text) in b.published() {
        assert!(!text.contains("成果目標"), "{path} mentions KPIs");
        assert!(!text.contains("（）"), "{path} has empty brackets");
        assert!(
            !text.contains("主管部署:"),
            "{path} names a lead department"
        );
        assert!(
            !text.contains("関連部署"),
            "{path} mentions related departments"
        );
    }

    // The plan's headings, in its order, with their own fragment ids.
    let m1 = b.page("measures/1/index.html");
    assert_in_order(
        m1,
        &[
            "<h2 id=\"current-state\">現状</h2>",
            "<h2 id=\"work\">取組内容</h2>",
            "<h2 id=\"plan\">計画</h2>",
        ],
        "measure 1 sections",
    );
    for default in ["現状と課題", "施策内容詳細", "今後の取組方針"] {
        assert!(
            !m1.contains(default),
            "default heading {default} on measure 1"
        );
    }

    // 平成31年度 as the plan writes it, with 令和元年度 beside it.
    assert!(
        home.contains("平成30年度（2018年度）〜平成31年度（令和元年度・2019年度）"),
        "period as written"
    );
    assert!(
        m1.contains("平成31年度（令和元年度）"),
        "schedule heading as written"
    );

    // Open data: no KPI tables or files, no departments table, the sections as a long table.
    let names: Vec<&str> = b.files.keys().map(String::as_str).collect();
    for absent in [
        "data/kpis.csv",
        "data/kpi_values.csv",
        "data/measure_departments.csv",
        "data/measures/1.csv",
    ] {
        assert!(!names.contains(&absent), "{absent} published");
    }
    let package = b.page("data/datapackage.json");
    assert!(!package.contains("kpi"), "datapackage describes KPI tables");
    let header = b
        .page("data/measures.csv")
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(!header.contains("current_state"), "{header}");
    assert!(!header.contains("kpi_count"), "{header}");
    let sections = b.page("data/measure_sections.csv");
    assert!(sections.contains("1,3,plan,計画,平成31年度に10手続を電子化します。"));

    // The measure with nothing but its title builds, and is warned about at its title.
    let blank: Vec<_> = b
        .diags
        .iter()
        .filter(|d| d.code == Code::BlankMeasure)
        .collect();
    assert_eq!(blank.len(), 1, "{:?}", b.diags.sorted());
    assert_eq!(blank[0].severity, Severity::Warning);
    assert!(blank[0].file.ends_with("content/measures/4.yaml"));
    assert_eq!(blank[0].position.map(|p| p.line), Some(2));
    assert!(b.files.contains_key("measures/4/index.html"));

    // A chapter that asks for it is in the main navigation after ホーム; the other is only in
    // the footer.
    let header = &home[..home.find("</header>").expect("a header")];
    assert_in_order(
        header,
        &[">ホーム<", ">計画の趣旨<", ">施策一覧<"],
        "main nav",
    );
    assert!(
        !header.contains("計画期間"),
        "a chapter without main_nav in the header"
    );
    assert!(home.contains(">計画期間<"), "every chapter in the footer");
}

#[test]
fn equally_responsible_departments_are_listed_as_the_plan_lists_them() {
    let b = build(&fixture("shared_departments"));
    let m1 = b.page("measures/01/index.html");
    assert_in_order(
        m1,
        &["<dt>担当課</dt>", "税務課", "総務課", "企画課"],
        "measure 01 departments in file order",
    );
    assert!(!m1.contains("主管部署"), "no invented lead");
    assert!(
        m1.contains("<dt>関連部署</dt><dd>なし</dd>"),
        "the plan uses 関連部署"
    );

    // The departments page in 五十音 order of the plan's readings:
    // きかくか, こそだてしえんか, ぜいむか, そうむか.
    let depts = b.page("departments/index.html");
    assert_in_order(
        depts,
        &[
            "<h2 id=\"企画課\">",
            "<h2 id=\"子育て支援課\">",
            "<h2 id=\"税務課\">",
            "<h2 id=\"総務課\">",
        ],
        "departments page",
    );
    assert!(depts.contains("担当課として担当する施策"));
    assert!(!depts.contains("主管部署として"));

    let cards = b.page("measures/index.html");
    assert!(
        cards.contains("担当課: 税務課、総務課、企画課"),
        "measure card"
    );

    let rows = b.page("data/measure_departments.csv");
    assert!(rows.contains("01,1,税務課,responsible,担当"), "{rows}");
    assert!(rows.contains("02,3,総務課,related,関連"), "{rows}");
    assert!(!rows.contains(",lead,"), "{rows}");
    let package = b.page("data/datapackage.json");
    assert!(package.contains("\"responsible\""));

    // A contact that is not the city is named with it.
    assert!(b.page("index.html").contains("さくら町 総務課"));
    // No revision: no brackets after the plan's name.
    assert!(b
        .page("index.html")
        .contains("content=\"さくら町情報化計画の施策を公開しています。\""));
}

#[test]
fn ids_1_to_14_are_in_natural_order_everywhere() {
    let b = build(&fixture("numbered"));
    let ids: Vec<&str> = b.site.measures.iter().map(|m| m.id.as_str()).collect();
    let expected: Vec<String> = (1..=14).map(|i| i.to_string()).collect();
    assert_eq!(ids, expected);

    let natural: Vec<String> = (1..=8).map(|i| format!("改革項目{i}<")).collect();
    let natural: Vec<&str> = natural.iter().map(String::as_str).collect();
    assert_in_order(b.page("measures/index.html"), &natural, "measures index");
    assert_in_order(
        b.page("policies/2/index.html"),
        &["改革項目9<", "改革項目10<", "改革項目14<"],
        "policy page",
    );

    // prev/next: 9 follows 8 … and 10 follows 9.
    let m9 = b.page("measures/9/index.html");
    assert!(m9.contains("rel=\"prev\"><span class=\"pager__label\">前の施策</span>8 改革項目8"));
    assert!(m9.contains("rel=\"next\"><span class=\"pager__label\">次の施策</span>10 改革項目10"));

    // Open data and the sitemap.
    let csv = b.page("data/measures.csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let id_column = header.iter().position(|c| *c == "measure_id").unwrap();
    let csv_ids: Vec<String> = lines
        .map(|l| l.split(',').nth(id_column).unwrap().to_string())
        .collect();
    assert_eq!(csv_ids, expected);
    let sitemap = b.page("sitemap.xml");
    assert_in_order(
        sitemap,
        &["measures/2/", "measures/9/", "measures/10/", "measures/14/"],
        "sitemap",
    );

    // A five-year plan with KPIs still describes them.
    assert!(b.page("index.html").contains("14の施策と2の成果目標"));
    assert!(b.files.contains_key("data/kpi_values.csv"));
}

#[test]
fn a_plan_without_policies_or_philosophy_lists_its_measures_directly() {
    let b = build(&fixture("no_policies"));
    let home = b.page("index.html");
    assert!(!home.contains("基本理念"));
    assert!(!home.contains("基本方針"));
    assert_in_order(
        home,
        &[
            "オンライン申請の推進",
            "庁内のペーパーレス化",
            "データの公開",
        ],
        "home page measures",
    );
    for (path, text) in b.published() {
        assert!(!text.contains("基本方針"), "{path} mentions policies");
        assert!(!text.contains("方針1"), "{path} names a policy");
        assert!(!text.contains("（）"), "{path} has empty brackets");
        assert!(
            !text.contains("青葉市 青葉市"),
            "{path} names the city twice"
        );
        assert!(!text.contains("成果目標"), "{path} mentions KPIs");
    }
    assert!(
        home.contains("<p>青葉市<br>電話: 000-000-0000"),
        "contact named once"
    );
    assert!(!b.files.keys().any(|p| p.starts_with("policies/")));
    assert!(!b.files.contains_key("data/policies.csv"));
    let search = b.page("search/index.html");
    assert!(search.contains("1-02</span> 庁内のペーパーレス化"));
    assert!(!search.contains("by-department"), "no departments to list");
    let header = b
        .page("data/measures.csv")
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(!header.contains("policy_number"), "{header}");
    assert!(!header.contains("policy_title"), "{header}");
    assert!(!header.contains("lead_department"), "{header}");
    let m = b.page("measures/1-01/index.html");
    // Only the page's date and the site's contact (every measure page has them since the
    // comprehension merge); no policy, department or related-department facts.
    let facts: Vec<&str> = m
        .split("<dt>")
        .skip(1)
        .map(|t| t.split("</dt>").next().unwrap())
        .collect();
    assert_eq!(
        facts,
        ["更新日", "お問い合わせ"],
        "no facts the plan does not state: {m}"
    );
}

/// `check --format json` on a copy of a fixture changed by `edit`, as (code key, file, line).
fn check_copy(name: &str, edit: impl FnOnce(&Path)) -> Vec<(String, String, u64)> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join(name);
    common::copy_tree(&fixture(name), &root);
    edit(&root);
    common::check_json(&root)
        .1
        .iter()
        .map(|d| {
            (
                d["code"]["key"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["position"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn section_keys_the_plan_does_not_declare_are_located_errors() {
    let found = check_copy("own_sections", |root| {
        std::fs::write(
            root.join("content/measures/5.yaml"),
            "id: \"5\"\ntitle: 例\npolicy: 1\nsections:\n  work: 内容\n  future_policy: 既定の項目\n",
        )
        .unwrap();
    });
    assert!(
        found.contains(&(
            "unknown_field".to_string(),
            "content/measures/5.yaml".to_string(),
            6
        )),
        "{found:?}"
    );

    let found = check_copy("own_sections", |root| {
        let plan = std::fs::read_to_string(root.join("content/plan.yaml")).unwrap();
        let plan = plan
            .replace("key: work", "key: Work-Plan")
            .replace("key: plan", "key: kpis");
        std::fs::write(root.join("content/plan.yaml"), plan).unwrap();
    });
    let plan_errors: Vec<u64> = found
        .iter()
        .filter(|(code, file, _)| code == "invalid_value" && file == "content/plan.yaml")
        .map(|(_, _, line)| *line)
        .collect();
    assert_eq!(plan_errors, [14, 16], "{found:?}");
}

#[test]
fn a_policy_is_required_exactly_when_the_plan_has_policies() {
    let found = check_copy("own_sections", |root| {
        std::fs::write(
            root.join("content/measures/5.yaml"),
            "id: \"5\"\ntitle: 例\nsections:\n  work: 内容\n",
        )
        .unwrap();
    });
    assert!(found.contains(&("missing_field".into(), "content/measures/5.yaml".into(), 1)));

    let found = check_copy("no_policies", |root| {
        std::fs::write(
            root.join("content/measures/1-04.yaml"),
            "id: \"1-04\"\ntitle: 例\npolicy: 1\nsections:\n  details: 内容\n",
        )
        .unwrap();
    });
    assert!(found.contains(&(
        "unknown_policy".into(),
        "content/measures/1-04.yaml".into(),
        3
    )));
}

#[test]
fn a_department_the_plan_does_not_list_is_warned_about() {
    let clean = check_copy("shared_departments", |_| {});
    assert!(clean.is_empty(), "{clean:?}");
    let found = check_copy("shared_departments", |root| {
        std::fs::write(
            root.join("content/measures/03.yaml"),
            "id: \"03\"\ntitle: 例\npolicy: 1\ndepartments: [企画課, 情報課]\nsections:\n  details: 内容\n",
        )
        .unwrap();
    });
    assert_eq!(
        found,
        [(
            "invalid_value".to_string(),
            "content/measures/03.yaml".to_string(),
            4
        )]
    );
}

#[test]
fn a_star_after_a_glossary_term_is_a_located_warning_and_a_kome_mark_links() {
    // The headword differs from how the text writes it: aliases link both spellings.
    let glossary = "terms:\n  - term: デジタル・トランスフォーメーション(DX)\n    reading: でじたるとらんすふぉーめーしょん\n    aliases: [DX, デジタル・トランスフォーメーション]\n    explanation: デジタル技術で変えることです。\n  - term: 無線LAN\n    reading: むせんらん\n    explanation: 電波でつなぐしくみです。\n";
    let measure = "id: \"1\"\ntitle: 電子申請の拡大\npolicy: 1\nsections:\n  current_state: |\n    DXを進めます。\n    無線LAN*の整備とDX*の推進を行います。\n  work: デジタル・トランスフォーメーション※を進めます。\n";
    let found = check_copy("own_sections", |root| {
        std::fs::write(root.join("content/glossary.yaml"), glossary).unwrap();
        std::fs::write(root.join("content/measures/1.yaml"), measure).unwrap();
    });
    let marks: Vec<&(String, String, u64)> = found
        .iter()
        .filter(|(code, _, _)| code == "glossary_mark_asterisk")
        .collect();
    assert_eq!(
        marks,
        [
            &(
                "glossary_mark_asterisk".to_string(),
                "content/measures/1.yaml".to_string(),
                7
            ),
            &(
                "glossary_mark_asterisk".to_string(),
                "content/measures/1.yaml".to_string(),
                7
            ),
        ],
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(code, _, _)| code == "unused_term"),
        "both spellings link the entry: {found:?}"
    );

    // Escaped, the mark is kept and links; ※ links too, and no warning is left.
    let escaped = measure.replace("LAN*", "LAN\\*").replace("DX*", "DX※");
    let found = check_copy("own_sections", |root| {
        std::fs::write(root.join("content/glossary.yaml"), glossary).unwrap();
        std::fs::write(root.join("content/measures/1.yaml"), &escaped).unwrap();
    });
    assert!(
        !found
            .iter()
            .any(|(code, _, _)| code == "glossary_mark_asterisk"),
        "{found:?}"
    );
}
