//! The disposal certificate as a readable page (GOV.UK style, self-contained): what was
//! destroyed, by record type, under which schedule, with the signature to check it by.

use hearth_core::retention::SignedCertificate;
use std::fmt::Write;

/// Escapes text for HTML element content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:Arial,sans-serif;margin:0;color:#0b0c0c}\
header{background:#0b0c0c;color:#fff;padding:12px 30px;font-weight:bold}\
main{max-width:960px;margin:0 auto;padding:20px 30px}\
h1{font-size:2rem}table{border-collapse:collapse;width:100%;margin:20px 0}\
th,td{text-align:left;border-bottom:1px solid #b1b4b6;padding:8px 10px 8px 0}\
td.n{text-align:right}dt{font-weight:bold}dd{margin:0 0 10px 0}\
code{word-break:break-all;font-size:.8rem}";

/// Renders a signed certificate as a standalone HTML page.
pub fn certificate_html(signed: &SignedCertificate) -> String {
    let c = &signed.certificate;
    let mut rows = String::new();
    for l in &c.lines {
        let _ = write!(
            rows,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&l.record_type_name),
            esc(&l.schedule),
            esc(&l.action),
            l.destroyed,
            l.anonymised,
            l.media_removed,
            l.keys_destroyed
        );
    }
    if c.lines.is_empty() {
        rows.push_str(
            "<tr><td colspan=\"7\">Nothing had reached the end of its retention period.</td></tr>",
        );
    }
    format!(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Disposal certificate {run}</title><style>{STYLE}</style></head>\
<body><header>Hearth</header><main><h1>Certificate of disposal</h1>\
<p>{controller} destroyed the records below under its retention schedules. The certificate holds counts only, never personal data.</p>\
<dl><dt>Run</dt><dd>{run}</dd><dt>Status</dt><dd>{status}</dd><dt>Periods judged as of</dt><dd>{as_of}</dd>\
<dt>Started</dt><dd>{started}</dd><dt>Finished</dt><dd>{finished}</dd><dt>Carried out by</dt><dd>{actor}</dd>\
<dt>Register</dt><dd>version {version}, SHA-256 <code>{hash}</code></dd></dl>\
<table><thead><tr><th>Record type</th><th>Schedule</th><th>Action</th><th>Destroyed</th><th>Anonymised</th><th>Media removed</th><th>Keys destroyed</th></tr></thead><tbody>{rows}</tbody></table>\
<h2>Signature</h2><p>Signed with the audit signing key (Ed25519). Check it with <code>hearth retention verify</code> and the JSON certificate.</p>\
<dl><dt>Public key</dt><dd><code>{key}</code></dd><dt>Signature</dt><dd><code>{sig}</code></dd></dl></main></body></html>",
        run = c.run_id,
        controller = esc(&c.controller),
        status = esc(&c.status),
        as_of = c.as_of,
        started = c.started_at,
        finished = c.finished_at,
        actor = esc(&c.actor),
        version = esc(&c.register_version),
        hash = esc(&c.register_hash),
        key = esc(&signed.public_key),
        sig = esc(&signed.signature),
    )
}
