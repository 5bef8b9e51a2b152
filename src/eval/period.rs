//! Periods and windows: which period a day falls in, and the calendar month or quarter a cap
//! counts over.

use serde::Serialize;

use crate::model::MonthDay;
use crate::model::value::{Day, days_from_civil};

/// The year, month (1–12) and day (1–31) of a day number (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(day: Day) -> (i32, u32, u32) {
    let z = day + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// One evaluation period: the year starting on the compact's period start day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// The year the period starts in (2024 for 2024-01-01 – 2024-12-31, or for
    /// 2024-03-01 – 2025-02-28).
    pub year: i32,
    /// Its first day.
    pub start: Day,
    /// The day after its last day.
    pub end: Day,
}

impl Period {
    /// The period starting in `year`.
    pub fn starting(year: i32, start: MonthDay) -> Period {
        let first = day_in_year(year, start);
        let next = day_in_year(year + 1, start);
        Period {
            year,
            start: first,
            end: next,
        }
    }

    /// The period that `day` falls in.
    pub fn containing(day: Day, start: MonthDay) -> Period {
        let (year, _, _) = civil_from_days(day);
        let this = Period::starting(year, start);
        if day < this.start {
            Period::starting(year - 1, start)
        } else {
            this
        }
    }

    /// Whether `day` is in the period.
    pub fn contains(&self, day: Day) -> bool {
        self.start <= day && day < self.end
    }

    /// The last day of the period.
    pub fn last_day(&self) -> Day {
        self.end - 1
    }

    /// The period before this one.
    pub fn previous(&self, start: MonthDay) -> Period {
        Period::starting(self.year - 1, start)
    }

    /// Its name for people: 2024年度, or 2024—2025年度 when it does not start on 1月1日.
    pub fn label(&self) -> String {
        let (_, month, day) = civil_from_days(self.start);
        if month == 1 && day == 1 {
            format!("{}年度", self.year)
        } else {
            format!("{}—{}年度", self.year, self.year + 1)
        }
    }
}

/// How the evaluated period was chosen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum PeriodSource {
    /// 记录最多的年度 — the period holding the most records of the log (ties: the latest).
    #[default]
    MostRecords,
    /// 命令行指定 — named with `--period`.
    Given,
}

impl PeriodSource {
    /// Its name for people (also the JSON value).
    pub fn label(self) -> &'static str {
        match self {
            PeriodSource::MostRecords => "记录最多的年度",
            PeriodSource::Given => "命令行指定",
        }
    }
}

/// How many records of a log fall in each period, in the order of the periods.
///
/// Records come in date order, so a record almost always falls in the last period counted: it
/// is one comparison, not a calendar computation, per record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PeriodCounts {
    counts: Vec<(Period, u64)>,
}

impl PeriodCounts {
    /// Counts a record dated `day`, in periods starting on `start`.
    pub fn add(&mut self, day: Day, start: MonthDay) {
        if let Some((period, count)) = self.counts.last_mut()
            && period.contains(day)
        {
            *count += 1;
            return;
        }
        self.add_many(Period::containing(day, start), 1);
    }

    /// Adds `count` records of `period`.
    fn add_many(&mut self, period: Period, count: u64) {
        match self
            .counts
            .binary_search_by_key(&period.year, |(p, _)| p.year)
        {
            Ok(at) => {
                if let Some((_, c)) = self.counts.get_mut(at) {
                    *c += count;
                }
            }
            Err(at) => self.counts.insert(at, (period, count)),
        }
    }

    /// Adds another part's counts (a shard's).
    pub fn merge(&mut self, other: &PeriodCounts) {
        for &(period, count) in &other.counts {
            self.add_many(period, count);
        }
    }

    /// The period holding the most records; of several holding as many, the latest — the one
    /// a village is most likely closing now, and the one chosen before counts were kept.
    pub fn most(&self) -> Option<Period> {
        self.counts
            .iter()
            .max_by_key(|(p, count)| (*count, p.year))
            .map(|(p, _)| *p)
    }

    /// The records counted in the period starting in `year`.
    pub fn in_year(&self, year: i32) -> u64 {
        self.counts
            .iter()
            .find(|(p, _)| p.year == year)
            .map_or(0, |(_, c)| *c)
    }

    /// Every record counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().map(|(_, c)| c).sum()
    }

    /// The periods other than the one starting in `year`, with their counts, in order.
    pub fn others(&self, year: i32) -> impl Iterator<Item = (Period, u64)> + '_ {
        self.counts
            .iter()
            .filter(move |(p, _)| p.year != year)
            .copied()
    }
}

/// The day `start` of `year`; 2月29日 in a year without one is 3月1日.
fn day_in_year(year: i32, start: MonthDay) -> Day {
    let (month, day) = (u32::from(start.month), u32::from(start.day));
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if month == 2 && day == 29 && !leap {
        days_from_civil(year, 3, 1)
    } else {
        days_from_civil(year, month, day)
    }
}

/// A key for the calendar month of `day` (distinct for every month of every year).
pub fn month_key(day: Day) -> i32 {
    let (year, month, _) = civil_from_days(day);
    year * 12 + i32::try_from(month).unwrap_or(1)
}

/// A key for the calendar quarter of `day`.
pub fn quarter_key(day: Day) -> i32 {
    let (year, month, _) = civil_from_days(day);
    year * 4 + i32::try_from((month - 1) / 3).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::value::parse_date;

    fn day(text: &str) -> Day {
        parse_date(text).unwrap_or_default()
    }

    #[test]
    fn civil_from_days_inverts_days_from_civil() {
        for d in (-200_000..200_000).step_by(97) {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    #[test]
    fn calendar_year_periods() {
        let start = MonthDay { month: 1, day: 1 };
        let p = Period::containing(day("2024-07-01"), start);
        assert_eq!(
            (p.year, p.start, p.end),
            (2024, day("2024-01-01"), day("2025-01-01"))
        );
        assert_eq!(p.label(), "2024年度");
        assert!(p.contains(day("2024-12-31")) && !p.contains(day("2025-01-01")));
    }

    #[test]
    fn periods_starting_on_another_day() {
        let start = MonthDay { month: 3, day: 1 };
        let p = Period::containing(day("2025-02-28"), start);
        assert_eq!(p.year, 2024);
        assert_eq!(p.start, day("2024-03-01"));
        assert_eq!(p.end, day("2025-03-01"));
        assert_eq!(p.label(), "2024—2025年度");
        assert_eq!(Period::containing(day("2025-03-01"), start).year, 2025);
    }

    #[test]
    fn counts_choose_the_period_with_most_records_and_the_latest_of_a_tie() {
        let start = MonthDay { month: 1, day: 1 };
        let mut counts = PeriodCounts::default();
        for d in ["2023-05-01", "2024-01-01", "2024-02-01", "2042-06-01"] {
            counts.add(day(d), start);
        }
        assert_eq!(counts.most().map(|p| p.year), Some(2024));
        assert_eq!(counts.total(), 4);
        assert_eq!(counts.in_year(2024), 2);
        let others: Vec<_> = counts.others(2024).map(|(p, c)| (p.year, c)).collect();
        assert_eq!(others, vec![(2023, 1), (2042, 1)]);
        // A tie goes to the latest period, whatever the order the parts are merged in.
        let mut a = PeriodCounts::default();
        a.add(day("2025-03-01"), start);
        let mut b = PeriodCounts::default();
        b.add(day("2022-03-01"), start);
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert_eq!(ab.most().map(|p| p.year), Some(2025));
        assert_eq!(PeriodCounts::default().most(), None);
    }

    #[test]
    fn months_and_quarters_are_calendar_ones() {
        assert_eq!(month_key(day("2024-03-31")), month_key(day("2024-03-01")));
        assert_ne!(month_key(day("2024-03-31")), month_key(day("2024-04-01")));
        assert_eq!(
            quarter_key(day("2024-04-01")),
            quarter_key(day("2024-06-30"))
        );
        assert_ne!(
            quarter_key(day("2024-03-31")),
            quarter_key(day("2024-04-01"))
        );
    }
}
