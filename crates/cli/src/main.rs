//! The `lambda-sync` command: turn an OpenAPI definition into an Amazon API Gateway REST API
//! backed by AWS Lambda functions, and keep the two in step.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod check;
mod output;

/// Exit code: everything went well.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings (errors in the definition) or a failed sync.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: wrong usage, or a file that cannot be loaded at all.
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "lambda-sync",
    version,
    about = "Turn an OpenAPI definition into an Amazon API Gateway REST API backed by AWS Lambda functions, and keep the two in step.",
    after_help = "Examples:\n  lambda-sync check openapi.yaml\n  lambda-sync check openapi.yaml --format json\n\nExit codes: 0 ok, 1 findings or a failed sync, 2 usage error or a definition that cannot be loaded."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load a definition and report every problem: loading issues and API Gateway import rules.
    Check(check::CheckArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => check::run(&args),
    };
    match code {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
