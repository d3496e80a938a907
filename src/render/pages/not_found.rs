//! The page shown for any address that does not exist.

use serde::Serialize;

use super::{Address, Page};
use crate::url::Route;

/// Nothing beyond what every page has: the template says the rest.
#[derive(Serialize)]
pub(crate) struct NotFoundView {}

pub(crate) fn page() -> Page<NotFoundView> {
    Page {
        address: Address::Anywhere("404.html"),
        ..Page::new(
            Route::home(),
            "404.html",
            "ページが見つかりません".into(),
            String::new(),
            NotFoundView {},
        )
        .breadcrumbs(Vec::new())
    }
}
