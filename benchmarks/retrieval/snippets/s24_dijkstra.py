# skill: O021
# function: shortest
def shortest(graph, source):
    dist = {source: 0}
    frontier = [(0, source)]
    done = set()
    while frontier:
        d, node = min(frontier)
        frontier.remove((d, node))
        if node in done:
            continue
        done.add(node)
        for nxt, w in graph[node]:
            if d + w < dist.get(nxt, float("inf")):
                dist[nxt] = d + w
                frontier.append((d + w, nxt))
    return dist
