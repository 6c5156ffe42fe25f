//! What a page says about itself, beside its vendors: the company's name,
//! the introduction, the notice term, where objections go, how to
//! subscribe, and when it was last updated. Each is carried into
//! subledger.toml; a line none of this and no table took is reported.

pub use super::page::About;
use crate::register::location;

/// A date as pages write it: `2026-05-21`, `May 21, 2026`, `21 May 2026`,
/// `21.05.2026`.
pub fn date(text: &str) -> Option<time::Date> {
    let t = text.trim().trim_end_matches('.');
    if let Some(d) = crate::dates::parse_iso_date(t.get(..10).unwrap_or(t)) {
        return Some(d);
    }
    let words: Vec<String> = t
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .collect();
    let month = |w: &str| {
        // The month names dates in words use, in English, German, French.
        use crate::render::lang::{DE, EN, FR};
        [&EN, &DE, &FR]
            .iter()
            .find_map(|names| {
                names
                    .iter()
                    .position(|m| w.len() >= 3 && m.to_lowercase().starts_with(w))
            })
            .and_then(|i| time::Month::try_from(i as u8 + 1).ok())
    };
    let num = |w: &str| w.parse::<u32>().ok();
    let make = |y: u32, m: time::Month, d: u32| {
        time::Date::from_calendar_date(i32::try_from(y).ok()?, m, u8::try_from(d).ok()?).ok()
    };
    match words.as_slice() {
        [m, d, y] if month(m).is_some() => make(num(y)?, month(m)?, num(d)?),
        [d, m, y] if month(m).is_some() => make(num(y)?, month(m)?, num(d)?),
        [one] => {
            let parts: Vec<&str> = one.split('.').collect();
            match parts.as_slice() {
                [d, m, y] if y.len() == 4 => {
                    let m = time::Month::try_from(u8::try_from(num(m)?).ok()?).ok()?;
                    make(num(y)?, m, num(d)?)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// "Last updated: May 21, 2026" (or "Stand:", "Updated", "Effective date"),
/// with the date on this line or the next.
fn updated(line: &str, next: Option<&str>) -> Option<time::Date> {
    let lower = line.trim().to_lowercase();
    let rest = [
        "last updated",
        "updated",
        "stand",
        "effective date",
        "effective",
        "last modified",
        "gültig ab",
    ]
    .iter()
    .find_map(|label| lower.strip_prefix(label))?;
    let rest = rest.trim_start_matches([':', ' ', '-']).trim();
    if rest.is_empty() {
        return next.and_then(date);
    }
    date(&line.trim()[line.trim().len() - rest.len()..])
}

/// Words that begin a list's title or a sentence but name no company: "Our
/// sub-processors", "Current subprocessors", "EU sub-processors".
const NOT_A_NAME: &[&str] = &[
    "our",
    "the",
    "current",
    "approved",
    "authorised",
    "authorized",
    "list",
    "data",
    "third-party",
    "third",
    "party",
    "all",
    "other",
    "additional",
    "your",
    "my",
    "core",
    "optional",
    "infrastructure",
    "new",
    "eu",
    "us",
    "uk",
    "global",
    "affiliated",
    "group",
    "service",
    "product",
    "annex",
    "appendix",
    "schedule",
    "exhibit",
    "we",
    "this",
    "a",
    "sub-processors",
    "subprocessors",
];

/// Whether a word can be part of a company's name: capitalised, and not
/// one of the words above.
fn name_word(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
        && !NOT_A_NAME.contains(&w.to_lowercase().as_str())
}

/// The company's name from a sentence that names it: "To deliver the
/// PracticPro services", "on SmartPRO's behalf", "Acme uses the
/// following", "Sub-processors of Acme", "Acme sub-processors".
fn company(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    // "Brightfold uses the following sub-processors", "Quokka Notes shares
    // data with these providers", "Die Wolkenbau GmbH setzt … ein".
    let lower = line.to_lowercase();
    if [
        "processor",
        "provider",
        "vendor",
        "third part",
        "unterauftrag",
        "dienstleister",
    ]
    .iter()
    .any(|w| lower.contains(w))
        && let Some(verb) = words.iter().position(|w| {
            matches!(
                *w,
                "uses" | "engages" | "works" | "shares" | "relies" | "employs" | "setzt" | "nutzt"
            )
        })
    {
        let start = usize::from(matches!(words.first(), Some(&("Die" | "Der" | "Das"))));
        let name = &words[start.min(verb)..verb];
        if (1..=4).contains(&name.len()) && name.iter().all(|w| name_word(w)) {
            return Some(name.join(" "));
        }
    }
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_matches(|c: char| c == '"' || c == ',' || c == '(' || c == ')');
        let next = words
            .get(i + 1)
            .map(|n| n.trim_end_matches(['.', ',', ';', ':']).to_lowercase());
        let before = i.checked_sub(1).map(|b| words[b].to_lowercase());
        if let Some(owner) = w.strip_suffix("'s").or_else(|| w.strip_suffix("’s"))
            && name_word(owner)
            && next.as_deref() == Some("behalf")
        {
            return Some(owner.to_owned());
        }
        if name_word(w)
            && before.as_deref() == Some("the")
            && matches!(
                next.as_deref(),
                Some("services" | "service" | "platform" | "app")
            )
        {
            return Some(w.to_owned());
        }
    }
    None
}

/// The company's name from the page's title: "Acme sub-processors".
fn company_title(line: &str) -> Option<String> {
    // "Liste der Unterauftragsverarbeiter der Musterfirma GmbH".
    let line = ["liste der ", "list of ", "the list of ", "current list of "]
        .iter()
        .find_map(|p| {
            let at = p.len();
            (line.len() > at && line.is_char_boundary(at) && line[..at].eq_ignore_ascii_case(p))
                .then(|| &line[at..])
        })
        .unwrap_or(line);
    // "Third parties – Quokka Notes", "Subprocessors | Acme": a site's
    // title, the list on one side and the company on the other.
    for sep in [" – ", " — ", " | ", " - ", " · "] {
        if let Some((a, b)) = line.split_once(sep) {
            let list = |t: &str| {
                let t = t.trim().to_lowercase();
                [
                    "sub-processors",
                    "subprocessors",
                    "third parties",
                    "third-party processors",
                    "unterauftragsverarbeiter",
                    "sous-traitants",
                    "vendors",
                ]
                .iter()
                .any(|w| t == *w || t.ends_with(&format!(" {w}")))
            };
            let name = |t: &str| {
                let t = t.trim();
                (!t.is_empty()
                    && t.split_whitespace().count() <= 4
                    && t.split_whitespace().all(name_word))
                .then(|| t.to_owned())
            };
            if list(a) && !list(b) {
                return name(b);
            }
            if list(b) && !list(a) {
                return name(a);
            }
        }
    }
    let lower = line.to_lowercase();
    for prefix in [
        "sub-processors at ",
        "subprocessors at ",
        "sub-processors of ",
        "subprocessors of ",
        "sub-processors used by ",
        "unterauftragsverarbeiter der ",
        "unterauftragsverarbeiter von ",
        "sous-traitants de ",
    ] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            let name = line[line.len() - rest.len()..].trim();
            if !name.is_empty()
                && name.split_whitespace().count() <= 4
                && name.split_whitespace().all(name_word)
            {
                return Some(name.to_owned());
            }
        }
    }
    for suffix in [
        " sub-processors",
        " subprocessors",
        " sub-processor list",
        " subprocessor list",
    ] {
        if let Some(name) = lower.strip_suffix(suffix) {
            let name = line[..name.len()].trim();
            if !name.is_empty()
                && crate::register::placeholder::placeholder(name).is_none()
                && name.split_whitespace().count() <= 3
                && name.split_whitespace().all(name_word)
            {
                return Some(name.to_owned());
            }
        }
    }
    None
}

/// The first e-mail address in `text`.
fn email(text: &str) -> Option<String> {
    text.split(|c: char| {
        c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | '[' | ']' | ',' | ';')
    })
    .map(|w| w.trim_end_matches('.').trim_start_matches("mailto:"))
    .find(|w| {
        w.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.starts_with('.')
        })
    })
    .map(str::to_owned)
}

/// "at least 30 days", "30 business days' notice", "mindestens 30 Tage".
fn notice_days(text: &str) -> Option<(u32, bool)> {
    let lower = text.to_lowercase();
    if !(lower.contains("notice") || lower.contains("notify") || lower.contains("inform")) {
        return None;
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        let Ok(n) = w.trim_matches(|c: char| !c.is_ascii_digit()).parse::<u32>() else {
            continue;
        };
        let unit = words.get(i + 1).copied().unwrap_or_default();
        let after = words.get(i + 2).copied().unwrap_or_default();
        let business = unit.starts_with("business") || unit.starts_with("working");
        let calendar = unit.starts_with("calendar");
        let day = |w: &str| w.starts_with("day") || w.starts_with("tage");
        if (1..=crate::register::config::MAX_DAYS).contains(&n)
            && (day(unit) || ((business || calendar) && day(after)))
        {
            return Some((n, business));
        }
    }
    None
}

/// Whether a line speaks of objections (English, German, French).
fn about_objecting(lower: &str) -> bool {
    [
        "object",
        "widerspruch",
        "widersprechen",
        "einspruch",
        "opposition",
        "opposer",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Whether a line states something about the whole page (the notice term,
/// where objections go), which no section's intro takes.
pub fn page_fact(text: &str) -> bool {
    notice_days(text).is_some() || (about_objecting(&text.to_lowercase()) && email(text).is_some())
}

/// "except in cases of urgent operational need" → "in cases of urgent
/// operational need".
fn except(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let at = lower.find("except ")?;
    let rest = &text[at + "except ".len()..];
    let end = rest.find(['.', ';']).unwrap_or(rest.len());
    let rest = rest[..end].trim();
    (!rest.is_empty()).then(|| rest.to_owned())
}

/// Reads what the page says about itself from its lines; `taken` marks the
/// lines its tables and sections took, and the lines used here are marked
/// too. `first_section` is the line where the first section starts.
pub fn read(lines: &[String], taken: &mut [bool], first_section: usize) -> About {
    let mut about = About::default();
    let first_line = lines.iter().position(|l| !l.trim().is_empty());
    for (i, line) in lines.iter().enumerate() {
        let unescaped = super::cells::unescape(line.trim().trim_start_matches('#').trim());
        let text = unescaped.as_str();
        if text.is_empty() {
            continue;
        }
        let next = lines.get(i + 1).map(String::as_str);
        if about.updated.is_none()
            && let Some(d) = updated(text, next)
        {
            about.updated = Some(d);
            taken[i] = true;
            if !text.chars().any(|c| c.is_ascii_digit()) && i + 1 < taken.len() {
                taken[i + 1] = true;
            }
            continue;
        }
        // The page's title may also head its first table.
        if about.name.is_none() {
            let title = i <= first_section
                && (!taken[i] || line.trim_start().starts_with("# ") || Some(i) == first_line);
            about.name = company(text).or_else(|| title.then(|| company_title(text)).flatten());
        }
        if taken[i] {
            continue;
        }
        let lower = text.to_lowercase();
        // Our own page's pointer to its notices: derived, not carried.
        if lower.starts_with("each change is announced in a [change notice]")
            || lower.starts_with("draft: not yet released")
            || lower.starts_with("feed readers can follow [the feed of changes]")
        {
            taken[i] = true;
            continue;
        }
        let mut used = false;
        if let Some(days) = notice_days(text) {
            about.days.get_or_insert(days);
            used = true;
        }
        if let Some(e) = except(text) {
            about.except.get_or_insert(e);
            used = true;
        }
        if about_objecting(&lower) {
            match email(text) {
                Some(address) => {
                    about.contact.get_or_insert(address);
                    used = true;
                }
                None if lower.contains("[email protected]")
                    || lower.contains("[email\u{a0}protected]") =>
                {
                    about.contact_hidden = true;
                }
                None => {}
            }
        }
        if (lower.contains("subscribe") || lower.contains("to receive notifications"))
            && about.subscribe.is_none()
        {
            about.subscribe = Some(subscribe_sentence(text));
            used = true;
        }
        if used {
            taken[i] = true;
            // The paragraph's other sentences ("Marlowe engages the
            // following sub-processors.") are the overview's.
            {
                let rest: Vec<&str> = sentences(text)
                    .into_iter()
                    .filter(|s| {
                        let l = s.to_lowercase();
                        notice_days(s).is_none()
                            && except(s).is_none()
                            && !(about_objecting(&l) && email(s).is_some())
                            && !l.contains("subscribe")
                    })
                    .collect();
                if !rest.is_empty() {
                    about.intro.push(rest.join(" "));
                }
            }
            continue;
        }
        // The overview: sentences before the first section.
        if i < first_section
            && text.ends_with(['.', '!', ')', '"'])
            && text.split_whitespace().count() >= 6
        {
            about.intro.push(text.to_owned());
            taken[i] = true;
        }
    }
    // A heading whose paragraph was carried is carried with it.
    for i in 0..lines.len() {
        let text = lines[i].trim();
        if taken[i] || text.is_empty() || text.ends_with('.') || text.split_whitespace().count() > 6
        {
            continue;
        }
        let next = (i + 1..lines.len()).find(|&j| !lines[j].trim().is_empty());
        if next.is_some_and(|j| taken[j]) {
            taken[i] = true;
        }
    }
    about
}

/// The sentences of a paragraph: each ends at ". ", "! " or "? " before
/// a capital letter.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?')
            && bytes.get(i + 1) == Some(&b' ')
            && text[i + 2..].starts_with(|c: char| c.is_uppercase())
        {
            out.push(text[start..=i].trim());
            start = i + 2;
        }
    }
    if start < text.len() {
        out.push(text[start..].trim());
    }
    out
}

/// The sentences of `text` from the one that says how to subscribe.
fn subscribe_sentence(text: &str) -> String {
    let lower = text.to_lowercase();
    let at = lower
        .find("to subscribe")
        .or_else(|| lower.find("to receive notifications"))
        .or_else(|| lower.find("subscribe"))
        .unwrap_or(0);
    let start = text[..at].rfind(". ").map_or(0, |p| p + 2);
    let text = &text[start..];
    // Our own page's pointer to its feed is derived, not the company's words.
    let text = text
        .find(" Feed readers can follow")
        .map_or(text, |end| &text[..end]);
    text.trim().to_owned()
}

/// A location in a vendor's name: "Thawani (Oman)" → OM.
pub fn location_in_name(name: &str) -> Option<String> {
    let open = name.rfind('(')?;
    let inner = name[open + 1..].trim_end_matches(')').trim();
    location::code_of_name(inner).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_pages_write_them() {
        let d = |y, m, day| {
            time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), day).ok()
        };
        assert_eq!(date("May 21, 2026"), d(2026, 5, 21));
        assert_eq!(date("21 May 2026"), d(2026, 5, 21));
        assert_eq!(date("2026-02-02"), d(2026, 2, 2));
        assert_eq!(date("02.02.2026"), d(2026, 2, 2));
        assert_eq!(date("February 2, 2026"), d(2026, 2, 2));
        assert_eq!(date("soon"), None);
        assert_eq!(updated("Last updated: May 21, 2026", None), d(2026, 5, 21));
        assert_eq!(
            updated("Last updated:", Some("February 2, 2026")),
            d(2026, 2, 2)
        );
        assert_eq!(updated("Stand: 07.04.2026", None), d(2026, 4, 7));
    }

    #[test]
    fn the_company_named_in_a_sentence() {
        assert_eq!(
            company("To deliver the PracticPro services, we engage carefully selected providers")
                .as_deref(),
            Some("PracticPro")
        );
        assert_eq!(
            company("A \"subprocessor\" is a third party that may process your data on SmartPRO's behalf.").as_deref(),
            Some("SmartPRO")
        );
        assert_eq!(
            company_title("Acme sub-processors").as_deref(),
            Some("Acme")
        );
        assert_eq!(company_title("How we evaluate Sub-processors"), None);
        assert_eq!(company_title("Sub-processors"), None);
        assert_eq!(company("We give at least 30 days advance notice"), None);
    }

    #[test]
    fn notice_terms_and_contacts() {
        assert_eq!(
            notice_days(
                "We give at least 30 days advance notice before adding a new Sub-processor"
            ),
            Some((30, false))
        );
        assert_eq!(
            notice_days("We notify you 10 business days before"),
            Some((10, true))
        );
        assert_eq!(
            notice_days("at least 30 calendar days notice"),
            Some((30, false))
        );
        assert_eq!(notice_days("Founded 2019, 30 days"), None);
        assert_eq!(
            except("at least 30 days advance notice, except in cases of urgent operational need. To receive").as_deref(),
            Some("in cases of urgent operational need")
        );
        assert_eq!(
            email("contact us at privacy@acme.example.").as_deref(),
            Some("privacy@acme.example")
        );
        assert_eq!(email("contact us at [email protected]."), None);
        assert_eq!(location_in_name("Thawani (Oman)").as_deref(), Some("OM"));
    }
}
