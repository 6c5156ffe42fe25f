//! Sending e-mail over SMTP with lettre: the only module that uses it.
//! `smtp://host:port` upgrades with STARTTLS when the server offers it (and
//! requires it when there are credentials), `smtps://host:port` speaks TLS
//! from the start; credentials come from `SUBLEDGER_SMTP_USER` and
//! `SUBLEDGER_SMTP_PASSWORD`. The server's certificate is checked against
//! the system's authorities, or those in the PEM file `SSL_CERT_FILE` names.

use crate::error::{Error, Result};
use crate::register::config::DeliveryConfig;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// A connection's settings, ready to send.
pub struct Mailer {
    transport: SmtpTransport,
    /// The server's addresses, to find lettre's connection to it.
    server: Vec<std::net::SocketAddr>,
    from: Mailbox,
    reply_to: Option<Mailbox>,
    /// The sender's domain, for Message-IDs.
    pub domain: String,
}

/// What to send to one address.
pub struct Mail<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    pub message_id: &'a str,
}

/// The server's acceptance.
pub struct Accepted {
    /// Reply code and text ("250 2.0.0 Ok: queued as 4F2…").
    pub reply: String,
    /// SHA-256 of the bytes handed to the server.
    pub sha256: String,
}

/// Why one message was not accepted.
pub struct Refused {
    pub reason: String,
    /// The server could not be reached at all (nothing else will be either).
    pub unreachable: bool,
}

fn usage(what: String, hint: &str) -> Error {
    Error::Usage {
        what,
        hint: Some(hint.to_owned()),
    }
}

impl Mailer {
    /// The mailer `[delivery]` describes.
    pub fn new(config: &DeliveryConfig) -> Result<Mailer> {
        let hint = "set [delivery] smtp = \"smtp://host:587\" and from = \"Privacy <privacy@example.com>\" in subledger.toml";
        let url = config
            .smtp
            .as_deref()
            .ok_or_else(|| usage("[delivery] smtp is not set".to_owned(), hint))?;
        let (tls_from_start, rest) = match url.split_once("://") {
            Some(("smtp", rest)) => (false, rest),
            Some(("smtps", rest)) => (true, rest),
            _ => {
                return Err(usage(
                    format!(
                        "[delivery] smtp = \"{url}\": not smtp://host:port or smtps://host:port"
                    ),
                    hint,
                ));
            }
        };
        // Credentials never live in the repository, so not in the URL.
        if rest.contains('@') {
            return Err(usage(
                format!("[delivery] smtp = \"{url}\": user and password do not go in the URL"),
                "set SUBLEDGER_SMTP_USER and SUBLEDGER_SMTP_PASSWORD in the environment, and smtp = \"smtp://host:port\"",
            ));
        }
        let (host, port) = match rest.trim_end_matches('/').rsplit_once(':') {
            Some((host, port)) => (
                host,
                port.parse::<u16>().map_err(|_| {
                    usage(
                        format!("[delivery] smtp = \"{url}\": the port is not a number"),
                        hint,
                    )
                })?,
            ),
            None => (
                rest.trim_end_matches('/'),
                if tls_from_start { 465 } else { 587 },
            ),
        };
        let from_text = config
            .from
            .as_deref()
            .ok_or_else(|| usage("[delivery] from is not set".to_owned(), hint))?;
        let from: Mailbox = from_text
            .parse()
            .map_err(|e| usage(format!("[delivery] from = \"{from_text}\": {e}"), hint))?;
        let reply_to = match &config.reply_to {
            Some(r) => Some(
                r.parse()
                    .map_err(|e| usage(format!("[delivery] reply_to = \"{r}\": {e}"), hint))?,
            ),
            None => None,
        };
        let tls = TlsParameters::new(host.to_owned())
            .map_err(|e| usage(format!("TLS for {host}: {e}"), hint))?;
        let credentials = match (
            std::env::var("SUBLEDGER_SMTP_USER"),
            std::env::var("SUBLEDGER_SMTP_PASSWORD"),
        ) {
            (Ok(user), Ok(password)) => Some(Credentials::new(user, password)),
            _ => None,
        };
        // Credentials never go in the clear: with them, a server that
        // offers no STARTTLS (or has it stripped on the way) is refused.
        let tls = match (tls_from_start, &credentials) {
            (true, _) => Tls::Wrapper(tls),
            (false, Some(_)) => Tls::Required(tls),
            (false, None) => Tls::Opportunistic(tls),
        };
        let mut builder = SmtpTransport::builder_dangerous(host)
            .port(port)
            .timeout(Some(Duration::from_secs(30)))
            .tls(tls);
        if let Some(credentials) = credentials {
            builder = builder.credentials(credentials);
        }
        let server = std::net::ToSocketAddrs::to_socket_addrs(&(host, port))
            .map(Iterator::collect)
            .unwrap_or_default();
        Ok(Mailer {
            transport: builder.build(),
            server,
            domain: from.email.domain().to_owned(),
            from,
            reply_to,
        })
    }

    /// The message for `mail`, dated `date` (seconds): text and HTML as one
    /// multipart/alternative e-mail whose boundary comes from its
    /// Message-ID, so the same letter and date always give the same bytes.
    fn message(&self, mail: &Mail<'_>, date: i64) -> std::result::Result<Message, String> {
        let to: Mailbox = mail.to.parse().map_err(|e| format!("{}: {e}", mail.to))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject)
            .message_id(Some(mail.message_id.to_owned()))
            .date(std::time::UNIX_EPOCH + Duration::from_secs(u64::try_from(date).unwrap_or(0)));
        if let Some(reply_to) = &self.reply_to {
            builder = builder.reply_to(reply_to.clone());
        }
        let boundary = format!(
            "subledger-{}",
            hex(&Sha256::digest(mail.message_id))[..32].to_owned()
        );
        builder
            .multipart(
                MultiPart::alternative()
                    .boundary(boundary)
                    .singlepart(SinglePart::plain(mail.text.to_owned()))
                    .singlepart(SinglePart::html(mail.html.to_owned())),
            )
            .map_err(|e| format!("the message could not be built: {e}"))
    }

    /// The SHA-256 of the bytes `mail` dated `date` is sent as.
    pub fn digest(&self, mail: &Mail<'_>, date: i64) -> std::result::Result<String, String> {
        Ok(hex(&Sha256::digest(self.message(mail, date)?.formatted())))
    }

    /// Sends one message dated `date` (seconds).
    pub fn send(&self, mail: &Mail<'_>, date: i64) -> std::result::Result<Accepted, Refused> {
        let message = self.message(mail, date).map_err(|reason| Refused {
            reason,
            unreachable: false,
        })?;
        let sha256 = hex(&Sha256::digest(message.formatted()));
        let sent = self.transport.send(&message);
        // The pooled connection now exists (or was opened again): the next
        // message goes without Nagle's wait.
        no_delay(&self.server);
        match sent {
            Ok(response) => Ok(Accepted {
                reply: format!(
                    "{} {}",
                    response.code(),
                    response.message().collect::<Vec<_>>().join(" ")
                ),
                sha256,
            }),
            Err(e) => {
                let text = e.to_string();
                // Reached, then lost mid-conversation (the server dropped
                // the connection or sent half an answer): this message was
                // not accepted, the next may be, on a new connection.
                let lost = e.is_response() || connection_lost(&e);
                let unreachable = !e.is_permanent() && !e.is_transient() && !lost;
                let reason = if lost {
                    format!(
                        "the connection to the server was lost before it accepted the message ({text})"
                    )
                } else if !unreachable {
                    text
                } else if text.contains("STARTTLS is not supported") {
                    format!(
                        "the server offers no STARTTLS, and the credentials are never sent in the clear ({text})"
                    )
                } else if text.contains("certificate") {
                    format!("the server's TLS certificate is not trusted ({text})")
                } else {
                    format!("the server could not be reached: {text}")
                };
                Err(Refused {
                    unreachable,
                    reason,
                })
            }
        }
    }
}

/// Whether `e` is the connection closing under the conversation (reset,
/// broken pipe, end of stream), not a failure to connect or a TLS refusal.
fn connection_lost(e: &lettre::transport::smtp::Error) -> bool {
    use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset, UnexpectedEof};
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        if let Some(io) = inner.downcast_ref::<std::io::Error>()
            && matches!(
                io.kind(),
                BrokenPipe | ConnectionAborted | ConnectionReset | UnexpectedEof
            )
        {
            // rustls reports a refused certificate as an io::Error too,
            // of another kind: those are not losses.
            return true;
        }
        source = inner.source();
    }
    false
}

/// Turns Nagle's algorithm off on this process's TCP connections to
/// `server` (the pooled SMTP connection lettre opened). lettre 0.11.23 leaves
/// it on and writes a message's final `.` line as a write of its own, which
/// then waits for the server's delayed acknowledgement of the body: 40 ms
/// a message on Linux (lettre pull request 1159 sets TCP_NODELAY; no
/// release has it yet). lettre hands out no socket, so its descriptor is
/// found among the process's own. Best effort: where that is not possible
/// the messages still go, only slower.
#[cfg(unix)]
#[allow(unsafe_code)]
fn no_delay(server: &[std::net::SocketAddr]) {
    use std::os::fd::{BorrowedFd, RawFd};
    let dir = if cfg!(target_os = "linux") {
        "/proc/self/fd"
    } else {
        "/dev/fd"
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let fds: Vec<RawFd> = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    for fd in fds {
        // SAFETY: the descriptor was open when listed and is only borrowed
        // for the calls below; sending is single-threaded, so nothing closes
        // it meanwhile. On one that is no socket the calls fail, harmlessly.
        let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
        let socket = socket2::SockRef::from(&borrowed);
        let to_server = socket
            .peer_addr()
            .ok()
            .and_then(|a| a.as_socket())
            .is_some_and(|a| server.contains(&a));
        if to_server && socket.tcp_nodelay().is_ok_and(|on| !on) {
            let _ = socket.set_tcp_nodelay(true);
        }
    }
}

#[cfg(not(unix))]
fn no_delay(_server: &[std::net::SocketAddr]) {}

/// Bytes as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
