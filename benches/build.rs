//! `accord check` and `accord build` on orgs of about 100, 1,000 and 10,000 pages, and Hugo
//! building a site of as many comparable Markdown pages, in the same run.
//!
//! ```sh
//! cargo bench --bench build
//! ```
//!
//! A plain program (`harness = false`), not a test. Everything happens in a fresh
//! directory under /dev/shm (tmpfs) when it exists, so the disk is out of the picture, and
//! every build writes into a **new** output directory (never into one just deleted: on a
//! disk that is several times slower). For each size it
//!
//! 1. generates an org with `benches/support/generate.rs`, with the number of teams whose
//!    site has the page count closest to the target (pages = `.html` files a build
//!    actually writes; the page count per region is measured first on 1 and 2 regions);
//! 2. checks it with `--deny-warnings` (the org must be quiet), builds it once (warm-up)
//!    and counts the pages, per folder, and their bytes;
//! 3. writes a Hugo site with the same number of pages in the same sections (people,
//!    teams, KPIs, ...) and about the same HTML bytes per page in each section: TOML
//!    front matter (title, date), paragraphs with emphasis and links, a Markdown table of
//!    links, a list; section list pages and a home page that lists every page; minimal
//!    layouts of its own (`baseof.html` with a nav of fixed links, as accord's,
//!    `single.html`, `list.html`), no theme, nothing fetched. Hugo's own list pages (home
//!    and one per section) take the place of accord's index, owners, health and plan
//!    pages, so both sites have the same number of `.html` files. A second, **light**
//!    Hugo site has the same pages with only the front matter and one paragraph each:
//!    Hugo at its fastest on this machine, whatever one thinks of the comparable pages;
//! 4. runs, N times in interleaved rounds (so that a change in the machine's load falls
//!    on all of them alike), `accord check DIR --today 2026-06-15`,
//!    `accord build DIR -o OUT --today 2026-06-15` (the release binary as a process) and
//!    `hugo --quiet --noBuildLock --source SITE --destination OUT --cacheDir C` on both
//!    Hugo sites, every build into a new directory; median wall time from spawn to exit;
//!    then each once more under GNU time (`/usr/bin/time -f "%M %U %S"`) for the peak RSS
//!    and the CPU time;
//!
//! and prints Markdown tables. `ACCORD_BENCH_KEEP=1` keeps the directory;
//! `ACCORD_BENCH_SIZES=1000,10000,30000` chooses other sizes (pages); `ACCORD_BENCH_HUGO`
//! names the hugo binary (default: `hugo` on the PATH; the Hugo columns say `n/a` when
//! there is none).

#[path = "support/generate.rs"]
mod generate;
#[path = "support/measure.rs"]
mod measure;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Pages asked for, unless `ACCORD_BENCH_SIZES` gives others.
const SIZES: [usize; 3] = [100, 1_000, 10_000];
const TODAY: &str = "2026-06-15";

/// Runs of each timed command at a size.
fn runs_for(pages: usize) -> usize {
    measure::runs(match pages {
        0..500 => 9,
        500..5_000 => 7,
        5_000..20_000 => 5,
        _ => 3,
    })
}

fn main() {
    if let Err(e) = run() {
        eprintln!("bench build: {e}");
        std::process::exit(1);
    }
}

/// One timed command: median wall time of the runs, and peak RSS and CPU time of one
/// more run under GNU time.
#[derive(Clone, Copy)]
struct Timing {
    runs: usize,
    median: Duration,
    min: Duration,
    /// kB, user + system seconds; `None` without /usr/bin/time.
    rss_cpu: Option<(u64, f64)>,
}

/// What a build wrote.
#[derive(Default, Clone)]
struct Site {
    /// `.html` files, by top-level folder ("" for the root).
    pages: BTreeMap<String, (usize, u64)>,
    /// Every file, and their bytes.
    files: usize,
    bytes: u64,
}

impl Site {
    fn html(&self) -> usize {
        self.pages.values().map(|(n, _)| n).sum()
    }
    fn html_bytes(&self) -> u64 {
        self.pages.values().map(|(_, b)| b).sum()
    }
}

struct Row {
    asked: usize,
    teams: usize,
    entities: usize,
    org_files: usize,
    org_bytes: usize,
    accord_site: Site,
    check: Timing,
    build: Timing,
    hugo: Option<Hugo>,
}

/// Hugo on the comparable site, and on the light one (the same pages, one paragraph each).
struct Hugo {
    site: Site,
    md_pages: usize,
    md_bytes: u64,
    timing: Timing,
    light_site: Site,
    light_md_bytes: u64,
    light: Timing,
}

fn run() -> io::Result<()> {
    let base = measure::fresh_dir("build")?;
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_accord"));
    let gnu_time = Path::new("/usr/bin/time").is_file();
    let hugo = hugo_binary();
    eprintln!("working in {}", base.display());
    let load_before = load_average();

    let (fixed, per_region) = calibrate(&bin, &base)?;
    eprintln!("pages = {fixed} + {per_region} per region");

    let mut rows = Vec::new();
    // A new output directory for every build, never one just deleted.
    let serial = std::cell::Cell::new(0usize);
    let fresh = |what: &str| {
        serial.set(serial.get() + 1);
        base.join("out").join(format!("{what}-{:04}", serial.get()))
    };
    for asked in measure::sizes(&SIZES)? {
        let runs = runs_for(asked);
        let regions = regions_for(asked, fixed, per_region);
        let teams = regions * generate::TEAMS_PER_REGION;
        let org = base.join(format!("org-{asked}"));
        let counts = generate::write_org(&org, teams)?;

        // Warm-up, and the proof that the org is valid and quiet.
        quiet_check(&bin, &org)?;
        let warm = fresh("accord-warm");
        accord_build(&bin, &org, &warm)?;
        let accord_site = survey(&warm)?;
        eprintln!(
            "{asked} pages asked: {teams} teams, {} entities, {} pages; {runs} runs",
            counts.entities(),
            accord_site.html()
        );

        // The Hugo sites (comparable and light), each built once to warm up and survey.
        let cache = base.join("hugo-cache");
        let hugo_command = |hugo: &Path, site: &Path, out: PathBuf| {
            let mut c = Command::new(hugo);
            c.args(["--quiet", "--noBuildLock", "--source"])
                .arg(site)
                .arg("--destination")
                .arg(out)
                .arg("--cacheDir")
                .arg(&cache);
            c
        };
        let mut hugo_sites = Vec::new();
        if let Some(hugo) = &hugo {
            for light in [false, true] {
                let name = if light { "hugo-light" } else { "hugo" };
                let site = base.join(format!("{name}-{asked}"));
                let (pages, bytes) = write_hugo_site(&site, &accord_site, light)?;
                let warm = fresh(&format!("{name}-warm"));
                run_ok(hugo_command(hugo, &site, warm.clone()))?;
                hugo_sites.push((name, site, survey(&warm)?, pages, bytes));
            }
        }

        // Every command once per round, round after round, so that a change in the load
        // of the machine falls on all of them alike.
        let mut commands: Vec<Box<dyn Fn() -> Command + '_>> = vec![
            Box::new(|| {
                let mut c = Command::new(&bin);
                c.arg("check").arg(&org).args(["--today", TODAY]);
                c
            }),
            Box::new(|| {
                let mut c = Command::new(&bin);
                c.arg("build")
                    .arg(&org)
                    .arg("-o")
                    .arg(fresh("accord"))
                    .args(["--today", TODAY]);
                c
            }),
        ];
        if let Some(hugo) = &hugo {
            for (name, site, ..) in &hugo_sites {
                commands.push(Box::new(move || hugo_command(hugo, site, fresh(name))));
            }
        }
        let timings = interleaved(runs, gnu_time, &base, &commands)?;
        drop(commands);
        let (check, build) = (timings[0], timings[1]);
        let hugo_row = match hugo_sites.as_slice() {
            [
                (_, _, site, md_pages, md_bytes),
                (_, _, light_site, _, light_md_bytes),
            ] => Some(Hugo {
                site: site.clone(),
                md_pages: *md_pages,
                md_bytes: *md_bytes,
                timing: timings[2],
                light_site: light_site.clone(),
                light_md_bytes: *light_md_bytes,
                light: timings[3],
            }),
            _ => None,
        };

        // The outputs of this size are not needed any more (new names are used anyway).
        if std::env::var_os("ACCORD_BENCH_KEEP").is_none() {
            std::fs::remove_dir_all(base.join("out"))?;
        }

        rows.push(Row {
            asked,
            teams,
            entities: counts.entities(),
            org_files: counts.files,
            org_bytes: counts.bytes,
            accord_site,
            check,
            build,
            hugo: hugo_row,
        });
    }

    print_tables(&rows, &bin, hugo.as_deref(), gnu_time, &base);
    println!();
    println!(
        "Load average (1, 5, 15 min) before: {load_before}; after: {}. On a machine that runs",
        load_average()
    );
    println!("other work, compare the ratios (the runs are interleaved) more than the times.");
    if std::env::var_os("ACCORD_BENCH_KEEP").is_none() {
        std::fs::remove_dir_all(&base)?;
    } else {
        eprintln!("kept {}", base.display());
    }
    Ok(())
}

/// The first three fields of /proc/loadavg, or "n/a".
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or("n/a".into(), |text| {
        text.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    })
}

fn hugo_binary() -> Option<PathBuf> {
    let name = std::env::var_os("ACCORD_BENCH_HUGO").unwrap_or_else(|| "hugo".into());
    let path = PathBuf::from(&name);
    if path.components().count() > 1 {
        return path.is_file().then_some(path);
    }
    let found = std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(&name))
        .find(|p| p.is_file());
    if found.is_none() {
        eprintln!("no hugo on the PATH: skipping the Hugo columns (apt-get install hugo)");
    }
    found
}

fn hugo_version(hugo: &Path) -> String {
    Command::new(hugo)
        .arg("version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".into())
}

/// Pages of a site with 1 and 2 regions: the fixed part and the pages per region.
fn calibrate(bin: &Path, base: &Path) -> io::Result<(usize, usize)> {
    let mut pages = [0usize; 2];
    for (i, regions) in [1usize, 2].into_iter().enumerate() {
        let org = base.join(format!("calibrate-{regions}"));
        generate::write_org(&org, regions * generate::TEAMS_PER_REGION)?;
        let out = base.join(format!("calibrate-{regions}-out"));
        accord_build(bin, &org, &out)?;
        pages[i] = survey(&out)?.html();
        std::fs::remove_dir_all(&org)?;
        std::fs::remove_dir_all(&out)?;
    }
    let per_region = pages[1] - pages[0];
    Ok((pages[0] - per_region, per_region))
}

/// The number of regions whose site has the page count closest to `pages`.
fn regions_for(pages: usize, fixed: usize, per_region: usize) -> usize {
    let below = (pages.saturating_sub(fixed) / per_region).max(1);
    let count = |r: usize| fixed + r * per_region;
    if count(below + 1).abs_diff(pages) < count(below).abs_diff(pages) {
        below + 1
    } else {
        below
    }
}

fn quiet_check(bin: &Path, org: &Path) -> io::Result<()> {
    let mut c = Command::new(bin);
    c.arg("check")
        .arg(org)
        .args(["--deny-warnings", "--today", TODAY]);
    run_ok(c).map_err(|e| {
        io::Error::other(format!(
            "the generated org at {} is not quiet; the benchmark needs one: {e}",
            org.display()
        ))
    })
}

fn accord_build(bin: &Path, org: &Path, out: &Path) -> io::Result<()> {
    let mut c = Command::new(bin);
    c.arg("build")
        .arg(org)
        .arg("-o")
        .arg(out)
        .args(["--today", TODAY]);
    run_ok(c)
}

/// Runs a command to the end, quietly; its stderr is in the error when it fails.
fn run_ok(mut command: Command) -> io::Result<()> {
    let output = command
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()?;
    if output.status.success() {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "{command:?} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}

/// `runs` rounds in which every command runs once (each a new `Command`: new output
/// directories), in order; the median wall time of each, from spawn to exit; then one
/// more run of each under GNU time.
fn interleaved(
    runs: usize,
    gnu_time: bool,
    scratch: &Path,
    commands: &[Box<dyn Fn() -> Command + '_>],
) -> io::Result<Vec<Timing>> {
    let mut times = vec![Vec::with_capacity(runs); commands.len()];
    for _ in 0..runs {
        for (make, times) in commands.iter().zip(&mut times) {
            let command = make();
            let start = Instant::now();
            run_ok(command)?;
            times.push(start.elapsed());
        }
    }
    let mut out = Vec::with_capacity(commands.len());
    for (make, mut times) in commands.iter().zip(times) {
        let rss_cpu = if gnu_time {
            Some(under_gnu_time(make(), scratch)?)
        } else {
            None
        };
        out.push(Timing {
            runs,
            min: *times.iter().min().expect("at least one run"),
            median: measure::median(&mut times),
            rss_cpu,
        });
    }
    Ok(out)
}

/// Peak RSS (kB) and CPU time (user + system, s) of one run: GNU time reports the
/// `ru_maxrss` and `ru_utime`/`ru_stime` that wait4(2) returns for its child.
fn under_gnu_time(command: Command, scratch: &Path) -> io::Result<(u64, f64)> {
    let report = scratch.join("time.txt");
    let mut timed = Command::new("/usr/bin/time");
    timed
        .args(["-f", "%M %U %S", "-o"])
        .arg(&report)
        .arg(command.get_program())
        .args(command.get_args());
    run_ok(timed)?;
    let text = std::fs::read_to_string(&report)?;
    let line = text.lines().next_back().unwrap_or("");
    let fields: Vec<&str> = line.split_whitespace().collect();
    let parse = || -> Option<(u64, f64)> {
        let rss = fields.first()?.parse().ok()?;
        let user: f64 = fields.get(1)?.parse().ok()?;
        let system: f64 = fields.get(2)?.parse().ok()?;
        Some((rss, user + system))
    };
    parse().ok_or_else(|| io::Error::other(format!("cannot read {}: {text:?}", report.display())))
}

/// The `.html` files under `dir` by top-level folder, and every file.
fn survey(dir: &Path) -> io::Result<Site> {
    fn walk(dir: &Path, top: Option<&str>, site: &mut Site) -> io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if kind.is_dir() {
                walk(&entry.path(), Some(top.unwrap_or(&name)), site)?;
            } else {
                let bytes = entry.metadata()?.len();
                site.files += 1;
                site.bytes += bytes;
                if name.ends_with(".html") {
                    let slot = site.pages.entry(top.unwrap_or("").to_owned()).or_default();
                    slot.0 += 1;
                    slot.1 += bytes;
                }
            }
        }
        Ok(())
    }
    let mut site = Site::default();
    walk(dir, None, &mut site)?;
    Ok(site)
}

// --- The Hugo site ----------------------------------------------------------------------

const HUGO_CONFIG: &str = r##"baseURL = "https://estanterias-penalara.example/"
title = "Peñalara — acuerdos entre equipos"
languageCode = "es"
# Pages as people/x.html, like accord, rather than people/x/index.html.
uglyURLs = true
buildFuture = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
enableRobotsTXT = false
"##;

const HUGO_BASEOF: &str = r##"<!doctype html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="hugo">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<a class="skip" href="#main">Saltar al contenido</a>
<header class="site-header">
<a class="brand" href="/index.html">{{ site.Title }}</a>
<nav aria-label="{{ site.Title }}">
<ul>
<li><a href="/index.html"{{ if .IsHome }} aria-current="page"{{ end }}>Panel</a></li>
<li><a href="/agreements.html"{{ if eq .Section "agreements" }} aria-current="page"{{ end }}>Acuerdos</a></li>
<li><a href="/kpis.html"{{ if eq .Section "kpis" }} aria-current="page"{{ end }}>KPI</a></li>
<li><a href="/people.html"{{ if or (eq .Section "people") (eq .Section "teams") }} aria-current="page"{{ end }}>Quién es responsable de qué</a></li>
<li><a href="/meetings.html"{{ if eq .Section "meetings" }} aria-current="page"{{ end }}>Reuniones</a></li>
<li><a href="/docs.html"{{ if eq .Section "docs" }} aria-current="page"{{ end }}>Documentos</a></li>
</ul>
</nav>
</header>
<main id="main">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer">
<p>Generado por Hugo el <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time> · Estanterías Peñalara Group · <a href="/index.html">Panel</a></p>
</footer>
</body>
</html>
"##;

const HUGO_SINGLE: &str = r##"{{ define "main" }}
<p class="kicker">{{ .Section }}</p>
<h1>{{ .Title }}</h1>
<dl class="facts">
<dt>Fecha</dt><dd><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 Jan 2006" }}</time></dd>
<dt>Sección</dt><dd><a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a></dd>
</dl>
<div class="prose">
{{ .Content }}
</div>
{{ end }}
"##;

const HUGO_LIST: &str = r##"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ if .IsHome }}{{ range site.Sections }}
<section id="{{ .Section }}">
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</h2>
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
</section>
{{ end }}{{ else }}
<table>
<thead><tr><th scope="col">Título</th><th scope="col">Fecha</th></tr></thead>
<tbody>
{{ range .Pages }}<tr><th scope="row"><a href="{{ .RelPermalink }}">{{ .Title }}</a></th><td>{{ .Date.Format "2006-01-02" }}</td></tr>
{{ end }}</tbody>
</table>
{{ end }}
{{ end }}
"##;

const FIRST: [&str; 16] = [
    "Lucía",
    "Álvaro",
    "Begoña",
    "Íñigo",
    "Łucja",
    "Paweł",
    "Małgorzata",
    "Wojciech",
    "Sofía",
    "Andrés",
    "Zofia",
    "Łukasz",
    "Nuria",
    "Ramón",
    "Bożena",
    "Jędrzej",
];
const LAST: [&str; 16] = [
    "García Núñez",
    "Żurawska",
    "Ibáñez Sáenz",
    "Wiśniewski",
    "Muñoz Echeverría",
    "Dąbrowska",
    "Peláez Ordóñez",
    "Kozłowski",
    "Domínguez Zúñiga",
    "Stępień",
    "Gutiérrez Díaz",
    "Brzęczyszczykiewicz",
    "Castaño López",
    "Jabłońska",
    "Hernández Gómez",
    "Chmielewski",
];
const WORDS: [&str; 24] = [
    "leads",
    "agreement",
    "pallet",
    "racking",
    "warehouse",
    "quote",
    "inspection",
    "region",
    "handover",
    "installation",
    "customer",
    "target",
    "weekly",
    "review",
    "marketing",
    "sales",
    "distribution",
    "service",
    "CRM",
    "escalation",
    "referee",
    "sponsor",
    "forecast",
    "order",
];

fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn sentence(seed: u64, words: usize) -> String {
    let mut s = String::new();
    for w in 0..words {
        let word = WORDS[(mix(seed * 131 + w as u64) % WORDS.len() as u64) as usize];
        if w == 0 {
            let mut c = word.chars();
            let first = c.next().map(|c| c.to_uppercase().collect::<String>());
            s.push_str(&first.unwrap_or_default());
            s.push_str(c.as_str());
        } else {
            s.push(' ');
            s.push_str(word);
        }
    }
    s.push('.');
    s
}

fn page_name(section: &str, i: usize) -> String {
    format!("{}-{i:05}", section.trim_end_matches('s'))
}

fn display_name(i: usize) -> String {
    let h = mix(i as u64);
    format!(
        "{} {}",
        FIRST[(h % 16) as usize],
        LAST[((h >> 8) % 16) as usize]
    )
}

/// Writes a Hugo site with as many `.html` pages as `accord` (whose `.html` files by
/// folder are given), in the same sections, with about the same HTML bytes per page in
/// each section. Returns the number of Markdown content pages and their bytes.
fn write_hugo_site(site: &Path, accord: &Site, light: bool) -> io::Result<(usize, u64)> {
    let write = |path: &str, text: &str| -> io::Result<()> {
        let path = site.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)
    };
    write("config.toml", HUGO_CONFIG)?;
    write("layouts/_default/baseof.html", HUGO_BASEOF)?;
    write("layouts/_default/single.html", HUGO_SINGLE)?;
    write("layouts/_default/list.html", HUGO_LIST)?;

    // Sections and their pages: accord's folders. Hugo writes one list page per section
    // and the home page; accord's root pages (index, owners, health, plan) are its lists.
    let mut sections: Vec<(String, usize, u64)> = accord
        .pages
        .iter()
        .filter(|(folder, _)| !folder.is_empty())
        .map(|(folder, &(n, bytes))| (folder.clone(), n, bytes / n.max(1) as u64))
        .collect();
    let accord_lists = accord.pages.get("").map_or(0, |(n, _)| *n);
    let hugo_lists = sections.len() + 1;
    // Take the difference from (or give it to) the largest section.
    if let Some(largest) = sections.iter_mut().max_by_key(|s| s.1) {
        largest.1 = (largest.1 + accord_lists).saturating_sub(hugo_lists).max(1);
    }
    let names: Vec<String> = sections.iter().map(|s| s.0.clone()).collect();
    let counts: Vec<usize> = sections.iter().map(|s| s.1).collect();

    write(
        "content/_index.md",
        "+++\ntitle = \"Peñalara — acuerdos entre equipos\"\ndate = 2026-06-15\n+++\n\n\
         Every agreement, KPI, team and person of the group, **by section**.\n",
    )?;
    let mut pages = 0;
    let mut bytes = 0u64;
    for (s, (section, count, target)) in sections.iter().enumerate() {
        write(
            &format!("content/{section}/_index.md"),
            &format!(
                "+++\ntitle = \"{}\"\ndate = 2026-06-15\n+++\n\nAll the {section} of the group.\n",
                section[..1].to_uppercase() + &section[1..]
            ),
        )?;
        for i in 0..*count {
            let text = hugo_page(s, i, &names, &counts, *target, light);
            bytes += text.len() as u64;
            pages += 1;
            write(
                &format!("content/{section}/{}.md", page_name(section, i)),
                &text,
            )?;
        }
    }
    Ok((pages, bytes))
}

/// The rendered page around the content, in bytes (layout, nav, title, facts): about what
/// `HUGO_BASEOF` and `HUGO_SINGLE` write. An estimate: the per-folder table of the output
/// shows how close each section comes to accord's bytes per page.
const HUGO_FRAME_BYTES: u64 = 1_450;

/// One Markdown page: front matter, paragraphs with emphasis and links, a table of links
/// to pages of other sections, a list; grown by table rows until its HTML should be about
/// `target` bytes with the layout. A `light` page stops after the first paragraph.
fn hugo_page(
    s: usize,
    i: usize,
    names: &[String],
    counts: &[usize],
    target: u64,
    light: bool,
) -> String {
    let seed = (s as u64) << 32 | i as u64;
    let link = |k: u64| {
        let t = (mix(seed ^ k) % names.len() as u64) as usize;
        let j = (mix(seed.wrapping_add(k)) % counts[t] as u64) as usize;
        format!(
            "[{}](../{}/{}.html)",
            display_name(t * 100_000 + j),
            names[t],
            page_name(&names[t], j)
        )
    };
    let mut md = format!(
        "+++\ntitle = \"{} — {}\"\ndate = 2026-{:02}-{:02}\n+++\n\n",
        display_name(seed as usize),
        names[s],
        1 + i % 6,
        1 + i % 28
    );
    let start = md.len();
    writeln!(
        md,
        "{} Led by {}, with **{}** and *{}*. {}\n",
        sentence(seed, 14),
        link(1),
        WORDS[i % WORDS.len()],
        WORDS[(i + 5) % WORDS.len()],
        sentence(seed + 1, 10)
    )
    .unwrap();
    if light {
        return md;
    }
    writeln!(md, "{} See {}.\n", sentence(seed + 2, 18), link(2)).unwrap();
    md.push_str("| who | what | due |\n|---|---|---|\n");
    // Markdown grows into HTML: a table row by about 45 bytes, a list item by about 12.
    let budget = target.saturating_sub(HUGO_FRAME_BYTES) as usize;
    let mut html_estimate = (md.len() - start) + 120;
    let mut k = 10;
    loop {
        let row = format!(
            "| {} | {} | 2026-{:02}-{:02} |\n",
            link(k),
            sentence(seed + k, 4),
            1 + (k as usize) % 12,
            1 + (k as usize) % 28
        );
        html_estimate += row.len() + 45;
        md.push_str(&row);
        k += 1;
        if html_estimate >= budget.saturating_sub(250) || k > 400 {
            break;
        }
    }
    md.push('\n');
    for j in 0..3 {
        writeln!(md, "* {} {}", link(1000 + j), sentence(seed + 1000 + j, 3)).unwrap();
    }
    md.push('\n');
    md
}

// --- Output -----------------------------------------------------------------------------

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.3} s", ms / 1e3)
    }
}

fn per_s(pages: usize, d: Duration) -> f64 {
    pages as f64 / d.as_secs_f64()
}

fn rss(t: &Timing) -> String {
    t.rss_cpu.map_or("n/a".into(), |(kb, _)| {
        format!("{:.1} MiB", kb as f64 / 1024.0)
    })
}

fn cpu(t: &Timing) -> String {
    t.rss_cpu.map_or("n/a".into(), |(_, s)| format!("{s:.2} s"))
}

fn us_per_page(d: Duration, pages: usize) -> f64 {
    d.as_secs_f64() * 1e6 / pages as f64
}

fn print_tables(rows: &[Row], bin: &Path, hugo: Option<&Path>, gnu_time: bool, base: &Path) {
    println!("working directory {}", base.display());
    println!("accord: {}", bin.display());
    match hugo {
        Some(h) => println!("hugo: {} ({})", h.display(), hugo_version(h)),
        None => println!("hugo: missing, Hugo columns empty"),
    }
    if !gnu_time {
        println!("/usr/bin/time: missing, no peak RSS or CPU time");
    }
    let na = || String::from("n/a");

    println!();
    println!(
        "| pages asked | accord pages | runs | `check` median | `build` median | accord pages/s | Hugo pages | Hugo median | Hugo pages/s | accord / Hugo | peak RSS `check` / `build` / Hugo |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        let pages = r.accord_site.html();
        let accord = per_s(pages, r.build.median);
        let (hp, hm, hps, ratio, hrss) = match &r.hugo {
            Some(h) => {
                let hps = per_s(h.site.html(), h.timing.median);
                (
                    measure::thousands(h.site.html()),
                    ms(h.timing.median),
                    measure::thousands(hps as usize),
                    format!("×{:.2}", accord / hps),
                    rss(&h.timing),
                )
            }
            None => (na(), na(), na(), na(), na()),
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {hp} | {hm} | {hps} | {ratio} | {} / {} / {hrss} |",
            measure::thousands(r.asked),
            measure::thousands(pages),
            r.build.runs,
            ms(r.check.median),
            ms(r.build.median),
            measure::thousands(accord as usize),
            rss(&r.check),
            rss(&r.build),
        );
    }

    println!();
    println!("Hugo on light pages (the same pages, front matter and one paragraph each):");
    println!();
    println!(
        "| accord pages | Hugo light pages | .md MB | .html KB/page | Hugo light median | pages/s | accord / Hugo light | peak RSS |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        let Some(h) = &r.hugo else { continue };
        let pages = h.light_site.html();
        let hps = per_s(pages, h.light.median);
        println!(
            "| {} | {} | {:.2} | {:.2} | {} | {} | ×{:.2} | {} |",
            measure::thousands(r.accord_site.html()),
            measure::thousands(pages),
            h.light_md_bytes as f64 / 1e6,
            h.light_site.html_bytes() as f64 / 1e3 / pages as f64,
            ms(h.light.median),
            measure::thousands(hps as usize),
            per_s(r.accord_site.html(), r.build.median) / hps,
            rss(&h.light),
        );
    }

    println!();
    println!("The inputs and outputs:");
    println!();
    println!(
        "| accord pages | teams | entities | org files (MB) | accord output: files, MB (of which .html) | Hugo .md pages (MB) | Hugo output: files, MB (.html) | .html KB per page accord / Hugo |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        let a = &r.accord_site;
        let (md, out, per) = match &r.hugo {
            Some(h) => (
                format!(
                    "{} ({:.2})",
                    measure::thousands(h.md_pages),
                    h.md_bytes as f64 / 1e6
                ),
                format!(
                    "{}, {:.2} ({:.2})",
                    measure::thousands(h.site.files),
                    h.site.bytes as f64 / 1e6,
                    h.site.html_bytes() as f64 / 1e6
                ),
                format!(
                    "{:.2}",
                    h.site.html_bytes() as f64 / 1e3 / h.site.html() as f64
                ),
            ),
            None => (na(), na(), na()),
        };
        println!(
            "| {} | {} | {} | {} ({:.2}) | {}, {:.2} ({:.2}) | {md} | {out} | {:.2} / {per} |",
            measure::thousands(a.html()),
            r.teams,
            measure::thousands(r.entities),
            measure::thousands(r.org_files),
            r.org_bytes as f64 / 1e6,
            measure::thousands(a.files),
            a.bytes as f64 / 1e6,
            a.html_bytes() as f64 / 1e6,
            a.html_bytes() as f64 / 1e3 / a.html() as f64,
        );
    }

    if let Some(r) = rows.last() {
        println!();
        println!("Pages and .html KB per page by folder at the largest size:");
        println!();
        println!("| folder | accord pages | accord KB/page | Hugo pages | Hugo KB/page |");
        println!("|---|---:|---:|---:|---:|");
        let empty = Site::default();
        let hugo = r.hugo.as_ref().map_or(&empty, |h| &h.site);
        let mut folders: Vec<&String> = r
            .accord_site
            .pages
            .keys()
            .chain(hugo.pages.keys())
            .collect();
        folders.sort();
        folders.dedup();
        for f in folders {
            let cell = |site: &Site| match site.pages.get(f) {
                Some(&(n, b)) => (
                    measure::thousands(n),
                    format!("{:.2}", b as f64 / 1e3 / n as f64),
                ),
                None => ("0".into(), String::new()),
            };
            let (an, ab) = cell(&r.accord_site);
            let (hn, hb) = cell(hugo);
            let name = if f.is_empty() {
                "(root: list pages)"
            } else {
                f
            };
            println!("| {name} | {an} | {ab} | {hn} | {hb} |");
        }
    }

    println!();
    println!("Cost per page (median wall time / pages) and CPU time (user + system, one run):");
    println!();
    println!(
        "| accord pages | `check` µs/page | `build` µs/page | vs smallest | vs next size down | `build` − `check` µs/page | `build` CPU | Hugo µs/page | vs smallest | vs next size down | Hugo CPU |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let build_us = |r: &Row| us_per_page(r.build.median, r.accord_site.html());
    let hugo_us = |r: &Row| {
        r.hugo
            .as_ref()
            .map(|h| us_per_page(h.timing.median, h.site.html()))
    };
    for (i, r) in rows.iter().enumerate() {
        let previous = &rows[i.saturating_sub(1)];
        let build = build_us(r);
        let hugo = match (hugo_us(r), hugo_us(&rows[0]), hugo_us(previous), &r.hugo) {
            (Some(h), Some(first), Some(prev), Some(hugo)) => format!(
                "{h:.1} | ×{:.2} | ×{:.2} | {}",
                h / first,
                h / prev,
                cpu(&hugo.timing)
            ),
            _ => "n/a | n/a | n/a | n/a".into(),
        };
        println!(
            "| {} | {:.1} | {build:.1} | ×{:.2} | ×{:.2} | {:.1} | {} | {hugo} |",
            measure::thousands(r.accord_site.html()),
            us_per_page(r.check.median, r.accord_site.html()),
            build / build_us(&rows[0]),
            build / build_us(previous),
            us_per_page(
                r.build.median.saturating_sub(r.check.median),
                r.accord_site.html()
            ),
            cpu(&r.build),
        );
    }

    println!();
    println!("Minimum wall times (for the noise):");
    println!();
    println!("| accord pages | `check` min | `build` min | Hugo min | Hugo light min |");
    println!("|---:|---:|---:|---:|---:|");
    for r in rows {
        let (h, l) = r
            .hugo
            .as_ref()
            .map_or((na(), na()), |h| (ms(h.timing.min), ms(h.light.min)));
        println!(
            "| {} | {} | {} | {h} | {l} |",
            measure::thousands(r.accord_site.html()),
            ms(r.check.min),
            ms(r.build.min),
        );
    }
}
