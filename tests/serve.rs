//! `accord serve` over real HTTP: pages, content types, traversal, live reload, the
//! error page and recovery, HEAD, and the hosts and methods it answers (SPEC 7.2; the
//! attacks are in tests/hostile/serve.rs).

mod common;
#[path = "common/serve.rs"]
mod served;

use std::io::BufRead;

use common::{TODAY, accord};
use served::{get, open_events, org, request, request_for, serve, wait_for};

#[test]
fn serves_the_site_with_content_types_and_the_reload_script() {
    let served_org = org("serve-pages");
    let server = serve(&served_org);
    let (status, head, body) = get(&server, "/");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(
        body.contains("Clean Org") && body.contains("/__accord/events"),
        "{body}"
    );
    let (status, head, _) = get(&server, "/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("text/css"));
    assert!(get(&server, "/data.json").1.contains("application/json"));
    let (status, head, body) = get(&server, "/teams/marketing.ics");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: text/calendar; charset=utf-8"),
        "{head}"
    );
    assert!(body.starts_with("BEGIN:VCALENDAR\r\n"), "{body}");
    let (status, _, body) = get(&server, "/teams/marketing.html?from=test");
    assert_eq!(status, 200);
    assert!(body.contains("<h1>Marketing</h1>"));
    let (status, _, body) = get(&server, "/no-such-page.html");
    assert_eq!(status, 404);
    assert!(body.contains("Not found"));
}

#[test]
fn requests_that_leave_the_site_get_404() {
    let org = org("serve-traversal");
    let server = serve(&org);
    for target in [
        "/../accord.toml",
        "/%2e%2e/accord.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/teams/..%2f..%2faccord.toml",
        "/..\\accord.toml",
        "//etc/passwd",
        "/accord.toml",
        "/teams/marketing.toml",
        // An absolute-form target naming another host is refused outright.
        "http://elsewhere/etc/passwd",
    ] {
        let (status, _, body) = get(&server, target);
        assert!(matches!(status, 404 | 421), "{target}: {status}");
        assert!(
            !body.contains("[org]") && !body.contains("root:"),
            "{target} leaked a file"
        );
    }
}

#[test]
fn edits_rebuild_reload_show_errors_and_recover() {
    let org = org("serve-edit");
    let server = serve(&org);
    let mut events = open_events(&server);
    let mut line = String::new();

    let team = org.join("teams/marketing.toml");
    let original = replace_in(&team, "name = \"Marketing\"", "name = \"Growth Marketing\"");
    loop {
        line.clear();
        events
            .read_line(&mut line)
            .expect("a reload event after an edit");
        if line.starts_with("data: reload") {
            break;
        }
    }
    wait_for(&server, "/teams/marketing.html", |status, body| {
        status == 200 && body.contains("<h1>Growth Marketing</h1>")
    });

    let typo = format!("{original}\nnmae = \"typo\"\n");
    std::fs::write(&team, &typo).unwrap();
    // The finding's own line and column, not the file's first line.
    let typo_line = typo.lines().position(|l| l.starts_with("nmae")).unwrap() + 1;
    assert!(typo_line > 1);
    let location = format!("<code>teams/marketing.toml:{typo_line}:1</code>");
    for page in [
        "/index.html",
        "/teams/marketing.html",
        "/people/ana-garcia.html",
    ] {
        let (status, body) = wait_for(&server, page, |_, body| body.contains("unknown-key"));
        assert_eq!(status, 500, "{page}");
        assert!(
            body.contains(&location),
            "{page}: the location {location} is shown in {body}"
        );
        assert!(
            body.contains("/__accord/events"),
            "the error page reloads too"
        );
    }

    std::fs::write(&team, &original).unwrap();
    wait_for(&server, "/teams/marketing.html", |status, body| {
        status == 200 && body.contains("<h1>Marketing</h1>")
    });
}

#[test]
fn the_reload_script_is_only_in_served_pages() {
    let org = org("serve-build-clean");
    let out = org.join("public");
    let result = common::output(&mut accord(&[
        "build".as_ref(),
        org.as_os_str(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]));
    assert_eq!(common::exit_code(&result), 0);
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            // The search page's scripts are the site's own; the reload script is not.
            let scripts = if entry.path().ends_with("search.html") {
                2
            } else {
                0
            };
            assert!(
                html.matches("<script").count() == scripts && !html.contains("/__accord/"),
                "{} has a script",
                entry.path().display()
            );
        }
    }
}

#[test]
fn head_answers_the_headers_of_get_without_the_body() {
    let served_org = org("serve-head");
    let server = serve(&served_org);
    let get = request(&server, "GET", "/data.json");
    let head = request(&server, "HEAD", "/data.json");
    assert_eq!((get.status, head.status), (200, 200));
    let length = |head: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .map(str::to_owned)
    };
    assert_eq!(length(&head.head), Some(get.body.len().to_string()));
    assert!(head.head.contains("content-type: application/json"));
    assert_eq!(head.body, "");
}

#[test]
fn only_get_and_head_on_this_servers_own_names_are_answered() {
    let served_org = org("serve-host");
    let server = serve(&served_org);
    let port = server.port().to_owned();
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        assert_eq!(
            request_for(&server, "GET", "/", &host).status,
            200,
            "{host}"
        );
    }
    for host in ["evil.example".to_owned(), format!("evil.example:{port}")] {
        let answer = request_for(&server, "GET", "/data.json", &host);
        assert_eq!(answer.status, 421, "{host}");
        assert!(!answer.body.contains("\"teams\""), "{host} read data.json");
    }
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let answer = request(&server, method, "/index.html");
        assert_eq!(answer.status, 405, "{method}");
        assert!(
            answer.head.contains("allow: get, head"),
            "{method}: {}",
            answer.head
        );
    }
}

#[test]
fn rule_errors_show_the_site_with_a_banner_and_the_error_page_only_when_strict() {
    let org = org("serve-late");
    // Dated after the agreement's expiry: `expired-agreement`, a rule's error.
    let late = |extra: &[&str]| {
        let mut args = vec![
            "serve",
            org.to_str().unwrap(),
            "--port",
            "0",
            "--today",
            "2099-01-01",
        ];
        args.extend(extra);
        served::serve_with(accord(&args))
    };
    let server = late(&[]);
    let (status, _, body) = get(&server, "/agreements/marketing-sales.html");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Expired"), "{body}");
    assert!(body.contains("class=\"errors-banner\""), "{body}");

    let strict = late(&["--strict"]);
    let (status, _, body) = get(&strict, "/agreements/marketing-sales.html");
    assert_eq!(status, 500, "{body}");
    assert!(body.contains("expired-agreement"), "{body}");
    // At `expires`, line 7 of the agreement.
    assert!(
        body.contains("<code>agreements/marketing-sales.toml:7:"),
        "{body}"
    );
}

/// The processes whose parent is `pid` and that have ended without being waited for.
#[cfg(target_os = "linux")]
fn zombie_children(pid: u32) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| std::fs::read_to_string(entry.ok()?.path().join("stat")).ok())
        .filter(|stat| {
            // `PID (COMMAND) STATE PPID ...`: the command may hold spaces and parentheses.
            let fields: Vec<&str> = stat
                .rsplit_once(')')
                .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
            fields.first() == Some(&"Z") && fields.get(1) == Some(&pid.to_string().as_str())
        })
        .collect()
}

/// `serve --open` where the browser cannot be opened: no opener on PATH, or an opener
/// that chatters and fails. Either way the server says so in one line and keeps
/// serving, and the failed opener is waited for, not left a zombie.
#[cfg(target_os = "linux")]
#[test]
fn open_without_a_browser_is_one_line_and_leaves_no_zombie() {
    use std::os::unix::fs::PermissionsExt;
    let org = org("serve-open");
    let failing = org.with_file_name("failing-opener");
    std::fs::create_dir_all(&failing).unwrap();
    let opener = failing.join("xdg-open");
    std::fs::write(
        &opener,
        "#!/bin/sh\necho 'xdg-open: no method available' >&2\necho chatter\nexit 3\n",
    )
    .unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let empty = org.with_file_name("empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    for (path, why) in [(&empty, "No such file"), (&failing, "exit status: 3")] {
        let log = org.with_file_name("serve-open.log");
        let mut args = served::serve_args(&org);
        args.push("--open".as_ref());
        let mut command = accord(&args);
        command
            .env("PATH", path)
            .env_remove("BROWSER")
            .stdout(std::process::Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap());
        let mut server = served::Server {
            child: command.spawn().expect("accord serve starts"),
            address: String::new(),
        };
        let stdout = server.child.stdout.take().expect("stdout");
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .unwrap();
        assert!(line.starts_with("serving "), "{line}");
        let pid = server.child.id();
        let warnings = || {
            std::fs::read_to_string(&log)
                .unwrap()
                .lines()
                .filter(|l| l.contains("browser") || l.contains("chatter"))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let start = std::time::Instant::now();
        while warnings().is_empty() && start.elapsed().as_secs() < 10 {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        // The opener has ended once the warning is written; give a reaper a moment.
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert_eq!(zombie_children(pid), Vec::<String>::new(), "{why}");
        server.assert_alive();
        let warnings = warnings();
        assert_eq!(warnings.len(), 1, "{why}: {warnings:?}");
        assert!(
            warnings[0].starts_with("warning: cannot open a browser (xdg-open: ")
                && warnings[0].contains(why)
                && warnings[0].ends_with("yourself"),
            "{warnings:?}"
        );
    }
}

/// `$BROWSER` names the browser to open, as xdg-utils read it.
#[cfg(unix)]
#[test]
fn open_runs_the_browser_named_by_the_browser_variable() {
    use std::os::unix::fs::PermissionsExt;
    let org = org("serve-open-browser");
    let browser = org.with_file_name("my-browser");
    let opened = org.with_file_name("opened");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut args = served::serve_args(&org);
    args.push("--open".as_ref());
    let mut command = accord(&args);
    // No xdg-open on PATH: only accord itself can have read the variable.
    let empty = org.with_file_name("empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    command
        .env("BROWSER", format!(":{}", browser.display()))
        .env("PATH", &empty);
    let server = served::serve_with(command);
    let start = std::time::Instant::now();
    let read = || std::fs::read_to_string(&opened).unwrap_or_default();
    // The shell creates the file before it writes the line: wait for the line.
    while !read().ends_with('\n') && start.elapsed().as_secs() < 10 {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let url = read();
    assert_eq!(url.trim(), format!("http://{}/", server.address));
}

/// Every generated file of the site (not the org's static files) that `build` writes,
/// by its path from the site root.
fn built_files(org: &std::path::Path, name: &str) -> Vec<(String, Vec<u8>)> {
    let out = common::temp_dir(name).child("site");
    common::build_site(org, &out, TODAY);
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&out).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path().strip_prefix(&out).unwrap().to_str().unwrap();
        if entry.file_type().is_file() && !path.starts_with('.') {
            files.push((
                path.replace('\\', "/"),
                std::fs::read(entry.path()).unwrap(),
            ));
        }
    }
    assert!(files.len() > 20, "{files:?}");
    files
}

#[test]
fn every_file_rendered_on_demand_is_the_file_build_writes() {
    let org = org("serve-equals-build");
    let server = serve(&org);
    for (path, built) in built_files(&org, "serve-equals-build-site") {
        let (status, _, body) = get(&server, &format!("/{path}"));
        assert_eq!(status, 200, "{path}");
        assert_eq!(
            served::without_reload_script(&body),
            String::from_utf8_lossy(&built),
            "{path}"
        );
    }
}

/// The render number and the page (as built) of every HTML page of the site.
fn pages_as_served(
    server: &served::Server,
    paths: &[String],
) -> std::collections::BTreeMap<String, (u64, String)> {
    paths
        .iter()
        .map(|path| {
            let (status, head, body) = get(server, &format!("/{path}"));
            assert_eq!(status, 200, "{path}");
            let page = (
                served::render_number(&head),
                served::without_reload_script(&body),
            );
            (path.clone(), page)
        })
        .collect()
}

#[test]
fn an_edit_renders_again_exactly_the_pages_it_changes() {
    let org = org("serve-edit-renders");
    let pages: Vec<String> = built_files(&org, "serve-edit-renders-site")
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| path.ends_with(".html"))
        .collect();
    let (server, terminal) = served::serve_with_terminal(&org);
    let before = pages_as_served(&server, &pages);
    // Asked again in the same generation: the same renders.
    assert_eq!(pages_as_served(&server, &pages), before);

    let mut events = open_events(&server);
    let people = org.join("people.toml");
    replace_in(
        &people,
        "name = \"Elena Mora\"",
        "name = \"Elena Mora-Vidal\"",
    );
    served::wait_for_reload(&mut events);
    served::terminal_line(&terminal, |line| {
        line.starts_with("reloaded in ") && line.ends_with(" ms: 1 file changed")
    });
    let after = pages_as_served(&server, &pages);
    let rendered: Vec<&String> = pages
        .iter()
        .filter(|path| after[*path].0 != before[*path].0)
        .collect();
    let changed: Vec<&String> = pages
        .iter()
        .filter(|path| after[*path].1 != before[*path].1)
        .collect();
    assert_eq!(rendered, changed);
    assert!(
        rendered.contains(&&"people/elena-mora.html".to_owned()),
        "{rendered:?}"
    );
    assert!(rendered.len() < pages.len() / 2, "{rendered:?}");
    for path in rendered {
        assert!(after[path].1.contains("Elena Mora-Vidal"), "{path}");
    }
}

#[test]
fn a_page_asked_for_by_many_at_once_is_rendered_once() {
    let org = org("serve-many-at-once");
    let server = serve(&org);
    let numbers: Vec<u64> = std::thread::scope(|scope| {
        let asking: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| get(&server, "/owners.html")))
            .collect();
        asking
            .into_iter()
            .map(|asked| {
                let (status, head, _) = asked.join().unwrap();
                assert_eq!(status, 200);
                served::render_number(&head)
            })
            .collect()
    });
    assert!(numbers.iter().all(|n| *n == numbers[0]), "{numbers:?}");
}

#[test]
fn a_template_that_fails_for_one_page_gives_it_a_500_and_the_rest_of_the_site_works() {
    let org = org("serve-one-page-fails");
    std::fs::create_dir_all(org.join("templates")).unwrap();
    let person = include_str!("../templates/person.html").replace(
        "{% block content %}",
        "{% block content %}{% if page.name == \"Elena Mora\" %}{{ page.missing[\"<b>key</b>\"] }}{% endif %}",
    );
    std::fs::write(org.join("templates/person.html"), person).unwrap();
    let (server, terminal) = served::serve_with_terminal(&org);
    let (status, _, body) = get(&server, "/people/elena-mora.html");
    assert_eq!(status, 500, "{body}");
    assert!(
        body.contains("people/elena-mora.html") && body.contains("person.html"),
        "{body}"
    );
    assert!(!body.contains("<b>key"), "the error is escaped: {body}");
    assert!(
        body.contains("/__accord/events"),
        "the error page reloads too"
    );
    let line = terminal_line_about(&terminal, "people/elena-mora.html");
    assert!(line.contains("person.html"), "{line}");
    for page in [
        "/people/ana-garcia.html",
        "/index.html",
        "/teams/sales.html",
    ] {
        assert_eq!(get(&server, page).0, 200, "{page}");
    }
}

fn terminal_line_about(terminal: &std::sync::mpsc::Receiver<String>, path: &str) -> String {
    served::terminal_line(terminal, |line| line.contains(path))
}

#[test]
fn files_read_again_one_by_one_give_the_site_a_whole_read_gives() {
    let org = org("serve-reread");
    let (server, terminal) = served::serve_with_terminal(&org);
    let mut events = open_events(&server);
    // A new team, then its removal: each read as one file.
    let team = org.join("teams/partners.toml");
    std::fs::write(
        &team,
        "name = \"Partners\"\nlead = \"ana-garcia\"\nfunction = \"sales\"\n",
    )
    .unwrap();
    served::wait_for_reload(&mut events);
    served::terminal_line(&terminal, |line| line.ends_with("ms: 1 file changed"));
    let (status, _, body) = get(&server, "/teams/partners.html");
    assert_eq!(status, 200, "{body}");
    let with_partners = built_files(&org, "serve-reread-with");
    for (path, built) in &with_partners {
        let (_, _, body) = get(&server, &format!("/{path}"));
        assert_eq!(
            served::without_reload_script(&body),
            String::from_utf8_lossy(built),
            "{path}"
        );
    }
    std::fs::remove_file(&team).unwrap();
    served::wait_for_reload(&mut events);
    served::terminal_line(&terminal, |line| line.ends_with("ms: 1 file changed"));
    assert_eq!(get(&server, "/teams/partners.html").0, 404);
    // A new top-level folder may be one the format does not know: the whole org.
    std::fs::create_dir(org.join("drafts")).unwrap();
    served::wait_for_reload(&mut events);
    served::terminal_line(&terminal, |line| line.ends_with("ms: the whole org read"));
    let (status, _, body) = get(&server, "/health.html");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("drafts"), "the unknown folder is reported");
}

#[cfg(unix)]
#[test]
fn in_an_org_with_links_every_save_reads_the_whole_org() {
    let org = org("serve-links");
    // The watcher names the file written, never the link that shows it too.
    std::os::unix::fs::symlink("marketing.toml", org.join("teams/alias.toml")).unwrap();
    let (server, terminal) = served::serve_with_terminal(&org);
    let mut events = open_events(&server);
    let team = org.join("teams/marketing.toml");
    replace_in(&team, "name = \"Marketing\"", "name = \"Growth Marketing\"");
    served::wait_for_reload(&mut events);
    served::terminal_line(&terminal, |line| line.ends_with("ms: the whole org read"));
    for page in ["/teams/marketing.html", "/teams/alias.html"] {
        let (status, _, body) = get(&server, page);
        assert_eq!(status, 200, "{page}");
        assert!(body.contains("<h1>Growth Marketing</h1>"), "{page}: {body}");
    }
}

#[test]
fn a_save_that_fails_the_gate_shows_the_findings_everywhere_until_the_next_good_save() {
    let org = org("serve-gate");
    let built = built_files(&org, "serve-gate-site");
    let (server, terminal) = served::serve_with_terminal(&org);
    let mut events = open_events(&server);
    let people = org.join("people.toml");
    let original = std::fs::read_to_string(&people).unwrap();
    std::fs::write(&people, format!("{original}\n[broken\n")).unwrap();
    served::wait_for_reload(&mut events);
    served::terminal_line(&terminal, |line| line.starts_with("build failed in "));
    for (path, _) in &built {
        let (status, _, body) = get(&server, &format!("/{path}"));
        let expected = if path.ends_with(".html") { 500 } else { 404 };
        assert_eq!(status, expected, "{path}");
        assert!(body.contains("The org does not build"), "{path}: {body}");
        assert!(body.contains("people.toml"), "{path}: {body}");
    }
    std::fs::write(&people, &original).unwrap();
    served::wait_for_reload(&mut events);
    served::terminal_line(&terminal, |line| line.ends_with("ms: 1 file changed"));
    for (path, built) in &built {
        let (status, _, body) = get(&server, &format!("/{path}"));
        assert_eq!(status, 200, "{path}");
        assert_eq!(
            served::without_reload_script(&body),
            String::from_utf8_lossy(built),
            "{path}"
        );
    }
}

/// Replaces `from` by `to` in the file at `path`, as an editor's save does; returns the
/// text it had.
fn replace_in(path: &std::path::Path, from: &str, to: &str) -> String {
    let original = std::fs::read_to_string(path).unwrap();
    assert!(
        original.contains(from),
        "{} holds no {from}",
        path.display()
    );
    std::fs::write(path, original.replace(from, to)).unwrap();
    original
}
