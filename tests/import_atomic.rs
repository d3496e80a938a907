//! `keikaku import` writes all the files it changes or none of them: with one of three measure
//! files impossible to replace, the other two are left as they were, and the error names the
//! file and says that nothing was changed.
//!
//! The tests run as root, for whom permissions stop nothing, so the file is made immutable
//! with `chattr +i` (the test is skipped, saying so, where the file system does not allow it;
//! the unit tests in `src/cli/import/write.rs` inject the same failure at every step).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{read_tree, site};

/// Makes a file immutable for as long as it lives.
struct Immutable(PathBuf);

impl Immutable {
    fn set(path: &Path) -> Option<Immutable> {
        let ok = Command::new("chattr")
            .arg("+i")
            .arg(path)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Immutable(path.to_path_buf()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

#[test]
fn an_import_with_one_file_that_cannot_be_replaced_changes_no_file() {
    let (tmp, root) = site();
    let sheet = tmp.path().join("実績.csv");
    std::fs::write(
        &sheet,
        "施策ID,成果目標,区分,令和6年度\n01-01,1,実績,\"33,474千円\"\n01-02,1,実績,1\n01-03,1,実績,584頭\n",
    )
    .unwrap();
    let before = read_tree(&root);
    let Some(_immutable) = Immutable::set(&root.join("content/measures/01-02.yaml")) else {
        eprintln!("skipped: chattr +i is not available here");
        return;
    };
    // The file is still readable, so the import plans all three changes…
    let dry = common::run(&[
        "import",
        sheet.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
        "--dry-run",
    ]);
    let diff = common::text(&dry.stdout);
    for id in ["01-01", "01-02", "01-03"] {
        assert!(
            diff.contains(&format!("b/content/measures/{id}.yaml")),
            "{diff}"
        );
    }
    // …and then cannot replace the second one.
    let out = common::run(&[
        "import",
        sheet.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
    ]);
    let stderr = common::text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("content/measures/01-02.yaml"), "{stderr}");
    assert!(
        stderr.contains("どのファイルも書き換えていません"),
        "{stderr}"
    );
    assert_eq!(
        read_tree(&root),
        before,
        "a file was changed or left behind"
    );
}
