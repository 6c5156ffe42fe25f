//! Reading the register dir from the work tree, as a list of [`Entry`]s.
//!
//! Symbolic links are reported, never followed, and files over the size
//! limit are never read, so a hostile register cannot make `check` read
//! outside the repository or load a huge file into memory.

use super::entry::{Entry, EntryKind};
use super::vendor::MAX_FILE_SIZE;
use crate::error::{Error, Result};
use std::fs;
use std::io::Read;
use std::path::Path;

/// Every entry of `dir`, sorted by name.
pub fn read_dir(dir: &Path) -> Result<Vec<Entry>> {
    let meta = fs::metadata(dir).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::RegisterDirMissing {
            path: dir.to_owned(),
        },
        _ => Error::Read {
            path: dir.to_owned(),
            source: e,
        },
    })?;
    if !meta.is_dir() {
        return Err(Error::RegisterDirNotDir {
            path: dir.to_owned(),
        });
    }
    let read_err = |source| Error::Read {
        path: dir.to_owned(),
        source,
    };
    let mut entries = Vec::new();
    for item in fs::read_dir(dir).map_err(read_err)? {
        let item = item.map_err(read_err)?;
        let path = item.path();
        let meta = fs::symlink_metadata(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        let kind = if meta.file_type().is_symlink() {
            EntryKind::Symlink
        } else if meta.is_dir() {
            EntryKind::Dir
        } else if meta.is_file() {
            EntryKind::File
        } else {
            EntryKind::Other
        };
        let content = if kind == EntryKind::File && meta.len() <= MAX_FILE_SIZE {
            Some(read_limited(&path)?)
        } else {
            None
        };
        entries.push(Entry {
            name: item.file_name().to_string_lossy().into_owned(),
            kind,
            size: meta.len(),
            content,
        });
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}

/// Reads at most one byte past the limit, so a file that grew after its
/// metadata was read is still refused rather than read whole.
fn read_limited(path: &Path) -> Result<Vec<u8>> {
    let err = |source| Error::Read {
        path: path.to_owned(),
        source,
    };
    let file = fs::File::open(path).map_err(err)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(err)?;
    Ok(bytes)
}
