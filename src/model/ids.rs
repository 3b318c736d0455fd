//! Typed ids, so a person id cannot be passed where a team id is meant.

use std::borrow::Borrow;
use std::fmt;

use serde::Serialize;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }
    )*};
}

id_type! {
    /// A person: a key of people.toml.
    PersonId;
    /// A team: the stem of a file in teams/.
    TeamId;
    /// A person or a team (they share one namespace), as `owner` fields name them.
    OwnerId;
    /// A buyer persona: the stem of a file in personas/.
    PersonaId;
    /// A KPI: the stem of a file in kpis/.
    KpiId;
    /// An agreement: the stem of a file in agreements/.
    AgreementId;
    /// A meeting: the stem of a file in meetings/.
    MeetingId;
}

impl OwnerId {
    /// A team named as an owner.
    pub fn of_team(team: &TeamId) -> Self {
        OwnerId(team.0.clone())
    }

    /// A person named as an owner.
    pub fn of_person(person: &PersonId) -> Self {
        OwnerId(person.0.clone())
    }
}
