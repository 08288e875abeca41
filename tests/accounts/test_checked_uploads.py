"""Files checked for a confirm step wait in the database: for their owner only, and for an hour."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from accounts import services
from accounts.models import CheckedUpload
from accounts.tasks import purge_checked_uploads

pytestmark = pytest.mark.django_db

PURPOSE = "console-bulk:1"


@pytest.fixture
def owner(django_user_model: type[User]) -> User:
    return django_user_model.objects.create_user("owner", "owner@example.org", "pw")


def test_a_checked_upload_is_taken_once_by_its_owner_with_its_options(owner: User) -> None:
    token = services.checked_upload_keep(user=owner, purpose=PURPOSE, data=b"a,b\n", options={"signed": True})

    taken = services.checked_upload_take(user=owner, purpose=PURPOSE, token=token)

    assert taken is not None
    assert (bytes(taken.data), taken.options) == (b"a,b\n", {"signed": True})
    assert services.checked_upload_take(user=owner, purpose=PURPOSE, token=token) is None


def test_a_checked_upload_is_refused_to_another_person_and_for_another_purpose(
    owner: User, django_user_model: type[User]
) -> None:
    other = django_user_model.objects.create_user("other", "other@example.org", "pw")
    token = services.checked_upload_keep(user=owner, purpose=PURPOSE, data=b"a\n", options={})

    assert services.checked_upload_take(user=other, purpose=PURPOSE, token=token) is None
    assert services.checked_upload_take(user=owner, purpose="console-bulk:2", token=token) is None
    assert services.checked_upload_take(user=owner, purpose=PURPOSE, token=token) is not None


def test_an_expired_checked_upload_is_refused_and_purged_by_the_hourly_task(owner: User) -> None:
    expired = services.checked_upload_keep(user=owner, purpose=PURPOSE, data=b"old\n", options={})
    fresh = services.checked_upload_keep(user=owner, purpose=PURPOSE, data=b"new\n", options={})
    CheckedUpload.objects.filter(token=expired).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert services.checked_upload_take(user=owner, purpose=PURPOSE, token=expired) is None
    assert purge_checked_uploads.delay().get() == 1
    assert list(CheckedUpload.objects.values_list("token", flat=True)) == [fresh]
