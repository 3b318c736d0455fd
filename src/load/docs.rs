//! docs/**/*.md: free Markdown pages with optional `+++` TOML front matter.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::schema::FRONT_MATTER;
use super::table::Reader;
use super::{OrgFile, Sink, entities};
use crate::diagnostic::{DANGLING_REFERENCE, Finding, INVALID_VALUE, closest};
use crate::model::{DocPage, Located};
use crate::source::{FileId, Loc};

const FENCE: &str = "+++";
const BOM: char = '\u{feff}';

/// One docs page on its own; `None` when its front matter is broken (reported).
pub(super) fn page(file: &OrgFile, id: FileId, text: &str, sink: &mut Sink) -> Option<DocPage> {
    let (front, body) = match split_front_matter(text) {
        Ok(split) => split,
        Err(Unclosed { fence }) => {
            sink.block(
                Finding::error(
                    &INVALID_VALUE,
                    Loc::new(id, fence),
                    format!(
                        "the front matter of {} opens with `+++` and is never closed",
                        file.path
                    ),
                )
                .with_help("end the front matter with a `+++` line, or remove the opening `+++`"),
            );
            return None;
        }
    };
    let (mut title, mut weight) = (None, 0);
    if let Some(front) = front {
        // The opening fence becomes a TOML comment of the same length, so the
        // parser's byte spans are the file's own.
        let bom = if front.starts_with(BOM) {
            BOM.len_utf8()
        } else {
            0
        };
        let toml = format!("{}#{}", &front[..bom], &front[bom + '+'.len_utf8()..]);
        let before = sink.blocking();
        let (table, sound) = super::parse(id, &toml, sink);
        if sound {
            let reader = Reader::new(id, &table, Loc::file_start(id), &FRONT_MATTER, sink);
            (title, weight) = entities::front_matter(&reader);
        }
        if sink.blocking() > before {
            return None;
        }
    }
    let path = file
        .path
        .strip_prefix("docs/")
        .and_then(|p| p.strip_suffix(".md"))
        .unwrap_or(&file.path)
        .to_owned();
    Some(DocPage {
        title: title
            .or_else(|| first_heading(body))
            .unwrap_or_else(|| file.stem().to_owned()),
        path,
        weight,
        body: body.to_owned(),
        file: id,
    })
}

/// Checks that `[site] start` names a docs page of the org (`docs/<path>.md`, as it is
/// written in the repository) and turns it into that page's path under `docs/`.
pub(super) fn resolve_start(start: &mut Located<String>, files: &[&OrgFile], sink: &mut Sink) {
    let written = start.value.trim_start_matches("./");
    let found = files.iter().find(|f| f.path == written);
    match found.and_then(|f| f.path.strip_prefix("docs/")?.strip_suffix(".md")) {
        Some(path) => start.value = path.to_owned(),
        None => {
            let near = closest(written, files.iter().map(|f| f.path.as_str()));
            let help = match near {
                Some(near) => format!("did you mean `{near}`?"),
                None if files.is_empty() => {
                    "write the page as docs/start-here.md (Markdown), then name it here".to_owned()
                }
                None => "name a Markdown file under docs/, as `docs/start-here.md`".to_owned(),
            };
            sink.block(
                Finding::error(
                    &DANGLING_REFERENCE,
                    start.loc,
                    format!(
                        "`[site] start` names `{}`, which is not a docs page of the org",
                        start.value
                    ),
                )
                .with_help(help),
            );
        }
    }
}

/// A front matter whose opening fence (this byte range) has no closing one.
#[derive(Debug, PartialEq)]
struct Unclosed {
    fence: Range<usize>,
}

/// Splits `+++`-fenced front matter (with its opening fence, without the closing one)
/// from the body. The fence may follow one byte-order mark, as editors write it; a
/// second one is text, so the first line is then no fence.
fn split_front_matter(text: &str) -> Result<(Option<&str>, &str), Unclosed> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first_line = &text[..first_line_end];
    let bom = if first_line.starts_with(BOM) {
        BOM.len_utf8()
    } else {
        0
    };
    if first_line[bom..].trim_end() != FENCE {
        return Ok((None, text));
    }
    let mut offset = first_line_end;
    for line in text[first_line_end..].split_inclusive('\n') {
        let end = offset + line.len();
        if line.trim_end() == FENCE {
            let front = &text[..offset];
            return Ok((Some(front), &text[end..]));
        }
        offset = end;
    }
    Err(Unclosed {
        fence: bom..bom + FENCE.len(),
    })
}

/// The text of the first heading of a Markdown body.
fn first_heading(body: &str) -> Option<String> {
    let mut in_heading = false;
    let mut title = String::new();
    for event in Parser::new(body) {
        match event {
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => return Some(title.trim().to_owned()),
            Event::Text(t) | Event::Code(t) if in_heading => title.push_str(&t),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The base org with `[site] start = "START"` and a docs page at docs/start-here.md.
    fn org_starting_at(start: &str) -> crate::check::testing::TestOrg {
        crate::check::testing::TestOrg::base()
            .edit(
                "accord.toml",
                "name = \"Test Org\"\n",
                &format!("name = \"Test Org\"\n\n[site]\nstart = \"{start}\"\n"),
            )
            .with("docs/start-here.md", "# Start here\n")
    }

    #[test]
    fn the_start_page_is_a_docs_page_of_the_org() {
        for start in ["docs/start-here.md", "./docs/start-here.md"] {
            assert_eq!(org_starting_at(start).findings(), [], "{start}");
        }
        for start in [
            "docs/strat-here.md",
            "start-here.md",
            "docs/start-here",
            "../README.md",
        ] {
            assert_eq!(
                org_starting_at(start).findings(),
                [("dangling-reference", "accord.toml".into(), 5)],
                "{start}"
            );
        }
        let org = org_starting_at("docs/strat-here.md");
        let checked = crate::check_files(&org.files(), &crate::check::testing::context());
        let help: Vec<_> = checked.findings.iter().map(|f| f.help.as_deref()).collect();
        assert_eq!(help, [Some("did you mean `docs/start-here.md`?")]);
    }

    #[test]
    fn front_matter_is_split_at_the_fences() {
        let (front, body) = split_front_matter("+++\ntitle = \"A\"\n+++\n# B\n").unwrap();
        assert_eq!(front, Some("+++\ntitle = \"A\"\n"));
        assert_eq!(body, "# B\n");
        assert_eq!(split_front_matter("# B\n"), Ok((None, "# B\n")));
    }

    #[test]
    fn an_unclosed_front_matter_is_reported_at_its_fence() {
        assert_eq!(
            split_front_matter("+++\ntitle = \"A\"\n# B\n"),
            Err(Unclosed { fence: 0..3 })
        );
        assert_eq!(
            split_front_matter("\u{feff}+++"),
            Err(Unclosed { fence: 3..6 })
        );
    }

    #[test]
    fn one_byte_order_mark_may_precede_the_fence_and_a_second_is_text() {
        let one = "\u{feff}+++\ntitle = \"A\"\n+++\nbody";
        assert_eq!(split_front_matter(one).unwrap().1, "body");
        let two = "\u{feff}\u{feff}+++\ntitle = \"A\"\n+++\nbody";
        assert_eq!(split_front_matter(two), Ok((None, two)));
    }

    #[test]
    fn pages_with_byte_order_marks_load_without_panic() {
        use crate::check::testing::TestOrg;
        for text in [
            "\u{feff}\u{feff}+++\ntitle = \"A\"\n+++\n# B\n",
            "\u{feff}+++\ntitle = \"A\"\n+++\n# B\n",
            "\u{feff}\u{feff}\u{feff}",
        ] {
            let found = TestOrg::base().with("docs/a.md", text).findings();
            assert_eq!(found, [], "{text:?}");
        }
        let found = TestOrg::base()
            .with("docs/a.md", "+++\ntitle = \"A\"\n# B\n")
            .findings();
        assert_eq!(found, [("invalid-value", "docs/a.md".into(), 1)]);
    }

    #[test]
    fn title_falls_back_to_the_first_heading() {
        assert_eq!(
            first_heading("text\n\n## Lead *handover*\n"),
            Some("Lead handover".into())
        );
        assert_eq!(first_heading("no heading"), None);
    }
}
