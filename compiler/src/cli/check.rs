//! `hydro check FILE...`: compiles each file and reports its diagnostics.

use std::path::PathBuf;
use std::process::ExitCode;

use super::{plural, report, ColorWhen};

/// Check programs for errors without running them.
///
/// Each FILE is compiled with its imports; every error and warning found is shown with
/// its code (`hydro explain CODE` describes it). Exits with 1 if any file has an error.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The `.hydro` files to check (each with the files it imports).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

pub fn run(args: &CheckArgs, color: ColorWhen) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    for file in &args.files {
        let started = std::time::Instant::now();
        let compilation = hydro_compiler::compile_file(file);
        tracing::info!(file = %file.display(), elapsed = ?started.elapsed(), "checked");
        let errors = report(&compilation, color)?;
        if errors > 0 {
            failed = true;
            eprintln!(
                "error: could not check `{}`: {}",
                file.display(),
                plural(errors, "error")
            );
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
