//! Values written to change the structure of accord's output (SPEC 7.1): line breaks and
//! control characters in one-line text, `::` workflow commands in every kind of field
//! and in quoted keys, HTML comments in names and Markdown, numbers beyond what accord
//! can compare.
//!
//! One-line fields are found from the loader's own schema, so a field added later is
//! attacked too. The payloads run through every command that prints text from the files:
//! no line of stdout or stderr may start with `::` unless accord wrote it as an annotation
//! (`check --format github`), and those carry the payload escaped.

use std::path::Path;
use std::process::Output;

use accord::load::schema::{FILE_KINDS, FieldType, TableSchema};
use pulldown_cmark::{Event, Parser, Tag};
use toml::{Table, Value};

use crate::common::{
    TODAY, TempDir, TempPath, accord, all_output, copy_dir, exit_code, fixture, git, json_findings,
    output, stdout, temp_dir,
};

/// Characters one-line text may not hold, one of each family (docs/format.md).
const FORBIDDEN: &[char] = &[
    '\n', '\r', '\t', '\u{0}', '\u{1b}', '\u{7f}', '\u{85}', '\u{2028}', '\u{202e}', '\u{2066}',
];

/// Where each file kind of the schema lives in the clean fixture, and the table of the
/// file that holds the entity (people.toml is keyed by person id).
fn file_of(kind: &str) -> (&'static str, Option<&'static str>) {
    match kind {
        "accord" => ("accord.toml", None),
        "people" => ("people.toml", Some("ana-garcia")),
        "team" => ("teams/sales.toml", None),
        "persona" => ("personas/operations-olga.toml", None),
        "kpi" => ("kpis/mql-delivered.toml", None),
        "agreement" => ("agreements/marketing-sales.toml", None),
        "meeting" => ("meetings/smarketing-weekly.toml", None),
        "front-matter" => ("docs/page.md", None),
        other => panic!("file kind {other} has no place in the test: add it to file_of"),
    }
}

/// One step into a table: a key, and for an array of tables its first element.
#[derive(Clone, Debug)]
enum Step {
    Key(&'static str),
    First(&'static str),
}

/// Every one-line field of `schema` and its sub-tables, with the path to it.
fn one_line_fields(
    schema: &'static TableSchema,
    path: Vec<Step>,
    out: &mut Vec<(Vec<Step>, FieldType)>,
) {
    for field in schema.fields {
        let mut at = path.clone();
        match field.ty {
            FieldType::Text | FieldType::Texts | FieldType::TextMap => {
                at.push(Step::Key(field.key));
                out.push((at, field.ty));
            }
            FieldType::Table(sub) => {
                at.push(Step::Key(field.key));
                one_line_fields(sub, at, out);
            }
            FieldType::Tables(sub) => {
                at.push(Step::First(field.key));
                one_line_fields(sub, at, out);
            }
            _ => {}
        }
    }
}

/// Sets the value at `path` in `table`, creating missing sub-tables (`[site]`).
fn set(table: &mut Table, path: &[Step], value: Value) {
    let (last, parents) = path.split_last().expect("a path has a key");
    let mut at = table;
    for step in parents {
        at = match step {
            Step::Key(key) => at
                .entry(*key)
                .or_insert_with(|| Value::Table(Table::new()))
                .as_table_mut()
                .expect("a table"),
            Step::First(key) => at
                .get_mut(*key)
                .and_then(Value::as_array_mut)
                .and_then(|a| a.first_mut())
                .and_then(Value::as_table_mut)
                .unwrap_or_else(|| panic!("the clean fixture has no [[{key}]]")),
        };
    }
    let Step::Key(key) = last else {
        panic!("a field is a key")
    };
    at.insert((*key).to_owned(), value);
}

fn key_of(path: &[Step]) -> &'static str {
    match path.last() {
        Some(Step::Key(key) | Step::First(key)) => key,
        None => "",
    }
}

/// A copy of the clean fixture with a docs page that has front matter.
fn clean_org(name: &str) -> TempDir {
    let org = temp_dir(name);
    reset(&org);
    org
}

/// Puts every file of the clean org (and its docs page) back as it was.
fn reset(org: &Path) {
    copy_dir(&fixture("clean"), org);
    write(org, "docs/page.md", "+++\ntitle = \"Page\"\n+++\n# Page\n");
}

fn write(org: &Path, path: &str, text: &str) {
    let path = org.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn read_table(org: &Path, file: &str) -> Table {
    let text = std::fs::read_to_string(org.join(file)).unwrap();
    let toml = match file.strip_suffix(".md") {
        Some(_) => text.split("+++").nth(1).unwrap().to_owned(),
        None => text,
    };
    toml.parse().unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn write_table(org: &Path, file: &str, table: &Table) {
    let toml = toml::to_string(table).expect("TOML");
    let text = if file.ends_with(".md") {
        format!("+++\n{toml}+++\n# Page\n")
    } else {
        toml
    };
    write(org, file, &text);
}

/// Every one-line field of every file kind, with every family of forbidden character:
/// an `invalid-value` at that file, naming the key, and exit 1.
#[test]
fn control_characters_in_every_one_line_field_are_invalid_values() {
    let org = clean_org("values-one-line");
    let mut attacked = 0;
    for (kind, schema) in FILE_KINDS {
        let (file, entity) = file_of(kind);
        let mut fields = Vec::new();
        one_line_fields(schema, Vec::new(), &mut fields);
        for (path, ty) in fields {
            let key = key_of(&path);
            for (i, c) in FORBIDDEN.iter().enumerate() {
                let payload = format!("x{c}::add-mask::y");
                let values: Vec<Value> = match ty {
                    FieldType::Texts => vec![Value::Array(vec![Value::String(payload)])],
                    // A free key is shown like its value: both are one line.
                    FieldType::TextMap => vec![
                        Value::Table(Table::from_iter([(
                            "age".to_owned(),
                            Value::String(payload.clone()),
                        )])),
                        Value::Table(Table::from_iter([(payload, Value::String("35".into()))])),
                    ],
                    _ => vec![Value::String(payload)],
                };
                for value in values {
                    // Every file as in the clean org, then the hostile one.
                    reset(&org);
                    let mut table = read_table(&org, file);
                    let entity_table = match entity {
                        Some(id) => table[id].as_table_mut().unwrap(),
                        None => &mut table,
                    };
                    set(entity_table, &path, value);
                    write_table(&org, file, &table);
                    let out = output(&mut accord(&[
                        "check".as_ref(),
                        org.as_os_str(),
                        "--format".as_ref(),
                        "json".as_ref(),
                        "--today".as_ref(),
                        TODAY.as_ref(),
                    ]));
                    let findings = json_findings(&out);
                    assert_eq!(exit_code(&out), 1, "{kind}.{key} with {c:?}: {findings:?}");
                    assert!(
                        findings.iter().any(|f| f.rule == "invalid-value"
                            && f.file == file
                            && f.message.contains(key)),
                        "{kind}.{key} with {c:?} (#{i}): {findings:?}"
                    );
                    assert_no_command_lines(&out, "check --format json");
                    attacked += 1;
                }
            }
        }
    }
    assert!(attacked >= 25 * FORBIDDEN.len(), "only {attacked} attacks");
}

/// No line of stdout or stderr starts with `::` (or holds a carriage return, which some
/// log viewers also take as a line break), except, when `annotations` is true, accord's
/// own workflow commands, whose message and properties are escaped.
fn assert_lines(out: &Output, what: &str, annotations: bool) {
    let text = all_output(out);
    assert!(
        !text.contains('\r'),
        "{what}: a carriage return reached the output:\n{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "{what}: an escape character reached the output:\n{text}"
    );
    for line in text.lines() {
        if !line.starts_with("::") {
            continue;
        }
        let ours = annotations
            && ["::error file=", "::warning file=", "::notice file="]
                .iter()
                .any(|p| line.starts_with(p));
        assert!(ours, "{what}: a line starts with `::`: {line}\n{text}");
    }
}

fn assert_no_command_lines(out: &Output, what: &str) {
    assert_lines(out, what, false);
}

/// A git repository whose only commit holds the clean fixture in `org/`: `diff` compares
/// the hostile working tree with it.
fn repo(name: &str) -> TempPath {
    let repo = temp_dir(name);
    reset(&repo.join("org"));
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    repo.child("org")
}

fn edit(org: &Path, file: &str, from: &str, to: &str) {
    let path = org.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} not in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn run(org: &Path, args: &[&str]) -> Output {
    let mut all: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    all.push(org.as_os_str());
    all.extend(["--today", TODAY].map(std::ffi::OsStr::new));
    output(&mut accord(&all))
}

/// Runs every command that prints text from the files and checks every line of it.
fn assert_every_output_is_safe(org: &Path) -> Vec<Output> {
    let mut outputs = Vec::new();
    for format in ["human", "json", "github"] {
        let out = run(org, &["check", "--format", format]);
        assert!(matches!(exit_code(&out), 0 | 1), "{}", all_output(&out));
        assert_lines(
            &out,
            &format!("check --format {format}"),
            format == "github",
        );
        outputs.push(out);
    }
    for format in ["markdown", "json"] {
        let out = run(org, &["diff", "--base", "HEAD", "--format", format]);
        assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
        assert_no_command_lines(&out, &format!("diff --format {format}"));
        outputs.push(out);
    }
    for id in ["ana-garcia", "marketing", "bruno-diaz"] {
        let out = output(&mut accord(&["who".as_ref(), id.as_ref(), org.as_os_str()]));
        assert_no_command_lines(&out, &format!("who {id}"));
        outputs.push(out);
    }
    let out = output(&mut accord(&["codeowners".as_ref(), org.as_os_str()]));
    assert_no_command_lines(&out, "codeowners");
    outputs.push(out);
    let site = org.with_extension("site");
    let out = output(&mut accord(&[
        "build".as_ref(),
        org.as_os_str(),
        "-o".as_ref(),
        site.as_os_str(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]));
    assert_no_command_lines(&out, "build");
    outputs.push(out);
    outputs
}

/// `\n::add-mask::` and `::error::` in every kind of field (one-line text, lists, free
/// keys and values, ids, references, words, handles, a quoted unknown key, file and folder
/// names): every output is checked line by line, and the github annotations carry the
/// payload escaped.
#[test]
fn workflow_commands_in_one_line_fields_ids_and_keys_never_start_a_line() {
    let org = repo("values-commands-invalid");
    let agreement = "agreements/marketing-sales.toml";
    let payload = "\\n::add-mask::secret\\r\\n::error::x";
    edit(
        &org,
        agreement,
        "title = \"",
        &format!("title = \"{payload}"),
    );
    edit(
        &org,
        agreement,
        "id = \"lead-volume\"",
        &format!("id = \"lead{payload}\""),
    );
    edit(
        &org,
        "kpis/call-back-minutes.toml",
        "owners = [\"bruno-diaz\"]",
        &format!("owners = [\"bruno-diaz\", \"ana{payload}\"]"),
    );
    edit(
        &org,
        agreement,
        "review = \"monthly\"",
        &format!("\"{payload}\" = 1\nreview = \"monthly\""),
    );
    edit(
        &org,
        "meetings/smarketing-weekly.toml",
        "cadence = \"weekly\"",
        &format!("cadence = \"weekly{payload}\""),
    );
    edit(
        &org,
        "meetings/smarketing-monthly.toml",
        "name = \"",
        &format!("agenda = [\"{payload}\"]\nname = \""),
    );
    edit(
        &org,
        "personas/operations-olga.toml",
        "role = \"COO\"",
        &format!("role = \"COO\"\n\"{payload}\" = \"{payload}\""),
    );
    edit(
        &org,
        "people.toml",
        "handle = \"bruno-diaz\"",
        &format!("handle = \"bruno{payload}\""),
    );
    let team = std::fs::read_to_string(org.join("teams/sales.toml")).unwrap();
    write(&org, "teams/x\n::error::y/extra.toml", &team);
    write(&org, "teams/z\n::add-mask::w.toml", &team);
    write(&org, "docs/a\n::error::b.md", "# A\n");

    let outputs = assert_every_output_is_safe(&org);
    let github = stdout(&outputs[2]);
    assert!(
        github.contains("title=unknown-key::unknown key `\\n::add-mask::secret\\r\\n::error::x`"),
        "the annotations carry the payload, escaped:\n{github}"
    );
    let json = json_findings(&outputs[1]);
    for expected in [
        "invalid-value",
        "unknown-key",
        "bad-id",
        "dangling-reference",
    ] {
        assert!(
            json.iter().any(|f| f.rule == expected),
            "{expected}: {json:?}"
        );
    }
}

/// Markdown fields may hold line breaks: `::` lines, an unclosed HTML comment and a code
/// fence in them still reach no output as a line of their own, and the site builds.
#[test]
fn workflow_commands_in_markdown_fields_never_start_a_line() {
    let org = repo("values-commands-markdown");
    let payload = "\n::add-mask::secret\n::error::x\n<!--\n```\n";
    let multiline = |text: &str| format!("\"\"\"{payload}{text}\"\"\"");
    let agreement = "agreements/marketing-sales.toml";
    edit(
        &org,
        agreement,
        "commitment = \"At least **10 new leads** a month.\"",
        &format!(
            "commitment = {}",
            multiline("At least 12 new leads a month.")
        ),
    );
    edit(
        &org,
        agreement,
        "summary = \"Marketing brings leads; sales calls them back fast.\"",
        &format!("summary = {}", multiline("Leads and calls.")),
    );
    edit(&org, agreement, "target = 10", "target = 12");
    let kpi = "kpis/leads-created.toml";
    edit(
        &org,
        kpi,
        "definition = \"New contacts created in the CRM in the month.\"",
        &format!("definition = {}", multiline("New contacts.")),
    );
    write(
        &org,
        "docs/page.md",
        &format!("+++\ntitle = \"Page\"\n+++\n# Page\n{payload}"),
    );
    let outputs = assert_every_output_is_safe(&org);
    let markdown = stdout(&outputs[3]);
    assert!(
        markdown.contains("add-mask"),
        "the change is shown: {markdown}"
    );
    assert_eq!(exit_code(&outputs[0]), 0, "{}", all_output(&outputs[0]));
}

/// The structure of a Markdown document: its headings and list items, and whether it has
/// any raw HTML (which would hide what follows it).
fn structure(markdown: &str) -> (usize, usize, usize) {
    let (mut headings, mut items, mut html) = (0, 0, 0);
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { .. }) => headings += 1,
            Event::Start(Tag::Item) => items += 1,
            Event::Html(_) | Event::InlineHtml(_) => html += 1,
            _ => {}
        }
    }
    (headings, items, html)
}

/// A title that opens an HTML comment (or emphasis, or a link) leaves the structure of
/// `diff`'s Markdown as it is with a plain title: the changes, the ownership and the
/// signatures needed all stay visible to the reviewer.
#[test]
fn a_title_cannot_hide_the_rest_of_the_review() {
    let summary = |title: &str| {
        let org = repo(&format!("values-diff-{}", title.len()));
        let agreement = "agreements/marketing-sales.toml";
        edit(&org, agreement, "title = \"", &format!("title = \"{title}"));
        edit(&org, agreement, "target = 10", "target = 12");
        // A term that changes hands: the ownership section names the agreement too.
        edit(
            &org,
            agreement,
            "owner = \"ana-garcia\"",
            "owner = \"elena-mora\"",
        );
        let out = run(&org, &["diff", "--base", "HEAD"]);
        assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
        stdout(&out)
    };
    let plain = summary("Plain ");
    let (headings, items, html) = structure(&plain);
    assert_eq!(html, 0, "{plain}");
    assert!(headings >= 4 && items > 5, "{plain}");
    for hostile in [
        "<!-- ",
        "<!-- *a* [b](c) `d ",
        "<script>x</script> ",
        "</li><!--x-->  ",
    ] {
        let markdown = summary(hostile);
        assert_eq!(
            structure(&markdown),
            (headings, items, 0),
            "with {hostile:?}:\n{markdown}"
        );
    }
}

/// Raw HTML that the pages drop (an HTML comment with notes) is not published in
/// data.json either; the text around it is.
#[test]
fn data_json_carries_markdown_without_raw_html() {
    let org = clean_org("values-data-json");
    edit(
        &org,
        "kpis/leads-created.toml",
        "definition = \"New contacts",
        "definition = \"New <!-- secret-note --> <b onclick=\\\"x()\\\">contacts</b>",
    );
    edit(
        &org,
        "agreements/marketing-sales.toml",
        "commitment = \"At least",
        "commitment = \"\"\"\n<!--\nsecret-note\n-->\n\nAt least",
    );
    edit(
        &org,
        "agreements/marketing-sales.toml",
        "a month.\"",
        "a month.\"\"\"",
    );
    write(
        &org,
        "docs/page.md",
        "# Page\n\n<!-- secret-note -->\nVisible text.\n",
    );
    let site = org.join("public");
    let out = output(&mut accord(&[
        "build".as_ref(),
        org.as_os_str(),
        "-o".as_ref(),
        site.as_os_str(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]));
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    let data = std::fs::read_to_string(site.join("data.json")).unwrap();
    assert!(!data.contains("secret-note"), "{data}");
    assert!(!data.contains("onclick"), "{data}");
    assert!(!data.contains("<!--"), "{data}");
    for kept in ["New", "contacts", "At least", "Visible text."] {
        assert!(data.contains(kept), "{kept} is kept: {data}");
    }
}

/// A KPI target too large for accord to compare is refused at its value, so no page can
/// show it as `inf` and covered; so are `nan` and `inf`, which TOML allows.
#[test]
fn numbers_beyond_1e15_are_invalid_values_at_the_value() {
    let org = clean_org("values-numbers");
    for (value, ok) in [
        ("1.79e308", false),
        ("inf", false),
        ("-inf", false),
        ("nan", false),
        ("1_000_000_000_000_001", false),
        ("-1e16", false),
        ("1e15", true),
        ("999_999_999_999_999", true),
    ] {
        reset(&org);
        edit(
            &org,
            "kpis/leads-created.toml",
            "target = 10",
            &format!("target = {value}"),
        );
        let out = run(&org, &["check", "--format", "json"]);
        let findings = json_findings(&out);
        if ok {
            assert!(
                findings.iter().all(|f| f.rule != "invalid-value"),
                "{value}: {findings:?}"
            );
        } else {
            assert_eq!(exit_code(&out), 1, "{value}: {findings:?}");
            let f = &findings[0];
            assert_eq!(
                (f.rule.as_str(), f.file.as_str(), f.line, f.column),
                ("invalid-value", "kpis/leads-created.toml", 6, 10),
                "{value}: {findings:?}"
            );
        }
    }
}
