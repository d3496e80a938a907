//! Values keyed by fiscal year, in year order.
//!
//! A KPI has a handful of years per row (target, actual, indicator, achieved, each revision's
//! earlier targets), and a national-scale site has tens of thousands of KPIs. A `BTreeMap`
//! allocates a node with room for eleven entries for even one entry — about 2 KB for a row
//! of cells — so the model holds these rows as a sorted vector instead, sized to fit.

use super::FiscalYear;

/// A row of values, one per fiscal year, kept sorted by year (see the module documentation).
#[derive(Clone, Debug, PartialEq)]
pub struct ByYear<T>(Vec<(FiscalYear, T)>);

impl<T> Default for ByYear<T> {
    fn default() -> Self {
        ByYear(Vec::new())
    }
}

type Pair<T> = (FiscalYear, T);
/// The iterator of `ByYear::iter`, named so `&ByYear` can be `IntoIterator`.
pub(super) type Iter<'a, T> =
    std::iter::Map<std::slice::Iter<'a, Pair<T>>, fn(&'a Pair<T>) -> (&'a FiscalYear, &'a T)>;

impl<T> ByYear<T> {
    /// An empty row.
    pub fn new() -> Self {
        Self::default()
    }

    fn position(&self, year: FiscalYear) -> Result<usize, usize> {
        self.0.binary_search_by(|(y, _)| y.cmp(&year))
    }

    /// Sets `year`'s value; returns the value it replaces, as `BTreeMap::insert` does.
    pub fn insert(&mut self, year: FiscalYear, value: T) -> Option<T> {
        match self.position(year) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (year, value));
                None
            }
        }
    }

    /// `year`'s value, if the row has one.
    pub fn get(&self, year: &FiscalYear) -> Option<&T> {
        self.position(*year).ok().map(|i| &self.0[i].1)
    }

    /// Whether the row has a value for `year`.
    pub fn contains_key(&self, year: &FiscalYear) -> bool {
        self.position(*year).is_ok()
    }

    /// How many years have a value.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no year has a value.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Entries in year order, as `(&year, &value)` like a map's.
    pub fn iter(&self) -> Iter<'_, T> {
        self.0.iter().map(|(y, v)| (y, v))
    }

    /// The years that have a value, oldest first.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &FiscalYear> + ExactSizeIterator + Clone {
        self.0.iter().map(|(y, _)| y)
    }

    /// The values, in year order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator + Clone {
        self.0.iter().map(|(_, v)| v)
    }

    /// The oldest year's entry.
    pub fn first_key_value(&self) -> Option<(&FiscalYear, &T)> {
        self.0.first().map(|(y, v)| (y, v))
    }

    /// The latest year's entry.
    pub fn last_key_value(&self) -> Option<(&FiscalYear, &T)> {
        self.0.last().map(|(y, v)| (y, v))
    }
}

impl<T> FromIterator<(FiscalYear, T)> for ByYear<T> {
    /// Sorted by year; where a year comes twice, the later value wins (as in a map).
    fn from_iter<I: IntoIterator<Item = (FiscalYear, T)>>(iter: I) -> Self {
        let mut pairs: Vec<(FiscalYear, T)> = iter.into_iter().collect();
        // Stable: equal years keep their order, so the last of them is the one kept.
        pairs.sort_by_key(|(y, _)| *y);
        let mut out: Vec<(FiscalYear, T)> = Vec::with_capacity(pairs.len());
        for (year, value) in pairs {
            match out.last_mut() {
                Some(last) if last.0 == year => last.1 = value,
                _ => out.push((year, value)),
            }
        }
        out.shrink_to_fit();
        ByYear(out)
    }
}

impl<T> IntoIterator for ByYear<T> {
    type Item = (FiscalYear, T);
    type IntoIter = std::vec::IntoIter<(FiscalYear, T)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a ByYear<T> {
    type Item = (&'a FiscalYear, &'a T);
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn fy(y: u16) -> FiscalYear {
        FiscalYear::try_from_western(y).unwrap()
    }

    #[test]
    fn behaves_as_a_map_keyed_by_year() {
        let pairs = [
            (fy(2024), "c"),
            (fy(2022), "a"),
            (fy(2023), "b"),
            (fy(2022), "A"),
        ];
        let ours: ByYear<&str> = pairs.iter().copied().collect();
        let map: BTreeMap<FiscalYear, &str> = pairs.iter().copied().collect();
        assert_eq!(
            ours.iter().collect::<Vec<_>>(),
            map.iter().collect::<Vec<_>>()
        );
        assert_eq!(ours.len(), 3);
        assert_eq!(ours.get(&fy(2022)), Some(&"A"));
        assert_eq!(ours.get(&fy(2025)), None);
        assert!(ours.contains_key(&fy(2023)) && !ours.contains_key(&fy(2021)));
        assert_eq!(ours.first_key_value(), Some((&fy(2022), &"A")));
        assert_eq!(ours.last_key_value(), Some((&fy(2024), &"c")));
        assert_eq!(ours.keys().next_back(), Some(&fy(2024)));
        assert_eq!(ours.values().copied().collect::<Vec<_>>(), ["A", "b", "c"]);

        let mut built = ByYear::new();
        assert_eq!(built.insert(fy(2023), 2), None);
        assert_eq!(built.insert(fy(2022), 1), None);
        assert_eq!(built.insert(fy(2023), 3), Some(2));
        assert_eq!(
            built.into_iter().collect::<Vec<_>>(),
            [(fy(2022), 1), (fy(2023), 3)]
        );
        assert!(ByYear::<u8>::default().is_empty());
    }
}
