//! Benchmark: the first push of a 1,000-operation definition against the fake account with
//! its (scaled) AWS rate limits on, against the bound those rates set; and the AWS calls of a
//! first push, a re-push and a push that adds one operation.
//!
//! `cargo bench -p lambda-sync --bench push [-- OPERATIONS SCALE]` (defaults: 1000, 0.05).

use lambda_sync::aws::FakeAws;
use lambda_sync::{ApplyOptions, Config, Engine, RateClass, Recorded, SyncReport, Target};
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn definition(operations: usize) -> String {
    let mut s = String::from(
        "openapi: 3.0.3\ninfo: {title: Bench, version: '1', description: bench}\npaths:\n",
    );
    for i in 0..operations {
        let _ = write!(
            s,
            "  /items{i}/{{id}}:\n    get:\n      operationId: getItem{i}\n      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}, {{name: q, in: query, schema: {{type: string}}}}]\n      responses: {{'200': {{description: ok}}, '404': {{description: missing}}}}\n"
        );
    }
    s
}

fn writes(r: &SyncReport) -> usize {
    [
        "CreateFunction",
        "ImportRestApi",
        "PutRestApi",
        "AddPermission",
        "RemovePermission",
        "CreateDeployment",
    ]
    .iter()
    .map(|op| r.calls.get(*op).copied().unwrap_or(0))
    .sum()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let operations: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let scale: f64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(0.05);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let doc = lambda_sync_spec::load_str(&definition(operations))
            .unwrap()
            .document;
        let account = FakeAws::default().with_rate_limits(scale);
        // A regional API: the import's pacing is 3 s, not the 30 s of an edge API.
        let settings = Config {
            endpoint_type: lambda_sync::aws::EndpointType::Regional,
            ..Config::default()
        }
        .resolve(Target::Local)
        .unwrap();
        let engine = Engine::new(
            settings,
            Arc::new(account.clone()),
            Arc::new(account.clone()),
        )
        .with_apply_options(
            ApplyOptions::default()
                .with_concurrency(8)
                .with_rate_scale(scale)
                // Backoff scaled like the rates: the real 200 ms would dwarf a scaled run.
                .with_backoff(
                    Duration::from_millis(200).mul_f64(scale),
                    Duration::from_secs(20).mul_f64(scale),
                ),
        );

        let t = Instant::now();
        let prepared = lambda_sync::prepare(&doc, engine.settings()).expect("prepare");
        println!(
            "prepare (compat, bindings, extensions, {} stubs): {:.3} s",
            prepared.functions.len(),
            t.elapsed().as_secs_f64()
        );

        let started = Instant::now();
        let first = engine
            .push_recorded(&doc, &prepared, &Recorded::default(), None)
            .await
            .expect("first push");
        let took = started.elapsed();
        // The bound: every Lambda control-plane call at 15 per second, plus one import (3 s).
        let lambda_calls: usize = [
            "ListFunctions",
            "CreateFunction",
            "AddPermission",
            "GetPolicy",
        ]
        .iter()
        .map(|op| first.calls.get(*op).copied().unwrap_or(0))
        .sum();
        let bound = RateClass::Lambda.interval().mul_f64(scale) * lambda_calls as u32;
        println!("first push of {operations} operations at rate scale {scale}:");
        println!(
            "  time {:.3} s, rate-limit bound {:.3} s, ratio {:.3}",
            took.as_secs_f64(),
            bound.as_secs_f64(),
            took.as_secs_f64() / bound.as_secs_f64()
        );
        println!(
            "  throttled calls retried: {}, errors reaching the user: 0",
            first.retries
        );
        println!("  calls: {:?} (writes {})", first.calls, writes(&first));

        // A re-push with the policy cache the first push recorded (what the CLI does).
        let recorded = Recorded {
            api_id: first.api_id.clone(),
            policies: Some(first.policies.clone()),
        };
        let started = Instant::now();
        let again = engine
            .push_recorded(&doc, &prepared, &recorded, None)
            .await
            .expect("re-push");
        println!(
            "re-push with the policy cache: {:.3} s, calls {:?} (writes {}, GetPolicy {})",
            started.elapsed().as_secs_f64(),
            again.calls,
            writes(&again),
            again.calls.get("GetPolicy").copied().unwrap_or(0)
        );
        let started = Instant::now();
        let refreshed = engine
            .push_recorded(
                &doc,
                &prepared,
                &Recorded::api_id(first.api_id.as_deref()),
                None,
            )
            .await
            .expect("re-push --refresh");
        println!(
            "re-push --refresh (no cache): {:.3} s, calls {:?} (writes {}, GetPolicy {})",
            started.elapsed().as_secs_f64(),
            refreshed.calls,
            writes(&refreshed),
            refreshed.calls.get("GetPolicy").copied().unwrap_or(0)
        );

        let more = lambda_sync_spec::load_str(&definition(operations + 1))
            .unwrap()
            .document;
        let added = engine
            .push(&more, first.api_id.as_deref())
            .await
            .expect("push with one more");
        println!(
            "one added operation: created {:?}, calls {:?} (writes {})",
            added.functions_created,
            added.calls,
            writes(&added)
        );
    });
}
