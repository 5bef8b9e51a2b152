//! Event logs (事项记录): one record a row — 日期, 户号, 事项, the declared fields, and optionally
//! 人员 (for roster events), 编号, 审核, 备注 and evidence columns — read and validated one at a
//! time, so that a log of millions of rows is never held in memory.

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::names::NameTable;
use super::repeats::{Repeats, describe_alike, row_hash};

use super::cells::{Cells, RowCells, trim_cell};
use super::error::{DataError, DataWarning, Place};
use super::register::{HOUSEHOLD_COLUMNS, PERSON_COLUMNS, Register, find_column, register_label};
use super::table::{Row, TableReader};
use super::value::{
    Day, FieldValue, LastDate, date_of, days_from_civil, empty_value, expected_words, parse_value,
};
pub use crate::model::record::{EventRecord, FieldValues, Status};
use crate::model::{Compact, EventId, HOUSEHOLD, ValueType};

/// Column names accepted for the date.
pub const DATE_COLUMNS: &[&str] = &["日期", "date"];
/// Column names accepted for the event kind.
pub const ITEM_COLUMNS: &[&str] = &["事项", "item", "event"];
/// Column names accepted for the record id.
pub const ID_COLUMNS: &[&str] = &["编号", "记录编号", "id", "record"];
/// Column names accepted for the review status.
pub const STATUS_COLUMNS: &[&str] = &["审核", "审核状态", "status", "review"];
/// Column names accepted for remarks.
pub const NOTE_COLUMNS: &[&str] = &["备注", "note", "remark"];
/// Column names accepted for the person of a roster event.
pub const PERSON_EVENT_COLUMNS: &[&str] = &["人员", "人员编号", "person"];

/// What the columns of a log hold.
struct Columns {
    date: usize,
    household: Option<usize>,
    item: usize,
    person: Option<usize>,
    status: Option<usize>,
    /// 编号: each record's own.
    id: Option<usize>,
    /// 备注.
    note: Option<usize>,
    /// Per event kind, per field: the column.
    fields: Vec<Vec<Option<usize>>>,
    /// Per event kind, per required evidence: the column.
    evidence: Vec<Vec<Option<usize>>>,
}

/// Reads and validates records one at a time.
pub struct EventReader<'a> {
    table: TableReader,
    checker: RecordChecker<'a>,
    raw: Cells,
    last_date: LastDate,
    /// Per event kind, whether a record of it has been read (to warn about its missing field
    /// columns once).
    seen: RefCell<Vec<bool>>,
    /// Warnings found while reading.
    warnings: RefCell<Vec<DataWarning>>,
    /// The records seen, by 编号 or content.
    repeats: RefCell<Repeats>,
}

/// Validates one row of cells against the compact and the registers and turns it into a
/// record. It holds no reader, so that several threads can check rows of one log at once
/// (see [`super::chunks`]).
pub struct RecordChecker<'a> {
    compact: &'a Compact,
    registers: &'a [Register],
    header: Vec<String>,
    columns: Columns,
    kinds: NameTable,
    file: String,
    /// The last day a record may be dated (today); records after it are refused (E0220).
    /// `None` lets any date through.
    latest_day: Option<Day>,
    /// How many more records may look for a "did you mean" (finding one scans the register;
    /// past the errors anyone reads, it is not worth the time).
    suggestions_left: AtomicUsize,
}

/// How many bad records get a "did you mean" hint.
const SUGGESTION_BUDGET: usize = 1000;

/// One step of reading.
pub enum Next {
    /// A good record, in the buffer passed to [`EventReader::next`].
    Record,
    /// A bad record: every error found in it. [`EventReader::raw`] holds its cells.
    Bad(Vec<DataError>),
    /// The end of the log.
    End,
}

impl<'a> EventReader<'a> {
    /// Starts reading `table` as an event log of `compact`; `registers` are indexed by subject
    /// kind. A missing required column is an error for the whole file; columns the compact
    /// does not use are a warning (see [`EventReader::take_warnings`]).
    pub fn new(
        table: TableReader,
        compact: &'a Compact,
        registers: &'a [Register],
    ) -> Result<Self, DataError> {
        let header = table.header().to_vec();
        let file = table.file().to_string();
        let missing = |column: &str, hint: &str| DataError::MissingColumn {
            file: file.clone(),
            column: column.to_string(),
            found: header.join("、"),
            hint: hint.to_string(),
        };
        let date = find_column(&header, DATE_COLUMNS)
            .ok_or_else(|| missing("日期", "事项记录的列：日期、户号、事项，然后是各事项的字段"))?;
        let item = find_column(&header, ITEM_COLUMNS)
            .ok_or_else(|| missing("事项", "事项记录的列：日期、户号、事项，然后是各事项的字段"))?;
        let household = find_column(&header, HOUSEHOLD_COLUMNS);
        let person_events = compact.events.iter().any(|e| e.owner != HOUSEHOLD);
        // A log without a 人员 column may name persons in its 编号 column — only when some
        // 事项 is a person's: otherwise 编号 is the records' own.
        let person = find_column(&header, PERSON_EVENT_COLUMNS).or_else(|| {
            person_events
                .then(|| find_column(&header, PERSON_COLUMNS.get(..2).unwrap_or_default()))
                .flatten()
        });
        let household_events = compact.events.iter().any(|e| e.owner == HOUSEHOLD);
        if household.is_none() && household_events {
            return Err(missing("户号", "每条记录要写明是哪一户"));
        }
        if person.is_none() && person_events {
            return Err(missing(
                "人员",
                "名册上的人的事项（如党员事项）要有「人员」列，写名册里的编号",
            ));
        }
        let status = find_column(&header, STATUS_COLUMNS);
        let note = find_column(&header, NOTE_COLUMNS);
        let id = find_column(&header, ID_COLUMNS).filter(|c| Some(*c) != person);
        let mut used: Vec<usize> = [Some(date), Some(item), household, person, status, note, id]
            .into_iter()
            .flatten()
            .collect();
        let mut fields = Vec::new();
        let mut evidence = Vec::new();
        for event in &compact.events {
            let columns: Vec<Option<usize>> = event
                .fields
                .iter()
                .map(|f| find_column(&header, &[f.name.as_str()]))
                .collect();
            used.extend(columns.iter().flatten());
            fields.push(columns);
            let proofs: Vec<Option<usize>> = event
                .evidence
                .iter()
                .map(|e| find_column(&header, &[e.as_str()]))
                .collect();
            used.extend(proofs.iter().flatten());
            evidence.push(proofs);
        }
        let ignored: Vec<String> = header
            .iter()
            .enumerate()
            .filter(|(i, h)| !used.contains(i) && !h.is_empty())
            .map(|(_, h)| format!("「{h}」"))
            .collect();
        let mut warnings = Vec::new();
        if !ignored.is_empty() {
            warnings.push(DataWarning::IgnoredColumns {
                file: file.clone(),
                columns: ignored.join("、"),
            });
        }
        let kinds = NameTable::new(
            compact
                .events
                .iter()
                .enumerate()
                .map(|(i, e)| (e.name.as_str(), i)),
        );
        Ok(EventReader {
            table,
            checker: RecordChecker {
                compact,
                registers,
                header,
                columns: Columns {
                    date,
                    household,
                    item,
                    person,
                    status,
                    id,
                    note,
                    fields,
                    evidence,
                },
                kinds,
                file,
                latest_day: None,
                suggestions_left: AtomicUsize::new(SUGGESTION_BUDGET),
            },
            raw: Cells::new(),
            last_date: LastDate::default(),
            seen: RefCell::new(vec![false; compact.events.len()]),
            warnings: RefCell::new(warnings),
            repeats: RefCell::new(Repeats::default()),
        })
    }

    /// The warnings found so far (unused columns; field columns missing where a default
    /// stands in), each once.
    pub fn take_warnings(&self) -> Vec<DataWarning> {
        let mut warnings = self.warnings.take();
        let repeats = self.repeats.borrow();
        let alike = repeats.alike();
        if !alike.is_empty() {
            warnings.push(DataWarning::IdenticalRows {
                file: self.checker.file.clone(),
                groups: describe_alike(&alike, 20),
            });
        }
        warnings
    }

    /// A good record's key, seen in file order: a repeated 编号 is an error (returned), rows
    /// alike are remembered for a warning.
    fn see(&self, key: &RecordKey<'_>, line: u64) -> Option<DataError> {
        self.see_in(&mut self.repeats.borrow_mut(), key, line)
    }

    /// [`Self::see`] with the records seen at hand (borrowed once for a chunk).
    fn see_in(&self, repeats: &mut Repeats, key: &RecordKey<'_>, line: u64) -> Option<DataError> {
        match *key {
            RecordKey::Id(id) => {
                let first_line = repeats.id(id, line)?;
                Some(DataError::RepeatedRecord {
                    place: Place {
                        file: self.checker.file.clone(),
                        line,
                        column: self
                            .checker
                            .columns
                            .id
                            .and_then(|c| self.checker.header.get(c).cloned()),
                    },
                    value: id.to_string(),
                    first_line,
                    line,
                })
            }
            RecordKey::Row(day, hash) => {
                repeats.row(day, hash, line);
                None
            }
            RecordKey::None => None,
        }
    }

    /// Finds the repeats among a chunk's good records, in file order (call it for each
    /// checked chunk in turn, before taking its bad rows): a record whose 编号 came before is
    /// moved to the bad rows.
    pub fn find_repeats(&self, chunk: &super::chunks::Chunk, checked: &mut super::chunks::Checked) {
        let mut refused = Vec::new();
        let mut repeats = self.repeats.borrow_mut();
        for (index, key) in checked.keys() {
            let line = checked.records().get(index).map_or(0, |r| r.line);
            if let Some(error) = self.see_in(&mut repeats, &key, line) {
                refused.push((index, error));
            }
        }
        if !refused.is_empty() {
            checked.refuse(chunk, refused);
        }
    }

    /// The file's column names.
    pub fn header(&self) -> &[String] {
        &self.checker.header
    }

    /// The log's text encoding as read (a reject file is written in it).
    pub fn encoding(&self) -> super::table::Encoding {
        self.table.encoding()
    }

    /// The cells of the row read last (for the reject file).
    pub fn raw(&self) -> &Cells {
        &self.raw
    }

    /// The file as shown in messages.
    pub fn file(&self) -> &str {
        &self.checker.file
    }

    /// Finds rows alike across the whole log, not only within a run of days in date order:
    /// for the second reading of a log out of date order (see [`super::repeats`]).
    pub fn keep_every_day(&mut self) {
        self.repeats.get_mut().keep_every_day();
    }

    /// Refuses records dated after `today` (E0220): a mistyped year must not pass for a
    /// record of a later period. `None` (`--allow-future`) lets any date through. The library
    /// reads no clock; the caller says what today is.
    pub fn refuse_after(&mut self, today: Option<Day>) {
        self.checker.latest_day = today;
    }

    /// The rows' checker, to check rows read some other way (in chunks, on several threads).
    pub fn checker(&self) -> &RecordChecker<'a> {
        &self.checker
    }

    /// Hands the rest of a CSV log over to be read in chunks of whole records; `None` for
    /// other formats (read them with [`EventReader::next`]).
    pub fn take_chunks(&mut self) -> Option<super::chunks::LogChunks> {
        self.table.take_chunks()
    }

    /// Reads the next record into `out`. An error reading the file itself (not a row) ends the
    /// log with `Err`.
    pub fn next(&mut self, out: &mut EventRecord) -> Result<Next, DataError> {
        let line = match self.table.read(&mut self.raw)? {
            Row::Cells(line) => line,
            Row::Bad(line, error) => {
                out.line = line;
                return Ok(Next::Bad(vec![error]));
            }
            Row::End => return Ok(Next::End),
        };
        let mut errors = Vec::new();
        let kind = self
            .checker
            .check(&self.raw, line, out, &mut self.last_date, &mut errors);
        if let Some(kind) = kind {
            self.saw_kind(kind);
        }
        if errors.is_empty()
            && let Some(error) = self.see(&self.checker.key(&self.raw, out.day), line)
        {
            errors.push(error);
        }
        if errors.is_empty() {
            Ok(Next::Record)
        } else {
            Ok(Next::Bad(errors))
        }
    }

    /// For each column of the log, the name the book keeps its cells under: 编号, 日期, 户号,
    /// 人员, 事项, 审核, 备注, or the compact's name of a field or evidence — `None` for a column
    /// the compact does not use. (The book stores what was written under these names, so
    /// that a log's English or alias headers read the same.)
    pub fn column_names(&self) -> Vec<Option<String>> {
        let columns = &self.checker.columns;
        let compact = self.checker.compact;
        let mut names: Vec<Option<String>> = vec![None; self.checker.header.len()];
        let mut set = |column: Option<usize>, name: &str| {
            if let Some(slot) = column.and_then(|c| names.get_mut(c)) {
                *slot = Some(name.to_string());
            }
        };
        set(columns.id, "编号");
        set(Some(columns.date), "日期");
        set(columns.household, "户号");
        set(columns.person, "人员");
        set(Some(columns.item), "事项");
        set(columns.status, "审核");
        set(columns.note, "备注");
        for ((event, fields), evidence) in compact
            .events
            .iter()
            .zip(&columns.fields)
            .zip(&columns.evidence)
        {
            for (field, column) in event.fields.iter().zip(fields) {
                set(*column, &field.name);
            }
            for (proof, column) in event.evidence.iter().zip(evidence) {
                set(*column, proof);
            }
        }
        names
    }

    /// Notes that a record of `kind` was read: on the first, a warning for each of its field
    /// columns that is missing but has a default.
    pub fn saw_kind(&self, kind: EventId) {
        {
            let mut seen = self.seen.borrow_mut();
            match seen.get_mut(kind) {
                Some(seen) if !*seen => *seen = true,
                _ => return,
            }
        }
        let compact = self.checker.compact;
        let (Some(event), Some(columns)) = (
            compact.events.get(kind),
            self.checker.columns.fields.get(kind),
        ) else {
            return;
        };
        for (field, column) in event.fields.iter().zip(columns) {
            if column.is_some() {
                continue;
            }
            let default = match empty_value(&field.ty) {
                Some(FieldValue::Bool(_)) => "「否」",
                Some(_) => "空着",
                None => continue,
            };
            self.warnings
                .borrow_mut()
                .push(DataWarning::MissingFieldColumn {
                    file: self.checker.file.clone(),
                    column: field.name.clone(),
                    event: event.name.clone(),
                    default: default.to_string(),
                });
        }
    }
}

impl RecordChecker<'_> {
    /// The file's column names.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The file as shown in messages.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Checks the row `cells` (line `line`) and fills `out` with its record; every error found
    /// goes to `errors` (the record is good when none was added). Returns the row's event kind
    /// when its 事项 is known.
    pub fn check(
        &self,
        cells: &impl RowCells,
        line: u64,
        out: &mut EventRecord,
        last_date: &mut LastDate,
        errors: &mut Vec<DataError>,
    ) -> Option<EventId> {
        out.line = line;
        let place = |column: usize| Place {
            file: self.file.clone(),
            line,
            column: self.header.get(column).cloned(),
        };
        let cell = |column: usize| cells.cell(column).unwrap_or("");

        // 事项
        let item = trim_cell(cell(self.columns.item));
        let kind = match self.kinds.get(item) {
            Some(kind) => Some(kind),
            None => {
                if item.is_empty() {
                    errors.push(DataError::MissingValue {
                        place: place(self.columns.item),
                        hint: "写上事项名称".to_string(),
                    });
                } else {
                    let suggestion = self.may_suggest().then(|| {
                        crate::check::closest(
                            item,
                            self.compact.events.iter().map(|e| e.name.as_str()),
                        )
                    });
                    errors.push(DataError::UnknownEvent {
                        place: place(self.columns.item),
                        value: item.to_string(),
                        suggestion: suggestion.flatten(),
                    });
                }
                None
            }
        };

        // 日期
        let date_text = cell(self.columns.date);
        match last_date.parse(date_text) {
            Some(day) if self.latest_day.is_some_and(|today| day > today) => {
                out.day = day;
                errors.push(DataError::FutureDate {
                    place: place(self.columns.date),
                    value: date_text.trim().to_string(),
                    today: self
                        .latest_day
                        .map(|d| super::value::date_of(d).to_string())
                        .unwrap_or_default(),
                });
            }
            Some(day) => out.day = day,
            None if date_text.trim().is_empty() => errors.push(DataError::MissingValue {
                place: place(self.columns.date),
                hint: "写上日期，例如 2024-03-05".to_string(),
            }),
            None => {
                let value = date_text.trim().to_string();
                errors.push(match excel_serial(&value) {
                    Some(day) => DataError::ExcelSerialDate {
                        place: place(self.columns.date),
                        value,
                        date: date_of(day).to_string(),
                    },
                    None => DataError::BadDate {
                        place: place(self.columns.date),
                        value,
                    },
                });
            }
        }

        // 审核
        out.status = Status::Approved;
        if let Some(column) = self.columns.status {
            let text = trim_cell(cell(column));
            out.status = match status_of(text) {
                Some(status) => status,
                None => {
                    errors.push(DataError::BadStatus {
                        place: place(column),
                        value: text.to_string(),
                    });
                    Status::Approved
                }
            };
        }

        if let Some(kind) = kind {
            out.kind = kind;
            self.subject(cells, kind, out, errors, line);
            self.fields(cells, kind, out, errors, line);
        }
        kind
    }

    /// What tells a good record from a repeat: its 编号 (when the log has the column and the
    /// cell is not empty), else its cells' hash and its day.
    pub fn key<'c>(&self, cells: &'c impl RowCells, day: Day) -> RecordKey<'c> {
        if let Some(column) = self.columns.id {
            let id = trim_cell(cells.cell(column).unwrap_or(""));
            if !id.is_empty() {
                return RecordKey::Id(id);
            }
        }
        RecordKey::Row(day, row_hash(cells, self.header.len()))
    }

    /// Whether a "did you mean" may still be looked for.
    fn may_suggest(&self) -> bool {
        self.suggestions_left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(1)
            })
            .is_ok_and(|left| left > 1)
    }

    fn subject(
        &self,
        cells: &impl RowCells,
        kind: EventId,
        out: &mut EventRecord,
        errors: &mut Vec<DataError>,
        line: u64,
    ) {
        let owner = self.compact.events.get(kind).map_or(HOUSEHOLD, |e| e.owner);
        let (column, what) = if owner == HOUSEHOLD {
            (self.columns.household, "户号")
        } else {
            (self.columns.person, "人员")
        };
        let Some(column) = column else { return };
        // Made only for an error: a record read well costs no allocation.
        let place = || Place {
            file: self.file.clone(),
            line,
            column: self.header.get(column).cloned(),
        };
        let id = trim_cell(cells.cell(column).unwrap_or(""));
        let Some(register) = self.registers.get(owner) else {
            return;
        };
        match register.find(id) {
            Some(subject) => {
                out.subject = subject;
                if owner != HOUSEHOLD {
                    self.persons_household(cells, register, subject, id, errors, line);
                }
            }
            None if id.is_empty() => errors.push(DataError::MissingValue {
                place: place(),
                hint: format!("写上{what}"),
            }),
            None => {
                let suggestions = if self.may_suggest() {
                    register.suggest(id)
                } else {
                    Vec::new()
                };
                errors.push(DataError::UnknownSubject {
                    place: place(),
                    what: what.to_string(),
                    value: id.to_string(),
                    register: register_label(self.compact, owner),
                    suggestions,
                });
            }
        }
    }

    /// A person's record that also names a 户号: it must be a household of the register, and
    /// the person's own one when the roster gives it.
    fn persons_household(
        &self,
        cells: &impl RowCells,
        roster: &Register,
        person: u32,
        id: &str,
        errors: &mut Vec<DataError>,
        line: u64,
    ) {
        let Some(column) = self.columns.household else {
            return;
        };
        let written = trim_cell(cells.cell(column).unwrap_or(""));
        if written.is_empty() {
            return;
        }
        let Some(households) = self.registers.get(HOUSEHOLD) else {
            return;
        };
        let place = || Place {
            file: self.file.clone(),
            line,
            column: self.header.get(column).cloned(),
        };
        let registered = roster.households.get(person as usize).copied().flatten();
        match households.find(written) {
            None => {
                let suggestions = match registered.and_then(|h| households.id(h)) {
                    Some(own) => vec![own.to_string()],
                    None if self.may_suggest() => households.suggest(written),
                    None => Vec::new(),
                };
                errors.push(DataError::UnknownSubject {
                    place: place(),
                    what: "户号".to_string(),
                    value: written.to_string(),
                    register: "户籍".to_string(),
                    suggestions,
                });
            }
            Some(found) => {
                if let Some(own) = registered.filter(|own| *own != found)
                    && let Some(own_id) = households.id(own)
                {
                    errors.push(DataError::WrongHousehold {
                        place: place(),
                        person: "人员".to_string(),
                        id: id.to_string(),
                        registered: own_id.to_string(),
                        written: written.to_string(),
                        roster: register_label(self.compact, roster.kind),
                    });
                }
            }
        }
    }

    fn fields(
        &self,
        cells: &impl RowCells,
        kind: EventId,
        out: &mut EventRecord,
        errors: &mut Vec<DataError>,
        line: u64,
    ) {
        let Some(event) = self.compact.events.get(kind) else {
            return;
        };
        let columns = self
            .columns
            .fields
            .get(kind)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        out.values.clear();
        for (field, column) in event.fields.iter().zip(columns) {
            if column.is_none() && empty_value(&field.ty).is_none() {
                errors.push(DataError::MissingColumn {
                    file: self.file.clone(),
                    column: field.name.clone(),
                    found: self.header.join("、"),
                    hint: format!(
                        "「{}」的记录要填「{}」，请加上这一列，填{}",
                        event.name,
                        field.name,
                        expected_words(&field.ty)
                    ),
                });
                out.values.push(None);
                continue;
            }
            let text = column.and_then(|c| cells.cell(c)).unwrap_or("");
            let place = || Place {
                file: self.file.clone(),
                line,
                column: Some(
                    column
                        .and_then(|c| self.header.get(c).cloned())
                        .unwrap_or_else(|| field.name.clone()),
                ),
            };
            if trim_cell(text).is_empty() {
                match empty_value(&field.ty) {
                    Some(v) => out.values.push(Some(v)),
                    None => {
                        errors.push(DataError::MissingValue {
                            place: place(),
                            hint: format!(
                                "「{}」的记录要填「{}」：{}",
                                event.name,
                                field.name,
                                expected_words(&field.ty)
                            ),
                        });
                        out.values.push(None);
                    }
                }
                continue;
            }
            match parse_value(text, &field.ty) {
                Some(v) if !super::value::within_limits(&v) => {
                    errors.extend(out_of_range(place(), text, &v));
                    out.values.push(None);
                }
                Some(v) if below_zero(&field.ty, &v) => {
                    errors.push(DataError::NegativeValue {
                        place: place(),
                        value: text.trim().to_string(),
                        what: field.ty.describe(),
                        hint: format!(
                            "事项「{}」的「{}」声明为{}；{NEGATIVE_HINT}",
                            event.name,
                            field.name,
                            field.ty.describe()
                        ),
                    });
                    out.values.push(None);
                }
                Some(v) => out.values.push(Some(v)),
                None => {
                    errors.push(DataError::BadValue {
                        place: place(),
                        value: text.trim().to_string(),
                        expected: expected_words(&field.ty),
                        hint: format!(
                            "事项「{}」的「{}」声明为{}",
                            event.name,
                            field.name,
                            field.ty.describe()
                        ),
                    });
                    out.values.push(None);
                }
            }
        }
        let proofs = self
            .columns
            .evidence
            .get(kind)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        out.missing_evidence = proofs
            .iter()
            .position(|column| {
                column
                    .and_then(|c| cells.cell(c))
                    .is_none_or(|t| trim_cell(t).is_empty())
            })
            .map(|i| u16::try_from(i).unwrap_or(u16::MAX));
    }
}

/// The day an Excel date serial stands for (45356 is 2024-03-05), when `text` is one: five
/// digits from 20000 (1954) to 80000 (2119) — what a date cell saved from Excel without its
/// date format shows. Excel counts from 1899-12-30 for every date after February 1900.
fn excel_serial(text: &str) -> Option<Day> {
    let serial: i32 = text
        .strip_suffix(".0")
        .unwrap_or(text)
        .parse()
        .ok()
        .filter(|n| (20_000..=80_000).contains(n))?;
    Some(days_from_civil(1899, 12, 30) + serial)
}

/// What to do instead of writing a negative quantity or amount.
pub(crate) const NEGATIVE_HINT: &str = "天数、时长、数量和金额都不小于零：要扣分，写进乡约的条文（凡 … 扣 … 分），记录里照实填正数；确实可正可负的数，声明为整数或分数";

/// Whether `value` is below zero where its type allows no such value: a 数量 (days, hours,
/// mu) or a 金额 is never negative; an 整数 or 分数 may be (a 评定分 of −2, a change in
/// population).
pub fn out_of_range(place: Place, text: &str, value: &FieldValue) -> Option<DataError> {
    if super::value::within_limits(value) {
        return None;
    }
    let decimals = matches!(value, FieldValue::Number(n) if n.normalize().scale() > super::value::MAX_CELL_DECIMALS);
    Some(DataError::NumberOutOfRange {
        place,
        value: text.trim().to_string(),
        reason: if decimals {
            format!(
                "的小数位太多（最多 {} 位）",
                super::value::MAX_CELL_DECIMALS
            )
        } else {
            "太大了，超过一万亿".to_string()
        },
        hint: "多半是填错了列或多打了数字，请核对；数量、分数、金额都在一万亿以内，最多 10 位小数"
            .to_string(),
    })
}

/// Whether a value read for `ty` is below zero where `ty` never is (数量, 金额).
pub fn below_zero(ty: &ValueType, value: &FieldValue) -> bool {
    match (ty, value) {
        (ValueType::Quantity(_), FieldValue::Number(n)) => n.is_sign_negative() && !n.is_zero(),
        (ValueType::Money, FieldValue::Money(fen)) => *fen < 0,
        _ => false,
    }
}

/// What a good record is known by, to find it written twice.
#[derive(Debug, Clone, Copy)]
pub enum RecordKey<'c> {
    /// Its 编号.
    Id(&'c str),
    /// Its day and its cells' hash (a log without 编号).
    Row(Day, u64),
    /// Nothing (a record refused).
    None,
}

/// The 审核 words: 通过 (or empty), 待审, 驳回 and their variants; English ones in any case.
fn status_of(text: &str) -> Option<Status> {
    match text {
        "" | "通过" | "已通过" | "审核通过" | "已审核" => Some(Status::Approved),
        "待审" | "待审核" | "审核中" => Some(Status::Pending),
        "驳回" | "已驳回" | "未通过" | "不通过" => Some(Status::Rejected),
        _ => match text.to_ascii_lowercase().as_str() {
            "approved" => Some(Status::Approved),
            "pending" => Some(Status::Pending),
            "rejected" => Some(Status::Rejected),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn excel_date_serials_are_their_days() {
        let day = |s: &str| super::excel_serial(s).map(|d| super::date_of(d).to_string());
        assert_eq!(day("45356").as_deref(), Some("2024-03-05"));
        assert_eq!(day("45356.0").as_deref(), Some("2024-03-05"));
        assert_eq!(day("44927").as_deref(), Some("2023-01-01"));
        for not in ["2024", "123", "99999", "4535a", ""] {
            assert_eq!(day(not), None, "{not}");
        }
    }

    #[test]
    fn a_record_is_one_cache_line() {
        assert!(std::mem::size_of::<crate::model::record::EventRecord>() <= 64);
    }
}
