"""The reference server answers each request from the suite, over real HTTP, in the formats the graph parses."""

from __future__ import annotations

import json

from optimizer_agent.analysis.splice import splice_replacement
from optimizer_agent.models.openai_model import ModelConfig, OpenAIModel
from optimizer_agent.models.parsing import extract_candidates
from optimizer_agent.prompts import render
from tests.bench.conftest import MEMBERS_FAST, MEMBERS_SLOW, code
from tests.bench.reference_server import ReferenceServer

PRIMES_SLOW = code('''
    def is_prime(k):
        return k > 1 and all(k % d for d in range(2, k))


    def count_primes(n):
        return sum(1 for k in range(n + 1) if is_prime(k))
''')
PRIMES_FAST = code('''
    def count_primes(n):
        sieve = [True] * (n + 1)
        for p in range(2, int(n ** 0.5) + 1):
            if sieve[p]:
                sieve[p * p::p] = [False] * len(range(p * p, n + 1, p))
        return sum(sieve[2:])
''')
NESTED_SLOW = code('''
    def prime_length(text):
        def is_prime(k):
            return k > 1 and all(k % d for d in range(2, k))

        return is_prime(len(text))
''')
NESTED_FAST = code('''
    def prime_length(text):
        k = len(text)
        return k > 1 and all(k % d for d in range(2, int(k ** 0.5) + 1))
''')
PROBLEMS = [{"id": "a", "slow_code": MEMBERS_SLOW, "reference_code": MEMBERS_FAST},
            {"id": "b", "slow_code": PRIMES_SLOW, "reference_code": PRIMES_FAST},
            {"id": "c", "slow_code": NESTED_SLOW, "reference_code": NESTED_FAST}]


def ask(server: ReferenceServer, template: str, **fields) -> str:
    model = OpenAIModel(ModelConfig(base_url=server.base_url, api_key="k", model="scripted-reference", max_retries=0))
    return model.complete(render(template, **fields), purpose="generate" if template == "generate" else template).text


def generate(server: ReferenceServer, name: str, source: str) -> str:
    return ask(server, "generate", qualname=name, file="solution.py", k=1, code=source, context=source,
               plan="(free)", skills="O001: Membership test on a list -> set")


def test_generate_answers_with_the_reference_of_the_problem_that_defines_the_function() -> None:
    with ReferenceServer(PROBLEMS) as server:
        [block] = extract_candidates(generate(server, "allowed", MEMBERS_SLOW))
        assert splice_replacement(MEMBERS_SLOW, "allowed", block.code).strip() == MEMBERS_FAST.strip()
        assert block.skills == ["O001"]
        # A helper the reference lacks stays as it was; the reference's entry point replaces the slow one.
        [helper] = extract_candidates(generate(server, "is_prime", PRIMES_SLOW))
        spliced = splice_replacement(PRIMES_SLOW, "is_prime", helper.code)
        namespace: dict = {}
        exec(spliced, namespace)
        assert "sieve" in spliced and "def is_prime" in spliced and namespace["count_primes"](30) == 10
        assert generate(server, "unknown_function", "def unknown_function():\n    pass\n") == "No candidate."
        # A nested helper's rewrite is the reference's enclosing function, spliced in place of the whole of it.
        [nested] = extract_candidates(generate(server, "prime_length.is_prime", NESTED_SLOW))
        assert splice_replacement(NESTED_SLOW, "prime_length.is_prime", nested.code).strip() == NESTED_FAST.strip()
        assert server.answered == {"generate": 4}


def test_the_planning_requests_get_json_the_graph_reads() -> None:
    with ReferenceServer(PROBLEMS) as server:
        diagnosis = json.loads(ask(server, "diagnose", qualname="allowed", file="solution.py", code=MEMBERS_SLOW,
                                   profile="90%", signals="(none)"))
        assert diagnosis["summary"]
        sets = json.loads(ask(server, "rerank", qualname="allowed", max_sets=3, diagnosis="d",
                              skills="O001: list membership\nO005: comprehension\nM001: meta"))
        assert sets == {"skill_sets": [{"skills": ["O001"], "meta_skill": None, "why": "reference"}]}
        plans = json.loads(ask(server, "plan", qualname="allowed", diagnosis="d", meta_skill="(none)",
                               operator_skills="O001: list membership"))
        assert plans["plans"][0]["skills"] == ["O001"]
        assert len(server.requests) == 3
