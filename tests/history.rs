//! The history the site shows (SPEC 7.8): each page's last change, each agreement's
//! versions with what changed field by field, `changes.html` and the Atom feed, from a
//! repository with a scripted history by several authors.

mod common;

use std::fs;
use std::path::Path;

use common::{TODAY, copy_dir, fixture, git, git_as, temp_dir};

const AGREEMENT: &str = "org/agreements/marketing-sales.toml";

/// Replaces `from` by `to` in the file at `path` of the repository.
fn edit(repo: &Path, path: &str, from: &str, to: &str) {
    let file = repo.join(path);
    let text = fs::read_to_string(&file).expect("read");
    assert!(text.contains(from), "`{from}` not in {path}");
    fs::write(&file, text.replace(from, to)).expect("write");
}

#[test]
fn the_site_shows_who_changed_what_and_when() {
    let repo = temp_dir("history-repo");
    copy_dir(&fixture("clean"), &repo.join("org"));
    let settings = repo.join("org/accord.toml");
    let text = fs::read_to_string(&settings).expect("settings");
    fs::write(
        &settings,
        format!("{text}\n[site]\nurl = \"https://intranet.example.com/alignment\"\n"),
    )
    .expect("settings");
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(
        &repo,
        &["commit", "-q", "-m", "Agreements as they were signed"],
    );
    // A term change by Ana, a re-signing by Bruno, a name fixed by Carmen, and a commit
    // whose message is an attack.
    edit(&repo, AGREEMENT, "target = 10", "target = 12");
    git_as(
        &repo,
        "Ana García",
        "ana@clean.example",
        &["commit", "-q", "-a", "-m", "Raise the lead target"],
    );
    edit(&repo, AGREEMENT, "date = 2025-12-16", "date = 2026-02-28");
    git_as(
        &repo,
        "Bruno Díaz",
        "bruno@clean.example",
        &["commit", "-q", "-a", "-m", "Sign again"],
    );
    edit(
        &repo,
        "org/people.toml",
        "name = \"Ana García\"",
        "name = \"Ana García Ruiz\"",
    );
    git_as(
        &repo,
        "Carmen",
        "carmen@clean.example",
        &["commit", "-q", "-a", "-m", "Fix a name"],
    );
    edit(
        &repo,
        "org/teams/sales.toml",
        "name = \"Sales\"",
        "name = \"Inside sales\"",
    );
    git_as(
        &repo,
        "Eve <script>",
        "eve@clean.example",
        &[
            "commit",
            "-q",
            "-a",
            "-m",
            "<script>alert(1)</script>\u{7} & more",
        ],
    );

    let site = temp_dir("history-site").child("public");
    common::build_site(&repo.join("org"), &site, TODAY);
    let page = |path: &str| fs::read_to_string(site.join(path)).expect(path);

    // The agreement: its versions newest first, each with what changed in diff's terms.
    let sla = page("agreements/marketing-sales.html");
    let history = &sla[sla.find("<section id=\"history\">").expect("a history")..];
    let history = &history[..history.find("</section>").expect("closed")];
    let entries: Vec<&str> = history.split("<li><time").skip(1).collect();
    assert_eq!(entries.len(), 3, "{history}");
    assert!(
        entries[0].contains("Bruno Díaz · Sign again"),
        "{}",
        entries[0]
    );
    assert!(
        entries[0].contains(
            "<code>signature[sales].date</code>: <del>2025-12-16</del> → <ins>2026-02-28</ins>"
        ),
        "{}",
        entries[0]
    );
    assert!(
        entries[1].contains("Ana García · Raise the lead target"),
        "{}",
        entries[1]
    );
    assert!(
        entries[1].contains("<code>term[lead-volume].target</code>: <del>10</del> → <ins>12</ins>"),
        "{}",
        entries[1]
    );
    assert!(
        entries[2].contains("Agreements as they were signed"),
        "{}",
        entries[2]
    );
    assert!(entries[2].contains("(added)"), "{}", entries[2]);
    // Each page says when its file last changed, and by whom.
    assert!(sla.contains("<p class=\"last-change\">Last changed <time datetime=\"2026-03-01T09:00:00Z\">2026-03-01</time> · Bruno Díaz · Sign again"), "{sla}");
    assert!(page("people/ana-garcia.html").contains("· Carmen · Fix a name"));

    // The attack is text on every page, and no control character reaches them.
    let team = page("teams/sales.html");
    // (git itself drops `<` and `>` from a name.)
    assert!(
        team.contains("Eve script · &lt;script&gt;alert(1)&lt;/script&gt;\u{fffd} &amp; more"),
        "{team}"
    );
    assert!(!team.contains("<script>"));

    // changes.html: every change across the org, newest first, each linked to its page.
    let changes = page("changes.html");
    let sales_at = changes
        .find("href=\"teams/sales.html\"")
        .expect("the team's change");
    let people_at = changes.find("Fix a name").expect("the name's change");
    let sign_at = changes.find("Sign again").expect("the signature's change");
    assert!(sales_at < people_at && people_at < sign_at, "newest first");
    assert!(page("index.html").contains("<a href=\"changes.html\">Changes</a>"));

    // The feed: Atom 1.0, absolute links under [site] url.
    let feed = page("changes.xml");
    let xml = roxmltree::Document::parse(&feed).expect("the feed is well-formed XML");
    let atom = "http://www.w3.org/2005/Atom";
    let root = xml.root_element();
    assert_eq!(root.tag_name().namespace(), Some(atom));
    assert_eq!(root.tag_name().name(), "feed");
    let child = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children()
            .find(|c| c.tag_name().name() == name && c.tag_name().namespace() == Some(atom))
            .and_then(|c| c.text().map(str::to_owned))
    };
    for required in ["id", "title", "updated"] {
        assert!(child(root, required).is_some(), "feed {required}");
    }
    let entries: Vec<_> = root
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    // The base commit added every file of the org; the four later ones one each.
    assert!(entries.len() > 4, "{feed}");
    let mut ids = std::collections::HashSet::new();
    for entry in &entries {
        for required in ["id", "title", "updated"] {
            assert!(
                child(*entry, required).is_some(),
                "entry {required}: {feed}"
            );
        }
        assert!(ids.insert(child(*entry, "id")), "entry ids are unique");
        let link = entry
            .children()
            .find(|c| c.tag_name().name() == "link")
            .and_then(|l| l.attribute("href"))
            .expect("a link");
        assert!(
            link.starts_with("https://intranet.example.com/alignment/"),
            "{link}"
        );
        let author = entry
            .children()
            .find(|c| c.tag_name().name() == "author")
            .expect("an author");
        assert!(author.children().any(|c| c.tag_name().name() == "name"));
    }
    assert_eq!(
        child(entries[0], "title").as_deref(),
        Some("<script>alert(1)</script>\u{fffd} & more (teams/sales.toml)")
    );
}

/// Without `[site] url` there is no feed; outside git there is no history at all.
#[test]
fn no_feed_without_an_address_and_no_history_without_git() {
    let site = temp_dir("no-history-site").child("public");
    common::build_site(&fixture("clean"), &site, TODAY);
    assert!(!site.join("changes.xml").exists());
    // The fixture lives in accord's own repository, whose history is read: a page still
    // builds, with or without it.
    let org = temp_dir("no-git").child("org");
    copy_dir(&fixture("clean"), &org);
    let bare = temp_dir("no-git-site").child("public");
    common::build_site(&org, &bare, TODAY);
    assert!(!bare.join("changes.html").exists());
    assert!(
        !fs::read_to_string(bare.join("index.html"))
            .unwrap()
            .contains("last-change")
    );
}

/// `serve` keeps the history while `HEAD` names the same commit, and reads it again
/// after a commit.
#[test]
fn the_history_is_read_again_only_when_head_moves() {
    let repo = temp_dir("history-cache");
    copy_dir(&fixture("clean"), &repo.join("org"));
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    let org = repo.join("org");
    let cache = accord::history::ChangesCache::default();
    let first = cache.read(&org).expect("a history");
    let again = cache.read(&org).expect("a history");
    assert!(
        std::sync::Arc::ptr_eq(&first, &again),
        "read again for the same HEAD"
    );
    edit(&repo, AGREEMENT, "target = 10", "target = 11");
    git(&repo, &["commit", "-q", "-a", "-m", "Raise it"]);
    let moved = cache.read(&org).expect("a history");
    assert!(!std::sync::Arc::ptr_eq(&first, &moved));
    assert_eq!(moved.latest[0].subject, "Raise it");
}
