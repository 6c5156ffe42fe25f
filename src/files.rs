//! Writing files the user keeps: atomically, never replacing one without
//! `force`, never through a link out of the repository.

/// Writes `text` to `path` atomically; refuses to replace a file unless `force`.
pub fn write_new(path: &std::path::Path, text: impl AsRef<[u8]>, force: bool) -> crate::Result<()> {
    use crate::Error;
    use std::path::Path;
    let write_err = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    // Whatever is there: only a regular file is ever replaced, and only
    // with --force.
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if !meta.file_type().is_file() {
            return Err(Error::Refused {
                what: format!(
                    "{} exists and is not a regular file (a directory, a link, a device or a FIFO); nothing was written",
                    path.display()
                ),
                hint: None,
            });
        }
        if !force {
            return Err(Error::Refused {
                what: format!("{} exists", path.display()),
                hint: Some("use --force to replace it".to_owned()),
            });
        }
    }
    // A file where a directory on the way should be: git's "not a
    // directory", said as what it is.
    if let Some(file) = dir
        .ancestors()
        .find(|a| std::fs::metadata(a).is_ok_and(|m| !m.is_dir()))
    {
        return Err(Error::Refused {
            what: format!(
                "{} is a file, not a directory, so {} cannot be written; nothing was written",
                file.display(),
                path.display()
            ),
            hint: None,
        });
    }
    std::fs::create_dir_all(dir).map_err(write_err)?;
    let tmp = dir.join(format!(".notice.{}.tmp", std::process::id()));
    std::fs::write(&tmp, text).map_err(|source| Error::WriteBeside {
        path: path.to_owned(),
        dir: dir.to_owned(),
        source,
    })?;
    let result = if force {
        std::fs::rename(&tmp, path)
    } else {
        // A hard link never replaces an existing file: no race with another writer.
        std::fs::hard_link(&tmp, path).and_then(|()| std::fs::remove_file(&tmp))
    };
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|source| {
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Refused {
                what: format!("{} exists", path.display()),
                hint: Some("use --force to replace it".to_owned()),
            }
        } else {
            write_err(source)
        }
    })
}

/// Saves a report at `path` (see [`write_new`]) and returns where, relative
/// to `root`; a notice of release `owner` never replaces another release's.
/// Nothing is written through a link out of the repository.
pub fn save_report(
    root: &std::path::Path,
    path: &std::path::Path,
    text: impl AsRef<[u8]>,
    force: bool,
    owner: Option<&str>,
) -> crate::Result<String> {
    if let Some(why) = crate::reports::refuse_target(root, path, owner) {
        return Err(crate::Error::Refused {
            what: why,
            hint: None,
        });
    }
    write_new(path, text, force)?;
    let shown = path
        .strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string();
    Ok(shown)
}
