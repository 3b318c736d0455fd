//! Business-hours durations: the time between two instants that falls within the
//! calendar's openings, exact to the second across days, weekends, holidays and DST.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};

use crate::model::Calendar;

/// The seconds of `[from, to)` that fall within the openings of `calendar`; zero when
/// `to` is not after `from`. An instant before an opening counts from the opening, so a
/// row created at night starts at the next opening. Openings are local times of the
/// calendar's zone, converted day by day, so a day with a DST change is as long as it
/// really is.
pub fn business_seconds(calendar: &Calendar, from: Timestamp, to: Timestamp) -> i64 {
    if to <= from {
        return 0;
    }
    let tz = &calendar.time_zone;
    let (first, last) = (tz.to_datetime(from).date(), tz.to_datetime(to).date());
    let mut total = 0;
    let mut day = first;
    while day <= last {
        for opening in calendar.openings(day) {
            let (Some(open), Some(close)) = (
                instant(calendar, day, opening.start),
                instant(calendar, day, opening.end),
            ) else {
                continue;
            };
            let start = open.max(from);
            let end = close.min(to);
            if end > start {
                total += end.as_second() - start.as_second();
            }
        }
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    total
}

/// The instant of `minute` (from local midnight, up to 1440) on `day`. A local time the
/// clocks skip (02:30 on a spring-forward night) is the instant the clocks reach after
/// the gap, as most calendars read it.
fn instant(calendar: &Calendar, day: Date, minute: u16) -> Option<Timestamp> {
    let (day, minute) = if minute >= 1440 {
        (day.tomorrow().ok()?, minute - 1440)
    } else {
        (day, minute)
    };
    let local = DateTime::new(
        day.year(),
        day.month(),
        day.day(),
        i8::try_from(minute / 60).ok()?,
        i8::try_from(minute % 60).ok()?,
        0,
        0,
    )
    .ok()?;
    calendar
        .time_zone
        .to_ambiguous_timestamp(local)
        .compatible()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Opening;
    use jiff::tz::TimeZone;

    /// Mon-fri 08:00-19:00 in Madrid, with Epiphany (Tuesday 2026-01-06) a holiday.
    fn madrid() -> Calendar {
        let mut calendar = Calendar {
            time_zone: TimeZone::get("Europe/Madrid").expect("bundled zone"),
            ..Calendar::default()
        };
        for day in &mut calendar.week[..5] {
            day.push(Opening {
                start: 8 * 60,
                end: 19 * 60,
            });
        }
        calendar.holidays.insert(jiff::civil::date(2026, 1, 6));
        calendar
    }

    /// Minutes between two local times of Madrid.
    fn minutes(calendar: &Calendar, from: &str, to: &str) -> i64 {
        let at = |s: &str| {
            let local: DateTime = s.parse().expect("a local time");
            calendar
                .time_zone
                .to_ambiguous_timestamp(local)
                .compatible()
                .expect("exists")
        };
        let seconds = business_seconds(calendar, at(from), at(to));
        assert_eq!(seconds % 60, 0, "whole minutes");
        seconds / 60
    }

    #[test]
    fn within_one_opening_it_is_the_plain_difference() {
        // Monday 2026-03-02, 09:00 to 09:04.
        assert_eq!(
            minutes(&madrid(), "2026-03-02T09:00", "2026-03-02T09:04"),
            4
        );
    }

    #[test]
    fn a_row_created_outside_hours_starts_at_the_next_opening() {
        let c = madrid();
        // 07:00 is before the 08:00 opening: 10 minutes, not 70.
        assert_eq!(minutes(&c, "2026-03-02T07:00", "2026-03-02T08:10"), 10);
        // Monday 22:00 to Tuesday 08:05: the night is closed.
        assert_eq!(minutes(&c, "2026-03-02T22:00", "2026-03-03T08:05"), 5);
        // Friday 20:00 to Monday 08:05: after closing, and the weekend.
        assert_eq!(minutes(&c, "2026-03-06T20:00", "2026-03-09T08:05"), 5);
        // Friday 18:30 to Monday 08:30: 30 minutes on each side of the weekend.
        assert_eq!(minutes(&c, "2026-03-06T18:30", "2026-03-09T08:30"), 60);
        // Both ends within closed time: nothing.
        assert_eq!(minutes(&c, "2026-03-07T10:00", "2026-03-08T12:00"), 0);
        // An end before its start counts nothing.
        assert_eq!(minutes(&c, "2026-03-02T10:00", "2026-03-02T09:00"), 0);
    }

    #[test]
    fn a_dst_weekend_in_madrid_is_counted_in_local_hours() {
        let c = madrid();
        // Clocks go forward on Sunday 2026-03-29 (UTC+1 to UTC+2): Friday 18:30 to
        // Monday 08:30 is 61 hours of real time, but 30 + 30 business minutes.
        assert_eq!(minutes(&c, "2026-03-27T18:30", "2026-03-30T08:30"), 60);
        // And back on Sunday 2026-10-25.
        assert_eq!(minutes(&c, "2026-10-23T18:30", "2026-10-26T08:30"), 60);
        // Open all Sunday: the spring Sunday has 23 hours, the autumn one 25.
        let mut sundays = c.clone();
        sundays.week[6].push(Opening {
            start: 0,
            end: 1440,
        });
        assert_eq!(
            minutes(&sundays, "2026-03-28T23:00", "2026-03-30T00:00"),
            23 * 60
        );
        assert_eq!(
            minutes(&sundays, "2026-10-24T23:00", "2026-10-26T00:00"),
            25 * 60
        );
    }

    #[test]
    fn a_holiday_is_closed_all_day() {
        // Monday 2026-01-05 18:00 to Wednesday 09:00, across Epiphany: 60 + 60.
        assert_eq!(
            minutes(&madrid(), "2026-01-05T18:00", "2026-01-07T09:00"),
            120
        );
        // Created on the holiday: it starts on Wednesday at 08:00.
        assert_eq!(
            minutes(&madrid(), "2026-01-06T10:00", "2026-01-07T08:04"),
            4
        );
    }

    #[test]
    fn several_openings_a_day_skip_the_gap() {
        let mut c = madrid();
        c.week[0] = vec![
            Opening {
                start: 9 * 60,
                end: 14 * 60,
            },
            Opening {
                start: 16 * 60,
                end: 19 * 60,
            },
        ];
        // Monday 13:50 to 16:10: 10 minutes before lunch, 10 after.
        assert_eq!(minutes(&c, "2026-03-02T13:50", "2026-03-02T16:10"), 20);
    }
}
