//! What the server threads share: the last good site, the errors of the last rebuild (if it
//! failed) and a version number that goes up with every rebuild. Request threads take a cheap
//! [`Snapshot`]; the event-stream threads wait on a condition variable for the next version.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::diagnostics::Diagnostics;

#[derive(Clone, Default)]
pub struct Snapshot {
    pub version: u64,
    /// The last site that built without errors (`None` until one did).
    pub site: Option<Arc<HashMap<String, Vec<u8>>>>,
    /// The errors of the last rebuild, when it failed.
    pub errors: Option<Arc<Diagnostics>>,
    /// Site paths whose bytes changed in the last rebuild.
    pub changed: Arc<Vec<String>>,
    /// Every open page should reload (a shared asset or the error state changed).
    pub reload_all: bool,
}

#[derive(Default)]
pub struct Shared {
    state: Mutex<Snapshot>,
    changed: Condvar,
    stopping: AtomicBool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Snapshot> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn snapshot(&self) -> Snapshot {
        self.lock().clone()
    }

    /// A rebuild succeeded: `site` replaces the served site.
    pub fn publish(&self, site: HashMap<String, Vec<u8>>, changed: Vec<String>) {
        let mut s = self.lock();
        let had_errors = s.errors.is_some();
        let reload_all = had_errors || changed.iter().any(|p| !p.ends_with(".html"));
        s.version += 1;
        s.site = Some(Arc::new(site));
        s.errors = None;
        s.changed = Arc::new(changed);
        s.reload_all = reload_all;
        drop(s);
        self.changed.notify_all();
    }

    /// A rebuild failed: the last good site stays, the errors are shown over it.
    pub fn fail(&self, errors: Diagnostics) {
        let mut s = self.lock();
        s.version += 1;
        s.errors = Some(Arc::new(errors));
        s.changed = Arc::new(Vec::new());
        s.reload_all = true;
        drop(s);
        self.changed.notify_all();
    }

    /// Waits until the version differs from `seen`; `None` after `timeout`.
    pub fn wait_for_change(&self, seen: u64, timeout: Duration) -> Option<Snapshot> {
        let guard = self.lock();
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| {
                s.version == seen && !self.stopping.load(Ordering::SeqCst)
            })
            .unwrap_or_else(|e| e.into_inner());
        (guard.version != seen).then(|| guard.clone())
    }

    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.changed.notify_all();
    }

    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }
}
