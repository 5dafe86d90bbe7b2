//! `hydro explain CODE`: the long explanation of a diagnostic code.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;
use hydro_compiler::diag::Code;

/// Explain a diagnostic code, such as E0101.
///
/// Prints the code's title and what it means, with an example and the fix. `--list`
/// lists every code with its title.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The code, as shown in a diagnostic (`E0101`; the `E` is optional).
    #[arg(required_unless_present = "list", value_name = "CODE")]
    code: Option<String>,

    /// List every code with its title.
    #[arg(long, conflicts_with = "code")]
    list: bool,
}

pub fn run(args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    if args.list {
        for code in Code::ALL {
            writeln!(stdout, "{}: {}", code.as_str(), code.title())?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let text = args.code.as_deref().unwrap_or_default();
    let Some(code) = Code::parse(text) else {
        bail!("unknown diagnostic code `{text}` (`hydro explain --list` lists every code)");
    };
    writeln!(
        stdout,
        "{}: {}\n\n{}",
        code.as_str(),
        code.title(),
        code.explanation()
    )?;
    Ok(ExitCode::SUCCESS)
}
