//! Warm calls through `serve` against an in-process floor.
//!
//! `cargo bench -p lambda-sync-local --bench warm` starts, for a Node.js and a Python handler
//! of the pet store's `GET /user/{username}` (an `aws` integration with the request template
//! lambda-sync generates):
//!
//! - `serve` on 127.0.0.1 over a fake account, the function in a warm execution environment;
//! - the floor: a bare HTTP server in `node` (module `http`) or `python3` (`http.server`)
//!   that builds the same event and calls the same handler module in process.
//!
//! It measures the median and p99 latency of sequential keep-alive requests, and the
//! throughput of 16 concurrent keep-alive clients, and prints one table. `BENCH_REQUESTS`
//! (default 2000) sets the sequential count, `BENCH_CONCURRENT_REQUESTS` (default 4000) the
//! concurrent one. It needs `node` and `python3` on PATH.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use lambda_sync_aws::{
    ApiGateway as _, CreateFunction, FakeAws, ImportRestApi, Lambda as _, minimal_zip,
};
use lambda_sync_local::{ApiHandle, LocalApi, LocalOptions, ServeOptions};
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::TcpStream;

const NODE_HANDLER: &str = r#"const users = new Map();
exports.handler = async (event) => {
  const name = event.username;
  let user = users.get(name);
  if (!user) {
    user = { id: users.size + 1, username: name, firstName: 'First', lastName: 'Last',
             email: name + '@example.com', phone: '555-0100', userStatus: 1 };
    users.set(name, user);
  }
  return user;
};
"#;

const PYTHON_HANDLER: &str = r#"users = {}

def lambda_handler(event, context):
    name = event["username"]
    user = users.get(name)
    if user is None:
        user = {"id": len(users) + 1, "username": name, "firstName": "First", "lastName": "Last",
                "email": name + "@example.com", "phone": "555-0100", "userStatus": 1}
        users[name] = user
    return user
"#;

const NODE_FLOOR: &str = r#"const http = require('http');
const { handler } = require(process.argv[2]);
const server = http.createServer((req, res) => {
  const m = /^\/user\/([^/?]+)/.exec(req.url);
  if (!m) { res.writeHead(404); res.end(); return; }
  const event = { username: decodeURIComponent(m[1]) };
  Promise.resolve(handler(event, {})).then((result) => {
    const body = JSON.stringify(result);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
"#;

const PYTHON_FLOOR: &str = r#"import json, re, sys, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
sys.path.insert(0, sys.argv[1])
from lambda_function import lambda_handler

PATTERN = re.compile(r"^/user/([^/?]+)")

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body are two writes: without this, Nagle's algorithm and delayed ACKs add
    # ~40 ms to every keep-alive response.
    disable_nagle_algorithm = True

    def do_GET(self):
        m = PATTERN.match(self.path)
        if not m:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        event = {"username": urllib.parse.unquote(m.group(1))}
        body = json.dumps(lambda_handler(event, None)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

/// The request template lambda-sync generates for one path parameter.
const TEMPLATE: &str = "#set($p = $input.params())\n{\n  \"username\": #if($p.path.containsKey('username'))\"$util.escapeJavaScript($p.path.get('username')).replaceAll(\"\\\\'\",\"'\")\"#{else}null#end\n}";

/// One keep-alive HTTP/1.1 connection.
struct Client {
    stream: BufReader<TcpStream>,
    addr: SocketAddr,
}

impl Client {
    async fn connect(addr: SocketAddr) -> Client {
        let stream = TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).unwrap();
        Client {
            stream: BufReader::new(stream),
            addr,
        }
    }

    /// GET `path`; the status and body.
    async fn get(&mut self, path: &str) -> (u16, Vec<u8>) {
        let request = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr);
        self.stream
            .get_mut()
            .write_all(request.as_bytes())
            .await
            .unwrap();
        let mut line = String::new();
        self.stream.read_line(&mut line).await.unwrap();
        let status: u16 = line.split(' ').nth(1).unwrap().parse().unwrap();
        let mut length = 0usize;
        loop {
            line.clear();
            self.stream.read_line(&mut line).await.unwrap();
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((k, v)) = header.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0u8; length];
        self.stream.read_exact(&mut body).await.unwrap();
        (status, body)
    }
}

struct Figures {
    median: Duration,
    p99: Duration,
    throughput: f64,
}

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn measure(addr: SocketAddr, prefix: &'static str) -> Figures {
    let sequential = env_count("BENCH_REQUESTS", 2000);
    let concurrent = env_count("BENCH_CONCURRENT_REQUESTS", 4000);
    let mut client = Client::connect(addr).await;
    for i in 0..200 {
        let (status, body) = client.get(&format!("{prefix}/user/user{}", i % 10)).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    }
    let mut times = Vec::with_capacity(sequential);
    for i in 0..sequential {
        let started = Instant::now();
        let (status, _) = client.get(&format!("{prefix}/user/user{}", i % 10)).await;
        times.push(started.elapsed());
        assert_eq!(status, 200);
    }
    times.sort();
    let median = times[times.len() / 2];
    let p99 = times[(times.len() * 99 / 100).min(times.len() - 1)];

    const CLIENTS: usize = 16;
    let per_client = concurrent.div_ceil(CLIENTS);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        tasks.push(tokio::spawn(async move {
            let mut client = Client::connect(addr).await;
            for i in 0..per_client {
                let (status, _) = client.get(&format!("{prefix}/user/c{c}u{}", i % 10)).await;
                assert_eq!(status, 200);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let throughput = (per_client * CLIENTS) as f64 / started.elapsed().as_secs_f64();
    Figures {
        median,
        p99,
        throughput,
    }
}

/// Starts a floor server script; its port is the first line it prints.
async fn floor(program: &str, script: &Path, code: &Path) -> (tokio::process::Child, SocketAddr) {
    let mut child = tokio::process::Command::new(program)
        .arg(script)
        .arg(code)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).await.unwrap();
    let port: u16 = line.trim().parse().expect("a port");
    (child, SocketAddr::from(([127, 0, 0, 1], port)))
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let aws = FakeAws::default();
    let uri = |f: &str| {
        format!(
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:{f}/invocations"
        )
    };
    let integration = |f: &str| {
        serde_json::json!({"type": "aws", "httpMethod": "POST", "uri": uri(f),
            "passthroughBehavior": "when_no_templates",
            "requestTemplates": {"application/json": TEMPLATE},
            "responses": {"default": {"statusCode": "200"}}})
    };
    let spec = serde_json::json!({"swagger": "2.0", "info": {"title": "bench", "version": "1"}, "paths": {
        "/node/user/{username}": {"get": {"responses": {"200": {"description": "ok"}},
            "x-amazon-apigateway-integration": integration("getUserNode")}},
        "/python/user/{username}": {"get": {"responses": {"200": {"description": "ok"}},
            "x-amazon-apigateway-integration": integration("getUserPython")}}}});
    let api = aws
        .import_rest_api(ImportRestApi::new(spec.to_string()))
        .await
        .unwrap();
    let role = "arn:aws:iam::123456789012:role/r";
    for (name, runtime, handler, file, code) in [
        (
            "getUserNode",
            "nodejs22.x",
            "index.handler",
            "index.js",
            NODE_HANDLER,
        ),
        (
            "getUserPython",
            "python3.13",
            "lambda_function.lambda_handler",
            "lambda_function.py",
            PYTHON_HANDLER,
        ),
    ] {
        aws.create_function(CreateFunction::new(
            name,
            role,
            runtime,
            handler,
            minimal_zip(file, code.as_bytes()),
        ))
        .await
        .unwrap();
    }
    let options = LocalOptions::new(dir.path().join("cache"));
    let (max_processes, max_environments) = (options.max_processes, options.max_environments);
    let local = LocalApi::new(aws, api.id, options).await.unwrap();
    let listener = lambda_sync_local::bind("127.0.0.1:0".parse().unwrap(), &ServeOptions::new())
        .await
        .unwrap();
    let served = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(lambda_sync_local::serve_listener(
        ApiHandle::new(local),
        listener,
        ServeOptions::new(),
        async {
            let _ = stopped.await;
        },
    ));

    let code = dir.path().join("code");
    std::fs::create_dir_all(&code).unwrap();
    std::fs::write(code.join("index.js"), NODE_HANDLER).unwrap();
    std::fs::write(code.join("lambda_function.py"), PYTHON_HANDLER).unwrap();
    std::fs::write(dir.path().join("floor.js"), NODE_FLOOR).unwrap();
    std::fs::write(dir.path().join("floor.py"), PYTHON_FLOOR).unwrap();
    let (_node_floor, node_addr) =
        floor("node", &dir.path().join("floor.js"), &code.join("index.js")).await;
    let (_python_floor, python_addr) = floor("python3", &dir.path().join("floor.py"), &code).await;

    // The served routes carry a prefix per language; the floors answer `/user/...`.
    let mut rows = Vec::new();
    for (label, addr, prefix) in [
        ("node, in-process floor", node_addr, ""),
        ("node, lambda-sync serve (warm)", served, "/node"),
        ("python, in-process floor", python_addr, ""),
        ("python, lambda-sync serve (warm)", served, "/python"),
    ] {
        rows.push((label, measure(addr, prefix).await));
    }
    println!(
        "warm GET /user/{{username}} (max_processes {max_processes}, max_environments {max_environments}, {} CPUs)",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("| target | median ms | p99 ms | req/s (16 clients) |");
    println!("|---|---|---|---|");
    for (label, f) in &rows {
        println!(
            "| {label} | {} | {} | {:.0} |",
            ms(f.median),
            ms(f.p99),
            f.throughput
        );
    }
    for pair in rows.chunks(2) {
        let (floor, warm) = (&pair[0].1, &pair[1].1);
        println!(
            "{}: median {:.1}x the floor",
            pair[1].0,
            warm.median.as_secs_f64() / floor.median.as_secs_f64()
        );
    }
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}
