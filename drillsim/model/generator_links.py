"""The dependency links of a generated ecosystem (see :mod:`drillsim.model.generator`).

First the links to the hub systems: authentication (grade-1 systems through ``any_of`` [GPKI,
mobile ID, simple authentication], some grade-2 ones through [GPKI, mobile ID], the rest through
GPKI alone; a few citizen-facing systems through mobile ID or simple authentication), the
road-name address service and administrative information sharing (a few hard users, more soft
ones). Then random links, up to the number asked for: most point at "platform" systems (of the
dependent's own organization first), the rest at other applications of the same organization;
targets are drawn in proportion to a Pareto fitness (heavy-tailed fan-in), and a system only
depends on systems earlier in a fixed order, so hard dependencies never form a cycle.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .diagnostics import DrillsimError

__all__ = ["build_dependencies"]

_HARD_SHARE = 0.35  # of an application's random links; the rest are soft
_HARD_SHARE_PLATFORM = 0.2  # of a platform's random links
_LOCAL_PLATFORM_SHARE = 0.6  # random links to a platform of the dependent's own organization
_APP_TARGET_SHARE = 0.15  # random links to another application of the same organization


def build_dependencies(
    rng: np.random.Generator,
    edges: int,
    gpki_links: float,
    fitness: np.ndarray,
    platform: np.ndarray,
    grades: np.ndarray,
    public: np.ndarray,
    ids: list[str],
    org_of: np.ndarray,
) -> tuple[list[list[Any]], int]:
    """Each ordinary system's ``depends_on`` list (hub links first, then random links), and the number of hub links.

    ``edges``: the links wanted in all (each ``any_of`` alternative counts); ``gpki_links``: the
    systems authenticating through GPKI (the national figure scaled to the ecosystem's size).
    """
    m = len(ids)
    deps: list[list[Any]] = [[] for _ in range(m)]
    links = 0

    # Authentication: ~1,800 GPKI users at national scale, grade-1/2 ones first and public-facing ones next.
    n_auth = min(m, max(1, round(gpki_links)))
    key = rng.random(m) + np.where(grades <= 2, 2.0, 0.0) + np.where(public, 1.0, 0.0)
    auth = np.argsort(-key, kind="stable")[:n_auth]
    for i in auth.tolist():
        if grades[i] == 1:
            deps[i].append({"any_of": ["gpki", "mobile-id", "simple-auth"]})
            links += 3
        elif grades[i] == 2 and rng.random() < 0.4:
            deps[i].append({"any_of": ["gpki", "mobile-id"]})
            links += 2
        else:
            deps[i].append("gpki")
            links += 1
    is_auth = np.zeros(m, dtype=bool)
    is_auth[auth] = True
    citizen = np.flatnonzero(public & ~is_auth)
    n_mobile = min(len(citizen), round(0.03 * m))
    for i in rng.choice(citizen, size=n_mobile, replace=False).tolist():
        deps[i].append({"any_of": ["mobile-id", "simple-auth"]})
        links += 2
    # Road-name address and information sharing: a few hard users, more soft ones.
    for hub, hard_share, soft_share, factor in (("address", 0.005, 0.04, 0.6), ("info-share", 0.02, 0.04, 0.5)):
        users = rng.choice(m, size=min(m, round((hard_share + soft_share) * m)), replace=False)
        n_hard = round(hard_share * m)
        for k, i in enumerate(users.tolist()):
            deps[i].append(hub if k < n_hard else {"system": hub, "kind": "soft", "factor": factor})
            links += 1
    hub_links = links

    random_links = edges - links
    if random_links < 0:
        raise DrillsimError(
            f"edges={edges} is fewer than the {links} links to the hub systems alone: ask for at least {links}"
        )
    if random_links == 0:
        return deps, hub_links

    # The dependency order: platforms first (most popular first), then applications. A system
    # only depends on systems before it, so hard dependencies never form a cycle.
    order = np.lexsort((-fitness, ~platform))
    rank = np.empty(m, dtype=np.int64)
    rank[order] = np.arange(m)

    def pool(members: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Candidates sorted by rank, their ranks, and cumulative weights."""
        members = members[np.argsort(rank[members], kind="stable")]
        return members, rank[members], np.cumsum(weight[members])

    def draw(p: tuple[np.ndarray, np.ndarray, np.ndarray], r: np.ndarray, u: np.ndarray) -> np.ndarray:
        """For each dependent rank r, a candidate before it drawn by weight (-1 where there is none)."""
        members, ranks, cum = p
        if not len(members):
            return np.full(len(r), -1, dtype=np.int64)
        lim = np.searchsorted(ranks, r, side="left")
        out = np.full(len(r), -1, dtype=np.int64)
        ok = lim > 0
        if ok.any():
            k = np.searchsorted(cum, u[ok] * cum[lim[ok] - 1], side="right")
            out[ok] = members[np.minimum(k, lim[ok] - 1)]
        return out

    target_weight = np.minimum(fitness, 100.0)  # heavy tail, but no ordinary system outgrows the hubs
    all_platforms = pool(np.flatnonzero(platform), target_weight)
    org_platforms = {o: pool(np.flatnonzero(platform & (org_of == o)), target_weight) for o in np.unique(org_of).tolist()}
    org_apps = {o: pool(np.flatnonzero(~platform & (org_of == o)), np.sqrt(target_weight)) for o in np.unique(org_of).tolist()}
    # Dependents: applications mostly; platforms depend on other platforms less often.
    dep_weight = np.where(platform, 0.3, 1.0)
    dep_p = dep_weight / dep_weight.sum()

    chosen = np.empty(0, dtype=np.int64)
    want = random_links
    for _ in range(50):
        k = int((want - len(chosen)) * 1.2) + 16
        d = rng.choice(m, size=k, p=dep_p)
        cls = rng.choice(3, size=k, p=[_LOCAL_PLATFORM_SHARE, 1 - _LOCAL_PLATFORM_SHARE - _APP_TARGET_SHARE, _APP_TARGET_SHARE])
        u = rng.random(k)
        r = rank[d]
        t = np.full(k, -1, dtype=np.int64)
        for o in np.unique(org_of[d]).tolist():
            here = org_of[d] == o
            local = here & (cls == 0)
            if local.any():
                t[local] = draw(org_platforms[o], r[local], u[local])
            apps = here & (cls == 2)
            if apps.any():
                t[apps] = draw(org_apps[o], r[apps], u[apps])
        rest = t < 0  # global draws, and local ones that found nothing before the dependent
        t[rest] = draw(all_platforms, r[rest], u[rest])
        keep = t >= 0
        chosen = np.unique(np.concatenate([chosen, d[keep] * m + t[keep]]))
        if len(chosen) >= want:
            break
    if len(chosen) < want:
        raise DrillsimError(f"could not draw {want} distinct dependency links among {m} systems: ask for fewer edges")
    chosen = np.sort(rng.choice(chosen, size=want, replace=False))
    d_all = chosen // m
    hard = rng.random(want) < np.where(platform[d_all], _HARD_SHARE_PLATFORM, _HARD_SHARE)
    factors = rng.choice(np.array([0.5, 0.6, 0.7, 0.8, 0.9]), size=want)
    for pair, h, f in zip(chosen.tolist(), hard.tolist(), factors.tolist()):
        dependent, target = divmod(pair, m)
        if h:
            deps[dependent].append(ids[target])
        else:
            deps[dependent].append({"system": ids[target], "kind": "soft", "factor": f})
    return deps, hub_links
