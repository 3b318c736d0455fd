//! The registry: every rule, in the order `accord rules` lists them.

mod agreement_too_long;
mod expired_agreement;
mod expiring_agreement;
mod kpi_off_target;
mod lead_outside_team;
mod long_meeting;
mod meeting_missing_team;
mod missing_cadence;
mod no_referee;
mod no_sponsor;
mod overdue_action;
mod owner_outside_provider;
mod persona_not_agreed;
mod persona_without_qualification;
mod plan_behind;
mod plan_shortfall;
mod share_missing;
mod signature_in_future;
mod signer_outside_party;
mod stale_actuals;
mod stale_signature;
mod stray_file;
mod term_target_mismatch;
mod unknown_folder;
mod unmeasured_term;
mod unsigned_agreement;
mod unverified_signature;

use super::Rule;

/// Every rule. Adding a rule is one file and one line here.
pub static RULES: &[&Rule] = &[
    &unsigned_agreement::RULE,
    &signer_outside_party::RULE,
    &signature_in_future::RULE,
    &expired_agreement::RULE,
    &expiring_agreement::RULE,
    &agreement_too_long::RULE,
    &no_sponsor::RULE,
    &no_referee::RULE,
    &unmeasured_term::RULE,
    &owner_outside_provider::RULE,
    &persona_not_agreed::RULE,
    &persona_without_qualification::RULE,
    &share_missing::RULE,
    &kpi_off_target::RULE,
    &stale_actuals::RULE,
    &long_meeting::RULE,
    &meeting_missing_team::RULE,
    &missing_cadence::RULE,
    &overdue_action::RULE,
    &lead_outside_team::RULE,
    &plan_shortfall::RULE,
    &plan_behind::RULE,
    &stray_file::RULE,
    &unknown_folder::RULE,
    &stale_signature::RULE,
    &term_target_mismatch::RULE,
    &unverified_signature::RULE,
];

/// Reports every agreement that names no one in an optional person field (`sponsor`,
/// `referee`), at the start of its file: the top-level table lacks the key.
fn agreements_without(
    org: &crate::model::Org,
    hits: &mut super::Hits,
    field: fn(&crate::model::Agreement) -> bool,
    key: &str,
    help: &str,
) {
    for agreement in org.agreements.values().filter(|a| !field(a)) {
        hits.push(
            crate::source::Loc::file_start(agreement.file),
            format!("agreement `{}` has no `{key}`", agreement.id),
            help,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_documented() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        for rule in RULES {
            assert!(crate::load::is_valid_id(rule.id), "{}", rule.id);
            assert!(rule.rationale.len() > 80, "{} needs a rationale", rule.id);
            assert!(!rule.summary.is_empty());
            assert!(rule.fix.ends_with('.'), "{} needs what to do", rule.id);
        }
    }
}
