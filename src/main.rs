//! The `mcpcp` binary: parse the command line, set up diagnostics, run, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = mcpcp::cli::Cli::parse();
    // Diagnostics go to stderr so stdout stays clean for tables and JSON. Admin commands log
    // warnings only unless MCPCP_LOG asks for more.
    let filter = tracing_subscriber::EnvFilter::try_from_env("MCPCP_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_target(false).init();
    match mcpcp::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(mcpcp::cli::exit_code(&err))
        }
    }
}
