//! A small clean org for rule tests, edited per test.

use std::collections::BTreeMap;

use jiff::civil::{Date, date};

use super::{Base, Context, Hits};
use crate::load::{OrgFiles, load};
use crate::resolve::resolve;

const BASE: &[(&str, &str)] = &[
    (
        "accord.toml",
        r#"[org]
name = "Test Org"

[plan]
revenue_target = 100000
average_deal = 10000

[[plan.stage]]
name = "Lead"
kpi = "leads"

[[plan.stage]]
name = "Customer"
conversion = 0.1
"#,
    ),
    (
        "people.toml",
        r#"[ana]
name = "Ana"
teams = ["marketing"]

[bruno]
name = "Bruno"
teams = ["sales"]

[carmen]
name = "Carmen"
teams = ["leadership"]

[diego]
name = "Diego"
teams = ["leadership"]
"#,
    ),
    (
        "teams/marketing.toml",
        "name = \"Marketing\"\nlead = \"ana\"\n",
    ),
    ("teams/sales.toml", "name = \"Sales\"\nlead = \"bruno\"\n"),
    (
        "teams/leadership.toml",
        "name = \"Leadership\"\nlead = \"carmen\"\n",
    ),
    (
        "personas/olga.toml",
        r#"name = "Olga"
owner = "marketing"
agreed_by = ["marketing", "sales"]
qualification = ["50+ employees"]
"#,
    ),
    (
        "kpis/leads.toml",
        r#"name = "Leads"
definition = "New leads."
unit = "count"
direction = "up"
period = "month"
target = 10
owners = ["marketing", "sales"]

[[share]]
owner = "marketing"
does = "Capture leads"

[[share]]
owner = "sales"
does = "Call leads"
"#,
    ),
    ("actuals/leads.csv", "period,value\n2026-04,8\n2026-05,12\n"),
    (
        "agreements/sla.toml",
        r#"title = "SLA"
parties = ["marketing", "sales"]
sponsor = "carmen"
referee = "diego"
effective = 2026-01-01
expires = 2026-12-31

[[term]]
id = "leads"
provider = "marketing"
owner = "ana"
commitment = "Deliver leads."
kpi = "leads"
target = 10

[[signature]]
party = "marketing"
by = "ana"
date = 2025-12-15

[[signature]]
party = "sales"
by = "bruno"
date = 2025-12-15
"#,
    ),
    (
        "meetings/weekly.toml",
        r#"name = "Weekly"
cadence = "weekly"
duration = 30
teams = ["marketing", "sales"]
facilitator = "diego"
attendees = ["ana", "bruno"]

[[action]]
what = "Fix the form"
owner = "ana"
due = 2026-07-01
"#,
    ),
    (
        "meetings/monthly.toml",
        r#"name = "Monthly"
cadence = "monthly"
duration = 60
teams = ["marketing", "sales"]
facilitator = "diego"
attendees = ["ana", "bruno"]
"#,
    ),
];

/// The base org with edits; "today" is 2026-06-15, when the base has no findings.
pub struct TestOrg {
    files: BTreeMap<String, String>,
}

impl TestOrg {
    pub fn base() -> Self {
        TestOrg {
            files: BASE
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
        }
    }

    /// Replaces the first `from` in file `path` by `to`.
    pub fn edit(mut self, path: &str, from: &str, to: &str) -> Self {
        let text = self.files.get_mut(path).expect("no such base file");
        assert!(text.contains(from), "`{from}` not in {path}");
        *text = text.replacen(from, to, 1);
        self
    }

    pub fn with(mut self, path: &str, text: &str) -> Self {
        self.files.insert(path.into(), text.into());
        self
    }

    pub fn without(mut self, path: &str) -> Self {
        self.files.remove(path);
        self
    }

    pub fn files(&self) -> OrgFiles {
        OrgFiles::from_contents(
            self.files
                .iter()
                .map(|(p, t)| (p.clone(), t.clone().into_bytes())),
        )
    }

    /// (file, line, message) of every place rule `id` fires, whatever its level.
    pub fn hits(&self, id: &str) -> Vec<(String, usize, String)> {
        self.hits_in(id, &context())
    }

    /// The lines rule `id` fires on.
    pub fn hit_lines(&self, id: &str) -> Vec<usize> {
        self.hits(id).into_iter().map(|(_, line, _)| line).collect()
    }

    /// The lines rule `id` fires on when today is `today`.
    pub fn hit_lines_on(&self, id: &str, today: Date) -> Vec<usize> {
        self.hits_in(id, &Context::on(today))
            .into_iter()
            .map(|(_, line, _)| line)
            .collect()
    }

    /// Like [`TestOrg::hits`], comparing with `base` as committed on `date`.
    pub fn hits_against(
        &self,
        base: &TestOrg,
        date: Date,
        id: &str,
    ) -> Vec<(String, usize, String)> {
        let base = Base {
            revision: "base".into(),
            date,
            org: resolve(load(&base.files(), context().today)).org,
        };
        self.hits_in(
            id,
            &Context {
                base: Some(&base),
                ..context()
            },
        )
    }

    fn hits_in(&self, id: &str, context: &Context) -> Vec<(String, usize, String)> {
        let resolved = resolve(load(&self.files(), context.today));
        let rule = super::rule(id).expect("no such rule");
        let mut hits = Hits::default();
        (rule.check)(&resolved.org, context, &mut hits);
        hits.0
            .into_iter()
            .map(|hit| {
                let file = resolved.sources.get(hit.loc.file);
                (
                    file.path.clone(),
                    file.position(hit.loc.start as usize).line,
                    hit.message,
                )
            })
            .collect()
    }

    /// (rule, file, line) of every finding of a full check.
    pub fn findings(&self) -> Vec<(&'static str, String, usize)> {
        let checked = crate::check_files(&self.files(), &context());
        checked
            .findings
            .iter()
            .map(|f| {
                let file = checked.sources.get(f.loc.file);
                (
                    f.rule,
                    file.path.clone(),
                    file.position(f.loc.start as usize).line,
                )
            })
            .collect()
    }
}

pub fn context() -> Context<'static> {
    Context::on(date(2026, 6, 15))
}

#[test]
fn the_base_org_is_clean() {
    assert_eq!(TestOrg::base().findings(), []);
}
