//! The page shown for any address that does not exist.

use serde::Serialize;

use super::{Address, Page};
use crate::interface::Ui;
use crate::url::Route;

/// Nothing beyond what every page has: the template says the rest.
#[derive(Serialize)]
pub(crate) struct NotFoundView {}

pub(crate) fn page(ui: &Ui) -> Page<NotFoundView> {
    Page {
        address: Address::Anywhere("404.html"),
        ..Page::new(
            Route::home(),
            "404.html",
            ui.plain("not_found.title"),
            String::new(),
            NotFoundView {},
        )
        .breadcrumbs(Vec::new())
    }
}
