"""Flags of the question statistics (issue 13): too hard, too easy, a
misleading wrong choice, poor discrimination. Pure functions, no database."""

from decimal import Decimal

from quizzes.statistics import ChoiceStat, QuestionStat, discrimination_indexes


def stat(asked, right, choices=((True, 5), (False, 1)), discrimination=None):
    return QuestionStat(
        question=None,
        asked=asked,
        fully_right=right,
        mean_earned=None,
        points=1,
        choices=[ChoiceStat(i, f"c{i}", correct, picked, None) for i, (correct, picked) in enumerate(choices)],
        discrimination=discrimination,
    )


def test_too_few_answers_are_never_flagged():
    assert stat(asked=4, right=0).flag_reasons == []


def test_too_hard_and_too_easy():
    assert [str(r) for r in stat(asked=20, right=2).flag_reasons] == ["Too hard: rarely answered right."]
    assert [str(r) for r in stat(asked=20, right=20).flag_reasons] == ["Too easy: almost always answered right."]
    assert stat(asked=20, right=12).flagged is False


def test_a_popular_wrong_choice_and_poor_discrimination_are_flagged():
    misleading = stat(asked=20, right=12, choices=((True, 8), (False, 12)))
    assert "wrong choice" in str(misleading.flag_reasons[0])
    flat = stat(asked=20, right=12, discrimination=Decimal("0.00"))
    assert [str(r) for r in flat.flag_reasons] == ["Poor discrimination: strong and weak attempts answer it alike."]


def test_discrimination_index_compares_the_best_and_worst_attempts():
    # Question 1: right in the 5 best attempts only; question 2: right everywhere;
    # question 3: asked too rarely to judge.
    rows = []
    for n in range(20):
        score = Decimal(n * 5)
        rows.append((1, n >= 15, score))
        rows.append((2, True, score))
    rows.append((3, True, Decimal(50)))
    indexes = discrimination_indexes(rows)
    assert indexes[1] == Decimal("1.00")
    assert indexes[2] == Decimal("0.00")
    assert 3 not in indexes
