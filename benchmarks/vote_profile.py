"""``vote_burst.py --profile N``: N ballots cast in-process (django.test.Client, middleware
included) under cProfile, with the SQL time measured apart, to show where a vote's time goes."""

from __future__ import annotations

from benchmarks.request_profile import profile_requests

# The steps of a vote that --profile breaks the time into (pstats restriction on names).
STEPS = (
    r"\((post|budget_payload|component|budget_in|budget_for_page|cached_budget|ballot_of|"
    r"ballot_cast|ballot_record|ensure_perm|why_not|validate_choices|insert_first_ballot|"
    r"authenticate|authenticate_credentials|component_for_page|"
    r"process_request|has_perm|render|finalize_response|is_valid|contribution_refusal|"
    r"perform_authentication|check_permissions|__call__)\)"
)


def profile_in_process(campaign, args, *, town_slug: str, bare_path: str) -> str:
    """Cast ``--profile`` ballots in-process, one per probe voter (``campaign.probe_tokens``),
    beside the bare view (``benchmarks.request_profile``). Their ballots are deleted
    afterwards."""
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import schema_context

    from participation.budgets.models import Ballot
    from tenants.services import schema_name_for

    client = Client(HTTP_HOST=campaign.host)
    body = campaign.bodies[0]

    def cast(index: int) -> int:
        return client.post(
            campaign.vote_path,
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {campaign.probe_tokens[index]}",
        ).status_code

    def bare() -> int:
        return client.post(bare_path, body, content_type="application/json").status_code

    profile = profile_requests("vote", cast, len(campaign.probe_tokens), bare, steps=STEPS)
    campaign.probe_bare_rows = profile.bare_requests
    with schema_context(schema_name_for(town_slug)):
        Ballot.objects.filter(budget_id=campaign.budget_id, voter_key__isnull=False).exclude(
            voter_id__in=campaign.voter_ids
        ).delete()
    connection.set_schema_to_public()
    return profile.text
