import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from accounts.access import can_edit, get_for, roles_required, scoped
from accounts.models import Membership, Organisation, Role
from accounts.navigation import links_for


def request_as(membership: Membership):
    request = RequestFactory().get("/")
    request.user = membership.user
    request.membership = membership
    return request


def test_scoped_querysets_hold_only_the_current_organisation(cast):
    memberships = scoped(request_as(cast.manager), Membership.objects.all())
    assert {m.organisation for m in memberships} == {cast.org}
    assert cast.outsider not in memberships


def test_a_member_of_another_organisation_gets_404_for_our_objects(cast):
    with pytest.raises(Http404):
        get_for(request_as(cast.outsider), Membership.objects.all(), pk=cast.manager.pk)


def test_a_member_gets_their_own_organisations_object(cast):
    found = get_for(request_as(cast.cio), Membership.objects.all(), pk=cast.manager.pk)
    assert found == cast.manager


def test_a_garbage_id_is_a_404_not_a_server_error(cast):
    with pytest.raises(Http404):
        get_for(request_as(cast.manager), Membership.objects.all(), pk="not-a-number")


def test_a_cio_may_read_but_not_write(cast):
    assert not can_edit(request_as(cast.cio))
    with pytest.raises(PermissionDenied):
        get_for(request_as(cast.cio), Membership.objects.all(), write=True, pk=cast.manager.pk)


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_managers_and_admins_may_write(cast, who):
    request = request_as(getattr(cast, who))
    assert can_edit(request)
    assert get_for(request, Membership.objects.all(), write=True, pk=cast.cio.pk) == cast.cio


def test_roles_required_refuses_other_roles(cast):
    view = roles_required(Role.ADMIN)(lambda request: "ok")
    assert view(request_as(cast.admin)) == "ok"
    with pytest.raises(PermissionDenied):
        view(request_as(cast.manager))


def test_only_admins_see_the_administration_link(cast):
    assert "Administration" in [link["label"] for link in links_for(Role.ADMIN)]
    for role in (Role.MANAGER, Role.CIO):
        assert "Administration" not in [link["label"] for link in links_for(role)]


def test_organisation_str_is_its_name(db):
    assert str(Organisation(name="Initech")) == "Initech"


def test_the_navigation_marks_only_the_most_specific_link_active(cast):
    links = links_for(Role.MANAGER, "/contracts/renewals/")
    active = [link["label"] for link in links if link["active"]]
    assert active == ["Renewals"]
