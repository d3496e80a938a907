//! The content-file form of a cell: a string, a number, nothing, or a structured mapping.

use super::*;

/// A cell as written in a content file: a string (read with [`parse_cell`]), a YAML number
/// (`30000`), nothing (`R7:` with no value, a blank cell), or a structured mapping for cells
/// the text grammar cannot express or reads wrongly.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum CellInput {
    /// A string: read with the cell grammar (`30,000千円`, `80%以上`, `整備完了`).
    Text(String),
    /// A YAML number (`30000`), a bare number without unit.
    Number(f64),
    /// Nothing written: the year has no value.
    Blank,
    /// A mapping, for what the text grammar cannot say.
    Structured(StructuredCell),
}

/// The structured form of a cell:
///
/// ```yaml
/// R6:
///   value: 3            # number (or numeric text such as "30,000"); required unless text
///   unit: 人
///   qualifier: 以上      # 以上 | 以下 | 未満 | 超
///   note: 現在取得申請中
///   provisional: true   # 見込み; when omitted, read from the note
/// R7:
///   text: 推進体制の構築   # qualitative text
/// ```
///
/// With both `value` and `text`, the cell is the number and `text` is how it is shown
/// (`{text: 50%は達成, value: 50, unit: "%"}`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StructuredCell {
    /// The number; required unless `text` is given.
    #[serde(default, deserialize_with = "deserialize_number")]
    pub value: Option<Number>,
    /// The unit, as it is to be shown.
    #[serde(default)]
    pub unit: Option<String>,
    /// 以上, 以下, 未満 or 超: how a target is met.
    #[serde(default)]
    pub qualifier: Option<Qualifier>,
    /// A remark shown in brackets after the value.
    #[serde(default)]
    pub note: Option<String>,
    /// 見込み; when omitted, read from the note.
    #[serde(default)]
    pub provisional: Option<bool>,
    /// Qualitative text, or with `value` how the number is shown.
    #[serde(default)]
    pub text: Option<String>,
}

impl CellInput {
    /// Reads the cell.
    pub(crate) fn into_cell(self) -> Result<Cell, CellError> {
        match self {
            CellInput::Text(s) => parse_cell(&s),
            CellInput::Blank => Ok(Cell::empty()),
            CellInput::Number(v) => {
                let number = Number::from_f64(v)?;
                Ok(Cell {
                    raw: number.text.clone(),
                    value: CellValue::Quantity(Quantity {
                        label: None,
                        number,
                        unit: None,
                        qualifier: None,
                        approximate: None,
                    }),
                    note: None,
                    provisional: false,
                })
            }
            CellInput::Structured(s) => s.into_cell(),
        }
    }
}

impl StructuredCell {
    /// Builds the cell. Without `text`, the display text is rebuilt from the parts as they
    /// were given (`value: 3, unit: 人, note: 申請中, provisional: true` → `3人（申請中、見込み）`).
    pub(crate) fn into_cell(self) -> Result<Cell, CellError> {
        let note = self
            .note
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty());
        let provisional = self
            .provisional
            .unwrap_or_else(|| note.as_deref().is_some_and(says_provisional));
        let text = self
            .text
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        let unit = self
            .unit
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty());
        let Some(number) = self.value else {
            let shown = text.clone().unwrap_or_default();
            if unit.is_some() || self.qualifier.is_some() {
                return Err(CellError {
                    kind: CellErrorKind::UnitWithoutValue,
                    offset: 0,
                    cell: shown,
                });
            }
            let Some(text) = text else {
                return Err(CellError {
                    kind: CellErrorKind::MissingValue,
                    offset: 0,
                    cell: shown,
                });
            };
            return Ok(Cell {
                raw: text.clone(),
                value: CellValue::Qualitative(text),
                note,
                provisional,
            });
        };
        let raw = text.unwrap_or_else(|| {
            let mut raw = number.text.clone();
            raw.push_str(unit.as_deref().unwrap_or(""));
            raw.push_str(self.qualifier.map_or("", Qualifier::as_str));
            let mut extras: Vec<&str> = note.iter().map(String::as_str).collect();
            if provisional && !note.as_deref().is_some_and(says_provisional) {
                extras.push("見込み");
            }
            if !extras.is_empty() {
                raw.push('（');
                raw.push_str(&extras.join("、"));
                raw.push('）');
            }
            raw
        });
        Ok(Cell {
            raw,
            value: CellValue::Quantity(Quantity {
                label: None,
                number,
                unit,
                qualifier: self.qualifier,
                approximate: None,
            }),
            note,
            provisional,
        })
    }
}

pub(super) fn deserialize_number<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Number>, D::Error> {
    struct NumberVisitor;
    impl Visitor<'_> for NumberVisitor {
        type Value = Option<Number>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number such as 30000 or \"30,000\"")
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Number::from_f64(v).map(Some).map_err(E::custom)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(Number {
                value: v as f64,
                text: v.to_string(),
                decimals: 0,
            }))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(Number {
                value: v as f64,
                text: v.to_string(),
                decimals: 0,
            }))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Number::parse(v).map(Some).map_err(E::custom)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(NumberVisitor)
}

impl<'de> Deserialize<'de> for CellInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CellInputVisitor)
    }
}

/// Accepts every shape a cell can take in YAML and keeps serde's precise error (with the
/// offending key) for the structured form, which an untagged enum would lose.
pub(super) struct CellInputVisitor;

impl<'de> Visitor<'de> for CellInputVisitor {
    type Value = CellInput;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a KPI cell: text such as 30,000千円, a number, or a mapping with value, unit, qualifier, note, provisional or text",
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<CellInput, E> {
        Ok(CellInput::Text(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<CellInput, E> {
        Ok(CellInput::Text(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<CellInput, E> {
        Ok(CellInput::Number(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<CellInput, E> {
        Ok(CellInput::Number(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<CellInput, E> {
        Ok(CellInput::Number(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<CellInput, E> {
        Ok(CellInput::Blank)
    }

    fn visit_none<E: de::Error>(self) -> Result<CellInput, E> {
        Ok(CellInput::Blank)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<CellInput, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CellInput, A::Error> {
        StructuredCell::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(CellInput::Structured)
    }
}

impl<'de> Deserialize<'de> for Cell {
    /// Reads any `CellInput` and interprets it, so content structs can hold `Cell`s
    /// directly; a malformed cell becomes a deserialization error with serde's location.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        CellInput::deserialize(deserializer)?
            .into_cell()
            .map_err(de::Error::custom)
    }
}
