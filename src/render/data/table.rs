//! One table of the open data: its rows and its Table Schema, from which the CSV file, the
//! JSON file, the `datapackage.json` entry and the data page's column list are all written, so
//! that the four can never disagree.
//!
//! The files follow the Japanese government's rules for machine-readable data (デジタル庁
//! 「行政データにおける機械可読性に関するルール」, 総務省「統計表における機械判読可能なデータの作成に
//! 関する表記方法」): one value per cell, one header row, long format, numbers without units
//! or thousands separators, an empty cell only where there is no value (never for zero), and
//! UTF-8 with a byte-order mark so that Excel on Japanese Windows does not read the file as
//! Shift_JIS (docs/open-data.md).

use serde_json::{json, Map, Value as Json};

use crate::date::Date;

/// A column's type, as Table Schema names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    Date,
}

impl Kind {
    pub fn schema_name(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
            Kind::Date => "date",
        }
    }

    /// How the data page describes the type to people.
    pub fn label(self) -> &'static str {
        match self {
            Kind::String => "文字列",
            Kind::Integer => "整数",
            Kind::Number => "数値",
            Kind::Boolean => "真偽値（true / false）",
            Kind::Date => "日付（YYYY-MM-DD）",
        }
    }
}

/// One column.
#[derive(Clone, Debug)]
pub struct Field {
    /// Machine name (ASCII snake_case): the CSV header and the JSON key.
    pub name: &'static str,
    /// Japanese name, for people.
    pub title: &'static str,
    pub description: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// The only values allowed, when the column is a code.
    pub allowed: Option<&'static [&'static str]>,
}

impl Field {
    pub const fn new(
        name: &'static str,
        title: &'static str,
        kind: Kind,
        description: &'static str,
    ) -> Field {
        Field {
            name,
            title,
            description,
            kind,
            required: false,
            allowed: None,
        }
    }

    /// A column that never has an empty cell.
    pub const fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub const fn one_of(mut self, values: &'static [&'static str]) -> Field {
        self.allowed = Some(values);
        self
    }
}

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// No value: an empty CSV cell, JSON `null`. Never used for zero.
    Null,
    Text(String),
    Int(i64),
    /// A number written with the author's number of decimals (`44.60` stays `44.60`).
    Number {
        value: f64,
        decimals: u8,
    },
    Bool(bool),
    Date(Date),
}

impl Value {
    /// Text, or `Null` when absent or blank.
    pub fn text(s: Option<&str>) -> Value {
        match s.map(str::trim) {
            Some(t) if !t.is_empty() => Value::Text(t.to_string()),
            _ => Value::Null,
        }
    }

    pub fn int(n: impl Into<i64>) -> Value {
        Value::Int(n.into())
    }

    /// The cell as CSV text: numbers without separators or units.
    pub fn csv(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(s) => s.clone(),
            Value::Int(n) => n.to_string(),
            Value::Number { value, decimals } => format!("{:.*}", usize::from(*decimals), value),
            Value::Bool(b) => b.to_string(),
            Value::Date(d) => d.to_string(),
        }
    }

    pub fn json(&self) -> Json {
        match self {
            Value::Null => Json::Null,
            Value::Text(s) => Json::String(s.clone()),
            Value::Int(n) => json!(n),
            Value::Number { value, .. } => json!(value),
            Value::Bool(b) => Json::Bool(*b),
            Value::Date(d) => Json::String(d.to_string()),
        }
    }
}

/// A reference from columns of one table to the primary key of another.
#[derive(Clone, Debug)]
pub struct ForeignKey {
    pub fields: &'static [&'static str],
    pub table: &'static str,
    pub reference: &'static [&'static str],
}

/// The link from a table's `measure_id` to the measures table, shared by every per-measure
/// table.
pub const MEASURE_KEY: ForeignKey = ForeignKey {
    fields: &["measure_id"],
    table: "measures",
    reference: &["measure_id"],
};

/// A table: schema and rows.
#[derive(Clone, Debug)]
pub struct Table {
    /// File stem and resource name (`kpi_values`).
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub fields: Vec<Field>,
    pub primary_key: &'static [&'static str],
    pub foreign_keys: Vec<ForeignKey>,
    pub rows: Vec<Vec<Value>>,
}

/// UTF-8 byte-order mark: how Excel recognises a CSV file as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

impl Table {
    pub fn push(&mut self, row: Vec<Value>) {
        assert_eq!(
            row.len(),
            self.fields.len(),
            "row width of table {} does not match its schema",
            self.name
        );
        self.rows.push(row);
    }

    /// The same schema with the given rows (one measure's KPI values).
    pub fn with_rows(&self, rows: Vec<Vec<Value>>) -> Table {
        Table {
            name: self.name,
            title: self.title,
            description: self.description,
            fields: self.fields.clone(),
            primary_key: self.primary_key,
            foreign_keys: self.foreign_keys.clone(),
            rows,
        }
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// The CSV file: BOM, one header row of field names, CRLF line ends (RFC 4180).
    pub fn to_csv(&self) -> Vec<u8> {
        let mut out = BOM.to_vec();
        {
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut out);
            // Writing to a Vec cannot fail; a failure here is a bug, not bad input.
            w.write_record(self.fields.iter().map(|f| f.name))
                .expect("CSV to memory");
            for row in &self.rows {
                w.write_record(row.iter().map(Value::csv))
                    .expect("CSV to memory");
            }
            w.flush().expect("CSV to memory");
        }
        out
    }

    /// The JSON file: an array of objects keyed by field name, `null` for empty cells; one
    /// object per line (compact, and still readable and diffable line by line — pretty
    /// printing made the KPI table five times the size of its CSV).
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = b"[".to_vec();
        for (i, row) in self.rows.iter().enumerate() {
            let mut obj = Map::new();
            for (f, v) in self.fields.iter().zip(row) {
                obj.insert(f.name.to_string(), v.json());
            }
            out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
            serde_json::to_writer(&mut out, &Json::Object(obj)).expect("JSON to memory");
        }
        out.extend_from_slice(b"\n]\n");
        out
    }

    /// The Table Schema (Frictionless) of the CSV file.
    pub fn schema(&self) -> Json {
        let fields: Vec<Json> = self
            .fields
            .iter()
            .map(|f| {
                let mut obj = Map::new();
                obj.insert("name".into(), json!(f.name));
                obj.insert("title".into(), json!(f.title));
                obj.insert("description".into(), json!(f.description));
                obj.insert("type".into(), json!(f.kind.schema_name()));
                if f.kind == Kind::Boolean {
                    obj.insert("trueValues".into(), json!(["true"]));
                    obj.insert("falseValues".into(), json!(["false"]));
                }
                let mut constraints = Map::new();
                if f.required {
                    constraints.insert("required".into(), json!(true));
                }
                if let Some(allowed) = f.allowed {
                    constraints.insert("enum".into(), json!(allowed));
                }
                if !constraints.is_empty() {
                    obj.insert("constraints".into(), Json::Object(constraints));
                }
                Json::Object(obj)
            })
            .collect();
        let foreign: Vec<Json> = self
            .foreign_keys
            .iter()
            .map(|k| {
                json!({
                    "fields": k.fields,
                    "reference": { "resource": k.table, "fields": k.reference },
                })
            })
            .collect();
        let mut schema = json!({
            "fields": fields,
            "missingValues": [""],
            "primaryKey": self.primary_key,
        });
        if !foreign.is_empty() {
            schema["foreignKeys"] = Json::Array(foreign);
        }
        schema
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table {
            name: "t",
            title: "表",
            description: "",
            fields: vec![
                Field::new("id", "ID", Kind::String, "").required(),
                Field::new("n", "数", Kind::Number, ""),
                Field::new("ok", "可否", Kind::Boolean, ""),
            ],
            primary_key: &["id"],
            foreign_keys: Vec::new(),
            rows: Vec::new(),
        };
        t.push(vec![
            Value::Text("a,\"b\"\n".into()),
            Value::Number {
                value: 30000.0,
                decimals: 0,
            },
            Value::Bool(true),
        ]);
        t.push(vec![
            Value::Text("z".into()),
            Value::Number {
                value: 0.0,
                decimals: 2,
            },
            Value::Null,
        ]);
        t
    }

    #[test]
    fn csv_has_a_bom_crlf_no_separators_and_zero_is_not_blank() {
        let csv = sample().to_csv();
        assert!(csv.starts_with(BOM));
        let text = std::str::from_utf8(&csv[3..]).unwrap();
        assert_eq!(
            text,
            "id,n,ok\r\n\"a,\"\"b\"\"\n\",30000,true\r\nz,0.00,\r\n"
        );
    }

    #[test]
    fn json_uses_null_for_empty_cells() {
        let json: Json = serde_json::from_slice(&sample().to_json()).unwrap();
        assert_eq!(json[1]["ok"], Json::Null);
        assert_eq!(json[1]["n"], json!(0.0));
        assert_eq!(json[0]["n"], json!(30000.0));
    }

    #[test]
    #[should_panic(expected = "row width")]
    fn a_row_that_does_not_match_the_schema_is_a_bug() {
        sample().push(vec![Value::Null]);
    }
}
