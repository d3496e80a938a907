//! KPIs (成果目標): the grammar of the cells staff paste from their sheets.

pub mod cell;
