//! The progress judgement (進捗) of an annual activity plan: a controlled vocabulary, so that
//! the year page can count and group measures by status, and so that a typo in a content file
//! is an error instead of a new, silently uncounted status. The five words of the city's form
//! are built in; a site adds its own in `config.yaml` (`progress_statuses:`).
//!
//! Every status carries an icon *shape* besides its words, because a status shown by colour
//! alone is lost on many readers (JIS X 8341-3 / WCAG 1.4.1).

use serde::Serialize;

/// One word of the vocabulary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Status {
    /// ASCII key: used in anchors, CSS classes and data files (`delayed`).
    pub key: String,
    /// The word as written in content files and shown on pages (`進捗遅延・課題あり`).
    pub label: String,
    /// A text symbol with a distinct shape (`▲`), always shown beside the label.
    pub icon: String,
    /// Whether the status calls for attention (a delay, a problem): such statuses decide a
    /// measure's overall status and are listed first.
    pub attention: bool,
}

/// A status as referenced from the model: its index in the [`Vocabulary`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct StatusId(pub usize);

/// The statuses a site accepts, in the order pages list them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vocabulary {
    statuses: Vec<Status>,
}

/// The words of the city's activity-plan form, in the order pages list them: the ones that
/// need attention first.
const BUILT_IN: &[(&str, &str, &str, bool)] = &[
    ("delayed", "進捗遅延・課題あり", "▲", true),
    ("not-started", "未着手", "□", false),
    ("on-track", "予定通り", "○", false),
    ("ahead", "前倒し", "◎", false),
    ("done", "完了", "✓", false),
];

/// Why a site's own status cannot be added.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum VocabularyError {
    #[error("進捗の語「{0}」は既にあります")]
    DuplicateLabel(String),
    #[error("進捗のキー「{0}」は既に使われています")]
    DuplicateKey(String),
    #[error("進捗のキー「{0}」は半角小文字英数字とハイフンだけにしてください")]
    InvalidKey(String),
    #[error("進捗の語が空です")]
    EmptyLabel,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary {
            statuses: BUILT_IN
                .iter()
                .map(|(key, label, icon, attention)| Status {
                    key: key.to_string(),
                    label: label.to_string(),
                    icon: icon.to_string(),
                    attention: *attention,
                })
                .collect(),
        }
    }
}

impl Vocabulary {
    /// Adds a site's own status after the built-in ones (attention statuses still come first
    /// wherever statuses are ordered; see [`Vocabulary::ordered`]).
    pub(crate) fn add(&mut self, status: Status) -> Result<StatusId, VocabularyError> {
        let label = status.label.trim().to_string();
        if label.is_empty() {
            return Err(VocabularyError::EmptyLabel);
        }
        if !crate::url::is_valid_slug(&status.key) {
            return Err(VocabularyError::InvalidKey(status.key));
        }
        if self.statuses.iter().any(|s| s.label == label) {
            return Err(VocabularyError::DuplicateLabel(label));
        }
        if self.statuses.iter().any(|s| s.key == status.key) || status.key == NOT_RECORDED_KEY {
            return Err(VocabularyError::DuplicateKey(status.key));
        }
        self.statuses.push(Status { label, ..status });
        Ok(StatusId(self.statuses.len() - 1))
    }

    /// The status a content file names, by its exact word (surrounding spaces ignored).
    pub fn find(&self, word: &str) -> Option<StatusId> {
        let word = word.trim();
        self.statuses
            .iter()
            .position(|s| s.label == word)
            .map(StatusId)
    }

    /// The status `id` stands for; `id` always comes from this vocabulary.
    pub fn get(&self, id: StatusId) -> &Status {
        &self.statuses[id.0]
    }

    /// Every status, attention statuses first, otherwise in vocabulary order: the order of
    /// lists and counts on pages.
    pub fn ordered(&self) -> Vec<StatusId> {
        let mut ids: Vec<StatusId> = (0..self.statuses.len()).map(StatusId).collect();
        ids.sort_by_key(|id| (!self.get(*id).attention, id.0));
        ids
    }

    /// The words, for "use one of …" hints.
    pub fn labels(&self) -> Vec<&str> {
        self.ordered()
            .into_iter()
            .map(|id| self.get(id).label.as_str())
            .collect()
    }

    /// The overall status of a measure from the statuses of its rows: the first in
    /// [`Vocabulary::ordered`] order, so that one delayed row makes the measure "delayed"
    /// (a summary must never hide a problem). `None` when no row was judged.
    pub fn overall(&self, rows: impl IntoIterator<Item = StatusId>) -> Option<StatusId> {
        let order = self.ordered();
        rows.into_iter()
            .min_by_key(|id| order.iter().position(|o| o == id))
    }
}

/// The key used for plans whose rows carry no judgement yet (pages say 「進捗の記載なし」).
pub const NOT_RECORDED_KEY: &str = "not-recorded";
/// What pages show for a plan without any progress judgement.
pub const NOT_RECORDED_LABEL: &str = "進捗の記載なし";
/// Its icon: a dash, a shape unlike every built-in status.
pub const NOT_RECORDED_ICON: &str = "－";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_words_are_found_and_unknown_words_are_not() {
        let v = Vocabulary::default();
        for w in [
            "予定通り",
            "進捗遅延・課題あり",
            "前倒し",
            "完了",
            "未着手",
            " 予定通り ",
        ] {
            assert!(v.find(w).is_some(), "{w}");
        }
        for w in ["予定どおり", "遅延", "", "done"] {
            assert!(v.find(w).is_none(), "{w}");
        }
    }

    #[test]
    fn overall_status_never_hides_a_delay() {
        let v = Vocabulary::default();
        let f = |w: &str| v.find(w).unwrap();
        assert_eq!(
            v.overall([f("予定通り"), f("進捗遅延・課題あり"), f("完了")]),
            Some(f("進捗遅延・課題あり"))
        );
        assert_eq!(v.overall([f("完了"), f("予定通り")]), Some(f("予定通り")));
        assert_eq!(v.overall([f("完了")]), Some(f("完了")));
        assert_eq!(v.overall([]), None);
    }

    #[test]
    fn site_statuses_extend_the_vocabulary_and_attention_ones_come_first() {
        let mut v = Vocabulary::default();
        let id = v
            .add(Status {
                key: "partly-delayed".into(),
                label: "一部遅延".into(),
                icon: "△".into(),
                attention: true,
            })
            .unwrap();
        assert_eq!(v.find("一部遅延"), Some(id));
        let order = v.ordered();
        assert_eq!(order[0], v.find("進捗遅延・課題あり").unwrap());
        assert_eq!(order[1], id);
        assert_eq!(
            v.overall([v.find("予定通り").unwrap(), id]),
            Some(id),
            "a site's attention status outranks 予定通り"
        );
        let dup = |label: &str, key: &str| {
            v.clone().add(Status {
                key: key.into(),
                label: label.into(),
                icon: "x".into(),
                attention: false,
            })
        };
        assert!(matches!(
            dup("予定通り", "x"),
            Err(VocabularyError::DuplicateLabel(_))
        ));
        assert!(matches!(
            dup("新しい語", "done"),
            Err(VocabularyError::DuplicateKey(_))
        ));
        assert!(matches!(
            dup("新しい語", "Not OK"),
            Err(VocabularyError::InvalidKey(_))
        ));
        assert!(matches!(
            dup("新しい語", NOT_RECORDED_KEY),
            Err(VocabularyError::DuplicateKey(_))
        ));
    }
}
