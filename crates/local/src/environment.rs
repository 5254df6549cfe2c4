//! One execution environment: a long-lived `node` or `python3` process running the runtime
//! loop of `shims/`, with its protocol channel, its log pumps and its scratch folder.
//!
//! The channel is a unix socket passed as the process's standard input (the Python runtime
//! moves it to a private descriptor); the function's stdout and stderr are two pipes read
//! all the time by two tasks, so a function that floods its output never blocks. After each
//! call the runtime writes an end marker (with a per-call nonce) on both, then the result on
//! the channel; the log of the call is what came before the markers. Anything on the channel
//! that is not a well-formed frame with the call's nonce ends the environment.

use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use lambda_sync_aws::limits::{
    LAMBDA_DEFAULT_MEMORY_MB, LAMBDA_INIT_TIMEOUT, LAMBDA_SYNC_PAYLOAD_MAX_BYTES,
};
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::UnixStream;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::runtime::{Language, Outcome, shim_path};
use crate::{Error, Result};

/// The most log text kept per invocation.
const MAX_LOG: usize = 1 << 20;

/// How long, after a result, the log pumps may take to reach the end markers.
const MARKER_WAIT: Duration = Duration::from_secs(2);

/// How long, after an environment is killed, its pumps may take to drain the pipes.
const DRAIN_WAIT: Duration = Duration::from_millis(500);

/// What identifies the code an environment runs: a change of any part retires it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CodeKey {
    pub language: Language,
    pub program: PathBuf,
    pub code_dir: PathBuf,
    pub handler: String,
    /// A digest of the names, sizes and modification times of the code folder's files.
    pub fingerprint: u64,
}

/// Everything an environment of one function needs besides its code.
#[derive(Debug, Clone)]
pub(crate) struct FunctionSpec {
    pub key: CodeKey,
    pub function_name: String,
    pub function_arn: String,
    pub region: String,
}

/// How one call through an environment ended.
#[derive(Debug)]
pub(crate) struct Ran {
    pub outcome: Outcome,
    pub logs: String,
    /// Whether the environment can take another call.
    pub reusable: bool,
}

/// The function's output, split per call by the end markers.
#[derive(Debug, Default)]
struct LogState {
    text: Vec<u8>,
    truncated: bool,
    /// The end marker of the call running now.
    marker: Option<Vec<u8>>,
    /// Which streams (bit 0 stdout, bit 1 stderr) showed the marker.
    found: u8,
    /// Which streams reached their end.
    closed: u8,
    /// Per stream, the tail that may be the start of the marker.
    carry: [Vec<u8>; 2],
}

impl LogState {
    fn commit(&mut self, bytes: &[u8]) {
        let room = MAX_LOG.saturating_sub(self.text.len());
        if bytes.len() > room {
            self.truncated = true;
        }
        self.text.extend_from_slice(&bytes[..bytes.len().min(room)]);
    }

    fn feed(&mut self, stream: usize, chunk: &[u8]) {
        let bit = 1 << stream;
        let Some(marker) = self.marker.clone().filter(|_| self.found & bit == 0) else {
            self.commit(chunk);
            return;
        };
        let mut data = std::mem::take(&mut self.carry[stream]);
        data.extend_from_slice(chunk);
        if let Some(at) = find(&data, &marker) {
            self.commit(&data[..at]);
            self.found |= bit;
            self.commit(&data[at + marker.len()..]);
            return;
        }
        let keep = data.len().min(marker.len() - 1);
        let (now, later) = data.split_at(data.len() - keep);
        self.commit(now);
        self.carry[stream] = later.to_vec();
    }

    fn close(&mut self, stream: usize) {
        let carry = std::mem::take(&mut self.carry[stream]);
        self.commit(&carry);
        self.closed |= 1 << stream;
    }

    fn take(&mut self) -> String {
        for stream in 0..2 {
            let carry = std::mem::take(&mut self.carry[stream]);
            self.commit(&carry);
        }
        let mut text = String::from_utf8_lossy(&std::mem::take(&mut self.text)).into_owned();
        if std::mem::take(&mut self.truncated) {
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str("[lambda-sync: log truncated]\n");
        }
        text
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut from = 0;
    while let Some(i) = haystack[from..].iter().position(|&b| b == first) {
        let at = from + i;
        if haystack.len() - at < needle.len() {
            return None;
        }
        if &haystack[at..at + needle.len()] == needle {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Reads one output stream of the function into the shared log until it ends.
async fn pump(
    mut stream: impl AsyncRead + Unpin,
    index: usize,
    state: Arc<Mutex<LogState>>,
    changed: watch::Sender<u64>,
) {
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = stream.read(&mut buffer).await.unwrap_or(0);
        let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
        if n == 0 {
            state.close(index);
            drop(state);
            changed.send_modify(|v| *v += 1);
            return;
        }
        let before = state.found;
        state.feed(index, &buffer[..n]);
        let found = state.found != before;
        drop(state);
        if found {
            changed.send_modify(|v| *v += 1);
        }
    }
}

/// A frame from the runtime.
enum Frame {
    Ready,
    InitFailed(Vec<u8>),
    /// `R`, `E` or `X`, with the payload after the nonce.
    Answer(u8, Vec<u8>),
}

/// The channel broke: closed, or something that is not a frame.
struct Broken;

/// The runtime's frames carry at most a payload this large (the runtime answers a larger
/// result with Lambda's `Function.ResponseSizeTooLarge` error); a longer frame is garbage.
const MAX_FRAME: usize = LAMBDA_SYNC_PAYLOAD_MAX_BYTES + 64;

/// A long-lived `node` or `python3` process running one function's code.
#[derive(Debug)]
pub(crate) struct Environment {
    pub key: CodeKey,
    child: tokio::process::Child,
    pid: Option<u32>,
    channel: UnixStream,
    logs: Arc<Mutex<LogState>>,
    changed: watch::Receiver<u64>,
    pumps: [JoinHandle<()>; 2],
    root: PathBuf,
    spawned: Instant,
    ready: bool,
    pub last_used: Instant,
}

impl Drop for Environment {
    fn drop(&mut self) {
        self.kill();
        for pump in &self.pumps {
            pump.abort();
        }
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn nonce() -> String {
    format!("{:016x}", fastrand::u64(..))
}

fn epoch_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis()
}

/// The peak resident memory of a process in MB (`VmHWM`), where `/proc` tells it.
fn max_memory_mb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb.div_ceil(1024))
}

impl Environment {
    /// Starts the runtime of `spec` (it loads the handler while the caller goes on).
    pub fn spawn(spec: &FunctionSpec, cache_dir: &Path, id: u64) -> Result<Environment> {
        let key = &spec.key;
        let shim = shim_path(cache_dir, key.language)?;
        let root = cache_dir
            .join("environments")
            .join(format!("{}-{id}", std::process::id()));
        let tmp = root.join("tmp");
        std::fs::create_dir_all(&tmp).map_err(|e| Error::io("create", &tmp, e))?;
        let result = Self::start(spec, &shim, &root, &tmp, id);
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&root);
        }
        result
    }

    fn start(
        spec: &FunctionSpec,
        shim: &Path,
        root: &Path,
        tmp: &Path,
        id: u64,
    ) -> Result<Environment> {
        let key = &spec.key;
        let (ours, theirs) = std::os::unix::net::UnixStream::pair()
            .map_err(|e| Error::io("create a socket for", &key.program, e))?;
        ours.set_nonblocking(true)
            .map_err(|e| Error::io("create a socket for", &key.program, e))?;
        let channel =
            UnixStream::from_std(ours).map_err(|e| Error::io("create a socket for", root, e))?;
        let stream_name = format!("lambda-sync/[$LATEST]{:016x}{id:016x}", fastrand::u64(..));
        let info = serde_json::json!({
            "functionName": spec.function_name,
            "invokedFunctionArn": spec.function_arn,
            "memoryLimitInMB": LAMBDA_DEFAULT_MEMORY_MB,
            "logStreamName": stream_name,
            "maxResponseBytes": LAMBDA_SYNC_PAYLOAD_MAX_BYTES,
        });
        let runtime = match key.language {
            Language::Node => "nodejs",
            Language::Python => "python",
        };
        let mut command = tokio::process::Command::new(&key.program);
        command
            .arg(shim)
            .arg(&key.code_dir)
            .arg(&key.handler)
            .arg(info.to_string())
            .current_dir(&key.code_dir)
            .env("AWS_LAMBDA_FUNCTION_NAME", &spec.function_name)
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env(
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                LAMBDA_DEFAULT_MEMORY_MB.to_string(),
            )
            .env(
                "AWS_LAMBDA_LOG_GROUP_NAME",
                format!("/aws/lambda/{}", spec.function_name),
            )
            .env("AWS_LAMBDA_LOG_STREAM_NAME", &stream_name)
            .env("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")
            .env("AWS_EXECUTION_ENV", format!("AWS_Lambda_{runtime}"))
            .env("AWS_REGION", &spec.region)
            .env("AWS_DEFAULT_REGION", &spec.region)
            .env("LAMBDA_TASK_ROOT", &key.code_dir)
            .env("LAMBDA_RUNTIME_DIR", shim.parent().unwrap_or(root))
            .env("_HANDLER", &key.handler)
            .env("TZ", ":UTC")
            .env("TMPDIR", tmp)
            .env("TMP", tmp)
            .env("TEMP", tmp)
            .env("PYTHONUNBUFFERED", "1")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::from(OwnedFd::from(theirs)))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .kill_on_drop(true);
        let mut child = command.spawn().map_err(|source| Error::Spawn {
            program: key.program.clone(),
            source,
        })?;
        let logs = Arc::new(Mutex::new(LogState::default()));
        let (tx, changed) = watch::channel(0u64);
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        let pumps = [
            tokio::spawn(pump(stdout, 0, logs.clone(), tx.clone())),
            tokio::spawn(pump(stderr, 1, logs.clone(), tx)),
        ];
        Ok(Environment {
            key: key.clone(),
            pid: child.id(),
            child,
            channel,
            logs,
            changed,
            pumps,
            root: root.to_path_buf(),
            spawned: Instant::now(),
            ready: false,
            last_used: Instant::now(),
        })
    }

    /// Kills the process group (the runtime and whatever the function started).
    fn kill(&mut self) {
        if let Some(pid) = self.pid.and_then(|p| i32::try_from(p).ok())
            && let Some(pid) = rustix::process::Pid::from_raw(pid)
        {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
        let _ = self.child.start_kill();
    }

    /// Whether the process has ended on its own (a crash between calls).
    pub fn exited(&mut self) -> bool {
        !matches!(self.child.try_wait(), Ok(None))
    }

    async fn read_frame(&mut self) -> std::result::Result<Frame, Broken> {
        let mut head = [0u8; 9];
        self.channel
            .read_exact(&mut head)
            .await
            .map_err(|_| Broken)?;
        if &head[..4] != b"LSRT" {
            return Err(Broken);
        }
        let length = u32::from_be_bytes([head[5], head[6], head[7], head[8]]) as usize;
        if !b"IFREX".contains(&head[4]) {
            return Err(Broken);
        }
        if length > MAX_FRAME {
            return Err(Broken);
        }
        let mut payload = vec![0u8; length];
        self.channel
            .read_exact(&mut payload)
            .await
            .map_err(|_| Broken)?;
        Ok(match head[4] {
            b'I' if payload.is_empty() => Frame::Ready,
            b'I' => return Err(Broken),
            b'F' => Frame::InitFailed(payload),
            kind => Frame::Answer(kind, payload),
        })
    }

    /// Waits until both streams showed the marker or ended, at most until `until`.
    async fn wait_logs(&mut self, until: tokio::time::Instant, done: impl Fn(&LogState) -> bool) {
        loop {
            self.changed.borrow_and_update();
            if done(&self.logs.lock().unwrap_or_else(|e| e.into_inner())) {
                return;
            }
            if tokio::time::timeout_at(until, self.changed.changed())
                .await
                .map_or(true, |r| r.is_err())
            {
                return;
            }
        }
    }

    fn take_logs(&self) -> String {
        self.logs.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// Runs one call: `event` (JSON text, or empty) until `timeout` from now.
    pub async fn invoke(&mut self, request_id: &str, event: &[u8], timeout: Duration) -> Ran {
        let mut init = None;
        let before = self.take_logs();
        let mut logs = before;
        let ended = |mut logs: String, outcome: Outcome, reusable: bool| Ran {
            outcome,
            logs: {
                if !logs.is_empty() && !logs.ends_with('\n') {
                    logs.push('\n');
                }
                logs
            },
            reusable,
        };
        if !self.ready {
            // As on Lambda, the init phase has its own limit and does not eat into the
            // function's timeout.
            let limit = timeout.max(LAMBDA_INIT_TIMEOUT);
            match tokio::time::timeout(limit, self.read_frame()).await {
                Ok(Ok(Frame::Ready)) => {
                    self.ready = true;
                    init = Some(self.spawned.elapsed());
                }
                Ok(Ok(Frame::InitFailed(payload))) => {
                    let logs = logs + &self.end(true).await;
                    return ended(logs, Outcome::Error(error_value(&payload)), false);
                }
                Ok(_) => {
                    let logs = logs + &self.end(false).await;
                    let code = self.exit_code().await;
                    return ended(logs, Outcome::Crash(code), false);
                }
                Err(_) => {
                    let logs = logs + &self.end(true).await;
                    return ended(logs, Outcome::Timeout, false);
                }
            }
            logs.push_str(&self.take_logs());
        }
        let started = Instant::now();
        let deadline = tokio::time::Instant::now() + timeout;
        let nonce = nonce();
        {
            let mut state = self.logs.lock().unwrap_or_else(|e| e.into_inner());
            state.marker = Some(format!("\x1eLSEND:{nonce}\n").into_bytes());
            state.found = 0;
        }
        logs.push_str(&format!("START RequestId: {request_id} Version: $LATEST\n"));
        let header = serde_json::json!({
            "requestId": request_id,
            "deadlineMs": (epoch_ms() + timeout.as_millis()).to_string(),
            "nonce": nonce,
        })
        .to_string();
        let mut frame = Vec::with_capacity(8 + header.len() + event.len());
        frame.extend_from_slice(&(header.len() as u32).to_be_bytes());
        frame.extend_from_slice(header.as_bytes());
        frame.extend_from_slice(&(event.len() as u32).to_be_bytes());
        frame.extend_from_slice(event);
        let exchange = async {
            self.channel.write_all(&frame).await.map_err(|_| Broken)?;
            self.read_frame().await
        };
        let answer = tokio::time::timeout_at(deadline, exchange).await;
        let (outcome, reusable) = match answer {
            Err(_) => {
                logs.push_str(&self.end(true).await);
                logs.push_str(&format!(
                    "{request_id} Task timed out after {:.2} seconds\n",
                    timeout.as_secs_f64()
                ));
                (Outcome::Timeout, false)
            }
            Ok(Err(Broken)) => {
                logs.push_str(&self.end(false).await);
                let code = self.exit_code().await;
                let status = match code {
                    Some(code) => format!("exit status {code}"),
                    None if self.exited() => "signal".to_string(),
                    None => "a broken protocol channel".to_string(),
                };
                logs.push_str(&format!(
                    "RequestId: {request_id} Error: Runtime exited with error: {status}\nRuntime.ExitError\n"
                ));
                (Outcome::Crash(code), false)
            }
            Ok(Ok(Frame::Ready | Frame::InitFailed(_))) => {
                logs.push_str(&self.end(true).await);
                (Outcome::Crash(None), false)
            }
            Ok(Ok(Frame::Answer(kind, payload))) => match payload.strip_prefix(nonce.as_bytes()) {
                None => {
                    logs.push_str(&self.end(true).await);
                    logs.push_str(&format!(
                            "RequestId: {request_id} Error: the runtime's answer was not its own (a function wrote to the protocol channel)\n"
                        ));
                    (Outcome::Crash(None), false)
                }
                Some(body) => {
                    let until = tokio::time::Instant::now() + MARKER_WAIT;
                    self.wait_logs(until, |s| (s.found | s.closed) == 3).await;
                    logs.push_str(&self.take_logs());
                    let text = String::from_utf8_lossy(body).into_owned();
                    if kind == b'R' {
                        (Outcome::Success(text), true)
                    } else {
                        (Outcome::Error(error_value(body)), kind == b'E')
                    }
                }
            },
        };
        {
            let mut state = self.logs.lock().unwrap_or_else(|e| e.into_inner());
            state.marker = None;
        }
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        logs.push_str(&format!("END RequestId: {request_id}\n"));
        let mut report = format!(
            "REPORT RequestId: {request_id}\tDuration: {elapsed:.2} ms\tBilled Duration: {} ms\tMemory Size: {LAMBDA_DEFAULT_MEMORY_MB} MB",
            elapsed.ceil() as u64,
        );
        if let Some(mb) = self.pid.and_then(max_memory_mb) {
            report.push_str(&format!("\tMax Memory Used: {mb} MB"));
        }
        if let Some(init) = init {
            report.push_str(&format!(
                "\tInit Duration: {:.2} ms",
                init.as_secs_f64() * 1000.0
            ));
        }
        if matches!(outcome, Outcome::Timeout) {
            report.push_str("\tStatus: timeout");
        }
        logs.push_str(&report);
        logs.push('\n');
        self.last_used = Instant::now();
        ended(logs, outcome, reusable)
    }

    /// Ends the environment (killing it when `kill`, else letting it finish dying) and
    /// returns the output that was still in the pipes.
    async fn end(&mut self, kill: bool) -> String {
        if kill {
            self.kill();
        }
        let until = tokio::time::Instant::now() + DRAIN_WAIT;
        self.wait_logs(until, |s| s.closed == 3).await;
        self.kill();
        self.take_logs()
    }

    async fn exit_code(&mut self) -> Option<i32> {
        match tokio::time::timeout(DRAIN_WAIT, self.child.wait()).await {
            Ok(Ok(status)) => status.code(),
            _ => None,
        }
    }
}

/// The error JSON of a runtime, or a wrapper around text that is not JSON.
fn error_value(payload: &[u8]) -> serde_json::Value {
    serde_json::from_slice(payload).unwrap_or_else(|_| {
        serde_json::json!({
            "errorMessage": String::from_utf8_lossy(payload),
            "errorType": "Runtime.Unknown",
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_split_the_log_across_chunk_boundaries() {
        let marker = b"\x1eLSEND:0123456789abcdef\n".to_vec();
        for cut in 0..marker.len() + 6 {
            let mut state = LogState {
                marker: Some(marker.clone()),
                ..LogState::default()
            };
            let mut stream = b"hello ".to_vec();
            stream.extend_from_slice(&marker);
            stream.extend_from_slice(b"after");
            let cut = cut.min(stream.len());
            state.feed(0, &stream[..cut]);
            state.feed(0, &stream[cut..]);
            assert_eq!(state.found, 1, "cut {cut}");
            assert_eq!(state.take(), "hello after", "cut {cut}");
        }
    }

    #[test]
    fn a_wrong_marker_stays_in_the_log_and_floods_are_cut() {
        let mut state = LogState {
            marker: Some(b"\x1eLSEND:0123456789abcdef\n".to_vec()),
            ..LogState::default()
        };
        state.feed(1, b"\x1eLSEND:ffffffffffffffff\n");
        assert_eq!(state.found, 0);
        state.feed(1, &vec![b'x'; MAX_LOG + 10]);
        state.close(1);
        let text = state.take();
        assert!(text.starts_with("\x1eLSEND:ffff"));
        assert!(text.ends_with("[lambda-sync: log truncated]\n"));
        assert!(text.len() < MAX_LOG + 100);
    }
}
