//! `hearth serve`: the server, optionally filled with demo data first.

use crate::config::Config;
use anyhow::{Context, Result};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080); also HEARTH_LISTEN.
    #[arg(long)]
    pub listen: Option<String>,
    /// Load this many synthetic residents before serving (skipped if already loaded).
    #[arg(long, value_name = "PEOPLE", num_args = 0..=1, default_missing_value = "2000")]
    pub demo: Option<u64>,
}

pub async fn run(config: Config, args: ServeArgs) -> Result<ExitCode> {
    super::init_logging(config.log_format, "info,sqlx=warn,tower_http=info");
    let hearth = super::open(&config).await?;
    if let Some(people) = args.demo {
        let report = hearth
            .load_demo(people, 1, &hearth_service::import::Silent)
            .await
            .context("loading demo data")?;
        tracing::info!(
            people = report.people,
            properties = report.properties,
            tenancies = report.tenancies,
            contacts = report.contacts,
            "demo data loaded"
        );
    }
    if let Some(key) = config.signing_key()? {
        // Sign the audit chain's head now and every ten minutes, so a rewrite is caught.
        let signer = hearth.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
            loop {
                every.tick().await;
                match signer.checkpoint_audit_log(&key).await {
                    Ok(Some(c)) => tracing::info!(seq = c.seq, "audit checkpoint signed"),
                    Ok(None) => {}
                    Err(err) => tracing::error!(error = %err, "audit checkpoint failed"),
                }
            }
        });
    }
    match config.retention_run_at {
        Some(at) => {
            tokio::spawn(retention_job(hearth.clone(), at));
        }
        None => tracing::info!("the retention job is switched off (retention_run_at = off)"),
    }
    if config.transports.is_empty() {
        tracing::warn!(
            "no [notify] or [smtp] settings: messages (video-call links) wait in the outbox until one is set"
        );
    } else {
        tracing::info!(transports = ?config.transports, "the outbox sends every 5 seconds");
        tokio::spawn(outbox_job(hearth.clone()));
    }
    tokio::spawn(abandoned_recordings_job(hearth.clone()));
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, database = hearth.backend_name(), register = hearth.register().short_hash(), "Hearth is serving");
    eprintln!("Hearth is running at http://{address}/ (API docs at http://{address}/api/docs)");
    axum::serve(listener, hearth_http::app(hearth))
        .with_graceful_shutdown(shutdown())
        .await
        .context("serving")?;
    Ok(ExitCode::SUCCESS)
}

/// Sends what is due in the outbox every few seconds; a failed round is logged and retried.
async fn outbox_job(hearth: hearth_service::Hearth) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match hearth.dispatch_notifications().await {
            Ok(report) if report != Default::default() => tracing::info!(?report, "outbox round"),
            Ok(_) => {}
            Err(err) => tracing::error!(error = %err, "outbox round failed"),
        }
    }
}

/// Every quarter of an hour, discards call recordings whose upload stopped a day ago (the
/// engineer's page closed mid-recording), so their chunks do not outlive any schedule.
async fn abandoned_recordings_job(hearth: hearth_service::Hearth) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match hearth.discard_abandoned_recordings().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(recordings = n, "abandoned recordings discarded"),
            Err(err) => tracing::error!(error = %err, "discarding abandoned recordings failed"),
        }
    }
}

/// Runs retention every day at `at` (UK time) as `System(retention)`, through the gate.
async fn retention_job(hearth: hearth_service::Hearth, at: jiff::civil::Time) {
    let london = jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC);
    loop {
        let now = hearth_core::clock::Clock::now(&hearth_core::clock::SystemClock)
            .to_zoned(london.clone());
        let mut next = now.date().to_datetime(at).to_zoned(london.clone()).ok();
        if next.as_ref().is_none_or(|n| *n <= now) {
            next = now
                .date()
                .tomorrow()
                .ok()
                .and_then(|d| d.to_datetime(at).to_zoned(london.clone()).ok());
        }
        let wait = next
            .and_then(|n| now.duration_until(&n).try_into().ok())
            .unwrap_or(std::time::Duration::from_secs(3600));
        tokio::time::sleep(wait).await;
        let caller = hearth_service::Caller::system("retention");
        let options = hearth_service::retention::RunOptions {
            as_of: hearth.today(),
            dry_run: false,
            only: None,
        };
        match hearth.run_retention(&caller, &options).await {
            Ok(report) => {
                let destroyed: u64 = report.lines.iter().map(|l| l.destroyed).sum();
                let anonymised: u64 = report.lines.iter().map(|l| l.anonymised).sum();
                tracing::info!(run = ?report.run_id, destroyed, anonymised, problems = report.problems.len(), "retention run finished");
                for problem in &report.problems {
                    tracing::error!(problem = %problem, "retention could not apply a schedule");
                }
            }
            Err(err) => tracing::error!(error = %err, "retention run failed"),
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
