from scripts.new_migration import next_revision_id


def test_revisions_are_numbered_in_sequence() -> None:
    assert next_revision_id(()) == "0001"
    assert next_revision_id(("0001",)) == "0002"
    assert next_revision_id(("0009", "0012")) == "0013"
