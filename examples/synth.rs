//! Synthetic site content for benchmarks: a plan with any number of measures, shaped like the
//! real seed data (1–3 KPIs per measure drawn from every cell form of the seed sheets, four
//! fiscal years, Japanese narrative sections of realistic length, a 300-term glossary whose
//! terms occur in the text, annual activity plans for 令和4・5年度). Deterministic: the same
//! `--seed` gives the same files.
//!
//! ```sh
//! cargo run --release --example synth -- --measures 10000 --out /dev/shm/synth
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Every target and actual cell of the seed sheets: the realistic mix of cell forms.
const SEED_CELLS: &str = include_str!("../tests/fixtures/seed_kpi_cells.tsv");

const DEPARTMENTS: &[&str] = &[
    "情報経営課",
    "産業振興課",
    "農林水産課",
    "危機管理課",
    "健康推進課",
    "高齢者福祉課",
    "市民活動支援課",
    "中央公民館",
    "学校教育課",
    "こども保育課",
    "文化課",
    "市民課",
    "総務課",
    "契約検査課",
    "職員課",
    "財政課",
    "企画課",
    "シティプロモーション課",
    "福祉相談課",
    "こども政策課",
    "会計室",
    "資産税課",
    "市民税課",
    "介護保険課",
];

const OPENINGS: &[&str] = &[
    "少子高齢化と人口減少が進むなかで、",
    "市民の暮らし方や働き方が大きく変わるなかで、",
    "限られた職員と予算で行政サービスを続けるために、",
    "地域の課題が複雑になるなかで、",
    "災害や感染症などの有事に備えるために、",
];

const MIDDLES: &[&str] = &[
    "を活用して手続きの手間を減らし、",
    "の導入により窓口での待ち時間を短くし、",
    "を使った情報発信を強化して、",
    "に関する職員研修を進めることで、",
    "の実証実験を民間事業者と協力して行い、",
    "の利用を広げるための周知を続け、",
];

const ENDINGS: &[&str] = &[
    "市民サービスの向上を図ります。",
    "業務の効率化につなげます。",
    "地域経済の活性化を目指します。",
    "誰一人取り残されないデジタル化を進めます。",
    "効果を検証しながら取組を見直します。",
];

const KANA: &[&str] = &[
    "あ", "い", "う", "え", "お", "か", "き", "く", "け", "こ", "さ", "し", "す", "せ", "そ", "た",
    "ち", "つ", "て", "と", "な", "に", "ぬ", "ね", "の", "は", "ひ", "ふ", "へ", "ほ", "ま", "み",
    "む", "め", "も", "や", "ゆ", "よ", "ら", "り", "る", "れ", "ろ", "わ",
];

const KATAKANA: &[&str] = &[
    "ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ", "サ", "シ", "ス", "セ", "ソ", "タ",
    "チ", "ツ", "テ", "ト", "ナ", "ニ", "ヌ", "ネ", "ノ", "ハ", "ヒ", "フ", "ヘ", "ホ", "マ", "ミ",
    "ム", "メ", "モ", "ヤ", "ユ", "ヨ", "ラ", "リ", "ル", "レ", "ロ", "ワ",
];

/// Command-line options; public so that tests/synth.rs can drive the generator directly.
pub struct Args {
    pub measures: usize,
    pub out: PathBuf,
    pub seed: u64,
    pub terms: usize,
}

fn parse_args() -> Args {
    let mut args = Args {
        measures: 1000,
        out: PathBuf::from("target/synth"),
        seed: 1,
        terms: 300,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--measures" => args.measures = value.parse().expect("--measures N"),
            "--out" => args.out = PathBuf::from(value),
            "--seed" => args.seed = value.parse().expect("--seed N"),
            "--terms" => args.terms = value.parse().expect("--terms N"),
            other => {
                panic!("unknown option {other}; use --measures N --out DIR [--seed N] [--terms N]")
            }
        }
    }
    args
}

struct Term {
    term: String,
    reading: String,
}

fn main() {
    let args = parse_args();
    generate(&args);
    eprintln!(
        "{} measures, {} terms written to {}",
        args.measures,
        args.terms,
        args.out.display()
    );
}

/// Writes the whole synthetic site (config.yaml and content/) into `args.out`, replacing it.
pub fn generate(args: &Args) {
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    if args.out.exists() {
        std::fs::remove_dir_all(&args.out).expect("clear output folder");
    }
    let content = args.out.join("content");
    std::fs::create_dir_all(content.join("measures")).unwrap();
    std::fs::create_dir_all(content.join("pages")).unwrap();

    let cells: Vec<(&str, &str, &str, &str, &str)> = SEED_CELLS
        .lines()
        .filter_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c.len() == 5).then(|| (c[0], c[1], c[2], c[3], c[4]))
        })
        .collect();

    let terms = make_terms(&mut rng, args.terms);
    let policies = 4usize;

    write(
        &args.out.join("config.yaml"),
        "title: 合成計画 進捗状況\ncity: 合成市\nbase_url: https://example.invalid/synth/\n"
            .to_string(),
    );

    let mut plan = String::from("title: 合成市DX推進計画\nperiod:\n  start: R4\n  end: R7\nrevision: 令和6年8月改訂\nphilosophy: |\n");
    plan.push_str(&format!("  {}\n", paragraph(&mut rng, &terms, 3)));
    plan.push_str("policies:\n");
    for p in 1..=policies {
        plan.push_str(&format!(
            "  - number: {p}\n    title: 方針{p}の取組\n    summary: |\n      {}\n",
            paragraph(&mut rng, &terms, 2)
        ));
    }
    write(&content.join("plan.yaml"), plan);

    let mut glossary = String::from("terms:\n");
    for t in &terms {
        glossary.push_str(&format!(
            "  - term: \"{}\"\n    reading: \"{}\"\n    explanation: |\n      {}\n",
            t.term,
            t.reading,
            paragraph(&mut rng, &terms, 1)
        ));
    }
    write(&content.join("glossary.yaml"), glossary);

    let mut measures = Vec::with_capacity(args.measures);
    for i in 0..args.measures {
        let policy = i % policies + 1;
        let id = format!("{:02}-{:05}", policy, i / policies + 1);
        let (text, lead) = measure(&mut rng, &id, policy, &terms, &cells);
        write(&content.join("measures").join(format!("{id}.yaml")), text);
        measures.push((id, lead));
    }

    for (slug, title) in [
        ("about", "このサイトについて"),
        ("background", "計画の背景"),
    ] {
        let mut body = format!("---\ntitle: {title}\norder: 10\n---\n\n");
        for _ in 0..4 {
            body.push_str(&format!(
                "## {}\n\n{}\n\n",
                title,
                paragraph(&mut rng, &terms, 4)
            ));
        }
        write(&content.join("pages").join(format!("{slug}.md")), body);
    }

    // Activity plans draw from their own stream of the same seed, so that adding them left
    // every other file exactly as the same seed wrote it before.
    let mut activity_rng = ChaCha8Rng::seed_from_u64(args.seed);
    activity_rng.set_stream(1);
    write_activity(&mut activity_rng, &content, &measures, &terms);
}

fn write(path: &Path, text: String) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Glossary terms: a third Latin acronyms, the rest katakana words, each with a kana reading.
fn make_terms(rng: &mut ChaCha8Rng, n: usize) -> Vec<Term> {
    let mut terms = Vec::with_capacity(n);
    let mut seen = std::collections::BTreeSet::new();
    while terms.len() < n {
        let (term, reading) = if terms.len() % 3 == 0 {
            let len = rng.random_range(2..=4);
            let t: String = (0..len)
                .map(|_| char::from(b'A' + rng.random_range(0..26u8)))
                .collect();
            let r: String = t.chars().map(|c| KANA[(c as usize) % KANA.len()]).collect();
            (t, r)
        } else {
            let len = rng.random_range(3..=6);
            let idx: Vec<usize> = (0..len)
                .map(|_| rng.random_range(0..KATAKANA.len()))
                .collect();
            let t: String = idx.iter().map(|&i| KATAKANA[i]).collect();
            let r: String = idx.iter().map(|&i| KANA[i]).collect();
            (t, r)
        };
        if seen.insert(term.clone()) {
            terms.push(Term { term, reading });
        }
    }
    terms
}

/// `sentences` Japanese sentences, each mentioning a glossary term.
fn paragraph(rng: &mut ChaCha8Rng, terms: &[Term], sentences: usize) -> String {
    let mut s = String::new();
    for _ in 0..sentences {
        let term = &terms.choose(rng).expect("terms").term;
        let _ = write!(
            s,
            "{}{}{}{}",
            OPENINGS.choose(rng).unwrap(),
            term,
            MIDDLES.choose(rng).unwrap(),
            ENDINGS.choose(rng).unwrap()
        );
    }
    s
}

fn measure(
    rng: &mut ChaCha8Rng,
    id: &str,
    policy: usize,
    terms: &[Term],
    cells: &[(&str, &str, &str, &str, &str)],
) -> (String, &'static str) {
    let mut y = String::new();
    let _ = writeln!(y, "id: \"{id}\"");
    let _ = writeln!(
        y,
        "title: \"{}を活用した施策 {id}\"",
        terms.choose(rng).unwrap().term
    );
    let _ = writeln!(y, "policy: {policy}");
    let lead = *DEPARTMENTS.choose(rng).unwrap();
    let _ = writeln!(y, "lead_department: {lead}");
    let related = rng.random_range(0..=2);
    if related > 0 {
        y.push_str("related_departments:\n");
        for d in DEPARTMENTS.choose_multiple(rng, related) {
            let _ = writeln!(y, "  - {d}");
        }
    }
    y.push_str("sections:\n");
    for (key, n) in [
        ("current_state", 4),
        ("details", 3),
        ("expected_effects", 2),
        ("future_policy", 3),
    ] {
        let _ = writeln!(y, "  {key}: |");
        for _ in 0..n {
            let _ = writeln!(y, "    - {}", paragraph(rng, terms, 1));
        }
    }
    y.push_str("schedule:\n");
    for t in 0..rng.random_range(1..=4) {
        let _ = writeln!(y, "  - task: 取組{}", t + 1);
    }
    // KPIs: take the cells of one real seed KPI, so each KPI has a realistic, consistent mix.
    let kpi_count = rng.random_range(1..=3);
    y.push_str("kpis:\n");
    for k in 0..kpi_count {
        let (sid, sk, ..) = cells.choose(rng).unwrap();
        let _ = writeln!(y, "  - indicator: 指標{}の値", k + 1);
        for kind in ["target", "actual"] {
            let rows: Vec<_> = cells
                .iter()
                .filter(|c| c.0 == *sid && c.1 == *sk && c.3 == kind)
                .collect();
            if rows.is_empty() {
                continue;
            }
            let _ = writeln!(y, "    {kind}:");
            for (_, _, year, _, text) in rows {
                let _ = writeln!(
                    y,
                    "      {year}: \"{}\"",
                    text.replace('\\', "\\\\").replace('"', "\\\"")
                );
            }
        }
    }
    (y, lead)
}

/// Fiscal years with activity plans. The seed has plans for 令和4年度 only; the synthetic plan
/// is the 令和6年8月 revision, by which time two years of plans exist, and a second year
/// exercises what one cannot: the list of years, and measure pages linking plans of several.
const ACTIVITY_YEARS: &[&str] = &["R4", "R5"];

/// Share of measures with a plan in a year: 26 of the seed's 31 measures have one for 令和4年度.
const ACTIVITY_SHARE: f64 = 0.84;

/// Tasks per plan, weighted like the seed (1 task: 1 plan, 2: 13, 3: 11, 4: 1).
const TASKS_PER_PLAN: &[(usize, u32)] = &[(1, 1), (2, 13), (3, 11), (4, 1)];

/// Progress words of the default vocabulary with their weights. The seed's 64 tasks: 49 予定通り,
/// 5 進捗遅延・課題あり, 10 without progress; the other built-in words get a small share so
/// that every status is rendered. `None` is a task without `progress:`.
const PROGRESS: &[(Option<&str>, u32)] = &[
    (Some("予定通り"), 68),
    (Some("進捗遅延・課題あり"), 8),
    (Some("未着手"), 3),
    (Some("前倒し"), 3),
    (Some("完了"), 4),
    (None, 14),
];

const TASK_NAMES: &[&str] = &[
    "利用促進事業",
    "導入検討",
    "周知・広報",
    "職員研修",
    "実証実験",
    "システム改修",
    "運用体制の整備",
    "オンライン化",
];

/// Work items by quarter, so that a year reads from planning (4〜6月) to review (1〜3月).
const WORK_BY_QUARTER: [&[&str]; 4] = [
    &[
        "の導入方針の検討",
        "に関する情報収集",
        "について関係課との協議",
        "の利用状況の調査",
        "の仕様の検討",
    ],
    &[
        "の仕様書の作成",
        "の事業者選定",
        "に関する説明会の開催",
        "の実施計画の作成",
        "の試行",
    ],
    &[
        "の導入・設定",
        "の運用テスト",
        "に関する職員研修の実施",
        "のホームページでの周知",
        "の利用者アンケートの実施",
    ],
    &[
        "の運用開始",
        "の効果検証",
        "の次年度予算の要求",
        "の利用規定の策定",
        "の実績の取りまとめ",
    ],
];

/// Work that recurs every quarter, as in the seed (「アクアコインの情報発信」 in all four).
const RECURRING_WORK: &[&str] = &["の情報発信", "の利用促進", "の問い合わせ対応"];

const COUNTERMEASURES: &[&str] = &[
    "事業者と協議してスケジュールを見直し、第4四半期中の完了を目指します。",
    "関係課と課題を整理し、次年度の早い時期に再開できるよう準備します。",
    "先行自治体の事例を調べ、進め方を見直します。",
    "周知の方法を見直し、利用の少ない世代に向けた説明の機会を増やします。",
];

const BUDGET_DETAILS: &[&str] = &[
    "システム利用料を予算化",
    "委託料を予算化",
    "機器の購入費及び保守費を予算化",
    "研修の講師謝礼を予算化",
];

/// Fictional names: the field must be readable in content and never appear on the site.
const SURNAMES: &[&str] = &["合成", "架空", "見本", "仮名", "試験"];
const GIVEN_NAMES: &[&str] = &["太郎", "花子", "一郎", "次郎", "桜", "翼"];

/// `content/activity/<year>/<ID>.yaml` for about 84% of measures in each of
/// [`ACTIVITY_YEARS`]; `measures` are (ID, lead department) in file order.
fn write_activity(
    rng: &mut ChaCha8Rng,
    content: &Path,
    measures: &[(String, &str)],
    terms: &[Term],
) {
    for year in ACTIVITY_YEARS {
        let dir = content.join("activity").join(year);
        std::fs::create_dir_all(&dir).unwrap();
        for (i, (id, lead)) in measures.iter().enumerate() {
            if rng.random_bool(ACTIVITY_SHARE) {
                let text = activity_plan(rng, i, measures, lead, terms);
                write(&dir.join(format!("{id}.yaml")), text);
            }
        }
    }
}

/// One plan, with the optional fields present about as often as in the seed.
fn activity_plan(
    rng: &mut ChaCha8Rng,
    index: usize,
    measures: &[(String, &str)],
    lead: &str,
    terms: &[Term],
) -> String {
    let mut y = String::new();
    // The seed names the year's department on every plan; a few changed their name that year.
    if rng.random_bool(0.9) {
        let department = if rng.random_bool(0.1) {
            DEPARTMENTS.choose(rng).unwrap()
        } else {
            lead
        };
        let _ = writeln!(y, "department: {department}");
    }
    if rng.random_bool(0.95) {
        let n = DEPARTMENTS.iter().position(|d| *d == lead).unwrap_or(0);
        let _ = writeln!(y, "contact: dept{n:02}@city.example.invalid");
    }
    // The seed sheets carry the staff member's name; working copies keep it.
    if rng.random_bool(0.7) {
        let _ = writeln!(
            y,
            "staff: {} {}",
            SURNAMES.choose(rng).unwrap(),
            GIVEN_NAMES.choose(rng).unwrap()
        );
    }
    // A goal of one to three sentences, written as a numbered list when there are several.
    y.push_str("goal: |\n");
    let sentences = rng.random_range(1..=3);
    for n in 1..=sentences {
        let sentence = paragraph(rng, terms, 1);
        if sentences == 1 {
            let _ = writeln!(y, "  {sentence}");
        } else {
            let _ = writeln!(y, "  {n}. {sentence}");
        }
    }
    // Seven of the seed's 26 plans name one or two related measures.
    if measures.len() > 1 && rng.random_bool(0.27) {
        let mut related = Vec::new();
        for _ in 0..rng.random_range(1..=2) {
            let other = rng.random_range(0..measures.len() - 1);
            let other = if other >= index { other + 1 } else { other };
            let rid = format!("\"{}\"", measures[other].0);
            if !related.contains(&rid) {
                related.push(rid);
            }
        }
        let _ = writeln!(y, "related_measures: [{}]", related.join(", "));
    }
    y.push_str("tasks:\n");
    let tasks = TASKS_PER_PLAN.choose_weighted(rng, |t| t.1).unwrap().0;
    for name in TASK_NAMES.choose_multiple(rng, tasks) {
        let subject = &terms.choose(rng).unwrap().term;
        let _ = writeln!(y, "  - task: \"{subject}{name}\"");
        y.push_str("    quarters:\n");
        // Most tasks run all year; the rest start late or end early.
        let (first, last) = if rng.random_bool(0.7) {
            (1, 4)
        } else {
            let a = rng.random_range(1..=4);
            let b = rng.random_range(1..=4);
            (a.min(b), a.max(b))
        };
        let recurring = rng
            .random_bool(0.3)
            .then(|| *RECURRING_WORK.choose(rng).unwrap());
        for q in first..=last {
            let items = rng.random_range(1..=3);
            let mut work: Vec<String> = WORK_BY_QUARTER[q - 1]
                .choose_multiple(rng, items)
                .map(|w| {
                    // Mostly about the task's own subject, sometimes about a neighbouring one.
                    let about = if rng.random_bool(0.6) {
                        subject
                    } else {
                        &terms.choose(rng).unwrap().term
                    };
                    format!("{about}{w}")
                })
                .collect();
            if let Some(r) = recurring {
                work.insert(0, format!("{subject}{r}"));
            }
            // Both forms the format allows: one text, or a list.
            if work.len() == 1 && rng.random_bool(0.5) {
                let _ = writeln!(y, "      {q}: \"{}\"", work[0]);
            } else {
                let _ = writeln!(y, "      {q}:");
                for w in work {
                    let _ = writeln!(y, "        - \"{w}\"");
                }
            }
        }
        let progress = PROGRESS.choose_weighted(rng, |p| p.1).unwrap().0;
        if let Some(p) = progress {
            let _ = writeln!(y, "    progress: {p}");
        }
        // Four of the seed's five delayed tasks say what will be done about it.
        if progress == Some("進捗遅延・課題あり") && rng.random_bool(0.8) {
            let _ = writeln!(
                y,
                "    countermeasures: |\n      {}",
                COUNTERMEASURES.choose(rng).unwrap()
            );
        }
    }
    if rng.random_bool(0.95) {
        let planned = rng.random_bool(0.7);
        let _ = writeln!(y, "budget:\n  planned: {planned}");
        if planned {
            let _ = writeln!(y, "  details: {}", BUDGET_DETAILS.choose(rng).unwrap());
        }
    }
    y
}
