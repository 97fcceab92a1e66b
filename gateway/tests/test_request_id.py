"""X-Request-ID: kept when harmless, made when missing or unsafe, echoed, bound for the RPCs."""
import json
import logging

from xjkit import logcontext
from xjkit.jsonlog import JsonFormatter


def test_a_request_without_an_id_gets_one_in_the_response(client):
    response = client.get("/healthz")
    generated = response.headers["X-Request-ID"]
    assert generated and not any(char.isdigit() for char in generated)
    assert client.get("/healthz").headers["X-Request-ID"] != generated


def test_the_callers_id_is_echoed(client):
    assert client.get("/healthz", headers={"X-Request-ID": "portal-42.a"}).headers["X-Request-ID"] == "portal-42.a"


def test_an_unsafe_id_is_replaced_not_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "13800138000"})
    assert response.headers["X-Request-ID"] != "13800138000"


def test_error_responses_carry_the_id_too(client):
    response = client.get("/api/v1/mp/me", headers={"X-Request-ID": "err-1"})
    assert response.status_code == 401 and response.headers["X-Request-ID"] == "err-1"


def test_the_rpcs_of_a_request_see_its_id(client, services, person_token):
    seen = []
    services.answers[("cert", "list_for_person")] = lambda **kwargs: seen.append(logcontext.request_id()) or []
    client.get("/api/v1/mp/certificates", headers={"X-Request-ID": "rpc-1", "Authorization": f"Bearer {person_token}"})
    assert seen == ["rpc-1"]
    assert logcontext.request_id() is None  # unbound after the request


def test_one_json_line_per_request_with_route_status_and_who_asked(client, services, enterprise_token, caplog):
    caplog.set_level(logging.INFO, logger="gateway.request")
    services.answers[("employment", "lookup_person")] = {"person_id": "p"}
    client.get("/api/v1/ent/persons/lookup?id_card_no=11010519491231002X",
               headers={"X-Request-ID": "line-1", "Authorization": f"Bearer {enterprise_token}"})
    [record] = [r for r in caplog.records if r.name == "gateway.request"]
    line = JsonFormatter("gateway").format(record)
    parsed = json.loads(line)
    assert parsed["event"] == "http.request" and parsed["request_id"] == "line-1"
    assert parsed["route"] == "/api/v1/ent/persons/lookup" and parsed["enterprise"] == "9151010029141777XB"
    assert "11010519491231002X" not in line and "id_card_no" not in line  # no query string


def test_metrics_show_routes_and_requests_in_flight(client):
    client.get("/healthz")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'xj_http_request_seconds_count{endpoint="/healthz",method="GET"}' in text
    assert "xj_http_requests_in_flight" in text
