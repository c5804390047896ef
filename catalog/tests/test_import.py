"""The dataset importer on a small slice of the real dataset: idempotent, owners deterministic."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from accounts import services as accounts_services
from catalog import services, signals
from catalog.repositories import views as views_repo
from catalog.services import importer
from killrvideo.pagination import PageRequest
from killrvideo.tests.support import DATASET_DIR, receivers_off

DATA = DATASET_DIR
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="the public dataset is not checked out next to the project")


def _state():
    latest = services.latest_page(request=PageRequest(1, 100))
    return [(v.video_id, v.user_id, v.name, v.tags, v.views) for v in latest.items], latest.total


@pytest.mark.allows_scan  # an operator command: the tag-suggestion rebuild after an import reads the catalogue
def test_import_is_idempotent_and_pages_across_month_buckets(client):
    # The catalog's part only: the community's and the search index's steps have their own import tests.
    with receivers_off(signals.dataset_imported, "community.import", "discovery.search.import"):
        _import_twice_and_page()


def _import_twice_and_page():
    out = StringIO()
    call_command(
        "import_killrvideo_data", str(DATA), "--password", "dataset-pass-1", "--limit", "20", stdout=out, verbosity=0
    )
    assert "20 new" in out.getvalue()
    first, total = _state()
    assert total == 20
    assert [item[0] for item in first] == sorted(
        [item[0] for item in first], key=lambda vid: services.video_get(video_id=vid).added_date, reverse=True
    )
    call_command(
        "import_killrvideo_data", str(DATA), "--password", "dataset-pass-1", "--limit", "20", stdout=out, verbosity=0
    )
    assert _state() == (first, 20)
    # pages of 3 across many month buckets give the same newest-first sequence
    walked = []
    for page in range(1, 8):
        walked += [v.video_id for v in services.latest_page(request=PageRequest(page, 3)).items]
    assert walked == [item[0] for item in first]
    user = accounts_services.user_get_by_email(email="johnsonjoshua@example.org")
    assert (
        accounts_services.user_authenticate(email=user.email, password="dataset-pass-1", ip="127.0.0.1").user_id
        == user.user_id
    )
    assert sum(views_repo.views_get_many([item[0] for item in first]).values()) > 0


def test_owner_assignment_is_deterministic():
    owners = [importer.video_uuid("a", 0), importer.video_uuid("b", 0)]
    assert importer.stable_index("dQw4w9WgXcQ#0", 2) == importer.stable_index("dQw4w9WgXcQ#0", 2)
    assert importer.video_uuid("dQw4w9WgXcQ", 0) != importer.video_uuid("dQw4w9WgXcQ", 1)
    assert owners[0] != owners[1]


def test_bad_directory_is_a_clear_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="does not look like"):
        call_command("import_killrvideo_data", str(tmp_path), "--password", "dataset-pass-1")


def test_every_real_video_file_is_found():
    # Some YouTube ids start with "_": only the manifest is not a video.
    assert len(importer.video_files(DATA, None)) == 727
