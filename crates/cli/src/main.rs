//! The `lambda-sync` command: turn an OpenAPI definition into an Amazon API Gateway REST API
//! backed by AWS Lambda functions, and keep the two in step.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod check;
mod clock;
mod docs_cmds;
mod exit;
mod export_cmd;
mod local_cmds;
mod output;
mod sync;
mod unzip;

pub use exit::{FINDINGS as EXIT_FINDINGS, OK as EXIT_OK, USAGE as EXIT_USAGE};

const EXAMPLES: &str = "\
Examples:
  lambda-sync check openapi.yaml                  report problems (exit 1 on errors)
  lambda-sync compat openapi.yaml -o aws.yaml     the definition made importable by API Gateway
  lambda-sync render openapi.yaml -o body.json    exactly the body a push sends
  lambda-sync stubs openapi.yaml --out-dir stubs --runtime python3.13 --zip
  lambda-sync plan openapi.yaml                   what a push would do (dry run)
  lambda-sync push openapi.yaml                   push to the local account in .lambda-sync/
  lambda-sync push openapi.yaml --aws --region eu-west-1 \\
      --execution-role arn:aws:iam::123456789012:role/lambda-basic
  lambda-sync watch openapi.yaml                  push on every save
  lambda-sync invoke openapi.yaml GET /user/user1 call the API on the local account
  lambda-sync serve openapi.yaml --port 3000      serve it on http://127.0.0.1:3000
  lambda-sync export openapi.yaml --format sam -o template.yaml
                                                  a SAM template for `sam deploy`
";

#[derive(Debug, Parser)]
#[command(
    name = "lambda-sync",
    version,
    about = "Turn an OpenAPI definition into an Amazon API Gateway REST API backed by AWS Lambda functions, and keep the two in step.",
    after_help = format!("{EXAMPLES}\n{}", exit::CONTRACT),
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Report every problem: loading issues and API Gateway import rules.
    #[command(after_help = exit::CONTRACT)]
    Check(check::CheckArgs),
    /// Write the definition rewritten so that API Gateway imports it.
    #[command(after_help = exit::CONTRACT)]
    Compat(docs_cmds::CompatArgs),
    /// Write exactly the body a push sends (compat transforms plus integration extensions).
    #[command(after_help = exit::CONTRACT)]
    Render(docs_cmds::RenderArgs),
    /// Write the Lambda handler stubs (and their zips).
    #[command(after_help = exit::CONTRACT)]
    Stubs(docs_cmds::StubsArgs),
    /// Show what a push would do, without changing anything.
    #[command(after_help = exit::CONTRACT)]
    Plan(sync::SyncArgs),
    /// Push the definition: create missing functions, import or update the API.
    #[command(after_help = exit::CONTRACT)]
    Push(sync::SyncArgs),
    /// Call one operation of the API on the local account (pushing the definition first).
    #[command(after_help = exit::CONTRACT)]
    Invoke(local_cmds::InvokeArgs),
    /// Serve the whole API over HTTP on 127.0.0.1, reloading on every save.
    #[command(after_help = exit::CONTRACT)]
    Serve(local_cmds::ServeArgs),
    /// Write the API and its functions as a CloudFormation or SAM template.
    #[command(after_help = exit::CONTRACT)]
    Export(export_cmd::ExportArgs),
    /// Push now and on every save.
    #[command(after_help = exit::CONTRACT)]
    Watch {
        #[command(flatten)]
        args: sync::SyncArgs,
        /// Stop after this many pushes (for scripts and tests).
        #[arg(long, hide = true)]
        exit_after: Option<usize>,
    },
}

impl Command {
    /// The output format the command was asked for (errors follow it too).
    fn format(&self) -> output::OutputFormat {
        match self {
            Command::Check(a) => a.format,
            Command::Plan(a) | Command::Push(a) | Command::Watch { args: a, .. } => a.format,
            Command::Invoke(a) => a.sync.format,
            Command::Serve(a) => a.sync.format,
            Command::Compat(_) | Command::Render(_) | Command::Stubs(_) | Command::Export(_) => {
                output::OutputFormat::Text
            }
        }
    }
}

/// Whether the raw arguments ask for `--format json` (read when clap refuses them, so that the
/// refusal follows the format too).
fn json_requested(args: &[std::ffi::OsString]) -> bool {
    let args: Vec<&str> = args.iter().filter_map(|a| a.to_str()).collect();
    args.iter().enumerate().any(|(i, a)| {
        *a == "--format=json" || (*a == "--format" && args.get(i + 1) == Some(&"json"))
    })
}

/// Parses the arguments. Help and version are printed as clap prints them (exit 0); a refusal
/// is a usage error (exit 2), printed by clap, or with `--format json` as the JSON error object
/// every other failure uses.
fn parse() -> Result<Cli, ExitCode> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    match Cli::try_parse_from(&args) {
        Ok(cli) => Ok(cli),
        Err(e) => {
            use clap::error::ErrorKind;
            let informational = matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            );
            if informational || !json_requested(&args) {
                // clap prints help on stdout (exit 0) and refusals on stderr (exit 2).
                let _ = e.print();
                return Err(ExitCode::from(if informational && e.exit_code() == 0 {
                    exit::OK
                } else {
                    exit::USAGE
                }));
            }
            let rendered = e.render().to_string();
            let message = rendered
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more"))
                .collect::<Vec<_>>()
                .join("; ");
            let message = message.strip_prefix("error: ").unwrap_or(&message);
            eprintln!("error: {message}");
            exit::json_error(exit::USAGE, message, None);
            Err(ExitCode::from(exit::USAGE))
        }
    }
}

/// jemalloc instead of glibc's malloc: a large definition is millions of small maps and strings,
/// and glibc's allocator was a third of `render`'s time on GitHub's description; jemalloc cut
/// render's CPU time by about a quarter and its peak RSS by 8 % (issue 15;
/// `scripts/bench-render.sh` measures it). mimalloc was about as fast but used 14 % more memory
/// than glibc (24 % more than jemalloc).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let code = match &cli.command {
        Command::Check(args) => check::run(args),
        Command::Compat(args) => docs_cmds::compat(args),
        Command::Render(args) => docs_cmds::render(args),
        Command::Stubs(args) => docs_cmds::stubs(args),
        Command::Export(args) => export_cmd::run(args),
        Command::Plan(_)
        | Command::Push(_)
        | Command::Watch { .. }
        | Command::Invoke(_)
        | Command::Serve(_) => {
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
            {
                Ok(r) => r,
                Err(e) => {
                    let e = anyhow::Error::new(e).context("cannot start the async runtime");
                    return ExitCode::from(exit::report(&e, cli.command.format()));
                }
            };
            runtime.block_on(async {
                match &cli.command {
                    Command::Plan(args) => sync::plan(args).await,
                    Command::Watch { args, exit_after } => sync::watch(args, *exit_after).await,
                    Command::Invoke(args) => local_cmds::invoke(args).await,
                    Command::Serve(args) => local_cmds::serve(args).await,
                    Command::Push(args) => sync::push(args).await,
                    _ => unreachable!("handled above"),
                }
            })
        }
    };
    match code {
        Ok(code) => ExitCode::from(code),
        Err(e) => ExitCode::from(exit::report(&e, cli.command.format())),
    }
}
