//! A site that tells the truth (SPEC 7.9), as its readers see the built pages: the plan
//! against the actuals (the sentence the plan page and the dashboard open with, each
//! stage's actual and need to date, the revenue to date, the relabelled check of the
//! targets), every open action with its due date in words, and terms named by their
//! titles; the dashboard that opens with what needs attention and stays small at scale
//! (SPEC 7.8).

mod common;
#[path = "../benches/support/generate.rs"]
mod generate;

use std::fs;
use std::path::Path;

use common::{TODAY, TempPath, copy_dir, fixture, temp_dir};

/// `accord build ORG -o <temp>/site --today TODAY`, which must succeed.
fn built_on(org: &Path, name: &str, today: &str) -> TempPath {
    let out = temp_dir(name).child("site");
    common::build_site(org, &out, today);
    out
}

/// The text of a page as a reader sees it: tags dropped, entities of numbers and
/// spaces decoded, white space collapsed.
fn text_of(site: &Path, path: &str) -> String {
    let html = fs::read_to_string(site.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let main = html
        .split_once("<main")
        .and_then(|(_, rest)| rest.split_once('>'))
        .map_or(html.as_str(), |(_, main)| main);
    common::visible_text(main)
}

fn example_org() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-org")
}

/// The numbers: on 2026-10-15 the plan to date is January to September, and the
/// actuals sum to 1529 leads (1500 due), 568 MQLs (600), 276 meetings (300) and, from
/// three quarters, 70 customers (75).
#[test]
fn example_org_shows_each_stage_against_its_need_to_date() {
    let site = built_on(&example_org(), "plan-example", "2026-10-15");
    let plan = text_of(&site, "plan.html");
    // The page opens with the worst stage, after its title only.
    assert!(
        plan.starts_with(
            "Growth plan 2026 At risk: Meeting — 276 of 300 due by the end of September, 92 %"
        ),
        "{plan}"
    );
    for row in [
        "Lead Leads created 1529 1500 101 % On plan 2038",
        "MQL MQLs delivered to sales 568 600 94 % At risk 757",
        "Meeting Meetings booked 276 300 92 % At risk 368",
        "Customer New customers won 70 75 93 % At risk 93",
    ] {
        assert!(plan.contains(row), "no `{row}` in {plan}");
    }
    // 70 customers x 15 000 EUR against 1 500 000 x 9 / 12.
    assert!(
        plan.contains("Revenue to date 1 050 000 EUR of a target to date of 1 125 000 EUR 93 %"),
        "{plan}"
    );
    assert!(
        plan.contains("Projection at plan end 1 400 000 EUR"),
        "{plan}"
    );
    // The v1 check says what it checks.
    assert!(plan.contains("Targets add up"), "{plan}");
    assert!(!plan.contains("Covered"), "{plan}");

    let dashboard = text_of(&site, "index.html");
    assert!(
        dashboard.contains(
            "Plan to date At risk: Meeting — 276 of 300 due by the end of September, 92 %"
        ),
        "{dashboard}"
    );
    assert!(
        dashboard.contains("Customer New customers won 70 75 93 % At risk 93"),
        "{dashboard}"
    );
}

/// Behind below 90 %, on plan when no stage is short (the unit tests of
/// src/model/plan.rs cover the month arithmetic: today on the 1st, weeks across months).
#[test]
fn the_sentence_says_behind_or_on_plan() {
    let behind = built_on(&fixture("plan-behind"), "plan-behind-site", TODAY);
    let plan = text_of(&behind, "plan.html");
    assert!(
        plan.contains("Behind plan: Lead — 32 of 40 due by the end of May, 80 %"),
        "{plan}"
    );
    let clean = built_on(&fixture("clean"), "plan-clean-site", TODAY);
    let plan = text_of(&clean, "plan.html");
    assert!(
        plan.contains("On plan: Lead — 40 of 40 due by the end of May, 100 %"),
        "{plan}"
    );
}

/// A plan with no first day (no `start`, a `period` that is not a year) says how to get
/// one; with `start`, the plan counts from it.
#[test]
fn the_plan_to_date_needs_a_first_day() {
    let org = temp_dir("plan-no-start").child("org");
    copy_dir(&fixture("clean"), &org);
    let settings = org.join("accord.toml");
    let text = fs::read_to_string(&settings).unwrap();
    fs::write(
        &settings,
        text.replace("period = \"2026\"", "period = \"FY26\""),
    )
    .unwrap();
    let site = built_on(&org, "plan-no-start", TODAY);
    let plan = text_of(&site, "plan.html");
    assert!(
        plan.contains("Set `start` in [plan] (or a year as its `period`)"),
        "{plan}"
    );
    assert!(!text_of(&site, "index.html").contains("Plan to date"));

    fs::write(
        &settings,
        text.replace("period = \"2026\"", "period = \"FY26\"\nstart = 2026-04-01"),
    )
    .unwrap();
    let site = built_on(&org, "plan-april", TODAY);
    let plan = text_of(&site, "plan.html");
    // April and May: 9 + 12 leads of 96 x 2 / 12 = 16.
    assert!(
        plan.contains("2 complete months, to the end of 2026-05"),
        "{plan}"
    );
    assert!(
        plan.contains("Lead Leads created 21 16 131 % On plan"),
        "{plan}"
    );
}

/// `actions.html` lists every open action of every meeting by due date, with its owner
/// (a team with its lead), its meeting and the days left; the nav and the dashboard link it.
#[test]
fn every_open_action_is_on_one_page_by_due_date() {
    let site = built_on(&example_org(), "actions-example", "2026-10-15");
    let actions = text_of(&site, "actions.html");
    let expected = [
        "2026-10-23 in 8 days Add a fixed list of rejection reasons to the MQL verdict in the CRM Marta Gómez Ruiz Smarketing weekly",
        "2026-10-30 in 15 days Share the installation calendar with sales in the CRM Nuria Domínguez Prieto Operations weekly",
        "2026-10-30 in 15 days Decide whether inside sales needs a second person for the afternoon shift Sales (lead: Jorge Martínez Calderón ) Smarketing monthly",
        "2026-11-30 in 46 days Send the yearly safety inspection offer to every customer installed in 2025 Customer Service (lead: Sofía Herrera Muñiz ) Revenue monthly",
    ];
    let mut from = 0;
    for row in expected {
        let at = actions[from..]
            .find(row)
            .unwrap_or_else(|| panic!("no `{row}` after the rows before it in {actions}"));
        from += at + row.len();
    }
    // Done actions are not on it.
    assert!(
        !actions.contains("Make phone and role mandatory"),
        "{actions}"
    );
    let html = fs::read_to_string(site.join("actions.html")).unwrap();
    assert!(
        html.contains("<a href=\"meetings/smarketing-weekly.html\">"),
        "{html}"
    );
    assert!(
        html.contains(
            "<a href=\"teams/sales.html\">Sales</a> (lead: <a href=\"people/jorge-martinez.html\">"
        ),
        "{html}"
    );
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(
        index.contains("<a href=\"actions.html\""),
        "the nav and dashboard link the page"
    );
    assert!(text_of(&site, "index.html").contains("6 open actions"));
}

/// Days left or overdue, in words, around the clean fixture's action due 2026-07-01.
#[test]
fn an_action_says_how_its_due_date_stands() {
    for (today, words, class) in [
        ("2026-06-26", "in 5 days", "muted"),
        ("2026-06-30", "in 1 day", "muted"),
        ("2026-07-01", "due today", "status warn"),
        ("2026-07-04", "3 days overdue", "status bad"),
    ] {
        let site = built_on(&fixture("clean"), &format!("actions-{today}"), today);
        let html = fs::read_to_string(site.join("actions.html")).unwrap();
        assert!(
            html.contains(&format!("<span class=\"{class}\">{words}</span>")),
            "{today}: {html}"
        );
    }
}

/// A person's page lists their open actions first and done ones apart; the lead of a
/// team sees the team's actions too.
#[test]
fn people_and_teams_see_their_actions_first() {
    let site = built_on(&fixture("clean"), "actions-people", TODAY);
    let ana = text_of(&site, "people/ana-garcia.html");
    let open = ana
        .find("Open actions Due What Owner Meeting 2026-07-01 in 16 days Fix the phone field of the web form")
        .unwrap_or_else(|| panic!("{ana}"));
    assert!(open < ana.find("Responsibilities").unwrap(), "{ana}");
    // Sales' action is done: apart, under its own summary, on the team's and its lead's pages.
    for page in ["teams/sales.html", "people/bruno-diaz.html"] {
        let html = fs::read_to_string(site.join(page)).unwrap();
        let done = html
            .split("<details class=\"done-actions\">")
            .nth(1)
            .unwrap_or_else(|| panic!("{page}: no done actions in {html}"));
        assert!(
            done.contains("Share the call-back report every Monday"),
            "{page}"
        );
        let text = text_of(&site, page);
        assert!(
            text.contains("Open actions No open actions."),
            "{page}: {text}"
        );
    }
}

/// Terms are named by their title, else by the first sentence of their commitment; never
/// by their id alone.
#[test]
fn terms_are_named_by_title_or_first_sentence() {
    let site = built_on(&example_org(), "terms-example", "2026-10-15");
    let sla = fs::read_to_string(site.join("agreements/marketing-sales-sla-2026.html")).unwrap();
    assert!(
        sla.contains("<h3>Call every new lead within 4 minutes</h3>"),
        "{sla}"
    );
    assert!(!sla.contains("<code>call-within-4-minutes</code>"), "{sla}");
    let kpi = text_of(&site, "kpis/speed-to-call.html");
    assert!(
        kpi.contains("Marketing-Sales SLA 2026 · Call every new lead within 4 minutes"),
        "{kpi}"
    );
    let owner = text_of(&site, "teams/sales.html");
    assert!(
        owner.contains(
            "Provides term Marketing-Sales SLA 2026 Call every new lead within 4 minutes"
        ),
        "{owner}"
    );

    // Without a title: the commitment's first sentence, as plain text.
    let clean = built_on(&fixture("clean"), "terms-clean", TODAY);
    let card = fs::read_to_string(clean.join("agreements/marketing-sales.html")).unwrap();
    assert!(
        card.contains("<h3>At least 10 new leads a month</h3>"),
        "{card}"
    );
    assert!(!card.contains(">lead-volume<"), "{card}");
}

/// A team owns nothing only when neither it nor any member holds a role (leading the team
/// itself aside): leadership, whose members sponsor and referee, owns something. The list
/// is on the health page, no longer on the dashboard or the owners page.
#[test]
fn teams_own_what_their_members_hold() {
    let org = temp_dir("idle-teams").child("org");
    copy_dir(&fixture("clean"), &org);
    fs::write(
        org.join("teams/events.toml"),
        "name = \"Events\"\nlead = \"elena-mora\"\n",
    )
    .unwrap();
    let people = org.join("people.toml");
    let text = fs::read_to_string(&people).unwrap();
    fs::write(
        &people,
        text.replace(
            "teams = [\"sales\"]\ntitle = \"Sales Representative\"",
            "teams = [\"sales\", \"events\"]\ntitle = \"Sales Representative\"",
        ),
    )
    .unwrap();
    let site = built_on(&org, "idle-teams", TODAY);
    let health = fs::read_to_string(site.join("health.html")).unwrap();
    let idle = health
        .split("<section id=\"idle\"")
        .nth(1)
        .unwrap_or_else(|| panic!("no teams that own nothing in {health}"));
    assert!(idle.contains(">Events</a>"), "{idle}");
    assert!(!idle.contains(">Leadership</a>"), "{idle}");
    for page in ["index.html", "owners.html"] {
        let text = text_of(&site, page);
        assert!(!text.contains("Teams that own nothing"), "{page}: {text}");
    }
}

/// Persona profile keys read as words.
#[test]
fn profile_keys_are_words() {
    let site = built_on(&example_org(), "profile-words", "2026-10-15");
    let persona = fs::read_to_string(site.join("personas/operations-director.html")).unwrap();
    assert!(
        persona.contains("<th scope=\"row\">Company size</th>"),
        "{persona}"
    );
    assert!(!persona.contains("company_size"), "{persona}");
}

/// The text of the dashboard's "Needs attention" section.
fn attention_of(site: &Path) -> String {
    let dashboard = text_of(site, "index.html");
    let start = dashboard
        .find("Needs attention")
        .unwrap_or_else(|| panic!("no attention section in {dashboard}"));
    let end = ["Plan to date", "3 Agreements", "1 Agreements"]
        .iter()
        .filter_map(|after| dashboard[start..].find(after))
        .min()
        .unwrap_or_else(|| panic!("no section after the attention one in {dashboard}"));
    dashboard[start..start + end].trim().to_owned()
}

/// The pages each attention line links for its full list, in the lines' order.
fn attention_pages(site: &Path) -> Vec<String> {
    let html = fs::read_to_string(site.join("index.html")).unwrap();
    html.split("<a class=\"all\" href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or_default().to_owned())
        .collect()
}

/// On example-org at 2026-10-15 only the plan needs attention: three stages at risk.
#[test]
fn example_org_needs_attention_for_its_plan_only() {
    let site = built_on(&example_org(), "attention-example", "2026-10-15");
    assert_eq!(
        attention_of(&site),
        "Needs attention Plan stages at risk: 3 MQL (94 %) , Meeting (92 %) , Customer (93 %) · see all"
    );
    assert_eq!(attention_pages(&site), ["plan.html"]);
}

/// One of each kind of problem, each line with its exact count, most severe first: the
/// two errors (the expired and the unsigned agreement), then what is wrong, then what
/// is about to be.
#[test]
fn each_kind_of_problem_is_one_line_with_its_count() {
    let site = built_on(&fixture("dashboard-attention"), "attention-kinds", TODAY);
    let expected = [
        "Needs attention",
        "Errors: 2 expired-agreement (agreements/marketing-sales-2025.toml:7) , unsigned-agreement (agreements/marketing-sales-2027.toml:3) · see all",
        "Expired agreements: 1 Marketing-Sales SLA 2025 (2025-12-31) · see all",
        "Agreements not signed by every party: 1 Marketing-Sales SLA 2027 · see all",
        "Plan stages behind: 1 Lead (82 %) · see all",
        "KPIs off target: 2 Call-back time , Leads created · see all",
        "Overdue actions: 1 Clean up the duplicate leads in the CRM (Smarketing weekly) · see all",
        "Plan stages at risk: 1 MQL (95 %) · see all",
        "Agreements ending within 60 days: 1 Marketing-Sales SLA 2026 (2026-07-31) · see all",
        "KPIs without recent data: 1 MQLs delivered · see all",
    ];
    assert_eq!(attention_of(&site), expected.join(" "));
    assert_eq!(
        attention_pages(&site),
        [
            "health.html",
            "agreements.html",
            "agreements.html",
            "plan.html",
            "kpis.html",
            "actions.html",
            "plan.html",
            "agreements.html",
            "kpis.html",
        ]
    );
    // The lists needing attention come first on the dashboard and on their own pages.
    for page in ["index.html", "agreements.html"] {
        let text = text_of(&site, page);
        let order: Vec<_> = ["SLA 2025", "SLA 2027", "SLA 2026"]
            .iter()
            .map(|title| {
                text.find(title)
                    .unwrap_or_else(|| panic!("{title}: {text}"))
            })
            .collect();
        assert!(order.is_sorted(), "{page}: {text}");
    }
    let kpis = text_of(&site, "kpis.html");
    assert!(
        kpis.starts_with("KPIs against target KPI Target Latest Status Owners Call-back time"),
        "{kpis}"
    );
}

/// With nothing to attend to, one green line says so.
#[test]
fn nothing_needs_attention_on_a_clean_org() {
    let site = built_on(&fixture("clean"), "attention-clean", TODAY);
    let html = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(
        html.contains("<p class=\"callout good\">Nothing needs attention:"),
        "{html}"
    );
    assert!(attention_pages(&site).is_empty());
}

/// The nav's Agreements and KPIs lead to their full lists, which the nav marks current.
#[test]
fn agreements_and_kpis_have_pages_of_their_own() {
    let site = built_on(&example_org(), "list-pages", "2026-10-15");
    for (page, rows) in [
        ("agreements.html", 3),
        ("kpis.html", 13),
        ("meetings.html", 5),
    ] {
        let html = fs::read_to_string(site.join(page)).unwrap();
        assert_eq!(html.matches("<th scope=\"row\">").count(), rows, "{page}");
    }
    for (page, items) in [("personas.html", 2), ("docs.html", 5)] {
        let html = fs::read_to_string(site.join(page)).unwrap();
        let main = html.split("<main").nth(1).unwrap();
        assert_eq!(main.matches("<li>").count(), items, "{page}");
    }
    for page in ["agreements.html", "kpis.html"] {
        let html = fs::read_to_string(site.join(page)).unwrap();
        assert!(
            html.contains(&format!("<a href=\"{page}\" aria-current=\"page\">")),
            "{page}"
        );
    }
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(!index.contains("index.html#"), "{index}");
}

/// However large the org, the dashboard shows at most 20 rows of each list and links
/// the full ones: on a generated org of 30 regions (1,500 pages; the dashboard was
/// 0.6 MB) it stays far under the 300 KB SPEC 7.8 allows the largest benchmark org.
#[test]
fn the_dashboard_stays_small_at_scale() {
    let dir = temp_dir("dashboard-scale");
    let org = dir.join("org");
    let counts = generate::write_org(&org, 30 * generate::TEAMS_PER_REGION).expect("generate");
    let site = built_on(&org, "dashboard-scale-site", TODAY);
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(
        index.len() < 300 * 1024,
        "index.html is {} bytes",
        index.len()
    );
    // The generated org speaks Spanish.
    let teams = index
        .split("<section id=\"teams\">")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap();
    assert_eq!(teams.matches("<th scope=\"row\">").count(), 20, "{teams}");
    assert!(
        teams.contains(&format!(
            "<a href=\"owners.html\">Todos los equipos ({})</a>",
            counts.teams
        )),
        "{teams}"
    );
    let kpis = fs::read_to_string(site.join("kpis.html")).unwrap();
    assert_eq!(kpis.matches("<th scope=\"row\">").count(), counts.kpis);
}
