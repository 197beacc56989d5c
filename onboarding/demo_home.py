"""Each demo town's homepage and its spaces' pictures: a banner in the town's colours
(``demo_images/``, drawn by ``tools/draw_demo_images.py``, CC0) and its own choice and order of
blocks, published through the homepage's services like a town's administrator would."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.core.files import File

from accounts.models import User
from participation.components import component_url
from participation.home import services as home
from participation.home.blocks import block_kind
from participation.models import Component, Space
from participation.services import space_update

IMAGES = Path(__file__).resolve().parent / "demo_images"

# The picture of each demo space, by its kind: (file suffix, what it shows).
SPACE_PICTURES = {
    Space.Kind.CONSULTATION: ("concertation", "Des vélos garés à des arceaux dans une rue."),
    Space.Kind.NEIGHBOURHOOD_COUNCIL: ("conseil", "Deux bancs et une fontaine sur une place."),
    Space.Kind.BUDGET_CAMPAIGN: ("budget", "Une prairie fleurie devant les maisons du quartier."),
    Space.Kind.VOLUNTEERING_HUB: ("benevolat", "Un verger partagé, planté par les bénévoles."),
}


@dataclass(frozen=True)
class DemoHome:
    hero_title: str
    hero_text: str
    hero_alt: str
    # The blocks after the banner, in order: (kind, title).
    blocks: tuple[tuple[str, str], ...]
    text: str = ""


def _picture(path: Path, alt: str) -> dict:
    return {"image": File(path.open("rb"), name=path.name), "image_alt": alt}


def _spaces_pictured(*, admin: User, slug: str) -> None:
    for space in Space.objects.all():
        suffix, alt = SPACE_PICTURES.get(space.kind, (None, ""))
        if suffix is None:
            continue
        picture = _picture(IMAGES / f"{slug}-{suffix}.webp", alt)
        try:
            space_update(
                actor=admin,
                space=space,
                title=space.title,
                summary=space.summary,
                description=space.description,
                neighbourhood=space.neighbourhood,
                **picture,
            )
        finally:
            picture["image"].close()


def _call_to_action() -> tuple[str, str]:
    """The banner's button: the budget vote when the town has one, else its first space."""
    vote = Component.objects.filter(type_key="budgets").select_related("space").first()
    if vote is not None:
        return "Voter pour mon quartier", component_url(vote)
    space = Space.objects.filter(status=Space.Status.PUBLISHED).first()
    return ("Participer", f"/espaces/{space.slug}/") if space else ("", "")


def demo_home_seed(*, admin: User, slug: str, home_page: DemoHome) -> None:
    """Pictures for the demo spaces, then the town's homepage, published."""
    _spaces_pictured(admin=admin, slug=slug)
    label, url = _call_to_action()
    picture = _picture(IMAGES / f"{slug}-accueil.webp", home_page.hero_alt)
    try:
        home.block_add(
            actor=admin,
            kind="hero",
            title=home_page.hero_title,
            text=home_page.hero_text,
            link_label=label,
            link_url=url,
            **picture,
        )
    finally:
        picture["image"].close()
    for kind, title in home_page.blocks:
        if block_kind(kind) is None:  # its module is not installed here
            continue
        if kind == "text":
            home.block_add(actor=admin, kind=kind, title=title, text=home_page.text)
        else:
            home.block_add(actor=admin, kind=kind, title=title, limit=3)
    home.homepage_publish(actor=admin)
