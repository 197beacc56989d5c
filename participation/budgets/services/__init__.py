"""What changes budgets: set-up by staff (setup), residents' ballots (ballots), the census list
(census_list), paper ballots (paper) and results (results). Callers use the names below."""

from .ballots import CastBallot, ballot_cast, ballot_of, ballot_record, validate_choices
from .census_list import census_check, census_upload, parse_census_date
from .paper import paper_ballot_confirm, paper_ballot_enter
from .results import on_results_published, result_override, results_publish
from .setup import budget_create, budget_set_result_rule, project_add

__all__ = [
    "CastBallot",
    "ballot_cast",
    "ballot_of",
    "ballot_record",
    "budget_create",
    "budget_set_result_rule",
    "census_check",
    "census_upload",
    "on_results_published",
    "paper_ballot_confirm",
    "paper_ballot_enter",
    "parse_census_date",
    "project_add",
    "result_override",
    "results_publish",
    "validate_choices",
]
