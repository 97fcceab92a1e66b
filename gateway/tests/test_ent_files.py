"""Uploads and downloads of enterprise attachments at the gateway: checks before any RPC, the API
error bodies, base64 over RPC, and download headers that never let a browser render the file."""
import base64
import io
from urllib.parse import unquote

import pytest

from xjkit.errors import DomainError

from gateway.resources.ent_files import content_disposition

USCC = "9151010029141777XB"  # the enterprise_token fixture's subject
MIB = 1024 * 1024
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
TEXT = "劳动合同\n甲方：某某建设集团有限公司\n".encode("utf-8")

TOO_LARGE_BODY = {"code": 413, "error": "FILE_TOO_LARGE", "message": "文件大小不能超过10MB",
                  "errors": {"file": ["文件大小不能超过10MB"]}}


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def upload(client, token, data, filename="劳动合同.pdf", content_type="application/pdf", field="file"):
    return client.post("/api/v1/ent/files", headers=bearer(token), content_type="multipart/form-data",
                       data={field: (io.BytesIO(data), filename, content_type)})


def stored_answer(owner_uscc, filename, data_b64, idempotency_key, request_fingerprint):
    data = base64.b64decode(data_b64)
    return {"file_id": "a" * 32, "sha256": "d" * 64, "size": len(data), "content_type": "image/png",
            "filename": filename, "owner_uscc": owner_uscc, "created_at": None}


# --- refused at the gateway, before any RPC ------------------------------------------------------

@pytest.mark.parametrize("data", [EXE, TEXT], ids=["exe", "text"])
def test_another_type_renamed_to_pdf_is_415_without_an_rpc_call(client, services, enterprise_token, data):
    response = upload(client, enterprise_token, data, filename="劳动合同.pdf", content_type="application/pdf")
    assert response.status_code == 415
    assert response.get_json() == {"code": 415, "error": "FILE_TYPE_UNSUPPORTED", "message": "仅支持PDF、JPEG或PNG格式的文件",
                                   "errors": {"file": ["文件内容不是PDF、JPEG或PNG格式"]}}
    assert services.calls == []


def test_a_file_over_10_mib_is_413_with_the_api_body_without_an_rpc_call(client, services, enterprise_token):
    response = upload(client, enterprise_token, PDF + b"\x00" * (10 * MIB - len(PDF) + 1))
    assert response.status_code == 413
    assert response.get_json() == TOO_LARGE_BODY
    assert services.calls == []


def test_a_request_over_the_gateway_limit_is_413_with_the_same_api_body(client, services, enterprise_token):
    response = upload(client, enterprise_token, PDF + b"\x00" * (12 * MIB))
    assert response.status_code == 413
    assert response.get_json() == TOO_LARGE_BODY
    assert services.calls == []


def test_an_empty_file_is_422_file_empty(client, services, enterprise_token):
    response = upload(client, enterprise_token, b"")
    assert response.status_code == 422
    assert response.get_json() == {"code": 422, "error": "FILE_EMPTY", "message": "上传的文件为空",
                                   "errors": {"file": ["文件内容为空，请重新选择文件"]}}
    assert services.calls == []


def test_a_missing_file_part_is_422_naming_the_field(client, services, enterprise_token):
    response = client.post("/api/v1/ent/files", headers=bearer(enterprise_token),
                           content_type="multipart/form-data", data={"file": "not a file part"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"file": ["此字段为必填项"]}
    assert services.calls == []


def test_an_unknown_extra_file_part_is_refused(client, services, enterprise_token):
    response = client.post("/api/v1/ent/files", headers=bearer(enterprise_token), content_type="multipart/form-data",
                           data={"file": (io.BytesIO(PDF), "a.pdf"), "other": (io.BytesIO(PDF), "b.pdf")})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"other": ["不允许提交此字段"]}
    assert services.calls == []


def test_an_unknown_text_part_is_refused(client, services, enterprise_token):
    response = client.post("/api/v1/ent/files", headers=bearer(enterprise_token), content_type="multipart/form-data",
                           data={"file": (io.BytesIO(PDF), "a.pdf"), "owner_uscc": "91510100MA6CXXXX"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"owner_uscc": ["不允许提交此字段"]}
    assert services.calls == []


def test_a_person_token_is_403_and_no_token_is_401(client, services, person_token):
    assert upload(client, person_token, PNG).status_code == 403
    assert upload(client, person_token, PNG).get_json()["error"] == "WRONG_ROLE"
    assert client.post("/api/v1/ent/files", data={"file": (io.BytesIO(PNG), "a.png")},
                       content_type="multipart/form-data").status_code == 401
    assert client.get("/api/v1/ent/files/" + "a" * 32, headers=bearer(person_token)).status_code == 403
    assert services.calls == []


# --- accepted ------------------------------------------------------------------------------------

def test_a_png_is_accepted_and_passed_to_employment_as_base64_whatever_the_client_says(
        client, services, enterprise_token):
    services.answers[("employment", "store_file")] = stored_answer
    response = upload(client, enterprise_token, PNG, filename="身份证照片.png", content_type="application/x-msdownload")
    assert response.status_code == 201
    [(service, method, kwargs)] = services.calls
    assert (service, method) == ("employment", "store_file")
    assert {k: kwargs[k] for k in ("owner_uscc", "filename", "data_b64")} == {
        "owner_uscc": USCC, "filename": "身份证照片.png", "data_b64": base64.b64encode(PNG).decode("ascii")}
    assert kwargs["idempotency_key"] is None
    body = response.get_json()
    assert {"file_id", "sha256", "size", "content_type"} <= set(body) and "owner_uscc" not in body
    assert body["size"] == len(PNG)


def test_exactly_10_mib_is_accepted(client, services, enterprise_token):
    services.answers[("employment", "store_file")] = stored_answer
    response = upload(client, enterprise_token, JPEG + b"\x00" * (10 * MIB - len(JPEG)), filename="scan.jpg")
    assert response.status_code == 201
    assert len(base64.b64decode(services.calls[0][2]["data_b64"])) == 10 * MIB


def test_a_refusal_from_the_service_becomes_the_api_body(client, services, enterprise_token):
    services.answers[("employment", "store_file")] = DomainError(
        "FILE_DATA_INVALID", "文件数据无效", 422, {"file": ["文件数据编码无效，请重新上传"]})
    response = upload(client, enterprise_token, PDF)
    assert response.status_code == 422 and response.get_json()["error"] == "FILE_DATA_INVALID"


# --- download ------------------------------------------------------------------------------------

def read_answer(filename, content_type, data):
    return lambda owner_uscc, file_id: {
        "meta": {"file_id": file_id, "sha256": "d" * 64, "size": len(data), "content_type": content_type,
                 "filename": filename, "owner_uscc": owner_uscc, "created_at": None},
        "data_b64": base64.b64encode(data).decode("ascii"),
    }


def test_a_download_is_an_attachment_with_the_stored_type_and_the_name_in_rfc_5987(client, services, enterprise_token):
    services.answers[("employment", "read_file")] = read_answer("劳动合同 2026.pdf", "application/pdf", PDF)
    response = client.get("/api/v1/ent/files/" + "a" * 32, headers=bearer(enterprise_token))
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "inline" not in disposition
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded, encoding="utf-8") == "劳动合同 2026.pdf"
    assert all(ord(c) < 128 for c in disposition) and " " not in encoded
    assert services.calls == [("employment", "read_file", {"owner_uscc": USCC, "file_id": "a" * 32})]


def test_an_image_download_is_still_an_attachment(client, services, enterprise_token):
    services.answers[("employment", "read_file")] = read_answer("photo.png", "image/png", PNG)
    response = client.get("/api/v1/ent/files/" + "b" * 32, headers=bearer(enterprise_token))
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"].startswith("attachment;")


def test_an_unknown_or_foreign_file_is_404(client, services, enterprise_token):
    services.answers[("employment", "read_file")] = DomainError("FILE_NOT_FOUND", "文件不存在", 404)
    response = client.get("/api/v1/ent/files/" + "c" * 32, headers=bearer(enterprise_token))
    assert response.status_code == 404
    assert response.get_json() == {"code": 404, "error": "FILE_NOT_FOUND", "message": "文件不存在"}


@pytest.mark.parametrize("name, fallback", [
    ("劳动合同.pdf", "file.pdf"),
    ("contract v2.pdf", "contract_v2.pdf"),
    ('a"b\\c\r\nd.png', "a_b_c_d.png"),
    ("noextension", "noextension"),
])
def test_the_header_is_ascii_with_a_safe_fallback_and_the_exact_name_in_filename_star(name, fallback):
    header = content_disposition(name)
    assert header.startswith(f'attachment; filename="{fallback}"; filename*=UTF-8\'\'')
    assert unquote(header.split("filename*=UTF-8''", 1)[1]) == name
    assert "\r" not in header and "\n" not in header and header.count('"') == 2


# --- documentation -------------------------------------------------------------------------------

def test_openapi_documents_a_multipart_upload_with_a_binary_file(client):
    spec = client.get("/openapi.json").get_json()
    post = spec["paths"]["/api/v1/ent/files"]["post"]
    multipart = post["requestBody"]["content"]["multipart/form-data"]["schema"]
    if "$ref" in multipart:
        multipart = spec["components"]["schemas"][multipart["$ref"].rsplit("/", 1)[1]]
    assert multipart["properties"]["file"] == {**multipart["properties"]["file"], "type": "string", "format": "binary"}
    assert multipart["required"] == ["file"]
    assert {"201", "413", "415", "422"} <= set(post["responses"])
    download = spec["paths"]["/api/v1/ent/files/{file_id}"]["get"]
    assert set(download["responses"]["200"]["content"]) == {"application/pdf", "image/jpeg", "image/png"}


def test_an_upload_passes_the_idempotency_key_and_a_fingerprint_of_the_file(client, services, enterprise_token):
    services.answers[("employment", "store_file")] = stored_answer
    headers = {**bearer(enterprise_token), "Idempotency-Key": "upload-1"}
    client.post("/api/v1/ent/files", data={"file": (io.BytesIO(PNG), "a.png")}, headers=headers)
    client.post("/api/v1/ent/files", data={"file": (io.BytesIO(PNG + b"x"), "a.png")}, headers=headers)
    first, second = (call[2] for call in services.calls)
    assert first["idempotency_key"] == second["idempotency_key"] == "upload-1"
    assert first["request_fingerprint"] != second["request_fingerprint"]


def test_a_malformed_idempotency_key_is_400(client, services, enterprise_token):
    headers = {**bearer(enterprise_token), "Idempotency-Key": "bad key with spaces"}
    response = client.post("/api/v1/ent/files", data={"file": (io.BytesIO(PNG), "a.png")}, headers=headers)
    assert response.status_code == 400 and response.get_json()["error"] == "IDEMPOTENCY_KEY_INVALID"
    assert services.calls == []
