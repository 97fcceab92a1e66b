"""Request bodies: small JSON everywhere, 10 MiB only for uploads, nothing nested deep enough to
hurt the parser; malformed or too-deep JSON is 400 with the error body, never a 500."""
import io

import flask_smorest
import pytest

from gateway.bodies import JSON_BODY_LIMIT, MAX_JSON_DEPTH, UPLOAD_BODY_LIMIT, StrictJSONParser, nesting_depth
from gateway.blueprint import Blueprint
from gateway.resources.ent_auth import LOGIN_BODY_LIMIT


@pytest.mark.parametrize("path", ["/api/v1/ent/auth/login", "/api/v1/mp/auth/login"])
@pytest.mark.parametrize("body", [b"[" * 20000 + b"]" * 20000, b'{"a":' * 5000 + b"1" + b"}" * 5000,
                                  b'{"a":' * (MAX_JSON_DEPTH + 1) + b"1" + b"}" * (MAX_JSON_DEPTH + 1),
                                  b'{"code": ', b"\xff\xfe{}"],
                         ids=["20000-deep-array", "5000-deep-object", "one-level-too-deep", "truncated", "not-utf8"])
def test_malformed_or_too_deep_json_is_400_with_the_error_body_and_no_call(client, services, path, body):
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"] == "MALFORMED_REQUEST"
    assert services.calls == []


def test_json_within_the_depth_limit_is_read(client, services):
    nested = b'{"code": ' + b'{"a":' * (MAX_JSON_DEPTH - 2) + b"1" + b"}" * (MAX_JSON_DEPTH - 2) + b"}"
    response = client.post("/api/v1/mp/auth/login", data=nested, content_type="application/json")
    assert response.status_code == 422  # read, then refused for its shape: code must be a string
    assert response.get_json()["errors"] == {"code": ["应为字符串"]}


@pytest.mark.parametrize("path, limit", [("/api/v1/ent/auth/challenge", JSON_BODY_LIMIT),
                                         ("/api/v1/mp/auth/login", JSON_BODY_LIMIT),
                                         ("/api/v1/ent/auth/login", LOGIN_BODY_LIMIT)])
def test_a_body_over_its_routes_limit_is_413_before_anything_reads_it(client, services, path, limit):
    response = client.post(path, data=b" " * (limit + 1), content_type="application/json")
    assert response.status_code == 413
    assert response.get_json() == {"code": 413, "error": "REQUEST_TOO_LARGE",
                                   "message": f"请求体过大（不能超过{limit // 1024} KiB）"}
    assert services.calls == []


def test_a_chunked_body_without_a_length_is_cut_off_at_the_same_limit(client, services):
    body = io.BytesIO(b'{"code": "' + b"x" * (JSON_BODY_LIMIT + 1024) + b'"}')
    response = client.post("/api/v1/mp/auth/login", input_stream=body, content_type="application/json",
                           headers={"Transfer-Encoding": "chunked"},
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413 and response.get_json()["error"] == "REQUEST_TOO_LARGE"
    assert services.calls == []


def test_only_uploads_take_10_mib(client, services, enterprise_token):
    headers = {"Authorization": f"Bearer {enterprise_token}"}
    too_big = client.post("/api/v1/ent/files", data=b"x" * (UPLOAD_BODY_LIMIT + 1), headers=headers,
                          content_type="multipart/form-data; boundary=x")
    assert too_big.status_code == 413 and too_big.get_json()["error"] == "FILE_TOO_LARGE"
    not_upload = client.post("/api/v1/ent/employments", data=b"{}" + b" " * (1024 * 1024), headers=headers,
                             content_type="application/json")
    assert not_upload.status_code == 413 and not_upload.get_json()["error"] == "REQUEST_TOO_LARGE"
    assert services.calls == []


def test_every_api_blueprint_parses_with_the_strict_parser(app):
    api_blueprints = [bp for bp in app.blueprints.values() if isinstance(bp, flask_smorest.Blueprint)]
    assert api_blueprints
    for blueprint in api_blueprints:
        assert isinstance(blueprint, Blueprint), blueprint.name
        assert isinstance(blueprint.ARGUMENTS_PARSER, StrictJSONParser), blueprint.name


def test_nesting_depth_counts_lists_and_objects_without_recursion():
    assert nesting_depth(1) == 0 and nesting_depth({}) == 1 and nesting_depth([[{"a": [1]}]]) == 4
    deep = current = []
    for _ in range(100000):
        current.append([])
        current = current[0]
    assert nesting_depth(deep) == 100001
