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

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use serde_json::json;
use unicode_normalization::UnicodeNormalization;

use crate::interface::Ui;
use crate::markdown;
use crate::model::Site;
use crate::output::Output;
use crate::url::{self, Route};

/// Where the index files go.
pub(crate) const DIR: &str = "search/";
/// The index file every search loads: documents and the shard count.
pub(crate) const DOCS_FILE: &str = "search/docs.js";
/// The aimed-for size of one postings shard.
const SHARD_TARGET_BYTES: usize = 96 * 1024;

/// Documents whose keys are found in parallel at a time; memory holds one batch's keys.
const KEY_BATCH: usize = 256;

/// Field bits of a posting.
const TITLE: u8 = 1;
const META: u8 = 2;
const KPI: u8 = 4;
const BODY: u8 = 8;

/// One search result candidate.
struct Doc {
    /// 施策, 部署, 用語, ページ, 基本方針: shown with the result.
    kind: String,
    title: String,
    /// Site path (`measures/01-03/`, `glossary/#term-…`).
    path: String,
    /// Shown under the title: policy and department of a measure.
    meta: String,
    /// Indexed text per field bit.
    text: DocText,
}

/// A measure's text is made when its keys are cut, a batch of measures at a time: on a large
/// site the text of every measure at once (and every document's keys) ran to over a hundred
/// megabytes.
enum DocText {
    /// The measure at this index of the plan at this index of the indexed plans.
    Measure(usize, usize),
    Fields(Vec<(u8, String)>),
}

impl Doc {
    fn fields(&self, plans: &[&Site], ui: &Ui) -> std::borrow::Cow<'_, [(u8, String)]> {
        match &self.text {
            DocText::Measure(p, i) => measure_fields(plans[*p], ui, &plans[*p].measures[*i]).into(),
            DocText::Fields(f) => f.as_slice().into(),
        }
    }
}

/// NFKC, lower-case: the same as `s.normalize('NFKC').toLowerCase()` in search.js for the
/// characters that matter here (the JS lower-cases more scripts; both agree on ASCII, Latin
/// and full-width forms, and Japanese has no case). Indexing streams the characters instead
/// ([`each_normalized_char`]); the tests compare against this.
#[cfg(test)]
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    each_normalized_char(s, |c| out.push(c));
    out
}

/// `normalize`, then kana and long vowels folded ([`fold_char`]): the form both the index and
/// the query are cut from, so that まいなんばー, マイナンバー and ﾏｲﾅﾝﾊﾞｰ find each other. search.js
/// applies the same rule (its `normalize`); `tests/search_fold.rs` feeds the same strings to
/// both.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    each_normalized_char(s, |c| out.extend(fold_char(c)));
    out
}

/// Katakana read as hiragana (ア U+30A2 → あ U+3042, up to ヶ), and the long-vowel mark `ー`
/// dropped: readers type a word in either script and with or without the mark (スマホ,
/// すまほ; サーバー, サーバ), and these are the variants Japanese search boxes forgive.
/// Applied after NFKC, so half-width ｶﾅ and ｰ are folded too.
pub fn fold_char(c: char) -> Option<char> {
    match c {
        '\u{30FC}' => None,
        '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60),
        _ => Some(c),
    }
}

/// Words that find each other whatever the site says: short forms citizens type for the
/// words plans use. A site adds its own with `search.synonyms` in config.yaml.
pub(crate) const BUILT_IN_SYNONYMS: &[&[&str]] = &[
    &["スマホ", "スマートフォン"],
    &["マイナ", "マイナンバー"],
    &["パソコン", "PC"],
    &["ネット", "インターネット"],
];

/// The synonym groups of `site`, folded as the query will be: the built-in ones, then the
/// site's own.
fn synonyms(site: &Site) -> Vec<Vec<String>> {
    let built_in = BUILT_IN_SYNONYMS
        .iter()
        .map(|g| g.iter().map(|w| fold(w)).collect::<Vec<_>>());
    let own = (site.config.search_synonyms.iter()).map(|g| g.iter().map(|w| fold(w)).collect());
    built_in
        .chain(own)
        .map(|mut g: Vec<String>| {
            g.retain(|w| !w.is_empty());
            g.dedup();
            g
        })
        .filter(|g| g.len() > 1)
        .collect()
}

/// The characters of [`normalize`]`(s)`, without building the string, and without running
/// NFKC over text that it leaves unchanged (the larger part of indexing): the text is cut
/// before every [`stable`] character, where normalisation may start afresh, and only the
/// pieces between holding anything else go through NFKC.
fn each_normalized_char(s: &str, mut emit: impl FnMut(char)) {
    // The piece since the last stable character (which it starts with, as a following
    // combining mark may join it: `カ` + `ﾞ` is `ガ`).
    let mut piece = 0;
    let mut piece_stable = true;
    let flush = |piece: &str, piece_stable: bool, emit: &mut dyn FnMut(char)| {
        if piece_stable {
            // One stable character (or none): ASCII needs lower-casing, the rest has no case.
            piece.chars().for_each(|c| emit(c.to_ascii_lowercase()));
        } else {
            piece.nfkc().flat_map(char::to_lowercase).for_each(emit);
        }
    };
    for (i, c) in s.char_indices() {
        if stable(c) {
            flush(&s[piece..i], piece_stable, &mut emit);
            piece = i;
            piece_stable = true;
        } else {
            piece_stable = false;
        }
    }
    flush(&s[piece..], piece_stable, &mut emit);
}

/// Characters that NFKC keeps, that nothing before them combines with, and whose lower case
/// is themselves after ASCII lower-casing: ASCII, hiragana, katakana, the CJK ideographs and
/// the commonest Japanese punctuation (`、。「」『』【】・ー`). The test
/// `stable_characters_are_left_alone_by_nfkc` checks every one of them.
fn stable(c: char) -> bool {
    c.is_ascii()
        || matches!(c,
            '\u{3001}'..='\u{3002}'
            | '\u{3008}'..='\u{3011}'
            | '\u{3041}'..='\u{3096}'
            | '\u{30A1}'..='\u{30FC}'
            | '\u{4E00}'..='\u{9FFF}')
}

/// [`stable`] characters that are letters: the kana and ideographs, and `ー`.
fn stable_letter(c: char) -> bool {
    matches!(c,
        '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{30FC}' | '\u{4E00}'..='\u{9FFF}')
}

/// Characters that belong to words: letters, digits and `-` (measure IDs). Same as the
/// `/[\p{Alphabetic}\p{N}-]/u` of search.js.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '-'
    } else {
        stable_letter(c) || c.is_alphanumeric()
    }
}

/// The bigram keys of normalised text. A one-character word yields itself. Indexing feeds a
/// [`KeyCutter`] directly; the tests read the keys through this.
#[cfg(test)]
fn keys(normalized: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_key(normalized.chars(), |k| out.push(key_text(k)));
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

/// The keys of text given as its normalised characters.
#[cfg(test)]
fn each_key(normalized: impl Iterator<Item = char>, mut emit: impl FnMut(Key)) {
    let mut cutter = KeyCutter::default();
    normalized.for_each(|c| cutter.push(c, &mut emit));
    cutter.push(' ', &mut emit);
}

/// Cuts characters into keys as they arrive (see [`keys`]).
#[derive(Default)]
struct KeyCutter {
    prev: Option<char>,
    /// Characters in the current word.
    len: usize,
}

impl KeyCutter {
    fn push(&mut self, c: char, emit: &mut impl FnMut(Key)) {
        if is_word_char(c) {
            if let Some(p) = self.prev {
                emit((p, Some(c)));
            }
            self.prev = Some(c);
            self.len += 1;
        } else {
            if self.len == 1 {
                if let Some(p) = self.prev {
                    emit((p, None));
                }
            }
            self.prev = None;
            self.len = 0;
        }
    }
}

/// FNV-1a over the key's code points; search.js computes the same to find a key's shard.
pub(crate) fn shard_of(key: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in key.chars() {
        h ^= c as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h % shards
}

fn plain(md: &str) -> String {
    markdown::to_plain_text(md, usize::MAX)
}

fn policy_label(site: &Site, ui: &Ui, m: &crate::model::Measure) -> String {
    let policy = m.policy.and_then(|n| site.plan.policy(n));
    policy.map_or(String::new(), |p| policy_title(ui, p))
}

/// 「方針1 …」 in the words of `ui`.
fn policy_title(ui: &Ui, p: &crate::model::Policy) -> String {
    ui.fill(
        "trees_extra.search_policy_title",
        &[("number", &p.number.to_string()), ("title", &p.title)],
    )
}

/// A measure's line under its search result: its policy and who is responsible, as far as the
/// plan says (`方針1 …／主管: 情報政策課`).
fn measure_meta(site: &Site, ui: &Ui, m: &crate::model::Measure) -> String {
    let responsible = match (&m.lead_department, m.departments.is_empty()) {
        (Some(lead), _) => ui.fill("trees_extra.search_measure_lead", &[("name", lead)]),
        (None, false) => ui.fill(
            "trees_extra.search_measure_responsible",
            &[(
                "names",
                &m.departments.join(&ui.plain("format.list_separator")),
            )],
        ),
        (None, true) => String::new(),
    };
    let parts = [policy_label(site, ui, m), responsible];
    let shown: Vec<&str> = parts
        .iter()
        .map(String::as_str)
        .filter(|p| !p.is_empty())
        .collect();
    shown.join(&ui.plain("trees_extra.search_separator"))
}

/// The indexed text of one measure, by field.
fn measure_fields(site: &Site, ui: &Ui, m: &crate::model::Measure) -> Vec<(u8, String)> {
    let mut departments: Vec<String> = m.responsible().map(str::to_string).collect();
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
    for s in m.sections.texts() {
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
    vec![
        (TITLE, format!("{} {}", m.id, m.title)),
        (
            META,
            format!("{}\n{}", policy_label(site, ui, m), departments.join("\n")),
        ),
        (KPI, kpi_text),
        (BODY, body),
    ]
}

/// The documents of every plan in `plans`, with paths from the root of `from`'s plan: a site
/// of several plans searches them all, each result naming its plan.
fn documents_of(from: &Site, plans: &[&Site], ui: &Ui) -> Vec<Doc> {
    let mut docs = Vec::new();
    let separator = ui.plain("trees_extra.search_separator");
    for (p, site) in plans.iter().enumerate() {
        let mut own = documents(site, p, ui);
        if plans.len() > 1 {
            for d in &mut own {
                d.path = url::across_plans(&Route::home(), &from.prefix, &site.prefix, &d.path);
                d.meta = match d.meta.is_empty() {
                    true => site.plan.title.clone(),
                    false => format!("{}{separator}{}", site.plan.title, d.meta),
                };
            }
        }
        docs.extend(own);
    }
    docs
}

/// The documents of one plan (the `plan`-th of those indexed), with paths from its root.
fn documents(site: &Site, plan: usize, ui: &Ui) -> Vec<Doc> {
    let mut docs = Vec::new();
    for (i, m) in site.measures.iter().enumerate() {
        docs.push(Doc {
            kind: ui.plain("trees_extra.search_kind_measure"),
            title: format!("{} {}", m.id, m.title),
            path: Route::measure(&m.id).as_str().to_string(),
            meta: measure_meta(site, ui, m),
            text: DocText::Measure(plan, i),
        });
    }
    for p in &site.plan.policies {
        let title = policy_title(ui, p);
        docs.push(Doc {
            kind: ui.plain("trees_extra.search_kind_policy"),
            path: Route::policy(p.number).as_str().to_string(),
            meta: String::new(),
            text: DocText::Fields(vec![(TITLE, title.clone()), (BODY, plain(&p.summary))]),
            title,
        });
    }
    let mut departments: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &site.measures {
        for d in m.responsible() {
            *departments.entry(d).or_default() += 1;
        }
        for r in &m.related_departments {
            departments.entry(&r.name).or_default();
        }
    }
    let led = match site.measures.iter().any(|m| !m.departments.is_empty()) {
        false => "trees_extra.search_department_lead",
        true => "trees_extra.search_department_responsible",
    };
    for (name, lead) in departments {
        docs.push(Doc {
            kind: ui.plain("trees_extra.search_kind_department"),
            title: name.to_string(),
            path: format!("{}#{}", Route::departments().as_str(), url::anchor(name)),
            meta: ui.fill(led, &[("count", &lead.to_string())]),
            text: DocText::Fields(vec![(TITLE, name.to_string())]),
        });
    }
    for t in &site.glossary {
        let mut title_text = t.term.clone();
        for extra in t.reading.iter().chain(&t.aliases) {
            title_text.push('\n');
            title_text.push_str(extra);
        }
        docs.push(Doc {
            kind: ui.plain("trees_extra.search_kind_term"),
            title: t.term.clone(),
            path: format!(
                "{}#term-{}",
                Route::glossary().as_str(),
                url::anchor(&t.term)
            ),
            meta: if t.aliases.is_empty() {
                String::new()
            } else {
                ui.fill(
                    "trees_extra.search_aliases",
                    &[(
                        "aliases",
                        &t.aliases.join(&ui.plain("format.list_separator")),
                    )],
                )
            },
            text: DocText::Fields(vec![(TITLE, title_text), (BODY, plain(&t.explanation))]),
        });
    }
    for p in &site.pages {
        docs.push(Doc {
            kind: ui.plain("trees_extra.search_kind_page"),
            title: p.title.clone(),
            path: Route::page(&p.slug).as_str().to_string(),
            meta: p.description.clone().unwrap_or_default(),
            text: DocText::Fields(vec![(TITLE, p.title.clone()), (BODY, plain(&p.body))]),
        });
    }
    docs
}

/// Size figures of a built index: the tests check them (a batched build must match a whole
/// one), and docs/search.md quotes them. The build itself does not read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexStats {
    pub documents: usize,
    pub keys: usize,
    pub postings: usize,
    pub shards: u32,
    pub docs_bytes: usize,
    pub shard_bytes: usize,
    pub largest_shard_bytes: usize,
}

/// The search index of a site: the files the browser loads, and their size figures.
pub struct SearchIndex {
    /// The index files (documents and key shards), for the sink.
    pub outputs: Vec<Output>,
    #[cfg_attr(not(test), expect(dead_code, reason = "read by the tests only"))]
    pub(crate) stats: IndexStats,
}

/// The whole site's search index, built a batch of keys at a time so that memory stays bounded.
pub fn build(site: &Site) -> SearchIndex {
    build_in_batches(site, &[site], &Ui::default_for(site.language), KEY_BATCH)
}

/// The search index published with `site`'s plan, covering every plan in `plans` (the site's
/// plans, `site` among them).
/// The words of the index (kinds of result, the lines under them) are those of `ui`, the
/// interface of `site`'s language.
pub(crate) fn build_for_plans(site: &Site, plans: &[&Site], ui: &Ui) -> SearchIndex {
    build_in_batches(site, plans, ui, KEY_BATCH)
}

fn build_in_batches(site: &Site, plans: &[&Site], ui: &Ui, key_batch: usize) -> SearchIndex {
    let key_batch = key_batch.max(1);
    let docs = documents_of(site, plans, ui);
    // key → doc → field bits. The keys of a batch of documents are found in parallel
    // (making the text and normalising it are most of the work); merging them in document
    // order keeps every posting list sorted by document. Only the order of the sorted
    // `postings` reaches the output, so the map's hasher is free.
    use rayon::prelude::*;
    let mut merged: HashMap<Key, PostingList, BuildHasherDefault<KeyHasher>> =
        HashMap::with_capacity_and_hasher(1 << 16, BuildHasherDefault::default());
    for (batch, batch_docs) in docs.chunks(key_batch).enumerate() {
        let per_doc: Vec<Vec<(Key, u8)>> = batch_docs
            .par_iter()
            .map(|d| {
                let mut found: HashMap<Key, u8, BuildHasherDefault<KeyHasher>> =
                    HashMap::with_capacity_and_hasher(256, BuildHasherDefault::default());
                for (bit, text) in d.fields(plans, ui).iter() {
                    let mut cutter = KeyCutter::default();
                    let mut emit = |k| *found.entry(k).or_default() |= bit;
                    each_normalized_char(text, |c| {
                        if let Some(c) = fold_char(c) {
                            cutter.push(c, &mut emit);
                        }
                    });
                    cutter.push(' ', &mut emit);
                }
                // In any order: each key's posting list is filled in document order below.
                found.into_iter().collect()
            })
            .collect();
        for (j, keys) in per_doc.into_iter().enumerate() {
            let id = (batch * key_batch + j) as u32;
            for (key, bits) in keys {
                merged.entry(key).or_default().push(id, bits);
            }
        }
    }
    let mut postings: Vec<(Key, PostingList)> = merged.into_iter().collect();
    postings.sort_unstable_by_key(|p| p.0);
    let encoded: Vec<(String, &str)> = postings
        .iter()
        .map(|(key, list)| (key_text(*key), list.text.as_str()))
        .collect();
    let total: usize = encoded.iter().map(|(k, v)| k.len() + v.len() + 6).sum();
    let shards = total
        .div_ceil(SHARD_TARGET_BYTES)
        .max(1)
        .next_power_of_two() as u32;
    let mut shard_text: Vec<String> = vec![String::new(); shards as usize];
    for (key, values) in &encoded {
        let s = &mut shard_text[shard_of(key, shards) as usize];
        s.push(if s.is_empty() { '{' } else { ',' });
        s.push('"');
        s.push_str(key);
        s.push('"');
        s.push_str(":[");
        s.push_str(values);
        s.push(']');
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
        json!({ "shards": shards, "docs": doc_rows, "synonyms": synonyms(site) })
    );
    let stats = IndexStats {
        documents: docs.len(),
        keys: postings.len(),
        postings: postings.iter().map(|(_, list)| list.len).sum(),
        shards,
        docs_bytes: docs_js.len(),
        shard_bytes,
        largest_shard_bytes: largest,
    };
    outputs.push(Output::new(DOCS_FILE, docs_js));
    SearchIndex { outputs, stats }
}

/// One key's postings, written as they come (in document order) in the form the shard files
/// hold: delta-encoded decimals, comma-separated. As text they take about a quarter of the
/// memory of a list of `(document, fields)` pairs, and need no second encoding pass.
#[derive(Default)]
struct PostingList {
    text: String,
    prev: u64,
    len: usize,
}

impl PostingList {
    fn push(&mut self, doc: u32, bits: u8) {
        let v = (u64::from(doc) << 4) | u64::from(bits);
        if self.len > 0 {
            self.text.push(',');
        }
        push_decimal(&mut self.text, v - self.prev);
        self.prev = v;
        self.len += 1;
    }
}

fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[i..].iter().map(|&d| char::from(d)));
}

/// FxHash (as in rustc) over a key's two code points: the merge map hashes every posting,
/// and SipHash's resistance to chosen keys buys nothing for a build's own text.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
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
    fn stable_characters_are_left_alone_by_nfkc() {
        use unicode_normalization::char::canonical_combining_class;
        use unicode_normalization::{is_nfkc_quick, IsNormalized};
        let all = (0..=0x10FFFF).filter_map(char::from_u32);
        let mut count = 0;
        for c in all.filter(|&c| stable(c)) {
            let one = c.to_string();
            assert_eq!(one.nfkc().collect::<String>(), one, "{c:?}");
            assert_eq!(is_nfkc_quick(one.chars()), IsNormalized::Yes, "{c:?}");
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            if !c.is_ascii() {
                assert!(c.to_lowercase().eq([c]), "{c:?}");
            }
            assert_eq!(
                stable_letter(c),
                !c.is_ascii() && c.is_alphanumeric(),
                "{c:?}"
            );
            count += 1;
        }
        assert!(count > 20_000);
    }

    /// The shortcut gives exactly NFKC + lower case, also where a stable character is
    /// followed by something that combines with it or changes under NFKC.
    #[test]
    fn normalising_by_pieces_equals_nfkc() {
        use rand::{Rng, SeedableRng};
        let pool = [
            "カ",
            "か",
            "ﾞ",
            "ﾟ",
            "\u{3099}",
            "\u{309A}",
            "\u{0301}",
            "e",
            "E",
            "Ａ",
            "ｶ",
            "ﾊ",
            "１",
            "－",
            "（",
            "）",
            "　",
            "、",
            "。",
            "ー",
            "・",
            "漢",
            "字",
            "㍻",
            "ⅰ",
            "Ⅻ",
            "ﬁ",
            "Σ",
            "İ",
            "ß",
            "①",
            "ㇰ",
            "ヷ",
            "ヴ",
            "ゔ",
            "ゝ",
            "ヽ",
            "ヿ",
            "ゟ",
            "\u{fb1d}",
            "가",
            "\u{1100}",
            "\u{1161}",
            "Å",
            "A\u{030A}",
            " ",
            "-",
            "\n",
            "😀",
        ];
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for _ in 0..20_000 {
            let n = rng.random_range(0..8);
            let text: String = (0..n)
                .map(|_| pool[rng.random_range(0..pool.len())])
                .collect();
            let expected: String = text.nfkc().flat_map(char::to_lowercase).collect();
            assert_eq!(normalize(&text), expected, "{text:?}");
            for c in expected.chars() {
                assert_eq!(is_word_char(c), c.is_alphanumeric() || c == '-', "{c:?}");
            }
        }
    }

    #[test]
    fn shards_are_stable() {
        // Pinned: search.js computes the same numbers (tests/browser checks the pair).
        assert_eq!(shard_of("ドロ", 1), 0);
        let h = shard_of("ドロ", 1 << 30);
        assert_eq!(shard_of("ドロ", 8), h % 8);
    }

    #[test]
    fn the_index_is_the_same_whatever_the_batch() {
        let mut diags = crate::diagnostics::Diagnostics::default();
        let site = crate::build::Pipeline::new(env!("CARGO_MANIFEST_DIR"))
            .site(&mut diags)
            .expect("example site loads");
        let ui = Ui::default_for(site.language);
        let whole = build_in_batches(&site, &[&site], &ui, usize::MAX);
        assert!(whole.stats.documents > 7 && whole.stats.postings > 1000);
        for batch in [1, 7, KEY_BATCH] {
            let batched = build_in_batches(&site, &[&site], &ui, batch);
            assert_eq!(batched.stats, whole.stats, "batch {batch}");
            assert!(batched.outputs == whole.outputs, "batch {batch}");
        }
    }
}
