//! Dictionary order (辞書順) for glossary entries, after the rules of Japanese dictionaries and
//! JIS X 4061: compare readings first with every kana reduced to its plain form — katakana as
//! hiragana, small kana as full-size, voiced (゛) and semi-voiced (゜) marks removed, the long
//! vowel mark ー as the vowel it lengthens, ゝ/ヽ as a repeat of the kana before — and only when
//! two readings are equal in that form, break the tie level by level:
//!
//! 1. voicing: unvoiced before voiced before semi-voiced (はり < ばり < ぱり);
//! 2. size: small kana before full-size (かっこ < かつこ);
//! 3. length: a written vowel before ー (ああく < あーく);
//! 4. script: hiragana before katakana (かき < カキ);
//! 5. the term as written, so that the order is total and deterministic.
//!
//! Latin letters and digits compare case- and width-insensitively (`ＩＴ` = `IT` = `it`),
//! with narrow before wide and lower case before upper case only as tie-breakers.
//! Punctuation and spaces (`・`, `-`, ` `) are skipped at the first level (`AI-OCR` sorts as
//! `AIOCR`). Everything is computed once per entry into a [`SortKey`], so sorting compares keys.
//!
//! Width is folded by the one table of [`crate::text`], one character at a time, so that a
//! folded character can still be told from the written one as the last tie-breaker; the kana
//! folding above is built on top of it.

/// The width folding the glossary compares names, anchors and sort keys with, re-exported from
/// [`crate::text`] for the glossary's other readers (anchors, term links, the glossary page).
pub(crate) use crate::text::fold_width;

/// The row (行) of the 五十音 an entry is listed under, or the Latin group after them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Row {
    /// 0 = あ行 … 9 = わ行 (which also takes ゐ, ゑ, を and ん).
    Kana(u8),
    /// Terms spelt with a Latin letter or a digit first: A–Z.
    Latin,
    /// Anything else (a term that starts with a symbol).
    Other,
}

impl Row {
    pub(crate) const KANA_LABELS: [&'static str; 10] = [
        "あ行", "か行", "さ行", "た行", "な行", "は行", "ま行", "や行", "ら行", "わ行",
    ];

    /// Every row in the order the glossary shows them.
    pub(crate) fn all() -> impl Iterator<Item = Row> {
        (0..10).map(Row::Kana).chain([Row::Latin, Row::Other])
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Row::Kana(i) => Self::KANA_LABELS[usize::from(i).min(9)],
            Row::Latin => "英数字（A–Z）",
            Row::Other => "その他",
        }
    }

    /// A fragment id for the row heading; ASCII so that it is the same in every browser.
    pub(crate) fn anchor(self) -> &'static str {
        const IDS: [&str; 10] = [
            "gyo-a", "gyo-ka", "gyo-sa", "gyo-ta", "gyo-na", "gyo-ha", "gyo-ma", "gyo-ya",
            "gyo-ra", "gyo-wa",
        ];
        match self {
            Row::Kana(i) => IDS[usize::from(i).min(9)],
            Row::Latin => "gyo-latin",
            Row::Other => "gyo-other",
        }
    }
}

/// Everything needed to put an entry in dictionary order; compare keys with `Ord`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct SortKey {
    pub row: Row,
    primary: Vec<u32>,
    voicing: Vec<u8>,
    size: Vec<u8>,
    length: Vec<u8>,
    script: Vec<u8>,
    written: String,
}

/// The sort key of a term with its reading (for terms with kanji the reading is required by
/// validation; without a reading the term itself is read).
pub(crate) fn sort_key(term: &str, reading: Option<&str>) -> SortKey {
    let first = term.chars().map(fold_width).find(|c| !is_ignorable(*c));
    let latin = first.is_some_and(|c| c.is_ascii_alphanumeric());
    let read = if latin { term } else { reading.unwrap_or(term) };
    let mut key = SortKey {
        row: Row::Other,
        primary: Vec::new(),
        voicing: Vec::new(),
        size: Vec::new(),
        length: Vec::new(),
        script: Vec::new(),
        written: term.to_string(),
    };
    let mut previous: Option<Kana> = None;
    for c in read.chars() {
        if is_ignorable(c) {
            continue;
        }
        let (primary, voicing, size, length, script) = if let Some(k) = kana(c) {
            previous = Some(k);
            (
                u32::from(k.base),
                k.voicing,
                u8::from(!k.small),
                0,
                u8::from(k.katakana),
            )
        } else if c == 'ー' {
            // The long vowel mark sorts as the vowel it lengthens (コーヒー = こおひい).
            let vowel = previous.and_then(|p| vowel_of(p.base)).unwrap_or('ー');
            (u32::from(vowel), 0, 1, 1, 1)
        } else if let Some((voiced, katakana)) = iteration_mark(c) {
            let base = previous.map_or(c, |p| p.base);
            (u32::from(base), u8::from(voiced), 1, 1, u8::from(katakana))
        } else {
            previous = None;
            let folded = fold_width(c);
            let lower = folded.to_ascii_lowercase();
            // Latin letters and digits sort before kana, other characters after them.
            let primary = if lower.is_ascii() {
                u32::from(lower)
            } else {
                0x1_0000 + u32::from(lower)
            };
            (
                primary,
                0,
                u8::from(folded.is_ascii_uppercase()),
                0,
                u8::from(folded != c),
            )
        };
        key.primary.push(primary);
        key.voicing.push(voicing);
        key.size.push(size);
        key.length.push(length);
        key.script.push(script);
    }
    key.row = if latin {
        Row::Latin
    } else {
        key.primary
            .first()
            .and_then(|p| char::from_u32(*p))
            .and_then(kana_row)
            .map_or(Row::Other, Row::Kana)
    };
    key
}

/// A kana reduced to its plain hiragana base, with what was removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Kana {
    base: char,
    /// 0 plain, 1 voiced (゛), 2 semi-voiced (゜).
    voicing: u8,
    small: bool,
    katakana: bool,
}

fn kana(c: char) -> Option<Kana> {
    let code = u32::from(c);
    let (hira, katakana) = match code {
        0x3041..=0x3096 => (code, false),
        0x30A1..=0x30F6 => (code - 0x60, true),
        // ヷヸヹヺ: voiced わゐゑを.
        0x30F7..=0x30FA => {
            let base = ['わ', 'ゐ', 'ゑ', 'を'][(code - 0x30F7) as usize];
            return Some(Kana {
                base,
                voicing: 1,
                small: false,
                katakana: true,
            });
        }
        _ => return None,
    };
    let (base, voicing, small) = match hira {
        // ぁぃぅぇぉ
        0x3041 | 0x3043 | 0x3045 | 0x3047 | 0x3049 => (hira + 1, 0, true),
        // か…ぢ: plain on odd code points, voiced on the even ones after them.
        0x304B..=0x3062 => {
            if (hira - 0x304B) % 2 == 0 {
                (hira, 0, false)
            } else {
                (hira - 1, 1, false)
            }
        }
        0x3063 => (0x3064, 0, true), // っ
        0x3064 | 0x3066 | 0x3068 => (hira, 0, false),
        0x3065 | 0x3067 | 0x3069 => (hira - 1, 1, false),
        // は…ぽ: plain, voiced, semi-voiced in threes.
        0x306F..=0x307D => {
            let r = (hira - 0x306F) % 3;
            (hira - r, r as u8, false)
        }
        0x3083 | 0x3085 | 0x3087 => (hira + 1, 0, true), // ゃゅょ
        0x308E => (0x308F, 0, true),                     // ゎ
        0x3094 => (0x3046, 1, false),                    // ゔ
        0x3095 => (0x304B, 0, true),                     // ゕ
        0x3096 => (0x3051, 0, true),                     // ゖ
        _ => (hira, 0, false),
    };
    Some(Kana {
        base: char::from_u32(base)?,
        voicing,
        small,
        katakana,
    })
}

/// ゝゞヽヾ: (voiced, katakana).
fn iteration_mark(c: char) -> Option<(bool, bool)> {
    match c {
        'ゝ' => Some((false, false)),
        'ゞ' => Some((true, false)),
        'ヽ' => Some((false, true)),
        'ヾ' => Some((true, true)),
        _ => None,
    }
}

fn vowel_of(base: char) -> Option<char> {
    const ROWS: [(&str, char); 5] = [
        ("あかさたなはまやらわ", 'あ'),
        ("いきしちにひみりゐ", 'い'),
        ("うくすつぬふむゆる", 'う'),
        ("えけせてねへめれゑ", 'え'),
        ("おこそとのほもよろを", 'お'),
    ];
    ROWS.iter()
        .find(|(members, _)| members.contains(base))
        .map(|(_, v)| *v)
}

/// The 五十音 row (0 = あ行 … 9 = わ行) of a plain hiragana.
fn kana_row(base: char) -> Option<u8> {
    let code = u32::from(base);
    let row = match code {
        0x3042..=0x304A => 0,
        0x304B..=0x3054 => 1,
        0x3055..=0x305E => 2,
        0x305F..=0x3069 => 3,
        0x306A..=0x306E => 4,
        0x306F..=0x307D => 5,
        0x307E..=0x3082 => 6,
        0x3083..=0x3088 => 7,
        0x3089..=0x308D => 8,
        0x308E..=0x3093 => 9,
        _ => return None,
    };
    Some(row)
}

/// Separators that do not count when ordering: spaces, ・, hyphens, dots, quotes.
fn is_ignorable(c: char) -> bool {
    let c = fold_width(c);
    c.is_whitespace()
        || matches!(
            c,
            '・' | '･' | '-' | '‐' | '‑' | '–' | '—' | '.' | '\'' | '"' | '’' | '&' | '/' | '_'
        )
}

/// Kanji (and 々, 〆), which a reading must spell out.
pub(crate) fn has_kanji(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(u32::from(c),
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
            || matches!(c, '々' | '〆' | '〇')
    })
}

/// A reading may hold hiragana, katakana, ー, ゝゞヽヾ, ・ and spaces. Returns the first
/// character that is none of these, with its character index.
pub(crate) fn invalid_reading_char(reading: &str) -> Option<(usize, char)> {
    reading.chars().enumerate().find(|(_, c)| {
        !(kana(*c).is_some()
            || iteration_mark(*c).is_some()
            || matches!(c, 'ー' | '・' | ' ' | '\u{3000}'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(words: &[(&str, Option<&str>)]) -> Vec<String> {
        let mut keyed: Vec<_> = words.iter().map(|(t, r)| (sort_key(t, *r), *t)).collect();
        keyed.sort();
        keyed.into_iter().map(|(_, t)| t.to_string()).collect()
    }

    /// Asserts that `expected` is already in dictionary order, by shuffling it (reversed and
    /// rotated) and sorting it back.
    fn assert_order(expected: &[&str]) {
        let words: Vec<(&str, Option<&str>)> = expected.iter().map(|w| (*w, None)).collect();
        let mut reversed = words.clone();
        reversed.reverse();
        assert_eq!(sorted(&reversed), expected, "from reversed input");
        let mut rotated = words.clone();
        rotated.rotate_left(words.len() / 2);
        assert_eq!(sorted(&rotated), expected, "from rotated input");
    }

    #[test]
    fn voiced_and_semi_voiced_marks_are_ignored_first_then_plain_voiced_semi() {
        // Marks removed, はり = ばり = ぱり and all three come before はる.
        assert_order(&["はり", "ばり", "ぱり", "はる", "ばん"]);
        assert_order(&["かく", "かぐ", "がく", "かけ"]);
        // A voiced first kana does not move a word out of its row.
        assert_order(&["かんり", "がんり", "ぎふ", "きほん", "くうき"]);
    }

    #[test]
    fn small_kana_sort_as_full_size_and_come_first_on_a_tie() {
        assert_order(&[
            "かっこ",
            "かつこ",
            "かつご",
            "がっこ",
            "かっこう",
            "かつごう",
        ]);
        assert_order(&["しやく", "しゃしん", "じゆう", "しよう", "しょうぼう"]);
        assert_order(&["ファイル", "ふあん", "ふかい"]);
    }

    #[test]
    fn long_vowel_mark_sorts_as_the_vowel_it_lengthens() {
        // コーヒー reads こおひい: after こうばん (う < お), before こおり (ひ < り).
        assert_order(&["こうばん", "コーヒー", "こおり", "こおろぎ"]);
        // A written vowel comes before the same vowel written as ー.
        assert_order(&["ああく", "あーく", "ああけ"]);
        // ドローン = どろおん; データ = でえた.
        assert_order(&["てれわあく", "テレワーク"]);
        assert_order(&["データ", "デジタル", "ドローン", "どんぐり"]);
    }

    #[test]
    fn katakana_and_hiragana_are_the_same_letters() {
        assert_order(&["あいこん", "アイス", "あいず", "いす"]);
        // Equal but for script: hiragana first.
        assert_order(&["かき", "カキ", "かく"]);
    }

    #[test]
    fn readings_are_used_for_terms_with_kanji() {
        let got = sorted(&[
            ("都市のスポンジ化", Some("としのすぽんじか")),
            ("情報アクセシビリティ", Some("じょうほうあくせしびりてぃ")),
            ("オープンデータ", None),
            ("デジタル・ガバメント", Some("でじたるがばめんと")),
            ("デジタルデバイド", None),
        ]);
        assert_eq!(
            got,
            [
                "オープンデータ",
                "情報アクセシビリティ",
                "デジタル・ガバメント",
                "デジタルデバイド",
                "都市のスポンジ化"
            ]
        );
    }

    #[test]
    fn latin_terms_form_their_own_group_ignoring_case_width_and_readings() {
        let got = sorted(&[
            ("RPA", Some("あーるぴーえー")),
            ("ＩＣＴ", None),
            ("AI-OCR", None),
            ("IoT", Some("あいおーてぃー")),
            ("AI", Some("えーあい")),
            ("ai", None),
            ("5G", None),
            ("IT", None),
            ("あい", None),
            ("ＤＸ", None),
            ("DX", None),
        ]);
        assert_eq!(
            got,
            [
                "あい",
                "5G",
                "ai",
                "AI",
                "AI-OCR",
                "DX",
                "ＤＸ",
                "ＩＣＴ",
                "IoT",
                "IT",
                "RPA"
            ]
        );
        assert_eq!(sort_key("ＩＴ", None).row, Row::Latin);
        assert_eq!(sort_key("AI", Some("えーあい")).row, Row::Latin);
    }

    #[test]
    fn rows_follow_the_first_kana_of_the_reading() {
        let row = |t: &str, r: Option<&str>| sort_key(t, r).row;
        assert_eq!(row("オープンデータ", None), Row::Kana(0));
        assert_eq!(row("ガバナンス", None), Row::Kana(1));
        assert_eq!(row("情報", Some("じょうほう")), Row::Kana(2));
        assert_eq!(row("ヂ", None), Row::Kana(3));
        assert_eq!(row("ぱそこん", None), Row::Kana(5));
        assert_eq!(row("ュ", None), Row::Kana(7));
        assert_eq!(row("ヴィジョン", None), Row::Kana(0));
        assert_eq!(row("ンジャメナ", None), Row::Kana(9));
        assert_eq!(row("ヲ", None), Row::Kana(9));
        assert_eq!(row("「例」", None), Row::Other);
    }

    #[test]
    fn readings_must_be_kana() {
        assert_eq!(invalid_reading_char("でじたる・がばめんと"), None);
        assert_eq!(invalid_reading_char("テレワーク"), None);
        assert_eq!(invalid_reading_char("じょうほう化"), Some((5, '化')));
        assert_eq!(invalid_reading_char("dx"), Some((0, 'd')));
        assert_eq!(invalid_reading_char("ﾃﾚﾜｰｸ"), Some((0, 'ﾃ')));
        assert!(has_kanji("都市のスポンジ化"));
        assert!(has_kanji("人々"));
        assert!(!has_kanji("デジタル・ガバメント"));
        assert!(!has_kanji("AI"));
    }
}
