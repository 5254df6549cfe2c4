//! A calendar date, so that runtime checks can be given "today" instead of reading a clock: the
//! one civil-date calculation of the workspace (days since 1970-01-01 to and from a date).

use std::fmt;

/// A string that is not a date of the form `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date {0:?}: expected YYYY-MM-DD")]
pub struct InvalidDate(pub String);

type Result<T> = std::result::Result<T, InvalidDate>;

/// A proleptic Gregorian calendar date (UTC), ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year (`2026`).
    pub y: u16,
    /// Month, 1–12.
    pub m: u8,
    /// Day of the month, 1–31.
    pub d: u8,
}

impl Date {
    /// A date from its parts, or `None` when it does not exist (`2026-02-30`).
    pub fn new(y: u16, m: u8, d: u8) -> Option<Date> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        Some(Date { y, m, d })
    }

    /// Parses `YYYY-MM-DD` (exactly that form).
    ///
    /// ```
    /// let d = lambda_sync_aws::Date::parse("2026-11-28").unwrap();
    /// assert_eq!((d.y, d.m, d.d), (2026, 11, 28));
    /// assert!(lambda_sync_aws::Date::parse("2026-02-30").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Date> {
        let bad = || InvalidDate(s.to_string());
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u16> {
            let part = &s[r];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        Date::new(y, m as u8, d as u8).ok_or_else(bad)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.y) - i64::from(self.m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.m);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01 (before, when negative); `None` outside the years
    /// 0–65535.
    ///
    /// ```
    /// use lambda_sync_aws::Date;
    /// assert_eq!(Date::from_days_since_epoch(0).unwrap().to_string(), "1970-01-01");
    /// assert_eq!(Date::from_days_since_epoch(20_785).unwrap().to_string(), "2026-11-28");
    /// ```
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days.
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date::new(u16::try_from(y).ok()?, m, d)
    }

    /// The UTC date of a moment given as seconds since the Unix epoch.
    ///
    /// ```
    /// use lambda_sync_aws::Date;
    /// assert_eq!(Date::from_unix_seconds(951_782_400).unwrap().to_string(), "2000-02-29");
    /// ```
    pub fn from_unix_seconds(secs: i64) -> Option<Date> {
        Date::from_days_since_epoch(secs.div_euclid(86_400))
    }
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl std::str::FromStr for Date {
    type Err = InvalidDate;
    fn from_str(s: &str) -> Result<Date> {
        Date::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn civil_dates_round_trip() {
        for days in (-719_468..2_000_000).step_by(97) {
            let d = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(d.days_since_epoch(), days, "{d}");
        }
        assert_eq!(
            Date::from_days_since_epoch(11_016).unwrap(),
            Date::new(2000, 2, 29).unwrap()
        );
        assert_eq!(Date::from_days_since_epoch(-1_000_000), None);
    }
}
