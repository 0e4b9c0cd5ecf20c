//! `hearth redact detect|apply`: the redaction engine over JSON lines, for reviewing and
//! releasing free text outside the server. Either every line is good and all the output is
//! written, or nothing is written and each bad line is reported with its number.

use anyhow::{Context, Result};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum RedactCommand {
    /// Find personal data: reads `{"id", "text", "subject"?}` lines and writes
    /// `{"id", "spans": [{"start", "end", "label", "party", "relation"?}]}`, offsets in Unicode
    /// code points.
    Detect {
        /// JSON lines to read; standard input when not given.
        file: Option<PathBuf>,
    },
    /// Redact: reads the same lines (optionally with reviewed `spans`) and writes
    /// `{"id", "text"}` with everything not the subject's replaced by `[redacted: LABEL]`.
    Apply {
        /// JSON lines to read; standard input when not given.
        file: Option<PathBuf>,
    },
}

/// Bad lines reported before giving up on reporting more.
const MAX_REPORTED: usize = 20;

pub fn run(command: RedactCommand) -> Result<ExitCode> {
    let (file, each): (_, fn(&hearth_redact::Engine, &str) -> _) = match command {
        RedactCommand::Detect { file } => (file, hearth_redact::detect_line_with),
        RedactCommand::Apply { file } => (file, hearth_redact::apply_line_with),
    };
    let reader: Box<dyn BufRead> = match &file {
        Some(path) => Box::new(std::io::BufReader::new(
            std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?,
        )),
        None => Box::new(std::io::stdin().lock()),
    };
    let source = file
        .as_ref()
        .map_or("standard input".to_string(), |p| p.display().to_string());
    let engine = hearth_redact::Engine::new();
    let mut output = Vec::new();
    let mut bad = 0usize;
    for (index, line) in reader.lines().enumerate() {
        let number = index + 1;
        let line = line.with_context(|| format!("{source}: reading line {number}"))?;
        if line.trim().is_empty() {
            continue;
        }
        match each(&engine, &line) {
            Ok(out) => output.push(out),
            Err(problem) => {
                bad += 1;
                if bad <= MAX_REPORTED {
                    eprintln!("{source}: line {number}: {problem}");
                }
            }
        }
    }
    if bad > 0 {
        eprintln!("{source}: {bad} bad line(s); nothing was written");
        return Ok(ExitCode::FAILURE);
    }
    let mut stdout = std::io::stdout().lock();
    for line in output {
        writeln!(stdout, "{line}").context("writing the output")?;
    }
    Ok(ExitCode::SUCCESS)
}
