"""The shipped examples are what tools/build_seed_example.py makes from the vendored seed."""

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _builder():
    spec = importlib.util.spec_from_file_location("build_seed_example",
                                                  ROOT / "tools/build_seed_example.py")  # fmt: skip
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_is_up_to_date_with_its_builder(seed_example_path):
    shipped = json.loads(seed_example_path.read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(_builder().build(), ensure_ascii=False))


def test_the_example_keeps_the_seed_corrections(seed_example_path):
    rows = {r["id"]: r for r in json.loads(seed_example_path.read_text(encoding="utf-8"))["rows"]}
    assert len(rows) == 61
    assert rows["5.03.01#3"]["quarters"][0] == {"k": "15", "rp": "1.364.941.860"}
    assert [q and q["k"] for q in rows["5.04.02.2.02#62"]["quarters"]] == ["0", None, "0,5", "0,5"]
    assert rows["5.03.01.2.02.0000#8"]["renstra_realised_before"]["k"] == "12 Bulan"
    assert rows["5.03.01.2.05.0002#11"]["quarters"][0] == {"k": None, "rp": None}
    assert rows["5.03.02.2.01.0002#32"]["parent"] == "5.03.02.2.01#31"


def test_the_printed_example_is_up_to_date_with_its_builder():
    shipped = json.loads((ROOT / "examples/seed-tw1-2024-printed.json").read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(_builder().build(as_printed=True), ensure_ascii=False))


def test_the_printed_example_keeps_the_values_as_printed():
    doc = json.loads((ROOT / "examples/seed-tw1-2024-printed.json").read_text(encoding="utf-8"))
    rows = {r["id"]: r for r in doc["rows"]}
    assert rows["5.03.01#3"]["quarters"][0] == {"k": "1", "rp": "1.364.941.860"}
    assert rows["5.03.01#3"]["printed"] == {
        "col14": {"k": "15 %", "rp": "14 %"},
        "col15": {"k": "115", "rp": None},
        "col16": {"k": None, "rp": "24 %"},
    }
    assert rows["5.03.02.2.01#31"]["printed"]["col13"] == {"k": "25", "rp": "4.280.000"}
    assert doc["printed"] == {"footer": {"k": "20 %", "rp": "12 %"}}
