"""What volunteering holds about an account, for its GDPR export."""

from __future__ import annotations

from .models import Application, ContactRequest, Membership, VolunteerProfile


def volunteering_personal_data(user) -> dict:
    profile = VolunteerProfile.objects.filter(user=user).first()
    return {
        "volunteer_profile": profile
        and {
            "skills": profile.skills,
            "interests": profile.interests,
            "availability": profile.availability,
            "bio": profile.bio,
            "visible": profile.visible,
        },
        "associations": [
            {"association": m.association.name, "role": m.role}
            for m in Membership.objects.filter(user=user).select_related("association")
        ],
        "applications": [
            {"mission": a.mission.title, "status": a.status, "hours": str(a.hours or "")}
            for a in Application.objects.filter(volunteer=user).select_related("mission")
        ],
        "contact_requests": [
            {"association": c.association.name, "status": c.status, "message": c.message}
            for c in ContactRequest.objects.filter(volunteer=user).select_related("association")
        ],
    }
