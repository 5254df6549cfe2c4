//! The timing of `watch` and `serve`: which file events call for a push, the debounce that
//! makes an editor's burst of writes one push, the push loop, and the process's one AWS pacing.
//!
//! The file watcher itself lives in the CLI; it feeds the changed paths into a channel, and
//! everything here runs on tokio's clock, so tests drive it with paused time.

use crate::Limiter;
use std::ffi::OsString;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

/// How long the files must stay quiet after a change before the push starts.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// The changes that call for a push: writes to the definition or to `lambda-sync.toml` in its
/// folder, debounced.
#[derive(Debug)]
pub struct Changes {
    events: UnboundedReceiver<Vec<PathBuf>>,
    names: Vec<OsString>,
    quiet: Duration,
}

impl Changes {
    /// The changes of `spec` (and of the config file beside it) among the paths that `events`
    /// receives, debounced by [`DEBOUNCE`].
    pub fn new(events: UnboundedReceiver<Vec<PathBuf>>, spec: &Path) -> Changes {
        let mut names = vec![OsString::from(crate::CONFIG_FILE_NAME)];
        names.extend(spec.file_name().map(|n| n.to_os_string()));
        Changes {
            events,
            names,
            quiet: DEBOUNCE,
        }
    }

    /// Debounces by `quiet` instead.
    pub fn with_quiet(mut self, quiet: Duration) -> Changes {
        self.quiet = quiet;
        self
    }

    fn relevant(&self, paths: &[PathBuf]) -> bool {
        paths.iter().any(|p| {
            p.file_name()
                .is_some_and(|n| self.names.iter().any(|w| w == n))
        })
    }

    /// Waits for a relevant change, then until no event at all has come for the quiet time
    /// (each event restarts it, so a burst of writes is one change). `None` when the watcher
    /// stopped (the channel closed) before a relevant change.
    pub async fn next(&mut self) -> Option<()> {
        loop {
            let paths = self.events.recv().await?;
            if self.relevant(&paths) {
                break;
            }
        }
        loop {
            match tokio::time::timeout(self.quiet, self.events.recv()).await {
                Err(_elapsed) => return Some(()),
                Ok(Some(_)) => continue,
                // The watcher stopped during the quiet time: the change is still pushed.
                Ok(None) => return Some(()),
            }
        }
    }
}

/// Why [`run`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchEnd {
    /// The number of pushes asked for was reached; the exit code of the last push.
    Done(u8),
    /// The file watcher stopped.
    WatcherStopped,
}

/// Pushes now, then once after each change, until `exit_after` pushes were made (when given) or
/// the watcher stops. `push` returns the exit code of a push.
pub async fn run<F, Fut>(changes: &mut Changes, exit_after: Option<usize>, mut push: F) -> WatchEnd
where
    F: FnMut() -> Fut,
    Fut: Future<Output = u8>,
{
    let mut pushes = 0usize;
    loop {
        let code = push().await;
        pushes += 1;
        if exit_after.is_some_and(|n| pushes >= n) {
            return WatchEnd::Done(code);
        }
        if changes.next().await.is_none() {
            return WatchEnd::WatcherStopped;
        }
    }
}

/// The one limiter of this process for pushes to AWS at AWS's rates: `watch` opens the account
/// (a new [`Engine`](crate::Engine)) for each push, and a push right after the last one must
/// wait for AWS's rates, not be throttled. Its clock is tokio's, so it belongs to the first
/// runtime that paces with it (a process has one).
pub fn aws_limiter() -> Arc<Limiter> {
    static AWS_PACING: OnceLock<Arc<Limiter>> = OnceLock::new();
    AWS_PACING
        .get_or_init(|| Arc::new(Limiter::new(1.0)))
        .clone()
}
