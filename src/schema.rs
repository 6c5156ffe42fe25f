//! JSON Schemas for the files people edit, for taplo and editors: the vendor
//! file's from the [`Field`] table the reader checks against, the config's
//! and the customer file's from the serde structs that read them (schemars).
//! Both come from the code that reads the files, so they cannot drift.
//! Draft 7, the newest draft taplo validates.

use crate::register::field::{Field, ValueKind};
use serde_json::{Map, Value, json};

/// The files a schema describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schema {
    /// `register/*.toml`
    Vendor,
    /// `subledger.toml`
    Config,
    /// `customers/*.toml`
    Customer,
}

impl Schema {
    /// Every schema, in the order they are published.
    pub const ALL: [Schema; 3] = [Schema::Vendor, Schema::Config, Schema::Customer];

    /// The file name under `schemas/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Schema::Vendor => "vendor.schema.json",
            Schema::Config => "config.schema.json",
            Schema::Customer => "customer.schema.json",
        }
    }

    /// The glob of files it describes, as `.taplo.toml` writes it.
    pub fn include(self) -> &'static str {
        match self {
            Schema::Vendor => "register/*.toml",
            Schema::Config => "subledger.toml",
            Schema::Customer => "customers/*.toml",
        }
    }

    /// The schema as pretty JSON with a final newline.
    pub fn text(self) -> String {
        let value = match self {
            Schema::Vendor => vendor(),
            Schema::Config => generated::<crate::register::config::Config>(),
            Schema::Customer => generated::<crate::register::customer::File>(),
        };
        let mut text = serde_json::to_string_pretty(&value).expect("a schema serializes");
        text.push('\n');
        text
    }
}

fn generated<T: schemars::JsonSchema>() -> Value {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    generator.into_root_schema_for::<T>().to_value()
}

/// The vendor file: every key of [`Field::ALL`], `[dpa]` keys in their
/// table, nothing else.
fn vendor() -> Value {
    let mut top = Map::new();
    let mut dpa = Map::new();
    let mut required = Vec::new();
    for &field in Field::ALL {
        let mut schema = kind(field.kind());
        schema.insert("description".into(), field.doc().into());
        if field.in_dpa() {
            dpa.insert(field.key()[4..].into(), Value::Object(schema));
        } else {
            top.insert(field.key().into(), Value::Object(schema));
            if field.required() {
                required.push(field.key());
            }
        }
    }
    top.insert(
        "dpa".into(),
        json!({
            "description": "internal, never published: the data processing agreement",
            "type": "object",
            "properties": dpa,
            "additionalProperties": false,
        }),
    );
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "subledger vendor file",
        "description": "One sub-processor: register/<id>.toml. The format is in register/README.md.",
        "type": "object",
        "properties": top,
        "required": required,
        "additionalProperties": false,
    })
}

fn kind(kind: ValueKind) -> Map<String, Value> {
    let value = match kind {
        ValueKind::Text => json!({ "type": "string", "minLength": 1 }),
        ValueKind::TextList => json!({ "type": "array", "items": { "type": "string" } }),
        ValueKind::IdList => json!({
            "type": "array",
            "items": { "type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$" }
        }),
        ValueKind::Choice(values) => json!({ "type": "string", "enum": values }),
        ValueKind::ChoiceList(values) => json!({
            "type": "array",
            "items": { "type": "string", "enum": values }
        }),
        ValueKind::Date => json!({ "type": "string", "format": "date" }),
    };
    match value {
        Value::Object(map) => map,
        _ => unreachable!("every kind is an object"),
    }
}

/// The `.taplo.toml` that points editors at the schemas under `dir`
/// (relative to the repository root, e.g. `schemas`).
pub fn taplo_config(dir: &str) -> String {
    let mut out = String::from(
        "# Editor support: taplo and Even Better TOML validate and complete\n# subledger's files with these schemas (`subledger schema` prints them).\n",
    );
    for schema in Schema::ALL {
        out.push_str(&format!(
            "\n[[rule]]\ninclude = [\"{}\"]\n[rule.schema]\npath = \"{dir}/{}\"\n",
            schema.include(),
            schema.file_name()
        ));
    }
    out
}

/// Where the editor files go in a register repository.
pub const DIR: &str = "schemas";

/// Writes `.taplo.toml` and `schemas/*.json` into `root` where they are
/// missing (a file already there is the user's and is kept); returns what
/// was written, relative to `root`.
pub fn write_editor_files(root: &std::path::Path) -> crate::Result<Vec<String>> {
    let mut files = vec![(".taplo.toml".to_owned(), taplo_config(DIR))];
    for schema in Schema::ALL {
        files.push((format!("{DIR}/{}", schema.file_name()), schema.text()));
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = root.join(&rel);
        if std::fs::symlink_metadata(&path).is_ok() {
            continue;
        }
        crate::files::write_new(&path, text, false)?;
        written.push(rel);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schemas published under `schemas/` are what the code generates.
    #[test]
    fn published_schemas_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
        for schema in Schema::ALL {
            let path = dir.join(schema.file_name());
            let published = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                published == schema.text(),
                "{} is out of date: run `cargo run -- schema {schema:?} > {}` (lowercase)",
                path.display(),
                path.display()
            );
        }
    }
}
