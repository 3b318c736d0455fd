//! `accord measure`: KPI actuals computed from record sets (CRM exports).
//!
//! Like `load`, it reads files; like `check`, it never renders. Each record set is read
//! once, row by row; every KPI measured from it takes what it needs from each row, and
//! keeps per period only the numbers its statistic needs. The rows themselves are never
//! kept, and only the aggregates (`period,value,count`) leave this module.

mod actuals;
mod calendar;
mod records;
mod stats;
mod time;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;

pub use actuals::ActualsFile;
pub use calendar::business_seconds;

use crate::diagnostic::{
    BAD_RECORD, BROKEN_LINK, DANGLING_REFERENCE, ErrorClass, FILE_TOO_LARGE, Finding,
    LINK_OUTSIDE_ORG, MISSING_FILE, SPECIAL_FILE, closest,
};
use crate::load::OrgFiles;
use crate::load::guard::{OrgRoot, ReadError, Refusal};
use crate::model::{
    Band, Calendar, Distribution, DurationSpec, Entities, Kpi, KpiId, Located, Measure,
    PeriodLabel, RecordSet, Statistic,
};
use crate::source::{FileId, Loc, Sources};
use records::{Cell, EXTENSIONS, Place, Sheet, parse_number};
use stats::PeriodRows;
use time::{TimeError, TimeFormat, Written};

/// The largest record file read: far above a real export of a year of leads, and a
/// bound on memory.
pub const RECORD_LIMIT: u64 = 1 << 30;

/// Row findings reported per record set before the rest are only counted: one bad
/// export should not print a million lines.
const MAX_ROW_FINDINGS: usize = 20;

/// Where the record files are, besides `file` in accord.toml.
#[derive(Debug, Default)]
pub struct RecordPaths {
    /// `--records NAME=PATH`: the file of a record set, wherever it is.
    pub files: BTreeMap<String, PathBuf>,
    /// `ACCORD_RECORDS`: a folder holding the exports, outside the repository; a record
    /// set's file there has the name of its `file` (or NAME.csv, .tsv, .xlsx).
    pub folder: Option<PathBuf>,
}

/// What `measure` computed: the actuals files as they would be, and the findings that
/// stop it (nothing is written while there are any).
#[derive(Debug)]
pub struct Measured {
    pub files: Vec<ActualsFile>,
    pub findings: Vec<Finding>,
}

/// Computes the actuals of every KPI with `[measure]` for the periods complete before
/// `today`, merged with the rows of its actuals file that no record covers.
pub fn measure(
    root: &Path,
    org_files: &OrgFiles,
    entities: &Entities,
    paths: &RecordPaths,
    today: Date,
    sources: &mut Sources,
) -> Measured {
    let (settings, kpis) = (&entities.settings, &entities.kpis);
    let mut findings = Vec::new();
    let mut periods: BTreeMap<&KpiId, (Vec<Band>, BTreeMap<PeriodLabel, PeriodRows>)> =
        BTreeMap::new();
    for (name, set) in &settings.records {
        let measured: Vec<(&Kpi, &Measure)> = kpis
            .values()
            .map(Arc::as_ref)
            .filter_map(|k| Some((k, k.measure.as_ref()?)))
            .filter(|(_, m)| m.records.value == *name)
            .collect();
        if measured.is_empty() {
            continue;
        }
        let Some(file) = open_records(root, set, paths, &mut findings) else {
            continue;
        };
        let mut reading = Reading {
            file,
            sources,
            findings: &mut findings,
        };
        for (kpi, bands, rows) in reading.measure_set(set, &settings.calendar, &measured) {
            periods.insert(&kpi.id, (bands, rows));
        }
    }
    let mut files = Vec::new();
    if findings.is_empty() {
        for (kpi_id, (bands, rows)) in periods {
            let kpi = &kpis[kpi_id];
            let statistic = kpi
                .measure
                .as_ref()
                .map_or(Statistic::Count, |m| m.statistic.value);
            let complete: Vec<(PeriodLabel, PeriodRows)> = rows
                .into_iter()
                .filter(|(label, _)| label.last_day().is_some_and(|end| end < today))
                .collect();
            let latest = complete
                .last()
                .filter(|_| !bands.is_empty())
                .map(|(label, rows)| Distribution {
                    period: *label,
                    bands: bands
                        .iter()
                        .copied()
                        .zip(rows.bands.iter().copied().chain(std::iter::repeat(0)))
                        .collect(),
                });
            let measured = complete
                .into_iter()
                .filter_map(|(label, mut rows)| Some((label, rows.value(statistic)?, rows.count)))
                .collect();
            let kept = entities.actuals.get(kpi_id).map_or(&[][..], Vec::as_slice);
            files.push(actuals::merge(org_files, kpi_id, kept, measured));
            files.extend(latest.map(|d| actuals::bands_file(org_files, kpi_id, &d)));
        }
    }
    Measured { files, findings }
}

/// Where the bands of a duration KPI's spread are cut, in its unit: from the limit it
/// is held to (`within`, or the target of a duration statistic) at 1, 3 and 15 times
/// it, else at 5, 15 and 60. `None` when the KPI times nothing.
fn band_edges(kpi: &Kpi, measure: &Measure) -> Option<[f64; 3]> {
    measure.duration.as_ref()?;
    Some(match measure.duration_limit(kpi.target.value) {
        Some(limit) => [limit, 3.0 * limit, 15.0 * limit],
        None => [5.0, 15.0, 60.0],
    })
}

/// A record file, read, with its name in messages.
struct RecordFile {
    label: String,
    sheet: Sheet,
    /// Registered in the sources at its first finding, not before: the file may be large.
    source: Option<FileId>,
}

/// The file of `set`: from the command line, the records folder, or `file` in the org.
fn open_records(
    root: &Path,
    set: &RecordSet,
    paths: &RecordPaths,
    findings: &mut Vec<Finding>,
) -> Option<RecordFile> {
    let name = &set.name.value;
    let mut report = |class: &ErrorClass, loc: Loc, message: String, help: &str| {
        findings.push(Finding::error(class, loc, message).with_help(help.to_owned()));
    };
    let given = paths.files.get(name).cloned().or_else(|| {
        let folder = paths.folder.as_ref()?;
        let file_name = set
            .file
            .as_ref()
            .and_then(|f| Path::new(&f.value).file_name().map(PathBuf::from));
        match file_name {
            Some(file_name) => Some(folder.join(file_name)),
            None => EXTENSIONS
                .iter()
                .map(|e| folder.join(format!("{name}.{e}")))
                .find(|p| p.is_file()),
        }
    });
    let (label, bytes) = match (given, &set.file) {
        (Some(path), _) => {
            let label = path.display().to_string();
            let read = read_given(&path);
            match read {
                Ok(bytes) => (label, bytes),
                Err(e) => {
                    report(
                        &MISSING_FILE,
                        set.name.loc,
                        format!("the file of record set `{name}`, {label}, cannot be read: {e}"),
                        "pass the export's path with --records NAME=PATH, or set ACCORD_RECORDS to the folder that holds it",
                    );
                    return None;
                }
            }
        }
        (None, Some(file)) => {
            let org = OrgRoot::new(root).ok()?;
            let refused = |refusal: Refusal| -> (&'static ErrorClass, String, String) {
                let class = match refusal {
                    Refusal::OutsideOrg { .. } => &LINK_OUTSIDE_ORG,
                    Refusal::BrokenLink { .. } | Refusal::LinkLoop { .. } => &BROKEN_LINK,
                    Refusal::SpecialFile { .. } => &SPECIAL_FILE,
                    Refusal::TooLarge { .. } => &FILE_TOO_LARGE,
                };
                let (message, help) = refusal.explain(&file.value);
                (class, message, help)
            };
            let read = match org.vet(&file.value) {
                Ok(Some(Ok(vetted))) => vetted.read(RECORD_LIMIT).map_err(|e| match e {
                    ReadError::Refused(r) => refused(r),
                    ReadError::Io(e) => (&MISSING_FILE, format!("{} cannot be read: {e}", file.value), String::new()),
                }),
                Ok(Some(Err(refusal))) => Err(refused(refusal)),
                Ok(None) => Err((&MISSING_FILE, format!("the file of record set `{name}`, {}, does not exist", file.value), "export it there, or pass its path with --records NAME=PATH (or ACCORD_RECORDS=FOLDER) to keep it outside the repository".to_owned())),
                Err(e) => Err((&MISSING_FILE, format!("{} cannot be read: {e}", file.value), String::new())),
            };
            match read {
                Ok(bytes) => (file.value.clone(), bytes),
                Err((class, message, help)) => {
                    report(class, file.loc, message, &help);
                    return None;
                }
            }
        }
        (None, None) => {
            report(
                &MISSING_FILE,
                set.name.loc,
                format!("record set `{name}` has no file"),
                &format!("add `file = \"records/{name}.csv\"`, or pass --records {name}=PATH"),
            );
            return None;
        }
    };
    let extension = Path::new(&label)
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    match Sheet::read(bytes, &extension, set.delimiter) {
        Ok(sheet) => Some(RecordFile {
            label,
            sheet,
            source: None,
        }),
        Err(why) => {
            let loc = set.file.as_ref().map_or(set.name.loc, |f| f.loc);
            report(
                &BAD_RECORD,
                loc,
                format!("the file of record set `{name}`, {label}, cannot be read: {why}"),
                "export the report again as CSV (UTF-8), TSV or XLSX",
            );
            None
        }
    }
}

/// A record file given at run time, outside the org's gate: a regular file of at most
/// [`RECORD_LIMIT`] bytes (a FIFO would block, a device never end).
fn read_given(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("it is not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(RECORD_LIMIT + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > RECORD_LIMIT {
        return Err(std::io::Error::other(format!(
            "it is larger than {} MiB",
            RECORD_LIMIT >> 20
        )));
    }
    Ok(bytes)
}

/// One KPI's needs from each row: the cells it reads, as slots of the row's cells.
struct Plan<'k> {
    kpi: &'k Kpi,
    measure: &'k Measure,
    filter: Vec<(usize, &'k [String])>,
    duration: Option<(usize, usize)>,
    column: Option<usize>,
    filled: Vec<usize>,
    /// The bands the durations are counted in (none when nothing is timed).
    bands: Vec<Band>,
    periods: BTreeMap<PeriodLabel, PeriodRows>,
}

/// A row that cannot be read: what is wrong, and how to fix it.
struct RowProblem {
    message: String,
    help: String,
}

/// One row as read: its cells in the slots of [`Plan`], and when it was created (the
/// instant, and the day in the calendar's zone).
struct Row<'r, 'c> {
    cells: &'r [Cell<'c>],
    created: Timestamp,
    day: Date,
    time_slot: usize,
}

/// How the cells of one record set are read.
struct CellReader<'s> {
    set: &'s RecordSet,
    calendar: &'s Calendar,
    format: TimeFormat<'s>,
}

impl CellReader<'_> {
    fn time_help(&self, column: &str) -> String {
        let set = &self.set.name.value;
        match &self.set.date_format {
            Some(f) => format!(
                "fix the row, or set `date_format` of [records.{set}] to the format of the export (now \"{}\")",
                f.value
            ),
            None => format!(
                "times are ISO 8601 (2026-03-02 09:15) unless [records.{set}] sets `date_format`; `{column}` is the column"
            ),
        }
    }

    /// A cell as a time; `None` when empty. `not_before` resolves a local time of a
    /// fall-back night's repeated hour ([`Written::instant`]).
    fn instant(
        &self,
        cell: Cell,
        column: &Located<String>,
        not_before: Option<Timestamp>,
    ) -> Result<Option<Timestamp>, RowProblem> {
        let problem = |message: String| RowProblem {
            message,
            help: self.time_help(&column.value),
        };
        let written = match cell {
            Cell::Empty => return Ok(None),
            Cell::Time(local) => Written::Local(local),
            Cell::Number(_) => {
                return Err(problem(format!(
                    "`{}` holds a number, not a time",
                    column.value
                )));
            }
            Cell::Text(text) => match self.format.read(text) {
                Ok(written) => written,
                Err(TimeError::Ambiguous(example)) => {
                    return Err(RowProblem {
                        message: format!(
                            "`{}` holds `{text}`, which is not ISO 8601 and whose day and month order only you know",
                            column.value
                        ),
                        help: format!(
                            "set `date_format` in [records.{}] of accord.toml, e.g. date_format = \"{example}\"",
                            self.set.name.value
                        ),
                    });
                }
                Err(TimeError::Unreadable) => {
                    let expected = self.set.date_format.as_ref().map_or_else(
                        || "ISO 8601 (2026-03-02 09:15)".to_owned(),
                        |f| format!("\"{}\"", f.value),
                    );
                    return Err(problem(format!(
                        "`{}` holds `{text}`, not a time in the format {expected}",
                        column.value
                    )));
                }
            },
        };
        written
            .instant(&self.calendar.time_zone, not_before)
            .map(Some)
            .ok_or_else(|| {
                problem(format!(
                    "`{}` holds a time that does not exist",
                    column.value
                ))
            })
    }

    /// The seconds from `from` to `to` of a row (business seconds when the spec says
    /// so); `None` when the row has no end yet.
    fn seconds(
        &self,
        row: &Row,
        (from_slot, to_slot): (usize, usize),
        spec: &DurationSpec,
    ) -> Result<Option<i64>, RowProblem> {
        let from = if from_slot == row.time_slot {
            Some(row.created)
        } else {
            self.instant(row.cells[from_slot], &spec.from, None)?
        };
        let to = self.instant(row.cells[to_slot], &spec.to, from)?;
        let (Some(from), Some(to)) = (from, to) else {
            return Ok(None);
        };
        if to < from {
            return Err(RowProblem {
                message: format!("`{}` is before `{}`", spec.to.value, spec.from.value),
                help: "fix the row: a duration cannot be negative".to_owned(),
            });
        }
        Ok(Some(if spec.business_hours {
            business_seconds(self.calendar, from, to)
        } else {
            to.as_second() - from.as_second()
        }))
    }

    /// A cell as a number; `None` when empty.
    fn number(&self, cell: Cell, column: &str) -> Result<Option<f64>, RowProblem> {
        let text = match cell {
            Cell::Empty => return Ok(None),
            Cell::Number(n) => return Ok(Some(n)),
            Cell::Time(_) => {
                return Err(RowProblem {
                    message: format!("`{column}` holds a time, not a number"),
                    help: "point `column` at a numeric column".to_owned(),
                });
            }
            Cell::Text(text) => text,
        };
        let comma = self.set.decimal_comma;
        parse_number(text, comma).map(Some).ok_or_else(|| RowProblem {
            message: format!("`{column}` holds `{text}`, not a number"),
            help: format!(
                "numbers are written with a decimal {}; set `decimal` in [records.{}] if the export differs",
                if comma { "comma" } else { "point" },
                self.set.name.value
            ),
        })
    }
}

/// The spans computed for the current row, by (from, to, business hours): several
/// KPIs often measure the same span (median, p95, share within), read once.
type SpanCache = Vec<((usize, usize, bool), Option<i64>)>;

impl Plan<'_> {
    /// Whether the row passes `where`: each listed column holds one of its values.
    fn passes(&self, cells: &[Cell]) -> bool {
        self.filter.iter().all(|(slot, values)| match cells[*slot] {
            Cell::Text(text) => values.iter().any(|v| v == text),
            Cell::Number(n) => values.iter().any(|v| v.parse::<f64>() == Ok(n)),
            Cell::Empty | Cell::Time(_) => values.iter().any(String::is_empty),
        })
    }

    /// Adds a row that passed `where` to its period.
    fn take(
        &mut self,
        row: &Row,
        reader: &CellReader,
        spans: &mut SpanCache,
    ) -> Result<(), RowProblem> {
        let rows = self
            .periods
            .entry(PeriodLabel::containing(self.kpi.period, row.day))
            .or_default();
        rows.count += 1;
        let measure = self.measure;
        if let (Some(slots), Some(spec)) = (self.duration, &measure.duration) {
            let key = (slots.0, slots.1, spec.business_hours);
            let span = match spans.iter().find(|(k, _)| *k == key) {
                Some((_, span)) => *span,
                None => {
                    let span = reader.seconds(row, slots, spec)?;
                    spans.push((key, span));
                    span
                }
            };
            let value = span.map(|seconds| seconds as f64 / spec.unit.seconds());
            let band = match value {
                Some(value) => self.bands.iter().position(|b| b.holds(value)),
                None => self.bands.iter().position(|b| *b == Band::NoEnd),
            };
            if let Some(band) = band {
                rows.bands.resize(self.bands.len(), 0);
                rows.bands[band] += 1;
            }
            // A row with no end has no duration, and is a miss for `within`.
            if let Some(value) = value {
                match (measure.statistic.value, &measure.within) {
                    (Statistic::Share, Some(within)) => {
                        rows.hits += u64::from(value <= within.value);
                    }
                    _ => rows.values.push(value),
                }
            }
        }
        if let (Some(slot), Some(column)) = (self.column, &measure.column)
            && let Some(n) = reader.number(row.cells[slot], &column.value)?
        {
            rows.values.push(n);
        }
        if !self.filled.is_empty() {
            rows.hits += u64::from(self.filled.iter().all(|&s| row.cells[s].is_filled()));
        }
        Ok(())
    }
}

struct Reading<'a> {
    file: RecordFile,
    sources: &'a mut Sources,
    findings: &'a mut Vec<Finding>,
}

impl Reading<'_> {
    /// Reads every row of the set once, for all the KPIs measured from it.
    fn measure_set<'k>(
        &mut self,
        set: &RecordSet,
        calendar: &Calendar,
        measured: &[(&'k Kpi, &'k Measure)],
    ) -> Vec<(&'k Kpi, Vec<Band>, BTreeMap<PeriodLabel, PeriodRows>)> {
        let header = self.file.sheet.header().to_vec();
        let mut wanted: Vec<usize> = Vec::new();
        let mut unknown = Vec::new();
        let mut slot = |column: &Located<String>| -> Option<usize> {
            let Some(index) = header.iter().position(|h| *h == column.value.trim()) else {
                unknown.push(column.clone());
                return None;
            };
            Some(wanted.iter().position(|&w| w == index).unwrap_or_else(|| {
                wanted.push(index);
                wanted.len() - 1
            }))
        };
        let time_slot = slot(&set.time);
        let mut plans: Vec<Plan> = measured
            .iter()
            .map(|&(kpi, measure)| Plan {
                kpi,
                measure,
                filter: measure
                    .filter
                    .iter()
                    .filter_map(|(c, values)| Some((slot(c)?, values.as_slice())))
                    .collect(),
                duration: measure
                    .duration
                    .as_ref()
                    .and_then(|d| Some((slot(&d.from)?, slot(&d.to)?))),
                column: measure.column.as_ref().and_then(&mut slot),
                filled: measure.filled.iter().filter_map(&mut slot).collect(),
                bands: band_edges(kpi, measure).map_or_else(Vec::new, |e| Band::cut_at(&e)),
                periods: BTreeMap::new(),
            })
            .collect();
        let columns_found = unknown.is_empty();
        for column in unknown {
            self.unknown_column(&column, &header);
        }
        let Some(time_slot) = time_slot.filter(|_| columns_found) else {
            return Vec::new();
        };
        let reader = CellReader {
            set,
            calendar,
            format: TimeFormat {
                format: set.date_format.as_ref().map(|f| f.value.as_str()),
            },
        };
        let mut problems: Vec<(Place, RowProblem)> = Vec::new();
        let mut more_problems = 0usize;
        let mut spans = SpanCache::new();
        let read = self.file.sheet.for_each_row(&wanted, |place, cells| {
            spans.clear();
            let row = reader
                .instant(cells[time_slot], &set.time, None)
                .and_then(|created| {
                    created.ok_or_else(|| RowProblem {
                        message: format!(
                            "the row has no `{}`: it cannot be placed in a period",
                            set.time.value
                        ),
                        help: "fill the cell, or remove the row from the export".to_owned(),
                    })
                })
                .map(|created| Row {
                    cells,
                    created,
                    day: calendar.time_zone.to_datetime(created).date(),
                    time_slot,
                });
            let taken = row.and_then(|row| {
                plans
                    .iter_mut()
                    .filter(|plan| plan.passes(cells))
                    .try_for_each(|plan| plan.take(&row, &reader, &mut spans))
            });
            if let Err(problem) = taken {
                if problems.len() < MAX_ROW_FINDINGS {
                    problems.push((place, problem));
                } else {
                    more_problems += 1;
                }
            }
        });
        if let Err((place, why)) = read {
            let help = "export the report again".to_owned();
            problems.push((
                place,
                RowProblem {
                    message: format!("the row {why}"),
                    help,
                },
            ));
        }
        for (place, problem) in problems {
            let loc = self.row_loc(place);
            let message = match place.byte {
                Some(_) => problem.message,
                None => format!(
                    "row {} of {}: {}",
                    place.line, self.file.label, problem.message
                ),
            };
            self.findings
                .push(Finding::error(&BAD_RECORD, loc, message).with_help(problem.help));
        }
        if more_problems > 0 {
            let loc = self.row_loc(Place {
                line: 1,
                byte: Some(0),
            });
            self.findings.push(
                Finding::error(
                    &BAD_RECORD,
                    loc,
                    format!(
                        "{more_problems} more row(s) of {} cannot be read",
                        self.file.label
                    ),
                )
                .with_help("fix the rows above first: they are likely the same problem"),
            );
        }
        plans
            .into_iter()
            .map(|p| (p.kpi, p.bands, p.periods))
            .collect()
    }

    /// Where a row is, in the record file (registered as a source on first use).
    fn row_loc(&mut self, place: Place) -> Loc {
        let id = match self.file.source {
            Some(id) => id,
            None => {
                // A copy of the text, made only now that a row has to be shown.
                let text = self
                    .file
                    .sheet
                    .text()
                    .map(|b| String::from_utf8_lossy(b).into_owned());
                let id = self
                    .sources
                    .add(self.file.label.clone(), text.unwrap_or_default());
                self.file.source = Some(id);
                id
            }
        };
        let Some(start) = place.byte else {
            return Loc::file_start(id);
        };
        let line = &self.sources.get(id).text.get(start..).unwrap_or_default();
        let end = start + line.find(['\r', '\n']).unwrap_or(line.len());
        Loc::new(id, start..end)
    }

    fn unknown_column(&mut self, column: &Located<String>, header: &[String]) {
        let listed = header
            .iter()
            .map(|h| format!("`{h}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let help = match closest(&column.value, header.iter().map(String::as_str)).or_else(|| {
            header
                .iter()
                .find(|h| h.eq_ignore_ascii_case(column.value.trim()))
                .map(String::as_str)
        }) {
            Some(near) => format!(
                "did you mean `{near}`? the columns of {} are {listed}",
                self.file.label
            ),
            None => format!("the columns of {} are {listed}", self.file.label),
        };
        self.findings.push(
            Finding::error(
                &DANGLING_REFERENCE,
                column.loc,
                format!(
                    "there is no column `{}` in {}",
                    column.value, self.file.label
                ),
            )
            .with_help(help),
        );
    }
}
