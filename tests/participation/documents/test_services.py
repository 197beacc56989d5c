import re

import pytest
from django.db import IntegrityError

from core.errors import ApplicationError, NotAllowed
from participation.documents import services
from participation.documents.demo import documents_seed, minimal_pdf
from participation.documents.models import Document
from tests.conftest import stored_files
from tests.participation.conftest import ROLES, make_user
from tests.participation.documents.files import (
    ELF,
    EXE,
    HTML,
    JPEG,
    PDF,
    PNG,
    WAVE,
    WEBP,
    big_pdf,
    upload,
)
from tests.participation.factories import AdminFactory, ComponentFactory, ParticipantFactory

MB = 1024 * 1024


@pytest.fixture
def admin(in_town_a):
    return AdminFactory()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("compte-rendu.pdf", PDF, "application/pdf", "pdf"),
        ("plan.png", PNG, "image/png", "png"),
        ("photo.jpeg", JPEG, "image/jpeg", "jpg"),
        ("affiche.webp", WEBP, "image/webp", "webp"),
    ],
)
def test_pdf_and_images_are_accepted_by_their_first_bytes(
    documents_component, admin, media_root, name, content, content_type, extension
):
    document = services.document_upload(
        actor=admin, component=documents_component, file=upload(name, content, "text/plain")
    )
    assert document.content_type == content_type
    assert document.size == len(content)
    assert document.uploaded_by == admin
    assert document.file.name.endswith(f".{extension}")
    files = stored_files(media_root, "ville_a")
    assert len(files) == 1
    assert files[0].read_bytes() == content
    assert "documents" in files[0].parts


def test_an_image_named_pdf_is_stored_as_what_it_really_is(documents_component, admin):
    document = services.document_upload(
        actor=admin, component=documents_component, file=upload("plan.pdf", PNG)
    )
    assert document.content_type == "image/png"
    assert document.file.name.endswith("/plan.png")


def test_the_title_defaults_to_the_file_name(documents_component, admin):
    document = services.document_upload(
        actor=admin, component=documents_component, file=upload("Compte rendu.pdf", PDF)
    )
    assert document.title == "Compte rendu"
    titled = services.document_upload(
        actor=admin,
        component=documents_component,
        file=upload("cr.pdf", PDF),
        title="  Conseil du 3 mars  ",
        description="Séance ordinaire",
    )
    assert titled.title == "Conseil du 3 mars"
    assert titled.description == "Séance ordinaire"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", EXE),
        ("photo.jpg", ELF),
        ("page.png", HTML),
        ("son.webp", WAVE),
        ("presque.pdf", b"%PD"),
    ],
)
def test_a_file_that_is_not_really_allowed_is_refused_and_nothing_is_kept(
    documents_component, admin, media_root, name, content
):
    with pytest.raises(ApplicationError) as refusal:
        services.document_upload(
            actor=admin, component=documents_component, file=upload(name, content)
        )
    message = str(refusal.value)
    assert f"« {name} »" in message
    assert "n'est ni un PDF ni une image PNG, JPEG ou WebP" in message
    assert not Document.objects.exists()
    assert stored_files(media_root, "ville_a") == []


def test_a_30_mb_file_is_refused_with_its_size(documents_component, admin, media_root):
    with pytest.raises(ApplicationError) as refusal:
        services.document_upload(actor=admin, component=documents_component, file=big_pdf(30 * MB))
    assert str(refusal.value) == "Le fichier fait 30,0\xa0Mio : 20,0\xa0Mio au plus."
    assert not Document.objects.exists()
    assert stored_files(media_root, "ville_a") == []


def test_the_size_limit_is_20_mb_exactly(documents_component, admin, media_root):
    assert services.DOCUMENT_MAX_BYTES == 20 * MB
    with pytest.raises(ApplicationError, match="20,0\xa0Mio au plus"):
        services.document_upload(
            actor=admin, component=documents_component, file=big_pdf(20 * MB + 1)
        )
    document = services.document_upload(
        actor=admin, component=documents_component, file=big_pdf(20 * MB)
    )
    assert document.size == 20 * MB
    assert document.human_size == "20,0\xa0Mio"


def test_an_empty_file_is_refused(documents_component, admin, media_root):
    with pytest.raises(ApplicationError, match=re.escape("« vide.pdf » est vide")):
        services.document_upload(
            actor=admin, component=documents_component, file=upload("vide.pdf", b"")
        )
    assert stored_files(media_root, "ville_a") == []


def test_a_title_too_long_is_refused_before_anything_is_stored(
    documents_component, admin, media_root
):
    with pytest.raises(ApplicationError, match="201 caractères, 200 au plus"):
        services.document_upload(
            actor=admin, component=documents_component, file=upload("a.pdf", PDF), title="x" * 201
        )
    assert stored_files(media_root, "ville_a") == []


def test_the_stored_file_is_removed_when_the_row_cannot_be_written(
    documents_component, admin, media_root, monkeypatch
):
    def failing_save(self, *args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(Document, "save", failing_save)
    with pytest.raises(IntegrityError):
        services.document_upload(
            actor=admin, component=documents_component, file=upload("a.pdf", PDF)
        )
    assert stored_files(media_root, "ville_a") == []


def test_only_a_documents_component_takes_documents(in_town_a, admin):
    news = ComponentFactory(type_key="news")
    with pytest.raises(ApplicationError, match="pas un module de documents"):
        services.document_upload(actor=admin, component=news, file=upload("a.pdf", PDF))


@pytest.mark.parametrize("role", ROLES)
def test_only_moderators_and_admins_upload(documents_component, media_root, role):
    user = make_user(role)
    allowed = role in ("moderator", "admin")
    assert user.has_perm("documents.add_document", documents_component) is allowed
    if allowed:
        services.document_upload(
            actor=user, component=documents_component, file=upload("a.pdf", PDF)
        )
        assert Document.objects.count() == 1
    else:
        with pytest.raises(NotAllowed):
            services.document_upload(
                actor=user, component=documents_component, file=upload("a.pdf", PDF)
            )
        assert not Document.objects.exists()
        assert stored_files(media_root, "ville_a") == []


def test_a_space_moderator_uploads_in_their_space_only(documents_component, in_town_a):
    resident = ParticipantFactory()
    other = ComponentFactory(type_key="documents")
    documents_component.space.moderators.add(resident)
    services.document_upload(
        actor=resident, component=documents_component, file=upload("a.pdf", PDF)
    )
    with pytest.raises(NotAllowed):
        services.document_upload(actor=resident, component=other, file=upload("a.pdf", PDF))


def test_delete_removes_the_row_then_the_file(
    documents_component, admin, media_root, django_capture_on_commit_callbacks
):
    document = services.document_upload(
        actor=admin, component=documents_component, file=upload("a.pdf", PDF)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(actor=admin, document=document)
    assert not Document.objects.exists()
    assert stored_files(media_root, "ville_a") == []


def test_a_citizen_cannot_delete(documents_component, admin, media_root):
    document = services.document_upload(
        actor=admin, component=documents_component, file=upload("a.pdf", PDF)
    )
    with pytest.raises(NotAllowed):
        services.document_delete(actor=ParticipantFactory(), document=document)
    assert Document.objects.count() == 1
    assert len(stored_files(media_root, "ville_a")) == 1


def test_the_demo_pdf_is_a_well_formed_pdf(documents_component, media_root):
    documents_seed(documents_component)
    document = Document.objects.get()
    assert document.title == "Compte rendu du conseil de quartier"
    assert document.content_type == "application/pdf"
    data = document.file.open("rb").read()
    document.file.close()
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    assert b"(Compte rendu du conseil de quartier) Tj" in data
    # Each cross-reference entry points at the start of its object.
    startxref = int(data.rsplit(b"startxref", 1)[1].split()[0])
    assert data[startxref:].startswith(b"xref")
    entries = data[startxref:].split(b"\n")[3:8]
    for number, entry in enumerate(entries, start=1):
        offset = int(entry.split()[0])
        assert data[offset:].startswith(b"%d 0 obj" % number)


def test_minimal_pdf_escapes_parentheses():
    assert b"(Budget \\(2026\\)) Tj" in minimal_pdf(["Budget (2026)"])
