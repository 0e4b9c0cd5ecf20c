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
