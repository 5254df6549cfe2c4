//! `lambda-sync invoke` and `serve`: call the synced API on the local account.

use crate::exit::{FINDINGS as EXIT_FINDINGS, OK as EXIT_OK, usage};
use crate::output::{OutputFormat, outln};
use crate::sync::{SyncArgs, load_spec, local_as_is, quiet_push};
use lambda_sync_local::{ApiHandle, HttpRequest, LocalApi, LocalOptions, ServeOptions};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

/// Arguments of `invoke`.
#[derive(Debug, clap::Args)]
pub struct InvokeArgs {
    #[command(flatten)]
    pub sync: SyncArgs,
    /// HTTP method (GET, POST, ...).
    pub method: String,
    /// Path, optionally with a query string (`/user/user1?verbose=true`).
    pub path: String,
    /// A query parameter `name=value` (repeatable).
    #[arg(long = "query", value_name = "NAME=VALUE")]
    pub query: Vec<String>,
    /// A header `name:value` (repeatable).
    #[arg(long = "header", value_name = "NAME:VALUE")]
    pub header: Vec<String>,
    /// The request body (JSON or text); `@FILE` reads it from a file.
    #[arg(long)]
    pub data: Option<String>,
    /// Function timeout in seconds.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
    /// Exit 0 whatever the HTTP status (by default a response that is not 2xx exits 1).
    #[arg(long)]
    pub any_status: bool,
    /// Call the local account as it is, without pushing the definition first.
    #[arg(long)]
    pub no_push: bool,
}

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub sync: SyncArgs,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// Function timeout in seconds.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
    /// Serve the local account as it is, without pushing the definition first (or on save).
    #[arg(long)]
    pub no_push: bool,
}

/// The runner's options: the functions' code folder is that of the account's region and
/// account (read under a shared lock, released at once so that pushes on save can run).
fn options(
    state: &Path,
    fake: &lambda_sync::aws::FakeAws,
    timeout: u64,
) -> anyhow::Result<LocalOptions> {
    let dir = lambda_sync::StateDir::open(state, lambda_sync::LockMode::Read, |_| {})?
        .functions_dir(&fake.region(), &fake.account_id())?;
    Ok(LocalOptions::new(state.join("cache"))
        .with_functions_dir(dir)
        .with_timeout(Duration::from_secs(timeout.max(1))))
}

/// Pushes the definition to the local account and opens its API.
async fn open(
    args: &SyncArgs,
    timeout: u64,
    no_push: bool,
) -> anyhow::Result<Result<LocalApi, u8>> {
    if args.aws {
        return Err(usage(anyhow::anyhow!(
            "invoke and serve run the API on the local account; drop --aws"
        )));
    }
    let doc = match load_spec(&args.spec, args.format) {
        Ok(d) => d,
        Err(code) => return Ok(Err(code)),
    };
    let opened = if no_push {
        local_as_is(args, &doc).await?
    } else {
        quiet_push(args, &doc).await?
    };
    let (fake, api_id) = match opened {
        Ok(v) => v,
        Err(code) => return Ok(Err(code)),
    };
    let options = options(&args.state, &fake, timeout)?;
    let api = LocalApi::new(fake, api_id, options).await?;
    Ok(Ok(api))
}

/// Runs `invoke`.
pub async fn invoke(args: &InvokeArgs) -> anyhow::Result<u8> {
    // The request first: a bad flag or an unreadable --data file is refused before the push.
    let mut request = HttpRequest::from_target(args.method.to_ascii_uppercase(), &args.path);
    for q in &args.query {
        let (k, v) = lambda_sync_local::parse_query_arg(q)
            .map_err(|e| usage(anyhow::anyhow!("--query {q}: {e}")))?;
        request = request.with_query(k, v);
    }
    for h in &args.header {
        let (k, v) = lambda_sync_local::parse_header_arg(h)
            .map_err(|e| usage(anyhow::anyhow!("--header {h}: {e}")))?;
        request = request.with_header(k, v);
    }
    if let Some(data) = &args.data {
        let body = match data.strip_prefix('@') {
            Some(file) => std::fs::read(file).map_err(|e| {
                usage(anyhow::Error::new(e).context(format!("--data: reading {file}")))
            })?,
            None => data.clone().into_bytes(),
        };
        if request.header("content-type").is_none() {
            request = request.with_header("Content-Type", "application/json");
        }
        request = request.with_body(body);
    }
    let api = match open(&args.sync, args.timeout, args.no_push).await? {
        Ok(api) => api,
        Err(code) => return Ok(code),
    };
    let response = api.invoke(request).await?;
    let code = if (200..300).contains(&response.status) || args.any_status {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    };
    match args.sync.format {
        OutputFormat::Json => {
            let mut v = serde_json::json!({
                "ok": code == EXIT_OK,
                "exit_code": code,
                "status": response.status,
                "headers": response.headers,
                "body": response.body_text(),
                "function": response.function,
                "logs": response.logs,
            });
            if code != EXIT_OK {
                v["error"] = format!("HTTP {} is not a 2xx status", response.status).into();
            }
            outln!("{}", serde_json::to_string_pretty(&v)?);
        }
        OutputFormat::Text => {
            eprintln!("HTTP {}", response.status);
            for (k, v) in &response.headers {
                eprintln!("{k}: {v}");
            }
            if !response.logs.is_empty() {
                eprintln!(
                    "--- log of {} ---",
                    response.function.as_deref().unwrap_or("the function")
                );
                eprint!("{}", response.logs);
                if !response.logs.ends_with('\n') {
                    eprintln!();
                }
                eprintln!("---");
            }
            let mut body = response.body.clone();
            if !body.ends_with(b"\n") {
                body.push(b'\n');
            }
            crate::output::out_bytes(&body);
            if code != EXIT_OK {
                eprintln!(
                    "error: HTTP {} is not a 2xx status (exit {code}; --any-status exits 0)",
                    response.status
                );
            }
        }
    }
    Ok(code)
}

/// Runs `serve`: the whole API over HTTP on 127.0.0.1, re-pushed and reloaded when the
/// definition or its config changes; edited function code is used on the next request.
pub async fn serve(args: &ServeArgs) -> anyhow::Result<u8> {
    use notify::{RecursiveMode, Watcher};
    let api = match open(&args.sync, args.timeout, args.no_push).await? {
        Ok(api) => api,
        Err(code) => return Ok(code),
    };
    let handle = ApiHandle::new(api);
    let options = ServeOptions::new().with_on_request(|r| {
        eprintln!(
            "{} {} -> {}{} ({} ms)",
            r.method,
            r.target,
            r.status,
            r.function
                .as_deref()
                .map(|f| format!(" [{f}]"))
                .unwrap_or_default(),
            r.elapsed.as_millis()
        );
        if !r.logs.is_empty() {
            for line in r.logs.lines() {
                eprintln!("  | {line}");
            }
        }
        if let Some(e) = &r.error {
            eprintln!("  ! {e}");
        }
    });
    let addr = SocketAddr::from(([127, 0, 0, 1], args.port));
    let listener = lambda_sync_local::bind(addr, &options).await?;
    let bound = listener.local_addr()?;
    outln!("serving {} on http://{bound}", args.sync.spec.display());

    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev
            && (ev.kind.is_modify() || ev.kind.is_create())
        {
            let _ = tx.send(ev.paths);
        }
    })?;
    let dir = args
        .sync
        .spec
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    watcher.watch(dir, RecursiveMode::NonRecursive)?;
    let mut changes = lambda_sync::watch::Changes::new(rx, &args.sync.spec);
    let reload_handle = handle.clone();
    // The reload loop runs beside the server in this task (not spawned): it ends when the
    // server does. The timing (debounce) is `lambda_sync::watch`'s.
    let reload = async {
        while changes.next().await.is_some() {
            match open(&args.sync, args.timeout, args.no_push).await {
                Ok(Ok(api)) => {
                    reload_handle.replace(api);
                    eprintln!(
                        "[serve] {} changed: pushed and reloaded",
                        args.sync.spec.display()
                    );
                }
                Ok(Err(code)) => eprintln!(
                    "[serve] reload failed (exit {code}); still serving the previous version"
                ),
                Err(e) => {
                    eprintln!("[serve] reload failed: {e:#}; still serving the previous version")
                }
            }
        }
    };
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let server = lambda_sync_local::serve_listener(handle, listener, options, shutdown);
    tokio::select! {
        r = server => r?,
        () = reload => {}
    }
    drop(watcher);
    eprintln!("stopped");
    Ok(EXIT_OK)
}
