//! Site search that works for Japanese: a character-bigram index built here and queried by
//! `assets/search.js` in the browser.
//!
//! Japanese is written without spaces, so an index of words needs a segmenter, and the
//! segmenter at indexing time and the one at query time must agree — Pagefind's Japanese
//! search is known to fail exactly there (index: Lindera, query: `Intl.Segmenter`; Pagefind
//! issue #1237). Bigrams need no dictionary: every run of letters and digits is cut into
//! overlapping two-character keys (`ドローン` → `ドロ` `ロー` `ーン`), the query is cut the
//! same way by the same rules, and a document matches when it holds every key of every
//! query word. New words (`マイナンバー`), names of departments and IDs (`01-03`) all work.
//! Both sides normalise with NFKC and lower-case, so full-width `ＡＩ` finds `AI`.
//!
//! The index is written as JavaScript files (`search/docs.js`, `search/shard-N.js`) that call a
//! function of `search.js`, because `<script>` loads from `file://` where `fetch` does not:
//! the search works on a review copy opened from the file system too. Postings are split into
//! shards by a hash of the key so that a query downloads only the shards of its keys; the
//! shard count grows with the index (docs/search.md has the measured sizes).
//!
//! A posting is `doc << 4 | fields`, where `fields` says in which parts of the document the key
//! occurs (title, meta = policy and departments, KPI, body), delta-encoded per key.

use std::collections::BTreeMap;

use serde_json::json;
use unicode_normalization::UnicodeNormalization;

use crate::markdown;
use crate::model::Site;
use crate::output::Output;
use crate::url::{self, Route};

/// Where the index files go.
pub const DIR: &str = "search/";
/// The index file every search loads: documents and the shard count.
pub const DOCS_FILE: &str = "search/docs.js";
/// The aimed-for size of one postings shard.
const SHARD_TARGET_BYTES: usize = 96 * 1024;

/// Field bits of a posting.
const TITLE: u8 = 1;
const META: u8 = 2;
const KPI: u8 = 4;
const BODY: u8 = 8;

/// One search result candidate.
struct Doc {
    /// 施策, 部署, 用語, ページ, 基本方針: shown with the result.
    kind: &'static str,
    title: String,
    /// Site path (`measures/01-03/`, `glossary/#term-…`).
    path: String,
    /// Shown under the title: policy and department of a measure.
    meta: String,
    /// Indexed text per field bit.
    fields: Vec<(u8, String)>,
}

/// NFKC, lower-case: the same as `s.normalize('NFKC').toLowerCase()` in search.js for the
/// characters that matter here (the JS lower-cases more scripts; both agree on ASCII, Latin
/// and full-width forms, and Japanese has no case).
pub fn normalize(s: &str) -> String {
    s.nfkc().flat_map(char::to_lowercase).collect()
}

/// Characters that belong to words: letters, digits and `-` (measure IDs). Same as the
/// `/[\p{Alphabetic}\p{N}-]/u` of search.js.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}

/// The bigram keys of normalised text. A one-character word yields itself.
pub fn keys(normalized: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_key(normalized, |k| out.push(key_text(k)));
    out
}

/// A key without allocating: a bigram, or a single character (`None` second half). Ordering
/// these tuples is the same as ordering their UTF-8 text, so sorted output is unchanged.
type Key = (char, Option<char>);

fn key_text((a, b): Key) -> String {
    let mut s = String::with_capacity(8);
    s.push(a);
    s.extend(b);
    s
}

fn each_key(normalized: &str, mut emit: impl FnMut(Key)) {
    let mut prev: Option<char> = None;
    let mut len = 0usize;
    for c in normalized.chars().chain(std::iter::once(' ')) {
        if is_word_char(c) {
            if let Some(p) = prev {
                emit((p, Some(c)));
            }
            prev = Some(c);
            len += 1;
        } else {
            if len == 1 {
                if let Some(p) = prev {
                    emit((p, None));
                }
            }
            prev = None;
            len = 0;
        }
    }
}

/// FNV-1a over the key's code points; search.js computes the same to find a key's shard.
pub fn shard_of(key: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in key.chars() {
        h ^= c as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h % shards
}

fn documents(site: &Site) -> Vec<Doc> {
    let mut docs = Vec::new();
    let plain = |md: &str| markdown::to_plain_text(md, usize::MAX);
    for m in &site.measures {
        let policy = site.plan.policies.iter().find(|p| p.number == m.policy);
        let policy_label =
            policy.map_or(String::new(), |p| format!("方針{} {}", p.number, p.title));
        let mut departments = vec![m.lead_department.clone()];
        departments.extend(m.related_departments.iter().map(|r| r.name.clone()));
        let mut kpi_text = String::new();
        for k in &m.kpis {
            let mut indicators: Vec<&String> = k.indicator.values().collect();
            indicators.dedup();
            for i in indicators {
                kpi_text.push_str(i);
                kpi_text.push('\n');
            }
            if let Some(u) = &k.unit {
                kpi_text.push_str(u);
                kpi_text.push('\n');
            }
            if let Some(n) = &k.notes {
                kpi_text.push_str(&plain(n));
                kpi_text.push('\n');
            }
        }
        let mut body = String::new();
        for s in [
            &m.sections.current_state,
            &m.sections.details,
            &m.sections.expected_effects,
            &m.sections.future_policy,
        ]
        .into_iter()
        .flatten()
        {
            body.push_str(&plain(s));
            body.push('\n');
        }
        for t in &m.schedule {
            body.push_str(&t.name);
            body.push('\n');
        }
        for a in site.activity_of(&m.id) {
            body.push_str(&plain(&a.goal));
            body.push('\n');
            for t in &a.tasks {
                body.push_str(&t.name);
                body.push('\n');
            }
        }
        docs.push(Doc {
            kind: "施策",
            title: format!("{} {}", m.id, m.title),
            path: Route::measure(&m.id).as_str().to_string(),
            meta: format!("{policy_label}／主管: {}", m.lead_department),
            fields: vec![
                (TITLE, format!("{} {}", m.id, m.title)),
                (META, format!("{policy_label}\n{}", departments.join("\n"))),
                (KPI, kpi_text),
                (BODY, body),
            ],
        });
    }
    for p in &site.plan.policies {
        let title = format!("方針{} {}", p.number, p.title);
        docs.push(Doc {
            kind: "基本方針",
            path: Route::policy(p.number).as_str().to_string(),
            meta: String::new(),
            fields: vec![(TITLE, title.clone()), (BODY, plain(&p.summary))],
            title,
        });
    }
    let mut departments: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &site.measures {
        *departments.entry(&m.lead_department).or_default() += 1;
        for r in &m.related_departments {
            departments.entry(&r.name).or_default();
        }
    }
    for (name, lead) in departments {
        docs.push(Doc {
            kind: "部署",
            title: name.to_string(),
            path: format!("{}#{}", Route::departments().as_str(), url::anchor(name)),
            meta: format!("主管する施策 {lead}件"),
            fields: vec![(TITLE, name.to_string())],
        });
    }
    for t in &site.glossary {
        let mut title_text = t.term.clone();
        for extra in t.reading.iter().chain(&t.aliases) {
            title_text.push('\n');
            title_text.push_str(extra);
        }
        docs.push(Doc {
            kind: "用語",
            title: t.term.clone(),
            path: format!(
                "{}#term-{}",
                Route::glossary().as_str(),
                url::anchor(&t.term)
            ),
            meta: if t.aliases.is_empty() {
                String::new()
            } else {
                format!("別名: {}", t.aliases.join("、"))
            },
            fields: vec![(TITLE, title_text), (BODY, plain(&t.explanation))],
        });
    }
    for p in &site.pages {
        docs.push(Doc {
            kind: "ページ",
            title: p.title.clone(),
            path: Route::page(&p.slug).as_str().to_string(),
            meta: p.description.clone().unwrap_or_default(),
            fields: vec![(TITLE, p.title.clone()), (BODY, plain(&p.body))],
        });
    }
    docs
}

/// Size figures of a built index, for the build summary and docs/search.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexStats {
    pub documents: usize,
    pub keys: usize,
    pub postings: usize,
    pub shards: u32,
    pub docs_bytes: usize,
    pub shard_bytes: usize,
    pub largest_shard_bytes: usize,
}

pub struct SearchIndex {
    pub outputs: Vec<Output>,
    pub stats: IndexStats,
}

pub fn build(site: &Site) -> SearchIndex {
    let docs = documents(site);
    // key → doc → field bits; BTreeMaps keep the output deterministic.
    // Each document's keys are found in parallel (normalising is most of the work); merging
    // them in document order keeps every posting list sorted by document.
    use rayon::prelude::*;
    let per_doc: Vec<Vec<(Key, u8)>> = docs
        .par_iter()
        .map(|d| {
            let mut found: std::collections::HashMap<Key, u8> = std::collections::HashMap::new();
            for (bit, text) in &d.fields {
                each_key(&normalize(text), |k| *found.entry(k).or_default() |= bit);
            }
            let mut v: Vec<(Key, u8)> = found.into_iter().collect();
            v.sort_unstable();
            v
        })
        .collect();
    let mut merged: std::collections::HashMap<Key, Vec<(u32, u8)>> =
        std::collections::HashMap::new();
    for (id, keys) in per_doc.into_iter().enumerate() {
        for (key, bits) in keys {
            merged.entry(key).or_default().push((id as u32, bits));
        }
    }
    let mut postings: Vec<(Key, Vec<(u32, u8)>)> = merged.into_iter().collect();
    postings.sort_unstable_by_key(|p| p.0);
    let encoded: Vec<(String, String)> = postings
        .iter()
        .map(|(key, docs)| {
            let key = key_text(*key);
            let mut prev = 0u64;
            let values: Vec<u64> = docs
                .iter()
                .map(|(id, bits)| {
                    let v = (u64::from(*id) << 4) | u64::from(*bits);
                    let delta = v - prev;
                    prev = v;
                    delta
                })
                .collect();
            (key.clone(), serde_json::to_string(&values).expect("JSON"))
        })
        .collect();
    let total: usize = encoded.iter().map(|(k, v)| k.len() + v.len() + 4).sum();
    let shards = total
        .div_ceil(SHARD_TARGET_BYTES)
        .max(1)
        .next_power_of_two() as u32;
    let mut shard_text: Vec<String> = vec![String::new(); shards as usize];
    for (key, values) in &encoded {
        let s = &mut shard_text[shard_of(key, shards) as usize];
        s.push(if s.is_empty() { '{' } else { ',' });
        s.push_str(&serde_json::to_string(key).expect("JSON"));
        s.push(':');
        s.push_str(values);
    }
    let mut outputs = Vec::new();
    let mut shard_bytes = 0;
    let mut largest = 0;
    for (i, mut body) in shard_text.into_iter().enumerate() {
        if body.is_empty() {
            body.push('{');
        }
        body.push('}');
        let js = format!("keikakuSearch.shard({i},{body});\n");
        shard_bytes += js.len();
        largest = largest.max(js.len());
        outputs.push(Output::new(format!("{DIR}shard-{i}.js"), js));
    }
    let doc_rows: Vec<serde_json::Value> = docs
        .iter()
        .map(|d| json!([d.kind, d.title, d.path, d.meta]))
        .collect();
    let docs_js = format!(
        "keikakuSearch.docs({});\n",
        json!({ "shards": shards, "docs": doc_rows })
    );
    let stats = IndexStats {
        documents: docs.len(),
        keys: postings.len(),
        postings: postings.iter().map(|(_, docs)| docs.len()).sum(),
        shards,
        docs_bytes: docs_js.len(),
        shard_bytes,
        largest_shard_bytes: largest,
    };
    outputs.push(Output::new(DOCS_FILE, docs_js));
    SearchIndex { outputs, stats }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_is_cut_into_bigrams_without_spaces() {
        assert_eq!(keys(&normalize("ドローン")), ["ドロ", "ロー", "ーン"]);
        assert_eq!(
            keys(&normalize("鳥獣害対策")),
            ["鳥獣", "獣害", "害対", "対策"]
        );
        assert_eq!(keys(&normalize("01-03")), ["01", "1-", "-0", "03"]);
        assert_eq!(keys(&normalize("市、町")), ["市", "町"]);
    }

    #[test]
    fn full_width_and_case_are_folded() {
        assert_eq!(normalize("ＡＩとＲＰＡ"), "aiとrpa");
        assert_eq!(normalize("ｺﾐｭﾆﾃｨ"), "コミュニティ");
        assert_eq!(normalize("０１－０３"), "01-03");
    }

    #[test]
    fn shards_are_stable() {
        // Pinned: search.js computes the same numbers (tests/browser checks the pair).
        assert_eq!(shard_of("ドロ", 1), 0);
        let h = shard_of("ドロ", 1 << 30);
        assert_eq!(shard_of("ドロ", 8), h % 8);
    }
}
