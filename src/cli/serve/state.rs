//! What the server threads share: the last good site, the errors of the last rebuild (if it
//! failed) and a version number that goes up with every rebuild. Request threads take a cheap
//! [`Snapshot`]; the event-stream threads wait on a condition variable for the next version.
//!
//! The site is updated in place ([`Shared::publish`]): with tens of thousands of files, a
//! copy per edit would cost more than the edit's own rebuild. After a fast update of some
//! measure pages the rest of the site is still being made; until it is, requests for any
//! other page wait ([`Shared::settled`]) rather than get a page that does not show the edit.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::diagnostics::Diagnostics;
use crate::output::Output;

/// The served files, by site path.
pub(crate) type Files = HashMap<String, Vec<u8>>;

/// What the server serves at one moment; cheap to clone (the parts are shared).
#[derive(Clone, Default)]
pub struct Snapshot {
    /// Counts publications and failures; open pages compare it to know when to reload.
    pub version: u64,
    /// The last site that built without errors (`None` until one did).
    pub site: Option<Arc<Files>>,
    /// The errors of the last rebuild, when it failed.
    pub errors: Option<Arc<Diagnostics>>,
    /// After a fast update: the paths it made. Every other path, except the theme's assets,
    /// is being made again.
    pub pending: Option<Arc<HashSet<String>>>,
}

impl Snapshot {
    /// Must a request for `path` wait for the rest of the site?
    pub fn is_stale(&self, path: &str) -> bool {
        self.pending
            .as_ref()
            .is_some_and(|fresh| !fresh.contains(path) && !path.starts_with("assets/"))
    }
}

/// What a rebuild changed, for open pages: the paths whose bytes changed, or everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Change {
    /// Site paths whose bytes changed, sorted.
    pub paths: Vec<String>,
    /// Every open page should reload (a shared asset or the error state changed).
    pub all: bool,
}

/// Which part of the site a publication replaces.
pub enum Scope<'a> {
    /// The whole site: paths not among the outputs are gone.
    All,
    /// Some measures' files (paths under these prefixes); the rest is being remade.
    Measures(&'a [String]),
    /// Everything but measure pages and their charts (`is_measure_file`), remade after
    /// [`Scope::Measures`].
    Rest(&'a dyn Fn(&str) -> bool),
}

/// How many past changes an event stream can catch up on before it reloads everything.
const HISTORY: usize = 32;

#[derive(Default)]
struct State {
    snapshot: Snapshot,
    history: VecDeque<(u64, Arc<Change>)>,
}

/// The served state, shared by the rebuild loop and the request threads.
#[derive(Default)]
pub struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    stopping: AtomicBool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current snapshot, without waiting.
    pub fn snapshot(&self) -> Snapshot {
        self.lock().snapshot.clone()
    }

    /// A rebuild succeeded: `outputs` replace `scope` of the served site. Returns the paths
    /// whose bytes changed.
    pub fn publish(&self, outputs: Vec<Output>, scope: Scope) -> Vec<String> {
        let mut guard = self.lock();
        let state = &mut *guard;
        let had_errors = state.snapshot.errors.is_some();
        let site = Arc::make_mut(state.snapshot.site.get_or_insert_with(Default::default));
        let made: HashSet<String> = outputs.iter().map(|o| o.path.clone()).collect();
        let replaced = |path: &str| match &scope {
            Scope::All => true,
            Scope::Measures(prefixes) => prefixes.iter().any(|p| path.starts_with(p.as_str())),
            Scope::Rest(is_measure_file) => !is_measure_file(path),
        };
        let mut changed: Vec<String> = site
            .keys()
            .filter(|p| replaced(p) && !made.contains(*p))
            .cloned()
            .collect();
        for p in &changed {
            site.remove(p);
        }
        for o in outputs {
            if site.get(&o.path) != Some(&o.bytes) {
                changed.push(o.path.clone());
                site.insert(o.path, o.bytes);
            }
        }
        changed.sort();
        state.snapshot.pending = match scope {
            Scope::Measures(_) => Some(Arc::new(made)),
            Scope::All | Scope::Rest(_) => None,
        };
        let all = had_errors || changed.iter().any(|p| p.starts_with("assets/"));
        state.snapshot.errors = None;
        Self::record(
            state,
            Change {
                paths: changed.clone(),
                all,
            },
        );
        drop(guard);
        self.changed.notify_all();
        changed
    }

    /// A rebuild failed: the last good site stays, the errors are shown over it.
    pub fn fail(&self, errors: Diagnostics) {
        let mut guard = self.lock();
        let state = &mut *guard;
        state.snapshot.errors = Some(Arc::new(errors));
        state.snapshot.pending = None;
        Self::record(
            state,
            Change {
                paths: Vec::new(),
                all: true,
            },
        );
        drop(guard);
        self.changed.notify_all();
    }

    fn record(state: &mut State, change: Change) {
        state.snapshot.version += 1;
        state
            .history
            .push_back((state.snapshot.version, Arc::new(change)));
        while state.history.len() > HISTORY {
            state.history.pop_front();
        }
    }

    /// Waits until the version differs from `seen`; then the snapshot and everything that
    /// changed since `seen` (all of it, when `seen` is too old to tell). `None` after
    /// `timeout`.
    pub fn wait_for_change(&self, seen: u64, timeout: Duration) -> Option<(Snapshot, Change)> {
        let guard = self.lock();
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| {
                s.snapshot.version == seen && !self.stopping.load(Ordering::SeqCst)
            })
            .unwrap_or_else(|e| e.into_inner());
        if guard.snapshot.version == seen {
            return None;
        }
        let mut since = Change::default();
        let covered = guard
            .history
            .front()
            .is_some_and(|(first, _)| *first <= seen + 1);
        if covered {
            for (_, c) in guard.history.iter().filter(|(v, _)| *v > seen) {
                since.paths.extend(c.paths.iter().cloned());
                since.all |= c.all;
            }
            since.paths.sort();
            since.paths.dedup();
        } else {
            since.all = true;
        }
        Some((guard.snapshot.clone(), since))
    }

    /// The snapshot once `path` is up to date (at once, unless the rest of the site is being
    /// remade after a fast update); gives up after `timeout` and serves what there is.
    pub fn settled(&self, path: &str, timeout: Duration) -> Snapshot {
        let guard = self.lock();
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| {
                s.snapshot.is_stale(path) && !self.stopping.load(Ordering::SeqCst)
            })
            .unwrap_or_else(|e| e.into_inner());
        guard.snapshot.clone()
    }

    /// Shutting down: wakes every waiting request so that it returns at once.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.changed.notify_all();
    }

    pub(crate) fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(path: &str, body: &str) -> Output {
        Output::new(path.to_string(), body.as_bytes().to_vec())
    }

    fn is_measure_file(p: &str) -> bool {
        p.starts_with("measures/m")
    }

    #[test]
    fn a_fast_update_holds_back_other_pages_until_the_rest_is_published() {
        let shared = Shared::default();
        shared.publish(
            vec![
                out("index.html", "home 1"),
                out("measures/m1/index.html", "m1 v1"),
                out("measures/m1/kpi-1.svg", "chart"),
                out("assets/style.css", "css"),
            ],
            Scope::All,
        );
        let changed = shared.publish(
            vec![out("measures/m1/index.html", "m1 v2")],
            Scope::Measures(&["measures/m1/".to_string()]),
        );
        // The chart the measure no longer has is gone with it.
        assert_eq!(changed, ["measures/m1/index.html", "measures/m1/kpi-1.svg"]);
        let snap = shared.snapshot();
        assert!(!snap.is_stale("measures/m1/index.html"));
        assert!(!snap.is_stale("assets/style.css"));
        assert!(snap.is_stale("index.html"));
        let waited = shared.settled("index.html", Duration::from_millis(10));
        assert!(waited.is_stale("index.html"), "timed out, still stale");

        let changed = shared.publish(
            vec![out("index.html", "home 2")],
            Scope::Rest(&is_measure_file),
        );
        assert_eq!(changed, ["assets/style.css", "index.html"]);
        let snap = shared.settled("index.html", Duration::from_secs(1));
        assert!(!snap.is_stale("index.html"));
        let site = snap.site.unwrap();
        assert_eq!(site["measures/m1/index.html"], b"m1 v2");
        assert!(!site.contains_key("assets/style.css"));
    }

    #[test]
    fn an_event_stream_that_missed_a_version_gets_both_changes() {
        let shared = Shared::default();
        shared.publish(vec![out("a.html", "1"), out("b.html", "1")], Scope::All);
        let seen = shared.snapshot().version;
        shared.publish(
            vec![out("measures/m1/index.html", "2")],
            Scope::Measures(&["measures/m1/".to_string()]),
        );
        shared.publish(
            vec![out("a.html", "2"), out("b.html", "1")],
            Scope::Rest(&is_measure_file),
        );
        let (_, change) = shared
            .wait_for_change(seen, Duration::from_secs(1))
            .unwrap();
        assert_eq!(change.paths, ["a.html", "measures/m1/index.html"]);
        assert!(!change.all);
        let (_, change) = shared.wait_for_change(0, Duration::from_secs(1)).unwrap();
        assert!(change.paths.contains(&"b.html".to_string()));
    }
}
