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

MANUAL_GROUPING = "manual-grouping"
MIN_REMOVE_IN_LOOP = "min-remove-in-loop"
SORT_IN_LOOP = "sort-in-loop"
SLICE_SUM_IN_LOOP = "slice-sum-in-loop"
WINDOW_RECOMPUTE = "window-recompute"
NESTED_PAIR_INEQUALITY = "nested-pair-inequality"
TRIAL_DIVISION_IN_LOOP = "trial-division-in-loop"
TRIAL_DIVISION_TO_N = "trial-division-to-n"
COUNT_MULTIPLES = "count-multiples"
POW_THEN_MOD = "pow-then-mod"
PRINT_IN_LOOP = "print-in-loop"
INPUT_IN_LOOP = "input-in-loop"
OPEN_IN_LOOP = "open-in-loop"
BLOCKING_CALL_IN_LOOP = "blocking-call-in-loop"
ATTRIBUTE_CHAIN_IN_LOOP = "attribute-chain-in-loop"
MAP_LAMBDA = "map-lambda"
FLATTEN_CONCAT = "flatten-concat"
MATERIALIZED_ANY = "materialized-any"
FLAG_WITHOUT_BREAK = "flag-without-break"
REPLACE_IN_LOOP = "replace-in-loop"
BYTES_CONCAT = "bytes-concat-in-loop"
SLICE_CONSUME = "slice-consume-in-loop"
NUMPY_ELEMENT_LOOP = "numpy-element-loop"
BUILTIN_ON_NDARRAY = "builtin-on-ndarray"
LOCK_IN_LOOP = "lock-in-loop"
AWAIT_IN_LOOP = "await-in-loop"

EMPTY_FACTORIES = frozenset({"list", "dict", "set", "int", "float"})
"""Calls with no arguments that make the empty starting value of a group or tally."""

GROWING_METHODS = frozenset({"append", "extend", "insert", "add", "appendleft"})
"""Methods that add elements to a container."""

WINDOW_AGGREGATES = frozenset({"sum", "max", "min", "set", "sorted", "Counter", "len", "any", "all", "tuple"})
"""Calls that rebuild a window's aggregate from scratch when given a fresh slice."""

SMALL_EXPONENT_MAX = 3
"""`x ** 2 % m` is as fast as pow(x, 2, m); only larger (or unknown) exponents are worth flagging."""

PRIME_TEST_NAMES = ("prime",)
"""Name fragments of functions that test primality (`is_prime`, `isPrime`, `prime_check`)."""

BLOCKING_CALLS: dict[str, frozenset[str]] = {
    "requests": frozenset({"get", "post", "put", "patch", "delete", "head", "request"}),
    "httpx": frozenset({"get", "post", "put", "patch", "delete", "head", "request"}),
    "urllib.request": frozenset({"urlopen", "urlretrieve"}),
    "subprocess": frozenset({"run", "call", "check_call", "check_output"}),
    "time": frozenset({"sleep"}),
    "socket": frozenset({"create_connection", "getaddrinfo", "gethostbyname"}),
}
"""Module functions that block on something outside the interpreter (network, processes, timers)."""

ATTRIBUTE_CHAIN_MIN = 2
"""Attribute steps (`self.a.b` has two) from which a repeated read in a hot loop is worth binding to a local."""
ATTRIBUTE_CHAIN_READS_MIN = 2
"""...and how many such reads one loop must make before the detector speaks."""

REPLACE_CHAIN_MIN = 3
"""Chained `.replace()` calls on one string from which `str.translate` is the better tool."""

NUMPY_MODULE = "numpy"
NDARRAY_BUILTINS = frozenset({"sum", "max", "min", "sorted", "any", "all"})
"""Builtins that iterate element by element when given a numpy array."""

LOCK_FACTORIES = frozenset({"Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition"})


LINEAR_SCAN_SORTED = "linear-scan-sorted"
RECOMPUTED_PROPERTY = "recomputed-property"

EXPENSIVE_CALLS = frozenset({"sum", "sorted", "max", "min", "len", "set", "dict", "list", "tuple", "any", "all"})
"""Calls that make a property's body linear in its data when they wrap a comprehension or a collection."""
