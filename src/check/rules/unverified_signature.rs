//! `unverified-signature`: in a git repository with history, the commit that introduced a
//! signature was not authored by its signer.

use crate::check::{Context, Hits, Rule};
use crate::history::is_persons_address;
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "unverified-signature",
    default_level: LintLevel::Warn,
    summary: "the commit that introduced a signature was not authored by its signer (their `email`, or a no-reply address of their `handle`)",
    rationale: "Anyone who can push can write `by = \"someone\"`: the file alone does not show that the person agreed. git does: the commit that added the signature has an author. When that author is the signer (their `email` in people.toml, or the no-reply address GitHub or GitLab gives their `handle`), the signature is theirs; when it is someone else, a team lead may have signed for a colleague, or a name was used without asking. Checked only in a git repository with its history (not a shallow clone), on committed signatures; agreement pages show each signature's commit and who added it.",
    fix: "Have the signer commit their own signature (`accord sign AGREEMENT --as PERSON` in their clone, then push); if they did, give them the email they commit with as `email` in people.toml.",
    check,
};

fn check(org: &Org, context: &Context, hits: &mut Hits) {
    let Some(origins) = context.origins else {
        return;
    };
    for agreement in org.agreements.values() {
        for signature in &agreement.signatures {
            // Not committed yet: said once in a note, checked when it is committed.
            let Some(commit) = origins.introduced(agreement, signature) else {
                continue;
            };
            // An unknown signer is a dangling reference already.
            let Some(person) = org.people.get(&signature.by.value) else {
                continue;
            };
            if is_persons_address(person, &commit.author_email) {
                continue;
            }
            hits.push(
                signature.by.loc,
                format!(
                    "the signature of `{}` for `{}` on agreement `{}` was added in commit {} by {} <{}>, not by `{}`",
                    signature.by.value,
                    signature.party.value,
                    agreement.id,
                    commit.short,
                    commit.author_name,
                    commit.author_email,
                    signature.by.value,
                ),
                format!(
                    "`{}` signs by committing the signature themselves (`accord sign`, then commit and push); if <{}> is their address, set it as their `email` in people.toml",
                    signature.by.value, commit.author_email
                ),
            );
        }
    }
}
