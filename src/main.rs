//! The `mcpcp` binary: parse the command line, run, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = mcpcp::cli::Cli::parse();
    match mcpcp::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{}", mcpcp::cli::error_line(&err));
            ExitCode::from(mcpcp::cli::exit_code(&err))
        }
    }
}
