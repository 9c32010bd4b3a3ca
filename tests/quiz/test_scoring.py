from dataclasses import dataclass
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from quiz.attempts import duration_text
from quiz.scoring import Tally, lettered, percent, score, shuffled


@dataclass(frozen=True)
class FakeQuestion:
    pk: int
    difficulty: str


@dataclass(frozen=True)
class FakeChoice:
    pk: int
    is_correct: bool


QUESTIONS = [
    FakeQuestion(1, "easy"),
    FakeQuestion(2, "easy"),
    FakeQuestion(3, "medium"),
    FakeQuestion(4, "medium"),
    FakeQuestion(5, "hard"),
]
RIGHT = FakeChoice(100, True)
WRONG = FakeChoice(101, False)


def test_all_right_scores_five_out_of_five() -> None:
    result = score(QUESTIONS, {q.pk: RIGHT for q in QUESTIONS})
    assert str(result) == "5/5"
    assert result.overall.percent == 100


def test_all_wrong_scores_zero_out_of_five() -> None:
    result = score(QUESTIONS, {q.pk: WRONG for q in QUESTIONS})
    assert str(result) == "0/5"
    assert result.by_difficulty == {"easy": Tally(0, 2), "medium": Tally(0, 2), "hard": Tally(0, 1)}


def test_a_mixed_attempt_is_broken_down_by_difficulty_in_order() -> None:
    chosen = {1: RIGHT, 2: WRONG, 3: RIGHT, 4: RIGHT, 5: WRONG}
    result = score(QUESTIONS, chosen)
    assert str(result) == "3/5"
    assert list(result.by_difficulty) == ["easy", "medium", "hard"]
    assert result.by_difficulty == {"easy": Tally(1, 2), "medium": Tally(2, 2), "hard": Tally(0, 1)}


def test_an_unanswered_question_counts_as_wrong() -> None:
    assert str(score(QUESTIONS, {1: RIGHT})) == "1/5"


def test_difficulties_a_quiz_does_not_have_are_left_out() -> None:
    assert list(score(QUESTIONS[:2], {}).by_difficulty) == ["easy"]


def test_percent_of_nothing_is_zero() -> None:
    assert percent(0, 0) == 0
    assert percent(1, 3) == 33


OPTIONS = [FakeChoice(pk, pk == 12) for pk in (10, 11, 12, 13)]


def test_shuffling_is_stable_within_an_attempt_whatever_the_load_order() -> None:
    first = shuffled(OPTIONS, attempt_id=7, question_id=3)
    assert shuffled(list(reversed(OPTIONS)), attempt_id=7, question_id=3) == first
    assert sorted(first, key=lambda o: o.pk) == OPTIONS


def test_shuffling_differs_between_attempts() -> None:
    orders = {tuple(o.pk for o in shuffled(OPTIONS, attempt, 3)) for attempt in range(40)}
    assert len(orders) > 10


def test_the_correct_option_is_not_always_in_the_same_place() -> None:
    places = {[o.pk for o in shuffled(OPTIONS, attempt, 3)].index(12) for attempt in range(40)}
    assert places == {0, 1, 2, 3}


@given(st.integers(min_value=1), st.integers(min_value=1))
def test_shuffling_keeps_every_option_exactly_once(attempt_id: int, question_id: int) -> None:
    assert sorted(o.pk for o in shuffled(OPTIONS, attempt_id, question_id)) == [10, 11, 12, 13]


def test_letters_follow_the_order_shown() -> None:
    shown = shuffled(OPTIONS, 1, 1)
    assert [letter for letter, _ in lettered(shown)] == ["A", "B", "C", "D"]
    assert [option for _, option in lettered(shown)] == shown


def test_durations_read_like_a_person_would_say_them() -> None:
    assert duration_text(timedelta(seconds=45)) == "45 s"
    assert duration_text(timedelta(minutes=3, seconds=12)) == "3 min 12 s"
    assert duration_text(timedelta(hours=1, minutes=5, seconds=9)) == "1 h 5 min"
