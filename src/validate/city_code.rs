//! `city_code` in `config.yaml`: the city's 全国地方公共団体コード (local government code,
//! JIS X 0401/X 0402 with the check digit 総務省 adds), which the open data puts first in
//! every table so that a harvester can join the files with other cities' data. A mistyped
//! code would silently attach the plan to another city, so the check digit is verified; a
//! site without a code builds, and the code columns stay empty (docs/open-data.md).

use super::context::FileCtx;
use crate::diagnostics::{Code, Diagnostics};
use crate::load::raw::ScalarText;

/// Why a text is not a local government code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeError {
    /// Not six ASCII digits (after trimming); the number of characters found.
    NotSixDigits(usize),
    /// The first two digits are not a prefecture (01–47).
    NoSuchPrefecture(String),
    /// The sixth digit is not the check digit of the first five; the expected digit.
    CheckDigit(u8),
}

/// The check digit of a five-digit code (総務省「全国地方公共団体コード」): the digits weighted
/// 6, 5, 4, 3, 2 and summed; the digit is 11 minus the remainder of the sum divided by 11,
/// keeping the last digit only (remainder 0 gives 1, remainder 1 gives 0).
pub fn check_digit(first_five: &[u8; 5]) -> u8 {
    let sum: u32 = first_five
        .iter()
        .zip([6, 5, 4, 3, 2])
        .map(|(&d, w)| u32::from(d) * w)
        .sum();
    ((11 - sum % 11) % 10) as u8
}

/// Checks a code as written: six digits, a prefecture that exists, the right check digit.
/// Returns the code as the data files write it.
pub fn parse(text: &str) -> Result<String, CodeError> {
    let text = text.trim();
    let digits: Vec<u8> = text
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    if digits.len() != 6 || text.len() != 6 {
        return Err(CodeError::NotSixDigits(text.chars().count()));
    }
    let prefecture = digits[0] * 10 + digits[1];
    if !(1..=47).contains(&prefecture) {
        return Err(CodeError::NoSuchPrefecture(text[..2].to_string()));
    }
    let first_five: [u8; 5] = digits[..5].try_into().expect("six digits");
    let expected = check_digit(&first_five);
    if digits[5] != expected {
        return Err(CodeError::CheckDigit(expected));
    }
    Ok(text.to_string())
}

/// Reads `city_code` from the configuration: `Ok(None)` when the site gives none, `Err` (with
/// the error in `diags`) when it gives one that is not a valid code.
pub(super) fn read(
    ctx: &FileCtx,
    raw: Option<&ScalarText>,
    diags: &mut Diagnostics,
) -> Result<Option<String>, ()> {
    let Some(ScalarText(text)) = raw else {
        return Ok(None);
    };
    let (message, hint) = match parse(text) {
        Ok(code) => return Ok(Some(code)),
        Err(CodeError::NotSixDigits(n)) => (
            format!("全国地方公共団体コード「{text}」は6桁の数字ではありません（{n}文字）"),
            "検査数字を含む6桁の数字で書いてください（例: 木更津市は \"122068\"）。0で始まるコードは引用符で囲みます（\"011002\"）".to_string(),
        ),
        Err(CodeError::NoSuchPrefecture(p)) => (
            format!("全国地方公共団体コード「{text}」の先頭2桁「{p}」は都道府県コードではありません"),
            "先頭2桁は都道府県コード（01〜47）です。総務省の一覧でコードを確かめてください".to_string(),
        ),
        Err(CodeError::CheckDigit(d)) => (
            format!("全国地方公共団体コード「{text}」の検査数字（6桁目）が合いません"),
            format!(
                "先頭5桁が正しければ6桁目は {d} です。総務省の一覧でコードを確かめてください"
            ),
        ),
    };
    diags.push(ctx.error(Code::InvalidValue, "city_code", message, hint));
    Err(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_codes_pass_and_their_check_digits_are_computed() {
        // 木更津市, 札幌市, 東京都, 那覇市, 千葉県, 北海道
        for code in ["122068", "011002", "130001", "472018", "120006", "010006"] {
            assert_eq!(parse(code).as_deref(), Ok(code), "{code}");
        }
        assert_eq!(check_digit(&[1, 2, 2, 0, 6]), 8);
        assert_eq!(parse(" 122068 ").as_deref(), Ok("122068"));
    }

    #[test]
    fn typos_are_caught() {
        assert_eq!(parse("122067"), Err(CodeError::CheckDigit(8)));
        assert_eq!(parse("12206"), Err(CodeError::NotSixDigits(5)));
        assert_eq!(parse("１２２０６８"), Err(CodeError::NotSixDigits(6)));
        assert_eq!(parse("12-068"), Err(CodeError::NotSixDigits(6)));
        assert_eq!(
            parse("482011"),
            Err(CodeError::NoSuchPrefecture("48".into()))
        );
        assert_eq!(
            parse("002011"),
            Err(CodeError::NoSuchPrefecture("00".into()))
        );
    }
}
