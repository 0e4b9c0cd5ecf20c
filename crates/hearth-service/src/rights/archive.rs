//! The access response archive: one ZIP holding a readable report (HTML in GOV.UK style), the
//! whole bundle as JSON, one CSV per section, and the media files. Every section is rendered
//! from the bundle's own JSON, so every field held reaches the person in all three forms.

use super::AccessBundle;
use askama::Template;
use jiff::civil::Date;
use serde_json::Value;
use std::io::Write;
use uuid::Uuid;

/// A media object opened for the archive, at its path inside it.
pub(crate) struct MediaFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// One section of the report: its title, what it is, and its items as label/value rows.
struct Section {
    anchor: String,
    title: &'static str,
    intro: &'static str,
    items: Vec<Vec<(String, String)>>,
}

#[derive(Template)]
#[template(path = "access_report.html")]
struct Report<'a> {
    controller: &'a str,
    reference: Uuid,
    received_on: Date,
    compiled_on: Date,
    sections: &'a [Section],
}

/// Flattens a JSON value into label/value rows: nested objects as `a.b`, lists of plain
/// values joined, lists of objects numbered; empty values left out.
fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    let label = |key: &str| {
        if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        }
    };
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (key, v) in map {
                flatten(&label(key), v, out);
            }
        }
        Value::Array(list) if list.iter().all(|v| !v.is_object() && !v.is_array()) => {
            let joined: Vec<String> = list.iter().map(plain).collect();
            if !joined.is_empty() {
                out.push((prefix.to_string(), joined.join(", ")));
            }
        }
        Value::Array(list) => {
            for (n, v) in list.iter().enumerate() {
                flatten(&format!("{prefix}[{}]", n + 1), v, out);
            }
        }
        other => out.push((prefix.to_string(), plain(other))),
    }
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn rows_of(value: &Value) -> Vec<Vec<(String, String)>> {
    let items: Vec<&Value> = match value {
        Value::Array(list) => list.iter().collect(),
        Value::Null => vec![],
        one => vec![one],
    };
    items
        .into_iter()
        .map(|item| {
            let mut rows = Vec::new();
            flatten("", item, &mut rows);
            rows
        })
        .collect()
}

fn sections(bundle: &AccessBundle) -> Result<Vec<Section>, String> {
    let json = |v: serde_json::Result<Value>| v.map_err(|e| format!("rendering the bundle: {e}"));
    let s = &bundle.supplementary;
    let parts: [(&str, &'static str, &'static str, Value); 16] = [
        (
            "person",
            "Your record",
            "Your name, contact details, identifiers and needs as we hold them.",
            json(serde_json::to_value(&bundle.person))?,
        ),
        (
            "households",
            "Your household",
            "The households you belong to. Other members' details are not included: see 'What we did not include'.",
            json(serde_json::to_value(&bundle.households))?,
        ),
        (
            "tenancies",
            "Tenancies",
            "The tenancies of your households.",
            json(serde_json::to_value(&bundle.tenancies))?,
        ),
        (
            "contacts",
            "Your contacts with us",
            "Each time you contacted us, or we contacted you, as logged.",
            json(serde_json::to_value(&bundle.contacts))?,
        ),
        (
            "records",
            "Records about you",
            "Repairs, cases, recordings and other records about you, with the files attached to them (in the media folder).",
            json(serde_json::to_value(&bundle.records))?,
        ),
        (
            "consents",
            "Your consents",
            "Each consent you gave or withdrew, with the words you were shown.",
            json(serde_json::to_value(&bundle.consents))?,
        ),
        (
            "requests",
            "Your requests",
            "Your requests under data protection law and how we answered them.",
            json(serde_json::to_value(&bundle.requests))?,
        ),
        (
            "access_log",
            "Who used your record",
            "Each time someone used your record: when, their reference, why, and what they did.",
            json(serde_json::to_value(&bundle.access_log))?,
        ),
        (
            "disclosures",
            "Who we gave it to",
            "Each time we gave your information to an organisation outside the council: to whom, when, what and why.",
            json(serde_json::to_value(&bundle.disclosures))?,
        ),
        (
            "sign_in",
            "How you sign in",
            "The GOV.UK One Login accounts linked to your record, and the codes we sent you to link one (the codes themselves are not kept).",
            json(serde_json::to_value(&bundle.sign_in))?,
        ),
        (
            "withheld",
            "What we did not include, and why",
            "Information that is about other people as well as you, which we have left out or redacted, with the reason.",
            json(serde_json::to_value(&bundle.withheld))?,
        ),
        (
            "purposes",
            "Why we use your information",
            "The purposes we hold your information for, the lawful basis for each, and where it came from.",
            json(serde_json::to_value(&s.purposes))?,
        ),
        (
            "categories",
            "The kinds of information we hold",
            "The categories of personal information in the records above.",
            json(serde_json::to_value(&s.categories))?,
        ),
        (
            "recipients",
            "Who we may share it with",
            "The organisations we may share your information with, whether we have, and the safeguards for any transfer abroad.",
            json(serde_json::to_value(&s.recipients))?,
        ),
        (
            "retention",
            "How long we keep it",
            "How long each kind of record is kept.",
            json(serde_json::to_value(&s.retention))?,
        ),
        (
            "rights",
            "Your rights",
            "What you can ask us to do, and how to complain.",
            json(serde_json::to_value(&s.rights))?,
        ),
    ];
    Ok(parts
        .into_iter()
        .map(|(anchor, title, intro, value)| Section {
            anchor: anchor.to_string(),
            title,
            intro,
            items: rows_of(&value),
        })
        .collect())
}

/// One CSV of a section: a column per label any item has, a row per item.
fn csv_of(section: &Section) -> Result<Vec<u8>, String> {
    let mut columns: Vec<String> = Vec::new();
    for item in &section.items {
        for (label, _) in item {
            if !columns.contains(label) {
                columns.push(label.clone());
            }
        }
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| format!("writing {}.csv: {e}", section.anchor);
    out.write_record(
        columns
            .iter()
            .map(|c| hearth_core::csv_cell(c).into_owned()),
    )
    .map_err(fail)?;
    for item in &section.items {
        let row: Vec<String> = columns
            .iter()
            .map(|c| {
                hearth_core::csv_cell(
                    item.iter()
                        .find(|(label, _)| label == c)
                        .map_or("", |(_, v)| v.as_str()),
                )
                .into_owned()
            })
            .collect();
        out.write_record(&row).map_err(fail)?;
    }
    out.into_inner()
        .map_err(|e| format!("writing {}.csv: {e}", section.anchor))
}

/// Builds the archive in memory. A portability response is for machines: its data as JSON
/// (`data.json`) and CSV, with the media, and no report.
pub(crate) fn build_archive(
    bundle: &AccessBundle,
    controller: &str,
    request: &hearth_core::rights::RightsRequest,
    media: &[MediaFile],
) -> Result<Vec<u8>, String> {
    let sections = sections(bundle)?;
    let portable = request.kind == hearth_core::rights::RequestKind::Portability;
    let report = Report {
        controller,
        reference: request.id,
        received_on: request.received_on,
        compiled_on: hearth_core::retention::uk_date(bundle.compiled_at),
        sections: &sections,
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut add = |name: &str, bytes: &[u8]| -> Result<(), String> {
        zip.start_file(name, options)
            .and_then(|()| zip.write_all(bytes).map_err(Into::into))
            .map_err(|e| format!("adding {name} to the archive: {e}"))
    };
    let json = serde_json::to_vec_pretty(bundle).map_err(|e| format!("bundle.json: {e}"))?;
    if portable {
        add("data.json", &json)?;
    } else {
        let html = report
            .render()
            .map_err(|e| format!("rendering the report: {e}"))?;
        add("report.html", html.as_bytes())?;
        add("bundle.json", &json)?;
    }
    for section in &sections {
        add(&format!("csv/{}.csv", section.anchor), &csv_of(section)?)?;
    }
    for file in media {
        add(&file.path, &file.bytes)?;
    }
    let cursor = zip
        .finish()
        .map_err(|e| format!("finishing the archive: {e}"))?;
    Ok(cursor.into_inner())
}

/// The file extension for a media type, for names inside the archive.
pub(crate) fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "video/webm" => "webm",
        "video/mp4" => "mp4",
        "audio/mpeg" => "mp3",
        "audio/wav" | "audio/x-wav" => "wav",
        "application/pdf" => "pdf",
        "text/plain" => "txt",
        _ => "bin",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_values_flatten_to_labelled_rows() {
        let mut rows = Vec::new();
        flatten(
            "",
            &json!({"name": "A", "phones": [{"number": "01484"}], "roles": ["tenant", "payer"], "none": null}),
            &mut rows,
        );
        assert_eq!(
            rows,
            vec![
                ("name".to_string(), "A".to_string()),
                ("phones[1].number".to_string(), "01484".to_string()),
                ("roles".to_string(), "tenant, payer".to_string()),
            ]
        );
    }
}
