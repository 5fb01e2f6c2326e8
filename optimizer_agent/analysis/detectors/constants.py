"""Detector ids, thresholds and vocabularies, kept in one place so the cards and tests can name them."""

from __future__ import annotations

LIST_MEMBERSHIP = "list-membership-in-loop"
STRING_CONCAT = "string-concat-in-loop"
REGEX_IN_LOOP = "regex-in-loop"
SORTED_INDEX = "sorted-then-index"
APPEND_LOOP = "append-loop"
LEN_IN_CONDITION = "len-in-loop-condition"
LIST_POP0 = "list-pop0"
MANUAL_SUM = "manual-sum-loop"
DICT_KEYS_MEMBERSHIP = "dict-keys-membership"
RECURSION_NO_CACHE = "recursion-no-cache"
COUNT_IN_LOOP = "count-in-loop"
SORTED_SLICE = "sorted-then-slice"
INDEX_IN_LOOP = "index-in-loop"
LIST_INSERT0 = "list-insert0"
LIST_CONCAT = "list-concat-in-loop"
INVARIANT_REDUCTION = "invariant-reduction-in-loop"
NESTED_PAIR_SEARCH = "nested-pair-search"
SUM_OF_RANGE = "sum-of-range"

SMALL_LITERAL_MAX = 8
"""A list literal of at most this many constants is too small for a set to pay off."""

RECURSION_MIN_CALL_SITES = 2
"""Self-calls needed before memoization is likely to help (one call site is linear recursion)."""

MUTATING_METHODS = frozenset(
    {"append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "add", "discard",
     "update", "popitem", "setdefault", "appendleft", "popleft", "extendleft", "rotate"}
)
"""Methods that change a container's length or order; a call to one means the container is not invariant."""

REDUCTIONS = frozenset({"max", "min", "sum", "sorted", "set", "any", "all"})
"""Linear-time builtins whose result depends only on their argument: with an invariant argument they hoist."""

READ_ONLY_CALLS = frozenset(
    {"len", "max", "min", "sum", "sorted", "set", "frozenset", "list", "tuple", "any", "all", "enumerate",
     "range", "zip", "reversed", "iter", "str", "repr", "print", "isinstance", "hash", "id", "bool"}
)
"""Builtins known not to mutate a container passed to them."""

CACHE_DECORATORS = frozenset({"cache", "lru_cache", "cached", "memoize", "memoized", "cached_property"})

REGEX_FUNCTIONS = frozenset(
    {"compile", "match", "search", "fullmatch", "findall", "finditer", "sub", "subn", "split"}
)
