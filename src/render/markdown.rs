//! Markdown fields to HTML that cannot carry script.
//!
//! Rather than render raw HTML and clean it afterwards, the HTML is never produced: raw
//! HTML events are dropped from the CommonMark event stream, and link and image targets
//! are kept only with a safe scheme. pulldown-cmark escapes all text and attributes it
//! writes, so what remains is its own markup around escaped text.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// Renders CommonMark (with tables and strikethrough) to safe HTML.
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        // Raw HTML is removed, never passed through (SPEC section 1).
        Event::Html(_) | Event::InlineHtml(_) => None,
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
    html::push_html(&mut out, events);
    out
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
    fn tables_and_emphasis_render() {
        let html = to_html("| a | b |\n|---|---|\n| **x** | y |\n");
        assert!(
            html.contains("<table>") && html.contains("<strong>x</strong>"),
            "{html}"
        );
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
        assert!(html.contains("href=\"https://example.com\""), "{html}");
    }

    #[test]
    fn text_is_escaped() {
        let html = to_html("a < b & \"c\" <em>x</em>");
        assert!(html.contains("a &lt; b &amp;"), "{html}");
        assert!(!html.contains("<em>"), "{html}");
    }
}
