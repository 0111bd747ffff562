"""The quarterly entry grid and the IKU realisations and narratives of a quarter."""
