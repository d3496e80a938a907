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
//!
//! A published table (`Table::published`) starts with the city's identity columns and has
//! its text folded ([`super::text`]): one line per cell, no machine-dependent characters, and
//! in the CSV files no cell that a spreadsheet would run as a formula.

use std::borrow::Cow;
use std::io::Write;

use serde_json::{json, Map, Value as Json};

use super::text::{self, Lines};
use crate::date::Date;
use crate::model::{ActivityPlan, Measure, Site};
use crate::output::{Sink, StreamWriter, WriteError};

/// A column's type, as Table Schema names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    Date,
}

impl Kind {
    pub(crate) fn schema_name(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
            Kind::Date => "date",
        }
    }

    /// How the data page describes the type to people.
    pub(crate) fn label(self) -> &'static str {
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
pub(crate) struct Field {
    /// Machine name (ASCII snake_case): the CSV header and the JSON key.
    pub name: &'static str,
    /// Japanese name, for people.
    pub title: &'static str,
    pub description: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// The only values allowed, when the column is a code.
    pub allowed: Option<&'static [&'static str]>,
    /// A regular expression every value matches (Table Schema `pattern`).
    pub pattern: Option<&'static str>,
    /// Only in the JSON file: the Markdown of a narrative, beside its plain-text column.
    pub json_only: bool,
}

impl Field {
    pub(crate) const fn new(
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
            pattern: None,
            json_only: false,
        }
    }

    /// A column that never has an empty cell.
    pub(crate) const fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub(crate) const fn one_of(mut self, values: &'static [&'static str]) -> Field {
        self.allowed = Some(values);
        self
    }

    pub(crate) const fn matching(mut self, pattern: &'static str) -> Field {
        self.pattern = Some(pattern);
        self
    }

    /// A column of the JSON file only (the CSV files hold no Markdown).
    pub(crate) const fn json_only(mut self) -> Field {
        self.json_only = true;
        self
    }
}

/// One cell. Text borrows from the model where it can: a large site has millions of cells, and
/// each is written straight into the CSV and JSON bytes without becoming a `String` of its own.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value<'a> {
    /// No value: an empty CSV cell, no key in the JSON row. Never used for zero.
    Null,
    Text(Cow<'a, str>),
    /// Markdown, line breaks and all: only in JSON-only columns.
    Markdown(Cow<'a, str>),
    Int(i64),
    /// A number written with the author's number of decimals (`44.60` stays `44.60`).
    Number {
        value: f64,
        decimals: u8,
    },
    Bool(bool),
    Date(Date),
}

impl<'a> Value<'a> {
    /// Text, or `Null` when absent or blank.
    pub(crate) fn text(s: Option<&'a str>) -> Value<'a> {
        match s.map(str::trim) {
            Some(t) if !t.is_empty() => Value::Text(Cow::Borrowed(t)),
            _ => Value::Null,
        }
    }

    /// Text as it is (kept even when blank).
    pub(crate) fn str(s: &'a str) -> Value<'a> {
        Value::Text(Cow::Borrowed(s))
    }

    pub(crate) fn string(s: String) -> Value<'a> {
        Value::Text(Cow::Owned(s))
    }

    pub(crate) fn int(n: impl Into<i64>) -> Value<'a> {
        Value::Int(n.into())
    }

    /// A narrative as one line of plain text ([`text::plain_text`]), `Null` when absent or
    /// blank.
    pub(crate) fn plain(markdown: Option<&str>) -> Value<'a> {
        match markdown.map(text::plain_text) {
            Some(t) if !t.is_empty() => Value::Text(Cow::Owned(t)),
            _ => Value::Null,
        }
    }

    /// A narrative's Markdown, for its JSON-only column; `Null` when absent or blank.
    pub(crate) fn markdown(markdown: Option<&'a str>) -> Value<'a> {
        match markdown.map(str::trim) {
            Some(t) if !t.is_empty() => Value::Markdown(Cow::Borrowed(t)),
            _ => Value::Null,
        }
    }

    /// The cell as a published table writes it: text folded to one line without
    /// machine-dependent characters, Markdown folded with its line breaks kept.
    fn folded(&self) -> Option<Value<'_>> {
        let (s, lines) = match self {
            Value::Text(s) => (s, Lines::One),
            Value::Markdown(s) => (s, Lines::Kept),
            _ => return None,
        };
        match text::fold(s, lines) {
            Cow::Borrowed(_) => None,
            Cow::Owned(f) => Some(match lines {
                Lines::One => Value::Text(Cow::Owned(f)),
                Lines::Kept => Value::Markdown(Cow::Owned(f)),
            }),
        }
    }

    /// Writes the cell as one CSV field: numbers without separators or units. `scratch` holds
    /// the digits of numbers, reused from cell to cell.
    fn write_csv(&self, w: &mut csv::Writer<Vec<u8>>, scratch: &mut Vec<u8>) -> csv::Result<()> {
        scratch.clear();
        match self {
            Value::Null => return w.write_field(b""),
            Value::Text(s) | Value::Markdown(s) => return w.write_field(s.as_bytes()),
            Value::Int(n) => write!(scratch, "{n}"),
            Value::Number { value, decimals } => {
                write!(scratch, "{:.*}", usize::from(*decimals), value)
            }
            Value::Bool(b) => return w.write_field(if *b { "true" } else { "false" }),
            Value::Date(d) => write!(scratch, "{d}"),
        }?;
        w.write_field(&scratch[..])
    }

    /// Writes the cell as a JSON value: numbers as serde_json writes them (`300.0` for a
    /// number, `300` for an integer). `Rows::push` leaves an empty cell's key out of its row
    /// instead of writing `null`.
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        match self {
            Value::Null => out.extend_from_slice(b"null"),
            Value::Text(s) | Value::Markdown(s) => serde_json::to_writer(&mut *out, &**s)?,
            Value::Int(n) => serde_json::to_writer(&mut *out, n)?,
            Value::Number { value, .. } => serde_json::to_writer(&mut *out, value)?,
            Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Value::Date(d) => {
                write!(out, "\"{d}\"").map_err(serde_json::Error::io)?;
            }
        }
        Ok(())
    }
}

/// A reference from columns of one table to the primary key of another.
#[derive(Clone, Debug)]
pub(crate) struct ForeignKey {
    pub fields: &'static [&'static str],
    pub table: &'static str,
    pub reference: &'static [&'static str],
}

/// The link from a table's `measure_id` to the measures table, shared by every per-measure
/// table.
pub(crate) const MEASURE_KEY: ForeignKey = ForeignKey {
    fields: &["measure_id"],
    table: "measures",
    reference: &["measure_id"],
};

/// Where a table's rows come from.
#[derive(Clone, Copy)]
pub(crate) enum Source {
    /// All rows at once, from the whole site: the small tables (policies, glossary).
    Site(fn(&Site, &mut Rows)),
    /// The rows of one measure, a function of that measure and the site's configuration
    /// alone, so that the table can be written measure by measure (and the whole table is
    /// the rows of every measure in the site's order).
    Measure(fn(&Site, &Measure, &mut Rows)),
    /// The rows of one annual activity plan: the activity tables run to tens of megabytes
    /// on a large site, so they too are written a batch of plans at a time.
    Activity(fn(&Site, &ActivityPlan, &mut Rows)),
}

/// A table: its schema and where its rows come from.
#[derive(Clone)]
pub(crate) struct Table {
    /// File stem and resource name (`kpi_values`).
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub fields: Vec<Field>,
    pub primary_key: &'static [&'static str],
    pub foreign_keys: Vec<ForeignKey>,
    pub source: Source,
    /// Set on the tables the site publishes ([`Table::published`]); `None` writes the cells
    /// as given, for testing the writer alone.
    pub published: Option<Published>,
}

/// What a published table adds to every row: the city's identity, first, as the
/// 自治体標準オープンデータセット does, so that files of many cities can be stacked.
#[derive(Clone, Debug)]
pub(crate) struct Published {
    /// 全国地方公共団体コード, when `config.yaml` gives it (never guessed).
    pub city_code: Option<String>,
    pub city_name: String,
    /// The plan's slug, in a site of several plans (one package per plan, the rows of all
    /// of them stackable by this column); `None` in a single-plan site.
    pub plan_id: Option<String>,
}

/// The column naming the plan in every table of a site of several plans.
fn plan_id_field() -> Field {
    Field::new(
        "plan_id",
        "計画ID",
        Kind::String,
        "計画の id（plan.yaml の id。content/plans/ の計画はフォルダ名）。計画が複数あるサイトだけの列",
    )
    .required()
}

/// The identity columns every published table starts with.
pub(crate) fn identity_fields(has_code: bool) -> [Field; 2] {
    let code = Field::new(
        "city_code",
        "全国地方公共団体コード",
        Kind::String,
        "総務省の全国地方公共団体コード（検査数字を含む6桁）。config.yaml の city_code。設定がなければ空",
    )
    .matching("^[0-9]{6}$");
    [
        if has_code { code.required() } else { code },
        Field::new(
            "city_name",
            "地方公共団体名",
            Kind::String,
            "計画を定めた地方公共団体の名前（config.yaml の city）",
        )
        .required(),
    ]
}

/// UTF-8 byte-order mark: how Excel recognises a CSV file as UTF-8.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What a JSON file ends with. It starts with its header row ([`Table::json_head`]); its
/// rows come between, one array per line.
const JSON_CLOSE: &[u8] = b"\n]\n";

/// Some rows of a table, already written as CSV records and JSON objects.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Chunk {
    /// CRLF-terminated CSV records, without the header.
    pub csv: Vec<u8>,
    /// One `,\n[…]` per row: the separator comes first so that chunks simply concatenate
    /// after the file's header row.
    pub json: Vec<u8>,
    pub rows: usize,
}

/// Writes rows into a [`Chunk`] as they are made.
pub(crate) struct Rows<'t> {
    table: &'t Table,
    /// The identity cells every row starts with (published tables only).
    prefix: Vec<Value<'t>>,
    csv: csv::Writer<Vec<u8>>,
    json: Vec<u8>,
    count: usize,
    scratch: Vec<u8>,
}

impl<'t> Rows<'t> {
    /// Whether the table being written has this column: for row builders of tables whose
    /// columns follow what the plan has, so that they decide once (in the schema) per site.
    pub(crate) fn has_column(&self, name: &str) -> bool {
        self.table.fields.iter().any(|f| f.name == name)
    }

    pub(crate) fn new(table: &'t Table) -> Rows<'t> {
        let prefix = match &table.published {
            Some(p) => {
                let mut cells = vec![
                    p.city_code.as_deref().map_or(Value::Null, Value::str),
                    Value::str(&p.city_name),
                ];
                cells.extend(p.plan_id.as_deref().map(Value::str));
                cells
            }
            None => Vec::new(),
        };
        Rows {
            table,
            prefix,
            csv: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .buffer_capacity(4096)
                .from_writer(Vec::new()),
            json: Vec::new(),
            count: 0,
            scratch: Vec::new(),
        }
    }

    /// Adds one row, its cells in the order of the table's fields (after the identity
    /// columns of a published table, which are added here). The JSON row is an array of the
    /// cells in that order, as the file's header row names them; JSON-only columns are left
    /// out of the CSV.
    pub(crate) fn push(&mut self, row: &[Value]) {
        let fields = &self.table.fields;
        assert_eq!(
            self.prefix.len() + row.len(),
            fields.len(),
            "row width of table {} does not match its schema",
            self.table.name
        );
        let published = self.table.published.is_some();
        // Writing to memory cannot fail; a failure here is a bug, not bad input.
        for (f, v) in fields.iter().zip(self.prefix.iter().chain(row)) {
            if f.json_only {
                continue;
            }
            let folded = if published { v.folded() } else { None };
            let v = folded.as_ref().unwrap_or(v);
            match v {
                Value::Text(s) if published => {
                    Value::Text(text::neutralise(s)).write_csv(&mut self.csv, &mut self.scratch)
                }
                _ => v.write_csv(&mut self.csv, &mut self.scratch),
            }
            .expect("CSV to memory");
        }
        self.csv.write_record(None::<&[u8]>).expect("CSV to memory");
        // A row is an array, not an object keyed by column name: in a plan's KPI values the
        // key names were most of the bytes of the file. The header row names the columns
        // once; an empty cell is `null`.
        self.json.extend_from_slice(b",\n[");
        for (i, v) in self.prefix.iter().chain(row).enumerate() {
            if i > 0 {
                self.json.push(b',');
            }
            let folded = if published { v.folded() } else { None };
            folded
                .as_ref()
                .unwrap_or(v)
                .write_json(&mut self.json)
                .expect("JSON to memory");
        }
        self.json.push(b']');
        self.count += 1;
    }

    pub(crate) fn finish(self) -> Chunk {
        Chunk {
            csv: self.csv.into_inner().expect("CSV to memory"),
            json: self.json,
            rows: self.count,
        }
    }
}

impl Table {
    /// The rows of the whole site (every measure's, in order, for a per-measure table). For
    /// the small tables and tests: the build writes the large ones measure by measure.
    pub(crate) fn site_rows(&self, site: &Site) -> Chunk {
        let mut rows = Rows::new(self);
        match self.source {
            Source::Site(f) => f(site, &mut rows),
            Source::Measure(f) => site.measures.iter().for_each(|m| f(site, m, &mut rows)),
            Source::Activity(f) => site.activity.iter().for_each(|p| f(site, p, &mut rows)),
        }
        rows.finish()
    }

    /// The rows of one measure (none for a table that is not per measure).
    pub(crate) fn measure_rows(&self, site: &Site, m: &Measure) -> Chunk {
        let mut rows = Rows::new(self);
        if let Source::Measure(f) = self.source {
            f(site, m, &mut rows);
        }
        rows.finish()
    }

    /// The rows of one activity plan (none for a table that is not per plan).
    pub(crate) fn plan_rows(&self, site: &Site, p: &ActivityPlan) -> Chunk {
        let mut rows = Rows::new(self);
        if let Source::Activity(f) = self.source {
            f(site, p, &mut rows);
        }
        rows.finish()
    }

    /// What the CSV file starts with: the BOM and one header row of field names (RFC 4180,
    /// CRLF line ends).
    fn csv_head(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(BOM.to_vec());
        w.write_record(self.csv_fields().map(|f| f.name))
            .expect("CSV to memory");
        w.into_inner().expect("CSV to memory")
    }

    /// What the JSON file starts with: the opening of the array and its first element, the
    /// header row of every column's name (the JSON-only ones too), as the CSV file starts
    /// with its header. Frictionless reads an array of arrays this way (`dialect.header`).
    fn json_head(&self) -> Vec<u8> {
        let mut head = b"[\n".to_vec();
        let names: Vec<&str> = self.fields.iter().map(|f| f.name).collect();
        serde_json::to_writer(&mut head, &names).expect("JSON to memory");
        head
    }

    /// The CSV and JSON files of the given rows, made in memory.
    pub(crate) fn files(&self, rows: &Chunk) -> (Vec<u8>, Vec<u8>) {
        let mut csv = self.csv_head();
        csv.extend_from_slice(&rows.csv);
        let mut json = self.json_head();
        json.extend_from_slice(&rows.json);
        json.extend_from_slice(JSON_CLOSE);
        (csv, json)
    }

    /// Opens the table's CSV and JSON files in `sink`, to be written chunk by chunk.
    pub(crate) fn stream<'s>(
        &self,
        sink: &'s dyn Sink,
        csv_path: &str,
        json_path: &str,
    ) -> Result<TableWriter<'s>, WriteError> {
        let mut csv = sink.stream(csv_path)?;
        csv.write(&self.csv_head())?;
        let mut json = sink.stream(json_path)?;
        json.write(&self.json_head())?;
        Ok(TableWriter { csv, json, rows: 0 })
    }
    /// The table as the site publishes it: the city's identity columns first, text folded.
    pub(crate) fn published(mut self, site: &Site) -> Table {
        let code = site.config.city_code.clone();
        let mut fields = identity_fields(code.is_some()).to_vec();
        let plan_id =
            (!site.plan_list.is_empty()).then(|| site.plan.id.clone().unwrap_or_default());
        if plan_id.is_some() {
            fields.push(plan_id_field());
        }
        fields.append(&mut self.fields);
        self.fields = fields;
        self.published = Some(Published {
            city_code: code,
            city_name: site.config.city.clone(),
            plan_id,
        });
        self
    }

    /// The columns of the CSV file: every field but the JSON-only ones.
    pub(crate) fn csv_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| !f.json_only)
    }

    /// Whether the JSON file has columns the CSV file has not.
    pub(crate) fn has_json_only(&self) -> bool {
        self.fields.iter().any(|f| f.json_only)
    }

    /// The Table Schema (Frictionless) of the CSV file.
    pub(crate) fn schema(&self) -> Json {
        self.schema_of(self.csv_fields())
    }

    /// The Table Schema of the JSON file: the CSV's columns and the JSON-only ones.
    pub(crate) fn json_schema(&self) -> Json {
        self.schema_of(self.fields.iter())
    }

    fn schema_of<'f>(&self, fields: impl Iterator<Item = &'f Field>) -> Json {
        let fields: Vec<Json> = fields
            .map(|f| {
                let mut obj = Map::new();
                obj.insert("name".into(), json!(f.name));
                obj.insert("title".into(), json!(f.title));
                let english = super::english::title(f.title).map(str::to_string);
                if let Some(t) = super::english::translated(f.title, english) {
                    obj.insert("title_translated".into(), t);
                }
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
                if let Some(pattern) = f.pattern {
                    constraints.insert("pattern".into(), json!(pattern));
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

/// A table's two files being written through a [`Sink`], chunk by chunk.
pub(crate) struct TableWriter<'s> {
    csv: Box<dyn StreamWriter + 's>,
    json: Box<dyn StreamWriter + 's>,
    rows: usize,
}

/// What was written: the rows and the sizes of the two files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Written {
    pub rows: usize,
    pub csv_bytes: usize,
    pub json_bytes: usize,
}

impl TableWriter<'_> {
    pub(crate) fn append(&mut self, chunk: &Chunk) -> Result<(), WriteError> {
        self.csv.write(&chunk.csv)?;
        self.json.write(&chunk.json)?;
        self.rows += chunk.rows;
        Ok(())
    }

    pub(crate) fn finish(mut self) -> Result<Written, WriteError> {
        self.json.write(JSON_CLOSE)?;
        Ok(Written {
            rows: self.rows,
            csv_bytes: self.csv.finish()?,
            json_bytes: self.json.finish()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Collect;

    fn sample() -> Table {
        Table {
            name: "t",
            title: "表",
            description: "",
            fields: vec![
                Field::new("id", "ID", Kind::String, "").required(),
                Field::new("n", "数", Kind::Number, ""),
                Field::new("ok", "可否", Kind::Boolean, ""),
                Field::new("at", "日付", Kind::Date, ""),
                Field::new("i", "整数", Kind::Integer, ""),
            ],
            primary_key: &["id"],
            foreign_keys: Vec::new(),
            source: Source::Site(|_, _| {}),
            // The writer alone: cells as given, no identity columns (published tables are
            // tested below and in tests/open_data.rs).
            published: None,
        }
    }

    fn rows(t: &Table) -> Chunk {
        let mut r = Rows::new(t);
        r.push(&[
            Value::str("a,\"b\"\n"),
            Value::Number {
                value: 30000.0,
                decimals: 0,
            },
            Value::Bool(true),
            Value::Date(Date::new(2024, 8, 1).unwrap()),
            Value::int(-12),
        ]);
        r.push(&[
            Value::string("z\u{1F}".into()),
            Value::Number {
                value: 0.0,
                decimals: 2,
            },
            Value::Null,
            Value::Null,
            Value::int(0),
        ]);
        r.finish()
    }

    #[test]
    fn csv_has_a_bom_crlf_no_separators_and_zero_is_not_blank() {
        let t = sample();
        let (csv, _) = t.files(&rows(&t));
        assert!(csv.starts_with(BOM));
        let text = std::str::from_utf8(&csv[3..]).unwrap();
        assert_eq!(
            text,
            "id,n,ok,at,i\r\n\"a,\"\"b\"\"\n\",30000,true,2024-08-01,-12\r\nz\u{1F},0.00,,,0\r\n"
        );
    }

    #[test]
    fn json_has_a_header_row_then_one_array_per_line_in_column_order_and_null_for_empty_cells() {
        let t = sample();
        let (_, json) = t.files(&rows(&t));
        assert_eq!(
            std::str::from_utf8(&json).unwrap(),
            "[\n[\"id\",\"n\",\"ok\",\"at\",\"i\"],\n\
             [\"a,\\\"b\\\"\\n\",30000.0,true,\"2024-08-01\",-12],\n\
             [\"z\\u001f\",0.0,null,null,0]\n]\n"
        );
        let parsed: Json = serde_json::from_slice(&json).unwrap();
        assert_eq!(parsed[1][0], json!("a,\"b\"\n"));
        assert_eq!(parsed[2][1], json!(0.0));
        assert!(parsed[2][2].is_null() && parsed[2][3].is_null());
        let (_, empty) = t.files(&Chunk::default());
        assert_eq!(empty, b"[\n[\"id\",\"n\",\"ok\",\"at\",\"i\"]\n]\n");
    }

    #[test]
    fn files_streamed_chunk_by_chunk_are_the_files_of_all_the_rows() {
        let t = sample();
        let one = rows(&t);
        let mut both = one.clone();
        both.csv.extend_from_slice(&one.csv);
        both.json.extend_from_slice(&one.json);
        both.rows *= 2;
        let sink = Collect::default();
        let mut w = t.stream(&sink, "t.csv", "t.json").unwrap();
        for chunk in [&Chunk::default(), &one, &Chunk::default(), &one] {
            w.append(chunk).unwrap();
        }
        let written = w.finish().unwrap();
        let (csv, json) = t.files(&both);
        assert_eq!(
            written,
            Written {
                rows: 4,
                csv_bytes: csv.len(),
                json_bytes: json.len()
            }
        );
        let got = sink.into_sorted();
        assert_eq!((&got[0].bytes, &got[1].bytes), (&csv, &json));
        let parsed: Vec<Json> = serde_json::from_slice(&json).unwrap();
        assert_eq!(parsed.len(), 1 + 4, "the header row and the rows");
    }

    #[test]
    #[should_panic(expected = "row width")]
    fn a_row_that_does_not_match_the_schema_is_a_bug() {
        Rows::new(&sample()).push(&[Value::Null]);
    }
}
