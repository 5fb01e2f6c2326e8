"""pop0_deque: a local list consumed with pop(0) becomes a deque."""

RID = "pop0_deque"


def test_breadth_first_search_adds_import(assert_rewrites):
    new = assert_rewrites(RID, '''
        """Graph helpers."""


        def reachable(graph, start):
            queue = [start]
            seen = {start}
            while queue:
                node = queue.pop(0)
                for nxt in graph.get(node, ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        queue.append(nxt)
            return sorted(seen)
        ''', "reachable", [({1: [2, 3], 2: [4], 4: [1]}, 1), ({}, 0), ({1: [2]}, 2)])
    assert new.startswith('"""Graph helpers."""\nimport collections\n')
    assert "queue = collections.deque([start])" in new
    assert "node = queue.popleft()" in new


def test_method_uses_existing_from_import_and_list_call(assert_rewrites):
    new = assert_rewrites(RID, '''
        from collections import deque


        class Scheduler:
            def order(self, jobs):
                pending = list(jobs)
                done = []
                while len(pending) > 0 and pending[0] != "stop":
                    job = pending.pop(0)
                    if job.startswith("retry") and job not in pending:
                        pending.extend([job[5:]])
                    done.append(job)
                return done, len(pending)
        ''', "Scheduler.order", [(["a", "retryb", "c"],), ([],), (["x", "stop", "y"],)],
        entry=lambda ns: ns["Scheduler"]().order)
    assert "pending = deque(jobs)" in new
    assert "import collections" not in new


def test_empty_queue_with_truth_tests_and_iteration(assert_rewrites):
    new = assert_rewrites(RID, '''
        import collections

        def window_sums(xs, k):
            win = []
            sums = []
            for x in xs:
                win.append(x)
                if len(win) > k:
                    win.pop(0)
                if not win or len(win) < k:
                    continue
                sums.append(sum(v for v in win))
            return sums
        ''', "window_sums", [([1, 2, 3, 4, 5], 2), ([], 3), ([1], 1)])
    assert "win = collections.deque()" in new
    assert new.count("import collections") == 1


def test_declines_when_queue_escapes(assert_declines):
    assert_declines(RID, '''
        def f(items):
            q = list(items)
            while q:
                q.pop(0)
            return q
        ''', "f")
    assert_declines(RID, '''
        def f(items):
            q = list(items)
            first = q.pop(0)
            helper(q)
            return first
        ''', "f")


def test_declines_on_slicing_parameters_and_mutation_while_iterating(assert_declines):
    assert_declines(RID, '''
        def f(items):
            q = list(items)
            q.pop(0)
            return sum(q[1:])
        ''', "f")
    assert_declines(RID, '''
        def f(q):
            while q:
                q.pop(0)
        ''', "f")
    assert_declines(RID, '''
        def f(items):
            q = list(items)
            for x in q:
                if x:
                    q.pop(0)
            return len(q)
        ''', "f")
