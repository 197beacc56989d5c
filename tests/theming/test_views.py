"""The back office's site pages and the public legal pages, driven as a browser without
JavaScript would: plain forms, POST buttons, redirects."""

import pytest
from django_tenants.utils import tenant_context

from tests.accounts.helpers import page_text
from tests.conftest import client_for, stored_files
from tests.participation.conftest import logged_in, make_user
from tests.participation.factories import AdminFactory
from tests.theming.conftest import STATEMENT as SAVED_STATEMENT
from tests.theming.files import EXE, PNG, big_png, upload
from theming.models import LegalPage, SiteTheme
from theming.selectors import legal_page_is_published, theme_is_set
from theming.services import legal_page_publish, legal_page_save, theme_update

THEME = {"primary_colour": "#0b5394", "accent_colour": "#a14400", "tagline": "Ensemble"}
# The statement as the form sends it.
STATEMENT = {**SAVED_STATEMENT, "audit_date": "2026-09-01"}
# Each back-office page, and French words it shows.
BACKOFFICE_PAGES_IN_FRENCH = [
    ("/gestion/site/", "<h1>Site de la commune</h1>"),
    ("/gestion/site/theme/", "<h1>Thème du site</h1>"),
    (
        "/gestion/site/theme/apercu/?primary_colour=%230b5394",
        "Texte blanc sur #0b5394 : contraste 7,83:1",
    ),
    ("/gestion/site/pages/mentions-legales/", "<h1>Mentions légales"),
    ("/gestion/site/pages/accessibilite/", "État de conformité au RGAA"),
]
BACKOFFICE_PAGES = [url for url, _french in BACKOFFICE_PAGES_IN_FRENCH]
BACKOFFICE_POSTS = [
    ("/gestion/site/theme/", THEME),
    ("/gestion/site/theme/modele/", {"key": "vert"}),
    ("/gestion/site/pages/accessibilite/", STATEMENT),
    ("/gestion/site/pages/mentions-legales/publier/", {"publish": "1"}),
]


@pytest.fixture
def admin_client(in_town_a, town_a):
    return logged_in(town_a, AdminFactory())


def client_as(role: str, town):
    return client_for(town) if role == "anonymous" else logged_in(town, make_user(role))


def published(kind: str, **fields):
    legal_page_save(kind=kind, **({"body": "Texte de la page"} | fields))
    return legal_page_publish(kind=kind)


# Who may


@pytest.mark.parametrize("url", BACKOFFICE_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(in_town_a, town_a, url):
    response = client_for(town_a).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/?next=/gestion/site/")


@pytest.mark.parametrize("role", ["citizen", "moderator"])
@pytest.mark.parametrize("url", BACKOFFICE_PAGES)
def test_citizens_and_moderators_are_refused(in_town_a, town_a, role, url):
    assert client_as(role, town_a).get(url).status_code == 403


@pytest.mark.parametrize("role", ["anonymous", "citizen", "moderator"])
@pytest.mark.parametrize(("url", "data"), BACKOFFICE_POSTS)
def test_only_admins_change_anything(in_town_a, town_a, role, url, data):
    legal_page_save(kind="legal_notice", body="Texte")
    response = client_as(role, town_a).post(url, data)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/compte/connexion/")
    assert not SiteTheme.objects.exists()
    assert not legal_page_is_published("legal_notice")
    assert not LegalPage.objects.filter(kind="accessibility").exists()


@pytest.mark.parametrize(("url", "french"), BACKOFFICE_PAGES_IN_FRENCH)
def test_admins_see_every_page_in_french(admin_client, url, french):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert french in page_text(response)


def test_the_back_office_menu_links_the_site_pages_for_admins_only(in_town_a, town_a):
    menu_link = '<a href="/gestion/site/">Site de la commune</a>'
    assert menu_link in page_text(logged_in(town_a, make_user("admin")).get("/gestion/"))
    assert menu_link not in page_text(logged_in(town_a, make_user("moderator")).get("/gestion/"))


# Theme editor


def test_the_theme_is_saved_and_shown_on_every_page(admin_client, town_a, media_root):
    response = admin_client.post(
        "/gestion/site/theme/", {**THEME, "logo": upload("blason.png", PNG, "image/png")}
    )
    assert response.status_code == 302
    assert "Thème enregistré." in page_text(admin_client.get(response["Location"]))
    assert theme_is_set()
    home = page_text(client_for(town_a).get("/"))
    version = int(SiteTheme.objects.get().updated_at.timestamp())
    assert f"/theme.css?v={version}" in home
    tokens = client_for(town_a).get(f"/theme.css?v={version}").content.decode()
    assert "--primary: #0b5394; --accent: #a14400;" in tokens
    logo_url = SiteTheme.objects.get().logo.url
    assert f'<img src="{logo_url}"' in home
    assert client_for(town_a).get(logo_url).getvalue() == PNG


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"primary_colour": "bleu"}, "« bleu » n'est pas une couleur"),
        ({"primary_colour": "#ffcc00"}, "le texte blanc sur #ffcc00 n'a qu'un contraste de 1,51:1"),
        ({"logo": upload("logo.png", EXE, "image/png")}, "Le logo doit être une image PNG"),
        ({"logo": big_png(2 << 20)}, "Le logo fait 2,0\xa0Mio : 1,0\xa0Mio au plus."),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(
    admin_client, media_root, fields, message
):
    response = admin_client.post("/gestion/site/theme/", {**THEME, **fields})
    assert response.status_code == 400
    html = page_text(response)
    assert message in html and 'class="error"' in html
    assert not SiteTheme.objects.exists()
    assert stored_files(media_root, "ville_a") == []


def test_preview_without_javascript_shows_the_colours_without_saving(admin_client):
    response = admin_client.post(
        "/gestion/site/theme/", {**THEME, "primary_colour": "#7a1f2b", "preview": "1"}
    )
    assert response.status_code == 200
    html = page_text(response)
    assert "background: #7a1f2b; color: #fff" in html
    assert "Texte blanc sur #7a1f2b : contraste 10,20:1" in html
    assert not SiteTheme.objects.exists()


def test_the_live_preview_fragment_warns_and_never_echoes_a_non_colour(admin_client):
    response = admin_client.get(
        "/gestion/site/theme/apercu/",
        {"primary_colour": "#ffcc00", "accent_colour": "red;}</style><script>x()</script>"},
        HTTP_HX_REQUEST="true",
    )
    html = page_text(response)
    assert "<html" not in html  # the fragment alone
    assert "background: #ffcc00" in html and "il faut au moins 4,5:1" in html
    assert "<script>" not in response.content.decode()
    assert "« red;}</style>" not in response.content.decode()


def test_the_editor_is_wired_for_htmx_and_works_without_it(admin_client):
    html = page_text(admin_client.get("/gestion/site/theme/"))
    assert 'hx-get="/gestion/site/theme/apercu/"' in html
    assert 'method="post" enctype="multipart/form-data"' in html
    assert '<button type="submit" name="preview" value="1"' in html


def test_a_preset_is_applied_from_the_editor(admin_client):
    response = admin_client.post("/gestion/site/theme/modele/", {"key": "terre"}, follow=True)
    assert "Modèle « Terre » appliqué." in page_text(response)
    assert SiteTheme.objects.get().primary_colour == "#a0412d"
    response = admin_client.post("/gestion/site/theme/modele/", {"key": "rose"}, follow=True)
    assert "Modèle de thème inconnu : « rose »" in page_text(response)


def test_a_tagline_with_markup_is_shown_as_text(admin_client, town_a):
    admin_client.post("/gestion/site/theme/", {**THEME, "tagline": "<script>x()</script>"})
    assert "&lt;script&gt;x()&lt;/script&gt;" in client_for(town_a).get("/").content.decode()


# Legal pages: back office


def test_a_page_is_written_published_and_unpublished_from_the_back_office(admin_client, town_a):
    url = "/gestion/site/pages/mentions-legales/"
    assert client_for(town_a).get("/mentions-legales/").status_code == 404
    response = admin_client.post(url, {"body": "# Éditeur\nMairie de Ville A"})
    assert response.status_code == 302
    assert client_for(town_a).get("/mentions-legales/").status_code == 404  # saved, not public

    response = admin_client.post(f"{url}publier/", {"publish": "1"}, follow=True)
    assert "Page publiée." in page_text(response)
    public = client_for(town_a).get("/mentions-legales/")
    assert public.status_code == 200
    assert "<h1>Mentions légales</h1>" in page_text(public)
    assert "<h2>Éditeur</h2>\n<p>Mairie de Ville A</p>" in page_text(public)

    response = admin_client.post(f"{url}publier/", {"publish": "0"}, follow=True)
    assert "Page retirée du site public." in page_text(response)
    assert client_for(town_a).get("/mentions-legales/").status_code == 404


def test_publishing_an_empty_page_shows_why_not(admin_client):
    admin_client.post("/gestion/site/pages/confidentialite/", {"body": ""})
    response = admin_client.post(
        "/gestion/site/pages/confidentialite/publier/", {"publish": "1"}, follow=True
    )
    assert "est vide : rédigez son texte avant de la publier." in page_text(response)
    assert not legal_page_is_published("privacy")


def test_the_statement_form_shows_field_errors(admin_client):
    response = admin_client.post(
        "/gestion/site/pages/accessibilite/", {**STATEMENT, "audit_date": ""}
    )
    assert response.status_code == 400
    assert "qu'après un audit" in page_text(response)
    assert not LegalPage.objects.exists()


def test_an_unknown_page_is_not_found(admin_client):
    assert admin_client.get("/gestion/site/pages/cgu/").status_code == 404
    assert (
        admin_client.post("/gestion/site/pages/cgu/publier/", {"publish": "1"}).status_code == 404
    )


def test_the_overview_tells_what_is_left(admin_client):
    legal_page_save(kind="privacy", body="Brouillon")
    published("legal_notice")
    html = page_text(admin_client.get("/gestion/site/"))
    assert "Le thème n'a pas encore été enregistré avec un logo." in html
    assert "Publiée le" in html and "Brouillon" in html and "Pas encore rédigée" in html


# Legal pages: public site


def test_the_statement_page_shows_status_audit_contact_and_recourse(admin_client, town_a):
    admin_client.post("/gestion/site/pages/accessibilite/", STATEMENT)
    admin_client.post("/gestion/site/pages/accessibilite/publier/", {"publish": "1"})
    html = page_text(client_for(town_a).get("/accessibilite/"))
    assert "<h1>Déclaration d'accessibilité</h1>" in html
    assert "est <strong>partiellement conforme</strong> avec le référentiel" in html
    assert "Audit de conformité réalisé le 1 septembre 2026." in html
    assert '<a href="mailto:accessibilite@ville-a.fr">accessibilite@ville-a.fr</a>' in html
    assert "Défenseur des droits" in html


def test_page_text_is_escaped_on_the_public_page(in_town_a, town_a):
    published("privacy", body='<img src=x onerror="alert(1)">')
    html = client_for(town_a).get("/confidentialite/").content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html


def test_footer_links_on_every_page_with_the_rgaa_status(in_town_a, town_a):
    assert "Informations légales" not in page_text(client_for(town_a).get("/"))
    published("legal_notice")
    published("accessibility", **{**SAVED_STATEMENT, "audit_date": None, "conformity": "none"})
    for url in ("/", "/compte/connexion/", "/mentions-legales/"):
        html = page_text(client_for(town_a).get(url))
        assert '<nav aria-label="Informations légales">' in html
        assert '<a href="/mentions-legales/">Mentions légales</a>' in html
        assert '<a href="/accessibilite/">Accessibilité : non conforme</a>' in html
        assert "/confidentialite/" not in html


def test_the_footer_status_follows_the_statement(in_town_a, town_a):
    published("accessibility", **{**SAVED_STATEMENT, "audit_date": None, "conformity": "none"})
    legal_page_save(kind="accessibility", **SAVED_STATEMENT)
    assert "Accessibilité : partiellement conforme" in page_text(client_for(town_a).get("/"))


def test_pages_published_in_a_town_stay_there(town_a, town_b):
    with tenant_context(town_a):
        published("legal_notice", body="Mairie de Ville A")
        theme_update(**THEME, logo=upload("a.png", PNG))
    assert client_for(town_b).get("/mentions-legales/").status_code == 404
    html_b = page_text(client_for(town_b).get("/"))
    assert "/mentions-legales/" not in html_b and "#0b5394" not in html_b
    with tenant_context(town_b):
        assert not legal_page_is_published("legal_notice") and not theme_is_set()
    assert "Mairie de Ville A" in page_text(client_for(town_a).get("/mentions-legales/"))


def test_an_admin_of_town_a_is_nobody_on_town_b(town_a, town_b):
    with tenant_context(town_a):
        admin_a = AdminFactory()
    client = logged_in(town_a, admin_a)
    client.defaults["HTTP_HOST"] = client_for(town_b).defaults["HTTP_HOST"]
    response = client.post("/gestion/site/theme/modele/", {"key": "vert"})
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    with tenant_context(town_b):
        assert not SiteTheme.objects.exists()


# Anonymous page cache


@pytest.mark.usefixtures("page_cache")
def test_a_page_published_after_a_404_is_served_at_once(in_town_a, town_a):
    assert client_for(town_a).get("/accessibilite/").status_code == 404  # not cached
    published("accessibility", **SAVED_STATEMENT)
    assert client_for(town_a).get("/accessibilite/").status_code == 200


@pytest.mark.usefixtures("page_cache")
def test_a_theme_change_shows_at_once_to_the_admin_who_made_it(admin_client, town_a):
    client_for(town_a).get("/")  # an anonymous copy is cached
    admin_client.post("/gestion/site/theme/", {**THEME, "primary_colour": "#7a1f2b"})
    version = int(SiteTheme.objects.get().updated_at.timestamp())
    assert f"/theme.css?v={version}" in page_text(admin_client.get("/"))
    assert "--primary: #7a1f2b" in admin_client.get(f"/theme.css?v={version}").content.decode()
