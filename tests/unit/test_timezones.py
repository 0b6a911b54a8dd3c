"""A class's clock and UTC: what a teacher types, what is stored, what everyone reads.

The review: "Due dates must be typed in UTC (convert it before you enter it)". The cases
below include both clock changes of America/New_York and Europe/London, and Asia/Almaty
(UTC+5 all year since 2024, so no gap or fold).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain import timezones as tz


def test_a_time_typed_in_almaty_is_stored_five_hours_earlier_in_utc() -> None:
    assert tz.to_utc(datetime(2026, 3, 2, 15, 0), "Asia/Almaty") == datetime(
        2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(("local", "zone", "utc"), [
    # New York: EST (UTC−5) in winter, EDT (UTC−4) in summer.
    (datetime(2026, 1, 15, 9, 0), "America/New_York", datetime(2026, 1, 15, 14, 0)),
    (datetime(2026, 7, 15, 9, 0), "America/New_York", datetime(2026, 7, 15, 13, 0)),
    # London: GMT in winter, BST (UTC+1) in summer.
    (datetime(2026, 1, 15, 9, 0), "Europe/London", datetime(2026, 1, 15, 9, 0)),
    (datetime(2026, 7, 15, 9, 0), "Europe/London", datetime(2026, 7, 15, 8, 0)),
    # Just either side of New York's spring gap (02:00 -> 03:00 on 2026-03-08).
    (datetime(2026, 3, 8, 1, 59), "America/New_York", datetime(2026, 3, 8, 6, 59)),
    (datetime(2026, 3, 8, 3, 0), "America/New_York", datetime(2026, 3, 8, 7, 0)),
    (datetime(2026, 3, 2, 15, 0), "UTC", datetime(2026, 3, 2, 15, 0)),
])
def test_local_times_become_utc_by_the_offset_in_force_that_day(local, zone, utc) -> None:
    assert tz.to_utc(local, zone) == utc.replace(tzinfo=UTC)


@pytest.mark.parametrize(("local", "zone", "start", "end"), [
    (datetime(2026, 3, 8, 2, 30), "America/New_York", "02:00", "03:00"),
    (datetime(2026, 3, 8, 2, 0), "America/New_York", "02:00", "03:00"),
    (datetime(2026, 3, 29, 1, 15), "Europe/London", "01:00", "02:00"),
])
def test_a_time_the_clocks_skip_is_refused_with_what_to_type_instead(local, zone, start,
                                                                      end) -> None:
    with pytest.raises(tz.NonexistentTime) as refused:
        tz.to_utc(local, zone)
    message = str(refused.value)
    assert f"does not exist in {zone}" in message
    assert f"go forward from {start} to {end}" in message
    assert f"Choose a time before {start} or from {end} on." in message


@pytest.mark.parametrize(("local", "zone", "first"), [
    # New York falls back 02:00 EDT -> 01:00 EST on 2026-11-01: 01:30 happens twice.
    (datetime(2026, 11, 1, 1, 30), "America/New_York", datetime(2026, 11, 1, 5, 30)),
    # London falls back 02:00 BST -> 01:00 GMT on 2026-10-25.
    (datetime(2026, 10, 25, 1, 30), "Europe/London", datetime(2026, 10, 25, 0, 30)),
])
def test_a_time_the_clocks_show_twice_means_the_first_time(local, zone, first) -> None:
    assert tz.is_ambiguous(local, zone)
    assert tz.to_utc(local, zone) == first.replace(tzinfo=UTC)
    # Read back, it is the same wall time, and the abbreviation says which of the two.
    shown = tz.shown(tz.to_utc(local, zone), zone)
    assert shown.text.startswith(local.strftime("%Y-%m-%d %H:%M"))
    assert shown.text.endswith("EDT" if zone == "America/New_York" else "BST")


def test_ordinary_times_and_zones_without_summer_time_are_not_ambiguous() -> None:
    assert not tz.is_ambiguous(datetime(2026, 11, 1, 3, 30), "America/New_York")
    assert not tz.is_ambiguous(datetime(2026, 3, 8, 2, 30), "America/New_York")  # a gap
    for month in range(1, 13):
        assert not tz.is_ambiguous(datetime(2026, month, 1, 1, 30), "Asia/Almaty")


@pytest.mark.parametrize("zone", ["Asia/Almaty", "America/New_York", "Europe/London", "UTC"])
def test_every_minute_of_a_change_day_round_trips(zone) -> None:
    start = datetime(2026, 3, 8, 0, 0) if zone == "America/New_York" else datetime(
        2026, 3, 29, 0, 0)
    for minute in range(0, 24 * 60, 7):
        local = start + timedelta(minutes=minute)
        try:
            moment = tz.to_utc(local, zone)
        except tz.NonexistentTime:
            continue
        assert tz.to_local(moment, zone).replace(tzinfo=None) == local
        assert tz.input_value(moment, zone) == local.strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(("moment", "zone", "text", "title"), [
    (datetime(2026, 3, 2, 10, 0), "Asia/Almaty", "2026-03-02 15:00 Almaty time",
     "Asia/Almaty, UTC+05:00"),
    (datetime(2026, 1, 15, 14, 0), "America/New_York", "2026-01-15 09:00 EST",
     "America/New_York, UTC−05:00"),
    (datetime(2026, 7, 15, 13, 0), "America/New_York", "2026-07-15 09:00 EDT",
     "America/New_York, UTC−04:00"),
    (datetime(2026, 1, 15, 9, 0), "Europe/London", "2026-01-15 09:00 GMT",
     "Europe/London, UTC"),
    (datetime(2026, 7, 15, 8, 0), "Europe/London", "2026-07-15 09:00 BST",
     "Europe/London, UTC+01:00"),
    (datetime(2026, 3, 2, 15, 0), "UTC", "2026-03-02 15:00 UTC", "UTC"),
    (datetime(2026, 3, 2, 15, 0), "America/Argentina/Buenos_Aires",
     "2026-03-02 12:00 Buenos Aires time", "America/Argentina/Buenos_Aires, UTC−03:00"),
])
def test_a_stored_moment_reads_on_the_class_clock_with_its_zone(moment, zone, text,
                                                                title) -> None:
    shown = tz.shown(moment.replace(tzinfo=UTC), zone)
    assert (shown.text, shown.title) == (text, title)
    assert shown.iso == moment.replace(tzinfo=UTC).isoformat()


@pytest.mark.parametrize(("typed", "name"), [
    ("Asia/Almaty", "Asia/Almaty"), ("asia/almaty", "Asia/Almaty"),
    (" Europe/London ", "Europe/London"), ("UTC", "UTC"), ("US/Eastern", "US/Eastern"),
])
def test_zone_names_are_read_whatever_their_capitals(typed, name) -> None:
    assert tz.canonical_name(typed) == name


@pytest.mark.parametrize("typed", [
    "", "   ", "Mars/Olympus_Mons", "localtime", "Factory", "../../etc/passwd",
    "Asia/Almaty\x00", "A" * 500, "Asia/Almaty; DROP TABLE",
])
def test_anything_else_is_refused_with_a_message(typed) -> None:
    with pytest.raises(tz.ZoneProblem) as refused:
        tz.canonical_name(typed)
    assert str(refused.value)
    assert len(str(refused.value)) < 200


def test_the_list_offers_places_by_region_with_utc_first() -> None:
    groups = dict(tz.zone_groups())
    assert list(groups)[0] == "Universal" and groups["Universal"] == ["UTC"]
    assert "Asia/Almaty" in groups["Asia"] and "Europe/London" in groups["Europe"]
    assert "America/New_York" in groups["America"]
    offered = {name for names in groups.values() for name in names}
    assert "US/Eastern" not in offered and "EST5EDT" not in offered
    assert offered <= tz.known_zones()


def test_naive_and_aware_times_are_not_mixed_up() -> None:
    with pytest.raises(ValueError, match="naive"):
        tz.to_utc(datetime(2026, 3, 2, 15, 0, tzinfo=UTC), "Asia/Almaty")
    with pytest.raises(ValueError, match="aware"):
        tz.to_local(datetime(2026, 3, 2, 15, 0), "Asia/Almaty")


@pytest.mark.parametrize(("offset", "text"), [
    (timedelta(hours=5), "UTC+05:00"), (timedelta(hours=-3, minutes=-30), "UTC−03:30"),
    (timedelta(0), "UTC"), (None, "UTC"), (timedelta(hours=5, minutes=45), "UTC+05:45"),
])
def test_offsets_read_as_utc_plus_or_minus(offset, text) -> None:
    assert tz.offset_text(offset) == text
