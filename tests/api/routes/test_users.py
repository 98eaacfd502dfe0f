"""Users and sign-ins, in process on a real PostgreSQL: listing, changes, disabling, password
changes and signing out (a token that stops working stops at once)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

Headers = dict[str, str]


def login(client: TestClient, username: str, password: str | None = None) -> Headers:
    response = client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": password or f"{username}-password"},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def user_id(client: TestClient, headers: Headers) -> str:
    return str(client.get("/api/v1/me", headers=headers).json()["id"])


def test_an_admin_lists_every_user_with_the_consoles_fields(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    root = sign_in("root", is_admin=True)
    sign_in("alice")

    response = client.get("/api/v1/users", headers=root)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    alice = next(u for u in body["data"] if u["username"] == "alice")
    assert alice["disabled"] is False and alice["notify"] == "all" and alice["created_at"]
    assert alice["quota_bytes"] is None and alice["quota_documents"] is None


def test_only_an_admin_lists_or_changes_users(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    alice = sign_in("alice")
    assert client.get("/api/v1/users", headers=alice).status_code == 403
    me = user_id(client, alice)
    response = client.patch(f"/api/v1/users/{me}", json={"is_admin": True}, headers=alice)
    assert response.status_code == 403


def test_quotas_and_admin_rights_are_stored_and_a_null_quota_clears_it(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    root, alice = sign_in("root", is_admin=True), sign_in("alice")
    alice_id = user_id(client, alice)

    changed = client.patch(
        f"/api/v1/users/{alice_id}",
        json={"quota_bytes": 10_000_000_000, "quota_documents": 50, "is_admin": True},
        headers=root,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["quota_bytes"] == 10_000_000_000
    assert changed.json()["is_admin"] is True

    cleared = client.patch(
        f"/api/v1/users/{alice_id}", json={"quota_bytes": None, "is_admin": None}, headers=root
    )
    assert cleared.json()["quota_bytes"] is None
    assert cleared.json()["quota_documents"] == 50
    assert cleared.json()["is_admin"] is True  # null means nothing for a flag
    negative = client.patch(f"/api/v1/users/{alice_id}", json={"quota_bytes": -1}, headers=root)
    assert negative.status_code == 422


def test_an_admin_cannot_lock_themselves_out(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    root = sign_in("root", is_admin=True)
    me = user_id(client, root)
    for change in ({"disabled": True}, {"is_admin": False}):
        response = client.patch(f"/api/v1/users/{me}", json=change, headers=root)
        assert response.status_code == 409 and response.json()["code"] == "self_lockout"


def test_a_disabled_user_cannot_sign_in_and_their_tokens_and_keys_stop_working(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    root, alice = sign_in("root", is_admin=True), sign_in("alice")
    key = client.post("/api/v1/api-keys", json={"name": "script"}, headers=alice).json()["key"]
    alice_id = user_id(client, alice)

    response = client.patch(f"/api/v1/users/{alice_id}", json={"disabled": True}, headers=root)

    assert response.status_code == 200 and response.json()["disabled"] is True
    refused = client.post(
        "/api/v1/auth/login", json={"username": "alice", "password": "alice-password"}
    )
    assert refused.status_code == 403 and refused.json()["code"] == "account_disabled"
    assert client.get("/api/v1/me", headers=alice).status_code == 401
    by_key = client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert by_key.status_code == 401 and by_key.json()["code"] == "account_disabled"
    wrong = client.post("/api/v1/auth/login", json={"username": "alice", "password": "nope"})
    assert wrong.status_code == 401  # only the right password learns the account is disabled

    client.patch(f"/api/v1/users/{alice_id}", json={"disabled": False}, headers=root)
    assert client.get("/api/v1/me", headers=login(client, "alice")).status_code == 200
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert client.get("/api/v1/me", headers=alice).status_code == 401  # ended for good


def test_an_admins_password_reset_ends_the_users_sessions(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    root, alice = sign_in("root", is_admin=True), sign_in("alice")
    alice_id = user_id(client, alice)

    response = client.patch(
        f"/api/v1/users/{alice_id}", json={"password": "a-brand-new-password"}, headers=root
    )

    assert response.status_code == 200
    assert client.get("/api/v1/me", headers=alice).status_code == 401
    assert client.get("/api/v1/me", headers=login(client, "alice", "a-brand-new-password"))


def test_a_user_changes_their_own_email_and_notifications(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    alice = sign_in("alice")

    response = client.patch(
        "/api/v1/me", json={"email": "alice@example.com", "notify": "failures"}, headers=alice
    )

    assert response.status_code == 200
    assert response.json()["email"] == "alice@example.com"
    assert response.json()["notify"] == "failures"
    assert client.get("/api/v1/me", headers=alice).json()["notify"] == "failures"
    assert (
        client.patch("/api/v1/me", json={"notify": "sometimes"}, headers=alice).status_code == 422
    )
    assert (
        client.patch("/api/v1/me", json={"email": "not-an-address"}, headers=alice).status_code
        == 422
    )
    cleared = client.patch("/api/v1/me", json={"email": None}, headers=alice)
    assert cleared.json()["email"] is None and cleared.json()["notify"] == "failures"


def test_a_password_change_keeps_this_token_and_ends_the_others(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    here = sign_in("alice")
    elsewhere = login(client, "alice")

    wrong = client.post(
        "/api/v1/me/password",
        json={"current_password": "nope", "new_password": "a-brand-new-password"},
        headers=here,
    )
    assert wrong.status_code == 401
    changed = client.post(
        "/api/v1/me/password",
        json={"current_password": "alice-password", "new_password": "a-brand-new-password"},
        headers=here,
    )

    assert changed.status_code == 204
    assert client.get("/api/v1/me", headers=here).status_code == 200
    assert client.get("/api/v1/me", headers=elsewhere).status_code == 401
    old = client.post(
        "/api/v1/auth/login", json={"username": "alice", "password": "alice-password"}
    )
    assert old.status_code == 401
    login(client, "alice", "a-brand-new-password")


def test_logout_ends_that_token_at_once_and_only_that_one(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    first = sign_in("alice")
    second = login(client, "alice")

    assert client.post("/api/v1/auth/logout", headers=first).status_code == 204

    assert client.get("/api/v1/me", headers=first).status_code == 401
    assert client.get("/api/v1/me", headers=second).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=first).status_code == 401


def test_text_with_nul_or_control_characters_is_a_422_not_a_database_error(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    alice = sign_in("alice")

    for name in ("key\x00name", "bell\x07", "esc\x1b[31m"):
        response = client.post("/api/v1/api-keys", json={"name": name}, headers=alice)
        assert response.status_code == 422, (name, response.text)
    login = client.post("/api/v1/auth/login", json={"username": "al\x00ice", "password": "x"})
    assert login.status_code == 422
    kept = client.post("/api/v1/api-keys", json={"name": "tabs\tare fine"}, headers=alice)
    assert kept.status_code == 201
