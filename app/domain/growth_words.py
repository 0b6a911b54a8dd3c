"""Growth in plain words for a teacher: what the numbers say, and what they cannot say.

Built from :mod:`app.domain.growth`'s results. Numbers are rounded the way pages show
them: percentage points to one decimal (:func:`app.domain.numbers.points`), d′ and
effect sizes to two.
"""

from __future__ import annotations

from app.domain.growth import ALL_EQUAL, Comparison, Interval, PairedChange, size_word
from app.domain.numbers import points

# Below this many students in both tests, the caveat about width is put first.
SMALL_CLASS = 30
RULE_OF_THUMB = "(0.2 small, 0.5 medium, 0.8 large)"


def signed(value: float, digits: int = 2) -> str:
    """A number with a true minus sign: "0.85", "−0.40" (never "-0.00")."""
    text = f"{value:.{digits}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "\u2212")


def pts(value: float) -> str:
    """Percentage points as pages show them: "14", "11.8", "−3.3"."""
    return points(value).replace("-", "\u2212")


def interval(ci: Interval | None, fmt: str = "d") -> str:
    """" (95% CI 6 to 22)" or "" when there is no interval."""
    if ci is None:
        return ""
    show = pts if fmt == "p" else signed
    return f" (95% CI {show(ci.low)} to {show(ci.high)})"


def _students(n: int) -> str:
    return f"{n} student{'' if n == 1 else 's'}"


def _higher(value: float) -> str:
    return "higher" if value >= 0 else "lower"


def _effect(change: PairedChange) -> str:
    if change.d_z is None:
        return ""
    if change.d_z_ci is None:
        return (f" The effect size d_z = {signed(change.d_z)} is too large for its interval "
                "to be computed: the changes hardly vary at all.")
    text = (f" The effect size d_z = {signed(change.d_z)}{interval(change.d_z_ci)} is "
            f"{size_word(change.d_z)} by the usual rule of thumb {RULE_OF_THUMB}. d_z "
            "compares the mean change with how much the changes vary from student to "
            "student, so it is often larger than an effect size between two separate groups.")
    if change.d_z_ci.low <= 0 <= change.d_z_ci.high:
        text += " Its interval includes zero: no change at all is also consistent with the data."
    return text


def describe_points(change: PairedChange) -> str:
    """The class's change in score (percent of the maximum), in words."""
    if change.n == 0 or change.mean_change is None:
        return "No student has taken both tests yet, so there is no change to report."
    mean = change.mean_change
    if change.n == 1:
        return (f"Only one student took both tests; their score changed by {pts(mean)} "
                "percentage points. One student is not enough to say anything about the class.")
    if change.problem == ALL_EQUAL:
        return (f"Every one of the {_students(change.n)} who took both tests scored "
                f"{pts(abs(mean))} percentage points {_higher(mean)} on the post-test. "
                "With no spread at all there is no interval or effect size to compute.")
    return (f"On average the {_students(change.n)} who took both tests scored "
            f"{pts(abs(mean))} percentage points {_higher(mean)} on the post-test than on "
            f"the pre-test{interval(change.change_ci, 'p')}.{_effect(change)}")


def describe_discernment(change: PairedChange) -> str:
    """The class's change in d′ (telling loaded from neutral), in words."""
    if change.n == 0 or change.mean_change is None:
        return ("Discernment (d′) needs marking questions on both tests and students who "
                "answered them on both: there is no change in discernment to report.")
    mean = change.mean_change
    if change.n == 1 or change.problem == ALL_EQUAL:
        return (f"Discernment (d′) changed by {signed(mean)} for the "
                f"{_students(change.n)} with marking answers on both tests; that is not "
                "enough to compute an interval.")
    direction = "rose" if mean >= 0 else "fell"
    return (f"Discernment (d′, how well students tell loaded from neutral) {direction} by "
            f"{signed(abs(mean))} on average{interval(change.change_ci)}, over "
            f"{_students(change.n)}.{_effect(change)}")


def describe_comparison(comparison: Comparison, other: str) -> str:
    """This class's change against the comparison class's, in words."""
    if comparison.difference is None:
        return (f"The comparison with {other} needs students who took both tests in each "
                "class; there are not enough yet.")
    diff = comparison.difference
    more = "more" if diff >= 0 else "less"
    text = (f"This class's scores changed by {pts(abs(diff))} percentage points {more} than "
            f"those of {other}{interval(comparison.difference_ci, 'p')}.")
    if comparison.hedges_g is not None:
        text += (f" Hedges' g on the changes = {signed(comparison.hedges_g)}"
                 f"{interval(comparison.g_ci)} (an approximate interval), "
                 f"{size_word(comparison.hedges_g)} by the rule of thumb.")
    elif comparison.problem:
        text += f" No interval: {comparison.problem}."
    if comparison.difference_ci and \
            comparison.difference_ci.low <= 0 <= comparison.difference_ci.high:
        text += " The interval includes zero: the classes may have grown alike."
    return text


def caveats(n: int, *, comparison: bool) -> list[str]:
    """What the numbers cannot tell, most pressing first."""
    width = ("Fewer than two students took both tests: there is nothing to measure yet, "
             "and a class's change needs many more than two." if n < 2 else
             f"Small class: with {_students(n)} the intervals are wide; the true change "
             "could be anywhere inside them, and one or two students move the mean a lot."
             if n < SMALL_CLASS else
             f"With {_students(n)} the intervals are fairly narrow, but they only describe "
             "chance in who took the tests, not the problems below.")
    items = [
        width,
        "No random assignment: nobody decided by lot who would be taught, so the change "
        "cannot be credited to the lessons alone. Students also grew older, learned in other "
        "subjects and followed the news in between.",
        ("A comparison class taught differently is not a control group: its students, "
         "timetable and teacher's emphasis differ too, so a difference between the classes "
         "suggests, it does not prove." if comparison else
         "Without a comparison class there is nothing to show how much students would have "
         "changed without these lessons."),
        "Regression to the mean: students who scored unusually low on the pre-test tend to "
        "score higher the next time by chance alone (and high scorers lower), so the biggest "
        "gains at the bottom are partly luck.",
        "Test practice: the pre-test is itself practice. The second time, students know what "
        "kind of questions to expect.",
    ]
    return items
