"""The record a signed report relies on: approving a quarter freezes its evaluation input as a
snapshot with its hash (DESIGN §4a)."""
