"""The Mongo file store against the real document store: chunks, checksums, crash safety; and the
file RPCs in a real nameko container (bytes as base64 over RabbitMQ)."""
import base64
import datetime
import hashlib
import random

import pytest
from nameko.standalone.rpc import ServiceRpcProxy
from pymongo.errors import DuplicateKeyError

from xjkit.clock import SHANGHAI, FixedClock
from xjkit.errors import DomainError
from xjkit.nameko.clocks import WallClock
from xjkit.nameko.store import Store
from xjkit.testdata import make_uscc

from employment.adapters.file_store import CHUNK_BYTES, CHUNKS, FILES, MongoFileRepository, prepare_files
from employment.domain.files import MAX_FILE_BYTES, FileCorrupted, FileNotFound
from employment.file_rpc import FileRpcMixin
from employment.service_layer import files as use_cases

pytestmark = pytest.mark.integration

ENT_A, ENT_B = make_uscc(region="510100"), make_uscc(region="610100")
CLOCK = FixedClock(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI))


def pdf_of(size, seed=4):
    header = b"%PDF-1.7\n"
    return header + random.Random(seed).randbytes(size - len(header))


@pytest.fixture
def store(database):
    prepare_files(database)
    return MongoFileRepository(database)


def test_a_10_mib_file_is_stored_in_255_kib_chunks_and_read_back_exactly(store, database):
    data = pdf_of(MAX_FILE_BYTES)
    meta = use_cases.store_file(store, CLOCK, ENT_A, "劳动合同.pdf", data)
    assert meta["size"] == MAX_FILE_BYTES and meta["sha256"] == hashlib.sha256(data).hexdigest()

    chunks = list(database[CHUNKS].find({"file_id": meta["file_id"]}).sort("n", 1))
    assert len(chunks) == 41  # 40 full chunks of 255 KiB and the rest
    assert [c["_id"] for c in chunks[:2]] == [f"{meta['file_id']}:00000", f"{meta['file_id']}:00001"]
    assert all(len(c["data"]) == CHUNK_BYTES for c in chunks[:-1])
    assert len(chunks[-1]["data"]) == MAX_FILE_BYTES - 40 * CHUNK_BYTES

    document = database[FILES].find_one({"_id": meta["file_id"]})
    assert document["state"] == "complete" and document["chunks"] == 41
    assert document["owner_uscc"] == ENT_A and document["sha256"] == meta["sha256"]

    read_meta, read_back = use_cases.read_file(store, ENT_A, meta["file_id"])
    assert read_back == data and read_meta["content_type"] == "application/pdf"


def test_a_file_smaller_than_a_chunk_is_one_chunk(store, database):
    png = b"\x89PNG\r\n\x1a\n" + b"\x01" * 100
    meta = use_cases.store_file(store, CLOCK, ENT_A, "a.png", png)
    assert database[CHUNKS].count_documents({"file_id": meta["file_id"]}) == 1
    assert use_cases.read_file(store, ENT_A, meta["file_id"])[1] == png


def test_a_corrupted_chunk_is_detected_on_read(store, database):
    data = pdf_of(3 * CHUNK_BYTES + 10)
    meta = use_cases.store_file(store, CLOCK, ENT_A, "a.pdf", data)
    chunk_id = f"{meta['file_id']}:00001"
    damaged = bytearray(database[CHUNKS].find_one({"_id": chunk_id})["data"])
    damaged[1000] ^= 0x01  # one bit, same size
    # delete + insert: nx-27017 refuses replace_one of a document holding bytes
    database[CHUNKS].delete_one({"_id": chunk_id})
    database[CHUNKS].insert_one({"_id": chunk_id, "file_id": meta["file_id"], "n": 1, "data": bytes(damaged)})
    with pytest.raises(FileCorrupted):
        use_cases.read_file(store, ENT_A, meta["file_id"])


def test_a_missing_chunk_is_detected_on_read(store, database):
    meta = use_cases.store_file(store, CLOCK, ENT_A, "a.pdf", pdf_of(2 * CHUNK_BYTES + 1))
    database[CHUNKS].delete_one({"_id": f"{meta['file_id']}:00002"})
    with pytest.raises(FileCorrupted):
        use_cases.read_file(store, ENT_A, meta["file_id"])


def test_a_crash_after_the_chunks_and_before_the_metadata_leaves_no_visible_file(store, database):
    """A process that dies between the chunk inserts and the metadata insert: chunks, no file."""
    file_id = "f" * 32
    for n in range(3):
        database[CHUNKS].insert_one({"_id": f"{file_id}:{n:05d}", "file_id": file_id, "n": n,
                                     "data": b"%PDF-" if n == 0 else b"\x00" * 10})
    assert store.get(file_id) is None
    with pytest.raises(FileNotFound):
        use_cases.read_file(store, ENT_A, file_id)


def test_a_failure_while_writing_chunks_stores_no_file_and_removes_its_chunks(store, database, monkeypatch):
    real_insert = store.chunks.insert_one
    written = []

    def failing_insert(document):
        if document["n"] == 2:
            raise ConnectionError("store went away")
        written.append(document["_id"])
        return real_insert(document)

    monkeypatch.setattr(store.chunks, "insert_one", failing_insert)
    with pytest.raises(ConnectionError):
        use_cases.store_file(store, CLOCK, ENT_A, "a.pdf", pdf_of(4 * CHUNK_BYTES))
    assert len(written) == 2  # the failure really came part-way
    assert database[FILES].count_documents({}) == 0
    assert database[CHUNKS].count_documents({}) == 0


def test_another_enterprise_cannot_see_or_read_the_file(store):
    meta = use_cases.store_file(store, CLOCK, ENT_A, "a.pdf", pdf_of(100))
    with pytest.raises(FileNotFound):
        use_cases.read_file(store, ENT_B, meta["file_id"])


def test_a_query_object_as_file_id_never_reaches_the_store(store):
    use_cases.store_file(store, CLOCK, ENT_A, "a.pdf", pdf_of(100))
    assert store.get({"$regex": "."}) is None and store.get({"$ne": None}) is None


def test_indexes_exist_and_a_chunk_number_cannot_be_written_twice(store, database):
    chunk_keys = [list(index["key"].items()) for index in database[CHUNKS].list_indexes()]
    assert [("file_id", 1), ("n", 1)] in chunk_keys
    # names only: nx-27017 lists a descending key as ascending (the index still serves both orders)
    file_keys = [list(index["key"]) for index in database[FILES].list_indexes()]
    assert ["owner_uscc", "created_at"] in file_keys
    database[CHUNKS].insert_one({"_id": "x:00000", "file_id": "x", "n": 0, "data": b"a"})
    with pytest.raises(DuplicateKeyError):
        database[CHUNKS].insert_one({"_id": "x:00000-again", "file_id": "x", "n": 0, "data": b"b"})


# --- the RPCs in a real container --------------------------------------------------------------

class FilesService(FileRpcMixin):
    name = "files_test"
    store = Store(prepare=prepare_files)
    wall = WallClock()


@pytest.fixture
def files_rpc(container_factory, service_config_of):
    config = service_config_of("employment-svc")
    container = container_factory(FilesService, config)
    container.start()
    with ServiceRpcProxy("files_test", config, timeout=30) as proxy:
        yield proxy


def test_a_10_mib_upload_crosses_rpc_as_base64_and_comes_back_identical(files_rpc):
    data = pdf_of(MAX_FILE_BYTES, seed=9)
    meta = files_rpc.store_file(owner_uscc=ENT_A, filename="劳动合同.pdf",
                                data_b64=base64.b64encode(data).decode("ascii"))
    assert meta["size"] == MAX_FILE_BYTES and meta["content_type"] == "application/pdf"
    answer = files_rpc.read_file(owner_uscc=ENT_A, file_id=meta["file_id"])
    assert base64.b64decode(answer["data_b64"]) == data
    assert answer["meta"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert answer["meta"]["filename"] == "劳动合同.pdf"


def test_rpc_refusals_arrive_as_domain_errors_with_their_status(files_rpc):
    with pytest.raises(DomainError) as refused:
        files_rpc.store_file(owner_uscc=ENT_A, filename="a.pdf", data_b64=base64.b64encode(b"MZ\x90\x00").decode())
    assert (refused.value.status, refused.value.code) == (415, "FILE_TYPE_UNSUPPORTED")
    with pytest.raises(DomainError) as refused:
        files_rpc.store_file(owner_uscc=ENT_A, filename="a.pdf", data_b64="%%% not base64 %%%")
    assert (refused.value.status, refused.value.code) == (422, "FILE_DATA_INVALID")
    with pytest.raises(DomainError) as refused:
        files_rpc.read_file(owner_uscc=ENT_B, file_id="0" * 32)
    assert (refused.value.status, refused.value.code) == (404, "FILE_NOT_FOUND")


def test_a_persons_photo_keeps_its_owner_in_the_store_and_no_enterprise_reads_it(store, database):
    photo = b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(300 * 1024)
    meta = use_cases.store_person_file(store, CLOCK, "person-a", "证书.png", photo)
    document = database[FILES].find_one({"_id": meta["file_id"]})
    assert (document["owner_person_id"], document["owner_uscc"]) == ("person-a", None)
    assert use_cases.read_person_file(store, "person-a", meta["file_id"]) == (meta, photo)
    with pytest.raises(FileNotFound):
        use_cases.read_file(store, ENT_A, meta["file_id"])
    with pytest.raises(FileNotFound):
        use_cases.person_file_meta(store, "person-b", meta["file_id"])


class MovableWall:
    def __init__(self, now):
        self.instant = now

    def now(self):
        return self.instant


def test_the_sweeper_removes_bytes_older_than_a_day_that_no_file_points_to(store, database):
    kept = use_cases.store_file(store, CLOCK, ENT_A, "a.pdf", pdf_of(1000, seed=1))["file_id"]
    now = datetime.datetime.now(datetime.timezone.utc)
    two_days_ago = now - datetime.timedelta(days=2)
    # a crash part-way, two days ago: chunks, no metadata
    database[CHUNKS].insert_many([{"_id": f"crashed:{n:05d}", "file_id": "crashed", "n": n, "data": b"x",
                                   "created_at": two_days_ago} for n in range(3)])
    # an upload in progress right now: chunks, no metadata yet
    database[CHUNKS].insert_one({"_id": "fresh:00000", "file_id": "fresh", "n": 0, "data": b"x", "created_at": now})
    # a complete file whose chunks are old: its metadata points to them
    database[CHUNKS].update_many({"file_id": kept}, {"$set": {"created_at": two_days_ago}})

    assert use_cases.sweep_abandoned_uploads(store, MovableWall(now)) == ["crashed"]
    assert sorted(database[CHUNKS].distinct("file_id")) == sorted([kept, "fresh"])
    assert use_cases.read_file(store, ENT_A, kept)[1] == pdf_of(1000, seed=1)
    # a day later the stalled upload is abandoned too
    assert use_cases.sweep_abandoned_uploads(store, MovableWall(now + datetime.timedelta(days=1, seconds=1))) == ["fresh"]


def test_the_employment_service_runs_the_upload_sweeper_on_a_timer():
    from employment.service import UPLOAD_SWEEP_INTERVAL_SECONDS, EmploymentService
    from nameko.timer import Timer
    timers = [e.interval for e in EmploymentService.sweep_abandoned_uploads.nameko_entrypoints if isinstance(e, Timer)]
    assert timers == [UPLOAD_SWEEP_INTERVAL_SECONDS]
