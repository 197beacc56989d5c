"""A pabulib file in the back office: uploaded into an empty budget, checked and kept aside
(privately, under a token) for its preview, then imported all or nothing; and a budget's
file for download. The reading and writing themselves are ``importing``'s, shared with the
pb_* commands."""

from __future__ import annotations

import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Invalid
from participation.services import ensure_perm

from .. import importing, pabulib
from ..models import Budget

MAX_BYTES = 15 * 1024 * 1024
"""The largest file taken in the browser, below the proxy's cap on a request's body
(deploy/nginx: 20 MB, refused there before Django reads anything); bigger elections go
through ``pb_import``."""
KEPT_SECONDS = 24 * 3600
"""How long an upload waits for its confirmation."""
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def size_refusal() -> str:
    return _(
        "Le fichier dépasse %(max)d Mo : il n'est pas lu. Importez-le en ligne de commande "
        "(pb_import)."
    ) % {"max": MAX_BYTES // (1024 * 1024)}


def pabulib_text(data: bytes, filename: str) -> str:
    """The uploaded bytes as text, or ``Invalid`` saying why not (size, type, encoding)."""
    if len(data) > MAX_BYTES:
        raise Invalid(size_refusal(), field="file")
    if not filename.lower().endswith(".pb"):
        raise Invalid(_("Le fichier doit être un fichier pabulib (extension .pb)."), field="file")
    if b"\x00" in data:
        raise Invalid(_("Ce fichier n'est pas un fichier texte pabulib."), field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Invalid(
            _(
                "Le fichier n'est pas en UTF-8 (ligne %(line)d) : enregistrez-le en UTF-8 "
                "puis déposez-le à nouveau."
            )
            % {"line": line},
            field="file",
        ) from exc


@dataclass(frozen=True)
class Preview:
    """What the file would put in the budget."""

    token: str
    filename: str
    instance: pabulib.PabulibInstance
    settings: dict

    @property
    def projects(self) -> list[pabulib.ProjectRow]:
        return list(self.instance.projects.values())

    @property
    def ballots(self) -> int:
        return len(self.instance.votes)

    @property
    def total_cost(self) -> int:
        return sum(row.cost for row in self.instance.projects.values())

    @property
    def ballot_rule_label(self) -> str:
        return Budget.BallotRule(self.settings["ballot_rule"]).label


def _staging() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "pabulib" / connection.schema_name


def _folder(budget: Budget, actor: User, token: str) -> Path:
    """One upload's folder: the budget and the account are in its name, so a token is of no
    use to anyone else or for another budget."""
    if not TOKEN.fullmatch(token or ""):
        raise Invalid(_("Aperçu inconnu ou expiré : déposez le fichier à nouveau."))
    return _staging() / f"{budget.pk}-{actor.pk}-{token}"


def _sweep() -> None:
    """Uploads never confirmed are removed after KEPT_SECONDS."""
    staging = _staging()
    if not staging.is_dir():
        return
    limit = time.time() - KEPT_SECONDS
    for folder in staging.iterdir():
        if folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)


def _read(budget: Budget, actor: User, token: str) -> Preview:
    folder = _folder(budget, actor, token)
    files = sorted(folder.glob("*.pb")) if folder.is_dir() else []
    if not files:
        raise Invalid(_("Aperçu inconnu ou expiré : déposez le fichier à nouveau."))
    instance = pabulib.parse(files[0].read_text(encoding="utf-8"), source=files[0].name)
    return Preview(token, files[0].name, instance, importing.budget_settings(instance))


def pabulib_stage(*, actor: User, budget: Budget, data: bytes, filename: str) -> Preview:
    """Check an uploaded file (``Invalid``, or ``PabulibError`` listing every bad line) and
    keep it for its preview and confirmation. Nothing is written in the budget."""
    ensure_perm(actor, "budgets.import_pabulib", budget)
    text = pabulib_text(data, filename)
    name = get_valid_filename(Path(filename).name) or "import.pb"
    instance = pabulib.parse(text, source=name)
    _sweep()
    token = secrets.token_urlsafe(24)
    folder = _folder(budget, actor, token)
    folder.mkdir(parents=True, mode=0o700)
    (folder / name).write_text(text, encoding="utf-8")
    return Preview(token, name, instance, importing.budget_settings(instance))


def pabulib_preview(*, actor: User, budget: Budget, token: str) -> Preview:
    ensure_perm(actor, "budgets.import_pabulib", budget)
    return _read(budget, actor, token)


def pabulib_import(*, actor: User, budget: Budget, token: str) -> Preview:
    """Put the previewed file's projects and ballots in the budget, with its envelope and
    ballot rules: all or nothing. The kept upload is then removed."""
    preview = pabulib_preview(actor=actor, budget=budget, token=token)
    with transaction.atomic():
        locked = Budget.objects.select_for_update().get(pk=budget.pk)
        locked.component = budget.component
        ensure_perm(actor, "budgets.import_pabulib", locked)  # nobody filled it meanwhile
        for field, value in preview.settings.items():
            setattr(locked, field, value)
        try:
            locked.full_clean(exclude=["component", "neighbourhood"])
        except ValidationError as exc:
            raise Invalid(" ".join(exc.messages)) from exc
        locked.save(update_fields=list(preview.settings))
        importing.write_projects_and_ballots(locked, preview.instance)
    shutil.rmtree(_folder(budget, actor, token), ignore_errors=True)
    return preview


def pabulib_export(*, actor: User, budget: Budget) -> str:
    ensure_perm(actor, "budgets.change_budget", budget)
    return importing.export_pabulib(budget)
