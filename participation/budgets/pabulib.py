"""Reading and writing participatory-budget elections in the pabulib format (pabulib.org/format).

A ``.pb`` file has three ``;``-separated sections, in this order, each introduced by a line
holding only its name and followed by a header line::

    META                      PROJECTS                  VOTES
    key;value                 project_id;cost;...       voter_id;vote[;points];...
    budget;400000             7;150000;...              1-13;7,5,9
    vote_type;approval

``parse`` keeps every column (META keys, project columns such as ``name``, ``votes``, ``score``
or ``selected``, voter attributes such as ``age`` or ``voting_method``) so that ``write`` gives
back an equivalent file. It is tolerant of what real files contain (UTF-8 BOM, CRLF, trailing
spaces, ``"``-quoted fields, an optional trailing empty column, costs written ``4000.0``) and
strict about what would change a result: every error is a :class:`PabulibError` whose message,
in French, names the problem and whose ``line`` is the 1-based line number in the text. Bad
rows do not stop the reading: the error raised lists them all (``errors``, up to MAX_ERRORS),
so that a town fixes its file in one go.

Pure Python, no Django: the budgets module and ``benchmarks/pb_tally.py`` both use it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from core.errors import Invalid

__all__ = [
    "VOTE_TYPES",
    "PabulibError",
    "PabulibInstance",
    "ProjectRow",
    "VoteRow",
    "parse",
    "write",
]

VOTE_TYPES = ("approval", "ordinal", "cumulative", "scoring")
"""The ballot kinds the tally rules understand (``choose-1`` files are not accepted)."""

SECTIONS = ("META", "PROJECTS", "VOTES")
MAX_ERRORS = 100
"""Bad rows listed at most (the first error raised carries them all in ``errors``)."""


class PabulibError(Invalid):
    """A ``.pb`` text that cannot be read. ``message`` is French and names the problem;
    ``line`` is the 1-based line of the text where it was found (``None`` when the problem is
    not on one line, e.g. an empty file)."""

    def __init__(self, message: str, line: int | None = None, *, source: str = "<pb>") -> None:
        where = f"{source}, ligne {line}" if line is not None else source
        super().__init__(f"{where} : {message}")
        # The problem alone (str() adds where it is).
        self.message = message
        self.line = line
        self.source = source
        # Every problem found in the file (in line order), this one first.
        self.errors: list[PabulibError] = [self]

    def with_others(self, errors: list[PabulibError]) -> PabulibError:
        self.errors = errors
        return self


class _Enough(Exception):
    """MAX_ERRORS bad rows found: the rest of the file is not read."""


@dataclass
class ProjectRow:
    """One line of the PROJECTS section. ``fields`` holds every other column, by header name
    (``name``, ``votes``, ``score``, ``selected``...), as the file wrote it."""

    project_id: str
    cost: int
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class VoteRow:
    """One ballot. ``projects`` keeps the file's order (rank order for ordinal ballots);
    ``points`` is parallel to it when the file has a ``points`` column, else ``None``;
    ``fields`` holds the other voter columns (``age``, ``sex``, ``voting_method``...)."""

    voter_id: str
    projects: list[str]
    points: list[int] | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class PabulibInstance:
    meta: dict[str, str]
    projects: dict[str, ProjectRow]
    votes: list[VoteRow]
    project_columns: list[str]
    vote_columns: list[str]

    @property
    def vote_type(self) -> str:
        return self.meta["vote_type"]

    @property
    def budget(self) -> int:
        """The META ``budget``, as an integer (files may write ``1000000.0``)."""
        return _integer(self.meta["budget"])

    @property
    def costs(self) -> dict[str, int]:
        return {pid: row.cost for pid, row in self.projects.items()}

    @property
    def selected(self) -> list[str] | None:
        """Ids of the projects the file marks as funded (``selected`` column equal to 1), in
        file order; ``None`` when the file has no ``selected`` column."""
        if "selected" not in self.project_columns:
            return None
        return [
            pid for pid, row in self.projects.items() if _is_one(row.fields.get("selected", ""))
        ]


# --------------------------------------------------------------------------------------- parse


def parse(text: str, *, source: str = "<pb>") -> PabulibInstance:
    """Read a pabulib file given as text; raise :class:`PabulibError` if it is malformed."""

    def fail(message: str, line: int | None) -> PabulibError:
        return PabulibError(message, line, source=source)

    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not any(line.strip() for line in lines):
        raise fail("fichier vide", None)

    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    projects: dict[str, ProjectRow] = {}
    votes: list[VoteRow] = []
    seen_voters: dict[str, int] = {}
    project_columns: list[str] = []
    vote_columns: list[str] = []
    section_lines: dict[str, int] = {}
    errors: list[PabulibError] = []

    section: str | None = None
    header: list[str] | None = None  # None until the section's header line is read
    expected = 0  # index in SECTIONS of the next section marker we accept
    vote_type = ""
    points_column = False

    try:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            row = _split(raw)
            marker = row[0].upper() if all(not cell for cell in row[1:]) else ""
            if marker in SECTIONS:
                if expected >= len(SECTIONS) or marker != SECTIONS[expected]:
                    if marker in section_lines:
                        first = section_lines[marker]
                        raise fail(
                            f"section {marker} en double (déjà ouverte ligne {first})", number
                        )
                    missing = SECTIONS[expected]
                    raise fail(f"section {missing} manquante avant la section {marker}", number)
                if section is not None and header is None:
                    raise fail(f"ligne d'en-tête manquante dans la section {section}", number)
                if marker == "PROJECTS":
                    vote_type = _check_meta(meta, meta_lines, number, fail)
                section, header = marker, None
                section_lines[marker] = number
                expected += 1
                continue
            if section is None:
                raise fail("section META manquante : le fichier doit commencer par META", number)

            if header is None:  # the section's header line
                header = _header(row)
                if section == "PROJECTS":
                    for required in ("project_id", "cost"):
                        if required not in header:
                            raise fail(f"colonne « {required} » manquante dans PROJECTS", number)
                    project_columns = header
                elif section == "VOTES":
                    for required in ("voter_id", "vote"):
                        if required not in header:
                            raise fail(f"colonne « {required} » manquante dans VOTES", number)
                    points_column = "points" in header
                    if vote_type in ("cumulative", "scoring") and not points_column:
                        raise fail(
                            f"colonne « points » manquante dans VOTES (vote_type {vote_type})",
                            number,
                        )
                    vote_columns = header
                if len(set(header)) != len(header):
                    raise fail("nom de colonne en double dans l'en-tête", number)
                continue

            if section == "META":
                key = row[0]
                value = ";".join(row[1:]).rstrip(";").strip() if len(row) > 2 else _cell(row, 1)
                if not key:
                    raise fail("clé META vide", number)
                if key in meta:
                    raise fail(f"clé META « {key} » en double (ligne {meta_lines[key]})", number)
                meta[key] = value
                meta_lines[key] = number
                continue

            try:
                cells = _cells(row, header, number, fail)
                if section == "PROJECTS":
                    pid = cells.pop("project_id")
                    if not pid:
                        raise fail("identifiant de projet vide", number)
                    if pid in projects:
                        raise fail(f"projet « {pid} » en double", number)
                    cost_text = cells.pop("cost")
                    cost = _number(cost_text)
                    if cost is None:
                        raise fail(
                            f"coût non numérique « {cost_text} » pour le projet {pid}", number
                        )
                    if cost < 0:
                        raise fail(f"coût négatif « {cost_text} » pour le projet {pid}", number)
                    if cost != cost.to_integral_value():
                        raise fail(f"coût non entier « {cost_text} » pour le projet {pid}", number)
                    projects[pid] = ProjectRow(pid, int(cost), cells)
                else:  # VOTES
                    voter = cells.pop("voter_id")
                    if not voter:
                        raise fail("identifiant de votant vide", number)
                    if voter in seen_voters:
                        raise fail(
                            f"votant « {voter} » en double (déjà ligne {seen_voters[voter]})",
                            number,
                        )
                    seen_voters[voter] = number
                    chosen = _list(cells.pop("vote"))
                    seen: set[str] = set()
                    for pid in chosen:
                        if pid not in projects:
                            raise fail(
                                f"le bulletin de {voter} cite un projet inconnu « {pid} »", number
                            )
                        if pid in seen:
                            raise fail(
                                f"le bulletin de {voter} cite deux fois le projet « {pid} »", number
                            )
                        seen.add(pid)
                    points = None
                    if points_column:
                        points_text = cells.pop("points")
                        if points_text or vote_type in ("cumulative", "scoring"):
                            points = _points(points_text, chosen, voter, number, fail)
                    votes.append(VoteRow(voter, chosen, points, cells))
            except PabulibError as exc:  # a bad row: the others are still read, to list all
                errors.append(exc)
                if len(errors) >= MAX_ERRORS:
                    raise _Enough from exc
        if section is None:  # only possible if every line was blank, handled above
            raise fail("section META manquante", None)
        last = max(number for number, raw in enumerate(lines, start=1) if raw.strip())
        if expected < len(SECTIONS):
            raise fail(f"section {SECTIONS[expected]} manquante (fin du fichier)", last)
        if header is None:
            raise fail("ligne d'en-tête manquante dans la section VOTES", last)
    except PabulibError as fatal:  # the file cannot be read further
        errors.append(fatal)
    except _Enough:
        pass
    if errors:
        raise errors[0].with_others(errors)
    return PabulibInstance(meta, projects, votes, project_columns, vote_columns)


def _check_meta(meta, meta_lines, number, fail) -> str:
    """Checks done when META ends (at the PROJECTS marker, line ``number``)."""
    if "vote_type" not in meta:
        raise fail("vote_type manquant dans META", number)
    vote_type = meta["vote_type"]
    if vote_type not in VOTE_TYPES:
        raise fail(
            f"type de vote inconnu « {vote_type} » (attendu : {', '.join(VOTE_TYPES)})",
            meta_lines["vote_type"],
        )
    if "budget" not in meta or not meta["budget"]:
        raise fail("budget manquant dans META", meta_lines.get("budget", number))
    budget = _number(meta["budget"])
    if budget is None or budget < 0 or budget != budget.to_integral_value():
        raise fail(
            f"budget invalide « {meta['budget']} » (entier positif attendu)",
            meta_lines["budget"],
        )
    return vote_type


def _split(raw: str) -> list[str]:
    quoted = '"' in raw  # the csv module only when needed: it is slower than str.split
    row = next(csv.reader([raw], delimiter=";", quotechar='"')) if quoted else raw.split(";")
    return [cell.strip() for cell in row]


def _header(row: list[str]) -> list[str]:
    while len(row) > 1 and not row[-1]:
        row = row[:-1]
    return row


def _cell(row: list[str], index: int) -> str:
    return row[index] if index < len(row) else ""


def _cells(row: list[str], header: list[str], number: int, fail) -> dict[str, str]:
    if len(row) > len(header):
        extra = row[len(header) :]
        if any(extra):
            raise fail(f"{len(row)} colonnes pour un en-tête de {len(header)} colonnes", number)
        row = row[: len(header)]
    return {name: (row[i] if i < len(row) else "") for i, name in enumerate(header)}


def _list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()] if text else []


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", ".").replace(" ", "").replace("\u00a0", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _integer(text: str) -> int:
    value = _number(text)
    if value is None or value != value.to_integral_value():
        raise ValueError(f"« {text} » n'est pas un nombre entier")
    return int(value)


def _is_one(text: str) -> bool:
    value = _number(text) if text else None
    return value is not None and value == 1


def _points(text: str, chosen: list[str], voter: str, number: int, fail) -> list[int]:
    items = _list(text)
    if len(items) != len(chosen):
        raise fail(
            f"le bulletin de {voter} a {len(items)} points pour {len(chosen)} projets", number
        )
    result = []
    for item in items:
        value = _number(item)
        if value is None or value != value.to_integral_value():
            raise fail(f"points non entiers « {item} » dans le bulletin de {voter}", number)
        if value < 0:
            raise fail(f"points négatifs « {item} » dans le bulletin de {voter}", number)
        result.append(int(value))
    return result


# --------------------------------------------------------------------------------------- write


def write(instance: PabulibInstance) -> str:
    """The instance as pabulib text (LF line ends, no BOM, fields quoted only when needed).
    ``parse(write(x)) == x`` and pabutools reads it. Costs are written as integers."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quotechar='"', lineterminator="\n")
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in instance.meta.items():
        writer.writerow([key, value])

    project_columns = instance.project_columns or ["project_id", "cost"]
    writer.writerow(["PROJECTS"])
    writer.writerow(project_columns)
    for row in instance.projects.values():
        values = {"project_id": row.project_id, "cost": str(row.cost), **row.fields}
        writer.writerow([values.get(name, "") for name in project_columns])

    vote_columns = list(instance.vote_columns or ["voter_id", "vote"])
    if "points" not in vote_columns and any(v.points is not None for v in instance.votes):
        vote_columns.insert(vote_columns.index("vote") + 1, "points")
    writer.writerow(["VOTES"])
    writer.writerow(vote_columns)
    for vote in instance.votes:
        values = {
            "voter_id": vote.voter_id,
            "vote": ",".join(vote.projects),
            "points": "" if vote.points is None else ",".join(map(str, vote.points)),
            **vote.fields,
        }
        writer.writerow([values.get(name, "") for name in vote_columns])
    return out.getvalue()
