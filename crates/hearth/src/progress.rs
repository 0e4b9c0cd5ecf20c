//! Import progress: a bar on a terminal, plain lines otherwise.

use hearth_service::import::ImportProgress;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

pub enum Progress {
    Bar(ProgressBar),
    Lines { label: String, next: AtomicU64 },
}

impl Progress {
    /// A progress display for `total` rows (when known).
    pub fn new(label: &str, total: Option<u64>) -> Self {
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total.unwrap_or(0));
            let style = ProgressStyle::with_template(
                "{msg} [{bar:40}] {pos}/{len} rows ({per_sec}, {eta} left)",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar.set_message(label.to_string());
            Self::Bar(bar)
        } else {
            Self::Lines {
                label: label.to_string(),
                next: AtomicU64::new(100_000),
            }
        }
    }

    pub fn finish(&self) {
        if let Self::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

impl ImportProgress for Progress {
    fn rows_done(&self, rows: u64) {
        match self {
            Self::Bar(bar) => bar.set_position(rows),
            Self::Lines { label, next } => {
                let threshold = next.load(Ordering::Relaxed);
                if rows >= threshold {
                    next.store(threshold + 100_000, Ordering::Relaxed);
                    eprintln!("{label}: {rows} rows read");
                }
            }
        }
    }
}

/// Counts the data rows of a CSV file (lines minus the header), for the progress bar.
pub fn count_rows(path: &std::path::Path) -> Option<u64> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).ok()?;
    let mut buffer = vec![0u8; 1 << 20];
    let mut lines = 0u64;
    loop {
        let n = file.read(&mut buffer).ok()?;
        if n == 0 {
            break;
        }
        lines += buffer[..n].iter().filter(|b| **b == b'\n').count() as u64;
    }
    Some(lines.saturating_sub(1))
}
