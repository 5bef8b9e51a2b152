//! Errors in registers and event logs: every one names the file, the line, the column and the
//! value, says what was expected, and gives a hint where there is one (the closest 事项 name,
//! the closest 户号).

use miette::Diagnostic;
use thiserror::Error;

/// Where a cell is: file, line (1-based; the header is line 1 in tables) and column name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file as given on the command line.
    pub file: String,
    /// The line (CSV, JSON Lines) or row (XLSX), from 1.
    pub line: u64,
    /// The column's name, when the error is about one cell.
    pub column: Option<String>,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(column) => write!(f, "{} 第 {} 行「{column}」列", self.file, self.line),
            None => write!(f, "{} 第 {} 行", self.file, self.line),
        }
    }
}

fn suggestion_help(suggestions: &[String], otherwise: &str) -> String {
    match suggestions {
        [] => otherwise.to_string(),
        [one] => format!("是不是「{one}」？"),
        [first @ .., last] => format!(
            "是不是{}或「{last}」？",
            first
                .iter()
                .map(|s| format!("「{s}」"))
                .collect::<Vec<_>>()
                .join("、")
        ),
    }
}

/// An error in a register or event log.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum DataError {
    /// E0201 — the file cannot be read at all (missing, not a table, broken encoding, broken
    /// JSON or workbook).
    #[error("无法读取 {file}：{reason}")]
    #[diagnostic(code(E0201), help("{help}"))]
    CannotRead {
        file: String,
        reason: String,
        help: String,
    },

    /// E0202 — a required column is missing from the header (for a field, reported at the first
    /// record that needs it).
    #[error("{file} 缺少「{column}」列")]
    #[diagnostic(code(E0202), help("第一行是列名；现有的列：{found}。{hint}"))]
    MissingColumn {
        file: String,
        column: String,
        found: String,
        hint: String,
    },

    /// E0203 — a 户号 (or person) that the register does not list.
    #[error("{place}：{what}「{value}」不在{register}中")]
    #[diagnostic(
        code(E0203),
        help(
            "{}",
            suggestion_help(suggestions, "先在户籍（花名册）中登记，或检查这一格的写法")
        )
    )]
    UnknownSubject {
        place: Place,
        what: String,
        value: String,
        register: String,
        suggestions: Vec<String>,
    },

    /// E0204 — an event kind (事项) that the compact does not declare.
    #[error("{place}：乡约里没有事项「{value}」")]
    #[diagnostic(
        code(E0204),
        help(
            "{}",
            suggestion_help(
                suggestion.as_slice(),
                "事项名称要与乡约里的 事项 声明一字不差；新的事项要先写进乡约"
            )
        )
    )]
    UnknownEvent {
        place: Place,
        value: String,
        suggestion: Option<String>,
    },

    /// E0205 — a date that cannot be read or does not exist.
    #[error("{place}：「{value}」不是日期")]
    #[diagnostic(code(E0205), help("写成 2024-03-05、2024/3/5 或 2024年3月5日"))]
    BadDate { place: Place, value: String },

    /// E0206 — a value that does not fit the declared type (a number field with text, an
    /// option that is not among the options).
    #[error("{place}：「{value}」不是{expected}")]
    #[diagnostic(code(E0206), help("{hint}"))]
    BadValue {
        place: Place,
        value: String,
        expected: String,
        hint: String,
    },

    /// E0207 — a required cell is empty.
    #[error("{place}：这一格不能空着")]
    #[diagnostic(code(E0207), help("{hint}"))]
    MissingValue { place: Place, hint: String },

    /// E0208 — a 审核 status other than 通过, 待审, 驳回.
    #[error("{place}：审核状态「{value}」看不懂")]
    #[diagnostic(code(E0208), help("审核一列写 通过、待审 或 驳回；空着算作通过"))]
    BadStatus { place: Place, value: String },

    /// E0209 — the same 户号 (or person) twice in a register.
    #[error("{place}：「{value}」登记了两次（第一次在第 {first_line} 行）")]
    #[diagnostic(
        code(E0209),
        help("每户（每人）只登记一行；合并这两行，或改正其中一个编号")
    )]
    DuplicateSubject {
        place: Place,
        value: String,
        first_line: u64,
    },

    /// E0210 — a row that cannot be read as a row of the table (wrong number of cells, a
    /// JSON line that is not an object, a key that is not a column).
    #[error("{place}：{reason}")]
    #[diagnostic(code(E0210), help("{hint}"))]
    BadRow {
        place: Place,
        reason: String,
        hint: String,
    },

    /// E0220 — a record dated after today (a mistyped year, such as 2042 for 2024). Its period
    /// would otherwise be taken for the one to compute.
    #[error("{place}：日期「{value}」在今天（{today}）之后")]
    #[diagnostic(
        code(E0220),
        help(
            "改正这条记录的日期（常见的是年份打错）；确要计算今天以后的记录时加上 --allow-future"
        )
    )]
    FutureDate {
        place: Place,
        value: String,
        today: String,
    },

    /// E0216 — a number too large (10^12 or more) or with too many decimals (more than 10).
    #[error("{place}：「{value}」{reason}")]
    #[diagnostic(code(E0216), help("{hint}"))]
    NumberOutOfRange {
        place: Place,
        value: String,
        reason: String,
        hint: String,
    },

    /// E0211 — a 人员 record whose 户号 is not the person's household in the roster.
    #[error("{place}：{person}「{id}」是户「{registered}」的人，这里写的户号是「{written}」")]
    #[diagnostic(
        code(E0211),
        help("{roster}里「{id}」的户号是「{registered}」；改成「{registered}」，或改正人员编号")
    )]
    WrongHousehold {
        place: Place,
        person: String,
        id: String,
        registered: String,
        written: String,
        roster: String,
    },

    /// E0212 — a negative 数量 or 金额 (days, hours, yuan): these are never below zero.
    #[error("{place}：「{value}」是负数，{what}不能小于零")]
    #[diagnostic(code(E0212), help("{hint}"))]
    NegativeValue {
        place: Place,
        value: String,
        what: String,
        hint: String,
    },

    /// E0213 — two records with one 编号.
    #[error("{place}：编号「{value}」第 {first_line} 行已经用过")]
    #[diagnostic(
        code(E0213),
        help("同一件事只记一行：删去重复的第 {line} 行；若是两件事，改正其中一个编号")
    )]
    RepeatedRecord {
        place: Place,
        value: String,
        first_line: u64,
        line: u64,
    },

    /// E0214 — two columns of one name in the header.
    #[error("{file} 有两列都叫「{column}」（第 {first} 列和第 {second} 列）")]
    #[diagnostic(code(E0214), help("每列一个名字：删去多余的一列，或把其中一列改名"))]
    DuplicateColumn {
        file: String,
        column: String,
        first: usize,
        second: usize,
    },

    /// E0215 — a date cell holding an Excel date serial (45356) instead of a date.
    #[error("{place}：「{value}」是 Excel 的日期序号（{date}），不是写出来的日期")]
    #[diagnostic(
        code(E0215),
        help("在 Excel 或 WPS 里把这一列设成日期格式再另存，或直接写成 {date}")
    )]
    ExcelSerialDate {
        place: Place,
        value: String,
        date: String,
    },
}

impl DataError {
    /// The cell or row the error is about; `None` for whole-file errors.
    fn place(&self) -> Option<&Place> {
        match self {
            DataError::CannotRead { .. }
            | DataError::MissingColumn { .. }
            | DataError::DuplicateColumn { .. } => None,
            DataError::UnknownSubject { place, .. }
            | DataError::UnknownEvent { place, .. }
            | DataError::BadDate { place, .. }
            | DataError::BadValue { place, .. }
            | DataError::MissingValue { place, .. }
            | DataError::BadStatus { place, .. }
            | DataError::DuplicateSubject { place, .. }
            | DataError::BadRow { place, .. }
            | DataError::FutureDate { place, .. }
            | DataError::WrongHousehold { place, .. }
            | DataError::NumberOutOfRange { place, .. }
            | DataError::NegativeValue { place, .. }
            | DataError::RepeatedRecord { place, .. }
            | DataError::ExcelSerialDate { place, .. } => Some(place),
        }
    }

    /// The line the error is on (0 for whole-file errors), for sorting.
    pub fn line(&self) -> u64 {
        self.place().map_or(0, |place| place.line)
    }

    /// The column's name, when the error is about one cell or one column.
    pub fn column(&self) -> Option<&str> {
        match self {
            DataError::MissingColumn { column, .. } | DataError::DuplicateColumn { column, .. } => {
                Some(column)
            }
            _ => self.place().and_then(|place| place.column.as_deref()),
        }
    }

    /// The stable code.
    pub fn code(&self) -> String {
        self.code_str().to_string()
    }

    fn code_str(&self) -> &'static str {
        match self {
            DataError::CannotRead { .. } => "E0201",
            DataError::MissingColumn { .. } => "E0202",
            DataError::UnknownSubject { .. } => "E0203",
            DataError::UnknownEvent { .. } => "E0204",
            DataError::BadDate { .. } => "E0205",
            DataError::BadValue { .. } => "E0206",
            DataError::MissingValue { .. } => "E0207",
            DataError::BadStatus { .. } => "E0208",
            DataError::DuplicateSubject { .. } => "E0209",
            DataError::BadRow { .. } => "E0210",
            DataError::FutureDate { .. } => "E0220",
            DataError::WrongHousehold { .. } => "E0211",
            DataError::NumberOutOfRange { .. } => "E0216",
            DataError::NegativeValue { .. } => "E0212",
            DataError::RepeatedRecord { .. } => "E0213",
            DataError::DuplicateColumn { .. } => "E0214",
            DataError::ExcelSerialDate { .. } => "E0215",
        }
    }

    /// The file the error is in.
    pub fn file(&self) -> &str {
        match self {
            DataError::CannotRead { file, .. }
            | DataError::MissingColumn { file, .. }
            | DataError::DuplicateColumn { file, .. } => file,
            _ => self.place().map_or("", |place| &place.file),
        }
    }
}

/// Something worth saying about a table that is not an error.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic)]
pub enum DataWarning {
    /// W0201 — columns that the compact does not declare are not used.
    #[error("{file} 中的列{columns}乡约里没有声明，未使用")]
    #[diagnostic(
        code(W0201),
        severity(Warning),
        help("若这些列应参与计分，先在乡约的户籍或事项里声明它们")
    )]
    IgnoredColumns { file: String, columns: String },

    /// W0202 — a field column is missing but its records can do without it: an empty yes/no
    /// field counts as 否, an empty text as empty.
    #[error("{file} 没有「{column}」列，「{event}」的记录都按{default}计")]
    #[diagnostic(
        code(W0202),
        severity(Warning),
        help("若有的记录不是这样，在事项记录里加上「{column}」列")
    )]
    MissingFieldColumn {
        file: String,
        column: String,
        event: String,
        default: String,
    },

    /// W0210 — the period computed starts before the compact's 生效 date: its records are
    /// scored under a compact not yet in force.
    #[error("计算的年度「{period}」从 {start} 起，早于乡约的生效日期 {effective}")]
    #[diagnostic(
        code(W0210),
        severity(Warning),
        help(
            "这一年度的记录按尚未生效的乡约计分；用 --period 指明乡约生效以后的年度，或检查事项记录的日期"
        )
    )]
    PeriodBeforeEffective {
        file: String,
        period: String,
        start: String,
        effective: String,
    },

    /// W0211 — the period computed holds fewer than half of the log's records.
    #[error("{file} 共 {total} 条记录，计算的年度「{period}」只有 {records} 条；其余在 {others}")]
    #[diagnostic(
        code(W0211),
        severity(Warning),
        help("用 --period 指明要计算的年度；若是记录的日期写错了，改正后再运行")
    )]
    FewRecordsInPeriod {
        file: String,
        period: String,
        records: u64,
        total: u64,
        others: String,
    },

    /// W0203 — rows written twice or more, exactly alike, in a log without 编号: each is
    /// counted (they may be real repeats), and the lines are listed.
    #[error("{file} 中有完全相同的行，每行都作为一条记录照条文计分：{groups}")]
    #[diagnostic(
        code(W0203),
        severity(Warning),
        help("若是重复录入，删去多余的行；若确是几件事，加一列「编号」把它们分开")
    )]
    IdenticalRows { file: String, groups: String },
}

impl DataWarning {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            DataWarning::IgnoredColumns { .. } => "W0201",
            DataWarning::MissingFieldColumn { .. } => "W0202",
            DataWarning::PeriodBeforeEffective { .. } => "W0210",
            DataWarning::FewRecordsInPeriod { .. } => "W0211",
            DataWarning::IdenticalRows { .. } => "W0203",
        }
    }

    /// The file the warning is about.
    pub fn file(&self) -> &str {
        match self {
            DataWarning::IgnoredColumns { file, .. }
            | DataWarning::MissingFieldColumn { file, .. }
            | DataWarning::PeriodBeforeEffective { file, .. }
            | DataWarning::FewRecordsInPeriod { file, .. }
            | DataWarning::IdenticalRows { file, .. } => file,
        }
    }
}
