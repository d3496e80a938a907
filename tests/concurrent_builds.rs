//! Builds that overlap in time, into the same output folder (a file watcher and a person, two
//! CI jobs), must each publish a complete site: the later one waits for the earlier one's lock
//! instead of tidying away its working folder. After every round of overlapping builds the
//! output must equal, file for file, one of the two complete sites, every build must have
//! exited 0, and nothing may be left beside the output.

#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{copy_tree, fixtures};

/// Measures in the generated site, so that one build takes long enough to be overlapped.
const MEASURES: usize = 100;
/// Rounds, and builds started in each; a bounded amount of work whatever happens.
const ROUNDS: usize = 3;
const BUILDS_PER_ROUND: usize = 3;
/// A build that has not finished by then is taken to hang (waiting for a lock never freed).
const DEADLINE: Duration = Duration::from_secs(120);

fn manifest(dir: &Path) -> Option<BTreeMap<String, u64>> {
    if !dir.exists() {
        return None;
    }
    let mut files = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap();
            let mut h = DefaultHasher::new();
            std::fs::read(e.path()).unwrap().hash(&mut h);
            files.insert(rel.to_string_lossy().into_owned(), h.finish());
        }
    }
    Some(files)
}

fn write_site(site: &Path) {
    copy_tree(&fixtures().join("mini"), site);
    let text = "地域の課題を解決するために、デジタル技術を活用した取組を進めます。".repeat(6);
    for i in 1..=MEASURES {
        let id = format!("01-{i:04}");
        let yaml = format!(
            "id: \"{id}\"\ntitle: 生成された施策{i}\npolicy: 1\nlead_department: 情報政策課\n\
             sections:\n  current_state: |\n    {text}\n\
             kpis:\n  - indicator: 件数{i}\n    target:\n      R4: \"{t}件\"\n\
             \x20   actual:\n      R4: \"{a}件\"\n",
            t = 100 + i,
            a = 90 + i * 3 % 50,
        );
        std::fs::write(site.join(format!("content/measures/{id}.yaml")), yaml).unwrap();
    }
}

/// A copy of the site with its own title, so that the two copies' sites differ on every page.
fn titled_copy(site: &Path, to: &Path, title: &str) {
    copy_tree(site, to);
    let config = to.join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let rest: Vec<&str> = text.lines().filter(|l| !l.starts_with("title:")).collect();
    std::fs::write(config, format!("title: {title}\n{}\n", rest.join("\n"))).unwrap();
}

fn spawn_build(site: &Path, out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_keikaku"))
        .args(["build", "--root"])
        .arg(site)
        .arg("--output")
        .arg(out)
        .env("LANG", "ja_JP.UTF-8")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for `child` until `deadline`; kills it and fails the test past that.
fn finish(mut child: Child, deadline: Instant, what: &str) -> (bool, String) {
    loop {
        if child.try_wait().unwrap().is_some() {
            let out = child.wait_with_output().unwrap();
            return (
                out.status.success(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            );
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{what} did not finish in {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn leftovers(parent: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "public")
        .collect();
    names.sort();
    names
}

#[test]
fn overlapping_builds_each_publish_a_complete_site() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().join("base");
    write_site(&base);
    let sites = [tmp.path().join("site-a"), tmp.path().join("site-b")];
    titled_copy(&base, &sites[0], "テスト市 計画（A）");
    titled_copy(&base, &sites[1], "テスト市 計画（B）");

    // The two complete sites, each built alone.
    let mut complete = Vec::new();
    let mut full_build = Duration::ZERO;
    for (i, site) in sites.iter().enumerate() {
        let reference = tmp.path().join(format!("reference-{i}"));
        let started = Instant::now();
        let (ok, stderr) = finish(
            spawn_build(site, &reference),
            Instant::now() + DEADLINE,
            "a reference build",
        );
        assert!(ok, "{stderr}");
        full_build = full_build.max(started.elapsed());
        complete.push(manifest(&reference).unwrap());
    }
    assert_ne!(complete[0], complete[1]);
    assert!(complete[0].len() > MEASURES);

    let parent = tmp.path().join("www");
    std::fs::create_dir_all(&parent).unwrap();
    let out = parent.join("public");
    let mut waited = 0;
    for round in 0..ROUNDS {
        // Started a quarter of a build apart, so that each one reaches the output while the
        // one before is still writing.
        let mut children = Vec::new();
        for b in 0..BUILDS_PER_ROUND {
            if b > 0 {
                std::thread::sleep(full_build.mul_f64(0.25));
            }
            children.push(spawn_build(&sites[(round + b) % 2], &out));
        }
        let deadline = Instant::now() + DEADLINE;
        for (b, child) in children.into_iter().enumerate() {
            let (ok, stderr) = finish(child, deadline, &format!("round {round} build {b}"));
            assert!(ok, "round {round} build {b} failed: {stderr}");
            if stderr.contains("終わるまで待ちます") {
                waited += 1;
            }
        }
        let now = manifest(&out);
        assert!(
            complete.iter().any(|c| Some(c) == now.as_ref()),
            "round {round}: public/ is neither complete site ({} files; complete: {})",
            now.map_or(0, |m| m.len()),
            complete[0].len()
        );
        assert_eq!(leftovers(&parent), Vec::<String>::new(), "round {round}");
    }
    assert!(
        waited > 0,
        "no build ever had to wait; the test overlapped nothing"
    );
    eprintln!("full build {full_build:?}; {waited} builds waited for another");
}
