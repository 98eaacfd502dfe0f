"""Both file stores keep the same guarantees: the local directory, and S3 on a real SeaweedFS."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
import s3fs
from pydantic import SecretStr

from ragline.errors import EmptyFile, FileStoreUnavailable, FileTooLarge
from ragline.s3_storage import S3FileStore, fsspec_options
from ragline.settings import Settings
from ragline.storage import FileStore, LocalFileStore, StoredFile, open_file_store

MiB = 1024 * 1024


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FileStore]:
    if request.param == "local":
        yield LocalFileStore(tmp_path / "files")
        return
    seaweed: Settings = request.getfixturevalue("seaweed")
    # A prefix of the test's own: the bucket is shared by the session.
    settings = seaweed.model_copy(
        update={"data_dir": tmp_path, "storage_url": f"s3://ragline-test/{uuid4().hex}"}
    )
    yield open_file_store(settings)


def stored_objects(store: FileStore) -> list[str]:
    """Every file the store holds (not what is still arriving)."""
    if isinstance(store, LocalFileStore):
        files = [p for p in store.root.rglob("*") if p.is_file()]
        return [str(p) for p in files if store.spool not in p.parents]
    assert isinstance(store, S3FileStore)
    return list(store._fs.find(store.key_for("00").rsplit("/", 2)[0]))


def receive(
    store: FileStore, data: bytes, *, max_bytes: int = MiB, block: int = 1000
) -> StoredFile:
    incoming = store.incoming("a.txt", max_bytes)
    for start in range(0, len(data), block):
        incoming.write(data[start : start + block])
    return incoming.finish()


def test_a_file_is_stored_by_its_content_and_read_back(store: FileStore) -> None:
    data = b"hello world\n" * 2000
    stored = receive(store, data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert (stored.size_bytes, stored.head) == (len(data), data[:8192])
    assert store.exists(stored.sha256)
    with store.local_copy(stored.sha256) as path:
        assert path.read_bytes() == data
    assert not any(store.spool.iterdir())  # nothing left arriving, nor a leftover copy


def test_the_same_bytes_twice_are_stored_once(store: FileStore) -> None:
    first, second = receive(store, b"same bytes"), receive(store, b"same bytes")
    assert first.sha256 == second.sha256
    assert len(stored_objects(store)) == 1


def test_an_oversize_file_is_refused_as_it_arrives_and_leaves_nothing(store: FileStore) -> None:
    incoming = store.incoming("big.bin", max_bytes=1000)
    incoming.write(b"x" * 1000)
    with pytest.raises(FileTooLarge):
        incoming.write(b"x")
    assert stored_objects(store) == []
    assert not any(store.spool.iterdir())


def test_an_empty_file_is_refused(store: FileStore) -> None:
    with pytest.raises(EmptyFile):
        store.incoming("empty.txt", MiB).finish()
    assert stored_objects(store) == []


def test_a_file_cut_off_midway_is_never_stored(store: FileStore) -> None:
    incoming = store.incoming("cut.txt", MiB)
    incoming.write(b"half of it")
    incoming.discard()  # what the upload does when the client goes away
    assert stored_objects(store) == []
    assert not any(store.spool.iterdir())


def test_deleting_removes_the_bytes_and_a_missing_file_says_so(store: FileStore) -> None:
    stored = receive(store, b"short-lived")
    store.delete(stored.sha256)
    store.delete(stored.sha256)  # twice: nothing to do
    assert not store.exists(stored.sha256)
    with pytest.raises(FileNotFoundError), store.local_copy(stored.sha256):
        pass


def test_a_large_file_goes_to_s3_in_parts_and_comes_back_whole(seaweed: Settings) -> None:
    """Above s3fs's 50 MiB block a PUT becomes a multipart upload, complete or absent."""
    store = open_file_store(seaweed.model_copy(update={"storage_url": "s3://ragline-test/big"}))
    data = bytes(range(256)) * (60 * MiB // 256)
    stored = receive(store, data, max_bytes=100 * MiB, block=MiB)
    with store.local_copy(stored.sha256) as path:
        assert path.stat().st_size == len(data)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == stored.sha256
    store.delete(stored.sha256)


def test_a_damaged_copy_in_s3_is_not_handed_to_the_parser(seaweed: Settings) -> None:
    store = open_file_store(seaweed.model_copy(update={"storage_url": "s3://ragline-test/bad"}))
    assert isinstance(store, S3FileStore)
    stored = receive(store, b"the real bytes")
    store._fs.pipe_file(store.key_for(stored.sha256), b"other bytes")
    with pytest.raises(FileStoreUnavailable), store.local_copy(stored.sha256):
        pass


def test_wrong_s3_keys_are_a_store_failure_not_a_crash(seaweed: Settings, tmp_path: Path) -> None:
    wrong = seaweed.model_copy(
        update={"data_dir": tmp_path, "s3_secret_access_key": SecretStr("not-the-secret")}
    )
    store = open_file_store(wrong)
    with pytest.raises(FileStoreUnavailable, match="S3 store"):
        receive(store, b"refused")
    assert not any(store.spool.iterdir())


def test_the_storage_url_chooses_the_store(tmp_path: Path) -> None:
    default = Settings(_env_file=None, data_dir=tmp_path)
    assert default.storage.root == tmp_path.resolve() / "files"
    elsewhere = Settings(_env_file=None, storage_url=f"file://{tmp_path}/shared")
    assert elsewhere.storage.root == tmp_path / "shared"
    s3 = Settings(_env_file=None, storage_url="s3://bucket/some/prefix/")
    assert (s3.storage.bucket, s3.storage.key("files")) == ("bucket", "bucket/some/prefix/files")
    with pytest.raises(ValueError):
        Settings(_env_file=None, storage_url="ftp://nope")


def test_the_s3_client_options_carry_endpoint_keys_and_region(seaweed: Settings) -> None:
    options = fsspec_options(seaweed)
    assert options["endpoint_url"] == seaweed.s3_endpoint_url
    fs = s3fs.S3FileSystem(**options, skip_instance_cache=True)
    assert fs.exists("ragline-test")  # the bucket the service created once it was up
    anonymous = fsspec_options(seaweed.model_copy(update={"s3_access_key_id": None}))
    assert anonymous["anon"] is True and "key" not in anonymous
