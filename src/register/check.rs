//! Loading a snapshot of the register and checking it: every rule, every
//! file, all findings at once.

use super::config::Config;
use super::entry::{Classified, Entry, classify};
use super::finding::{Finding, Severity};
use super::vendor::{MAX_FILE_SIZE, Register};
use super::{parse, validate};
use crate::commit::Revision;

/// A register read from one place, with everything needed to report on it.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub config: Config,
    pub config_text: String,
    /// How findings name the config file (`subledger.toml`, `main:subledger.toml`).
    pub config_file: String,
    /// How findings name the register dir (`register`, `main:register`).
    pub dir_display: String,
    pub entries: Vec<Entry>,
    /// The customers dir's entries (empty when it does not exist), and how
    /// findings name it.
    pub customers: Vec<Entry>,
    pub customers_display: String,
    /// The objections dir's entries, and how findings name it.
    pub objections: Vec<Entry>,
    pub objections_display: String,
    /// The commit read from, or `None` for the work tree.
    pub revision: Option<Revision>,
    /// The date dates in the files are checked against ("more than ten
    /// years ahead"): the committer date of that commit, or of HEAD for a
    /// work tree; `None` outside git. Never the clock.
    pub reference: Option<time::Date>,
}

/// The outcome of loading a snapshot.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub register: Register,
    /// Every finding, sorted.
    pub findings: Vec<Finding>,
    /// How many vendor files were looked at.
    pub files: usize,
    /// Vendor files that could not be loaded at all (syntax or schema errors), by path.
    pub unloaded: Vec<String>,
    /// The customers whose files load and hold every rule.
    pub customers: Vec<super::customer::Customer>,
    /// How many customer files were looked at.
    pub customer_files: usize,
    /// The objections whose files hold every rule.
    pub objections: Vec<super::objection::Objection>,
}

impl Loaded {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Loads and fully validates a snapshot: every rule, every file.
pub fn check(snapshot: &Snapshot) -> Loaded {
    let mut findings = snapshot
        .config
        .findings(&snapshot.config_text, &snapshot.config_file);
    let mut register = Register::default();
    let mut parsed_files = Vec::new();
    let mut files = 0;
    let mut unloaded = Vec::new();
    for entry in &snapshot.entries {
        let path = format!("{}/{}", snapshot.dir_display, entry.name);
        let Some(id) = vendor_file_id(entry, &path, &mut findings, &mut unloaded) else {
            continue;
        };
        files += 1;
        let Some(bytes) = entry
            .content
            .as_ref()
            .filter(|b| b.len() as u64 <= MAX_FILE_SIZE)
        else {
            unloaded.push(path.clone());
            findings.push(
                Finding::error(
                    &path,
                    None,
                    "file-too-large",
                    format!(
                        "file is {} bytes; vendor files are limited to {MAX_FILE_SIZE} bytes (1 MiB)",
                        entry.size
                    ),
                )
                .with_help("a vendor file is a few hundred bytes; is this the right file?".to_owned()),
            );
            continue;
        };
        let parsed = parse::parse_vendor(&path, id, bytes);
        findings.extend(parsed.findings);
        if let (Some(vendor), Some(map)) = (&parsed.vendor, &parsed.map) {
            let content = validate::vendor(vendor, map, &snapshot.config, snapshot.reference);
            if parsed.loadable {
                findings.extend(content);
            } else {
                // The file cannot be loaded; still report what is wrong with
                // the values it does have, but not gaps its errors explain.
                findings.extend(
                    content
                        .into_iter()
                        .filter(|f| f.severity == Severity::Error),
                );
            }
        }
        match (parsed.loadable, parsed.vendor, parsed.map) {
            (true, Some(vendor), Some(map)) => {
                parsed_files.push((vendor.id.clone(), map));
                register.vendors.insert(vendor.id.clone(), vendor);
            }
            _ => unloaded.push(path),
        }
    }
    if files == 0 {
        findings.push(
            Finding::error(
                &format!("{}/", snapshot.dir_display),
                None,
                "empty-register",
                "the register holds no vendor files".to_owned(),
            )
            .with_help("add one TOML file per vendor; see register/README.md".to_owned()),
        );
    }
    findings.extend(validate::across(
        &register,
        &parsed_files,
        &snapshot.dir_display,
    ));
    let (customers, customer_findings) = super::customer::load(
        &snapshot.customers,
        &snapshot.customers_display,
        &snapshot.config,
    );
    findings.extend(customer_findings);
    let ids: Vec<String> = customers.iter().map(|c| c.id.clone()).collect();
    let (objections, objection_findings) =
        super::objection::load(&snapshot.objections, &snapshot.objections_display, &ids);
    findings.extend(objection_findings);
    for o in &objections {
        if !register.vendors.contains_key(&o.vendor) {
            findings.push(Finding::warning(
                &format!("{}/{}.toml", snapshot.objections_display, o.id),
                None,
                "objection-vendor",
                format!(
                    "vendor `{}` is not in the register (removed, or misspelt?)",
                    o.vendor
                ),
            ));
        }
    }
    let customer_files = snapshot
        .customers
        .iter()
        .filter(|e| e.name.ends_with(".toml"))
        .count();
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Loaded {
        customers,
        customer_files,
        objections,
        register,
        findings,
        files,
        unloaded,
    }
}

/// The vendor id of a directory entry, or `None` (with a finding where the
/// entry does not belong, and the path in `unloaded` when the ledger cannot
/// take it) when it is not a vendor file.
fn vendor_file_id<'e>(
    entry: &'e Entry,
    path: &str,
    findings: &mut Vec<Finding>,
    unloaded: &mut Vec<String>,
) -> Option<&'e str> {
    match classify(&entry.name, entry.kind) {
        Classified::Vendor(id) => Some(id),
        Classified::Ignored => {
            if entry.name != "README.md" && entry.name != ".gitkeep" {
                findings.push(
                    Finding::warning(
                        path,
                        None,
                        "stray-file",
                        "not a vendor file: the register dir holds only *.toml vendor files and README.md"
                            .to_owned(),
                    )
                    .with_help("move it out of the register dir".to_owned()),
                );
            }
            None
        }
        Classified::Unloadable(why) => {
            findings.push(Finding::error(path, None, why.rule, why.message).with_help(why.help));
            unloaded.push(path.to_owned());
            None
        }
    }
}
