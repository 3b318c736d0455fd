//! The files of an org as read, and positions inside them.
//!
//! Every finding points into one of these files through a [`Loc`]; line and column are
//! computed only when a finding is printed, from the span kept since parsing.

use std::ops::Range;

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(u32);

/// A byte span inside one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Loc {
    /// The span of `range` in `file`.
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Loc {
            file,
            start: saturate(range.start),
            end: saturate(range.end),
        }
    }

    /// The start of a file: where findings about a whole file (or its top-level table) point.
    pub fn file_start(file: FileId) -> Self {
        Loc {
            file,
            start: 0,
            end: 0,
        }
    }

    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A 1-based line and column; columns count Unicode characters, as editors do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One file of the org: its path relative to the org root (forward slashes) and its text.
/// The text and its line index are shared, not copied, by clones: the preview's loads
/// reuse the files that did not change (`load::LoadCache`).
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: String,
    pub text: std::sync::Arc<str>,
    line_starts: std::sync::Arc<[usize]>,
}

impl SourceFile {
    /// The file with its line index, which is what costs: the loader builds it on the
    /// core that reads the file, before [`Sources::push`] numbers it.
    pub fn new(path: String, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path,
            text: text.into(),
            line_starts,
        }
    }

    /// The line and column of byte `offset` (clamped to the text and to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_index = self.line_index(offset);
        // A byte-order mark is invisible in editors: it does not count as a column.
        let line_start = match line_index {
            0 if self.text.starts_with('\u{feff}') => '\u{feff}'.len_utf8().min(offset),
            _ => self.line_starts[line_index],
        };
        Position {
            line: line_index + 1,
            column: self.text[line_start..offset].chars().count() + 1,
        }
    }

    /// The whole lines that `range` touches, from the start of its first line to the end
    /// of its last (newline included), and the 1-based number of the first: what a
    /// snippet shows, so it never has to read the rest of the file.
    pub fn lines_of(&self, range: Range<usize>) -> (usize, Range<usize>) {
        let span = self.snap(range);
        let first = self.line_index(span.start);
        let last = self.line_index(span.end);
        let end = self
            .line_starts
            .get(last + 1)
            .copied()
            .unwrap_or(self.text.len());
        (first + 1, self.line_starts[first]..end)
    }

    /// The 0-based line of byte `offset`, which must be inside the text or at its end.
    fn line_index(&self, offset: usize) -> usize {
        // The first line starts at 0, so at least one start is at or before any offset.
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }

    /// `range` clamped to the text and widened to char boundaries, safe to slice with.
    pub fn snap(&self, range: Range<usize>) -> Range<usize> {
        let len = self.text.len();
        let mut start = range.start.min(len);
        let mut end = range.end.clamp(start, len);
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        start..end
    }
}

/// All files read for one run, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Registers a file and returns its id. Files that are not read (stray binaries) get
    /// empty text.
    pub fn add(&mut self, path: String, text: String) -> FileId {
        self.push(SourceFile::new(path, text))
    }

    /// Registers a file already indexed and returns its id: the next one, so the ids
    /// follow the order the files are pushed in (see [`Sources::nth_id`]).
    pub fn push(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(saturate(self.files.len() - 1))
    }

    /// The id the `n`th file pushed gets, counting from 0: what the loader gives a file
    /// it loads before the files are numbered in order.
    pub fn nth_id(n: usize) -> FileId {
        FileId(saturate(n))
    }

    /// How many files were read.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Start and end positions of a span.
    pub fn span_positions(&self, loc: Loc) -> (Position, Position) {
        let file = self.get(loc.file);
        (
            file.position(loc.start as usize),
            file.position(loc.end as usize),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_and_lines_from_one() {
        let mut sources = Sources::default();
        let id = sources.add("a.toml".into(), "a = 1\nnombre = \"Núñez\" x\n".into());
        let file = sources.get(id);
        assert_eq!(file.position(0), Position { line: 1, column: 1 });
        let x = file.text.find(" x").unwrap() + 1;
        assert_eq!(
            file.position(x),
            Position {
                line: 2,
                column: 18
            }
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let mut sources = Sources::default();
        let id = sources.add("a.toml".into(), "\u{feff}name = 1".into());
        assert_eq!(sources.get(id).position(3), Position { line: 1, column: 1 });
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let mut sources = Sources::default();
        let id = sources.add("a.toml".into(), "ab".into());
        assert_eq!(
            sources.get(id).position(99),
            Position { line: 1, column: 3 }
        );
    }
}
