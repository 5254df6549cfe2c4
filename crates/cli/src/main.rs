//! The `lambda-sync` command: turn an OpenAPI definition into an Amazon API Gateway REST API
//! backed by AWS Lambda functions, and keep the two in step.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod check;
mod docs_cmds;
mod export_cmd;
mod local_cmds;
mod output;
mod sync;

/// Exit code: everything went well.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings (errors in the definition) or a failed sync.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: wrong usage, or a file that cannot be loaded at all.
pub const EXIT_USAGE: u8 = 2;

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

Exit codes: 0 ok, 1 findings or a failed sync, 2 usage error or a definition that cannot be loaded.";

#[derive(Debug, Parser)]
#[command(
    name = "lambda-sync",
    version,
    about = "Turn an OpenAPI definition into an Amazon API Gateway REST API backed by AWS Lambda functions, and keep the two in step.",
    after_help = EXAMPLES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Report every problem: loading issues and API Gateway import rules.
    Check(check::CheckArgs),
    /// Write the definition rewritten so that API Gateway imports it.
    Compat(docs_cmds::CompatArgs),
    /// Write exactly the body a push sends (compat transforms plus integration extensions).
    Render(docs_cmds::RenderArgs),
    /// Write the Lambda handler stubs (and their zips).
    Stubs(docs_cmds::StubsArgs),
    /// Show what a push would do, without changing anything.
    Plan(sync::SyncArgs),
    /// Push the definition: create missing functions, import or update the API.
    Push(sync::SyncArgs),
    /// Call one operation of the API on the local account (pushing the definition first).
    Invoke(local_cmds::InvokeArgs),
    /// Serve the whole API over HTTP on 127.0.0.1, reloading on every save.
    Serve(local_cmds::ServeArgs),
    /// Write the API and its functions as a CloudFormation or SAM template.
    Export(export_cmd::ExportArgs),
    /// Push now and on every save.
    Watch {
        #[command(flatten)]
        args: sync::SyncArgs,
        /// Stop after this many pushes (for scripts and tests).
        #[arg(long, hide = true)]
        exit_after: Option<usize>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
                    eprintln!("error: cannot start the async runtime: {e}");
                    return ExitCode::from(EXIT_USAGE);
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
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(
                if e.downcast_ref::<lambda_sync::Error>()
                    .is_some_and(|e| matches!(e, lambda_sync::Error::Config { .. }))
                {
                    EXIT_USAGE
                } else {
                    EXIT_FINDINGS
                },
            )
        }
    }
}
