//! Posting a notice as JSON to a customer's webhook (ureq), signed with
//! HMAC-SHA256 over the body: `X-Subledger-Signature: sha256=<hex>`, the
//! secret from `SUBLEDGER_WEBHOOK_SECRET`. The only module that uses ureq.

use super::smtp::{Accepted, Refused, hex};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// The signature header's value for `body`.
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(body);
    format!("sha256={}", hex(&mac.finalize().into_bytes()))
}

/// POSTs `body` to `url`; `delivery` names the delivery (a header the
/// receiver can deduplicate on).
pub fn post(url: &str, body: &str, delivery: &str, secret: &[u8]) -> Result<Accepted, Refused> {
    let sha256 = hex(&Sha256::digest(body.as_bytes()));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(30)))
        .http_status_as_error(false)
        .build()
        .into();
    let response = agent
        .post(url)
        .header("Content-Type", "application/json")
        .header("X-Subledger-Delivery", delivery)
        .header("X-Subledger-Signature", &signature(secret, body.as_bytes()))
        .send(body);
    match response {
        Ok(r) if r.status().is_success() => Ok(Accepted {
            reply: format!("HTTP {}", r.status()),
            sha256,
        }),
        Ok(r) => Err(Refused {
            reason: format!("HTTP {}", r.status()),
            unreachable: false,
        }),
        Err(e) => Err(Refused {
            reason: format!("the endpoint could not be reached: {e}"),
            unreachable: true,
        }),
    }
}
