//! `pactbase`: the command-line interface. Handlers parse arguments, call the store and
//! analysis crates, and hand results to `output`; they hold no logic of their own.

mod cli;
mod commands;
mod failure;
mod output;
mod resolve;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}
