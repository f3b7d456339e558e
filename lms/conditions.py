"""Evaluate a simple ``Q`` against an object in Python.

Some rules are needed both in SQL (to filter and count) and on rows already
in memory (one certificate on the verify page, a person's state in a
report). Writing the rule once as a ``Q`` and evaluating that same ``Q`` in
Python keeps one definition. Only what those rules use is supported: AND,
OR, NOT and the lookups ``exact``, ``isnull``, ``gt``, ``gte``, ``lt``,
``lte`` on plain attributes. Comparisons with ``None`` are false, as with
SQL's NULL (and Django adds ``IS NOT NULL`` to negated lookups on nullable
columns, so ``~Q(x__lte=...)`` is true for ``None`` on both sides).
"""

import operator

from django.db.models import Q

_COMPARE = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}


def _lookup(obj, key, value):
    name, _sep, lookup = key.partition("__")
    actual = getattr(obj, name)
    lookup = lookup or "exact"
    if lookup == "isnull":
        return (actual is None) == bool(value)
    if lookup == "exact":
        return actual == value
    if lookup in _COMPARE:
        return actual is not None and value is not None and _COMPARE[lookup](actual, value)
    raise ValueError(f"Unsupported lookup in a Python-evaluated condition: {key}")


def matches(obj, condition):
    """Does ``obj`` satisfy ``condition`` (a ``Q``, or a (key, value) pair)?"""
    if not isinstance(condition, Q):
        return _lookup(obj, *condition)
    results = (matches(obj, child) for child in condition.children)
    result = all(results) if condition.connector == Q.AND else any(results)
    return not result if condition.negated else result
