"""Uploaded files: type by content, limits, names, ownership, checksums (domain and use cases, with a fake store)."""
import base64
import datetime
import hashlib

import pytest
from nameko.testing.services import worker_factory

from xjkit.clock import SHANGHAI, FixedClock
from xjkit.errors import DomainError
from xjkit.nameko.clocks import WallClock
from xjkit.nameko.store import Store
from xjkit.testdata import make_uscc

from employment.domain import files as domain
from employment.domain.files import (
    MAX_FILE_BYTES, FileCorrupted, FileDataInvalid, FileEmpty, FileNotFound, FileTooLarge, FileTypeUnsupported,
    check_upload, sanitize_filename, sniff_content_type,
)
from employment.file_rpc import FileRpcMixin, decode_b64
from employment.service_layer import files as use_cases


from employment_file_fakes import FakeFiles

ENT_A, ENT_B = make_uscc(region="510100"), make_uscc(region="610100")
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 32 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
TEXT = "劳动合同\n甲方：某某建设集团有限公司\n".encode("utf-8")


@pytest.fixture
def files():
    return FakeFiles()


@pytest.fixture
def clock():
    return FixedClock(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI))


# --- the type comes from the content ---------------------------------------------------------

@pytest.mark.parametrize("data, expected", [(PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png")])
def test_pdf_jpeg_and_png_are_recognised_by_their_magic_bytes(data, expected):
    assert sniff_content_type(data) == expected
    assert check_upload(data) == expected


@pytest.mark.parametrize("data", [EXE, TEXT, b"<html><script>alert(1)</script>", b"GIF89a" + b"\x00" * 10],
                         ids=["exe", "text", "html", "gif"])
def test_other_content_is_415_whatever_it_is_called(files, clock, data):
    with pytest.raises(FileTypeUnsupported) as refused:
        use_cases.store_file(files, clock, ENT_A, "劳动合同.pdf", data)
    assert (refused.value.status, refused.value.code) == (415, "FILE_TYPE_UNSUPPORTED")
    assert refused.value.errors == {"file": ["文件内容不是PDF、JPEG或PNG格式"]}
    assert files.metadata == {} and files.blobs == {}


@pytest.mark.parametrize("data", [b" %PDF-1.7", b"\x89PNG\r\n", b"\xff\xd8", b"%PDF"],
                         ids=["pdf-not-at-start", "png-truncated-signature", "jpeg-two-bytes", "pdf-without-dash"])
def test_a_signature_must_be_complete_and_at_offset_zero(data):
    assert sniff_content_type(data) is None
    with pytest.raises(FileTypeUnsupported):
        check_upload(data)


# --- limits ----------------------------------------------------------------------------------

def test_an_empty_file_is_422_file_empty_naming_the_file_field(files, clock):
    with pytest.raises(FileEmpty) as refused:
        use_cases.store_file(files, clock, ENT_A, "a.pdf", b"")
    assert (refused.value.status, refused.value.code) == (422, "FILE_EMPTY")
    assert refused.value.errors == {"file": ["文件内容为空，请重新选择文件"]}
    assert files.metadata == {}


def test_exactly_10_mib_is_accepted():
    assert MAX_FILE_BYTES == 10 * 1024 * 1024
    assert check_upload(PDF + b"\x00" * (MAX_FILE_BYTES - len(PDF))) == "application/pdf"


def test_one_byte_over_10_mib_is_413_file_too_large(files, clock):
    with pytest.raises(FileTooLarge) as refused:
        use_cases.store_file(files, clock, ENT_A, "a.pdf", PDF + b"\x00" * (MAX_FILE_BYTES - len(PDF) + 1))
    assert (refused.value.status, refused.value.code) == (413, "FILE_TOO_LARGE")
    assert refused.value.to_dict() == {"code": 413, "error": "FILE_TOO_LARGE", "message": "文件大小不能超过10MB",
                                       "errors": {"file": ["文件大小不能超过10MB"]}}
    assert files.metadata == {}


def test_domain_errors_travel_as_the_base_class_with_the_same_body():
    for error in (FileEmpty(), FileTooLarge(), FileTypeUnsupported(), FileNotFound(), FileDataInvalid()):
        assert type(error.as_base()) is DomainError and error.as_base().to_dict() == error.to_dict()


# --- names ------------------------------------------------------------------------------------

@pytest.mark.parametrize("given, content_type, expected", [
    ("劳动合同.pdf", "application/pdf", "劳动合同.pdf"),
    ("SCAN.JPEG", "image/jpeg", "SCAN.jpeg"),
    ("photo.jpg", "image/jpeg", "photo.jpg"),
    ("C:\\fakepath\\合同.pdf", "application/pdf", "合同.pdf"),
    ("../../etc/passwd", "application/pdf", "passwd.pdf"),
    ("virus.exe", "application/pdf", "virus.exe.pdf"),
    ("contract.png", "application/pdf", "contract.png.pdf"),
    ("invoice\u202efdp.exe", "application/pdf", "invoicefdp.exe.pdf"),
    ('a<b>:"c"|?*.pdf', "application/pdf", "a_b___c____.pdf"),
    ("line\r\nbreak\t.pdf", "application/pdf", "line break.pdf"),
    ("  .hidden.pdf  ", "application/pdf", "hidden.pdf"),
    ("", "image/png", "附件.png"),
    (None, "image/png", "附件.png"),
    ("....pdf", "application/pdf", "附件.pdf"),
    ("CON.pdf", "application/pdf", "_CON.pdf"),
])
def test_the_original_name_is_sanitised_and_ends_in_the_sniffed_type(given, content_type, expected):
    assert sanitize_filename(given, content_type) == expected


def test_a_very_long_name_is_cut_but_keeps_its_extension():
    name = sanitize_filename("合" * 500 + ".pdf", "application/pdf")
    assert len(name) == domain.MAX_FILENAME_CHARS and name.endswith("合.pdf")


# --- storing and reading ------------------------------------------------------------------------

def test_storing_returns_the_checksum_size_and_sniffed_type_and_keeps_the_owner(files, clock):
    meta = use_cases.store_file(files, clock, ENT_A, "C:\\fakepath\\合同.pdf", PDF)
    assert meta["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert (meta["size"], meta["content_type"], meta["filename"]) == (len(PDF), "application/pdf", "合同.pdf")
    assert meta["owner_uscc"] == ENT_A and meta["created_at"] == clock.now()
    assert domain.is_file_id(meta["file_id"])
    assert files.blobs[meta["file_id"]] == PDF


def test_each_upload_gets_its_own_id_even_for_the_same_bytes(files, clock):
    first = use_cases.store_file(files, clock, ENT_A, "a.png", PNG)
    second = use_cases.store_file(files, clock, ENT_A, "a.png", PNG)
    assert first["file_id"] != second["file_id"] and first["sha256"] == second["sha256"]


def test_the_owner_reads_back_the_same_bytes_and_metadata(files, clock):
    meta = use_cases.store_file(files, clock, ENT_A, "photo.jpg", JPEG)
    read_meta, data = use_cases.read_file(files, ENT_A, meta["file_id"])
    assert data == JPEG and read_meta == meta


def test_another_enterprise_gets_404_for_reading(files, clock):
    meta = use_cases.store_file(files, clock, ENT_A, "a.pdf", PDF)
    with pytest.raises(FileNotFound) as refused:
        use_cases.read_file(files, ENT_B, meta["file_id"])
    assert (refused.value.status, refused.value.code) == (404, "FILE_NOT_FOUND")


def test_owned_file_ids_keeps_only_the_enterprises_own_files_in_order_once_each(files, clock):
    mine = [use_cases.store_file(files, clock, ENT_A, f"{n}.pdf", PDF)["file_id"] for n in range(2)]
    theirs = use_cases.store_file(files, clock, ENT_B, "b.pdf", PDF)["file_id"]
    asked = [mine[1], theirs, "0" * 32, {"$ne": None}, mine[0], mine[1]]
    assert use_cases.owned_file_ids(files, ENT_A, asked) == [mine[1], mine[0]]
    assert use_cases.owned_file_ids(files, ENT_B, asked) == [theirs]
    assert use_cases.owned_file_ids(files, ENT_A, []) == []


@pytest.mark.parametrize("file_ids", ["abc", None, {"a": 1}, ["0" * 32] * 101])
def test_owned_file_ids_needs_a_list_of_at_most_100_ids(files, file_ids):
    with pytest.raises(DomainError) as refused:
        use_cases.owned_file_ids(files, ENT_A, file_ids)
    assert refused.value.status == 422 and "file_ids" in refused.value.errors


@pytest.mark.parametrize("file_id", ["0" * 32, "nope", "", None, {"$ne": None}, ["x"], 7])
def test_an_unknown_or_malformed_id_is_404_and_malformed_ones_never_reach_the_store(files, clock, file_id):
    use_cases.store_file(files, clock, ENT_A, "a.pdf", PDF)
    asked = []
    original_get = files.get
    files.get = lambda key: asked.append(key) or original_get(key)
    with pytest.raises(FileNotFound):
        use_cases.read_file(files, ENT_A, file_id)
    assert use_cases.owned_file_ids(files, ENT_A, [file_id]) == []
    assert all(isinstance(key, str) and len(key) == 32 for key in asked)


def test_bytes_that_differ_from_the_upload_are_refused_as_corrupted(files, clock):
    meta = use_cases.store_file(files, clock, ENT_A, "a.pdf", PDF)
    files.corrupt(meta["file_id"], PDF[:-2] + b"X\n")  # same size, other content
    with pytest.raises(FileCorrupted) as refused:
        use_cases.read_file(files, ENT_A, meta["file_id"])
    assert refused.value.code == "FILE_CORRUPTED"
    files.corrupt(meta["file_id"], PDF + b"\n")  # other size
    with pytest.raises(FileCorrupted):
        use_cases.read_file(files, ENT_A, meta["file_id"])


@pytest.mark.parametrize("owner", ["", None, "not-a-uscc", ENT_A[:-1] + ("0" if ENT_A[-1] != "0" else "1")])
def test_an_invalid_owner_code_is_422_and_stores_nothing(files, clock, owner):
    with pytest.raises(DomainError) as refused:
        use_cases.store_file(files, clock, owner, "a.pdf", PDF)
    assert refused.value.status == 422 and "owner_uscc" in refused.value.errors
    assert files.metadata == {}


# --- bytes over RPC: strict base64 --------------------------------------------------------------

def test_canonical_base64_decodes_to_the_bytes():
    assert decode_b64(base64.b64encode(PNG).decode()) == PNG
    assert decode_b64("5L2g5aW9") == "你好".encode()
    assert decode_b64("") == b""


@pytest.mark.parametrize("text", ["not base64!", "QQ", "QR==", "QQ==\n", "QQ== ", "Q\x00Q=", "5L2g5aW9=", "中文",
                                  b"QQ==", None, 5],
                         ids=["garbage", "unpadded", "non-canonical-bits", "newline", "space", "nul", "extra-padding",
                              "non-ascii", "bytes", "none", "int"])
def test_anything_but_canonical_base64_is_422_file_data_invalid(text):
    with pytest.raises(FileDataInvalid) as refused:
        decode_b64(text)
    assert (refused.value.status, refused.value.code) == (422, "FILE_DATA_INVALID")
    assert refused.value.errors == {"file": ["文件数据编码无效，请重新上传"]}


def test_base64_longer_than_10_mib_of_data_is_413_before_decoding():
    limit = base64.b64encode(b"\x00" * MAX_FILE_BYTES).decode()
    assert len(decode_b64(limit)) == MAX_FILE_BYTES
    with pytest.raises(FileTooLarge):
        decode_b64(limit + "AAAA")


# --- the RPC mixin is a thin adapter ------------------------------------------------------------

class FilesOnlyService(FileRpcMixin):
    name = "files_only"
    store = Store()
    wall = WallClock()


@pytest.fixture
def rpc_service(files):
    service = worker_factory(FilesOnlyService, wall=FixedClock(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)))
    service._file_store = lambda: files
    # without an Idempotency-Key the store simply runs the work
    service.store.run_once.side_effect = lambda scope, key, fingerprint, work: work()
    return service


def test_store_file_rpc_takes_base64_and_returns_the_metadata(rpc_service, files):
    meta = rpc_service.store_file(ENT_A, "合同.pdf", base64.b64encode(PDF).decode())
    assert meta["size"] == len(PDF) and files.blobs[meta["file_id"]] == PDF


def test_read_file_rpc_returns_the_metadata_and_the_bytes_as_base64(rpc_service):
    meta = rpc_service.store_file(ENT_A, "a.png", base64.b64encode(PNG).decode())
    answer = rpc_service.read_file(ENT_A, meta["file_id"])
    assert answer["meta"] == meta and base64.b64decode(answer["data_b64"]) == PNG
    with pytest.raises(FileNotFound):
        rpc_service.read_file(ENT_B, meta["file_id"])


def test_store_file_rpc_refuses_garbage_base64_with_422_and_stores_nothing(rpc_service, files):
    with pytest.raises(FileDataInvalid):
        rpc_service.store_file(ENT_A, "a.pdf", "%PDF-1.7 raw text, not base64")
    assert files.metadata == {}


# --- a person's photos and the contracts of their offers ----------------------------------------

PERSON_A, PERSON_B = "person-a", "person-b"


@pytest.mark.parametrize("data, content_type", [(JPEG, "image/jpeg"), (PNG, "image/png")])
def test_a_person_stores_a_photo_owned_by_them_and_no_enterprise(files, clock, data, content_type):
    meta = use_cases.store_person_file(files, clock, PERSON_A, "证书.jpg", data)
    assert (meta["owner_person_id"], meta["owner_uscc"], meta["content_type"]) == (PERSON_A, None, content_type)
    assert use_cases.read_person_file(files, PERSON_A, meta["file_id"]) == (meta, data)
    assert use_cases.person_file_meta(files, PERSON_A, meta["file_id"]) == meta


@pytest.mark.parametrize("data", [PDF, EXE, TEXT], ids=["pdf", "exe", "text"])
def test_a_person_may_upload_images_only_and_a_refusal_stores_nothing(files, clock, data):
    with pytest.raises(FileTypeUnsupported) as refused:
        use_cases.store_person_file(files, clock, PERSON_A, "证书.jpg", data)
    assert (refused.value.status, refused.value.code) == (415, "FILE_TYPE_UNSUPPORTED")
    assert refused.value.message == "仅支持JPEG或PNG格式的图片"
    assert refused.value.errors == {"file": ["文件内容不是JPEG或PNG格式的图片"]}
    assert files.metadata == {}


def test_a_persons_photo_over_10_mib_is_413(files, clock):
    with pytest.raises(FileTooLarge):
        use_cases.store_person_file(files, clock, PERSON_A, "a.png", PNG + b"\x00" * MAX_FILE_BYTES)


@pytest.mark.parametrize("person_id", ["", None, "x" * 65, {"$ne": None}])
def test_a_person_upload_needs_a_plain_person_id(files, clock, person_id):
    with pytest.raises(DomainError) as refused:
        use_cases.store_person_file(files, clock, person_id, "a.png", PNG)
    assert refused.value.status == 422 and files.metadata == {}


def test_a_persons_photo_is_404_to_another_person_and_to_every_enterprise(files, clock):
    meta = use_cases.store_person_file(files, clock, PERSON_A, "a.png", PNG)
    for read in (lambda: use_cases.read_person_file(files, PERSON_B, meta["file_id"]),
                 lambda: use_cases.person_file_meta(files, PERSON_B, meta["file_id"]),
                 lambda: use_cases.read_file(files, ENT_A, meta["file_id"])):
        with pytest.raises(FileNotFound):
            read()


def test_an_enterprises_file_is_404_to_a_person(files, clock):
    meta = use_cases.store_file(files, clock, ENT_A, "合同.pdf", PDF)
    with pytest.raises(FileNotFound):
        use_cases.read_person_file(files, PERSON_A, meta["file_id"])


def _offer_with_contract(files, clock, person_id=PERSON_A):
    from employment.domain.employment import Employment
    from employment_fakes import FakeEmploymentsUnitOfWork

    contract = use_cases.store_file(files, clock, ENT_A, "劳动合同.pdf", PDF)
    uow = FakeEmploymentsUnitOfWork()
    employment = Employment(
        employment_id="e" * 32, person_id=person_id, person_name="张三", id_card_masked="110105********002X",
        enterprise_uscc=ENT_A, enterprise_name="甲公司", contract_start="2026-12-01", contract_end="2027-11-30",
        contract_file_id=contract["file_id"], created_at=clock.now())
    uow.employments.put(employment)
    return uow, employment, contract


def test_a_person_reads_the_contract_of_their_own_offer(files, clock):
    uow, employment, contract = _offer_with_contract(files, clock)
    meta, data = use_cases.read_contract_for_person(uow, files, PERSON_A, employment.employment_id)
    assert data == PDF and meta == contract


@pytest.mark.parametrize("employment_id", ["e" * 32, "unknown", None])
def test_the_contract_of_another_persons_offer_is_404(files, clock, employment_id):
    uow, employment, _ = _offer_with_contract(files, clock)
    with pytest.raises(DomainError) as refused:
        use_cases.read_contract_for_person(uow, files, PERSON_B, employment_id)
    assert (refused.value.status, refused.value.code) == (404, "EMPLOYMENT_NOT_FOUND")


def test_person_file_rpcs_take_and_give_base64(rpc_service, files):
    meta = rpc_service.store_person_file(PERSON_A, "证书.png", base64.b64encode(PNG).decode())
    assert meta["owner_person_id"] == PERSON_A and files.blobs[meta["file_id"]] == PNG
    answer = rpc_service.read_person_file(PERSON_A, meta["file_id"])
    assert answer["meta"] == meta and base64.b64decode(answer["data_b64"]) == PNG
    assert rpc_service.person_file_meta(PERSON_A, meta["file_id"]) == meta
    with pytest.raises(FileNotFound):
        rpc_service.person_file_meta(PERSON_B, meta["file_id"])
