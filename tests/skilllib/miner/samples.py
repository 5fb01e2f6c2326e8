"""Handwritten slow/fast program pairs, each with the labels the classifier must give it."""

from __future__ import annotations

SAMPLES: dict[str, tuple[str, str, set[str]]] = {
    "stdin": ('''
        n = int(eval(input()))
        total = 0
        for _ in range(n):
            total += int(eval(input()))
        print(total)
    ''', '''
        import sys
        input = sys.stdin.readline
        n = int(input())
        total = 0
        for _ in range(n):
            total += int(input())
        print(total)
    ''', {"fast-input"}),
    "print-join": ('''
        n = int(input())
        for i in range(n):
            print(i * i)
    ''', '''
        n = int(input())
        out = [str(i * i) for i in range(n)]
        print("\\n".join(out))
    ''', {"batched-output"}),
    "set": ('''
        def common(a, b):
            out = []
            for x in a:
                if x in b:
                    out.append(x)
            return out
    ''', '''
        def common(a, b):
            lookup = set(b)
            out = []
            for x in a:
                if x in lookup:
                    out.append(x)
            return out
    ''', {"set-lookup"}),
    "deque": ('''
        def bfs(graph, start):
            queue = [start]
            seen = {start}
            while queue:
                node = queue.pop(0)
                for nxt in graph[node]:
                    if nxt not in seen:
                        seen.add(nxt)
                        queue.append(nxt)
            return seen
    ''', '''
        from collections import deque

        def bfs(graph, start):
            queue = deque([start])
            seen = {start}
            while queue:
                node = queue.popleft()
                for nxt in graph[node]:
                    if nxt not in seen:
                        seen.add(nxt)
                        queue.append(nxt)
            return seen
    ''', {"deque"}),
    "counter": ('''
        words = input().split()
        best = 0
        for w in words:
            best = max(best, words.count(w))
        print(best)
    ''', '''
        from collections import Counter
        words = input().split()
        print(max(Counter(words).values()))
    ''', {"counter"}),
    "defaultdict": ('''
        def group(pairs):
            groups = {}
            for k, v in pairs:
                if k not in groups:
                    groups[k] = []
                groups[k].append(v)
            return groups
    ''', '''
        from collections import defaultdict

        def group(pairs):
            groups = defaultdict(list)
            for k, v in pairs:
                groups[k].append(v)
            return groups
    ''', {"defaultdict"}),
    "comprehension": ('''
        def squares(xs):
            out = []
            for x in xs:
                out.append(x * x)
            return out
    ''', '''
        def squares(xs):
            return [x * x for x in xs]
    ''', {"comprehension"}),
    "join": ('''
        def render(items):
            s = ""
            for item in items:
                s += str(item) + ","
            return s
    ''', '''
        def render(items):
            return "".join(str(item) + "," for item in items)
    ''', {"string-join"}),
    "memo": ('''
        def fib(n):
            if n < 2:
                return n
            return fib(n - 1) + fib(n - 2)
        print(fib(30))
    ''', '''
        from functools import lru_cache

        @lru_cache(maxsize=None)
        def fib(n):
            if n < 2:
                return n
            return fib(n - 1) + fib(n - 2)
        print(fib(30))
    ''', {"memoization"}),
    "sieve": ('''
        def is_prime(x):
            if x < 2:
                return False
            for d in range(2, x):
                if x % d == 0:
                    return False
            return True
        n = int(input())
        print(sum(1 for i in range(n) if is_prime(i)))
    ''', '''
        n = int(input())
        flags = [True] * max(n, 2)
        flags[0] = flags[1] = False
        for i in range(2, n):
            if flags[i]:
                for j in range(i * i, n, i):
                    flags[j] = False
        print(sum(flags[:n]))
    ''', {"sieve"}),
    "pow": ('''
        b, e, m = map(int, input().split())
        print((b ** e) % m)
    ''', '''
        b, e, m = map(int, input().split())
        print(pow(b, e, m))
    ''', {"pow-mod"}),
    "prefix": ('''
        a = list(map(int, input().split()))
        q = int(input())
        for _ in range(q):
            l, r = map(int, input().split())
            print(sum(a[l:r]))
    ''', '''
        from itertools import accumulate
        a = list(map(int, input().split()))
        pre = [0] + list(accumulate(a))
        q = int(input())
        for _ in range(q):
            l, r = map(int, input().split())
            print(pre[r] - pre[l])
    ''', {"precompute-table", "hoist-work"}),
    "numpy": ('''
        import numpy as np
        a = list(map(int, input().split()))
        print(int(np.sum(a)))
    ''', '''
        a = list(map(int, input().split()))
        print(sum(a))
    ''', {"drop-heavy-import"}),
    "formula": ('''
        n = int(input())
        count = 0
        for i in range(1, n + 1):
            for j in range(1, n + 1):
                if i < j:
                    count += 1
        print(count)
    ''', '''
        n = int(input())
        print(n * (n - 1) // 2)
    ''', {"fewer-nested-loops", "closed-form"}),
    "bisect": ('''
        def count_below(sorted_xs, limits):
            out = []
            for lim in limits:
                c = 0
                for x in sorted_xs:
                    if x < lim:
                        c += 1
                out.append(c)
            return out
    ''', '''
        import bisect

        def count_below(sorted_xs, limits):
            return [bisect.bisect_left(sorted_xs, lim) for lim in limits]
    ''', {"bisect", "fewer-nested-loops"}),
    "heap": ('''
        def merge_costs(xs):
            total = 0
            while len(xs) > 1:
                xs.sort()
                a = xs.pop(0)
                b = xs.pop(0)
                total += a + b
                xs.append(a + b)
            return total
    ''', '''
        import heapq

        def merge_costs(xs):
            heapq.heapify(xs)
            total = 0
            while len(xs) > 1:
                a = heapq.heappop(xs)
                b = heapq.heappop(xs)
                total += a + b
                heapq.heappush(xs, a + b)
            return total
    ''', {"heap"}),
    "early-exit": ('''
        def has_negative(xs):
            found = False
            for x in xs:
                if x < 0:
                    found = True
            return found
    ''', '''
        def has_negative(xs):
            for x in xs:
                if x < 0:
                    return True
            return False
    ''', {"early-exit"}),
    "main": ('''
        n = int(input())
        total = 0
        for i in range(n):
            total += i * i
        print(total)
    ''', '''
        def main():
            n = int(input())
            total = 0
            for i in range(n):
                total += i * i
            print(total)

        main()
    ''', {"function-locals"}),
    "iterative": ('''
        import sys
        sys.setrecursionlimit(10 ** 6)
        def depth(node, children):
            best = 0
            for c in children[node]:
                best = max(best, depth(c, children) + 1)
            return best
    ''', '''
        def depth(root, children):
            best = 0
            stack = [(root, 0)]
            while stack:
                node, d = stack.pop()
                best = max(best, d)
                for c in children[node]:
                    stack.append((c, d + 1))
            return best
    ''', {"recursion-to-iteration"}),
    "reduction": ('''
        def biggest(xs):
            best = xs[0]
            for x in xs:
                if x > best:
                    best = x
            return best
    ''', '''
        def biggest(xs):
            return max(xs)
    ''', {"builtin-reduction"}),
    "integer": ('''
        a, b = map(int, input().split())
        print(int(a / b) + int(a / 3))
    ''', '''
        a, b = map(int, input().split())
        print(a // b + a // 3)
    ''', {"integer-arithmetic"}),
    "isqrt": ('''
        import math
        n = int(input())
        r = int(math.sqrt(n))
        print(r)
    ''', '''
        import math
        n = int(input())
        r = math.isqrt(n)
        print(r)
    ''', {"isqrt", "integer-arithmetic"}),
    "cosmetic": ('''
        k, s = map(int, input().split())
        x = s - k
        if x >= 0 and x <= k:
            print(1)
    ''', '''
        k, s = map(int, input().split())
        x = s - k
        if 0 <= x <= k:
            print(1)
    ''', {"other"}),
}
"""name -> (slow source, fast source, labels the classifier must include)."""

PY2_SLOW = '''
n = int(raw_input())
for i in xrange(n):
    print i
'''
PY2_FAST = '''
import sys
n = int(sys.stdin.readline())
sys.stdout.write("\\n".join(map(str, range(n))) + "\\n")
'''
"""A Python 2 program that `ast` cannot parse, made faster in Python 3."""
