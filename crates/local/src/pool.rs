//! Per-function pools of warm execution environments, kept as Lambda keeps them.
//!
//! A call takes an idle environment of its function whose code is current, else starts a new
//! one while the function has fewer than its cap, else waits for one to come back. An
//! environment goes back to the pool after a call that left it healthy; a timeout, a crash or
//! a broken channel ends it. Idle environments are ended after the keep-alive. An environment
//! whose code changed (an edit in the functions folder, a new package, another handler) is
//! ended when a call finds it idle, so a running call finishes on the code it started with.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use crate::Result;
use crate::environment::{Environment, FunctionSpec, Ran};

/// The environments of one function.
#[derive(Debug)]
struct Slot {
    idle: Vec<Environment>,
    /// One permit per environment the function may have.
    permits: Arc<Semaphore>,
}

#[derive(Debug)]
struct Inner {
    cache_dir: PathBuf,
    per_function: usize,
    keep_alive: Duration,
    functions: Mutex<HashMap<String, Slot>>,
    next_id: AtomicU64,
    closed: AtomicBool,
}

/// The environments of every function of one [`LocalApi`](crate::LocalApi).
#[derive(Debug)]
pub(crate) struct Pool {
    inner: Arc<Inner>,
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Counts of a pool's environments, for tests and diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Counts {
    pub idle: usize,
    /// Environments started since the pool was made (cold starts, and failed starts).
    pub started: u64,
}

impl Pool {
    /// A pool writing environments' scratch folders under `cache_dir`, with at most
    /// `per_function` environments per function, idle ones ended after `keep_alive`. Starts
    /// the task that ends idle environments (it stops when the pool is dropped).
    pub fn new(cache_dir: PathBuf, per_function: usize, keep_alive: Duration) -> Pool {
        let inner = Arc::new(Inner {
            cache_dir,
            per_function: per_function.max(1),
            keep_alive,
            functions: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            closed: AtomicBool::new(false),
        });
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let tick = (keep_alive / 4).clamp(Duration::from_millis(10), Duration::from_secs(1));
            runtime.spawn(reap(Arc::downgrade(&inner), tick));
        }
        Pool { inner }
    }

    /// Runs one call of `spec`'s function in a warm environment (or a new one).
    pub async fn invoke(
        &self,
        spec: &FunctionSpec,
        request_id: &str,
        event: &[u8],
        timeout: Duration,
    ) -> Result<Ran> {
        let inner = &self.inner;
        let permits = {
            let mut functions = inner.functions.lock().unwrap_or_else(|e| e.into_inner());
            functions
                .entry(spec.function_name.clone())
                .or_insert_with(|| Slot {
                    idle: Vec::new(),
                    permits: Arc::new(Semaphore::new(inner.per_function)),
                })
                .permits
                .clone()
        };
        let _permit = permits
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        let (warm, stale) = {
            let mut functions = inner.functions.lock().unwrap_or_else(|e| e.into_inner());
            let slot = functions
                .get_mut(&spec.function_name)
                .expect("the slot was made above");
            let mut stale = Vec::new();
            let mut warm = None;
            // The most recently used first: the others then age out.
            while let Some(mut env) = slot.idle.pop() {
                if env.key == spec.key && !env.exited() {
                    warm = Some(env);
                    break;
                }
                stale.push(env);
            }
            (warm, stale)
        };
        // Ended outside the lock (killing and removing a folder).
        drop(stale);
        let mut env = match warm {
            Some(env) => env,
            None => {
                let id = inner.next_id.fetch_add(1, Ordering::Relaxed);
                Environment::spawn(spec, &inner.cache_dir, id)?
            }
        };
        let ran = env.invoke(request_id, event, timeout).await;
        if ran.reusable && !inner.closed.load(Ordering::Relaxed) {
            let mut functions = inner.functions.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(slot) = functions.get_mut(&spec.function_name) {
                slot.idle.push(env);
            }
        }
        Ok(ran)
    }

    /// Ends every idle environment; environments running a call end when it does, and the
    /// pool keeps none from then on.
    pub fn shutdown(&self) {
        self.inner.closed.store(true, Ordering::Relaxed);
        let ended: Vec<Environment> = {
            let mut functions = self
                .inner
                .functions
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            functions
                .values_mut()
                .flat_map(|slot| slot.idle.drain(..))
                .collect()
        };
        drop(ended);
    }

    /// How many environments wait for a call.
    pub fn counts(&self) -> Counts {
        let functions = self
            .inner
            .functions
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        Counts {
            idle: functions.values().map(|slot| slot.idle.len()).sum(),
            started: self.inner.next_id.load(Ordering::Relaxed) - 1,
        }
    }
}

/// Ends idle environments older than the keep-alive, until the pool is gone.
async fn reap(inner: Weak<Inner>, tick: Duration) {
    loop {
        tokio::time::sleep(tick).await;
        let Some(inner) = inner.upgrade() else {
            return;
        };
        if inner.closed.load(Ordering::Relaxed) {
            return;
        }
        let now = Instant::now();
        let expired: Vec<Environment> = {
            let mut functions = inner.functions.lock().unwrap_or_else(|e| e.into_inner());
            let mut out = Vec::new();
            for slot in functions.values_mut() {
                let (old, young): (Vec<_>, Vec<_>) = slot
                    .idle
                    .drain(..)
                    .partition(|env| now.duration_since(env.last_used) >= inner.keep_alive);
                slot.idle = young;
                out.extend(old);
            }
            out
        };
        drop(expired);
    }
}
