//! Resolve: every reference checked against the ids that exist, then the org indexed.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::diagnostic::{DANGLING_REFERENCE, Finding, INVALID_VALUE, closest_by_bound, typo_limit};
use crate::load::schema::RefKind;
use crate::load::{KnownIds, LintSettings, Loaded};
use crate::model::{Entities, Indexes, Located, Org};
use crate::source::{Loc, Sources};

/// An org whose references have been checked.
#[derive(Debug)]
pub struct Resolved {
    pub sources: Sources,
    pub org: Org,
    pub lints: LintSettings,
    /// Load errors plus dangling references.
    pub findings: Vec<Finding>,
}

/// Checks every reference of `loaded` and builds the indexed [`Org`].
pub fn resolve(loaded: Loaded) -> Resolved {
    let Loaded {
        sources,
        entities,
        known,
        lints,
        mut findings,
    } = loaded;
    // The indexes and the references are independent: one core builds the indexes
    // while another checks every reference.
    let indexes = std::thread::scope(|scope| {
        let indexes = scope.spawn(|| Indexes::of(&entities));
        let mut suggestions = Suggestions::new(&known);
        let ids = HashedIds::of(&known);
        each_reference(&entities, &mut |kind, id, loc| {
            if !ids.exist(kind, id) {
                findings.push(dangling(&mut suggestions, kind, id, loc));
            }
        });
        findings.extend(supersedes_loops(&entities));
        // A panic while indexing is a bug: it goes on as this thread's.
        indexes
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    });
    Resolved {
        sources,
        org: Org::with(entities, indexes),
        lints,
        findings,
    }
}

/// Agreements that supersede each other in a loop (`a` renews `b`, which renews `a`): no
/// version is the first. One finding per loop, at the `supersedes` of its first id; an
/// agreement superseding itself is the loader's finding.
fn supersedes_loops(entities: &Entities) -> Vec<Finding> {
    let next = |id: &str| {
        let agreement = entities.agreements.get(id)?;
        Some(agreement.supersedes.as_ref()?.value.as_str())
    };
    // Each agreement names at most one other, so every walk is a path that ends, meets an
    // earlier walk, or closes a loop: each agreement is visited once.
    let mut walked: HashMap<&str, usize> = HashMap::new();
    let mut findings = Vec::new();
    for (walk, start) in entities.agreements.keys().enumerate() {
        let mut path: Vec<&str> = Vec::new();
        let mut at = Some(start.as_str());
        while let Some(id) = at {
            match walked.get(id) {
                Some(&seen) if seen == walk => {
                    let ring = &path[path.iter().position(|p| *p == id).unwrap_or(0)..];
                    let first = ring.iter().min().copied().unwrap_or(id);
                    let loc = entities.agreements[first]
                        .supersedes
                        .as_ref()
                        .map(|s| s.loc);
                    if let (true, Some(loc)) = (ring.len() > 1, loc) {
                        let mut order = ring.to_vec();
                        order.rotate_left(ring.iter().position(|p| *p == first).unwrap_or(0));
                        order.push(first);
                        let names: Vec<String> = order.iter().map(|p| format!("`{p}`")).collect();
                        findings.push(
                            Finding::error(
                                &INVALID_VALUE,
                                loc,
                                format!(
                                    "agreements supersede each other in a loop: {}",
                                    names.join(" -> ")
                                ),
                            )
                            .with_help("`supersedes` names the older version: remove it from the oldest one"),
                        );
                    }
                    break;
                }
                Some(_) => break,
                None => {
                    walked.insert(id, walk);
                    path.push(id);
                    at = next(id);
                }
            }
        }
    }
    findings
}

/// The known ids of every kind in hash sets: a large org has hundreds of thousands of
/// references, and looking each up in a `BTreeSet` of tens of thousands of strings costs
/// more per reference the larger the org (a deeper tree, out of the cache).
struct HashedIds<'k> {
    people_unread: bool,
    people: HashSet<&'k str>,
    teams: HashSet<&'k str>,
    personas: HashSet<&'k str>,
    kpis: HashSet<&'k str>,
    agreements: HashSet<&'k str>,
}

impl<'k> HashedIds<'k> {
    fn of(known: &'k KnownIds) -> Self {
        let hashed = |ids: &'k BTreeSet<String>| ids.iter().map(String::as_str).collect();
        HashedIds {
            people_unread: known.people_unread,
            people: hashed(&known.people),
            teams: hashed(&known.teams),
            personas: hashed(&known.personas),
            kpis: hashed(&known.kpis),
            agreements: hashed(&known.agreements),
        }
    }

    /// Whether a reference of `kind` to `id` names something that exists.
    fn exist(&self, kind: RefKind, id: &str) -> bool {
        let person = || self.people_unread || self.people.contains(id);
        match kind {
            RefKind::Person => person(),
            RefKind::Team => self.teams.contains(id),
            RefKind::Owner => person() || self.teams.contains(id),
            RefKind::Persona => self.personas.contains(id),
            RefKind::Kpi => self.kpis.contains(id),
            RefKind::Agreement => self.agreements.contains(id),
        }
    }
}

/// The finding of a reference to `id`, which does not exist.
fn dangling(suggestions: &mut Suggestions, kind: RefKind, id: &str, loc: Loc) -> Finding {
    let near = suggestions.near(kind, id);
    let finding = Finding::error(
        &DANGLING_REFERENCE,
        loc,
        format!("no {} has the id `{id}`", kind.noun()),
    );
    match near {
        Some(near) => finding.with_help(format!("did you mean `{near}`?")),
        None => finding.with_help(format!("define the {} or fix the id", kind.noun())),
    }
}

/// The "did you mean" of dangling references. Renaming a team leaves thousands of
/// references to its old id in a big org, which has thousands of ids to compare each
/// with: so each distinct id is looked up once per kind, a lookup reads only the ids of a
/// length within reach, and it computes the edit distance only to those whose characters
/// could be close enough (see [`CharCounts`]). An org with thousands of distinct dangling
/// ids could still make that (distinct ids x known ids): past `SEARCH_BUDGET` ids read,
/// references get no suggestion, so the work stays linear in the org whatever it holds.
struct Suggestions<'k> {
    known: &'k KnownIds,
    /// The ids of each kind, indexed on the first dangling reference to that kind: most
    /// orgs have none.
    by_kind: [Option<NearIds<'k>>; 6],
    /// Known ids that lookups may still read.
    budget: usize,
}

/// Known ids all lookups of one run may read: about a second of work at most, and
/// far more than an org with a renamed team in every one of 10,000 references needs.
const SEARCH_BUDGET: usize = 40_000_000;

impl<'k> Suggestions<'k> {
    fn new(known: &'k KnownIds) -> Self {
        Suggestions {
            known,
            by_kind: Default::default(),
            budget: SEARCH_BUDGET,
        }
    }

    /// The id of `kind` that `id` is most likely a typo of, as
    /// [`closest`](crate::diagnostic::closest) would pick it from all of them (or none,
    /// once the budget is spent).
    fn near(&mut self, kind: RefKind, id: &str) -> Option<&'k str> {
        let slot = match kind {
            RefKind::Person => 0,
            RefKind::Team => 1,
            RefKind::Owner => 2,
            RefKind::Persona => 3,
            RefKind::Kpi => 4,
            RefKind::Agreement => 5,
        };
        let known = self.known;
        self.by_kind[slot]
            .get_or_insert_with(|| match kind {
                RefKind::Person => NearIds::new(&known.people),
                RefKind::Team => NearIds::new(&known.teams),
                RefKind::Owner => NearIds::new(known.people.iter().chain(&known.teams)),
                RefKind::Persona => NearIds::new(&known.personas),
                RefKind::Kpi => NearIds::new(&known.kpis),
                RefKind::Agreement => NearIds::new(&known.agreements),
            })
            .nearest(id, &mut self.budget)
    }
}

/// The known ids of one kind, grouped by length in characters, and the answers given so
/// far.
struct NearIds<'k> {
    by_length: Vec<SameLength<'k>>,
    answers: HashMap<String, Option<&'k str>>,
}

/// Known ids of one length, each with its character counts.
struct SameLength<'k> {
    chars: usize,
    /// The [`typo_limit`] of every id of this length.
    limit: usize,
    ids: Vec<(&'k str, CharCounts)>,
}

impl<'k> NearIds<'k> {
    fn new(ids: impl IntoIterator<Item = &'k String>) -> Self {
        let mut by_length: BTreeMap<usize, SameLength<'k>> = BTreeMap::new();
        for id in ids {
            let chars = id.chars().count();
            by_length
                .entry(chars)
                .or_insert_with(|| SameLength {
                    chars,
                    limit: typo_limit(id),
                    ids: Vec::new(),
                })
                .ids
                .push((id.as_str(), CharCounts::of(id)));
        }
        NearIds {
            by_length: by_length.into_values().collect(),
            answers: HashMap::new(),
        }
    }

    fn nearest(&mut self, word: &str, budget: &mut usize) -> Option<&'k str> {
        if let Some(answer) = self.answers.get(word) {
            return *answer;
        }
        // An edit distance is at least the difference in length.
        let chars = word.chars().count();
        let in_reach = || {
            self.by_length
                .iter()
                .filter(move |group| group.chars.abs_diff(chars) <= group.limit)
        };
        let cost: usize = in_reach().map(|group| group.ids.len()).sum();
        let answer = match budget.checked_sub(cost) {
            None => None,
            Some(left) => {
                *budget = left;
                let counts = CharCounts::of(word);
                // The cheap bound rules out nearly every id, and orders the rest so that
                // the edit distance is computed for few of them; the answer is the one
                // `closest` would give from all of them.
                let mut candidates: Vec<(usize, &'k str)> = in_reach()
                    .flat_map(|group| {
                        group.ids.iter().filter_map(|(id, id_counts)| {
                            let bound = counts.distance_bound(id_counts);
                            (bound <= group.limit).then_some((bound, *id))
                        })
                    })
                    .collect();
                candidates.sort_unstable();
                closest_by_bound(word, candidates)
            }
        };
        self.answers.insert(word.to_owned(), answer);
        answer
    }
}

/// How often each character occurs in a text, in 64 buckets: the letters, digits and `-`
/// of ids each have their own, other characters share the rest (sharing only lowers the
/// bound below). Counts stop at 255, which also only lowers it.
struct CharCounts([u8; 64]);

impl CharCounts {
    fn of(text: &str) -> Self {
        let mut counts = [0u8; 64];
        for c in text.chars() {
            let bucket = match c {
                'a'..='z' => c as usize - 'a' as usize,
                '0'..='9' => 26 + (c as usize - '0' as usize),
                '-' => 36,
                _ => 37 + c as usize % 27,
            };
            counts[bucket] = counts[bucket].saturating_add(1);
        }
        CharCounts(counts)
    }

    /// A lower bound of the Damerau-Levenshtein distance between the two texts: an
    /// insertion, deletion or substitution changes by at most one the characters that
    /// one text has and the other lacks, on either side, and a transposition none.
    fn distance_bound(&self, other: &CharCounts) -> usize {
        // Branch-free and in 16 bits (64 x 255 fits), so that the compiler compares
        // many counts at once.
        let pairs = || self.0.iter().zip(&other.0);
        let surplus: u16 = pairs().map(|(&a, &b)| u16::from(a.saturating_sub(b))).sum();
        let deficit: u16 = pairs().map(|(&a, &b)| u16::from(b.saturating_sub(a))).sum();
        usize::from(surplus.max(deficit))
    }
}

/// Calls `visit` with every reference of the org: what kind it must name, the id, where.
fn each_reference(entities: &Entities, visit: &mut dyn FnMut(RefKind, &str, Loc)) {
    let mut one = |kind: RefKind, (id, loc): (&str, Loc)| visit(kind, id, loc);
    let codeowners = &entities.settings.codeowners;
    for owner in codeowners.default.iter().chain(&codeowners.also) {
        one(RefKind::Owner, r(owner));
    }
    if let Some(plan) = &entities.settings.plan {
        for kpi in plan.stages.iter().filter_map(|s| s.kpi.as_ref()) {
            one(RefKind::Kpi, r(kpi));
        }
    }
    for person in entities.people.values() {
        person.teams.iter().for_each(|t| one(RefKind::Team, r(t)));
    }
    for team in entities.teams.values() {
        one(RefKind::Person, r(&team.lead));
    }
    for persona in entities.personas.values() {
        one(RefKind::Owner, r(&persona.owner));
        persona
            .agreed_by
            .value
            .iter()
            .for_each(|t| one(RefKind::Team, r(t)));
    }
    for kpi in entities.kpis.values() {
        kpi.owners.iter().for_each(|o| one(RefKind::Owner, r(o)));
    }
    for agreement in entities.agreements.values() {
        agreement
            .parties
            .value
            .iter()
            .for_each(|t| one(RefKind::Team, r(t)));
        for person in [&agreement.sponsor, &agreement.referee]
            .into_iter()
            .flatten()
        {
            one(RefKind::Person, r(person));
        }
        if let Some(old) = &agreement.supersedes {
            one(RefKind::Agreement, r(old));
        }
        for term in &agreement.terms {
            one(RefKind::Person, r(&term.owner));
            term.kpi.iter().for_each(|k| one(RefKind::Kpi, r(k)));
            term.persona
                .iter()
                .for_each(|p| one(RefKind::Persona, r(p)));
        }
        for signature in &agreement.signatures {
            one(RefKind::Person, r(&signature.by));
        }
    }
    for meeting in entities.meetings.values() {
        meeting.teams.iter().for_each(|t| one(RefKind::Team, r(t)));
        one(RefKind::Person, r(&meeting.facilitator));
        meeting
            .attendees
            .iter()
            .for_each(|p| one(RefKind::Person, r(p)));
        meeting
            .actions
            .iter()
            .for_each(|a| one(RefKind::Owner, r(&a.owner)));
    }
}

fn r<T: AsRef<str>>(id: &Located<T>) -> (&str, Loc) {
    (id.value.as_ref(), id.loc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::closest;

    fn ids() -> Vec<String> {
        let mut ids: Vec<String> = ["marketing", "sales", "sells", "service", "ana-garcia"]
            .map(String::from)
            .into();
        for region in 0..40 {
            for team in ["marketing", "sales", "distribution"] {
                ids.push(format!("{team}-r{region:03}"));
            }
        }
        ids
    }

    #[test]
    fn suggestions_are_those_of_closest_over_every_id() {
        let ids = ids();
        let words = [
            "salls",
            "markting",
            "sales-r01",
            "sales-r010x",
            "sale-r010",
            "r010-sales",
            "distribution",
            "distribuiton-r007",
            "servcie",
            "x",
            "",
            "ana-garcía",
            "мarketing",
            "marketing-r039-old",
            "team-sales-r001",
        ];
        let mut near = NearIds::new(&ids);
        for word in words {
            let mut budget = SEARCH_BUDGET;
            assert_eq!(
                near.nearest(word, &mut budget),
                closest(word, ids.iter().map(String::as_str)),
                "{word}"
            );
            // Asked again, the answer comes from memory and reads nothing.
            let left = budget;
            near.nearest(word, &mut budget);
            assert_eq!(budget, left, "{word}");
        }
    }

    #[test]
    fn a_spent_budget_gives_no_suggestion_rather_than_a_worse_one() {
        let ids = ids();
        let mut budget = 0;
        assert_eq!(NearIds::new(&ids).nearest("salls", &mut budget), None);
        let mut budget = SEARCH_BUDGET;
        assert_eq!(
            NearIds::new(&ids).nearest("salls", &mut budget),
            Some("sales")
        );
    }

    #[test]
    fn the_character_bound_never_exceeds_the_edit_distance() {
        let pairs = [
            ("sales", "sales"),
            ("sales", "salse"),
            ("sales", "sells"),
            ("", "marketing"),
            ("ana-garcía", "ana-garcia"),
            ("ab", "ba"),
            ("abc", "ca"),
            ("ж-ñ", "ñ-ж"),
        ];
        for (a, b) in pairs {
            let bound = CharCounts::of(a).distance_bound(&CharCounts::of(b));
            assert!(bound <= strsim::damerau_levenshtein(a, b), "{a} {b}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_bound_holds_and_suggestions_match_closest_for_any_word(
            a in "[a-z0-9\\-ñж]{0,14}",
            b in "[a-z0-9\\-ñж]{0,14}",
        ) {
            let bound = CharCounts::of(&a).distance_bound(&CharCounts::of(&b));
            proptest::prop_assert!(bound <= strsim::damerau_levenshtein(&a, &b));
            let ids = ids();
            let mut budget = SEARCH_BUDGET;
            proptest::prop_assert_eq!(
                NearIds::new(&ids).nearest(&a, &mut budget),
                closest(&a, ids.iter().map(String::as_str))
            );
        }
    }
}
