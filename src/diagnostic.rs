//! Findings and their renderings: human (rustc-style), JSON and GitHub annotations here,
//! the CI report formats (SARIF, JUnit XML, GitLab Code Quality) in [`ci`].

mod ci;

pub use ci::{fingerprints, render_gitlab, render_junit, render_sarif};

use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Renderer, Snippet};
use serde::Serialize;

use crate::source::{Loc, Sources};
use crate::text::escape_controls;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Warning,
    Error,
}

/// One problem found in an org.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// The rule id, or the error class of a structural error (`unknown-key`).
    pub rule: &'static str,
    pub level: Level,
    pub message: String,
    /// The value at fault; for a missing key, the table that lacks it.
    pub loc: Loc,
    /// What to do about it, when there is something specific to say.
    pub help: Option<String>,
    /// With `check --base REV`: whether the finding is new, that is absent at REV (see
    /// [`Baseline`]); `None` when no base revision was compared.
    pub new: Option<bool>,
}

impl Finding {
    /// A finding of `rule` at `level`. Messages quote text from the files (keys, ids,
    /// values): control characters in it are escaped here, once for every output, so no
    /// message can break a line of a report or a CI log.
    pub fn new(rule: &'static str, level: Level, loc: Loc, message: impl Into<String>) -> Self {
        Finding {
            rule,
            level,
            message: one_line(message.into()),
            loc,
            help: None,
            new: None,
        }
    }

    pub fn error(class: &ErrorClass, loc: Loc, message: impl Into<String>) -> Self {
        Finding::new(class.id, Level::Error, loc, message)
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(one_line(help.into()));
        self
    }

    /// The finding with its position worked out, as every one-line report shows it.
    pub fn placed(&self, sources: &Sources) -> Placed {
        let (start, end) = sources.span_positions(self.loc);
        Placed {
            rule: self.rule,
            level: self.level,
            message: self.full_message(),
            file: sources.get(self.loc.file).path.clone(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            new: self.new,
        }
    }

    /// Whether a base revision was compared and the finding was already there.
    pub fn is_pre_existing(&self) -> bool {
        self.new == Some(false)
    }

    /// What makes two findings the same one across revisions: the rule, the file and the
    /// message, which names the entity and sub-entity at fault (ids, keys, terms) but no
    /// position, so a finding keeps its identity when lines above it move. The one
    /// message that quotes a line number (a period repeated in an actuals file) has it
    /// masked. It also seeds the GitLab fingerprint.
    pub fn identity(&self, sources: &Sources) -> String {
        format!(
            "{}\0{}\0{}",
            self.rule,
            sources.get(self.loc.file).path,
            mask_line_numbers(&self.full_message())
        )
    }

    /// Whether this is a structural error (the data could not be read as the format
    /// says), as opposed to a rule's finding.
    pub fn is_structural(&self) -> bool {
        ERROR_CLASSES.iter().any(|c| c.id == self.rule)
    }

    /// The message with its help appended, for the one-line formats (JSON, GitHub),
    /// which have no separate place for it.
    pub fn full_message(&self) -> String {
        match &self.help {
            Some(help) => format!("{}; {help}", self.message),
            None => self.message.clone(),
        }
    }
}

/// `text` with the number after every "line " replaced by `#`.
fn mask_line_numbers(text: &str) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("line ") {
        let (before, after) = rest.split_at(at + "line ".len());
        masked.push_str(before);
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            masked.push('#');
        }
        rest = &after[digits..];
    }
    masked.push_str(rest);
    masked
}

/// The identities of the findings at a base revision (`check --base REV`): a finding of
/// the head that is among them is pre-existing (SPEC 7.6).
#[derive(Debug, Default)]
pub struct Baseline {
    identities: std::collections::HashSet<String>,
}

impl Baseline {
    pub fn of(findings: &[Finding], sources: &Sources) -> Self {
        Baseline {
            identities: findings.iter().map(|f| f.identity(sources)).collect(),
        }
    }

    /// Marks each of `findings` new or pre-existing.
    pub fn mark(&self, findings: &mut [Finding], sources: &Sources) {
        for finding in findings {
            finding.new = Some(!self.identities.contains(&finding.identity(sources)));
        }
    }
}

fn one_line(text: String) -> String {
    match escape_controls(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(escaped) => escaped,
    }
}

/// A class of structural error: always an error, never allowed by `[lints]`.
#[derive(Debug)]
pub struct ErrorClass {
    pub id: &'static str,
    pub doc: &'static str,
    /// What to do about it: the last paragraph of `accord explain`.
    pub fix: &'static str,
}

macro_rules! error_classes {
    ($($name:ident = $id:literal: $doc:literal => $fix:literal;)*) => {
        $(pub const $name: ErrorClass = ErrorClass { id: $id, doc: $doc, fix: $fix };)*
        /// Every structural error class, for `accord rules` and `accord explain`.
        pub const ERROR_CLASSES: &[ErrorClass] = &[$($name),*];
    };
}

error_classes! {
    TOML_SYNTAX = "toml-syntax": "The file is not valid TOML (or not UTF-8), so nothing in it can be read." => "Fix the syntax at the position shown, as the help says; save the file as UTF-8.";
    UNKNOWN_KEY = "unknown-key": "Every table is closed: a key the format does not define is almost always a typo, and a typo silently ignored would drop a commitment. The message suggests the closest known key." => "Rename the key to the one suggested, or remove it; `accord schema` gives editors the known keys.";
    MISSING_KEY = "missing-key": "A required key is absent. The finding points at the table that lacks it (line 1 for a file's top-level table)." => "Add the key the message names to that table, with a value of the type shown.";
    WRONG_TYPE = "wrong-type": "A value has the wrong TOML type, for example a number where text is expected." => "Write the value in the type shown: text in quotes, numbers and dates unquoted, lists in [ ].";
    INVALID_VALUE = "invalid-value": "A value is of the right type but outside what the format allows: a word not in the allowed set, a number that must be greater than zero, a number that is not finite or beyond 1e15, a conversion outside (0, 1], an empty list that needs at least one item, fewer than two distinct parties or plan stages, a control character or line break in one-line text (names, titles: they are printed in terminals, CI logs and review comments, where a line break could forge output), a handle that is not a code-host user, org/team or e-mail address, a percent (KPI or term target, actual) outside 0-100, a percent target written as a fraction (0.95) while every actual of its KPI is above 1, percent actuals written as fractions (0.93) beside a percent target (95), agreements whose `supersedes` form a loop, an actuals period after the one holding today, an actuals `count` that is not a whole number 0 or more." => "Write a value the message allows; the help gives the value to write when it can tell.";
    BAD_ID = "bad-id": "Ids come from file stems (and term ids from `id`); they must match ^[a-z0-9]+(-[a-z0-9]+)*$ and be at most 64 characters, so they make stable file names and URLs. Subfolders of entity folders follow the same syntax." => "Rename the file (or the `id`) to lowercase letters, digits and single hyphens, like `marketing-sales-sla`.";
    DUPLICATE_ID = "duplicate-id": "An id must be unique within its kind across subfolders, a person id must not equal a team id (owner fields may name either), and term ids are unique within an agreement." => "Rename one of the two: ids come from file names and are unique per kind.";
    DANGLING_REFERENCE = "dangling-reference": "A reference names a person, team, persona, KPI or agreement (`supersedes`) that does not exist." => "Correct the id to the one suggested, or add the missing person (people.toml) or file.";
    BAD_DATE = "bad-date": "Dates are unquoted TOML local dates (2026-01-15), without time or offset; an agreement expires after it takes effect." => "Write the date as YYYY-MM-DD, unquoted (2026-01-15), and keep `expires` after `effective`.";
    BAD_ACTUALS_ROW = "bad-actuals-row": "A row of an actuals CSV does not hold the header's fields (`period,value`, optionally `count`; separated by a comma, `;` or tab) with a period label matching the KPI's period (2026-W07, 2026-10, 2026-Q4, 2026) and a number (a decimal comma when the fields are not comma-separated, `%` after a percent)." => "Correct the row to `period,value` (or `period,value,count`) with a period label of the KPI's period and a number.";
    BAD_RECORD = "bad-record": "`accord measure` cannot read a record file or one of its rows: a time that is not in the record set's format (or, without `date_format`, a day/month date whose order only the user knows), a number that is not one, an end before its start, a file that is no CSV, TSV or XLSX. The finding names the file and line; nothing is written until every row reads." => "Fix the row in the export, or set the record set's `date_format` (and `decimal`, `delimiter`) to how the file writes its values.";
    NOT_A_PARTY = "not-a-party": "A term's provider and a signature's party must be one of the agreement's parties." => "Name one of the agreement's `parties`, or add the team to `parties`.";
    TARGET_WITHOUT_KPI = "target-without-kpi": "A term's target is a threshold in a KPI's unit, so it needs the term's kpi." => "Add `kpi = \"kpi-id\"` to the term, or remove its `target`.";
    MISSING_CONVERSION = "missing-conversion": "Every plan stage after the first needs the conversion from the stage above, or the plan cannot be computed." => "Add `conversion = 0.25` (the fraction of the stage above that reaches this one) to the stage.";
    MISSING_FILE = "missing-file": "A required file (people.toml) is absent from the org root." => "Create people.toml at the org root, with one [person-id] table per person (`accord init` writes an example).";
    LINK_OUTSIDE_ORG = "link-outside-org": "A symbolic link in the org resolves outside the org root (or into a hidden folder such as .git). accord never reads it: a link to ../.git/config or /proc/self/environ would publish CI secrets in the site." => "Copy the file into the org instead of linking to it.";
    BROKEN_LINK = "broken-link": "A symbolic link in the org cannot be followed: its target does not exist, the links form an endless chain, or it leads to a folder above it or into a folder another link already reaches." => "Fix or remove the link.";
    SPECIAL_FILE = "special-file": "Only regular files are read: a FIFO (named pipe), socket or device in the org would block or never end." => "Replace it with a regular file, or remove it.";
    FILE_TOO_LARGE = "file-too-large": "A TOML, Markdown, CSV or template file over 8 MiB is not read: no real org file is that large, and reading it could exhaust memory." => "Split the file, or keep the data outside the org.";
}

/// The closest of `candidates` to `word`, if one is close enough to be a likely typo;
/// ties go to the first in alphabetical order, so suggestions are the same every run.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest_by_bound(word, candidates.into_iter().map(|c| (0, c)))
}

/// [`closest`] for a word of a closed set (`month`, `percent`), which also recognises the
/// word inside a longer or shorter form of it, whatever its case: `monthly` for `month`,
/// `month` for `monthly`, `Percentage` for `percent`. Those are a letter-count too far
/// for a typo, and the mistakes people make most with such words.
pub fn closest_word<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    closest(&lower, candidates.clone()).or_else(|| {
        // Three letters at least in common: `m` is no form of `monthly`.
        candidates
            .into_iter()
            .filter(|c| c.len().min(lower.len()) >= 3)
            .filter(|c| lower.starts_with(c) || c.starts_with(lower.as_str()))
            .min_by_key(|c| (c.len().abs_diff(lower.len()), *c))
    })
}

/// [`closest`], for candidates that each come with a lower bound of their edit distance
/// to `word`, in an order where the bounds never decrease: the search stops at the first
/// bound above the best distance found, sparing the edit distances of the rest.
pub fn closest_by_bound<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = (usize, &'a str)>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &'a str)> = None;
    for (bound, candidate) in candidates {
        if best.is_some_and(|(distance, _)| bound > distance) {
            break;
        }
        let distance = strsim::damerau_levenshtein(word, candidate);
        if distance <= typo_limit(candidate) && best.is_none_or(|best| (distance, candidate) < best)
        {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The largest edit distance at which a word can still be a typo of `candidate`.
pub fn typo_limit(candidate: &str) -> usize {
    (candidate.chars().count() / 3).max(1)
}

/// Output format of findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
    Junit,
    Gitlab,
}

/// Sorts findings by file path, then position, then rule, so output is stable.
pub fn sort(findings: &mut [Finding], sources: &Sources) {
    let path = |f: &Finding| sources.get(f.loc.file).path.as_str();
    findings.sort_by(|a, b| {
        path(a)
            .cmp(path(b))
            .then((a.loc.start, a.loc.end).cmp(&(b.loc.start, b.loc.end)))
            .then_with(|| a.rule.cmp(b.rule))
    });
}

/// Renders findings rustc-style with a source snippet; `styled` adds ANSI colours.
pub fn render_human(findings: &[Finding], sources: &Sources, styled: bool) -> String {
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for finding in findings {
        let file = sources.get(finding.loc.file);
        // File names are free (docs/): shown escaped like messages.
        let path = escape_controls(&file.path);
        let level = match finding.level {
            Level::Error => SnippetLevel::ERROR,
            Level::Warning => SnippetLevel::WARNING,
        };
        let message = if finding.is_pre_existing() {
            format!("{} (pre-existing)", finding.message)
        } else {
            finding.message.clone()
        };
        let title = level.primary_title(message.as_str()).id(finding.rule);
        let mut report = vec![if file.text.is_empty() {
            let start = sources.span_positions(finding.loc).0;
            title.element(
                annotate_snippets::Origin::path(path.as_ref())
                    .line(start.line)
                    .char_column(start.column),
            )
        } else {
            // Only the lines the span touches: handing over the whole file would make
            // the renderer scan it once per finding, quadratic in a file full of them.
            let (first_line, lines) = file.lines_of(finding.loc.range());
            let span = file.snap(finding.loc.range());
            title.element(
                Snippet::source(&file.text[lines.clone()])
                    .line_start(first_line)
                    .path(path.as_ref())
                    .fold(true)
                    .annotation(
                        AnnotationKind::Primary
                            .span(span.start - lines.start..span.end - lines.start),
                    ),
            )
        }];
        if let Some(help) = &finding.help {
            report.push(Group::with_title(
                SnippetLevel::HELP.secondary_title(help.as_str()),
            ));
        }
        let _ = writeln!(out, "{}\n", renderer.render(&report));
    }
    out
}

/// A finding with its file path and 1-based positions (end one past the span), in the
/// field order of `--format json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Placed {
    pub rule: &'static str,
    pub level: Level,
    /// The message with its help, if any.
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Only with `check --base REV`, so that the v1 shape is kept without it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<bool>,
}

impl Level {
    pub fn word(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

/// Renders findings as a JSON array of `{rule, level, message, file, line, column,
/// end_line, end_column}`.
pub fn render_json(findings: &[Finding], sources: &Sources) -> String {
    let rows: Vec<Placed> = findings.iter().map(|f| f.placed(sources)).collect();
    let mut json = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into());
    json.push('\n');
    json
}

/// Renders findings as GitHub Actions workflow commands; `path_prefix` turns org-relative
/// paths into paths relative to the repository root (empty or ending in `/`). A finding
/// already at the base revision is a `::notice`, so that it shows without alarming.
pub fn render_github(findings: &[Finding], sources: &Sources, path_prefix: &str) -> String {
    let mut out = String::new();
    for f in findings.iter().map(|f| f.placed(sources)) {
        let command = if f.new == Some(false) {
            "notice"
        } else {
            f.level.word()
        };
        // GitHub's end column is the span's last character, ours is one past it.
        let end_column = if f.end_line == f.line {
            f.end_column.saturating_sub(1).max(f.column)
        } else {
            f.end_column.saturating_sub(1).max(1)
        };
        let _ = writeln!(
            out,
            "::{command} file={},line={},endLine={},col={},endColumn={end_column},title={}::{}",
            // A file name may hold a bidi override or another control character: shown
            // escaped, as in the other formats, never raw in the CI log.
            escape_property(&crate::text::escape_controls(&format!(
                "{path_prefix}{}",
                f.file
            ))),
            f.line,
            f.end_line,
            f.column,
            escape_property(f.rule),
            escape_data(&f.message)
        );
    }
    out
}

// GitHub parses `::cmd key=value,...::data`; these escapes keep commas, colons and
// newlines in values from ending a field early.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_finding() -> (Sources, Vec<Finding>) {
        let mut sources = Sources::default();
        let file = sources.add(
            "agreements/sla.toml".into(),
            "title = \"SLA\"\nsponser = \"x\"\n".into(),
        );
        let finding = Finding::error(
            &UNKNOWN_KEY,
            Loc::new(file, 14..21),
            "unknown key `sponser`, in agreement",
        )
        .with_help("did you mean `sponsor`?");
        (sources, vec![finding])
    }

    #[test]
    fn human_output_names_rule_file_line_and_column() {
        let (sources, findings) = one_finding();
        let text = render_human(&findings, &sources, false);
        assert!(
            text.contains("error[unknown-key]: unknown key `sponser`"),
            "{text}"
        );
        assert!(text.contains("agreements/sla.toml:2:1"), "{text}");
        assert!(text.contains("did you mean `sponsor`?"), "{text}");
        assert!(!text.contains('\u{1b}'));
    }

    #[test]
    fn closest_suggests_only_near_words_and_breaks_ties_by_name() {
        assert_eq!(closest("sponser", ["sponsor", "referee"]), Some("sponsor"));
        assert_eq!(closest("zzz", ["sponsor", "referee"]), None);
        assert_eq!(closest("salls", ["sells", "sales"]), Some("sales"));
        assert_eq!(closest_word("monthly", ["week", "month"]), Some("month"));
        assert_eq!(
            closest_word("month", ["weekly", "biweekly", "monthly"]),
            Some("monthly")
        );
        assert_eq!(
            closest_word("Percentage", ["count", "percent"]),
            Some("percent")
        );
        assert_eq!(closest_word("wekly", ["weekly", "monthly"]), Some("weekly"));
        assert_eq!(closest_word("fortnight", ["weekly", "monthly"]), None);
        // An empty word is no part of every word.
        assert_eq!(closest_word("", ["weekly", "monthly"]), None);
    }

    #[test]
    fn json_output_has_exact_positions() {
        let (sources, findings) = one_finding();
        let value: serde_json::Value =
            serde_json::from_str(&render_json(&findings, &sources)).unwrap();
        assert_eq!(value[0]["line"], 2);
        assert_eq!(value[0]["column"], 1);
        assert_eq!(value[0]["end_column"], 8);
        assert_eq!(value[0]["level"], "error");
    }

    #[test]
    fn github_file_names_show_bidi_overrides_escaped() {
        let mut sources = Sources::default();
        let file = sources.add("teams/x\u{202e}lmth.toml".into(), String::new());
        let finding = Finding::error(&UNKNOWN_KEY, Loc::file_start(file), "m");
        let text = render_github(&[finding], &sources, "");
        assert!(
            text.starts_with("::error file=teams/x\\u{202e}lmth.toml,"),
            "{text}"
        );
    }

    #[test]
    fn github_output_escapes_fields() {
        let (sources, mut findings) = one_finding();
        findings[0].message = "a, b: 100%\nnext".into();
        findings[0].help = None;
        let text = render_github(&findings, &sources, "org/");
        assert_eq!(
            text,
            "::error file=org/agreements/sla.toml,line=2,endLine=2,col=1,endColumn=7,title=unknown-key::a, b: 100%25%0Anext\n"
        );
    }

    #[test]
    fn messages_quote_file_text_on_one_line_and_annotations_escape_properties() {
        let mut sources = Sources::default();
        let file = sources.add("docs/a,b:c%\nd.md".into(), String::new());
        let finding = Finding::error(
            &UNKNOWN_KEY,
            Loc::file_start(file),
            "unknown key `\n::add-mask::x\r\u{1b}`",
        )
        .with_help("did you mean `\n::error::y`?");
        assert_eq!(
            finding.full_message(),
            "unknown key `\\n::add-mask::x\\r\\u{1b}`; did you mean `\\n::error::y`?"
        );
        let text = render_github(std::slice::from_ref(&finding), &sources, "");
        assert_eq!(
            text,
            "::error file=docs/a%2Cb%3Ac%25\\nd.md,line=1,endLine=1,col=1,endColumn=1,title=unknown-key::unknown key `\\n::add-mask::x\\r\\u{1b}`; did you mean `\\n::error::y`?\n"
        );
        let human = render_human(&[finding], &sources, false);
        assert!(human.lines().all(|l| !l.starts_with("::")), "{human}");
    }
}
