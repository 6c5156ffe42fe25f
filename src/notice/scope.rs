//! A notice as one customer receives it: only the changes in the sections
//! it uses (its `sections`; every section when it names none).

use super::model::Notice;

/// `notice` with only what concerns `sections` (`None`: everything).
pub fn within(notice: &Notice, sections: Option<&[String]>) -> Notice {
    let Some(sections) = sections else {
        return notice.clone();
    };
    let mut scoped = notice.clone();
    let keep = |id: &str| sections.iter().any(|s| s == id);
    scoped.needs_notice.retain(|i| keep(&i.section_id));
    scoped
        .informational
        .retain(|i| i.section_id.as_deref().is_none_or(keep));
    if let Some(listed) = &mut scoped.baseline {
        listed.retain(|l| keep(&l.section_id));
    }
    scoped
}
