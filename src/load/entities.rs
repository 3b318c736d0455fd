//! From checked tables to model entities, one function per file kind.
//!
//! Each function returns `None` when a required value is missing or bad; the problem has
//! already been reported by the [`Reader`]. Every part of a file is read before the
//! result is put together, so one bad value never hides the problems of the others.
//! Problems with how valid values relate (a provider that is not a party) are noted
//! without blocking: the entity stays, and its references are still resolved.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use super::Sink;
use super::table::Reader;
use crate::diagnostic::{
    BAD_DATE, BAD_ID, DUPLICATE_ID, Finding, INVALID_VALUE, MISSING_CONVERSION, NOT_A_PARTY,
    TARGET_WITHOUT_KPI,
};
use crate::model::{
    Action, ActionStatus, Actual, Agreement, AgreementId, Cadence, CodeownersSettings, Direction,
    Kpi, KpiId, Located, Meeting, MeetingDay, MeetingId, MeetingTime, OwnerId, Period, Person,
    PersonId, Persona, PersonaId, Plan, Repository, Settings, Share, Signature, Stage, Team,
    TeamId, Term, Unit,
};

/// The id syntax as a regular expression, for the JSON Schemas; [`is_valid_id`] is the
/// same check in code.
pub const ID_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

/// Whether `id` is a valid id: [`ID_PATTERN`], at most 64 characters.
pub fn is_valid_id(id: &str) -> bool {
    id.len() <= 64
        && !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The first folder between an entity folder and a file in it (`teams/<folder>/x.toml`)
/// whose name is not a valid id: folder names become part of CODEOWNERS lines and URLs,
/// so they follow the id syntax like the files.
pub(super) fn bad_subfolder(path: &str) -> Option<&str> {
    let mut folders = path.split('/').skip(1).collect::<Vec<_>>();
    folders.pop();
    folders.into_iter().find(|folder| !is_valid_id(folder))
}

/// Whether `tag` is a language tag as SPEC 7.1 has it, `^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$`.
/// The tag names a labels file (`templates/i18n/<tag>.toml`), so nothing else may reach
/// a path.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|part| {
            (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

pub const ID_HELP: &str = "ids are lowercase letters and digits in groups joined by single hyphens (`sales`, `q4-sla-2026`), at most 64 characters";

pub(super) fn settings(root: &Reader, sink: &mut Sink) -> (Settings, super::LintSettings) {
    let defaults = Settings::default();
    let org = root.table("org", sink);
    let site = root.table("site", sink);
    let org_text = |key| org.as_ref().and_then(|o| o.text(key));
    let site_text = |key| site.as_ref().and_then(|s| s.text(key));
    let name = org_text("name").unwrap_or(defaults.name);
    // A plan with any bad value is left out: its arithmetic would mislead.
    let before = sink.blocking();
    let plan = root.table("plan", sink).and_then(|p| plan(&p, sink));
    let codeowners = root.table("codeowners", sink);
    let owners = |key| {
        codeowners
            .as_ref()
            .and_then(|c| c.ids::<OwnerId>(key))
            .map_or_else(Vec::new, |ids| ids.value)
    };
    let settings = Settings {
        description: org_text("description"),
        language: org
            .as_ref()
            .and_then(|o| language(o, sink))
            .unwrap_or(defaults.language),
        site_title: site_text("title").unwrap_or_else(|| name.clone()),
        base_url: site_text("base_url").unwrap_or(defaults.base_url),
        start: site.as_ref().and_then(|s| s.located_text("start")),
        repository: site.as_ref().and_then(|s| repository(s, sink)),
        url: site.as_ref().and_then(|s| site_url(s, sink)),
        name,
        plan: plan.filter(|_| sink.blocking() == before),
        codeowners: CodeownersSettings {
            default: owners("default"),
            also: owners("also"),
        },
        calendar: root
            .table("calendar", sink)
            .map(|c| super::measure::calendar(&c, sink))
            .unwrap_or_default(),
        records: super::measure::record_sets(root, sink),
    };
    (settings, root.lint_map("lints"))
}

/// `[org] language`, when it is a language tag; any other value is reported.
fn language(org: &Reader, sink: &mut Sink) -> Option<String> {
    let tag = org.located_text("language")?;
    if is_language_tag(&tag.value) {
        return Some(tag.value);
    }
    sink.block(
        Finding::error(
            &INVALID_VALUE,
            tag.loc,
            format!("`language` of [org] must be a language tag, found `{}`", tag.value),
        )
        .with_help("write a tag like `en`, `es`, `pt-BR` or `sr-Latn`: 2 or 3 lowercase letters, then optional `-` parts of letters and digits"),
    );
    None
}

/// Whether `text` is an `https://` address made only of characters that need no
/// escaping in a link (so no quote, space, `<` or control character can reach a page),
/// without query or fragment. Returns the host and path.
fn web_address(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("https://")?;
    let safe = |c: char| c.is_ascii_alphanumeric() || "-._~/:%".contains(c);
    if !rest.chars().all(safe) || rest.contains("//") {
        return None;
    }
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    (!host.is_empty() && host.contains('.')).then_some((host, path))
}

fn repository(site: &Reader, sink: &mut Sink) -> Option<Repository> {
    let url = site.located_text("repository");
    let branch = site.located_text("branch");
    let mut bad = |loc, message: String, help: &str| {
        sink.block(Finding::error(&INVALID_VALUE, loc, message).with_help(help.to_owned()));
    };
    let branch = match branch {
        // A branch name as git allows it, limited to what a link carries as it is.
        Some(b)
            if b.value.is_empty()
                || b.value.starts_with(['-', '/'])
                || b.value.ends_with('/')
                || b.value.contains("..")
                || !b
                    .value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._/".contains(c)) =>
        {
            bad(
                b.loc,
                format!(
                    "`branch` of [site] must be a branch name, found `{}`",
                    b.value
                ),
                "write the branch the site is built from, like `main` or `release/2026`",
            );
            return None;
        }
        Some(b) => b.value,
        None => "main".to_owned(),
    };
    let url = url?;
    let Some((host, path)) = web_address(url.value.trim_end_matches('/')) else {
        bad(
            url.loc,
            format!(
                "`repository` of [site] must be the repository's https:// address, found `{}`",
                url.value
            ),
            "write it as the browser shows it, like https://github.com/acme/alignment or https://gitlab.com/acme/alignment",
        );
        return None;
    };
    if path.split('/').filter(|p| !p.is_empty()).count() < 2 {
        bad(
            url.loc,
            format!(
                "`repository` of [site] names no repository: `{}`",
                url.value
            ),
            "add the owner and the name, like https://github.com/acme/alignment",
        );
        return None;
    }
    Some(Repository {
        url: url.value.trim_end_matches('/').to_owned(),
        branch,
        gitlab: host.contains("gitlab"),
    })
}

fn site_url(site: &Reader, sink: &mut Sink) -> Option<String> {
    let url = site.located_text("url")?;
    if web_address(&url.value).is_none() {
        sink.block(
            Finding::error(
                &INVALID_VALUE,
                url.loc,
                format!("`url` of [site] must be the site's https:// address, found `{}`", url.value),
            )
            .with_help("write the address the published site opens at, like https://intranet.acme.com/alignment/"),
        );
        return None;
    }
    Some(format!("{}/", url.value.trim_end_matches('/')))
}

fn plan(plan: &Reader, sink: &mut Sink) -> Option<Plan> {
    let stages: Vec<Option<Stage>> = plan
        .tables("stage", sink)
        .iter()
        .enumerate()
        .map(|(i, stage)| {
            let conversion = stage.number("conversion").map(|c| c.value);
            if i > 0 && stage.is_absent("conversion") {
                let name = stage
                    .text("name")
                    .map_or_else(|| (i + 1).to_string(), |n| format!("`{n}`"));
                sink.block(
                    Finding::error(
                        &MISSING_CONVERSION,
                        stage.header(),
                        format!("plan stage {name} has no `conversion`"),
                    )
                    .with_help("add `conversion = 0.4`: the fraction of the stage above that reaches this one"),
                );
            }
            Some(Stage {
                name: stage.text("name")?,
                conversion,
                kpi: stage.id("kpi"),
            })
        })
        .collect();
    Some(Plan {
        period: plan.text("period"),
        start: plan.date("start").map(|d| d.value),
        revenue_target: plan.number("revenue_target")?.value,
        currency: plan.text("currency"),
        average_deal: plan.number("average_deal")?.value,
        months: plan
            .integer("months")
            .map_or(Some(12), |m| u32::try_from(m.value).ok())?,
        stages: stages.into_iter().collect::<Option<_>>()?,
    })
}

pub(super) fn person(id: &str, table: &Reader) -> Option<Person> {
    Some(Person {
        id: PersonId(id.to_owned()),
        name: table.text("name")?,
        teams: table.ids::<TeamId>("teams")?.value,
        title: table.text("title"),
        email: table.text("email"),
        handle: table.text("handle"),
        loc: table.header(),
    })
}

pub(super) fn team(id: &str, table: &Reader) -> Option<Team> {
    Some(Team {
        id: TeamId(id.to_owned()),
        name: table.text("name")?,
        lead: table.id("lead")?,
        function: table.text("function"),
        description: table.text("description"),
        handle: table.text("handle"),
        file: table.file(),
    })
}

pub(super) fn persona(id: &str, table: &Reader) -> Option<Persona> {
    Some(Persona {
        id: PersonaId(id.to_owned()),
        name: table.text("name")?,
        summary: table.text("summary"),
        owner: table.id("owner")?,
        agreed_by: table.ids("agreed_by")?,
        qualification: table.texts("qualification"),
        goals: table.texts("goals"),
        pains: table.texts("pains"),
        channels: table.texts("channels"),
        profile: table.text_map("profile"),
        file: table.file(),
    })
}

pub(super) fn kpi(id: &str, table: &Reader, sink: &mut Sink) -> Option<Kpi> {
    let owners = table.ids::<OwnerId>("owners").map(|o| o.value);
    let shares: Vec<Option<Share>> = table
        .tables("share", sink)
        .iter()
        .map(|share| {
            let owner: Located<OwnerId> = share.id("owner")?;
            if let Some(owners) = &owners
                && !owners.iter().any(|o| o.value == owner.value)
            {
                sink.note(
                    Finding::error(
                        &INVALID_VALUE,
                        owner.loc,
                        format!(
                            "share owner `{}` is not one of the KPI's owners",
                            owner.value
                        ),
                    )
                    .with_help("add it to `owners`, or give the share to one of them"),
                );
            }
            Some(Share {
                owner,
                does: share.text("does")?,
            })
        })
        .collect();
    let unit = table.word("unit", Unit::from_word);
    let target = table.number("target");
    let measure = table
        .table("measure", sink)
        .map(|m| super::measure::measure(&m, unit, sink));
    if let (Some(unit), Some(target)) = (unit, &target)
        && let Some(finding) = out_of_unit_range(unit, target, "KPI target")
    {
        // Noted, not blocking: the KPI stays, so its terms' targets are still checked
        // against its unit.
        sink.note(finding);
    }
    Some(Kpi {
        id: KpiId(id.to_owned()),
        name: table.text("name")?,
        definition: table.text("definition")?,
        unit: unit?,
        direction: table.word("direction", Direction::from_word)?,
        period: table.word("period", Period::from_word)?,
        target: target?,
        owners: owners?,
        source: table.text("source"),
        shares: shares.into_iter().collect::<Option<_>>()?,
        measure: measure.flatten(),
        file: table.file(),
    })
}

/// A value out of range for its KPI's unit (a percent outside 0-100), with the likely fix.
/// `what` names the value in the message (`KPI target`, `term target`, `the value`).
pub(super) fn out_of_unit_range(unit: Unit, value: &Located<f64>, what: &str) -> Option<Finding> {
    if unit.admits(value.value) {
        return None;
    }
    let n = value.value;
    Some(
        Finding::error(
            &INVALID_VALUE,
            value.loc,
            format!("{what} `{n}` is a percent and must be between 0 and 100"),
        )
        .with_help(percent_help(n)),
    )
}

/// The fix for a percent: for a fraction (0.95), the same on the 0-100 scale.
fn percent_help(n: f64) -> String {
    if n > 0.0 && n <= 1.0 {
        // Rounded to a millionth: 0.95 * 100 is 95.00000000000001 in floating point.
        let percent = (n * 1e8).round() / 1e6;
        format!("percent values are 0-100: write {percent}, not {n}")
    } else {
        "percent values are 0-100: 95 means 95 %".to_owned()
    }
}

/// Targets of percent KPIs written as fractions (`0.95`) while the KPI's actuals are on
/// the 0-100 scale (93 to 97). A target in (0, 1] is within 0-100, so it is caught by
/// the evidence: every actual is above 1. (A real target of 0.95 % is not measured by
/// values of 93 %: met by far when up, missed by far when down.)
pub(super) fn fraction_targets(
    kpis: &BTreeMap<KpiId, Arc<Kpi>>,
    agreements: &BTreeMap<AgreementId, Arc<Agreement>>,
    actuals: &BTreeMap<KpiId, Vec<Actual>>,
    sink: &mut Sink,
) {
    let on_percent_scale = |kpi: &KpiId| {
        kpis.get(kpi).is_some_and(|k| k.unit == Unit::Percent)
            && actuals
                .get(kpi)
                .is_some_and(|rows| !rows.is_empty() && rows.iter().all(|a| a.value > 1.0))
    };
    let is_fraction = |n: f64| n > 0.0 && n <= 1.0;
    let mut report = |kpi: &KpiId, target: &Located<f64>, what: &str| {
        let rows = &actuals[kpi];
        let (low, high) = rows.iter().fold((f64::MAX, f64::MIN), |(low, high), a| {
            (low.min(a.value), high.max(a.value))
        });
        sink.note(
            Finding::error(
                &INVALID_VALUE,
                target.loc,
                format!(
                    "{what} `{}` is a fraction, but the actuals of KPI `{kpi}` are percents ({low} to {high})",
                    target.value
                ),
            )
            .with_help(percent_help(target.value)),
        );
    };
    for kpi in kpis.values() {
        if is_fraction(kpi.target.value) && on_percent_scale(&kpi.id) {
            report(&kpi.id, &kpi.target, "KPI target");
        }
    }
    for term in agreements.values().flat_map(|a| &a.terms) {
        if let (Some(kpi), Some(target)) = (&term.kpi, &term.target)
            && is_fraction(target.value)
            && on_percent_scale(&kpi.value)
        {
            report(&kpi.value, target, "term target");
        }
    }
    for kpi in kpis.values() {
        fraction_actuals(kpi, actuals, sink);
    }
}

/// The mirror of [`fraction_targets`]: the actuals of a percent KPI written as fractions
/// (0.93) while its target is a percent (95). Every actual is in [0, 1], and a hundred
/// times their largest is within a factor of 2 of the target: values a hundred times
/// below their target measure nothing, so they are taken as fractions. One finding, at
/// the first row.
fn fraction_actuals(kpi: &Kpi, actuals: &BTreeMap<KpiId, Vec<Actual>>, sink: &mut Sink) {
    let Some(rows) = actuals.get(&kpi.id).filter(|rows| !rows.is_empty()) else {
        return;
    };
    let high = rows.iter().map(|a| a.value).fold(0.0, f64::max);
    let as_fractions = kpi.unit == Unit::Percent
        && high > 0.0
        && rows.iter().all(|a| (0.0..=1.0).contains(&a.value))
        && (kpi.target.value / 2.0..=kpi.target.value * 2.0).contains(&(high * 100.0));
    if !as_fractions {
        return;
    }
    let low = rows.iter().map(|a| a.value).fold(1.0, f64::min);
    sink.note(
        Finding::error(
            &INVALID_VALUE,
            rows[0].loc,
            format!(
                "the actuals of KPI `{}` are fractions ({low} to {high}), but its target is the percent {}",
                kpi.id, kpi.target.value
            ),
        )
        .with_help(percent_help(high)),
    );
}

/// An agreement, and the targets of its terms that name a KPI, for
/// [`check_term_units`] once the KPIs are loaded.
pub(super) fn agreement(
    id: &str,
    table: &Reader,
    sink: &mut Sink,
) -> (Option<Agreement>, Vec<TermTarget>) {
    let term_tables = table.tables("term", sink);
    let signature_tables = table.tables("signature", sink);
    let parties = table.ids::<TeamId>("parties");
    if let Some(parties) = &parties {
        check_parties(parties, sink);
    }
    let party_ids: Option<Vec<&TeamId>> = parties
        .as_ref()
        .map(|p| p.value.iter().map(|t| &t.value).collect());
    let mut not_a_party = |team: &Located<TeamId>, what: &str| {
        let Some(party_ids) = &party_ids else { return };
        if !party_ids.contains(&&team.value) {
            let listed: Vec<&str> = party_ids.iter().map(|p| p.as_str()).collect();
            sink.note(
                Finding::error(
                    &NOT_A_PARTY,
                    team.loc,
                    format!(
                        "{what} `{}` is not one of the agreement's parties",
                        team.value
                    ),
                )
                .with_help(format!("the parties are: {}", listed.join(", "))),
            );
        }
    };
    let signatures: Vec<Option<Signature>> = signature_tables
        .iter()
        .map(|signature| {
            let party = signature.id("party")?;
            not_a_party(&party, "signature party");
            Some(Signature {
                party,
                by: signature.id("by")?,
                date: signature.date("date")?,
            })
        })
        .collect();
    let terms: Vec<Option<Term>> = term_tables
        .iter()
        .map(|term| {
            let provider = term.id("provider")?;
            not_a_party(&provider, "provider");
            Some(Term {
                id: term.located_text("id")?,
                title: term.text("title"),
                provider,
                owner: term.id("owner")?,
                commitment: term.text("commitment")?,
                kpi: term.id("kpi"),
                target: term.number("target"),
                persona: term.id("persona"),
                escalation: term.text("escalation"),
                loc: term.header(),
            })
        })
        .collect();
    let term_targets = check_terms(terms.iter().flatten(), sink);
    let effective = table.date("effective");
    let expires = table.date("expires");
    if let (Some(effective), Some(expires)) = (&effective, &expires)
        && expires.value <= effective.value
    {
        sink.note(Finding::error(
            &BAD_DATE,
            expires.loc,
            format!(
                "`expires` ({}) must be after `effective` ({})",
                expires.value, effective.value
            ),
        ));
    }
    let supersedes: Option<Located<AgreementId>> = table.id("supersedes");
    if let Some(supersedes) = supersedes.as_ref().filter(|s| s.value.as_str() == id) {
        sink.note(
            Finding::error(
                &INVALID_VALUE,
                supersedes.loc,
                format!("agreement `{id}` supersedes itself"),
            )
            .with_help("name the agreement this one renews, or remove `supersedes`"),
        );
    }
    // Built in a closure so that `?` leaves out only the agreement, not its terms' targets.
    let agreement = (|| {
        Some(Agreement {
            id: AgreementId(id.to_owned()),
            title: table.text("title")?,
            summary: table.text("summary"),
            parties: parties?,
            sponsor: table.id("sponsor"),
            referee: table.id("referee"),
            effective: effective?,
            expires: expires?,
            review: table.text("review"),
            supersedes,
            terms: terms.into_iter().collect::<Option<_>>()?,
            signatures: signatures.into_iter().collect::<Option<_>>()?,
            file: table.file(),
        })
    })();
    (agreement, term_targets)
}

/// At least two parties, none listed twice.
fn check_parties(parties: &Located<Vec<Located<TeamId>>>, sink: &mut Sink) {
    let mut seen = HashSet::new();
    for party in &parties.value {
        if !seen.insert(&party.value) {
            sink.note(Finding::error(
                &INVALID_VALUE,
                party.loc,
                format!("party `{}` is listed twice", party.value),
            ));
        }
    }
    if seen.len() < 2 {
        sink.note(Finding::error(
            &INVALID_VALUE,
            parties.loc,
            "an agreement needs at least two distinct parties",
        ));
    }
}

/// A term's target and the KPI it is measured by, to be checked against the KPI's unit
/// once the KPIs are loaded.
#[derive(Clone, Debug)]
pub(super) struct TermTarget {
    kpi: KpiId,
    target: Located<f64>,
}

/// Term ids valid and unique; a target only with a KPI. Returns the targets with a KPI,
/// whose range depends on the KPI's unit ([`check_term_units`]).
fn check_terms<'a>(terms: impl Iterator<Item = &'a Term>, sink: &mut Sink) -> Vec<TermTarget> {
    let mut targets = Vec::new();
    let mut seen = HashSet::new();
    for term in terms {
        let id = &term.id;
        if !is_valid_id(&id.value) {
            sink.note(
                Finding::error(
                    &BAD_ID,
                    id.loc,
                    format!("term id `{}` is not a valid id", id.value),
                )
                .with_help(ID_HELP),
            );
        } else if !seen.insert(&id.value) {
            sink.note(Finding::error(
                &DUPLICATE_ID,
                id.loc,
                format!("term id `{}` is used twice in this agreement", id.value),
            ));
        }
        match (&term.target, &term.kpi) {
            (Some(target), Some(kpi)) => targets.push(TermTarget {
                kpi: kpi.value.clone(),
                target: target.clone(),
            }),
            (Some(target), None) => sink.note(
                Finding::error(
                    &TARGET_WITHOUT_KPI,
                    target.loc,
                    "`target` needs a `kpi` to be measured in",
                )
                .with_help("add `kpi = \"...\"` to the term, or remove `target`"),
            ),
            (None, _) => {}
        }
    }
    targets
}

/// Each term target in its KPI's unit's range; a KPI left out for an error has no unit.
pub(super) fn check_term_units(
    targets: &[TermTarget],
    kpis: &BTreeMap<KpiId, Arc<Kpi>>,
    sink: &mut Sink,
) {
    for term in targets {
        if let Some(kpi) = kpis.get(&term.kpi)
            && let Some(finding) = out_of_unit_range(kpi.unit, &term.target, "term target")
        {
            sink.note(finding);
        }
    }
}

pub(super) fn meeting(id: &str, table: &Reader, sink: &mut Sink) -> Option<Meeting> {
    let actions: Vec<Option<Action>> = table
        .tables("action", sink)
        .iter()
        .map(|action| {
            Some(Action {
                what: action.text("what")?,
                owner: action.id("owner")?,
                due: action.date("due"),
                status: action
                    .word("status", ActionStatus::from_word)
                    .unwrap_or(ActionStatus::Open),
            })
        })
        .collect();
    let duration = table.integer("duration")?;
    let cadence = table.word("cadence", Cadence::from_word)?;
    let (day, time) = schedule(table, cadence, sink);
    Some(Meeting {
        id: MeetingId(id.to_owned()),
        name: table.text("name")?,
        cadence,
        duration: Located::new(u32::try_from(duration.value).ok()?, duration.loc),
        day,
        time,
        teams: table.ids("teams")?.value,
        facilitator: table.id("facilitator")?,
        attendees: table.ids("attendees")?.value,
        agenda: table.texts("agenda"),
        actions: actions.into_iter().collect::<Option<_>>()?,
        file: table.file(),
    })
}

/// `day` and `time` of a meeting, each checked against its cadence: a daily meeting
/// meets every working day (no `day`), a weekly or biweekly one on a weekday (`mon`), a
/// monthly or quarterly one on a weekday of the month (`first mon`); a `day` without a
/// `time` (or the reverse) cannot be put in a calendar. Bad values are noted and read as
/// absent.
fn schedule(
    table: &Reader,
    cadence: Cadence,
    sink: &mut Sink,
) -> (Option<Located<MeetingDay>>, Option<Located<MeetingTime>>) {
    let mut invalid = |loc, message: String, help: &str| {
        sink.note(Finding::error(&INVALID_VALUE, loc, message).with_help(help.to_owned()));
    };
    let written_day = table.located_text("day");
    let written_time = table.located_text("time");
    let time = written_time
        .as_ref()
        .and_then(|t| match MeetingTime::parse(&t.value) {
            Ok(time) => Some(Located::new(time, t.loc)),
            Err(why) => {
                invalid(
                    t.loc,
                    format!("`time` `{}` {why}", t.value),
                    "write the start as HH:MM on the 24-hour clock, e.g. \"09:30\" or \"16:00\"",
                );
                None
            }
        });
    let monthly = matches!(cadence, Cadence::Monthly | Cadence::Quarterly);
    let day = written_day.as_ref().and_then(|d| {
        let problem = match MeetingDay::parse(&d.value) {
            Err(why) => {
                let help = match MeetingDay::weekday_meant(&d.value) {
                    Some(day) if monthly => format!("write \"first {day}\" ... \"last {day}\""),
                    Some(day) => format!("write \"{day}\""),
                    None => DAY_HELP.to_owned(),
                };
                Some((format!("`day` `{}` {why}", d.value), help))
            }
            Ok(_) if cadence == Cadence::Daily => Some((
                "a daily meeting meets every working day and takes no `day`".to_owned(),
                "remove `day`, or change `cadence`".to_owned(),
            )),
            Ok(MeetingDay::OfMonth(..)) if !monthly => Some((
                format!(
                    "`day` `{}` is a day of the month, but the meeting is {}",
                    d.value,
                    cadence.word()
                ),
                format!(
                    "write the weekday alone, e.g. \"{}\", or make the meeting monthly",
                    d.value.rsplit(' ').next().unwrap_or("mon")
                ),
            )),
            Ok(MeetingDay::Weekday(_)) if monthly => Some((
                format!(
                    "`day` `{}` names no week of the month, and the meeting is {}",
                    d.value,
                    cadence.word()
                ),
                format!(
                    "write which one, e.g. \"first {0}\" or \"last {0}\"",
                    d.value
                ),
            )),
            Ok(day) => return Some(Located::new(day, d.loc)),
        };
        if let Some((message, help)) = problem {
            invalid(d.loc, message, &help);
        }
        None
    });
    // Only a value that was itself right can be missing its partner.
    match (&day, &written_day, &time, &written_time) {
        (Some(day), _, None, None) => invalid(
            day.loc,
            "`day` needs a `time` to put the meeting in the calendar".to_owned(),
            "add `time = \"HH:MM\"`, or remove `day`",
        ),
        (None, None, Some(time), _) if cadence != Cadence::Daily => invalid(
            time.loc,
            format!(
                "`time` needs a `day` to put a {} meeting in the calendar",
                cadence.word()
            ),
            "add `day`, e.g. `day = \"mon\"` (`day = \"first mon\"` for a monthly meeting)",
        ),
        _ => {}
    }
    (day, time)
}

const DAY_HELP: &str = "write a weekday (mon, tue, wed, thu, fri, sat, sun), or for a monthly meeting one of the month (\"first mon\", \"second tue\", \"third wed\", \"fourth thu\", \"last fri\")";

/// Front matter of a docs page: (title, weight).
pub(super) fn front_matter(table: &Reader) -> (Option<String>, i64) {
    (
        table.text("title"),
        table.integer("weight").map_or(0, |w| w.value),
    )
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    /// The lines of the invalid-value findings once `meetings/<file>.toml` has `keys`
    /// from line 3 (before its `duration`) and `cadence`.
    fn schedule_findings(file: &str, cadence: &str, keys: &str) -> Vec<usize> {
        let path = format!("meetings/{file}.toml");
        TestOrg::base()
            .edit(&path, "duration = ", &format!("{keys}\nduration = "))
            .edit(
                &path,
                &format!("cadence = \"{file}\""),
                &format!("cadence = \"{cadence}\""),
            )
            .findings()
            .into_iter()
            .filter(|(rule, _, _)| *rule == "invalid-value")
            .map(|(_, _, line)| line)
            .collect()
    }

    #[test]
    fn day_and_time_fit_the_cadence_and_come_together() {
        // Right: a weekday for a weekly meeting, a weekday of the month for a monthly or
        // quarterly one, a time alone for a daily one.
        assert_eq!(
            schedule_findings("weekly", "weekly", "day = \"wed\"\ntime = \"08:30\""),
            [0; 0]
        );
        assert_eq!(
            schedule_findings("weekly", "biweekly", "day = \"sun\"\ntime = \"00:00\""),
            [0; 0]
        );
        assert_eq!(
            schedule_findings(
                "monthly",
                "quarterly",
                "day = \"second tue\"\ntime = \"23:59\""
            ),
            [0; 0]
        );
        assert_eq!(
            schedule_findings("weekly", "daily", "time = \"09:00\""),
            [0; 0]
        );
        // Wrong, each at its line.
        assert_eq!(
            schedule_findings("weekly", "daily", "day = \"mon\"\ntime = \"09:00\""),
            [3]
        );
        assert_eq!(schedule_findings("weekly", "weekly", "day = \"mon\""), [3]);
        assert_eq!(
            schedule_findings("weekly", "weekly", "time = \"09:00\""),
            [3]
        );
        assert_eq!(
            schedule_findings("monthly", "monthly", "day = \"fifth mon\"\ntime = \"9:00\""),
            [3, 4]
        );
        // A bad value is reported once: its partner is not also "missing".
        assert_eq!(
            schedule_findings("weekly", "weekly", "day = \"mon\"\ntime = \"24:00\""),
            [4]
        );
    }
}
