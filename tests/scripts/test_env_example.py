"""The committed .env.example is exactly what scripts/env_example.py generates."""

from ragline.settings import PROJECT_ROOT, Settings
from scripts.env_example import render


def test_committed_env_example_is_up_to_date() -> None:
    committed = (PROJECT_ROOT / ".env.example").read_text()
    assert committed == render(), "regenerate it: python -m scripts.env_example > .env.example"


def test_every_setting_is_documented() -> None:
    text = render()
    for name, field in Settings.model_fields.items():
        assert f"# RAGLINE_{name.upper()}=" in text
        assert field.description, f"{name} has no description"
