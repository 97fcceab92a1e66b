"""The person's side of files at the gateway: certificate photos (images only, checked before any
RPC), the contract of their own offer, and the enterprise reading a title certificate's photo."""
import base64
import io

import pytest

from xjkit.errors import DomainError

USCC = "9151010029141777XB"  # the enterprise_token fixture's subject
MIB = 1024 * 1024
PDF = b"%PDF-1.7\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 48
NOT_AN_IMAGE = {"code": 415, "error": "FILE_TYPE_UNSUPPORTED", "message": "仅支持JPEG或PNG格式的图片",
                "errors": {"file": ["文件内容不是JPEG或PNG格式的图片"]}}
FILE_NOT_FOUND = DomainError("FILE_NOT_FOUND", "文件不存在", 404)


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def upload_photo(client, token, data, filename="证书.jpg", extra=None):
    return client.post("/api/v1/mp/files", headers=bearer(token), content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), filename, "image/jpeg"), **(extra or {})})


def stored(person_id, filename, data_b64, idempotency_key, request_fingerprint):
    return {"file_id": "f" * 32, "sha256": "d" * 64, "size": len(base64.b64decode(data_b64)),
            "content_type": "image/png", "filename": filename, "owner_person_id": person_id, "created_at": None}


@pytest.mark.parametrize("data", [JPEG, PNG], ids=["jpeg", "png"])
def test_a_person_uploads_a_photo_as_their_own_and_gets_201_with_its_id(client, services, person_token, data):
    services.answers[("employment", "store_person_file")] = stored
    response = upload_photo(client, person_token, data)
    assert response.status_code == 201
    assert response.get_json()["file_id"] == "f" * 32
    [(service, method, kwargs)] = services.calls
    assert (service, method, kwargs["person_id"]) == ("employment", "store_person_file", "person-1")
    assert base64.b64decode(kwargs["data_b64"]) == data and kwargs["filename"] == "证书.jpg"


@pytest.mark.parametrize("data", [PDF, EXE], ids=["pdf", "exe"])
def test_a_person_may_upload_images_only_refused_before_any_rpc(client, services, person_token, data):
    response = upload_photo(client, person_token, data)
    assert response.status_code == 415
    assert response.get_json() == NOT_AN_IMAGE
    assert services.calls == []


def test_a_photo_over_10_mib_is_413_before_any_rpc(client, services, person_token):
    response = upload_photo(client, person_token, PNG + b"\x00" * (10 * MIB))
    assert response.status_code == 413 and response.get_json()["error"] == "FILE_TOO_LARGE"
    assert services.calls == []


def test_an_upload_with_extra_form_fields_is_422(client, services, person_token):
    response = upload_photo(client, person_token, PNG, extra={"owner_person_id": "someone-else"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"owner_person_id": ["不允许提交此字段"]}
    assert services.calls == []


def test_person_uploads_need_a_person_token(client, services, enterprise_token):
    assert upload_photo(client, enterprise_token, PNG).status_code == 403
    assert client.post("/api/v1/mp/files").status_code == 401
    assert services.calls == []


def test_a_person_downloads_their_photo_as_an_attachment(client, services, person_token):
    services.answers[("employment", "read_person_file")] = {
        "meta": {"content_type": "image/png", "filename": "证书.png"}, "data_b64": base64.b64encode(PNG).decode()}
    response = client.get("/api/v1/mp/files/" + "f" * 32, headers=bearer(person_token))
    assert response.status_code == 200 and response.data == PNG
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert services.calls == [("employment", "read_person_file", {"person_id": "person-1", "file_id": "f" * 32})]


def test_another_persons_photo_is_404(client, services, person_token):
    services.answers[("employment", "read_person_file")] = FILE_NOT_FOUND
    response = client.get("/api/v1/mp/files/" + "f" * 32, headers=bearer(person_token))
    assert response.status_code == 404 and response.get_json()["error"] == "FILE_NOT_FOUND"


def test_a_person_downloads_the_contract_of_their_own_offer(client, services, person_token):
    services.answers[("employment", "read_contract_for_person")] = {
        "meta": {"content_type": "application/pdf", "filename": "劳动合同.pdf"},
        "data_b64": base64.b64encode(PDF).decode()}
    response = client.get("/api/v1/mp/employments/e1/contract", headers=bearer(person_token))
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert services.calls == [("employment", "read_contract_for_person",
                               {"person_id": "person-1", "employment_id": "e1"})]


def test_the_enterprise_reads_the_photo_of_its_staffs_title_certificate(client, services, enterprise_token):
    services.answers[("cert", "get_certificate")] = {"id": "c1", "person_id": "person-9", "file_id": "f" * 32}
    services.answers[("employment", "read_person_file")] = {
        "meta": {"content_type": "image/jpeg", "filename": "证书.jpg"}, "data_b64": base64.b64encode(JPEG).decode()}
    response = client.get("/api/v1/ent/certificates/c1/file", headers=bearer(enterprise_token))
    assert response.status_code == 200 and response.data == JPEG
    assert services.calls == [
        ("cert", "get_certificate", {"enterprise_uscc": USCC, "certificate_id": "c1"}),
        ("employment", "read_person_file", {"person_id": "person-9", "file_id": "f" * 32}),
    ]


def test_a_certificate_without_a_photo_is_404_and_reads_no_file(client, services, enterprise_token):
    services.answers[("cert", "get_certificate")] = {"id": "c1", "person_id": "person-9", "file_id": None}
    response = client.get("/api/v1/ent/certificates/c1/file", headers=bearer(enterprise_token))
    assert response.status_code == 404 and response.get_json()["message"] == "该证书没有上传照片"
    assert [call[:2] for call in services.calls] == [("cert", "get_certificate")]


def test_another_enterprises_certificate_photo_is_404(client, services, enterprise_token):
    services.answers[("cert", "get_certificate")] = DomainError("CERTIFICATE_NOT_FOUND", "证书不存在", 404)
    response = client.get("/api/v1/ent/certificates/c1/file", headers=bearer(enterprise_token))
    assert response.status_code == 404
    assert [call[:2] for call in services.calls] == [("cert", "get_certificate")]


def test_the_subscription_status_is_the_persons(client, services, person_token):
    services.answers[("identity", "subscriptions")] = {
        "templates": [{"template_id": "tmpl-offer", "kinds": ["employment_offer"]}],
        "subscribe_grants": {"tmpl-offer": 2}}
    response = client.get("/api/v1/mp/subscriptions", headers=bearer(person_token))
    assert response.status_code == 200
    assert response.get_json() == {"templates": [{"template_id": "tmpl-offer", "kinds": ["employment_offer"]}],
                                   "subscribe_grants": {"tmpl-offer": 2}}
    assert services.calls == [("identity", "subscriptions", {"person_id": "person-1"})]


def test_a_grant_passes_the_accepted_template_ids(client, services, person_token):
    services.answers[("identity", "grant_subscriptions")] = {"subscribe_grants": {"tmpl-offer": 1}}
    response = client.post("/api/v1/mp/subscriptions", headers=bearer(person_token),
                           json={"template_ids": ["tmpl-offer"]})
    assert response.status_code == 200
    assert services.calls == [("identity", "grant_subscriptions",
                               {"person_id": "person-1", "template_ids": ["tmpl-offer"]})]


def test_openapi_documents_the_persons_file_paths(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    assert "multipart/form-data" in paths["/api/v1/mp/files"]["post"]["requestBody"]["content"]
    for path in ("/api/v1/mp/files/{file_id}", "/api/v1/mp/employments/{employment_id}/contract",
                 "/api/v1/ent/certificates/{certificate_id}/file"):
        assert "get" in paths[path]
    assert set(paths["/api/v1/mp/subscriptions"]) >= {"get", "post"}
