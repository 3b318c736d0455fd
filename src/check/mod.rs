//! Check: the rules of SPEC section 3, their levels and `[lints]` overrides.
//!
//! Each rule is one file under `rules/` declaring a [`Rule`]: id, default level, what it
//! fires on, why it exists, and the check itself. [`RULES`] is the one list of them.

mod rules;
#[cfg(test)]
pub(crate) mod testing;

use jiff::civil::Date;

use crate::diagnostic::closest;
use crate::diagnostic::{ERROR_CLASSES, Finding, Level, UNKNOWN_KEY};
use crate::history::Origins;
use crate::load::LintSettings;
use crate::model::{LintLevel, Org};
use crate::source::Loc;

pub use rules::RULES;

/// What rules may depend on besides the org.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// "Today", for dates: the system date unless `--today` was given.
    pub today: Date,
    /// The org at an earlier revision, with `check --base REV`.
    pub base: Option<&'a Base>,
    /// The commit that introduced each signature, when the org's git history was read.
    pub origins: Option<&'a Origins>,
}

impl Context<'_> {
    /// A context without a base revision.
    pub fn on(today: Date) -> Self {
        Context {
            today,
            base: None,
            origins: None,
        }
    }
}

/// The org as it was at a base revision, for rules that compare (`stale-signature`).
#[derive(Debug)]
pub struct Base {
    /// The revision as the user named it.
    pub revision: String,
    /// The date of the revision's commit.
    pub date: Date,
    pub org: Org,
}

/// One place a rule fires, before its level is applied.
#[derive(Debug)]
pub struct Hit {
    pub loc: Loc,
    pub message: String,
    pub help: Option<String>,
}

/// What a rule's check reports into.
#[derive(Debug, Default)]
pub struct Hits(Vec<Hit>);

impl Hits {
    pub fn push(&mut self, loc: Loc, message: impl Into<String>, help: impl Into<String>) {
        self.0.push(Hit {
            loc,
            message: message.into(),
            help: Some(help.into()),
        });
    }
}

/// A rule: one unit with its id, default level, documentation and check.
pub struct Rule {
    pub id: &'static str,
    /// `Warn` or `Deny`; `[lints]` may change it.
    pub default_level: LintLevel,
    /// When it fires, in one line.
    pub summary: &'static str,
    /// Why it exists, shown by `accord explain`.
    pub rationale: &'static str,
    /// What to do when it fires: the last paragraph of `accord explain`.
    pub fix: &'static str,
    pub check: fn(&Org, &Context, &mut Hits),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.id).finish()
    }
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}

/// Runs every rule not set to `allow`, at the level `[lints]` gives it. Bad `[lints]`
/// entries are reported as structural errors.
pub fn run(org: &Org, lints: &LintSettings, context: &Context) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (rule_id, _) in lints {
        let id = rule_id.value.as_str();
        if rule(id).is_some() {
            continue;
        }
        let finding = Finding::error(
            &UNKNOWN_KEY,
            rule_id.loc,
            format!("unknown rule `{id}` in [lints]"),
        );
        findings.push(if ERROR_CLASSES.iter().any(|c| c.id == id) {
            finding.with_help(format!(
                "`{id}` is a structural error: always an error, it cannot be changed"
            ))
        } else if let Some(near) = closest(id, RULES.iter().map(|r| r.id)) {
            finding.with_help(format!("did you mean `{near}`?"))
        } else {
            finding.with_help("`accord rules` lists the rule ids")
        });
    }
    let levels: Vec<(&Rule, Level)> = RULES
        .iter()
        .filter_map(|&rule| {
            let configured = lints
                .iter()
                .rev()
                .find(|(id, _)| id.value == rule.id)
                .map(|(_, level)| level.value);
            match configured.unwrap_or(rule.default_level) {
                LintLevel::Allow => None,
                LintLevel::Warn => Some((rule, Level::Warning)),
                LintLevel::Deny => Some((rule, Level::Error)),
            }
        })
        .collect();
    // Each rule reads the org alone: they run on every core, one at a time each.
    let hits = crate::parallel::map(&levels, 1, |(rule, _)| {
        let mut hits = Hits::default();
        (rule.check)(org, context, &mut hits);
        hits
    });
    for ((rule, level), hits) in levels.iter().zip(hits) {
        findings.extend(hits.0.into_iter().map(|hit| {
            let finding = Finding::new(rule.id, *level, hit.loc, hit.message);
            match hit.help {
                Some(help) => finding.with_help(help),
                None => finding,
            }
        }));
    }
    findings
}
