//! The bundled example register (PracticPro, from seed 000), compiled into
//! the binary so `subledger demo` works from any directory.

pub mod demo;

/// `subledger.toml`.
pub const CONFIG: &str = include_str!("../../subledger.toml");

/// `register/README.md`.
pub const REGISTER_README: &str = include_str!("../../register/README.md");

/// Every vendor file: (file name, content).
pub const VENDORS: &[(&str, &str)] = &[
    (
        "anthropic.toml",
        include_str!("../../register/anthropic.toml"),
    ),
    (
        "cloudflare.toml",
        include_str!("../../register/cloudflare.toml"),
    ),
    (
        "digitalocean.toml",
        include_str!("../../register/digitalocean.toml"),
    ),
    (
        "google-analytics.toml",
        include_str!("../../register/google-analytics.toml"),
    ),
    (
        "google-workspace.toml",
        include_str!("../../register/google-workspace.toml"),
    ),
    ("google.toml", include_str!("../../register/google.toml")),
    ("hotjar.toml", include_str!("../../register/hotjar.toml")),
    ("intuit.toml", include_str!("../../register/intuit.toml")),
    ("mcp.toml", include_str!("../../register/mcp.toml")),
    ("meta.toml", include_str!("../../register/meta.toml")),
    ("openai.toml", include_str!("../../register/openai.toml")),
    (
        "outbound-webhooks.toml",
        include_str!("../../register/outbound-webhooks.toml"),
    ),
    (
        "rest-api-oauth.toml",
        include_str!("../../register/rest-api-oauth.toml"),
    ),
    ("stripe.toml", include_str!("../../register/stripe.toml")),
    ("telnyx.toml", include_str!("../../register/telnyx.toml")),
    ("twilio.toml", include_str!("../../register/twilio.toml")),
];

/// The content of one bundled vendor file.
pub fn vendor(name: &str) -> &'static str {
    VENDORS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_file_of_the_example_register_is_bundled() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("register");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let bundled: Vec<&str> = super::VENDORS.iter().map(|(n, _)| *n).collect();
        assert_eq!(on_disk, bundled);
    }
}
