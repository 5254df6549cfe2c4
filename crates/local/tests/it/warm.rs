//! Warm execution environments: module state kept, concurrency, timeouts, crashes, edits,
//! hostile handlers, keep-alive, Lambda's environment and context, shutdown.

use std::path::Path;
use std::time::Duration;

use lambda_sync_aws::{CreateFunction, FakeAws, Lambda as _, minimal_zip};
use lambda_sync_local::{HttpRequest, HttpResponse, LocalApi, LocalOptions};
use serde_json::{Value, json};

use crate::support::*;

/// One handler per language that counts its calls in module state and does what the query
/// parameter `do` says.
fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::Node => {
            r#"
const fs = require('fs');
const { spawn } = require('child_process');
let count = 0;
console.log('init log line');
exports.handler = async (event, context) => {
  const q = event.queryStringParameters || {};
  count += 1;
  if (q.do === 'sleep') {
    if (q.child) {
      const c = spawn('sleep', ['1000'], { stdio: 'ignore' });
      fs.writeFileSync(q.child, String(c.pid));
    }
    console.log('going to sleep');
    await new Promise((r) => setTimeout(r, 60000));
  }
  if (q.do === 'flood') {
    const line = 'x'.repeat(1023) + '\n';
    for (let i = 0; i < 4096; i++) process.stdout.write(line);
  }
  if (q.do === 'channel') fs.writeSync(0, 'LSRTRgarbage that is not a frame\n');
  if (q.do === 'exit') { console.error('about to exit'); process.exit(7); }
  if (q.do === 'barrier') {
    fs.writeFileSync(q.dir + '/' + process.pid, '');
    while (fs.readdirSync(q.dir).length < Number(q.n)) await new Promise((r) => setTimeout(r, 10));
  }
  const tmp = process.env.TMPDIR;
  fs.writeFileSync(tmp + '/probe', 'x');
  const env = {};
  for (const k of ['AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
                   'AWS_REGION', '_HANDLER', 'LAMBDA_TASK_ROOT']) env[k] = process.env[k];
  return { statusCode: 200, body: JSON.stringify({
    count, pid: process.pid, requestId: context.awsRequestId, arn: context.invokedFunctionArn,
    left: context.getRemainingTimeInMillis(), memory: Number(context.memoryLimitInMB), env, tmp,
    cwd: process.cwd() }) };
};
"#
        }
        Lang::Python => {
            r#"
import json, os, subprocess, sys, time
count = 0
print('init log line')

def lambda_handler(event, context):
    global count
    q = event.get('queryStringParameters') or {}
    count += 1
    what = q.get('do')
    if what == 'sleep':
        if q.get('child'):
            c = subprocess.Popen(['sleep', '1000'])
            with open(q['child'], 'w') as f:
                f.write(str(c.pid))
        print('going to sleep')
        time.sleep(60)
    if what == 'flood':
        line = 'x' * 1023 + '\n'
        for _ in range(4096):
            sys.stdout.write(line)
    if what == 'channel':
        for fd in [0] + list(range(3, 64)):
            try:
                os.write(fd, b'LSRTRgarbage that is not a frame\n')
            except OSError:
                pass
    if what == 'exit':
        print('about to exit', file=sys.stderr)
        os._exit(7)
    if what == 'barrier':
        open(os.path.join(q['dir'], str(os.getpid())), 'w').close()
        while len(os.listdir(q['dir'])) < int(q['n']):
            time.sleep(0.01)
    tmp = os.environ['TMPDIR']
    with open(os.path.join(tmp, 'probe'), 'w') as f:
        f.write('x')
    keys = ['AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
            'AWS_REGION', '_HANDLER', 'LAMBDA_TASK_ROOT']
    return {'statusCode': 200, 'body': json.dumps({
        'count': count, 'pid': os.getpid(), 'requestId': context.aws_request_id,
        'arn': context.invoked_function_arn, 'left': context.get_remaining_time_in_millis(),
        'memory': context.memory_limit_in_mb, 'env': {k: os.environ.get(k) for k in keys},
        'tmp': tmp, 'cwd': os.getcwd()})}
"#
        }
    }
}

/// An API with one proxy route `/warm` on function `warm` written in `lang`.
async fn account(lang: Lang) -> (FakeAws, String) {
    let aws = FakeAws::default();
    let spec = json!({"swagger": "2.0", "info": {"title": "warm", "version": "1"}, "paths": {
        "/warm": {"get": {"responses": {"200": {"description": "ok"}},
            "x-amazon-apigateway-integration": proxy_integration("warm")}}}});
    let api_id = import(&aws, &spec).await;
    create(&aws, "warm", lang, source(lang)).await;
    (aws, api_id)
}

fn call(query: &[(&str, &str)]) -> HttpRequest {
    let mut request = HttpRequest::new("GET", "/warm");
    for (k, v) in query {
        request = request.with_query(*k, *v);
    }
    request
}

#[track_caller]
fn ok(r: &HttpResponse) -> Value {
    assert_eq!(r.status, 200, "{}\n{}", r.body_text(), r.logs);
    json_body(r)
}

fn alive(pid: u64) -> bool {
    // A zombie has ended: only its exit status is left for its parent to collect.
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

/// Waits (bounded) until `pid` has ended.
async fn ended(pid: u64) -> bool {
    for _ in 0..600 {
        if !alive(pid) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

const LANGS: [Lang; 2] = [Lang::Node, Lang::Python];

#[tokio::test]
async fn module_state_survives_sequential_calls() {
    bounded(async {
        for lang in LANGS {
            let (aws, api_id) = account(lang).await;
            let (api, _cache) = local(&aws, &api_id).await;
            let mut pids = Vec::new();
            for expected in 1..=3 {
                let r = api.invoke(call(&[])).await.unwrap();
                let body = ok(&r);
                assert_eq!(body["count"], expected, "{lang:?}: {body}");
                pids.push(body["pid"].clone());
                let id = r.header("x-amzn-RequestId").unwrap();
                assert_eq!(body["requestId"], id);
                for line in [
                    format!("START RequestId: {id} Version: $LATEST"),
                    format!("END RequestId: {id}"),
                    format!("REPORT RequestId: {id}\tDuration: "),
                ] {
                    assert!(r.logs.contains(&line), "{lang:?}: {line} in\n{}", r.logs);
                }
                // Init Duration and the module's own log line on the first call only.
                assert_eq!(
                    r.logs.contains("\tInit Duration: "),
                    expected == 1,
                    "{}",
                    r.logs
                );
                assert_eq!(
                    r.logs.contains("init log line"),
                    expected == 1,
                    "{}",
                    r.logs
                );
            }
            assert!(pids.iter().all(|p| *p == pids[0]), "{lang:?}: {pids:?}");
            assert_eq!(api.idle_environments(), 1);
        }
    })
    .await;
}

#[tokio::test]
async fn node_es_modules_keep_state_too() {
    bounded(async {
        let aws = FakeAws::default();
        let spec = json!({"swagger": "2.0", "info": {"title": "esm", "version": "1"}, "paths": {
            "/warm": {"get": {"responses": {"200": {"description": "ok"}},
                "x-amazon-apigateway-integration": proxy_integration("warm")}}}});
        let api_id = import(&aws, &spec).await;
        let code = b"let n = 0;\nexport const handler = async () => ({statusCode: 200, body: String(++n)});\n";
        aws.create_function(CreateFunction::new(
            "warm",
            ROLE,
            "nodejs22.x",
            "index.handler",
            minimal_zip("index.mjs", code),
        ))
        .await
        .unwrap();
        allow(&aws, "warm").await;
        let (api, _cache) = local(&aws, &api_id).await;
        for expected in ["1", "2", "3"] {
            let r = api.invoke(call(&[])).await.unwrap();
            assert_eq!((r.status, r.body_text().as_str()), (200, expected));
        }
    })
    .await;
}

#[tokio::test]
async fn lambda_environment_and_context() {
    bounded(async {
        for lang in LANGS {
            let (aws, api_id) = account(lang).await;
            let (api, cache) = local(&aws, &api_id).await;
            let body = ok(&api.invoke(call(&[])).await.unwrap());
            assert_eq!(
                body["arn"],
                "arn:aws:lambda:us-east-1:123456789012:function:warm"
            );
            assert_eq!(body["memory"], 128);
            let left = body["left"].as_u64().unwrap();
            assert!(left > 0 && left <= 20_000, "{left}");
            let env = &body["env"];
            assert_eq!(env["AWS_LAMBDA_FUNCTION_NAME"], "warm");
            assert_eq!(env["AWS_LAMBDA_FUNCTION_VERSION"], "$LATEST");
            assert_eq!(env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "128");
            assert_eq!(env["AWS_REGION"], "us-east-1");
            assert_eq!(env["_HANDLER"], lang.handler());
            assert_eq!(env["LAMBDA_TASK_ROOT"], body["cwd"]);
            // The scratch folder is the environment's own, under the cache, and goes with it.
            let tmp = body["tmp"].as_str().unwrap();
            assert!(
                Path::new(tmp).starts_with(std::path::absolute(cache.path()).unwrap()),
                "{tmp}"
            );
            assert!(Path::new(tmp).join("probe").is_file());
            drop(api);
            assert!(!Path::new(tmp).exists(), "{tmp} outlived its environment");
        }
    })
    .await;
}

#[tokio::test]
async fn concurrent_calls_get_separate_environments_up_to_the_cap() {
    bounded(async {
        for lang in LANGS {
            let (aws, api_id) = account(lang).await;
            let (api, _cache) = local_with(&aws, &api_id, |o| {
                o.with_max_processes(3).with_max_environments(3)
            })
            .await;
            // Each call waits until three calls have started: only separate environments
            // running at the same time can all answer.
            let dir = tempfile::tempdir().unwrap();
            let d = dir.path().to_str().unwrap();
            let calls =
                (0..3).map(|_| api.invoke(call(&[("do", "barrier"), ("dir", d), ("n", "3")])));
            let mut pids = Vec::new();
            for r in futures_join(calls.collect()).await {
                pids.push(ok(&r.unwrap())["pid"].as_u64().unwrap());
            }
            pids.sort();
            pids.dedup();
            assert_eq!(pids.len(), 3, "{lang:?}: {pids:?}");
            assert_eq!(api.idle_environments(), 3);

            // With a cap of one, concurrent calls queue for the one environment.
            let (api, _cache) = local_with(&aws, &api_id, |o| o.with_max_environments(1)).await;
            let calls = (0..4).map(|_| api.invoke(call(&[])));
            let mut counts = Vec::new();
            let mut pids = Vec::new();
            for r in futures_join(calls.collect()).await {
                let body = ok(&r.unwrap());
                counts.push(body["count"].as_u64().unwrap());
                pids.push(body["pid"].as_u64().unwrap());
            }
            counts.sort();
            assert_eq!(counts, [1, 2, 3, 4], "{lang:?}");
            assert!(pids.iter().all(|p| *p == pids[0]), "{lang:?}: {pids:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_timeout_ends_the_environment_and_its_children() {
    bounded(async {
        for lang in LANGS {
            let (aws, api_id) = account(lang).await;
            let (api, _cache) =
                local_with(&aws, &api_id, |o| o.with_timeout(Duration::from_secs(4))).await;
            let first = ok(&api.invoke(call(&[])).await.unwrap())["pid"]
                .as_u64()
                .unwrap();
            let files = tempfile::tempdir().unwrap();
            let child_file = files.path().join("child");
            let r = api
                .invoke(call(&[
                    ("do", "sleep"),
                    ("child", child_file.to_str().unwrap()),
                ]))
                .await
                .unwrap();
            assert_eq!(
                (r.status, json_body(&r)),
                (504, json!({"message": "Endpoint request timed out"}))
            );
            assert!(r.logs.contains("going to sleep"), "{}", r.logs);
            assert!(
                r.logs.contains("Task timed out after 4.00 seconds"),
                "{}",
                r.logs
            );
            let child: u64 = std::fs::read_to_string(&child_file)
                .unwrap()
                .trim()
                .parse()
                .unwrap();
            assert!(
                ended(first).await,
                "{lang:?}: the environment {first} lives on"
            );
            assert!(
                ended(child).await,
                "{lang:?}: the handler's child {child} lives on"
            );
            // The next call gets a fresh environment.
            let body = ok(&api.invoke(call(&[])).await.unwrap());
            assert_eq!(body["count"], 1, "{lang:?}");
            assert_ne!(body["pid"].as_u64().unwrap(), first);
        }
    })
    .await;
}

#[tokio::test]
async fn hostile_handlers_do_not_break_the_next_call() {
    bounded(async {
        for lang in LANGS {
            let (aws, api_id) = account(lang).await;
            let (api, _cache) = local(&aws, &api_id).await;
            assert_eq!(ok(&api.invoke(call(&[])).await.unwrap())["count"], 1);

            // 4 MB on stdout: the call answers, its log is cut at 1 MB, the environment stays.
            let r = api.invoke(call(&[("do", "flood")])).await.unwrap();
            assert_eq!(ok(&r)["count"], 2, "{lang:?}");
            assert!(r.logs.contains("[lambda-sync: log truncated]"), "{lang:?}");
            assert!(r.logs.len() < 1_100_000, "{}", r.logs.len());
            assert_eq!(ok(&api.invoke(call(&[])).await.unwrap())["count"], 3);

            // Garbage on the protocol channel: that call fails, the environment ends.
            for what in ["channel", "exit"] {
                let r = api.invoke(call(&[("do", what)])).await.unwrap();
                assert_eq!(
                    (r.status, json_body(&r)),
                    (502, json!({"message": "Internal server error"})),
                    "{lang:?} {what}: {}",
                    r.logs
                );
                let body = ok(&api.invoke(call(&[])).await.unwrap());
                assert_eq!(body["count"], 1, "{lang:?} {what}: a fresh environment");
            }
            let r = api.invoke(call(&[("do", "exit")])).await.unwrap();
            assert!(r.logs.contains("about to exit"), "{}", r.logs);
            assert!(
                r.logs.contains("Runtime exited with error: exit status 7"),
                "{}",
                r.logs
            );
        }
    })
    .await;
}

#[tokio::test]
async fn an_edit_retires_the_old_environments() {
    bounded(async {
        for lang in LANGS {
            let (aws, api_id) = account(lang).await;
            let functions = tempfile::tempdir().unwrap();
            let folder = functions.path().join("warm");
            std::fs::create_dir_all(&folder).unwrap();
            let file = folder.join(lang.file());
            std::fs::write(&file, source(lang)).unwrap();
            let (api, _cache) =
                local_with(&aws, &api_id, |o| o.with_functions_dir(functions.path())).await;
            assert_eq!(ok(&api.invoke(call(&[])).await.unwrap())["count"], 1);
            assert_eq!(ok(&api.invoke(call(&[])).await.unwrap())["count"], 2);
            let edited = source(lang).replace("count += 1", "count += 100");
            std::fs::write(&file, edited).unwrap();
            assert_eq!(
                ok(&api.invoke(call(&[])).await.unwrap())["count"],
                100,
                "{lang:?}: the edit runs in a fresh environment"
            );
            assert_eq!(ok(&api.invoke(call(&[])).await.unwrap())["count"], 200);
            assert_eq!(api.idle_environments(), 1);
        }
    })
    .await;
}

#[tokio::test]
async fn idle_environments_end_after_the_keep_alive() {
    bounded(async {
        let (aws, api_id) = account(Lang::Python).await;
        let (api, _cache) = local_with(&aws, &api_id, |o| {
            o.with_keep_alive(Duration::from_millis(100))
        })
        .await;
        let first = ok(&api.invoke(call(&[])).await.unwrap())["pid"]
            .as_u64()
            .unwrap();
        assert!(ended(first).await, "the idle environment was kept");
        assert_eq!(api.idle_environments(), 0);
        let r = api.invoke(call(&[])).await.unwrap();
        assert_eq!(ok(&r)["count"], 1);
        assert!(r.logs.contains("\tInit Duration: "), "{}", r.logs);
    })
    .await;
}

#[tokio::test]
async fn shutdown_ends_every_environment() {
    bounded(async {
        let (aws, api_id) = account(Lang::Node).await;
        let cache = tempfile::tempdir().unwrap();
        let options = LocalOptions::new(cache.path())
            .with_node(node())
            .with_timeout(Duration::from_secs(20));
        let api = LocalApi::new(aws, &api_id, options).await.unwrap();
        let pid = ok(&api.invoke(call(&[])).await.unwrap())["pid"]
            .as_u64()
            .unwrap();
        assert!(alive(pid));
        api.shutdown();
        assert!(ended(pid).await);
        assert_eq!(api.idle_environments(), 0);
        let environments = cache.path().join("environments");
        assert_eq!(std::fs::read_dir(environments).unwrap().count(), 0);
    })
    .await;
}

/// Runs futures concurrently on the current task, keeping their order.
async fn futures_join<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut set: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = set.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in set.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().map(Option::unwrap).collect()
}

#[tokio::test]
async fn the_server_outlives_hostile_handlers_and_its_shutdown_ends_every_environment() {
    use crate::serve::request;
    use lambda_sync_local::{ApiHandle, ServeOptions};
    bounded(async {
        for lang in LANGS {
            let (aws, api_id) = account(lang).await;
            let (api, _cache) = local(&aws, &api_id).await;
            let options = ServeOptions::new();
            let listener = lambda_sync_local::bind("127.0.0.1:0".parse().unwrap(), &options)
                .await
                .unwrap();
            let addr = listener.local_addr().unwrap();
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let server = tokio::spawn(lambda_sync_local::serve_listener(
                ApiHandle::new(api),
                listener,
                options,
                async {
                    let _ = stopped.await;
                },
            ));
            for (what, status) in [("flood", 200), ("channel", 502), ("exit", 502)] {
                let r = request(addr, "GET", &format!("/warm?do={what}"), &[], b"").await;
                assert_eq!(r.status, status, "{lang:?} {what}");
                let r = request(addr, "GET", "/warm", &[], b"").await;
                assert_eq!(r.status, 200, "{lang:?} after {what}");
            }
            let pid = request(addr, "GET", "/warm", &[], b"").await.json()["pid"]
                .as_u64()
                .unwrap();
            assert!(alive(pid));
            stop.send(()).unwrap();
            server.await.unwrap().unwrap();
            assert!(
                ended(pid).await,
                "{lang:?}: serve's shutdown left {pid} running"
            );
        }
    })
    .await;
}
