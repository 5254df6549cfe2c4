//! The timing of `watch` and `serve` (`lambda_sync::watch`), on tokio's paused clock: time
//! advances only while every task waits, so the durations below are exact and the tests take
//! no real time.

use super::{PETS, doc, settings};
use lambda_sync::aws::FakeAws;
use lambda_sync::watch::{Changes, DEBOUNCE, WatchEnd};
use lambda_sync::{ApplyOptions, Config, Engine};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::time::{Instant, sleep};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn send(tx: &UnboundedSender<Vec<PathBuf>>, name: &str) {
    tx.send(vec![PathBuf::from("project").join(name)])
        .expect("the receiver is alive");
}

/// File events, each after a delay in milliseconds.
type Events = &'static [(u64, &'static str)];

/// A burst of writes is one change: the push waits until the files were quiet for the
/// debounce time after the last event; events about other files neither start nor end it.
#[tokio::test(start_paused = true)]
async fn a_burst_of_writes_is_one_change_after_the_quiet_time() {
    // Each case: events (delay before it, file name), then when the change is reported (after
    // the start), or None when the watcher stops first.
    let cases: &[(Events, Option<u64>)] = &[
        (&[(0, "pets.yaml")], Some(300)),
        (&[(50, "notes.txt"), (100, "pets.yaml")], Some(450)),
        (
            &[(0, "pets.yaml"), (200, "pets.yaml"), (250, "pets.yaml")],
            Some(750),
        ),
        // Any event restarts the quiet time (an editor's swap file is part of the save).
        (&[(0, "pets.yaml"), (200, ".pets.yaml.swp")], Some(500)),
        (&[(0, "lambda-sync.toml")], Some(300)),
        (&[(0, "notes.txt"), (100, "other.yaml")], None),
    ];
    for (events, expected) in cases {
        let (tx, rx) = unbounded_channel();
        let mut changes = Changes::new(rx, &PathBuf::from("project/pets.yaml"));
        let start = Instant::now();
        let events: Vec<(u64, String)> = events.iter().map(|(d, n)| (*d, n.to_string())).collect();
        let sent = events.clone();
        let sender = tokio::spawn(async move {
            for (delay, name) in sent {
                sleep(ms(delay)).await;
                send(&tx, &name);
            }
            // The watcher stops a minute later.
            sleep(Duration::from_secs(60)).await;
        });
        let got = changes.next().await.map(|()| start.elapsed());
        assert_eq!(got, expected.map(ms), "{events:?}");
        sender.abort();
    }
    assert_eq!(DEBOUNCE, ms(300));
}

/// The push loop: one push at once, one per (debounced) change, none for other files; it
/// stops after the pushes asked for with the last push's exit code, or when the watcher stops.
#[tokio::test(start_paused = true)]
async fn the_loop_pushes_once_per_change() {
    let (tx, rx) = unbounded_channel();
    let mut changes = Changes::new(rx, &PathBuf::from("project/pets.yaml"));
    let start = Instant::now();
    let pushes: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let sender = tokio::spawn(async move {
        sleep(ms(1000)).await;
        send(&tx, "pets.yaml");
        send(&tx, "pets.yaml");
        sleep(ms(1000)).await;
        send(&tx, "README.md");
        sleep(ms(1000)).await;
        send(&tx, "lambda-sync.toml");
        sleep(ms(1000)).await;
    });
    let log = pushes.clone();
    let end = lambda_sync::watch::run(&mut changes, Some(3), || {
        let log = log.clone();
        async move {
            log.lock().unwrap().push(start.elapsed());
            // A push takes time; its own exit code is the number of the push.
            sleep(ms(100)).await;
            log.lock().unwrap().len() as u8
        }
    })
    .await;
    assert_eq!(end, WatchEnd::Done(3));
    assert_eq!(*pushes.lock().unwrap(), [ms(0), ms(1300), ms(3300)]);
    sender.await.unwrap();
    // Without a limit, the loop ends when the watcher does.
    let (tx, rx) = unbounded_channel::<Vec<PathBuf>>();
    drop(tx);
    let mut changes = Changes::new(rx, &PathBuf::from("pets.yaml"));
    let mut n = 0;
    let end = lambda_sync::watch::run(&mut changes, None, || {
        n += 1;
        async { 0 }
    })
    .await;
    assert_eq!((end, n), (WatchEnd::WatcherStopped, 1));
}

/// `watch --aws` opens the account (a new engine) for each push, as the CLI does, and every
/// engine takes the process's one AWS limiter: at AWS's own rates (the fake answers
/// `Throttled` past them), a save right after a push waits for its import's turn instead of
/// being throttled, and no push retries. With a limiter per engine the second push is throttled
/// (checked first, so the test proves it can fail).
#[tokio::test(start_paused = true)]
async fn pushes_of_one_watch_share_the_process_limiter() {
    for shared in [false, true] {
        let account = FakeAws::default().with_rate_limits(1.0);
        let (tx, rx) = unbounded_channel();
        let mut changes = Changes::new(rx, &PathBuf::from("project/pets.yaml"));
        let reports = Arc::new(Mutex::new(Vec::new()));
        // Saved as soon as the first push is done.
        let first_done = Arc::new(tokio::sync::Notify::new());
        let saver = {
            let first_done = first_done.clone();
            tokio::spawn(async move {
                first_done.notified().await;
                send(&tx, "pets.yaml");
                sleep(Duration::from_secs(600)).await;
            })
        };
        let end = lambda_sync::watch::run(&mut changes, Some(2), || {
            let engine = Engine::new(
                settings(Config::default()),
                Arc::new(account.clone()),
                Arc::new(account.clone()),
            )
            .with_apply_options(
                ApplyOptions::default()
                    .with_rate_scale(1.0)
                    .with_max_attempts(1),
            );
            let engine = if shared {
                engine.with_limiter(lambda_sync::watch::aws_limiter())
            } else {
                engine
            };
            let (reports, first_done) = (reports.clone(), first_done.clone());
            async move {
                // Without state, each push imports a new (edge-optimized) API: one such import
                // per 30 s.
                let r = engine.push(&doc(PETS), None).await;
                let code = u8::from(r.is_err());
                reports
                    .lock()
                    .unwrap()
                    .push(r.map(|r| r.retries).map_err(|f| f.to_string()));
                first_done.notify_one();
                code
            }
        })
        .await;
        saver.abort();
        let reports = reports.lock().unwrap().clone();
        if shared {
            assert_eq!(end, WatchEnd::Done(0), "{reports:?}");
            assert_eq!(reports, [Ok(0), Ok(0)]);
            assert_eq!(account.call_count("ImportRestApi"), 2);
        } else {
            assert_eq!(end, WatchEnd::Done(1), "{reports:?}");
            assert!(
                matches!(&reports[1], Err(e) if e.contains("hrottl") || e.contains("Too Many")),
                "{reports:?}"
            );
        }
    }
}
