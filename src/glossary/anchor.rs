//! Fragment ids for glossary entries (`glossary/#dejitaru-gabamento`). They end up in URLs that
//! people copy into mail and print on paper, so they are plain lower-case ASCII (no
//! percent-encoded kana) and depend only on the entry itself: a term's id does not change when
//! other terms are added or removed. An entry may set its own `id:`; otherwise the id is the
//! Latin spelling of a Latin term (`AI-OCR` → `ai-ocr`) or the romanisation of the
//! reading (`でじたる・がばめんと` → `dejitaru-gabamento`). Two entries with the same id are
//! a validation error that asks for an explicit `id:`.

use super::collate::fold_width;

/// The id derived from a term and its reading; empty when nothing romanisable is left.
pub(crate) fn derive(term: &str, reading: Option<&str>) -> String {
    let folded: String = term.chars().map(fold_width).collect();
    let source = if folded.is_ascii() {
        folded.as_str()
    } else {
        reading.unwrap_or(&folded)
    };
    slugify(&romanize(source))
}

/// Lower-case ASCII letters and digits, runs of anything else as one `-`.
fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Romanisation of kana as typed on a keyboard (Hepburn consonants, じょうほう → jouhou); ASCII
/// passes through; ー is dropped (オープン → opun), because ids only need to be readable and
/// stable, not a faithful transcription.
pub(crate) fn romanize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut geminate = false;
    for c in text.chars().map(fold_width) {
        let hira = match u32::from(c) {
            code @ 0x30A1..=0x30F6 => char::from_u32(code - 0x60).unwrap_or(c),
            _ => c,
        };
        match hira {
            'っ' => {
                geminate = true;
                continue;
            }
            'ー' => continue,
            'ゃ' | 'ゅ' | 'ょ' => {
                let vowel = match hira {
                    'ゃ' => "a",
                    'ゅ' => "u",
                    _ => "o",
                };
                // き + ゃ → kya; し + ゃ → sha; ち + ゃ → cha; じ + ゃ → ja.
                if out.ends_with("shi") || out.ends_with("chi") || out.ends_with("ji") {
                    out.pop();
                    out.push_str(vowel);
                } else if out.ends_with('i') {
                    out.pop();
                    out.push('y');
                    out.push_str(vowel);
                } else {
                    out.push('y');
                    out.push_str(vowel);
                }
                continue;
            }
            'ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ' => {
                let vowel = match hira {
                    'ぁ' => 'a',
                    'ぃ' => 'i',
                    'ぅ' => 'u',
                    'ぇ' => 'e',
                    _ => 'o',
                };
                // ふぁ → fa, てぃ → ti, しぇ → she, うぃ → wi.
                if out.ends_with("shi") || out.ends_with("chi") || out.ends_with("ji") {
                    out.pop();
                } else if out.ends_with(['a', 'i', 'u', 'e', 'o']) {
                    let last = out.pop();
                    if out.is_empty() || out.ends_with('-') {
                        out.push(if last == Some('u') { 'w' } else { 'y' });
                    }
                }
                out.push(vowel);
                continue;
            }
            _ => {}
        }
        let syllable = syllable(hira);
        match syllable {
            Some(s) => {
                if geminate {
                    if s.starts_with("ch") {
                        out.push('t');
                    } else if let Some(first) = s.chars().next().filter(|f| !"aiueon".contains(*f))
                    {
                        out.push(first);
                    }
                }
                out.push_str(s);
            }
            None if c.is_ascii_alphanumeric() => out.push(c),
            None => out.push('-'),
        }
        geminate = false;
    }
    out
}

fn syllable(c: char) -> Option<&'static str> {
    const TABLE: &[(char, &str)] = &[
        ('あ', "a"),
        ('い', "i"),
        ('う', "u"),
        ('え', "e"),
        ('お', "o"),
        ('か', "ka"),
        ('き', "ki"),
        ('く', "ku"),
        ('け', "ke"),
        ('こ', "ko"),
        ('が', "ga"),
        ('ぎ', "gi"),
        ('ぐ', "gu"),
        ('げ', "ge"),
        ('ご', "go"),
        ('さ', "sa"),
        ('し', "shi"),
        ('す', "su"),
        ('せ', "se"),
        ('そ', "so"),
        ('ざ', "za"),
        ('じ', "ji"),
        ('ず', "zu"),
        ('ぜ', "ze"),
        ('ぞ', "zo"),
        ('た', "ta"),
        ('ち', "chi"),
        ('つ', "tsu"),
        ('て', "te"),
        ('と', "to"),
        ('だ', "da"),
        ('ぢ', "ji"),
        ('づ', "zu"),
        ('で', "de"),
        ('ど', "do"),
        ('な', "na"),
        ('に', "ni"),
        ('ぬ', "nu"),
        ('ね', "ne"),
        ('の', "no"),
        ('は', "ha"),
        ('ひ', "hi"),
        ('ふ', "fu"),
        ('へ', "he"),
        ('ほ', "ho"),
        ('ば', "ba"),
        ('び', "bi"),
        ('ぶ', "bu"),
        ('べ', "be"),
        ('ぼ', "bo"),
        ('ぱ', "pa"),
        ('ぴ', "pi"),
        ('ぷ', "pu"),
        ('ぺ', "pe"),
        ('ぽ', "po"),
        ('ま', "ma"),
        ('み', "mi"),
        ('む', "mu"),
        ('め', "me"),
        ('も', "mo"),
        ('や', "ya"),
        ('ゆ', "yu"),
        ('よ', "yo"),
        ('ら', "ra"),
        ('り', "ri"),
        ('る', "ru"),
        ('れ', "re"),
        ('ろ', "ro"),
        ('わ', "wa"),
        ('ゐ', "i"),
        ('ゑ', "e"),
        ('を', "o"),
        ('ん', "n"),
        ('ゔ', "vu"),
        ('ゎ', "wa"),
        ('ゕ', "ka"),
        ('ゖ', "ke"),
    ];
    TABLE.iter().find(|(k, _)| *k == c).map(|(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_ascii_from_the_spelling_or_the_reading() {
        assert_eq!(derive("AI-OCR", Some("えーあいおーしーあーる")), "ai-ocr");
        assert_eq!(derive("ＩｏＴ", None), "iot");
        assert_eq!(
            derive("デジタル・ガバメント", Some("でじたる・がばめんと")),
            "dejitaru-gabamento"
        );
        assert_eq!(
            derive("都市のスポンジ化", Some("としのすぽんじか")),
            "toshinosuponjika"
        );
        assert_eq!(derive("オープンデータ", None), "opundeta");
        assert_eq!(
            derive("情報アクセシビリティ", Some("じょうほうあくせしびりてぃ")),
            "jouhouakuseshibiriti"
        );
        assert_eq!(derive("ビジネスチャット", None), "bijinesuchatto");
        assert_eq!(derive("プラットフォーム", None), "purattofomu");
        assert_eq!(derive("ニューノーマル", None), "nyunomaru");
        assert_eq!(derive("マッチ", None), "matchi");
        assert_eq!(derive("ウィキ", None), "wiki");
        assert_eq!(derive("※", None), "");
    }
}
