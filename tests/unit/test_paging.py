"""Page arithmetic: which students a page shows, how it says so, what the pager links to."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.paging import Page, parse_page


@pytest.mark.parametrize(("raw", "number"), [(None, 1), ("", 1), ("1", 1), ("3", 3),
                                             ("007", 7), ("999999", 999999)])
def test_a_page_parameter_is_a_whole_number_from_1(raw, number):
    assert parse_page(raw) == number


@pytest.mark.parametrize("raw", ["0", "000", "-1", "+2", "abc", "2.0", " 2", "2 ", "1e3",
                                 "١", "²", "1000000", "9" * 400])
def test_anything_else_is_refused_with_a_reason(raw):
    with pytest.raises(ValueError, match="whole number from 1 up"):
        parse_page(raw)


def test_a_thousand_students_make_ten_pages_of_a_hundred():
    second = Page(2, 100, 1000)
    assert (second.count, second.start, second.stop) == (10, 100, 200)
    assert second.label("Students") == "Students 101–200 of 1,000"
    assert (second.previous, second.next) == (1, 3)
    last = Page(10, 100, 1000)
    assert last.label("Students") == "Students 901–1,000 of 1,000"
    assert (last.previous, last.next, last.exists) == (9, None, True)
    assert not Page(11, 100, 1000).exists


def test_the_last_page_holds_the_rest():
    third = Page(3, 100, 250)
    assert (third.count, third.start, third.stop) == (3, 200, 250)
    assert third.label("Students") == "Students 201–250 of 250"
    assert [n for n in range(1, 6) if Page(n, 100, 250).exists] == [1, 2, 3]


def test_a_short_or_empty_list_has_exactly_one_page():
    assert Page(1, 100, 30).count == 1 and Page(1, 100, 30).next is None
    assert Page(1, 100, 100).count == 1 and not Page(2, 100, 100).exists
    empty = Page(1, 100, 0)
    assert (empty.count, empty.exists, empty.start, empty.stop) == (1, True, 0, 0)
    assert empty.label("Students") == "No students"


def test_impossible_pages_are_errors():
    for number, size, total in ((0, 100, 10), (1, 0, 10), (1, 100, -1)):
        with pytest.raises(ValueError):
            Page(number, size, total)


@pytest.mark.parametrize(("number", "count", "shown"), [
    (1, 1, [1]),
    (1, 3, [1, 2, 3]),
    (1, 10, [1, 2, 3, None, 10]),
    (5, 10, [1, 2, 3, 4, 5, 6, 7, None, 10]),   # 2 fills a one-page gap
    (6, 10, [1, None, 4, 5, 6, 7, 8, 9, 10]),
    (10, 10, [1, None, 8, 9, 10]),
    (50, 100, [1, None, 48, 49, 50, 51, 52, None, 100]),
])
def test_the_pager_links_the_ends_and_the_neighbours(number, count, shown):
    assert Page(number, 10, count * 10).numbers() == shown


@given(st.integers(1, 5000), st.integers(1, 300), st.data())
def test_the_pages_cover_every_item_once_in_order(total, size, data):
    pages = [Page(n, size, total) for n in range(1, Page(1, size, total).count + 1)]
    assert [i for page in pages for i in range(page.start, page.stop)] == list(range(total))
    assert all(page.start < page.stop for page in pages)
    number = data.draw(st.integers(1, len(pages)))
    shown = Page(number, size, total).numbers()
    links = [n for n in shown if n is not None]
    assert links == sorted(set(links)) and {1, number, len(pages)} <= set(links)
