//! Synthetic site content for benchmarks: a plan with any number of measures, shaped like the
//! real seed data (1–3 KPIs per measure drawn from every cell form of the seed sheets, four
//! fiscal years, Japanese narrative sections of realistic length, a 300-term glossary whose
//! terms occur in the text). Deterministic: the same `--seed` gives the same files.
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

struct Args {
    measures: usize,
    out: PathBuf,
    seed: u64,
    terms: usize,
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

    for i in 0..args.measures {
        let policy = i % policies + 1;
        let id = format!("{:02}-{:05}", policy, i / policies + 1);
        write(
            &content.join("measures").join(format!("{id}.yaml")),
            measure(&mut rng, &id, policy, &terms, &cells),
        );
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
    eprintln!(
        "{} measures, {} terms written to {}",
        args.measures,
        terms.len(),
        args.out.display()
    );
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
) -> String {
    let mut y = String::new();
    let _ = writeln!(y, "id: \"{id}\"");
    let _ = writeln!(
        y,
        "title: \"{}を活用した施策 {id}\"",
        terms.choose(rng).unwrap().term
    );
    let _ = writeln!(y, "policy: {policy}");
    let _ = writeln!(y, "lead_department: {}", DEPARTMENTS.choose(rng).unwrap());
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
    y
}
