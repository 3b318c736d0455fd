//! Reading a record set's file as CRMs export it: CSV with any common delimiter
//! (inferred from the header line), quotes, a byte-order mark and CRLF line ends; TSV;
//! and XLSX (the first sheet), through maintained readers (csv, calamine).

use std::io::Cursor;

use calamine::{Data, Reader as _, Xlsx};
use jiff::civil::DateTime;

/// One cell as read: text from a delimited file, or a typed spreadsheet cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    /// A spreadsheet date-time: a local time with no zone.
    Time(DateTime),
}

impl Cell<'_> {
    /// Whether the cell holds anything but blanks.
    pub fn is_filled(&self) -> bool {
        !matches!(self, Cell::Empty)
    }
}

/// Where a row is in its file: for a delimited file, the byte it starts at (its line
/// follows from it); for a sheet, its 1-based row number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    pub line: u64,
    pub byte: Option<usize>,
}

/// A record file, read, with its header.
pub struct Sheet {
    header: Vec<String>,
    body: Body,
}

enum Body {
    Delimited {
        bytes: Vec<u8>,
        start: usize,
        delimiter: u8,
    },
    Workbook(calamine::Range<Data>),
}

/// The kinds of record file, by extension.
pub const EXTENSIONS: [&str; 3] = ["csv", "tsv", "xlsx"];

impl Sheet {
    /// Reads `bytes` of a file with `extension` (csv, tsv or xlsx); `delimiter` is the
    /// record set's, `None` to infer it. Fails with the reason when the file is no table
    /// of that kind.
    pub fn read(bytes: Vec<u8>, extension: &str, delimiter: Option<u8>) -> Result<Sheet, String> {
        match extension.to_ascii_lowercase().as_str() {
            "xlsx" => Self::workbook(bytes),
            "csv" | "tsv" => {
                // Spreadsheet exports put a byte-order mark first; it is not data.
                let start = if bytes.starts_with(b"\xEF\xBB\xBF") {
                    3
                } else {
                    0
                };
                let delimiter = delimiter.unwrap_or_else(|| {
                    if extension.eq_ignore_ascii_case("tsv") {
                        b'\t'
                    } else {
                        infer_delimiter(&bytes[start..])
                    }
                });
                let mut reader = csv_reader(&bytes[start..], delimiter);
                let header = reader
                    .byte_headers()
                    .map_err(|e| format!("its header line cannot be read: {e}"))?
                    .iter()
                    .map(|h| String::from_utf8_lossy(h).trim().to_owned())
                    .collect();
                Ok(Sheet {
                    header,
                    body: Body::Delimited {
                        bytes,
                        start,
                        delimiter,
                    },
                })
            }
            other => Err(format!(
                "`.{other}` is not a kind of record file: use .csv, .tsv or .xlsx"
            )),
        }
    }

    fn workbook(bytes: Vec<u8>) -> Result<Sheet, String> {
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
            .map_err(|e| format!("it is not an XLSX workbook: {e}"))?;
        let range = book
            .worksheet_range_at(0)
            .ok_or("the workbook has no sheet")?
            .map_err(|e| format!("its first sheet cannot be read: {e}"))?;
        let header = range
            .rows()
            .next()
            .map(|row| {
                row.iter()
                    .map(|c| c.to_string().trim().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        Ok(Sheet {
            header,
            body: Body::Workbook(range),
        })
    }

    /// The bytes of a delimited file, as read (a workbook has no text to show).
    pub fn text(&self) -> Option<&[u8]> {
        match &self.body {
            Body::Delimited { bytes, .. } => Some(bytes),
            Body::Workbook(_) => None,
        }
    }

    /// The column names, as written (trimmed).
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Calls `visit` with each row after the header and its cells in the columns
    /// `wanted` (a missing cell is empty). Stops at the first row that cannot be read,
    /// returning where it is and why.
    pub fn for_each_row(
        &self,
        wanted: &[usize],
        mut visit: impl FnMut(Place, &[Cell<'_>]),
    ) -> Result<(), (Place, String)> {
        match &self.body {
            Body::Delimited {
                bytes,
                start,
                delimiter,
            } => {
                let text = &bytes[*start..];
                let mut reader = csv_reader(text, *delimiter);
                let mut record = csv::ByteRecord::new();
                // The header was read by `Sheet::read`; reading it again places the
                // reader at the first row.
                reader.byte_headers().map_err(|e| {
                    (
                        Place {
                            line: 1,
                            byte: Some(*start),
                        },
                        format!("cannot be read: {e}"),
                    )
                })?;
                loop {
                    // The reader stands after the previous record: blank lines it will
                    // skip come first, then the row.
                    let mut at = usize::try_from(reader.position().byte()).unwrap_or(text.len());
                    while text.get(at).is_some_and(|b| *b == b'\n' || *b == b'\r') {
                        at += 1;
                    }
                    let place = Place {
                        line: reader.position().line(),
                        byte: Some(at + start),
                    };
                    match reader.read_byte_record(&mut record) {
                        Ok(false) => return Ok(()),
                        Ok(true) => {}
                        Err(e) => return Err((place, format!("cannot be read: {e}"))),
                    }
                    let mut cells = Vec::with_capacity(wanted.len());
                    for &index in wanted {
                        let raw = record.get(index).unwrap_or_default();
                        let text = std::str::from_utf8(raw).map_err(|_| {
                            (place, "is not UTF-8: export the file as UTF-8".to_owned())
                        })?;
                        let text = text.trim();
                        cells.push(if text.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(text)
                        });
                    }
                    visit(place, &cells);
                }
            }
            Body::Workbook(range) => {
                let first_row = range.start().map_or(0, |(row, _)| u64::from(row));
                let mut cells = Vec::with_capacity(wanted.len());
                for (index, row) in range.rows().enumerate().skip(1) {
                    let place = Place {
                        line: first_row + index as u64 + 1,
                        byte: None,
                    };
                    cells.clear();
                    cells.extend(wanted.iter().map(|&i| spreadsheet_cell(row.get(i))));
                    visit(place, &cells);
                }
                Ok(())
            }
        }
    }
}

fn csv_reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(bytes)
}

fn spreadsheet_cell(data: Option<&Data>) -> Cell<'_> {
    match data {
        None | Some(Data::Empty | Data::Error(_)) => Cell::Empty,
        Some(Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s)) => {
            let s = s.trim();
            if s.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(s)
            }
        }
        Some(Data::Float(f)) => Cell::Number(*f),
        Some(Data::Int(i)) => Cell::Number(*i as f64),
        Some(Data::Bool(b)) => Cell::Text(if *b { "true" } else { "false" }),
        Some(Data::DateTime(dt)) => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            DateTime::new(
                i16::try_from(y).unwrap_or(i16::MAX),
                i8::try_from(mo).unwrap_or(0),
                i8::try_from(d).unwrap_or(0),
                i8::try_from(h).unwrap_or(0),
                i8::try_from(mi).unwrap_or(0),
                i8::try_from(s).unwrap_or(0),
                0,
            )
            .map_or(Cell::Empty, Cell::Time)
        }
    }
}

/// The delimiter of a header line: the most frequent of `,` `;` tab `|` outside quotes,
/// `,` when none is there (a one-column file).
fn infer_delimiter(bytes: &[u8]) -> u8 {
    let candidates = [b',', b';', b'\t', b'|'];
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for &b in bytes {
        if b == b'\n' && !quoted {
            break;
        }
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(i) = candidates.iter().position(|&c| c == b) {
            counts[i] += 1;
        }
    }
    let best = (0..4)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        candidates[best]
    }
}

/// A number as CRMs write it: with a decimal comma when `decimal_comma` (dots and
/// spaces then group thousands: `1.234,5`), else a decimal point; `None` when it is
/// not one.
pub(super) fn parse_number(text: &str, decimal_comma: bool) -> Option<f64> {
    let n = if decimal_comma {
        let plain: String = text
            .chars()
            .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}' | '\u{202f}'))
            .map(|c| if c == ',' { '.' } else { c })
            .collect();
        plain.parse::<f64>().ok()?
    } else {
        text.parse::<f64>().ok()?
    };
    n.is_finite().then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each row's line, from its byte position, and its cells.
    fn rows(text: &str, sheet: &Sheet, wanted: &[usize]) -> Vec<(usize, Vec<String>)> {
        let mut out = Vec::new();
        sheet
            .for_each_row(wanted, |place, cells| {
                let byte = place.byte.expect("a delimited file has positions");
                let line = text[..byte].matches('\n').count() + 1;
                out.push((line, cells.iter().map(|c| format!("{c:?}")).collect()));
            })
            .expect("readable");
        out
    }

    #[test]
    fn the_delimiter_is_inferred_from_the_header_outside_quotes() {
        assert_eq!(infer_delimiter(b"a;b;\"c,d,e\"\n1,2,3,4"), b';');
        assert_eq!(infer_delimiter(b"a\tb\tc\n"), b'\t');
        assert_eq!(infer_delimiter(b"a,b\n"), b',');
        assert_eq!(infer_delimiter(b"only\n"), b',');
    }

    #[test]
    fn csv_with_bom_crlf_quotes_and_short_rows() {
        let text = "\u{feff}Name;\"Create Date\";Amount\r\n\"Ana; G\";01/02/2026 09:15;\"1.234,5\"\r\n\r\nBruno;02/02/2026 10:00\r\n";
        let sheet = Sheet::read(text.as_bytes().to_vec(), "csv", None).unwrap();
        assert_eq!(sheet.header(), ["Name", "Create Date", "Amount"]);
        assert_eq!(
            rows(text, &sheet, &[0, 2]),
            [
                (
                    2,
                    vec![
                        "Text(\"Ana; G\")".to_owned(),
                        "Text(\"1.234,5\")".to_owned()
                    ]
                ),
                (4, vec!["Text(\"Bruno\")".to_owned(), "Empty".to_owned()]),
            ]
        );
    }

    #[test]
    fn tsv_is_tab_separated_whatever_the_header_holds() {
        let sheet = Sheet::read(b"a,b\tc\n1,2\t3\n".to_vec(), "tsv", None).unwrap();
        assert_eq!(sheet.header(), ["a,b", "c"]);
    }

    #[test]
    fn numbers_with_a_decimal_comma() {
        assert_eq!(parse_number("1.234,5", true), Some(1234.5));
        assert_eq!(parse_number("12,75", true), Some(12.75));
        assert_eq!(parse_number("12.75", false), Some(12.75));
        assert_eq!(parse_number("12,75", false), None);
        assert_eq!(parse_number("NaN", false), None);
    }

    #[test]
    fn other_extensions_are_refused() {
        let err = Sheet::read(Vec::new(), "ods", None).err().unwrap();
        assert!(err.contains(".csv, .tsv or .xlsx"), "{err}");
    }
}
