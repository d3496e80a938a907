//! `serve`'s fast path: after a measure file changes, only that measure (and its neighbours'
//! pager links) is rendered at once and the rest follows, re-rendering only the listing pages
//! that show it. Whatever path a change takes, the
//! served site must end byte for byte where a full rebuild from scratch ends.

mod common;
use common as support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use keikaku::cli::serve::rebuild::{Rebuilder, Update};
use keikaku::cli::serve::state::{Scope, Shared};
use keikaku::url::measure_dir_of;
use keikaku::validate::Overrides;

fn is_measure_file(p: &str) -> bool {
    measure_dir_of(p).is_some()
}

/// Rebuilds after `changed` and publishes the way `serve` does; returns whether the fast path
/// was taken.
fn rebuild(rebuilder: &mut Rebuilder, shared: &Shared, changed: &[&str]) -> bool {
    let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
    match rebuilder.rebuild(&changed).expect("rebuild succeeds") {
        Update::Full(done) => {
            shared.publish(done.outputs, Scope::All);
            false
        }
        Update::Measures(done) => {
            for o in &done.outputs {
                assert!(
                    is_measure_file(&o.path),
                    "the fast update made {}, which is not a measure's file",
                    o.path
                );
            }
            let prefixes: Vec<String> = done
                .outputs
                .iter()
                .filter_map(|o| measure_dir_of(&o.path))
                .map(str::to_string)
                .collect();
            shared.publish(done.outputs, Scope::Measures(&prefixes));
            assert!(
                shared.snapshot().is_stale("index.html"),
                "home is held back until the rest is made"
            );
            let rest = rebuilder.rest().expect("rest succeeds");
            shared.publish(rest.outputs, Scope::Rest(&is_measure_file));
            true
        }
    }
}

fn served(shared: &Shared) -> BTreeMap<String, Vec<u8>> {
    let snap = shared.settled("index.html", Duration::from_secs(1));
    assert!(!snap.is_stale("index.html"));
    snap.site
        .expect("a site is served")
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn from_scratch(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut rebuilder = Rebuilder::new(root, Overrides::default());
    match rebuilder.rebuild(&[]).expect("full build") {
        Update::Full(done) => done
            .outputs
            .into_iter()
            .map(|o| (o.path, o.bytes))
            .collect(),
        Update::Measures(_) => panic!("a first build is a full build"),
    }
}

fn assert_same_site(got: &BTreeMap<String, Vec<u8>>, want: &BTreeMap<String, Vec<u8>>) {
    let got_keys: Vec<&String> = got.keys().collect();
    let want_keys: Vec<&String> = want.keys().collect();
    assert_eq!(got_keys, want_keys, "the same files");
    for (path, bytes) in want {
        assert!(&got[path] == bytes, "{path} differs from a full rebuild's");
    }
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let file = root.join(rel);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(from), "{rel} contains {from}");
    std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_measure_edit_is_fast_and_ends_where_a_full_rebuild_does() {
    let (_tmp, root) = support::site();
    let mut rebuilder = Rebuilder::new(&root, Overrides::default());
    let shared = Shared::default();
    assert!(!rebuild(&mut rebuilder, &shared, &[]));

    // A new title shows on the measure's page, its neighbours' pager links, the lists, the
    // data files and the search index; a new actual on its page, its chart and the data.
    let m = "content/measures/01-02.yaml";
    edit(
        &root,
        m,
        "スマート農業の実現に向けた支援",
        "スマート農業の実現に向けた支援（改）",
    );
    assert!(rebuild(&mut rebuilder, &shared, &[m]), "fast path taken");
    let site = served(&shared);
    for page in [
        "measures/01-01/index.html",
        "measures/01-02/index.html",
        "measures/01-03/index.html",
        "index.html",
        "measures/index.html",
        "search/index.html",
    ] {
        let text = String::from_utf8_lossy(&site[page]);
        assert!(
            text.contains("スマート農業の実現に向けた支援（改）"),
            "{page}"
        );
    }
    assert_same_site(&site, &from_scratch(&root));

    // Two measure files at once: a KPI cell and a glossary term that starts being used.
    let other = "content/measures/01-01.yaml";
    edit(&root, m, "R4: 2件", "R4: 3件");
    edit(
        &root,
        other,
        "電子地域通貨・行政ポイントを活用した",
        "ICTと電子地域通貨・行政ポイントを活用した",
    );
    // `sed -i` and many editors write a temporary file and rename it over the original:
    // the watcher reports both, and the temporary one is gone by now.
    assert!(rebuild(
        &mut rebuilder,
        &shared,
        &[m, other, "content/measures/sedAb12Cd"]
    ));
    assert_same_site(&served(&shared), &from_scratch(&root));

    // The listings after the edited measure are taken from what the last run rendered where
    // they do not show it: moving a measure to another department changes both departments'
    // lists, and to a department no other measure has, adds one.
    edit(
        &root,
        m,
        "lead_department: 農林水産課",
        "lead_department: 産業振興課",
    );
    assert!(rebuild(&mut rebuilder, &shared, &[m]));
    assert_same_site(&served(&shared), &from_scratch(&root));
    edit(
        &root,
        m,
        "lead_department: 産業振興課",
        "lead_department: 新設推進課",
    );
    assert!(rebuild(&mut rebuilder, &shared, &[m]));
    let site = served(&shared);
    assert!(String::from_utf8_lossy(&site["departments/index.html"]).contains("新設推進課"));
    assert_same_site(&site, &from_scratch(&root));
    // And back: what was reused after the first edits is right again after the last.
    edit(
        &root,
        m,
        "lead_department: 新設推進課",
        "lead_department: 農林水産課",
    );
    edit(&root, m, "R4: 3件", "R4: 2件");
    assert!(rebuild(&mut rebuilder, &shared, &[m]));
    assert_same_site(&served(&shared), &from_scratch(&root));
}

#[test]
fn other_changes_take_the_full_path_and_errors_keep_the_last_good_site() {
    let (_tmp, root) = support::site();
    let mut rebuilder = Rebuilder::new(&root, Overrides::default());
    let shared = Shared::default();
    assert!(!rebuild(&mut rebuilder, &shared, &[]));
    let m = "content/measures/01-02.yaml";

    // An error: nothing is published, and the fast path still works from the last good site.
    let good = std::fs::read_to_string(root.join(m)).unwrap();
    std::fs::write(root.join(m), good.replace("id: \"01-02\"", "id: [")).unwrap();
    assert!(rebuilder.rebuild(&[PathBuf::from(m)]).is_err());
    // Editing another measure meanwhile does not hide the first one's errors.
    let other = "content/measures/01-01.yaml";
    edit(&root, other, "電子地域通貨", "電子地域通貨（仮）");
    let errors = rebuilder
        .rebuild(&[PathBuf::from(other)])
        .err()
        .expect("01-02 is still broken");
    assert!(errors
        .sorted()
        .iter()
        .any(|d| d.file.ends_with("01-02.yaml")));
    std::fs::write(root.join(m), &good).unwrap();
    edit(&root, m, "スマート農業", "スマート農業（試）");
    assert!(rebuild(&mut rebuilder, &shared, &[m]));
    assert_same_site(&served(&shared), &from_scratch(&root));

    // An ID that is not the file name is an error, on the fast path as on the full one.
    let before = served(&shared);
    edit(&root, m, "id: \"01-02\"", "id: \"01-99\"");
    assert!(rebuilder.rebuild(&[PathBuf::from(m)]).is_err());
    assert_same_site(&served(&shared), &before);

    // A new measure file, and a glossary change: full rebuilds.
    let text = std::fs::read_to_string(root.join(m)).unwrap();
    let added = "content/measures/01-98.yaml";
    std::fs::write(
        root.join(added),
        text.replace("id: \"01-99\"", "id: \"01-98\""),
    )
    .unwrap();
    edit(&root, m, "id: \"01-99\"", "id: \"01-02\"");
    assert!(!rebuild(&mut rebuilder, &shared, &[added, m]));
    assert!(served(&shared).contains_key("measures/01-98/index.html"));
    assert_same_site(&served(&shared), &from_scratch(&root));
    edit(&root, "content/glossary.yaml", "term:", "term: ");
    assert!(!rebuild(
        &mut rebuilder,
        &shared,
        &["content/glossary.yaml"]
    ));
    assert_same_site(&served(&shared), &from_scratch(&root));
}

/// Activity plans that name related measures: after a measure's title changes, the plan
/// pages that show it — its own and the one that lists it as related — are made again, and
/// the other plan page, kept from the last run without being rebuilt, is still what a full
/// rebuild makes.
#[test]
fn a_measure_edit_remakes_the_activity_plan_pages_that_show_it() {
    let (_tmp, root) = support::site();
    let plans = root.join("content/activity/R4");
    std::fs::create_dir_all(&plans).unwrap();
    for (id, related) in [("01-01", "[\"01-02\"]"), ("01-02", "[]"), ("01-03", "[]")] {
        let plan = format!(
            "goal: 施策{id}の令和4年度の目標\nrelated_measures: {related}\ntasks:\n  - task: \"調査\"\n    quarters:\n      1:\n        - \"調査・研究\"\n    progress: 予定通り\n"
        );
        std::fs::write(plans.join(format!("{id}.yaml")), plan).unwrap();
    }
    let mut rebuilder = Rebuilder::new(&root, Overrides::default());
    let shared = Shared::default();
    assert!(!rebuild(&mut rebuilder, &shared, &[]));
    let before = served(&shared);
    let page_of = |id: &str| format!("activity/R4/{id}/index.html");
    assert!(
        before.contains_key(&page_of("01-03")),
        "the plan pages are made"
    );

    let m = "content/measures/01-02.yaml";
    let (title, edited) = (
        "スマート農業の実現に向けた支援",
        "スマート農業の実現に向けた支援（改）",
    );
    edit(&root, m, title, edited);
    assert!(rebuild(&mut rebuilder, &shared, &[m]), "fast path taken");
    let site = served(&shared);
    for id in ["01-01", "01-02"] {
        let text = String::from_utf8_lossy(&site[&page_of(id)]);
        assert!(text.contains(edited), "{id}");
    }
    assert_same_site(&site, &from_scratch(&root));

    // And back: each fast path starts from what the last one kept.
    edit(&root, m, edited, title);
    assert!(rebuild(&mut rebuilder, &shared, &[m]));
    assert_same_site(&served(&shared), &from_scratch(&root));
}
