//! Printing an HTML document to PDF with headless Chromium, when it is
//! installed: the browser sets the page with its print stylesheet (A4, a
//! running header, no row split across pages), as an auditor's printout
//! would.

use crate::error::{Error, Result};
use std::path::PathBuf;
use std::process::Command;

/// The browsers tried, in order; `SUBLEDGER_CHROMIUM` names another.
const BROWSERS: &[&str] = &["chromium", "chromium-browser", "google-chrome", "chrome"];

fn browser() -> Option<PathBuf> {
    if let Some(named) = std::env::var_os("SUBLEDGER_CHROMIUM").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(named));
    }
    let path = std::env::var_os("PATH")?;
    BROWSERS.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// `html` printed to PDF.
pub fn pdf(html: &str) -> Result<Vec<u8>> {
    let Some(browser) = browser() else {
        return Err(Error::Usage {
            what: "a PDF is printed by headless Chromium, and none is installed".to_owned(),
            hint: Some("install it (Debian and Ubuntu: `apt-get install chromium`; macOS: Google Chrome) or set SUBLEDGER_CHROMIUM to its path; or use --format html and print from a browser".to_owned()),
        });
    };
    let dir = std::env::temp_dir().join(format!("subledger-print-{}", std::process::id()));
    let write_err = |path: &std::path::Path, source| Error::Write {
        path: path.to_owned(),
        source,
    };
    std::fs::create_dir_all(&dir).map_err(|e| write_err(&dir, e))?;
    let (input, output) = (dir.join("report.html"), dir.join("report.pdf"));
    let result = (|| {
        std::fs::write(&input, html).map_err(|e| write_err(&input, e))?;
        let run = Command::new(&browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                "--no-first-run",
                "--disable-extensions",
            ])
            .arg(format!("--user-data-dir={}", dir.join("profile").display()))
            .arg(format!("--print-to-pdf={}", output.display()))
            .arg(format!("file://{}", input.display()))
            .output()
            .map_err(|e| Error::Usage {
                what: format!("cannot run {}: {e}", browser.display()),
                hint: Some("set SUBLEDGER_CHROMIUM to a Chromium or Chrome binary".to_owned()),
            })?;
        match std::fs::read(&output) {
            Ok(bytes) if run.status.success() && bytes.starts_with(b"%PDF") => Ok(bytes),
            _ => Err(Error::Usage {
                what: format!(
                    "{} did not print the PDF ({}): {}",
                    browser.display(),
                    run.status,
                    String::from_utf8_lossy(&run.stderr)
                        .lines()
                        .last()
                        .unwrap_or("no message")
                ),
                hint: Some("use --format html and print it from a browser".to_owned()),
            }),
        }
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
