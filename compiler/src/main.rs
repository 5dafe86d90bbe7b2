//! The `hydro` command-line interface: `hydro check`, `hydro run` and `hydro explain`.
//! Everything lives in [`cli`]; this file only hands over the exit code.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
