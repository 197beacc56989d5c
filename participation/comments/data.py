"""What the dashboard counts and the GDPR export gives back of comments and supports."""

from django.db.models import F, QuerySet

from .models import Comment, Flag, Support


def comment_contributions() -> QuerySet:
    return Comment.objects.values("component_id", "author_id", "created_at")


def support_contributions() -> QuerySet:
    return Support.objects.annotate(author_id=F("user_id")).values(
        "component_id", "author_id", "created_at"
    )


def _item_label(row) -> str:
    return f"{row.content_type.app_label}.{row.content_type.model}:{row.object_id}"


def comment_personal_data(user) -> dict:
    comments = Comment.objects.filter(author=user).select_related("content_type")
    flags = Flag.objects.filter(user=user)
    return {
        "comments": [
            {
                "id": comment.pk,
                "item": _item_label(comment),
                "parent_id": comment.parent_id,
                "body": comment.body,
                "is_official": comment.is_official,
                "status": comment.status,
                "hidden_reason": comment.hidden_reason,
                "created_at": comment.created_at.isoformat(),
            }
            for comment in comments
        ],
        "flags": [
            {
                "comment_id": flag.comment_id,
                "reason": flag.reason,
                "created_at": flag.created_at.isoformat(),
            }
            for flag in flags
        ],
    }


def support_personal_data(user) -> list:
    return [
        {"item": _item_label(support), "created_at": support.created_at.isoformat()}
        for support in Support.objects.filter(user=user).select_related("content_type")
    ]
