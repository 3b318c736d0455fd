//! Markdown fields to HTML that cannot carry script.
//!
//! Rather than render raw HTML and clean it afterwards, the HTML is never produced: raw
//! HTML events are dropped from the CommonMark event stream, and link and image targets
//! are kept only with a safe scheme. pulldown-cmark escapes all text and attributes it
//! writes, so what remains is its own markup around escaped text.

use pulldown_cmark::{Alignment, CowStr, Event, Options, Parser, Tag, TagEnd, html};

use super::escape_html;

fn parse(markdown: &str) -> Parser<'_> {
    Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
}

/// Raw HTML (comments included) is removed, never passed through (SPEC section 1): this
/// decides what the pages drop, and what data.json leaves out of the Markdown it carries.
fn is_raw_html(event: &Event) -> bool {
    matches!(event, Event::Html(_) | Event::InlineHtml(_))
}

/// Renders CommonMark (with tables and strikethrough) to safe HTML.
pub fn to_html(markdown: &str) -> String {
    let events = parse(markdown).filter_map(|event| match event {
        event if is_raw_html(&event) => None,
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Some(Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        })),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Some(Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        })),
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, LabelledCells::new(events));
    out
}

/// Body cells of Markdown tables written with their column's name (`data-label`), as
/// the templates write theirs, so that a phone can show each row stacked, every value
/// under its column's name. The label is the header cell's text, escaped here; the
/// cells' content still goes through pulldown-cmark.
struct LabelledCells<'a, I> {
    events: I,
    alignments: Vec<Alignment>,
    headers: Vec<String>,
    in_head: bool,
    column: usize,
    _text: std::marker::PhantomData<&'a ()>,
}

impl<'a, I: Iterator<Item = Event<'a>>> LabelledCells<'a, I> {
    fn new(events: I) -> Self {
        LabelledCells {
            events,
            alignments: Vec::new(),
            headers: Vec::new(),
            in_head: false,
            column: 0,
            _text: std::marker::PhantomData,
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for LabelledCells<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        let event = self.events.next()?;
        match &event {
            Event::Start(Tag::Table(alignments)) => {
                self.alignments = alignments.clone();
                self.headers.clear();
            }
            Event::Start(Tag::TableHead) => self.in_head = true,
            Event::End(TagEnd::TableHead) => self.in_head = false,
            Event::Start(Tag::TableCell) if self.in_head => self.headers.push(String::new()),
            Event::Text(text) | Event::Code(text) if self.in_head => {
                if let Some(header) = self.headers.last_mut() {
                    header.push_str(text);
                }
            }
            Event::Start(Tag::TableRow) => self.column = 0,
            Event::Start(Tag::TableCell) => {
                let label = self.headers.get(self.column).map_or("", String::as_str);
                let align = match self.alignments.get(self.column) {
                    Some(Alignment::Left) => " style=\"text-align: left\"",
                    Some(Alignment::Center) => " style=\"text-align: center\"",
                    Some(Alignment::Right) => " style=\"text-align: right\"",
                    Some(Alignment::None) | None => "",
                };
                let label = escape_html(label);
                return Some(Event::Html(
                    format!("<td data-label=\"{label}\"{align}>").into(),
                ));
            }
            Event::End(TagEnd::TableCell) if !self.in_head => {
                self.column += 1;
                return Some(Event::Html("</td>".into()));
            }
            _ => {}
        }
        Some(event)
    }
}

/// The Markdown source without the raw HTML that [`to_html`] drops, for data.json: what
/// the pages leave out (an HTML comment with notes not meant for readers) must not be
/// published there either.
pub fn without_raw_html(markdown: &str) -> String {
    // Cutting can join the text around a cut into new raw HTML (`<<!-- -->b>`), so the
    // cut is repeated until none is left. Each pass shortens the text, but text built to
    // need many passes would make that slow: past a few, every `<` is escaped instead,
    // which cannot start raw HTML.
    const PASSES: usize = 8;
    let mut text = markdown.to_owned();
    // All raw HTML starts with `<`: most fields need no parse at all.
    if !text.contains('<') {
        return text;
    }
    for _ in 0..PASSES {
        let cuts: Vec<std::ops::Range<usize>> = parse(&text)
            .into_offset_iter()
            .filter(|(event, range)| is_raw_html(event) && !range.is_empty())
            .map(|(_, range)| range)
            .collect();
        if cuts.is_empty() {
            return text;
        }
        let mut kept = String::with_capacity(text.len());
        let mut at = 0;
        for cut in cuts {
            // Events nest (a block's lines): a cut inside one already made is skipped.
            if cut.start >= at {
                kept.push_str(&text[at..cut.start]);
                at = cut.end;
            }
        }
        kept.push_str(&text[at..]);
        text = kept;
    }
    text.replace('<', "&lt;")
}

/// The text a reader sees of a Markdown field, on one line: its words without markup,
/// raw HTML dropped as [`to_html`] drops it (for the search index, which shows and
/// matches what the page shows, never markup).
pub fn to_plain_text(markdown: &str) -> String {
    let mut plain = String::with_capacity(markdown.len());
    for event in parse(markdown) {
        match event {
            Event::Text(text) | Event::Code(text) => plain.push_str(&text),
            // Blocks, cells and breaks separate words (an emphasis does not); the spaces
            // are collapsed below.
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) => plain.push(' '),
            _ => {}
        }
    }
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Keeps a URL only if it is relative or uses a scheme that cannot run code.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    // What a browser takes as the scheme: up to the first ':' before any '/', '?' or '#',
    // ignoring the control characters and spaces it would ignore.
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_control() && !c.is_whitespace())
        .collect();
    let scheme = cleaned
        .split(['/', '?', '#'])
        .next()
        .and_then(|head| head.split_once(':'))
        .map(|(scheme, _)| scheme.to_ascii_lowercase());
    match scheme.as_deref() {
        None | Some("http" | "https" | "mailto" | "tel") => url,
        Some(_) => CowStr::Borrowed("#"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_has_the_words_without_markup_or_raw_html() {
        assert_eq!(
            to_plain_text(
                "# Lead\n\nA **qualified**lead <b>now</b>.\n\n<script>alert(1)</script>\n\n* one\n* `two`\n\n| a | b |\n|---|---|\n| c | d |\n"
            ),
            "Lead A qualifiedlead now. one two a b c d"
        );
    }

    #[test]
    fn table_cells_carry_their_column_name_escaped() {
        let html = to_html("| Step | Who \"&\" `when` |\n|---|:-:|\n| 1 | **Ana** |\n| 2 |\n");
        assert!(
            html.contains("<td data-label=\"Step\">1</td><td data-label=\"Who &quot;&amp;&quot; when\" style=\"text-align: center\"><strong>Ana</strong></td>"),
            "{html}"
        );
        // A short row gets its cells filled in, labelled like the others.
        assert!(html.contains("<td data-label=\"Step\">2</td>"), "{html}");
    }

    #[test]
    fn tables_and_emphasis_render() {
        let html = to_html("| a | b |\n|---|---|\n| **x** | y |\n");
        assert!(
            html.contains("<table>") && html.contains("<strong>x</strong>"),
            "{html}"
        ); // Header cells stay header cells; only body cells get their column's name.
        assert!(
            html.contains("<thead><tr><th>a</th><th>b</th></tr></thead>"),
            "{html}"
        );
        assert!(html.contains("<td data-label=\"b\">y</td>"), "{html}");
    }

    #[test]
    fn raw_html_and_script_urls_do_not_survive() {
        let hostile = "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\nhi <b onclick=\"x()\">b</b> \
                       [a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](java\tscript:x) \
                       ![i](data:text/html;base64,xx) [ok](../teams/sales.html) [web](https://example.com)";
        let html = to_html(hostile);
        for bad in [
            "<script",
            "onerror",
            "onclick",
            "javascript:",
            "JAVASCRIPT",
            "data:",
        ] {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
        assert!(html.contains("href=\"../teams/sales.html\""), "{html}");
        assert!(html.contains("href=\"https://example.com\""), "{html}"); // A safe scheme behind what a browser ignores (a control character, a space)
        // is still safe, and kept as written.
        for url in ["\u{1}https://example.com/", " mailto:ana@example.com"] {
            assert_eq!(&*safe_url(CowStr::from(url)), url, "{url:?}");
        }
        assert_eq!(&*safe_url(CowStr::from("\u{1}java script:x")), "#");
    }

    #[test]
    fn raw_html_is_cut_from_the_source_as_the_pages_drop_it() {
        let cases = [
            ("a <!-- secret --> b", "a  b"),
            (
                "Intro\n\n<!--\nsecret\nnotes\n-->\n\nAfter",
                "Intro\n\n\nAfter",
            ),
            ("x <b onclick=\"y()\">bold</b> `<i>` z", "x bold `<i>` z"),
            ("no html & <3", "no html & <3"),
        ];
        for (markdown, expected) in cases {
            let cleaned = without_raw_html(markdown);
            assert_eq!(cleaned, expected, "{markdown:?}");
            assert_eq!(to_html(&cleaned), to_html(markdown), "{markdown:?}");
        }
        // A cut that joins into a new tag: that one is cut too.
        assert_eq!(without_raw_html("<<!-- -->b onclick=x>t"), "t");
        let nested = format!("{}{}", "<".repeat(50), "!-- -->".repeat(50));
        let cleaned = without_raw_html(&nested);
        assert!(!parse(&cleaned).any(|e| is_raw_html(&e)), "{cleaned}");
    }

    #[test]
    fn text_is_escaped() {
        let html = to_html("a < b & \"c\" <em>x</em>");
        assert!(html.contains("a &lt; b &amp;"), "{html}");
        assert!(!html.contains("<em>"), "{html}");
    }
}
