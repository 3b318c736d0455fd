//! What changed across the org: `changes.html`, and the same as an Atom 1.0 feed,
//! `changes.xml`, when the site knows its own address (`[site] url`) (SPEC 7.8).

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::escape_html as escape;
use super::views::{Link, SiteData, doc_href};
use crate::history::{Changes, FileCommit};
use crate::model::Org;

/// One change on the page: the commit's change to a file, and the page that shows it.
#[derive(Serialize)]
pub struct ChangeRow<'a> {
    #[serde(flatten)]
    change: &'a FileCommit,
    page: Option<Link>,
}

#[derive(Serialize)]
pub struct ChangesView<'a> {
    changes: Vec<ChangeRow<'a>>,
    /// Whether `changes.xml` is written beside the page.
    feed: bool,
}

pub fn changes<'a>(data: &SiteData, changes: &'a Changes) -> ChangesView<'a> {
    let pages = Pages::index(data);
    ChangesView {
        changes: changes
            .latest
            .iter()
            .map(|change| ChangeRow {
                change,
                page: pages.page(&change.path),
            })
            .collect(),
        feed: data.org.settings.url.is_some(),
    }
}

/// The page of each file the site shows, by the file's path in the org.
struct Pages {
    by_path: HashMap<String, Link>,
}

impl Pages {
    fn index(data: &SiteData) -> Pages {
        let org: &Org = data.org;
        let path = |file| data.sources.get(file).path.clone();
        let mut by_path = HashMap::new();
        for team in org.teams.values() {
            by_path.insert(path(team.file), data.team(team.id.as_str()));
        }
        for persona in org.personas.values() {
            by_path.insert(path(persona.file), data.persona(&persona.id));
        }
        for agreement in org.agreements.values() {
            by_path.insert(path(agreement.file), data.agreement(&agreement.id));
        }
        for kpi in org.kpis.values() {
            by_path.insert(path(kpi.file), data.kpi(&kpi.id));
            by_path.insert(format!("actuals/{}.csv", kpi.id), data.kpi(&kpi.id));
        }
        for meeting in org.meetings.values() {
            by_path.insert(path(meeting.file), data.meeting(&meeting.id));
        }
        for doc in &org.docs {
            by_path.insert(
                path(doc.file),
                Link {
                    href: doc_href(&doc.path),
                    text: doc.title.clone(),
                },
            );
        }
        Pages { by_path }
    }

    fn page(&self, path: &str) -> Option<Link> {
        self.by_path.get(path).cloned()
    }
}

/// `changes.xml`: the latest changes as an Atom 1.0 feed whose links are absolute under
/// `url` (the site's address, ending in `/`). `title` names the feed.
pub fn atom(data: &SiteData, changes: &Changes, url: &str, title: &str) -> String {
    let pages = Pages::index(data);
    let updated = changes.latest.first().map_or_else(
        || format!("{}T00:00:00Z", data.today),
        |c| c.time.to_string(),
    );
    let mut xml = String::with_capacity(1024 + changes.latest.len() * 512);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<id>{url}changes.xml</id>\n<title>{}</title>\n<updated>{updated}</updated>\n<link rel=\"self\" href=\"{url}changes.xml\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{url}changes.html\"/>\n<generator>accord</generator>\n",
        escape(title)
    );
    for change in &changes.latest {
        let page = pages.page(&change.path);
        let href = page.as_ref().map_or("changes.html", |p| p.href.as_str());
        let summary: Vec<String> = change
            .fields
            .iter()
            .map(|f| {
                format!(
                    "{}: {} -> {}",
                    f.field,
                    f.old.as_deref().unwrap_or("-"),
                    f.new.as_deref().unwrap_or("-")
                )
            })
            .collect();
        let _ = write!(
            xml,
            "<entry>\n<id>{url}changes.html#{}-{}</id>\n<title>{} ({})</title>\n<updated>{}</updated>\n<author><name>{}</name></author>\n<link href=\"{url}{}\"/>\n<summary>{}</summary>\n</entry>\n",
            change.commit,
            escape(&change.path.replace(['/', ' '], "-")),
            escape(&change.subject),
            escape(&change.path),
            change.time,
            escape(&change.author),
            escape(href),
            escape(&if summary.is_empty() {
                format!("{} {}", change.path, change.change.word())
            } else {
                summary.join("; ")
            }),
        );
    }
    xml.push_str("</feed>\n");
    xml
}
