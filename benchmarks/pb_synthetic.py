"""A seeded approval election of any number of projects, as a pabulib text: what
``vote_burst.py --projects N`` imports instead of a file, through the same import.

Projects cost between 5,000 and 300,000 € (spread as real ones are: many small, a few large),
with a title and a description of a few sentences each (what a town's page shows); the budget
funds about a quarter of their total cost. Each voter approves 5 to 10 projects (at most
all of them), some projects far more popular than others (weights 1/rank, shuffled), so
that the greedy selection depends on every ballot.
"""

from __future__ import annotations

import itertools
import math
import random

THEMES = (
    "Végétaliser",
    "Rénover",
    "Éclairer",
    "Sécuriser",
    "Aménager",
    "Équiper",
    "Ouvrir",
    "Réparer",
)
PLACES = (
    "la place du marché",
    "le square des Tilleuls",
    "les abords de l'école",
    "la piste cyclable du canal",
    "le parc des sports",
    "la médiathèque",
    "les jardins partagés",
    "la rue piétonne",
)
SENTENCES = (
    "Le projet a été proposé par des habitants du quartier lors des ateliers de printemps.",
    "Les services techniques ont estimé son coût et vérifié qu'il relève de la commune.",
    "Les travaux pourraient commencer dans l'année qui suit le vote.",
    "Il profite aux familles, aux personnes âgées et aux associations qui s'y retrouvent.",
    "L'entretien est prévu dans le budget de fonctionnement de la ville.",
    "Une réunion publique présentera les plans avant le début du chantier.",
    "Les arbres et les matériaux choisis résistent aux fortes chaleurs de l'été.",
    "Le conseil de quartier suivra la réalisation et en rendra compte.",
)
MIN_CHOICES, MAX_CHOICES = 5, 10


def _weighted_sample(rng: random.Random, items: list[str], weights: list[float], k: int):
    """k distinct items, the heavier more likely (Efraimidis–Spirakis keys)."""
    keys = [
        (rng.random() ** (1 / weight), item) for item, weight in zip(items, weights, strict=True)
    ]
    return [item for _key, item in sorted(keys, reverse=True)[:k]]


def approval_election(projects: int, voters: int, seed: int = 17) -> str:
    """The pabulib text of ``projects`` projects and ``voters`` approval ballots."""
    rng = random.Random(seed)
    ids = [str(n) for n in range(1, projects + 1)]
    costs = {
        pid: int(round(math.exp(rng.uniform(math.log(5_000), math.log(300_000))), -2))
        for pid in ids
    }
    weights = [1 / rank for rank in range(1, projects + 1)]
    rng.shuffle(weights)
    budget = sum(costs.values()) // 4
    low, high = min(MIN_CHOICES, projects), min(MAX_CHOICES, projects)
    lines = [
        "META",
        "key;value",
        f"description;Budget participatif synthétique ({projects} projets)",
        "country;France",
        "unit;Banc d'essai",
        f"instance;{seed}",
        f"num_projects;{projects}",
        f"num_votes;{voters}",
        f"budget;{budget}",
        "vote_type;approval",
        "rule;greedy",
        f"min_length;{low}",
        f"max_length;{high}",
        "PROJECTS",
        "project_id;cost;name;description",
    ]
    titles = itertools.cycle(itertools.product(THEMES, PLACES))
    for pid in ids:
        theme, place = next(titles)
        description = " ".join(rng.sample(SENTENCES, rng.randint(3, 6)))
        lines.append(f"{pid};{costs[pid]};{theme} {place} (n° {pid});{description}")
    lines += ["VOTES", "voter_id;vote"]
    for voter in range(1, voters + 1):
        chosen = _weighted_sample(rng, ids, weights, rng.randint(low, high))
        lines.append(f"{voter};{','.join(chosen)}")
    return "\n".join(lines) + "\n"
