"""Communities of the co-occurrence network: which words belong together."""

from collections import defaultdict

from .network import Edge


def communities(nodes: list[str], edges: list[Edge]) -> dict[str, int]:
    """Greedy modularity (Clauset, Newman & Moore 2004) on the Jaccard-weighted graph.

    Start with one community per word and keep merging the two linked communities whose merger
    raises modularity Q most; stop when no merger raises it. Ties go to the pair that comes
    first in the order of `nodes`, so the result is deterministic. A network has at most a few
    dozen nodes, so the simple O(n³) loop is fine. Communities are numbered by size (largest
    first, then by their first word), which fixes their colours.
    """
    total = sum(e.jaccard for e in edges)
    if not nodes or total == 0:
        return {w: i for i, w in enumerate(nodes)}
    two_m = 2 * total
    member = {w: i for i, w in enumerate(nodes)}
    # e[i][j]: fraction of edge ends between communities i and j; a[i]: fraction of all ends.
    between: dict[int, dict[int, float]] = defaultdict(dict)
    a = defaultdict(float)
    for e in edges:
        i, j = member[e.source], member[e.target]
        between[i][j] = between[i].get(j, 0.0) + e.jaccard / two_m
        between[j][i] = between[j].get(i, 0.0) + e.jaccard / two_m
        a[i] += e.jaccard / two_m
        a[j] += e.jaccard / two_m
    groups = {i: [w] for i, w in enumerate(nodes)}
    while True:
        best = None
        for i in sorted(between):
            for j in sorted(between[i]):
                if j <= i:
                    continue
                gain = 2 * (between[i][j] - a[i] * a[j])
                if gain > 1e-12 and (best is None or gain > best[0] + 1e-12):
                    best = (gain, i, j)
        if best is None:
            break
        _, i, j = best
        # Merge j into i.
        for k, value in between.pop(j).items():
            if k == i:
                continue
            between[i][k] = between[i].get(k, 0.0) + value
            between[k][i] = between[k].get(i, 0.0) + value
            del between[k][j]
        between[i].pop(j, None)
        a[i] += a.pop(j)
        groups[i].extend(groups.pop(j))
    position = {w: n for n, w in enumerate(nodes)}
    ordered = sorted(groups.values(), key=lambda g: (-len(g), min(position[w] for w in g)))
    return {w: number for number, group in enumerate(ordered) for w in group}
