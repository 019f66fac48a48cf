"""Where the network's words go on the page: a seeded force-directed layout."""

import math
import random

from .network import Network


def place_nodes(network: Network, seed: int = 20240601, iterations: int = 300):
    """Fruchterman–Reingold force-directed layout in the unit square, with a fixed seed.

    Linked words attract each other in proportion to their Jaccard coefficient, all words repel
    each other, and a weak pull towards the centre keeps separate components in view.
    """
    words = [n.word for n in network.nodes]
    count = len(words)
    if count == 0:
        return {}
    if count == 1:
        return {words[0]: (0.5, 0.5)}
    rng = random.Random(seed)
    pos = [[rng.random(), rng.random()] for _ in words]
    index = {w: i for i, w in enumerate(words)}
    strongest = max(e.jaccard for e in network.edges)
    springs = [(index[e.source], index[e.target], e.jaccard / strongest) for e in network.edges]
    k = math.sqrt(1.0 / count)
    temperature = 0.1
    for step in range(iterations):
        disp = [[0.0, 0.0] for _ in words]
        for i in range(count):
            xi, yi = pos[i]
            for j in range(i + 1, count):
                dx, dy = xi - pos[j][0], yi - pos[j][1]
                dist2 = dx * dx + dy * dy or 1e-9
                force = k * k / dist2  # k²/d, along (dx, dy)/d
                disp[i][0] += dx * force
                disp[i][1] += dy * force
                disp[j][0] -= dx * force
                disp[j][1] -= dy * force
        for i, j, weight in springs:
            dx, dy = pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]
            dist = math.hypot(dx, dy) or 1e-9
            force = dist * weight / k  # d²/k, along (dx, dy)/d
            disp[i][0] -= dx * force
            disp[i][1] -= dy * force
            disp[j][0] += dx * force
            disp[j][1] += dy * force
        limit = temperature * (1 - step / iterations) + 0.001
        for i in range(count):
            disp[i][0] -= (pos[i][0] - 0.5) * 0.5 * k * count
            disp[i][1] -= (pos[i][1] - 0.5) * 0.5 * k * count
            length = math.hypot(*disp[i]) or 1e-9
            move = min(length, limit) / length
            pos[i][0] += disp[i][0] * move
            pos[i][1] += disp[i][1] * move
    return {w: (pos[i][0], pos[i][1]) for w, i in index.items()}
