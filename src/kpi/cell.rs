//! TEMPORARY placeholder until the cell grammar lands (replaced by the real module).
use serde::Deserialize;

#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub raw: String,
    pub note: Option<String>,
    pub provisional: bool,
}

impl Cell {
    pub fn display(&self) -> &str {
        &self.raw
    }
    pub fn is_blank(&self) -> bool {
        self.raw.trim().is_empty()
    }
}

#[derive(Debug)]
pub struct CellError {
    pub offset: usize,
}
impl std::fmt::Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("bad cell")
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum CellInput {
    Text(String),
    Number(f64),
}

impl CellInput {
    pub fn into_cell(self) -> Result<Cell, CellError> {
        let raw = match self {
            CellInput::Text(s) => s,
            CellInput::Number(n) => n.to_string(),
        };
        if raw.contains(",,") {
            return Err(CellError {
                offset: raw.find(",,").unwrap(),
            });
        }
        Ok(Cell {
            raw: raw.trim().to_string(),
            note: None,
            provisional: raw.contains("見込"),
        })
    }
}
