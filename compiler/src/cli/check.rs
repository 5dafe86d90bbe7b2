//! `hydro check FILE...`: compiles each file and reports its diagnostics; with
//! `--calm`, also prints each file's CALM report (text or JSON) to stdout.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use hydro_compiler::calm;

use super::{plural, report, ColorWhen};

/// Check programs for errors without running them.
///
/// Each FILE is compiled with its imports; every error found is shown with its
/// code (`hydro explain CODE` describes it). Exits with 1 if any file has an error.
///
/// With `--calm`, prints the CALM analysis of each file that checks: which rules,
/// relations and outputs are monotone, why the others are not, and which
/// non-monotone constructs are points of order (they read what inputs feed, so their
/// results depend on arrival order).
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The `.hydro` files to check (each with the files it imports).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Print the CALM report of each file to stdout, after its diagnostics.
    #[arg(long)]
    calm: bool,

    /// The CALM report's format (JSON: one pretty-printed object per file).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text, requires = "calm")]
    format: ReportFormat,
}

/// How `--calm` prints the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ReportFormat {
    /// Aligned tables.
    Text,
    /// JSON, keys in a fixed order.
    Json,
}

pub fn run(args: &CheckArgs, color: ColorWhen) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    for file in &args.files {
        let started = std::time::Instant::now();
        let compilation = match hydro_compiler::compile_file(file) {
            Ok(compilation) => compilation,
            Err(err) => {
                eprintln!("error: {err}");
                failed = true;
                continue;
            }
        };
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

        // The report needs a checked program; a broken promise still leaves one.
        if !args.calm {
            continue;
        }
        let Some(program) = &compilation.program else {
            continue;
        };
        let analysis = calm::analyze(program);
        let calm_report = calm::report(program, &analysis, &compilation.sources);
        let text = match args.format {
            ReportFormat::Text => calm::render_text(&calm_report),
            ReportFormat::Json => {
                let mut json = serde_json::to_string_pretty(&calm_report)
                    .context("cannot serialize the CALM report")?;
                json.push('\n');
                json
            }
        };
        std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .context("cannot write to stdout")?;
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
