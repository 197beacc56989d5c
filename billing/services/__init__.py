"""Billing services: plain functions that change state, one module per concern."""
