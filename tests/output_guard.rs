//! `keikaku build --output` never destroys what the user did not ask it to: the site's sources
//! (however the output path reaches them: directly, through `..`, from inside `content/`,
//! through a symbolic link), a file, or a folder of someone else's documents. Each dangerous
//! form is refused with exit code 2, an error naming both paths, and the sources byte for byte
//! as they were — with `--force` too, which only allows replacing a foreign folder.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_tree, fixtures, read_tree};

/// The marker file every site keikaku publishes carries (documented in docs/hardening.md).
const MARKER: &str = ".keikaku-site";

struct Refusal {
    code: String,
    message: String,
}

/// Runs `keikaku build` in `cwd` and returns its exit code and the errors of its JSON report.
fn build_in(cwd: &Path, root: &str, output: &str, force: bool) -> (i32, Vec<Refusal>, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_keikaku"));
    cmd.current_dir(cwd)
        .args(["build", "--quiet", "--format", "json", "--root", root])
        .args(["--output", output])
        .env("LANG", "ja_JP.UTF-8");
    if force {
        cmd.arg("--force");
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let errors = match (stdout.find('['), stdout.rfind(']')) {
        (Some(a), Some(b)) if a < b => {
            let report: serde_json::Value = serde_json::from_str(&stdout[a..=b]).unwrap();
            report
                .as_array()
                .unwrap()
                .iter()
                .map(|d| Refusal {
                    code: format!("{} {}", d["code"]["id"], d["code"]["key"]).replace('"', ""),
                    message: d["message"].as_str().unwrap().to_string(),
                })
                .collect()
        }
        _ => Vec::new(),
    };
    (out.status.code().unwrap_or(-1), errors, stderr)
}

fn site(tmp: &Path) -> PathBuf {
    let site = tmp.join("W");
    copy_tree(&fixtures().join("mini"), &site);
    std::fs::create_dir_all(site.join("themes/mine")).unwrap();
    std::fs::write(site.join("themes/mine/note.txt"), "theme file").unwrap();
    site
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn an_output_that_overlaps_the_sources_is_refused_and_the_sources_stay_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let tmp = tmp.path().canonicalize().unwrap();
    let w = site(&tmp);
    let before = read_tree(&w);
    #[cfg(unix)]
    std::os::unix::fs::symlink(&w, tmp.join("link")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(w.join("content"), tmp.join("content-link")).unwrap();

    // (working folder, --root, --output, the source the error must name)
    let mut cases: Vec<(PathBuf, String, String, PathBuf)> = vec![
        (
            tmp.clone(),
            s(&w).into(),
            s(&w.join("content")).into(),
            w.join("content"),
        ),
        (
            tmp.clone(),
            s(&w).into(),
            s(&w.join("content/measures")).into(),
            w.join("content"),
        ),
        (
            w.join("content"),
            "..".into(),
            ".".into(),
            w.join("content"),
        ),
        (
            w.join("content"),
            "..".into(),
            "../public/../content/measures".into(),
            w.join("content"),
        ),
        (
            tmp.clone(),
            s(&w).into(),
            s(&w.join("config.yaml")).into(),
            w.join("config.yaml"),
        ),
        (
            tmp.clone(),
            s(&w).into(),
            s(&w.join("themes")).into(),
            w.join("themes"),
        ),
        (tmp.clone(), s(&w).into(), s(&w).into(), w.clone()),
        (tmp.clone(), s(&w).into(), s(&tmp).into(), w.clone()),
    ];
    #[cfg(unix)]
    {
        // A root reached through a link, and an output that is the link's target.
        cases.push((
            tmp.clone(),
            s(&tmp.join("link")).into(),
            s(&w).into(),
            w.clone(),
        ));
        // An output that is a link into the sources.
        cases.push((
            tmp.clone(),
            s(&w).into(),
            s(&tmp.join("content-link")).into(),
            w.join("content"),
        ));
    }
    for (cwd, root, output, source) in &cases {
        for force in [false, true] {
            let (status, errors, stderr) = build_in(cwd, root, output, force);
            let what = format!("--root {root} --output {output} (in {cwd:?}, force {force})");
            assert_eq!(status, 2, "{what}: {stderr}");
            assert_eq!(errors.len(), 1, "{what}: {stderr}");
            assert_eq!(errors[0].code, "E0702 output_overlaps_sources", "{what}");
            let message = &errors[0].message;
            assert!(message.contains(output.as_str()), "{what}: {message}");
            assert!(message.contains(s(source)), "{what}: {message}");
            assert_eq!(read_tree(&w), before, "{what}: the sources changed");
        }
    }
    // Nothing was made beside the sources either.
    let mut names: Vec<String> = std::fs::read_dir(&tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["W", "content-link", "link"]);
    assert!(!w.join("public").exists());
}

#[test]
fn a_file_or_a_foreign_folder_is_not_replaced_and_force_replaces_only_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let tmp = tmp.path().canonicalize().unwrap();
    let w = site(&tmp);
    let sources = read_tree(&w);

    let file = tmp.join("report.txt");
    std::fs::write(&file, "keep me").unwrap();
    for force in [false, true] {
        let (status, errors, stderr) = build_in(&tmp, s(&w), s(&file), force);
        assert_eq!(status, 2, "{stderr}");
        assert_eq!(errors[0].code, "E0704 output_not_folder");
        assert!(errors[0].message.contains(s(&file)) && errors[0].message.contains(s(&w)));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    }

    let docs = tmp.join("mydocs");
    std::fs::create_dir_all(docs.join("sub")).unwrap();
    std::fs::write(docs.join("report.docx"), "a report").unwrap();
    std::fs::write(docs.join("sub/notes.txt"), "notes").unwrap();
    let documents = read_tree(&docs);
    let (status, errors, stderr) = build_in(&tmp, s(&w), s(&docs), false);
    assert_eq!(status, 2, "{stderr}");
    assert_eq!(errors[0].code, "E0703 output_not_generated");
    let message = &errors[0].message;
    assert!(
        message.contains(s(&docs)) && message.contains(s(&w)),
        "{message}"
    );
    assert!(
        message.contains("report.docx") && message.contains("--force"),
        "{message}"
    );
    assert_eq!(read_tree(&docs), documents);

    // With --force the folder is the user's to give up: it becomes the site.
    let (status, _, stderr) = build_in(&tmp, s(&w), s(&docs), true);
    assert_eq!(status, 0, "{stderr}");
    assert!(docs.join("index.html").is_file());
    assert!(!docs.join("report.docx").exists());
    assert!(docs.join(MARKER).is_file());
    // From then on it is keikaku's own, and rebuilt without --force.
    let (status, _, stderr) = build_in(&tmp, s(&w), s(&docs), false);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(read_tree(&w), sources);
}

#[test]
fn an_empty_folder_is_a_fine_output_and_the_default_output_still_works() {
    let tmp = tempfile::tempdir().unwrap();
    let w = site(tmp.path());
    let empty = tmp.path().join("www");
    std::fs::create_dir_all(&empty).unwrap();
    let (status, _, stderr) = build_in(tmp.path(), s(&w), s(&empty), false);
    assert_eq!(status, 0, "{stderr}");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_keikaku"));
    let out = cmd
        .current_dir(&w)
        .args(["build", "--quiet"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(w.join("public/index.html").is_file());
    // The marker is there, and no page, sitemap or data file lists it.
    assert!(w.join("public").join(MARKER).is_file());
    for (path, bytes) in read_tree(&w.join("public")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(MARKER),
            "{path} mentions the marker"
        );
    }
}
