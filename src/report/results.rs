//! Evaluation results as data for people and programs: the stable JSON schema (docs/json.md),
//! and the rows that the table, CSV, HTML and workbook outputs print.
//!
//! Points are decimal strings ("12.5"), money is integer fen, dates are "2024-03-05".

use indexmap::IndexMap;
use serde::Serialize;

use super::provenance::{Provenance, SourceFile, SourceKind};
use super::tables::{clause_label, points};
use crate::eval::{KindResults, RatingOutcome, Results, SubjectResult};
use crate::model::Register;
use crate::model::value::date_of;
use crate::model::{Compact, HOUSEHOLD, RatingId, describe};

/// Where the data came from, for the report's header.
#[derive(Debug, Clone, Serialize)]
pub struct Sources {
    /// The compact file.
    pub compact: String,
    /// The register file.
    pub register: String,
    /// The event log.
    pub events: String,
}

/// `eval --format json`. Households and members are turned into JSON one at a time while the
/// document is written, so that a city of a million households never has its whole document
/// in memory.
#[derive(Serialize)]
pub struct EvalJson<'a> {
    /// The compact and the files read.
    pub compact: CompactInfo,
    /// The time of evaluation: 2025-01-15T09:30:00, local time.
    pub evaluated_at: String,
    /// The period.
    pub period: PeriodInfo,
    /// One object per household, in register order.
    pub households: HouseholdsJson<'a>,
    /// Roster members by roster name.
    pub members: MembersJson<'a>,
    /// Counts.
    pub summary: SummaryJson,
}

/// The households, written one at a time (see [`household_json`]).
pub struct HouseholdsJson<'a> {
    compact: &'a Compact,
    kind: Option<&'a KindResults>,
    register: Option<&'a Register>,
    events_file: &'a str,
}

impl Serialize for HouseholdsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let subjects = self.kind.map_or(&[][..], |k| k.subjects.as_slice());
        let mut seq = serializer.serialize_seq(Some(subjects.len()))?;
        if let Some(kind) = self.kind {
            for (i, subject) in subjects.iter().enumerate() {
                seq.serialize_element(&HouseholdView {
                    compact: self.compact,
                    kind,
                    subject,
                    name: subject_name(self.register, i),
                    events_file: self.events_file,
                    default_column: default_column(self.compact, kind),
                })?;
            }
        }
        seq.end()
    }
}

/// The members of every roster, by roster name, written one at a time.
pub struct MembersJson<'a> {
    compact: &'a Compact,
    results: &'a Results,
    registers: &'a [Register],
    events_file: &'a str,
}

impl Serialize for MembersJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let rosters: Vec<&KindResults> = self
            .results
            .kinds
            .iter()
            .filter(|k| k.kind != HOUSEHOLD)
            .collect();
        let mut map = serializer.serialize_map(Some(rosters.len()))?;
        for kind in rosters {
            let name = self
                .compact
                .kinds
                .get(kind.kind)
                .map(|k| k.name.as_str())
                .unwrap_or_default();
            map.serialize_entry(
                name,
                &RosterJson {
                    compact: self.compact,
                    kind,
                    registers: self.registers,
                    events_file: self.events_file,
                },
            )?;
        }
        map.end()
    }
}

/// One roster's members, written one at a time.
struct RosterJson<'a> {
    compact: &'a Compact,
    kind: &'a KindResults,
    registers: &'a [Register],
    events_file: &'a str,
}

impl Serialize for RosterJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let register = self.registers.get(self.kind.kind);
        let household_ids = self.registers.get(HOUSEHOLD);
        let mut seq = serializer.serialize_seq(Some(self.kind.subjects.len()))?;
        for (i, subject) in self.kind.subjects.iter().enumerate() {
            seq.serialize_element(&MemberView {
                compact: self.compact,
                kind: self.kind,
                subject,
                name: subject_name(register, i),
                household: register
                    .and_then(|r| r.households.get(i).copied().flatten())
                    .and_then(|h| household_ids.and_then(|r| r.id(h))),
                events_file: self.events_file,
            })?;
        }
        seq.end()
    }
}

/// The name (户主, 姓名) of the `index`th subject of a register, if it has one.
fn subject_name(register: Option<&Register>, index: usize) -> Option<&str> {
    register.and_then(|r| r.name(u32::try_from(index).ok()?))
}

/// The column of a kind's default account in [`SubjectResult::points`], if it has one.
fn default_column(compact: &Compact, kind: &KindResults) -> Option<usize> {
    compact
        .default_account(kind.kind)
        .and_then(|d| kind.accounts.iter().position(|a| *a == d))
}

/// One household as it is written: the fields of [`HouseholdJson`], borrowed from the results
/// rather than copied, so that writing a million households allocates next to nothing.
struct HouseholdView<'a> {
    compact: &'a Compact,
    kind: &'a KindResults,
    subject: &'a SubjectResult,
    name: Option<&'a str>,
    events_file: &'a str,
    default_column: Option<usize>,
}

impl Serialize for HouseholdView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (compact, kind, s) = (self.compact, self.kind, self.subject);
        let mut out = serializer.serialize_struct("HouseholdJson", 10)?;
        out.serialize_field("id", s.id.as_str())?;
        out.serialize_field("name", &self.name)?;
        out.serialize_field("tracks", &TracksView { compact, kind, s })?;
        out.serialize_field(
            "total",
            &self
                .default_column
                .and_then(|c| s.points.get(c))
                .map(|p| PointsView(*p)),
        )?;
        let first = kind.ratings.iter().zip(&s.ratings).next();
        out.serialize_field(
            "rating",
            &first.map(|(r, o)| RatingView {
                compact,
                s,
                rating: *r,
                outcome: o,
                named: true,
            }),
        )?;
        out.serialize_field("ratings", &RatingsView { compact, kind, s })?;
        out.serialize_field("eligible", &s.eligible)?;
        out.serialize_field(
            "vetoes",
            &VetoesView {
                compact,
                s,
                file: self.events_file,
            },
        )?;
        out.serialize_field("dividend_fen", &s.dividend_fen)?;
        out.serialize_field("titles", &s.titles)?;
        let groups = groups_json(compact, kind, s);
        if !groups.is_empty() {
            out.serialize_field("groups", &groups)?;
        }
        out.end()
    }
}

/// One roster member as it is written: the fields of [`MemberJson`], borrowed.
struct MemberView<'a> {
    compact: &'a Compact,
    kind: &'a KindResults,
    subject: &'a SubjectResult,
    name: Option<&'a str>,
    household: Option<&'a str>,
    events_file: &'a str,
}

impl Serialize for MemberView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (compact, kind, s) = (self.compact, self.kind, self.subject);
        let mut out = serializer.serialize_struct("MemberJson", 6)?;
        out.serialize_field("id", s.id.as_str())?;
        out.serialize_field("name", &self.name)?;
        out.serialize_field("household", &self.household)?;
        out.serialize_field("tracks", &TracksView { compact, kind, s })?;
        out.serialize_field("ratings", &RatingsView { compact, kind, s })?;
        out.serialize_field(
            "vetoes",
            &VetoesView {
                compact,
                s,
                file: self.events_file,
            },
        )?;
        out.end()
    }
}

/// Points written as [`points`] writes them, without making a `String` first.
struct PointsView(rust_decimal::Decimal);

impl Serialize for PointsView {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0.normalize())
    }
}

/// A subject's points by account name, as [`tracks_json`] makes them.
struct TracksView<'a> {
    compact: &'a Compact,
    kind: &'a KindResults,
    s: &'a SubjectResult,
}

impl Serialize for TracksView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let pairs = self.kind.accounts.iter().zip(&self.s.points);
        let mut map = serializer.serialize_map(Some(pairs.len()))?;
        for (a, p) in pairs {
            let name = self
                .compact
                .accounts
                .get(*a)
                .map_or("", |a| a.name.as_str());
            map.serialize_entry(name, &PointsView(*p))?;
        }
        map.end()
    }
}

/// A subject's ratings by name, as [`ratings_json`] makes them.
struct RatingsView<'a> {
    compact: &'a Compact,
    kind: &'a KindResults,
    s: &'a SubjectResult,
}

impl Serialize for RatingsView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let pairs = self.kind.ratings.iter().zip(&self.s.ratings);
        let mut map = serializer.serialize_map(Some(pairs.len()))?;
        for (r, o) in pairs {
            let view = RatingView {
                compact: self.compact,
                s: self.s,
                rating: *r,
                outcome: o,
                named: false,
            };
            map.serialize_entry(view.name(), &view)?;
        }
        map.end()
    }
}

/// One rating's result, as [`rating_json`] makes it ([`NamedRatingJson`] when `named`).
struct RatingView<'a> {
    compact: &'a Compact,
    s: &'a SubjectResult,
    rating: RatingId,
    outcome: &'a RatingOutcome,
    named: bool,
}

impl RatingView<'_> {
    fn name(&self) -> &str {
        self.compact
            .ratings
            .get(self.rating)
            .map_or("", |r| r.name.as_str())
    }
}

impl Serialize for RatingView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let fields = if self.named { 4 } else { 3 };
        let mut out = serializer.serialize_struct("RatingJson", fields)?;
        if self.named {
            out.serialize_field("name", self.name())?;
        }
        out.serialize_field("label", &self.outcome.label())?;
        let cancelled = matches!(self.outcome, RatingOutcome::Cancelled);
        out.serialize_field("cancelled", &cancelled)?;
        let by = cancelled
            .then(|| self.s.cancelled_by(self.rating))
            .flatten()
            .map(|c| clause_label(self.compact, c));
        out.serialize_field("cancelled_by", &by)?;
        out.end()
    }
}

/// A subject's vetoes (rare: made into [`VetoJson`] one at a time).
struct VetoesView<'a> {
    compact: &'a Compact,
    s: &'a SubjectResult,
    file: &'a str,
}

impl Serialize for VetoesView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.s.vetoes.len()))?;
        for v in &self.s.vetoes {
            seq.serialize_element(&veto_json(self.compact, v, self.file))?;
        }
        seq.end()
    }
}

/// The layout of `eval --format json`: indented like `serde_json`'s pretty printer, except
/// that an object or array that is an element of an array — one household, one member, one
/// veto — is written compactly on one line. A city's document stays readable (and greppable:
/// one household per line) at a fifth of the size of a fully indented one.
#[derive(Debug, Default)]
pub struct RowsFormatter {
    /// How many objects and arrays are open.
    depth: usize,
    /// Whether the innermost open pretty container has a value yet.
    has_value: bool,
    /// Whether the next value begins an element of an array.
    element: bool,
    /// The depth of the element being written on one line, while one is.
    row: Option<usize>,
}

impl RowsFormatter {
    fn indent<W: ?Sized + std::io::Write>(&self, writer: &mut W) -> std::io::Result<()> {
        for _ in 0..self.depth {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }

    fn begin<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        open: &[u8],
    ) -> std::io::Result<()> {
        if self.row.is_none() && self.element {
            self.row = Some(self.depth);
        }
        self.element = false;
        self.depth += 1;
        self.has_value = false;
        writer.write_all(open)
    }

    fn end<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        close: &[u8],
    ) -> std::io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        self.element = false;
        if self.row.is_none() && self.has_value {
            writer.write_all(b"\n")?;
            self.indent(writer)?;
        }
        if self.row == Some(self.depth) {
            self.row = None;
        }
        writer.write_all(close)
    }

    fn next<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if self.row.is_some() {
            if !first {
                writer.write_all(b",")?;
            }
            return Ok(());
        }
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer)
    }
}

impl serde_json::ser::Formatter for RowsFormatter {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.begin(writer, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.end(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next(writer, first)?;
        self.element = true;
        Ok(())
    }

    fn end_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        _writer: &mut W,
    ) -> std::io::Result<()> {
        self.element = false;
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.begin(writer, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.end(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.element = false;
        self.next(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(if self.row.is_some() { b":" } else { b": " })
    }

    fn end_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        _writer: &mut W,
    ) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes `eval --format json` to `writer` in the [`RowsFormatter`] layout, with a final
/// newline: the same bytes as serializing `doc` through a [`RowsFormatter`] (tested), but each
/// household and member is written directly, with the names of its kind's accounts and
/// ratings escaped once for all rows — serializing a row through serde costs twice as much.
pub fn write_eval_json<W: std::io::Write>(
    writer: &mut W,
    doc: &EvalJson<'_>,
) -> std::io::Result<()> {
    writer.write_all(b"{\n  \"compact\": ")?;
    nested(writer, &doc.compact)?;
    writer.write_all(b",\n  \"evaluated_at\": ")?;
    json_str(writer, &doc.evaluated_at)?;
    writer.write_all(b",\n  \"period\": ")?;
    nested(writer, &doc.period)?;
    writer.write_all(b",\n  \"households\": ")?;
    let households = &doc.households;
    match households.kind {
        Some(kind) if !kind.subjects.is_empty() => {
            let parts = RowParts::of(households.compact, kind, households.events_file);
            for (i, subject) in kind.subjects.iter().enumerate() {
                writer.write_all(if i == 0 { b"[\n    " } else { b",\n    " })?;
                parts.household(writer, subject, subject_name(households.register, i))?;
            }
            writer.write_all(b"\n  ]")?;
        }
        _ => writer.write_all(b"[]")?,
    }
    writer.write_all(b",\n  \"members\": ")?;
    let members = &doc.members;
    let mut any = false;
    for kind in members.results.kinds.iter().filter(|k| k.kind != HOUSEHOLD) {
        writer.write_all(if any { b",\n    " } else { b"{\n    " })?;
        any = true;
        let name = members
            .compact
            .kinds
            .get(kind.kind)
            .map_or("", |k| k.name.as_str());
        json_str(writer, name)?;
        writer.write_all(b": ")?;
        if kind.subjects.is_empty() {
            writer.write_all(b"[]")?;
            continue;
        }
        let parts = RowParts::of(members.compact, kind, members.events_file);
        let register = members.registers.get(kind.kind);
        let households = members.registers.get(HOUSEHOLD);
        for (i, subject) in kind.subjects.iter().enumerate() {
            writer.write_all(if i == 0 { b"[\n      " } else { b",\n      " })?;
            let household = register
                .and_then(|r| r.households.get(i).copied().flatten())
                .and_then(|h| households.and_then(|r| r.id(h)));
            parts.member(writer, subject, subject_name(register, i), household)?;
        }
        writer.write_all(b"\n    ]")?;
    }
    writer.write_all(if any { b"\n  }" } else { b"{}" })?;
    writer.write_all(b",\n  \"summary\": ")?;
    nested(writer, &doc.summary)?;
    writer.write_all(b"\n}\n")
}

/// A top-level part of [`write_eval_json`] (compact, period, summary), indented one level.
fn nested<W: std::io::Write, T: Serialize>(writer: &mut W, value: &T) -> std::io::Result<()> {
    let formatter = RowsFormatter {
        depth: 1,
        ..RowsFormatter::default()
    };
    value
        .serialize(&mut serde_json::Serializer::with_formatter(
            &mut *writer,
            formatter,
        ))
        .map_err(std::io::Error::from)
}

/// A string as JSON, escaped exactly as `serde_json` escapes it (only `"`, `\` and control
/// characters need it; anything else is copied as it is).
fn json_str<W: std::io::Write + ?Sized>(writer: &mut W, text: &str) -> std::io::Result<()> {
    if text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        return serde_json::to_writer(writer, text).map_err(std::io::Error::from);
    }
    writer.write_all(b"\"")?;
    writer.write_all(text.as_bytes())?;
    writer.write_all(b"\"")
}

/// What every row of one kind shares, escaped once: `"name":` of each account and rating.
struct RowParts<'a> {
    compact: &'a Compact,
    kind: &'a KindResults,
    events_file: &'a str,
    default_column: Option<usize>,
    /// `"户积分":` per account.
    accounts: Vec<Vec<u8>>,
    /// `"星级"` per rating.
    ratings: Vec<Vec<u8>>,
}

impl<'a> RowParts<'a> {
    fn of(compact: &'a Compact, kind: &'a KindResults, events_file: &'a str) -> Self {
        let escaped = |name: &str| {
            let mut out = Vec::new();
            // Writing to a Vec cannot fail.
            let _ = json_str(&mut out, name);
            out
        };
        RowParts {
            compact,
            kind,
            events_file,
            default_column: default_column(compact, kind),
            accounts: kind
                .accounts
                .iter()
                .map(|a| {
                    let mut key = escaped(compact.accounts.get(*a).map_or("", |a| a.name.as_str()));
                    key.push(b':');
                    key
                })
                .collect(),
            ratings: kind
                .ratings
                .iter()
                .map(|r| escaped(compact.ratings.get(*r).map_or("", |r| r.name.as_str())))
                .collect(),
        }
    }

    /// `,"name":…` of a row.
    fn name<W: std::io::Write>(writer: &mut W, name: Option<&str>) -> std::io::Result<()> {
        writer.write_all(b",\"name\":")?;
        match name {
            Some(name) => json_str(writer, name),
            None => writer.write_all(b"null"),
        }
    }

    fn points<W: std::io::Write>(writer: &mut W, p: rust_decimal::Decimal) -> std::io::Result<()> {
        // Digits, a sign and a point: nothing to escape.
        write!(writer, "\"{}\"", p.normalize())
    }

    fn tracks<W: std::io::Write>(&self, writer: &mut W, s: &SubjectResult) -> std::io::Result<()> {
        writer.write_all(b"{")?;
        for (i, (key, p)) in self.accounts.iter().zip(&s.points).enumerate() {
            if i > 0 {
                writer.write_all(b",")?;
            }
            writer.write_all(key)?;
            Self::points(writer, *p)?;
        }
        writer.write_all(b"}")
    }

    /// `"label":…,"cancelled":…,"cancelled_by":…}` of one rating.
    fn rating<W: std::io::Write>(
        &self,
        writer: &mut W,
        s: &SubjectResult,
        rating: RatingId,
        outcome: &RatingOutcome,
    ) -> std::io::Result<()> {
        writer.write_all(b"\"label\":")?;
        match outcome.label() {
            Some(label) => json_str(writer, label)?,
            None => writer.write_all(b"null")?,
        }
        if !matches!(outcome, RatingOutcome::Cancelled) {
            return writer.write_all(b",\"cancelled\":false,\"cancelled_by\":null}");
        }
        writer.write_all(b",\"cancelled\":true,\"cancelled_by\":")?;
        match s.cancelled_by(rating) {
            Some(c) => json_str(writer, &clause_label(self.compact, c))?,
            None => writer.write_all(b"null")?,
        }
        writer.write_all(b"}")
    }

    fn ratings<W: std::io::Write>(&self, writer: &mut W, s: &SubjectResult) -> std::io::Result<()> {
        writer.write_all(b"{")?;
        let named = self.ratings.iter().zip(&self.kind.ratings).zip(&s.ratings);
        for (i, ((name, rating), outcome)) in named.enumerate() {
            if i > 0 {
                writer.write_all(b",")?;
            }
            writer.write_all(name)?;
            writer.write_all(b":{")?;
            self.rating(writer, s, *rating, outcome)?;
        }
        writer.write_all(b"}")
    }

    fn vetoes<W: std::io::Write>(&self, writer: &mut W, s: &SubjectResult) -> std::io::Result<()> {
        writer.write_all(b"[")?;
        for (i, veto) in s.vetoes.iter().enumerate() {
            if i > 0 {
                writer.write_all(b",")?;
            }
            serde_json::to_writer(
                &mut *writer,
                &veto_json(self.compact, veto, self.events_file),
            )
            .map_err(std::io::Error::from)?;
        }
        writer.write_all(b"]")
    }

    /// One household on one line, as [`HouseholdView`] serializes it.
    fn household<W: std::io::Write>(
        &self,
        writer: &mut W,
        s: &SubjectResult,
        name: Option<&str>,
    ) -> std::io::Result<()> {
        writer.write_all(b"{\"id\":")?;
        json_str(writer, &s.id)?;
        Self::name(writer, name)?;
        writer.write_all(b",\"tracks\":")?;
        self.tracks(writer, s)?;
        writer.write_all(b",\"total\":")?;
        match self.default_column.and_then(|c| s.points.get(c)) {
            Some(p) => Self::points(writer, *p)?,
            None => writer.write_all(b"null")?,
        }
        writer.write_all(b",\"rating\":")?;
        let first = self
            .ratings
            .iter()
            .zip(&self.kind.ratings)
            .zip(&s.ratings)
            .next();
        match first {
            Some(((name, rating), outcome)) => {
                writer.write_all(b"{\"name\":")?;
                writer.write_all(name)?;
                writer.write_all(b",")?;
                self.rating(writer, s, *rating, outcome)?;
            }
            None => writer.write_all(b"null")?,
        }
        writer.write_all(b",\"ratings\":")?;
        self.ratings(writer, s)?;
        writer.write_all(if s.eligible {
            b",\"eligible\":true,\"vetoes\":"
        } else {
            b",\"eligible\":false,\"vetoes\":"
        })?;
        self.vetoes(writer, s)?;
        write!(writer, ",\"dividend_fen\":{},\"titles\":[", s.dividend_fen)?;
        for (i, title) in s.titles.iter().enumerate() {
            if i > 0 {
                writer.write_all(b",")?;
            }
            json_str(writer, title)?;
        }
        writer.write_all(b"]")?;
        if !s.groups.is_empty() {
            let groups = groups_json(self.compact, self.kind, s);
            writer.write_all(b",\"groups\":")?;
            serde_json::to_writer(&mut *writer, &groups).map_err(std::io::Error::other)?;
        }
        writer.write_all(b"}")
    }

    /// One roster member on one line, as [`MemberView`] serializes it.
    fn member<W: std::io::Write>(
        &self,
        writer: &mut W,
        s: &SubjectResult,
        name: Option<&str>,
        household: Option<&str>,
    ) -> std::io::Result<()> {
        writer.write_all(b"{\"id\":")?;
        json_str(writer, &s.id)?;
        Self::name(writer, name)?;
        writer.write_all(b",\"household\":")?;
        match household {
            Some(h) => json_str(writer, h)?,
            None => writer.write_all(b"null")?,
        }
        writer.write_all(b",\"tracks\":")?;
        self.tracks(writer, s)?;
        writer.write_all(b",\"ratings\":")?;
        self.ratings(writer, s)?;
        writer.write_all(b",\"vetoes\":")?;
        self.vetoes(writer, s)?;
        writer.write_all(b"}")
    }
}

/// Which compact and data.
#[derive(Debug, Clone, Serialize)]
pub struct CompactInfo {
    /// 乡约「…」.
    pub title: String,
    /// 版本.
    pub version: Option<String>,
    /// The compact, register and event log read.
    pub sources: Sources,
    /// Every file read, with its SHA-256 and size.
    pub files: Vec<SourceFile>,
}

/// The evaluated period.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodInfo {
    /// The year it starts in.
    pub year: i32,
    /// First day.
    pub start: String,
    /// Last day.
    pub end: String,
    /// 2024年度.
    pub label: String,
    /// How it was chosen: 记录最多的年度 (the default) or 命令行指定 (`--period`).
    pub chosen_by: &'static str,
    /// Good records dated in it.
    pub records: u64,
    /// Good records dated in other periods.
    pub records_outside: u64,
    /// The other periods holding records, in order, with their counts.
    pub other_periods: Vec<OtherPeriod>,
}

/// A period other than the one computed, and how many of the log's records are in it.
#[derive(Debug, Clone, Serialize)]
pub struct OtherPeriod {
    /// The year it starts in.
    pub year: i32,
    /// 2023年度.
    pub label: String,
    /// Good records dated in it.
    pub records: u64,
}

/// One household.
#[derive(Debug, Clone, Serialize)]
pub struct HouseholdJson {
    /// 户号.
    pub id: String,
    /// 户主, when the register has the column and the cell is filled.
    pub name: Option<String>,
    /// Points per account, by account name: every household account, in compact order.
    pub tracks: IndexMap<String, String>,
    /// Points of the default account; null when households have no account.
    pub total: Option<String>,
    /// The first rating (with its name), or null when no rating is for households.
    pub rating: Option<NamedRatingJson>,
    /// Every rating by name.
    pub ratings: IndexMap<String, RatingJson>,
    /// Whether it takes part in the dividend.
    pub eligible: bool,
    /// Vetoes that took effect.
    pub vetoes: Vec<VetoJson>,
    /// Its dividend in fen.
    pub dividend_fen: i64,
    /// Titles from rank awards.
    pub titles: Vec<String>,
    /// 分项: per account with groups, each group's points (absent when no account has groups).
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub groups: IndexMap<String, IndexMap<String, String>>,
}

/// A rating's result for one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatingJson {
    /// The band given (五星 …); null when no band matched or the rating was cancelled.
    pub label: Option<String>,
    /// Whether a veto cancelled the rating for the period.
    pub cancelled: bool,
    /// The clause (第N条) whose veto cancelled it; null when not cancelled.
    pub cancelled_by: Option<String>,
}

/// The first rating's result, with the rating's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedRatingJson {
    /// The rating's name (星级).
    pub name: String,
    /// The band given, as in [`RatingJson::label`].
    pub label: Option<String>,
    /// As in [`RatingJson::cancelled`].
    pub cancelled: bool,
    /// As in [`RatingJson::cancelled_by`].
    pub cancelled_by: Option<String>,
}

/// One roster member.
#[derive(Debug, Clone, Serialize)]
pub struct MemberJson {
    /// The person's id.
    pub id: String,
    /// 姓名, when the roster has the column and the cell is filled.
    pub name: Option<String>,
    /// Their household's 户号.
    pub household: Option<String>,
    /// Points per account: every account of the roster, in compact order.
    pub tracks: IndexMap<String, String>,
    /// Ratings by name.
    pub ratings: IndexMap<String, RatingJson>,
    /// Vetoes.
    pub vetoes: Vec<VetoJson>,
}

/// A veto that took effect.
#[derive(Debug, Clone, Serialize)]
pub struct VetoJson {
    /// 第N条.
    pub clause: String,
    /// The record's date.
    pub date: String,
    /// The record.
    pub record: RecordRef,
    /// What it did, in words.
    pub effects: Vec<String>,
}

/// An event record: its file and line.
#[derive(Debug, Clone, Serialize)]
pub struct RecordRef {
    /// The log file.
    pub file: String,
    /// Its line.
    pub line: u64,
    /// Its id in the village's book, when the records were read from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub book_record: Option<i64>,
}

/// Counts of records. The names say what each is a part of:
/// `records = records_in_period + records_outside_period + records_invalid`,
/// `records_in_period = in_period_evaluated + in_period_pending + in_period_rejected`, and
/// `evaluated_refused` is a part of `in_period_evaluated`.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryJson {
    /// Households in the register.
    pub households: usize,
    /// Persons in rosters.
    pub persons: usize,
    /// Records in the log (good and bad, all periods).
    pub records: u64,
    /// Good records dated in the period.
    pub records_in_period: u64,
    /// Good records dated before or after the period.
    pub records_outside_period: u64,
    /// Bad records left out (with --reject-file).
    pub records_invalid: u64,
    /// Records in the period handed to the clauses (approved, with evidence).
    pub in_period_evaluated: u64,
    /// Records in the period pending review or evidence.
    pub in_period_pending: u64,
    /// Records in the period refused in review (驳回).
    pub in_period_rejected: u64,
    /// Evaluated records that a clause refused (points out of range, balance too low).
    pub evaluated_refused: u64,
    /// The dividend pool in fen (null without --pool or without a dividend rule).
    pub pool_fen: Option<i64>,
    /// What was shared out, in fen.
    pub distributed_fen: i64,
}

/// A subject's result for one rating.
pub fn rating_json(
    compact: &Compact,
    subject: &SubjectResult,
    rating: RatingId,
    outcome: &RatingOutcome,
) -> RatingJson {
    match outcome {
        RatingOutcome::Label(l) => RatingJson {
            label: Some(l.to_string()),
            cancelled: false,
            cancelled_by: None,
        },
        // 不参评 (outside the rating's class) reads as no band.
        RatingOutcome::None | RatingOutcome::NotRated => RatingJson {
            label: None,
            cancelled: false,
            cancelled_by: None,
        },
        RatingOutcome::Cancelled => RatingJson {
            label: None,
            cancelled: true,
            cancelled_by: subject
                .cancelled_by(rating)
                .map(|c| clause_label(compact, c)),
        },
    }
}

/// Every rating of a subject's kind, by name, in compact order.
pub fn ratings_json(
    compact: &Compact,
    kind: &KindResults,
    subject: &SubjectResult,
) -> IndexMap<String, RatingJson> {
    kind.ratings
        .iter()
        .zip(&subject.ratings)
        .map(|(r, o)| {
            let name = compact
                .ratings
                .get(*r)
                .map(|r| r.name.clone())
                .unwrap_or_default();
            (name, rating_json(compact, subject, *r, o))
        })
        .collect()
}

/// Every account of a subject's kind with the subject's points, by name, in compact order.
pub fn tracks_json(
    compact: &Compact,
    kind: &KindResults,
    subject: &SubjectResult,
) -> IndexMap<String, String> {
    kind.accounts
        .iter()
        .zip(&subject.points)
        .map(|(a, p)| {
            let name = compact
                .accounts
                .get(*a)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            (name, points(*p))
        })
        .collect()
}

/// A veto as data; `file` is the event log.
pub fn veto_json(compact: &Compact, veto: &crate::eval::VetoRecord, file: &str) -> VetoJson {
    VetoJson {
        clause: clause_label(compact, veto.clause),
        date: date_of(veto.day).to_string(),
        record: RecordRef {
            file: file.to_string(),
            line: veto.line,
            book_record: None,
        },
        effects: veto
            .effects
            .iter()
            .filter(|e| describe::effect_shown(compact, e))
            .map(|e| describe::veto_effect(compact, e))
            .collect(),
    }
}

/// The period evaluated as data: which, how it was chosen, and the records outside it.
pub fn period_json(results: &Results) -> PeriodInfo {
    let period = &results.period;
    let counts = &results.summary.periods;
    let records = counts.in_year(period.year);
    PeriodInfo {
        year: period.year,
        start: date_of(period.start).to_string(),
        end: date_of(period.last_day()).to_string(),
        label: period.label(),
        chosen_by: results.summary.chosen_by.label(),
        records,
        records_outside: counts.total() - records.min(counts.total()),
        other_periods: counts
            .others(period.year)
            .map(|(p, records)| OtherPeriod {
                year: p.year,
                label: p.label(),
                records,
            })
            .collect(),
    }
}

/// One household as data.
pub fn household_json(
    compact: &Compact,
    kind: &KindResults,
    s: &SubjectResult,
    name: Option<&str>,
    events_file: &str,
) -> HouseholdJson {
    let default_column = compact
        .default_account(kind.kind)
        .and_then(|d| kind.accounts.iter().position(|a| *a == d));
    let ratings = ratings_json(compact, kind, s);
    let rating = ratings.first().map(|(name, r)| NamedRatingJson {
        name: name.clone(),
        label: r.label.clone(),
        cancelled: r.cancelled,
        cancelled_by: r.cancelled_by.clone(),
    });
    HouseholdJson {
        id: s.id.clone(),
        name: name.map(str::to_string),
        tracks: tracks_json(compact, kind, s),
        total: default_column
            .and_then(|c| s.points.get(c))
            .map(|p| points(*p)),
        rating,
        ratings,
        eligible: s.eligible,
        vetoes: s
            .vetoes
            .iter()
            .map(|v| veto_json(compact, v, events_file))
            .collect(),
        dividend_fen: s.dividend_fen,
        titles: s.titles.clone(),
        groups: groups_json(compact, kind, s),
    }
}

/// 分项: per account of `kind` that has groups, each group's points for `subject`.
pub fn groups_json(
    compact: &Compact,
    kind: &KindResults,
    subject: &SubjectResult,
) -> IndexMap<String, IndexMap<String, String>> {
    let mut out = IndexMap::new();
    if subject.groups.is_empty() {
        return out;
    }
    let mut values = subject.groups.iter();
    for account in kind
        .accounts
        .iter()
        .filter_map(|a| compact.accounts.get(*a))
    {
        if account.groups.is_empty() {
            continue;
        }
        let groups: IndexMap<String, String> = account
            .groups
            .iter()
            .map(|g| {
                (
                    g.name.clone(),
                    points(values.next().copied().unwrap_or_default()),
                )
            })
            .collect();
        out.insert(account.name.clone(), groups);
    }
    out
}

/// Builds the JSON document (households and members are made while it is written).
pub fn eval_json<'a>(
    compact: &'a Compact,
    results: &'a Results,
    registers: &'a [Register],
    provenance: &'a Provenance,
) -> EvalJson<'a> {
    let summary = &results.summary;
    let events_file = provenance.path(SourceKind::Events);
    EvalJson {
        compact: CompactInfo {
            title: compact.title.clone(),
            version: compact.version.clone(),
            sources: provenance.sources(),
            files: provenance.files.clone(),
        },
        evaluated_at: provenance.time_json(),
        period: period_json(results),
        households: HouseholdsJson {
            compact,
            kind: results.kinds.iter().find(|k| k.kind == HOUSEHOLD),
            register: registers.get(HOUSEHOLD),
            events_file,
        },
        members: MembersJson {
            compact,
            results,
            registers,
            events_file,
        },
        summary: SummaryJson {
            households: summary.households,
            persons: summary.persons,
            records: summary.records + summary.bad_records,
            records_in_period: summary.in_period,
            records_outside_period: summary.before_period + summary.after_period,
            records_invalid: summary.bad_records,
            in_period_evaluated: summary.scored,
            in_period_pending: summary.pending,
            in_period_rejected: summary.rejected_in_review,
            evaluated_refused: summary.refused,
            pool_fen: results.dividend.as_ref().and_then(|d| d.pool_fen),
            distributed_fen: results.dividend.as_ref().map_or(0, |d| d.distributed_fen),
        },
    }
}
