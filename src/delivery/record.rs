//! The record of deliveries: `reports/<release>/deliveries.jsonl`, beside
//! the release's saved notice, one JSON line per attempt, appended and
//! synced to disk before the next is made. It is committed with the rest of
//! the evidence; `audit` reads it and `verify` checks it.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// One attempt to deliver a release's notice to one address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub release: String,
    /// The customer's id (its file name).
    pub customer: String,
    /// `email` (webhooks are not delivered yet).
    pub channel: String,
    pub address: String,
    /// The `[notice.profile.*]` whose dates the notice gave, `None` for `[notice]`.
    pub profile: Option<String>,
    /// Whether the server accepted it.
    pub accepted: bool,
    /// When the server answered (RFC 3339, UTC).
    pub at: String,
    /// The server's answer: reply code and text (queue id included).
    pub reply: String,
    pub message_id: String,
    /// SHA-256 of exactly the bytes handed to the server.
    pub sha256: String,
    /// The message's Date (seconds since 1970): with the Message-ID, what
    /// `verify` needs to rebuild the bytes.
    #[serde(default)]
    pub date: i64,
    /// Sent again on purpose (`--resend`).
    #[serde(default)]
    pub resend: bool,
}

/// Where the deliveries of `release` are recorded.
pub fn path(root: &Path, release: &str) -> PathBuf {
    crate::reports::notice_path(root, release, "md").with_file_name("deliveries.jsonl")
}

/// Every record in `path` (none when there is no such file). A line that is
/// not a record is an error naming the file and line: the evidence is damaged.
pub fn read(path: &Path) -> Result<Vec<Record>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(Error::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, line)| {
            serde_json::from_str(line).map_err(|e| Error::Refused {
                what: format!("{}:{}: not a delivery record: {e}", path.display(), n + 1),
                hint: Some(
                    "the record is evidence: restore it from git (git checkout -- the file)"
                        .to_owned(),
                ),
            })
        })
        .collect()
}

/// Appends one record and syncs it to disk.
pub fn append(path: &Path, record: &Record) -> Result<()> {
    let write_err = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(write_err)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(write_err)?;
    let mut line = serde_json::to_string(record).map_err(|e| Error::Usage {
        what: format!("cannot write a delivery record: {e}"),
        hint: None,
    })?;
    line.push('\n');
    file.write_all(line.as_bytes()).map_err(write_err)?;
    file.sync_all().map_err(write_err)
}

/// The latest record to `customer` at `address` that was `accepted` (or
/// not), if there is one (two customers sharing an address each have
/// their own).
pub fn latest<'a>(
    records: &'a [Record],
    customer: &str,
    address: &str,
    accepted: bool,
) -> Option<&'a Record> {
    records.iter().rev().find(|r| {
        r.accepted == accepted && r.customer == customer && r.address.eq_ignore_ascii_case(address)
    })
}
