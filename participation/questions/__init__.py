"""Questions to officials (interpellation d'élu): a resident asks a public question addressed to
an official or a theme; the town routes it to an official or a service, which answers
publicly, or declines it with a public reason; the answer time is measured against the town's
target and published."""
