//! `keikaku init [DIR]`: a new city's site in one command. Without it a second city had to copy
//! the example plan and delete another city's facts by hand, which leaves some behind.
//!
//! Everything written passes `keikaku check` and `keikaku build` as it stands, and says what to
//! write instead of pretending to be a plan: the texts are 「〜を書いてください」 placeholders,
//! the one measure and the one glossary term say in their comments that they are samples, and
//! the sample measure has no targets or results (no KPI is claimed). The measure and the page
//! come from the same templates as `keikaku new` (src/cli/scaffold.rs), so the two commands
//! never teach different formats.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::cli::scaffold::{self, commented, ScaffoldError};
use crate::fiscal::FiscalYear;
use crate::load::{CONFIG_FILE, GLOSSARY_FILE, MEASURES_DIR, PAGES_DIR, PLAN_FILE};

/// The sample measure's ID and the page's slug.
pub(crate) const SAMPLE_MEASURE: &str = "01-01";
pub(crate) const SAMPLE_PAGE: &str = "about";

/// How many fiscal years the new plan's period spans (a common length for a city plan; the
/// comment in plan.yaml says to change it).
const PLAN_YEARS: u16 = 4;

#[derive(Debug)]
pub(crate) enum InitError {
    /// The folder already holds files: nothing was written. `entries` are some of their
    /// names (sorted), `total` how many there are.
    NotEmpty {
        dir: PathBuf,
        entries: Vec<String>,
        total: usize,
    },
    /// The path names a file, not a folder.
    NotADirectory(PathBuf),
    /// A folder or file could not be made.
    Io(PathBuf, std::io::Error),
}

/// How many of the entries found are named when a folder is refused.
const NAMED_ENTRIES: usize = 3;

/// Writes a new site into `dir` (made if missing) and returns the files written, relative to
/// it. A folder that holds anything but hidden entries (`.git`, `.gitignore`) is refused before
/// anything is written: init never mixes a new site into existing files. Hidden entries are
/// allowed so that a site can be started in a freshly made repository; none of the files
/// written is hidden, and each is created only if it does not exist.
pub(crate) fn init(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    check_empty(dir)?;
    let years = plan_years(current_fiscal_year());
    let files: Vec<(PathBuf, String)> = vec![
        (PathBuf::from(CONFIG_FILE), config_yaml()),
        (PathBuf::from(PLAN_FILE), plan_yaml(&years)),
        (
            Path::new(MEASURES_DIR).join(format!("{SAMPLE_MEASURE}.yaml")),
            sample_measure_yaml(&years),
        ),
        (PathBuf::from(GLOSSARY_FILE), glossary_yaml()),
        (
            Path::new(PAGES_DIR).join(format!("{SAMPLE_PAGE}.md")),
            scaffold::PAGE_TEMPLATE.to_string(),
        ),
    ];
    std::fs::create_dir_all(dir).map_err(|e| InitError::Io(dir.to_path_buf(), e))?;
    let mut written = Vec::with_capacity(files.len());
    for (rel, text) in files {
        scaffold::create_new(dir, &rel, &text).map_err(|e| match e {
            ScaffoldError::Exists(p) => InitError::Io(
                dir.join(p),
                std::io::Error::from(std::io::ErrorKind::AlreadyExists),
            ),
            ScaffoldError::Io(p, e) => InitError::Io(dir.join(p), e),
            other => InitError::Io(dir.join(&rel), std::io::Error::other(other.to_string())),
        })?;
        written.push(rel);
    }
    Ok(written)
}

fn check_empty(dir: &Path) -> Result<(), InitError> {
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(InitError::Io(dir.to_path_buf(), e)),
        Ok(m) if !m.is_dir() => return Err(InitError::NotADirectory(dir.to_path_buf())),
        Ok(_) => {}
    }
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| InitError::Io(dir.to_path_buf(), e))?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    names.sort();
    let total = names.len();
    names.truncate(NAMED_ENTRIES);
    Err(InitError::NotEmpty {
        dir: dir.to_path_buf(),
        entries: names,
        total,
    })
}

/// The plan period: this fiscal year and the ones after it.
fn plan_years(start: FiscalYear) -> Vec<FiscalYear> {
    let end = FiscalYear::from_western(start.western() + PLAN_YEARS - 1);
    FiscalYear::range_inclusive(start, end).collect()
}

/// The fiscal year of today in Japan (April to March, JST). Only init asks for today: a build
/// never depends on the clock.
fn current_fiscal_year() -> FiscalYear {
    const JST: u64 = 9 * 3600;
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (year, month) = year_month_of_day((seconds + JST) / 86_400);
    let start = if month < 4 { year - 1 } else { year };
    u16::try_from(start)
        .ok()
        .and_then(FiscalYear::try_from_western)
        .unwrap_or_else(|| FiscalYear::from_western(2025))
}

/// Year and month of a day counted from 1970-01-01 (the proleptic Gregorian calendar), by
/// Howard Hinnant's `civil_from_days`: the year is shifted to start in March so that the leap
/// day falls at its end.
fn year_month_of_day(days: u64) -> (i64, u32) {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month)
}

fn lines(lines: &[String]) -> String {
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

fn config_yaml() -> String {
    lines(&[
        "# サイトの設定（keikaku init で作成）".into(),
        "# 「〜を書いてください」「〜に書き換えてください」の部分を、この自治体の内容にしてください。".into(),
        "# 書き方は docs/content.md にあります。書き換えたら keikaku check で確かめられます。".into(),
        "# 「#」で始まる行は説明（コメント）で、サイトには出ません。行頭の「# 」を消すと設定が有効になります。".into(),
        String::new(),
        commented(
            "title: サイト名を書いてください",
            "サイト名（各ページの上に出ます。例: ○○市△△計画 進捗状況）",
        ),
        commented("city: 自治体名を書いてください", "自治体名（例: ○○市）"),
        commented(
            "base_url: https://example.invalid/keikaku/",
            "公開するURLに書き換えてください（build --base-url でも指定できます）",
        ),
        commented("language: ja", "ページの言語"),
        commented(
            "theme: default",
            "テーマ（themes/<名前>/ に置くとテンプレートを差し替えられます）",
        ),
        String::new(),
        commented("# contact:", "問い合わせ先（各ページの下に出ます）"),
        commented("#   name: 担当部署名を書いてください", "部署名"),
        commented(
            "#   email: 部署のメールアドレス",
            "個人のアドレスではなく部署のアドレスを",
        ),
        commented("#   phone: 電話番号", "例: 0000-00-0000"),
        commented("#   url: 部署のページのURL", "例: https://example.invalid/"),
        String::new(),
        commented(
            "# data_license:",
            "オープンデータのライセンス（省略すると公共データ利用規約 第1.0版）",
        ),
        commented("#   name: ライセンスの名前", "名前"),
        commented("#   url: ライセンスのURL", "URL"),
        String::new(),
        commented(
            "# publish_staff_names: false",
            "年間活動計画の主担当者名を公開するか（既定: 公開しない）",
        ),
        commented(
            "# allow_raw_html: false",
            "Markdown の中の HTML をそのまま出すか（既定: 安全なものだけ残す）",
        ),
        commented("# achievement:", "達成状況の判定"),
        commented(
            "#   near_band: 0.9",
            "達成率がこの割合以上の未達成を「概ね達成」とする",
        ),
        commented("#   near_label: 概ね達成", "その呼び名"),
    ])
}

fn plan_yaml(years: &[FiscalYear]) -> String {
    let first = years.first().map(|y| y.key()).unwrap_or_default();
    let last = years.last().map(|y| y.key()).unwrap_or_default();
    lines(&[
        "# 計画（keikaku init で作成）".into(),
        "# 「〜を書いてください」の部分を、この計画の内容に書き換えてください。".into(),
        "# 書き方は docs/content.md にあります。".into(),
        String::new(),
        commented("title: 計画名を書いてください", "計画名（例: ○○市△△計画）"),
        commented(
            "period:",
            "計画期間（年度は R7・令和7年度・2025年度 のどれでも）",
        ),
        commented(&format!("  start: {first}"), "最初の年度"),
        commented(&format!("  end: {last}"), "最後の年度"),
        commented(
            "# revision: 令和○年○月策定",
            "策定・改訂（書いたとおりに表示）",
        ),
        commented(
            "# updated: 2025-04-01",
            "更新日（フィード・サイトマップの日付）",
        ),
        String::new(),
        commented("philosophy: |", "基本理念（Markdown）"),
        "  基本理念を書いてください。".into(),
        String::new(),
        "  用語の説明（content/glossary.yaml）にある語は、ページで最初に出てきたところが".into(),
        "  用語の説明へのリンクになります（例: KPI）。".into(),
        String::new(),
        commented(
            "policies:",
            "基本方針（1つ以上。施策の policy: はこの番号）",
        ),
        commented("  - number: 1", "番号（1, 2, 3 …）"),
        commented(
            "    title: 基本方針の名前を書いてください",
            "基本方針の名前",
        ),
        commented("    summary: |", "説明（Markdown）"),
        "      この基本方針の説明を書いてください。".into(),
        String::new(),
        "  # 基本方針を増やすときは、同じ形で続けます。".into(),
        "  # - number: 2".into(),
        "  #   title: 二つ目の基本方針の名前".into(),
        "  #   summary: |".into(),
        "  #     説明".into(),
    ])
}

fn sample_measure_yaml(years: &[FiscalYear]) -> String {
    let header = [
        format!("# 見本の施策 {SAMPLE_MEASURE}（keikaku init で作成）"),
        "# 書き方の見本です。この計画の施策に書き換えるか、使わないならこのファイルを消してください。".into(),
        "# 施策を増やすときは keikaku new measure <施策ID> で同じ形のファイルを作れます。".into(),
        "# 成果目標の目標・実績はまだ入っていません（「-」は目標の設定なし）。".into(),
    ];
    scaffold::measure_yaml_headed(&header, SAMPLE_MEASURE, 1, years)
}

fn glossary_yaml() -> String {
    lines(&[
        "# 用語の説明（keikaku init で作成）".into(),
        "# ここに書いた用語は、ページで最初に出てきたところが用語の説明へのリンクになります。"
            .into(),
        "# 下の KPI は書き方の見本です。この計画の用語に書き換えてください。".into(),
        "# 書き方は docs/glossary.md にあります。".into(),
        String::new(),
        "terms:".into(),
        commented("  - term: KPI", "用語"),
        commented(
            "    # reading: けーぴーあい",
            "よみ（ひらがな・カタカナ。漢字を含む用語では必須）",
        ),
        commented(
            "    aliases: [重要業績評価指標]",
            "別名（これもこの用語へのリンクになります）",
        ),
        commented("    explanation: |", "説明（Markdown）"),
        "      Key Performance Indicator の略です。施策の成果を測るための指標で、この計画では"
            .into(),
        "      「成果目標」として目標と実績を示します。（見本の用語です。書き換えてください）"
            .into(),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_become_calendar_months() {
        assert_eq!(year_month_of_day(0), (1970, 1));
        // 2024-02-29 (a leap day) and 2024-03-01.
        assert_eq!(year_month_of_day(19_782), (2024, 2));
        assert_eq!(year_month_of_day(19_783), (2024, 3));
        // 2025-03-31 and 2025-04-01.
        assert_eq!(year_month_of_day(20_178), (2025, 3));
        assert_eq!(year_month_of_day(20_179), (2025, 4));
    }

    #[test]
    fn the_plan_period_starts_this_fiscal_year() {
        let years = plan_years(FiscalYear::from_western(2025));
        let keys: Vec<String> = years.iter().map(|y| y.key()).collect();
        assert_eq!(keys, ["R7", "R8", "R9", "R10"]);
    }

    #[test]
    fn a_folder_with_files_is_refused_and_hidden_entries_are_not_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        assert!(check_empty(dir.path()).is_ok());
        for name in ["b.txt", "a.txt", "c", "d"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        match check_empty(dir.path()) {
            Err(InitError::NotEmpty { entries, total, .. }) => {
                assert_eq!(entries, ["a.txt", "b.txt", "c"]);
                assert_eq!(total, 4);
            }
            other => panic!("expected NotEmpty, got {other:?}"),
        }
    }
}
