"""What changes budgets: set-up by staff (setup), residents' ballots (ballots), the census list
(census_list), paper ballots (paper), pabulib files
(pabulib_files) and results (results). Callers use the names below."""

from .ballots import CastBallot, ballot_cast, ballot_of, ballot_record, validate_choices
from .census_list import census_check, census_upload, parse_census_date
from .pabulib_files import pabulib_export, pabulib_import, pabulib_preview, pabulib_stage
from .paper import paper_ballot_enter, paper_ballot_resolve, paper_ballot_retype
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
    "pabulib_export",
    "pabulib_import",
    "pabulib_preview",
    "pabulib_stage",
    "paper_ballot_enter",
    "paper_ballot_resolve",
    "paper_ballot_retype",
    "parse_census_date",
    "project_add",
    "result_override",
    "results_publish",
    "validate_choices",
]
