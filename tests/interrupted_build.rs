//! A build killed at any moment (SIGKILL: no chance to clean up) must leave `public/` as the
//! previous complete site or the new complete site, never a mixture or a missing folder, and
//! the next build must clear away the work folders the killed one left behind.
//!
//! The site is large enough that a build takes about a second (debug binary), so that kills
//! land in every phase: loading, rendering, writing the work folder and swapping it in. The
//! kill delays come from a fixed seed, so a failure can be replayed.

#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use common::{copy_tree, fixtures};

/// Measures in the generated site (besides the two of the mini site).
const MEASURES: usize = 250;
/// Kills per run; each is followed by a check of `public/`.
const KILLS: usize = 15;

/// Every file of `dir` as path → hash of its bytes; `None` if `dir` does not exist.
fn manifest(dir: &Path) -> Option<BTreeMap<String, u64>> {
    if !dir.exists() {
        return None;
    }
    let mut files = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let mut h = DefaultHasher::new();
            std::fs::read(e.path()).unwrap().hash(&mut h);
            files.insert(rel, h.finish());
        }
    }
    Some(files)
}

/// Work folders (`.keikaku-public.new-<pid>`, `.keikaku-public.old-<pid>`) beside the output.
fn work_folders(parent: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".keikaku-"))
        .collect();
    names.sort();
    names
}

fn write_large_site(site: &Path) {
    copy_tree(&fixtures().join("mini"), site);
    let section = "地域の課題を解決するために、デジタル技術を活用した取組を進めます。".repeat(8);
    for i in 1..=MEASURES {
        let id = format!("01-{i:04}");
        let text = format!(
            "id: \"{id}\"\ntitle: 生成された施策{i}\npolicy: {policy}\nlead_department: 情報政策課\n\
             sections:\n  current_state: |\n    {section}\n  details: |\n    {section}\n\
             schedule:\n  - task: 事業{i}\n    years: [R4, R5]\n\
             kpis:\n  - indicator: 件数{i}\n    target:\n      R4: \"{t}件\"\n      R5: \"{t2}件\"\n\
             \x20   actual:\n      R4: \"{a}件\"\n",
            policy = 1,
            t = 100 + i,
            t2 = 120 + i,
            a = 90 + i * 3 % 50,
        );
        std::fs::write(site.join(format!("content/measures/{id}.yaml")), text).unwrap();
    }
}

/// Sets the site title, which every page shows: two titles give two sites that differ in
/// every page.
fn set_title(site: &Path, title: &str) {
    let config = site.join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let rest: Vec<&str> = text.lines().filter(|l| !l.starts_with("title:")).collect();
    std::fs::write(config, format!("title: {title}\n{}\n", rest.join("\n"))).unwrap();
}

fn build_cmd(site: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_keikaku"));
    cmd.args(["build", "--root"])
        .arg(site)
        .arg("--output")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn build(site: &Path, out: &Path) -> Duration {
    let started = Instant::now();
    let status = build_cmd(site, out).status().unwrap();
    assert!(status.success(), "build of {} failed", site.display());
    started.elapsed()
}

#[test]
fn a_killed_build_leaves_the_old_or_the_new_site_and_its_leftovers_are_cleaned() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    write_large_site(&site);
    let titles = ["テスト市 計画の進捗（前）", "テスト市 計画の進捗（後）"];

    // The two complete sites, built without interruption into folders of their own.
    let mut complete = Vec::new();
    let mut full_build = Duration::ZERO;
    for (i, title) in titles.iter().enumerate() {
        set_title(&site, title);
        let reference = tmp.path().join(format!("reference-{i}"));
        full_build = full_build.max(build(&site, &reference));
        complete.push(manifest(&reference).unwrap());
    }
    assert_ne!(complete[0], complete[1]);
    assert!(complete[0].len() > MEASURES);

    let out_parent = tmp.path().join("www");
    std::fs::create_dir_all(&out_parent).unwrap();
    let out = out_parent.join("public");
    set_title(&site, titles[0]);
    build(&site, &out);
    assert_eq!(manifest(&out).as_ref(), Some(&complete[0]));

    let mut rng = ChaCha8Rng::seed_from_u64(0x006b_6569_6b61_6b75);
    let mut current = 0;
    let (mut killed, mut left_work_folders) = (0, 0);
    for round in 0..KILLS {
        let next = 1 - current;
        set_title(&site, titles[next]);
        // Up to a little past a whole build, so that some builds finish before the kill.
        let delay = full_build.mul_f64(rng.random_range(0.05..1.15));
        let mut child = build_cmd(&site, &out).spawn().unwrap();
        std::thread::sleep(delay);
        let finished = child.try_wait().unwrap().is_some();
        if !finished {
            child.kill().unwrap(); // SIGKILL on Unix
            killed += 1;
        }
        let status = child.wait().unwrap();

        let now = manifest(&out);
        let state = complete.iter().position(|c| Some(c) == now.as_ref());
        assert!(
            state.is_some(),
            "round {round} (delay {delay:?}, exit {status:?}): public/ is neither complete site; \
             {} files, work folders {:?}",
            now.map_or(0, |m| m.len()),
            work_folders(&out_parent)
        );
        if finished {
            assert_eq!(
                state,
                Some(next),
                "round {round}: a finished build publishes"
            );
        }
        if !work_folders(&out_parent).is_empty() {
            left_work_folders += 1;
        }
        current = state.unwrap();
    }
    assert!(
        killed >= KILLS / 2,
        "only {killed} of {KILLS} builds were killed"
    );

    // The next complete build cleans up whatever the killed ones left.
    set_title(&site, titles[0]);
    build(&site, &out);
    assert_eq!(manifest(&out).as_ref(), Some(&complete[0]));
    assert_eq!(work_folders(&out_parent), Vec::<String>::new());
    eprintln!(
        "full build {full_build:?}; {killed} of {KILLS} builds killed, \
         {left_work_folders} left work folders behind"
    );
}
