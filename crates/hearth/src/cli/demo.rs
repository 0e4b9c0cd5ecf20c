//! `hearth demo`: deterministic synthetic data, loaded or written as CSV.

use crate::config::{Config, Flags};
use crate::progress::Progress;
use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// How many residents to generate.
    #[arg(long, default_value_t = 2000)]
    pub people: u64,
    /// The same seed always gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write people.csv, properties.csv and tenancies.csv here instead of loading them.
    #[arg(long)]
    pub csv_dir: Option<PathBuf>,
}

pub async fn run(flags: &Flags, args: DemoArgs) -> Result<ExitCode> {
    if let Some(dir) = args.csv_dir {
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let today = hearth_core::clock::Clock::now(&hearth_core::clock::SystemClock)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date();
        hearth_service::demo::write_demo_csv(&dir, args.people, args.seed, today)
            .with_context(|| format!("writing CSV files in {}", dir.display()))?;
        println!(
            "wrote people.csv, properties.csv and tenancies.csv for {} people in {}",
            args.people,
            dir.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let hearth = super::open(&Config::load(flags)?).await?;
    let progress = Progress::new("loading demo data", None);
    let report = hearth.load_demo(args.people, args.seed, &progress).await;
    progress.finish();
    let report = report?;
    println!(
        "demo data: {} people, {} properties, {} tenancies, {} contacts added (seed {})",
        report.people, report.properties, report.tenancies, report.contacts, args.seed
    );
    Ok(ExitCode::SUCCESS)
}
