//! The `commonplace` binary: parse arguments, set up logging, run.

use clap::Parser;

fn main() -> std::process::ExitCode {
    // Like every Unix filter: a closed pipe (`commonplace essays | head`)
    // ends the process quietly instead of a panic on the next write.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to the default before any
    // thread starts has no memory-safety preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // Logs go to stderr so `--json` output on stdout stays one JSON value.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = commonplace::cli::Cli::parse();
    let json = cli.json;
    match commonplace::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            if json {
                println!("{}", commonplace::cli::error_json(&e));
            }
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
