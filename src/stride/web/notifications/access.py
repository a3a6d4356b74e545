"""The one way to a notice by id: only its recipient, everyone else the audited 404.

A notice tells of a child's case, so every answer is audited through the door's own
functions (:mod:`stride.web.patients.access`): ok for the recipient, "denied" for anyone
else (with the child's id, for whoever reviews the trail) and "not found" for an id that
does not exist; the two refusals give the same 404.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from stride.web.accounts.models import User
from stride.web.notifications.models import Notification
from stride.web.patients.access import authenticated, grant, missing
from stride.web.platform.audit.models import ObjectType


def access_notification(user: User | AnonymousUser, notification_id: int, *,
                        write: bool = False) -> Notification:
    """Return the notice ``notification_id`` if ``user`` is its recipient.

    Raises
    ------
    Http404
        If it does not exist or is someone else's; audited either way.
    """
    actor = authenticated(user)
    notice = Notification.objects.filter(pk=notification_id).first()
    if notice is None:
        raise missing(actor, write=write, object_type=ObjectType.NOTIFICATION,
                      object_id=notification_id)
    if notice.patient_id is None:
        # Not about a child: nothing of a patient's to record, but still only the owner's.
        if notice.recipient_id != actor.pk:
            raise missing(actor, write=write, object_type=ObjectType.NOTIFICATION,
                          object_id=notification_id)
        return notice
    grant(actor, granted=notice.recipient_id == actor.pk, write=write,
          object_type=ObjectType.NOTIFICATION, object_id=notice.pk, patient_id=notice.patient_id)
    return notice
