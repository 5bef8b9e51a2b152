//! CSV rows at the speed of the disk: a line without a double quote (almost every line of an
//! event log) is split at its commas directly; a line with one goes through csv-core, which
//! handles quoted cells, doubled quotes and line breaks inside cells. Line numbers are counted
//! from the line breaks consumed, so they are right for CRLF files, blank lines and cells that
//! span lines.

use std::io::Read;

use super::cells::Cells;

/// How much is read from the file at a time.
const CHUNK: usize = 256 * 1024;

/// Reads CSV records one at a time.
pub struct CsvRows {
    source: Box<dyn Read + Send>,
    buffer: Vec<u8>,
    /// The first byte not yet consumed.
    start: usize,
    /// The end of the bytes read.
    end: usize,
    /// Whether the source is exhausted.
    eof: bool,
    /// Line feeds consumed so far.
    newlines: u64,
    quoted: csv_core::Reader,
    output: Vec<u8>,
    ends: Vec<usize>,
}

impl CsvRows {
    /// Reads from `source`, which must not start with a byte order mark.
    pub fn new(source: Box<dyn Read + Send>) -> Self {
        CsvRows {
            source,
            buffer: vec![0; CHUNK],
            start: 0,
            end: 0,
            eof: false,
            newlines: 0,
            quoted: csv_core::Reader::new(),
            output: Vec::new(),
            ends: Vec::new(),
        }
    }

    /// Reads the next record that is not blank into `cells`; returns the line it starts on
    /// (from 1), or `None` at the end.
    pub fn next(&mut self, cells: &mut Cells) -> std::io::Result<Option<u64>> {
        loop {
            let pending = self.buffer.get(self.start..self.end).unwrap_or_default();
            let newline = memchr::memchr(b'\n', pending);
            if newline.is_none() && !self.eof {
                self.fill()?;
                continue;
            }
            if pending.is_empty() {
                return Ok(None);
            }
            let line = match newline {
                Some(at) => pending.get(..at).unwrap_or_default(),
                None => pending,
            };
            let number = self.newlines + 1;
            if memchr::memchr(b'"', line).is_some() {
                if self.quoted_record(cells)? && !cells.is_blank() {
                    return Ok(Some(number));
                }
                continue;
            }
            let content = line.strip_suffix(b"\r").unwrap_or(line);
            cells.split(content, b',');
            match newline {
                Some(at) => {
                    self.start += at + 1;
                    self.newlines += 1;
                }
                None => self.start = self.end,
            }
            if !cells.is_blank() {
                return Ok(Some(number));
            }
        }
    }

    /// Reads a record with quotes through csv-core; false at the end of the input.
    fn quoted_record(&mut self, cells: &mut Cells) -> std::io::Result<bool> {
        loop {
            self.quoted.reset();
            let input = self.buffer.get(self.start..self.end).unwrap_or_default();
            // A record never unescapes to more bytes or cells than its input has bytes.
            if self.output.len() < input.len() + 1 {
                self.output.resize(input.len() + 1, 0);
                self.ends.resize(input.len() + 1, 0);
            }
            let (result, consumed, written, cells_found) =
                self.quoted
                    .read_record(input, &mut self.output, &mut self.ends);
            let (consumed, written, cells_found) = match result {
                csv_core::ReadRecordResult::Record => (consumed, written, cells_found),
                csv_core::ReadRecordResult::InputEmpty if !self.eof => {
                    self.fill()?;
                    continue;
                }
                csv_core::ReadRecordResult::InputEmpty => {
                    // The input ended inside the record: an empty read finishes it.
                    let (_, _, more_written, more_cells) = self.quoted.read_record(
                        &[],
                        self.output.get_mut(written..).unwrap_or_default(),
                        self.ends.get_mut(cells_found..).unwrap_or_default(),
                    );
                    (consumed, written + more_written, cells_found + more_cells)
                }
                csv_core::ReadRecordResult::End => return Ok(false),
                csv_core::ReadRecordResult::OutputFull
                | csv_core::ReadRecordResult::OutputEndsFull => {
                    let grown = self.output.len() * 2;
                    self.output.resize(grown, 0);
                    self.ends.resize(grown, 0);
                    continue;
                }
            };
            let record = input.get(..consumed).unwrap_or_default();
            self.newlines += memchr::memchr_iter(b'\n', record).count() as u64;
            self.start += consumed;
            cells.set(
                self.output.get(..written).unwrap_or_default(),
                self.ends.get(..cells_found).unwrap_or_default(),
            );
            return Ok(true);
        }
    }

    /// The rest of the input, to be read in chunks of whole records instead.
    pub fn into_chunks(self) -> super::chunks::LogChunks {
        let pending = self
            .buffer
            .get(self.start..self.end)
            .unwrap_or_default()
            .to_vec();
        super::chunks::LogChunks::new(self.source, pending, self.eof, self.newlines + 1)
    }

    /// Reads more of the source, keeping the bytes not yet consumed (and growing the buffer
    /// when a single record is longer than it).
    fn fill(&mut self) -> std::io::Result<()> {
        if self.start > 0 {
            self.buffer.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buffer.len() {
            let grown = self.buffer.len() * 2;
            self.buffer.resize(grown, 0);
        }
        loop {
            match self
                .source
                .read(self.buffer.get_mut(self.end..).unwrap_or_default())
            {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &[u8]) -> Vec<(u64, Vec<String>)> {
        let mut rows = CsvRows::new(Box::new(std::io::Cursor::new(text.to_vec())));
        let mut cells = Cells::new();
        let mut found = Vec::new();
        while let Ok(Some(line)) = rows.next(&mut cells) {
            found.push((line, cells.texts().map(|c| c.to_string()).collect()));
        }
        found
    }

    #[test]
    fn quoted_cells_doubled_quotes_and_line_breaks_inside_cells() {
        let found = read_all("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",x\ny,z".as_bytes());
        assert_eq!(
            found,
            [
                (1, vec!["a".into(), "b,c".into(), "say \"hi\"".into()]),
                (2, vec!["two\nlines".into(), "x".into()]),
                (4, vec!["y".into(), "z".into()]),
            ]
        );
    }

    #[test]
    fn records_longer_than_the_buffer_are_read_whole() {
        let long = "x".repeat(3 * CHUNK);
        let text = format!("a,{long}\n\"q\",\"{long}\"\nb,c\n");
        let found = read_all(text.as_bytes());
        assert_eq!(found.len(), 3);
        assert_eq!(found.get(1).map(|r| r.0), Some(2));
        assert_eq!(
            found.get(1).and_then(|r| r.1.get(1)).map(String::len),
            Some(long.len())
        );
        assert_eq!(found.get(2).map(|r| r.0), Some(3));
    }
}
