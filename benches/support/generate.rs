//! A generator of large, valid accord orgs, for benchmarks and for trying the tool at scale.
//!
//! The org is a shelving maker that sells in many regions of Spain and Poland. Every region
//! has the same four teams (marketing, sales, distribution, customer service) and the same
//! practice as `example-org/`: two personas agreed by marketing and sales, three yearly
//! agreements (marketing–sales, sales–distribution, sales–customer service) with four
//! measured terms each, twelve KPIs with actuals, shares for every shared KPI, and five
//! meetings (three weekly, two monthly) with actions. Above the regions sit two org-wide
//! teams: leadership (the CEO and one regional director per region, the sponsors) and
//! revenue operations (one referee per region, who facilitates the region's meetings).
//!
//! Each region lives in its own subfolder of every entity folder (`teams/region-007/…`)
//! and every id of a region ends in its code (`sales-r007`), so ids stay unique at any
//! size. The growth plan scales with the number of regions, and so do the targets of its
//! stage KPIs, so `plan-shortfall` stays quiet.
//!
//! The output is deterministic and designed to give **zero findings** with
//! `accord check DIR --deny-warnings --today 2026-06-15`: the actuals end with the last
//! complete week (2026-W24), month (2026-05), quarter (2026-Q1) and year (2025) of that
//! day, so from 2026-06-22 `stale-actuals` asks for the next week, and before 2026-05-01
//! a row lies after today (`invalid-value`).
//!
//! Entities per region: 22 people, 4 teams, 2 personas, 12 KPIs, 3 agreements, 12 terms,
//! 5 meetings and 10 actions (70), plus 8 org-wide (2 people, 2 teams, 4 plan KPIs).
//! Files per region: 39 (4 teams, 2 personas, 12 KPIs, 12 actuals, 3 agreements,
//! 5 meetings, 1 doc), plus 13 org-wide.

// Each user of this module (the benchmark, the example) uses a different part of it.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// Teams in every region.
pub const TEAMS_PER_REGION: usize = 4;
/// Entities (as counted by [`Counts::entities`]) in every region.
pub const ENTITIES_PER_REGION: usize = 70;
/// Entities of the org-wide part: 2 people, 2 teams, 4 plan KPIs.
pub const ORG_WIDE_ENTITIES: usize = 8;

/// What [`write_org`] wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub regions: usize,
    pub people: usize,
    pub teams: usize,
    pub personas: usize,
    pub kpis: usize,
    pub agreements: usize,
    pub terms: usize,
    pub signatures: usize,
    pub meetings: usize,
    pub actions: usize,
    /// Data rows of every `actuals/*.csv`.
    pub actual_rows: usize,
    pub docs: usize,
    /// Every file written, `accord.toml` and `people.toml` included.
    pub files: usize,
    /// Bytes of every file written.
    pub bytes: usize,
}

impl Counts {
    /// People, teams, personas, KPIs, agreements, terms, meetings and meeting actions:
    /// everything that has an id or an owner. Signatures, actuals rows and docs pages
    /// are not counted.
    pub fn entities(&self) -> usize {
        self.people
            + self.teams
            + self.personas
            + self.kpis
            + self.agreements
            + self.terms
            + self.meetings
            + self.actions
    }
}

/// The number of teams to ask [`write_org`] for to get about `entities` entities.
pub fn teams_for_entities(entities: usize) -> usize {
    let regions = (entities.saturating_sub(ORG_WIDE_ENTITIES) + ENTITIES_PER_REGION / 2)
        / ENTITIES_PER_REGION;
    regions.max(1) * TEAMS_PER_REGION
}

/// Writes a complete, valid org into `dir` (created if needed; it should be empty) with
/// `teams` regional teams, rounded up to whole regions of [`TEAMS_PER_REGION`] (at least
/// one region), plus the two org-wide teams.
pub fn write_org(dir: &Path, teams: usize) -> io::Result<Counts> {
    let regions = teams.div_ceil(TEAMS_PER_REGION).max(1);
    let mut out = Writer {
        root: dir,
        counts: Counts {
            regions,
            ..Counts::default()
        },
    };
    let regions: Vec<Region> = (0..regions).map(Region::new).collect();
    out.settings(regions.len())?;
    out.people(&regions)?;
    out.org_wide()?;
    for region in &regions {
        out.region(region)?;
    }
    Ok(out.counts)
}

// --- Names -----------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Locale {
    Es,
    Pl,
}

const REGION_NAMES: [(&str, Locale); 20] = [
    ("Andalucía", Locale::Es),
    ("Małopolska", Locale::Pl),
    ("Aragón", Locale::Es),
    ("Mazowsze", Locale::Pl),
    ("Castilla y León", Locale::Es),
    ("Śląsk", Locale::Pl),
    ("Castilla-La Mancha", Locale::Es),
    ("Łódzkie", Locale::Pl),
    ("Cataluña", Locale::Es),
    ("Pomorze", Locale::Pl),
    ("Comunidad Valenciana", Locale::Es),
    ("Wielkopolska", Locale::Pl),
    ("Galicia", Locale::Es),
    ("Dolny Śląsk", Locale::Pl),
    ("Región de Murcia", Locale::Es),
    ("Podkarpacie", Locale::Pl),
    ("País Vasco", Locale::Es),
    ("Warmia i Mazury", Locale::Pl),
    ("Comunidad de Madrid", Locale::Es),
    ("Świętokrzyskie", Locale::Pl),
];

/// (first name, female)
const ES_FIRST: [(&str, bool); 16] = [
    ("Lucía", true),
    ("Álvaro", false),
    ("Begoña", true),
    ("Íñigo", false),
    ("Sofía", true),
    ("Andrés", false),
    ("Nuria", true),
    ("Ramón", false),
    ("María José", true),
    ("Jesús", false),
    ("Inés", true),
    ("Joaquín", false),
    ("Ainhoa", true),
    ("Óscar", false),
    ("Rocío", true),
    ("Sebastián", false),
];

const ES_LAST: [&str; 24] = [
    "García",
    "Fernández",
    "Núñez",
    "Sáenz",
    "Ibáñez",
    "Muñoz",
    "Castaño",
    "Peláez",
    "Jiménez",
    "Domínguez",
    "Martínez",
    "Gómez",
    "López",
    "Pérez",
    "Sánchez",
    "Rodríguez",
    "Hernández",
    "Díaz",
    "Martín",
    "Gutiérrez",
    "Álvarez",
    "Ordóñez",
    "Echeverría",
    "Zúñiga",
];

const PL_FIRST: [(&str, bool); 16] = [
    ("Łucja", true),
    ("Paweł", false),
    ("Małgorzata", true),
    ("Wojciech", false),
    ("Agnieszka", true),
    ("Grzegorz", false),
    ("Józefa", true),
    ("Michał", false),
    ("Zofia", true),
    ("Łukasz", false),
    ("Katarzyna", true),
    ("Jędrzej", false),
    ("Bożena", true),
    ("Przemysław", false),
    ("Elżbieta", true),
    ("Stanisław", false),
];

/// (masculine, feminine)
const PL_LAST: [(&str, &str); 24] = [
    ("Żurawski", "Żurawska"),
    ("Wiśniewski", "Wiśniewska"),
    ("Kowalski", "Kowalska"),
    ("Wójcik", "Wójcik"),
    ("Kamiński", "Kamińska"),
    ("Lewandowski", "Lewandowska"),
    ("Dąbrowski", "Dąbrowska"),
    ("Zieliński", "Zielińska"),
    ("Szymański", "Szymańska"),
    ("Woźniak", "Woźniak"),
    ("Kozłowski", "Kozłowska"),
    ("Jabłoński", "Jabłońska"),
    ("Mazur", "Mazur"),
    ("Krawczyk", "Krawczyk"),
    ("Piątek", "Piątek"),
    ("Grabowski", "Grabowska"),
    ("Pawłowski", "Pawłowska"),
    ("Król", "Król"),
    ("Wróbel", "Wróbel"),
    ("Zając", "Zając"),
    ("Stępień", "Stępień"),
    ("Górski", "Górska"),
    ("Chmielewski", "Chmielewska"),
    ("Brzęczyszczykiewicz", "Brzęczyszczykiewicz"),
];

/// A deterministic hash, so the same size always gives the same org.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn pick(seed: u64, len: usize) -> usize {
    (mix(seed) % len as u64) as usize
}

/// An id fragment from display text: lowercase ASCII, accents and Polish letters folded.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.to_lowercase().chars() {
        let c = match c {
            'á' | 'à' | 'ä' | 'â' | 'ą' => 'a',
            'é' | 'è' | 'ë' | 'ê' | 'ę' => 'e',
            'í' | 'ì' | 'ï' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' => 'u',
            'ñ' | 'ń' => 'n',
            'ç' | 'ć' => 'c',
            'ł' => 'l',
            'ś' => 's',
            'ż' | 'ź' => 'z',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if c != '-' || !(out.is_empty() || out.ends_with('-')) {
            out.push(c);
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// A person of the generated org.
#[derive(Clone)]
struct Person {
    id: String,
    name: String,
    title: String,
    teams: Vec<String>,
    domain: String,
}

fn make_person(serial: usize, locale: Locale, seed: u64, title: &str, team: &str) -> Person {
    let (first, last) = match locale {
        Locale::Es => {
            let (first, _) = ES_FIRST[pick(seed, ES_FIRST.len())];
            let a = ES_LAST[pick(seed ^ 0xa, ES_LAST.len())];
            let b = ES_LAST[pick(seed ^ 0xb, ES_LAST.len())];
            (first, format!("{a} {b}"))
        }
        Locale::Pl => {
            let (first, female) = PL_FIRST[pick(seed, PL_FIRST.len())];
            let (m, f) = PL_LAST[pick(seed ^ 0xa, PL_LAST.len())];
            (first, if female { f } else { m }.to_owned())
        }
    };
    let first_surname = last.split(' ').next().unwrap_or(&last);
    Person {
        id: format!("{}-{}-{serial:04}", slug(first), slug(first_surname)),
        name: format!("{first} {last}"),
        title: title.to_owned(),
        teams: vec![team.to_owned()],
        domain: match locale {
            Locale::Es => "estanterias-penalara.example".into(),
            Locale::Pl => "penalara.pl.example".into(),
        },
    }
}

// --- Regions ---------------------------------------------------------------------------

/// The four regional team functions, in order: marketing, sales, distribution, service.
const FUNCTIONS: [&str; TEAMS_PER_REGION] = ["marketing", "sales", "distribution", "service"];
const MARKETING: usize = 0;
const SALES: usize = 1;
const DISTRIBUTION: usize = 2;
const SERVICE: usize = 3;
const MEMBERS_PER_TEAM: usize = 5;

fn team_name(locale: Locale, function: usize) -> &'static str {
    match locale {
        Locale::Es => [
            "Marketing",
            "Ventas",
            "Distribución y montaje",
            "Atención al cliente",
        ][function],
        Locale::Pl => [
            "Marketing",
            "Sprzedaż",
            "Dystrybucja i montaż",
            "Obsługa klienta",
        ][function],
    }
}

/// (lead title, member title)
fn titles(locale: Locale, function: usize) -> (&'static str, &'static str) {
    match locale {
        Locale::Es => [
            ("Responsable de Marketing", "Técnico/a de marketing digital"),
            ("Director/a de Ventas", "Comercial de zona"),
            ("Jefe/a de Distribución", "Planificador/a de montajes"),
            ("Responsable de Atención al Cliente", "Gestor/a de cuentas"),
        ][function],
        Locale::Pl => [
            ("Kierownik marketingu", "Specjalista ds. marketingu"),
            ("Dyrektor sprzedaży", "Przedstawiciel handlowy"),
            ("Kierownik dystrybucji", "Koordynator montażu"),
            ("Kierownik obsługi klienta", "Opiekun klienta"),
        ][function],
    }
}

struct Region {
    index: usize,
    /// `r007`: the suffix of every id of the region.
    code: String,
    /// `region-007`: the subfolder in every entity folder.
    folder: String,
    name: String,
    locale: Locale,
    /// Team ids, by function.
    teams: [String; TEAMS_PER_REGION],
    /// Members of each team, the lead first.
    members: [Vec<Person>; TEAMS_PER_REGION],
    /// Sponsor of the region's agreements, a member of `leadership`.
    director: Person,
    /// Referee of the region's agreements, a member of `revenue-operations`.
    referee: Person,
}

impl Region {
    fn new(index: usize) -> Region {
        let (base, locale) = REGION_NAMES[index % REGION_NAMES.len()];
        let round = index / REGION_NAMES.len();
        let name = match (round, locale) {
            (0, _) => base.to_owned(),
            (n, Locale::Es) => format!("{base} · zona {}", n + 1),
            (n, Locale::Pl) => format!("{base} · strefa {}", n + 1),
        };
        let code = format!("r{index:03}");
        let teams = FUNCTIONS.map(|f| format!("{f}-{code}"));
        // Person ids carry a serial that is unique across the org: 2 org-wide people,
        // then 22 per region.
        let mut serial = 3 + index * (TEAMS_PER_REGION * MEMBERS_PER_TEAM + 2);
        let mut next = |title: &str, team: &str| {
            let p = make_person(serial, locale, serial as u64, title, team);
            serial += 1;
            p
        };
        let members: [Vec<Person>; TEAMS_PER_REGION] = std::array::from_fn(|f| {
            let (lead, member) = titles(locale, f);
            (0..MEMBERS_PER_TEAM)
                .map(|k| next(if k == 0 { lead } else { member }, &teams[f]))
                .collect()
        });
        let (director_title, referee_title) = match locale {
            Locale::Es => ("Director/a regional", "Analista de Revenue Operations"),
            Locale::Pl => ("Dyrektor regionalny", "Analityk Revenue Operations"),
        };
        let director = next(director_title, "leadership");
        let referee = next(referee_title, "revenue-operations");
        Region {
            index,
            code,
            folder: format!("region-{index:03}"),
            name,
            locale,
            teams,
            members,
            director,
            referee,
        }
    }

    fn lead(&self, function: usize) -> &Person {
        &self.members[function][0]
    }

    fn member(&self, function: usize, k: usize) -> &Person {
        &self.members[function][k % MEMBERS_PER_TEAM]
    }

    fn day(&self, offset: usize) -> usize {
        1 + (self.index + offset) % 28
    }
}

// --- Templates of the regional KPIs, agreements and meetings ---------------------------

struct KpiTemplate {
    key: &'static str,
    name: &'static str,
    unit: &'static str,
    up: bool,
    period: &'static str,
    target: u32,
    /// Owner teams, by function; each gets a share when there are two.
    owners: &'static [(usize, &'static str)],
    definition: &'static str,
    source: &'static str,
}

const KPIS: [KpiTemplate; 12] = [
    KpiTemplate {
        key: "leads-created",
        name: "Leads created",
        unit: "count",
        up: true,
        period: "month",
        target: 70,
        owners: &[(MARKETING, "")],
        definition: "New contacts created in the CRM in the month by any marketing channel of the region (web forms, trade fair scans, webinar sign-ups). Duplicates merged by the CRM count once.",
        source: "CRM report 'New leads by source'",
    },
    KpiTemplate {
        key: "complete-leads",
        name: "Complete leads",
        unit: "percent",
        up: true,
        period: "month",
        target: 95,
        owners: &[
            (
                MARKETING,
                "Capture name, email, phone and role of every lead",
            ),
            (
                SALES,
                "Flag every incomplete lead in the CRM the day it arrives",
            ),
        ],
        definition: "Share of the month's leads that reach sales with **name, email, phone and role** filled in and valid.",
        source: "CRM report 'Lead completeness'",
    },
    KpiTemplate {
        key: "speed-to-call",
        name: "Speed to call",
        unit: "minutes",
        up: false,
        period: "week",
        target: 4,
        owners: &[(SALES, "")],
        definition: "Median minutes between the capture of a lead and the first call of inside sales, in working hours.",
        source: "Telephony log joined with the CRM",
    },
    KpiTemplate {
        key: "mql-feedback-time",
        name: "MQL feedback time",
        unit: "hours",
        up: false,
        period: "month",
        target: 48,
        owners: &[
            (
                SALES,
                "Give a verdict on every MQL: accepted, rejected with a reason, or back to nurturing",
            ),
            (
                MARKETING,
                "Route the rejected MQLs back to nurturing the same day",
            ),
        ],
        definition: "Median hours between an MQL reaching sales and the verdict of sales on it.",
        source: "CRM report 'MQL verdicts'",
    },
    KpiTemplate {
        key: "order-data-complete",
        name: "Complete order sheets",
        unit: "percent",
        up: true,
        period: "month",
        target: 98,
        owners: &[
            (
                SALES,
                "Fill in the site plan, load per level and access hours of every order",
            ),
            (
                DISTRIBUTION,
                "Send back an incomplete order sheet within one working day",
            ),
        ],
        definition: "Share of the month's orders whose order sheet distribution could plan without asking sales again.",
        source: "ERP report 'Order sheets returned'",
    },
    KpiTemplate {
        key: "on-time-delivery",
        name: "On-time delivery",
        unit: "percent",
        up: true,
        period: "month",
        target: 95,
        owners: &[(DISTRIBUTION, "")],
        definition: "Share of the month's installations finished on the date confirmed to the customer.",
        source: "Installation calendar",
    },
    KpiTemplate {
        key: "delivery-confirmation-time",
        name: "Delivery confirmation time",
        unit: "days",
        up: false,
        period: "quarter",
        target: 2,
        owners: &[(DISTRIBUTION, "")],
        definition: "Average working days between a complete order sheet and the installation date confirmed to sales.",
        source: "ERP report 'Order confirmations'",
    },
    KpiTemplate {
        key: "installation-lead-time",
        name: "Installation lead time",
        unit: "days",
        up: false,
        period: "month",
        target: 21,
        owners: &[(DISTRIBUTION, "")],
        definition: "Median calendar days between the signed order and the finished installation.",
        source: "Installation calendar",
    },
    KpiTemplate {
        key: "handover-completeness",
        name: "Complete account handovers",
        unit: "percent",
        up: true,
        period: "month",
        target: 98,
        owners: &[
            (
                SALES,
                "Hand over every won deal with its account sheet and special conditions",
            ),
            (
                SERVICE,
                "Check the account sheet within a day and ask for what is missing",
            ),
        ],
        definition: "Share of the month's won deals handed over to customer service with a complete account sheet.",
        source: "CRM report 'Handovers'",
    },
    KpiTemplate {
        key: "onboarding-kickoff-time",
        name: "Onboarding kick-off time",
        unit: "days",
        up: false,
        period: "month",
        target: 5,
        owners: &[(SERVICE, "")],
        definition: "Median working days between the handover of a won deal and the onboarding call with the customer.",
        source: "CRM report 'Onboarding calls'",
    },
    KpiTemplate {
        key: "customer-satisfaction",
        name: "Customer satisfaction",
        unit: "percent",
        up: true,
        period: "quarter",
        target: 90,
        owners: &[
            (
                SERVICE,
                "Survey every customer one month after the installation",
            ),
            (
                SALES,
                "Call every customer who rates the project below 7 within a week",
            ),
        ],
        definition: "Share of surveyed customers who rate the whole project 8 or more out of 10.",
        source: "Post-installation survey",
    },
    KpiTemplate {
        key: "referrals-passed",
        name: "Referrals passed to sales",
        unit: "count",
        up: true,
        period: "year",
        target: 24,
        owners: &[
            (
                SERVICE,
                "Ask every satisfied customer for a referral and log it in the CRM",
            ),
            (SALES, "Contact every referral within two working days"),
        ],
        definition: "Referrals from existing customers that customer service passed to sales in the year.",
        source: "CRM report 'Referrals'",
    },
];

struct TermTemplate {
    id: &'static str,
    provider: usize,
    /// Index into [`KPIS`].
    kpi: usize,
    /// Index of the region's persona the term is about.
    persona: Option<usize>,
    commitment: &'static str,
    escalation: &'static str,
}

struct AgreementTemplate {
    key: &'static str,
    title: &'static str,
    parties: [usize; 2],
    summary: &'static str,
    terms: [TermTemplate; 4],
}

const AGREEMENTS: [AgreementTemplate; 3] = [
    AgreementTemplate {
        key: "marketing-sales-sla-2026",
        title: "Marketing-Sales SLA 2026",
        parties: [MARKETING, SALES],
        summary: "What marketing and sales of the region promise each other for 2026, so that together they reach their part of the growth plan.",
        terms: [
            TermTemplate {
                id: "lead-volume",
                provider: MARKETING,
                kpi: 0,
                persona: Some(0),
                commitment: "Marketing creates at least **70 new leads a month** and routes each one to the inside sales queue the moment it is captured.",
                escalation: "Two months below target in a row: marketing presents a recovery plan at the next monthly meeting.",
            },
            TermTemplate {
                id: "lead-data",
                provider: MARKETING,
                kpi: 1,
                persona: None,
                commitment: "Every lead reaches sales with **name, email, phone and role** filled in and valid.",
                escalation: "Below 95 % in a month: the referee reviews the incomplete leads with marketing.",
            },
            TermTemplate {
                id: "call-within-4-minutes",
                provider: SALES,
                kpi: 2,
                persona: None,
                commitment: "Inside sales calls **every new lead within 4 minutes** of its capture during working hours.",
                escalation: "Three weeks above 4 minutes in a quarter go to the executive sponsor.",
            },
            TermTemplate {
                id: "mql-feedback",
                provider: SALES,
                kpi: 3,
                persona: Some(1),
                commitment: "Sales gives its verdict on **every MQL within 48 hours**.",
                escalation: "",
            },
        ],
    },
    AgreementTemplate {
        key: "sales-distribution-2026",
        title: "Sales-Distribution agreement 2026",
        parties: [SALES, DISTRIBUTION],
        summary: "What sales hands to distribution with every order, and what distribution promises the customer in return.",
        terms: [
            TermTemplate {
                id: "complete-order-sheet",
                provider: SALES,
                kpi: 4,
                persona: None,
                commitment: "Every order reaches distribution with a **complete order sheet**: site plan, load per level, access hours.",
                escalation: "",
            },
            TermTemplate {
                id: "on-time-installation",
                provider: DISTRIBUTION,
                kpi: 5,
                persona: None,
                commitment: "Distribution finishes **95 % of installations** on the date confirmed to the customer.",
                escalation: "A missed date is explained to the customer by distribution, not by sales.",
            },
            TermTemplate {
                id: "confirm-within-2-days",
                provider: DISTRIBUTION,
                kpi: 6,
                persona: None,
                commitment: "Distribution confirms an installation date **within 2 working days** of a complete order sheet.",
                escalation: "",
            },
            TermTemplate {
                id: "installation-within-3-weeks",
                provider: DISTRIBUTION,
                kpi: 7,
                persona: None,
                commitment: "Standard installations are finished **within 21 days** of the signed order.",
                escalation: "",
            },
        ],
    },
    AgreementTemplate {
        key: "sales-service-handover-2026",
        title: "Sales-Customer service handover 2026",
        parties: [SALES, SERVICE],
        summary: "How a won deal passes from sales to customer service, and what flows back to sales.",
        terms: [
            TermTemplate {
                id: "account-sheet",
                provider: SALES,
                kpi: 8,
                persona: None,
                commitment: "Every won deal is handed over with its **account sheet** and any special conditions.",
                escalation: "",
            },
            TermTemplate {
                id: "onboarding-call",
                provider: SERVICE,
                kpi: 9,
                persona: Some(0),
                commitment: "Customer service holds the **onboarding call within 5 working days** of the handover.",
                escalation: "",
            },
            TermTemplate {
                id: "satisfaction",
                provider: SERVICE,
                kpi: 10,
                persona: None,
                commitment: "At least **90 %** of surveyed customers rate the project 8 or more.",
                escalation: "Below 90 % in a quarter: customer service and sales review every low rating together.",
            },
            TermTemplate {
                id: "referrals",
                provider: SERVICE,
                kpi: 11,
                persona: Some(1),
                commitment: "Customer service passes at least **24 referrals a year** to sales.",
                escalation: "",
            },
        ],
    },
];

struct MeetingTemplate {
    key: &'static str,
    name: &'static str,
    cadence: &'static str,
    duration: u32,
    teams: &'static [usize],
    agenda: &'static [&'static str],
}

const MEETINGS: [MeetingTemplate; 5] = [
    MeetingTemplate {
        key: "smarketing-weekly",
        name: "Smarketing weekly",
        cadence: "weekly",
        duration: 30,
        teams: &[MARKETING, SALES],
        agenda: &[
            "Leads, MQLs and meetings of the week against the SLA (5 min)",
            "Speed to call and MQL feedback: the exceptions only (5 min)",
            "One problem, ideas from everyone, one owner (15 min)",
        ],
    },
    MeetingTemplate {
        key: "smarketing-monthly",
        name: "Smarketing monthly",
        cadence: "monthly",
        duration: 60,
        teams: &[MARKETING, SALES],
        agenda: &[
            "KPIs of the month against target",
            "The plan: are we on the way to the year's customers?",
            "Changes to the SLA, personas and qualification criteria",
        ],
    },
    MeetingTemplate {
        key: "operations-weekly",
        name: "Operations weekly",
        cadence: "weekly",
        duration: 30,
        teams: &[SALES, DISTRIBUTION],
        agenda: &[
            "Orders received and order sheets to complete",
            "Installation calendar for the next three weeks",
        ],
    },
    MeetingTemplate {
        key: "handover-weekly",
        name: "Customer handover weekly",
        cadence: "weekly",
        duration: 30,
        teams: &[SALES, SERVICE],
        agenda: &[
            "Deals won this week and their account sheets",
            "Low satisfaction ratings and what sales should know",
        ],
    },
    MeetingTemplate {
        key: "revenue-monthly",
        name: "Revenue monthly",
        cadence: "monthly",
        duration: 60,
        teams: &[MARKETING, SALES, DISTRIBUTION, SERVICE],
        agenda: &[
            "Every KPI of the region against target",
            "Open actions and their owners",
            "What one team needs from another next month",
        ],
    },
];

// --- Writing ---------------------------------------------------------------------------

/// Escapes a string for a TOML basic string.
fn q(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let items: Vec<String> = items.into_iter().map(|s| q(s.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

struct Writer<'a> {
    root: &'a Path,
    counts: Counts,
}

impl Writer<'_> {
    fn write(&mut self, path: &str, text: &str) -> io::Result<()> {
        let path = self.root.join(path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, text)?;
        self.counts.files += 1;
        self.counts.bytes += text.len();
        Ok(())
    }

    fn settings(&mut self, regions: usize) -> io::Result<()> {
        let revenue = 600_000 * regions;
        let customers = 40 * regions;
        let mut t = String::new();
        writeln!(
            t,
            "# Generated by benches/support/generate.rs: {regions} region(s).\n\
             #\n\
             # Growth plan: customers needed = {revenue} / 15000 = {customers};\n\
             # Meeting = {customers} / 0.25 = {}; MQL = / 0.5 = {}; Lead = / 0.4 = {}.\n\
             # The stage KPIs target 70, 28, 14 and 4 per region and month (x 12 months).\n",
            customers * 4,
            customers * 8,
            customers * 20
        )
        .unwrap();
        t.push_str(
            "[org]\n\
             name = \"Estanterías Peñalara Group\"\n\
             description = \"\"\"\n\
             Industrial shelving and pallet racking for warehouses in **Spain and Poland**:\n\
             Estanterías Peñalara S.L. (Alcobendas) and Regały Peñalara sp. z o.o. (Łódź).\n\
             \"\"\"\n\
             language = \"es\"\n\n\
             [site]\n\
             title = \"Peñalara — acuerdos entre equipos\"\n\
             base_url = \"/alignment/\"\n\n\
             [lints]\n\
             no-sponsor = \"deny\"\n\
             no-referee = \"deny\"\n\
             unmeasured-term = \"deny\"\n\n",
        );
        writeln!(
            t,
            "[plan]\n\
             period = \"2026\"\n\
             revenue_target = {revenue}\n\
             currency = \"EUR\"\n\
             average_deal = 15_000\n\
             months = 12\n\n\
             [[plan.stage]]\nname = \"Lead\"\nkpi = \"leads-created\"\n\n\
             [[plan.stage]]\nname = \"MQL\"\nconversion = 0.4\nkpi = \"mql-delivered\"\n\n\
             [[plan.stage]]\nname = \"Meeting\"\nconversion = 0.5\nkpi = \"meetings-booked\"\n\n\
             [[plan.stage]]\nname = \"Customer\"\nconversion = 0.25\nkpi = \"customers-won\""
        )
        .unwrap();
        self.write("accord.toml", &t)
    }

    fn person(t: &mut String, p: &Person) {
        writeln!(
            t,
            "[{}]\nname = {}\nteams = {}\ntitle = {}\nemail = \"{}@{}\"\nhandle = \"{}\"\n",
            p.id,
            q(&p.name),
            list(&p.teams),
            q(&p.title),
            p.id.replace('-', "."),
            p.domain,
            p.id
        )
        .unwrap();
    }

    fn people(&mut self, regions: &[Region]) -> io::Result<()> {
        let mut t = String::from(
            "# Everyone who holds a responsibility. Ids are ASCII; names keep their accents.\n\n\
             [carmen-nunez]\nname = \"Carmen Núñez Ortega\"\nteams = [\"leadership\"]\n\
             title = \"Consejera delegada\"\nemail = \"carmen.nunez@estanterias-penalara.example\"\n\n\
             [inigo-munoz]\nname = \"Íñigo Muñoz Echeverría\"\nteams = [\"revenue-operations\"]\n\
             title = \"Revenue Operations Manager\"\nemail = \"inigo.munoz@estanterias-penalara.example\"\n\n",
        );
        self.counts.people += 2;
        for region in regions {
            writeln!(t, "# --- {} ({}) ---\n", region.name, region.code).unwrap();
            let everyone = region
                .members
                .iter()
                .flatten()
                .chain([&region.director, &region.referee]);
            for p in everyone {
                Self::person(&mut t, p);
                self.counts.people += 1;
            }
        }
        self.write("people.toml", &t)
    }

    fn org_wide(&mut self) -> io::Result<()> {
        self.write(
            "teams/leadership.toml",
            "name = \"Dirección\"\nlead = \"carmen-nunez\"\nfunction = \"management\"\n\
             description = \"\"\"\nThe CEO and the regional directors: the **executive sponsors** of every agreement.\n\"\"\"\n",
        )?;
        self.write(
            "teams/revenue-operations.toml",
            "name = \"Revenue Operations\"\nlead = \"inigo-munoz\"\nfunction = \"referee\"\n\
             description = \"\"\"\nSits **between** the teams of every region: runs the meetings, owns the CRM and referees the agreements.\n\"\"\"\n",
        )?;
        self.counts.teams += 2;
        // The plan's stage KPIs, per region and month: 70 leads, 28 MQLs, 14 meetings,
        // 4 customers, against needs of 800, 320, 160 and 40 per region and year.
        let regions = self.counts.regions as u32;
        let stages = [
            ("leads-created", "Leads created (group)", 70),
            ("mql-delivered", "MQLs delivered (group)", 28),
            ("meetings-booked", "First meetings booked (group)", 14),
            ("customers-won", "Customers won (group)", 4),
        ];
        for (id, name, per_region) in stages {
            let target = per_region * regions;
            let t = format!(
                "name = {}\ndefinition = \"\"\"\nThe sum over every region, for the growth plan: see `accord.toml`.\n\"\"\"\n\
                 unit = \"count\"\ndirection = \"up\"\nperiod = \"month\"\ntarget = {target}\n\
                 owners = [\"revenue-operations\"]\nsource = \"CRM group dashboard\"\n",
                q(name)
            );
            self.write(&format!("kpis/plan/{id}.toml"), &t)?;
            self.counts.kpis += 1;
            let mut csv = String::from("period,value\n");
            for month in 1..=5u32 {
                let value = target + target * month / 20;
                writeln!(csv, "2026-{month:02},{value}").unwrap();
                self.counts.actual_rows += 1;
            }
            self.write(&format!("actuals/plan/{id}.csv"), &csv)?;
        }
        self.write(
            "docs/how-to-change-an-agreement.md",
            "+++\ntitle = \"Cómo cambiar un acuerdo\"\nweight = 1\n+++\n\n\
             # Cómo cambiar un acuerdo\n\n1. Open a pull request that edits the agreement.\n\
             2. The leads of both parties review it; the referee merges it.\n\
             3. Both parties sign again: a new `[[signature]]` with today's date.\n",
        )?;
        self.counts.docs += 1;
        Ok(())
    }

    fn region(&mut self, r: &Region) -> io::Result<()> {
        self.teams(r)?;
        self.personas(r)?;
        self.kpis(r)?;
        self.agreements(r)?;
        self.meetings(r)?;
        self.doc(r)
    }

    fn teams(&mut self, r: &Region) -> io::Result<()> {
        for (f, function) in FUNCTIONS.iter().enumerate() {
            let t = format!(
                "name = {}\nlead = \"{}\"\nfunction = \"{function}\"\ndescription = \"\"\"\n\
                 The {function} team of **{}**, led by {}.\n\"\"\"\n",
                q(&format!("{} — {}", team_name(r.locale, f), r.name)),
                r.lead(f).id,
                r.name,
                r.lead(f).name
            );
            self.write(&format!("teams/{}/{}.toml", r.folder, r.teams[f]), &t)?;
            self.counts.teams += 1;
        }
        Ok(())
    }

    fn persona_id(r: &Region, k: usize) -> String {
        format!(
            "{}-{}",
            ["operations-director", "purchasing-manager"][k],
            r.code
        )
    }

    fn personas(&mut self, r: &Region) -> io::Result<()> {
        let people = match r.locale {
            Locale::Es => [
                (
                    "Óscar, director de operaciones",
                    "Madrid, Zaragoza, Sevilla",
                ),
                (
                    "Pilar, responsable de compras",
                    "Valencia, Bilbao, A Coruña",
                ),
            ],
            Locale::Pl => [
                ("Michał, dyrektor operacyjny", "Kraków, Łódź, Wrocław"),
                (
                    "Małgorzata, kierowniczka zakupów",
                    "Warszawa, Gdańsk, Poznań",
                ),
            ],
        };
        for (k, (name, location)) in people.iter().enumerate() {
            let t = format!(
                "name = {}\nsummary = \"\"\"\n{} the search for new racking in **{}**.\n\"\"\"\n\
                 owner = \"{}\"\nagreed_by = {}\n\
                 qualification = [\n  \"Company with 50 or more employees, or a warehouse of 2,000 m² or more\",\n  \
                 \"Has a storage project within the next 12 months\",\n  \"Decides on or strongly influences the choice of supplier\",\n]\n\
                 goals = [\"More pallet positions without moving\", \"Pass the yearly racking inspection\"]\n\
                 pains = [\"Aisles blocked in peak season\", \"Quotes that arrive weeks late\"]\n\
                 channels = [\"LinkedIn\", \"Trade fairs\", \"Technical webinars\"]\n\n\
                 [profile]\nage = \"38-55\"\nlocation = {}\nrole = {}\n",
                q(name),
                ["Starts", "Signs the order after"][k],
                r.name,
                r.teams[MARKETING],
                list([&r.teams[MARKETING], &r.teams[SALES]]),
                q(location),
                q(["Operations Director", "Purchasing Manager"][k]),
            );
            self.write(
                &format!("personas/{}/{}.toml", r.folder, Self::persona_id(r, k)),
                &t,
            )?;
            self.counts.personas += 1;
        }
        Ok(())
    }

    fn kpis(&mut self, r: &Region) -> io::Result<()> {
        for (i, k) in KPIS.iter().enumerate() {
            let id = format!("{}-{}", k.key, r.code);
            let owners: Vec<&str> = k.owners.iter().map(|(f, _)| r.teams[*f].as_str()).collect();
            let mut t = format!(
                "name = {}\ndefinition = \"\"\"\n{}\n\"\"\"\nunit = \"{}\"\ndirection = \"{}\"\n\
                 period = \"{}\"\ntarget = {}\nowners = {}\nsource = {}\n",
                q(&format!("{} — {}", k.name, r.name)),
                k.definition,
                k.unit,
                if k.up { "up" } else { "down" },
                k.period,
                k.target,
                list(&owners),
                q(k.source),
            );
            if k.owners.len() > 1 {
                for (f, does) in k.owners {
                    write!(
                        t,
                        "\n[[share]]\nowner = \"{}\"\ndoes = {}\n",
                        r.teams[*f],
                        q(does)
                    )
                    .unwrap();
                }
            }
            self.write(&format!("kpis/{}/{id}.toml", r.folder), &t)?;
            self.counts.kpis += 1;
            let csv = self.actuals(k, (r.index * 31 + i) as u64);
            self.write(&format!("actuals/{}/{id}.csv", r.folder), &csv)?;
        }
        Ok(())
    }

    /// Rows that wander around the target; the latest always meets it.
    fn actuals(&mut self, k: &KpiTemplate, seed: u64) -> String {
        let periods: Vec<String> = match k.period {
            "week" => (17..=24).map(|w| format!("2026-W{w:02}")).collect(),
            "month" => (1..=5).map(|m| format!("2026-{m:02}")).collect(),
            "quarter" => vec!["2025-Q3".into(), "2025-Q4".into(), "2026-Q1".into()],
            _ => vec!["2024".into(), "2025".into()],
        };
        let target = f64::from(k.target);
        let n = periods.len();
        let mut csv = String::from("period,value\n");
        for (p, period) in periods.iter().enumerate() {
            let wobble = (mix(seed * 64 + p as u64) % 21) as f64 / 100.0 - 0.1; // -10 %..+10 %
            let better = if p + 1 == n {
                0.05 + wobble.abs() / 2.0
            } else {
                wobble
            };
            let value = if k.up {
                let v = target * (1.0 + better);
                if k.unit == "percent" { v.min(100.0) } else { v }
            } else {
                target * (1.0 - better)
            };
            let value = if k.up == (p + 1 == n) {
                value.ceil()
            } else {
                value.floor()
            };
            writeln!(csv, "{period},{value}").unwrap();
            self.counts.actual_rows += 1;
        }
        csv
    }

    fn agreements(&mut self, r: &Region) -> io::Result<()> {
        for (a, ag) in AGREEMENTS.iter().enumerate() {
            let id = format!("{}-{}", ag.key, r.code);
            let mut t = format!(
                "title = {}\nsummary = \"\"\"\n{}\n\nRegion: **{}**. Reviewed every month in the revenue monthly.\n\"\"\"\n\
                 parties = {}\nsponsor = \"{}\"\nreferee = \"{}\"\n\
                 effective = 2026-01-01\nexpires = 2026-12-31\nreview = \"monthly\"\n",
                q(&format!("{} — {}", ag.title, r.name)),
                ag.summary,
                r.name,
                list(ag.parties.map(|f| &r.teams[f])),
                r.director.id,
                r.referee.id,
            );
            for (i, term) in ag.terms.iter().enumerate() {
                let kpi = &KPIS[term.kpi];
                write!(
                    t,
                    "\n[[term]]\nid = \"{}\"\nprovider = \"{}\"\nowner = \"{}\"\n\
                     commitment = \"\"\"\n{}\n\"\"\"\nkpi = \"{}-{}\"\ntarget = {}\n",
                    term.id,
                    r.teams[term.provider],
                    r.member(term.provider, 1 + i + a).id,
                    term.commitment,
                    kpi.key,
                    r.code,
                    kpi.target,
                )
                .unwrap();
                if let Some(k) = term.persona {
                    writeln!(t, "persona = \"{}\"", Self::persona_id(r, k)).unwrap();
                }
                if !term.escalation.is_empty() {
                    writeln!(t, "escalation = \"\"\"\n{}\n\"\"\"", term.escalation).unwrap();
                }
                self.counts.terms += 1;
            }
            for (s, f) in ag.parties.iter().enumerate() {
                write!(
                    t,
                    "\n[[signature]]\nparty = \"{}\"\nby = \"{}\"\ndate = 2025-12-{:02}\n",
                    r.teams[*f],
                    r.lead(*f).id,
                    10 + (r.index + s) % 20,
                )
                .unwrap();
                self.counts.signatures += 1;
            }
            self.write(&format!("agreements/{}/{id}.toml", r.folder), &t)?;
            self.counts.agreements += 1;
        }
        Ok(())
    }

    fn meetings(&mut self, r: &Region) -> io::Result<()> {
        for (m, mt) in MEETINGS.iter().enumerate() {
            let id = format!("{}-{}", mt.key, r.code);
            let mut attendees: Vec<&str> = Vec::new();
            for &f in mt.teams {
                attendees.push(&r.lead(f).id);
                // Never the lead again: members 1 to 4.
                attendees.push(&r.member(f, 1 + m % (MEMBERS_PER_TEAM - 1)).id);
            }
            attendees.push(&r.referee.id);
            let mut t = format!(
                "name = {}\ncadence = \"{}\"\nduration = {}\nteams = {}\nfacilitator = \"{}\"\n\
                 attendees = {}\nagenda = {}\n",
                q(&format!("{} — {}", mt.name, r.name)),
                mt.cadence,
                mt.duration,
                list(mt.teams.iter().map(|&f| &r.teams[f])),
                r.referee.id,
                list(&attendees),
                list(mt.agenda),
            );
            // One action done in the spring, one open and due after the summer (after any
            // `--today` up to 2026-06-30).
            let first = mt.teams[0];
            let last = mt.teams[mt.teams.len() - 1];
            write!(
                t,
                "\n[[action]]\nwhat = {}\nowner = \"{}\"\ndue = 2026-{:02}-{:02}\nstatus = \"done\"\n\
                 \n[[action]]\nwhat = {}\nowner = \"{}\"\ndue = 2026-{:02}-{:02}\n",
                q(&format!(
                    "{} {} «{}»",
                    match r.locale {
                        Locale::Es => "Revisar con",
                        Locale::Pl => "Przejrzeć z",
                    },
                    r.lead(last).name,
                    KPIS[(m * 2) % KPIS.len()].name
                )),
                r.member(first, 2 + m).id,
                1 + m,
                r.day(m),
                q("Share the installation calendar with every team in the CRM"),
                r.teams[last],
                7 + m,
                r.day(m + 7),
            )
            .unwrap();
            self.counts.actions += 2;
            self.write(&format!("meetings/{}/{id}.toml", r.folder), &t)?;
            self.counts.meetings += 1;
        }
        Ok(())
    }

    fn doc(&mut self, r: &Region) -> io::Result<()> {
        let t = format!(
            "+++\ntitle = {}\nweight = {}\n+++\n\n# Kick-off — {}\n\n\
             | team | lead |\n|---|---|\n{}\n\n\
             Sponsor: {} ({}). Referee: {}.\n",
            q(&format!("Kick-off — {}", r.name)),
            10 + r.index,
            r.name,
            (0..TEAMS_PER_REGION)
                .map(|f| format!("| {} | {} |", team_name(r.locale, f), r.lead(f).name))
                .collect::<Vec<_>>()
                .join("\n"),
            r.director.name,
            r.director.title,
            r.referee.name,
        );
        self.write(&format!("docs/regions/{}.md", r.folder), &t)?;
        self.counts.docs += 1;
        Ok(())
    }
}
