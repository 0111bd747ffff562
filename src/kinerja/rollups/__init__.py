"""Stored per-agency quarter figures of the roll-up (issue 18; docs/rollup.md): each agency ×
year × quarter's footer k and rp with their Σ terms, Tabel 3.2's cash-plan terms and the
quarter's state, refreshed by a task whenever an input of that agency's year changes."""
