"""Every write commits before its response: a failed commit is a 5xx that leaves nothing."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from ragline.models import ApiKey, User

# A check PostgreSQL runs at COMMIT (a deferred constraint trigger): the statements of the
# transaction succeed, and only the commit itself fails, as when the server goes away then.
REFUSE_AT_COMMIT = """
CREATE FUNCTION refuse_doomed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'refused at commit';
END $$;
CREATE CONSTRAINT TRIGGER refuse_doomed_users AFTER INSERT ON "user"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NEW.username LIKE 'doomed%') EXECUTE FUNCTION refuse_doomed();
CREATE CONSTRAINT TRIGGER refuse_doomed_keys AFTER INSERT ON apikey
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NEW.name LIKE 'doomed%') EXECUTE FUNCTION refuse_doomed();
"""


def refuse_at_commit(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text(REFUSE_AT_COMMIT))


def test_a_user_whose_commit_fails_is_a_500_and_does_not_exist(
    client: TestClient, engine: Engine, sign_in: Callable[..., dict[str, str]]
) -> None:
    """Regression: the session committed after the response was sent, so this was a 201."""
    admin = sign_in("root", is_admin=True)
    refuse_at_commit(engine)

    response = client.post(
        "/api/v1/users", json={"username": "doomed1", "password": "long enough"}, headers=admin
    )

    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    with Session(engine) as session:
        assert session.exec(select(User).where(User.username == "doomed1")).first() is None


def test_an_api_key_whose_commit_fails_is_a_500_and_is_never_shown(
    client: TestClient, engine: Engine, sign_in: Callable[..., dict[str, str]]
) -> None:
    alice = sign_in("alice")
    refuse_at_commit(engine)

    response = client.post("/api/v1/api-keys", json={"name": "doomed key"}, headers=alice)

    assert response.status_code == 500 and "key" not in response.json()
    with Session(engine) as session:
        assert session.exec(select(ApiKey)).all() == []


def test_a_write_that_commits_answers_as_before(
    client: TestClient, sign_in: Callable[..., dict[str, str]]
) -> None:
    alice = sign_in("alice")

    created = client.post("/api/v1/api-keys", json={"name": "laptop"}, headers=alice)

    assert created.status_code == 201
    key = {"Authorization": f"Bearer {created.json()['key']}"}
    assert client.get("/api/v1/me", headers=key).json()["username"] == "alice"
