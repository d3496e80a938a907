//! The languages a site may be published in (`languages:` in `config.yaml`), and everything
//! that is fixed per language: its code, its `lang` and `hreflang` values, its name in its own
//! language (for the switcher), where its pages live and which interface table it reads.
//! One type, so that the URL tree, the `<html lang>`, the alternates and the switcher cannot
//! disagree. Why the trees are laid out as they are: `docs/languages.md`.

use std::fmt;

/// A language of the site. Japanese is always there and always the default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    /// 日本語: the language the content is written in.
    Japanese,
    /// やさしい日本語: Japanese in short sentences, common words and furigana, for residents
    /// who read few kanji (children, older people, many foreign residents).
    EasyJapanese,
    /// English.
    English,
}

impl Language {
    /// Every language keikaku knows, in the order the switcher lists them.
    pub const ALL: [Language; 3] = [
        Language::Japanese,
        Language::EasyJapanese,
        Language::English,
    ];

    /// The code written in `config.yaml` (`languages: [ja, ja-easy, en]`), also the name of
    /// the interface table (`themes/default/i18n/<code>.yaml`) and of translated content files
    /// (`about.en.md`).
    pub fn code(self) -> &'static str {
        match self {
            Language::Japanese => "ja",
            Language::EasyJapanese => "ja-easy",
            Language::English => "en",
        }
    }

    /// The language a `config.yaml` code names, if keikaku knows it.
    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The `lang` attribute of its pages. やさしい日本語 is Japanese to a screen reader or a
    /// font chooser, so it is `ja`; what tells it apart for people is its label.
    pub fn lang(self) -> &'static str {
        match self {
            Language::Japanese | Language::EasyJapanese => "ja",
            Language::English => "en",
        }
    }

    /// The `hreflang` of links to its pages. Two alternates may not share one value, so
    /// やさしい日本語 takes the BCP 47 private-use form `ja-x-easy` (read as Japanese by
    /// anything that does not know the subtag).
    pub fn hreflang(self) -> &'static str {
        match self {
            Language::Japanese => "ja",
            Language::EasyJapanese => "ja-x-easy",
            Language::English => "en",
        }
    }

    /// Its name written in itself, as the language switcher shows it: a reader who cannot
    /// read the current page must still find their own language.
    pub fn own_name(self) -> &'static str {
        match self {
            Language::Japanese => "日本語",
            Language::EasyJapanese => "やさしい にほんご",
            Language::English => "English",
        }
    }

    /// The folder its pages live under, from the site root: Japanese at the root (the
    /// addresses that exist today stay valid), the others in one folder each (`easy/`,
    /// `en/`) mirroring the Japanese tree page for page.
    pub fn url_prefix(self) -> &'static str {
        match self {
            Language::Japanese => "",
            Language::EasyJapanese => "easy/",
            Language::English => "en/",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for l in Language::ALL {
            assert_eq!(Language::from_code(l.code()), Some(l));
        }
        assert_eq!(Language::from_code("fr"), None);
        assert_eq!(Language::from_code("JA"), None);
    }

    #[test]
    fn the_trees_and_the_alternates_are_distinct() {
        let mut prefixes: Vec<_> = Language::ALL.iter().map(|l| l.url_prefix()).collect();
        let mut hreflangs: Vec<_> = Language::ALL.iter().map(|l| l.hreflang()).collect();
        prefixes.dedup();
        hreflangs.sort();
        hreflangs.dedup();
        assert_eq!(prefixes.len(), Language::ALL.len());
        assert_eq!(hreflangs.len(), Language::ALL.len());
        assert_eq!(Language::EasyJapanese.lang(), "ja");
        assert_eq!(Language::English.own_name(), "English");
    }
}
