from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def seed_example_path() -> Path:
    return ROOT / "examples" / "seed-tw1-2024.json"
