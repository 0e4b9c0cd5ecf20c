//! `hearth import people|properties|tenancies FILE.csv`.

use crate::config::Config;
use crate::progress::{Progress, count_rows};
use anyhow::{Context, Result};
use hearth_service::import::{ImportKind, ImportOptions, write_rejects};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// What the file holds: people, properties or tenancies.
    pub kind: ImportKind,
    /// The CSV file, with a header row (see the README for the columns).
    pub file: PathBuf,
    /// Import the valid rows and write the invalid ones, with reasons, to the rejects file.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Where rejected rows go with --skip-invalid (default FILE.rejects.csv).
    #[arg(long)]
    pub rejects: Option<PathBuf>,
    /// The register purpose the records are loaded for (default: customer_record for people,
    /// estate_management for properties, tenancy_management for tenancies).
    #[arg(long)]
    pub purpose: Option<String>,
}

pub async fn run(config: Config, args: ImportArgs) -> Result<ExitCode> {
    let hearth = super::open(&config).await?;
    let file = std::fs::File::open(&args.file)
        .with_context(|| format!("opening {}", args.file.display()))?;
    let source_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = ImportOptions {
        skip_invalid: args.skip_invalid,
        source_name,
    };
    let progress = Progress::new(
        &format!("importing {}", args.file.display()),
        count_rows(&args.file),
    );
    let purpose = args
        .purpose
        .clone()
        .unwrap_or_else(|| args.kind.default_purpose().to_string());
    let caller = super::operator().for_purpose(purpose);
    let report = hearth
        .import_csv(
            &caller,
            args.kind,
            std::io::BufReader::with_capacity(1 << 20, file),
            &options,
            &progress,
        )
        .await;
    progress.finish();
    let report = report.map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    for error in &report.errors {
        eprintln!("{}:{error}", args.file.display());
    }
    if !report.committed {
        eprintln!(
            "{}: {} of {} rows are invalid; nothing was imported. Fix them, or use --skip-invalid to import the rest.",
            args.file.display(),
            report.rejects.len(),
            report.rows_read
        );
        return Ok(ExitCode::FAILURE);
    }
    if args.skip_invalid && !report.rejects.is_empty() {
        let path = args
            .rejects
            .unwrap_or_else(|| args.file.with_extension("rejects.csv"));
        let out =
            std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        write_rejects(&report, out).with_context(|| format!("writing {}", path.display()))?;
        eprintln!(
            "{} rejected rows written to {}",
            report.rejects.len(),
            path.display()
        );
    }
    println!(
        "{}: {} rows read, {} imported, {} already present (unchanged), {} rejected",
        args.file.display(),
        report.rows_read,
        report.imported,
        report.already_present,
        report.rejects.len()
    );
    Ok(ExitCode::SUCCESS)
}
