//! Evidence saved under `reports/`: where each release's notice is kept,
//! finding saved notices again, and what each records about itself.
//!
//! The path of a release's notice is one-to-one with the release name, so
//! one release can never overwrite another's evidence: each `/`-separated
//! part of the tag name is a directory, and in each part every byte but
//! ASCII letters, digits, `-`, `_` and `.` (and a leading `.`) is written
//! `%XX`: `subprocessors/2027/01` is `reports/subprocessors/2027/01/`,
//! `subprocessors/2027-01` is `reports/subprocessors/2027-01/`, `räte` is
//! `reports/r%C3%A4te/`. Where a file system folds names together anyway
//! (case-insensitive ones do), the marker inside the file tells whose it is,
//! and a save for another release is refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The directory, at the root of the register repository.
pub const DIR: &str = "reports";

/// One part of a release name as a directory name (see the module docs).
pub fn component(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    for (i, b) in part.bytes().enumerate() {
        let plain = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_') || (b == b'.' && i > 0);
        if plain {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out.is_empty() {
        out.push_str("%00");
    }
    out
}

/// Where the notice of `release` in the format with extension `ext` is saved.
pub fn notice_path(root: &Path, release: &str, ext: &str) -> PathBuf {
    let mut path = root.join(DIR);
    for part in release.split('/') {
        path.push(component(part));
    }
    path.join(format!("notice.{ext}"))
}

/// What a saved notice recorded about itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marker {
    pub release: String,
    pub commit: String,
    pub tree: String,
    /// The release (or commit) it counts from, `none` for a first release.
    pub from: String,
    pub profiles: Vec<String>,
}

/// Refuses to save a notice that carries no marker line (a register's own
/// template without one): `verify` could not check it. `template` is the
/// template's path.
pub fn require_marker(path: &Path, text: &str, template: Option<&str>) -> crate::Result<()> {
    if marker(path, text).is_some() {
        return Ok(());
    }
    Err(crate::Error::Refused {
        what: format!(
            "the notice {} carries no `subledger notice:` marker line, so `verify` could not check it once saved",
            template.map_or("as written".to_owned(), |t| format!("from template {t}"))
        ),
        hint: Some(
            "add the marker line the built-in template ends with (see register/README.md, Templates), then save again"
                .to_owned(),
        ),
    })
}

/// Reads the marker a saved notice carries: its JSON fields, the
/// `subledger notice: release=…` line of Markdown and text, or the
/// `<meta name="subledger-notice" content="release=…">` of HTML.
pub fn marker(path: &Path, text: &str) -> Option<Marker> {
    if path.extension().is_some_and(|e| e == "json") {
        let value: serde_json::Value = serde_json::from_str(text).ok()?;
        let get = |a: &str, b: &str| value[a][b].as_str().unwrap_or("none").to_owned();
        let from = match value["from"]["release"].as_str() {
            Some(release) => release.to_owned(),
            None => get("from", "commit"),
        };
        return Some(Marker {
            release: get("to", "release"),
            commit: get("to", "commit"),
            tree: get("to", "tree"),
            from,
            profiles: value["profiles"]
                .as_array()?
                .iter()
                .filter_map(|p| p.as_str().map(str::to_owned))
                .collect(),
        });
    }
    let (line, html) = match text.find("name=\"subledger-notice\" content=\"") {
        Some(at) => (
            &text[at + "name=\"subledger-notice\" content=\"".len()..],
            true,
        ),
        None => {
            let at = text.find("subledger notice: release=")?;
            (&text[at + "subledger notice: ".len()..], false)
        }
    };
    let line = &line[..line.find(['\n', '"']).unwrap_or(line.len())];
    let line = if html {
        unescape_html(line)
    } else {
        line.to_owned()
    };
    let fields: BTreeMap<&str, &str> = line
        .split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .collect();
    Some(Marker {
        release: fields.get("release")?.to_string(),
        commit: fields.get("commit")?.to_string(),
        tree: fields.get("register-tree")?.to_string(),
        from: fields.get("from").unwrap_or(&"none").to_string(),
        profiles: fields
            .get("profiles")
            .unwrap_or(&"default")
            .split(',')
            .map(str::to_owned)
            .collect(),
    })
}

/// The entities minijinja writes in an HTML attribute, read back.
fn unescape_html(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Whether a file name is a saved notice: `notice.md`, `.txt`, `.html`, `.json`.
fn is_notice(name: &str) -> bool {
    ["md", "txt", "html", "json"]
        .iter()
        .any(|ext| name == format!("notice.{ext}"))
}

/// Every saved notice under `reports/`, at any depth (symbolic links are
/// not followed), sorted.
pub fn saved_notices(root: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let name = entry.file_name().to_string_lossy().into_owned();
            if kind.is_dir() && depth < 32 {
                walk(&entry.path(), depth + 1, out);
            } else if kind.is_file() && depth > 0 && is_notice(&name) {
                out.push(entry.path());
            }
        }
    }
    let mut out = Vec::new();
    walk(&root.join(DIR), 0, &mut out);
    out.sort();
    out
}

/// Why a report may not be written at `path`, if it may not: a directory
/// on the way that leads out of `root` (a symbolic link), something there
/// that is not a regular file, or (for a notice of release `owner`) a file
/// that holds another release's notice.
pub fn refuse_target(root: &Path, path: &Path, owner: Option<&str>) -> Option<String> {
    let shown = path
        .strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string();
    // The deepest directory that exists already must be inside the
    // repository: a link such as reports/x -> /elsewhere is not followed.
    let real_root = root.canonicalize().ok()?;
    let mut existing = path.parent();
    while let Some(dir) = existing {
        if dir.exists() {
            break;
        }
        existing = dir.parent();
    }
    if let Some(dir) = existing
        && let Ok(real) = dir.canonicalize()
        && !real.starts_with(&real_root)
    {
        return Some(format!(
            "{shown} would be written through {}, which leads out of the repository (to {}); saved evidence stays inside it",
            dir.strip_prefix(root).unwrap_or(dir).display(),
            real.display()
        ));
    }
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_file() {
        let what = if meta.file_type().is_symlink() {
            "a symbolic link"
        } else if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file (a device, a FIFO or a socket)"
        };
        return Some(format!(
            "{shown} is {what}; only a regular file is ever replaced"
        ));
    }
    let owner = owner?;
    let text = std::fs::read_to_string(path).ok()?;
    let other = marker(path, &text).filter(|m| m.release != owner)?;
    Some(format!(
        "{shown} holds the notice of release {}, not {owner}; it is that release's evidence and is never replaced by another's",
        other.release
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_names_map_one_to_one_to_paths() {
        let root = Path::new("/r");
        let names = [
            "subprocessors/2027/01",
            "subprocessors/2027-01",
            "subprocessors/2027%2F01",
            "subprocessors-2027-01",
            "räte/2027",
            "r%C3%A4te/2027",
            "v1.2",
            ".hidden",
            "a b",
        ];
        let paths: Vec<PathBuf> = names.iter().map(|n| notice_path(root, n, "md")).collect();
        let distinct: std::collections::BTreeSet<&PathBuf> = paths.iter().collect();
        assert_eq!(distinct.len(), names.len(), "{paths:?}");
        assert_eq!(
            paths[0],
            Path::new("/r/reports/subprocessors/2027/01/notice.md")
        );
        assert_eq!(paths[4], Path::new("/r/reports/r%C3%A4te/2027/notice.md"));
        assert_eq!(paths[7], Path::new("/r/reports/%2Ehidden/notice.md"));
        assert_eq!(paths[8], Path::new("/r/reports/a%20b/notice.md"));
    }

    #[test]
    fn markers_are_read_from_every_format() {
        let md = "x\n<!-- subledger notice: release=r/1 commit=c register-tree=t from=r/0 profiles=default -->\n";
        let html = "<meta name=\"subledger-notice\" content=\"release=r/1&amp;x commit=c register-tree=t from=none profiles=default,big\">";
        let m = marker(Path::new("notice.md"), md).unwrap();
        assert_eq!((m.release.as_str(), m.from.as_str()), ("r/1", "r/0"));
        let h = marker(Path::new("notice.html"), html).unwrap();
        assert_eq!(h.release, "r/1&x");
        assert_eq!(h.profiles, ["default", "big"]);
    }
}
