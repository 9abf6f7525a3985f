//! The `commonplace` binary: parse arguments, set up logging, run.

use clap::Parser;

fn main() -> std::process::ExitCode {
    // Logs go to stderr so `--json` output on stdout stays one JSON value.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = commonplace::cli::Cli::parse();
    match commonplace::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
