//! The one place the program reads the calendar: the libraries take "today" from here.

use lambda_sync::aws::Date;

/// The variable that sets today's date (`YYYY-MM-DD`) instead of the clock, for tests and for
/// checking how a runtime will fare on a later day.
pub const TODAY_VAR: &str = "LAMBDA_SYNC_TODAY";

/// Today (UTC): `LAMBDA_SYNC_TODAY` when set, else the system clock.
pub fn today() -> anyhow::Result<Date> {
    match std::env::var(TODAY_VAR) {
        Ok(v) if !v.is_empty() => Date::parse(&v).map_err(|e| {
            crate::exit::usage(anyhow::anyhow!(
                "{TODAY_VAR}={v}: {e}; unset it to use the clock"
            ))
        }),
        _ => {
            let secs = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            Date::from_unix_seconds(i64::try_from(secs).unwrap_or(i64::MAX))
                .ok_or_else(|| anyhow::anyhow!("the system clock is out of range"))
        }
    }
}
