//! Tag refs read as git reads them: the loose files under `refs/tags/` and
//! the `packed-refs` file, every line checked.
//!
//! libgit2 gives up on a whole listing when one ref is malformed (a line git
//! rejects in `packed-refs`, a name with a space), and returns no tags at
//! all; for a ledger whose releases are tags that would read as "nothing was
//! ever released". So the listing is made here, and whatever git refuses is
//! refused too, naming the file and line.

use super::{Oid, parse_oid};
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// What a tag ref holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefValue {
    /// An object id (of a tag object, or directly of a commit, tree or blob).
    Direct(Oid),
    /// `ref: <target>`: a symbolic ref, resolved by name.
    Symbolic(String),
}

/// Every ref under `refs/tags/` in the repository whose common git
/// directory is `common`, by full name (`refs/tags/...`), sorted. Loose refs
/// take precedence over packed ones, as in git.
pub fn tag_refs(common: &Path) -> Result<BTreeMap<String, RefValue>> {
    let mut refs = packed(common)?;
    let root = common.join("refs").join("tags");
    loose(&root, "refs/tags", &mut refs)?;
    Ok(refs)
}

fn bad(file: &Path, line: Option<usize>, what: String) -> Error {
    Error::BadRef {
        file: file.display().to_string(),
        line,
        what,
    }
}

/// Whether git accepts `name` as a ref name.
fn valid(name: &str) -> bool {
    name.starts_with("refs/") && git2::Reference::is_valid_name(name)
}

/// The tag refs of `packed-refs`; none when there is no such file.
fn packed(common: &Path) -> Result<BTreeMap<String, RefValue>> {
    let path = common.join("packed-refs");
    let mut refs = BTreeMap::new();
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(refs),
        Err(source) => return Err(Error::Read { path, source }),
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        bad(
            &path,
            None,
            "not UTF-8 text; git cannot read it either".to_owned(),
        )
    })?;
    if !text.is_empty() && !text.ends_with('\n') {
        let line = text.lines().count();
        return Err(bad(
            &path,
            Some(line),
            "unterminated line: the file was cut short".to_owned(),
        ));
    }
    // Whether the line before was a ref (a peeled `^` line may follow it).
    let mut after_ref = false;
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        if i == 0 && line.starts_with("# pack-refs with:") {
            continue;
        }
        if let Some(peeled) = line.strip_prefix('^') {
            if !after_ref || parse_oid(peeled).is_none() {
                return Err(bad(
                    &path,
                    Some(number),
                    format!("unexpected line `{}`", line),
                ));
            }
            after_ref = false;
            continue;
        }
        let parsed = line
            .split_once(' ')
            .and_then(|(id, name)| Some((parse_oid(id)?, name)));
        let Some((id, name)) = parsed else {
            return Err(bad(
                &path,
                Some(number),
                format!("unexpected line `{}`", line),
            ));
        };
        if !valid(name) {
            return Err(bad(
                &path,
                Some(number),
                format!("`{}` is not a ref name git accepts", name),
            ));
        }
        after_ref = true;
        if name.starts_with("refs/tags/") {
            refs.insert(name.to_owned(), RefValue::Direct(id));
        }
    }
    Ok(refs)
}

/// Adds the loose refs below `dir` (named `prefix/...`) to `refs`.
fn loose(dir: &Path, prefix: &str, refs: &mut BTreeMap<String, RefValue>) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(Error::Read {
                path: dir.to_owned(),
                source,
            });
        }
    };
    let read_err = |source| Error::Read {
        path: dir.to_owned(),
        source,
    };
    let mut names = Vec::new();
    for entry in entries {
        names.push(entry.map_err(read_err)?);
    }
    names.sort_by_key(|e| e.file_name());
    for entry in names {
        let path = entry.path();
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            return Err(bad(&path, None, "a ref whose name is not UTF-8".to_owned()));
        };
        // Lock files of a ref being written, as git ignores them.
        if file_name.ends_with(".lock") {
            continue;
        }
        let name = format!("{prefix}/{file_name}");
        let kind = entry.file_type().map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        if kind.is_dir() {
            loose(&path, &name, refs)?;
            continue;
        }
        if !valid(&name) {
            return Err(bad(
                &path,
                None,
                format!("`{}` is not a ref name git accepts", name),
            ));
        }
        let text = std::fs::read(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        let text = String::from_utf8_lossy(&text);
        let first = text.lines().next().unwrap_or_default().trim_end();
        let value = match first.strip_prefix("ref: ") {
            Some(target) if valid(target.trim()) => RefValue::Symbolic(target.trim().to_owned()),
            Some(_) => None.ok_or_else(|| {
                bad(
                    &path,
                    Some(1),
                    format!("a symbolic ref to `{}`, which is not a ref name", first),
                )
            })?,
            None => RefValue::Direct(parse_oid(first).ok_or_else(|| {
                bad(
                    &path,
                    Some(1),
                    format!("not a ref: it holds `{}`, not an object id", first),
                )
            })?),
        };
        refs.insert(name, value);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "0123456789abcdef0123456789abcdef01234567";

    fn with_packed(text: &str) -> Result<BTreeMap<String, RefValue>> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("packed-refs"), text).unwrap();
        tag_refs(dir.path())
    }

    #[test]
    fn packed_refs_are_read_with_their_peeled_lines() {
        let refs = with_packed(&format!(
            "# pack-refs with: peeled fully-peeled sorted \n{A} refs/heads/main\n{A} refs/tags/v1\n^{A}\n"
        ))
        .unwrap();
        assert_eq!(refs.keys().collect::<Vec<_>>(), ["refs/tags/v1"]);
    }

    #[test]
    fn what_git_refuses_in_packed_refs_is_refused_with_its_line() {
        for (text, line) in [
            (format!("{A} refs/tags/v1\ngarbage line here\n"), 2),
            (format!("{A} refs/tags/a b\n"), 1),
            (format!("{A} refs/tags/../x\n"), 1),
            (format!("^{A}\n"), 1),
            (format!("{A} refs/tags/v1\n{A} refs/tags/v2"), 2),
        ] {
            match with_packed(&text) {
                Err(Error::BadRef { line: Some(l), .. }) => assert_eq!(l, line, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }
}
