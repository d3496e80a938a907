//! KPIs (成果目標): the grammar of the cells staff paste from their sheets, and the rules that
//! judge whether a target was met.

pub mod achievement;
pub mod cell;
pub mod sentence;
pub mod words;
