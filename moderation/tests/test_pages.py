"""Moderation pages: who may see them, the queue with counts and filters (htmx fragments), flag detail with
actions and unmask, the report form without JavaScript, roles page."""

from __future__ import annotations

from http import HTTPStatus

from accounts.tests.factories import signed_in_client
from moderation import services
from moderation.repositories import audit as audit_repo

SECRET = "Private reason text 4242"


def _flag(user, video, text=SECRET):
    return services.flag_report(
        actor=user, content_type="video", content_id=video.video_id, reason_code="spam", reason_text=text
    )


def test_pages_are_for_moderators_only(client, viewer, creator, moderator, admin, video):
    view = _flag(viewer, video)
    urls = [
        "/moderation",
        f"/moderation/flags/{view.flag.flag_id}",
        "/moderation/audit",
        "/moderation/users",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith("/signin?next=")
    for user in (viewer, creator):
        signed = signed_in_client(client.__class__(), user)
        for url in urls:
            assert signed.get(url).status_code == HTTPStatus.FORBIDDEN, url
        assert 'href="/moderation"' not in signed.get("/").content.decode()
    for user in (moderator, admin):
        signed = signed_in_client(client.__class__(), user)
        for url in urls:
            assert signed.get(url).status_code == HTTPStatus.OK, url
        assert 'href="/moderation"' in signed.get("/").content.decode()


def test_queue_counts_filters_and_fragment(client, viewer, moderator, video):
    _flag(viewer, video)
    mod = signed_in_client(client, moderator)
    page = mod.get("/moderation").content.decode()
    assert "Open" in page
    assert "Moderation target" not in page
    assert SECRET not in page
    assert "/moderation/flags/" in page
    fragment = mod.get("/moderation", {"status": "approved"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == HTTPStatus.OK
    body = fragment.content.decode()
    assert body.lstrip().startswith('<section id="queue"')
    assert "Nothing here" in body
    assert mod.get("/moderation", {"status": "nope"}).status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert mod.get("/moderation", {"type": "video"}).status_code == HTTPStatus.OK


def test_detail_actions_unmask_and_restore(client, viewer, moderator, admin, video):
    view = _flag(viewer, video)
    url = f"/moderation/flags/{view.flag.flag_id}"
    mod = signed_in_client(client.__class__(), moderator)
    page = mod.get(url)
    assert "Moderation target" in page.content.decode()
    assert SECRET not in page.content.decode()
    assert "Unmask" not in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    assert mod.post(f"{url}/unmask").status_code == HTTPStatus.FORBIDDEN
    acted = mod.post(f"{url}/action", {"status": "approved", "notes": "spam"}, HTTP_HX_REQUEST="true")
    assert acted.status_code == HTTPStatus.OK
    assert "Approved" in acted.content.decode()
    assert client.get(f"/watch/{video.video_id}").status_code == HTTPStatus.NOT_FOUND
    bad = mod.post(f"{url}/action", {"status": "rejected"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == HTTPStatus.CONFLICT
    adm = signed_in_client(client.__class__(), admin)
    assert "Unmask the details" in adm.get(url).content.decode()
    unmasked = adm.post(f"{url}/unmask", HTTP_HX_REQUEST="true")
    assert SECRET in unmasked.content.decode()
    assert SECRET not in adm.get(url).content.decode()
    restored = mod.post(f"/moderation/restore/video/{video.video_id}", {"flag": str(view.flag.flag_id)})
    assert restored.status_code == HTTPStatus.SEE_OTHER
    assert client.get(f"/watch/{video.video_id}").status_code == HTTPStatus.OK
    actions = [e.action.value for e in audit_repo.audit_of_content(video.video_id, 10)]
    assert actions == ["restore", "unmask", "approve", "report"]


def test_report_form_works_without_javascript(client, viewer, moderator, video):
    url = f"/report?contentType=video&contentId={video.video_id}&next=/watch/{video.video_id}"
    anonymous = client.get(url)
    assert anonymous.status_code == HTTPStatus.FOUND
    assert anonymous["Location"].startswith("/signin?next=%2Freport%3F")
    signed = signed_in_client(client, viewer)
    form = signed.get(url)
    assert form.status_code == HTTPStatus.OK
    assert "Why are you reporting this video?" in form.content.decode()
    body = {"contentType": "video", "contentId": str(video.video_id), "next": f"/watch/{video.video_id}"}
    missing = signed.post("/report", body)
    assert missing.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert services.queue_counts(actor=moderator)["open"] == 0
    done = signed.post("/report", {**body, "reason_code": "spam", "reason_text": "nope"})
    assert done.status_code == HTTPStatus.OK
    assert "Your report was sent" in done.content.decode()
    again = signed.post("/report", {**body, "reason_code": "spam"})
    assert again.status_code == HTTPStatus.CONFLICT
    assert "already reported" in again.content.decode()
    assert signed.get("/report?contentType=user&contentId=x").status_code == HTTPStatus.NOT_FOUND


def test_watch_page_has_a_report_widget(client, video):
    widget = client.get(f"/watch/{video.video_id}/report")
    assert widget.status_code == HTTPStatus.OK
    assert f"/report?contentType=video&amp;contentId={video.video_id}" in widget.content.decode()
    assert f'hx-get="/watch/{video.video_id}/report"' in client.get(f"/watch/{video.video_id}").content.decode()


def test_roles_page_search_and_change(client, viewer, moderator):
    mod = signed_in_client(client, moderator)
    page = mod.get("/moderation/users", {"q": "vic"}).content.decode()
    assert viewer.email in page
    assert "Make moderator" in page
    changed = mod.post(f"/moderation/users/{viewer.user_id}/assign", HTTP_HX_REQUEST="true")
    assert changed.status_code == HTTPStatus.OK
    assert "moderator" in changed.content.decode()
    assert mod.post(f"/moderation/users/{moderator.user_id}/revoke").status_code == HTTPStatus.FORBIDDEN
    assert mod.post(f"/moderation/users/{viewer.user_id}/promote").status_code == HTTPStatus.NOT_FOUND
    assert mod.get("/moderation/users", {"q": "v"}).status_code == HTTPStatus.OK


def test_admins_allow_and_revoke_unmask_on_the_roles_page(client, viewer, moderator, admin):
    adm = signed_in_client(client, admin)
    name = moderator.email.split("@")[0][:6]
    page = adm.get("/moderation/users", {"q": name}).content.decode()
    assert "Allow unmask" in page
    allowed = adm.post(f"/moderation/users/{moderator.user_id}/grant-unmask", HTTP_HX_REQUEST="true")
    assert allowed.status_code == HTTPStatus.OK
    assert "Can unmask (granted)" in allowed.content.decode()
    assert "Revoke unmask" in allowed.content.decode()
    assert adm.post(f"/moderation/users/{moderator.user_id}/revoke-unmask").status_code == HTTPStatus.SEE_OTHER
    mod = signed_in_client(client.__class__(), moderator)
    assert "Allow unmask" not in mod.get("/moderation/users", {"q": name}).content.decode()
    assert mod.post(f"/moderation/users/{viewer.user_id}/grant-unmask").status_code == HTTPStatus.FORBIDDEN


def test_my_reports_page_and_audit_by_actor(client, viewer, moderator, video):
    view = _flag(viewer, video)
    services.flag_act(actor=moderator, flag_id=view.flag.flag_id, status="approved")
    assert client.get("/reports")["Location"].startswith("/signin?next=")
    mine = signed_in_client(client, viewer).get("/reports")
    assert mine.status_code == HTTPStatus.OK
    body = mine.content.decode()
    assert "Removed by a moderator" in body
    assert "Spam" in body
    assert SECRET not in body
    assert 'href="/reports"' in body  # the account menu links it
    mod = signed_in_client(client.__class__(), moderator)
    log = mod.get("/moderation/audit", {"actor": str(moderator.user_id)}).content.decode()
    assert "approve" in log
    assert "<strong>report</strong>" not in log
    assert mod.get("/moderation/audit", {"actor": "nope"}).status_code == HTTPStatus.UNPROCESSABLE_ENTITY
